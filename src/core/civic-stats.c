/* civic-stats.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
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

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

typedef struct
{
  CivicDepartmentStats *stats;  /* borrowed */
  gint64 sla_ms;
  GArray *times;                /* owned: ms to first answer */
} Tally;

static void
tally_clear (gpointer data)
{
  Tally *tally = data;

  g_clear_pointer (&tally->times, g_array_unref);
}

/* Counts one mention created in the period. Answered means answered by
 * @now_ms: a report run "as of" a past time does not see later answers. */
static void
tally_mention (Tally  *tally,
               gint64  created_at,
               gint64  answered_at,
               int     state,
               gint64  now_ms)
{
  CivicDepartmentStats *stats = tally->stats;
  gboolean answered = answered_at != 0 && answered_at <= now_ms;
  gboolean closed_unanswered = answered_at == 0 && state == CIVIC_MENTION_STATE_CLOSED;

  stats->received++;
  if (answered)
    {
      /* An answer stamped before its mention (clocks) counts as instant. */
      gint64 t = MAX (answered_at - created_at, 0);

      stats->answered++;
      g_array_append_val (tally->times, t);
      if (t <= tally->sla_ms)
        stats->answered_within_sla++;
    }
  if (closed_unanswered)
    stats->closed_unanswered++;
  if (answered || closed_unanswered || created_at + tally->sla_ms < now_ms)
    stats->sla_due++;
}

static void
tally_finish (Tally *tally)
{
  CivicDepartmentStats *stats = tally->stats;

  if (tally->times->len > 0)
    {
      const gint64 *sorted = (const gint64 *) (gpointer) tally->times->data;

      g_array_sort (tally->times, compare_int64);
      stats->median_ms = (gint64) llround (civic_stats_percentile (sorted, tally->times->len, 50));
      stats->p90_ms = (gint64) llround (civic_stats_percentile (sorted, tally->times->len, 90));
    }
  else
    {
      stats->median_ms = -1;
      stats->p90_ms = -1;
    }

  stats->share_within_sla = stats->sla_due > 0
                             ? (double) stats->answered_within_sla / stats->sla_due
                             : -1;
}

/* One pass over the period's rows, reading only the four columns needed:
 * the rows are wide (their text), so every extra pass costs a full read. */
static gboolean
tally_period (CivicStore  *store,
              GArray      *tallies,
              gint64       from_ms,
              gint64       to_ms,
              gint64       now_ms,
              GError     **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < tallies->len; i++)
    {
      Tally *tally = &g_array_index (tallies, Tally, i);

      g_hash_table_insert (by_id, &tally->stats->department_id, tally);
    }

  stmt = _civic_store_prepare (store,
                               "SELECT department_id, created_at, answered_at, state FROM mentions "
                               "WHERE created_at >= ?1 AND created_at < ?2",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, from_ms);
  sqlite3_bind_int64 (stmt, 2, to_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 department_id = sqlite3_column_int64 (stmt, 0);
      Tally *tally = g_hash_table_lookup (by_id, &department_id);

      if (tally != NULL)
        tally_mention (tally, sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2),
                       sqlite3_column_int (stmt, 3), now_ms);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _civic_store_fail (store, rc, _("Could not read the period’s mentions"), error);

  return TRUE;
}

GPtrArray *
civic_stats_compute (CivicStore  *store,
                     gint64       from_ms,
                     gint64       to_ms,
                     gint64       now_ms,
                     GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GArray) tallies = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);

  if (to_ms <= from_ms)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   _("The period ends before it starts"));
      return NULL;
    }

  stmt = _civic_store_prepare (store,
                               "SELECT id, slug, name, sla_minutes FROM departments "
                               "ORDER BY position, id",
                               error);
  if (stmt == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) civic_department_stats_free);

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
      _civic_store_fail (store, rc, _("Could not list the departments"), error);
      return NULL;
    }

  tallies = g_array_sized_new (FALSE, TRUE, sizeof (Tally), list->len);
  g_array_set_clear_func (tallies, tally_clear);
  for (guint i = 0; i < list->len; i++)
    {
      Tally tally = {
        .stats = g_ptr_array_index (list, i),
        .times = g_array_new (FALSE, FALSE, sizeof (gint64)),
      };

      tally.sla_ms = (gint64) tally.stats->sla_minutes * 60 * 1000;
      g_array_append_val (tallies, tally);
    }

  if (!tally_period (store, tallies, from_ms, to_ms, now_ms, error))
    return NULL;

  for (guint i = 0; i < tallies->len; i++)
    {
      Tally *tally = &g_array_index (tallies, Tally, i);

      tally_finish (tally);
      if (!civic_store_count_department (store, tally->stats->department_id, now_ms,
                                         &tally->stats->open_now, &tally->stats->overdue_now, error))
        return NULL;
    }

  return g_steal_pointer (&list);
}

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
