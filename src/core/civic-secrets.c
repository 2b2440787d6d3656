/* civic-secrets.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "civic-secrets.h"

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "org.civicdesk.CivicDesk.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static char *
label_for (const char *server,
           const char *account)
{
  /* Translators: the keyring item's label; an account, then its server */
  return g_strdup_printf (_("Civic Desk: %s on %s"), account, server);
}

void
civic_secrets_free_token (char *token)
{
  if (token != NULL)
    secret_password_free (token);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
civic_secrets_store_token_async (const char          *server,
                                 const char          *account,
                                 const char          *token,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *label = NULL;
  GTask *task;

  g_return_if_fail (server != NULL && account != NULL && token != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, civic_secrets_store_token_async);

  label = label_for (server, account);
  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                         cancellable, store_cb, task,
                         "server", server, "account", account, NULL);
}

gboolean
civic_secrets_store_token_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *token;

  token = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, token, (GDestroyNotify) civic_secrets_free_token);
}

void
civic_secrets_lookup_token_async (const char          *server,
                                  const char          *account,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (server != NULL && account != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, civic_secrets_lookup_token_async);

  secret_password_lookup (token_schema (), cancellable, lookup_cb, task,
                          "server", server, "account", account, NULL);
}

char *
civic_secrets_lookup_token_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: there was nothing to remove, which is fine. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
civic_secrets_clear_token_async (const char          *server,
                                 const char          *account,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (server != NULL && account != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, civic_secrets_clear_token_async);

  secret_password_clear (token_schema (), cancellable, clear_cb, task,
                         "server", server, "account", account, NULL);
}

gboolean
civic_secrets_clear_token_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
civic_secrets_store_token_sync (const char  *server,
                                const char  *account,
                                const char  *token,
                                GError     **error)
{
  g_autofree char *label = label_for (server, account);

  return secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                                     NULL, error, "server", server, "account", account, NULL);
}

char *
civic_secrets_lookup_token_sync (const char  *server,
                                 const char  *account,
                                 GError     **error)
{
  return secret_password_lookup_sync (token_schema (), NULL, error,
                                      "server", server, "account", account, NULL);
}

gboolean
civic_secrets_clear_token_sync (const char  *server,
                                const char  *account,
                                GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  secret_password_clear_sync (token_schema (), NULL, &local_error,
                              "server", server, "account", account, NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}
