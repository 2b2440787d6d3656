/* test-mbtiles.c
 *
 * The map's tile sources without a display: an MBTiles file generated
 * here (Cairo-drawn tiles) read back through CivicMbtilesSource and the
 * raster renderer, TMS rows flipped right; and the online source against
 * a tile server on 127.0.0.1 (user agent, file cache, outage detection).
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <libsoup/soup.h>
#include <math.h>

#include "civic-map-tile-source.h"
#include "civic-mbtiles-source.h"
#include "civic-test-mbtiles.h"
#include "civic-test-util.h"

typedef struct
{
  gboolean done;
  GBytes *bytes;
  GError *error;
  guint received;       /* ::received-data before completion */
} TileResult;

static void
tile_result_clear (TileResult *r)
{
  g_clear_pointer (&r->bytes, g_bytes_unref);
  g_clear_error (&r->error);
  r->done = FALSE;
  r->received = 0;
}

static void
received_data_cb (ShumateDataSource *source,
                  int                x,
                  int                y,
                  int                zoom,
                  GBytes            *bytes,
                  TileResult        *r)
{
  if (!r->done)
    r->received++;
}

static void
tile_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TileResult *r = user_data;

  r->bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (object), result, &r->error);
  r->done = TRUE;
}

static void
get_tile (ShumateDataSource *source,
          int                x,
          int                y,
          int                zoom,
          TileResult        *r)
{
  gulong id;

  tile_result_clear (r);
  id = g_signal_connect (source, "received-data", G_CALLBACK (received_data_cb), r);
  shumate_data_source_get_tile_data_async (source, x, y, zoom, NULL, tile_done_cb, r);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &r->done, 10000));
  g_signal_handler_disconnect (source, id);
}

static void
test_mbtiles_file (void)
{
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "jun.mbtiles", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicMbtiles) mbtiles = NULL;
  g_autofree char *name = NULL;
  guint n;

  n = civic_test_make_mbtiles (path, 0, 3, NAN, 0, 0, 0);
  g_assert_cmpuint (n, ==, 1 + 4 + 16 + 64);

  mbtiles = civic_mbtiles_open (path, &error);
  g_assert_no_error (error);
  name = civic_mbtiles_dup_metadata (mbtiles, "name");
  g_assert_cmpstr (name, ==, "Test tiles");
  g_assert_cmpint (civic_mbtiles_get_min_zoom (mbtiles), ==, 0);
  g_assert_cmpint (civic_mbtiles_get_max_zoom (mbtiles), ==, 3);

  /* Addressed as the map does (y down): the file's rows are flipped. */
  for (int z = 0; z <= 3; z++)
    for (int x = 0; x < (1 << z); x++)
      for (int y = 0; y < (1 << z); y++)
        {
          g_autoptr(GBytes) expected = civic_test_draw_tile (x, y, z);
          g_autoptr(GBytes) tile = civic_mbtiles_read_tile (mbtiles, x, y, z, &error);

          g_assert_no_error (error);
          g_assert_true (g_bytes_equal (tile, expected));
        }

  g_assert_null (civic_mbtiles_read_tile (mbtiles, 0, 0, 4, &error));
  g_assert_error (error, CIVIC_MBTILES_ERROR, CIVIC_MBTILES_ERROR_NO_TILE);
  g_clear_error (&error);
  g_assert_null (civic_mbtiles_read_tile (mbtiles, 8, 0, 3, &error));
  g_assert_error (error, CIVIC_MBTILES_ERROR, CIVIC_MBTILES_ERROR_NO_TILE);
  g_clear_error (&error);

  g_clear_pointer (&mbtiles, civic_mbtiles_free);
  civic_test_rmdir (dir);
}

static void
test_mbtiles_bad_files (void)
{
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autofree char *missing = g_build_filename (dir, "missing.mbtiles", NULL);
  g_autofree char *text = g_build_filename (dir, "notes.mbtiles", NULL);
  g_autoptr(GError) error = NULL;
  CivicMbtilesSource *source;

  source = civic_mbtiles_source_new (missing, &error);
  g_assert_null (source);
  g_assert_error (error, CIVIC_MBTILES_ERROR, CIVIC_MBTILES_ERROR_OPEN);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (text, "these are not tiles", -1, NULL));
  source = civic_mbtiles_source_new (text, &error);
  g_assert_null (source);
  g_assert_error (error, CIVIC_MBTILES_ERROR, CIVIC_MBTILES_ERROR_INVALID);

  civic_test_rmdir (dir);
}

static void
failing_notify_cb (GObject    *object,
                   GParamSpec *pspec,
                   guint      *count)
{
  (*count)++;
}

static void
fill_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TileResult *r = user_data;

  shumate_map_source_fill_tile_finish (SHUMATE_MAP_SOURCE (object), result, &r->error);
  r->done = TRUE;
}

