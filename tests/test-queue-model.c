/* test-queue-model.c
 *
 * The queue's list model tells its list exactly how it changed: a list
 * that follows its ::items-changed signals holds the same rows as the
 * model afterwards, and mentions arriving or leaving here and there are
 * told as small insertions and removals, not as the whole queue replaced
 * (which made the list rebind every row during a backfill).
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-queue-model.h"
#include "civic-store-private.h"
#include "civic-workflow.h"
#include "civic-test-util.h"

#define T0 G_GINT64_CONSTANT (1795687200000) /* 2026-11-26 10:00 UTC */
#define MINUTE (60 * 1000)
#define N_FIRST 300

typedef struct
{
  char *dir;
  CivicStore *store;
  CivicContext *context;
  CivicQueueModel *model;
  GArray *shadow;        /* gint64: what a list following the signals holds */
  guint largest_removal; /* the most rows one signal took away */
  guint n_signals;
  gint64 server;
  gint64 department;
} Fixture;

static gint64
add (Fixture *f,
     guint    n,
     gint64   created_ms)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *status_id = g_strdup_printf ("%u", n);
  CivicMentionRecord r = { 0 };
  gint64 id = 0;

  r.server_id = f->server;
  r.status_id = status_id;
  r.author_acct = "vecina";
  r.created_at_ms = created_ms;
  r.content_text = (char *) "Contenedor lleno en la calle Real";
  r.department_id = f->department;
  r.priority = 1;
  r.due_at_ms = created_ms + 24 * 60 * MINUTE;
  g_assert_true (civic_store_upsert_mention_full (f->store, &r, NULL, &id, &error));
  g_assert_no_error (error);

  return id;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  g_assert_cmpuint (position + removed, <=, f->shadow->len);
  g_array_remove_range (f->shadow, position, removed);
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(CivicMention) mention = g_list_model_get_item (model, position + i);
      gint64 id;

      /* The model is whole at every signal: the new row is there. */
      g_assert_nonnull (mention);
      id = civic_mention_get_id (mention);
      g_array_insert_val (f->shadow, position + i, id);
    }

  f->largest_removal = MAX (f->largest_removal, removed);
  f->n_signals++;
}

static void
assert_shadow_matches (Fixture *f)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (f->model));

  g_assert_cmpuint (f->shadow->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (g_array_index (f->shadow, gint64, i), ==, civic_queue_model_get_id (f->model, i));
}

typedef struct
{
  CivicQueueModel *model;
  guint n;
} CountWait;

static gboolean
count_is (gpointer user_data)
{
  CountWait *wait = user_data;

  return g_list_model_get_n_items (G_LIST_MODEL (wait->model)) == wait->n;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicClock) clock = civic_clock_new_fixed (T0);
  CountWait wait;

  f->dir = civic_test_mkdtemp ();
  path = g_build_filename (f->dir, "desk.db", NULL);
  f->store = civic_store_new (path, &error);
  g_assert_no_error (error);
  f->server = civic_store_ensure_server (f->store, "https://jun.example", &error);
  f->department = civic_store_ensure_department (f->store, "limpieza", "Limpieza", NULL, 24 * 60, &error);
  g_assert_no_error (error);

  /* Every other minute over the last ten hours: room in between. */
  g_assert_true (civic_store_begin (f->store, &error));
  for (guint i = 0; i < N_FIRST; i++)
    add (f, i, T0 - 600 * MINUTE + 2 * i * MINUTE);
  g_assert_true (civic_store_commit (f->store, &error));
  g_assert_no_error (error);

  f->context = civic_context_new (f->store, clock);
  f->model = civic_queue_model_new (f->context);
  civic_queue_model_set_department (f->model, f->department);
  wait = (CountWait) { f->model, N_FIRST };
  g_assert_true (civic_test_spin_until (count_is, &wait, 5000));

  f->shadow = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < N_FIRST; i++)
    {
      gint64 id = civic_queue_model_get_id (f->model, i);

      g_array_append_val (f->shadow, id);
    }
  g_signal_connect (f->model, "items-changed", G_CALLBACK (items_changed_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->model);
  g_clear_object (&f->context);
  g_clear_object (&f->store);
  g_clear_pointer (&f->shadow, g_array_unref);
  civic_test_rmdir (f->dir);
  g_free (f->dir);
}

/* A page of a backfill lands between the rows, some are answered: small
 * signals, and the list ends with the model's rows. */
static void
test_scattered_changes (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CountWait wait = { f->model, N_FIRST + 40 - 10 };

  g_assert_true (civic_store_begin (f->store, &error));
  for (guint i = 0; i < 40; i++)
    add (f, 1000 + i, T0 - 600 * MINUTE + (14 * i + 1) * MINUTE);
  g_assert_true (civic_store_commit (f->store, &error));
  for (guint i = 0; i < 10; i++)
    g_assert_true (civic_workflow_close (f->store, civic_queue_model_get_id (f->model, 25 * i + 3),
                                         "Ana", "mostrador", T0, &error));
  g_assert_no_error (error);

  g_assert_true (civic_test_spin_until (count_is, &wait, 5000));
  assert_shadow_matches (f);
  g_test_message ("%u signals, at most %u rows removed at once", f->n_signals, f->largest_removal);
  g_assert_cmpuint (f->largest_removal, <=, 10);
}

/* A change of order (a mention made urgent) still leaves the list right. */
static void
test_reorder (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 last = civic_queue_model_get_id (f->model, N_FIRST - 1);
  CountWait wait = { f->model, N_FIRST + 1 };

  g_autofree char *sql = g_strdup_printf ("UPDATE mentions SET priority = %d WHERE id = %" G_GINT64_FORMAT,
                                          CIVIC_PRIORITY_URGENT, last);

  g_assert_true (_civic_store_exec (f->store, sql, &error));
  g_assert_no_error (error);
  add (f, 5000, T0 - 599 * MINUTE);

  g_assert_true (civic_test_spin_until (count_is, &wait, 5000));
  assert_shadow_matches (f);
  g_assert_cmpint (civic_queue_model_get_id (f->model, 0), ==, last);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/queue-model/scattered-changes", Fixture, NULL, fixture_set_up, test_scattered_changes, fixture_tear_down);
  g_test_add ("/queue-model/reorder", Fixture, NULL, fixture_set_up, test_reorder, fixture_tear_down);

  return g_test_run ();
}
