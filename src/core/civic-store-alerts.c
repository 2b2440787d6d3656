/* civic-store-alerts.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-store-alerts.h"
#include "civic-store-private.h"

gint64
civic_store_get_last_mention_id (CivicStore *store)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;

  g_return_val_if_fail (CIVIC_IS_STORE (store), 0);

  stmt = _civic_store_prepare (store, "SELECT coalesce(max(id), 0) FROM mentions", NULL);
  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return id;
}

GArray *
civic_store_list_new_priority (CivicStore     *store,
                               gint64          after_id,
                               CivicPriority   min_priority,
                               guint           limit,
                               gint64         *last_id,
                               GError        **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);

  if (last_id != NULL)
    *last_id = MAX (after_id, civic_store_get_last_mention_id (store));

  /* A rowid range: cheap however large the table. */
  stmt = _civic_store_prepare (store,
                               "SELECT id FROM mentions WHERE id > ?1 AND state IN (0, 1) AND priority >= ?2 "
                               "ORDER BY id LIMIT ?3",
                               error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, after_id);
  sqlite3_bind_int (stmt, 2, min_priority);
  sqlite3_bind_int64 (stmt, 3, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _civic_store_fail (store, rc, _("Could not look for new mentions"), error);
      return NULL;
    }

  return g_steal_pointer (&ids);
}

GArray *
civic_store_list_newly_overdue (CivicStore  *store,
                                gint64       from_ms,
                                gint64       to_ms,
                                GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) departments = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);

  if (to_ms <= from_ms)
    return g_steal_pointer (&ids);

  stmt = _civic_store_prepare (store, "SELECT id FROM departments", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (departments, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _civic_store_fail (store, rc, _("Could not read the departments"), error);
      return NULL;
    }

  /* (department_id, state, due_at) is the queue's index: one range per
   * department and open state. */
  stmt = _civic_store_prepare (store,
                               "SELECT id FROM mentions WHERE department_id = ?1 AND state = ?2 "
                               "AND due_at > ?3 AND due_at <= ?4",
                               error);
  if (stmt == NULL)
    return NULL;

  for (guint i = 0; i < departments->len; i++)
    {
      for (int state = CIVIC_MENTION_STATE_NEW; state <= CIVIC_MENTION_STATE_IN_PROGRESS; state++)
        {
          sqlite3_bind_int64 (stmt, 1, g_array_index (departments, gint64, i));
          sqlite3_bind_int (stmt, 2, state);
          sqlite3_bind_int64 (stmt, 3, from_ms);
          sqlite3_bind_int64 (stmt, 4, to_ms);
          while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
            {
              gint64 id = sqlite3_column_int64 (stmt, 0);

              g_array_append_val (ids, id);
            }
          sqlite3_reset (stmt);
          if (rc != SQLITE_DONE)
            {
              _civic_store_fail (store, rc, _("Could not look for overdue mentions"), error);
              return NULL;
            }
        }
    }

  return g_steal_pointer (&ids);
}
