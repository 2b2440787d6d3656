/* civic-templates.h
 *
 * Reply templates per department, with placeholders filled in when staff
 * pick one.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "civic-store.h"

G_BEGIN_DECLS

/**
 * CivicTemplate:
 * @department_id: 0 for a template every department may use
 * @shortcut: (nullable): a short word staff type to insert it
 *
 * One row of `templates`. Strings owned.
 */
typedef struct
{
  gint64 id;
  gint64 department_id;
  char *shortcut;
  char *title;
  char *body;
} CivicTemplate;

void civic_template_free (CivicTemplate *tmpl);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicTemplate, civic_template_free)

/**
 * CivicTemplateValues:
 * @nombre: the citizen's name (display name, else @acct)
 * @calle: the street or place the report is about
 * @departamento: the department's name
 * @plazo: the promised answer time, as staff want it read ("1 hora")
 *
 * Values for the placeholders `{nombre}`, `{calle}`, `{departamento}` and
 * `{plazo}` (also accepted in English: `{name}`, `{street}`, `{department}`,
 * `{deadline}`). All borrowed, all nullable.
 */
typedef struct
{
  const char *nombre;
  const char *calle;
  const char *departamento;
  const char *plazo;
} CivicTemplateValues;

/* Fills the placeholders of @body. A placeholder whose value is NULL stays
 * as written, so the composer can show what is still to fill in; `{{` and
 * `}}` give literal braces. Pure: no store, no locale. */
char     *civic_template_expand   (const char                 *body,
                                   const CivicTemplateValues  *values);
/* The first street named in a mention's text, as written ("calle Real"),
 * for `{calle}`; NULL when there is none. */
char     *civic_template_find_street (const char              *text);
/* Refuses an empty title or body and unknown placeholders (a typo such as
 * `{nombe}` would otherwise reach a citizen), naming the culprit. */
gboolean  civic_template_validate (const char                 *title,
                                   const char                 *body,
                                   GError                    **error);

gint64         civic_templates_add             (CivicStore  *store,
                                                gint64       department_id,
                                                const char  *shortcut,
                                                const char  *title,
                                                const char  *body,
                                                GError     **error);
gboolean       civic_templates_update          (CivicStore  *store,
                                                gint64       template_id,
                                                gint64       department_id,
                                                const char  *shortcut,
                                                const char  *title,
                                                const char  *body,
                                                GError     **error);
gboolean       civic_templates_remove          (CivicStore  *store,
                                                gint64       template_id,
                                                GError     **error);
/* (element-type CivicTemplate) (transfer full): the department's own
 * templates, then the shared ones, each by title; @department_id 0 lists
 * every template. */
GPtrArray     *civic_templates_list            (CivicStore  *store,
                                                gint64       department_id,
                                                GError     **error);
/* The department's template with @shortcut, else a shared one; NULL with
 * CIVIC_STORE_ERROR_NOT_FOUND when neither exists. */
CivicTemplate *civic_templates_lookup_shortcut (CivicStore  *store,
                                                gint64       department_id,
                                                const char  *shortcut,
                                                GError     **error);

G_END_DECLS
