/* civic-queue-filter.c
 *
 * The SQL is assembled from fixed fragments for the filters in use (every
 * value bound), then interned: the store caches statements by the SQL's
 * address, and interning gives each of the few possible variants one
 * address, so each is prepared once per connection.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "civic-queue-filter.h"
#include "civic-store-private.h"

/* Effective priority (civic_priority_effective()) of an open mention; the
 * stored one for the others. */
#define EFFECTIVE_PRIORITY_SQL \
  "CASE WHEN m.state NOT IN (0, 1) THEN m.priority" \
  " WHEN m.due_at < :now THEN 3" \
  " WHEN (m.due_at - :now) * 4 <= m.due_at - m.created_at THEN max(m.priority, 2)" \
  " ELSE m.priority END"

/* Every overdue mention is urgent by the clock; among them, what was
 * urgent by its words (an accident before a "thank you") still leads. */
#define QUEUE_ORDER_SQL \
  " ORDER BY (m.state IN (0, 1) AND m.due_at < :now) DESC, " EFFECTIVE_PRIORITY_SQL " DESC," \
  " m.priority DESC, m.created_at, m.id"

CivicQueueFilter *
civic_queue_filter_new (void)
{
  return g_new0 (CivicQueueFilter, 1);
}

CivicQueueFilter *
civic_queue_filter_copy (const CivicQueueFilter *filter)
{
  CivicQueueFilter *copy;

  g_return_val_if_fail (filter != NULL, NULL);

  copy = g_memdup2 (filter, sizeof *filter);
  copy->text = g_strdup (filter->text);
  copy->author = g_strdup (filter->author);
  copy->claimed_by = g_strdup (filter->claimed_by);

  return copy;
}

void
civic_queue_filter_free (CivicQueueFilter *filter)
{
  if (filter == NULL)
    return;

  g_free (filter->text);
  g_free (filter->author);
  g_free (filter->claimed_by);
  g_free (filter);
}

static guint
effective_states (const CivicQueueFilter *filter)
{
  guint states = filter->states & CIVIC_STATE_MASK_ALL;

  return states != 0 ? states : CIVIC_STATE_MASK_OPEN;
}

static const char *
nonempty (const char *s)
{
  return s != NULL && *s != '\0' ? s : NULL;
}

gboolean
civic_queue_filter_equal (const CivicQueueFilter *a,
                          const CivicQueueFilter *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->department_id == b->department_id &&
         effective_states (a) == effective_states (b) &&
         g_strcmp0 (nonempty (a->text), nonempty (b->text)) == 0 &&
         /* A relative period's bound is derived from the clock. */
         (a->period_days != 0 || a->since_ms == b->since_ms) && a->until_ms == b->until_ms &&
         g_strcmp0 (nonempty (a->author), nonempty (b->author)) == 0 &&
         g_strcmp0 (nonempty (a->claimed_by), nonempty (b->claimed_by)) == 0 &&
         a->has_place == b->has_place && a->has_photo == b->has_photo &&
         a->period_days == b->period_days;
}

G_DEFINE_BOXED_TYPE (CivicQueueFilter, civic_queue_filter, civic_queue_filter_copy, civic_queue_filter_free)

/**
 * civic_queue_filter_resolve_period:
 * @filter: a filter
 * @now_ms: the context's clock
 *
 * Sets @filter's lower time bound from its relative period: local midnight
 * for "today", @now_ms minus the days otherwise. Without a period, leaves
 * @since_ms as it is.
 */
void
civic_queue_filter_resolve_period (CivicQueueFilter *filter,
                                   gint64            now_ms)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) midnight = NULL;

  g_return_if_fail (filter != NULL);

  if (filter->period_days == 0)
    return;

  if (filter->period_days > 1)
    {
      filter->since_ms = now_ms - (gint64) filter->period_days * 24 * 60 * 60 * 1000;
      return;
    }

  now = g_date_time_new_from_unix_local (now_ms / 1000);
  midnight = g_date_time_new_local (g_date_time_get_year (now),
                                    g_date_time_get_month (now),
                                    g_date_time_get_day_of_month (now),
                                    0, 0, 0);
  filter->since_ms = g_date_time_to_unix (midnight) * 1000;
}

