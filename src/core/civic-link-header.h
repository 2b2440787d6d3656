/* civic-link-header.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses an RFC 8288 Link header as Mastodon sends it for pagination:
 *   <https://host/api/v1/notifications?max_id=21>; rel="next", <…?min_id=25>; rel="prev"
 * Sets the URLs of rel="next" and rel="prev" (NULL when absent). Tolerates
 * unquoted rel values, several rel tokens, extra parameters, commas inside
 * <…> and junk: returns FALSE only when nothing usable was found. */
gboolean civic_link_header_parse (const char  *header,
                                  char       **next_url,
                                  char       **prev_url);

/* The decoded value of query parameter @key in @uri, or NULL. */
char    *civic_uri_dup_query_param (const char *uri,
                                    const char *key);

G_END_DECLS
