/* civic-window.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "civic-context.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_WINDOW (civic_window_get_type ())

G_DECLARE_FINAL_TYPE (CivicWindow, civic_window, CIVIC, WINDOW, AdwApplicationWindow)

CivicWindow  *civic_window_new           (gpointer      application,
                                          CivicContext *context);
/* A window that only explains why the desk cannot start. */
CivicWindow  *civic_window_new_for_error (gpointer      application,
                                          const GError *error);
CivicContext *civic_window_get_context   (CivicWindow  *self);
/* The desk's layout, or %NULL in an error window. */
gpointer      civic_window_get_layout    (CivicWindow  *self);
void          civic_window_add_toast     (CivicWindow  *self,
                                          const char   *message);
/* Shows the mention in the queue (from a notification, say). */
void          civic_window_open_mention  (CivicWindow  *self,
                                          gint64        mention_id);

G_END_DECLS
