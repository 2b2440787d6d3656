/* civic-rules.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <string.h>

#include "civic-rules.h"
#include "civic-store-private.h"

/* A pathological pattern such as (a+)+$ backtracks exponentially: PCRE2's
 * in-pattern limit (GLib 2.74 has no per-call one) makes it fail in about a
 * millisecond instead of a hundred. Patterns may only lower it, and we
 * refuse patterns that start with their own (*VERBS), so it holds. */
#define REGEX_LIMIT "(*LIMIT_MATCH=100000)"

static const char * const rule_kind_names[] = {
  [CIVIC_RULE_HASHTAG] = "hashtag",
  [CIVIC_RULE_KEYWORD] = "keyword",
  [CIVIC_RULE_REGEX] = "regex",
  [CIVIC_RULE_AUTHOR] = "author",
};

/* Spanish, as citizens of Jun write. Every department gets the general
 * words; some add their own. */
#define GENERAL_URGENT_WORDS \
  "accidente", "herido", "herida", "heridos", "fuego", "incendio", "humo", \
  "robo", "agresión", "urgente", "urgencia", "socorro", "atrapado", "atrapada", \
  "inundación", "escape de gas", "olor a gas"

static const char * const general_words[] = { GENERAL_URGENT_WORDS, NULL };
static const char * const police_words[] = {
  GENERAL_URGENT_WORDS, "atropello", "pelea", "violencia", "amenaza", "arma", "navaja",
  "ladrón", "desaparecido", "desaparecida", NULL
};
static const char * const sanitation_words[] = {
  GENERAL_URGENT_WORDS, "jeringuilla", "vertido", "derrame", "animal muerto", NULL
};
static const char * const technical_words[] = {
  GENERAL_URGENT_WORDS, "cable suelto", "socavón", "derrumbe", "árbol caído", "fuga de agua",
  "semáforo apagado", NULL
};
static const char * const canteen_words[] = {
  GENERAL_URGENT_WORDS, "alergia", "alérgico", "alérgica", "intoxicación", "anafilaxia", NULL
};
static const char * const health_words[] = {
  GENERAL_URGENT_WORDS, "dolor de pecho", "desmayo", "inconsciente", "no respira", "infarto",
  "ictus", NULL
};

static const struct
{
  const char *slug;
  const char * const *words;
} default_words[] = {
  { "policia", police_words },
  { "policia-local", police_words },
  { "limpieza", sanitation_words },
  { "servicios-tecnicos", technical_words },
  { "tecnicos", technical_words },
  { "comedor", canteen_words },
  { "comedor-escolar", canteen_words },
  { "salud", health_words },
  { "centro-salud", health_words },
  { "centro-de-salud", health_words },
};

const char *
civic_rule_kind_to_string (CivicRuleKind kind)
{
  g_return_val_if_fail (kind <= CIVIC_RULE_AUTHOR, NULL);

  return rule_kind_names[kind];
}

gboolean
civic_rule_kind_from_string (const char    *str,
                             CivicRuleKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (rule_kind_names); i++)
    if (g_str_equal (str, rule_kind_names[i]))
      {
        *kind = (CivicRuleKind) i;
        return TRUE;
      }

  return FALSE;
}

void
civic_rule_free (CivicRule *rule)
{
  if (rule == NULL)
    return;

  g_free (rule->pattern);
  g_free (rule);
}

static inline void
fold_separator (GString  *out,
                gboolean *space)
{
  if (!*space)
    {
      g_string_append_c (out, ' ');
      *space = TRUE;
    }
}

void
civic_text_fold (GString    *out,
                 const char *text,
                 gssize      length)
{
  const char *p = text;
  const char *end;
  gboolean space;

  g_return_if_fail (out != NULL);

  if (text == NULL)
    text = p = "";
  end = length < 0 ? p + strlen (p) : p + length;
  space = out->len > 0 && out->str[out->len - 1] == ' ';
  fold_separator (out, &space);

  while (p < end)
    {
      guchar c = (guchar) *p;
      gunichar u;
      gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
      gsize n;

      /* Most of what citizens write is ASCII: keep that path short. */
      if (c < 0x80)
        {
          if (g_ascii_isalnum (c))
            {
              g_string_append_c (out, g_ascii_tolower (c));
              space = FALSE;
            }
          else
            fold_separator (out, &space);
          p++;
          continue;
        }

      u = g_utf8_get_char_validated (p, end - p);
      if (u == (gunichar) -1 || u == (gunichar) -2)
        {
          fold_separator (out, &space);
          p++;
          continue;
        }
      p = g_utf8_next_char (p);

      /* Combining accents of already decomposed text vanish; they must not
       * split a word. */
      if (g_unichar_ismark (u))
        continue;
      if (!g_unichar_isalnum (u))
        {
          fold_separator (out, &space);
          continue;
        }

      n = g_unichar_fully_decompose (u, FALSE, decomposed, G_N_ELEMENTS (decomposed));
      g_string_append_unichar (out, g_unichar_tolower (n > 0 ? decomposed[0] : u));
      space = FALSE;
    }

  fold_separator (out, &space);
}

