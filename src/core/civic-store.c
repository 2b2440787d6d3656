/* civic-store.c
 *
 * The desk's single source of truth: one sqlite connection, WAL, foreign
 * keys, cached prepared statements and `PRAGMA user_version` migrations.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "civic-store-private.h"

struct _CivicStore
{
  GObject parent_instance;

  sqlite3 *db;            /* owned */
  char *path;             /* owned */
  GHashTable *stmts;      /* owned: SQL literal address → sqlite3_stmt */
  guint64 generation;
  guint tx_depth;
  gboolean tx_dirty;
  gint64 unsorted_id;
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CivicStore, civic_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (civic-store-error-quark, civic_store_error)

/* Migration N brings user_version from N to N+1. Never edit a shipped one:
 * add a new step. */
static const char * const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE servers ("
  "  id INTEGER PRIMARY KEY,"
  "  base_url TEXT NOT NULL UNIQUE,"
  "  client_id TEXT,"
  "  client_secret TEXT,"
  "  title TEXT,"
  "  version TEXT,"
  "  api_version INTEGER,"
  "  streaming_url TEXT,"
  "  max_characters INTEGER NOT NULL DEFAULT 500,"
  "  characters_per_url INTEGER NOT NULL DEFAULT 23,"
  "  max_media INTEGER NOT NULL DEFAULT 4,"
  "  quirks TEXT NOT NULL DEFAULT '',"
  "  checked_at INTEGER"
  ");"
  "CREATE TABLE accounts ("
  "  id INTEGER PRIMARY KEY,"
  "  server_id INTEGER NOT NULL REFERENCES servers(id) ON DELETE CASCADE,"
  "  acct TEXT NOT NULL,"
  "  remote_id TEXT,"
  "  display_name TEXT NOT NULL DEFAULT '',"
  "  UNIQUE (server_id, acct)"
  ");"
  "CREATE TABLE departments ("
  "  id INTEGER PRIMARY KEY,"
  "  slug TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL,"
  "  colour TEXT NOT NULL DEFAULT '#77767b',"
  "  sla_minutes INTEGER NOT NULL DEFAULT 1440 CHECK (sla_minutes > 0),"
  "  account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,"
  "  language TEXT NOT NULL DEFAULT 'es',"
  "  urgent_words TEXT NOT NULL DEFAULT '',"
  "  position INTEGER NOT NULL DEFAULT 0"
  ");"
  "INSERT INTO departments (slug, name, colour, sla_minutes, position)"
  "  VALUES ('unsorted', 'Unsorted', '#77767b', 1440, 1000);"
  "CREATE TABLE sync_positions ("
  "  account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,"
  "  newest_id TEXT,"
  "  backfill_max_id TEXT,"
  "  backfill_done INTEGER NOT NULL DEFAULT 0,"
  "  marker_id TEXT,"
  "  state TEXT NOT NULL DEFAULT 'idle',"
  "  message TEXT NOT NULL DEFAULT '',"
  "  updated_at INTEGER"
  ");"
  "CREATE TABLE mentions ("
  "  id INTEGER PRIMARY KEY,"
  "  server_id INTEGER NOT NULL REFERENCES servers(id) ON DELETE CASCADE,"
  "  status_id TEXT NOT NULL,"
  "  notification_id TEXT,"
  "  account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,"
  "  author_id TEXT,"
  "  author_acct TEXT NOT NULL,"
  "  author_name TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL,"
  "  content_html TEXT NOT NULL DEFAULT '',"
  "  content_text TEXT NOT NULL DEFAULT '',"
  "  spoiler_text TEXT NOT NULL DEFAULT '',"
  "  language TEXT,"
  "  visibility TEXT NOT NULL DEFAULT 'public',"
  "  in_reply_to_id TEXT,"
  "  url TEXT,"
  "  lat REAL CHECK (lat IS NULL OR (lat BETWEEN -90 AND 90)),"
  "  lon REAL CHECK (lon IS NULL OR (lon BETWEEN -180 AND 180)),"
  "  geo_source TEXT,"
  "  geo_uncertainty REAL,"
  "  department_id INTEGER NOT NULL REFERENCES departments(id),"
  "  state INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 3),"
  "  priority INTEGER NOT NULL DEFAULT 1,"
  "  claimed_by TEXT,"
  "  claimed_desk TEXT,"
  "  claimed_at INTEGER,"
  "  due_at INTEGER NOT NULL,"
  "  answered_at INTEGER,"
  "  closed_at INTEGER,"
  "  media_count INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (server_id, status_id)"
  ");"
  "CREATE INDEX mentions_queue ON mentions (department_id, state, due_at);"
  "CREATE INDEX mentions_created ON mentions (created_at);"
  "CREATE INDEX mentions_reply ON mentions (in_reply_to_id) WHERE in_reply_to_id IS NOT NULL;"
  "CREATE INDEX mentions_place ON mentions (lat, lon) WHERE lat IS NOT NULL;"
  "CREATE VIRTUAL TABLE mentions_fts USING fts5 ("
  "  content_text, author_name, author_acct,"
  "  content = 'mentions', content_rowid = 'id',"
  "  tokenize = 'unicode61 remove_diacritics 2'"
  ");"
  "CREATE TABLE media ("
  "  id INTEGER PRIMARY KEY,"
  "  mention_id INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,"
  "  remote_id TEXT NOT NULL,"
  "  type TEXT NOT NULL DEFAULT 'unknown',"
  "  url TEXT,"
  "  preview_url TEXT,"
  "  description TEXT,"
  "  width INTEGER,"
  "  height INTEGER,"
  "  UNIQUE (mention_id, remote_id)"
  ");"
  "CREATE TABLE routing_rules ("
  "  id INTEGER PRIMARY KEY,"
  "  position INTEGER NOT NULL DEFAULT 0,"
  "  kind TEXT NOT NULL CHECK (kind IN ('hashtag', 'keyword', 'regex', 'author')),"
  "  pattern TEXT NOT NULL,"
  "  department_id INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,"
  "  enabled INTEGER NOT NULL DEFAULT 1"
  ");"
  "CREATE TABLE templates ("
  "  id INTEGER PRIMARY KEY,"
  "  department_id INTEGER REFERENCES departments(id) ON DELETE CASCADE,"
  "  shortcut TEXT,"
  "  title TEXT NOT NULL,"
  "  body TEXT NOT NULL"
  ");"
  "CREATE TABLE notes ("
  "  id INTEGER PRIMARY KEY,"
  "  mention_id INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,"
  "  author TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE audit ("
  "  id INTEGER PRIMARY KEY,"
  "  mention_id INTEGER REFERENCES mentions(id) ON DELETE SET NULL,"
  "  at INTEGER NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  desk TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  detail TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE INDEX audit_mention ON audit (mention_id, at);"
  "CREATE TABLE drafts ("
  "  mention_id INTEGER PRIMARY KEY REFERENCES mentions(id) ON DELETE CASCADE,"
  "  body TEXT NOT NULL,"
  "  spoiler_text TEXT NOT NULL DEFAULT '',"
  "  visibility TEXT,"
  "  language TEXT,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY,"
  "  mention_id INTEGER REFERENCES mentions(id) ON DELETE SET NULL,"
  "  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  in_reply_to_id TEXT,"
  "  body TEXT NOT NULL,"
  "  spoiler_text TEXT NOT NULL DEFAULT '',"
  "  visibility TEXT NOT NULL DEFAULT 'public',"
  "  language TEXT,"
  "  state TEXT NOT NULL DEFAULT 'pending',"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER,"
  "  last_error TEXT,"
  "  remote_status_id TEXT,"
  "  created_by TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL,"
  "  sent_at INTEGER"
  ");"
  "CREATE TABLE outbox_media ("
  "  id INTEGER PRIMARY KEY,"
  "  outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL DEFAULT 0,"
  "  path TEXT NOT NULL,"
  "  description TEXT NOT NULL DEFAULT '',"
  "  remote_id TEXT"
  ");",

  /* 1 → 2: what the queue's follow-ups, statistics and saved views need. */
  "CREATE INDEX audit_reply ON audit (detail) WHERE action IN ('answer', 'answer-elsewhere');"
  "CREATE INDEX outbox_remote_status ON outbox (remote_status_id) WHERE remote_status_id IS NOT NULL;"
  "CREATE INDEX mentions_stats ON mentions (created_at, department_id, answered_at, state);"
  "CREATE TABLE smart_views ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  department_id INTEGER REFERENCES departments(id) ON DELETE CASCADE,"
  "  filter TEXT NOT NULL DEFAULT '{}',"
  "  position INTEGER NOT NULL DEFAULT 0"
  ");",

  /* 2 → 3: the desk's profile, which departments' direct (private)
   * mentions it shows (civic-desk-profile.h): none listed means every
   * department whose account this desk holds. */
  "CREATE TABLE desk_departments ("
  "  department_id INTEGER PRIMARY KEY REFERENCES departments(id) ON DELETE CASCADE"
  ");"
  "CREATE VIEW desk_direct_departments AS"
  "  SELECT id FROM departments WHERE account_id IS NOT NULL"
  "  AND (NOT EXISTS (SELECT 1 FROM desk_departments)"
  "       OR id IN (SELECT department_id FROM desk_departments));",

  /* 3 → 4: the sidebar's open and overdue counts also test a mention's
   * visibility (direct mentions only on the desks that serve them): with
   * it in the queue index they are read from the index alone, not from
   * ten thousand rows of the table (150 ms → 10 ms on a million). */
  "CREATE INDEX mentions_queue_visible ON mentions (department_id, state, due_at, visibility);"
  "DROP INDEX mentions_queue;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CIVIC_STORE_SCHEMA_VERSION);

static gboolean
set_error_from_rc (sqlite3     *db,
                   int          rc,
                   const char  *what,
                   GError     **error)
{
  const char *message = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  CivicStoreError code;

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_CORRUPT,
                   _("The desk’s database is damaged or is not a Civic Desk database (%s). "
                     "Move the file aside to start afresh; the server still holds every mention."),
                   message);
      return FALSE;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = CIVIC_STORE_ERROR_BUSY;
      break;
    case SQLITE_FULL:
      code = CIVIC_STORE_ERROR_FULL;
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      code = CIVIC_STORE_ERROR_OPEN;
      break;
    case SQLITE_CONSTRAINT:
      code = CIVIC_STORE_ERROR_INVALID;
      break;
    default:
      code = CIVIC_STORE_ERROR_FAILED;
      break;
    }

  /* Translators: what failed, then the database's own message */
  g_set_error (error, CIVIC_STORE_ERROR, code, _("%s: %s"), what, message);
  return FALSE;
}

