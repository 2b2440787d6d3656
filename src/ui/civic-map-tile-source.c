/* civic-map-tile-source.c
 *
 * The map's online basemap: tiles from a tile server, cached on disk.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "civic-map-private.h"
#include "civic-map-tile-source.h"

#define CACHE_SIZE (100 * 1000 * 1000)
#define CACHE_FRESH (7 * G_TIME_SPAN_DAY)
#define MAX_CONNECTIONS 2

#define OSM_TILE_HOST "tile.openstreetmap.org"

struct _CivicMapTileSource
{
  ShumateDataSource parent_instance;

  char *url_template;         /* owned */
  char *cache_dir;            /* owned, nullable */
  SoupSession *session;       /* owned, created on first download */
  ShumateFileCache *cache;    /* owned */
  CivicTileHealth health;
};

enum {
  PROP_0,
  PROP_URL_TEMPLATE,
  PROP_CACHE_DIR,
  PROP_FAILING,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CivicMapTileSource, civic_map_tile_source, SHUMATE_TYPE_DATA_SOURCE)

static GParamSpec *properties[N_PROPS];

typedef struct
{
  int x;
  int y;
  int zoom;
  GBytes *cached;             /* owned, nullable: what the cache had */
  char *etag;                 /* owned, nullable */
  GDateTime *modified;        /* owned, nullable */
  SoupMessage *message;       /* owned */
} Fetch;

static void
fetch_free (gpointer data)
{
  Fetch *fetch = data;

  g_clear_pointer (&fetch->cached, g_bytes_unref);
  g_clear_pointer (&fetch->etag, g_free);
  g_clear_pointer (&fetch->modified, g_date_time_unref);
  g_clear_object (&fetch->message);
  g_free (fetch);
}

char *
civic_map_tile_url_expand (const char *url_template,
                           int         x,
                           int         y,
                           int         zoom)
{
  g_autoptr(GString) url = NULL;
  gboolean have_x = FALSE, have_y = FALSE, have_z = FALSE;
  const char *p;

  g_return_val_if_fail (url_template != NULL, NULL);

  url = g_string_sized_new (strlen (url_template) + 16);
  for (p = url_template; *p != '\0'; p++)
    {
      if (*p == '{')
        {
          const char *close = strchr (p, '}');
          gsize len = close != NULL ? (gsize) (close - p - 1) : 0;

          int value;

          if (close != NULL && len == 1 && p[1] == 'z')
            {
              value = zoom;
              have_z = TRUE;
            }
          else if (close != NULL && len == 1 && p[1] == 'x')
            {
              value = x;
              have_x = TRUE;
            }
          else if (close != NULL && len == 1 && p[1] == 'y')
            {
              value = y;
              have_y = TRUE;
            }
          else if (close != NULL && ((len == 2 && strncmp (p + 1, "-y", 2) == 0) ||
                                     (len == 4 && strncmp (p + 1, "tmsy", 4) == 0)))
            {
              value = (1 << zoom) - 1 - y;
              have_y = TRUE;
            }
          else
            {
              g_string_append_c (url, *p);
              continue;
            }
          g_string_append_printf (url, "%d", value);
          p = close;
          continue;
        }
      g_string_append_c (url, *p);
    }

  if (!have_x || !have_y || !have_z)
    return NULL;

  return g_string_free (g_steal_pointer (&url), FALSE);
}

static void
record (CivicMapTileSource *self,
        const GError       *error,
        gboolean            missing)
{
  if (_civic_tile_health_record (&self->health, error, missing))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILING]);
}

