/* civic-template-row.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "civic-context.h"
#include "civic-templates.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_TEMPLATE_ROW (civic_template_row_get_type ())

G_DECLARE_FINAL_TYPE (CivicTemplateRow, civic_template_row, CIVIC, TEMPLATE_ROW, AdwExpanderRow)

/* A reply template to edit or remove; with @tmpl NULL, the form that adds
 * one. @departments (element-type CivicDepartment) are the choices. What
 * civic_template_validate() refuses is said inline. Emits ::changed after
 * each write. */
GtkWidget *civic_template_row_new             (CivicContext        *context,
                                               GPtrArray           *departments,
                                               const CivicTemplate *tmpl);
gint64     civic_template_row_get_template_id (CivicTemplateRow    *self);

G_END_DECLS
