/* civic-sign-out.c
 *
 * Signing out of an account, in the order that leaves nothing behind if
 * it stops halfway: revoke on the server, forget the token here, unbind.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-secrets.h"
#include "civic-sign-out.h"
#include "civic-store-sync.h"
#include "civic-sync.h"

typedef struct
{
  CivicSync *sync;              /* owned, nullable */
  SoupSession *session;         /* owned */
  CivicStore *store;            /* owned */
  CivicBoundAccount *account;   /* owned */
  CivicAppCredentials *app;     /* owned, nullable */
  CivicClient *client;          /* owned, while revoking */
  char *warning;                /* owned, nullable */
} SignOut;

static void
sign_out_free (SignOut *data)
{
  g_clear_object (&data->sync);
  g_clear_object (&data->session);
  g_clear_object (&data->store);
  g_clear_pointer (&data->account, civic_bound_account_free);
  g_clear_pointer (&data->app, civic_app_credentials_free);
  g_clear_object (&data->client);
  g_free (data->warning);
  g_free (data);
}

static void
unbind (GTask *task)
{
  SignOut *data = g_task_get_task_data (task);
  g_auto(GStrv) slugs = g_strsplit (data->account->departments != NULL ? data->account->departments : "", ",", -1);
  g_autoptr(GError) error = NULL;

  if (!civic_store_begin (data->store, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; slugs[i] != NULL; i++)
    {
      gint64 department_id;

      if (*slugs[i] == '\0')
        continue;
      department_id = civic_store_lookup_department (data->store, slugs[i]);
      if (department_id != 0 && !civic_store_bind_department (data->store, department_id, 0, &error))
        {
          civic_store_rollback (data->store);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  if (!civic_store_commit (data->store, &error))
    {
      civic_store_rollback (data->store);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->sync != NULL)
    civic_sync_forget_account (data->sync, data->account->account_id);

  g_task_return_boolean (task, TRUE);
}

static void
token_cleared_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!civic_secrets_clear_token_finish (result, &error))
    {
      /* Still bound with a token left behind would be worse than
       * stopping here: say so, and let the person try again. */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  unbind (task);
}

static void
clear_token (GTask *task)
{
  SignOut *data = g_task_get_task_data (task);

  civic_secrets_clear_token_async (data->account->base_url, data->account->acct,
                                   g_task_get_cancellable (task), token_cleared_cb, task);
}

static void
revoked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignOut *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!civic_client_revoke_token_finish (CIVIC_CLIENT (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* A token the server no longer knows is as good as revoked. */
      if (!g_error_matches (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_UNAUTHORIZED))
        data->warning = g_strdup_printf (_("The server could not be told to end the desk’s access (%s). "
                                           "The desk forgot it; to be sure, revoke “Civic Desk” in the "
                                           "account’s settings on the server."),
                                         error->message);
    }

  clear_token (g_steal_pointer (&task));
}

static void
token_looked_up_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignOut *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  char *token;

  token = civic_secrets_lookup_token_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (token == NULL || data->app == NULL)
    {
      /* Nothing the desk could revoke with: only forget. */
      civic_secrets_free_token (token);
      clear_token (g_steal_pointer (&task));
      return;
    }

  data->client = civic_client_new (data->session, data->account->base_url, token);
  civic_secrets_free_token (token);
  cancellable = g_task_get_cancellable (task);
  civic_client_revoke_token_async (data->client, data->app, cancellable, revoked_cb, g_steal_pointer (&task));
}

void
civic_sign_out_async (gpointer             sync,
                      SoupSession         *session,
                      CivicStore          *store,
                      gint64               account_id,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) bound = NULL;
  g_autoptr(GError) error = NULL;
  SignOut *data;

  g_return_if_fail (sync == NULL || CIVIC_IS_SYNC (sync));
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (CIVIC_IS_STORE (store));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, civic_sign_out_async);

  data = g_new0 (SignOut, 1);
  data->sync = sync != NULL ? g_object_ref (sync) : NULL;
  data->session = g_object_ref (session);
  data->store = g_object_ref (store);
  g_task_set_task_data (task, data, (GDestroyNotify) sign_out_free);

  bound = civic_store_list_bound_accounts (store, &error);
  if (bound == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < bound->len; i++)
    {
      CivicBoundAccount *account = g_ptr_array_index (bound, i);

      if (account->account_id == account_id)
        data->account = g_ptr_array_steal_index (bound, i);
    }
  if (data->account == NULL)
    {
      g_task_return_new_error (task, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                               _("The desk is not signed in to that account any more"));
      return;
    }

  data->app = civic_store_load_app (store, data->account->server_id, NULL);
  civic_secrets_lookup_token_async (data->account->base_url, data->account->acct, cancellable,
                                    token_looked_up_cb, g_steal_pointer (&task));
}

gboolean
civic_sign_out_finish (GAsyncResult  *result,
                       char         **warning,
                       GError       **error)
{
  SignOut *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  data = g_task_get_task_data (G_TASK (result));
  if (warning != NULL)
    *warning = g_steal_pointer (&data->warning);

  return TRUE;
}

void
civic_sync_forget_account (gpointer sync,
                           gint64   account_id)
{
  GListModel *accounts;
  guint n;

  g_return_if_fail (CIVIC_IS_SYNC (sync));

  accounts = civic_sync_get_accounts (sync);
  g_return_if_fail (G_IS_LIST_STORE (accounts));

  n = g_list_model_get_n_items (accounts);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CivicAccountSync) account = g_list_model_get_item (accounts, i);

      if (civic_account_sync_get_account_id (account) == account_id)
        {
          civic_account_sync_stop (account);
          g_list_store_remove (G_LIST_STORE (accounts), i);
          return;
        }
    }
}
