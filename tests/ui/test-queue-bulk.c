/* test-queue-bulk.c
 *
 * Selection mode in the real window, on a store of 100,000 mentions with
 * 10,000 open in one queue: tick rows, select them all, claim, move and
 * close them through the queue's actions, and check the store and its
 * audit rows. Selecting all must load no row of the queue.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>

#include "civic-main-layout.h"
#include "civic-queue-row.h"
#include "civic-store-private.h"
#include "civic-window.h"
#include "civic-workflow.h"
#include "civic-test-ui.h"

#define T0 G_GINT64_CONSTANT (1795687200000)
#define MINUTE (60 * 1000)
#define N_MENTIONS 100000
#define N_OPEN 10000

typedef struct
{
  char *dir;
  CivicContext *context;
  CivicStore *store;
  gint64 mayor;
  gint64 police;
  CivicWindow *window;
  CivicQueueView *view;
  CivicQueueModel *model;
} Fixture;

/* 100,000 mentions in pages of 80, as a backfill stores them; then all
 * but the mayor's office's newest 10,000 answered and closed. */
static void
fill (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *close_sql = NULL;
  gint64 server;
  CivicMentionRecord page[80];
  char ids[80][16];
  char texts[80][64];
  gint64 start = g_get_monotonic_time ();

  server = civic_store_ensure_server (f->store, "https://jun.example", &error);
  g_assert_no_error (error);
  f->mayor = civic_store_ensure_department (f->store, "alcaldia", "Alcaldía", "#1c71d8", 60, &error);
  f->police = civic_store_ensure_department (f->store, "policia", "Policía Local", "#c01c28", 15, &error);
  g_assert_no_error (error);

  for (guint done = 0; done < N_MENTIONS; done += G_N_ELEMENTS (page))
    {
      for (guint i = 0; i < G_N_ELEMENTS (page); i++)
        {
          guint k = done + i;
          CivicMentionRecord *r = &page[i];

          g_snprintf (ids[i], sizeof ids[i], "%u", k + 1);
          g_snprintf (texts[i], sizeof texts[i], "Farola apagada en la calle %u", k % 500);
          memset (r, 0, sizeof *r);
          r->server_id = server;
          r->status_id = ids[i];
          r->author_acct = "vecina";
          r->author_name = "Vecina";
          r->content_text = texts[i];
          r->created_at_ms = T0 - (gint64) (N_MENTIONS - k) * MINUTE / 3;
          r->priority = k % 4;
          r->department_id = k % 2 == 0 ? f->mayor : f->police;
          r->due_at_ms = r->created_at_ms + 60 * MINUTE;
        }
      g_assert_true (civic_store_ingest (f->store, page, G_N_ELEMENTS (page), NULL, &error));
      g_assert_no_error (error);
    }

  close_sql = g_strdup_printf ("UPDATE mentions SET state = 3, answered_at = created_at + 1800000,"
                               "  closed_at = created_at + 3600000 "
                               "WHERE department_id != %" G_GINT64_FORMAT " OR id NOT IN "
                               "  (SELECT id FROM mentions WHERE department_id = %" G_GINT64_FORMAT
                               "   ORDER BY id DESC LIMIT %d)",
                               f->mayor, f->mayor, N_OPEN);
  g_assert_true (_civic_store_exec (f->store, close_sql, &error));
  g_assert_true (_civic_store_exec (f->store, "ANALYZE", &error));
  g_assert_no_error (error);
  g_test_message ("seeded %d mentions in %.1f s", N_MENTIONS, (g_get_monotonic_time () - start) / 1e6);
}

static gint64
count (Fixture    *f,
       const char *sql,
       const char *text)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (_civic_store_get_db (f->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);

  return n;
}

static gboolean
queue_has (gpointer user_data)
{
  Fixture *f = user_data;
  guint wanted = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->model), "wanted"));

  return g_list_model_get_n_items (G_LIST_MODEL (f->model)) == wanted;
}

static void
wait_queue_length (Fixture *f,
                   guint    n)
{
  g_object_set_data (G_OBJECT (f->model), "wanted", GUINT_TO_POINTER (n));
  g_assert_true (civic_test_spin_until (queue_has, f, 20000));
}

/* Runs @action on the view and returns how long it held the main loop. */
static double
activate_timed (Fixture    *f,
                const char *action,
                GVariant   *parameter)
{
  gint64 start = g_get_monotonic_time ();

  if (parameter != NULL)
    g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (f->view), action, parameter));
  else
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), action, NULL));

  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
