/* civic-html.c
 *
 * A small, forgiving HTML reader for status content. It is not a general
 * HTML parser: it knows just enough (tags, attributes, comments, entities,
 * raw-text elements) to read what Mastodon-compatible servers send, and to
 * read anything else without ever producing unescaped markup.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "civic-html.h"

#define MAX_OPEN_TAGS 32

typedef struct
{
  const char *name;
  gunichar    ch;
} NamedEntity;

/* The entities real servers emit, plus the Latin-1 letters Spanish and
 * French text uses when a server spells them out. */
static const NamedEntity named_entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
  { "nbsp", 0xA0 }, { "iexcl", 0xA1 }, { "cent", 0xA2 }, { "pound", 0xA3 },
  { "euro", 0x20AC }, { "copy", 0xA9 }, { "reg", 0xAE }, { "deg", 0xB0 },
  { "laquo", 0xAB }, { "raquo", 0xBB }, { "middot", 0xB7 }, { "ordf", 0xAA },
  { "ordm", 0xBA }, { "iquest", 0xBF }, { "times", 0xD7 }, { "divide", 0xF7 },
  { "Aacute", 0xC1 }, { "Eacute", 0xC9 }, { "Iacute", 0xCD }, { "Oacute", 0xD3 },
  { "Uacute", 0xDA }, { "Ntilde", 0xD1 }, { "Uuml", 0xDC }, { "Ccedil", 0xC7 },
  { "aacute", 0xE1 }, { "eacute", 0xE9 }, { "iacute", 0xED }, { "oacute", 0xF3 },
  { "uacute", 0xFA }, { "ntilde", 0xF1 }, { "uuml", 0xFC }, { "ccedil", 0xE7 },
  { "agrave", 0xE0 }, { "egrave", 0xE8 }, { "ugrave", 0xF9 }, { "acirc", 0xE2 },
  { "ecirc", 0xEA }, { "icirc", 0xEE }, { "ocirc", 0xF4 }, { "ucirc", 0xFB },
  { "euml", 0xEB }, { "iuml", 0xEF }, { "oelig", 0x153 }, { "hellip", 0x2026 },
  { "ndash", 0x2013 }, { "mdash", 0x2014 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 },
  { "ldquo", 0x201C }, { "rdquo", 0x201D }, { "bull", 0x2022 },
};

typedef enum
{
  TAG_OTHER,
  TAG_P,
  TAG_BR,
  TAG_BLOCK,      /* div, blockquote, pre, headings, ul, ol: start on a new line */
  TAG_LI,
  TAG_A,
  TAG_B,
  TAG_I,
  TAG_S,
  TAG_U,
  TAG_TT,
  TAG_SKIP,       /* script, style, ...: content dropped */
} TagKind;

typedef struct
{
  GString  *out;
  gboolean  markup;
  gboolean  pending_space;
  guint     pre_depth;
  TagKind   open[MAX_OPEN_TAGS];  /* markup elements we emitted and must close */
  guint     n_open;
  guint     list_counter[MAX_OPEN_TAGS];
  gboolean  list_ordered[MAX_OPEN_TAGS];
  guint     list_depth;
} Writer;

