/* civic-html.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Status content is untrusted HTML from strangers. These turn it into
 * something the desk can show; neither ever fails, whatever the input
 * (invalid UTF-8, unbalanced tags, scripts, 100 KB of it).
 *
 * civic_html_to_text(): plain text. Paragraphs are separated by a blank
 *   line, <br> becomes a newline, list items get a bullet, entities are
 *   decoded, scripts and styles are dropped.
 *
 * civic_html_to_markup(): GtkLabel markup. All text is escaped; the only
 *   elements produced are <a href> (http, https and mailto links only),
 *   <b>, <i>, <s>, <u> and <tt>, always balanced. Everything else the
 *   input says is shown as text or dropped, never interpreted.
 */
char *civic_html_to_text   (const char *html);
char *civic_html_to_markup (const char *html);

/* Escapes @text for a GtkLabel, also dropping control characters
 * that GMarkup refuses even as character references. */
char *civic_markup_escape  (const char *text,
                            gssize      length);

G_END_DECLS
