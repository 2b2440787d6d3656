/* test-sync.c
 *
 * The sync engine against civic-sim on 127.0.0.1: backfill, resume, live
 * streaming, dropped streams, restarts, faults, revoked logins and servers
 * that differ from Mastodon. Every test ends by checking that the store
 * holds exactly the server's mentions.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-ingest.h"
#include "civic-login.h"
#include "civic-store-sync.h"
#include "civic-sync.h"
#include "civic-test-sim.h"
#include "civic-workflow.h"

typedef struct
{
  CivicTestSim *sim;
  char *dir;
  CivicContext *context;
  SoupSession *session;
  CivicSync *sync;
} Fixture;

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

static void
setup_with (Fixture            *f,
            const char * const *sim_args)
{
  g_autofree char *path = NULL;
  g_autoptr(CivicStore) store = NULL;
  g_autoptr(GError) error = NULL;

  f->sim = civic_test_sim_start (sim_args);
  f->dir = civic_test_mkdtemp ();
  path = g_build_filename (f->dir, "desk.db", NULL);
  store = civic_store_new (path, &error);
  g_assert_no_error (error);
  f->context = civic_context_new (store, NULL);
  /* Short timeouts so that a hanging server costs seconds, not minutes. */
  f->session = civic_sync_new_session (3);
  f->sync = civic_sync_new (f->context, f->session);
  civic_sync_set_backoff_base_ms (f->sync, 30);
  civic_sync_set_poll_interval (f->sync, 1);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char * const args[] = { "--mentions", "0", NULL };

  setup_with (f, data != NULL ? data : args);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->sync != NULL)
    civic_sync_stop (f->sync);
  g_clear_object (&f->sync);
  g_clear_object (&f->session);
  g_clear_object (&f->context);
  civic_test_sim_stop (f->sim);
  civic_test_rmdir (f->dir);
  g_free (f->dir);
}

static CivicStore *
store_of (Fixture *f)
{
  return civic_context_get_store (f->context);
}

/* Binds a department to its account on the sim, token kept in memory. */
static void
bind (Fixture    *f,
      const char *acct)
{
  const char *token = civic_test_sim_token (f->sim, acct);
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicAccount) account = NULL;
  gint64 department;
  Wait wait = { 0 };

  department = civic_store_ensure_department (store_of (f), acct, acct, NULL, 60, &error);
  g_assert_no_error (error);
  civic_login_with_token_async (f->session, store_of (f), f->sim->url, token, department,
                                CIVIC_LOGIN_FLAGS_NO_KEYRING, NULL, wait_cb, &wait);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
  account = civic_login_with_token_finish (wait.result, NULL, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_cmpstr (account->acct, ==, acct);

  civic_sync_set_token (f->sync, f->sim->url, acct, token);

  wait.done = FALSE;
  civic_sync_reload_async (f->sync, NULL, wait_cb, &wait);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
  g_assert_true (civic_sync_reload_finish (f->sync, wait.result, &error));
  g_object_unref (wait.result);
  g_assert_no_error (error);
}

static void
post_mentions (Fixture    *f,
               const char *to,
               guint       count)
{
  g_autofree char *form = g_strdup_printf ("count=%u&to=%s", count, to);
  g_autoptr(JsonNode) answer = civic_test_sim_form (f->sim, "/_sim/mentions", form);

  g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer), "created"), ==, count);
}

static char *
post_mention (Fixture    *f,
              const char *to,
              const char *text)
{
  g_autofree char *escaped = g_uri_escape_string (text, NULL, FALSE);
  g_autofree char *form = g_strdup_printf ("to=%s&text=%s", to, escaped);
  g_autoptr(JsonNode) answer = civic_test_sim_form (f->sim, "/_sim/mention", form);

  return g_strdup (json_object_get_string_member (json_node_get_object (answer), "status_id"));
}

