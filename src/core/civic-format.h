/* civic-format.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "now", "3 min ago", "2 h ago", "yesterday", then a date — translated. */
char *civic_format_relative_time (gint64 then_ms,
                                  gint64 now_ms);
/* "12 min left", "overdue 5 min", "2 h left" — translated. */
char *civic_format_countdown     (gint64 due_ms,
                                  gint64 now_ms);

G_END_DECLS
