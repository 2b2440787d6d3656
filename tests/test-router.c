/* test-router.c
 *
 * The routing table: mentions → departments (accounts named, ties, rule
 * order, hashtags, keywords, regular expressions, authors, Unsorted),
 * urgent words, rule validation and editing.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <json-glib/json-glib.h>

#include "civic-html.h"
#include "civic-router.h"
#include "civic-rules.h"
#include "civic-test-util.h"

#define T0 G_GINT64_CONSTANT (1795687200000) /* 2026-11-26 10:00 UTC */
#define MINUTE (60 * 1000)
#define HOST "jun.example"

typedef struct
{
  CivicStore *store;
  gint64 server_id;
  gint64 mayor_id;
  gint64 police_id;
  gint64 sanitation_id;
  gint64 technical_id;
  gint64 unsorted_id;
} Fixture;

static void
bind (Fixture    *f,
      gint64      department_id,
      const char *acct)
{
  g_autoptr(GError) error = NULL;
  gint64 account_id = civic_store_ensure_account (f->store, f->server_id, acct, NULL, NULL, &error);

  g_assert_no_error (error);
  civic_store_bind_department (f->store, department_id, account_id, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->store = civic_store_new (":memory:", &error);
  g_assert_no_error (error);
  f->server_id = civic_store_ensure_server (f->store, "https://" HOST, &error);
  f->mayor_id = civic_store_ensure_department (f->store, "alcaldia", "Alcaldía", NULL, 60, &error);
  f->police_id = civic_store_ensure_department (f->store, "policia", "Policía Local", NULL, 15, &error);
  f->sanitation_id = civic_store_ensure_department (f->store, "limpieza", "Limpieza", NULL, 240, &error);
  f->technical_id = civic_store_ensure_department (f->store, "servicios-tecnicos", "Servicios técnicos",
                                                   NULL, 480, &error);
  g_assert_no_error (error);
  f->unsorted_id = civic_store_get_unsorted_department (f->store);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
}

/* A status as the server sends it: @mentions and @tags NULL-terminated. */
static CivicStatus *
make_status (const char         *html,
             const char         *author_acct,
             const char * const *mentions,
             const char * const *tags)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  CivicStatus *status;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, "1000");
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, "2026-11-26T10:00:00.000Z");
  json_builder_set_member_name (b, "content");
  json_builder_add_string_value (b, html);
  json_builder_set_member_name (b, "account");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, "77");
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, "vecina");
  json_builder_set_member_name (b, "acct");
  json_builder_add_string_value (b, author_acct != NULL ? author_acct : "vecina");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "mentions");
  json_builder_begin_array (b);
  for (guint i = 0; mentions != NULL && mentions[i] != NULL; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, "1");
      json_builder_set_member_name (b, "username");
      json_builder_add_string_value (b, mentions[i]);
      json_builder_set_member_name (b, "acct");
      json_builder_add_string_value (b, mentions[i]);
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, "https://" HOST "/@x");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "tags");
  json_builder_begin_array (b);
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, tags[i]);
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, "https://" HOST "/tags/x");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  data = json_generator_to_data (gen, NULL);

  status = civic_status_new_from_data (data, -1, &error);
  g_assert_no_error (error);
  return status;
}

typedef struct
{
  gint64 department_id;
  CivicPriority priority;
  gint64 due_at_ms;
} Routed;

static Routed
route_full (CivicRouter        *router,
            const char         *html,
            const char         *author,
            const char * const *mentions,
            const char * const *tags,
            const char         *spoiler,
            const char         *receiving)
{
  g_autoptr(CivicStatus) status = make_status (html, author, mentions, tags);
  CivicMentionRecord record;
  Routed out;

  civic_mention_record_init_from_status (&record, status);
  /* The plain text is the ingest path's job. */
  if (record.content_text == NULL)
    record.content_text = civic_html_to_text (status->content);
  record.spoiler_text = spoiler;
  civic_router_route (router, status, HOST, receiving, &record);
  out.department_id = record.department_id;
  out.priority = record.priority;
  out.due_at_ms = record.due_at_ms;
  civic_mention_record_clear (&record);

  return out;
}

