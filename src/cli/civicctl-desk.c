/* civicctl-desk.c
 *
 * The desk's profile: which departments it serves, and so whose direct
 * (private) mentions it shows.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-desk-profile.h"
#include "civicctl.h"

int
civicctl_desk (int    argc,
               char **argv)
{
  g_autofree char *serve = NULL;
  gboolean serve_all = FALSE;
  g_autofree char *database = NULL;
  const GOptionEntry entries[] = {
    { "serve", 0, 0, G_OPTION_ARG_STRING, &serve,
      N_("Serve only these departments (comma-separated slugs)"), N_("SLUGS") },
    { "serve-all", 0, 0, G_OPTION_ARG_NONE, &serve_all,
      N_("Serve every department whose account this desk holds (the default)"), NULL },
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, N_("Use this database file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(CivicStore) store = NULL;
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) served = NULL;

  if (!civicctl_parse_options (&argc, &argv, "",
                               _("Show or set the departments this desk serves. Direct (private) "
                                 "mentions are shown only for departments the desk serves and "
                                 "whose account it holds."),
                               entries))
    return 2;

  if (serve != NULL && serve_all)
    {
      g_printerr ("civicctl desk: %s\n", _("--serve and --serve-all exclude each other"));
      return 2;
    }

  store = civicctl_open_store (database, &error);
  if (store == NULL)
    goto fail;

  if (serve != NULL || serve_all)
    {
      g_auto(GStrv) slugs = serve != NULL ? g_strsplit (serve, ",", -1) : NULL;

      for (guint i = 0; slugs != NULL && slugs[i] != NULL; i++)
        g_strstrip (slugs[i]);
      if (!civic_store_set_served_departments (store, (const char * const *) slugs, &error))
        goto fail;
    }

  departments = civic_store_list_departments (store, g_get_real_time () / 1000, &error);
  served = civic_store_dup_served_departments (store, &error);
  if (departments == NULL || served == NULL)
    goto fail;

  g_print ("%s\n", served[0] == NULL ? _("Serves: every department whose account this desk holds")
                                     : _("Serves: the departments listed below"));
  for (guint i = 0; i < departments->len; i++)
    {
      CivicDepartment *d = g_ptr_array_index (departments, i);
      gint64 id = civic_department_get_id (d);

      g_print ("  %-12s %s\n", civic_department_get_slug (d),
               civic_store_shows_direct (store, id) ? _("direct mentions shown")
                                                    : _("direct mentions hidden"));
    }

  return 0;

fail:
  g_printerr ("civicctl desk: %s\n", error->message);
  return 1;
}
