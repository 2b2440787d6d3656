/* test-privacy.c
 *
 * What the desk keeps about citizens and who may see it: private files,
 * direct mentions only on the desks that serve their department, and
 * closed mentions purged after the retention period.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "civic-desk-profile.h"
#include "civic-queue-filter.h"
#include "civic-retention.h"
#include "civic-store-geo.h"
#include "civic-store-private.h"
#include "civic-test-util.h"
#include "civic-workflow.h"

#define T0 G_GINT64_CONSTANT (1795687200000) /* 2026-11-26 10:00 UTC */
#define MINUTE (60 * 1000)
#define DAY (24 * 60 * (gint64) MINUTE)

typedef struct
{
  char *dir;
  char *path;
  CivicStore *store;
  gint64 server_id;
  gint64 health_id;       /* bound: this desk holds salud's account */
  gint64 police_id;       /* bound */
  gint64 sanitation_id;   /* not bound: another desk's */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const struct { const char *slug; gint64 *id; gboolean bound; } departments[] = {
    { "salud", &f->health_id, TRUE },
    { "policia", &f->police_id, TRUE },
    { "limpieza", &f->sanitation_id, FALSE },
  };

  f->dir = civic_test_mkdtemp ();
  f->path = g_build_filename (f->dir, "desk.db", NULL);
  f->store = civic_store_new (f->path, &error);
  g_assert_no_error (error);
  f->server_id = civic_store_ensure_server (f->store, "https://jun.example", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (departments); i++)
    {
      *departments[i].id = civic_store_ensure_department (f->store, departments[i].slug, departments[i].slug,
                                                          NULL, 60, &error);
      g_assert_no_error (error);
      if (departments[i].bound)
        {
          gint64 account = civic_store_ensure_account (f->store, f->server_id, departments[i].slug,
                                                       NULL, NULL, &error);

          g_assert_no_error (error);
          g_assert_true (civic_store_bind_department (f->store, *departments[i].id, account, &error));
          g_assert_no_error (error);
        }
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  civic_test_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static gint64
add (Fixture    *f,
     const char *status_id,
     const char *visibility,
     gint64      department,
     const char *text,
     gint64      created_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) media = g_ptr_array_new ();
  CivicMediaAttachment photo = { .id = (char *) "m1", .type = (char *) "image",
                                 .url = (char *) "https://jun.example/m1.jpg" };
  CivicMentionRecord r = { 0 };
  gint64 id = 0;

  g_ptr_array_add (media, &photo);
  r.server_id = f->server_id;
  r.status_id = status_id;
  r.author_acct = "vecina";
  r.author_name = "Vecina";
  r.created_at_ms = created_ms;
  r.content_text = (char *) text;
  r.visibility = visibility;
  r.department_id = department;
  r.priority = 1;
  r.due_at_ms = created_ms + 60 * MINUTE;
  r.has_point = TRUE;
  r.lat = 37.2203;
  r.lon = -3.5951;
  r.geo_source = "text";
  r.media = media;
  g_assert_true (civic_store_upsert_mention_full (f->store, &r, NULL, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static gboolean
contains (GArray *ids,
          gint64  id)
{
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

static guint
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

/* The database, its WAL and shared-memory files are the user's alone,
 * in a folder only the user may list, whatever the umask; a file made
 * readable by something else is closed again. */
static void
test_file_modes (void)
{
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autofree char *data = g_build_filename (dir, "data", "civic-desk", NULL);
  g_autofree char *path = g_build_filename (data, "civic-desk.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStore) store = NULL;
  mode_t old_umask = umask (0);

  store = civic_store_new (path, &error);
  g_assert_no_error (error);
  civic_store_ensure_server (store, "https://jun.example", &error);
  g_assert_no_error (error);

  g_assert_cmpuint (mode_of (data), ==, 0700);
  g_assert_cmpuint (mode_of (path), ==, 0600);
  g_assert_cmpuint (mode_of (wal), ==, 0600);
  g_assert_cmpuint (mode_of (shm), ==, 0600);
  g_clear_object (&store);

  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  store = civic_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mode_of (path), ==, 0600);

  umask (old_umask);
  g_clear_object (&store);
  civic_test_rmdir (dir);
}

static void
test_direct_only_where_served (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicQueueFilter) filter = civic_queue_filter_new ();
  g_autoptr(GArray) queue = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) found = NULL;
  g_autoptr(GArray) points = NULL;
  g_auto(GStrv) served = NULL;
  const char *only_police[] = { "policia", NULL };
  const char *unknown[] = { "policia", "bomberos", NULL };
  gint64 health_direct = add (f, "1", "direct", f->health_id, "Cita para Juan, DNI 12345678Z", T0);
  gint64 health_public = add (f, "2", "public", f->health_id, "Horario del centro de salud", T0);
  gint64 police_direct = add (f, "3", "direct", f->police_id, "Me robaron la cartera", T0);
  gint64 sanitation_direct = add (f, "4", "direct", f->sanitation_id, "Contenedor, llamad al 600123123", T0);
  gint64 sanitation_public = add (f, "5", "public", f->sanitation_id, "Contenedor lleno", T0);
  guint open_count = 0;

  /* No profile: every department whose account this desk holds. */
  g_assert_true (civic_store_shows_direct (f->store, f->health_id));
  g_assert_true (civic_store_shows_direct (f->store, f->police_id));
  g_assert_false (civic_store_shows_direct (f->store, f->sanitation_id));

  queue = civic_store_list_queue_ids (f->store, f->sanitation_id, T0, &error);
  g_assert_no_error (error);
  g_assert_true (contains (queue, sanitation_public));
  g_assert_false (contains (queue, sanitation_direct));
  g_assert_true (civic_store_count_department (f->store, f->sanitation_id, T0, &open_count, NULL, &error));
  g_assert_cmpuint (open_count, ==, 1);

  all = civic_store_list_queue_ids_filtered (f->store, filter, T0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 4);
  g_assert_true (contains (all, health_direct) && contains (all, police_direct));
  g_assert_false (contains (all, sanitation_direct));

  found = civic_store_search (f->store, "contenedor", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_true (contains (found, sanitation_public));

  points = civic_store_list_map_points (f->store, filter, T0, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, ==, 4);

  /* A police desk that also holds salud's account, but serves police only. */
  g_assert_true (civic_store_set_served_departments (f->store, only_police, &error));
  g_assert_no_error (error);
  served = civic_store_dup_served_departments (f->store, &error);
  g_assert_cmpuint (g_strv_length (served), ==, 1);
  g_assert_cmpstr (served[0], ==, "policia");
  g_assert_false (civic_store_shows_direct (f->store, f->health_id));
  g_clear_pointer (&all, g_array_unref);
  all = civic_store_list_queue_ids_filtered (f->store, filter, T0, &error);
  g_assert_true (contains (all, police_direct) && contains (all, health_public));
  g_assert_false (contains (all, health_direct));
  g_clear_pointer (&found, g_array_unref);
  found = civic_store_search (f->store, "DNI", 0, &error);
  g_assert_cmpuint (found->len, ==, 0);

  /* An unknown slug changes nothing. */
  g_assert_false (civic_store_set_served_departments (f->store, unknown, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (civic_store_shows_direct (f->store, f->police_id));
  g_assert_false (civic_store_shows_direct (f->store, f->health_id));

  /* The profile is kept in the store. */
  g_clear_object (&f->store);
  f->store = civic_store_new (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (civic_store_shows_direct (f->store, f->health_id));

  g_assert_true (civic_store_set_served_departments (f->store, NULL, &error));
  g_assert_true (civic_store_shows_direct (f->store, f->health_id));
}

static gboolean
count_place_cb (const CivicPlace *place,
                gpointer          user_data)
{
  GPtrArray *visibilities = user_data;

  g_ptr_array_add (visibilities, g_strdup (place->visibility));
  return TRUE;
}

/* Exports leave direct mentions out unless asked, and even then only the
 * ones this desk may see. */
static void
test_export_direct (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) without = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) with = g_ptr_array_new_with_free_func (g_free);
  guint n_direct = 0;

  add (f, "1", "direct", f->health_id, "Cita", T0);
  add (f, "2", "public", f->health_id, "Horario", T0);
  add (f, "3", "direct", f->sanitation_id, "Contenedor", T0);

  g_assert_true (civic_store_foreach_place (f->store, FALSE, count_place_cb, without, &error));
  g_assert_cmpuint (without->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (without, 0), ==, "public");

  g_assert_true (civic_store_foreach_place (f->store, TRUE, count_place_cb, with, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (with->len, ==, 2);
  for (guint i = 0; i < with->len; i++)
    n_direct += g_str_equal (g_ptr_array_index (with, i), "direct");
  g_assert_cmpuint (n_direct, ==, 1);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (_civic_store_get_db (f->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
add_outbox (Fixture    *f,
            gint64      mention_id,
            const char *key,
            const char *state)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_civic_store_get_db (f->store),
                                       "INSERT INTO outbox (mention_id, account_id, idempotency_key, body, state, created_at)"
                                       " VALUES (?1, (SELECT min(id) FROM accounts), ?2, 'Le esperamos el lunes', ?3, 0)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, mention_id);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, state, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

static void
test_retention_purge (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) found = NULL;
  gint64 old_closed = add (f, "1", "direct", f->health_id, "Resultado de analítica de Rosa", T0 - 400 * DAY);
  gint64 old_answered = add (f, "2", "public", f->health_id, "Analítica pendiente", T0 - 400 * DAY);
  gint64 recent_closed = add (f, "3", "public", f->police_id, "Analítica del perro", T0 - 10 * DAY);
  gint64 old_closed_pending = add (f, "4", "public", f->police_id, "Farola", T0 - 500 * DAY);
  guint n_purged = 99;

  g_assert_true (civic_workflow_add_note (f->store, old_closed, "Ana", "mostrador", "Llamar a Rosa", T0 - 399 * DAY, &error) > 0);
  g_assert_true (civic_workflow_close (f->store, old_closed, "Ana", "mostrador", T0 - 399 * DAY, &error));
  g_assert_true (civic_workflow_mark_answered (f->store, old_answered, "9", "Ana", "mostrador", T0 - 399 * DAY, &error));
  g_assert_true (civic_workflow_close (f->store, recent_closed, "Ana", "mostrador", T0 - 9 * DAY, &error));
  g_assert_true (civic_workflow_close (f->store, old_closed_pending, "Ana", "mostrador", T0 - 499 * DAY, &error));
  g_assert_no_error (error);
  add_outbox (f, old_closed, "k1", "sent");
  add_outbox (f, old_closed_pending, "k2", "pending");
  g_assert_cmpint (count (f, "SELECT count(*) FROM media"), ==, 4);

  g_assert_true (civic_retention_purge (f->store, 365, T0, &n_purged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_purged, ==, 2);

  /* Closed long ago: gone, with photos, notes, sent reply and index words. */
  g_assert_cmpint (civic_store_count_mentions (f->store), ==, 2);
  g_assert_null (civic_store_load_mention (f->store, old_closed, &error));
  g_clear_error (&error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM media"), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM notes"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox WHERE idempotency_key = 'k1'"), ==, 0);
  /* An unsent reply is never lost; it just loses its mention. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox WHERE idempotency_key = 'k2' AND mention_id IS NULL"), ==, 1);
  /* The audit trail stays, unlinked. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM audit WHERE mention_id IS NULL AND action = 'close'"), >=, 2);
  found = civic_store_search (f->store, "analitica", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_false (contains (found, old_closed));
  g_assert_cmpint (count (f, "SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH 'rosa'"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH 'perro'"), ==, 1);
  /* The index is whole (FTS5's own check). */
  g_assert_cmpint (sqlite3_exec (_civic_store_get_db (f->store),
                                 "INSERT INTO mentions_fts (mentions_fts, rank) VALUES ('integrity-check', 1)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  /* Nothing more to do: a second run purges nothing. */
  g_assert_true (civic_retention_purge (f->store, 365, T0, &n_purged, &error));
  g_assert_cmpuint (n_purged, ==, 0);
  /* A shorter period takes the recent one too. */
  g_assert_true (civic_retention_purge (f->store, 5, T0, &n_purged, &error));
  g_assert_cmpuint (n_purged, ==, 1);
  g_assert_cmpint (civic_store_count_mentions (f->store), ==, 1);
}

/* More than one batch, and the words of purged text are gone from the
 * file itself (secure_delete), not only from the tables. */
static void
test_retention_many (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  guint n_purged = 0;
  const char *secret = "Xq7secretdiagnosis";

  g_assert_true (civic_store_begin (f->store, &error));
  for (guint i = 0; i < 700; i++)
    {
      g_autofree char *status_id = g_strdup_printf ("%u", 1000 + i);
      g_autofree char *text = g_strdup_printf ("%s número %u", secret, i);
      gint64 id = add (f, status_id, "direct", f->health_id, text, T0 - 800 * DAY);

      g_assert_true (civic_workflow_close (f->store, id, "Ana", "mostrador", T0 - 700 * DAY, &error));
    }
  g_assert_true (civic_store_commit (f->store, &error));
  g_assert_no_error (error);

  g_assert_true (civic_retention_purge (f->store, 365, T0, &n_purged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_purged, ==, 700);
  g_assert_cmpint (civic_store_count_mentions (f->store), ==, 0);

  g_clear_object (&f->store);
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  g_assert_null (g_strstr_len (contents, length, secret));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/privacy/file-modes", test_file_modes);
  g_test_add ("/privacy/direct-only-where-served", Fixture, NULL, fixture_set_up,
              test_direct_only_where_served, fixture_tear_down);
  g_test_add ("/privacy/export-direct", Fixture, NULL, fixture_set_up,
              test_export_direct, fixture_tear_down);
  g_test_add ("/privacy/retention-purge", Fixture, NULL, fixture_set_up,
              test_retention_purge, fixture_tear_down);
  g_test_add ("/privacy/retention-many", Fixture, NULL, fixture_set_up,
              test_retention_many, fixture_tear_down);

  return g_test_run ();
}