static void
return_bytes (GTask  *task,
              GBytes *bytes)
{
  CivicMapTileSource *self = g_task_get_source_object (task);

  record (self, NULL, FALSE);
  g_task_return_pointer (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
}

static void
return_error (GTask    *task,
              GError   *error,
              gboolean  missing)
{
  CivicMapTileSource *self = g_task_get_source_object (task);

  record (self, error, missing);
  g_task_return_error (task, error);
}

static void
cache_stored_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A tile that could not be cached is downloaded again next time. */
  if (!shumate_file_cache_store_tile_finish (SHUMATE_FILE_CACHE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Could not cache a map tile: %s", error->message);
}

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CivicMapTileSource *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      /* Offline, or the server is down: a cached tile still does. */
      if (fetch->cached != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&error);
          return_bytes (task, fetch->cached);
        }
      else
        return_error (task, error, FALSE);
      return;
    }

  status = soup_message_get_status (fetch->message);
  if (status == SOUP_STATUS_NOT_MODIFIED && fetch->cached != NULL)
    {
      shumate_file_cache_mark_up_to_date (self->cache, fetch->x, fetch->y, fetch->zoom);
      return_bytes (task, fetch->cached);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status) || g_bytes_get_size (body) == 0)
    {
      if (fetch->cached != NULL)
        return_bytes (task, fetch->cached);
      else
        return_error (task, g_error_new (SHUMATE_TILE_DOWNLOADER_ERROR,
                                         SHUMATE_TILE_DOWNLOADER_ERROR_BAD_RESPONSE,
                                         "The tile server answered HTTP %u %s", status,
                                         soup_message_get_reason_phrase (fetch->message)),
                      status == SOUP_STATUS_NOT_FOUND);
      return;
    }

  g_signal_emit_by_name (self, "received-data", fetch->x, fetch->y, fetch->zoom, body);
  shumate_file_cache_store_tile_async (self->cache, fetch->x, fetch->y, fetch->zoom, body,
                                       soup_message_headers_get_one (soup_message_get_response_headers (fetch->message), "ETag"),
                                       NULL, cache_stored_cb, NULL);
  return_bytes (task, body);
}

static void
download (GTask *task)
{
  CivicMapTileSource *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autofree char *url = civic_map_tile_url_expand (self->url_template, fetch->x, fetch->y, fetch->zoom);
  SoupMessageHeaders *headers;

  if (url != NULL)
    fetch->message = soup_message_new (SOUP_METHOD_GET, url);
  if (fetch->message == NULL)
    {
      return_error (task, g_error_new (SHUMATE_TILE_DOWNLOADER_ERROR,
                                       SHUMATE_TILE_DOWNLOADER_ERROR_MALFORMED_URL,
                                       "The map tile address “%s” is not a valid URL template "
                                       "with {z}, {x} and {y}", self->url_template),
                    FALSE);
      return;
    }

  headers = soup_message_get_request_headers (fetch->message);
  if (fetch->etag != NULL)
    soup_message_headers_append (headers, "If-None-Match", fetch->etag);
  else if (fetch->modified != NULL)
    {
      g_autofree char *since = g_date_time_format (fetch->modified, "%a, %d %b %Y %H:%M:%S GMT");

      soup_message_headers_append (headers, "If-Modified-Since", since);
    }

  if (self->session == NULL)
    self->session = soup_session_new_with_options ("user-agent", shumate_get_user_agent (),
                                                   "max-conns", MAX_CONNECTIONS,
                                                   "max-conns-per-host", MAX_CONNECTIONS,
                                                   "timeout", 30,
                                                   NULL);

  soup_session_send_and_read_async (self->session, fetch->message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), download_cb, g_object_ref (task));
}

static void
cache_lookup_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CivicMapTileSource *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);

  fetch->cached = shumate_file_cache_get_tile_finish (SHUMATE_FILE_CACHE (object), &fetch->etag,
                                                      &fetch->modified, result, NULL);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (fetch->cached != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      g_signal_emit_by_name (self, "received-data", fetch->x, fetch->y, fetch->zoom, fetch->cached);
      if (fetch->modified != NULL && g_date_time_difference (now, fetch->modified) < CACHE_FRESH)
        {
          return_bytes (task, fetch->cached);
          return;
        }
    }

  download (task);
}

static void
civic_map_tile_source_get_tile_data_async (ShumateDataSource   *source,
                                           int                  x,
                                           int                  y,
                                           int                  zoom_level,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  CivicMapTileSource *self = CIVIC_MAP_TILE_SOURCE (source);
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);
  Fetch *fetch = g_new0 (Fetch, 1);

  g_task_set_source_tag (task, civic_map_tile_source_get_tile_data_async);
  fetch->x = x;
  fetch->y = y;
  fetch->zoom = zoom_level;
  g_task_set_task_data (task, fetch, fetch_free);

  /* A template that cannot make an address: every tile fails, at once. */
  if (self->cache == NULL)
    {
      download (task);
      return;
    }

  shumate_file_cache_get_tile_async (self->cache, x, y, zoom_level, cancellable,
                                     cache_lookup_cb, g_steal_pointer (&task));
}

