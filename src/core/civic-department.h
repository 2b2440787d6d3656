/* civic-department.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CIVIC_TYPE_DEPARTMENT (civic_department_get_type ())

G_DECLARE_FINAL_TYPE (CivicDepartment, civic_department, CIVIC, DEPARTMENT, GObject)

#define CIVIC_DEPARTMENT_UNSORTED "unsorted"

CivicDepartment *civic_department_new               (gint64           id,
                                                     const char      *slug,
                                                     const char      *name,
                                                     const char      *colour,
                                                     guint            sla_minutes);
gint64           civic_department_get_id            (CivicDepartment *self);
const char      *civic_department_get_slug          (CivicDepartment *self);
const char      *civic_department_get_name          (CivicDepartment *self);
const char      *civic_department_get_colour        (CivicDepartment *self);
guint            civic_department_get_sla_minutes   (CivicDepartment *self);
const char      *civic_department_get_account       (CivicDepartment *self);
void             civic_department_set_account       (CivicDepartment *self,
                                                     const char      *account);
guint            civic_department_get_open_count    (CivicDepartment *self);
guint            civic_department_get_overdue_count (CivicDepartment *self);
void             civic_department_set_counts        (CivicDepartment *self,
                                                     guint            open_count,
                                                     guint            overdue_count);
gboolean         civic_department_is_unsorted       (CivicDepartment *self);
/* The language its replies are written in by default (ISO 639-1; "es"
 * when none was set). */
const char      *civic_department_get_language      (CivicDepartment *self);
void             civic_department_set_language      (CivicDepartment *self,
                                                     const char      *language);

/* What a town's usual departments are called and how fast they answer, by
 * the slug of their account (Jun's: policia, limpieza, tecnicos, comedor,
 * salud, alcaldia). Returns FALSE for other slugs. Names are Spanish: they
 * are the departments' own names, not interface text. */
gboolean         civic_department_lookup_defaults   (const char      *slug,
                                                     const char     **name,
                                                     const char     **colour,
                                                     guint           *sla_minutes);

G_END_DECLS
