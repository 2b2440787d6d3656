/* civic-desk-profile.c
 *
 * The departments a desk serves, and so whose direct mentions it shows.
 * The rule itself is the view desk_direct_departments (schema 3), which
 * every query of listed mentions uses through CIVIC_STORE_VISIBLE_SQL.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "civic-desk-profile.h"
#include "civic-store-private.h"

gboolean
civic_store_set_served_departments (CivicStore          *store,
                                    const char * const  *slugs,
                                    GError             **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);

  for (guint i = 0; slugs != NULL && slugs[i] != NULL; i++)
    {
      gint64 id = civic_store_lookup_department (store, slugs[i]);

      if (id == 0)
        {
          g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                       _("There is no department “%s”"), slugs[i]);
          return FALSE;
        }
      g_array_append_val (ids, id);
    }

  if (!civic_store_begin (store, error))
    return FALSE;

  if (!_civic_store_exec (store, "DELETE FROM desk_departments", error))
    goto fail;

  stmt = _civic_store_prepare (store, "INSERT OR IGNORE INTO desk_departments (department_id) VALUES (?1)", error);
  if (stmt == NULL)
    goto fail;
  for (guint i = 0; i < ids->len; i++)
    {
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _civic_store_fail (store, rc, _("Could not save the desk’s departments"), error);
          goto fail;
        }
    }

  _civic_store_mark_changed (store);
  return civic_store_commit (store, error);

fail:
  civic_store_rollback (store);
  return FALSE;
}

GStrv
civic_store_dup_served_departments (CivicStore  *store,
                                    GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);

  stmt = _civic_store_prepare (store,
                               "SELECT d.slug FROM desk_departments s"
                               " JOIN departments d ON d.id = s.department_id ORDER BY d.slug",
                               error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _civic_store_fail (store, rc, _("Could not read the desk’s departments"), error);
      return NULL;
    }

  return g_strv_builder_end (builder);
}

gboolean
civic_store_shows_direct (CivicStore *store,
                          gint64      department_id)
{
  sqlite3_stmt *stmt;
  gboolean shows;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);

  stmt = _civic_store_prepare (store, "SELECT 1 FROM desk_direct_departments WHERE id = ?1", NULL);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, department_id);
  shows = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return shows;
}
