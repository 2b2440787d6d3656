/* civic-store-sync.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <string.h>

#include "civic-store-private.h"
#include "civic-store-sync.h"

void
civic_sync_position_clear (CivicSyncPosition *position)
{
  g_clear_pointer (&position->newest_id, g_free);
  g_clear_pointer (&position->backfill_max_id, g_free);
  position->backfill_done = FALSE;
}

void
civic_bound_account_free (CivicBoundAccount *self)
{
  if (self == NULL)
    return;

  g_free (self->base_url);
  g_free (self->acct);
  g_free (self->remote_id);
  g_free (self->departments);
  g_free (self);
}

GPtrArray *
civic_store_list_bound_accounts (CivicStore  *self,
                                 GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) civic_bound_account_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), NULL);

  stmt = _civic_store_prepare (self,
                               "SELECT a.id, s.id, s.base_url, a.acct, group_concat(d.slug), a.remote_id "
                               "FROM accounts a JOIN servers s ON s.id = a.server_id "
                               "JOIN departments d ON d.account_id = a.id "
                               "GROUP BY a.id ORDER BY min(d.position), a.id",
                               error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CivicBoundAccount *account = g_new0 (CivicBoundAccount, 1);

      account->account_id = sqlite3_column_int64 (stmt, 0);
      account->server_id = sqlite3_column_int64 (stmt, 1);
      account->base_url = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      account->acct = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      account->departments = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      account->remote_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (list, account);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _civic_store_fail (self, rc, _("Could not list the accounts"), error);
      return NULL;
    }

  return g_steal_pointer (&list);
}

gboolean
civic_store_get_sync_position (CivicStore         *self,
                               gint64              account_id,
                               CivicSyncPosition  *position,
                               GError            **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), FALSE);
  g_return_val_if_fail (position != NULL, FALSE);

  memset (position, 0, sizeof *position);

  stmt = _civic_store_prepare (self,
                               "SELECT newest_id, backfill_max_id, backfill_done "
                               "FROM sync_positions WHERE account_id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      position->newest_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      position->backfill_max_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      position->backfill_done = sqlite3_column_int (stmt, 2) != 0;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _civic_store_fail (self, rc, _("Could not read the sync position"), error);

  return TRUE;
}

gboolean
civic_store_update_sync_position (CivicStore  *self,
                                  gint64       account_id,
                                  const char  *newest_id,
                                  const char  *backfill_max_id,
                                  gboolean     backfill_done,
                                  GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), FALSE);

  stmt = _civic_store_prepare (self,
                               "INSERT INTO sync_positions (account_id, newest_id, backfill_max_id, backfill_done) "
                               "VALUES (?1, ?2, ?3, ?4) "
                               "ON CONFLICT (account_id) DO UPDATE SET "
                               "  newest_id = coalesce(?2, newest_id),"
                               "  backfill_max_id = coalesce(?3, backfill_max_id),"
                               "  backfill_done = max(backfill_done, ?4)",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account_id);
  _civic_bind_text (stmt, 2, newest_id);
  _civic_bind_text (stmt, 3, backfill_max_id);
  sqlite3_bind_int (stmt, 4, backfill_done ? 1 : 0);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _civic_store_fail (self, rc, _("Could not save the sync position"), error);

  return TRUE;
}

gboolean
civic_store_reset_sync_position (CivicStore  *self,
                                 gint64       account_id,
                                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), FALSE);

  stmt = _civic_store_prepare (self,
                               "UPDATE sync_positions SET newest_id = NULL, backfill_max_id = NULL,"
                               "  backfill_done = 0 WHERE account_id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _civic_store_fail (self, rc, _("Could not reset the sync position"), error);

  return TRUE;
}

gboolean
civic_store_set_sync_status (CivicStore  *self,
                             gint64       account_id,
                             const char  *state,
                             const char  *message,
                             gint64       now_ms,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  stmt = _civic_store_prepare (self,
                               "INSERT INTO sync_positions (account_id, state, message, updated_at) "
                               "VALUES (?1, ?2, ?3, ?4) "
                               "ON CONFLICT (account_id) DO UPDATE SET "
                               "  state = ?2, message = ?3, updated_at = ?4",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, message != NULL ? message : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now_ms);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _civic_store_fail (self, rc, _("Could not save the sync status"), error);

  return TRUE;
}

gboolean
civic_store_get_sync_status (CivicStore  *self,
                             gint64       account_id,
                             char       **state,
                             char       **message,
                             gint64      *updated_ms,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), FALSE);

  stmt = _civic_store_prepare (self,
                               "SELECT state, message, coalesce(updated_at, 0) FROM sync_positions "
                               "WHERE account_id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (state != NULL)
        *state = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (message != NULL)
        *message = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (updated_ms != NULL)
        *updated_ms = sqlite3_column_int64 (stmt, 2);
    }
  else
    {
      if (state != NULL)
        *state = g_strdup ("idle");
      if (message != NULL)
        *message = g_strdup ("");
      if (updated_ms != NULL)
        *updated_ms = 0;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _civic_store_fail (self, rc, _("Could not read the sync status"), error);

  return TRUE;
}

gboolean
civic_store_save_instance (CivicStore          *self,
                           gint64               server_id,
                           const CivicInstance *instance,
                           const char          *quirks,
                           gint64               now_ms,
                           GError             **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), FALSE);
  g_return_val_if_fail (instance != NULL, FALSE);

  stmt = _civic_store_prepare (self,
                               "UPDATE servers SET title = ?2, version = ?3, api_version = ?4,"
                               "  streaming_url = ?5, max_characters = ?6, characters_per_url = ?7,"
                               "  max_media = ?8, quirks = ?9, checked_at = ?10 "
                               "WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, server_id);
  _civic_bind_text (stmt, 2, instance->title);
  _civic_bind_text (stmt, 3, instance->version);
  sqlite3_bind_int (stmt, 4, (int) instance->api_version);
  _civic_bind_text (stmt, 5, instance->streaming_url);
  sqlite3_bind_int64 (stmt, 6, instance->max_characters);
  sqlite3_bind_int64 (stmt, 7, instance->characters_reserved_per_url);
  sqlite3_bind_int64 (stmt, 8, instance->max_media_attachments);
  sqlite3_bind_text (stmt, 9, quirks != NULL ? quirks : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 10, now_ms);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _civic_store_fail (self, rc, _("Could not save the server’s capabilities"), error);

  return TRUE;
}

CivicInstance *
civic_store_load_instance (CivicStore  *self,
                           gint64       server_id,
                           gint64      *checked_ms,
                           char       **quirks,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  CivicInstance *instance = NULL;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), NULL);

  stmt = _civic_store_prepare (self,
                               "SELECT title, version, api_version, streaming_url, max_characters,"
                               "  characters_per_url, max_media, quirks, checked_at "
                               "FROM servers WHERE id = ?1 AND checked_at IS NOT NULL",
                               error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, server_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      instance = g_new0 (CivicInstance, 1);
      instance->domain = g_strdup ("");
      instance->title = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      instance->version = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      instance->api_version = (guint) sqlite3_column_int (stmt, 2);
      instance->streaming_url = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      instance->max_characters = sqlite3_column_int64 (stmt, 4);
      instance->characters_reserved_per_url = sqlite3_column_int64 (stmt, 5);
      instance->max_media_attachments = sqlite3_column_int64 (stmt, 6);
      if (quirks != NULL)
        *quirks = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      if (checked_ms != NULL)
        *checked_ms = sqlite3_column_int64 (stmt, 8);
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                 _("The server’s capabilities have not been read yet"));
  else
    _civic_store_fail (self, rc, _("Could not read the server’s capabilities"), error);
  sqlite3_reset (stmt);

  return instance;
}

gboolean
civic_store_save_app (CivicStore                *self,
                      gint64                     server_id,
                      const CivicAppCredentials *app,
                      GError                   **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), FALSE);
  g_return_val_if_fail (app != NULL, FALSE);

  stmt = _civic_store_prepare (self,
                               "UPDATE servers SET client_id = ?2, client_secret = ?3 WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, server_id);
  _civic_bind_text (stmt, 2, app->client_id);
  _civic_bind_text (stmt, 3, app->client_secret);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _civic_store_fail (self, rc, _("Could not save the app registration"), error);

  return TRUE;
}

CivicAppCredentials *
civic_store_load_app (CivicStore  *self,
                      gint64       server_id,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  CivicAppCredentials *app = NULL;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (self), NULL);

  stmt = _civic_store_prepare (self,
                               "SELECT client_id, client_secret FROM servers "
                               "WHERE id = ?1 AND client_id IS NOT NULL AND client_secret IS NOT NULL",
                               error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, server_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      app = g_new0 (CivicAppCredentials, 1);
      app->client_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      app->client_secret = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  else if (rc != SQLITE_DONE)
    _civic_store_fail (self, rc, _("Could not read the app registration"), error);
  sqlite3_reset (stmt);

  return app;
}
