/* civic-queue-row.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "civic-mention.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_QUEUE_ROW (civic_queue_row_get_type ())

G_DECLARE_FINAL_TYPE (CivicQueueRow, civic_queue_row, CIVIC, QUEUE_ROW, GtkWidget)

GtkWidget    *civic_queue_row_new         (void);
void          civic_queue_row_set_mention (CivicQueueRow *self,
                                           CivicMention  *mention,
                                           gint64         now_ms);
CivicMention *civic_queue_row_get_mention (CivicQueueRow *self);
/* Refreshes the relative time and countdown only. */
void          civic_queue_row_update_time (CivicQueueRow *self,
                                           gint64         now_ms);
/* In selection mode the row shows a check box; ticking it activates
 * queue.check-mention((xb)) on the row. */
void          civic_queue_row_set_selection_mode (CivicQueueRow *self,
                                                  gboolean       selection_mode,
                                                  gboolean       checked);
gboolean      civic_queue_row_get_checked (CivicQueueRow *self);

G_END_DECLS