static gint64
route (CivicRouter        *router,
       const char         *html,
       const char * const *mentions,
       const char * const *tags)
{
  return route_full (router, html, NULL, mentions, tags, NULL, "ayuntamiento").department_id;
}

static CivicRouter *
new_router (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  CivicRouter *router = civic_router_new (f->store, &error);

  g_assert_no_error (error);
  return router;
}

static void
test_fold (void)
{
  static const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "¡Limpiéza, YA!", " limpieza ya " },
    { "", " " },
    { "  ", " " },
    { "Árbol caído en la C/ Real nº 3", " arbol caido en la c real nº 3 " },
    /* Decomposed input: the combining accent must not split the word. */
    { "Limpie\xcc\x81za", " limpieza " },
    { "🔥🔥🔥", " " },
    { "حريق في السوق", " حريق في السوق " },
    { "Niño ÑANDÚ", " nino nandu " },
    { "a\xff" "b", " a b " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      civic_text_fold (out, cases[i].in, -1);
      g_assert_cmpstr (out->str, ==, cases[i].out);
    }
}

static void
test_department_accounts (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(CivicRouter) router = NULL;
  static const char * const police[] = { "policia", NULL };
  static const char * const remote_police[] = { "policia@" HOST, NULL };
  static const char * const both[] = { "alcaldia", "policia", NULL };
  static const char * const stranger[] = { "policia@otro.example", NULL };

  bind (f, f->mayor_id, "alcaldia");
  bind (f, f->police_id, "policia");
  router = new_router (f);

  g_assert_cmpint (route (router, "<p>@policia ruido</p>", police, NULL), ==, f->police_id);
  /* acct with our own domain is the same account. */
  g_assert_cmpint (route (router, "<p>@policia ruido</p>", remote_police, NULL), ==, f->police_id);
  /* Someone else's "policia" on another server is not ours. */
  g_assert_cmpint (route (router, "<p>@policia ruido</p>", stranger, NULL), ==, f->unsorted_id);

  /* Ties: the first department named in the text wins, whatever the order
   * of the mentions array. */
  g_assert_cmpint (route (router, "<p>@policia @alcaldia hay un coche en la acera</p>", both, NULL),
                   ==, f->police_id);
  g_assert_cmpint (route (router, "<p>@alcaldia y @policia: ruido</p>", both, NULL),
                   ==, f->mayor_id);
  /* "@policia_local" is not "@policia": the array order decides. */
  g_assert_cmpint (route (router, "<p>@policia_local @alcaldia ruido</p>", both, NULL),
                   ==, f->mayor_id);
  /* Neither found in the text: the array order decides. */
  g_assert_cmpint (route (router, "<p>ruido</p>", both, NULL), ==, f->mayor_id);
}

