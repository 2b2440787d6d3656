/* test-login-dialog.c
 *
 * The login dialog under Xvfb against civic-sim, driven as a person would
 * through its rows and buttons: a server that does not answer is said
 * inline; the approval page is opened (the browser replaced by the test,
 * which approves the page itself); a wrong code is refused inline; the
 * right one binds the department, puts the token in the keyring and gives
 * the account to the sync.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-login-dialog.h"
#include "civic-secrets.h"
#include "civic-store-sync.h"
#include "civic-sync.h"
#include "civic-test-sim.h"
#include "civic-test-ui.h"

typedef struct
{
  char *uri;
  guint launched;
  gint64 account_id;
  gboolean connected;
  char *labels;
} Browser;

static void
fake_browser (GtkWindow  *parent,
              const char *uri,
              gpointer    user_data)
{
  Browser *browser = user_data;

  g_assert_true (CIVIC_IS_LOGIN_DIALOG (parent));
  g_free (browser->uri);
  browser->uri = g_strdup (uri);
  browser->launched++;
}

static void
connected_cb (CivicLoginDialog *dialog,
              gint64            account_id,
              Browser          *browser)
{
  browser->account_id = account_id;
  browser->connected = TRUE;
  /* What the dialog shows at the end, before it closes. */
  browser->labels = civic_test_dup_labels (GTK_WIDGET (dialog));
}

static gboolean
uri_launched (gpointer user_data)
{
  return ((Browser *) user_data)->launched > 0;
}

static gboolean
is_idle (gpointer dialog)
{
  GtkSpinner *spinner = civic_test_child (dialog, CIVIC_TYPE_LOGIN_DIALOG, "spinner");

  return !gtk_spinner_get_spinning (spinner);
}