gboolean
_civic_store_fail (CivicStore  *self,
                   int          rc,
                   const char  *what,
                   GError     **error)
{
  return set_error_from_rc (self->db, rc, what, error);
}

sqlite3 *
_civic_store_get_db (CivicStore *self)
{
  return self->db;
}

sqlite3_stmt *
_civic_store_prepare (CivicStore  *self,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_rc (self->db, rc, _("Could not prepare a query"), error);
      return NULL;
    }

  g_hash_table_insert (self->stmts, (gpointer) sql, stmt);
  return stmt;
}

gboolean
_civic_store_exec (CivicStore  *self,
                   const char  *sql,
                   GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return set_error_from_rc (self->db, rc, _("Database command failed"), error);

  return TRUE;
}

void
_civic_store_mark_changed (CivicStore *self)
{
  if (self->tx_depth > 0)
    {
      self->tx_dirty = TRUE;
      return;
    }

  self->generation++;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static gboolean
migrate (CivicStore  *self,
         GError     **error)
{
  sqlite3_stmt *stmt;
  int version;
  int rc;

  stmt = _civic_store_prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return set_error_from_rc (self->db, rc, _("Could not read the database version"), error);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  if (version > CIVIC_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_TOO_NEW,
                   _("The database “%s” was written by a newer Civic Desk (format %d, this one "
                     "knows %d). Update Civic Desk to open it."),
                   self->path, version, CIVIC_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  for (; version < CIVIC_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!_civic_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;

      if (!_civic_store_exec (self, migrations[version], error) ||
          !_civic_store_exec (self, bump, error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }

      if (!_civic_store_exec (self, "COMMIT", error))
        return FALSE;
    }

  return TRUE;
}

/* Creates the file (and its directory) private to the user before sqlite
 * opens it: citizens' messages are personal data. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_OPEN,
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_OPEN,
                   _("Could not open the database “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }

  /* An existing file may have been created by something less careful. */
  fchmod (fd, 0600);
  close (fd);

  return TRUE;
}

static gint64
lookup_department (CivicStore *self,
                   const char *slug)
{
  sqlite3_stmt *stmt = _civic_store_prepare (self, "SELECT id FROM departments WHERE slug = ?", NULL);
  gint64 id = 0;

  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, slug, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return id;
}

static gboolean
open_database (CivicStore  *self,
               GError     **error)
{
  gboolean memory = g_str_equal (self->path, ":memory:");
  int rc;

  if (!memory && !create_private_file (self->path, error))
    return FALSE;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_rc (self->db, rc, _("Could not open the database"), error);
      g_clear_pointer (&self->db, sqlite3_close);
      return FALSE;
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);

  /* journal_mode reads the file, so a file that is not a database fails here. */
  if (!_civic_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !_civic_store_exec (self, "PRAGMA synchronous = NORMAL", error) ||
      !_civic_store_exec (self, "PRAGMA foreign_keys = ON", error) ||
      !_civic_store_exec (self, "PRAGMA temp_store = MEMORY", error) ||
      !_civic_store_exec (self, "PRAGMA cache_size = -16384", error) ||
      !migrate (self, error))
    return FALSE;

  self->unsorted_id = lookup_department (self, CIVIC_DEPARTMENT_UNSORTED);
  if (self->unsorted_id == 0)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_CORRUPT,
                   _("The database “%s” has lost its “Unsorted” department"), self->path);
      return FALSE;
    }

  return TRUE;
}

