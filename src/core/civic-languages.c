/* civic-languages.c
 *
 * The reply languages offered by the composer and the department editor:
 * those of Jun's residents and visitors.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-languages.h"

static const CivicLanguage languages[] = {
  { "es", "Español" },
  { "en", "English" },
  { "fr", "Français" },
  { "de", "Deutsch" },
  { "it", "Italiano" },
  { "pt", "Português" },
  { "ro", "Română" },
  { "ar", "العربية" },
  { "ca", "Català" },
  { "gl", "Galego" },
  { "eu", "Euskara" },
};

const CivicLanguage *
civic_languages_get (guint *n_languages)
{
  g_return_val_if_fail (n_languages != NULL, NULL);

  *n_languages = G_N_ELEMENTS (languages);
  return languages;
}

int
civic_language_get_index (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_strcmp0 (code, languages[i].code) == 0)
      return (int) i;

  return -1;
}

const char *
civic_language_get_name (const char *code)
{
  int index = civic_language_get_index (code);

  return index >= 0 ? languages[index].name : code;
}
