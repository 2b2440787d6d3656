/* test-window.c
 *
 * The real window under Xvfb, on a store the test fills: it must show the
 * departments and their counts, the queue of the selected one, and say
 * what to do next on an empty store.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>

#include "civic-department-row.h"
#include "civic-main-layout.h"
#include "civic-queue-row.h"
#include "civic-window.h"
#include "civic-workflow.h"
#include "civic-test-util.h"

#define T0 G_GINT64_CONSTANT (1795687200000)
#define MINUTE (60 * 1000)

typedef struct
{
  GtkWidget *widget;
  gboolean painted;
} PaintWatch;

static void
after_paint_cb (GdkFrameClock *clock,
                PaintWatch    *watch)
{
  watch->painted = TRUE;
}

/* Presents @window and waits for its first real frame. */
static void
present_and_wait (GtkWindow *window)
{
  PaintWatch watch = { GTK_WIDGET (window), FALSE };
  GdkFrameClock *clock;
  gulong id;

  gtk_window_present (window);
  g_assert_true (civic_test_spin_until ((CivicTestCondition) gtk_widget_get_mapped, window, 10000));

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &watch);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &watch.painted, 10000));
  g_signal_handler_disconnect (clock, id);
}

static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    {
      g_string_append (out, gtk_label_get_label (GTK_LABEL (widget)));
      g_string_append_c (out, '|');
    }
  if (GTK_IS_INSCRIPTION (widget))
    {
      g_string_append (out, gtk_inscription_get_text (GTK_INSCRIPTION (widget)));
      g_string_append_c (out, '|');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

/* Whether a label shows @text as it reads on screen (markup parsed). */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;

  return FALSE;
}

static void
collect_type (GtkWidget *widget,
              GType      type,
              GPtrArray *out)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (out, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_type (child, type, out);
}