static void
finalize_stmt (gpointer data)
{
  sqlite3_finalize (data);
}

static void
civic_store_finalize (GObject *object)
{
  CivicStore *self = (CivicStore *) object;

  g_clear_pointer (&self->stmts, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);

  G_OBJECT_CLASS (civic_store_parent_class)->finalize (object);
}

static void
civic_store_class_init (CivicStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = civic_store_finalize;

  /**
   * CivicStore::changed:
   *
   * Emitted after a committed write that may change what lists show.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
civic_store_init (CivicStore *self)
{
  self->stmts = g_hash_table_new_full (NULL, NULL, NULL, finalize_stmt);
}

/**
 * civic_store_dup_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/civic-desk/civic-desk.db`
 */
char *
civic_store_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "civic-desk", "civic-desk.db", NULL);
}

/**
 * civic_store_new:
 * @path: (nullable): a file, ":memory:", or %NULL for the default path
 *
 * Opens (creating and migrating when needed) the desk's database.
 */
CivicStore *
civic_store_new (const char  *path,
                 GError     **error)
{
  g_autoptr(CivicStore) self = g_object_new (CIVIC_TYPE_STORE, NULL);

  self->path = path != NULL ? g_strdup (path) : civic_store_dup_default_path ();

  if (!open_database (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

CivicStore *
civic_store_open_reader (CivicStore  *self,
                         GError     **error)
{
  g_autoptr(CivicStore) reader = NULL;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), NULL);

  if (g_str_equal (self->path, ":memory:"))
    return NULL;

  reader = g_object_new (CIVIC_TYPE_STORE, NULL);
  reader->path = g_strdup (self->path);

  /* The writer created and migrated the file: read-only, no migration. */
  rc = sqlite3_open_v2 (reader->path, &reader->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_rc (reader->db, rc, "Could not open the database for reading", error);
      return NULL;
    }

  sqlite3_extended_result_codes (reader->db, TRUE);
  sqlite3_busy_timeout (reader->db, 5000);
  if (!_civic_store_exec (reader, "PRAGMA temp_store = MEMORY", error) ||
      !_civic_store_exec (reader, "PRAGMA cache_size = -8192", error))
    return NULL;

  reader->unsorted_id = self->unsorted_id;
  return g_steal_pointer (&reader);
}

const char *
civic_store_get_path (CivicStore *self)
{
  g_return_val_if_fail (CIVIC_IS_STORE (self), NULL);

  return self->path;
}

int
civic_store_get_schema_version (CivicStore *self)
{
  sqlite3_stmt *stmt;
  int version = -1;

  g_return_val_if_fail (CIVIC_IS_STORE (self), -1);

  stmt = _civic_store_prepare (self, "PRAGMA user_version", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);

  return version;
}

guint64
civic_store_get_generation (CivicStore *self)
{
  g_return_val_if_fail (CIVIC_IS_STORE (self), 0);

  return self->generation;
}

/**
 * civic_store_begin:
 *
 * Starts a write transaction; nested calls join the outer one, which
 * decides. Use BEGIN IMMEDIATE so two desks never deadlock upgrading locks.
 */
gboolean
civic_store_begin (CivicStore  *self,
                   GError     **error)
{
  g_return_val_if_fail (CIVIC_IS_STORE (self), FALSE);

  if (self->tx_depth == 0 && !_civic_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  self->tx_depth++;
  return TRUE;
}

gboolean
civic_store_commit (CivicStore  *self,
                    GError     **error)
{
  g_return_val_if_fail (CIVIC_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (self->tx_depth > 1)
    {
      self->tx_depth--;
      return TRUE;
    }

  if (!_civic_store_exec (self, "COMMIT", error))
    {
      civic_store_rollback (self);
      return FALSE;
    }

  self->tx_depth = 0;
  if (self->tx_dirty)
    {
      self->tx_dirty = FALSE;
      _civic_store_mark_changed (self);
    }

  return TRUE;
}

/**
 * civic_store_rollback:
 *
 * Abandons the whole transaction, however deeply nested the caller is.
 */
void
civic_store_rollback (CivicStore *self)
{
  g_return_if_fail (CIVIC_IS_STORE (self));

  if (self->tx_depth == 0)
    return;

  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->tx_depth = 0;
  self->tx_dirty = FALSE;
}

gint64
civic_store_ensure_server (CivicStore  *self,
                           const char  *base_url,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), 0);
  g_return_val_if_fail (base_url != NULL, 0);

  stmt = _civic_store_prepare (self,
                               "INSERT INTO servers (base_url) VALUES (?1) "
                               "ON CONFLICT (base_url) DO UPDATE SET base_url = excluded.base_url "
                               "RETURNING id",
                               error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, base_url, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else
    set_error_from_rc (self->db, rc, _("Could not record the server"), error);
  sqlite3_reset (stmt);

  return id;
}

gint64
civic_store_ensure_account (CivicStore  *self,
                            gint64       server_id,
                            const char  *acct,
                            const char  *remote_id,
                            const char  *display_name,
                            GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), 0);
  g_return_val_if_fail (acct != NULL, 0);

  stmt = _civic_store_prepare (self,
                               "INSERT INTO accounts (server_id, acct, remote_id, display_name) "
                               "VALUES (?1, ?2, ?3, coalesce(?4, '')) "
                               "ON CONFLICT (server_id, acct) DO UPDATE SET "
                               "  remote_id = coalesce(excluded.remote_id, remote_id),"
                               "  display_name = coalesce(?4, display_name) "
                               "RETURNING id",
                               error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, server_id);
  sqlite3_bind_text (stmt, 2, acct, -1, SQLITE_STATIC);
  _civic_bind_text (stmt, 3, remote_id);
  _civic_bind_text (stmt, 4, display_name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else
    set_error_from_rc (self->db, rc, _("Could not record the account"), error);
  sqlite3_reset (stmt);

  return id;
}

gint64
civic_store_ensure_department (CivicStore  *self,
                               const char  *slug,
                               const char  *name,
                               const char  *colour,
                               guint        sla_minutes,
                               GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), 0);
  g_return_val_if_fail (slug != NULL && name != NULL, 0);

  if (sla_minutes == 0)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   _("A department needs an answer time of at least one minute"));
      return 0;
    }

  stmt = _civic_store_prepare (self,
                               "INSERT INTO departments (slug, name, colour, sla_minutes, position) "
                               "VALUES (?1, ?2, coalesce(?3, '#77767b'), ?4,"
                               "        (SELECT count(*) FROM departments)) "
                               "ON CONFLICT (slug) DO UPDATE SET name = excluded.name,"
                               "  colour = excluded.colour, sla_minutes = excluded.sla_minutes "
                               "RETURNING id",
                               error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, slug, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  _civic_bind_text (stmt, 3, colour);
  sqlite3_bind_int (stmt, 4, (int) MIN (sla_minutes, (guint) G_MAXINT));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else
    set_error_from_rc (self->db, rc, _("Could not save the department"), error);
  sqlite3_reset (stmt);

  if (id != 0)
    _civic_store_mark_changed (self);

  return id;
}

