/* civic-stats-chart.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * CivicStatsBar:
 * @name: the department
 * @colour: its colour
 * @total: the bar's full length (mentions whose answer time is over)
 * @part: the filled part (answered within the answer time)
 * @caption: what is written after the bar, and said to screen readers
 *
 * One bar of the chart. Strings borrowed (copied by the chart).
 */
typedef struct
{
  const char *name;
  GdkRGBA colour;
  guint total;
  guint part;
  const char *caption;
} CivicStatsBar;

#define CIVIC_TYPE_STATS_CHART (civic_stats_chart_get_type ())

G_DECLARE_FINAL_TYPE (CivicStatsChart, civic_stats_chart, CIVIC, STATS_CHART, GtkWidget)

/* A horizontal bar per department, drawn with GtkSnapshot. Its accessible
 * description reads every bar's figures. */
GtkWidget  *civic_stats_chart_new             (void);
void        civic_stats_chart_set_bars        (CivicStatsChart     *self,
                                               const CivicStatsBar *bars,
                                               guint                n_bars);
/* The accessible description, as set on the widget. */
const char *civic_stats_chart_get_description (CivicStatsChart     *self);

G_END_DECLS
