/* civic-login.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "civic-login.h"
#include "civic-secrets.h"
#include "civic-store-sync.h"

void
civic_login_request_free (CivicLoginRequest *self)
{
  if (self == NULL)
    return;

  g_free (self->base_url);
  g_clear_pointer (&self->app, civic_app_credentials_free);
  if (self->code_verifier != NULL)
    memset (self->code_verifier, 0, strlen (self->code_verifier));
  g_free (self->code_verifier);
  g_free (self->authorize_uri);
  g_free (self);
}

char *
civic_login_normalize_url (const char  *input,
                           GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;

  if (input == NULL)
    input = "";

  trimmed = g_strstrip (g_strdup (input));
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';

  if (*trimmed == '\0')
    {
      g_set_error_literal (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_REJECTED,
                           _("Enter the address of your town’s server, like social.example.org"));
      return NULL;
    }

  if (strstr (trimmed, "://") == NULL)
    with_scheme = g_strconcat ("https://", trimmed, NULL);
  else
    with_scheme = g_strdup (trimmed);

  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
    {
      g_set_error (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_REJECTED,
                   _("“%s” is not a server address"), input);
      return NULL;
    }

  return g_steal_pointer (&with_scheme);
}

/* begin */

typedef struct
{
  CivicStore *store;
  CivicClient *client;
  CivicLoginRequest *request;
} BeginData;

static void
begin_data_free (BeginData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->client);
  g_clear_pointer (&data->request, civic_login_request_free);
  g_free (data);
}

static void
finish_begin (GTask *task)
{
  BeginData *data = g_task_get_task_data (task);
  g_autofree char *challenge = NULL;

  data->request->code_verifier = civic_pkce_new_verifier ();
  challenge = civic_pkce_challenge (data->request->code_verifier);
  data->request->authorize_uri = civic_client_dup_authorize_uri (data->client, data->request->app,
                                                                 CIVIC_OAUTH_REDIRECT_OOB,
                                                                 CIVIC_OAUTH_SCOPES, challenge);
  g_task_return_pointer (task, g_steal_pointer (&data->request),
                         (GDestroyNotify) civic_login_request_free);
}

static void
app_registered_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BeginData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->request->app = civic_client_register_app_finish (CIVIC_CLIENT (source), result, &error);
  if (data->request->app == NULL ||
      !civic_store_save_app (data->store, data->request->server_id, data->request->app, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  finish_begin (task);
}

void
civic_login_begin_async (SoupSession         *session,
                         CivicStore          *store,
                         const char          *base_url,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BeginData *data;
  GError *error = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (CIVIC_IS_STORE (store));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, civic_login_begin_async);

  url = civic_login_normalize_url (base_url, &error);
  if (url == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_new0 (BeginData, 1);
  data->store = g_object_ref (store);
  data->client = civic_client_new (session, url, NULL);
  data->request = g_new0 (CivicLoginRequest, 1);
  data->request->base_url = g_strdup (civic_client_get_base_url (data->client));
  g_task_set_task_data (task, data, (GDestroyNotify) begin_data_free);

  data->request->server_id = civic_store_ensure_server (store, data->request->base_url, &error);
  if (data->request->server_id == 0)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The app is registered once per server. */
  data->request->app = civic_store_load_app (store, data->request->server_id, NULL);
  if (data->request->app != NULL)
    {
      finish_begin (task);
      return;
    }

  civic_client_register_app_async (data->client, "Civic Desk", CIVIC_OAUTH_REDIRECT_OOB,
                                   CIVIC_OAUTH_SCOPES, cancellable, app_registered_cb,
                                   g_steal_pointer (&task));
}

CivicLoginRequest *
civic_login_begin_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* complete / with token: the shared second half */

typedef struct
{
  CivicStore *store;
  CivicClient *client;
  char *token;
  gint64 server_id;
  gint64 department_id;
  gint64 account_id;
  CivicAccount *account;
  CivicLoginFlags flags;
} CompleteData;

static void
complete_data_free (CompleteData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->client);
  if (data->token != NULL)
    memset (data->token, 0, strlen (data->token));
  g_free (data->token);
  g_clear_pointer (&data->account, civic_account_free);
  g_free (data);
}

static void
bind_and_return (GTask *task)
{
  CompleteData *data = g_task_get_task_data (task);
  GError *error = NULL;

  /* Bound only now: a department never points at an account without a token. */
  if (data->department_id != 0 &&
      !civic_store_bind_department (data->store, data->department_id, data->account_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&data->account), (GDestroyNotify) civic_account_free);
}

static void
token_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!civic_secrets_store_token_finish (result, &error))
    {
      g_prefix_error (&error, "%s", _("The login worked but the keyring refused to keep it: "));
      g_task_return_error (task, error);
      return;
    }

  bind_and_return (task);
}

