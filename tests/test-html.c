/* test-html.c
 *
 * Status content is untrusted HTML: check the text we show and that the
 * markup we build is always valid and escaped.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <pango/pango.h>
#include <string.h>

#include "civic-html.h"

/* GtkLabel takes <a href> on top of Pango markup; Pango alone does not.
 * Check the links' shape, then hand the rest to pango_parse_markup(). */
static void
assert_valid_markup (const char *markup)
{
  g_autoptr(GRegex) link_open = g_regex_new ("<a href=\"[^\"<>]*\">", 0, 0, NULL);
  g_autoptr(GRegex) any_tag = g_regex_new ("<(/?)([a-z]+)( [^>]*)?>", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *no_links = NULL;
  g_autofree char *pango = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_utf8_validate (markup, -1, NULL));

  /* Only the elements we produce, nothing the input smuggled in. */
  g_regex_match (any_tag, markup, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *name = g_match_info_fetch (match, 2);
      g_autofree char *attrs = g_match_info_fetch (match, 3);

      g_assert_true (g_str_equal (name, "a") || g_str_equal (name, "b") || g_str_equal (name, "i") ||
                     g_str_equal (name, "s") || g_str_equal (name, "u") || g_str_equal (name, "tt"));
      if (!g_str_equal (name, "a"))
        g_assert_true (attrs == NULL || *attrs == '\0');
      g_match_info_next (match, NULL);
    }

  no_links = g_regex_replace_literal (link_open, markup, -1, 0, "<u>", 0, NULL);
  g_assert_nonnull (no_links);
  {
    g_autoptr(GRegex) link_close = g_regex_new ("</a>", 0, 0, NULL);

    pango = g_regex_replace_literal (link_close, no_links, -1, 0, "</u>", 0, NULL);
  }

  if (!pango_parse_markup (pango, -1, 0, NULL, NULL, NULL, &error))
    g_error ("invalid markup %s: %s", markup, error->message);
}

typedef struct
{
  const char *html;
  const char *text;
  const char *markup;   /* NULL: only check validity */
} Case;

static const Case cases[] = {
  /* What Mastodon sends. */
  { "<p>Hola <span class=\"h-card\"><a href=\"https://jun.example/@alcaldia\" class=\"u-url mention\">@<span>alcaldia</span></a></span>, ¿cuándo?</p>",
    "Hola @alcaldia, ¿cuándo?",
    "Hola <a href=\"https://jun.example/@alcaldia\">@alcaldia</a>, ¿cuándo?" },
  { "<p>Uno</p><p>Dos<br>Tres<br />Cuatro</p>", "Uno\n\nDos\nTres\nCuatro", "Uno\n\nDos\nTres\nCuatro" },
  { "<p>Mira <a href=\"https://www.openstreetmap.org/?mlat=37.22&amp;mlon=-3.59\" rel=\"nofollow noopener\" target=\"_blank\"><span class=\"invisible\">https://www.</span><span class=\"ellipsis\">openstreetmap.org/?mlat=37.22</span><span class=\"invisible\">&amp;mlon=-3.59</span></a></p>",
    "Mira https://www.openstreetmap.org/?mlat=37.22&mlon=-3.59",
    "Mira <a href=\"https://www.openstreetmap.org/?mlat=37.22&amp;mlon=-3.59\">https://www.openstreetmap.org/?mlat=37.22&amp;mlon=-3.59</a>" },
  { "<p>A &amp; B &lt;3 &quot;x&quot; &#39;y&#39; &#x263A; &eacute;&ntilde;</p>",
    "A & B <3 \"x\" 'y' ☺ éñ",
    "A &amp; B &lt;3 &quot;x&quot; &#39;y&#39; ☺ éñ" },
  { "<strong>fuerte</strong> <em>énfasis</em> <code>x&lt;y</code> <del>no</del>",
    "fuerte énfasis x<y no",
    "<b>fuerte</b> <i>énfasis</i> <tt>x&lt;y</tt> <s>no</s>" },
  { "<ul><li>uno</li><li>dos</li></ul><ol><li>a</li><li>b</li></ol>",
    "• uno\n• dos\n1. a\n2. b", NULL },
  { "<blockquote><p>citado</p></blockquote><p>respuesta</p>", "citado\n\nrespuesta", NULL },
  { "<pre>  dos  espacios\n  y línea</pre>", "  dos  espacios\n  y línea", NULL },

  /* Hostile input. */
  { "<script>alert('x')</script>hola", "hola", "hola" },
  { "<style>p { color: red }</style><p>hola</p>", "hola", "hola" },
  { "<SCRIPT type=text/javascript>document.write('<p>x</p>')</SCRIPT>ok", "ok", "ok" },
  { "<span foreground=\"red\" size=\"100000\">grande</span>", "grande", "grande" },
  { "<b>sin cerrar <i>nada", "sin cerrar nada", "<b>sin cerrar <i>nada</i></b>" },
  { "<b><i>cruzado</b></i>", "cruzado", "<b><i>cruzado</i></b>" },
  { "</b></i></a>solo cierres", "solo cierres", "solo cierres" },
  { "<a href=\"javascript:alert(1)\">clic</a>", "clic", "clic" },
  { "<a href=\"https://a.example/\"><a href=\"https://b.example/\">anidado</a></a>", "anidado",
    "<a href=\"https://a.example/\">anidado</a>" },
  { "<a href='https://x.example/?a=\"><b>'>comillas</a>", "comillas",
    "<a href=\"https://x.example/?a=&quot;&gt;&lt;b&gt;\">comillas</a>" },
  { "<a href=https://sin.comillas/x>sin</a>", "sin", "<a href=\"https://sin.comillas/x\">sin</a>" },
  { "a < b > c", "a < b > c", "a &lt; b &gt; c" },
  { "<!-- <script>x</script> -->visible", "visible", "visible" },
  { "<!DOCTYPE html><?xml version=\"1.0\"?>doc", "doc", "doc" },
  { "&amp;lt;b&amp;gt;", "&lt;b&gt;", "&amp;lt;b&amp;gt;" },
  { "&unknown; &#0; &#xD800; &#99999999;", "&unknown; \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD", NULL },
  { "ctl\x01\x02\x7f chars", "ctl chars", "ctl chars" },
  { "<p>unterminated <a href=\"https://x.example", "unterminated", "unterminated" },
  { "<img src=x onerror=alert(1)>imagen", "imagen", "imagen" },
  { "<iframe src=\"https://evil.example\">dentro</iframe>fuera", "fuera", "fuera" },
  { "", "", "" },
  { "<p></p><p></p>", "", "" },
  { "mixed\xff\xfe bytes", "mixed\xEF\xBF\xBD\xEF\xBF\xBD bytes", NULL },
  { "<p>مرحبا بالعالم</p><p>😀🎉</p>", "مرحبا بالعالم\n\n😀🎉", "مرحبا بالعالم\n\n😀🎉" },
};

