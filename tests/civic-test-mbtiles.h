/* civic-test-mbtiles.h
 *
 * Offline map files for tests and benchmarks: MBTiles whose tiles are
 * drawn here with Cairo, each a colour of its own and its address.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <math.h>

#include "civic-cluster-index.h"
#include "civic-mbtiles.h"

G_BEGIN_DECLS

/* A colour only tile @zoom/@x/@y has (0…255 each). */
static inline void
civic_test_tile_colour (int    x,
                        int    y,
                        int    zoom,
                        guint8 rgb[3])
{
  guint32 h = (guint32) x * 73856093u ^ (guint32) y * 19349663u ^ (guint32) zoom * 83492791u;

  rgb[0] = 64 + (h & 0x7f);
  rgb[1] = 64 + ((h >> 8) & 0x7f);
  rgb[2] = 64 + ((h >> 16) & 0x7f);
}

static inline cairo_status_t
civic_test_png_write_cb (void                *closure,
                         const unsigned char *data,
                         unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A 256-pixel PNG tile: its colour, a frame and its address. */
static inline GBytes *
civic_test_draw_tile (int x,
                      int y,
                      int zoom)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 256, 256);
  cairo_t *cr = cairo_create (surface);
  GByteArray *png = g_byte_array_new ();
  char label[32];
  guint8 rgb[3];

  civic_test_tile_colour (x, y, zoom, rgb);
  cairo_set_source_rgb (cr, rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 2);
  cairo_rectangle (cr, 1, 1, 254, 254);
  cairo_stroke (cr);
  g_snprintf (label, sizeof label, "%d/%d/%d", zoom, x, y);
  cairo_move_to (cr, 12, 128);
  cairo_set_font_size (cr, 20);
  cairo_show_text (cr, label);
  cairo_destroy (cr);

  cairo_surface_write_to_png_stream (surface, civic_test_png_write_cb, png);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (png);
}

/* Writes @path with every tile of zooms @min_zoom…@max_zoom that covers
 * the box (the whole world when @west is NAN). Returns the tile count. */
static inline guint
civic_test_make_mbtiles (const char *path,
                         int         min_zoom,
                         int         max_zoom,
                         double      west,
                         double      south,
                         double      east,
                         double      north)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicMbtiles) mbtiles = civic_mbtiles_create (path, "Test tiles", "png", &error);
  guint n = 0;

  g_assert_no_error (error);

  for (int z = min_zoom; z <= max_zoom; z++)
    {
      int x0 = 0, y0 = 0, x1 = (1 << z) - 1, y1 = (1 << z) - 1;

      if (!isnan (west))
        {
          double px0, py0, px1, py1;

          civic_cluster_project (north, west, z, &px0, &py0);
          civic_cluster_project (south, east, z, &px1, &py1);
          x0 = MAX ((int) floor (px0 / 256), 0);
          y0 = MAX ((int) floor (py0 / 256), 0);
          x1 = MIN ((int) floor (px1 / 256), (1 << z) - 1);
          y1 = MIN ((int) floor (py1 / 256), (1 << z) - 1);
        }

      for (int x = x0; x <= x1; x++)
        for (int y = y0; y <= y1; y++)
          {
            g_autoptr(GBytes) tile = civic_test_draw_tile (x, y, z);

            g_assert_true (civic_mbtiles_write_tile (mbtiles, x, y, z, tile, &error));
            g_assert_no_error (error);
            n++;
          }
    }

  g_assert_true (civic_mbtiles_finish (mbtiles, &error));
  g_assert_no_error (error);
  return n;
}

G_END_DECLS
