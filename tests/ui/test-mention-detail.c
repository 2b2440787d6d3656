/* test-mention-detail.c
 *
 * The detail pane against civic-sim under Xvfb: a mention's whole thread
 * (what it answers, the town's reply to it) in order and with hostile HTML
 * shown as text; switching mentions fast never shows one mention's thread
 * on another; the place on a small map, only when there is a place; a
 * server that fails the thread leaves a clear line and a pane that works.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <math.h>
#include <shumate/shumate.h>

#include "civic-login.h"
#include "civic-main-layout.h"
#include "civic-mention-detail.h"
#include "civic-outbox.h"
#include "civic-sync.h"
#include "civic-test-desk.h"
#include "civic-test-sim.h"
#include "civic-test-ui.h"
#include "civic-window.h"
#include "civic-workflow.h"

#define PLACE_LAT 37.22031
#define PLACE_LON -3.59512

typedef struct
{
  CivicTestSim *sim;
  char *dir;
  CivicContext *context;
  SoupSession *session;
  CivicSync *sync;
  CivicWindow *window;
  CivicMentionDetail *detail;
  gint64 threaded_id;    /* answers the first post, has the town's reply, has a place */
  gint64 alone_id;       /* no thread, no place */
} Fixture;

static char *
sim_mention (Fixture    *f,
             const char *form)
{
  g_autoptr(JsonNode) posted = civic_test_sim_form (f->sim, "/_sim/mention", form);

  return g_strdup (json_object_get_string_member (json_node_get_object (posted), "status_id"));
}