static GBytes *
civic_map_tile_source_get_tile_data_finish (ShumateDataSource  *source,
                                            GAsyncResult       *result,
                                            GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
civic_map_tile_source_constructed (GObject *object)
{
  CivicMapTileSource *self = (CivicMapTileSource *) object;
  g_autofree char *cache_key = NULL;
  g_autofree char *probe = NULL;

  G_OBJECT_CLASS (civic_map_tile_source_parent_class)->constructed (object);

  probe = civic_map_tile_url_expand (self->url_template != NULL ? self->url_template : "", 0, 0, 0);
  if (probe == NULL)
    return;

  /* One cache per tile server, as libshumate names them. */
  cache_key = g_strcanon (g_strdup (self->url_template != NULL ? self->url_template : ""),
                          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", '_');
  self->cache = shumate_file_cache_new_full (CACHE_SIZE, cache_key, self->cache_dir);
}

static void
civic_map_tile_source_dispose (GObject *object)
{
  CivicMapTileSource *self = (CivicMapTileSource *) object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->cache);

  G_OBJECT_CLASS (civic_map_tile_source_parent_class)->dispose (object);
}

static void
civic_map_tile_source_finalize (GObject *object)
{
  CivicMapTileSource *self = (CivicMapTileSource *) object;

  g_free (self->url_template);
  g_free (self->cache_dir);

  G_OBJECT_CLASS (civic_map_tile_source_parent_class)->finalize (object);
}

static void
civic_map_tile_source_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CivicMapTileSource *self = CIVIC_MAP_TILE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_URL_TEMPLATE:
      g_value_set_string (value, self->url_template);
      break;
    case PROP_CACHE_DIR:
      g_value_set_string (value, self->cache_dir);
      break;
    case PROP_FAILING:
      g_value_set_boolean (value, self->health.failing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_map_tile_source_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CivicMapTileSource *self = CIVIC_MAP_TILE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_URL_TEMPLATE:
      self->url_template = g_value_dup_string (value);
      break;
    case PROP_CACHE_DIR:
      self->cache_dir = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_map_tile_source_class_init (CivicMapTileSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->constructed = civic_map_tile_source_constructed;
  object_class->dispose = civic_map_tile_source_dispose;
  object_class->finalize = civic_map_tile_source_finalize;
  object_class->get_property = civic_map_tile_source_get_property;
  object_class->set_property = civic_map_tile_source_set_property;

  source_class->get_tile_data_async = civic_map_tile_source_get_tile_data_async;
  source_class->get_tile_data_finish = civic_map_tile_source_get_tile_data_finish;

  properties[PROP_URL_TEMPLATE] =
    g_param_spec_string ("url-template", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CACHE_DIR] =
    g_param_spec_string ("cache-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAILING] =
    g_param_spec_boolean ("failing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
civic_map_tile_source_init (CivicMapTileSource *self)
{
}

CivicMapTileSource *
civic_map_tile_source_new (const char *url_template,
                           const char *cache_dir)
{
  g_return_val_if_fail (url_template != NULL, NULL);

  return g_object_new (CIVIC_TYPE_MAP_TILE_SOURCE,
                       "url-template", url_template,
                       "cache-dir", cache_dir,
                       NULL);
}

const char *
civic_map_tile_source_get_url_template (CivicMapTileSource *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_TILE_SOURCE (self), NULL);

  return self->url_template;
}

gboolean
civic_map_tile_source_get_failing (CivicMapTileSource *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_TILE_SOURCE (self), FALSE);

  return self->health.failing;
}

ShumateMapSource *
civic_map_tile_source_create_map_source (CivicMapTileSource *self)
{
  gboolean osm;

  g_return_val_if_fail (CIVIC_IS_MAP_TILE_SOURCE (self), NULL);

  /* Most tile servers draw OpenStreetMap data; its licence asks for the
   * credit whatever the server. */
  osm = strstr (self->url_template, OSM_TILE_HOST) != NULL;
  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full (osm ? "osm-mapnik" : self->url_template,
                                                               osm ? "OpenStreetMap" : self->url_template,
                                                               _("© OpenStreetMap contributors"),
                                                               "https://www.openstreetmap.org/copyright",
                                                               0, 19, 256,
                                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (self)));
}
