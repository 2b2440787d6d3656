/* civic-mbtiles-source.c
 *
 * The map's offline basemap: a ShumateDataSource over an MBTiles file.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-map-private.h"
#include "civic-mbtiles.h"
#include "civic-mbtiles-source.h"

struct _CivicMbtilesSource
{
  ShumateDataSource parent_instance;

  CivicMbtiles *mbtiles;     /* owned; thread-safe */
  char *path;                /* owned */
  char *attribution;         /* owned, nullable */
  CivicTileHealth health;
};

enum {
  PROP_0,
  PROP_FAILING,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CivicMbtilesSource, civic_mbtiles_source, SHUMATE_TYPE_DATA_SOURCE)

static GParamSpec *properties[N_PROPS];

typedef struct
{
  int x;
  int y;
  int zoom;
} TileRequest;

static void
read_tile_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  CivicMbtilesSource *self = source_object;
  TileRequest *request = task_data;
  GError *error = NULL;
  GBytes *bytes;

  if (g_task_return_error_if_cancelled (task))
    return;

  bytes = civic_mbtiles_read_tile (self->mbtiles, request->x, request->y, request->zoom, &error);
  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

/* Back on the main thread: the renderer takes the tile from
 * ::received-data, which must come before the request completes. */
static void
read_tile_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CivicMbtilesSource *self = CIVIC_MBTILES_SOURCE (object);
  g_autoptr(GTask) task = user_data;
  TileRequest *request = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_task_propagate_pointer (G_TASK (result), &error);
  if (_civic_tile_health_record (&self->health, error,
                                 g_error_matches (error, CIVIC_MBTILES_ERROR, CIVIC_MBTILES_ERROR_NO_TILE)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILING]);

  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_signal_emit_by_name (self, "received-data", request->x, request->y, request->zoom, bytes);
  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

static void
civic_mbtiles_source_get_tile_data_async (ShumateDataSource   *source,
                                          int                  x,
                                          int                  y,
                                          int                  zoom_level,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);
  g_autoptr(GTask) read = g_task_new (source, cancellable, read_tile_done_cb, g_object_ref (task));
  TileRequest *request = g_new (TileRequest, 1);

  g_task_set_source_tag (task, civic_mbtiles_source_get_tile_data_async);
  request->x = x;
  request->y = y;
  request->zoom = zoom_level;
  g_task_set_task_data (task, request, g_free);
  g_task_set_task_data (read, g_memdup2 (request, sizeof *request), g_free);
  g_task_run_in_thread (read, read_tile_thread);
}

static GBytes *
civic_mbtiles_source_get_tile_data_finish (ShumateDataSource  *source,
                                           GAsyncResult       *result,
                                           GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
civic_mbtiles_source_finalize (GObject *object)
{
  CivicMbtilesSource *self = (CivicMbtilesSource *) object;

  g_clear_pointer (&self->mbtiles, civic_mbtiles_free);
  g_free (self->path);
  g_free (self->attribution);

  G_OBJECT_CLASS (civic_mbtiles_source_parent_class)->finalize (object);
}

static void
civic_mbtiles_source_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CivicMbtilesSource *self = CIVIC_MBTILES_SOURCE (object);

  switch (prop_id)
    {
    case PROP_FAILING:
      g_value_set_boolean (value, self->health.failing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_mbtiles_source_class_init (CivicMbtilesSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->finalize = civic_mbtiles_source_finalize;
  object_class->get_property = civic_mbtiles_source_get_property;

  source_class->get_tile_data_async = civic_mbtiles_source_get_tile_data_async;
  source_class->get_tile_data_finish = civic_mbtiles_source_get_tile_data_finish;

  properties[PROP_FAILING] =
    g_param_spec_boolean ("failing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
civic_mbtiles_source_init (CivicMbtilesSource *self)
{
}

CivicMbtilesSource *
civic_mbtiles_source_new (const char  *path,
                          GError     **error)
{
  g_autoptr(CivicMbtilesSource) self = NULL;
  CivicMbtiles *mbtiles;

  g_return_val_if_fail (path != NULL, NULL);

  mbtiles = civic_mbtiles_open (path, error);
  if (mbtiles == NULL)
    return NULL;

  self = g_object_new (CIVIC_TYPE_MBTILES_SOURCE, NULL);
  self->mbtiles = mbtiles;
  self->path = g_strdup (path);
  self->attribution = civic_mbtiles_dup_metadata (mbtiles, "attribution");

  return g_steal_pointer (&self);
}

const char *
civic_mbtiles_source_get_path (CivicMbtilesSource *self)
{
  g_return_val_if_fail (CIVIC_IS_MBTILES_SOURCE (self), NULL);

  return self->path;
}

int
civic_mbtiles_source_get_min_zoom (CivicMbtilesSource *self)
{
  g_return_val_if_fail (CIVIC_IS_MBTILES_SOURCE (self), 0);

  return civic_mbtiles_get_min_zoom (self->mbtiles);
}

int
civic_mbtiles_source_get_max_zoom (CivicMbtilesSource *self)
{
  g_return_val_if_fail (CIVIC_IS_MBTILES_SOURCE (self), 0);

  return civic_mbtiles_get_max_zoom (self->mbtiles);
}

const char *
civic_mbtiles_source_get_attribution (CivicMbtilesSource *self)
{
  g_return_val_if_fail (CIVIC_IS_MBTILES_SOURCE (self), NULL);

  return self->attribution;
}

gboolean
civic_mbtiles_source_get_failing (CivicMbtilesSource *self)
{
  g_return_val_if_fail (CIVIC_IS_MBTILES_SOURCE (self), FALSE);

  return self->health.failing;
}

ShumateMapSource *
civic_mbtiles_source_create_map_source (CivicMbtilesSource *self)
{
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  int min_zoom, max_zoom;

  g_return_val_if_fail (CIVIC_IS_MBTILES_SOURCE (self), NULL);

  id = g_strdup_printf ("civic-mbtiles:%s", self->path);
  name = civic_mbtiles_dup_metadata (self->mbtiles, "name");
  min_zoom = MAX (civic_mbtiles_get_min_zoom (self->mbtiles), 0);
  max_zoom = MAX (civic_mbtiles_get_max_zoom (self->mbtiles), min_zoom);

  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full (id, name != NULL ? name : id,
                                                               self->attribution != NULL ? self->attribution : "",
                                                               NULL, min_zoom, max_zoom, 256,
                                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (self)));
}