/**
 * civic_store_set_department_language:
 * @self: a store
 * @department_id: the department
 * @language: ISO 639-1 code of its replies by default ("es")
 * @error: where a refusal goes
 *
 * Returns: whether it was saved; %CIVIC_STORE_ERROR_NOT_FOUND when the
 *   department is gone, %CIVIC_STORE_ERROR_INVALID for a malformed code
 */
gboolean
civic_store_set_department_language (CivicStore  *self,
                                     gint64       department_id,
                                     const char  *language,
                                     GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), FALSE);
  g_return_val_if_fail (language != NULL, FALSE);

  /* Two or three lowercase letters, as Mastodon takes them. */
  if (strlen (language) < 2 || strlen (language) > 3 ||
      strspn (language, "abcdefghijklmnopqrstuvwxyz") != strlen (language))
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   _("“%s” is not a language code"), language);
      return FALSE;
    }

  stmt = _civic_store_prepare (self, "UPDATE departments SET language = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, department_id);
  sqlite3_bind_text (stmt, 2, language, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_error_from_rc (self->db, rc, _("Could not save the department"), error);
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                           _("The department no longer exists"));
      return FALSE;
    }

  _civic_store_mark_changed (self);
  return TRUE;
}

gboolean
civic_store_bind_department (CivicStore  *self,
                             gint64       department_id,
                             gint64       account_id,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), FALSE);

  stmt = _civic_store_prepare (self, "UPDATE departments SET account_id = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, department_id);
  _civic_bind_opt_int64 (stmt, 2, account_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_error_from_rc (self->db, rc, _("Could not connect the department"), error);

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                   _("There is no department %lld"), (long long) department_id);
      return FALSE;
    }

  _civic_store_mark_changed (self);
  return TRUE;
}

