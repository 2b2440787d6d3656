/* bench-stream.c
 *
 * Latency from "a citizen's mention is posted on the server" to "the row
 * is committed in the desk's store", over the streaming WebSocket on
 * loopback: civic-sim posts (through its control API, asked asynchronously
 * so the desk's main loop keeps running), the desk's sync engine receives,
 * parses, routes and commits. 1,000 samples.
 *
 *   bench: stream_latency_p50 N ms
 *   bench: stream_latency_p99 N ms
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>

#include "civic-login.h"
#include "civic-sync.h"
#include "civic-test-sim.h"

#define SAMPLES 1000

typedef struct
{
  gboolean done;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

typedef struct
{
  CivicStore *store;
  gint64 expected;
  gint64 committed_at;
} Sample;

static void
store_changed_cb (CivicStore *store,
                  Sample     *sample)
{
  if (sample->committed_at == 0 && civic_store_count_mentions (store) >= sample->expected)
    sample->committed_at = g_get_monotonic_time ();
}

static gboolean
committed (gpointer user_data)
{
  return ((Sample *) user_data)->committed_at != 0;
}

static gboolean
is_live (gpointer user_data)
{
  g_autoptr(CivicAccountSync) account = g_list_model_get_item (civic_sync_get_accounts (user_data), 0);

  return civic_account_sync_get_state (account) == CIVIC_SYNC_STATE_LIVE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const args[] = { "--mentions", "0", NULL };
  CivicTestSim *sim = civic_test_sim_start (args);
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "desk.db", NULL);
  g_autoptr(CivicStore) store = civic_store_new (path, NULL);
  g_autoptr(CivicContext) context = civic_context_new (store, NULL);
  g_autoptr(SoupSession) session = civic_sync_new_session (10);
  g_autoptr(SoupSession) poster = soup_session_new ();
  g_autoptr(CivicSync) sync = civic_sync_new (context, session);
  g_autoptr(CivicAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *post_uri = g_strconcat (sim->url, "/_sim/mention", NULL);
  double latencies[SAMPLES];
  gint64 department;
  Sample sample = { store, 0, 0 };
  Wait wait = { 0 };

  department = civic_store_ensure_department (store, "alcaldia", "Alcaldía", NULL, 60, &error);
  civic_login_with_token_async (session, store, sim->url, civic_test_sim_token (sim, "alcaldia"), department,
                                CIVIC_LOGIN_FLAGS_NO_KEYRING, NULL, wait_cb, &wait);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
  account = civic_login_with_token_finish (wait.result, NULL, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  civic_sync_set_token (sync, sim->url, "alcaldia", civic_test_sim_token (sim, "alcaldia"));
  wait.done = FALSE;
  civic_sync_reload_async (sync, NULL, wait_cb, &wait);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
  g_assert_true (civic_sync_reload_finish (sync, wait.result, NULL));
  g_clear_object (&wait.result);

  civic_sync_start (sync);
  g_assert_true (civic_test_spin_until (is_live, sync, 20000));

  g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), &sample);

  for (guint i = 0; i < SAMPLES; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", post_uri);
      g_autofree char *form = g_strdup_printf ("to=alcaldia&text=Aviso%%20n%%C3%%BAmero%%20%u", i);
      g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));
      gint64 start;

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
      sample.expected = civic_store_count_mentions (store) + 1;
      sample.committed_at = 0;
      wait.done = FALSE;

      start = g_get_monotonic_time ();
      soup_session_send_and_read_async (poster, msg, G_PRIORITY_DEFAULT, NULL, wait_cb, &wait);
      g_assert_true (civic_test_spin_until (committed, &sample, 10000));
      latencies[i] = (sample.committed_at - start) / 1000.0;

      /* The control call's answer, so messages do not pile up. */
      g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
      g_clear_pointer (&body, g_bytes_unref);
      body = soup_session_send_and_read_finish (poster, wait.result, &error);
      g_clear_object (&wait.result);
      g_assert_no_error (error);
    }

  g_assert_cmpint (civic_store_count_mentions (store), ==, SAMPLES);

  qsort (latencies, SAMPLES, sizeof (double), compare_doubles);
  g_print ("# %u samples, min %.2f ms, max %.2f ms\n", SAMPLES, latencies[0], latencies[SAMPLES - 1]);
  g_print ("bench: stream_latency_p50 %.2f ms\n", latencies[SAMPLES / 2]);
  g_print ("bench: stream_latency_p99 %.2f ms\n", latencies[SAMPLES * 99 / 100]);

  civic_sync_stop (sync);
  civic_test_sim_stop (sim);
  civic_test_rmdir (dir);
  return 0;
}
