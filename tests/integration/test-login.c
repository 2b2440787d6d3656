/* test-login.c
 *
 * Login end to end against civic-sim: app registration, the authorization
 * page with PKCE S256 (approved as a person would, by posting the form),
 * the code exchange, verify_credentials, and the token in the real
 * keyring (gnome-keyring in the test session) — never in the sqlite file
 * or in the logs. Logging out revokes and forgets the token.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-client.h"
#include "civic-login.h"
#include "civic-secrets.h"
#include "civic-store-sync.h"
#include "civic-sync.h"
#include "civic-test-sim.h"

static GString *logged;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; logged != NULL && i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
        {
          g_string_append (logged, fields[i].value);
          g_string_append_c (logged, '\n');
        }
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

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

/* What the person does in the browser: sign in on the approval page and
 * read the code it shows. */
static char *
approve_in_browser (SoupSession *session,
                    const char  *authorize_uri,
                    const char  *login,
                    const char  *password)
{
  g_autoptr(GUri) uri = g_uri_parse (authorize_uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autofree char *post_uri = NULL;
  g_autofree char *form = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GError) error = NULL;
  const char *location;

  g_assert_nonnull (uri);
  g_assert_nonnull (strstr (authorize_uri, "code_challenge_method=S256"));

  /* The page itself loads. */
  msg = soup_message_new ("GET", authorize_uri);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);

  post_uri = g_strdup_printf ("%s://%s:%d/oauth/authorize", g_uri_get_scheme (uri), g_uri_get_host (uri),
                              g_uri_get_port (uri));
  form = g_strdup_printf ("%s&username=%s&password=%s", g_uri_get_query (uri), login, password);
  msg = soup_message_new ("POST", post_uri);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  request = g_bytes_new (form, strlen (form));
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", request);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);

  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  g_assert_nonnull (location);
  g_assert_nonnull (strstr (location, "code="));

  return g_strdup (strstr (location, "code=") + 5);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  return g_strstr_len (contents, length, needle) != NULL;
}

static void
test_login_flow (void)
{
  static const char * const args[] = { "--mentions", "0", NULL };
  CivicTestSim *sim = civic_test_sim_start (args);
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "desk.db", NULL);
  g_autofree char *wal = g_build_filename (dir, "desk.db-wal", NULL);
  g_autoptr(CivicStore) store = civic_store_new (path, NULL);
  g_autoptr(SoupSession) session = civic_sync_new_session (10);
  g_autoptr(CivicLoginRequest) request = NULL;
  g_autoptr(CivicAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bound = NULL;
  g_autofree char *code = NULL;
  g_autofree char *token = NULL;
  g_autofree char *wrong = NULL;
  gint64 department, account_id = 0;
  Wait wait = { 0 };

  logged = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  department = civic_store_ensure_department (store, "alcaldia", "Alcaldía", NULL, 60, &error);
  g_assert_no_error (error);

  civic_login_begin_async (session, store, sim->url, NULL, wait_cb, &wait);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
  request = civic_login_begin_finish (wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_nonnull (request->app);

  /* A wrong code is refused with a sentence a person understands. */
  wait.done = FALSE;
  civic_login_complete_async (session, store, request, "not-the-code", department, NULL, wait_cb, &wait);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
  g_assert_null (civic_login_complete_finish (wait.result, NULL, &error));
  g_clear_object (&wait.result);
  g_assert_error (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_REJECTED);
  g_clear_error (&error);

  code = approve_in_browser (sim->control, request->authorize_uri, "alcaldia", "jun");

  wait.done = FALSE;
  civic_login_complete_async (session, store, request, code, department, NULL, wait_cb, &wait);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
  account = civic_login_complete_finish (wait.result, &account_id, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_cmpstr (account->acct, ==, "alcaldia");
  g_assert_cmpint (account_id, >, 0);

  /* The department is bound, and the token is in the keyring. */
  bound = civic_store_list_bound_accounts (store, &error);
  g_assert_cmpuint (bound->len, ==, 1);
  g_assert_cmpstr (((CivicBoundAccount *) g_ptr_array_index (bound, 0))->departments, ==, "alcaldia");

  token = civic_secrets_lookup_token_sync (sim->url, "alcaldia", &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), >=, 16);

  /* The PKCE verifier was checked: the same code cannot be used twice. */
  wait.done = FALSE;
  civic_login_complete_async (session, store, request, code, department, NULL, wait_cb, &wait);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
  g_assert_null (civic_login_complete_finish (wait.result, NULL, &error));
  g_clear_object (&wait.result);
  g_clear_error (&error);

  /* Never in the database, its journal, or the logs. */
  g_clear_object (&store);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (file_contains (path, token));
  g_assert_false (file_contains (wal, token));
  g_assert_null (strstr (logged->str, token));

  /* Logging out: revoke on the server, forget in the keyring. */
  {
    g_autoptr(CivicClient) client = civic_client_new (session, sim->url, token);

    wait.done = FALSE;
    civic_client_revoke_token_async (client, request->app, NULL, wait_cb, &wait);
    g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
    g_assert_true (civic_client_revoke_token_finish (client, wait.result, &error));
    g_clear_object (&wait.result);
    g_assert_no_error (error);

    wait.done = FALSE;
    civic_client_verify_credentials_async (client, NULL, wait_cb, &wait);
    g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
    g_assert_null (civic_client_verify_credentials_finish (client, wait.result, &error));
    g_clear_object (&wait.result);
    g_assert_error (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_UNAUTHORIZED);
    g_clear_error (&error);
  }

  g_assert_true (civic_secrets_clear_token_sync (sim->url, "alcaldia", &error));
  g_assert_no_error (error);
  wrong = civic_secrets_lookup_token_sync (sim->url, "alcaldia", &error);
  g_assert_no_error (error);
  g_assert_null (wrong);

  g_string_free (g_steal_pointer (&logged), TRUE);
  civic_test_sim_stop (sim);
  civic_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/login/flow", test_login_flow);

  return g_test_run ();
}
