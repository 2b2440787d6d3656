/* civic-department-row.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "civic-department.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_DEPARTMENT_ROW (civic_department_row_get_type ())

G_DECLARE_FINAL_TYPE (CivicDepartmentRow, civic_department_row, CIVIC, DEPARTMENT_ROW, GtkListBoxRow)

GtkWidget       *civic_department_row_new            (CivicDepartment    *department);
CivicDepartment *civic_department_row_get_department (CivicDepartmentRow *self);

G_END_DECLS