static void
run_once (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };

  civic_sync_run_once_async (f->sync, NULL, wait_cb, &wait);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 120000));
  g_assert_true (civic_sync_run_once_finish (f->sync, wait.result, &error));
  g_object_unref (wait.result);
  g_assert_no_error (error);
}

static CivicAccountSync *
first_account (Fixture *f)
{
  g_autoptr(CivicAccountSync) account = g_list_model_get_item (civic_sync_get_accounts (f->sync), 0);

  return account;
}

typedef struct
{
  Fixture *f;
  CivicSyncState state;
} StateWait;

static gboolean
state_reached (gpointer user_data)
{
  StateWait *wait = user_data;

  return civic_account_sync_get_state (first_account (wait->f)) == wait->state;
}

static void
wait_for_state (Fixture        *f,
                CivicSyncState  state,
                guint           timeout_ms)
{
  StateWait wait = { f, state };

  if (!civic_test_spin_until (state_reached, &wait, timeout_ms))
    g_error ("Expected state %s, still %s (%s)", civic_sync_state_to_string (state),
             civic_sync_state_to_string (civic_account_sync_get_state (first_account (f))),
             civic_account_sync_get_message (first_account (f)));
}

typedef struct
{
  Fixture *f;
  gint64 count;
} CountWait;

static gboolean
count_reached (gpointer user_data)
{
  CountWait *wait = user_data;

  return civic_store_count_mentions (store_of (wait->f)) >= wait->count;
}

typedef struct
{
  Fixture *f;
  GPtrArray *ids;
} IdsWait;

static gboolean
all_stored (gpointer user_data)
{
  IdsWait *wait = user_data;
  gint64 server_id = civic_store_ensure_server (store_of (wait->f), wait->f->sim->url, NULL);

  for (guint i = 0; i < wait->ids->len; i++)
    if (civic_store_find_mention (store_of (wait->f), server_id, g_ptr_array_index (wait->ids, i)) == 0)
      return FALSE;

  return TRUE;
}

static void
test_backfill_and_resume (Fixture       *f,
                          gconstpointer  data)
{
  CivicSyncPosition position;
  g_autoptr(CivicBoundAccount) unused = NULL;
  GPtrArray *accounts;

  post_mentions (f, "alcaldia", 5000);
  bind (f, "alcaldia");
  run_once (f);

  /* Every mention exactly once (status ids are unique in the store). */
  g_assert_cmpint (civic_store_count_mentions (store_of (f)), ==, 5000);

  accounts = civic_store_list_bound_accounts (store_of (f), NULL);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_true (civic_store_get_sync_position (store_of (f),
                                                ((CivicBoundAccount *) g_ptr_array_index (accounts, 0))->account_id,
                                                &position, NULL));
  g_assert_nonnull (position.newest_id);
  g_assert_true (position.backfill_done);
  civic_sync_position_clear (&position);
  g_ptr_array_unref (accounts);

  /* Resuming fetches only what is new. */
  post_mentions (f, "alcaldia", 130);
  run_once (f);
  g_assert_cmpint (civic_store_count_mentions (store_of (f)), ==, 5130);

  /* Mentions of other departments' accounts are not ours to fetch. */
  post_mentions (f, "policia", 20);
  run_once (f);
  g_assert_cmpint (civic_store_count_mentions (store_of (f)), ==, 5130);
}

static void
test_live_stream (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  IdsWait wait = { f, ids };

  bind (f, "alcaldia");
  civic_sync_start (f->sync);
  wait_for_state (f, CIVIC_SYNC_STATE_LIVE, 20000);

  g_ptr_array_add (ids, post_mention (f, "alcaldia", "La farola de la plaza sigue apagada"));
  g_assert_true (civic_test_spin_until (all_stored, &wait, 5000));
  g_assert_cmpint (civic_store_count_mentions (store_of (f)), ==, 1);
}