static void
add_choice (JsonBuilder       *b,
            const char        *name,
            CivicFilterChoice  choice)
{
  if (choice == CIVIC_FILTER_ANY)
    return;

  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, choice == CIVIC_FILTER_YES);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  if (nonempty (value) == NULL)
    return;

  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
build_filter (JsonBuilder            *b,
              const CivicQueueFilter *filter)
{
  guint states = effective_states (filter);

  json_builder_begin_object (b);
  if (filter->department_id != 0)
    {
      json_builder_set_member_name (b, "department");
      json_builder_add_int_value (b, filter->department_id);
    }
  if (states != CIVIC_STATE_MASK_OPEN)
    {
      json_builder_set_member_name (b, "states");
      json_builder_begin_array (b);
      for (guint s = CIVIC_MENTION_STATE_NEW; s <= CIVIC_MENTION_STATE_CLOSED; s++)
        if (states & CIVIC_STATE_MASK (s))
          json_builder_add_string_value (b, civic_mention_state_to_string ((CivicMentionState) s));
      json_builder_end_array (b);
    }
  add_string (b, "text", filter->text);
  if (filter->period_days != 0)
    {
      /* A relative period: its resolved bound would be stale tomorrow. */
      json_builder_set_member_name (b, "period_days");
      json_builder_add_int_value (b, filter->period_days);
    }
  else if (filter->since_ms != 0)
    {
      json_builder_set_member_name (b, "since");
      json_builder_add_int_value (b, filter->since_ms);
    }
  if (filter->until_ms != 0)
    {
      json_builder_set_member_name (b, "until");
      json_builder_add_int_value (b, filter->until_ms);
    }
  add_string (b, "author", filter->author);
  add_string (b, "claimed_by", filter->claimed_by);
  add_choice (b, "has_place", filter->has_place);
  add_choice (b, "has_photo", filter->has_photo);
  json_builder_end_object (b);
}

static char *
builder_to_string (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);

  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

char *
civic_queue_filter_to_json (const CivicQueueFilter *filter)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (filter != NULL, NULL);

  build_filter (b, filter);
  return builder_to_string (b);
}

static gboolean
bad_field (const char  *name,
           const char  *expected,
           GError     **error)
{
  g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
               /* Translators: a field of the saved filter, then what it should be,
                * e.g. "a whole number" */
               _("The saved filter’s “%s” should be %s"), name, expected);
  return FALSE;
}

