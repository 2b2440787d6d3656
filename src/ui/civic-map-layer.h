/* civic-map-layer.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

#include "civic-cluster-index.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_MAP_LAYER (civic_map_layer_get_type ())

G_DECLARE_FINAL_TYPE (CivicMapLayer, civic_map_layer, CIVIC, MAP_LAYER, ShumateLayer)

/* Draws the reports of a CivicClusterIndex over the map in one snapshot:
 * clusters for the visible box at the view's zoom, coloured by department
 * (a pie of the two largest), sized by count, ringed in red when some
 * are overdue; or a heat map. Emits ::cluster-clicked on a click and
 * ::area-selected when a rectangle is drawn with Shift-drag. */
CivicMapLayer *civic_map_layer_new             (ShumateViewport   *viewport);

/* @index is borrowed: the owner keeps it alive while it is set, and
 * calls civic_map_layer_set_index() again after changing it. */
void           civic_map_layer_set_index       (CivicMapLayer     *self,
                                                CivicClusterIndex *index);
CivicClusterIndex *civic_map_layer_get_index   (CivicMapLayer     *self);
void           civic_map_layer_set_department_colour (CivicMapLayer *self,
                                                gint64             department_id,
                                                const GdkRGBA     *colour);
void           civic_map_layer_set_heat        (CivicMapLayer     *self,
                                                gboolean           heat);
gboolean       civic_map_layer_get_heat        (CivicMapLayer     *self);
/* A neutral grid under the points, when no tiles can be had. */
void           civic_map_layer_set_show_grid   (CivicMapLayer     *self,
                                                gboolean           show_grid);
gboolean       civic_map_layer_get_show_grid   (CivicMapLayer     *self);
void           civic_map_layer_set_selection   (CivicMapLayer     *self,
                                                gboolean           has_selection,
                                                double             lat,
                                                double             lon);

/* What the last frame drew: the clusters, their zoom, and which one (if
 * any) is under widget coordinates @x, @y. */
guint          civic_map_layer_get_n_drawn     (CivicMapLayer     *self);
const CivicCluster *civic_map_layer_get_drawn  (CivicMapLayer     *self,
                                                guint              i,
                                                double            *x,
                                                double            *y);
int            civic_map_layer_get_cluster_zoom (CivicMapLayer    *self);
gboolean       civic_map_layer_pick            (CivicMapLayer     *self,
                                                double             x,
                                                double             y,
                                                CivicCluster      *out);

G_END_DECLS
