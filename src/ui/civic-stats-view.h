/* civic-stats-view.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "civic-context.h"

G_BEGIN_DECLS

/**
 * CivicStatsPeriod:
 * @CIVIC_STATS_PERIOD_THIS_WEEK: from Monday 00:00 (local time) to now
 * @CIVIC_STATS_PERIOD_LAST_30_DAYS: the 30 days up to now
 * @CIVIC_STATS_PERIOD_CUSTOM: from one day to another, both whole
 */
typedef enum
{
  CIVIC_STATS_PERIOD_THIS_WEEK,
  CIVIC_STATS_PERIOD_LAST_30_DAYS,
  CIVIC_STATS_PERIOD_CUSTOM,
} CivicStatsPeriod;

#define CIVIC_TYPE_STATS_VIEW (civic_stats_view_get_type ())

G_DECLARE_FINAL_TYPE (CivicStatsView, civic_stats_view, CIVIC, STATS_VIEW, GtkWidget)

/* The published figures per department for a period (civic_stats_compute):
 * a table, a bar chart of answers in time, and Export CSV. Follows the
 * store's changes while shown. */
GtkWidget  *civic_stats_view_new              (CivicContext     *context);
void        civic_stats_view_set_period       (CivicStatsView   *self,
                                               CivicStatsPeriod  period);
CivicStatsPeriod civic_stats_view_get_period  (CivicStatsView   *self);
/* Selects the custom period from @first_day to @last_day (local dates,
 * both included). */
void        civic_stats_view_set_custom_range (CivicStatsView   *self,
                                               GDateTime        *first_day,
                                               GDateTime        *last_day);
/* Computes again now. */
void        civic_stats_view_refresh          (CivicStatsView   *self);
/* (element-type CivicDepartmentStats) (transfer none): what is shown. */
GPtrArray  *civic_stats_view_get_stats        (CivicStatsView   *self);
/* The period shown, [@from_ms, @to_ms). */
void        civic_stats_view_get_range        (CivicStatsView   *self,
                                               gint64           *from_ms,
                                               gint64           *to_ms);

G_END_DECLS