static gboolean
read_int (JsonObject  *obj,
          const char  *name,
          gint64      *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return bad_field (name, _("a whole number"), error);

  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
read_string (JsonObject  *obj,
             const char  *name,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    /* Translators: what a saved filter's field should be */
    return bad_field (name, C_("saved filter field", "text"), error);

  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_choice (JsonObject         *obj,
             const char         *name,
             CivicFilterChoice  *out,
             GError            **error)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return bad_field (name, _("true or false"), error);

  *out = json_node_get_boolean (node) ? CIVIC_FILTER_YES : CIVIC_FILTER_NO;
  return TRUE;
}

static CivicQueueFilter *
filter_from_node (JsonNode  *node,
                  GError   **error)
{
  g_autoptr(CivicQueueFilter) filter = civic_queue_filter_new ();
  gint64 period_days = 0;
  JsonObject *obj;
  JsonNode *states;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   _("A saved filter should be a JSON object"));
      return NULL;
    }
  obj = json_node_get_object (node);

  if (!read_int (obj, "department", &filter->department_id, error) ||
      !read_string (obj, "text", &filter->text, error) ||
      !read_int (obj, "since", &filter->since_ms, error) ||
      !read_int (obj, "until", &filter->until_ms, error) ||
      !read_string (obj, "author", &filter->author, error) ||
      !read_string (obj, "claimed_by", &filter->claimed_by, error) ||
      !read_choice (obj, "has_place", &filter->has_place, error) ||
      !read_choice (obj, "has_photo", &filter->has_photo, error) ||
      !read_int (obj, "period_days", &period_days, error))
    return NULL;
  if (period_days < 0 || period_days > 366 * 10)
    {
      bad_field ("period_days", _("a number of days"), error);
      return NULL;
    }
  filter->period_days = (guint) period_days;

  states = json_object_get_member (obj, "states");
  if (states != NULL && !JSON_NODE_HOLDS_NULL (states))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (states))
        {
          bad_field ("states", _("a list of states"), error);
          return NULL;
        }
      array = json_node_get_array (states);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          CivicMentionState state;

          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING ||
              !civic_mention_state_from_string (json_node_get_string (item), &state))
            {
              bad_field ("states", _("new, in-progress, answered or closed"), error);
              return NULL;
            }
          filter->states |= CIVIC_STATE_MASK (state);
        }
    }

  return g_steal_pointer (&filter);
}

static JsonNode *
parse_json (const char  *json,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   _("Saved filters cannot be read: %s"),
                   local_error != NULL ? local_error->message : _("nothing saved"));
      return NULL;
    }

  root = json_parser_get_root (parser);
  return root != NULL ? json_node_copy (root) : NULL;
}

CivicQueueFilter *
civic_queue_filter_new_from_json (const char  *json,
                                  GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  root = parse_json (json, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return filter_from_node (root, error);
}

/* Turns what a person typed into an FTS5 query, as civic_store_search()
 * does: every word must match, as a prefix; nothing is taken as syntax. */
static char *
build_fts_query (const char *query)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = query;

  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);

      if (p > start)
        {
          if (out->len > 0)
            g_string_append_c (out, ' ');
          g_string_append_c (out, '"');
          g_string_append_len (out, start, p - start);
          g_string_append (out, "\"*");
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef struct
{
  guint states;
  char *fts;          /* owned; NULL when no words */
  const char *author; /* borrowed, without '@' */
} Prepared;

static void
prepared_clear (Prepared *p)
{
  g_free (p->fts);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Prepared, prepared_clear)

/* Appends the WHERE conditions @filter needs. */
static void
append_where (GString                *sql,
              const CivicQueueFilter *filter,
              Prepared               *prep,
              gboolean                open_only)
{
  prep->states = effective_states (filter);
  if (open_only)
    prep->states &= CIVIC_STATE_MASK_OPEN;
  if (nonempty (filter->text) != NULL)
    {
      prep->fts = build_fts_query (filter->text);
      if (*prep->fts == '\0')
        g_clear_pointer (&prep->fts, g_free);
    }
  prep->author = nonempty (filter->author);
  if (prep->author != NULL && prep->author[0] == '@')
    prep->author++;

  /* Four slots, bound to the states asked for or -1: one statement for
   * every mask, and the (department, state, due) index still applies. */
  g_string_append (sql, " WHERE m.state IN (:s0, :s1, :s2, :s3)");
  g_string_append (sql, " AND " CIVIC_STORE_VISIBLE_SQL ("m"));
  if (filter->department_id != 0)
    g_string_append (sql, " AND m.department_id = :department");
  if (prep->fts != NULL)
    g_string_append (sql, " AND m.id IN (SELECT rowid FROM mentions_fts"
                          " WHERE mentions_fts MATCH :fts)");
  if (filter->since_ms != 0 || filter->period_days != 0)
    g_string_append (sql, " AND m.created_at >= :since");
  if (filter->until_ms != 0)
    g_string_append (sql, " AND m.created_at < :until");
  if (prep->author != NULL)
    g_string_append (sql, " AND m.author_acct = :author COLLATE NOCASE");
  if (nonempty (filter->claimed_by) != NULL)
    g_string_append (sql, " AND m.claimed_by = :claimed_by");
  if (filter->has_place == CIVIC_FILTER_YES)
    g_string_append (sql, " AND m.lat IS NOT NULL");
  else if (filter->has_place == CIVIC_FILTER_NO)
    g_string_append (sql, " AND m.lat IS NULL");
  if (filter->has_photo == CIVIC_FILTER_YES)
    g_string_append (sql, " AND m.media_count > 0");
  else if (filter->has_photo == CIVIC_FILTER_NO)
    g_string_append (sql, " AND m.media_count = 0");
}

static void
bind_int64 (sqlite3_stmt *stmt,
            const char   *name,
            gint64        value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_int64 (stmt, index, value);
}

static void
bind_text (sqlite3_stmt *stmt,
           const char   *name,
           const char   *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_STATIC);
}

