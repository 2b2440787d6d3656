/* civic-personal-data.c
 *
 * Hand-written scanners rather than regular expressions: each finding must
 * pass a check that a pattern cannot express (the DNI/NIE check letter,
 * "not part of a longer number", "not a price"), and false alarms teach
 * staff to ignore the hint.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "civic-personal-data.h"

/* The check letter of a DNI is "TRWAGMYFPDXBNJZSQVHLCKE"[number % 23]. */
static const char check_letters[] = "TRWAGMYFPDXBNJZSQVHLCKE";

typedef struct
{
  gsize start;
  gsize end;
} Span;

/* The code point before byte @i of @text, or 0 at the start. */
static gunichar
char_before (const char *text,
             gsize       i)
{
  if (i == 0)
    return 0;
  return g_utf8_get_char (g_utf8_find_prev_char (text, text + i));
}

static gboolean
is_alnum_at (const char *text,
             gsize       i)
{
  return text[i] != '\0' && g_unichar_isalnum (g_utf8_get_char (text + i));
}

/* A word must not continue right before @i: no letter or digit, and no
 * digit group ("12.345" or "3,5" or "2024-05") running into it. */
static gboolean
starts_cleanly (const char *text,
                gsize       i)
{
  gunichar before = char_before (text, i);

  if (g_unichar_isalnum (before))
    return FALSE;
  if ((before == '.' || before == ',' || before == '-' || before == '/') && i >= 2 &&
      g_ascii_isdigit (text[i - 2]))
    return FALSE;

  return TRUE;
}

/* Nothing word-like may follow at @i either: no letter or digit, and no
 * separator that leads on to more digits. */
static gboolean
ends_cleanly (const char *text,
              gsize       i)
{
  if (is_alnum_at (text, i))
    return FALSE;
  if ((text[i] == '.' || text[i] == ',' || text[i] == '-' || text[i] == '/') &&
      g_ascii_isdigit (text[i + 1]))
    return FALSE;

  return TRUE;
}

/* DNI: 8 digits (or 12.345.678), an optional space or dash, the letter. */
static gboolean
match_dni (const char *text,
           gsize       i,
           Span       *span)
{
  gsize j = i;
  guint digits = 0;
  guint64 number = 0;
  gboolean dotted;
  char letter;

  if (!g_ascii_isdigit (text[i]) || !starts_cleanly (text, i))
    return FALSE;

  /* "12.345.678": dots only as thousands separators. */
  dotted = g_ascii_isdigit (text[i + 1]) && text[i + 2] == '.';
  while (digits < 8)
    {
      if (dotted && (digits == 2 || digits == 5))
        {
          if (text[j] != '.')
            return FALSE;
          j++;
        }
      if (!g_ascii_isdigit (text[j]))
        return FALSE;
      number = number * 10 + (guint64) (text[j] - '0');
      digits++;
      j++;
    }

  if (text[j] == ' ' || text[j] == '-')
    j++;
  letter = g_ascii_toupper (text[j]);
  if (!g_ascii_isalpha (letter) || letter != check_letters[number % 23])
    return FALSE;
  j++;
  if (is_alnum_at (text, j))
    return FALSE;

  span->start = i;
  span->end = j;
  return TRUE;
}

/* NIE: X, Y or Z (for 0, 1, 2), 7 digits, the letter; dashes allowed. */
static gboolean
match_nie (const char *text,
           gsize       i,
           Span       *span)
{
  const char *prefixes = "XYZ";
  const char *which;
  gsize j = i + 1;
  guint64 number;
  char letter;

  if (text[i] == '\0' || (which = strchr (prefixes, g_ascii_toupper (text[i]))) == NULL ||
      !starts_cleanly (text, i))
    return FALSE;

  number = (guint64) (which - prefixes);
  if (text[j] == '-' || text[j] == ' ')
    j++;
  for (guint k = 0; k < 7; k++, j++)
    {
      if (!g_ascii_isdigit (text[j]))
        return FALSE;
      number = number * 10 + (guint64) (text[j] - '0');
    }
  if (text[j] == '-' || text[j] == ' ')
    j++;
  letter = g_ascii_toupper (text[j]);
  if (!g_ascii_isalpha (letter) || letter != check_letters[number % 23])
    return FALSE;
  j++;
  if (is_alnum_at (text, j))
    return FALSE;

  span->start = i;
  span->end = j;
  return TRUE;
}

static gboolean
is_phone_separator (char c)
{
  return c == ' ' || c == '.' || c == '-';
}

/* Whether a price sign or word follows at @i ("600.000.000 €", "… euros"). */
static gboolean
currency_after (const char *text,
                gsize       i)
{
  while (text[i] == ' ')
    i++;
  return g_str_has_prefix (text + i, "€") || g_ascii_strncasecmp (text + i, "eur", 3) == 0 ||
         g_str_has_prefix (text + i, "$");
}

static gboolean
currency_before (const char *text,
                 gsize       i)
{
  while (i > 0 && text[i - 1] == ' ')
    i--;
  return (i >= strlen ("€") && memcmp (text + i - strlen ("€"), "€", strlen ("€")) == 0) ||
         (i >= 1 && text[i - 1] == '$');
}

