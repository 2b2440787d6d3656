/* civic-main-layout.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "civic-context.h"
#include "civic-queue-view.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_MAIN_LAYOUT (civic_main_layout_get_type ())

G_DECLARE_FINAL_TYPE (CivicMainLayout, civic_main_layout, CIVIC, MAIN_LAYOUT, GtkWidget)

/* The split of the desk: departments on the left, the selected queue on the
 * right. Kept in this one widget so that a later port from AdwLeaflet to
 * AdwNavigationSplitView stays local. */
CivicMainLayout *civic_main_layout_new               (CivicContext    *context);
GListModel      *civic_main_layout_get_departments   (CivicMainLayout *self);
gboolean         civic_main_layout_select_department (CivicMainLayout *self,
                                                      const char      *slug);
CivicDepartment *civic_main_layout_get_department    (CivicMainLayout *self);
CivicQueueView  *civic_main_layout_get_queue_view    (CivicMainLayout *self);
/* Re-reads departments and counts from the store now. */
void             civic_main_layout_refresh           (CivicMainLayout *self);

G_END_DECLS
