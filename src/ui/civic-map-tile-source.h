/* civic-map-tile-source.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

#define CIVIC_TYPE_MAP_TILE_SOURCE (civic_map_tile_source_get_type ())

G_DECLARE_FINAL_TYPE (CivicMapTileSource, civic_map_tile_source, CIVIC, MAP_TILE_SOURCE, ShumateDataSource)

/* Raster tiles downloaded from @url_template ({z}, {x}, {y}; {-y} or
 * {tmsy} for TMS rows) with shumate_get_user_agent() as the user agent,
 * at most two connections (OpenStreetMap's tile policy), and kept in
 * libshumate's file cache (under @cache_dir, or the user cache when NULL).
 * libshumate 1.0's own downloader ignores the user agent, which
 * tile.openstreetmap.org requires. */
CivicMapTileSource *civic_map_tile_source_new             (const char         *url_template,
                                                           const char         *cache_dir);
const char         *civic_map_tile_source_get_url_template (CivicMapTileSource *self);
gboolean            civic_map_tile_source_get_failing     (CivicMapTileSource *self);
ShumateMapSource   *civic_map_tile_source_create_map_source (CivicMapTileSource *self);

/* Fills a URL template in; NULL when it lacks {z}, {x} or a y. */
char               *civic_map_tile_url_expand             (const char         *url_template,
                                                           int                 x,
                                                           int                 y,
                                                           int                 zoom);

G_END_DECLS
