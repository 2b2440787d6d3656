/* civic-sync.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "civic-router.h"
#include "civic-secrets.h"
#include "civic-sync.h"

struct _CivicSync
{
  GObject parent_instance;

  CivicContext *context;     /* owned */
  SoupSession *session;      /* owned */
  CivicIngest *ingest;       /* owned */
  GListStore *accounts;      /* owned: CivicAccountSync */
  GCancellable *cancellable; /* owned */
  GHashTable *tokens;        /* owned: "base_url\nacct" → token, in memory only */
  guint backoff_base_ms;
  guint poll_interval_s;
  gboolean started;
};

G_DEFINE_FINAL_TYPE (CivicSync, civic_sync, G_TYPE_OBJECT)

SoupSession *
civic_sync_new_session (guint timeout_seconds)
{
  return soup_session_new_with_options ("user-agent", "CivicDesk/" PACKAGE_VERSION " (+https://civicdesk.invalid/)",
                                        "timeout", timeout_seconds,
                                        "idle-timeout", 60,
                                        "max-conns-per-host", 4,
                                        NULL);
}

static gint64
context_now (gpointer data)
{
  return civic_context_get_now_ms (CIVIC_CONTEXT (data));
}

static void
civic_sync_dispose (GObject *object)
{
  CivicSync *self = (CivicSync *) object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->accounts != NULL)
    civic_sync_stop (self);
  g_clear_object (&self->accounts);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->ingest);
  g_clear_object (&self->session);
  g_clear_object (&self->context);
  g_clear_pointer (&self->tokens, g_hash_table_unref);

  G_OBJECT_CLASS (civic_sync_parent_class)->dispose (object);
}

static void
civic_sync_class_init (CivicSyncClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = civic_sync_dispose;
}

static void
civic_sync_init (CivicSync *self)
{
  self->accounts = g_list_store_new (CIVIC_TYPE_ACCOUNT_SYNC);
  self->cancellable = g_cancellable_new ();
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) civic_secrets_free_token);
  self->backoff_base_ms = 1000;
  self->poll_interval_s = 15;
}

CivicSync *
civic_sync_new (CivicContext *context,
                SoupSession  *session)
{
  g_autoptr(CivicRouter) router = NULL;
  g_autoptr(GError) error = NULL;
  CivicSync *self;

  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);

  router = civic_router_new (civic_context_get_store (context), &error);
  if (router == NULL)
    {
      g_critical ("Could not read the routing tables: %s", error->message);
      return NULL;
    }

  self = g_object_new (CIVIC_TYPE_SYNC, NULL);
  self->context = g_object_ref (context);
  self->session = session != NULL ? g_object_ref (session) : civic_sync_new_session (30);
  self->ingest = civic_ingest_new (civic_context_get_store (context), router, context_now, context);

  return self;
}

SoupSession *
civic_sync_get_session (CivicSync *self)
{
  g_return_val_if_fail (CIVIC_IS_SYNC (self), NULL);
  return self->session;
}

CivicIngest *
civic_sync_get_ingest (CivicSync *self)
{
  g_return_val_if_fail (CIVIC_IS_SYNC (self), NULL);
  return self->ingest;
}

GListModel *
civic_sync_get_accounts (CivicSync *self)
{
  g_return_val_if_fail (CIVIC_IS_SYNC (self), NULL);
  return G_LIST_MODEL (self->accounts);
}

CivicAccountSync *
civic_sync_find_account (CivicSync *self,
                         gint64     account_id)
{
  guint n;

  g_return_val_if_fail (CIVIC_IS_SYNC (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CivicAccountSync) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (civic_account_sync_get_account_id (account) == account_id)
        return account;
    }

  return NULL;
}

void
civic_sync_set_backoff_base_ms (CivicSync *self,
                                guint      base_ms)
{
  guint n;

  g_return_if_fail (CIVIC_IS_SYNC (self));

  self->backoff_base_ms = base_ms;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CivicAccountSync) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      civic_account_sync_set_backoff_base_ms (account, base_ms);
    }
}

void
civic_sync_set_poll_interval (CivicSync *self,
                              guint      seconds)
{
  guint n;

  g_return_if_fail (CIVIC_IS_SYNC (self));

  self->poll_interval_s = seconds;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CivicAccountSync) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      civic_account_sync_set_poll_interval (account, seconds);
    }
}

void
civic_sync_set_token (CivicSync  *self,
                      const char *base_url,
                      const char *acct,
                      const char *token)
{
  g_return_if_fail (CIVIC_IS_SYNC (self));
  g_return_if_fail (base_url != NULL && acct != NULL);

  g_hash_table_replace (self->tokens, g_strconcat (base_url, "\n", acct, NULL), g_strdup (token));
}

/* Reload: one keyring lookup per account, then add what is new. */

typedef struct
{
  GPtrArray *bound;   /* (element-type CivicBoundAccount) */
  guint next;
} ReloadData;

static void
reload_data_free (ReloadData *data)
{
  g_clear_pointer (&data->bound, g_ptr_array_unref);
  g_free (data);
}

