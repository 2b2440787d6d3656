/* test-store.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "civic-store.h"
#include "civic-test-util.h"

#define T0 G_GINT64_CONSTANT (1795687200000) /* 2026-11-26 10:00 UTC */
#define MINUTE (60 * 1000)

typedef struct
{
  char *dir;
  char *path;
  CivicStore *store;
  gint64 server_id;
  gint64 mayor_id;
  gint64 police_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = civic_test_mkdtemp ();
  f->path = g_build_filename (f->dir, "sub", "desk.db", NULL);
  f->store = civic_store_new (f->path, &error);
  g_assert_no_error (error);

  f->server_id = civic_store_ensure_server (f->store, "https://jun.example", &error);
  g_assert_no_error (error);
  f->mayor_id = civic_store_ensure_department (f->store, "alcaldia", "Alcaldía", "#1c71d8", 60, &error);
  g_assert_no_error (error);
  f->police_id = civic_store_ensure_department (f->store, "policia", "Policía Local", "#c01c28", 15, &error);
  g_assert_no_error (error);
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

static CivicMentionRecord
make_record (Fixture    *f,
             const char *status_id,
             const char *text,
             gint64      department_id,
             gint64      created_ms,
             guint       sla_minutes)
{
  CivicMentionRecord r = { 0 };

  r.server_id = f->server_id;
  r.status_id = status_id;
  r.notification_id = status_id;
  r.author_id = "77";
  r.author_acct = "vecino";
  r.author_name = "Vecino de Jun";
  r.created_at_ms = created_ms;
  r.content_html = text;
  r.content_text = (char *) text;
  r.visibility = "public";
  r.department_id = department_id;
  r.priority = 1;
  r.due_at_ms = created_ms + sla_minutes * MINUTE;

  return r;
}

static void
test_migrate_and_reopen (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CivicMentionRecord r = make_record (f, "1", "hola", f->mayor_id, T0, 60);

  g_assert_cmpint (civic_store_get_schema_version (f->store), ==, CIVIC_STORE_SCHEMA_VERSION);
  g_assert_true (civic_store_upsert_mention (f->store, &r, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&f->store);

  /* Re-opening runs no migration again and keeps everything. */
  f->store = civic_store_new (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (civic_store_get_schema_version (f->store), ==, CIVIC_STORE_SCHEMA_VERSION);
  g_assert_cmpint (civic_store_count_mentions (f->store), ==, 1);
  g_assert_cmpint (civic_store_lookup_department (f->store, "alcaldia"), ==, f->mayor_id);

  /* The sidebar's counts, visibility included, come from the index alone. */
  {
    sqlite3 *db = NULL;
    g_autoptr(GString) plan = g_string_new (NULL);
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db,
                                         "EXPLAIN QUERY PLAN SELECT count(*) FROM mentions m"
                                         " WHERE m.department_id = 1 AND m.state IN (0, 1)"
                                         " AND (m.visibility != 'direct' OR m.department_id IN"
                                         " (SELECT id FROM desk_direct_departments))",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    g_test_message ("%s", plan->str);
    g_assert_nonnull (strstr (plan->str, "COVERING INDEX mentions_queue_visible"));
  }
  g_assert_cmpint (civic_store_get_unsorted_department (f->store), >, 0);
}

/* A desk that ran format 1 is upgraded in place, keeping its rows. */
static void
test_migrate_from_v1 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CivicMentionRecord r = make_record (f, "1", "hola", f->mayor_id, T0, 60);
  sqlite3 *db;
  sqlite3_stmt *stmt;
  int n_objects = -1;

  g_assert_true (civic_store_upsert_mention (f->store, &r, NULL, &error));
  g_clear_object (&f->store);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP INDEX audit_reply; DROP INDEX outbox_remote_status;"
                                     "DROP INDEX mentions_stats; DROP TABLE smart_views;"
                                     "DROP VIEW desk_direct_departments; DROP TABLE desk_departments;"
                                     "DROP INDEX mentions_queue_visible;"
                                     "CREATE INDEX mentions_queue ON mentions (department_id, state, due_at);"
                                     "PRAGMA user_version = 1", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  f->store = civic_store_new (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (civic_store_get_schema_version (f->store), ==, CIVIC_STORE_SCHEMA_VERSION);
  g_assert_cmpint (civic_store_count_mentions (f->store), ==, 1);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM sqlite_schema WHERE name IN "
                                           "('audit_reply', 'outbox_remote_status', 'mentions_stats', 'smart_views')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n_objects = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpint (n_objects, ==, 4);
}

static void
test_file_mode (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *subdir = g_path_get_dirname (f->path);
  GStatBuf st;

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (subdir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
}

static void
test_upsert_idempotent (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CivicMentionRecord r = make_record (f, "113522871004512001", "farola rota", f->mayor_id, T0, 60);
  gboolean inserted = FALSE;
  guint n_inserted = 99;

  g_assert_true (civic_store_upsert_mention (f->store, &r, &inserted, &error));
  g_assert_no_error (error);
  g_assert_true (inserted);

  /* Same status again, alone and within a page. */
  g_assert_true (civic_store_upsert_mention (f->store, &r, &inserted, &error));
  g_assert_false (inserted);
  {
    CivicMentionRecord page[3] = { r, r, make_record (f, "113522871004512002", "otra", f->mayor_id, T0, 60) };

    g_assert_true (civic_store_ingest (f->store, page, 3, &n_inserted, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n_inserted, ==, 1);
  }

  g_assert_cmpint (civic_store_count_mentions (f->store), ==, 2);

  /* The same id on another server is another mention. */
  {
    gint64 other = civic_store_ensure_server (f->store, "https://otro.example", &error);
    CivicMentionRecord r2 = r;

    r2.server_id = other;
    g_assert_true (civic_store_upsert_mention (f->store, &r2, &inserted, &error));
    g_assert_true (inserted);
  }
  g_assert_cmpint (civic_store_count_mentions (f->store), ==, 3);
}

static void
test_page_rolls_back (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CivicMentionRecord page[2] = {
    make_record (f, "1", "bien", f->mayor_id, T0, 60),
    make_record (f, "2", "mal", f->mayor_id, T0, 60),
  };

  /* A point outside the earth is refused by the schema: the whole page goes. */
  page[1].has_point = TRUE;
  page[1].lat = 137.0;
  page[1].lon = 0;

  g_assert_false (civic_store_ingest (f->store, page, 2, NULL, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_assert_cmpint (civic_store_count_mentions (f->store), ==, 0);
}

static void
test_fts (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) hits = NULL;
  CivicMentionRecord page[3] = {
    make_record (f, "1", "La Limpiéza de la calle Real está pendiente", f->mayor_id, T0, 60),
    make_record (f, "2", "Farola rota en la plaza", f->mayor_id, T0, 60),
    make_record (f, "3", "Ruido de motos por la noche", f->police_id, T0, 15),
  };

  g_assert_true (civic_store_ingest (f->store, page, 3, NULL, &error));
  g_assert_no_error (error);

  /* Accent- and case-insensitive, prefix matching. */
  hits = civic_store_search (f->store, "limpieza", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_array_unref);

  hits = civic_store_search (f->store, "FAROL", 0, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_array_unref);

  /* Several words must all match. */
  hits = civic_store_search (f->store, "calle plaza", 0, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_array_unref);

  /* FTS syntax typed by a person is just text. */
  hits = civic_store_search (f->store, "ruido\" OR NEAR(*", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_array_unref);

  hits = civic_store_search (f->store, "  ", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_array_unref);

  /* Authors are indexed too. */
  hits = civic_store_search (f->store, "vecino", 0, &error);
  g_assert_cmpuint (hits->len, ==, 3);
}

static void
test_queue_order_and_counts (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) mentions = NULL;
  g_autoptr(GPtrArray) departments = NULL;
  gint64 now = T0 + 90 * MINUTE;
  CivicMentionRecord page[4] = {
    make_record (f, "old-overdue", "a", f->mayor_id, T0, 60),               /* due T0+60: overdue */
    make_record (f, "recent", "b", f->mayor_id, T0 + 80 * MINUTE, 60),     /* due later */
    make_record (f, "recent-urgent", "c", f->mayor_id, T0 + 85 * MINUTE, 60),
    make_record (f, "police", "d", f->police_id, T0, 15),                  /* overdue, other dept */
  };
  guint open_count, overdue_count;

  page[2].priority = 3;
  g_assert_true (civic_store_ingest (f->store, page, 4, NULL, &error));
  g_assert_no_error (error);

  ids = civic_store_list_queue_ids (f->store, f->mayor_id, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 3);

  mentions = civic_store_load_mentions (f->store, (gint64 *) ids->data, ids->len, &error);
  g_assert_no_error (error);
  /* Overdue first, then priority, then oldest. */
  g_assert_cmpstr (civic_mention_get_status_id (g_ptr_array_index (mentions, 0)), ==, "old-overdue");
  g_assert_cmpstr (civic_mention_get_status_id (g_ptr_array_index (mentions, 1)), ==, "recent-urgent");
  g_assert_cmpstr (civic_mention_get_status_id (g_ptr_array_index (mentions, 2)), ==, "recent");
  g_assert_true (civic_mention_is_overdue (g_ptr_array_index (mentions, 0), now));
  g_assert_false (civic_mention_is_overdue (g_ptr_array_index (mentions, 2), now));

  g_assert_true (civic_store_count_department (f->store, f->mayor_id, now, &open_count, &overdue_count, &error));
  g_assert_cmpuint (open_count, ==, 3);
  g_assert_cmpuint (overdue_count, ==, 1);

  departments = civic_store_list_departments (f->store, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (departments->len, ==, 3); /* unsorted, alcaldía, policía */
  for (guint i = 0; i < departments->len; i++)
    {
      CivicDepartment *d = g_ptr_array_index (departments, i);

      if (g_str_equal (civic_department_get_slug (d), "policia"))
        {
          g_assert_cmpuint (civic_department_get_open_count (d), ==, 1);
          g_assert_cmpuint (civic_department_get_overdue_count (d), ==, 1);
          g_assert_cmpuint (civic_department_get_sla_minutes (d), ==, 15);
        }
    }
}

static void
test_unrouted_goes_to_unsorted (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicMention) m = NULL;
  CivicMentionRecord r = make_record (f, "x", "¿a quién le pregunto?", 0, T0, 60);
  g_autoptr(GArray) ids = NULL;

  g_assert_true (civic_store_upsert_mention (f->store, &r, NULL, &error));
  ids = civic_store_list_queue_ids (f->store, civic_store_get_unsorted_department (f->store), T0, &error);
  g_assert_cmpuint (ids->len, ==, 1);

  m = civic_store_load_mention (f->store, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (civic_mention_get_text (m), ==, "¿a quién le pregunto?");
  g_assert_cmpint (civic_mention_get_state (m), ==, CIVIC_MENTION_STATE_NEW);
}

static void
on_changed (CivicStore *store,
            guint      *count)
{
  (*count)++;
}

static void
test_changed_signal (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CivicMentionRecord page[3] = {
    make_record (f, "1", "a", f->mayor_id, T0, 60),
    make_record (f, "2", "b", f->mayor_id, T0, 60),
    make_record (f, "3", "c", f->mayor_id, T0, 60),
  };
  guint count = 0;
  guint64 generation = civic_store_get_generation (f->store);

  g_signal_connect (f->store, "changed", G_CALLBACK (on_changed), &count);

  /* One signal per committed page, none for a page of repeats. */
  g_assert_true (civic_store_ingest (f->store, page, 3, NULL, &error));
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpuint (civic_store_get_generation (f->store), ==, generation + 1);
  g_assert_true (civic_store_ingest (f->store, page, 3, NULL, &error));
  g_assert_cmpuint (count, ==, 1);
}

static void
test_corrupt_file (void)
{
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "corrupt.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStore) store = NULL;
  char garbage[8192];

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (char) (i * 37 + 11);
  g_assert_true (g_file_set_contents (path, garbage, sizeof garbage, NULL));

  store = civic_store_new (path, &error);
  g_assert_null (store);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_CORRUPT);
  g_assert_true (strstr (error->message, "damaged") != NULL);

  civic_test_rmdir (dir);
}

static void
test_too_new (void)
{
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "new.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStore) store = NULL;
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 999", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = civic_store_new (path, &error);
  g_assert_null (store);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_TOO_NEW);

  civic_test_rmdir (dir);
}

static void
test_unwritable_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStore) store = NULL;

  /* /proc refuses new directories even to root. */
  store = civic_store_new ("/proc/civic-desk/desk.db", &error);
  g_assert_null (store);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_OPEN);
}

static void
test_memory_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStore) store = civic_store_new (":memory:", &error);

  g_assert_no_error (error);
  g_assert_cmpint (civic_store_count_mentions (store), ==, 0);
  g_assert_cmpint (civic_store_get_unsorted_department (store), >, 0);
}