static void
test_rules_order (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CivicRouter) router = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const town[] = { "ayuntamiento", NULL };
  static const char * const limpieza_tag[] = { "Limpieza", NULL };
  gint64 keyword_rule, hashtag_rule;

  /* A single town account, bound to no department: rules decide. */
  civic_store_ensure_account (f->store, f->server_id, "ayuntamiento", NULL, NULL, &error);
  keyword_rule = civic_rules_add (f->store, CIVIC_RULE_KEYWORD, "farola", f->technical_id, &error);
  g_assert_no_error (error);
  hashtag_rule = civic_rules_add (f->store, CIVIC_RULE_HASHTAG, "#limpieza", f->sanitation_id, &error);
  g_assert_no_error (error);
  civic_rules_add (f->store, CIVIC_RULE_REGEX, "calle\\s+real\\s+\\d+", f->police_id, &error);
  g_assert_no_error (error);
  civic_rules_add (f->store, CIVIC_RULE_AUTHOR, "*@otro.example", f->mayor_id, &error);
  g_assert_no_error (error);
  router = new_router (f);

  g_assert_cmpint (route (router, "<p>@ayuntamiento la farola no va</p>", town, NULL), ==, f->technical_id);
  g_assert_cmpint (route (router, "<p>@ayuntamiento basura</p>", town, limpieza_tag), ==, f->sanitation_id);
  g_assert_cmpint (route (router, "<p>@ayuntamiento coches en CALLE  Real 12</p>", town, NULL), ==, f->police_id);
  g_assert_cmpint (route_full (router, "<p>hola</p>", "vecino@otro.example", town, NULL, NULL, NULL).department_id,
                   ==, f->mayor_id);
  g_assert_cmpint (route_full (router, "<p>hola</p>", "vecino", town, NULL, NULL, NULL).department_id,
                   ==, f->unsorted_id);

  /* Both the keyword and the hashtag match: the earlier rule wins... */
  g_assert_cmpint (route (router, "<p>farola #limpieza</p>", town, limpieza_tag), ==, f->technical_id);

  /* ...until the hashtag rule is moved first. */
  g_assert_true (civic_rules_move (f->store, hashtag_rule, 0, &error));
  g_assert_no_error (error);
  g_assert_true (civic_router_refresh (router, &error));
  g_assert_no_error (error);
  g_assert_cmpint (route (router, "<p>farola #limpieza</p>", town, limpieza_tag), ==, f->sanitation_id);

  /* A disabled rule is skipped. */
  g_assert_true (civic_rules_set_enabled (f->store, hashtag_rule, FALSE, &error));
  g_assert_true (civic_router_refresh (router, &error));
  g_assert_cmpint (route (router, "<p>farola #limpieza</p>", town, limpieza_tag), ==, f->technical_id);

  /* A department account named in the text beats every rule. */
  bind (f, f->police_id, "policia");
  g_assert_true (civic_router_refresh (router, &error));
  {
    static const char * const named[] = { "ayuntamiento", "policia", NULL };

    g_assert_cmpint (route (router, "<p>@ayuntamiento @policia la farola</p>", named, NULL), ==, f->police_id);
  }

  /* Removing renumbers; the router follows. */
  g_assert_true (civic_rules_remove (f->store, keyword_rule, &error));
  g_assert_no_error (error);
  g_assert_true (civic_router_refresh (router, &error));
  g_assert_cmpint (route (router, "<p>farola</p>", town, NULL), ==, f->unsorted_id);
}

static void
test_hashtags_and_keywords (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CivicRouter) router = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const accented_tag[] = { "LIMPIÉZA", NULL };
  static const char * const other_tag[] = { "limpiezas", NULL };

  civic_rules_add (f->store, CIVIC_RULE_HASHTAG, "limpieza", f->sanitation_id, &error);
  civic_rules_add (f->store, CIVIC_RULE_KEYWORD, "árbol caído", f->technical_id, &error);
  civic_rules_add (f->store, CIVIC_RULE_KEYWORD, "bache", f->technical_id, &error);
  g_assert_no_error (error);
  router = new_router (f);

  /* Hashtags: case and accents ignored, but the whole tag. */
  g_assert_cmpint (route (router, "<p>x</p>", NULL, accented_tag), ==, f->sanitation_id);
  g_assert_cmpint (route (router, "<p>x</p>", NULL, other_tag), ==, f->unsorted_id);
  /* A hashtag rule looks at the tags, not at words of the text. */
  g_assert_cmpint (route (router, "<p>limpieza</p>", NULL, NULL), ==, f->unsorted_id);

  /* Keywords: whole words or phrases, case and accents ignored. */
  g_assert_cmpint (route (router, "<p>Un ARBOL CAIDO en la plaza</p>", NULL, NULL), ==, f->technical_id);
  g_assert_cmpint (route (router, "<p>un árbol,  caído!</p>", NULL, NULL), ==, f->technical_id);
  g_assert_cmpint (route (router, "<p>Bache.</p>", NULL, NULL), ==, f->technical_id);
  g_assert_cmpint (route (router, "<p>baches por todas partes</p>", NULL, NULL), ==, f->unsorted_id);
  g_assert_cmpint (route (router, "<p>árbol en flor, caído el sol</p>", NULL, NULL), ==, f->unsorted_id);
}

