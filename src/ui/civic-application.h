/* civic-application.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "civic-context.h"
#include "civic-notifier.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_APPLICATION (civic_application_get_type ())

G_DECLARE_FINAL_TYPE (CivicApplication, civic_application, CIVIC, APPLICATION, AdwApplication)

CivicApplication *civic_application_new         (void);
/* The context of the running desk, or %NULL before activation. */
CivicContext     *civic_application_get_context (CivicApplication *self);
/* The desk's notifications (its unseen-count is a badge), or %NULL before
 * activation. */
CivicNotifier    *civic_application_get_notifier (CivicApplication *self);

G_END_DECLS
