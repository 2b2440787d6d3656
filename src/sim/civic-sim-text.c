/* civic-sim-text.c
 *
 * Plain status text → the HTML Mastodon renders: paragraphs and <br />,
 * mentions as h-cards, hashtags, and links shortened with invisible
 * spans. Also collects the mentions and hashtags, and counts characters
 * the way the server does (a URL counts as 23, `@user@domain` as `@user`).
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "civic-sim-private.h"

#define CHARS_PER_URL 23

void
sim_html_escape (GString    *out,
                 const char *s)
{
  for (; *s != '\0'; s++)
    {
      switch (*s)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\'': g_string_append (out, "&#39;"); break;
        default: g_string_append_c (out, *s);
        }
    }
}

static void
escape_len (GString    *out,
            const char *s,
            gsize       len)
{
  g_autofree char *copy = g_strndup (s, len);

  sim_html_escape (out, copy);
}

void
sim_text_info_clear (SimTextInfo *info)
{
  g_clear_pointer (&info->mentions, g_ptr_array_unref);
  g_clear_pointer (&info->tags, g_ptr_array_unref);
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '_';
}

/* The character before @p, or 0 at the start. */
static gunichar
char_before (const char *start,
             const char *p)
{
  if (p == start)
    return 0;
  return g_utf8_get_char (g_utf8_find_prev_char (start, p));
}

static gsize
match_url (const char *p)
{
  const char *end;

  if (!g_str_has_prefix (p, "http://") && !g_str_has_prefix (p, "https://"))
    return 0;
  end = p;
  while (*end != '\0' && !g_ascii_isspace (*end) && *end != '<' && *end != '>' && *end != '"')
    end++;
  /* Trailing punctuation belongs to the sentence, not to the link. */
  while (end > p && strchr (".,;:!?'", end[-1]) != NULL)
    end--;
  if (end > p && end[-1] == ')')
    {
      int depth = 0;

      for (const char *q = p; q < end; q++)
        depth += *q == '(' ? 1 : *q == ')' ? -1 : 0;
      if (depth < 0)
        end--;
    }
  if ((gsize) (end - p) <= strlen ("https://"))
    return 0;
  return end - p;
}

/* Username of a mention at @p (after the @): [A-Za-z0-9_]+ with inner dots
 * or dashes; optionally @domain. Returns the length of the whole mention
 * after '@', the username length in @user_len and the domain in @domain. */
static gsize
match_mention (const char  *p,
               gsize       *user_len,
               char       **domain)
{
  const char *q = p;
  const char *user_end;

  while (g_ascii_isalnum (*q) || *q == '_' || ((*q == '.' || *q == '-') &&
                                               (g_ascii_isalnum (q[1]) || q[1] == '_')))
    q++;
  if (q == p)
    return 0;
  user_end = q;
  *user_len = user_end - p;
  *domain = NULL;
  if (*q == '@')
    {
      const char *d = q + 1;

      while (g_ascii_isalnum (*d) || *d == '.' || *d == '-' || *d == ':')
        d++;
      while (d > q + 1 && (d[-1] == '.' || d[-1] == ':'))
        d--;
      if (d > q + 1)
        {
          *domain = g_strndup (q + 1, d - q - 1);
          q = d;
        }
    }
  return q - p;
}

static gsize
match_tag (const char *p)
{
  const char *q = p;
  gboolean letter = FALSE;

  while (*q != '\0')
    {
      gunichar c = g_utf8_get_char (q);

      if (!is_word_char (c) && c != 0xb7)
        break;
      if (g_unichar_isalpha (c))
        letter = TRUE;
      q = g_utf8_next_char (q);
    }
  return letter ? (gsize) (q - p) : 0;
}

static void
append_link (GString    *html,
             const char *url,
             gsize       len)
{
  g_autofree char *full = g_strndup (url, len);
  const char *rest;
  gsize prefix_len = 0;
  glong rest_chars;

  if (g_str_has_prefix (full, "https://www."))
    prefix_len = strlen ("https://www.");
  else if (g_str_has_prefix (full, "http://www."))
    prefix_len = strlen ("http://www.");
  else if (g_str_has_prefix (full, "https://"))
    prefix_len = strlen ("https://");
  else if (g_str_has_prefix (full, "http://"))
    prefix_len = strlen ("http://");

  rest = full + prefix_len;
  rest_chars = g_utf8_strlen (rest, -1);

  g_string_append (html, "<a href=\"");
  sim_html_escape (html, full);
  g_string_append (html, "\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\">"
                         "<span class=\"invisible\">");
  escape_len (html, full, prefix_len);
  /* 30 characters shown, the rest hidden; one hidden character is not
   * worth an ellipsis. */
  if (rest_chars > 31)
    {
      const char *cut = g_utf8_offset_to_pointer (rest, 30);

      g_string_append (html, "</span><span class=\"ellipsis\">");
      escape_len (html, rest, cut - rest);
      g_string_append (html, "</span><span class=\"invisible\">");
      sim_html_escape (html, cut);
    }
  else
    {
      g_string_append (html, "</span><span class=\"\">");
      sim_html_escape (html, rest);
      g_string_append (html, "</span><span class=\"invisible\">");
    }
  g_string_append (html, "</span></a>");
}