static CivicContext *
make_context (const char *dir,
              gboolean    filled)
{
  g_autofree char *path = g_build_filename (dir, "desk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStore) store = civic_store_new (path, &error);
  g_autoptr(CivicClock) clock = civic_clock_new_fixed (T0 + 90 * MINUTE);
  gint64 server, account, mayor, police;

  g_assert_no_error (error);

  if (filled)
    {
      static const char *texts[] = {
        "Hay bolsas de basura en la Calle Real desde el lunes",
        "¿A qué hora abre el registro mañana?",
        "Farola rota en la Plaza de la Constitución",
      };

      server = civic_store_ensure_server (store, "https://jun.example", &error);
      account = civic_store_ensure_account (store, server, "alcaldia", "1", "Alcaldía de Jun", &error);
      mayor = civic_store_ensure_department (store, "alcaldia", "Alcaldía", "#1c71d8", 60, &error);
      police = civic_store_ensure_department (store, "policia", "Policía Local", "#c01c28", 15, &error);
      g_assert_true (civic_store_bind_department (store, mayor, account, &error));
      g_assert_no_error (error);

      for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
        {
          g_autofree char *id = g_strdup_printf ("%u", 100 + i);
          CivicMentionRecord r = { 0 };

          r.server_id = server;
          r.status_id = id;
          r.author_acct = "maria_jun";
          r.author_name = "María Pérez";
          r.created_at_ms = T0 + i * 40 * MINUTE;
          r.content_html = texts[i];
          r.content_text = (char *) texts[i];
          r.department_id = mayor;
          r.due_at_ms = r.created_at_ms + 60 * MINUTE;
          r.priority = 1;
          g_assert_true (civic_store_upsert_mention (store, &r, NULL, &error));
        }

      {
        CivicMentionRecord r = { 0 };

        r.server_id = server;
        r.status_id = "900";
        r.author_acct = "testigo";
        r.created_at_ms = T0;
        r.content_text = (char *) "Accidente en la carretera de Alfacar";
        r.department_id = police;
        r.due_at_ms = T0 + 15 * MINUTE;
        r.priority = 3;
        g_assert_true (civic_store_upsert_mention (store, &r, NULL, &error));
      }
    }

  return civic_context_new (store, clock);
}

static void
test_departments_and_queue (void)
{
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autoptr(CivicContext) context = make_context (dir, TRUE);
  g_autoptr(GString) sidebar_text = g_string_new (NULL);
  g_autoptr(GString) queue_text = g_string_new (NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) queue_rows = g_ptr_array_new ();
  CivicWindow *window = civic_window_new (NULL, context);
  CivicMainLayout *layout = civic_window_get_layout (window);
  CivicQueueView *view = civic_main_layout_get_queue_view (layout);
  GListModel *departments = civic_main_layout_get_departments (layout);

  present_and_wait (GTK_WINDOW (window));

  /* Sidebar: the store's departments, in order, with their counts. */
  g_assert_cmpuint (g_list_model_get_n_items (departments), ==, 3);
  collect_type (GTK_WIDGET (window), CIVIC_TYPE_DEPARTMENT_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint i = 0; i < rows->len; i++)
    collect_labels (g_ptr_array_index (rows, i), sidebar_text);
  g_test_message ("sidebar: %s", sidebar_text->str);
  /* Alcaldía: 3 open at T0+90 min, due at +60, +100 and +140: one overdue. */
  g_assert_nonnull (strstr (sidebar_text->str, "Unsorted|"));
  g_assert_nonnull (strstr (sidebar_text->str, "Alcaldía|1|3|"));
  g_assert_nonnull (strstr (sidebar_text->str, "Policía Local|1|1|"));

  /* The first department with work is selected and its queue shown. */
  g_assert_cmpstr (civic_department_get_slug (civic_main_layout_get_department (layout)), ==, "alcaldia");
  g_assert_cmpstr (civic_queue_view_get_page (view), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (civic_queue_view_get_model (view))), ==, 3);

  present_and_wait (GTK_WINDOW (window));
  collect_type (GTK_WIDGET (view), CIVIC_TYPE_QUEUE_ROW, queue_rows);
  g_assert_cmpuint (queue_rows->len, ==, 3);
  collect_labels (GTK_WIDGET (view), queue_text);
  g_test_message ("queue: %s", queue_text->str);
  g_assert_nonnull (strstr (queue_text->str, "María Pérez|@maria_jun|"));
  g_assert_nonnull (strstr (queue_text->str, "Hay bolsas de basura en la Calle Real desde el lunes|"));
  g_assert_nonnull (strstr (queue_text->str, "overdue 30 min|"));

  /* A toast carrying a server's words shows them as text. */
  civic_window_add_toast (window, "The server said: <b>no</b> & <script>");
  present_and_wait (GTK_WINDOW (window));
  g_assert_true (shows_text (GTK_WIDGET (window), "The server said: <b>no</b> & <script>"));

  /* Switching department switches the queue. */
  g_assert_true (civic_main_layout_select_department (layout, "policia"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (civic_queue_view_get_model (view))), ==, 1);
  g_assert_true (civic_main_layout_select_department (layout, "unsorted"));
  g_assert_cmpstr (civic_queue_view_get_page (view), ==, "empty");

  gtk_window_destroy (GTK_WINDOW (window));
  civic_test_rmdir (dir);
}

typedef struct
{
  CivicMainLayout *layout;
  guint expected;
} CountWait;

static gboolean
open_count_reached (gpointer user_data)
{
  CountWait *wait = user_data;
  GListModel *departments = civic_main_layout_get_departments (wait->layout);

  for (guint i = 0; i < g_list_model_get_n_items (departments); i++)
    {
      g_autoptr(CivicDepartment) d = g_list_model_get_item (departments, i);

      if (g_str_equal (civic_department_get_slug (d), "alcaldia"))
        return civic_department_get_open_count (d) == wait->expected;
    }

  return FALSE;
}

static gboolean
queue_has_four (gpointer model)
{
  return g_list_model_get_n_items (model) == 4;
}