static void
test_unsorted_and_receiving (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(CivicRouter) router = NULL;
  Routed r;

  bind (f, f->sanitation_id, "limpieza");
  router = new_router (f);

  /* Nothing matches: Unsorted, with Unsorted's answer time. */
  r = route_full (router, "<p>hola</p>", NULL, NULL, NULL, NULL, "ayuntamiento");
  g_assert_cmpint (r.department_id, ==, f->unsorted_id);
  g_assert_cmpint (r.due_at_ms, ==, T0 + 1440 * MINUTE);
  r = route_full (router, "<p>hola</p>", NULL, NULL, NULL, NULL, NULL);
  g_assert_cmpint (r.department_id, ==, f->unsorted_id);

  /* Reached us through a department's account without naming it. */
  r = route_full (router, "<p>hola</p>", NULL, NULL, NULL, NULL, "limpieza");
  g_assert_cmpint (r.department_id, ==, f->sanitation_id);
  g_assert_cmpint (r.due_at_ms, ==, T0 + 240 * MINUTE);
}

static void
test_urgent_words (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CivicRouter) router = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) words = NULL;
  static const char * const police[] = { "policia", NULL };
  static const char * const tech[] = { "tecnicos", NULL };
  Routed r;

  bind (f, f->police_id, "policia");
  bind (f, f->technical_id, "tecnicos");
  router = new_router (f);

  r = route_full (router, "<p>@policia ruido de motos</p>", NULL, police, NULL, NULL, NULL);
  g_assert_cmpint (r.department_id, ==, f->police_id);
  g_assert_cmpint (r.priority, ==, CIVIC_PRIORITY_NORMAL);
  g_assert_cmpint (r.due_at_ms, ==, T0 + 15 * MINUTE);

  /* One urgent word: HIGH; two different ones: URGENT. Accents and case
   * ignored, phrases match. */
  r = route_full (router, "<p>@policia ACCIDENTE en la rotonda</p>", NULL, police, NULL, NULL, NULL);
  g_assert_cmpint (r.priority, ==, CIVIC_PRIORITY_HIGH);
  r = route_full (router, "<p>@policia accidente, hay un herido</p>", NULL, police, NULL, NULL, NULL);
  g_assert_cmpint (r.priority, ==, CIVIC_PRIORITY_URGENT);
  r = route_full (router, "<p>@policia huele a gas: Escape de Gas en el portal, agresion</p>",
                  NULL, police, NULL, NULL, NULL);
  g_assert_cmpint (r.priority, ==, CIVIC_PRIORITY_URGENT);
  /* The content warning counts too. */
  r = route_full (router, "<p>@policia mirad</p>", NULL, police, NULL, "Robo", NULL);
  g_assert_cmpint (r.priority, ==, CIVIC_PRIORITY_HIGH);
  /* A word inside a longer one is no match. */
  r = route_full (router, "<p>@policia fuegos artificiales</p>", NULL, police, NULL, NULL, NULL);
  g_assert_cmpint (r.priority, ==, CIVIC_PRIORITY_NORMAL);

  /* A department's own list replaces the defaults. */
  g_assert_true (civic_rules_set_urgent_words (f->store, f->technical_id,
                                               "socavón, Cable suelto\n\n  socavon ,", &error));
  g_assert_no_error (error);
  words = civic_rules_dup_urgent_words (f->store, f->technical_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (words), ==, 2);
  g_assert_cmpstr (words[0], ==, "socavón");
  g_assert_cmpstr (words[1], ==, "Cable suelto");

  g_assert_true (civic_router_refresh (router, &error));
  r = route_full (router, "<p>@tecnicos un socavon en la calle</p>", NULL, tech, NULL, NULL, NULL);
  g_assert_cmpint (r.priority, ==, CIVIC_PRIORITY_HIGH);
  r = route_full (router, "<p>@tecnicos incendio</p>", NULL, tech, NULL, NULL, NULL);
  g_assert_cmpint (r.priority, ==, CIVIC_PRIORITY_NORMAL);

  /* The police keep the defaults, with their own additions. */
  g_clear_pointer (&words, g_strfreev);
  words = civic_rules_dup_urgent_words (f->store, f->police_id, &error);
  g_assert_true (g_strv_contains ((const char * const *) words, "atropello"));
  g_assert_true (g_strv_contains ((const char * const *) words, "accidente"));
}

