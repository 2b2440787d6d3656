/* civic-basemap.c
 *
 * The basemap from the settings, for the map page and the detail pane's
 * small map alike.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "civic-basemap.h"
#include "civic-map-tile-source.h"
#include "civic-mbtiles-source.h"

GSettings *
civic_basemap_settings_new (void)
{
  GSettingsSchemaSource *schemas = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (schemas != NULL)
    schema = g_settings_schema_source_lookup (schemas, APP_ID, TRUE);

  return schema != NULL ? g_settings_new (APP_ID) : NULL;
}

ShumateMapSource *
civic_basemap_new (GSettings          *settings,
                   ShumateDataSource **tiles,
                   GError            **error)
{
  g_autofree char *mbtiles_path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *probe = NULL;
  g_autoptr(CivicMapTileSource) online = NULL;
  ShumateMapSource *source;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (tiles != NULL, NULL);

  *tiles = NULL;

  if (settings != NULL)
    {
      mbtiles_path = g_settings_get_string (settings, "mbtiles-path");
      url = g_settings_get_string (settings, "tile-url");
    }

  if (mbtiles_path != NULL && *mbtiles_path != '\0')
    {
      g_autoptr(CivicMbtilesSource) mbtiles = civic_mbtiles_source_new (mbtiles_path, error);

      if (mbtiles == NULL)
        return NULL;

      source = civic_mbtiles_source_create_map_source (mbtiles);
      *tiles = SHUMATE_DATA_SOURCE (g_steal_pointer (&mbtiles));
      return source;
    }

  if (url == NULL || *url == '\0')
    {
      g_free (url);
      url = g_strdup (CIVIC_BASEMAP_DEFAULT_URL);
    }

  probe = civic_map_tile_url_expand (url, 0, 0, 0);
  if (probe == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The map tile address %s lacks {z}, {x} or {y}", url);
      return NULL;
    }

  online = civic_map_tile_source_new (url, NULL);
  source = civic_map_tile_source_create_map_source (online);
  *tiles = SHUMATE_DATA_SOURCE (g_steal_pointer (&online));

  return source;
}

ShumateMapSource *
civic_basemap_new_empty (void)
{
  g_autoptr(CivicMapTileSource) none = civic_map_tile_source_new ("", NULL);

  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full ("civic-no-tiles", "", "", NULL, 0, 19, 256,
                                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (none)));
}

gboolean
civic_basemap_is_setting (const char *key)
{
  return g_strcmp0 (key, "tile-url") == 0 || g_strcmp0 (key, "mbtiles-path") == 0;
}
