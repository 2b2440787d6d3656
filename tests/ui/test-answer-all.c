/* test-answer-all.c
 *
 * "Answer All…" end to end against civic-sim: a cluster of geotagged
 * reports at one spot, one template, one reply per citizen threaded under
 * their status with their name; a second run answers nobody twice.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>

#include "civic-answer-all-dialog.h"
#include "civic-login.h"
#include "civic-outbox.h"
#include "civic-sync.h"
#include "civic-templates.h"
#include "civic-workflow.h"
#include "civic-test-desk.h"
#include "civic-test-sim.h"
#include "civic-test-ui.h"

#define N_REPORTS 5

typedef struct
{
  CivicTestSim *sim;
  char *dir;
  CivicContext *context;
  SoupSession *session;
  CivicSync *sync;
  CivicOutbox *outbox;
  char *status_ids[N_REPORTS];
  GArray *ids;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char * const args[] = { "--mentions", "0", NULL };
  g_autoptr(GError) error = NULL;
  CivicStore *store;

  f->sim = civic_test_sim_start (args);
  f->dir = civic_test_mkdtemp ();
  f->context = civic_test_desk_context_new (f->dir);
  f->session = civic_sync_new_session (5);
  f->sync = civic_sync_new (f->context, f->session);
  f->outbox = civic_outbox_new (f->context, f->session);
  civic_context_set_sync (f->context, f->sync);
  civic_context_set_outbox (f->context, f->outbox);

  /* Five neighbours report the same overflowing bin, at one spot. */
  for (guint i = 0; i < N_REPORTS; i++)
    {
      g_autofree char *form = g_strdup_printf ("to=alcaldia&from=vecino%u_jun&lat=37.2203&lon=-3.5951"
                                               "&text=Contenedor%%20desbordado%%20en%%20la%%20Calle%%20Real", i);
      g_autoptr(JsonNode) posted = civic_test_sim_form (f->sim, "/_sim/mention", form);

      f->status_ids[i] = g_strdup (json_object_get_string_member (json_node_get_object (posted), "status_id"));
    }

  civic_test_desk_sign_in (f->sim, f->context, f->session, f->sync, f->outbox);

  store = civic_context_get_store (f->context);
  f->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < N_REPORTS; i++)
    {
      gint64 id = civic_test_desk_find (f->sim, f->context, f->status_ids[i]);
      g_autoptr(GPtrArray) loaded = NULL;

      loaded = civic_store_load_mentions (store, &id, 1, &error);
      g_assert_no_error (error);
      /* Geotagged: the map clusters them on one spot. */
      g_assert_true (civic_mention_get_point (g_ptr_array_index (loaded, 0), NULL, NULL));
      g_array_append_val (f->ids, id);
    }

  g_assert_cmpint (civic_templates_add (store, civic_store_lookup_department (store, "alcaldia"), "contenedor", "Contenedor",
                                        "Gracias, {nombre}: {departamento} lo recoge en {calle} en {plazo}.", &error), >, 0);
  g_assert_no_error (error);
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
  for (guint i = 0; i < N_REPORTS; i++)
    g_free (f->status_ids[i]);
  g_array_unref (f->ids);
}

static gboolean
all_answered (gpointer user_data)
{
  Fixture *f = user_data;

  for (guint i = 0; i < f->ids->len; i++)
    {
      g_auto(CivicWorkflowState) state = { 0 };

      if (!civic_workflow_load_state (civic_context_get_store (f->context), g_array_index (f->ids, gint64, i),
                                      &state, NULL) ||
          state.state != CIVIC_MENTION_STATE_ANSWERED)
        return FALSE;
    }

  return TRUE;
}

/* Replies on civic-sim under each report, and that each names its citizen. */
static guint
count_replies (Fixture *f)
{
  g_autoptr(JsonNode) statuses = civic_test_sim_call (f->sim, "GET", "/_sim/statuses?account=alcaldia", NULL, NULL);
  JsonArray *array = json_node_get_array (statuses);
  guint replies = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *status = json_array_get_object_element (array, i);
      const char *in_reply_to = json_object_get_string_member_with_default (status, "in_reply_to_id", NULL);

      for (guint k = 0; k < N_REPORTS; k++)
        {
          g_autoptr(GPtrArray) loaded = NULL;
          gint64 id = g_array_index (f->ids, gint64, k);
          const char *name;

          if (g_strcmp0 (in_reply_to, f->status_ids[k]) != 0)
            continue;

          replies++;
          loaded = civic_store_load_mentions (civic_context_get_store (f->context), &id, 1, NULL);
          name = civic_mention_get_author_name (g_ptr_array_index (loaded, 0));
          if (name == NULL || *name == '\0')
            name = civic_mention_get_author_acct (g_ptr_array_index (loaded, 0));
          g_test_message ("reply to %s: %s", f->status_ids[k], json_object_get_string_member (status, "text"));
          g_assert_nonnull (strstr (json_object_get_string_member (status, "text"), name));
          g_assert_nonnull (strstr (json_object_get_string_member (status, "text"), "Alcaldía lo recoge en Calle Real en"));
          /* Nobody reads these one by one: no placeholder is left. */
          g_assert_null (strchr (json_object_get_string_member (status, "text"), '{'));
          g_assert_cmpstr (json_object_get_string_member (status, "visibility"), ==, "public");
        }
    }

  return replies;
}

static void
test_answer_cluster (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *parent = gtk_label_new ("");
  CivicAnswerAllDialog *dialog;

  gtk_window_set_child (GTK_WINDOW (window), parent);
  civic_test_present_and_wait (GTK_WINDOW (window));

  dialog = CIVIC_ANSWER_ALL_DIALOG (civic_answer_all_dialog_new (f->context, parent,
                                                                 (const gint64 *) (gpointer) f->ids->data,
                                                                 f->ids->len));
  civic_test_present_and_wait (GTK_WINDOW (dialog));
  g_assert_cmpuint (civic_answer_all_dialog_get_n_templates (dialog), ==, 1);
  g_assert_cmpuint (civic_answer_all_dialog_get_n_replies (dialog), ==, N_REPORTS);
  g_test_message ("preview: %s", civic_answer_all_dialog_get_preview (dialog));
  g_assert_true (g_str_has_prefix (civic_answer_all_dialog_get_preview (dialog), "@vecino0_jun Gracias, "));
  civic_test_screenshot ("answer-all-dialog");

  g_object_ref (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "send");
  g_assert_cmpstr (civic_answer_all_dialog_get_report (dialog), ==, "5 replies queued");
  g_object_unref (dialog);

  civic_outbox_start (f->outbox);
  g_assert_true (civic_test_spin_until (all_answered, f, 20000));
  g_assert_cmpuint (count_replies (f), ==, N_REPORTS);

  /* Again, on the same cluster: everyone is answered, nothing goes out. */
  dialog = CIVIC_ANSWER_ALL_DIALOG (civic_answer_all_dialog_new (f->context, parent,
                                                                 (const gint64 *) (gpointer) f->ids->data,
                                                                 f->ids->len));
  g_assert_cmpuint (civic_answer_all_dialog_get_n_replies (dialog), ==, 0);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "send"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (count_replies (f), ==, N_REPORTS);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/answer-all/cluster", Fixture, NULL, fixture_set_up, test_answer_cluster, fixture_tear_down);

  return g_test_run ();
}
