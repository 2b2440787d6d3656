/* civic-rules.h
 *
 * The routing rules and urgent-word lists staff edit in the preferences,
 * their validation, and the text folding the router matches with.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "civic-enums.h"
#include "civic-store.h"

G_BEGIN_DECLS

/**
 * CivicRuleKind:
 * @CIVIC_RULE_HASHTAG: the status carries the hashtag (case and accents ignored)
 * @CIVIC_RULE_KEYWORD: the plain text contains the word or phrase, whole words
 *   only (case and accents ignored)
 * @CIVIC_RULE_REGEX: a Perl-compatible regular expression finds a match in the
 *   plain text (case ignored); run under a backtracking limit
 * @CIVIC_RULE_AUTHOR: the author's acct is the pattern (`user`, `user@host`,
 *   or `*@host` for everyone on a server)
 *
 * Stored by name in `routing_rules.kind`.
 */
typedef enum
{
  CIVIC_RULE_HASHTAG,
  CIVIC_RULE_KEYWORD,
  CIVIC_RULE_REGEX,
  CIVIC_RULE_AUTHOR,
} CivicRuleKind;

const char *civic_rule_kind_to_string   (CivicRuleKind  kind);
gboolean    civic_rule_kind_from_string (const char    *str,
                                         CivicRuleKind *kind);

/**
 * CivicRule:
 * @position: 0-based place in the ordered list; the first matching rule wins
 *
 * One row of `routing_rules`. Strings are owned.
 */
typedef struct
{
  gint64 id;
  guint position;
  CivicRuleKind kind;
  char *pattern;
  gint64 department_id;
  gboolean enabled;
} CivicRule;

void civic_rule_free (CivicRule *rule);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicRule, civic_rule_free)

/* Refuses, with a reason a person can act on (CIVIC_STORE_ERROR_INVALID), an
 * empty pattern, a hashtag that is no hashtag, an author that is no acct, or
 * a regular expression GRegex cannot compile (GRegex's own words and the
 * character it stopped at). */
gboolean   civic_rule_validate      (CivicRuleKind   kind,
                                     const char     *pattern,
                                     GError        **error);

/* Rule CRUD. Every write validates first and renumbers positions densely
 * (0, 1, 2…); the router sees changes at its next civic_router_reload() or
 * civic_router_refresh(). */
gint64     civic_rules_add          (CivicStore     *store,
                                     CivicRuleKind   kind,
                                     const char     *pattern,
                                     gint64          department_id,
                                     GError        **error);
gboolean   civic_rules_update       (CivicStore     *store,
                                     gint64          rule_id,
                                     CivicRuleKind   kind,
                                     const char     *pattern,
                                     gint64          department_id,
                                     GError        **error);
gboolean   civic_rules_set_enabled  (CivicStore     *store,
                                     gint64          rule_id,
                                     gboolean        enabled,
                                     GError        **error);
gboolean   civic_rules_remove       (CivicStore     *store,
                                     gint64          rule_id,
                                     GError        **error);
/* Moves the rule to @position (clamped to the end), shifting the others. */
gboolean   civic_rules_move         (CivicStore     *store,
                                     gint64          rule_id,
                                     guint           position,
                                     GError        **error);
/* (element-type CivicRule) (transfer full): in order. */
GPtrArray *civic_rules_list         (CivicStore     *store,
                                     GError        **error);

/* Urgent words: a department's list is `departments.urgent_words`, words or
 * phrases separated by commas or newlines. An empty list means the built-in
 * Spanish list for the department's slug (or the general one). */
char              **civic_urgent_words_parse         (const char  *text);
const char * const *civic_urgent_words_get_defaults  (const char  *slug);
gboolean            civic_rules_set_urgent_words     (CivicStore  *store,
                                                      gint64       department_id,
                                                      const char  *words,
                                                      GError     **error);
/* The list in force for @department_id: its own, or the defaults. */
char              **civic_rules_dup_urgent_words     (CivicStore  *store,
                                                      gint64       department_id,
                                                      GError     **error);

/* Priority from the SLA clock: in the last quarter of the answer time a
 * mention is at least HIGH, once overdue it is URGENT. The queue order
 * (civic_store_list_queue_ids_filtered()) uses the same rule. */
CivicPriority civic_priority_effective (CivicPriority stored,
                                        gint64        created_at_ms,
                                        gint64        due_at_ms,
                                        gint64        now_ms);

/* Appends @text to @out folded for matching: lower case, accents removed,
 * each run of characters that are not letters or digits (spaces,
 * punctuation, emoji) made one space, with a space at both ends — so
 * " word " finds whole words with strstr(). Any script is kept. */
void    civic_text_fold          (GString     *out,
                                  const char  *text,
                                  gssize       length);
/* Compiles a validated rule pattern the way the router runs it: caseless,
 * optimised, with a backtracking limit so a pathological pattern fails fast
 * instead of freezing the desk. */
GRegex *civic_rule_compile_regex (const char  *pattern,
                                  GError     **error);

/* The router matches regular expressions against at most this many bytes of
 * a mention's text: with the match limit, it bounds the time per mention. */
#define CIVIC_RULE_REGEX_MAX_INPUT 16384

G_END_DECLS
