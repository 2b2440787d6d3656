/* civic-thread.c
 *
 * A mention's conversation: GET /api/v1/statuses/:id/context through the
 * client of a signed-in account on the mention's server.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <string.h>

#include "civic-client.h"
#include "civic-store-private.h"
#include "civic-sync.h"
#include "civic-thread.h"

G_DEFINE_QUARK (civic-thread-error-quark, civic_thread_error)

void
civic_thread_free (CivicThread *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->ancestors, g_ptr_array_unref);
  g_clear_pointer (&self->descendants, g_ptr_array_unref);
  g_clear_pointer (&self->own_ids, g_ptr_array_unref);
  g_clear_pointer (&self->own_accts, g_ptr_array_unref);
  g_free (self);
}

/* The user part of an acct: "alcaldia@jun.example" and "alcaldia" (as a
 * server gives local accounts) are the same account on that server. */
static gsize
user_length (const char *acct)
{
  const char *at = strchr (acct, '@');

  return at != NULL ? (gsize) (at - acct) : strlen (acct);
}

gboolean
civic_thread_is_own (const CivicThread *self,
                     const CivicStatus *status)
{
  const char *acct;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  if (status->account == NULL)
    return FALSE;

  for (guint i = 0; i < self->own_ids->len; i++)
    {
      const char *id = g_ptr_array_index (self->own_ids, i);

      /* A known remote id decides alone: a stranger may share the name. */
      if (id != NULL)
        {
          if (g_strcmp0 (id, status->account->id) == 0)
            return TRUE;
          continue;
        }

      acct = status->account->acct != NULL ? status->account->acct : "";
      {
        const char *own = g_ptr_array_index (self->own_accts, i);
        gsize len = user_length (own);

        /* The server names its own accounts without a domain: an acct
         * with one is another server's, even under our name
         * (alcaldia@evil.example), unless it is ours spelt in full. */
        if (strchr (acct, '@') != NULL)
          {
            if (strchr (own, '@') != NULL && g_ascii_strcasecmp (own, acct) == 0)
              return TRUE;
            continue;
          }
        if (len == user_length (acct) && strncmp (own, acct, len) == 0)
          return TRUE;
      }
    }

  return FALSE;
}

static void
context_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CivicThread *pending = g_task_get_task_data (task);
  g_autoptr(CivicStatusContext) context = NULL;
  CivicThread *thread;
  GError *error = NULL;

  context = civic_client_get_context_finish (CIVIC_CLIENT (source), result, &error);
  if (context == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  thread = g_new0 (CivicThread, 1);
  thread->ancestors = g_steal_pointer (&context->ancestors);
  thread->descendants = g_steal_pointer (&context->descendants);
  thread->own_ids = g_steal_pointer (&pending->own_ids);
  thread->own_accts = g_steal_pointer (&pending->own_accts);
  g_task_return_pointer (task, thread, (GDestroyNotify) civic_thread_free);
}

void
civic_thread_fetch_async (CivicContext        *context,
                          gint64               mention_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(CivicThread) thread = NULL;
  g_autofree char *status_id = NULL;
  CivicStore *store;
  CivicSync *sync;
  CivicClient *client = NULL;
  sqlite3_stmt *stmt;
  GError *error = NULL;
  int rc;

  g_return_if_fail (CIVIC_IS_CONTEXT (context));
  g_return_if_fail (mention_id > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (context, cancellable, callback, user_data);
  g_task_set_source_tag (task, civic_thread_fetch_async);

  store = civic_context_get_store (context);
  sync = civic_context_get_sync (context);

  thread = g_new0 (CivicThread, 1);
  thread->own_ids = g_ptr_array_new_with_free_func (g_free);
  thread->own_accts = g_ptr_array_new_with_free_func (g_free);

  /* Every account of ours on the mention's server, the one that received
   * it first (it can read a private thread), then the department's. */
  stmt = _civic_store_prepare (store,
                               "SELECT m.status_id, a.id, a.remote_id, a.acct "
                               "FROM mentions m LEFT JOIN departments d ON d.id = m.department_id "
                               "JOIN accounts a ON a.server_id = m.server_id "
                               "WHERE m.id = ?1 "
                               "ORDER BY a.id IS m.account_id DESC, a.id IS d.account_id DESC, a.id",
                               &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  sqlite3_bind_int64 (stmt, 1, mention_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CivicAccountSync *account;

      if (status_id == NULL)
        status_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      g_ptr_array_add (thread->own_ids, g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
      g_ptr_array_add (thread->own_accts, g_strdup ((const char *) sqlite3_column_text (stmt, 3)));

      account = sync != NULL ? civic_sync_find_account (sync, sqlite3_column_int64 (stmt, 1)) : NULL;
      if (client == NULL && account != NULL &&
          civic_client_has_token (civic_account_sync_get_client (account)))
        client = civic_account_sync_get_client (account);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _civic_store_fail (store, rc, _("Could not read the mention"), &error);
      g_task_return_error (task, error);
      return;
    }

  if (client == NULL || status_id == NULL)
    {
      g_task_return_new_error (task, CIVIC_THREAD_ERROR, CIVIC_THREAD_ERROR_NO_ACCOUNT,
                               _("No account on this mention’s server is signed in on this desk"));
      return;
    }

  g_task_set_task_data (task, g_steal_pointer (&thread), (GDestroyNotify) civic_thread_free);
  civic_client_get_context_async (client, status_id, cancellable, context_cb, g_steal_pointer (&task));
}

CivicThread *
civic_thread_fetch_finish (CivicContext  *context,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (g_task_is_valid (result, context), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == civic_thread_fetch_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
