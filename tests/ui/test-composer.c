/* test-composer.c
 *
 * The reply, end to end under Xvfb: a citizen's mention on civic-sim
 * reaches the desk, staff type a reply in the real window and send it;
 * the mention is answered in the store and the reply is in civic-sim's
 * thread, once. Also: drafts come back, the counter counts as the server
 * does, personal data suggests a private message.
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
#include "civic-sync.h"
#include "civic-test-desk.h"
#include "civic-test-sim.h"
#include "civic-window.h"
#include "civic-workflow.h"

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
answered (gpointer user_data)
{
  Fixture *f = user_data;
  g_auto(CivicWorkflowState) state = { 0 };

  return civic_workflow_load_state (civic_context_get_store (f->context), f->mention_id, &state, NULL) &&
         state.state == CIVIC_MENTION_STATE_ANSWERED;
}

static void
test_reply_reaches_thread (Fixture       *f,
                           gconstpointer  data)
{
  CivicWindow *window = NULL;
  CivicComposer *composer = open_window (f, &window);
  g_autofree char *prefill = civic_composer_dup_text (composer);
  g_autoptr(JsonNode) statuses = NULL;
  JsonArray *array;
  guint replies = 0;

  /* Threaded to the citizen, who is named first. */
  g_assert_true (g_str_has_prefix (prefill, "@vecina_jun "));

  civic_composer_set_text (composer, "@vecina_jun La piscina abre el 15 de junio. ¡Un saludo!");
  g_assert_true (civic_composer_send (composer));

  /* Typing claimed it for Ana; sending queued it; the outbox delivers. */
  civic_outbox_start (f->outbox);
  g_assert_true (civic_test_spin_until (answered, f, 20000));

  statuses = civic_test_sim_call (f->sim, "GET", "/_sim/statuses?account=alcaldia", NULL, NULL);
  array = json_node_get_array (statuses);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *status = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (status, "in_reply_to_id"), f->status_id) == 0)
        {
          replies++;
          g_assert_nonnull (strstr (json_object_get_string_member (status, "text"), "15 de junio"));
          g_assert_nonnull (json_object_get_string_member (status, "idempotency_key"));
        }
    }
  g_assert_cmpuint (replies, ==, 1);

  /* The composer is empty again and keeps no draft. */
  {
    g_autofree char *after = civic_composer_dup_text (composer);

    g_assert_cmpstr (after, ==, "");
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_draft_survives (Fixture       *f,
                     gconstpointer  data)
{
  CivicWindow *window = NULL;
  CivicComposer *composer = open_window (f, &window);
  g_autofree char *restored = NULL;

  civic_composer_set_text (composer, "@vecina_jun Lo consulto con deportes y le digo");
  civic_composer_save_draft (composer);
  gtk_window_destroy (GTK_WINDOW (window));

  /* A new window (as after a crash and a restart) finds it exactly. */
  composer = open_window (f, &window);
  restored = civic_composer_dup_text (composer);
  g_assert_cmpstr (restored, ==, "@vecina_jun Lo consulto con deportes y le digo");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The language chosen for the reply is saved with the draft and comes
 * back with it; untouched, it is the department's. */
static void
test_language_in_draft (Fixture       *f,
                        gconstpointer  data)
{
  CivicWindow *window = NULL;
  CivicComposer *composer = open_window (f, &window);
  g_autoptr(CivicDraft) draft = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (civic_composer_get_language (composer), ==, "es");

  civic_composer_set_text (composer, "@vecina_jun La piscine ouvre le 15 juin.");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.language", "s", "fr"));
  g_assert_cmpstr (civic_composer_get_language (composer), ==, "fr");
  civic_composer_save_draft (composer);

  draft = civic_drafts_load (civic_context_get_store (f->context), f->mention_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (draft);
  g_assert_cmpstr (draft->language, ==, "fr");
  gtk_window_destroy (GTK_WINDOW (window));

  composer = open_window (f, &window);
  g_assert_cmpstr (civic_composer_get_language (composer), ==, "fr");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
widget_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

/* A long answer in a window of its own: one editor at a time, and the
 * text comes back to the pane (and is the draft) when it closes. */
static void
test_composer_window (Fixture       *f,
                      gconstpointer  data)
{
  const char *typed = "@vecina_jun La piscina abre el 15 de junio.\n\nHorario: de 11 a 20 h.";
  CivicWindow *window = NULL;
  CivicComposer *composer = open_window (f, &window);
  GtkWidget *pane_text = find_type (GTK_WIDGET (composer), GTK_TYPE_TEXT_VIEW);
  g_autoptr(CivicDraft) draft = NULL;
  g_autofree char *carried = NULL;
  g_autofree char *back = NULL;
  CivicComposer *detached;
  GtkWindow *reply_window;

  civic_composer_set_text (composer, "@vecina_jun La piscina");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.open-window", NULL));
  reply_window = civic_composer_get_window (composer);
  detached = civic_composer_get_detached (composer);
  g_assert_nonnull (reply_window);
  g_assert_nonnull (detached);
  g_assert_true (gtk_window_get_transient_for (reply_window) == GTK_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (reply_window), ==, "Reply to @vecina_jun");
  g_assert_true (civic_test_spin_until (widget_mapped, reply_window, 10000));

  /* What was typed went along; the pane no longer edits it. */
  carried = civic_composer_dup_text (detached);
  g_assert_cmpstr (carried, ==, "@vecina_jun La piscina");
  g_assert_false (gtk_widget_get_mapped (pane_text));
  gtk_widget_activate_action (GTK_WIDGET (composer), "composer.open-window", NULL);
  g_assert_true (civic_composer_get_window (composer) == reply_window);
  g_assert_true (civic_composer_get_detached (composer) == detached);

  civic_composer_set_text (detached, typed);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detached), "composer.language", "s", "ca"));

  /* The pane's stale copy is neither sent (Ctrl+Enter there) nor saved
   * over the window's draft. */
  g_assert_false (civic_composer_send (composer));
  civic_composer_save_draft (detached);
  civic_composer_save_draft (composer);
  {
    g_autoptr(CivicDraft) during = civic_drafts_load (civic_context_get_store (f->context), f->mention_id, NULL);
    g_autoptr(GPtrArray) none = civic_outbox_list (f->outbox, f->mention_id, 0, NULL);

    g_assert_cmpuint (none->len, ==, 0);
    g_assert_nonnull (during);
    g_assert_cmpstr (during->body, ==, typed);
  }

  gtk_window_close (reply_window);
  g_assert_null (civic_composer_get_window (composer));
  g_assert_true (civic_test_spin_until (widget_mapped, pane_text, 10000));
  back = civic_composer_dup_text (composer);
  g_assert_cmpstr (back, ==, typed);
  g_assert_cmpstr (civic_composer_get_language (composer), ==, "ca");

  draft = civic_drafts_load (civic_context_get_store (f->context), f->mention_id, NULL);
  g_assert_nonnull (draft);
  g_assert_cmpstr (draft->body, ==, typed);
  g_assert_cmpstr (draft->language, ==, "ca");

  /* Sent from the window, the reply is queued and the window goes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.open-window", NULL));
  detached = civic_composer_get_detached (composer);
  g_assert_true (civic_composer_send (detached));
  g_assert_null (civic_composer_get_window (composer));
  g_clear_pointer (&back, g_free);
  back = civic_composer_dup_text (composer);
  g_assert_cmpstr (back, ==, "");
  {
    g_autoptr(GPtrArray) queued = civic_outbox_list (f->outbox, f->mention_id, 0, NULL);

    g_assert_cmpuint (queued->len, ==, 1);
    g_assert_cmpstr (((CivicOutboxItem *) g_ptr_array_index (queued, 0))->language, ==, "ca");
  }

  /* Destroyed without a close request (with its parent, say): the pane
   * edits again and points at nothing gone. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.open-window", NULL));
  reply_window = civic_composer_get_window (composer);
  civic_composer_set_text (civic_composer_get_detached (composer), "@vecina_jun Otra cosa");
  gtk_window_destroy (reply_window);
  g_assert_null (civic_composer_get_window (composer));
  g_assert_null (civic_composer_get_detached (composer));
  g_assert_true (civic_test_spin_until (widget_mapped, pane_text, 10000));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_counter_and_privacy (Fixture       *f,
                          gconstpointer  data)
{
  CivicWindow *window = NULL;
  CivicComposer *composer = open_window (f, &window);
  g_autoptr(GString) long_text = g_string_new (NULL);

  /* A URL counts 23 whatever its length; a remote mention counts as local. */
  civic_composer_set_text (composer, "Mire https://www.jun.es/ayuntamiento/piscina-municipal/horarios-2026 @ana@otro.example");
  g_assert_cmpuint (civic_composer_get_count (composer), ==, 5 + 23 + 1 + 4);
  g_assert_cmpuint (civic_composer_get_limit (composer), ==, 500);

  /* A DNI in a public reply: a private message is suggested. */
  civic_composer_set_text (composer, "@vecina_jun Su DNI 12345678Z está registrado.");
  g_assert_true (civic_composer_get_privacy_suggested (composer));

  /* Over the limit it cannot be sent. */
  while (long_text->len < 520)
    g_string_append (long_text, "abcdefghij");
  civic_composer_set_text (composer, long_text->str);
  g_assert_false (civic_composer_send (composer));

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

  ADD ("/ui/composer/reply-reaches-thread", test_reply_reaches_thread);
  ADD ("/ui/composer/draft-survives", test_draft_survives);
  ADD ("/ui/composer/counter-and-privacy", test_counter_and_privacy);
  ADD ("/ui/composer/language-in-draft", test_language_in_draft);
  ADD ("/ui/composer/window", test_composer_window);

#undef ADD

  return g_test_run ();
}