static void
test_regex_limit (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CivicRouter) router = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autofree char *html = NULL;
  g_autofree char *text = g_strnfill (40, 'a');
  gboolean matched;

  /* The limit applies: catastrophic backtracking fails fast, with an error,
   * rather than running for minutes. */
  regex = civic_rule_compile_regex ("(a+)+$", &error);
  g_assert_no_error (error);
  html = g_strconcat (text, "!", NULL);
  matched = g_regex_match_full (regex, html, -1, 0, 0, NULL, &error);
  g_assert_false (matched);
  g_assert_error (error, G_REGEX_ERROR, G_REGEX_ERROR_MATCH);
  g_clear_error (&error);
  g_clear_pointer (&html, g_free);

  /* In the router such a rule simply does not match, and later rules
   * still apply. */
  civic_rules_add (f->store, CIVIC_RULE_REGEX, "(a+)+$", f->police_id, &error);
  civic_rules_add (f->store, CIVIC_RULE_KEYWORD, "farola", f->technical_id, &error);
  g_assert_no_error (error);
  router = new_router (f);
  html = g_strdup_printf ("<p>farola %s!</p>", text);
  g_assert_cmpint (route (router, html, NULL, NULL), ==, f->technical_id);
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = NULL;

  /* GRegex's own reason reaches the person. */
  g_assert_cmpint (civic_rules_add (f->store, CIVIC_RULE_REGEX, "calle (real", f->police_id, &error), ==, 0);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "missing"));
  g_assert_nonnull (strstr (error->message, "calle (real"));
  g_clear_error (&error);

  g_assert_false (civic_rule_validate (CIVIC_RULE_REGEX, "(*LIMIT_MATCH=99999999)a", &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (civic_rule_validate (CIVIC_RULE_REGEX, "a{2,1}", &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (civic_rule_validate (CIVIC_RULE_HASHTAG, "#dos palabras", &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (civic_rule_validate (CIVIC_RULE_HASHTAG, "#", &error));
  g_clear_error (&error);
  g_assert_false (civic_rule_validate (CIVIC_RULE_KEYWORD, " ¡! ", &error));
  g_clear_error (&error);
  g_assert_false (civic_rule_validate (CIVIC_RULE_KEYWORD, "", &error));
  g_clear_error (&error);
  g_assert_false (civic_rule_validate (CIVIC_RULE_AUTHOR, "ana garcía", &error));
  g_clear_error (&error);
  g_assert_false (civic_rule_validate (CIVIC_RULE_AUTHOR, "user@", &error));
  g_clear_error (&error);
  g_assert_false (civic_rule_validate (CIVIC_RULE_AUTHOR, "*", &error));
  g_clear_error (&error);

  g_assert_true (civic_rule_validate (CIVIC_RULE_AUTHOR, "@vecina@otro.example", NULL));
  g_assert_true (civic_rule_validate (CIVIC_RULE_AUTHOR, "*@otro.example", NULL));
  g_assert_true (civic_rule_validate (CIVIC_RULE_HASHTAG, "#LimpiezaJun_2026", NULL));
  g_assert_true (civic_rule_validate (CIVIC_RULE_REGEX, "\\bc/\\s*real\\b", NULL));

  /* A department that does not exist. */
  g_assert_cmpint (civic_rules_add (f->store, CIVIC_RULE_KEYWORD, "x", 9999, &error), ==, 0);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Nothing refused was stored; what was stored is normalised. */
  civic_rules_add (f->store, CIVIC_RULE_HASHTAG, "  #Limpieza ", f->sanitation_id, &error);
  civic_rules_add (f->store, CIVIC_RULE_AUTHOR, "@vecina", f->mayor_id, &error);
  g_assert_no_error (error);
  rules = civic_rules_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rules->len, ==, 2);
  g_assert_cmpstr (((CivicRule *) rules->pdata[0])->pattern, ==, "Limpieza");
  g_assert_cmpint (((CivicRule *) rules->pdata[0])->kind, ==, CIVIC_RULE_HASHTAG);
  g_assert_cmpstr (((CivicRule *) rules->pdata[1])->pattern, ==, "vecina");

  /* Updating validates too and keeps the old rule on refusal. */
  g_assert_false (civic_rules_update (f->store, ((CivicRule *) rules->pdata[0])->id,
                                      CIVIC_RULE_REGEX, "[", f->sanitation_id, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (civic_rules_remove (f->store, 424242, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND);
}

static void
test_crud_positions (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  gint64 a, b, c, d;

  a = civic_rules_add (f->store, CIVIC_RULE_KEYWORD, "a", f->mayor_id, &error);
  b = civic_rules_add (f->store, CIVIC_RULE_KEYWORD, "b", f->mayor_id, &error);
  c = civic_rules_add (f->store, CIVIC_RULE_KEYWORD, "c", f->mayor_id, &error);
  d = civic_rules_add (f->store, CIVIC_RULE_KEYWORD, "d", f->mayor_id, &error);
  g_assert_no_error (error);

  civic_rules_move (f->store, d, 1, &error);         /* a d b c */
  civic_rules_move (f->store, a, 100, &error);       /* d b c a */
  civic_rules_remove (f->store, b, &error);          /* d c a */
  civic_rules_update (f->store, c, CIVIC_RULE_HASHTAG, "#c", f->police_id, &error);
  g_assert_no_error (error);

  rules = civic_rules_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rules->len, ==, 3);
  g_assert_cmpint (((CivicRule *) rules->pdata[0])->id, ==, d);
  g_assert_cmpint (((CivicRule *) rules->pdata[1])->id, ==, c);
  g_assert_cmpint (((CivicRule *) rules->pdata[1])->kind, ==, CIVIC_RULE_HASHTAG);
  g_assert_cmpint (((CivicRule *) rules->pdata[1])->department_id, ==, f->police_id);
  g_assert_cmpint (((CivicRule *) rules->pdata[2])->id, ==, a);
  for (guint i = 0; i < rules->len; i++)
    g_assert_cmpuint (((CivicRule *) rules->pdata[i])->position, ==, i);
}

static void
test_odd_text (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CivicRouter) router = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) long_text = g_string_new ("<p>");
  Routed r;

  civic_rules_add (f->store, CIVIC_RULE_KEYWORD, "حريق", f->police_id, &error);
  civic_rules_add (f->store, CIVIC_RULE_REGEX, "fin$", f->technical_id, &error);
  g_assert_no_error (error);
  router = new_router (f);

  /* No text, only emoji: routed, not lost. */
  g_assert_cmpint (route (router, "", NULL, NULL), ==, f->unsorted_id);
  g_assert_cmpint (route (router, "<p>🔥🚒🔥</p>", NULL, NULL), ==, f->unsorted_id);
  /* Right-to-left script. */
  g_assert_cmpint (route (router, "<p>يوجد حريق في السوق</p>", NULL, NULL), ==, f->police_id);

  /* 10,000 characters, urgent words far in: still found; the regex only
   * sees the first CIVIC_RULE_REGEX_MAX_INPUT bytes. */
  for (guint i = 0; i < 2100; i++)
    g_string_append (long_text, "ñandú ");
  g_string_append (long_text, "incendio fin</p>");
  g_assert_cmpuint (g_utf8_strlen (long_text->str, -1), >, 10000);
  r = route_full (router, long_text->str, NULL, NULL, NULL, NULL, NULL);
  g_assert_cmpint (r.department_id, ==, f->unsorted_id);
  g_assert_cmpint (r.priority, ==, CIVIC_PRIORITY_HIGH);
}

static void
test_priority_effective (void)
{
  gint64 created = T0;
  gint64 due = T0 + 60 * MINUTE;

  g_assert_cmpint (civic_priority_effective (CIVIC_PRIORITY_NORMAL, created, due, T0), ==, CIVIC_PRIORITY_NORMAL);
  g_assert_cmpint (civic_priority_effective (CIVIC_PRIORITY_LOW, created, due, T0 + 44 * MINUTE), ==,
                   CIVIC_PRIORITY_LOW);
  /* Last quarter of the hour: at least HIGH. */
  g_assert_cmpint (civic_priority_effective (CIVIC_PRIORITY_NORMAL, created, due, T0 + 45 * MINUTE), ==,
                   CIVIC_PRIORITY_HIGH);
  g_assert_cmpint (civic_priority_effective (CIVIC_PRIORITY_URGENT, created, due, T0 + 50 * MINUTE), ==,
                   CIVIC_PRIORITY_URGENT);
  g_assert_cmpint (civic_priority_effective (CIVIC_PRIORITY_NORMAL, created, due, due), ==, CIVIC_PRIORITY_HIGH);
  /* Overdue: URGENT. */
  g_assert_cmpint (civic_priority_effective (CIVIC_PRIORITY_LOW, created, due, due + 1), ==, CIVIC_PRIORITY_URGENT);
}

static void
test_route_rate (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CivicRouter) router = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStatus) status = NULL;
  static const char * const town[] = { "ayuntamiento", NULL };
  static const char * const tags[] = { "Jun", "vecinos", NULL };
  CivicMentionRecord record;
  gint64 start, elapsed;
  guint n = 20000;

  /* A realistic rule set: a dozen keywords, hashtags, two regexes. */
  static const char * const keywords[] = { "farola", "bache", "acera", "semáforo", "contenedor",
                                           "basura", "ruido", "aparcamiento", "parque", "fuente",
                                           "escuela", "comedor", NULL };
  for (guint i = 0; keywords[i] != NULL; i++)
    civic_rules_add (f->store, CIVIC_RULE_KEYWORD, keywords[i], f->technical_id, &error);
  civic_rules_add (f->store, CIVIC_RULE_HASHTAG, "limpieza", f->sanitation_id, &error);
  civic_rules_add (f->store, CIVIC_RULE_REGEX, "c(alle)?/?\\s+mayor\\s+\\d+", f->police_id, &error);
  civic_rules_add (f->store, CIVIC_RULE_REGEX, "\\b(\\d{5})\\b", f->mayor_id, &error);
  g_assert_no_error (error);
  router = new_router (f);

  status = make_status ("<p><span class=\"h-card\"><a href=\"https://jun.example/@ayuntamiento\">@"
                        "<span>ayuntamiento</span></a></span> Buenos días, quería comentar que en la "
                        "calle Real, a la altura del número 14, lleva tres días sin recogerse la "
                        "basura orgánica y empieza a oler bastante mal. Los vecinos del bloque ya lo "
                        "hemos comentado varias veces. ¿Podrían pasar? Gracias 🙏 "
                        "<a href=\"https://jun.example/tags/Jun\">#Jun</a></p>",
                        NULL, town, tags);
  civic_mention_record_init_from_status (&record, status);
  if (record.content_text == NULL)
    record.content_text = civic_html_to_text (status->content);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    civic_router_route (router, status, HOST, "ayuntamiento", &record);
  elapsed = MAX (g_get_monotonic_time () - start, 1);
  g_assert_cmpint (record.department_id, ==, f->technical_id);
  civic_mention_record_clear (&record);

  /* Informative only (timed tests are flaky); the ingest benchmark holds
   * the target. */
  g_test_message ("routed %u mentions in %.1f ms: %.0f mentions/s", n, elapsed / 1000.0,
                  n * 1e6 / elapsed);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/rules/fold", test_fold);
  g_test_add_func ("/rules/priority-effective", test_priority_effective);
  ADD ("/rules/validation", test_validation);
  ADD ("/rules/crud-positions", test_crud_positions);
  ADD ("/router/department-accounts", test_department_accounts);
  ADD ("/router/rules-order", test_rules_order);
  ADD ("/router/hashtags-and-keywords", test_hashtags_and_keywords);
  ADD ("/router/unsorted-and-receiving", test_unsorted_and_receiving);
  ADD ("/router/urgent-words", test_urgent_words);
  ADD ("/router/regex-limit", test_regex_limit);
  ADD ("/router/odd-text", test_odd_text);
  ADD ("/router/rate", test_route_rate);

#undef ADD

  return g_test_run ();
}
