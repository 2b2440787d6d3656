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
#define MERGE_PAGES 16
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

  /* A mention is closed after it was written, so created_at < cutoff
   * holds for every one due: it lets the search walk the mentions_created
   * index over the few rows older than the cutoff (in a purged store,
   * mostly the day's new ones) instead of scanning a million rows while
   * holding the write lock. A desk clock behind the server's at most
   * keeps a mention that much longer. */
  stmt = _civic_store_prepare (store,
                               "INSERT INTO temp.purge_batch (id)"
                               " SELECT id FROM mentions"
                               " WHERE created_at < ?1 AND state = 3"
                               " AND coalesce(closed_at, answered_at, created_at) < ?1"
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

  /* mentions_fts is an external-content index: tell it the old values.
   * CROSS JOIN keeps the batch as the outer loop; left to itself the
   * planner scanned every mention for each batch (0.4 s on a million). */
  stmt = _civic_store_prepare (store,
                               "INSERT INTO mentions_fts (mentions_fts, rowid, content_text, author_name, author_acct)"
                               " SELECT 'delete', m.id, m.content_text, m.author_name, m.author_acct"
                               " FROM temp.purge_batch b CROSS JOIN mentions m ON m.id = b.id",
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

/* Merges the full-text index until it is one segment, as 'optimize'
 * does, but a few pages at a time in short transactions: 'optimize' at
 * once held the write lock for over a second on a million mentions, and
 * every other writer (the sync, a staff action on the main thread) waited
 * for it. A step that changes fewer than two rows found nothing to merge. */
static gboolean
merge_index (CivicStore    *store,
             GCancellable  *cancellable,
             GError       **error)
{
  sqlite3 *db = _civic_store_get_db (store);

  for (;;)
    {
      sqlite3_stmt *stmt;
      int before;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!civic_store_begin (store, error))
        return FALSE;

      stmt = _civic_store_prepare (store,
                                   "INSERT INTO mentions_fts (mentions_fts, rank)"
                                   " VALUES ('merge', -" G_STRINGIFY (MERGE_PAGES) ")",
                                   error);
      before = sqlite3_total_changes (db);
      if (stmt == NULL || !step_done (store, stmt, _("Could not compact the search index"), error) ||
          !civic_store_commit (store, error))
        {
          civic_store_rollback (store);
          return FALSE;
        }

      if (sqlite3_total_changes (db) - before < 2)
        return TRUE;
    }
}

gboolean
civic_retention_purge (CivicStore  *store,
                       guint        days,
                       gint64       now_ms,
                       guint       *n_purged,
                       GError     **error)
{
  return civic_retention_purge_full (store, days, now_ms, NULL, n_purged, error);
}

gboolean
civic_retention_purge_full (CivicStore    *store,
                            guint          days,
                            gint64         now_ms,
                            GCancellable  *cancellable,
                            guint         *n_purged,
                            GError       **error)
{
  gint64 cutoff_ms = now_ms - (gint64) days * DAY_MS;
  guint total = 0;
  gboolean ok = TRUE;
  guint n = 0;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);
  g_return_val_if_fail (days > 0, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  if (n_purged != NULL)
    *n_purged = 0;

  /* Overwrite what is deleted, in the file and in the WAL. */
  if (!_civic_store_exec (store, "PRAGMA secure_delete = ON", error))
    return FALSE;

  do
    {
      ok = !g_cancellable_set_error_if_cancelled (cancellable, error) &&
           purge_batch (store, cutoff_ms, &n, error);
      total += ok ? n : 0;
    }
  while (ok && n == BATCH);

  if (ok && total > 0)
    {
      /* Merge the index so the deleted words leave its segments too, and
       * move the zeroed pages from the WAL into the file. */
      ok = merge_index (store, cancellable, error) &&
           _civic_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", error);
    }

  _civic_store_exec (store, "PRAGMA secure_delete = OFF", NULL);

  if (n_purged != NULL)
    *n_purged = total;

  return ok;
}
