/* civic-filter-popover.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "civic-context.h"
#include "civic-queue-filter.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_FILTER_POPOVER (civic_filter_popover_get_type ())

G_DECLARE_FINAL_TYPE (CivicFilterPopover, civic_filter_popover, CIVIC, FILTER_POPOVER, GtkPopover)

/* The queue's less frequent filters (period, author, "claimed by me") and
 * its saved views. It does not filter anything itself: its owner reads it
 * with civic_filter_popover_apply() on ::changed, replaces its whole filter
 * on ::view-activated, and tells it the filter in force with
 * civic_filter_popover_set_filter() (which is also what "Save View"
 * saves). */
GtkWidget *civic_filter_popover_new           (CivicContext            *context);
void       civic_filter_popover_set_filter    (CivicFilterPopover      *self,
                                               const CivicQueueFilter  *filter);
void       civic_filter_popover_apply         (CivicFilterPopover      *self,
                                               CivicQueueFilter        *filter);
gboolean   civic_filter_popover_get_active    (CivicFilterPopover      *self);
void       civic_filter_popover_reset         (CivicFilterPopover      *self);

/* The saved views of the filter's department, by id. */
guint      civic_filter_popover_get_n_views   (CivicFilterPopover      *self);
gint64     civic_filter_popover_save_view     (CivicFilterPopover      *self,
                                               const char              *name,
                                               GError                 **error);
gboolean   civic_filter_popover_activate_view (CivicFilterPopover      *self,
                                               gint64                   id);
gboolean   civic_filter_popover_delete_view   (CivicFilterPopover      *self,
                                               gint64                   id,
                                               GError                 **error);

G_END_DECLS
