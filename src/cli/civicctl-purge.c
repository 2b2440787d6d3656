/* civicctl-purge.c
 *
 * Deletes the closed mentions older than the retention period, with their
 * photos, notes and index entries: what the desk does by itself every
 * day, on demand.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-retention.h"
#include "civicctl.h"

int
civicctl_purge (int    argc,
                char **argv)
{
  int days = CIVIC_RETENTION_DEFAULT_DAYS;
  g_autofree char *now = NULL;
  g_autofree char *database = NULL;
  const GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days,
      N_("Keep closed mentions this many days (default 365)"), N_("N") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now,
      N_("Count the days back from this ISO 8601 time (default: now)"), N_("TIME") },
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, N_("Use this database file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(CivicStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now_ms;
  guint n_purged = 0;

  if (!civicctl_parse_options (&argc, &argv, "",
                               _("Delete the mentions closed more than N days ago, with their "
                                 "photos, notes and sent replies. Open and answered mentions "
                                 "are kept, however old."),
                               entries))
    return 2;

  if (days < 1)
    {
      g_printerr ("civicctl purge: %s\n", _("--days must be at least 1"));
      return 2;
    }

  if (now != NULL)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (now, NULL);

      if (when == NULL)
        {
          g_printerr (_("civicctl purge: “%s” is not an ISO 8601 time\n"), now);
          return 2;
        }
      now_ms = g_date_time_to_unix (when) * 1000;
    }
  else
    now_ms = g_get_real_time () / 1000;

  store = civicctl_open_store (database, &error);
  if (store == NULL || !civic_retention_purge (store, (guint) days, now_ms, &n_purged, &error))
    {
      g_printerr ("civicctl purge: %s\n", error->message);
      return 1;
    }

  g_print (g_dngettext (GETTEXT_PACKAGE, "Purged %u closed mention older than %d days.\n",
                        "Purged %u closed mentions older than %d days.\n", n_purged),
           n_purged, days);
  return 0;
}
