/* test-stats-view.c
 *
 * The statistics page on a store made by hand with a fixed clock: the
 * table shows the figures worked out here by hand (medians, the 90th
 * percentile, answers in time, open and overdue), the chart describes the
 * same figures to screen readers, the periods choose what is counted, and
 * the page follows the store's changes.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-stats.h"
#include "civic-stats-chart.h"
#include "civic-stats-view.h"
#include "civic-workflow.h"
#include "civic-test-ui.h"

/* Thursday 26 November 2026, 10:00 UTC. */
#define T0 G_GINT64_CONSTANT (1795687200000)
#define MINUTE (G_GINT64_CONSTANT (60) * 1000)
#define DAY (24 * 60 * MINUTE)

typedef struct
{
  char *dir;
  CivicStore *store;
  CivicClock *clock;
  CivicContext *context;
  gint64 server;
  gint64 mayor;
  gint64 police;
  guint next_status;
} Fixture;

static gint64
add_mention (Fixture *f,
             gint64   department,
             gint64   created_ms,
             guint    sla_minutes,
             gint64   answer_after_ms)
{
  g_autofree char *status_id = g_strdup_printf ("%u", 500 + f->next_status++);
  g_autofree char *reply_id = g_strdup_printf ("r%u", f->next_status);
  g_autoptr(GError) error = NULL;
  CivicMentionRecord r = { 0 };
  gint64 row_id = 0;

  r.server_id = f->server;
  r.status_id = status_id;
  r.author_acct = "vecino";
  r.created_at_ms = created_ms;
  r.content_text = (char *) "Hay un problema en mi calle";
  r.department_id = department;
  r.due_at_ms = created_ms + sla_minutes * MINUTE;
  r.priority = CIVIC_PRIORITY_NORMAL;
  g_assert_true (civic_store_upsert_mention_full (f->store, &r, NULL, &row_id, &error));
  g_assert_no_error (error);

  if (answer_after_ms >= 0)
    {
      g_assert_true (civic_workflow_mark_answered (f->store, row_id, reply_id, "Ana", "mostrador",
                                                   created_ms + answer_after_ms, &error));
      g_assert_no_error (error);
    }

  return row_id;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = civic_test_mkdtemp ();
  path = g_build_filename (f->dir, "desk.db", NULL);
  f->store = civic_store_new (path, &error);
  g_assert_no_error (error);
  f->server = civic_store_ensure_server (f->store, "https://jun.example", &error);
  f->mayor = civic_store_ensure_department (f->store, "alcaldia", "Alcaldía", "#1c71d8", 60, &error);
  f->police = civic_store_ensure_department (f->store, "policia", "Policía Local", "#c01c28", 15, &error);
  g_assert_no_error (error);
  f->clock = civic_clock_new_fixed (T0);
  f->context = civic_context_new (f->store, f->clock);

  /* The mayor's office, three days ago: answered after 10, 20 and 90
   * minutes (two within its hour); one written 10 minutes ago, open and
   * still in time. */
  add_mention (f, f->mayor, T0 - 3 * DAY, 60, 10 * MINUTE);
  add_mention (f, f->mayor, T0 - 3 * DAY + MINUTE, 60, 20 * MINUTE);
  add_mention (f, f->mayor, T0 - 3 * DAY + 2 * MINUTE, 60, 90 * MINUTE);
  add_mention (f, f->mayor, T0 - 10 * MINUTE, 60, -1);
  /* The police, two hours ago: unanswered past its 15 minutes. */
  add_mention (f, f->police, T0 - 2 * 60 * MINUTE, 15, -1);
  /* Forty days ago: outside the last 30 days. */
  add_mention (f, f->police, T0 - 40 * DAY, 15, 5 * MINUTE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->context);
  g_clear_object (&f->clock);
  g_clear_object (&f->store);
  civic_test_rmdir (f->dir);
  g_free (f->dir);
}

static gboolean
labels_contain (gpointer user_data)
{
  const char **what = user_data;
  g_autofree char *labels = civic_test_dup_labels (GTK_WIDGET (what[0]));

  return strstr (labels, what[1]) != NULL;
}