static void
test_default_path_honours_xdg (void)
{
  g_autofree char *path = civic_store_dup_default_path ();

  g_assert_true (g_str_has_prefix (path, g_get_user_data_dir ()));
  g_assert_true (g_str_has_suffix (path, "civic-desk/civic-desk.db"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store/migrate-and-reopen", test_migrate_and_reopen);
  ADD ("/store/migrate-from-v1", test_migrate_from_v1);
  ADD ("/store/file-mode", test_file_mode);
  ADD ("/store/upsert-idempotent", test_upsert_idempotent);
  ADD ("/store/page-rolls-back", test_page_rolls_back);
  ADD ("/store/fts", test_fts);
  ADD ("/store/queue-order-and-counts", test_queue_order_and_counts);
  ADD ("/store/unrouted-goes-to-unsorted", test_unrouted_goes_to_unsorted);
  ADD ("/store/changed-signal", test_changed_signal);

#undef ADD

  g_test_add_func ("/store/corrupt-file", test_corrupt_file);
  g_test_add_func ("/store/too-new", test_too_new);
  g_test_add_func ("/store/unwritable-dir", test_unwritable_dir);
  g_test_add_func ("/store/memory", test_memory_store);
  g_test_add_func ("/store/default-path-honours-xdg", test_default_path_honours_xdg);

  return g_test_run ();
}