static void
test_stream_dropped (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  IdsWait wait = { f, ids };

  bind (f, "alcaldia");
  civic_sync_start (f->sync);
  wait_for_state (f, CIVIC_SYNC_STATE_LIVE, 20000);

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(JsonNode) dropped = NULL;

      for (guint i = 0; i < 20; i++)
        {
          g_autofree char *text = g_strdup_printf ("Aviso %u-%u", round, i);

          g_ptr_array_add (ids, post_mention (f, "alcaldia", text));
          if (i == 10)
            dropped = civic_test_sim_form (f->sim, "/_sim/drop-streams", "");
        }
    }

  /* After reconnecting and filling the gap, every mention is there once. */
  if (!civic_test_spin_until (all_stored, &wait, 30000))
    g_error ("Not all stored: %" G_GINT64_FORMAT " of 60; state %s (%s)",
             civic_store_count_mentions (store_of (f)),
             civic_sync_state_to_string (civic_account_sync_get_state (first_account (f))),
             civic_account_sync_get_message (first_account (f)));
  wait_for_state (f, CIVIC_SYNC_STATE_LIVE, 20000);
  g_assert_cmpint (civic_store_count_mentions (store_of (f)), ==, 60);
}

static void
test_restart_mid_backfill (Fixture       *f,
                           gconstpointer  data)
{
  CountWait some = { f, 600 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };

  post_mentions (f, "alcaldia", 3000);
  bind (f, "alcaldia");

  /* Stop the engine part way, as a crash or a quit would. */
  civic_sync_run_once_async (f->sync, cancellable, wait_cb, &wait);
  g_assert_true (civic_test_spin_until (count_reached, &some, 60000));
  g_cancellable_cancel (cancellable);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
  g_assert_false (civic_sync_run_once_finish (f->sync, wait.result, &error));
  g_object_unref (wait.result);
  g_assert_cmpint (civic_store_count_mentions (store_of (f)), <, 3000);

  /* A new engine on the same store picks up where the positions say. */
  civic_sync_stop (f->sync);
  g_clear_object (&f->sync);
  f->sync = civic_sync_new (f->context, f->session);
  civic_sync_set_backoff_base_ms (f->sync, 30);
  bind (f, "alcaldia");
  post_mentions (f, "alcaldia", 40);
  run_once (f);
  g_assert_cmpint (civic_store_count_mentions (store_of (f)), ==, 3040);
}

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  post_mentions (f, "alcaldia", 700);
  bind (f, "alcaldia");

  /* A script of failures on the pages, in the middle of the backfill. */
  civic_test_sim_put (f->sim, "/_sim/faults",
                      "notifications=ok,ok,500,429,ok,hang,reset,ok,truncate,malformed,502,503");
  run_once (f);
  g_assert_cmpint (civic_store_count_mentions (store_of (f)), ==, 700);

  /* And random ones on the forward pages. */
  civic_test_sim_put (f->sim, "/_sim/faults", "notifications=500:0.3,reset:0.1,truncate:0.1");
  post_mentions (f, "alcaldia", 400);
  run_once (f);
  g_assert_cmpint (civic_store_count_mentions (store_of (f)), ==, 1100);
}

static void
test_revoked (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *form = NULL;
  g_autoptr(JsonNode) answer = NULL;

  post_mentions (f, "alcaldia", 50);
  bind (f, "alcaldia");
  run_once (f);
  g_assert_cmpint (civic_store_count_mentions (store_of (f)), ==, 50);

  form = g_strdup_printf ("token=%s", civic_test_sim_token (f->sim, "alcaldia"));
  answer = civic_test_sim_form (f->sim, "/_sim/revoke", form);

  civic_sync_start (f->sync);
  wait_for_state (f, CIVIC_SYNC_STATE_LOGIN_EXPIRED, 20000);
  g_assert_nonnull (strstr (civic_account_sync_get_message (first_account (f)), "expired"));
  g_assert_cmpint (civic_store_count_mentions (store_of (f)), ==, 50);
}