/* A relative period slides with the clock: "today" is today at every
 * read, not the day the filter was chosen. Without a clock (counts), the
 * bound resolved when the filter was applied. */
static gint64
effective_since (const CivicQueueFilter *filter,
                 gint64                  now_ms)
{
  CivicQueueFilter resolved;

  if (filter->period_days == 0 || now_ms == 0)
    return filter->since_ms;

  resolved = *filter;
  civic_queue_filter_resolve_period (&resolved, now_ms);
  return resolved.since_ms;
}

static void
bind_filter (sqlite3_stmt           *stmt,
             const CivicQueueFilter *filter,
             const Prepared         *prep,
             gint64                  now_ms)
{
  static const char * const slots[] = { ":s0", ":s1", ":s2", ":s3" };

  for (guint s = 0; s < G_N_ELEMENTS (slots); s++)
    bind_int64 (stmt, slots[s], (prep->states & CIVIC_STATE_MASK (s)) ? (gint64) s : -1);
  bind_int64 (stmt, ":department", filter->department_id);
  bind_text (stmt, ":fts", prep->fts);
  bind_int64 (stmt, ":since", effective_since (filter, now_ms));
  bind_int64 (stmt, ":until", filter->until_ms);
  bind_text (stmt, ":author", prep->author);
  bind_text (stmt, ":claimed_by", filter->claimed_by);
  bind_int64 (stmt, ":now", now_ms);
}

static sqlite3_stmt *
prepare_filtered (CivicStore              *store,
                  const char              *select,
                  const char              *tail,
                  const CivicQueueFilter  *filter,
                  Prepared                *prep,
                  gboolean                 open_only,
                  gint64                   now_ms,
                  GError                 **error)
{
  g_autoptr(GString) sql = g_string_new (select);
  sqlite3_stmt *stmt;

  append_where (sql, filter, prep, open_only);
  g_string_append (sql, tail);

  stmt = _civic_store_prepare (store, g_intern_string (sql->str), error);
  if (stmt != NULL)
    bind_filter (stmt, filter, prep, now_ms);

  return stmt;
}

GArray *
civic_store_list_queue_ids_filtered (CivicStore              *store,
                                     const CivicQueueFilter  *filter,
                                     gint64                   now_ms,
                                     GError                 **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(Prepared) prep = { 0 };
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  stmt = prepare_filtered (store, "SELECT m.id FROM mentions m", QUEUE_ORDER_SQL, filter, &prep,
                           FALSE, now_ms, error);
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
      _civic_store_fail (store, rc, _("Could not read the queue"), error);
      return NULL;
    }

  return g_steal_pointer (&ids);
}

