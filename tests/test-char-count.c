/* test-char-count.c
 *
 * The composer's counter against the server's rules, on a table of texts.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-char-count.h"
#include "civic-test-util.h"

static void
test_table (void)
{
  const struct
  {
    const char *text;
    guint per_url;
    guint expected;
  } cases[] = {
    { "", 23, 0 },
    { "Hola", 23, 4 },
    /* The server strips the ends. */
    { "  Hola\n\n", 23, 4 },
    { "Hola\n\nvecina", 23, 12 },
    /* Code points: a precomposed ñ is one, n + combining tilde is two. */
    { "ñandú", 23, 5 },
    { "n\xcc\x83" "andu\xcc\x81", 23, 7 },
    { "👍", 23, 1 },
    /* Thumbs up + skin tone modifier. */
    { "👍🏽", 23, 2 },
    /* Man ZWJ woman ZWJ girl. */
    { "👨‍👩‍👧", 23, 5 },
    /* Regional indicators E + S. */
    { "🇪🇸", 23, 2 },
    /* Heart + variation selector 16. */
    { "❤️", 23, 2 },
    { "市役所へ", 23, 4 },
    /* URLs count chars_per_url, whatever their length. */
    { "http://jun.es", 23, 23 },
    { "Short http://a.b url", 23, 33 },
    { "Mira https://www.jun.es/tramites/padron?id=5&x=y#top ahora", 23, 34 },
    { "Mira https://www.jun.es/tramites/padron?id=5&x=y#top ahora", 10, 21 },
    { "HTTPS://JUN.ES/A", 23, 23 },
    { "https://jun.es/calle-Ñandú", 23, 23 },
    /* Sentence punctuation and an unbalanced parenthesis end the link. */
    { "Ver https://jun.es/a.", 23, 28 },
    { "Ver https://jun.es/a?, gracias", 23, 37 },
    { "(https://es.wikipedia.org/wiki/Jun_(Granada))", 23, 25 },
    /* An emoji right after a link is not part of it. */
    { "https://jun.es/🙂", 23, 24 },
    /* Not links. */
    { "https://", 23, 8 },
    { "xhttps://jun.es", 23, 15 },
    { "www.jun.es", 23, 10 },
    /* Two links. */
    { "https://a.es https://b.es/x", 23, 47 },
    /* @user@domain counts as @user; a local mention as itself. */
    { "@vecina@vecinos.jun.example gracias", 23, 15 },
    { "@vecina gracias", 23, 15 },
    { "@a.b-c@dom.example.", 23, 7 },
    { "Hola @vecina@vecinos.jun.example y @otro@otra.example", 23, 20 },
    /* An e-mail address is not a mention: counted in full. */
    { "Escriba a ana@example.com", 23, 25 },
    /* A lone @ or a mention without a domain. */
    { "@vecina@", 23, 8 },
    { "@ hola", 23, 6 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint got = civic_char_count (cases[i].text, cases[i].per_url);

      if (got != cases[i].expected)
        g_error ("“%s” (URL = %u): counted %u, the server counts %u", cases[i].text,
                 cases[i].per_url, got, cases[i].expected);
    }

  g_assert_cmpuint (civic_char_count (NULL, 23), ==, 0);
}

static void
test_long (void)
{
  g_autofree char *text = g_strnfill (500, 'a');
  g_autoptr(GString) with_url = g_string_new (NULL);

  g_assert_cmpuint (civic_char_count (text, 23), ==, 500);

  /* 476 letters, a space and one long URL: exactly 500. */
  for (guint i = 0; i < 476; i++)
    g_string_append_c (with_url, 'a');
  g_string_append (with_url, " https://www.jun.es/");
  for (guint i = 0; i < 300; i++)
    g_string_append_c (with_url, 'p');
  g_assert_cmpuint (civic_char_count (with_url->str, 23), ==, 500);
}

static void
test_status (void)
{
  /* The content warning shares the budget, counted as typed. */
  g_assert_cmpuint (civic_char_count_status ("Hola", "  Aviso ", 23), ==, 9);
  g_assert_cmpuint (civic_char_count_status ("Hola", NULL, 23), ==, 4);
  g_assert_cmpuint (civic_char_count_status ("Hola", "https://jun.es", 23), ==, 18);
  g_assert_cmpuint (civic_char_count_status ("https://jun.es", "", 23), ==, 23);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/char-count/table", test_table);
  g_test_add_func ("/char-count/long", test_long);
  g_test_add_func ("/char-count/status", test_status);

  return g_test_run ();
}
