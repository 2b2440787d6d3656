/* civic-i18n.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "civic-i18n.h"

const char *
civic_i18n_locale_dir (void)
{
  const char *dir = g_getenv ("CIVIC_LOCALEDIR");
  g_autofree char *self_path = NULL;

  if (dir != NULL && *dir != '\0')
    return dir;

  /* Run uninstalled (the demo, the tests), the catalogues in LOCALEDIR
   * are missing or stale: use the ones built beside the program. */
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path != NULL && g_str_has_prefix (self_path, BUILD_ROOT G_DIR_SEPARATOR_S))
    return BUILD_LOCALEDIR;

  return LOCALEDIR;
}

void
civic_i18n_init (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, civic_i18n_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