/* The town answers from outside the desk (the web), with its own token. */
static void
post_as_town (Fixture    *f,
              const char *form)
{
  g_autofree char *uri = g_strconcat (f->sim->url, "/api/v1/statuses", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", civic_test_sim_token (f->sim, "alcaldia"), NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
  answer = soup_session_send_and_read (f->sim->control, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char * const args[] = { "--mentions", "0", NULL };
  g_autofree char *first = NULL;
  g_autofree char *threaded = NULL;
  g_autofree char *alone = NULL;
  g_autofree char *form = NULL;

  f->sim = civic_test_sim_start (args);
  f->dir = civic_test_mkdtemp ();
  f->context = civic_test_desk_context_new (f->dir);
  f->session = civic_sync_new_session (5);
  f->sync = civic_sync_new (f->context, f->session);
  civic_context_set_sync (f->context, f->sync);

  /* A hostile first post, a neighbour's answer to it with a place, and
   * the town's reply to that answer; then an unrelated mention. */
  first = sim_mention (f, "to=alcaldia&from=vecina_jun"
                          "&text=%3Cb%3Ex%3C%2Fb%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E%20farola%20rota");
  form = g_strdup_printf ("to=alcaldia&from=vecino_jun&text=Sigue%%20sin%%20luz&in_reply_to_id=%s"
                          "&lat=%.5f&lon=%.5f", first, PLACE_LAT, PLACE_LON);
  threaded = sim_mention (f, form);
  g_free (form);
  form = g_strdup_printf ("status=%%40vecino_jun%%20Avisamos%%20a%%20los%%20t%%C3%%A9cnicos&in_reply_to_id=%s",
                          threaded);
  post_as_town (f, form);
  alone = sim_mention (f, "to=alcaldia&from=otra_vecina&text=%C2%BFA%20qu%C3%A9%20hora%20abre%20el%20mercado%3F");

  civic_test_desk_sign_in (f->sim, f->context, f->session, f->sync, NULL);

  f->threaded_id = civic_test_desk_find (f->sim, f->context, threaded);
  f->alone_id = civic_test_desk_find (f->sim, f->context, alone);

  f->window = civic_window_new (NULL, f->context);
  civic_test_present_and_wait (GTK_WINDOW (f->window));
  g_assert_true (civic_main_layout_select_department (civic_window_get_layout (f->window), "alcaldia"));
  f->detail = civic_queue_view_get_detail (civic_main_layout_get_queue_view (civic_window_get_layout (f->window)));
  g_assert_nonnull (f->detail);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  civic_sync_stop (f->sync);
  g_clear_object (&f->sync);
  g_clear_object (&f->session);
  g_clear_object (&f->context);
  civic_test_sim_stop (f->sim);
  civic_test_rmdir (f->dir);
  g_free (f->dir);
}

#define CHILD(f, name) civic_test_child ((f)->detail, CIVIC_TYPE_MENTION_DETAIL, (name))

static void
show (Fixture *f,
      gint64   mention_id)
{
  g_assert_true (civic_queue_view_select_mention (civic_main_layout_get_queue_view (civic_window_get_layout (f->window)),
                                                  mention_id));
  g_assert_cmpint (civic_mention_detail_get_mention_id (f->detail), ==, mention_id);
}

/* The thread has arrived (or failed): the spinner is gone. */
static gboolean
thread_settled (gpointer user_data)
{
  Fixture *f = user_data;

  return !gtk_widget_get_visible (CHILD (f, "thread_spinner")) &&
         (gtk_widget_get_visible (CHILD (f, "thread_list")) ||
          gtk_widget_get_visible (CHILD (f, "thread_status_box")));
}

static GPtrArray *
thread_rows (Fixture *f)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);

  for (GtkWidget *row = gtk_widget_get_first_child (CHILD (f, "thread_list")); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    g_ptr_array_add (rows, civic_test_dup_labels (row));

  return rows;
}

static void
test_thread_in_order (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  const char *first, *here, *reply;

  show (f, f->threaded_id);
  g_assert_true (gtk_widget_get_visible (CHILD (f, "thread_group")));
  g_assert_true (civic_test_spin_until (thread_settled, f, 10000));
  g_assert_true (gtk_widget_get_visible (CHILD (f, "thread_list")));

  rows = thread_rows (f);
  g_assert_cmpuint (rows->len, ==, 3);
  first = g_ptr_array_index (rows, 0);
  here = g_ptr_array_index (rows, 1);
  reply = g_ptr_array_index (rows, 2);
  g_test_message ("thread: %s / %s / %s", first, here, reply);

  /* What it answers, above it; the tags are shown as text, never parsed. */
  g_assert_nonnull (strstr (first, "@vecina_jun"));
  g_assert_nonnull (strstr (first, "<b>x</b><script>alert(1)</script> farola rota"));
  g_assert_null (strstr (first, "Town"));
  /* The mention itself, placed in its thread. */
  g_assert_nonnull (strstr (here, "This mention"));
  g_assert_nonnull (strstr (here, "Sigue sin luz"));
  /* The town's reply, below it and marked as ours. */
  g_assert_nonnull (strstr (reply, "@alcaldia"));
  g_assert_nonnull (strstr (reply, "Avisamos a los técnicos"));
  g_assert_nonnull (strstr (reply, "Town reply"));

  /* Nothing the citizen wrote became markup in the label either. */
  {
    GtkWidget *row = gtk_widget_get_first_child (CHILD (f, "thread_list"));
    g_autofree char *labels = civic_test_dup_labels (row);

    g_assert_nonnull (strstr (labels, "<script>"));
  }
}

static void
test_switch_quickly (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;

  /* The first's thread is up; choosing the second takes it away at once,
   * before the second's answer is in. */
  show (f, f->threaded_id);
  g_assert_true (civic_test_spin_until (thread_settled, f, 10000));
  g_assert_true (gtk_widget_get_visible (CHILD (f, "thread_list")));
  show (f, f->alone_id);
  g_assert_false (gtk_widget_get_visible (CHILD (f, "thread_list")));
  g_assert_null (gtk_widget_get_first_child (CHILD (f, "thread_list")));

  /* Requests for the first are on the wire when the second is chosen. */
  for (guint i = 0; i < 5; i++)
    {
      show (f, f->threaded_id);
      show (f, f->alone_id);
    }

  g_assert_true (civic_test_spin_until (thread_settled, f, 10000));
  /* Let any late answer for the first arrive: it must change nothing. */
  civic_test_flush (500);

  rows = thread_rows (f);
  g_assert_false (gtk_widget_get_visible (CHILD (f, "thread_list")));
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_nonnull (strstr (gtk_label_get_text (CHILD (f, "thread_status_label")), "No other messages"));

  /* And back: the first's thread, not the second's state. */
  show (f, f->threaded_id);
  g_assert_true (civic_test_spin_until (thread_settled, f, 10000));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = thread_rows (f);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_false (gtk_widget_get_visible (CHILD (f, "thread_status_box")));
}

static void
test_place_map (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *button = CHILD (f, "place_map_button");
  GtkWidget *overlay = CHILD (f, "place_map_overlay");
  ShumateMap *map;
  ShumateViewport *viewport;

  show (f, f->threaded_id);
  g_assert_true (gtk_widget_get_visible (button));
  map = SHUMATE_MAP (gtk_overlay_get_child (GTK_OVERLAY (overlay)));
  viewport = shumate_map_get_viewport (map);
  g_assert_cmpfloat (fabs (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)) - PLACE_LAT), <, 1e-4);
  g_assert_cmpfloat (fabs (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)) - PLACE_LON), <, 1e-4);
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), >=, 15);
  /* A picture of the place: it takes no pointer (the pane scrolls over it). */
  g_assert_false (gtk_widget_get_can_target (GTK_WIDGET (map)));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "desk.show-on-map");
  civic_test_screenshot ("mention-detail-place");

  /* No place: no map. */
  show (f, f->alone_id);
  g_assert_false (gtk_widget_get_visible (button));

  show (f, f->threaded_id);
  g_assert_true (gtk_widget_get_visible (button));
}

