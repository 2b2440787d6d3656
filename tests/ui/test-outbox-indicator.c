/* test-outbox-indicator.c
 *
 * The outbox in the header bar, under Xvfb with civic-sim: hidden while
 * nothing waits; a reply the server keeps refusing (500) shows with its
 * state in words and goes away with Cancel (its text back as the draft);
 * a reply the server takes shows, then the indicator hides again.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>

#include "civic-composer.h"
#include "civic-drafts.h"
#include "civic-login.h"
#include "civic-main-layout.h"
#include "civic-outbox.h"
#include "civic-outbox-indicator.h"
#include "civic-sync.h"
#include "civic-test-desk.h"
#include "civic-test-sim.h"
#include "civic-window.h"

typedef struct
{
  CivicTestSim *sim;
  char *dir;
  CivicContext *context;
  SoupSession *session;
  CivicSync *sync;
  CivicOutbox *outbox;
  char *status_id;
  gint64 mention_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char * const args[] = { "--mentions", "0", NULL };
  g_autoptr(JsonNode) posted = NULL;

  f->sim = civic_test_sim_start (args);
  f->dir = civic_test_mkdtemp ();
  f->context = civic_test_desk_context_new (f->dir);
  f->session = civic_sync_new_session (5);
  f->sync = civic_sync_new (f->context, f->session);
  f->outbox = civic_outbox_new (f->context, f->session);
  civic_context_set_sync (f->context, f->sync);
  civic_context_set_outbox (f->context, f->outbox);

  posted = civic_test_sim_form (f->sim, "/_sim/mention",
                                "to=alcaldia&from=vecina_jun&text=%C2%BFCu%C3%A1ndo%20abre%20la%20piscina%3F");
  f->status_id = g_strdup (json_object_get_string_member (json_node_get_object (posted), "status_id"));

  civic_test_desk_sign_in (f->sim, f->context, f->session, f->sync, f->outbox);

  f->mention_id = civic_test_desk_find (f->sim, f->context, f->status_id);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  civic_outbox_stop (f->outbox);
  civic_sync_stop (f->sync);
  g_clear_object (&f->outbox);
  g_clear_object (&f->sync);
  g_clear_object (&f->session);
  g_clear_object (&f->context);
  civic_test_sim_stop (f->sim);
  civic_test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->status_id);
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
window_mapped (gpointer window)
{
  return gtk_widget_get_mapped (window);
}

static CivicComposer *
open_window (Fixture      *f,
             CivicWindow **window_out)
{
  CivicWindow *window = civic_window_new (NULL, f->context);
  CivicMainLayout *layout = civic_window_get_layout (window);
  CivicComposer *composer;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (civic_test_spin_until (window_mapped, window, 10000));
  g_assert_true (civic_main_layout_select_department (layout, "alcaldia"));
  g_assert_true (civic_queue_view_select_mention (civic_main_layout_get_queue_view (layout), f->mention_id));

  composer = CIVIC_COMPOSER (find_type (GTK_WIDGET (window), CIVIC_TYPE_COMPOSER));
  g_assert_nonnull (composer);
  *window_out = window;

  return composer;
}

static gboolean
indicator_count_is (CivicOutboxIndicator *indicator,
                    guint                 count)
{
  return civic_outbox_indicator_get_count (indicator) == count &&
         gtk_widget_get_visible (GTK_WIDGET (indicator)) == (count > 0);
}

static gboolean
indicator_empty (gpointer indicator)
{
  return indicator_count_is (indicator, 0);
}

static gboolean
indicator_one (gpointer indicator)
{
  return indicator_count_is (indicator, 1);
}

typedef struct
{
  Fixture *f;
  CivicOutboxState state;
} StateWait;

static gboolean
reply_in_state (gpointer user_data)
{
  StateWait *wait = user_data;
  g_autoptr(GPtrArray) items = civic_outbox_list (wait->f->outbox, wait->f->mention_id, 1 << wait->state, NULL);

  return items != NULL && items->len == 1 && ((CivicOutboxItem *) g_ptr_array_index (items, 0))->attempts > 0;
}

/* Every label's text under @widget, one string. */
static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  if (GTK_IS_LABEL (widget))
    {
      g_string_append (out, gtk_label_get_label (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The composer on screen shows the text a cancel put back. */
static gboolean
composer_shows_draft (gpointer composer)
{
  g_autofree char *text = civic_composer_dup_text (composer);

  return g_strcmp0 (text, "@vecina_jun La piscina abre el 15 de junio.") == 0;
}

static void
test_refused_then_cancelled (Fixture       *f,
                             gconstpointer  data)
{
  const char *text = "@vecina_jun La piscina abre el 15 de junio.";
  CivicWindow *window = NULL;
  CivicComposer *composer = open_window (f, &window);
  CivicOutboxIndicator *indicator = CIVIC_OUTBOX_INDICATOR (find_type (GTK_WIDGET (window),
                                                                       CIVIC_TYPE_OUTBOX_INDICATOR));
  StateWait wait = { f, CIVIC_OUTBOX_STATE_PENDING };
  g_autoptr(GString) shown = g_string_new (NULL);
  g_autoptr(CivicDraft) draft = NULL;
  GtkListBox *list;
  GtkWidget *row, *cancel;

  g_assert_nonnull (indicator);
  g_assert_true (indicator_empty (indicator));

  /* The server refuses every post; the next try is a minute away. */
  civic_test_sim_put (f->sim, "/_sim/faults", "post=500:1");
  civic_outbox_set_backoff (f->outbox, 60 * 1000, 60 * 1000);
  civic_composer_set_text (composer, text);
  g_assert_true (civic_composer_send (composer));
  g_assert_true (civic_test_spin_until (indicator_one, indicator, 5000));

  civic_outbox_start (f->outbox);
  g_assert_true (civic_test_spin_until (reply_in_state, &wait, 20000));
  g_assert_true (civic_test_spin_until (indicator_one, indicator, 5000));

  /* The popover says who it is for and when it is tried again. */
  civic_outbox_indicator_popup (indicator);
  list = civic_outbox_indicator_get_list (indicator);
  row = gtk_widget_get_first_child (GTK_WIDGET (list));
  g_assert_nonnull (row);
  g_assert_null (gtk_widget_get_next_sibling (row));
  collect_text (row, shown);
  g_assert_nonnull (strstr (shown->str, "@vecina_jun"));
  g_assert_nonnull (strstr (shown->str, "15 de junio"));
  g_assert_nonnull (strstr (shown->str, "Next try in "));
  g_assert_nonnull (strstr (shown->str, "HTTP 500"));

  cancel = find_button (row, "_Cancel");
  g_assert_nonnull (cancel);
  g_signal_emit_by_name (cancel, "clicked");

  /* Gone from the outbox and the header; the text is the draft again. */
  g_assert_true (civic_test_spin_until (indicator_empty, indicator, 5000));
  g_assert_null (gtk_widget_get_first_child (GTK_WIDGET (list)));
  draft = civic_drafts_load (civic_context_get_store (f->context), f->mention_id, NULL);
  g_assert_nonnull (draft);
  g_assert_cmpstr (draft->body, ==, text);
  g_assert_true (civic_test_spin_until (composer_shows_draft, composer, 5000));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_hides_once_sent (Fixture       *f,
                      gconstpointer  data)
{
  CivicWindow *window = NULL;
  CivicComposer *composer = open_window (f, &window);
  CivicOutboxIndicator *indicator = CIVIC_OUTBOX_INDICATOR (find_type (GTK_WIDGET (window),
                                                                       CIVIC_TYPE_OUTBOX_INDICATOR));

  g_assert_true (indicator_empty (indicator));
  civic_composer_set_text (composer, "@vecina_jun Abre el 15 de junio.");
  g_assert_true (civic_composer_send (composer));
  g_assert_true (civic_test_spin_until (indicator_one, indicator, 5000));
  g_assert_cmpuint (civic_outbox_indicator_get_n_failed (indicator), ==, 0);

  civic_outbox_start (f->outbox);
  g_assert_true (civic_test_spin_until (indicator_empty, indicator, 20000));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/ui/outbox-indicator/refused-then-cancelled", test_refused_then_cancelled);
  ADD ("/ui/outbox-indicator/hides-once-sent", test_hides_once_sent);

#undef ADD

  return g_test_run ();
}
