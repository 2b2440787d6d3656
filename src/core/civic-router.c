/* civic-router.c
 *
 * Routing runs for every incoming mention (tens of thousands a second
 * during a backfill), so everything is prepared at reload: accounts, folded
 * keywords and urgent words, compiled regular expressions. Routing a
 * mention folds its text once and makes no query and no allocation beyond
 * the folded tags.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <string.h>

#include "civic-router.h"
#include "civic-rules.h"
#include "civic-store-private.h"

typedef struct
{
  gint64 id;
  char *acct;          /* the department account's acct, NULL when not bound */
  guint sla_minutes;
  GPtrArray *urgent;   /* owned: folded words, " word " */
} Department;

typedef struct
{
  CivicRuleKind kind;
  guint department;    /* index in departments */
  char *text;          /* owned: folded hashtag or keyword, or the author acct */
  GRegex *regex;       /* owned, regex rules only */
} Rule;

struct _CivicRouter
{
  GObject parent_instance;

  CivicStore *store;     /* owned */
  GArray *departments;   /* owned: Department */
  GArray *rules;         /* owned: Rule, enabled ones, in order */
  guint unsorted;        /* index in departments */
  guint8 digest[32];     /* of what the last reload read */
  gboolean loaded;

  /* Scratch, reused from mention to mention. */
  GString *folded;
  GString *tag;
};

G_DEFINE_FINAL_TYPE (CivicRouter, civic_router, G_TYPE_OBJECT)

static void
department_clear (gpointer data)
{
  Department *d = data;

  g_free (d->acct);
  g_clear_pointer (&d->urgent, g_ptr_array_unref);
}

static void
rule_clear (gpointer data)
{
  Rule *r = data;

  g_free (r->text);
  g_clear_pointer (&r->regex, g_regex_unref);
}

static void
civic_router_dispose (GObject *object)
{
  CivicRouter *self = (CivicRouter *) object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (civic_router_parent_class)->dispose (object);
}

static void
civic_router_finalize (GObject *object)
{
  CivicRouter *self = (CivicRouter *) object;

  g_clear_pointer (&self->departments, g_array_unref);
  g_clear_pointer (&self->rules, g_array_unref);
  g_string_free (self->folded, TRUE);
  g_string_free (self->tag, TRUE);

  G_OBJECT_CLASS (civic_router_parent_class)->finalize (object);
}

static void
civic_router_class_init (CivicRouterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = civic_router_dispose;
  object_class->finalize = civic_router_finalize;
}

static void
civic_router_init (CivicRouter *self)
{
  self->departments = g_array_new (FALSE, TRUE, sizeof (Department));
  g_array_set_clear_func (self->departments, department_clear);
  self->rules = g_array_new (FALSE, TRUE, sizeof (Rule));
  g_array_set_clear_func (self->rules, rule_clear);
  self->folded = g_string_sized_new (1024);
  self->tag = g_string_sized_new (64);
}

static char *
fold (const char *text)
{
  GString *out = g_string_new (NULL);

  civic_text_fold (out, text, -1);
  return g_string_free (out, FALSE);
}

static GPtrArray *
fold_urgent_words (const char *slug,
                   const char *stored)
{
  GPtrArray *folded = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) words = civic_urgent_words_parse (stored);
  const char * const *list = (const char * const *) words;

  if (list[0] == NULL)
    list = civic_urgent_words_get_defaults (slug);
  for (guint i = 0; list[i] != NULL; i++)
    g_ptr_array_add (folded, fold (list[i]));

  return folded;
}

static void
checksum_column (GChecksum    *checksum,
                 sqlite3_stmt *stmt,
                 int           column)
{
  const guchar *text = sqlite3_column_text (stmt, column);

  /* NUL included: separates fields, and NULL differs from "". */
  if (text != NULL)
    g_checksum_update (checksum, text, strlen ((const char *) text) + 1);
  else
    g_checksum_update (checksum, (const guchar *) "\x01", 1);
}

