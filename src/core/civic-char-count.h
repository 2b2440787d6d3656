/* civic-char-count.h
 *
 * Counts a reply's length the way the server does, so the composer's
 * counter blocks exactly what the server would refuse.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Mastodon's default for `characters_reserved_per_url`. */
#define CIVIC_CHAR_COUNT_URL_DEFAULT 23

/* The length of @text as the server counts it against `max_characters`:
 * leading and trailing white space is not counted (the server strips it),
 * every http(s) URL counts @chars_per_url, a remote mention
 * `@user@domain` counts as `@user`, and everything else counts one per
 * Unicode code point — so an emoji with a skin tone is 2, a flag is 2, a
 * letter with a combining accent is 2.
 *
 * Code points, not grapheme clusters: civic-sim and servers that count
 * runes do so, and Mastodon (which counts grapheme clusters) never counts
 * more, so a text that fits here fits on every server. */
guint civic_char_count        (const char *text,
                               guint       chars_per_url);

/* What `POST /api/v1/statuses` checks: the content warning (as typed,
 * URLs not shortened) and the text share one budget. */
guint civic_char_count_status (const char *text,
                               const char *spoiler_text,
                               guint       chars_per_url);

G_END_DECLS
