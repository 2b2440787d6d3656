/* civicctl-sync.c
 *
 * civicctl login, sync and status: the sync engine without a display.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>

#include "civic-login.h"
#include "civic-outbox.h"
#include "civic-secrets.h"
#include "civic-store-sync.h"
#include "civic-sync.h"
#include "civicctl.h"

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

int
civicctl_login (int    argc,
                char **argv)
{
  g_autofree char *server = NULL;
  g_autofree char *department = NULL;
  g_autofree char *database = NULL;
  gboolean token_stdin = FALSE;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The server’s address"), N_("URL") },
    { "department", 0, 0, G_OPTION_ARG_STRING, &department, N_("The department this account answers for"), N_("SLUG") },
    { "token-stdin", 0, 0, G_OPTION_ARG_NONE, &token_stdin, N_("Read an access token from standard input"), NULL },
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, N_("Use this database file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(CivicStore) store = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(CivicAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  const char *name = NULL, *colour = NULL;
  guint sla = 1440;
  gint64 department_id;
  Wait wait = { 0 };

  if (!civicctl_parse_options (&argc, &argv, "", _("Bind a department to the account behind a token."), entries))
    return 2;

  if (server == NULL || department == NULL || !token_stdin)
    {
      g_printerr ("civicctl login: %s\n", _("--server, --department and --token-stdin are required"));
      return 2;
    }

  store = civicctl_open_store (database, &error);
  if (store == NULL)
    {
      g_printerr ("civicctl login: %s\n", error->message);
      return 1;
    }

  token = civicctl_read_stdin (NULL, &error);
  if (token == NULL)
    {
      g_printerr ("civicctl login: %s\n", error->message);
      return 1;
    }

  department_id = civic_store_lookup_department (store, department);
  if (department_id == 0)
    {
      if (!civic_department_lookup_defaults (department, &name, &colour, &sla))
        name = department;
      department_id = civic_store_ensure_department (store, department, name, colour, sla, &error);
      if (department_id == 0)
        {
          g_printerr ("civicctl login: %s\n", error->message);
          return 1;
        }
    }

  session = civic_sync_new_session (30);
  civic_login_with_token_async (session, store, server, token, department_id,
                                CIVIC_LOGIN_FLAGS_NONE, NULL, wait_cb, &wait);
  memset (token, 0, strlen (token));
  civicctl_run_until (&wait.done);

  account = civic_login_with_token_finish (wait.result, NULL, &error);
  g_object_unref (wait.result);
  if (account == NULL)
    {
      g_printerr ("civicctl login: %s\n", error->message);
      return 1;
    }

  g_print (_("Department “%s” now answers as @%s\n"), department, account->acct);
  return 0;
}

static gboolean
quit_signal_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_CONTINUE;
}

static void
account_notify_cb (CivicAccountSync *account,
                   GParamSpec       *pspec,
                   gpointer          user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");

  g_print ("%s %s: %s — %s\n", time, civic_account_sync_get_acct (account),
           civic_sync_state_to_string (civic_account_sync_get_state (account)),
           civic_account_sync_get_message (account));
}

int
civicctl_sync (int    argc,
               char **argv)
{
  g_autofree char *database = NULL;
  gboolean once = FALSE;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, N_("Catch up once and exit"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print nothing but errors"), NULL },
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, N_("Use this database file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(CivicStore) store = NULL;
  g_autoptr(CivicContext) context = NULL;
  g_autoptr(CivicSync) sync = NULL;
  g_autoptr(CivicOutbox) outbox = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *accounts;
  gboolean stop = FALSE;
  Wait wait = { 0 };
  guint sigint, sigterm;

  if (!civicctl_parse_options (&argc, &argv, "", _("Keep the store in step with the server."), entries))
    return 2;

  store = civicctl_open_store (database, &error);
  if (store == NULL)
    {
      g_printerr ("civicctl sync: %s\n", error->message);
      return 1;
    }

  context = civic_context_new (store, NULL);
  sync = civic_sync_new (context, NULL);
  civic_sync_reload_async (sync, NULL, wait_cb, &wait);
  civicctl_run_until (&wait.done);
  if (!civic_sync_reload_finish (sync, wait.result, &error))
    {
      g_printerr ("civicctl sync: %s\n", error->message);
      g_object_unref (wait.result);
      return 1;
    }
  g_clear_object (&wait.result);

  accounts = civic_sync_get_accounts (sync);
  if (g_list_model_get_n_items (accounts) == 0)
    {
      g_printerr ("civicctl sync: %s\n", _("No department is bound to an account; run “civicctl login” first"));
      return 1;
    }

  if (!quiet)
    for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
      {
        g_autoptr(CivicAccountSync) account = g_list_model_get_item (accounts, i);

        g_signal_connect (account, "notify::message", G_CALLBACK (account_notify_cb), NULL);
      }

  /* Replies queued by the desk or "civicctl reply" go out too. */
  outbox = civic_outbox_new (context, civic_sync_get_session (sync));

  if (once)
    {
      gboolean synced;
      gboolean settled = FALSE;

      wait.done = FALSE;
      civic_sync_run_once_async (sync, NULL, wait_cb, &wait);
      civicctl_run_until (&wait.done);
      synced = civic_sync_run_once_finish (sync, wait.result, &error);
      g_clear_object (&wait.result);
      if (!synced)
        {
          g_printerr ("civicctl sync: %s\n", error->message);
          return 1;
        }

      wait.done = FALSE;
      civic_outbox_drain_async (outbox, 0, 60 * 1000, NULL, wait_cb, &wait);
      civicctl_run_until (&wait.done);
      civic_outbox_drain_finish (outbox, wait.result, &settled, NULL);
      g_object_unref (wait.result);
      civic_outbox_stop (outbox);
      if (!settled && !quiet)
        g_print ("%s\n", _("Some replies are still waiting in the outbox (see “civicctl outbox”)"));

      return 0;
    }

  sigint = g_unix_signal_add (SIGINT, quit_signal_cb, &stop);
  sigterm = g_unix_signal_add (SIGTERM, quit_signal_cb, &stop);
  civic_sync_start (sync);
  civic_outbox_start (outbox);
  civicctl_run_until (&stop);
  civic_outbox_stop (outbox);
  civic_sync_stop (sync);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  return 0;
}

int
civicctl_status (int    argc,
                 char **argv)
{
  g_autofree char *database = NULL;
  const GOptionEntry entries[] = {
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, N_("Use this database file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(CivicStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  if (!civicctl_parse_options (&argc, &argv, "", _("Show each account’s sync state."), entries))
    return 2;

  store = civicctl_open_store (database, &error);
  if (store == NULL || (accounts = civic_store_list_bound_accounts (store, &error)) == NULL)
    {
      g_printerr ("civicctl status: %s\n", error->message);
      return 1;
    }

  if (accounts->len == 0)
    g_print ("%s\n", _("No department is bound to an account."));

  for (guint i = 0; i < accounts->len; i++)
    {
      CivicBoundAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *state = NULL;
      g_autofree char *message = NULL;
      g_autofree char *when = NULL;
      gint64 updated = 0;

      civic_store_get_sync_status (store, account->account_id, &state, &message, &updated, NULL);
      if (updated > 0)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (updated / 1000);

          when = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
        }

      g_print ("%s@%s [%s]\t%s\t%s%s%s\n", account->acct, account->base_url, account->departments,
               state, message, when != NULL ? "\t" : "", when != NULL ? when : "");
    }

  return 0;
}
