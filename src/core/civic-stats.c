/* civic-stats.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>

#include "civic-stats.h"
#include "civic-store-private.h"

void
civic_department_stats_free (CivicDepartmentStats *stats)
{
  if (stats == NULL)
    return;

  g_free (stats->slug);
  g_free (stats->name);
  g_free (stats);
}

double
civic_stats_percentile (const gint64 *sorted,
                        guint         n,
                        double        p)
{
  double h;
  guint lo;

  g_return_val_if_fail (sorted != NULL || n == 0, NAN);

  if (n == 0)
    return NAN;

  p = CLAMP (p, 0.0, 100.0);
  h = (n - 1) * p / 100.0;
  lo = (guint) floor (h);
  if (lo + 1 >= n)
    return (double) sorted[n - 1];

  return sorted[lo] + (h - lo) * (double) (sorted[lo + 1] - sorted[lo]);
}

/* Answered means answered by @now_ms: a report run "as of" a past date
 * does not see later answers. */
static gboolean
compute_department (CivicStore            *store,
                    CivicDepartmentStats  *stats,
                    gint64                 from_ms,
                    gint64                 to_ms,
                    gint64                 now_ms,
                    GError               **error)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 sla_ms = (gint64) stats->sla_minutes * 60 * 1000;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _civic_store_prepare (store,
                               "SELECT count(*),"
                               "  coalesce(sum(answered_at <= :now), 0),"
                               "  coalesce(sum(answered_at <= :now"
                               "               OR (answered_at IS NULL AND state = 3)"
                               "               OR created_at + :sla < :now), 0),"
                               "  coalesce(sum(answered_at <= :now AND answered_at - created_at <= :sla), 0),"
                               "  coalesce(sum(answered_at IS NULL AND state = 3), 0) "
                               "FROM mentions "
                               "WHERE department_id = :department AND created_at >= :from AND created_at < :to",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":now"), now_ms);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":sla"), sla_ms);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":department"), stats->department_id);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":from"), from_ms);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":to"), to_ms);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      stats->received = (guint) sqlite3_column_int64 (stmt, 0);
      stats->answered = (guint) sqlite3_column_int64 (stmt, 1);
      stats->sla_due = (guint) sqlite3_column_int64 (stmt, 2);
      stats->answered_within_sla = (guint) sqlite3_column_int64 (stmt, 3);
      stats->closed_unanswered = (guint) sqlite3_column_int64 (stmt, 4);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _civic_store_fail (store, rc, "Could not count the answers", error);

  stmt = _civic_store_prepare (store,
                               "SELECT answered_at - created_at FROM mentions "
                               "WHERE department_id = ?1 AND created_at >= ?2 AND created_at < ?3"
                               "  AND answered_at <= ?4 "
                               "ORDER BY 1",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, stats->department_id);
  sqlite3_bind_int64 (stmt, 2, from_ms);
  sqlite3_bind_int64 (stmt, 3, to_ms);
  sqlite3_bind_int64 (stmt, 4, now_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      /* An answer stamped before its mention (clocks) counts as instant. */
      gint64 t = MAX (sqlite3_column_int64 (stmt, 0), 0);

      g_array_append_val (times, t);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _civic_store_fail (store, rc, "Could not read the answer times", error);

  if (times->len > 0)
    {
      /* Sorted by SQL; clamping negatives to 0 keeps it sorted. */
      const gint64 *sorted = (const gint64 *) (gpointer) times->data;

      stats->median_ms = (gint64) llround (civic_stats_percentile (sorted, times->len, 50));
      stats->p90_ms = (gint64) llround (civic_stats_percentile (sorted, times->len, 90));
    }
  else
    {
      stats->median_ms = -1;
      stats->p90_ms = -1;
    }

  stats->share_within_sla = stats->sla_due > 0 ? (double) stats->answered_within_sla / stats->sla_due : -1;

  return civic_store_count_department (store, stats->department_id, now_ms,
                                       &stats->open_now, &stats->overdue_now, error);
}

GPtrArray *
civic_stats_compute (CivicStore  *store,
                     gint64       from_ms,
                     gint64       to_ms,
                     gint64       now_ms,
                     GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) civic_department_stats_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);

  if (to_ms <= from_ms)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   "The period ends before it starts");
      return NULL;
    }

  stmt = _civic_store_prepare (store,
                               "SELECT id, slug, name, sla_minutes FROM departments ORDER BY position, id",
                               error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CivicDepartmentStats *stats = g_new0 (CivicDepartmentStats, 1);

      stats->department_id = sqlite3_column_int64 (stmt, 0);
      stats->slug = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      stats->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      stats->sla_minutes = (guint) sqlite3_column_int (stmt, 3);
      g_ptr_array_add (list, stats);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _civic_store_fail (store, rc, "Could not list the departments", error);
      return NULL;
    }

  for (guint i = 0; i < list->len; i++)
    if (!compute_department (store, g_ptr_array_index (list, i), from_ms, to_ms, now_ms, error))
      return NULL;

  return g_steal_pointer (&list);
}

/* Fields are separated by commas, except the first of a line. */
static void
append_field (GString    *out,
              const char *value)
{
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, ',');

  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_uint (GString *out,
             guint    value)
{
  char buf[16];

  g_snprintf (buf, sizeof buf, "%u", value);
  append_field (out, buf);
}

static void
append_double (GString    *out,
               const char *format,
               double      value,
               gboolean    present)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!present)
    {
      append_field (out, "");
      return;
    }

  append_field (out, g_ascii_formatd (buf, sizeof buf, format, value));
}

char *
civic_stats_to_csv (GPtrArray *stats)
{
  static const char * const header[] = {
    "department", "slug", "sla_minutes", "received", "answered", "median_minutes",
    "p90_minutes", "sla_due", "answered_within_sla", "share_within_sla", "closed_unanswered",
    "open_now", "overdue_now",
  };
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (stats != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    append_field (out, header[i]);
  g_string_append (out, "\r\n");

  for (guint i = 0; i < stats->len; i++)
    {
      const CivicDepartmentStats *s = g_ptr_array_index (stats, i);

      append_field (out, s->name);
      append_field (out, s->slug);
      append_uint (out, s->sla_minutes);
      append_uint (out, s->received);
      append_uint (out, s->answered);
      append_double (out, "%.1f", s->median_ms / 60000.0, s->median_ms >= 0);
      append_double (out, "%.1f", s->p90_ms / 60000.0, s->p90_ms >= 0);
      append_uint (out, s->sla_due);
      append_uint (out, s->answered_within_sla);
      append_double (out, "%.3f", s->share_within_sla, s->share_within_sla >= 0);
      append_uint (out, s->closed_unanswered);
      append_uint (out, s->open_now);
      append_uint (out, s->overdue_now);
      g_string_append (out, "\r\n");
    }

  return g_string_free (out, FALSE);
}
