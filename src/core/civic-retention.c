/* civic-retention.c
 *
 * Closed mentions hold citizens' personal data: keep them only as long as
 * the town's retention setting says.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "civic-retention.h"
#include "civic-store-private.h"

#define BATCH 256
#define DAY_MS (24 * 60 * 60 * (gint64) 1000)

static gboolean
step_done (CivicStore    *store,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _civic_store_fail (store, rc, what, error);
  return TRUE;
}

/* Purges one batch; *n is how many mentions went (0: nothing left). */
static gboolean
purge_batch (CivicStore  *store,
             gint64       cutoff_ms,
             guint       *n,
             GError     **error)
{
  sqlite3_stmt *stmt;

  *n = 0;

  if (!civic_store_begin (store, error))
    return FALSE;

  /* The batch, fixed first so every statement below sees the same rows. */
  if (!_civic_store_exec (store,
                          "CREATE TEMP TABLE IF NOT EXISTS purge_batch (id INTEGER PRIMARY KEY);"
                          "DELETE FROM temp.purge_batch;",
                          error))
    goto fail;

  stmt = _civic_store_prepare (store,
                               "INSERT INTO temp.purge_batch (id)"
                               " SELECT id FROM mentions"
                               " WHERE state = 3 AND coalesce(closed_at, answered_at, created_at) < ?1"
                               " LIMIT " G_STRINGIFY (BATCH),
                               error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, cutoff_ms);
  if (!step_done (store, stmt, _("Could not find the mentions to purge"), error))
    goto fail;
  *n = (guint) sqlite3_changes (_civic_store_get_db (store));
  if (*n == 0)
    {
      civic_store_rollback (store);
      return TRUE;
    }

  /* mentions_fts is an external-content index: tell it the old values. */
  stmt = _civic_store_prepare (store,
                               "INSERT INTO mentions_fts (mentions_fts, rowid, content_text, author_name, author_acct)"
                               " SELECT 'delete', m.id, m.content_text, m.author_name, m.author_acct"
                               " FROM mentions m JOIN temp.purge_batch b ON b.id = m.id",
                               error);
  if (stmt == NULL || !step_done (store, stmt, _("Could not unindex the purged mentions"), error))
    goto fail;

  /* Our replies to them, once on the server; unsent ones stay. */
  stmt = _civic_store_prepare (store,
                               "DELETE FROM outbox WHERE state = 'sent'"
                               " AND mention_id IN (SELECT id FROM temp.purge_batch)",
                               error);
  if (stmt == NULL || !step_done (store, stmt, _("Could not purge the sent replies"), error))
    goto fail;

  /* Media, notes and drafts go with the row (ON DELETE CASCADE); audit
   * rows lose the link (ON DELETE SET NULL). */
  stmt = _civic_store_prepare (store,
                               "DELETE FROM mentions WHERE id IN (SELECT id FROM temp.purge_batch)",
                               error);
  if (stmt == NULL || !step_done (store, stmt, _("Could not purge mentions"), error))
    goto fail;

  _civic_store_mark_changed (store);
  return civic_store_commit (store, error);

fail:
  civic_store_rollback (store);
  return FALSE;
}

gboolean
civic_retention_purge (CivicStore  *store,
                       guint        days,
                       gint64       now_ms,
                       guint       *n_purged,
                       GError     **error)
{
  gint64 cutoff_ms = now_ms - (gint64) days * DAY_MS;
  guint total = 0;
  gboolean ok = TRUE;
  guint n;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);
  g_return_val_if_fail (days > 0, FALSE);

  if (n_purged != NULL)
    *n_purged = 0;

  /* Overwrite what is deleted, in the file and in the WAL. */
  if (!_civic_store_exec (store, "PRAGMA secure_delete = ON", error))
    return FALSE;

  do
    {
      ok = purge_batch (store, cutoff_ms, &n, error);
      total += n;
    }
  while (ok && n == BATCH);

  if (ok && total > 0)
    {
      /* Merge the index so the deleted words leave its segments too, and
       * move the zeroed pages from the WAL into the file. */
      ok = _civic_store_exec (store, "INSERT INTO mentions_fts (mentions_fts) VALUES ('optimize')", error) &&
           _civic_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", error);
    }

  _civic_store_exec (store, "PRAGMA secure_delete = OFF", NULL);

  if (n_purged != NULL)
    *n_purged = total;

  return ok;
}