guint
civic_store_count_filtered (CivicStore              *store,
                            const CivicQueueFilter  *filter,
                            GError                 **error)
{
  g_auto(Prepared) prep = { 0 };
  sqlite3_stmt *stmt;
  guint count = 0;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), 0);
  g_return_val_if_fail (filter != NULL, 0);

  stmt = prepare_filtered (store, "SELECT count(*) FROM mentions m", "", filter, &prep, FALSE, 0,
                           error);
  if (stmt == NULL)
    return 0;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    _civic_store_fail (store, rc, _("Could not count the queue"), error);

  return count;
}

gint64
civic_store_queue_next_change (CivicStore              *store,
                               const CivicQueueFilter  *filter,
                               gint64                   now_ms,
                               GError                 **error)
{
  g_auto(Prepared) prep = { 0 };
  sqlite3_stmt *stmt;
  gint64 next = 0;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), 0);
  g_return_val_if_fail (filter != NULL, 0);

  /* Per row, the first instant of its last quarter (ceil((3·due +
   * created) / 4), where civic_priority_effective() first says HIGH) if
   * that raises it, else the first instant it is overdue (due + 1). */
  stmt = prepare_filtered (store,
                           "SELECT min(CASE"
                           "  WHEN m.priority < 2 AND (3 * m.due_at + m.created_at + 3) / 4 > :now"
                           "    THEN (3 * m.due_at + m.created_at + 3) / 4"
                           "  WHEN m.due_at + 1 > :now THEN m.due_at + 1 END) "
                           "FROM mentions m",
                           "", filter, &prep, TRUE, now_ms, error);
  if (stmt == NULL)
    return 0;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    next = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    _civic_store_fail (store, rc, _("Could not read the queue"), error);

  return next;
}

/* Smart views */

CivicSmartView *
civic_smart_view_new (const char             *name,
                      const CivicQueueFilter *filter)
{
  CivicSmartView *view;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  view = g_new0 (CivicSmartView, 1);
  view->name = g_strdup (name);
  view->filter = civic_queue_filter_copy (filter);

  return view;
}

void
civic_smart_view_free (CivicSmartView *view)
{
  if (view == NULL)
    return;

  g_free (view->name);
  civic_queue_filter_free (view->filter);
  g_free (view);
}

GPtrArray *
civic_smart_views_from_json (const char  *json,
                             GError     **error)
{
  g_autoptr(GPtrArray) views = g_ptr_array_new_with_free_func ((GDestroyNotify) civic_smart_view_free);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonArray *array;

  /* Nothing saved yet is no views. */
  if (json == NULL || *json == '\0')
    return g_steal_pointer (&views);

  root = parse_json (json, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   _("Saved views should be a JSON list"));
      return NULL;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autoptr(CivicQueueFilter) filter = NULL;
      JsonNode *name_node = NULL;
      const char *name = NULL;
      CivicSmartView *view;

      if (JSON_NODE_HOLDS_OBJECT (item))
        name_node = json_object_get_member (json_node_get_object (item), "name");
      if (name_node != NULL && JSON_NODE_HOLDS_VALUE (name_node) &&
          json_node_get_value_type (name_node) == G_TYPE_STRING)
        name = json_node_get_string (name_node);
      if (name == NULL || *name == '\0')
        {
          g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                       _("Saved view %u has no name"), i + 1);
          return NULL;
        }

      filter = filter_from_node (json_object_get_member (json_node_get_object (item), "filter"), error);
      if (filter == NULL)
        return NULL;

      view = g_new0 (CivicSmartView, 1);
      view->name = g_strdup (name);
      view->filter = g_steal_pointer (&filter);
      g_ptr_array_add (views, view);
    }

  return g_steal_pointer (&views);
}

char *
civic_smart_views_to_json (GPtrArray *views)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (views != NULL, NULL);

  json_builder_begin_array (b);
  for (guint i = 0; i < views->len; i++)
    {
      const CivicSmartView *view = g_ptr_array_index (views, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, view->name);
      json_builder_set_member_name (b, "filter");
      build_filter (b, view->filter);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  return builder_to_string (b);
}
