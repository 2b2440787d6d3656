/* fuzz-link-header.c
 *
 * The `Link` header of a notifications page, and the query parameters the
 * sync engine reads from the URLs it names.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "civic-fuzz.h"
#include "civic-link-header.h"

static void
check_url (const char *url)
{
  g_autofree char *max_id = NULL;
  g_autofree char *min_id = NULL;

  if (url == NULL)
    return;

  g_assert_cmpuint (strlen (url), >, 0);
  max_id = civic_uri_dup_query_param (url, "max_id");
  min_id = civic_uri_dup_query_param (url, "min_id");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *header = civic_fuzz_dup_string (data, size);
  g_autofree char *next = NULL;
  g_autofree char *prev = NULL;
  g_autofree char *param = NULL;
  gboolean found;

  civic_fuzz_init_logging ();

  found = civic_link_header_parse (header, &next, &prev);
  g_assert_true (found == (next != NULL || prev != NULL));
  check_url (next);
  check_url (prev);

  /* The input itself as a URL. */
  param = civic_uri_dup_query_param (header, "max_id");

  return 0;
}
