/* test-retention-timer.c
 *
 * The running desk's own purge: closed mentions older than the retention
 * period go shortly after start and then at every interval, on a store in
 * a file (a worker thread on a second connection) and on one in memory
 * (the main thread); recent closed mentions and open ones stay.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-retention-timer.h"
#include "civic-test-util.h"
#include "civic-workflow.h"

#define T0 G_GINT64_CONSTANT (1795687200000) /* 2026-11-26 10:00 UTC */
#define MINUTE (60 * 1000)
#define DAY (24 * 60 * (gint64) MINUTE)
#define N_OLD 300 /* more than one of the purge's batches */

typedef struct
{
  char *dir;
  CivicStore *store;
  CivicClock *clock;
  CivicContext *context;
  gint64 server_id;
  gint64 police_id;
  guint n_changed;   /* the main store's ::changed */
  guint n_runs;      /* ::purged */
  guint n_purged;    /* of the last run */
} Fixture;

static void
store_changed_cb (CivicStore *store,
                  Fixture    *f)
{
  f->n_changed++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  gboolean in_memory = GPOINTER_TO_INT (data);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = civic_test_mkdtemp ();
  path = in_memory ? g_strdup (":memory:") : g_build_filename (f->dir, "desk.db", NULL);
  f->store = civic_store_new (path, &error);
  g_assert_no_error (error);
  f->server_id = civic_store_ensure_server (f->store, "https://jun.example", &error);
  f->police_id = civic_store_ensure_department (f->store, "policia", "Policía Local", NULL, 60, &error);
  g_assert_no_error (error);
  f->clock = civic_clock_new_fixed (T0);
  f->context = civic_context_new (f->store, f->clock);
  g_signal_connect (f->store, "changed", G_CALLBACK (store_changed_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->store, f);
  g_clear_object (&f->context);
  g_clear_object (&f->clock);
  g_clear_object (&f->store);
  civic_test_rmdir (f->dir);
  g_free (f->dir);
}

/* A mention created at @created_ms, closed at @closed_ms (0: left open). */
static gint64
add (Fixture    *f,
     const char *status_id,
     gint64      created_ms,
     gint64      closed_ms)
{
  g_autoptr(GError) error = NULL;
  CivicMentionRecord r = { 0 };
  gint64 id = 0;

  r.server_id = f->server_id;
  r.status_id = status_id;
  r.author_acct = "vecina";
  r.author_name = "Vecina";
  r.created_at_ms = created_ms;
  r.content_text = (char *) "La farola de la plaza sigue apagada";
  r.visibility = "public";
  r.department_id = f->police_id;
  r.priority = 1;
  r.due_at_ms = created_ms + 60 * MINUTE;
  g_assert_true (civic_store_upsert_mention_full (f->store, &r, NULL, &id, &error));
  g_assert_no_error (error);
  if (closed_ms != 0)
    {
      g_assert_true (civic_workflow_close (f->store, id, "Ana", "mostrador", closed_ms, &error));
      g_assert_no_error (error);
    }

  return id;
}

static void
add_old_closed (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (civic_store_begin (f->store, &error));
  for (guint i = 0; i < N_OLD; i++)
    {
      g_autofree char *status_id = g_strdup_printf ("%u", 1000 + i);

      add (f, status_id, T0 - 500 * DAY, T0 - 400 * DAY);
    }
  g_assert_true (civic_store_commit (f->store, &error));
  g_assert_no_error (error);
}

static void
purged_cb (CivicRetentionTimer *timer,
           guint                n_purged,
           Fixture             *f)
{
  f->n_runs++;
  f->n_purged = n_purged;
}

static void
failed_cb (CivicRetentionTimer *timer,
           GError              *error,
           Fixture             *f)
{
  g_error ("The purge failed: %s", error->message);
}

static CivicRetentionTimer *
new_timer (Fixture *f)
{
  CivicRetentionTimer *timer = civic_retention_timer_new (f->context);

  g_signal_connect (timer, "purged", G_CALLBACK (purged_cb), f);
  g_signal_connect (timer, "failed", G_CALLBACK (failed_cb), f);
  return timer;
}

typedef struct
{
  Fixture *f;
  guint runs;
} RunsWait;

static gboolean
runs_reached (gpointer user_data)
{
  RunsWait *wait = user_data;

  return wait->f->n_runs >= wait->runs;
}

static void
wait_for_runs (Fixture *f,
               guint    runs)
{
  RunsWait wait = { f, runs };

  g_assert_true (civic_test_spin_until (runs_reached, &wait, 20000));
}

static gboolean
never (gpointer user_data)
{
  return FALSE;
}

static gboolean
mention_exists (Fixture *f,
                gint64   id)
{
  g_autoptr(CivicMention) mention = civic_store_load_mention (f->store, id, NULL);

  return mention != NULL;
}

/* Shortly after start, then at every interval, with the clock of the
 * context and the days of the moment. */
static void
test_timer_purges (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CivicRetentionTimer) timer = new_timer (f);
  gint64 recent_closed, old_open, first;

  add_old_closed (f);
  first = civic_store_find_mention (f->store, f->server_id, "1000");
  recent_closed = add (f, "1", T0 - 12 * DAY, T0 - 10 * DAY);
  old_open = add (f, "2", T0 - 500 * DAY, 0);
  g_assert_cmpint (civic_store_count_mentions (f->store), ==, N_OLD + 2);

  g_assert_cmpuint (civic_retention_timer_get_days (timer), ==, 365);
  civic_retention_timer_set_interval_seconds (timer, 1);
  civic_retention_timer_start (timer);

  /* Not now: at idle, after what the main loop has to do first. */
  g_assert_cmpuint (f->n_runs, ==, 0);
  g_assert_true (mention_exists (f, first));

  f->n_changed = 0;
  wait_for_runs (f, 1);
  g_assert_cmpuint (f->n_purged, ==, N_OLD);
  g_assert_cmpint (civic_store_count_mentions (f->store), ==, 2);
  g_assert_false (mention_exists (f, first));
  g_assert_true (mention_exists (f, recent_closed));
  g_assert_true (mention_exists (f, old_open));
  /* Lists re-read at once, whichever connection deleted. */
  g_assert_cmpuint (f->n_changed, >, 0);
  g_assert_false (civic_retention_timer_is_purging (timer));

  /* A year on, the recent one is old too; the open one never goes. */
  civic_clock_advance (f->clock, 360 * DAY);
  wait_for_runs (f, 2);
  g_assert_cmpuint (f->n_purged, ==, 1);
  g_assert_false (mention_exists (f, recent_closed));
  g_assert_true (mention_exists (f, old_open));

  /* The days are read at each run: a shorter period applies at the next. */
  civic_clock_set_now_ms (f->clock, T0);
  recent_closed = add (f, "3", T0 - 12 * DAY, T0 - 10 * DAY);
  g_object_set (timer, "days", 5, NULL);
  wait_for_runs (f, 3);
  g_assert_cmpuint (f->n_purged, ==, 1);
  g_assert_false (mention_exists (f, recent_closed));
  g_assert_cmpint (civic_store_count_mentions (f->store), ==, 1);

  civic_retention_timer_stop (timer);
}

/* Stopped before its first run, it deletes nothing; started again, it runs. */
static void
test_timer_stop (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CivicRetentionTimer) timer = new_timer (f);

  add_old_closed (f);
  civic_retention_timer_start (timer);
  civic_retention_timer_stop (timer);
  civic_test_spin_until (never, NULL, 200);
  g_assert_cmpuint (f->n_runs, ==, 0);
  g_assert_cmpint (civic_store_count_mentions (f->store), ==, N_OLD);

  civic_retention_timer_start (timer);
  wait_for_runs (f, 1);
  g_assert_cmpuint (f->n_purged, ==, N_OLD);
  g_assert_cmpint (civic_store_count_mentions (f->store), ==, 0);
  civic_retention_timer_stop (timer);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/retention-timer/file", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_timer_purges, fixture_tear_down);
  g_test_add ("/retention-timer/memory", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_timer_purges, fixture_tear_down);
  g_test_add ("/retention-timer/stop", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_timer_stop, fixture_tear_down);

  return g_test_run ();
}