static void
test_answered_elsewhere (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *status_id = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *form = NULL;
  g_autofree char *bearer = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  gint64 server_id, mention_id;
  CivicWorkflowState state = { 0 };

  bind (f, "alcaldia");
  status_id = post_mention (f, "alcaldia", "¿Cuándo abre la piscina municipal?");
  civic_sync_start (f->sync);
  wait_for_state (f, CIVIC_SYNC_STATE_LIVE, 20000);

  server_id = civic_store_ensure_server (store_of (f), f->sim->url, NULL);
  mention_id = civic_store_find_mention (store_of (f), server_id, status_id);
  g_assert_cmpint (mention_id, >, 0);

  /* The mayor's office answers from the web, not from the desk. */
  uri = g_strconcat (f->sim->url, "/api/v1/statuses", NULL);
  msg = soup_message_new ("POST", uri);
  form = g_strdup_printf ("status=%%40vecino%%20El%%201%%20de%%20junio&in_reply_to_id=%s", status_id);
  {
    g_autoptr(GBytes) request = g_bytes_new (form, strlen (form));

    soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", request);
  }
  bearer = g_strconcat ("Bearer ", civic_test_sim_token (f->sim, "alcaldia"), NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  body = soup_session_send_and_read (f->sim->control, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  for (gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC; g_get_monotonic_time () < deadline;)
    {
      civic_workflow_state_clear (&state);
      g_assert_true (civic_workflow_load_state (store_of (f), mention_id, &state, NULL));
      if (state.state == CIVIC_MENTION_STATE_ANSWERED)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpint (state.state, ==, CIVIC_MENTION_STATE_ANSWERED);
  civic_workflow_state_clear (&state);
}

static const char * const quirk_no_v2[] = { "--mentions", "0", "--quirks", "no-v2-instance", NULL };
static const char * const quirk_no_link[] = { "--mentions", "0", "--quirks", "no-link-header", NULL };
static const char * const quirk_small[] = { "--mentions", "0", "--quirks", "small-default-limit", NULL };
static const char * const quirk_since[] = { "--mentions", "0", "--quirks", "ignore-since-id", NULL };
static const char * const quirk_acct[] = { "--mentions", "0", "--quirks", "acct-with-domain", NULL };
static const char * const quirk_close[] = { "--mentions", "0", "--quirks", "close-connections", NULL };
static const char * const quirk_all[] = { "--mentions", "0", "--quirks",
                                          "no-v2-instance,no-link-header,small-default-limit,"
                                          "ignore-since-id,acct-with-domain,close-connections", NULL };
static const char * const quirk_no_stream[] = { "--mentions", "0", "--quirks", "no-streaming", NULL };

static void
test_quirky_backfill (Fixture       *f,
                      gconstpointer  data)
{
  post_mentions (f, "alcaldia", 450);
  bind (f, "alcaldia");
  run_once (f);
  g_assert_cmpint (civic_store_count_mentions (store_of (f)), ==, 450);

  post_mentions (f, "alcaldia", 90);
  run_once (f);
  g_assert_cmpint (civic_store_count_mentions (store_of (f)), ==, 540);

  /* Routed to the department whatever form the server gives the acct in. */
  {
    g_autoptr(GArray) ids = civic_store_list_queue_ids (store_of (f),
                                                        civic_store_lookup_department (store_of (f), "alcaldia"),
                                                        g_get_real_time () / 1000, NULL);

    g_assert_cmpuint (ids->len, ==, 540);
  }
}

static void
test_no_streaming_polls (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  IdsWait wait = { f, ids };

  bind (f, "alcaldia");
  civic_sync_start (f->sync);
  wait_for_state (f, CIVIC_SYNC_STATE_POLLING, 20000);
  g_assert_nonnull (strstr (civic_account_sync_get_quirks (first_account (f)), "streaming"));

  g_ptr_array_add (ids, post_mention (f, "alcaldia", "Hay un perro suelto en el parque"));
  g_assert_true (civic_test_spin_until (all_stored, &wait, 10000));
}

/* A report that names a street of the town, and nothing else, gets that
 * street's point, marked as found by its name; one with coordinates keeps
 * them. */
static void
test_streets (Fixture       *f,
              gconstpointer  data)
{
  static const char streets[] = "# name, lat, lon, radius\n"
                                "Calle Real\t37.2208\t-3.5950\t150\n";
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicMention) named = NULL;
  g_autoptr(CivicMention) pinned = NULL;
  g_autoptr(CivicMention) nowhere = NULL;
  CivicGazetteer *gazetteer = civic_gazetteer_new_from_data (streets, -1, &error);
  gint64 server_id;
  double lat, lon;

  g_assert_no_error (error);
  civic_ingest_set_gazetteer (civic_sync_get_ingest (f->sync), gazetteer);

  g_ptr_array_add (ids, post_mention (f, "alcaldia", "Farola rota en la calle Real desde el lunes"));
  g_ptr_array_add (ids, post_mention (f, "alcaldia", "Farola rota en la calle Real, aquí: 37.2250, -3.5900"));
  g_ptr_array_add (ids, post_mention (f, "alcaldia", "¿A qué hora abre el registro?"));
  bind (f, "alcaldia");
  run_once (f);

  server_id = civic_store_ensure_server (store_of (f), f->sim->url, NULL);
  named = civic_store_load_mention (store_of (f),
                                    civic_store_find_mention (store_of (f), server_id, g_ptr_array_index (ids, 0)),
                                    &error);
  pinned = civic_store_load_mention (store_of (f),
                                     civic_store_find_mention (store_of (f), server_id, g_ptr_array_index (ids, 1)),
                                     &error);
  nowhere = civic_store_load_mention (store_of (f),
                                      civic_store_find_mention (store_of (f), server_id, g_ptr_array_index (ids, 2)),
                                      &error);
  g_assert_no_error (error);

  g_assert_true (civic_mention_get_point (named, &lat, &lon));
  g_assert_cmpfloat_with_epsilon (lat, 37.2208, 1e-6);
  g_assert_cmpfloat_with_epsilon (lon, -3.5950, 1e-6);
  g_assert_cmpstr (civic_mention_get_geo_source (named), ==, "gazetteer");

  g_assert_true (civic_mention_get_point (pinned, &lat, &lon));
  g_assert_cmpfloat_with_epsilon (lat, 37.2250, 1e-6);
  g_assert_cmpstr (civic_mention_get_geo_source (pinned), !=, "gazetteer");

  g_assert_false (civic_mention_get_point (nowhere, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, args) \
  g_test_add (path, Fixture, args, fixture_set_up, func, fixture_tear_down)

  ADD ("/sync/backfill-and-resume", test_backfill_and_resume, NULL);
  ADD ("/sync/live-stream", test_live_stream, NULL);
  ADD ("/sync/stream-dropped", test_stream_dropped, NULL);
  ADD ("/sync/restart-mid-backfill", test_restart_mid_backfill, NULL);
  ADD ("/sync/faults", test_faults, NULL);
  ADD ("/sync/revoked", test_revoked, NULL);
  ADD ("/sync/answered-elsewhere", test_answered_elsewhere, NULL);
  ADD ("/sync/streets", test_streets, NULL);
  ADD ("/sync/quirks/no-v2-instance", test_quirky_backfill, quirk_no_v2);
  ADD ("/sync/quirks/no-link-header", test_quirky_backfill, quirk_no_link);
  ADD ("/sync/quirks/small-default-limit", test_quirky_backfill, quirk_small);
  ADD ("/sync/quirks/ignore-since-id", test_quirky_backfill, quirk_since);
  ADD ("/sync/quirks/acct-with-domain", test_quirky_backfill, quirk_acct);
  ADD ("/sync/quirks/close-connections", test_quirky_backfill, quirk_close);
  ADD ("/sync/quirks/all-at-once", test_quirky_backfill, quirk_all);
  ADD ("/sync/quirks/no-streaming", test_no_streaming_polls, quirk_no_stream);

#undef ADD

  return g_test_run ();
}
