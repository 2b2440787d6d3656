/* civic-format.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-format.h"

#define MINUTE_MS (60 * 1000)
#define HOUR_MS (60 * MINUTE_MS)
#define DAY_MS (24 * HOUR_MS)

char *
civic_format_relative_time (gint64 then_ms,
                            gint64 now_ms)
{
  gint64 delta = now_ms - then_ms;
  g_autoptr(GDateTime) local = NULL;

  if (delta < MINUTE_MS)
    return g_strdup (_("just now"));

  if (delta < HOUR_MS)
    {
      guint minutes = (guint) (delta / MINUTE_MS);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u min ago", "%u min ago", minutes),
                              minutes);
    }

  if (delta < DAY_MS)
    {
      guint hours = (guint) (delta / HOUR_MS);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour ago", "%u hours ago", hours),
                              hours);
    }

  if (delta < 2 * DAY_MS)
    return g_strdup (_("yesterday"));

  local = g_date_time_new_from_unix_local (then_ms / 1000);
  if (local == NULL)
    return g_strdup ("");

  if (delta < 7 * DAY_MS)
    {
      guint days = (guint) (delta / DAY_MS);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day ago", "%u days ago", days), days);
    }

  /* Translators: a date, as in strftime(3) */
  return g_date_time_format (local, _("%e %b %Y"));
}

char *
civic_format_countdown (gint64 due_ms,
                        gint64 now_ms)
{
  gint64 delta = due_ms - now_ms;
  gboolean overdue = delta < 0;
  guint64 abs_ms = (guint64) ABS (delta);

  if (abs_ms < HOUR_MS)
    {
      guint minutes = (guint) ((abs_ms + MINUTE_MS - 1) / MINUTE_MS);

      if (overdue)
        /* Translators: the answer is late by this many minutes */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "overdue %u min", "overdue %u min", minutes),
                                minutes);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u min left", "%u min left", minutes),
                              minutes);
    }

  if (abs_ms < 2 * DAY_MS)
    {
      guint hours = (guint) (abs_ms / HOUR_MS);

      if (overdue)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "overdue %u h", "overdue %u h", hours),
                                hours);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u h left", "%u h left", hours), hours);
    }

  {
    guint days = (guint) (abs_ms / DAY_MS);

    if (overdue)
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "overdue %u day", "overdue %u days", days),
                              days);
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day left", "%u days left", days), days);
  }
}
