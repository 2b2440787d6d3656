/* main.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-application.h"
#include "civic-i18n.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CivicApplication) app = NULL;

  civic_i18n_init ();

  app = civic_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
