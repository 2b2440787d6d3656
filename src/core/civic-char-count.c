/* civic-char-count.c
 *
 * Mastodon counts `spoiler_text + countable_text(text)`, where
 * countable_text replaces each URL its extractor finds with 23 'x' and each
 * `@user@domain` with `@user`, after the status model has stripped both
 * strings. The URL and mention rules here follow that extractor closely
 * enough for what people type: URLs need their http:// or https://, and
 * end before white space and before trailing sentence punctuation.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "civic-char-count.h"

static gboolean
is_word (gunichar c)
{
  return g_unichar_isalnum (c) || c == '_';
}

static gboolean
is_ascii_name (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* The character before @p in [start, p), or 0 at the start. */
static gunichar
char_before (const char *start,
             const char *p)
{
  if (p <= start)
    return 0;
  return g_utf8_get_char (g_utf8_find_prev_char (start, p));
}

static gboolean
has_prefix_ci (const char *p,
               const char *end,
               const char *prefix)
{
  gsize len = strlen (prefix);

  return (gsize) (end - p) >= len && g_ascii_strncasecmp (p, prefix, len) == 0;
}

/* Length in bytes of the URL starting at @p, or 0. */
static gsize
match_url (const char *start,
           const char *p,
           const char *end)
{
  gsize scheme_len;
  const char *q;
  gunichar before = char_before (start, p);

  if (has_prefix_ci (p, end, "https://"))
    scheme_len = strlen ("https://");
  else if (has_prefix_ci (p, end, "http://"))
    scheme_len = strlen ("http://");
  else
    return 0;

  /* "xhttp://…" or "/http://…" is not where a link starts. */
  if (is_word (before) || before == '/' || before == '@' || before == '#' || before == '$')
    return 0;

  q = p + scheme_len;
  while (q < end)
    {
      gunichar c = g_utf8_get_char (q);

      if (g_unichar_isspace (c) || c == '<' || c == '>' || c == '"')
        break;
      /* Beyond ASCII, links hold letters, digits and accents, not emoji
       * or quotation marks. */
      if (c >= 0x80 && !g_unichar_isalnum (c) && !g_unichar_ismark (c))
        break;
      q = g_utf8_next_char (q);
    }

  /* Sentence punctuation after a link is not part of it. */
  while (q > p + scheme_len && strchr (".,;:!?'*", q[-1]) != NULL)
    q--;
  if (q > p + scheme_len && q[-1] == ')')
    {
      int depth = 0;

      for (const char *r = p; r < q; r++)
        depth += *r == '(' ? 1 : *r == ')' ? -1 : 0;
      if (depth < 0)
        q--;
    }

  /* A host must follow the scheme. */
  if (q == p + scheme_len || *(p + scheme_len) == '/')
    return 0;

  return q - p;
}

/* At @p (an '@'): the bytes of a whole `@user@domain` mention and the
 * bytes of its `@user` part, or FALSE when it is not a remote mention. */
static gboolean
match_remote_mention (const char *start,
                      const char *p,
                      const char *end,
                      gsize      *whole,
                      gsize      *user_part)
{
  gunichar before = char_before (start, p);
  const char *u = p + 1;
  const char *d;
  const char *last_word = NULL;

  if (is_word (before) || before == '/')
    return FALSE;

  /* user: [a-z0-9_]+, with dots and dashes inside only */
  while (u < end && (is_ascii_name (*u) || *u == '.' || *u == '-'))
    u++;
  while (u > p + 1 && (u[-1] == '.' || u[-1] == '-'))
    u--;
  if (u == p + 1 || !is_ascii_name (p[1]) || u >= end || *u != '@')
    return FALSE;

  /* domain: word characters, dots and dashes, ending in a word character */
  d = u + 1;
  while (d < end)
    {
      gunichar c = g_utf8_get_char (d);

      if (!is_word (c) && c != '.' && c != '-')
        break;
      d = g_utf8_next_char (d);
      if (is_word (c))
        last_word = d;
    }
  if (last_word == NULL || g_utf8_strlen (u + 1, last_word - (u + 1)) < 2)
    return FALSE;

  *whole = last_word - p;
  *user_part = u - p;
  return TRUE;
}

static void
strip_range (const char  *text,
             const char **start,
             const char **end)
{
  const char *s = text;
  const char *e = text + strlen (text);

  while (s < e && g_ascii_isspace (*s))
    s++;
  while (e > s && g_ascii_isspace (e[-1]))
    e--;

  *start = s;
  *end = e;
}

guint
civic_char_count (const char *text,
                  guint       chars_per_url)
{
  const char *start, *end, *p;
  guint count = 0;

  if (text == NULL)
    return 0;

  g_return_val_if_fail (g_utf8_validate (text, -1, NULL), 0);

  strip_range (text, &start, &end);

  p = start;
  while (p < end)
    {
      gsize len, user_len;

      if ((*p == 'h' || *p == 'H') && (len = match_url (start, p, end)) > 0)
        {
          count += chars_per_url;
          p += len;
          continue;
        }

      if (*p == '@' && match_remote_mention (start, p, end, &len, &user_len))
        {
          count += g_utf8_strlen (p, user_len);
          p += len;
          continue;
        }

      count++;
      p = g_utf8_next_char (p);
    }

  return count;
}

guint
civic_char_count_status (const char *text,
                         const char *spoiler_text,
                         guint       chars_per_url)
{
  guint count = civic_char_count (text, chars_per_url);

  if (spoiler_text != NULL)
    {
      const char *start, *end;

      g_return_val_if_fail (g_utf8_validate (spoiler_text, -1, NULL), count);

      strip_range (spoiler_text, &start, &end);
      count += g_utf8_strlen (start, end - start);
    }

  return count;
}