static void
test_mbtiles_source (void)
{
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "jun.mbtiles", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicMbtilesSource) source = NULL;
  g_autoptr(ShumateMapSource) map_source = NULL;
  g_autoptr(ShumateTile) tile = NULL;
  TileResult r = { 0 };
  guint notified = 0;

  /* Jun at zooms 12-14 only. */
  civic_test_make_mbtiles (path, 12, 14, -3.60, 37.215, -3.59, 37.225);
  source = civic_mbtiles_source_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (civic_mbtiles_source_get_min_zoom (source), ==, 12);
  g_assert_cmpint (civic_mbtiles_source_get_max_zoom (source), ==, 14);
  g_signal_connect (source, "notify::failing", G_CALLBACK (failing_notify_cb), &notified);

  /* A tile over Jun: the very bytes drawn, announced before completion
   * (the raster renderer takes tiles from ::received-data). */
  {
    double px, py;
    int x, y;
    g_autoptr(GBytes) expected = NULL;

    civic_cluster_project (37.2203, -3.5951, 14, &px, &py);
    x = (int) (px / 256);
    y = (int) (py / 256);
    expected = civic_test_draw_tile (x, y, 14);
    get_tile (SHUMATE_DATA_SOURCE (source), x, y, 14, &r);
    g_assert_no_error (r.error);
    g_assert_true (g_bytes_equal (r.bytes, expected));
    g_assert_cmpuint (r.received, ==, 1);

    /* Through the renderer, as the map asks: the tile gets a picture. */
    map_source = civic_mbtiles_source_create_map_source (source);
    g_assert_cmpuint (shumate_map_source_get_min_zoom_level (map_source), ==, 12);
    g_assert_cmpuint (shumate_map_source_get_max_zoom_level (map_source), ==, 14);
    tile = shumate_tile_new_full (x, y, 256, 14);
    tile_result_clear (&r);
    shumate_map_source_fill_tile_async (map_source, tile, NULL, fill_done_cb, &r);
    g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &r.done, 10000));
    g_assert_no_error (r.error);
    g_assert_nonnull (shumate_tile_get_paintable (tile));
    g_assert_cmpint (gdk_paintable_get_intrinsic_width (shumate_tile_get_paintable (tile)), ==, 256);
  }

  /* Off the file's map: errors; a few at the edge of the file's area
   * are no outage, a screenful in a row is. */
  g_assert_false (civic_mbtiles_source_get_failing (source));
  for (guint i = 0; i < 16; i++)
    {
      get_tile (SHUMATE_DATA_SOURCE (source), i, 0, 14, &r);
      g_assert_error (r.error, CIVIC_MBTILES_ERROR, CIVIC_MBTILES_ERROR_NO_TILE);
      g_assert_cmpuint (r.received, ==, 0);
      g_assert_true (civic_mbtiles_source_get_failing (source) == (i == 15));
    }
  g_assert_cmpuint (notified, ==, 1);

  /* One good tile and it is back. */
  {
    double px, py;

    civic_cluster_project (37.2203, -3.5951, 12, &px, &py);
    get_tile (SHUMATE_DATA_SOURCE (source), (int) (px / 256), (int) (py / 256), 12, &r);
    g_assert_no_error (r.error);
  }
  g_assert_false (civic_mbtiles_source_get_failing (source));
  g_assert_cmpuint (notified, ==, 2);

  tile_result_clear (&r);
  g_clear_object (&map_source);
  g_clear_object (&source);
  civic_test_rmdir (dir);
}

/* The online source against a tile server on 127.0.0.1. */

typedef struct
{
  guint requests;
  char *user_agent;
  char *last_path;
  guint status;          /* what to answer */
} TileServer;

static void
tile_server_cb (SoupServer        *server,
                SoupServerMessage *message,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  TileServer *ts = user_data;
  int z, x, y;

  ts->requests++;
  g_free (ts->user_agent);
  ts->user_agent = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                           "User-Agent"));
  g_free (ts->last_path);
  ts->last_path = g_strdup (path);

  if (ts->status != 200 || sscanf (path, "/tiles/%d/%d/%d.png", &z, &x, &y) != 3)
    {
      soup_server_message_set_status (message, ts->status != 200 ? ts->status : 404, NULL);
      return;
    }

  {
    g_autoptr(GBytes) png = civic_test_draw_tile (x, y, z);
    gsize size;
    gconstpointer data = g_bytes_get_data (png, &size);

    soup_server_message_set_status (message, 200, NULL);
    soup_server_message_set_response (message, "image/png", SOUP_MEMORY_COPY, data, size);
  }
}

