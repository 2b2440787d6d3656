/* civic-mbtiles.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CIVIC_MBTILES_ERROR (civic_mbtiles_error_quark ())

/**
 * CivicMbtilesError:
 * @CIVIC_MBTILES_ERROR_OPEN: the file cannot be opened or created
 * @CIVIC_MBTILES_ERROR_INVALID: the file is not an MBTiles tile set
 * @CIVIC_MBTILES_ERROR_NO_TILE: the file has no tile at that place and zoom
 * @CIVIC_MBTILES_ERROR_FAILED: reading or writing failed; the message has sqlite's words
 */
typedef enum
{
  CIVIC_MBTILES_ERROR_OPEN,
  CIVIC_MBTILES_ERROR_INVALID,
  CIVIC_MBTILES_ERROR_NO_TILE,
  CIVIC_MBTILES_ERROR_FAILED,
} CivicMbtilesError;

GQuark civic_mbtiles_error_quark (void);

/* An MBTiles file (https://github.com/mapbox/mbtiles-spec): an offline
 * tile set in sqlite. Tiles are addressed here as the map addresses them
 * (XYZ, y down); the file's TMS rows (y up) are flipped inside. Safe to
 * use from several threads. */
typedef struct _CivicMbtiles CivicMbtiles;

CivicMbtiles *civic_mbtiles_open         (const char    *path,
                                          GError       **error);
/* Creates (or empties) a tile set; @format is "png" or "jpg". */
CivicMbtiles *civic_mbtiles_create       (const char    *path,
                                          const char    *name,
                                          const char    *format,
                                          GError       **error);
void          civic_mbtiles_free         (CivicMbtiles  *self);

/* The `metadata` table: name, format, minzoom, maxzoom, bounds, attribution… */
char         *civic_mbtiles_dup_metadata (CivicMbtiles  *self,
                                          const char    *key);
int           civic_mbtiles_get_min_zoom (CivicMbtiles  *self);
int           civic_mbtiles_get_max_zoom (CivicMbtiles  *self);

GBytes       *civic_mbtiles_read_tile    (CivicMbtiles  *self,
                                          int            x,
                                          int            y,
                                          int            zoom,
                                          GError       **error);
gboolean      civic_mbtiles_write_tile   (CivicMbtiles  *self,
                                          int            x,
                                          int            y,
                                          int            zoom,
                                          GBytes        *data,
                                          GError       **error);
/* Records minzoom and maxzoom from the tiles written and saves them all
 * (a created file is written in one transaction). */
gboolean      civic_mbtiles_finish       (CivicMbtiles  *self,
                                          GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicMbtiles, civic_mbtiles_free)

G_END_DECLS
