/* civic-link-header.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "civic-link-header.h"

#define MAX_HEADER_LENGTH (64 * 1024)

static const char *
skip_space (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/* Whether the rel value (quoted or not, possibly several space-separated
 * tokens) contains @want. */
static gboolean
rel_has (const char *value,
         gsize       len,
         const char *want)
{
  gsize want_len = strlen (want);
  const char *end = value + len;
  const char *p = value;

  while (p < end)
    {
      const char *start;

      while (p < end && (*p == ' ' || *p == '"'))
        p++;
      start = p;
      while (p < end && *p != ' ' && *p != '"')
        p++;
      if ((gsize) (p - start) == want_len && g_ascii_strncasecmp (start, want, want_len) == 0)
        return TRUE;
    }

  return FALSE;
}

gboolean
civic_link_header_parse (const char  *header,
                         char       **next_url,
                         char       **prev_url)
{
  const char *p;

  g_return_val_if_fail (next_url != NULL && prev_url != NULL, FALSE);

  *next_url = NULL;
  *prev_url = NULL;

  if (header == NULL || strnlen (header, MAX_HEADER_LENGTH + 1) > MAX_HEADER_LENGTH)
    return FALSE;

  p = header;
  while (*p != '\0')
    {
      const char *url_start, *url_end;
      gboolean is_next = FALSE, is_prev = FALSE;

      p = skip_space (p);
      if (*p != '<')
        {
          /* Junk before a link: skip to the next one. */
          const char *lt = strchr (p, '<');

          if (lt == NULL)
            break;
          p = lt;
        }

      url_start = p + 1;
      url_end = strchr (url_start, '>');
      if (url_end == NULL)
        break;
      p = url_end + 1;

      /* Parameters until the next ',' that is outside quotes. */
      while (*p != '\0' && *p != ',')
        {
          const char *name, *value;
          gsize name_len, value_len;

          p = skip_space (p);
          if (*p != ';')
            {
              if (*p != '\0' && *p != ',')
                p++;
              continue;
            }
          p = skip_space (p + 1);
          name = p;
          while (*p != '\0' && *p != '=' && *p != ';' && *p != ',' && *p != ' ')
            p++;
          name_len = p - name;
          p = skip_space (p);
          if (*p != '=')
            continue;
          p = skip_space (p + 1);
          if (*p == '"')
            {
              value = ++p;
              while (*p != '\0' && *p != '"')
                p++;
              value_len = p - value;
              if (*p == '"')
                p++;
            }
          else
            {
              value = p;
              while (*p != '\0' && *p != ';' && *p != ',')
                p++;
              value_len = p - value;
            }

          if (name_len == 3 && g_ascii_strncasecmp (name, "rel", 3) == 0)
            {
              is_next |= rel_has (value, value_len, "next");
              is_prev |= rel_has (value, value_len, "prev") || rel_has (value, value_len, "previous");
            }
        }

      /* An empty <> names no page: a server sending it for the last page
       * must not look as if it had more. */
      if (url_end == url_start)
        is_next = is_prev = FALSE;

      if (is_next && *next_url == NULL)
        *next_url = g_strndup (url_start, url_end - url_start);
      if (is_prev && *prev_url == NULL)
        *prev_url = g_strndup (url_start, url_end - url_start);

      if (*p == ',')
        p++;
    }

  return *next_url != NULL || *prev_url != NULL;
}

char *
civic_uri_dup_query_param (const char *uri,
                           const char *key)
{
  g_autoptr(GUri) parsed = NULL;
  GUriParamsIter iter;
  const char *query;
  char *name, *value;

  g_return_val_if_fail (key != NULL, NULL);

  if (uri == NULL)
    return NULL;

  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  if (parsed == NULL || (query = g_uri_get_query (parsed)) == NULL)
    return NULL;

  g_uri_params_iter_init (&iter, query, -1, "&", G_URI_PARAMS_NONE);
  while (g_uri_params_iter_next (&iter, &name, &value, NULL))
    {
      gboolean match = g_strcmp0 (name, key) == 0;

      g_free (name);
      if (match)
        return value;
      g_free (value);
    }

  return NULL;
}
