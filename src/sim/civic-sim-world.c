/* civic-sim-world.c
 *
 * The simulated instance's state: one sqlite connection (WAL, cached
 * prepared statements, transactions), accounts and apps kept in memory,
 * Mastodon-like snowflake ids and a virtual clock that starts at --now.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "civic-sim-private.h"

#define SCHEMA_VERSION 1

static const char schema[] =
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");"
  "CREATE TABLE accounts ("
  "  id INTEGER PRIMARY KEY,"
  "  username TEXT NOT NULL UNIQUE,"
  "  display_name TEXT NOT NULL,"
  "  note TEXT NOT NULL,"
  "  email TEXT NOT NULL UNIQUE,"
  "  department INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  statuses_count INTEGER NOT NULL DEFAULT 0,"
  "  last_status_at INTEGER,"
  "  hue INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE apps ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  website TEXT,"
  "  redirect_uris TEXT NOT NULL,"
  "  scopes TEXT NOT NULL,"
  "  client_id TEXT NOT NULL UNIQUE,"
  "  client_secret TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE tokens ("
  "  id INTEGER PRIMARY KEY,"
  "  token TEXT NOT NULL UNIQUE,"
  "  app_id INTEGER NOT NULL,"
  "  account_id INTEGER,"
  "  scopes TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  revoked INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE auth_codes ("
  "  code TEXT PRIMARY KEY,"
  "  app_id INTEGER NOT NULL,"
  "  account_id INTEGER NOT NULL,"
  "  scopes TEXT NOT NULL,"
  "  redirect_uri TEXT NOT NULL,"
  "  challenge TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  used INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE statuses ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id INTEGER NOT NULL,"
  "  in_reply_to_id INTEGER,"
  "  in_reply_to_account_id INTEGER,"
  "  visibility INTEGER NOT NULL,"
  "  sensitive INTEGER NOT NULL DEFAULT 0,"
  "  spoiler_text TEXT NOT NULL DEFAULT '',"
  "  language TEXT,"
  "  text TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  app_id INTEGER,"
  "  idempotency_key TEXT,"
  "  via_api INTEGER NOT NULL DEFAULT 0,"
  "  replies_count INTEGER NOT NULL DEFAULT 0,"
  "  media_ids TEXT,"
  "  deleted INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX statuses_by_account ON statuses (account_id, id);"
  "CREATE INDEX statuses_by_reply ON statuses (in_reply_to_id) WHERE in_reply_to_id IS NOT NULL;"
  "CREATE TABLE status_mentions ("
  "  status_id INTEGER NOT NULL,"
  "  account_id INTEGER NOT NULL,"
  "  PRIMARY KEY (status_id, account_id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE notifications ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  account_id INTEGER NOT NULL,"
  "  type INTEGER NOT NULL,"
  "  from_account_id INTEGER NOT NULL,"
  "  status_id INTEGER,"
  "  created_at INTEGER NOT NULL,"
  "  filtered INTEGER NOT NULL DEFAULT 0,"
  "  dismissed INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX notifications_by_account ON notifications (account_id, id);"
  "CREATE TABLE media ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id INTEGER NOT NULL,"
  "  status_id INTEGER,"
  "  type TEXT NOT NULL,"
  "  mime TEXT NOT NULL,"
  "  file TEXT,"
  "  scene INTEGER NOT NULL DEFAULT -1,"
  "  description TEXT,"
  "  focus_x REAL NOT NULL DEFAULT 0,"
  "  focus_y REAL NOT NULL DEFAULT 0,"
  "  width INTEGER NOT NULL DEFAULT 0,"
  "  height INTEGER NOT NULL DEFAULT 0,"
  "  blurhash TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  ready_at INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE markers ("
  "  account_id INTEGER NOT NULL,"
  "  timeline TEXT NOT NULL,"
  "  last_read_id TEXT NOT NULL,"
  "  version INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (account_id, timeline)"
  ");"
  "CREATE TABLE idempotency ("
  "  account_id INTEGER NOT NULL,"
  "  key TEXT NOT NULL,"
  "  status_id INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  PRIMARY KEY (account_id, key)"
  ");"
  "CREATE TABLE policies ("
  "  account_id INTEGER PRIMARY KEY,"
  "  for_not_following TEXT NOT NULL,"
  "  for_not_followers TEXT NOT NULL,"
  "  for_new_accounts TEXT NOT NULL,"
  "  for_private_mentions TEXT NOT NULL,"
  "  for_limited_accounts TEXT NOT NULL,"
  "  for_bots TEXT NOT NULL"
  ");";

const char * const sim_notification_types[] = {
  "mention", "status", "reblog", "follow", "follow_request", "favourite", "poll",
  "update", "admin.sign_up", "admin.report", "severed_relationships",
  "moderation_warning", "quote", "quoted_update", NULL
};

int
sim_notification_type_from_string (const char *s)
{
  for (int i = 0; sim_notification_types[i] != NULL; i++)
    if (g_str_equal (sim_notification_types[i], s))
      return i;
  return -1;
}

static const char * const visibilities[] = { "public", "unlisted", "private", "direct" };

const char *
sim_visibility_to_string (int visibility)
{
  if (visibility < 0 || visibility > SIM_VIS_DIRECT)
    return "public";
  return visibilities[visibility];
}

int
sim_visibility_from_string (const char *s)
{
  for (int i = 0; i <= SIM_VIS_DIRECT; i++)
    if (g_str_equal (visibilities[i], s))
      return i;
  return -1;
}

void
sim_status_clear (SimStatus *s)
{
  g_clear_pointer (&s->spoiler_text, g_free);
  g_clear_pointer (&s->language, g_free);
  g_clear_pointer (&s->text, g_free);
  g_clear_pointer (&s->idempotency_key, g_free);
  g_clear_pointer (&s->media_ids, g_free);
}

void
sim_media_clear (SimMedia *m)
{
  g_clear_pointer (&m->type, g_free);
  g_clear_pointer (&m->mime, g_free);
  g_clear_pointer (&m->file, g_free);
  g_clear_pointer (&m->description, g_free);
  g_clear_pointer (&m->blurhash, g_free);
}

void
sim_token_clear (SimToken *t)
{
  g_clear_pointer (&t->scopes, g_free);
}

static void
account_free (gpointer data)
{
  SimAccount *a = data;

  g_free (a->username);
  g_free (a->display_name);
  g_free (a->note);
  g_free (a->email);
  g_free (a);
}

static void
app_free (gpointer data)
{
  SimApp *a = data;

  g_free (a->name);
  g_free (a->website);
  g_free (a->redirect_uris);
  g_free (a->scopes);
  g_free (a->client_id);
  g_free (a->client_secret);
  g_free (a);
}

static void
check (SimWorld   *world,
       int         rc,
       const char *what)
{
  /* The schema and the SQL are ours: a failure is a bug or a broken disk,
   * and a simulator that silently lost writes would mislead the tests. */
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("civic-sim: sqlite failed (%s): %s", what, sqlite3_errmsg (world->db));
}

