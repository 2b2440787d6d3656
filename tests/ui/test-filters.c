/* test-filters.c
 *
 * The queue's hidden filters (period, author, "claimed by me") narrow the
 * real window's queue, and a saved view brings a whole filter back in one
 * click, in its own department only, with its period still relative.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>

#include "civic-filter-popover.h"
#include "civic-main-layout.h"
#include "civic-smart-views.h"
#include "civic-window.h"
#include "civic-workflow.h"
#include "civic-test-util.h"

#define T0 G_GINT64_CONSTANT (1795687200000) /* 2026-11-26 10:00 UTC */
#define MINUTE (60 * 1000)
#define DAY (24 * 60 * (gint64) MINUTE)

typedef struct
{
  char *dir;
  CivicContext *context;
  CivicWindow *window;
  CivicQueueView *view;
  CivicFilterPopover *filters;
  GListModel *model;
  gint64 claimed;
} Fixture;

static gint64
add (CivicStore *store,
     gint64      server,
     gint64      department,
     const char *status_id,
     const char *author,
     gint64      created_ms)
{
  g_autoptr(GError) error = NULL;
  CivicMentionRecord r = { 0 };
  gint64 id = 0;

  r.server_id = server;
  r.status_id = status_id;
  r.author_acct = author;
  r.created_at_ms = created_ms;
  r.content_text = (char *) "La farola de la Calle Real sigue apagada";
  r.department_id = department;
  r.due_at_ms = created_ms + 60 * MINUTE;
  r.priority = 1;
  g_assert_true (civic_store_upsert_mention_full (store, &r, NULL, &id, &error));
  g_assert_no_error (error);

  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStore) store = NULL;
  g_autoptr(CivicClock) clock = civic_clock_new_fixed (T0 + 90 * MINUTE);
  gint64 server, mayor, police;

  f->dir = civic_test_mkdtemp ();
  path = g_build_filename (f->dir, "desk.db", NULL);
  store = civic_store_new (path, &error);
  g_assert_no_error (error);
  server = civic_store_ensure_server (store, "https://jun.example", &error);
  mayor = civic_store_ensure_department (store, "alcaldia", "Alcaldía", "#1c71d8", 60, &error);
  police = civic_store_ensure_department (store, "policia", "Policía Local", "#c01c28", 15, &error);
  g_assert_no_error (error);

  /* Alcaldía: two from today, one from ten days ago, by two people. */
  f->claimed = add (store, server, mayor, "1", "maria_jun", T0);
  add (store, server, mayor, "2", "maria_jun", T0 + 40 * MINUTE);
  add (store, server, mayor, "3", "pepe", T0 - 10 * DAY);
  add (store, server, police, "4", "pepe", T0);
  g_assert_true (civic_workflow_claim (store, f->claimed, "Ana García", "mostrador",
                                       T0 + 50 * MINUTE, &error));
  g_assert_no_error (error);

  f->context = civic_context_new (store, clock);
  civic_context_set_person (f->context, "Ana García");
  f->window = civic_window_new (NULL, f->context);
  f->view = civic_main_layout_get_queue_view (civic_window_get_layout (f->window));
  f->filters = civic_queue_view_get_filters (f->view);
  f->model = G_LIST_MODEL (civic_queue_view_get_model (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (civic_main_layout_select_department (civic_window_get_layout (f->window), "alcaldia"));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->context);
  civic_test_rmdir (f->dir);
  g_free (f->dir);
}