static void
test_counts_follow_store (void)
{
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autoptr(CivicContext) context = make_context (dir, TRUE);
  g_autoptr(GError) error = NULL;
  CivicStore *store = civic_context_get_store (context);
  CivicWindow *window = civic_window_new (NULL, context);
  CivicMainLayout *layout = civic_window_get_layout (window);
  CountWait wait = { layout, 4 };
  CivicMentionRecord r = { 0 };

  present_and_wait (GTK_WINDOW (window));

  r.server_id = civic_store_ensure_server (store, "https://jun.example", &error);
  r.status_id = "5000";
  r.author_acct = "nuevo";
  r.created_at_ms = T0 + 89 * MINUTE;
  r.content_text = (char *) "Un vecino nuevo pregunta";
  r.department_id = civic_store_lookup_department (store, "alcaldia");
  r.due_at_ms = r.created_at_ms + 60 * MINUTE;
  g_assert_true (civic_store_ingest (store, &r, 1, NULL, &error));

  /* The sidebar and the open queue catch up without being told. */
  g_assert_true (civic_test_spin_until (open_count_reached, &wait, 5000));
  g_assert_true (civic_test_spin_until (queue_has_four,
                                        civic_queue_view_get_model (civic_main_layout_get_queue_view (layout)),
                                        5000));

  gtk_window_destroy (GTK_WINDOW (window));
  civic_test_rmdir (dir);
}

static gboolean
queue_shows_in_progress (gpointer view)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_type (view, CIVIC_TYPE_QUEUE_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    collect_labels (g_ptr_array_index (rows, i), text);
  return strstr (text->str, "In progress|") != NULL;
}

/* A claim made elsewhere (another desk, the composer) changes a row's state
 * but not always its place: the row on screen must follow all the same. */
static void
test_rows_follow_state (void)
{
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autoptr(CivicContext) context = make_context (dir, TRUE);
  g_autoptr(GError) error = NULL;
  CivicStore *store = civic_context_get_store (context);
  CivicWindow *window = civic_window_new (NULL, context);
  CivicQueueView *view = civic_main_layout_get_queue_view (civic_window_get_layout (window));
  gint64 server = civic_store_ensure_server (store, "https://jun.example", &error);
  gint64 mention = civic_store_find_mention (store, server, "101");

  g_assert_cmpint (mention, >, 0);
  present_and_wait (GTK_WINDOW (window));
  /* The one in hand, as when the composer claims it. */
  civic_queue_view_select_mention (view, mention);
  present_and_wait (GTK_WINDOW (window));
  g_assert_false (queue_shows_in_progress (view));

  g_assert_true (civic_workflow_claim (store, mention, "Ana García", "mostrador 2",
                                       civic_context_get_now_ms (context), &error));
  g_assert_no_error (error);
  g_assert_true (civic_test_spin_until (queue_shows_in_progress, view, 5000));

  gtk_window_destroy (GTK_WINDOW (window));
  civic_test_rmdir (dir);
}

static void
test_empty_store_welcome (void)
{
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autoptr(CivicContext) context = make_context (dir, FALSE);
  g_autoptr(GString) text = g_string_new (NULL);
  CivicWindow *window = civic_window_new (NULL, context);
  CivicMainLayout *layout = civic_window_get_layout (window);

  present_and_wait (GTK_WINDOW (window));

  g_assert_cmpstr (civic_queue_view_get_page (civic_main_layout_get_queue_view (layout)), ==, "welcome");
  collect_labels (GTK_WIDGET (window), text);
  g_assert_nonnull (strstr (text->str, "Welcome to Civic Desk"));
  g_assert_nonnull (strstr (text->str, "Try the Demo"));

  gtk_window_destroy (GTK_WINDOW (window));
  civic_test_rmdir (dir);
}

static void
test_error_window (void)
{
  g_autoptr(GError) error = g_error_new_literal (CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_CORRUPT,
                                                 "The desk’s database is damaged (/srv/a&b<1>.db)");
  g_autoptr(GString) text = g_string_new (NULL);
  CivicWindow *window = civic_window_new_for_error (NULL, error);

  present_and_wait (GTK_WINDOW (window));
  g_assert_null (civic_window_get_layout (window));
  collect_labels (GTK_WIDGET (window), text);
  g_assert_nonnull (strstr (text->str, "The desk’s database is damaged"));
  g_assert_true (shows_text (GTK_WIDGET (window), "The desk’s database is damaged (/srv/a&b<1>.db)"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/window/departments-and-queue", test_departments_and_queue);
  g_test_add_func ("/ui/window/counts-follow-store", test_counts_follow_store);
  g_test_add_func ("/ui/window/rows-follow-state", test_rows_follow_state);
  g_test_add_func ("/ui/window/empty-store-welcome", test_empty_store_welcome);
  g_test_add_func ("/ui/window/error-window", test_error_window);

  return g_test_run ();
}