collect_checked (GtkWidget *widget,
                 guint     *n_shown,
                 guint     *n_checked)
{
  if (CIVIC_IS_QUEUE_ROW (widget) && gtk_widget_get_mapped (widget))
    {
      (*n_shown)++;
      if (civic_queue_row_get_checked (CIVIC_QUEUE_ROW (widget)))
        (*n_checked)++;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_checked (child, n_shown, n_checked);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicClock) clock = civic_clock_new_fixed (T0);
  CivicMainLayout *layout;

  f->dir = civic_test_mkdtemp ();
  path = g_build_filename (f->dir, "desk.db", NULL);
  f->store = civic_store_new (path, &error);
  g_assert_no_error (error);
  fill (f);

  f->context = civic_context_new (f->store, clock);
  civic_context_set_person (f->context, "Ana García");
  civic_context_set_desk_name (f->context, "mostrador 1");

  f->window = civic_window_new (NULL, f->context);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 800);
  civic_test_present_and_wait (GTK_WINDOW (f->window));
  layout = civic_window_get_layout (f->window);
  f->view = civic_main_layout_get_queue_view (layout);
  f->model = civic_queue_view_get_model (f->view);
  g_assert_true (civic_main_layout_select_department (layout, "alcaldia"));
  wait_queue_length (f, N_OPEN);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->context);
  g_clear_object (&f->store);
  civic_test_rmdir (f->dir);
  g_free (f->dir);
}

