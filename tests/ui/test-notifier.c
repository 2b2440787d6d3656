/* test-notifier.c
 *
 * The desk's notifications on a test store with a fixed clock: a new
 * urgent mention is notified (after the store's change, debounced), a
 * normal one is not, nor a muted department's, nor anything when the
 * setting is off; an answer that passes its deadline is notified once; a
 * first backfill gives a summary, not a flood; nothing while a desk window
 * is in front, and the unseen count goes back to zero then.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "civic-notifier.h"
#include "civic-test-ui.h"

#define T0 G_GINT64_CONSTANT (1795687200000)
#define MINUTE (60 * 1000)

/* One for the whole program: a registered application stays exported on
 * the bus until exit. */
static GtkApplication *test_application;

typedef struct
{
  char *id;
  char *title;
  char *body;
} Sent;

typedef struct
{
  char *dir;
  CivicStore *store;
  CivicClock *clock;
  CivicContext *context;
  GtkApplication *application;
  CivicNotifier *notifier;
  GSettings *settings;
  GPtrArray *sent;   /* Sent */
  gint64 server;
  gint64 mayor;
  gint64 police;
  guint next_status;
} Fixture;

static void
sent_free (Sent *sent)
{
  g_free (sent->id);
  g_free (sent->title);
  g_free (sent->body);
  g_free (sent);
}

static void
capture (GApplication  *application,
         const char    *id,
         GNotification *notification,
         const char    *title,
         const char    *body,
         gpointer       user_data)
{
  Fixture *f = user_data;
  Sent *sent = g_new0 (Sent, 1);

  g_assert_true (G_IS_NOTIFICATION (notification));
  sent->id = g_strdup (id);
  sent->title = g_strdup (title);
  sent->body = g_strdup (body);
  g_ptr_array_add (f->sent, sent);
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
  f->settings = g_settings_new (APP_ID);
  f->sent = g_ptr_array_new_with_free_func ((GDestroyNotify) sent_free);

  f->application = g_object_ref (test_application);
  f->notifier = civic_notifier_new (f->application, f->context);
  civic_notifier_set_send_func (f->notifier, capture, f);
  civic_notifier_start (f->notifier);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_settings_reset (f->settings, "notify-priority");
  g_settings_reset (f->settings, "notify-overdue");
  g_settings_reset (f->settings, "notify-muted-departments");
  g_clear_object (&f->notifier);
  g_clear_object (&f->application);
  g_clear_object (&f->settings);
  g_clear_object (&f->context);
  g_clear_object (&f->clock);
  g_clear_object (&f->store);
  g_ptr_array_unref (f->sent);
  civic_test_rmdir (f->dir);
  g_free (f->dir);
}

/* Stores a mention as the sync would, written now (the fixed clock). */
static gint64
add_mention (Fixture       *f,
             gint64         department,
             CivicPriority  priority,
             const char    *text)
{
  g_autofree char *status_id = g_strdup_printf ("%u", 1000 + f->next_status++);
  g_autoptr(GError) error = NULL;
  CivicMentionRecord r = { 0 };
  gint64 now = civic_clock_get_now_ms (f->clock);
  gint64 row_id = 0;

  r.server_id = f->server;
  r.status_id = status_id;
  r.author_acct = "vecina_jun";
  r.author_name = "Carmen";
  r.created_at_ms = now;
  r.content_html = text;
  r.content_text = (char *) text;
  r.department_id = department;
  r.due_at_ms = now + (department == f->police ? 15 : 60) * MINUTE;
  r.priority = priority;
  g_assert_true (civic_store_upsert_mention_full (f->store, &r, NULL, &row_id, &error));
  g_assert_no_error (error);

  return row_id;
}

static gboolean
sent_some (gpointer user_data)
{
  return ((Fixture *) user_data)->sent->len > 0;
}

static Sent *
sent_at (Fixture *f,
         guint    i)
{
  g_assert_cmpuint (i, <, f->sent->len);
  return g_ptr_array_index (f->sent, i);
}

static void
test_urgent_mention (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *expected_id = NULL;
  gint64 id;

  /* What was in the store before the desk opened is no news. */
  g_assert_cmpuint (f->sent->len, ==, 0);

  id = add_mention (f, f->police, CIVIC_PRIORITY_URGENT, "Accidente con heridos en la carretera de Alfacar");
  /* The store's ::changed, debounced: no explicit check. */
  g_assert_true (civic_test_spin_until (sent_some, f, 5000));
  g_assert_cmpuint (f->sent->len, ==, 1);
  expected_id = g_strdup_printf ("mention-%" G_GINT64_FORMAT, id);
  g_assert_cmpstr (sent_at (f, 0)->id, ==, expected_id);
  g_assert_cmpstr (sent_at (f, 0)->title, ==, "Urgent mention for Policía Local");
  g_assert_cmpstr (sent_at (f, 0)->body, ==, "@vecina_jun: Accidente con heridos en la carretera de Alfacar");
  g_assert_cmpuint (civic_notifier_get_unseen_count (f->notifier), ==, 1);

  /* Seen once: a later look does not send it again. */
  civic_notifier_check_now (f->notifier);
  g_assert_cmpuint (f->sent->len, ==, 1);

  /* A normal mention is not news enough. */
  add_mention (f, f->mayor, CIVIC_PRIORITY_NORMAL, "¿A qué hora abre el registro?");
  civic_notifier_check_now (f->notifier);
  g_assert_cmpuint (f->sent->len, ==, 1);

  /* A high one is, as a priority mention. */
  add_mention (f, f->mayor, CIVIC_PRIORITY_HIGH, "Un árbol caído corta la Calle Real");
  civic_notifier_check_now (f->notifier);
  g_assert_cmpuint (f->sent->len, ==, 2);
  g_assert_cmpstr (sent_at (f, 1)->title, ==, "Priority mention for Alcaldía");
  g_assert_cmpuint (civic_notifier_get_unseen_count (f->notifier), ==, 2);

  civic_notifier_mark_seen (f->notifier);
  g_assert_cmpuint (civic_notifier_get_unseen_count (f->notifier), ==, 0);
}