static TagKind
classify (const char *name,
          gsize       len)
{
  static const struct { const char *name; TagKind kind; } table[] = {
    { "p", TAG_P }, { "br", TAG_BR }, { "li", TAG_LI }, { "a", TAG_A },
    { "b", TAG_B }, { "strong", TAG_B }, { "i", TAG_I }, { "em", TAG_I },
    { "s", TAG_S }, { "del", TAG_S }, { "strike", TAG_S }, { "u", TAG_U },
    { "ins", TAG_U }, { "code", TAG_TT }, { "kbd", TAG_TT }, { "samp", TAG_TT },
    { "div", TAG_BLOCK }, { "blockquote", TAG_BLOCK }, { "pre", TAG_BLOCK },
    { "ul", TAG_BLOCK }, { "ol", TAG_BLOCK }, { "h1", TAG_BLOCK }, { "h2", TAG_BLOCK },
    { "h3", TAG_BLOCK }, { "h4", TAG_BLOCK }, { "h5", TAG_BLOCK }, { "h6", TAG_BLOCK },
    { "hr", TAG_BLOCK }, { "table", TAG_BLOCK }, { "tr", TAG_BLOCK },
    { "script", TAG_SKIP }, { "style", TAG_SKIP }, { "head", TAG_SKIP },
    { "title", TAG_SKIP }, { "template", TAG_SKIP }, { "iframe", TAG_SKIP },
    { "object", TAG_SKIP }, { "noscript", TAG_SKIP }, { "textarea", TAG_SKIP },
    { "svg", TAG_SKIP }, { "math", TAG_SKIP },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (strlen (table[i].name) == len && g_ascii_strncasecmp (table[i].name, name, len) == 0)
      return table[i].kind;

  return TAG_OTHER;
}

static const char *
markup_tag (TagKind kind)
{
  switch (kind)
    {
    case TAG_A: return "a";
    case TAG_B: return "b";
    case TAG_I: return "i";
    case TAG_S: return "s";
    case TAG_U: return "u";
    case TAG_TT: return "tt";
    default: return NULL;
    }
}

static gboolean
acceptable_char (gunichar ch)
{
  if (ch == '\n' || ch == '\t')
    return TRUE;
  if (ch < 0x20 || ch == 0x7F)
    return FALSE;
  if (ch >= 0xD800 && ch <= 0xDFFF)
    return FALSE;
  if (ch == 0xFFFE || ch == 0xFFFF || ch > 0x10FFFF)
    return FALSE;
  return TRUE;
}

static void
append_escaped_char (GString  *out,
                     gunichar  ch,
                     gboolean  markup)
{
  if (!acceptable_char (ch))
    return;

  if (markup)
    {
      switch (ch)
        {
        case '&': g_string_append (out, "&amp;"); return;
        case '<': g_string_append (out, "&lt;"); return;
        case '>': g_string_append (out, "&gt;"); return;
        case '"': g_string_append (out, "&quot;"); return;
        case '\'': g_string_append (out, "&#39;"); return;
        default: break;
        }
    }

  g_string_append_unichar (out, ch);
}

static gboolean
at_line_start (Writer *w)
{
  return w->out->len == 0 || w->out->str[w->out->len - 1] == '\n';
}

static void
flush_space (Writer *w)
{
  if (w->pending_space && !at_line_start (w))
    g_string_append_c (w->out, ' ');
  w->pending_space = FALSE;
}

static void
emit_char (Writer   *w,
           gunichar  ch)
{
  if (w->pre_depth == 0 && g_unichar_isspace (ch) && ch != 0xA0)
    {
      w->pending_space = TRUE;
      return;
    }

  flush_space (w);
  append_escaped_char (w->out, ch, w->markup);
}

/* Ends the current line; with @blank, leaves an empty line before what follows. */
static void
emit_break (Writer   *w,
            gboolean  blank)
{
  w->pending_space = FALSE;

  /* Never start the text with empty lines. */
  if (w->out->len == 0)
    return;

  /* Newlines inside an open markup element are fine for Pango. */
  if (!at_line_start (w))
    g_string_append_c (w->out, '\n');

  if (blank && !(w->out->len >= 2 && w->out->str[w->out->len - 2] == '\n'))
    g_string_append_c (w->out, '\n');
}

static gboolean
safe_href (const char *href)
{
  return g_ascii_strncasecmp (href, "https://", 8) == 0 ||
         g_ascii_strncasecmp (href, "http://", 7) == 0 ||
         g_ascii_strncasecmp (href, "mailto:", 7) == 0;
}

static void
open_markup (Writer     *w,
             TagKind     kind,
             const char *href)
{
  if (!w->markup || w->n_open >= MAX_OPEN_TAGS)
    return;

  if (kind == TAG_A)
    {
      g_autofree char *escaped = NULL;

      /* Nested links make no sense; Pango/GtkLabel refuses them. */
      for (guint i = 0; i < w->n_open; i++)
        if (w->open[i] == TAG_A)
          return;
      if (href == NULL || !safe_href (href))
        return;

      flush_space (w);
      escaped = civic_markup_escape (href, -1);
      g_string_append_printf (w->out, "<a href=\"%s\">", escaped);
    }
  else
    {
      flush_space (w);
      g_string_append_printf (w->out, "<%s>", markup_tag (kind));
    }

  w->open[w->n_open++] = kind;
}

static void
close_markup (Writer  *w,
              TagKind  kind)
{
  gint found = -1;

  if (!w->markup)
    return;

  for (gint i = (gint) w->n_open - 1; i >= 0; i--)
    {
      if (w->open[i] == kind)
        {
          found = i;
          break;
        }
    }

  /* A stray closing tag: ignore it. */
  if (found < 0)
    return;

  /* Close everything opened after it too, keeping the output balanced. */
  while ((gint) w->n_open > found)
    {
      w->n_open--;
      g_string_append_printf (w->out, "</%s>", markup_tag (w->open[w->n_open]));
    }
}

/* Decodes the entity at @p (pointing at '&'). Returns the number of bytes
 * consumed, or 0 when this is not an entity (the '&' is then literal). */
static gsize
decode_entity (const char *p,
               const char *end,
               gunichar   *out)
{
  const char *q = p + 1;

  if (q < end && *q == '#')
    {
      guint64 value = 0;
      gboolean hex = FALSE;
      guint digits = 0;

      q++;
      if (q < end && (*q == 'x' || *q == 'X'))
        {
          hex = TRUE;
          q++;
        }

      while (q < end && (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)) && digits < 8)
        {
          value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*q) : *q - '0');
          q++;
          digits++;
        }

      if (digits == 0)
        return 0;

      if (q < end && *q == ';')
        q++;

      *out = (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
               ? 0xFFFD : (gunichar) value;
      return q - p;
    }

  for (guint i = 0; i < G_N_ELEMENTS (named_entities); i++)
    {
      gsize len = strlen (named_entities[i].name);

      if ((gsize) (end - q) > len && strncmp (q, named_entities[i].name, len) == 0 &&
          q[len] == ';')
        {
          *out = named_entities[i].ch;
          return len + 2;
        }
    }

  return 0;
}

