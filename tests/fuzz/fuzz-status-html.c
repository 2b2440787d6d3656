/* fuzz-status-html.c
 *
 * Status content (untrusted HTML) → plain text and GtkLabel markup. The
 * markup must always be valid UTF-8, hold only the elements we produce,
 * and parse as Pango markup once links are set aside (as GtkLabel does).
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <pango/pango.h>
#include <string.h>

#include "civic-fuzz.h"
#include "civic-html.h"

static GRegex *any_tag;
static GRegex *link_open;
static GRegex *link_close;

static void
check_markup (const char *markup)
{
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *no_links = NULL;
  g_autofree char *pango = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_utf8_validate (markup, -1, NULL));

  g_regex_match (any_tag, markup, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *name = g_match_info_fetch (match, 2);
      g_autofree char *attrs = g_match_info_fetch (match, 3);

      if (!(g_str_equal (name, "a") || g_str_equal (name, "b") || g_str_equal (name, "i") ||
            g_str_equal (name, "s") || g_str_equal (name, "u") || g_str_equal (name, "tt")))
        g_error ("markup has a <%s> element: %s", name, markup);
      if (!g_str_equal (name, "a") && attrs != NULL && *attrs != '\0')
        g_error ("markup has attributes on <%s>: %s", name, markup);
      g_match_info_next (match, NULL);
    }

  no_links = g_regex_replace_literal (link_open, markup, -1, 0, "<u>", 0, NULL);
  pango = g_regex_replace_literal (link_close, no_links, -1, 0, "</u>", 0, NULL);
  if (!pango_parse_markup (pango, -1, 0, NULL, NULL, NULL, &error))
    g_error ("invalid markup (%s): %s", error->message, markup);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *html = civic_fuzz_dup_string (data, size);
  g_autofree char *text = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *escaped = NULL;

  civic_fuzz_init_logging ();
  if (any_tag == NULL)
    {
      any_tag = g_regex_new ("<(/?)([a-z]+)( [^>]*)?>", G_REGEX_OPTIMIZE, 0, NULL);
      link_open = g_regex_new ("<a href=\"[^\"<>]*\">", G_REGEX_OPTIMIZE, 0, NULL);
      link_close = g_regex_new ("</a>", G_REGEX_OPTIMIZE, 0, NULL);
    }

  text = civic_html_to_text (html);
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));

  markup = civic_html_to_markup (html);
  g_assert_nonnull (markup);
  check_markup (markup);

  escaped = civic_markup_escape (html, size);
  g_assert_nonnull (escaped);
  check_markup (escaped);

  return 0;
}