static void
click (gpointer dialog,
       const char *name)
{
  GtkWidget *button = civic_test_child (dialog, CIVIC_TYPE_LOGIN_DIALOG, name);

  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
test_login_dialog (void)
{
  static const char * const args[] = { "--mentions", "0", NULL };
  CivicTestSim *sim = civic_test_sim_start (args);
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "desk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStore) store = civic_store_new (path, &error);
  g_autoptr(CivicContext) context = civic_context_new (store, NULL);
  g_autoptr(CivicSync) sync = NULL;
  g_autoptr(GPtrArray) bound = NULL;
  g_autofree char *code = NULL;
  g_autofree char *token = NULL;
  GtkWindow *parent;
  CivicLoginDialog *dialog;
  GtkLabel *server_error, *code_error;
  GtkStack *stack;
  Browser browser = { 0 };
  gint64 department;

  g_assert_no_error (error);
  sync = civic_sync_new (context, NULL);
  civic_context_set_sync (context, sync);

  parent = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (parent, 900, 700);
  civic_test_present_and_wait (parent);

  dialog = civic_login_dialog_new (parent, context);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  civic_login_dialog_set_uri_launcher (dialog, fake_browser, &browser);
  g_signal_connect (dialog, "connected", G_CALLBACK (connected_cb), &browser);
  civic_test_present_and_wait (GTK_WINDOW (dialog));

  server_error = civic_test_child (dialog, CIVIC_TYPE_LOGIN_DIALOG, "server_error_label");
  code_error = civic_test_child (dialog, CIVIC_TYPE_LOGIN_DIALOG, "code_error_label");
  stack = civic_test_child (dialog, CIVIC_TYPE_LOGIN_DIALOG, "stack");

  /* Nothing to open before there is an address. */
  g_assert_false (gtk_widget_get_sensitive (civic_test_child (dialog, CIVIC_TYPE_LOGIN_DIALOG, "open_button")));

  /* The usual departments are offered though the store has none yet. */
  g_assert_false (civic_login_dialog_select_department (dialog, "nonexistent"));
  g_assert_true (civic_login_dialog_select_department (dialog, "alcaldia"));
  g_assert_cmpint (civic_store_lookup_department (store, "alcaldia"), ==, 0);

  /* A server that does not answer: said inline, nothing opened. */
  civic_login_dialog_set_server (dialog, "http://127.0.0.1:1");
  click (dialog, "open_button");
  g_assert_true (civic_test_spin_until (civic_test_widget_is_visible, server_error, 20000));
  g_assert_true (civic_test_spin_until (is_idle, dialog, 20000));
  g_assert_cmpstr (gtk_label_get_text (server_error), !=, "");
  g_test_message ("unreachable: %s", gtk_label_get_text (server_error));
  g_assert_cmpuint (browser.launched, ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "server");
  civic_test_screenshot ("login-error");

  /* Not an address at all. */
  civic_login_dialog_set_server (dialog, "ftp://jun.example");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (server_error)));
  click (dialog, "open_button");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (server_error)));

  /* The real server: its approval page opens in the "browser". */
  gtk_editable_set_text (civic_test_child (dialog, CIVIC_TYPE_LOGIN_DIALOG, "server_row"), sim->url);
  click (dialog, "open_button");
  g_assert_true (civic_test_spin_until (uri_launched, &browser, 20000));
  g_assert_true (g_str_has_prefix (browser.uri, sim->url));
  g_assert_nonnull (strstr (browser.uri, "code_challenge_method=S256"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "code");
  g_assert_false (gtk_widget_get_sensitive (civic_test_child (dialog, CIVIC_TYPE_LOGIN_DIALOG, "connect_button")));

  /* "Open again" shows the same page. */
  click (dialog, "reopen_button");
  g_assert_cmpuint (browser.launched, ==, 2);

  /* A wrong code is refused where the code was typed. */
  gtk_editable_set_text (civic_test_child (dialog, CIVIC_TYPE_LOGIN_DIALOG, "code_row"), "not-the-code");
  click (dialog, "connect_button");
  g_assert_true (civic_test_spin_until (civic_test_widget_is_visible, code_error, 20000));
  g_assert_true (civic_test_spin_until (is_idle, dialog, 20000));
  g_test_message ("wrong code: %s", gtk_label_get_text (code_error));
  g_assert_false (browser.connected);
  civic_test_screenshot ("login-code");

  /* The right one, pasted with a line end. */
  code = civic_test_approve_in_browser (sim->control, browser.uri, "alcaldia", "jun");
  {
    g_autofree char *pasted = g_strconcat (code, "\n", NULL);

    gtk_editable_set_text (civic_test_child (dialog, CIVIC_TYPE_LOGIN_DIALOG, "code_row"), pasted);
  }
  click (dialog, "connect_button");
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &browser.connected, 20000));
  g_assert_cmpint (browser.account_id, >, 0);

  /* The dialog closed itself. */
  g_assert_true (civic_test_spin_until (civic_test_pointer_cleared, &dialog, 5000));

  /* The department exists now, bound to the account. */
  department = civic_store_lookup_department (store, "alcaldia");
  g_assert_cmpint (department, >, 0);
  bound = civic_store_list_bound_accounts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bound->len, ==, 1);
  g_assert_cmpstr (((CivicBoundAccount *) g_ptr_array_index (bound, 0))->acct, ==, "alcaldia");
  g_assert_cmpstr (((CivicBoundAccount *) g_ptr_array_index (bound, 0))->departments, ==, "alcaldia");
  g_assert_cmpint (((CivicBoundAccount *) g_ptr_array_index (bound, 0))->account_id, ==, browser.account_id);

  /* The token is in the keyring, and was never shown. */
  token = civic_secrets_lookup_token_sync (sim->url, "alcaldia", &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_nonnull (browser.labels);
  g_assert_null (strstr (browser.labels, token));

  /* The sync runs the new account. */
  g_assert_cmpuint (g_list_model_get_n_items (civic_sync_get_accounts (sync)), ==, 1);
  g_assert_nonnull (civic_sync_find_account (sync, browser.account_id));

  civic_sync_stop (sync);
  g_assert_true (civic_secrets_clear_token_sync (sim->url, "alcaldia", &error));
  gtk_window_destroy (parent);
  g_free (browser.uri);
  g_free (browser.labels);
  civic_test_sim_stop (sim);
  civic_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/login-dialog/connect", test_login_dialog);

  return g_test_run ();
}