static void
verified_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CompleteData *data = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;

  data->account = civic_client_verify_credentials_finish (CIVIC_CLIENT (source), result, &error);
  if (data->account == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Keep the local acct ("alcaldia"): some servers say "alcaldia@host"
   * for their own accounts, which would make the same account look like
   * two. */
  {
    const char *at = strchr (data->account->acct, '@');
    g_autoptr(GUri) base = g_uri_parse (civic_client_get_base_url (data->client), G_URI_FLAGS_NONE, NULL);

    if (at != NULL && base != NULL)
      {
        g_autofree char *host_port = g_strdup_printf ("%s:%d", g_uri_get_host (base), g_uri_get_port (base));

        if (g_ascii_strcasecmp (at + 1, g_uri_get_host (base)) == 0 || g_ascii_strcasecmp (at + 1, host_port) == 0)
          {
            char *local = g_strndup (data->account->acct, at - data->account->acct);

            g_free (data->account->acct);
            data->account->acct = local;
          }
      }
  }

  data->account_id = civic_store_ensure_account (data->store, data->server_id, data->account->acct,
                                                 data->account->id, data->account->display_name, &error);
  if (data->account_id == 0)
    {
      g_task_return_error (task, error);
      return;
    }

  if (data->flags & CIVIC_LOGIN_FLAGS_NO_KEYRING)
    {
      bind_and_return (task);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  civic_secrets_store_token_async (civic_client_get_base_url (data->client), data->account->acct,
                                   data->token, cancellable, token_stored_cb, g_steal_pointer (&task));
}

static void
verify_with_token (GTask *task)
{
  CompleteData *data = g_task_get_task_data (task);

  civic_client_set_token (data->client, data->token);
  civic_client_verify_credentials_async (data->client, g_task_get_cancellable (task), verified_cb, task);
}

static void
token_obtained_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  CompleteData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->token = civic_client_obtain_token_finish (CIVIC_CLIENT (source), result, &error);
  if (data->token == NULL)
    {
      if (g_error_matches (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_REJECTED) ||
          g_error_matches (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_UNAUTHORIZED))
        {
          g_clear_error (&error);
          error = g_error_new_literal (CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_REJECTED,
                                       _("The server did not accept that code. Copy it again from "
                                         "the approval page; each code works only once."));
        }
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  verify_with_token (task);
}

static GTask *
complete_task_new (SoupSession         *session,
                   CivicStore          *store,
                   const char          *base_url,
                   gint64               server_id,
                   gint64               department_id,
                   gpointer             source_tag,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  CompleteData *data = g_new0 (CompleteData, 1);

  g_task_set_source_tag (task, source_tag);
  data->store = g_object_ref (store);
  data->client = civic_client_new (session, base_url, NULL);
  data->server_id = server_id;
  data->department_id = department_id;
  g_task_set_task_data (task, data, (GDestroyNotify) complete_data_free);

  return task;
}

void
civic_login_complete_async (SoupSession         *session,
                            CivicStore          *store,
                            CivicLoginRequest   *request,
                            const char          *code,
                            gint64               department_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *clean = NULL;
  CompleteData *data;
  GTask *task;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (CIVIC_IS_STORE (store));
  g_return_if_fail (request != NULL);

  task = complete_task_new (session, store, request->base_url, request->server_id, department_id,
                            civic_login_complete_async, cancellable, callback, user_data);
  data = g_task_get_task_data (task);

  clean = g_strstrip (g_strdup (code != NULL ? code : ""));
  if (*clean == '\0')
    {
      g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_REJECTED,
                               _("Paste the code shown on the server’s approval page"));
      g_object_unref (task);
      return;
    }

  civic_client_obtain_token_async (data->client, request->app, clean, request->code_verifier,
                                   CIVIC_OAUTH_REDIRECT_OOB, cancellable, token_obtained_cb, task);
}

CivicAccount *
civic_login_complete_finish (GAsyncResult  *result,
                             gint64        *account_id,
                             GError       **error)
{
  CompleteData *data;

  g_return_val_if_fail (G_IS_TASK (result), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (account_id != NULL)
    *account_id = data->account_id;

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
civic_login_with_token_async (SoupSession         *session,
                              CivicStore          *store,
                              const char          *base_url,
                              const char          *token,
                              gint64               department_id,
                              CivicLoginFlags      flags,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *url = NULL;
  CompleteData *data;
  GError *error = NULL;
  GTask *task;
  gint64 server_id;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (CIVIC_IS_STORE (store));

  url = civic_login_normalize_url (base_url, &error);
  server_id = url != NULL ? civic_store_ensure_server (store, url, &error) : 0;

  task = complete_task_new (session, store, url != NULL ? url : "https://invalid", server_id,
                            department_id, civic_login_with_token_async, cancellable, callback, user_data);
  if (server_id == 0)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  data = g_task_get_task_data (task);
  data->flags = flags;
  data->token = g_strstrip (g_strdup (token != NULL ? token : ""));
  if (*data->token == '\0')
    {
      g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_REJECTED,
                               _("No token was given"));
      g_object_unref (task);
      return;
    }

  verify_with_token (task);
}

CivicAccount *
civic_login_with_token_finish (GAsyncResult  *result,
                               gint64        *account_id,
                               GError       **error)
{
  return civic_login_complete_finish (result, account_id, error);
}