/* Reads the attribute @name (lower-case) from the attribute text
 * [@attrs, @end). Returns a decoded, newly allocated value or NULL. */
static char *
find_attribute (const char *attrs,
                const char *end,
                const char *name)
{
  const char *p = attrs;
  gsize name_len = strlen (name);

  while (p < end)
    {
      const char *key, *value = NULL;
      gsize key_len, value_len = 0;

      while (p < end && (g_ascii_isspace (*p) || *p == '/'))
        p++;
      key = p;
      while (p < end && !g_ascii_isspace (*p) && *p != '=' && *p != '>' && *p != '/')
        p++;
      key_len = p - key;
      if (key_len == 0)
        {
          p++;
          continue;
        }

      while (p < end && g_ascii_isspace (*p))
        p++;
      if (p < end && *p == '=')
        {
          p++;
          while (p < end && g_ascii_isspace (*p))
            p++;
          if (p < end && (*p == '"' || *p == '\''))
            {
              char quote = *p++;

              value = p;
              while (p < end && *p != quote)
                p++;
              value_len = p - value;
              if (p < end)
                p++;
            }
          else
            {
              value = p;
              while (p < end && !g_ascii_isspace (*p) && *p != '>')
                p++;
              value_len = p - value;
            }
        }

      if (key_len == name_len && g_ascii_strncasecmp (key, name, name_len) == 0 && value != NULL)
        {
          GString *decoded = g_string_sized_new (value_len);
          const char *v = value, *v_end = value + value_len;

          while (v < v_end)
            {
              gunichar ch;
              gsize used;

              if (*v == '&' && (used = decode_entity (v, v_end, &ch)) > 0)
                {
                  g_string_append_unichar (decoded, ch);
                  v += used;
                }
              else
                g_string_append_c (decoded, *v++);
            }

          return g_string_free (decoded, FALSE);
        }
    }

  return NULL;
}