gint64
civic_store_lookup_department (CivicStore *self,
                               const char *slug)
{
  g_return_val_if_fail (CIVIC_IS_STORE (self), 0);
  g_return_val_if_fail (slug != NULL, 0);

  return lookup_department (self, slug);
}

gint64
civic_store_get_unsorted_department (CivicStore *self)
{
  g_return_val_if_fail (CIVIC_IS_STORE (self), 0);

  return self->unsorted_id;
}

#define OPEN_STATES "(0, 1)"

gboolean
civic_store_count_department (CivicStore  *self,
                              gint64       department_id,
                              gint64       now_ms,
                              guint       *open_count,
                              guint       *overdue_count,
                              GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), FALSE);

  stmt = _civic_store_prepare (self,
                               "SELECT count(*), coalesce(sum(due_at < ?2), 0) FROM mentions "
                               "WHERE department_id = ?1 AND state IN " OPEN_STATES
                               " AND " CIVIC_STORE_VISIBLE_SQL ("mentions"),
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, department_id);
  sqlite3_bind_int64 (stmt, 2, now_ms);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return set_error_from_rc (self->db, rc, _("Could not count the queue"), error);
    }

  if (open_count != NULL)
    *open_count = (guint) sqlite3_column_int64 (stmt, 0);
  if (overdue_count != NULL)
    *overdue_count = (guint) sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);

  return TRUE;
}

static GPtrArray *
list_departments (CivicStore  *self,
                  gboolean     counts,
                  gint64       now_ms,
                  GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), NULL);

  /* Counts per department from the queue index, in one pass. */
  if (counts)
    stmt = _civic_store_prepare (self,
                               "SELECT d.id, d.slug, d.name, d.colour, d.sla_minutes,"
                               "       a.acct || '@' || replace(replace(s.base_url, 'https://', ''), 'http://', ''),"
                               "       (SELECT count(*) FROM mentions m"
                               "         WHERE m.department_id = d.id AND m.state IN " OPEN_STATES
                               "           AND " CIVIC_STORE_VISIBLE_SQL ("m") "),"
                               "       (SELECT count(*) FROM mentions m"
                               "         WHERE m.department_id = d.id AND m.state IN " OPEN_STATES
                               "           AND " CIVIC_STORE_VISIBLE_SQL ("m")
                               "           AND m.due_at < ?1),"
                               "       d.language "
                               "FROM departments d "
                               "LEFT JOIN accounts a ON a.id = d.account_id "
                               "LEFT JOIN servers s ON s.id = a.server_id "
                               "ORDER BY d.position, d.id",
                               error);
  else
    stmt = _civic_store_prepare (self,
                                 "SELECT d.id, d.slug, d.name, d.colour, d.sla_minutes,"
                                 "       a.acct || '@' || replace(replace(s.base_url, 'https://', ''), 'http://', ''),"
                                 "       0, 0, d.language "
                                 "FROM departments d "
                                 "LEFT JOIN accounts a ON a.id = d.account_id "
                                 "LEFT JOIN servers s ON s.id = a.server_id "
                                 "ORDER BY d.position, d.id",
                                 error);
  if (stmt == NULL)
    return NULL;

  if (counts)
    sqlite3_bind_int64 (stmt, 1, now_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CivicDepartment *department;

      department = civic_department_new (sqlite3_column_int64 (stmt, 0),
                                         (const char *) sqlite3_column_text (stmt, 1),
                                         (const char *) sqlite3_column_text (stmt, 2),
                                         (const char *) sqlite3_column_text (stmt, 3),
                                         (guint) sqlite3_column_int (stmt, 4));
      civic_department_set_account (department, (const char *) sqlite3_column_text (stmt, 5));
      civic_department_set_counts (department,
                                   (guint) sqlite3_column_int64 (stmt, 6),
                                   (guint) sqlite3_column_int64 (stmt, 7));
      civic_department_set_language (department, (const char *) sqlite3_column_text (stmt, 8));
      g_ptr_array_add (list, department);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_error_from_rc (self->db, rc, _("Could not list the departments"), error);
      return NULL;
    }

  return g_steal_pointer (&list);
}

GPtrArray *
civic_store_list_departments (CivicStore  *self,
                              gint64       now_ms,
                              GError     **error)
{
  return list_departments (self, TRUE, now_ms, error);
}

GPtrArray *
civic_store_list_departments_brief (CivicStore  *self,
                                    GError     **error)
{
  return list_departments (self, FALSE, 0, error);
}

static gboolean
insert_media (CivicStore               *self,
              gint64                    mention_id,
              const CivicMentionRecord *record,
              GError                  **error)
{
  sqlite3_stmt *stmt;

  if (record->media == NULL || record->media->len == 0)
    return TRUE;

  stmt = _civic_store_prepare (self,
                               "INSERT INTO media (mention_id, remote_id, type, url, preview_url,"
                               "                   description, width, height) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                               "ON CONFLICT (mention_id, remote_id) DO NOTHING",
                               error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < record->media->len; i++)
    {
      const CivicMediaAttachment *media = g_ptr_array_index (record->media, i);
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, mention_id);
      _civic_bind_text (stmt, 2, media->id);
      _civic_bind_text (stmt, 3, media->type);
      _civic_bind_text (stmt, 4, media->url);
      _civic_bind_text (stmt, 5, media->preview_url);
      _civic_bind_text (stmt, 6, media->description);
      sqlite3_bind_int (stmt, 7, media->width);
      sqlite3_bind_int (stmt, 8, media->height);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          return set_error_from_rc (self->db, rc, _("Could not store a photo"), error);
        }
    }
  sqlite3_reset (stmt);

  return TRUE;
}

