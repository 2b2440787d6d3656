/* civic-department-editor.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "civic-context.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_DEPARTMENT_EDITOR (civic_department_editor_get_type ())

G_DECLARE_FINAL_TYPE (CivicDepartmentEditor, civic_department_editor, CIVIC, DEPARTMENT_EDITOR, AdwExpanderRow)

/* A department's answer time, urgent words and colour, saved as they
 * change. */
GtkWidget *civic_department_editor_new               (CivicContext          *context,
                                                      CivicDepartment       *department);
gint64     civic_department_editor_get_department_id (CivicDepartmentEditor *self);

G_END_DECLS
