/* test-translations.c
 *
 * Relative times, countdowns and dates in the user's locale, read from the
 * catalogues built in the tree (the shell test next to this one checks
 * the catalogues against the sources).
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "civic-format.h"
#include "civic-test-util.h"

#define MINUTE_MS (G_GINT64_CONSTANT (60) * 1000)
#define HOUR_MS (60 * MINUTE_MS)
#define DAY_MS (24 * HOUR_MS)

/* Switches every category to LOCALE; FALSE (and the test skipped) when
 * the system has not generated it. */
static gboolean
use_locale (const char *locale)
{
  if (setlocale (LC_ALL, locale) == NULL)
    {
      g_autofree char *why = g_strdup_printf ("%s is not generated (tests/install-deps.sh does it)",
                                              locale);

      g_test_skip (why);
      return FALSE;
    }

  return TRUE;
}

static gint64
local_ms (int year,
          int month,
          int day,
          int hour)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (year, month, day, hour, 0, 0);

  return g_date_time_to_unix (dt) * 1000;
}

typedef struct
{
  gint64 delta_ms;
  const char *expected;
} Case;

static void
check_relative (const Case *cases,
                gsize       n_cases)
{
  gint64 now = local_ms (2026, 11, 26, 12);

  for (gsize i = 0; i < n_cases; i++)
    {
      g_autofree char *text = civic_format_relative_time (now - cases[i].delta_ms, now);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
check_countdown (const Case *cases,
                 gsize       n_cases)
{
  gint64 now = local_ms (2026, 11, 26, 12);

  for (gsize i = 0; i < n_cases; i++)
    {
      g_autofree char *text = civic_format_countdown (now + cases[i].delta_ms, now);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_spanish (void)
{
  const Case relative[] = {
    { 20 * 1000, "ahora mismo" },
    { 1 * MINUTE_MS, "hace 1 min" },
    { 5 * MINUTE_MS, "hace 5 min" },
    { 1 * HOUR_MS, "hace 1 hora" },
    { 3 * HOUR_MS, "hace 3 horas" },
    { 30 * HOUR_MS, "ayer" },
    { 3 * DAY_MS, "hace 3 días" },
  };
  const Case countdown[] = {
    { -5 * MINUTE_MS, "vencida hace 5 min" },
    { 1 * MINUTE_MS, "queda 1 min" },
    { 12 * MINUTE_MS, "quedan 12 min" },
    { 90 * MINUTE_MS, "queda 1 h" },
    { -3 * HOUR_MS, "vencida hace 3 h" },
    { 3 * DAY_MS, "quedan 3 días" },
    { -2 * DAY_MS, "vencida hace 2 días" },
  };
  g_autofree char *date = NULL;

  if (!use_locale ("es_ES.UTF-8"))
    return;

  check_relative (relative, G_N_ELEMENTS (relative));
  check_countdown (countdown, G_N_ELEMENTS (countdown));

  /* Older than a week: a date, month names from the locale. */
  date = civic_format_relative_time (local_ms (2026, 11, 5, 10), local_ms (2026, 11, 26, 12));
  g_assert_cmpstr (date, ==, "5 nov 2026");
}

static void
test_french (void)
{
  const Case relative[] = {
    { 20 * 1000, "à l’instant" },
    { 5 * MINUTE_MS, "il y a 5 min" },
    { 1 * HOUR_MS, "il y a 1 heure" },
    { 3 * HOUR_MS, "il y a 3 heures" },
    { 30 * HOUR_MS, "hier" },
    { 3 * DAY_MS, "il y a 3 jours" },
  };
  const Case countdown[] = {
    { -5 * MINUTE_MS, "en retard de 5 min" },
    /* French takes the singular for 0 and 1. */
    { 1 * MINUTE_MS, "1 min restante" },
    { 12 * MINUTE_MS, "12 min restantes" },
    { 3 * DAY_MS, "3 jours restants" },
  };
  g_autofree char *date = NULL;

  if (!use_locale ("fr_FR.UTF-8"))
    return;

  check_relative (relative, G_N_ELEMENTS (relative));
  check_countdown (countdown, G_N_ELEMENTS (countdown));

  date = civic_format_relative_time (local_ms (2026, 2, 5, 10), local_ms (2026, 3, 26, 12));
  g_assert_cmpstr (date, ==, "5 févr. 2026");
}

/* The C locale keeps the English of the sources. */
static void
test_untranslated (void)
{
  g_autofree char *text = NULL;

  if (!use_locale ("C.UTF-8"))
    return;

  text = civic_format_countdown (0, 5 * MINUTE_MS);
  g_assert_cmpstr (text, ==, "overdue 5 min");
}

int
main (int   argc,
      char *argv[])
{
  /* LANGUAGE would override the locale each test picks. */
  g_unsetenv ("LANGUAGE");
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/translations/spanish", test_spanish);
  g_test_add_func ("/translations/french", test_french);
  g_test_add_func ("/translations/untranslated", test_untranslated);

  return g_test_run ();
}