/**
 * civic_store_upsert_mention:
 * @inserted: (out) (optional): whether the row is new
 *
 * Stores @record once: the same status arriving again (by the stream and
 * by a backfill, or twice from a server that ignores since_id) leaves one
 * row. A repeat only refreshes what the server may have changed (an edit);
 * the desk's workflow columns are never overwritten by a repeat.
 */
gboolean
civic_store_upsert_mention (CivicStore               *self,
                            const CivicMentionRecord *record,
                            gboolean                 *inserted,
                            GError                  **error)
{
  return civic_store_upsert_mention_full (self, record, inserted, NULL, error);
}

/**
 * civic_store_upsert_mention_full:
 * @row_id: (out) (optional): the new row's id, when inserted
 */
gboolean
civic_store_upsert_mention_full (CivicStore               *self,
                                 const CivicMentionRecord *record,
                                 gboolean                 *inserted,
                                 gint64                   *row_id,
                                 GError                  **error)
{
  sqlite3_stmt *stmt;
  sqlite3_stmt *fts;
  gint64 mention_id;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (record->status_id != NULL, FALSE);

  if (inserted != NULL)
    *inserted = FALSE;
  if (row_id != NULL)
    *row_id = 0;

  stmt = _civic_store_prepare (self,
                               "INSERT INTO mentions (server_id, status_id, notification_id, account_id,"
                               "  author_id, author_acct, author_name, created_at, content_html,"
                               "  content_text, spoiler_text, language, visibility, in_reply_to_id, url,"
                               "  lat, lon, geo_source, geo_uncertainty, department_id, priority, due_at,"
                               "  media_count) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                               "        ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23) "
                               "ON CONFLICT (server_id, status_id) DO NOTHING",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, record->server_id);
  sqlite3_bind_text (stmt, 2, record->status_id, -1, SQLITE_STATIC);
  _civic_bind_text (stmt, 3, record->notification_id);
  _civic_bind_opt_int64 (stmt, 4, record->account_id);
  _civic_bind_text (stmt, 5, record->author_id);
  sqlite3_bind_text (stmt, 6, record->author_acct != NULL ? record->author_acct : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, record->author_name != NULL ? record->author_name : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, record->created_at_ms);
  sqlite3_bind_text (stmt, 9, record->content_html != NULL ? record->content_html : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, record->content_text != NULL ? record->content_text : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, record->spoiler_text != NULL ? record->spoiler_text : "", -1, SQLITE_STATIC);
  _civic_bind_text (stmt, 12, record->language);
  sqlite3_bind_text (stmt, 13, record->visibility != NULL ? record->visibility : "public", -1, SQLITE_STATIC);
  _civic_bind_text (stmt, 14, record->in_reply_to_id);
  _civic_bind_text (stmt, 15, record->url);
  if (record->has_point)
    {
      sqlite3_bind_double (stmt, 16, record->lat);
      sqlite3_bind_double (stmt, 17, record->lon);
      _civic_bind_text (stmt, 18, record->geo_source);
      if (record->geo_uncertainty_m > 0)
        sqlite3_bind_double (stmt, 19, record->geo_uncertainty_m);
    }
  sqlite3_bind_int64 (stmt, 20, record->department_id != 0 ? record->department_id : self->unsorted_id);
  sqlite3_bind_int (stmt, 21, record->priority);
  sqlite3_bind_int64 (stmt, 22, record->due_at_ms);
  sqlite3_bind_int (stmt, 23, record->media != NULL ? (int) record->media->len : 0);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_error_from_rc (self->db, rc, _("Could not store a mention"), error);

  if (sqlite3_changes (self->db) == 0)
    return TRUE;

  mention_id = sqlite3_last_insert_rowid (self->db);

  /* FTS5 fed by its own statement, not a trigger: a trigger made every row
   * its own index segment, 3.7× slower on ingest. */
  fts = _civic_store_prepare (self,
                              "INSERT INTO mentions_fts (rowid, content_text, author_name, author_acct) "
                              "VALUES (?1, ?2, ?3, ?4)",
                              error);
  if (fts == NULL)
    return FALSE;

  sqlite3_bind_int64 (fts, 1, mention_id);
  sqlite3_bind_text (fts, 2, record->content_text != NULL ? record->content_text : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (fts, 3, record->author_name != NULL ? record->author_name : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (fts, 4, record->author_acct != NULL ? record->author_acct : "", -1, SQLITE_STATIC);
  rc = sqlite3_step (fts);
  sqlite3_reset (fts);
  if (rc != SQLITE_DONE)
    return set_error_from_rc (self->db, rc, _("Could not index a mention"), error);

  if (!insert_media (self, mention_id, record, error))
    return FALSE;

  if (inserted != NULL)
    *inserted = TRUE;
  if (row_id != NULL)
    *row_id = mention_id;

  _civic_store_mark_changed (self);
  return TRUE;
}

/**
 * civic_store_ingest:
 *
 * Stores a page of records in one transaction: all of them or none.
 */
gboolean
civic_store_ingest (CivicStore               *self,
                    const CivicMentionRecord *records,
                    guint                     n_records,
                    guint                    *n_inserted,
                    GError                  **error)
{
  guint count = 0;

  g_return_val_if_fail (CIVIC_IS_STORE (self), FALSE);
  g_return_val_if_fail (records != NULL || n_records == 0, FALSE);

  if (n_inserted != NULL)
    *n_inserted = 0;

  if (!civic_store_begin (self, error))
    return FALSE;

  for (guint i = 0; i < n_records; i++)
    {
      gboolean inserted;

      if (!civic_store_upsert_mention (self, &records[i], &inserted, error))
        {
          civic_store_rollback (self);
          return FALSE;
        }
      count += inserted;
    }

  if (!civic_store_commit (self, error))
    return FALSE;

  if (n_inserted != NULL)
    *n_inserted = count;

  return TRUE;
}

gboolean
civic_store_file_as_history (CivicStore   *self,
                             const gint64 *ids,
                             guint         n_ids,
                             const char   *desk,
                             gint64        now_ms,
                             GError      **error)
{
  sqlite3_stmt *close_stmt, *audit_stmt;

  g_return_val_if_fail (CIVIC_IS_STORE (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  if (n_ids == 0)
    return TRUE;

  if (!civic_store_begin (self, error))
    return FALSE;

  close_stmt = _civic_store_prepare (self,
                                     "UPDATE mentions SET state = 3, closed_at = created_at "
                                     "WHERE id = ?1 AND state = 0",
                                     error);
  audit_stmt = close_stmt == NULL ? NULL :
    _civic_store_prepare (self,
                          "INSERT INTO audit (mention_id, at, actor, desk, action, detail) "
                          "VALUES (?1, ?2, 'Civic Desk', ?3, 'close', 'history: older than the first sync')",
                          error);
  if (audit_stmt == NULL)
    goto fail;

  for (guint i = 0; i < n_ids; i++)
    {
      int rc;

      sqlite3_reset (close_stmt);
      sqlite3_bind_int64 (close_stmt, 1, ids[i]);
      rc = sqlite3_step (close_stmt);
      if (rc != SQLITE_DONE)
        {
          set_error_from_rc (self->db, rc, _("Could not file a mention as history"), error);
          goto fail;
        }
      if (sqlite3_changes (self->db) == 0)
        continue;

      sqlite3_reset (audit_stmt);
      sqlite3_bind_int64 (audit_stmt, 1, ids[i]);
      sqlite3_bind_int64 (audit_stmt, 2, now_ms);
      sqlite3_bind_text (audit_stmt, 3, desk != NULL ? desk : "", -1, SQLITE_STATIC);
      rc = sqlite3_step (audit_stmt);
      if (rc != SQLITE_DONE)
        {
          set_error_from_rc (self->db, rc, _("Could not write the audit log"), error);
          goto fail;
        }
    }
  sqlite3_reset (close_stmt);
  sqlite3_reset (audit_stmt);

  _civic_store_mark_changed (self);
  return civic_store_commit (self, error);

fail:
  if (close_stmt != NULL)
    sqlite3_reset (close_stmt);
  if (audit_stmt != NULL)
    sqlite3_reset (audit_stmt);
  civic_store_rollback (self);
  return FALSE;
}

gint64
civic_store_find_mention (CivicStore *self,
                          gint64      server_id,
                          const char *status_id)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;

  g_return_val_if_fail (CIVIC_IS_STORE (self), 0);
  g_return_val_if_fail (status_id != NULL, 0);

  stmt = _civic_store_prepare (self, "SELECT id FROM mentions WHERE server_id = ?1 AND status_id = ?2", NULL);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, server_id);
  sqlite3_bind_text (stmt, 2, status_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return id;
}

gint64
civic_store_count_mentions (CivicStore *self)
{
  sqlite3_stmt *stmt;
  gint64 count = 0;

  g_return_val_if_fail (CIVIC_IS_STORE (self), 0);

  stmt = _civic_store_prepare (self, "SELECT count(*) FROM mentions", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);

  return count;
}

char *
civic_store_dup_mention_signature (CivicStore *self,
                                   gint64      mention_id)
{
  sqlite3_stmt *stmt;
  char *signature = NULL;

  g_return_val_if_fail (CIVIC_IS_STORE (self), NULL);

  stmt = _civic_store_prepare (self,
                               "SELECT printf ('%d|%d|%s|%s|%lld|%lld|%lld|%lld|%d|%s|%d|%s', "
                               "  m.state, m.priority, coalesce (m.claimed_by, ''), coalesce (m.claimed_desk, ''),"
                               "  m.department_id, m.due_at, coalesce (m.answered_at, 0), coalesce (m.claimed_at, 0),"
                               "  (SELECT count(*) FROM audit a WHERE a.mention_id = m.id),"
                               "  (SELECT coalesce (max (a.id), 0) FROM audit a WHERE a.mention_id = m.id),"
                               "  (SELECT count(*) FROM notes n WHERE n.mention_id = m.id),"
                               "  (SELECT group_concat (o.id || o.state || o.attempts, ',') FROM outbox o"
                               "    WHERE o.mention_id = m.id)) "
                               "FROM mentions m WHERE m.id = ?1",
                               NULL);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, mention_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    signature = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return signature;
}

gboolean
civic_store_has_mentions (CivicStore *self)
{
  sqlite3_stmt *stmt;
  gboolean any = FALSE;

  g_return_val_if_fail (CIVIC_IS_STORE (self), FALSE);

  stmt = _civic_store_prepare (self, "SELECT EXISTS (SELECT 1 FROM mentions)", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    any = sqlite3_column_int (stmt, 0) != 0;
  if (stmt != NULL)
    sqlite3_reset (stmt);

  return any;
}

GArray *
civic_store_list_queue_ids (CivicStore  *self,
                            gint64       department_id,
                            gint64       now_ms,
                            GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), NULL);

  stmt = _civic_store_prepare (self,
                               "SELECT id FROM mentions "
                               "WHERE department_id = ?1 AND state IN " OPEN_STATES " "
                               "AND " CIVIC_STORE_VISIBLE_SQL ("mentions") " "
                               "ORDER BY due_at < ?2 DESC, priority DESC, created_at, id",
                               error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, department_id);
  sqlite3_bind_int64 (stmt, 2, now_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_error_from_rc (self->db, rc, _("Could not read the queue"), error);
      return NULL;
    }

  return g_steal_pointer (&ids);
}

GArray *
civic_store_list_mention_ids (CivicStore  *self,
                              gint64       department_id,
                              guint        states,
                              GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), NULL);

  stmt = _civic_store_prepare (self,
                               "SELECT id FROM mentions "
                               "WHERE department_id = ?1 AND ((1 << state) & ?2) != 0 "
                               "AND " CIVIC_STORE_VISIBLE_SQL ("mentions") " "
                               "ORDER BY created_at, id",
                               error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, department_id);
  sqlite3_bind_int (stmt, 2, (int) states);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_error_from_rc (self->db, rc, _("Could not list mentions"), error);
      return NULL;
    }

  return g_steal_pointer (&ids);
}

