/* civic-map-view.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <shumate/shumate.h>

#include "civic-context.h"
#include "civic-map-layer.h"
#include "civic-map-list.h"
#include "civic-queue-filter.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_MAP_VIEW (civic_map_view_get_type ())

G_DECLARE_FINAL_TYPE (CivicMapView, civic_map_view, CIVIC, MAP_VIEW, GtkWidget)

/* The map page: the store's geotagged reports (those the queue's filter
 * selects) clustered over OpenStreetMap tiles, the town's own tile server
 * (setting tile-url) or an offline MBTiles file (setting mbtiles-path).
 * Clicking a report emits ::mention-activated; clicking a cluster zooms
 * in, or, when its reports are on one spot, lists them (::cluster-activated)
 * with claim, close and reassign for all of them (the secondary button or
 * a rectangle drawn with Shift-drag list any cluster or area). Reloads by
 * itself when the store changes. */
CivicMapView     *civic_map_view_new                  (CivicContext           *context);
CivicContext     *civic_map_view_get_context          (CivicMapView           *self);

/* Copied; NULL is the default (open mentions of every department). */
void              civic_map_view_set_filter           (CivicMapView           *self,
                                                       const CivicQueueFilter *filter);
const CivicQueueFilter *civic_map_view_get_filter     (CivicMapView           *self);
gboolean          civic_map_view_get_heat             (CivicMapView           *self);
void              civic_map_view_set_heat             (CivicMapView           *self,
                                                       gboolean                heat);
/* Rings the mention's place (0 or a mention without one: no ring). */
gint64            civic_map_view_get_selected_mention (CivicMapView           *self);
void              civic_map_view_set_selected_mention (CivicMapView           *self,
                                                       gint64                  mention_id);

/* Reports loaded (notify::n-points fires when a load completes). */
guint             civic_map_view_get_n_points         (CivicMapView           *self);
gboolean          civic_map_view_get_loading          (CivicMapView           *self);
/* Starts loading now rather than after the usual short delay. */
void              civic_map_view_reload               (CivicMapView           *self);
/* Whether the banner says no tiles can be had. */
gboolean          civic_map_view_get_tiles_failing    (CivicMapView           *self);

void              civic_map_view_go_to                (CivicMapView           *self,
                                                       double                  lat,
                                                       double                  lon,
                                                       double                  zoom);
/* What a click at @x, @y (the map's coordinates) with @button does;
 * returns whether it hit a report or cluster. */
gboolean          civic_map_view_activate_at          (CivicMapView           *self,
                                                       double                  x,
                                                       double                  y,
                                                       guint                   button);
/* What drawing a rectangle (Shift-drag) from @x0, @y0 to @x1, @y1 does:
 * lists the reports inside, with actions for all. Returns how many. */
guint             civic_map_view_select_area          (CivicMapView           *self,
                                                       double                  x0,
                                                       double                  y0,
                                                       double                  x1,
                                                       double                  y1);
ShumateSimpleMap *civic_map_view_get_map              (CivicMapView           *self);
/* The reports in view as a list (the "List" button): how a keyboard and a
 * screen reader reach every report; shown with focus on its first row. */
void              civic_map_view_set_list_shown       (CivicMapView           *self,
                                                       gboolean                shown);
CivicMapList     *civic_map_view_get_list             (CivicMapView           *self);
CivicMapLayer    *civic_map_view_get_layer            (CivicMapView           *self);

G_END_DECLS