/* The popover's controls, found by type (they are its own). */
static GtkWidget *
find_child (GtkWidget *widget,
            GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_child (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

typedef struct
{
  GListModel *model;
  guint n;
} CountWait;

static gboolean
count_is (gpointer user_data)
{
  CountWait *wait = user_data;

  return g_list_model_get_n_items (wait->model) == wait->n;
}

static void
assert_count_becomes (Fixture *f,
                      guint    n)
{
  CountWait wait = { f->model, n };

  g_assert_true (civic_test_spin_until (count_is, &wait, 5000));
}

static void
test_filters_narrow (Fixture       *f,
                     gconstpointer  data)
{
  GtkDropDown *period = GTK_DROP_DOWN (find_child (GTK_WIDGET (f->filters), GTK_TYPE_DROP_DOWN));
  GtkEditable *author = GTK_EDITABLE (find_child (GTK_WIDGET (f->filters), GTK_TYPE_ENTRY));
  GtkCheckButton *mine = GTK_CHECK_BUTTON (find_child (GTK_WIDGET (f->filters), GTK_TYPE_CHECK_BUTTON));

  assert_count_becomes (f, 3);
  g_assert_false (civic_filter_popover_get_active (f->filters));

  /* Last 7 days: the one from ten days ago goes. */
  gtk_drop_down_set_selected (period, 2);
  assert_count_becomes (f, 2);
  g_assert_true (civic_filter_popover_get_active (f->filters));
  g_assert_cmpuint (civic_queue_model_get_filter (CIVIC_QUEUE_MODEL (f->model))->period_days, ==, 7);
  gtk_drop_down_set_selected (period, 0);
  assert_count_becomes (f, 3);

  /* An author, with or without the '@', case ignored. */
  gtk_editable_set_text (author, "@Pepe");
  assert_count_becomes (f, 1);
  gtk_editable_set_text (author, "nadie");
  assert_count_becomes (f, 0);
  g_assert_cmpstr (civic_queue_view_get_page (f->view), ==, "no-results");
  gtk_editable_set_text (author, "");
  assert_count_becomes (f, 3);

  /* Claimed by the person at the desk. */
  gtk_check_button_set_active (mine, TRUE);
  assert_count_becomes (f, 1);
  g_assert_true (civic_queue_view_select_mention (f->view, f->claimed));

  civic_filter_popover_reset (f->filters);
  assert_count_becomes (f, 3);
  g_assert_false (gtk_check_button_get_active (mine));
  g_assert_false (civic_filter_popover_get_active (f->filters));
}

static void
test_saved_views (Fixture       *f,
                  gconstpointer  data)
{
  GtkDropDown *period = GTK_DROP_DOWN (find_child (GTK_WIDGET (f->filters), GTK_TYPE_DROP_DOWN));
  GtkCheckButton *mine = GTK_CHECK_BUTTON (find_child (GTK_WIDGET (f->filters), GTK_TYPE_CHECK_BUTTON));
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 week, claimed;

  assert_count_becomes (f, 3);

  gtk_drop_down_set_selected (period, 2);
  assert_count_becomes (f, 2);
  week = civic_filter_popover_save_view (f->filters, "  Esta semana ", &error);
  g_assert_no_error (error);
  g_assert_cmpint (week, >, 0);

  gtk_drop_down_set_selected (period, 0);
  gtk_check_button_set_active (mine, TRUE);
  assert_count_becomes (f, 1);
  claimed = civic_filter_popover_save_view (f->filters, "Lo mío", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (civic_filter_popover_get_n_views (f->filters), ==, 2);

  /* The week is kept as "the last 7 days", not as a date. */
  stored = civic_store_list_smart_views (civic_context_get_store (f->context), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 2);
  g_assert_cmpstr (((CivicSmartView *) stored->pdata[0])->name, ==, "Esta semana");
  g_assert_cmpuint (((CivicSmartView *) stored->pdata[0])->filter->period_days, ==, 7);
  g_assert_cmpint (((CivicSmartView *) stored->pdata[0])->filter->since_ms, ==, 0);

  /* A nameless view is refused with a reason. */
  g_assert_cmpint (civic_filter_popover_save_view (f->filters, "   ", &error), ==, 0);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* One click brings the whole filter back, controls included. */
  civic_filter_popover_reset (f->filters);
  assert_count_becomes (f, 3);
  g_assert_true (civic_filter_popover_activate_view (f->filters, claimed));
  assert_count_becomes (f, 1);
  g_assert_true (gtk_check_button_get_active (mine));
  g_assert_true (civic_filter_popover_activate_view (f->filters, week));
  assert_count_becomes (f, 2);
  g_assert_cmpuint (gtk_drop_down_get_selected (period), ==, 2);
  g_assert_false (gtk_check_button_get_active (mine));

  /* A department's views are its own. */
  g_assert_true (civic_main_layout_select_department (civic_window_get_layout (f->window), "policia"));
  g_assert_cmpuint (civic_filter_popover_get_n_views (f->filters), ==, 0);
  g_assert_false (civic_filter_popover_activate_view (f->filters, week));
  g_assert_true (civic_main_layout_select_department (civic_window_get_layout (f->window), "alcaldia"));
  g_assert_cmpuint (civic_filter_popover_get_n_views (f->filters), ==, 2);

  g_assert_true (civic_filter_popover_delete_view (f->filters, week, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (civic_filter_popover_get_n_views (f->filters), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/filters/narrow", Fixture, NULL, fixture_set_up, test_filters_narrow, fixture_tear_down);
  g_test_add ("/ui/filters/saved-views", Fixture, NULL, fixture_set_up, test_saved_views, fixture_tear_down);

  return g_test_run ();
}
