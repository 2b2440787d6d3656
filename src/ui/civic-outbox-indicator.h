/* civic-outbox-indicator.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "civic-context.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_OUTBOX_INDICATOR (civic_outbox_indicator_get_type ())

G_DECLARE_FINAL_TYPE (CivicOutboxIndicator, civic_outbox_indicator, CIVIC, OUTBOX_INDICATOR, GtkWidget)

/* The header bar's view of the outbox: hidden while it is empty, a count
 * of the replies waiting (in warning colours when one failed), and a
 * popover that lists them with what each waits for and Retry / Cancel.
 * Follows the context's outbox as it changes. */
GtkWidget *civic_outbox_indicator_new         (CivicContext         *context);
/* Reads the outbox again now rather than at the next change. */
void       civic_outbox_indicator_refresh     (CivicOutboxIndicator *self);
/* What the button shows: replies waiting or failed, and how many failed. */
guint      civic_outbox_indicator_get_count   (CivicOutboxIndicator *self);
guint      civic_outbox_indicator_get_n_failed (CivicOutboxIndicator *self);
/* The popover's list: one row per reply waiting, refreshed with the rest. */
GtkListBox *civic_outbox_indicator_get_list   (CivicOutboxIndicator *self);
/* Opens the popover (as a click does). */
void       civic_outbox_indicator_popup       (CivicOutboxIndicator *self);

G_END_DECLS
