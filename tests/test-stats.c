/* test-stats.c
 *
 * The published figures on a data set computed by hand, and the
 * `civicctl report` CSV built from it.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>

#include "civic-stats.h"
#include "civic-test-util.h"
#include "civic-workflow.h"

#define MINUTE G_GINT64_CONSTANT (60000)
#define HOUR (60 * MINUTE)
#define D0 G_GINT64_CONSTANT (1795651200000)  /* 2026-11-26 00:00 UTC */
#define T0 (D0 + 10 * HOUR)
#define NOW (D0 + 23 * HOUR)                  /* the report's "now" */

/* The hand computation:
 *
 * Alcaldía (60 min), mentions of 2026-11-26:
 *   m1..m5 answered after 10, 30, 50, 70, 200 min
 *     → median 50 (the middle one), p90: rank 0.9 × 4 = 3.6 →
 *       70 + 0.6 × (200 − 70) = 148
 *   m6 unanswered, due at 11:05 → over its time, overdue now
 *   m7 unanswered, written 22:30, due 23:30 → not yet due, open, not overdue
 *   m8 closed without an answer → over its time, closed unanswered
 *   m10 answered only after "now" → not answered as of now, over its time
 *   m9 written the day before → outside the period
 *   received 9, answered 5, due 8 (m1–m6, m8, m10), within 3 → 0.375,
 *   open now 2 (m6, m7), overdue now 1 (m6)
 *
 * Policía Local, "Jun" (15 min): answered after 5, 15, 16, 25 min
 *   → median (15 + 16) / 2 = 15.5, p90: rank 0.9 × 3 = 2.7 →
 *     16 + 0.7 × (25 − 16) = 22.3; 15 min is on time: within 2 of 4 → 0.500
 *
 * Unsorted: nothing → empty figures. */
static const char expected_csv[] =
  "department,slug,sla_minutes,received,answered,median_minutes,p90_minutes,sla_due,"
  "answered_within_sla,share_within_sla,closed_unanswered,open_now,overdue_now\r\n"
  "Alcaldía,alcaldia,60,9,5,50.0,148.0,8,3,0.375,1,2,1\r\n"
  "\"Policía Local, \"\"Jun\"\"\",policia,15,4,4,15.5,22.3,4,2,0.500,0,0,0\r\n"
  "Unsorted,unsorted,1440,0,0,,,0,0,,0,0,0\r\n";

typedef struct
{
  char *dir;
  char *path;
  CivicStore *store;
  gint64 server_id;
  gint64 mayor_id;
  gint64 police_id;
  guint next_status;
} Fixture;