static guint
find_department (GArray *departments,
                 gint64  id)
{
  for (guint i = 0; i < departments->len; i++)
    if (g_array_index (departments, Department, i).id == id)
      return i;

  return G_MAXUINT;
}

static gboolean
load (CivicRouter  *self,
      gboolean      force,
      GError      **error)
{
  g_autoptr(GArray) departments = NULL;
  g_autoptr(GArray) rules = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  guint unsorted = G_MAXUINT;
  gboolean build = force || !self->loaded;
  sqlite3_stmt *stmt;
  int rc;

  /* Read everything once, hashing it as it comes; compile only when it
   * differs from the last time. */
  stmt = _civic_store_prepare (self->store,
                               "SELECT d.id, a.acct, d.sla_minutes, d.slug, d.urgent_words "
                               "FROM departments d LEFT JOIN accounts a ON a.id = d.account_id "
                               "ORDER BY d.position, d.id",
                               error);
  if (stmt == NULL)
    return FALSE;

  departments = g_array_new (FALSE, TRUE, sizeof (Department));
  g_array_set_clear_func (departments, department_clear);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *slug = (const char *) sqlite3_column_text (stmt, 3);
      Department d = {
        .id = sqlite3_column_int64 (stmt, 0),
        .acct = g_strdup ((const char *) sqlite3_column_text (stmt, 1)),
        .sla_minutes = (guint) sqlite3_column_int (stmt, 2),
      };

      for (int c = 0; c < 5; c++)
        checksum_column (checksum, stmt, c);
      if (build)
        d.urgent = fold_urgent_words (slug, (const char *) sqlite3_column_text (stmt, 4));
      if (g_strcmp0 (slug, CIVIC_DEPARTMENT_UNSORTED) == 0)
        unsorted = departments->len;
      g_array_append_val (departments, d);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _civic_store_fail (self->store, rc, _("Could not read the departments"), error);

  if (unsorted == G_MAXUINT)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_CORRUPT,
                   _("The database has lost its “Unsorted” department"));
      return FALSE;
    }

  g_checksum_update (checksum, (const guchar *) "\x02rules", 7);
  stmt = _civic_store_prepare (self->store,
                               "SELECT kind, pattern, department_id FROM routing_rules "
                               "WHERE enabled ORDER BY position, id",
                               error);
  if (stmt == NULL)
    return FALSE;

  rules = g_array_new (FALSE, TRUE, sizeof (Rule));
  g_array_set_clear_func (rules, rule_clear);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind_name = (const char *) sqlite3_column_text (stmt, 0);
      const char *pattern = (const char *) sqlite3_column_text (stmt, 1);
      g_autoptr(GError) local_error = NULL;
      Rule r = { 0 };

      for (int c = 0; c < 3; c++)
        checksum_column (checksum, stmt, c);
      if (!build)
        continue;

      r.department = find_department (departments, sqlite3_column_int64 (stmt, 2));
      if (!civic_rule_kind_from_string (kind_name, &r.kind) || pattern == NULL ||
          r.department == G_MAXUINT)
        continue;

      switch (r.kind)
        {
        case CIVIC_RULE_HASHTAG:
        case CIVIC_RULE_KEYWORD:
          r.text = fold (pattern);
          if (strlen (r.text) <= 1)
            {
              rule_clear (&r);
              continue;
            }
          break;
        case CIVIC_RULE_AUTHOR:
          r.text = g_strdup (pattern[0] == '@' ? pattern + 1 : pattern);
          break;
        case CIVIC_RULE_REGEX:
          /* Saving validates; a rule that still does not compile (written by
           * hand, or by another version) is skipped, never fatal. */
          r.regex = civic_rule_compile_regex (pattern, &local_error);
          if (r.regex == NULL)
            {
              g_debug ("Skipping routing rule /%s/: %s", pattern, local_error->message);
              continue;
            }
          break;
        default:
          continue;
        }

      g_array_append_val (rules, r);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _civic_store_fail (self->store, rc, _("Could not read the routing rules"), error);

  g_checksum_get_digest (checksum, digest, &digest_len);
  if (!build)
    {
      /* A refresh only hashed; build for real if something changed. */
      if (memcmp (digest, self->digest, sizeof digest) == 0)
        return TRUE;
      return load (self, TRUE, error);
    }

  memcpy (self->digest, digest, sizeof digest);
  g_array_unref (self->departments);
  self->departments = g_steal_pointer (&departments);
  g_array_unref (self->rules);
  self->rules = g_steal_pointer (&rules);
  self->unsorted = unsorted;
  self->loaded = TRUE;

  return TRUE;
}