static gboolean
fold_is_empty (const char *text)
{
  g_autoptr(GString) folded = g_string_new (NULL);

  civic_text_fold (folded, text, -1);
  return folded->len <= 1;
}

GRegex *
civic_rule_compile_regex (const char  *pattern,
                          GError     **error)
{
  g_autofree char *limited = NULL;

  g_return_val_if_fail (pattern != NULL, NULL);

  limited = g_strconcat (REGEX_LIMIT, pattern, NULL);
  return g_regex_new (limited, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, error);
}

static gboolean
is_acct_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '.' || c == '-';
}

static gboolean
validate_author (const char  *pattern,
                 GError     **error)
{
  const char *p = pattern[0] == '@' ? pattern + 1 : pattern;
  const char *at = strchr (p, '@');
  const char *user_end = at != NULL ? at : p + strlen (p);
  gboolean wildcard = user_end - p == 1 && p[0] == '*';

  if (user_end == p || (wildcard && at == NULL))
    goto invalid;

  for (const char *c = p; c < user_end && !wildcard; c++)
    if (!is_acct_char (*c))
      goto invalid;

  if (at != NULL)
    {
      if (at[1] == '\0')
        goto invalid;
      for (const char *c = at + 1; *c != '\0'; c++)
        if (!is_acct_char (*c) && *c != ':')
          goto invalid;
    }

  return TRUE;

invalid:
  g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
               _("“%s” is not an account: write user, user@server or *@server"), pattern);
  return FALSE;
}

gboolean
civic_rule_validate (CivicRuleKind   kind,
                     const char     *pattern,
                     GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GRegex) regex = NULL;

  g_return_val_if_fail (kind <= CIVIC_RULE_AUTHOR, FALSE);

  if (pattern == NULL || *pattern == '\0' || g_utf8_strlen (pattern, -1) > 1000 ||
      !g_utf8_validate (pattern, -1, NULL))
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   _("A rule needs a pattern of 1 to 1,000 characters"));
      return FALSE;
    }

  switch (kind)
    {
    case CIVIC_RULE_HASHTAG:
      {
        const char *p = pattern[0] == '#' ? pattern + 1 : pattern;

        if (*p == '\0')
          goto empty;
        for (; *p != '\0'; p = g_utf8_next_char (p))
          {
            gunichar u = g_utf8_get_char (p);

            if (!g_unichar_isalnum (u) && u != '_' && !g_unichar_ismark (u))
              {
                g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                             _("“%s” is not a hashtag: use letters, digits and _ only"), pattern);
                return FALSE;
              }
          }
        return TRUE;
      }

    case CIVIC_RULE_KEYWORD:
      if (fold_is_empty (pattern))
        goto empty;
      return TRUE;

    case CIVIC_RULE_REGEX:
      if (g_str_has_prefix (pattern, "(*"))
        {
          g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                       _("The regular expression cannot start with “(*”: the desk sets the "
                         "matching limits itself"));
          return FALSE;
        }
      /* Compiled as typed, so GRegex's character position is the one the
       * person sees. */
      regex = g_regex_new (pattern, G_REGEX_CASELESS, 0, &local_error);
      if (regex == NULL)
        {
          g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                       _("The regular expression is not valid: %s"), local_error->message);
          return FALSE;
        }
      return TRUE;

    case CIVIC_RULE_AUTHOR:
      return validate_author (pattern, error);

    default:
      g_assert_not_reached ();
    }

empty:
  g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
               _("“%s” has no letters or digits to look for"), pattern);
  return FALSE;
}

/* What is stored: trimmed, without the # or @ people type by habit. */
static char *
normalize_pattern (CivicRuleKind  kind,
                   const char    *pattern)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (pattern));

  if (kind == CIVIC_RULE_HASHTAG && trimmed[0] == '#')
    return g_strdup (trimmed + 1);
  if (kind == CIVIC_RULE_AUTHOR && trimmed[0] == '@')
    return g_strdup (trimmed + 1);

  return g_steal_pointer (&trimmed);
}

static gboolean
check_department (CivicStore  *store,
                  gint64       department_id,
                  GError     **error)
{
  sqlite3_stmt *stmt = _civic_store_prepare (store, "SELECT 1 FROM departments WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, department_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return _civic_store_fail (store, rc, _("Could not read the departments"), error);

  g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
               _("There is no department %lld"), (long long) department_id);
  return FALSE;
}