sqlite3_stmt *
sim_world_prepare (SimWorld   *world,
                   const char *sql)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (world->stmts, sql);

  if (stmt == NULL)
    {
      check (world, sqlite3_prepare_v3 (world->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                        &stmt, NULL), sql);
      g_hash_table_insert (world->stmts, (gpointer) sql, stmt);
    }
  else
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  return stmt;
}

void
sim_world_exec (SimWorld   *world,
                const char *sql)
{
  check (world, sqlite3_exec (world->db, sql, NULL, NULL, NULL), sql);
}

static void
step_done (SimWorld     *world,
           sqlite3_stmt *stmt)
{
  check (world, sqlite3_step (stmt), sqlite3_sql (stmt));
  sqlite3_reset (stmt);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static void
bind_id (sqlite3_stmt *stmt,
         int           index,
         gint64        id)
{
  if (id <= 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, id);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  const char *s = (const char *) sqlite3_column_text (stmt, col);

  return s != NULL ? g_strdup (s) : NULL;
}

void
sim_world_begin (SimWorld *world)
{
  if (world->tx_depth++ == 0)
    sim_world_exec (world, "BEGIN IMMEDIATE");
}

void
sim_world_commit (SimWorld *world)
{
  g_assert (world->tx_depth > 0);
  if (--world->tx_depth > 0)
    return;
  sim_world_exec (world, "COMMIT");

  /* Only now are the rows there for whoever reads them after the push. */
  if (world->pending->len > 0)
    {
      g_autoptr(GArray) events = g_steal_pointer (&world->pending);

      world->pending = g_array_new (FALSE, FALSE, sizeof (gint64) * 3);
      for (guint i = 0; i < events->len; i++)
        {
          gint64 *e = &g_array_index (events, gint64, i * 3);

          if (world->event_func != NULL)
            world->event_func ((SimEventKind) e[0], e[1], e[2], world->event_data);
        }
    }
}

static void
queue_event (SimWorld     *world,
             SimEventKind  kind,
             gint64        id,
             gint64        account_id)
{
  gint64 e[3] = { kind, id, account_id };

  g_array_append_vals (world->pending, e, 1);
}

char *
sim_world_get_meta (SimWorld   *world,
                    const char *key)
{
  sqlite3_stmt *stmt = sim_world_prepare (world, "SELECT value FROM meta WHERE key = ?1");
  char *value = NULL;

  bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

void
sim_world_set_meta (SimWorld   *world,
                    const char *key,
                    const char *value)
{
  sqlite3_stmt *stmt = sim_world_prepare (world,
                                          "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)");

  bind_text (stmt, 1, key);
  bind_text (stmt, 2, value);
  step_done (world, stmt);
}

gint64
sim_world_now_ms (SimWorld *world)
{
  return world->now_base_ms + (g_get_monotonic_time () - world->mono_start) / 1000;
}

/* Mastodon's ids: milliseconds since the epoch shifted left 16 bits, the low
 * bits a sequence. Always increasing, even if the clock was set back. */
gint64
sim_world_next_id (SimWorld *world,
                   gint64    ms)
{
  gint64 id;

  world->seq = (world->seq + 1) & 0xffff;
  id = (ms << 16) | (gint64) ((world->seq * 40503u) & 0xffff);
  if (id <= world->last_id)
    id = world->last_id + 1;
  world->last_id = id;
  return id;
}

static void
index_account (SimWorld   *world,
               SimAccount *a)
{
  g_ptr_array_add (world->accounts, a);
  g_hash_table_insert (world->by_id, &a->id, a);
  g_hash_table_insert (world->by_name, a->username, a);
  g_hash_table_insert (world->by_email, a->email, a);
  if (a->department)
    g_array_append_val (world->departments, a->id);
  else
    g_array_append_val (world->citizens, a->id);
}

static void
load_caches (SimWorld *world)
{
  sqlite3_stmt *stmt;

  stmt = sim_world_prepare (world,
                            "SELECT id, username, display_name, note, email, department,"
                            " created_at, statuses_count, last_status_at, hue"
                            " FROM accounts ORDER BY id");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SimAccount *a = g_new0 (SimAccount, 1);

      a->id = sqlite3_column_int64 (stmt, 0);
      a->username = column_dup (stmt, 1);
      a->display_name = column_dup (stmt, 2);
      a->note = column_dup (stmt, 3);
      a->email = column_dup (stmt, 4);
      a->department = sqlite3_column_int (stmt, 5);
      a->created_at = sqlite3_column_int64 (stmt, 6);
      a->statuses_count = sqlite3_column_int64 (stmt, 7);
      a->last_status_at = sqlite3_column_int64 (stmt, 8);
      a->hue = sqlite3_column_int (stmt, 9);
      index_account (world, a);
    }
  sqlite3_reset (stmt);

  stmt = sim_world_prepare (world,
                            "SELECT id, name, website, redirect_uris, scopes, client_id,"
                            " client_secret, created_at FROM apps");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SimApp *app = g_new0 (SimApp, 1);

      app->id = sqlite3_column_int64 (stmt, 0);
      app->name = column_dup (stmt, 1);
      app->website = column_dup (stmt, 2);
      app->redirect_uris = column_dup (stmt, 3);
      app->scopes = column_dup (stmt, 4);
      app->client_id = column_dup (stmt, 5);
      app->client_secret = column_dup (stmt, 6);
      app->created_at = sqlite3_column_int64 (stmt, 7);
      g_hash_table_insert (world->apps, &app->id, app);
    }
  sqlite3_reset (stmt);

  stmt = sim_world_prepare (world,
                            "SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM statuses"
                            " UNION ALL SELECT MAX(id) FROM media"
                            " UNION ALL SELECT MAX(id) FROM accounts)");
  if (sqlite3_step (stmt) == SQLITE_ROW)
    world->last_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

SimWorld *
sim_world_open (const char  *data_dir,
                gint64       now_ms,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *media_dir = NULL;
  SimWorld *world;
  int version = 0;
  sqlite3_stmt *stmt;

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Cannot create the data directory %s: %s", data_dir, g_strerror (errno));
      return NULL;
    }
  g_chmod (data_dir, 0700);
  media_dir = g_build_filename (data_dir, "media", NULL);
  g_mkdir_with_parents (media_dir, 0700);

  world = g_new0 (SimWorld, 1);
  world->data_dir = g_strdup (data_dir);
  world->stmts = g_hash_table_new_full (NULL, NULL, NULL, finalize_stmt);
  world->accounts = g_ptr_array_new_with_free_func (account_free);
  world->by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  world->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  world->by_email = g_hash_table_new (g_str_hash, g_str_equal);
  world->apps = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, app_free);
  world->departments = g_array_new (FALSE, FALSE, sizeof (gint64));
  world->citizens = g_array_new (FALSE, FALSE, sizeof (gint64));
  world->pending = g_array_new (FALSE, FALSE, sizeof (gint64) * 3);
  world->now_base_ms = now_ms;
  world->mono_start = g_get_monotonic_time ();

  path = g_build_filename (data_dir, "civic-sim.db", NULL);
  if (sqlite3_open_v2 (path, &world->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot open %s: %s",
                   path, sqlite3_errmsg (world->db));
      sim_world_free (world);
      return NULL;
    }
  g_chmod (path, 0600);
  sqlite3_busy_timeout (world->db, 5000);
  sim_world_exec (world, "PRAGMA journal_mode = WAL");
  sim_world_exec (world, "PRAGMA synchronous = NORMAL");
  sim_world_exec (world, "PRAGMA temp_store = MEMORY");
  sim_world_exec (world, "PRAGMA cache_size = -32000");

  stmt = sim_world_prepare (world, "PRAGMA user_version");
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  if (version == 0)
    {
      sim_world_begin (world);
      sim_world_exec (world, schema);
      sim_world_exec (world, "PRAGMA user_version = 1");
      sim_world_commit (world);
    }
  else if (version > SCHEMA_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s was written by a newer civic-sim (schema %d); use another --data directory",
                   path, version);
      sim_world_free (world);
      return NULL;
    }

  load_caches (world);
  return world;
}

