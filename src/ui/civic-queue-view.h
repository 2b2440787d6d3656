/* civic-queue-view.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "civic-context.h"
#include "civic-department.h"
#include "civic-filter-popover.h"
#include "civic-mention-detail.h"
#include "civic-queue-model.h"
#include "civic-queue-selection.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_QUEUE_VIEW (civic_queue_view_get_type ())

G_DECLARE_FINAL_TYPE (CivicQueueView, civic_queue_view, CIVIC, QUEUE_VIEW, GtkWidget)

/* One department's queue and the selected mention beside it. Actions:
 * queue.next, queue.previous, queue.search, queue.select-mention(x);
 * selection mode: queue.selection-mode (boolean state), queue.select-all,
 * queue.check-mention((xb)), queue.leave-selection, and on the ticked
 * mentions queue.claim-selected, queue.close-selected,
 * queue.move-selected(x: department id). */
GtkWidget          *civic_queue_view_new            (CivicContext    *context);
void                civic_queue_view_set_department (CivicQueueView  *self,
                                                     CivicDepartment *department);
CivicQueueModel    *civic_queue_view_get_model      (CivicQueueView  *self);
CivicMentionDetail *civic_queue_view_get_detail     (CivicQueueView  *self);
/* The popover with the period, author and "mine" filters and saved views. */
CivicFilterPopover *civic_queue_view_get_filters    (CivicQueueView  *self);
/* "welcome", "empty", "no-results" or "list": what the list side shows now. */
const char         *civic_queue_view_get_page       (CivicQueueView  *self);
void                civic_queue_view_set_welcome    (CivicQueueView  *self,
                                                     gboolean         welcome);
/* Selects (and shows) the mention, if it is in the queue as filtered. */
gboolean            civic_queue_view_select_mention (CivicQueueView  *self,
                                                     gint64           mention_id);
gint64              civic_queue_view_get_selected_id (CivicQueueView *self);
void                civic_queue_view_set_search_text (CivicQueueView *self,
                                                      const char     *text);

void                 civic_queue_view_set_selection_mode (CivicQueueView *self,
                                                          gboolean        selection_mode);
gboolean             civic_queue_view_get_selection_mode (CivicQueueView *self);
/* The ticked mentions (borrowed). */
CivicQueueSelection *civic_queue_view_get_checked        (CivicQueueView *self);
/* What the last bulk action told the person ("12 closed; …"), or NULL. */
const char          *civic_queue_view_get_last_report    (CivicQueueView *self);

G_END_DECLS