static gboolean
step_done (CivicStore    *store,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _civic_store_fail (store, rc, what, error);

  return TRUE;
}

static gboolean
no_such_rule (gint64   rule_id,
              GError **error)
{
  g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
               _("There is no routing rule %lld"), (long long) rule_id);
  return FALSE;
}

gint64
civic_rules_add (CivicStore     *store,
                 CivicRuleKind   kind,
                 const char     *pattern,
                 gint64          department_id,
                 GError        **error)
{
  g_autofree char *normalized = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), 0);

  if (pattern != NULL)
    normalized = normalize_pattern (kind, pattern);
  if (!civic_rule_validate (kind, normalized, error) ||
      !check_department (store, department_id, error))
    return 0;

  stmt = _civic_store_prepare (store,
                               "INSERT INTO routing_rules (position, kind, pattern, department_id) "
                               "VALUES ((SELECT coalesce(max(position) + 1, 0) FROM routing_rules),"
                               "        ?1, ?2, ?3) RETURNING id",
                               error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, civic_rule_kind_to_string (kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, normalized, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, department_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (id == 0)
    {
      _civic_store_fail (store, rc, _("Could not save the rule"), error);
      return 0;
    }

  _civic_store_mark_changed (store);
  return id;
}

gboolean
civic_rules_update (CivicStore     *store,
                    gint64          rule_id,
                    CivicRuleKind   kind,
                    const char     *pattern,
                    gint64          department_id,
                    GError        **error)
{
  g_autofree char *normalized = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);

  if (pattern != NULL)
    normalized = normalize_pattern (kind, pattern);
  if (!civic_rule_validate (kind, normalized, error) ||
      !check_department (store, department_id, error))
    return FALSE;

  stmt = _civic_store_prepare (store,
                               "UPDATE routing_rules SET kind = ?2, pattern = ?3, department_id = ?4 "
                               "WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, rule_id);
  sqlite3_bind_text (stmt, 2, civic_rule_kind_to_string (kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, normalized, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, department_id);
  if (!step_done (store, stmt, _("Could not save the rule"), error))
    return FALSE;
  if (sqlite3_changes (_civic_store_get_db (store)) == 0)
    return no_such_rule (rule_id, error);

  _civic_store_mark_changed (store);
  return TRUE;
}

gboolean
civic_rules_set_enabled (CivicStore  *store,
                         gint64       rule_id,
                         gboolean     enabled,
                         GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);

  stmt = _civic_store_prepare (store, "UPDATE routing_rules SET enabled = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, rule_id);
  sqlite3_bind_int (stmt, 2, enabled ? 1 : 0);
  if (!step_done (store, stmt, _("Could not save the rule"), error))
    return FALSE;
  if (sqlite3_changes (_civic_store_get_db (store)) == 0)
    return no_such_rule (rule_id, error);

  _civic_store_mark_changed (store);
  return TRUE;
}

/* Rewrites positions as 0, 1, 2… in the order of @ids. */
static gboolean
write_positions (CivicStore  *store,
                 GArray      *ids,
                 GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _civic_store_prepare (store,
                               "UPDATE routing_rules SET position = ?2 "
                               "WHERE id = ?1 AND position IS NOT ?2",
                               error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      sqlite3_bind_int (stmt, 2, (int) i);
      if (!step_done (store, stmt, _("Could not reorder the rules"), error))
        return FALSE;
    }

  return TRUE;
}

static GArray *
list_rule_ids (CivicStore  *store,
               GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  stmt = _civic_store_prepare (store, "SELECT id FROM routing_rules ORDER BY position, id", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _civic_store_fail (store, rc, _("Could not read the rules"), error);
      return NULL;
    }

  return g_steal_pointer (&ids);
}

static guint
find_id (GArray *ids,
         gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return i;

  return G_MAXUINT;
}

gboolean
civic_rules_remove (CivicStore  *store,
                    gint64       rule_id,
                    GError     **error)
{
  g_autoptr(GArray) ids = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);

  if (!civic_store_begin (store, error))
    return FALSE;

  stmt = _civic_store_prepare (store, "DELETE FROM routing_rules WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, rule_id);
  if (!step_done (store, stmt, _("Could not remove the rule"), error))
    goto fail;
  if (sqlite3_changes (_civic_store_get_db (store)) == 0)
    {
      no_such_rule (rule_id, error);
      goto fail;
    }

  ids = list_rule_ids (store, error);
  if (ids == NULL || !write_positions (store, ids, error))
    goto fail;

  _civic_store_mark_changed (store);
  return civic_store_commit (store, error);

fail:
  civic_store_rollback (store);
  return FALSE;
}

gboolean
civic_rules_move (CivicStore  *store,
                  gint64       rule_id,
                  guint        position,
                  GError     **error)
{
  g_autoptr(GArray) ids = NULL;
  guint from;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);

  if (!civic_store_begin (store, error))
    return FALSE;

  ids = list_rule_ids (store, error);
  if (ids == NULL)
    goto fail;

  from = find_id (ids, rule_id);
  if (from == G_MAXUINT)
    {
      no_such_rule (rule_id, error);
      goto fail;
    }

  g_array_remove_index (ids, from);
  g_array_insert_val (ids, MIN (position, ids->len), rule_id);
  if (!write_positions (store, ids, error))
    goto fail;

  _civic_store_mark_changed (store);
  return civic_store_commit (store, error);

fail:
  civic_store_rollback (store);
  return FALSE;
}

GPtrArray *
civic_rules_list (CivicStore  *store,
                  GError     **error)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify) civic_rule_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);

  stmt = _civic_store_prepare (store,
                               "SELECT id, kind, pattern, department_id, enabled FROM routing_rules "
                               "ORDER BY position, id",
                               error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CivicRule *rule = g_new0 (CivicRule, 1);

      rule->id = sqlite3_column_int64 (stmt, 0);
      rule->position = rules->len;
      civic_rule_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &rule->kind);
      rule->pattern = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      rule->department_id = sqlite3_column_int64 (stmt, 3);
      rule->enabled = sqlite3_column_int (stmt, 4) != 0;
      g_ptr_array_add (rules, rule);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _civic_store_fail (store, rc, _("Could not read the rules"), error);
      return NULL;
    }

  return g_steal_pointer (&rules);
}