static gint64
add (Fixture *f,
     gint64   department_id,
     gint64   created_ms,
     gint64   answer_after_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *status_id = g_strdup_printf ("%u", ++f->next_status);
  guint sla = department_id == f->police_id ? 15 : 60;
  CivicMentionRecord r = { 0 };
  gint64 id;

  r.server_id = f->server_id;
  r.status_id = status_id;
  r.author_acct = "vecina";
  r.created_at_ms = created_ms;
  r.content_text = (char *) "hola";
  r.department_id = department_id;
  r.priority = CIVIC_PRIORITY_NORMAL;
  r.due_at_ms = created_ms + sla * MINUTE;
  g_assert_true (civic_store_upsert_mention (f->store, &r, NULL, &error));
  g_assert_no_error (error);

  ids = civic_store_search (f->store, "hola", 1, &error);
  g_assert_no_error (error);
  id = g_array_index (ids, gint64, 0);

  if (answer_after_ms >= 0)
    {
      civic_workflow_mark_answered (f->store, id, "r", "Ana", "1", created_ms + answer_after_ms, &error);
      g_assert_no_error (error);
    }

  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  static const int mayor_answers[] = { 10, 30, 50, 70, 200 };
  static const int police_answers[] = { 5, 15, 16, 25 };
  gint64 closed;

  f->dir = civic_test_mkdtemp ();
  f->path = g_build_filename (f->dir, "desk.db", NULL);
  f->store = civic_store_new (f->path, &error);
  g_assert_no_error (error);
  f->server_id = civic_store_ensure_server (f->store, "https://jun.example", &error);
  f->mayor_id = civic_store_ensure_department (f->store, "alcaldia", "Alcaldía", NULL, 60, &error);
  f->police_id = civic_store_ensure_department (f->store, "policia", "Policía Local, \"Jun\"", NULL, 15, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (mayor_answers); i++)
    add (f, f->mayor_id, T0 + i * MINUTE, mayor_answers[i] * MINUTE);
  add (f, f->mayor_id, T0 + 5 * MINUTE, -1);                    /* m6 */
  add (f, f->mayor_id, D0 + 22 * HOUR + 30 * MINUTE, -1);       /* m7 */
  closed = add (f, f->mayor_id, T0 + 6 * MINUTE, -1);           /* m8 */
  civic_workflow_close (f->store, closed, "Ana", "1", T0 + 20 * MINUTE, &error);
  g_assert_no_error (error);
  add (f, f->mayor_id, D0 - HOUR, 5 * MINUTE);                  /* m9 */
  add (f, f->mayor_id, T0 + 7 * MINUTE, NOW + HOUR - (T0 + 7 * MINUTE)); /* m10 */

  for (guint i = 0; i < G_N_ELEMENTS (police_answers); i++)
    add (f, f->police_id, T0 + i * MINUTE, police_answers[i] * MINUTE);
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

static void
test_percentile (void)
{
  static const gint64 one[] = { 42 };
  static const gint64 four[] = { 5, 15, 16, 25 };

  g_assert_true (isnan (civic_stats_percentile (NULL, 0, 50)));
  g_assert_cmpfloat (civic_stats_percentile (one, 1, 50), ==, 42);
  g_assert_cmpfloat (civic_stats_percentile (one, 1, 90), ==, 42);
  g_assert_cmpfloat (civic_stats_percentile (four, 4, 0), ==, 5);
  g_assert_cmpfloat (civic_stats_percentile (four, 4, 100), ==, 25);
  g_assert_cmpfloat (civic_stats_percentile (four, 4, 50), ==, 15.5);
  g_assert_cmpfloat_with_epsilon (civic_stats_percentile (four, 4, 90), 22.3, 1e-9);
}

static void
test_compute (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stats = NULL;
  g_autofree char *csv = NULL;
  CivicDepartmentStats *mayor, *police, *unsorted;

  stats = civic_stats_compute (f->store, D0, D0 + 24 * HOUR, NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->len, ==, 3);
  mayor = stats->pdata[0];
  police = stats->pdata[1];
  unsorted = stats->pdata[2];

  g_assert_cmpstr (mayor->slug, ==, "alcaldia");
  g_assert_cmpuint (mayor->received, ==, 9);
  g_assert_cmpuint (mayor->answered, ==, 5);
  g_assert_cmpint (mayor->median_ms, ==, 50 * MINUTE);
  g_assert_cmpint (mayor->p90_ms, ==, 148 * MINUTE);
  g_assert_cmpuint (mayor->sla_due, ==, 8);
  g_assert_cmpuint (mayor->answered_within_sla, ==, 3);
  g_assert_cmpfloat (mayor->share_within_sla, ==, 3.0 / 8.0);
  g_assert_cmpuint (mayor->closed_unanswered, ==, 1);
  g_assert_cmpuint (mayor->open_now, ==, 2);
  g_assert_cmpuint (mayor->overdue_now, ==, 1);

  g_assert_cmpuint (police->received, ==, 4);
  g_assert_cmpint (police->median_ms, ==, 15 * MINUTE + 30000);
  g_assert_cmpint (police->p90_ms, ==, 22 * MINUTE + 18000);
  g_assert_cmpuint (police->answered_within_sla, ==, 2);
  g_assert_cmpfloat (police->share_within_sla, ==, 0.5);

  g_assert_cmpuint (unsorted->received, ==, 0);
  g_assert_cmpint (unsorted->median_ms, ==, -1);
  g_assert_cmpfloat (unsorted->share_within_sla, <, 0);

  csv = civic_stats_to_csv (stats);
  g_assert_cmpstr (csv, ==, expected_csv);

  /* The day before holds m9 alone: answered in 5 min, on time. */
  g_clear_pointer (&stats, g_ptr_array_unref);
  stats = civic_stats_compute (f->store, D0 - 24 * HOUR, D0, NOW, &error);
  mayor = stats->pdata[0];
  g_assert_cmpuint (mayor->received, ==, 1);
  g_assert_cmpint (mayor->median_ms, ==, 5 * MINUTE);
  g_assert_cmpfloat (mayor->share_within_sla, ==, 1.0);

  g_clear_pointer (&stats, g_ptr_array_unref);
  stats = civic_stats_compute (f->store, D0, D0, NOW, &error);
  g_assert_null (stats);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
}

typedef struct
{
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static Run
run_civicctl (const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  g_ptr_array_add (argv, (gpointer) g_getenv ("CIVICCTL"));
  g_ptr_array_add (argv, (gpointer) "report");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Days are local time: pin the zone. */
  g_subprocess_launcher_setenv (launcher, "TZ", "UTC", TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &run.out, &run.err, &error);
  g_assert_no_error (error);
  run.status = g_subprocess_get_exit_status (proc);

  return run;
}

static void
test_civicctl_report (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->dir, "nope.db", NULL);

  if (g_getenv ("CIVICCTL") == NULL)
    {
      g_test_skip ("CIVICCTL is not set (run through meson test)");
      return;
    }

  /* Whatever the app has open, the report reads the file. */
  g_clear_object (&f->store);

  {
    g_auto(Run) run = run_civicctl ((const char * const[]) {
      "--database", f->path, "--from", "2026-11-26", "--to", "2026-11-26", "--now", "2026-11-26T23:00:00Z", NULL
    });

    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, expected_csv);
  }

  /* Bad usage is refused with status 2 and a reason. */
  {
    g_auto(Run) run = run_civicctl ((const char * const[]) { "--database", f->path, "--from", "2026-11-26", NULL });

    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "--to"));
  }
  {
    g_auto(Run) run = run_civicctl ((const char * const[]) {
      "--database", f->path, "--from", "2026-02-30", "--to", "2026-03-01", NULL
    });

    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "2026-02-30"));
  }
  {
    g_auto(Run) run = run_civicctl ((const char * const[]) {
      "--database", f->path, "--from", "2026-11-26", "--to", "2026-11-25", NULL
    });

    g_assert_cmpint (run.status, ==, 2);
  }

  /* A mistyped database path is an error, and creates nothing. */
  {
    g_auto(Run) run = run_civicctl ((const char * const[]) {
      "--database", missing, "--from", "2026-11-26", "--to", "2026-11-26", NULL
    });

    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stats/percentile", test_percentile);
  g_test_add ("/stats/compute", Fixture, NULL, fixture_set_up, test_compute, fixture_tear_down);
  g_test_add ("/stats/civicctl-report", Fixture, NULL, fixture_set_up, test_civicctl_report, fixture_tear_down);

  return g_test_run ();
}