#define MENTION_COLUMNS \
  "id, status_id, notification_id, department_id, author_acct, author_name, created_at," \
  " content_text, content_html, spoiler_text, visibility, language, in_reply_to_id, url," \
  " lat, lon, geo_source, media_count, state, priority, claimed_by, due_at, answered_at"

static CivicMention *
mention_from_row (sqlite3_stmt *stmt)
{
  CivicMentionFields f = {
    .id = sqlite3_column_int64 (stmt, 0),
    .status_id = (const char *) sqlite3_column_text (stmt, 1),
    .notification_id = (const char *) sqlite3_column_text (stmt, 2),
    .department_id = sqlite3_column_int64 (stmt, 3),
    .author_acct = (const char *) sqlite3_column_text (stmt, 4),
    .author_name = (const char *) sqlite3_column_text (stmt, 5),
    .created_at_ms = sqlite3_column_int64 (stmt, 6),
    .text = (const char *) sqlite3_column_text (stmt, 7),
    .html = (const char *) sqlite3_column_text (stmt, 8),
    .spoiler_text = (const char *) sqlite3_column_text (stmt, 9),
    .visibility = (const char *) sqlite3_column_text (stmt, 10),
    .language = (const char *) sqlite3_column_text (stmt, 11),
    .in_reply_to_id = (const char *) sqlite3_column_text (stmt, 12),
    .url = (const char *) sqlite3_column_text (stmt, 13),
    .has_point = sqlite3_column_type (stmt, 14) != SQLITE_NULL,
    .lat = sqlite3_column_double (stmt, 14),
    .lon = sqlite3_column_double (stmt, 15),
    .geo_source = (const char *) sqlite3_column_text (stmt, 16),
    .media_count = (guint) sqlite3_column_int (stmt, 17),
    .state = (CivicMentionState) sqlite3_column_int (stmt, 18),
    .priority = (CivicPriority) sqlite3_column_int (stmt, 19),
    .claimed_by = (const char *) sqlite3_column_text (stmt, 20),
    .due_at_ms = sqlite3_column_int64 (stmt, 21),
    .answered_at_ms = sqlite3_column_int64 (stmt, 22),
  };

  return civic_mention_new (&f);
}

