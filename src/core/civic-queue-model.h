/* civic-queue-model.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "civic-context.h"
#include "civic-queue-filter.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_QUEUE_MODEL (civic_queue_model_get_type ())

G_DECLARE_FINAL_TYPE (CivicQueueModel, civic_queue_model, CIVIC, QUEUE_MODEL, GObject)

CivicQueueModel *civic_queue_model_new            (CivicContext    *context);
void             civic_queue_model_set_department (CivicQueueModel *self,
                                                   gint64           department_id);
gint64           civic_queue_model_get_department (CivicQueueModel *self);
/* The whole filter (department, states, search text, …); copied. */
void             civic_queue_model_set_filter     (CivicQueueModel        *self,
                                                   const CivicQueueFilter *filter);
const CivicQueueFilter *civic_queue_model_get_filter (CivicQueueModel   *self);
/* Re-reads the order from the store now (normally done shortly after the
 * store changes). */
void             civic_queue_model_refresh        (CivicQueueModel *self);
/* The row's position, or G_MAXUINT when @mention_id is not in the queue. */
guint            civic_queue_model_find           (CivicQueueModel *self,
                                                   gint64           mention_id);
/* The mention id at @position (0 past the end), without loading its row:
 * a selection over the whole queue resolves ids through this. */
gint64           civic_queue_model_get_id         (CivicQueueModel *self,
                                                   guint            position);
guint            civic_queue_model_get_n_cached   (CivicQueueModel *self);

G_END_DECLS
