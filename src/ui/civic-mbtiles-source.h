/* civic-mbtiles-source.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

#define CIVIC_TYPE_MBTILES_SOURCE (civic_mbtiles_source_get_type ())

G_DECLARE_FINAL_TYPE (CivicMbtilesSource, civic_mbtiles_source, CIVIC, MBTILES_SOURCE, ShumateDataSource)

/* Tiles from an offline MBTiles file, read on a worker thread. */
CivicMbtilesSource *civic_mbtiles_source_new            (const char          *path,
                                                         GError             **error);
const char         *civic_mbtiles_source_get_path       (CivicMbtilesSource  *self);
int                 civic_mbtiles_source_get_min_zoom   (CivicMbtilesSource  *self);
int                 civic_mbtiles_source_get_max_zoom   (CivicMbtilesSource  *self);
/* The file's "attribution" metadata, or NULL. */
const char         *civic_mbtiles_source_get_attribution (CivicMbtilesSource *self);
/* Whether the last several tiles asked for could not be read. */
gboolean            civic_mbtiles_source_get_failing    (CivicMbtilesSource  *self);
/* A raster map source drawing this file's tiles. */
ShumateMapSource   *civic_mbtiles_source_create_map_source (CivicMbtilesSource *self);

G_END_DECLS
