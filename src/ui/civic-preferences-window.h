/* civic-preferences-window.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "civic-context.h"
#include "civic-login-dialog.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_PREFERENCES_WINDOW (civic_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (CivicPreferencesWindow, civic_preferences_window, CIVIC, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* The desk's preferences, modal over @parent: pages "desk", "accounts",
 * "departments", "routing", "templates", "map", "notifications" and
 * "privacy". Settings are the app's GSettings; the rest is the store. */
CivicPreferencesWindow *civic_preferences_window_new              (GtkWindow              *parent,
                                                                   CivicContext           *context);
void                    civic_preferences_window_show_page        (CivicPreferencesWindow *self,
                                                                   const char             *name);
/* Opens the login dialog over the preferences (what "Connect a
 * Department…" does); the accounts are read again once it connected. */
CivicLoginDialog       *civic_preferences_window_connect_department (CivicPreferencesWindow *self);

G_END_DECLS