static void
test_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = civic_html_to_text (cases[i].html);
      g_autofree char *markup = civic_html_to_markup (cases[i].html);
      g_autofree char *printable = g_strescape (cases[i].html, NULL);

      g_test_message ("case %u: %s", i, printable);
      g_assert_cmpstr (text, ==, cases[i].text);
      if (cases[i].markup != NULL)
        g_assert_cmpstr (markup, ==, cases[i].markup);
      assert_valid_markup (markup);
    }
}

static void
test_null (void)
{
  g_autofree char *text = civic_html_to_text (NULL);
  g_autofree char *markup = civic_html_to_markup (NULL);

  g_assert_cmpstr (text, ==, "");
  g_assert_cmpstr (markup, ==, "");
}

/* 100 KB of content, and thousands of unclosed tags: linear, valid output. */
static void
test_large (void)
{
  g_autoptr(GString) html = g_string_new ("<p>");
  g_autofree char *text = NULL;
  g_autofree char *markup = NULL;

  while (html->len < 100 * 1024)
    g_string_append (html, "<b><i><a href=\"https://x.example/?q=1&amp;r=2\">calle &amp; plaza</a> <span>");

  text = civic_html_to_text (html->str);
  markup = civic_html_to_markup (html->str);

  g_assert_true (g_str_has_prefix (text, "calle & plaza calle & plaza"));
  g_assert_true (strstr (markup, "<script") == NULL);
  assert_valid_markup (markup);
}

/* Random bytes from a fixed seed: never invalid markup, never a crash. */
static void
test_random (void)
{
  static const char alphabet[] = "<>/&;#\"'= abpiscrptx:ahref\n\xc3\xa9\xff";
  GRand *rand = g_rand_new_with_seed (20261126);

  for (guint round = 0; round < 3000; round++)
    {
      guint len = g_rand_int_range (rand, 0, 120);
      g_autofree char *input = g_malloc (len + 1);
      g_autofree char *markup = NULL;
      g_autofree char *text = NULL;

      for (guint i = 0; i < len; i++)
        input[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      input[len] = '\0';

      markup = civic_html_to_markup (input);
      text = civic_html_to_text (input);
      g_assert_true (g_utf8_validate (text, -1, NULL));
      assert_valid_markup (markup);
    }

  g_rand_free (rand);
}

static void
test_escape (void)
{
  g_autofree char *a = civic_markup_escape ("<b>&\"'\x01", -1);
  g_autofree char *b = civic_markup_escape ("abc\xff", -1);

  g_assert_cmpstr (a, ==, "&lt;b&gt;&amp;&quot;&#39;");
  g_assert_cmpstr (b, ==, "abc\xEF\xBF\xBD");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/html/cases", test_cases);
  g_test_add_func ("/html/null", test_null);
  g_test_add_func ("/html/large", test_large);
  g_test_add_func ("/html/random", test_random);
  g_test_add_func ("/html/escape", test_escape);

  return g_test_run ();
}