void
sim_render_text (const char       *text,
                 const char       *base_url,
                 const char       *local_domain,
                 SimLookupAccount  lookup,
                 gpointer          lookup_data,
                 GString          *html,
                 SimTextInfo      *info)
{
  g_autofree char *norm = NULL;
  const char *p, *start, *end;
  gboolean open_p = FALSE;
  glong length = 0;

  if (info != NULL)
    {
      info->mentions = g_ptr_array_new ();
      info->tags = g_ptr_array_new_with_free_func (g_free);
      info->length = 0;
    }

  /* \r\n → \n, and no leading or trailing blank space, as the server strips. */
  norm = g_strdup (text != NULL ? text : "");
  {
    char *w = norm;

    for (const char *r = norm; *r != '\0'; r++)
      if (*r != '\r')
        *w++ = *r;
    *w = '\0';
  }
  g_strstrip (norm);
  start = norm;
  end = norm + strlen (norm);

  p = start;
  while (p < end)
    {
      gsize n;

      if (html != NULL && !open_p)
        {
          g_string_append (html, "<p>");
          open_p = TRUE;
        }

      if (*p == '\n')
        {
          const char *q = p;
          int newlines = 0;

          while (q < end && (*q == '\n' || *q == ' ' || *q == '\t'))
            newlines += *q++ == '\n';
          if (newlines >= 2)
            {
              if (html != NULL)
                g_string_append (html, "</p>");
              open_p = FALSE;
              length += newlines;
              p = q;
              continue;
            }
          if (html != NULL)
            g_string_append (html, "<br />");
          length++;
          p++;
          continue;
        }

      if ((*p == 'h') && !is_word_char (char_before (start, p)) && (n = match_url (p)) > 0)
        {
          if (html != NULL)
            append_link (html, p, n);
          length += CHARS_PER_URL;
          p += n;
          continue;
        }

      if (*p == '@' && !is_word_char (char_before (start, p)) && char_before (start, p) != '/')
        {
          gsize user_len = 0;
          g_autofree char *domain = NULL;

          n = match_mention (p + 1, &user_len, &domain);
          if (n > 0)
            {
              g_autofree char *username = g_strndup (p + 1, user_len);
              const SimAccount *account = NULL;

              if (domain == NULL || g_ascii_strcasecmp (domain, local_domain) == 0)
                account = lookup (username, lookup_data);
              length += 1 + user_len;
              if (account != NULL)
                {
                  if (html != NULL)
                    {
                      g_string_append (html, "<span class=\"h-card\" translate=\"no\"><a href=\"");
                      sim_html_escape (html, base_url);
                      g_string_append (html, "/@");
                      sim_html_escape (html, account->username);
                      g_string_append (html, "\" class=\"u-url mention\">@<span>");
                      sim_html_escape (html, account->username);
                      g_string_append (html, "</span></a></span>");
                    }
                  if (info != NULL && !g_ptr_array_find (info->mentions, account, NULL))
                    g_ptr_array_add (info->mentions, (gpointer) account);
                }
              else if (html != NULL)
                escape_len (html, p, n + 1);
              p += n + 1;
              continue;
            }
        }

      if (*p == '#')
        {
          gunichar before = char_before (start, p);

          if (!is_word_char (before) && before != '&' && before != '/' &&
              (n = match_tag (p + 1)) > 0)
            {
              g_autofree char *name = g_strndup (p + 1, n);
              g_autofree char *lower = g_utf8_strdown (name, -1);

              if (html != NULL)
                {
                  g_string_append (html, "<a href=\"");
                  sim_html_escape (html, base_url);
                  g_string_append (html, "/tags/");
                  sim_html_escape (html, lower);
                  g_string_append (html, "\" class=\"mention hashtag\" rel=\"tag\">#<span>");
                  sim_html_escape (html, name);
                  g_string_append (html, "</span></a>");
                }
              if (info != NULL)
                {
                  gboolean seen = FALSE;

                  for (guint i = 0; i < info->tags->len; i++)
                    seen |= g_str_equal (g_ptr_array_index (info->tags, i), lower);
                  if (!seen)
                    g_ptr_array_add (info->tags, g_steal_pointer (&lower));
                }
              length += 1 + g_utf8_strlen (name, -1);
              p += n + 1;
              continue;
            }
        }

      /* A run of ordinary text up to the next character of interest. */
      {
        const char *q = g_utf8_next_char (p);

        while (q < end && *q != '\n' && *q != '@' && *q != '#' && *q != 'h')
          q = g_utf8_next_char (q);
        if (html != NULL)
          escape_len (html, p, q - p);
        length += g_utf8_strlen (p, q - p);
        p = q;
      }
    }

  if (html != NULL && open_p)
    g_string_append (html, "</p>");
  if (info != NULL)
    info->length = length;
}
