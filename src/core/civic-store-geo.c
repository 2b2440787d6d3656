/* civic-store-geo.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "civic-store-geo.h"
#include "civic-store-private.h"

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

/* Words a person typed as an FTS5 query: each word quoted, as a prefix. */
static char *
fts_query (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

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

  return g_string_free (out, out->len == 0);
}

static void
bind_named_int64 (sqlite3_stmt *stmt,
                  const char   *name,
                  gint64        value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_int64 (stmt, index, value);
}

static void
bind_named_text (sqlite3_stmt *stmt,
                 const char   *name,
                 const char   *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

GArray *
civic_store_list_map_points (CivicStore              *store,
                             const CivicQueueFilter  *filter,
                             gint64                   now_ms,
                             gint64                   after_id,
                             guint                    limit,
                             GError                 **error)
{
  static const char * const slots[] = { ":s0", ":s1", ":s2", ":s3" };
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (CivicClusterPoint));
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *fts = NULL;
  const char *author;
  sqlite3_stmt *stmt;
  guint states;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  states = effective_states (filter);
  if (nonempty (filter->text) != NULL)
    fts = fts_query (filter->text);
  author = nonempty (filter->author);
  if (author != NULL && author[0] == '@')
    author++;

  /* Fixed fragments for the filters in use, every value bound; interned
   * so each variant is one cached statement (as the queue's filter does). */
  g_string_append (sql,
                   "SELECT m.id, m.lat, m.lon, m.department_id, m.created_at, m.state, m.due_at"
                   " FROM mentions m"
                   " WHERE m.lat IS NOT NULL AND m.id > :after"
                   " AND m.state IN (:s0, :s1, :s2, :s3)"
                   " AND " CIVIC_STORE_VISIBLE_SQL ("m"));
  if (filter->department_id != 0)
    g_string_append (sql, " AND m.department_id = :department");
  if (fts != NULL)
    g_string_append (sql, " AND m.id IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH :fts)");
  if (filter->since_ms != 0)
    g_string_append (sql, " AND m.created_at >= :since");
  if (filter->until_ms != 0)
    g_string_append (sql, " AND m.created_at < :until");
  if (author != NULL)
    g_string_append (sql, " AND m.author_acct = :author COLLATE NOCASE");
  if (nonempty (filter->claimed_by) != NULL)
    g_string_append (sql, " AND m.claimed_by = :claimed_by");
  if (filter->has_photo == CIVIC_FILTER_YES)
    g_string_append (sql, " AND m.media_count > 0");
  else if (filter->has_photo == CIVIC_FILTER_NO)
    g_string_append (sql, " AND m.media_count = 0");
  g_string_append (sql, " ORDER BY m.id LIMIT :limit");

  stmt = _civic_store_prepare (store, g_intern_string (sql->str), error);
  if (stmt == NULL)
    return NULL;

  bind_named_int64 (stmt, ":after", after_id);
  for (guint s = 0; s < G_N_ELEMENTS (slots); s++)
    bind_named_int64 (stmt, slots[s], (states & CIVIC_STATE_MASK (s)) ? (gint64) s : -1);
  bind_named_int64 (stmt, ":department", filter->department_id);
  bind_named_text (stmt, ":fts", fts);
  bind_named_int64 (stmt, ":since", filter->since_ms);
  bind_named_int64 (stmt, ":until", filter->until_ms);
  bind_named_text (stmt, ":author", author);
  bind_named_text (stmt, ":claimed_by", filter->claimed_by);
  bind_named_int64 (stmt, ":limit", limit > 0 ? (gint64) limit : -1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CivicMentionState state = (CivicMentionState) sqlite3_column_int (stmt, 5);
      CivicClusterPoint p = {
        .id = sqlite3_column_int64 (stmt, 0),
        .lat = sqlite3_column_double (stmt, 1),
        .lon = sqlite3_column_double (stmt, 2),
        .department_id = sqlite3_column_int64 (stmt, 3),
        .created_ms = sqlite3_column_int64 (stmt, 4),
        .open = CIVIC_MENTION_STATE_IS_OPEN (state),
      };

      p.overdue = p.open && sqlite3_column_int64 (stmt, 6) < now_ms;
      g_array_append_val (points, p);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _civic_store_fail (store, rc, _("Could not read the places of the reports"), error);
      return NULL;
    }

  return g_steal_pointer (&points);
}

gboolean
civic_store_foreach_place (CivicStore      *store,
                           gboolean         include_direct,
                           CivicPlaceFunc   func,
                           gpointer         user_data,
                           GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = _civic_store_prepare (store,
                               "SELECT m.id, m.status_id, m.url, m.lat, m.lon, m.geo_source,"
                               "       m.geo_uncertainty, d.slug, d.name, m.state, m.priority,"
                               "       m.visibility, m.author_acct, m.created_at, m.due_at,"
                               "       m.answered_at, m.closed_at"
                               " FROM mentions m JOIN departments d ON d.id = m.department_id"
                               " WHERE m.lat IS NOT NULL AND (m.visibility != 'direct'"
                               "   OR (?1 AND " CIVIC_STORE_VISIBLE_SQL ("m") "))"
                               " ORDER BY m.created_at, m.id",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int (stmt, 1, include_direct ? 1 : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CivicPlace place = {
        .id = sqlite3_column_int64 (stmt, 0),
        .status_id = (const char *) sqlite3_column_text (stmt, 1),
        .url = (const char *) sqlite3_column_text (stmt, 2),
        .lat = sqlite3_column_double (stmt, 3),
        .lon = sqlite3_column_double (stmt, 4),
        .geo_source = (const char *) sqlite3_column_text (stmt, 5),
        .geo_uncertainty_m = sqlite3_column_double (stmt, 6),
        .department_slug = (const char *) sqlite3_column_text (stmt, 7),
        .department_name = (const char *) sqlite3_column_text (stmt, 8),
        .state = (CivicMentionState) sqlite3_column_int (stmt, 9),
        .priority = (CivicPriority) sqlite3_column_int (stmt, 10),
        .visibility = (const char *) sqlite3_column_text (stmt, 11),
        .author_acct = (const char *) sqlite3_column_text (stmt, 12),
        .created_at_ms = sqlite3_column_int64 (stmt, 13),
        .due_at_ms = sqlite3_column_int64 (stmt, 14),
        .answered_at_ms = sqlite3_column_int64 (stmt, 15),
        .closed_at_ms = sqlite3_column_int64 (stmt, 16),
      };

      if (!func (&place, user_data))
        break;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _civic_store_fail (store, rc, _("Could not read the places of the reports"), error);

  return TRUE;
}
