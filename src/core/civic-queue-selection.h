/* civic-queue-selection.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "civic-context.h"
#include "civic-queue-model.h"
#include "civic-workflow.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_QUEUE_SELECTION (civic_queue_selection_get_type ())

G_DECLARE_FINAL_TYPE (CivicQueueSelection, civic_queue_selection, CIVIC, QUEUE_SELECTION, GObject)

/**
 * CivicQueueBulkResult:
 * @n_done: mentions the action changed
 * @n_colleague: skipped because a colleague holds them
 * @n_other: skipped for another reason (already closed, gone)
 * @message: what to tell the person, translated ("12 closed; 3 skipped:
 *   claimed by a colleague"); owned
 */
typedef struct
{
  guint n_done;
  guint n_colleague;
  guint n_other;
  char *message;
} CivicQueueBulkResult;

void civic_queue_bulk_result_clear (CivicQueueBulkResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CivicQueueBulkResult, civic_queue_bulk_result_clear)

/* The mentions ticked in a queue, kept as a set of ids so that "select all"
 * over a long queue never loads its rows. Emits ::changed when the set
 * changes. */
CivicQueueSelection *civic_queue_selection_new          (CivicQueueModel     *model);
guint                civic_queue_selection_get_n_selected (CivicQueueSelection *self);
gboolean             civic_queue_selection_contains     (CivicQueueSelection *self,
                                                         gint64               mention_id);
void                 civic_queue_selection_set          (CivicQueueSelection *self,
                                                         gint64               mention_id,
                                                         gboolean             selected);
/* Adds the queue's rows @first..@last (positions, inclusive, either order). */
void                 civic_queue_selection_select_range (CivicQueueSelection *self,
                                                         guint                first,
                                                         guint                last);
void                 civic_queue_selection_select_all   (CivicQueueSelection *self);
void                 civic_queue_selection_clear        (CivicQueueSelection *self);
/* (transfer full): gint64 ids, ascending. */
GArray              *civic_queue_selection_dup_ids      (CivicQueueSelection *self);

/* Claims, closes or reassigns (to @department_id) every selected mention
 * in one transaction, as @context's person and desk, then clears the
 * selection. Only CIVIC_WORKFLOW_CLAIM, _CLOSE and _REASSIGN. */
gboolean             civic_queue_selection_apply        (CivicQueueSelection  *self,
                                                         CivicContext         *context,
                                                         CivicWorkflowAction   action,
                                                         gint64               department_id,
                                                         CivicQueueBulkResult *result,
                                                         GError              **error);

G_END_DECLS