static gboolean
claimed (gpointer user_data)
{
  Fixture *f = user_data;
  g_auto(CivicWorkflowState) state = { 0 };

  return civic_workflow_load_state (civic_context_get_store (f->context), f->threaded_id, &state, NULL) &&
         state.state == CIVIC_MENTION_STATE_IN_PROGRESS;
}

static void
test_server_error (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  const char *line;

  civic_test_sim_put (f->sim, "/_sim/faults", "context=500,500,500");
  show (f, f->threaded_id);
  g_assert_true (civic_test_spin_until (thread_settled, f, 10000));

  line = gtk_label_get_text (CHILD (f, "thread_status_label"));
  g_test_message ("status: %s", line);
  g_assert_true (gtk_widget_get_visible (CHILD (f, "thread_status_box")));
  g_assert_nonnull (strstr (line, "could not be loaded"));
  g_assert_true (gtk_widget_get_visible (CHILD (f, "thread_retry_button")));
  g_assert_false (gtk_widget_get_visible (CHILD (f, "thread_list")));
  civic_test_screenshot ("mention-detail-thread-error");

  /* The rest of the pane works. */
  g_assert_true (gtk_widget_get_visible (CHILD (f, "place_map_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->detail), "mention.claim", NULL));
  g_assert_true (civic_test_spin_until (claimed, f, 5000));

  /* Once the server is back, trying again brings the thread. */
  {
    g_autoptr(JsonNode) cleared = civic_test_sim_call (f->sim, "DELETE", "/_sim/faults", NULL, NULL);
  }
  g_signal_emit_by_name (CHILD (f, "thread_retry_button"), "clicked");
  g_assert_true (gtk_widget_get_visible (CHILD (f, "thread_spinner")));
  g_assert_true (civic_test_spin_until (thread_settled, f, 10000));
  rows = thread_rows (f);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_false (gtk_widget_get_visible (CHILD (f, "thread_status_box")));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/ui/mention-detail/thread-in-order", test_thread_in_order);
  ADD ("/ui/mention-detail/switch-quickly", test_switch_quickly);
  ADD ("/ui/mention-detail/place-map", test_place_map);
  ADD ("/ui/mention-detail/server-error", test_server_error);

  return g_test_run ();
}
