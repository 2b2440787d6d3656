/* civic-smart-views.c
 *
 * Saved queue filters, one row each in the smart_views table (schema 2);
 * the filter itself is the JSON of civic_queue_filter_to_json().
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "civic-smart-views.h"
#include "civic-store-private.h"

GPtrArray *
civic_store_list_smart_views (CivicStore  *store,
                              GError     **error)
{
  g_autoptr(GPtrArray) views = g_ptr_array_new_with_free_func ((GDestroyNotify) civic_smart_view_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);

  stmt = _civic_store_prepare (store, "SELECT id, name, filter FROM smart_views ORDER BY position, id", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CivicQueueFilter) filter = NULL;
      g_autoptr(GError) local_error = NULL;
      CivicSmartView *view;

      /* One damaged row must not hide the others. */
      filter = civic_queue_filter_new_from_json ((const char *) sqlite3_column_text (stmt, 2), &local_error);
      if (filter == NULL)
        {
          g_debug ("Skipping smart view %" G_GINT64_FORMAT ": %s",
                   (gint64) sqlite3_column_int64 (stmt, 0), local_error->message);
          continue;
        }

      view = civic_smart_view_new ((const char *) sqlite3_column_text (stmt, 1), filter);
      view->id = sqlite3_column_int64 (stmt, 0);
      g_ptr_array_add (views, view);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _civic_store_fail (store, rc, _("Could not read the saved views"), error);
      return NULL;
    }

  return g_steal_pointer (&views);
}

gint64
civic_store_save_smart_view (CivicStore              *store,
                             const char              *name,
                             const CivicQueueFilter  *filter,
                             GError                 **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), 0);
  g_return_val_if_fail (name != NULL, 0);
  g_return_val_if_fail (filter != NULL, 0);

  clean = g_utf8_make_valid (name, -1);
  g_strstrip (clean);
  if (*clean == '\0')
    {
      g_set_error_literal (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                           _("A saved view needs a name"));
      return 0;
    }
  if (g_utf8_strlen (clean, -1) > CIVIC_SMART_VIEW_NAME_MAX)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "A saved view’s name can have at most %d character",
                                "A saved view’s name can have at most %d characters",
                                CIVIC_SMART_VIEW_NAME_MAX),
                   CIVIC_SMART_VIEW_NAME_MAX);
      return 0;
    }
  if (filter->department_id == 0)
    {
      g_set_error_literal (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                           _("A saved view belongs to a department"));
      return 0;
    }

  json = civic_queue_filter_to_json (filter);

  if (!civic_store_begin (store, error))
    return 0;

  stmt = _civic_store_prepare (store, "DELETE FROM smart_views WHERE name = ?1 AND department_id = ?2", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, filter->department_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _civic_store_fail (store, rc, _("Could not save the view"), error);
      goto fail;
    }

  stmt = _civic_store_prepare (store,
                               "INSERT INTO smart_views (name, department_id, filter, position)"
                               " VALUES (?1, ?2, ?3, (SELECT IFNULL(MAX(position), 0) + 1 FROM smart_views))",
                               error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, filter->department_id);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      /* A department that does not exist fails the foreign key. */
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        g_set_error_literal (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                             _("The view’s department no longer exists"));
      else
        _civic_store_fail (store, rc, _("Could not save the view"), error);
      goto fail;
    }
  id = sqlite3_last_insert_rowid (_civic_store_get_db (store));

  _civic_store_mark_changed (store);
  if (!civic_store_commit (store, error))
    return 0;
  return id;

fail:
  civic_store_rollback (store);
  return 0;
}

gboolean
civic_store_delete_smart_view (CivicStore  *store,
                               gint64       id,
                               GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);

  stmt = _civic_store_prepare (store, "DELETE FROM smart_views WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _civic_store_fail (store, rc, _("Could not delete the view"), error);

  _civic_store_mark_changed (store);
  return TRUE;
}