/**
 * civic_router_reload:
 *
 * Reads departments, accounts, urgent words and rules again and recompiles.
 * On failure the previous tables stay in force.
 */
gboolean
civic_router_reload (CivicRouter  *self,
                     GError      **error)
{
  g_return_val_if_fail (CIVIC_IS_ROUTER (self), FALSE);

  return load (self, TRUE, error);
}

gboolean
civic_router_refresh (CivicRouter  *self,
                      GError      **error)
{
  g_return_val_if_fail (CIVIC_IS_ROUTER (self), FALSE);

  return load (self, FALSE, error);
}

CivicRouter *
civic_router_new (CivicStore  *store,
                  GError     **error)
{
  g_autoptr(CivicRouter) self = NULL;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);

  self = g_object_new (CIVIC_TYPE_ROUTER, NULL);
  self->store = g_object_ref (store);

  if (!civic_router_reload (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* "user" and "user@host" name the same local account when host is ours;
 * "*@host" in @pattern names everyone on host. */
static gboolean
same_account (const char *pattern,
              const char *acct,
              const char *server_host)
{
  gsize a_len = strcspn (pattern, "@");
  gsize b_len = strcspn (acct, "@");
  const char *a_host = pattern[a_len] == '@' ? pattern + a_len + 1 : server_host;
  const char *b_host = acct[b_len] == '@' ? acct + b_len + 1 : server_host;

  if (a_len == 1 && pattern[0] == '*' && pattern[1] == '@')
    return g_ascii_strcasecmp (a_host, b_host != NULL ? b_host : "") == 0;

  return a_len == b_len && g_ascii_strncasecmp (pattern, acct, a_len) == 0 &&
         g_ascii_strcasecmp (a_host != NULL ? a_host : "", b_host != NULL ? b_host : "") == 0;
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* Where "@user" first stands in @text as a mention (not inside a longer
 * name or an e-mail address), or -1. Usernames are ASCII. */
static gssize
find_mention (const char *text,
              const char *acct)
{
  gsize len = strcspn (acct, "@");

  for (const char *p = strchr (text, '@'); p != NULL; p = strchr (p + 1, '@'))
    {
      if (p > text && is_name_char (p[-1]))
        continue;
      if (g_ascii_strncasecmp (p + 1, acct, len) == 0 && !is_name_char (p[1 + len]))
        return p - text;
    }

  return -1;
}

static const Department *
route_by_mentions (CivicRouter        *self,
                   const CivicStatus  *status,
                   const char         *server_host,
                   const char         *text)
{
  const Department *chosen = NULL;
  gssize chosen_at = -1;

  for (guint m = 0; m < status->mentions->len; m++)
    {
      const CivicStatusMention *mention = g_ptr_array_index (status->mentions, m);

      if (mention->acct == NULL)
        continue;

      for (guint i = 0; i < self->departments->len; i++)
        {
          const Department *d = &g_array_index (self->departments, Department, i);
          gssize at;

          if (d->acct == NULL || !same_account (d->acct, mention->acct, server_host))
            continue;

          /* Named earlier in the text wins; one not found in the text only
           * wins when no other is found. */
          at = text != NULL ? find_mention (text, mention->acct) : -1;
          if (chosen == NULL || (at >= 0 && (chosen_at < 0 || at < chosen_at)))
            {
              chosen = d;
              chosen_at = at;
            }
          break;
        }
    }

  return chosen;
}

static gboolean
rule_matches (CivicRouter              *self,
              const Rule               *rule,
              const CivicStatus        *status,
              const char               *server_host,
              const CivicMentionRecord *record)
{
  switch (rule->kind)
    {
    case CIVIC_RULE_HASHTAG:
      for (guint t = 0; status->tags != NULL && t < status->tags->len; t++)
        {
          g_string_truncate (self->tag, 0);
          civic_text_fold (self->tag, g_ptr_array_index (status->tags, t), -1);
          if (g_str_equal (self->tag->str, rule->text))
            return TRUE;
        }
      return FALSE;

    case CIVIC_RULE_KEYWORD:
      return strstr (self->folded->str, rule->text) != NULL;

    case CIVIC_RULE_AUTHOR:
      {
        const char *acct = record->author_acct;

        if (acct == NULL && status->account != NULL)
          acct = status->account->acct;
        return acct != NULL && same_account (rule->text, acct, server_host);
      }

    case CIVIC_RULE_REGEX:
      {
        const char *text = record->content_text != NULL ? record->content_text : "";
        gsize len = strlen (text);
        g_autoptr(GError) error = NULL;
        gboolean matched;

        /* Bounded input (and the pattern's match limit) bound the time. */
        if (len > CIVIC_RULE_REGEX_MAX_INPUT)
          len = g_utf8_find_prev_char (text, text + CIVIC_RULE_REGEX_MAX_INPUT + 1) - text;

        matched = g_regex_match_full (rule->regex, text, len, 0, 0, NULL, &error);
        if (error != NULL)
          g_debug ("Routing rule /%s/ gave up: %s", g_regex_get_pattern (rule->regex), error->message);
        return matched;
      }

    default:
      return FALSE;
    }
}

static CivicPriority
urgency (const Department *d,
         const char       *folded)
{
  guint found = 0;

  for (guint i = 0; i < d->urgent->len && found < 2; i++)
    if (strstr (folded, g_ptr_array_index (d->urgent, i)) != NULL)
      found++;

  if (found >= 2)
    return CIVIC_PRIORITY_URGENT;
  if (found == 1)
    return CIVIC_PRIORITY_HIGH;
  return CIVIC_PRIORITY_NORMAL;
}

void
civic_router_route (CivicRouter        *self,
                    const CivicStatus  *status,
                    const char         *server_host,
                    const char         *receiving_acct,
                    CivicMentionRecord *record)
{
  const Department *chosen;

  g_return_if_fail (CIVIC_IS_ROUTER (self));
  g_return_if_fail (status != NULL);
  g_return_if_fail (record != NULL);

  g_string_truncate (self->folded, 0);
  civic_text_fold (self->folded, record->content_text, -1);
  if (record->spoiler_text != NULL && *record->spoiler_text != '\0')
    civic_text_fold (self->folded, record->spoiler_text, -1);

  /* 1. The department account named first. */
  chosen = route_by_mentions (self, status, server_host, record->content_text);

  /* 2. The first rule that matches. */
  for (guint i = 0; i < self->rules->len && chosen == NULL; i++)
    {
      const Rule *rule = &g_array_index (self->rules, Rule, i);

      if (rule_matches (self, rule, status, server_host, record))
        chosen = &g_array_index (self->departments, Department, rule->department);
    }

  /* 3. The account it reached us through, when that is a department's. */
  for (guint i = 0; i < self->departments->len && chosen == NULL && receiving_acct != NULL; i++)
    {
      const Department *d = &g_array_index (self->departments, Department, i);

      if (d->acct != NULL && same_account (d->acct, receiving_acct, server_host))
        chosen = d;
    }

  /* 4. Never nowhere. */
  if (chosen == NULL)
    chosen = &g_array_index (self->departments, Department, self->unsorted);

  record->department_id = chosen->id;
  record->due_at_ms = record->created_at_ms + (gint64) chosen->sla_minutes * 60 * 1000;
  record->priority = urgency (chosen, self->folded->str);
}
