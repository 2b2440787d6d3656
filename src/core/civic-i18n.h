/* civic-i18n.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets the locale from the environment and binds the catalogues:
 * $CIVIC_LOCALEDIR if set, the build tree's when the program runs from
 * it, else the installed ones. */
void        civic_i18n_init       (void);
const char *civic_i18n_locale_dir (void);

G_END_DECLS