static void
test_bulk_actions (Fixture       *f,
                   gconstpointer  data)
{
  CivicQueueSelection *checked = civic_queue_view_get_checked (f->view);
  g_autoptr(GArray) claimed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) colleague = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  GtkRevealer *bar = civic_test_child (f->view, CIVIC_TYPE_QUEUE_VIEW, "action_revealer");
  GtkLabel *selected_label = civic_test_child (f->view, CIVIC_TYPE_QUEUE_VIEW, "selected_label");
  guint n_shown = 0, n_checked = 0;
  gint64 moved[2];
  double ms;

  g_assert_false (civic_queue_view_get_selection_mode (f->view));
  g_assert_false (gtk_revealer_get_reveal_child (bar));

  /* Tick the first five rows: selection mode, the bar and its count. */
  for (guint i = 0; i < 5; i++)
    {
      gint64 id = civic_queue_model_get_id (f->model, i);

      g_array_append_val (claimed, id);
      activate_timed (f, "queue.check-mention", g_variant_new ("(xb)", id, TRUE));
    }
  g_assert_true (civic_queue_view_get_selection_mode (f->view));
  g_assert_true (gtk_revealer_get_reveal_child (bar));
  g_assert_cmpuint (civic_queue_selection_get_n_selected (checked), ==, 5);
  g_assert_cmpstr (gtk_label_get_label (selected_label), ==, "5 selected");
  civic_test_flush (200);
  collect_checked (GTK_WIDGET (f->view), &n_shown, &n_checked);
  g_test_message ("rows on screen: %u, ticked: %u", n_shown, n_checked);
  g_assert_cmpuint (n_shown, >, 5);
  g_assert_cmpuint (n_checked, ==, 5);
  civic_test_screenshot ("queue-selection");

  ms = activate_timed (f, "queue.claim-selected", NULL);
  g_test_message ("claim 5: %.1f ms", ms);
  g_assert_cmpstr (civic_queue_view_get_last_report (f->view), ==, "5 claimed");
  g_assert_false (civic_queue_view_get_selection_mode (f->view));
  g_assert_cmpuint (civic_queue_selection_get_n_selected (checked), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM mentions WHERE state = 1 AND claimed_by = ?1", "Ana García"), ==, 5);
  g_assert_cmpint (count (f, "SELECT count(*) FROM audit WHERE action = 'claim' AND actor = ?1", "Ana García"), ==, 5);

  /* Two to the police. */
  moved[0] = civic_queue_model_get_id (f->model, 100);
  moved[1] = civic_queue_model_get_id (f->model, 101);
  activate_timed (f, "queue.check-mention", g_variant_new ("(xb)", moved[0], TRUE));
  activate_timed (f, "queue.check-mention", g_variant_new ("(xb)", moved[1], TRUE));
  activate_timed (f, "queue.move-selected", g_variant_new_int64 (f->police));
  g_assert_cmpstr (civic_queue_view_get_last_report (f->view), ==, "2 moved");
  g_assert_cmpint (count (f, "SELECT count(*) FROM audit WHERE action = 'reassign' AND actor = ?1", "Ana García"), ==, 2);
  wait_queue_length (f, N_OPEN - 2);

  /* Ticked, then moved away by a colleague before the close: what the
   * queue no longer shows is not acted on unseen. */
  {
    gint64 stays = civic_queue_model_get_id (f->model, 300);
    gint64 leaves = civic_queue_model_get_id (f->model, 301);
    g_auto(CivicWorkflowState) state = { 0 };

    activate_timed (f, "queue.check-mention", g_variant_new ("(xb)", stays, TRUE));
    activate_timed (f, "queue.check-mention", g_variant_new ("(xb)", leaves, TRUE));
    g_assert_true (civic_workflow_reassign (f->store, leaves, f->police, "Luis Moreno", "mostrador 2", T0, &error));
    g_assert_no_error (error);
    wait_queue_length (f, N_OPEN - 3);
    activate_timed (f, "queue.close-selected", NULL);
    g_assert_cmpstr (civic_queue_view_get_last_report (f->view), ==, "1 closed");
    g_assert_true (civic_workflow_load_state (f->store, leaves, &state, &error));
    g_assert_cmpint (state.state, ==, CIVIC_MENTION_STATE_NEW);
    wait_queue_length (f, N_OPEN - 4);
  }

  /* A colleague holds three. */
  for (guint i = 0; i < 3; i++)
    {
      gint64 id = civic_queue_model_get_id (f->model, 200 + i);

      g_array_append_val (colleague, id);
    }
  g_assert_true (civic_workflow_claim_many (f->store, (const gint64 *) (gpointer) colleague->data, colleague->len,
                                            "Luis Moreno", "mostrador 2", T0, NULL, &error));
  g_assert_no_error (error);

  /* Select all: ids only, no row loaded beyond the pages on screen. */
  ms = activate_timed (f, "queue.select-all", NULL);
  g_test_message ("select all %u: %.1f ms, rows in memory: %u", N_OPEN - 4, ms,
                  civic_queue_model_get_n_cached (f->model));
  g_assert_cmpuint (civic_queue_selection_get_n_selected (checked), ==, N_OPEN - 4);
  g_assert_cmpuint (civic_queue_model_get_n_cached (f->model), <=, 1024);
  g_assert_cmpstr (gtk_label_get_label (selected_label), ==, "9996 selected");

  /* Escape leaves selection mode and forgets the ticks. */
  activate_timed (f, "queue.leave-selection", NULL);
  g_assert_false (civic_queue_view_get_selection_mode (f->view));
  g_assert_cmpuint (civic_queue_selection_get_n_selected (checked), ==, 0);

  activate_timed (f, "queue.select-all", NULL);
  ms = activate_timed (f, "queue.close-selected", NULL);
  g_test_message ("close %u: %.1f ms (%s)", N_OPEN - 4, ms, civic_queue_view_get_last_report (f->view));
  g_assert_cmpstr (civic_queue_view_get_last_report (f->view), ==,
                   "9993 closed; 3 skipped: claimed by a colleague");
  g_assert_cmpint (count (f, "SELECT count(*) FROM audit WHERE action = 'close' AND actor = ?1", "Ana García"), ==,
                   N_OPEN - 6);
  g_assert_cmpint (count (f, "SELECT count(*) FROM mentions WHERE state = 1 AND claimed_by = ?1", "Luis Moreno"), ==,
                   3);
  for (guint i = 0; i < claimed->len; i++)
    {
      g_auto(CivicWorkflowState) state = { 0 };

      g_assert_true (civic_workflow_load_state (f->store, g_array_index (claimed, gint64, i), &state, &error));
      g_assert_cmpint (state.state, ==, CIVIC_MENTION_STATE_CLOSED);
    }

  /* The queue follows: only the colleague's three are left. */
  {
    gint64 start = g_get_monotonic_time ();

    wait_queue_length (f, 3);
    g_test_message ("queue shows the result after %.1f ms",
                    (g_get_monotonic_time () - start) / 1000.0);
  }
  civic_test_screenshot ("queue-after-close");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/queue-bulk/actions", Fixture, NULL, fixture_set_up, test_bulk_actions, fixture_tear_down);

  return g_test_run ();
}