static void
test_table (Fixture       *f,
            gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  CivicStatsView *view = CIVIC_STATS_VIEW (civic_stats_view_new (f->context));
  GtkWidget *grid = civic_test_child (view, CIVIC_TYPE_STATS_VIEW, "table_grid");
  CivicStatsChart *chart = civic_test_child (view, CIVIC_TYPE_STATS_VIEW, "chart");
  g_autofree char *labels = NULL;
  gint64 from_ms, to_ms;

  gtk_window_set_default_size (window, 1100, 700);
  gtk_window_set_child (window, GTK_WIDGET (view));
  civic_test_present_and_wait (window);

  /* The last 30 days by default. */
  g_assert_cmpint (civic_stats_view_get_period (view), ==, CIVIC_STATS_PERIOD_LAST_30_DAYS);
  civic_stats_view_get_range (view, &from_ms, &to_ms);
  g_assert_cmpint (from_ms, ==, T0 - 30 * DAY);
  g_assert_cmpint (to_ms, ==, T0 + 1);

  /* Department, received, answered, median, 90th percentile (20 + 0.8 ×
   * 70 = 76 min), in time (2 of 3), closed unanswered, open, overdue. */
  labels = civic_test_dup_labels (grid);
  g_test_message ("table: %s", labels);
  g_assert_nonnull (strstr (labels, "|Alcaldía|4|3|20 min|1 h 16 min|67 %|0|1|0|"));
  g_assert_nonnull (strstr (labels, "|Policía Local|1|0|—|—|0 %|0|1|1|"));
  g_assert_nonnull (strstr (labels, "|Unsorted|0|0|—|—|—|0|0|0|"));

  /* The chart says the same to a screen reader. */
  g_assert_cmpstr (civic_stats_chart_get_description (chart), ==,
                   "Alcaldía: 2 of 3 within 1 hour; Policía Local: 0 of 1 within 15 minutes");
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_ROLE_IMG));
  civic_test_screenshot ("stats-30-days");

  /* This week (from Monday 23 November): the mayor's three of three days
   * ago (Monday) count, the police's two hours ago too. */
  civic_stats_view_set_period (view, CIVIC_STATS_PERIOD_THIS_WEEK);
  g_clear_pointer (&labels, g_free);
  labels = civic_test_dup_labels (grid);
  g_assert_nonnull (strstr (labels, "|Alcaldía|4|3|"));

  /* Chosen dates: the day forty days ago alone. */
  {
    g_autoptr(GDateTime) day = g_date_time_new_from_unix_local ((T0 - 40 * DAY) / 1000);

    civic_stats_view_set_custom_range (view, day, day);
  }
  g_clear_pointer (&labels, g_free);
  labels = civic_test_dup_labels (grid);
  g_test_message ("custom: %s", labels);
  g_assert_nonnull (strstr (labels, "|Alcaldía|0|0|"));
  g_assert_nonnull (strstr (labels, "|Policía Local|1|1|5 min|5 min|100 %|0|1|1|"));
  g_assert_true (gtk_widget_get_visible (civic_test_child (view, CIVIC_TYPE_STATS_VIEW, "from_button")));
  civic_test_screenshot ("stats-custom");

  /* Back to 30 days; the police answer: the page follows the store. */
  civic_stats_view_set_period (view, CIVIC_STATS_PERIOD_LAST_30_DAYS);
  {
    g_autoptr(GArray) ids = civic_store_list_queue_ids (f->store, f->police, T0, NULL);
    g_autoptr(GError) error = NULL;
    const char *what[] = { (const char *) grid, "|Policía Local|1|1|2 h 00 min|2 h 00 min|0 %|0|0|0|" };

    g_assert_cmpuint (ids->len, ==, 1);
    g_assert_true (civic_workflow_mark_answered (f->store, g_array_index (ids, gint64, 0), "r-late", "Ana",
                                                 "mostrador", T0, &error));
    g_assert_no_error (error);
    g_assert_true (civic_test_spin_until (labels_contain, what, 5000));
  }

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  /* The test environment turns accessibility off (GTK_A11Y=none), which
   * also drops what widgets tell assistive technologies; GTK's test
   * backend keeps it for the checks below. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/stats-view/table", Fixture, NULL, fixture_setup, test_table, fixture_teardown);

  return g_test_run ();
}
