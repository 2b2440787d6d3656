/* civicctl-report.c
 *
 * The figures the town publishes, as CSV: per department, how many
 * mentions came in, how fast they were answered, how many within the
 * promised time, and what is open now.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "civic-stats.h"
#include "civicctl.h"

/* Local midnight starting @text (YYYY-MM-DD), or NULL. */
static GDateTime *
parse_day (const char *text)
{
  int year, month, day;
  char end;

  if (text == NULL || sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &end) != 3 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return NULL;

  return g_date_time_new_local (year, month, day, 0, 0, 0);
}

int
civicctl_report (int    argc,
                 char **argv)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *now = NULL;
  g_autofree char *database = NULL;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("First day of the period"), N_("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("Last day of the period (included)"), N_("YYYY-MM-DD") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now,
      N_("Count answers and open mentions as of this ISO 8601 time (default: now)"), N_("TIME") },
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, N_("Use this database file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) last = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) as_of = NULL;
  g_autoptr(CivicStore) store = NULL;
  g_autoptr(GPtrArray) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *csv = NULL;
  gint64 as_of_ms;

  if (!civicctl_parse_options (&argc, &argv, "",
                               _("Print answer-time statistics per department as CSV. Days are "
                                 "local time; the period runs from the start of --from to the "
                                 "end of --to."),
                               entries))
    return 2;

  if (from == NULL || to == NULL)
    {
      g_printerr ("civicctl report: %s\n", _("--from and --to are required"));
      return 2;
    }

  start = parse_day (from);
  last = parse_day (to);
  if (start == NULL || last == NULL)
    {
      g_printerr (_("civicctl report: “%s” is not a date; write YYYY-MM-DD\n"),
                  start == NULL ? from : to);
      return 2;
    }
  end = g_date_time_add_days (last, 1);
  if (g_date_time_compare (end, start) <= 0)
    {
      g_printerr ("civicctl report: %s\n", _("--to is before --from"));
      return 2;
    }

  if (now != NULL)
    {
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();

      as_of = g_date_time_new_from_iso8601 (now, local);
      if (as_of == NULL)
        {
          g_printerr (_("civicctl report: “%s” is not an ISO 8601 time\n"), now);
          return 2;
        }
    }
  else
    as_of = g_date_time_new_now_local ();

  /* A report never creates a database: a typo in the path must not yield
   * a file of zeros that looks like a real, empty record. */
  path = database != NULL ? g_strdup (database) : civic_store_dup_default_path ();
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr (_("civicctl report: there is no desk database at “%s”\n"), path);
      return 1;
    }

  as_of_ms = g_date_time_to_unix (as_of) * 1000 + g_date_time_get_microsecond (as_of) / 1000;
  store = civicctl_open_store (path, &error);
  if (store != NULL)
    stats = civic_stats_compute (store, g_date_time_to_unix (start) * 1000,
                                 g_date_time_to_unix (end) * 1000, as_of_ms, &error);
  if (stats == NULL)
    {
      g_printerr ("civicctl report: %s\n", error->message);
      return 1;
    }

  csv = civic_stats_to_csv (stats);
  fputs (csv, stdout);

  return fflush (stdout) == 0 ? 0 : 1;
}