CivicMention *
civic_store_load_mention (CivicStore  *self,
                          gint64       id,
                          GError     **error)
{
  sqlite3_stmt *stmt;
  CivicMention *mention = NULL;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), NULL);

  stmt = _civic_store_prepare (self, "SELECT " MENTION_COLUMNS " FROM mentions WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    mention = mention_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                 _("There is no mention %lld"), (long long) id);
  else
    set_error_from_rc (self->db, rc, _("Could not read a mention"), error);
  sqlite3_reset (stmt);

  return mention;
}

GPtrArray *
civic_store_load_mentions (CivicStore   *self,
                           const gint64 *ids,
                           guint         n_ids,
                           GError      **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_full (n_ids, g_object_unref);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CIVIC_IS_STORE (self), NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);

  stmt = _civic_store_prepare (self, "SELECT " MENTION_COLUMNS " FROM mentions WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;

  for (guint i = 0; i < n_ids; i++)
    {
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, ids[i]);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        g_ptr_array_add (list, mention_from_row (stmt));
      else if (rc != SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          set_error_from_rc (self->db, rc, _("Could not read mentions"), error);
          return NULL;
        }
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&list);
}

/* Turns what a person typed into an FTS5 query: every word must match
 * (as a prefix), and nothing they type is taken as FTS syntax. */
static char *
build_fts_query (const char *query)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = query;

  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);

      if (p > start)
        {
          if (out->len > 0)
            g_string_append_c (out, ' ');
          g_string_append_c (out, '"');
          g_string_append_len (out, start, p - start);
          g_string_append (out, "\"*");
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

GArray *
civic_store_search (CivicStore  *self,
                    const char  *query,
                    guint        limit,
                    GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *fts_query = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  fts_query = build_fts_query (query);
  if (*fts_query == '\0')
    return g_steal_pointer (&ids);

  stmt = _civic_store_prepare (self,
                               "SELECT f.rowid FROM mentions_fts f JOIN mentions m ON m.id = f.rowid "
                               "WHERE f.mentions_fts MATCH ?1 AND " CIVIC_STORE_VISIBLE_SQL ("m") " "
                               "ORDER BY f.rowid DESC LIMIT ?2",
                               error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, fts_query, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? limit : G_MAXINT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_error_from_rc (self->db, rc, _("Search failed"), error);
      return NULL;
    }

  return g_steal_pointer (&ids);
}