static void
test_url_template (void)
{
  g_autofree char *a = civic_map_tile_url_expand ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", 3, 5, 4);
  g_autofree char *b = civic_map_tile_url_expand ("https://tiles.jun.example/tms/{z}/{x}/{-y}.png", 3, 5, 4);
  g_autofree char *c = civic_map_tile_url_expand ("https://x.example/{z}/{x}/{tmsy}?k={key}", 0, 0, 1);
  g_autofree char *d = civic_map_tile_url_expand ("https://x.example/{z}/{x}.png", 0, 0, 1);

  g_assert_cmpstr (a, ==, "https://tile.openstreetmap.org/4/3/5.png");
  g_assert_cmpstr (b, ==, "https://tiles.jun.example/tms/4/3/10.png");
  g_assert_cmpstr (c, ==, "https://x.example/1/0/1?k={key}");
  g_assert_null (d);
}

static void
test_online_source (void)
{
  g_autofree char *cache = civic_test_mkdtemp ();
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicMapTileSource) source = NULL;
  g_autoptr(GBytes) expected = civic_test_draw_tile (3, 5, 4);
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  TileServer ts = { 0, NULL, NULL, 200 };
  TileResult r = { 0 };
  GSList *uris;

  soup_server_add_handler (server, "/tiles", tile_server_cb, &ts, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  url = g_strdup_printf ("%stiles/{z}/{x}/{y}.png", base);

  shumate_set_user_agent ("CivicDesk/test (map tests)");
  source = civic_map_tile_source_new (url, cache);

  /* Downloaded with our user agent. */
  get_tile (SHUMATE_DATA_SOURCE (source), 3, 5, 4, &r);
  g_assert_no_error (r.error);
  g_assert_true (g_bytes_equal (r.bytes, expected));
  g_assert_cmpuint (r.received, ==, 1);
  g_assert_cmpuint (ts.requests, ==, 1);
  g_assert_cmpstr (ts.last_path, ==, "/tiles/4/3/5.png");
  g_assert_cmpstr (ts.user_agent, ==, "CivicDesk/test (map tests)");

  /* Stored in the file cache: the next time needs no request, even with
   * the server down. Stores are asynchronous: wait for the cache file. */
  ts.status = 503;
  {
    gboolean cached = FALSE;
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (!cached && g_get_monotonic_time () < deadline)
      {
        get_tile (SHUMATE_DATA_SOURCE (source), 3, 5, 4, &r);
        /* libshumate writes a new cache file in place: read while it is
         * being written, it is short. Whole, it is the tile. */
        cached = r.error == NULL && ts.requests == 1 && g_bytes_equal (r.bytes, expected);
        if (!cached)
          g_main_context_iteration (NULL, FALSE);
        ts.requests = 1;
      }
    g_assert_true (cached);
    g_assert_true (g_bytes_equal (r.bytes, expected));
  }

  /* The server then fails every tile: errors, and after a screenful the
   * source says so. */
  g_assert_false (civic_map_tile_source_get_failing (source));
  for (int i = 0; i < 16; i++)
    {
      get_tile (SHUMATE_DATA_SOURCE (source), i % 4, i / 4, 2, &r);
      g_assert_error (r.error, SHUMATE_TILE_DOWNLOADER_ERROR, SHUMATE_TILE_DOWNLOADER_ERROR_BAD_RESPONSE);
    }
  g_assert_true (civic_map_tile_source_get_failing (source));

  /* Back up: the next tile clears it. */
  ts.status = 200;
  get_tile (SHUMATE_DATA_SOURCE (source), 1, 1, 2, &r);
  g_assert_no_error (r.error);
  g_assert_false (civic_map_tile_source_get_failing (source));

  tile_result_clear (&r);
  g_clear_object (&source);
  g_free (ts.user_agent);
  g_free (ts.last_path);
  civic_test_rmdir (cache);
}

static void
test_online_source_unreachable (void)
{
  g_autofree char *cache = civic_test_mkdtemp ();
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(CivicMapTileSource) source = NULL;
  g_autofree char *url = NULL;
  TileResult r = { 0 };
  guint16 port;

  /* A port nobody listens on: bound, never listening. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  address = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  g_clear_object (&address);
  address = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  url = g_strdup_printf ("http://127.0.0.1:%u/{z}/{x}/{y}.png", port);

  /* Never a tile: four failures are enough to say so. */
  source = civic_map_tile_source_new (url, cache);
  for (int x = 0; x < 4; x++)
    {
      g_assert_false (civic_map_tile_source_get_failing (source));
      get_tile (SHUMATE_DATA_SOURCE (source), x, 1, 2, &r);
      g_assert_nonnull (r.error);
    }
  g_assert_true (civic_map_tile_source_get_failing (source));

  tile_result_clear (&r);
  g_clear_object (&source);
  civic_test_rmdir (cache);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mbtiles/file", test_mbtiles_file);
  g_test_add_func ("/mbtiles/bad-files", test_mbtiles_bad_files);
  g_test_add_func ("/mbtiles/source", test_mbtiles_source);
  g_test_add_func ("/tiles/url-template", test_url_template);
  g_test_add_func ("/tiles/online", test_online_source);
  g_test_add_func ("/tiles/unreachable", test_online_source_unreachable);

  return g_test_run ();
}