/* Finds the end of the tag starting at @p ('<'), honouring quoted attribute
 * values. Returns a pointer to its '>' or NULL when the tag never ends. */
static const char *
find_tag_end (const char *p,
              const char *end)
{
  char quote = 0;

  for (p++; p < end; p++)
    {
      if (quote != 0)
        {
          if (*p == quote)
            quote = 0;
        }
      else if (*p == '"' || *p == '\'')
        {
          /* Quotes only start a value after '='; elsewhere they are junk. */
          const char *b = p - 1;

          while (g_ascii_isspace (*b))
            b--;
          if (*b == '=')
            quote = *p;
        }
      else if (*p == '>')
        return p;
    }

  return NULL;
}

/* Skips to the end of </@name ...>, or to the end of input. */
static const char *
skip_raw_text (const char *p,
               const char *end,
               const char *name,
               gsize       name_len)
{
  for (; p < end; p++)
    {
      if (*p == '<' && p + 1 < end && p[1] == '/' &&
          (gsize) (end - p - 2) >= name_len && g_ascii_strncasecmp (p + 2, name, name_len) == 0)
        {
          const char *gt = memchr (p, '>', end - p);

          return gt != NULL ? gt + 1 : end;
        }
    }

  return end;
}

static void
handle_tag (Writer     *w,
            TagKind     kind,
            gboolean    closing,
            const char *attrs,
            const char *attrs_end)
{
  switch (kind)
    {
    case TAG_P:
      emit_break (w, TRUE);
      break;

    case TAG_BR:
      w->pending_space = FALSE;
      g_string_append_c (w->out, '\n');
      break;

    case TAG_BLOCK:
      emit_break (w, FALSE);
      break;

    case TAG_LI:
      if (!closing)
        {
          emit_break (w, FALSE);
          if (w->list_depth > 0 && w->list_ordered[w->list_depth - 1])
            g_string_append_printf (w->out, "%u. ", ++w->list_counter[w->list_depth - 1]);
          else
            g_string_append (w->out, "• ");
        }
      break;

    case TAG_A:
      if (closing)
        close_markup (w, TAG_A);
      else
        {
          g_autofree char *href = find_attribute (attrs, attrs_end, "href");

          open_markup (w, TAG_A, href);
        }
      break;

    case TAG_B:
    case TAG_I:
    case TAG_S:
    case TAG_U:
    case TAG_TT:
      if (closing)
        close_markup (w, kind);
      else
        open_markup (w, kind, NULL);
      break;

    case TAG_OTHER:
    case TAG_SKIP:
    default:
      break;
    }
}

