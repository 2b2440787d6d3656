/* civic-languages.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CivicLanguage:
 * @code: ISO 639-1, as sent in a status's `language`
 * @name: the language named in itself ("Français"): not translated, a
 *   reader looks for their own language's name
 */
typedef struct
{
  const char *code;
  const char *name;
} CivicLanguage;

/* The languages a town answers in, Spanish first. */
const CivicLanguage *civic_languages_get      (guint      *n_languages);
/* @code's own name, or @code itself when it is not in the list. */
const char          *civic_language_get_name  (const char *code);
/* @code's place in civic_languages_get(), or -1. */
int                  civic_language_get_index (const char *code);

G_END_DECLS
