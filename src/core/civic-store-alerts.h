/* civic-store-alerts.h
 *
 * What the desk's notifications ask the store: which mentions arrived
 * since the last look, and which answers became overdue meanwhile.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "civic-enums.h"
#include "civic-store.h"

G_BEGIN_DECLS

/* The highest mention row id (0 when there is none): where to start
 * looking for new ones. */
gint64  civic_store_get_last_mention_id (CivicStore     *store);
/* Ids (gint64) of open mentions stored after row @after_id whose stored
 * priority is at least @min_priority, oldest row first, at most @limit.
 * @last_id: (out) (optional): the highest row id looked at (move the
 * cursor there even when nothing matched). */
GArray *civic_store_list_new_priority   (CivicStore     *store,
                                         gint64          after_id,
                                         CivicPriority   min_priority,
                                         guint           limit,
                                         gint64         *last_id,
                                         GError        **error);
/* Ids (gint64) of open mentions whose deadline passed in (@from_ms,
 * @to_ms]: those that became overdue between two looks. Uses the queue
 * index, one department at a time. */
GArray *civic_store_list_newly_overdue  (CivicStore     *store,
                                         gint64          from_ms,
                                         gint64          to_ms,
                                         GError        **error);

G_END_DECLS