void
sim_world_free (SimWorld *world)
{
  if (world == NULL)
    return;
  g_clear_pointer (&world->stmts, g_hash_table_unref);
  if (world->db != NULL)
    sqlite3_close (world->db);
  g_ptr_array_unref (world->accounts);
  g_hash_table_unref (world->by_id);
  g_hash_table_unref (world->by_name);
  g_hash_table_unref (world->by_email);
  g_hash_table_unref (world->apps);
  g_array_unref (world->departments);
  g_array_unref (world->citizens);
  g_array_unref (world->pending);
  g_free (world->data_dir);
  g_free (world->base_url);
  g_free (world->domain);
  g_free (world->streaming_url);
  g_free (world);
}

void
sim_world_set_urls (SimWorld   *world,
                    const char *base_url)
{
  const char *host = strstr (base_url, "://");

  g_free (world->base_url);
  g_free (world->domain);
  g_free (world->streaming_url);
  world->base_url = g_strdup (base_url);
  world->domain = g_strdup (host != NULL ? host + 3 : base_url);
  world->streaming_url = g_strdup_printf ("ws://%s", world->domain);
}

SimAccount *
sim_world_add_account (SimWorld   *world,
                       const char *username,
                       const char *display_name,
                       const char *note,
                       const char *email,
                       gboolean    department,
                       gint64      created_at,
                       guint       hue)
{
  SimAccount *a = g_new0 (SimAccount, 1);
  sqlite3_stmt *stmt;

  a->id = sim_world_next_id (world, created_at);
  a->username = g_strdup (username);
  a->display_name = g_strdup (display_name);
  a->note = g_strdup (note);
  a->email = g_strdup (email);
  a->department = department;
  /* Mastodon shows the day an account was created, at midnight. */
  a->created_at = created_at - created_at % (24 * 3600 * 1000);
  a->hue = hue;

  stmt = sim_world_prepare (world,
                            "INSERT INTO accounts (id, username, display_name, note, email,"
                            " department, created_at, hue) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  sqlite3_bind_int64 (stmt, 1, a->id);
  bind_text (stmt, 2, a->username);
  bind_text (stmt, 3, a->display_name);
  bind_text (stmt, 4, a->note);
  bind_text (stmt, 5, a->email);
  sqlite3_bind_int (stmt, 6, department);
  sqlite3_bind_int64 (stmt, 7, a->created_at);
  sqlite3_bind_int (stmt, 8, hue);
  step_done (world, stmt);

  /* Departments answer the town: they take private mentions from anyone.
   * Citizens keep Mastodon 4.3's defaults. */
  stmt = sim_world_prepare (world,
                            "INSERT INTO policies (account_id, for_not_following, for_not_followers,"
                            " for_new_accounts, for_private_mentions, for_limited_accounts, for_bots)"
                            " VALUES (?1, 'accept', 'accept', 'accept', ?2, 'filter', 'accept')");
  sqlite3_bind_int64 (stmt, 1, a->id);
  bind_text (stmt, 2, department ? "accept" : "filter");
  step_done (world, stmt);

  index_account (world, a);
  return a;
}

const SimAccount *
sim_world_account (SimWorld *world,
                   gint64    id)
{
  return g_hash_table_lookup (world->by_id, &id);
}

const SimAccount *
sim_world_account_by_name (SimWorld   *world,
                           const char *username)
{
  const SimAccount *a = g_hash_table_lookup (world->by_name, username);

  if (a == NULL)
    {
      /* Usernames are case-insensitive on Mastodon. */
      for (guint i = 0; i < world->accounts->len && a == NULL; i++)
        {
          const SimAccount *b = g_ptr_array_index (world->accounts, i);

          if (g_ascii_strcasecmp (b->username, username) == 0)
            a = b;
        }
    }
  return a;
}

const SimAccount *
sim_world_account_by_login (SimWorld   *world,
                            const char *login)
{
  const SimAccount *a = g_hash_table_lookup (world->by_email, login);

  if (a == NULL)
    a = sim_world_account_by_name (world, login[0] == '@' ? login + 1 : login);
  return a;
}

const SimAccount *
sim_world_lookup_cb (const char *username,
                     gpointer    world)
{
  return sim_world_account_by_name (world, username);
}

static char *
random_token (gsize bytes)
{
  g_autofree guchar *buf = g_malloc (bytes);
  g_autofree char *b64 = NULL;
  char *p;

  /* GRand seeded from /dev/urandom by GLib; tokens are secrets, never
   * derived from --seed. */
  for (gsize i = 0; i < bytes; i++)
    buf[i] = (guchar) g_random_int_range (0, 256);
  b64 = g_base64_encode (buf, bytes);
  for (p = b64; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        *p = '\0';
    }
  return g_steal_pointer (&b64);
}

SimApp *
sim_world_add_app (SimWorld   *world,
                   const char *name,
                   const char *website,
                   const char *redirect_uris,
                   const char *scopes)
{
  SimApp *app = g_new0 (SimApp, 1);
  sqlite3_stmt *stmt;

  app->name = g_strdup (name);
  app->website = g_strdup (website);
  app->redirect_uris = g_strdup (redirect_uris);
  app->scopes = g_strdup (scopes);
  app->client_id = random_token (32);
  app->client_secret = random_token (32);
  app->created_at = sim_world_now_ms (world);

  stmt = sim_world_prepare (world,
                            "INSERT INTO apps (name, website, redirect_uris, scopes, client_id,"
                            " client_secret, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  bind_text (stmt, 1, app->name);
  bind_text (stmt, 2, app->website);
  bind_text (stmt, 3, app->redirect_uris);
  bind_text (stmt, 4, app->scopes);
  bind_text (stmt, 5, app->client_id);
  bind_text (stmt, 6, app->client_secret);
  sqlite3_bind_int64 (stmt, 7, app->created_at);
  step_done (world, stmt);
  app->id = sqlite3_last_insert_rowid (world->db);
  g_hash_table_insert (world->apps, &app->id, app);
  return app;
}

const SimApp *
sim_world_app (SimWorld *world,
               gint64    id)
{
  return g_hash_table_lookup (world->apps, &id);
}

const SimApp *
sim_world_app_by_client (SimWorld   *world,
                         const char *client_id)
{
  GHashTableIter iter;
  gpointer value;

  if (client_id == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, world->apps);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_str_equal (((SimApp *) value)->client_id, client_id))
      return value;
  return NULL;
}

char *
sim_world_add_token (SimWorld   *world,
                     gint64      app_id,
                     gint64      account_id,
                     const char *scopes,
                     gint64     *created_at)
{
  char *token = random_token (32);
  gint64 now = sim_world_now_ms (world) / 1000;
  sqlite3_stmt *stmt;

  stmt = sim_world_prepare (world,
                            "INSERT INTO tokens (token, app_id, account_id, scopes, created_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)");
  bind_text (stmt, 1, token);
  sqlite3_bind_int64 (stmt, 2, app_id);
  bind_id (stmt, 3, account_id);
  bind_text (stmt, 4, scopes);
  sqlite3_bind_int64 (stmt, 5, now);
  step_done (world, stmt);
  if (created_at != NULL)
    *created_at = now;
  return token;
}

gboolean
sim_world_find_token (SimWorld   *world,
                      const char *token,
                      SimToken   *out)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = sim_world_prepare (world,
                            "SELECT id, app_id, account_id, scopes, created_at, revoked"
                            " FROM tokens WHERE token = ?1");
  bind_text (stmt, 1, token);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      out->id = sqlite3_column_int64 (stmt, 0);
      out->app_id = sqlite3_column_int64 (stmt, 1);
      out->account_id = sqlite3_column_int64 (stmt, 2);
      out->scopes = column_dup (stmt, 3);
      out->created_at = sqlite3_column_int64 (stmt, 4);
      out->revoked = sqlite3_column_int (stmt, 5);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}