static void reload_next (GTask *task);

static void
add_account (CivicSync               *self,
             const CivicBoundAccount *bound,
             const char              *token)
{
  g_autoptr(CivicAccountSync) account = NULL;

  account = civic_sync_find_account (self, bound->account_id);
  if (account != NULL)
    {
      g_object_ref (account);
      civic_account_sync_set_token (account, token);
    }
  else
    {
      account = civic_account_sync_new (self->session, self->ingest,
                                        civic_context_get_store (self->context), bound, token);
      civic_account_sync_set_backoff_base_ms (account, self->backoff_base_ms);
      civic_account_sync_set_poll_interval (account, self->poll_interval_s);
      g_list_store_append (self->accounts, account);
      if (self->started)
        civic_account_sync_start (account);
    }
}

static void
token_looked_up_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CivicSync *self = g_task_get_source_object (task);
  ReloadData *data = g_task_get_task_data (task);
  CivicBoundAccount *bound = g_ptr_array_index (data->bound, data->next - 1);
  g_autoptr(GError) error = NULL;
  char *token;

  token = civic_secrets_lookup_token_finish (result, &error);
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* No keyring or no token: the account shows "Not signed in". */
  if (error != NULL)
    g_debug ("Keyring lookup failed for %s: %s", bound->acct, error->message);

  add_account (self, bound, token);
  civic_secrets_free_token (token);
  reload_next (g_steal_pointer (&task));
}

static void
reload_next (GTask *task)
{
  ReloadData *data = g_task_get_task_data (task);
  CivicBoundAccount *bound;

  if (data->next >= data->bound->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  bound = g_ptr_array_index (data->bound, data->next++);
  {
    g_autofree char *key = g_strconcat (bound->base_url, "\n", bound->acct, NULL);
    const char *token = g_hash_table_lookup (((CivicSync *) g_task_get_source_object (task))->tokens, key);

    if (token != NULL)
      {
        add_account (g_task_get_source_object (task), bound, token);
        reload_next (task);
        return;
      }
  }
  civic_secrets_lookup_token_async (bound->base_url, bound->acct, g_task_get_cancellable (task),
                                    token_looked_up_cb, task);
}

void
civic_sync_reload_async (CivicSync           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  ReloadData *data;
  GError *error = NULL;
  GPtrArray *bound;

  g_return_if_fail (CIVIC_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, civic_sync_reload_async);

  /* Departments may have been bound or rules changed. */
  if (!civic_router_reload (civic_ingest_get_router (self->ingest), &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  bound = civic_store_list_bound_accounts (civic_context_get_store (self->context), &error);
  if (bound == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  data = g_new0 (ReloadData, 1);
  data->bound = bound;
  g_task_set_task_data (task, data, (GDestroyNotify) reload_data_free);

  reload_next (task);
}

gboolean
civic_sync_reload_finish (CivicSync     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (CIVIC_IS_SYNC (self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
civic_sync_start (CivicSync *self)
{
  guint n;

  g_return_if_fail (CIVIC_IS_SYNC (self));

  self->started = TRUE;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CivicAccountSync) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      civic_account_sync_start (account);
    }
}

void
civic_sync_stop (CivicSync *self)
{
  guint n;

  g_return_if_fail (CIVIC_IS_SYNC (self));

  self->started = FALSE;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CivicAccountSync) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      civic_account_sync_stop (account);
    }
}

/* run once: every account in turn, collecting failures */

typedef struct
{
  guint next;
  GString *failures;
} OnceData;

static void
once_data_free (OnceData *data)
{
  g_string_free (data->failures, TRUE);
  g_free (data);
}

static void once_next (GTask *task);

static void
account_once_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  OnceData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!civic_account_sync_run_once_finish (CIVIC_ACCOUNT_SYNC (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      g_string_append_printf (data->failures, "%s%s: %s", data->failures->len > 0 ? "; " : "",
                              civic_account_sync_get_acct (CIVIC_ACCOUNT_SYNC (source)), error->message);
    }

  once_next (task);
}

static void
once_next (GTask *task)
{
  CivicSync *self = g_task_get_source_object (task);
  OnceData *data = g_task_get_task_data (task);
  g_autoptr(CivicAccountSync) account = NULL;

  if (data->next >= g_list_model_get_n_items (G_LIST_MODEL (self->accounts)))
    {
      if (data->failures->len > 0)
        g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_NETWORK,
                                 "%s", data->failures->str);
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  account = g_list_model_get_item (G_LIST_MODEL (self->accounts), data->next++);
  civic_account_sync_run_once_async (account, g_task_get_cancellable (task), account_once_cb, task);
}

void
civic_sync_run_once_async (CivicSync           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  OnceData *data;

  g_return_if_fail (CIVIC_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, civic_sync_run_once_async);
  data = g_new0 (OnceData, 1);
  data->failures = g_string_new (NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) once_data_free);

  once_next (task);
}

gboolean
civic_sync_run_once_finish (CivicSync     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (CIVIC_IS_SYNC (self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