/* Spanish numbers: 9 digits from 6, 7, 8 or 9, grouped by single spaces,
 * dots or dashes, after an optional +34, 0034 or (+34). */
static gboolean
match_phone (const char *text,
             gsize       i,
             Span       *span)
{
  gsize j = i;
  guint digits = 0;
  char separator = 0;

  if (text[i] == '\0' || strchr ("(+06789", text[i]) == NULL || !starts_cleanly (text, i))
    return FALSE;

  if (g_str_has_prefix (text + j, "(+34)"))
    j += 5;
  else if (g_str_has_prefix (text + j, "+34"))
    j += 3;
  else if (g_str_has_prefix (text + j, "0034"))
    j += 4;
  if (j > i && is_phone_separator (text[j]))
    j++;

  if (text[j] < '6' || text[j] > '9')
    return FALSE;

  while (digits < 9)
    {
      if (!g_ascii_isdigit (text[j]))
        return FALSE;
      digits++;
      j++;
      if (digits < 9 && is_phone_separator (text[j]) && g_ascii_isdigit (text[j + 1]))
        {
          separator = text[j];
          j++;
        }
    }

  if (!ends_cleanly (text, j))
    return FALSE;
  /* "600 123 456 789" is a longer number, not a phone followed by one. */
  if (separator == ' ' && text[j] == ' ' && g_ascii_isdigit (text[j + 1]))
    return FALSE;
  if (currency_after (text, j) || currency_before (text, i))
    return FALSE;

  span->start = i;
  span->end = j;
  return TRUE;
}

static gboolean
is_local_char (char c)
{
  return g_ascii_isalnum (c) || strchr ("._%+-", c) != NULL;
}

/* At @at (an '@'): local@domain.tld, unless it is `@user@domain`. */
static gboolean
match_email (const char *text,
             gsize       at,
             Span       *span)
{
  gsize s = at;
  gsize j = at + 1;
  gsize last_dot = 0;
  gsize label_start = j;
  guint labels = 0;

  while (s > 0 && is_local_char (text[s - 1]))
    s--;
  if (s == at || text[s] == '.')
    return FALSE;
  /* "@vecina@jun.example" mentions someone on another server. */
  if (s > 0 && text[s - 1] == '@')
    return FALSE;

  for (;;)
    {
      while (g_ascii_isalnum (text[j]) || text[j] == '-')
        j++;
      if (j == label_start)
        return FALSE;
      labels++;
      if (text[j] == '.' && g_ascii_isalnum (text[j + 1]))
        {
          last_dot = j;
          j++;
          label_start = j;
          continue;
        }
      break;
    }

  if (labels < 2)
    return FALSE;
  /* The top-level domain: two letters or more. */
  for (gsize k = last_dot + 1; k < j; k++)
    if (!g_ascii_isalpha (text[k]))
      return FALSE;
  if (j - last_dot - 1 < 2)
    return FALSE;

  span->start = s;
  span->end = j;
  return TRUE;
}

gboolean
civic_personal_data_find_span (const char            *text,
                               CivicPersonalDataKind *kind,
                               gsize                 *start,
                               gsize                 *end)
{
  CivicPersonalDataKind found = CIVIC_PERSONAL_DATA_NONE;
  Span span = { 0, 0 };

  g_return_val_if_fail (text == NULL || g_utf8_validate (text, -1, NULL), FALSE);

  for (gsize i = 0; text != NULL && text[i] != '\0' && found == CIVIC_PERSONAL_DATA_NONE; i++)
    {
      /* An e-mail starts before its '@': look for it from there. */
      if (text[i] == '@' && match_email (text, i, &span))
        found = CIVIC_PERSONAL_DATA_EMAIL;
      else if (match_dni (text, i, &span))
        found = CIVIC_PERSONAL_DATA_DNI;
      else if (match_nie (text, i, &span))
        found = CIVIC_PERSONAL_DATA_NIE;
      else if (match_phone (text, i, &span))
        found = CIVIC_PERSONAL_DATA_PHONE;
    }

  if (kind != NULL)
    *kind = found;
  if (start != NULL)
    *start = span.start;
  if (end != NULL)
    *end = span.end;

  return found != CIVIC_PERSONAL_DATA_NONE;
}

gboolean
civic_personal_data_find (const char            *text,
                          CivicPersonalDataKind *kind)
{
  return civic_personal_data_find_span (text, kind, NULL, NULL);
}

const char *
civic_personal_data_kind_to_string (CivicPersonalDataKind kind)
{
  switch (kind)
    {
    case CIVIC_PERSONAL_DATA_DNI:
      return "DNI";
    case CIVIC_PERSONAL_DATA_NIE:
      return "NIE";
    case CIVIC_PERSONAL_DATA_PHONE:
      return "phone";
    case CIVIC_PERSONAL_DATA_EMAIL:
      return "e-mail";
    case CIVIC_PERSONAL_DATA_NONE:
    default:
      return "none";
    }
}
