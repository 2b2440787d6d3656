/* civic-queue-filter.h
 *
 * Filters over the mentions table (state, department, words, dates, author,
 * place, photo), the queue order, and smart views (named, saved filters).
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "civic-enums.h"
#include "civic-store.h"

G_BEGIN_DECLS

/**
 * CivicFilterChoice:
 * @CIVIC_FILTER_ANY: do not filter
 * @CIVIC_FILTER_YES: only mentions that have it
 * @CIVIC_FILTER_NO: only mentions that do not
 */
typedef enum
{
  CIVIC_FILTER_ANY = 0,
  CIVIC_FILTER_YES = 1,
  CIVIC_FILTER_NO = 2,
} CivicFilterChoice;

#define CIVIC_STATE_MASK(state) (1u << (state))
#define CIVIC_STATE_MASK_OPEN (CIVIC_STATE_MASK (CIVIC_MENTION_STATE_NEW) | \
                               CIVIC_STATE_MASK (CIVIC_MENTION_STATE_IN_PROGRESS))
#define CIVIC_STATE_MASK_ALL  (CIVIC_STATE_MASK_OPEN | \
                               CIVIC_STATE_MASK (CIVIC_MENTION_STATE_ANSWERED) | \
                               CIVIC_STATE_MASK (CIVIC_MENTION_STATE_CLOSED))

/**
 * CivicQueueFilter:
 * @department_id: 0 for every department
 * @states: CIVIC_STATE_MASK() bits; 0 means the open states (new, in progress)
 * @text: (nullable): words a person typed, searched with FTS5 (accents and
 *   case ignored, every word must match, as a prefix); never FTS syntax
 * @since_ms: created at or after; 0 for no bound
 * @until_ms: created before; 0 for no bound
 * @author: (nullable): the author's acct, with or without a leading '@'
 *   (case ignored)
 * @claimed_by: (nullable): only mentions claimed by this person
 * @has_place: whether a point was found in the mention
 * @has_photo: whether the mention carries media
 * @period_days: a period relative to now that a saved view keeps as such
 *   ("last 7 days" stays the last 7 days): 1 is today since midnight, N > 1
 *   the last N days, 0 none. Queries read @since_ms only: whoever applies
 *   the filter sets it with civic_queue_filter_resolve_period().
 *
 * Strings are owned. All fields zero is "the open mentions of every
 * department".
 */
typedef struct
{
  gint64 department_id;
  guint states;
  char *text;
  gint64 since_ms;
  gint64 until_ms;
  char *author;
  char *claimed_by;
  CivicFilterChoice has_place;
  CivicFilterChoice has_photo;
  guint period_days;
} CivicQueueFilter;

#define CIVIC_TYPE_QUEUE_FILTER (civic_queue_filter_get_type ())

GType             civic_queue_filter_get_type       (void) G_GNUC_CONST;

CivicQueueFilter *civic_queue_filter_new            (void);
CivicQueueFilter *civic_queue_filter_copy           (const CivicQueueFilter  *filter);
void              civic_queue_filter_free           (CivicQueueFilter        *filter);
gboolean          civic_queue_filter_equal          (const CivicQueueFilter  *a,
                                                     const CivicQueueFilter  *b);
/* A compact JSON object; fields at their default are left out. */
char             *civic_queue_filter_to_json        (const CivicQueueFilter  *filter);
CivicQueueFilter *civic_queue_filter_new_from_json  (const char              *json,
                                                     GError                 **error);

void              civic_queue_filter_resolve_period (CivicQueueFilter        *filter,
                                                     gint64                   now_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicQueueFilter, civic_queue_filter_free)

/* Ids of the mentions @filter selects, in queue order: overdue open
 * mentions first, then effective priority (civic_priority_effective(): the
 * stored priority raised in the last quarter of the answer time), then
 * oldest first. One query; nothing is loaded but ids. */
GArray   *civic_store_list_queue_ids_filtered (CivicStore              *store,
                                               const CivicQueueFilter  *filter,
                                               gint64                   now_ms,
                                               GError                 **error);
guint     civic_store_count_filtered          (CivicStore              *store,
                                               const CivicQueueFilter  *filter,
                                               GError                 **error);
/* The next time after @now_ms at which the order of the open mentions
 * @filter selects changes by itself (a deadline passes, or a mention below
 * HIGH enters the last quarter of its answer time), or 0 when it never
 * will: re-sort then, rather than re-querying every minute. */
gint64    civic_store_queue_next_change       (CivicStore              *store,
                                               const CivicQueueFilter  *filter,
                                               gint64                   now_ms,
                                               GError                 **error);

/**
 * CivicSmartView:
 *
 * A named, saved filter. @name and @filter owned; @id is the store's row
 * (0 until saved, see civic-smart-views.h).
 */
typedef struct
{
  char *name;
  CivicQueueFilter *filter;
  gint64 id;
} CivicSmartView;

CivicSmartView *civic_smart_view_new  (const char             *name,
                                       const CivicQueueFilter *filter);
void            civic_smart_view_free (CivicSmartView         *view);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicSmartView, civic_smart_view_free)

/* Smart views as one JSON array, for storing in a single string (until the
 * store has a table for them). Refuses unnamed views and bad filters. */
GPtrArray *civic_smart_views_from_json (const char  *json,
                                        GError     **error);
char      *civic_smart_views_to_json   (GPtrArray   *views);

G_END_DECLS