static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  const char * const muted[] = { "policia", NULL };

  g_settings_set_boolean (f->settings, "notify-priority", FALSE);
  add_mention (f, f->police, CIVIC_PRIORITY_URGENT, "Incendio en el monte");
  civic_notifier_check_now (f->notifier);
  g_assert_cmpuint (f->sent->len, ==, 0);

  /* Switched back on: only what arrives from then on. */
  g_settings_set_boolean (f->settings, "notify-priority", TRUE);
  g_settings_set_strv (f->settings, "notify-muted-departments", muted);
  add_mention (f, f->police, CIVIC_PRIORITY_URGENT, "Robo en la farmacia");
  civic_notifier_check_now (f->notifier);
  g_assert_cmpuint (f->sent->len, ==, 0);

  add_mention (f, f->mayor, CIVIC_PRIORITY_URGENT, "Inundación en el ayuntamiento");
  civic_notifier_check_now (f->notifier);
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpstr (sent_at (f, 0)->title, ==, "Urgent mention for Alcaldía");
}

static void
test_overdue (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *expected_id = NULL;
  gint64 id;

  id = add_mention (f, f->police, CIVIC_PRIORITY_NORMAL, "Coche mal aparcado en la Plaza");
  add_mention (f, f->mayor, CIVIC_PRIORITY_NORMAL, "Farola fundida");
  civic_notifier_check_now (f->notifier);
  g_assert_cmpuint (f->sent->len, ==, 0);

  /* 16 minutes later the police's (15 min) is overdue, the mayor's (60) not. */
  civic_clock_advance (f->clock, 16 * MINUTE);
  civic_notifier_check_now (f->notifier);
  g_assert_cmpuint (f->sent->len, ==, 1);
  expected_id = g_strdup_printf ("overdue-%" G_GINT64_FORMAT, id);
  g_assert_cmpstr (sent_at (f, 0)->id, ==, expected_id);
  g_assert_cmpstr (sent_at (f, 0)->title, ==, "Answer overdue at Policía Local");

  /* Once only. */
  civic_clock_advance (f->clock, MINUTE);
  civic_notifier_check_now (f->notifier);
  g_assert_cmpuint (f->sent->len, ==, 1);

  /* Switched off: the mayor's goes overdue unnotified. */
  g_settings_set_boolean (f->settings, "notify-overdue", FALSE);
  civic_clock_advance (f->clock, 60 * MINUTE);
  civic_notifier_check_now (f->notifier);
  g_assert_cmpuint (f->sent->len, ==, 1);
}

static void
test_summary (Fixture       *f,
              gconstpointer  data)
{
  for (guint i = 0; i < 7; i++)
    add_mention (f, f->police, CIVIC_PRIORITY_URGENT, "Accidente");
  civic_notifier_check_now (f->notifier);

  /* Two of them, then one line for the other five. */
  g_assert_cmpuint (f->sent->len, ==, 3);
  g_assert_true (g_str_has_prefix (sent_at (f, 0)->id, "mention-"));
  g_assert_true (g_str_has_prefix (sent_at (f, 1)->id, "mention-"));
  g_assert_cmpstr (sent_at (f, 2)->id, ==, "priority-more");
  g_assert_cmpstr (sent_at (f, 2)->title, ==, "5 more priority mentions");
  g_assert_cmpuint (civic_notifier_get_unseen_count (f->notifier), ==, 7);
}

static void
test_window_in_front (Fixture       *f,
                      gconstpointer  data)
{
  GtkWindow *window;

  add_mention (f, f->police, CIVIC_PRIORITY_URGENT, "Accidente");
  civic_notifier_check_now (f->notifier);
  g_assert_cmpuint (civic_notifier_get_unseen_count (f->notifier), ==, 1);

  window = GTK_WINDOW (gtk_application_window_new (f->application));
  civic_test_present_and_wait (window);
  if (!civic_test_spin_until ((CivicTestCondition) gtk_window_is_active, window, 5000))
    {
      /* Without a window manager the X server may not focus it. */
      gtk_window_destroy (window);
      g_test_skip ("The window did not become active on this display");
      return;
    }

  /* The desk in front: the badge clears, nothing more is sent. */
  g_assert_cmpuint (civic_notifier_get_unseen_count (f->notifier), ==, 0);
  add_mention (f, f->police, CIVIC_PRIORITY_URGENT, "Otro accidente");
  civic_notifier_check_now (f->notifier);
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpuint (civic_notifier_get_unseen_count (f->notifier), ==, 0);

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);

  test_application = gtk_application_new ("org.civicdesk.CivicDesk.TestNotifier", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (test_application), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/notifier/urgent-mention", Fixture, NULL, fixture_setup, test_urgent_mention, fixture_teardown);
  g_test_add ("/notifier/settings", Fixture, NULL, fixture_setup, test_settings, fixture_teardown);
  g_test_add ("/notifier/overdue", Fixture, NULL, fixture_setup, test_overdue, fixture_teardown);
  g_test_add ("/notifier/summary", Fixture, NULL, fixture_setup, test_summary, fixture_teardown);
  g_test_add ("/notifier/window-in-front", Fixture, NULL, fixture_setup, test_window_in_front, fixture_teardown);

  status = g_test_run ();
  g_clear_object (&test_application);
  return status;
}