gboolean
sim_world_revoke_token (SimWorld   *world,
                        const char *token,
                        gint64      app_id)
{
  sqlite3_stmt *stmt;

  if (app_id > 0)
    {
      stmt = sim_world_prepare (world,
                                "UPDATE tokens SET revoked = 1 WHERE token = ?1 AND app_id = ?2");
      sqlite3_bind_int64 (stmt, 2, app_id);
    }
  else
    stmt = sim_world_prepare (world, "UPDATE tokens SET revoked = 1 WHERE token = ?1");
  bind_text (stmt, 1, token);
  step_done (world, stmt);
  return sqlite3_changes (world->db) > 0;
}

char *
sim_world_ensure_token (SimWorld   *world,
                        gint64      app_id,
                        gint64      account_id,
                        const char *scopes)
{
  sqlite3_stmt *stmt;
  char *token = NULL;

  stmt = sim_world_prepare (world,
                            "SELECT token FROM tokens WHERE app_id = ?1 AND account_id = ?2"
                            " AND revoked = 0 ORDER BY id LIMIT 1");
  sqlite3_bind_int64 (stmt, 1, app_id);
  sqlite3_bind_int64 (stmt, 2, account_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    token = column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (token == NULL)
    token = sim_world_add_token (world, app_id, account_id, scopes, NULL);
  return token;
}

/* ------------------------------------------------------------------ */

static const char *
policy_for (SimWorld   *world,
            gint64      account_id,
            const char *sql)
{
  static char result[16];
  sqlite3_stmt *stmt = sim_world_prepare (world, sql);

  g_strlcpy (result, "accept", sizeof result);
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    g_strlcpy (result, (const char *) sqlite3_column_text (stmt, 0), sizeof result);
  sqlite3_reset (stmt);
  return result;
}

static int
strictness (const char *policy)
{
  return g_str_equal (policy, "drop") ? 2 : g_str_equal (policy, "filter") ? 1 : 0;
}

/* 0 accept, 1 filter, 2 drop: what the recipient's notification policy
 * does with a mention from @author. Citizens follow the departments;
 * departments follow each other. */
static int
policy_decision (SimWorld         *world,
                 const SimAccount *recipient,
                 const SimAccount *author,
                 int               visibility,
                 gint64            in_reply_to_account_id,
                 gint64            created_at)
{
  gboolean recipient_follows = author->department;
  gboolean author_follows = recipient->department;
  int worst = 0;

  if (!recipient_follows)
    worst = MAX (worst, strictness (policy_for (world, recipient->id,
      "SELECT for_not_following FROM policies WHERE account_id = ?1")));
  if (!author_follows)
    worst = MAX (worst, strictness (policy_for (world, recipient->id,
      "SELECT for_not_followers FROM policies WHERE account_id = ?1")));
  if (created_at - author->created_at < (gint64) 30 * 24 * 3600 * 1000)
    worst = MAX (worst, strictness (policy_for (world, recipient->id,
      "SELECT for_new_accounts FROM policies WHERE account_id = ?1")));
  if (visibility >= SIM_VIS_PRIVATE && in_reply_to_account_id != recipient->id && !recipient_follows)
    worst = MAX (worst, strictness (policy_for (world, recipient->id,
      "SELECT for_private_mentions FROM policies WHERE account_id = ?1")));
  if (author->bot)
    worst = MAX (worst, strictness (policy_for (world, recipient->id,
      "SELECT for_bots FROM policies WHERE account_id = ?1")));
  return worst;
}

gint64
sim_world_post (SimWorld      *world,
                const SimPost *post,
                GArray        *notifications)
{
  SimAccount *author = (SimAccount *) sim_world_account (world, post->account_id);
  SimTextInfo info = { 0 };
  gint64 created_at = post->created_at > 0 ? post->created_at : sim_world_now_ms (world);
  gint64 in_reply_to_account_id = 0;
  g_autoptr(GString) media = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  g_assert (author != NULL);
  sim_world_begin (world);

  if (post->in_reply_to_id > 0)
    {
      stmt = sim_world_prepare (world, "SELECT account_id FROM statuses WHERE id = ?1");
      sqlite3_bind_int64 (stmt, 1, post->in_reply_to_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        in_reply_to_account_id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }

  if (post->media_ids != NULL && post->media_ids->len > 0)
    {
      media = g_string_new (NULL);
      for (guint i = 0; i < post->media_ids->len; i++)
        g_string_append_printf (media, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                                g_array_index (post->media_ids, gint64, i));
    }

  id = sim_world_next_id (world, created_at);
  stmt = sim_world_prepare (world,
                            "INSERT INTO statuses (id, account_id, in_reply_to_id,"
                            " in_reply_to_account_id, visibility, sensitive, spoiler_text, language,"
                            " text, created_at, app_id, idempotency_key, via_api, media_ids)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, author->id);
  bind_id (stmt, 3, post->in_reply_to_id);
  bind_id (stmt, 4, in_reply_to_account_id);
  sqlite3_bind_int (stmt, 5, post->visibility);
  sqlite3_bind_int (stmt, 6, post->sensitive || (post->spoiler_text != NULL && *post->spoiler_text));
  bind_text (stmt, 7, post->spoiler_text != NULL ? post->spoiler_text : "");
  bind_text (stmt, 8, post->language);
  bind_text (stmt, 9, post->text != NULL ? post->text : "");
  sqlite3_bind_int64 (stmt, 10, created_at);
  bind_id (stmt, 11, post->app_id);
  bind_text (stmt, 12, post->idempotency_key);
  sqlite3_bind_int (stmt, 13, post->via_api);
  bind_text (stmt, 14, media != NULL ? media->str : NULL);
  step_done (world, stmt);

  if (media != NULL)
    {
      for (guint i = 0; i < post->media_ids->len; i++)
        {
          stmt = sim_world_prepare (world, "UPDATE media SET status_id = ?1 WHERE id = ?2");
          sqlite3_bind_int64 (stmt, 1, id);
          sqlite3_bind_int64 (stmt, 2, g_array_index (post->media_ids, gint64, i));
          step_done (world, stmt);
        }
    }

  if (post->in_reply_to_id > 0)
    {
      stmt = sim_world_prepare (world,
                                "UPDATE statuses SET replies_count = replies_count + 1 WHERE id = ?1");
      sqlite3_bind_int64 (stmt, 1, post->in_reply_to_id);
      step_done (world, stmt);
    }

  author->statuses_count++;
  author->last_status_at = created_at;
  stmt = sim_world_prepare (world,
                            "UPDATE accounts SET statuses_count = ?2, last_status_at = ?3 WHERE id = ?1");
  sqlite3_bind_int64 (stmt, 1, author->id);
  sqlite3_bind_int64 (stmt, 2, author->statuses_count);
  sqlite3_bind_int64 (stmt, 3, created_at);
  step_done (world, stmt);

  sim_render_text (post->text, world->base_url, world->domain, sim_world_lookup_cb, world,
                   NULL, &info);
  for (guint i = 0; i < info.mentions->len; i++)
    {
      const SimAccount *mentioned = g_ptr_array_index (info.mentions, i);
      int decision;

      stmt = sim_world_prepare (world,
                                "INSERT OR IGNORE INTO status_mentions (status_id, account_id)"
                                " VALUES (?1, ?2)");
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, mentioned->id);
      step_done (world, stmt);

      if (mentioned->id == author->id)
        continue;
      decision = policy_decision (world, mentioned, author, post->visibility,
                                  in_reply_to_account_id, created_at);
      if (decision == 2)
        continue;

      stmt = sim_world_prepare (world,
                                "INSERT INTO notifications (account_id, type, from_account_id,"
                                " status_id, created_at, filtered) VALUES (?1, 0, ?2, ?3, ?4, ?5)");
      sqlite3_bind_int64 (stmt, 1, mentioned->id);
      sqlite3_bind_int64 (stmt, 2, author->id);
      sqlite3_bind_int64 (stmt, 3, id);
      /* The notification is written a moment after its status. */
      sqlite3_bind_int64 (stmt, 4, created_at + 40 + (id >> 3) % 400);
      sqlite3_bind_int (stmt, 5, decision == 1);
      step_done (world, stmt);

      {
        gint64 nid = sqlite3_last_insert_rowid (world->db);

        if (notifications != NULL)
          g_array_append_val (notifications, nid);
        if (decision == 0)
          queue_event (world, SIM_EVENT_NOTIFICATION, nid, mentioned->id);
      }
    }
  queue_event (world, SIM_EVENT_STATUS, id, author->id);
  sim_text_info_clear (&info);

  sim_world_commit (world);
  return id;
}

#define STATUS_COLUMNS \
  "id, account_id, in_reply_to_id, in_reply_to_account_id, visibility, sensitive," \
  " spoiler_text, language, text, created_at, app_id, idempotency_key, via_api," \
  " replies_count, media_ids"

static void
read_status (sqlite3_stmt *stmt,
             SimStatus    *out)
{
  out->id = sqlite3_column_int64 (stmt, 0);
  out->account_id = sqlite3_column_int64 (stmt, 1);
  out->in_reply_to_id = sqlite3_column_int64 (stmt, 2);
  out->in_reply_to_account_id = sqlite3_column_int64 (stmt, 3);
  out->visibility = sqlite3_column_int (stmt, 4);
  out->sensitive = sqlite3_column_int (stmt, 5);
  out->spoiler_text = column_dup (stmt, 6);
  out->language = column_dup (stmt, 7);
  out->text = column_dup (stmt, 8);
  out->created_at = sqlite3_column_int64 (stmt, 9);
  out->app_id = sqlite3_column_int64 (stmt, 10);
  out->idempotency_key = column_dup (stmt, 11);
  out->via_api = sqlite3_column_int (stmt, 12);
  out->replies_count = sqlite3_column_int64 (stmt, 13);
  out->media_ids = column_dup (stmt, 14);
}

gboolean
sim_world_get_status (SimWorld  *world,
                      gint64     id,
                      SimStatus *out)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = sim_world_prepare (world,
                            "SELECT " STATUS_COLUMNS " FROM statuses WHERE id = ?1 AND deleted = 0");
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      read_status (stmt, out);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}

gboolean
sim_world_status_visible (SimWorld        *world,
                          const SimStatus *status,
                          gint64           viewer_id)
{
  sqlite3_stmt *stmt;
  gboolean mentioned;

  if (status->visibility <= SIM_VIS_UNLISTED || status->account_id == viewer_id)
    return TRUE;
  if (viewer_id <= 0)
    return FALSE;
  stmt = sim_world_prepare (world,
                            "SELECT 1 FROM status_mentions WHERE status_id = ?1 AND account_id = ?2");
  sqlite3_bind_int64 (stmt, 1, status->id);
  sqlite3_bind_int64 (stmt, 2, viewer_id);
  mentioned = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return mentioned;
}

gboolean
sim_world_get_notification (SimWorld        *world,
                            gint64           id,
                            SimNotification *out)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = sim_world_prepare (world,
                            "SELECT id, type, created_at, account_id, from_account_id, status_id,"
                            " filtered FROM notifications WHERE id = ?1 AND dismissed = 0");
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      out->id = sqlite3_column_int64 (stmt, 0);
      out->type = sqlite3_column_int (stmt, 1);
      out->created_at = sqlite3_column_int64 (stmt, 2);
      out->account_id = sqlite3_column_int64 (stmt, 3);
      out->from_account_id = sqlite3_column_int64 (stmt, 4);
      out->status_id = sqlite3_column_int64 (stmt, 5);
      out->filtered = sqlite3_column_int (stmt, 6);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}