/**
 * civic_urgent_words_parse:
 *
 * Returns: (transfer full): the words or phrases of @text (separated by
 * commas, semicolons or newlines), trimmed, without empties or repeats
 * (repeats compared as the router compares: case and accents ignored).
 */
char **
civic_urgent_words_parse (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) parts = NULL;

  if (text == NULL)
    text = "";

  parts = g_strsplit_set (text, ",;\n", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      GString *folded = g_string_new (NULL);
      char *word = g_strstrip (parts[i]);

      civic_text_fold (folded, word, -1);
      if (folded->len > 1 && !g_hash_table_contains (seen, folded->str))
        {
          g_strv_builder_add (builder, word);
          g_hash_table_add (seen, g_string_free (folded, FALSE));
        }
      else
        g_string_free (folded, TRUE);
    }

  return g_strv_builder_end (builder);
}

const char * const *
civic_urgent_words_get_defaults (const char *slug)
{
  for (guint i = 0; slug != NULL && i < G_N_ELEMENTS (default_words); i++)
    if (g_str_equal (slug, default_words[i].slug))
      return default_words[i].words;

  return general_words;
}

gboolean
civic_rules_set_urgent_words (CivicStore  *store,
                              gint64       department_id,
                              const char  *words,
                              GError     **error)
{
  g_auto(GStrv) parsed = NULL;
  g_autofree char *joined = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);

  /* Stored one per line, cleaned, so what the preferences show back is
   * what the router uses. */
  parsed = civic_urgent_words_parse (words);
  joined = g_strjoinv ("\n", parsed);

  stmt = _civic_store_prepare (store, "UPDATE departments SET urgent_words = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, department_id);
  sqlite3_bind_text (stmt, 2, joined, -1, SQLITE_STATIC);
  if (!step_done (store, stmt, _("Could not save the urgent words"), error))
    return FALSE;
  if (sqlite3_changes (_civic_store_get_db (store)) == 0)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                   _("There is no department %lld"), (long long) department_id);
      return FALSE;
    }

  _civic_store_mark_changed (store);
  return TRUE;
}

char **
civic_rules_dup_urgent_words (CivicStore  *store,
                              gint64       department_id,
                              GError     **error)
{
  g_auto(GStrv) words = NULL;
  g_autofree char *slug = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);

  stmt = _civic_store_prepare (store, "SELECT slug, urgent_words FROM departments WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, department_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      slug = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      words = civic_urgent_words_parse ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                   _("There is no department %lld"), (long long) department_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _civic_store_fail (store, rc, _("Could not read the urgent words"), error);
      return NULL;
    }

  if (words[0] == NULL)
    return g_strdupv ((char **) civic_urgent_words_get_defaults (slug));

  return g_steal_pointer (&words);
}

CivicPriority
civic_priority_effective (CivicPriority stored,
                          gint64        created_at_ms,
                          gint64        due_at_ms,
                          gint64        now_ms)
{
  if (due_at_ms < now_ms)
    return CIVIC_PRIORITY_URGENT;

  if ((due_at_ms - now_ms) * 4 <= due_at_ms - created_at_ms)
    return MAX (stored, CIVIC_PRIORITY_HIGH);

  return stored;
}
