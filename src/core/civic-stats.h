/* civic-stats.h
 *
 * The figures the town publishes per department: how fast and how
 * reliably it answers.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "civic-store.h"

G_BEGIN_DECLS

/**
 * CivicDepartmentStats:
 * @received: mentions created in the period
 * @answered: of those, the ones that have an answer (at any time up to now)
 * @median_ms: median time to first answer (answered_at − created_at) of
 *   the answered ones; -1 when none was answered
 * @p90_ms: 90th percentile of the same; -1 when none was answered
 * @sla_due: of the received, those whose answer time is over: answered, or
 *   still unanswered past the deadline (created + the department's answer
 *   time), or closed without an answer. Open mentions still inside their
 *   answer time are not counted yet
 * @answered_within_sla: of @sla_due, answered within the answer time
 * @share_within_sla: @answered_within_sla / @sla_due, in 0..1; -1 when
 *   @sla_due is 0
 * @closed_unanswered: of the received, closed without any answer (spam,
 *   duplicates, answered by other means) — shown so nobody can hide delays
 *   by closing
 * @open_now: open (new or in progress) at the report's "now", any period
 * @overdue_now: of @open_now, past their deadline
 *
 * Percentiles interpolate linearly between the closest ranks (as R's
 * default, numpy's default and spreadsheets' PERCENTILE.INC): the median of
 * an even count is the mean of the two middle values. The answer time is
 * the department's current one. Strings owned.
 */
typedef struct
{
  gint64 department_id;
  char *slug;
  char *name;
  guint sla_minutes;
  guint received;
  guint answered;
  gint64 median_ms;
  gint64 p90_ms;
  guint sla_due;
  guint answered_within_sla;
  double share_within_sla;
  guint closed_unanswered;
  guint open_now;
  guint overdue_now;
} CivicDepartmentStats;

void civic_department_stats_free (CivicDepartmentStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicDepartmentStats, civic_department_stats_free)

/* (element-type CivicDepartmentStats) (transfer full): one per department,
 * in the departments' order, Unsorted included, for mentions created in
 * [@from_ms, @to_ms). */
GPtrArray *civic_stats_compute    (CivicStore    *store,
                                   gint64         from_ms,
                                   gint64         to_ms,
                                   gint64         now_ms,
                                   GError       **error);
/* The linear-interpolation percentile @p (0..100) of @n sorted values. */
double     civic_stats_percentile (const gint64  *sorted,
                                   guint          n,
                                   double         p);
/* RFC 4180 CSV (CRLF line ends, fields quoted when needed), a header line
 * then one line per department. Times in minutes with one decimal, the
 * share as a fraction with three; empty fields where there is no figure.
 * Locale-independent. */
char      *civic_stats_to_csv     (GPtrArray     *stats);

G_END_DECLS