gint64
sim_world_add_media (SimWorld       *world,
                     const SimMedia *media)
{
  sqlite3_stmt *stmt;
  gint64 id = sim_world_next_id (world, media->created_at);

  stmt = sim_world_prepare (world,
                            "INSERT INTO media (id, account_id, status_id, type, mime, file, scene,"
                            " description, focus_x, focus_y, width, height, blurhash, created_at,"
                            " ready_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
                            " ?13, ?14, ?15)");
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, media->account_id);
  bind_id (stmt, 3, media->status_id);
  bind_text (stmt, 4, media->type);
  bind_text (stmt, 5, media->mime);
  bind_text (stmt, 6, media->file);
  sqlite3_bind_int (stmt, 7, media->scene);
  bind_text (stmt, 8, media->description);
  sqlite3_bind_double (stmt, 9, media->focus_x);
  sqlite3_bind_double (stmt, 10, media->focus_y);
  sqlite3_bind_int (stmt, 11, media->width);
  sqlite3_bind_int (stmt, 12, media->height);
  bind_text (stmt, 13, media->blurhash);
  sqlite3_bind_int64 (stmt, 14, media->created_at);
  sqlite3_bind_int64 (stmt, 15, media->ready_at);
  step_done (world, stmt);
  return id;
}

gboolean
sim_world_get_media (SimWorld *world,
                     gint64    id,
                     SimMedia *out)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = sim_world_prepare (world,
                            "SELECT id, account_id, status_id, type, mime, file, scene, description,"
                            " focus_x, focus_y, width, height, blurhash, created_at, ready_at"
                            " FROM media WHERE id = ?1");
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      out->id = sqlite3_column_int64 (stmt, 0);
      out->account_id = sqlite3_column_int64 (stmt, 1);
      out->status_id = sqlite3_column_int64 (stmt, 2);
      out->type = column_dup (stmt, 3);
      out->mime = column_dup (stmt, 4);
      out->file = column_dup (stmt, 5);
      out->scene = sqlite3_column_int (stmt, 6);
      out->description = column_dup (stmt, 7);
      out->focus_x = sqlite3_column_double (stmt, 8);
      out->focus_y = sqlite3_column_double (stmt, 9);
      out->width = sqlite3_column_int (stmt, 10);
      out->height = sqlite3_column_int (stmt, 11);
      out->blurhash = column_dup (stmt, 12);
      out->created_at = sqlite3_column_int64 (stmt, 13);
      out->ready_at = sqlite3_column_int64 (stmt, 14);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}
