/* civic-retention.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "civic-store.h"

G_BEGIN_DECLS

/* Days a closed mention is kept (the GSettings key retention-days). */
#define CIVIC_RETENTION_DEFAULT_DAYS 365

/* Deletes the mentions closed more than @days days before @now_ms, with
 * everything the desk keeps about them: their photos (media rows), notes,
 * drafts, full-text index entries and the sent replies in the outbox.
 * Audit rows stay (who did what, when) without the link to the mention;
 * replies not yet sent are never deleted. Open and answered mentions are
 * never purged, however old.
 *
 * Works in short transactions of a few hundred mentions, so a desk that
 * purges a year at once does not hold the database for long; deleted
 * content is overwritten (secure_delete) rather than left in free pages.
 * @n_purged: (out) (optional): how many mentions were deleted. */
gboolean civic_retention_purge (CivicStore  *store,
                                guint        days,
                                gint64       now_ms,
                                guint       *n_purged,
                                GError     **error);
/* The same, stopping between two of its short transactions once
 * @cancellable is cancelled (G_IO_ERROR_CANCELLED): what was purged by
 * then stays purged, and the next purge finishes the job. */
gboolean civic_retention_purge_full (CivicStore    *store,
                                     guint          days,
                                     gint64         now_ms,
                                     GCancellable  *cancellable,
                                     guint         *n_purged,
                                     GError       **error);

G_END_DECLS