static char *
convert (const char *html,
         gboolean    markup)
{
  g_autofree char *valid = NULL;
  const char *p, *end;
  Writer w = { 0 };

  if (html == NULL)
    return g_strdup ("");

  if (!g_utf8_validate (html, -1, NULL))
    html = valid = g_utf8_make_valid (html, -1);

  p = html;
  end = html + strlen (html);
  w.out = g_string_sized_new (end - p + 16);
  w.markup = markup;

  while (p < end)
    {
      if (*p == '<')
        {
          const char *gt;
          const char *name;
          gsize name_len;
          gboolean closing = FALSE;
          const char *q = p + 1;
          TagKind kind;

          if (end - p >= 4 && strncmp (p, "<!--", 4) == 0)
            {
              const char *close = g_strstr_len (p + 4, end - p - 4, "-->");

              p = close != NULL ? close + 3 : end;
              continue;
            }

          if (q < end && (*q == '!' || *q == '?'))
            {
              gt = memchr (p, '>', end - p);
              p = gt != NULL ? gt + 1 : end;
              continue;
            }

          if (q < end && *q == '/')
            {
              closing = TRUE;
              q++;
            }

          if (q >= end || !g_ascii_isalpha (*q))
            {
              /* "a < b", "<3": not a tag, just text. */
              emit_char (&w, '<');
              p++;
              continue;
            }

          name = q;
          while (q < end && (g_ascii_isalnum (*q) || *q == '-' || *q == ':'))
            q++;
          name_len = q - name;

          gt = find_tag_end (p, end);
          if (gt == NULL)
            {
              /* An unterminated tag at the end: browsers drop it. */
              break;
            }

          kind = classify (name, name_len);

          if (kind == TAG_BLOCK && !closing)
            {
              if (name_len == 3 && g_ascii_strncasecmp (name, "pre", 3) == 0)
                w.pre_depth++;
              if (name_len == 2 && (g_ascii_strncasecmp (name, "ul", 2) == 0 ||
                                    g_ascii_strncasecmp (name, "ol", 2) == 0) &&
                  w.list_depth < MAX_OPEN_TAGS)
                {
                  w.list_ordered[w.list_depth] = g_ascii_tolower (name[0]) == 'o';
                  w.list_counter[w.list_depth] = 0;
                  w.list_depth++;
                }
            }
          else if (kind == TAG_BLOCK && closing)
            {
              if (name_len == 3 && g_ascii_strncasecmp (name, "pre", 3) == 0 && w.pre_depth > 0)
                w.pre_depth--;
              if (name_len == 2 && (g_ascii_strncasecmp (name, "ul", 2) == 0 ||
                                    g_ascii_strncasecmp (name, "ol", 2) == 0) &&
                  w.list_depth > 0)
                w.list_depth--;
            }

          if (kind == TAG_SKIP && !closing && gt[-1] != '/')
            {
              p = skip_raw_text (gt + 1, end, name, name_len);
              continue;
            }

          handle_tag (&w, kind, closing, q, gt);
          p = gt + 1;
        }
      else if (*p == '&')
        {
          gunichar ch;
          gsize used = decode_entity (p, end, &ch);

          if (used > 0)
            {
              emit_char (&w, ch);
              p += used;
            }
          else
            {
              emit_char (&w, '&');
              p++;
            }
        }
      else
        {
          gunichar ch = g_utf8_get_char (p);

          emit_char (&w, ch);
          p = g_utf8_next_char (p);
        }
    }

  /* Close whatever the input left open. */
  while (w.markup && w.n_open > 0)
    {
      w.n_open--;
      g_string_append_printf (w.out, "</%s>", markup_tag (w.open[w.n_open]));
    }

  /* Trailing blank lines (from a final </p><p>) say nothing. */
  while (w.out->len > 0 && (w.out->str[w.out->len - 1] == '\n' || w.out->str[w.out->len - 1] == ' '))
    g_string_truncate (w.out, w.out->len - 1);

  return g_string_free (w.out, FALSE);
}

char *
civic_html_to_text (const char *html)
{
  return convert (html, FALSE);
}

char *
civic_html_to_markup (const char *html)
{
  return convert (html, TRUE);
}

char *
civic_markup_escape (const char *text,
                     gssize      length)
{
  g_autofree char *valid = NULL;
  const char *p, *end;
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  if (length < 0)
    length = strlen (text);

  if (!g_utf8_validate (text, length, NULL))
    {
      valid = g_utf8_make_valid (text, length);
      text = valid;
      length = strlen (valid);
    }

  out = g_string_sized_new (length + 8);
  for (p = text, end = text + length; p < end; p = g_utf8_next_char (p))
    append_escaped_char (out, g_utf8_get_char (p), TRUE);

  return g_string_free (out, FALSE);
}
