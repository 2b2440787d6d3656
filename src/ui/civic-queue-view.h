/* civic-queue-view.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "civic-context.h"
#include "civic-department.h"
#include "civic-queue-model.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_QUEUE_VIEW (civic_queue_view_get_type ())

G_DECLARE_FINAL_TYPE (CivicQueueView, civic_queue_view, CIVIC, QUEUE_VIEW, GtkWidget)

GtkWidget       *civic_queue_view_new            (CivicContext    *context);
void             civic_queue_view_set_department (CivicQueueView  *self,
                                                  CivicDepartment *department);
CivicQueueModel *civic_queue_view_get_model      (CivicQueueView  *self);
/* "welcome", "empty" or "list": what the view shows now. */
const char      *civic_queue_view_get_page       (CivicQueueView  *self);
void             civic_queue_view_set_welcome    (CivicQueueView  *self,
                                                  gboolean         welcome);

G_END_DECLS
