/* civic-preferences-window-private.h
 *
 * What the preferences window's rows share.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "civic-context.h"

G_BEGIN_DECLS

/* Shows @message as a toast in the preferences window holding @widget
 * (or in the desk's window when the row lives elsewhere). */
void          _civic_preferences_toast             (GtkWidget   *widget,
                                                    const char  *message);
/* The name a person reads for @department ("Unsorted" translated). */
const char   *_civic_preferences_department_name   (CivicDepartment *department);
/* A combo model of @departments' names, Unsorted left out; @ids gets the
 * department id of each item (0 for the leading @first_item, if any). */
GtkStringList *_civic_preferences_department_model (GPtrArray   *departments,
                                                    const char  *first_item,
                                                    GArray      *ids);
/* The position of @department_id in @ids, or 0. */
guint         _civic_preferences_find_id           (GArray      *ids,
                                                    gint64       department_id);
/* A SoupSession for the desk's network calls: the sync's if it runs. */
gpointer      _civic_preferences_dup_session       (CivicContext *context);

G_END_DECLS
