/* civic-basemap.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

/* The tile server the desk uses when the preferences name none. */
#define CIVIC_BASEMAP_DEFAULT_URL "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

/* The desk's settings, or NULL when the schema is not installed (some
 * tests run without it). */
GSettings        *civic_basemap_settings_new (void);

/* The basemap the preferences choose, shared by every map of the desk:
 * the MBTiles file when one is set, else the tile server ("tile-url", or
 * OpenStreetMap). @tiles receives the data source, whose boolean "failing"
 * property says when tiles cannot be had. On failure, a G_IO_ERROR_INVALID_ARGUMENT
 * for a tile address without {z}, {x} and {y}, or the MBTiles error. */
ShumateMapSource *civic_basemap_new          (GSettings          *settings,
                                              ShumateDataSource **tiles,
                                              GError            **error);
/* A source that draws nothing, for when there are no tiles at all. */
ShumateMapSource *civic_basemap_new_empty    (void);
/* Whether @key is one that changes the basemap. */
gboolean          civic_basemap_is_setting   (const char         *key);

G_END_DECLS
