/* civic-sim-media.c
 *
 * Pictures for the data set, drawn with cairo: the citizens' "photos"
 * (a dark street lamp, a pothole, rubbish bags...), avatars, and their
 * blurhash. Also reads the size of uploaded images.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>

#include "civic-sim-private.h"

static void
hsv (double h,
     double s,
     double v,
     double rgb[3])
{
  double c = v * s;
  double hp = fmod (h / 60.0, 6.0);
  double x = c * (1 - fabs (fmod (hp, 2.0) - 1));
  double r = 0, g = 0, b = 0;

  if (hp < 1) { r = c; g = x; }
  else if (hp < 2) { r = x; g = c; }
  else if (hp < 3) { g = c; b = x; }
  else if (hp < 4) { g = x; b = c; }
  else if (hp < 5) { r = x; b = c; }
  else { r = c; b = x; }
  rgb[0] = r + v - c;
  rgb[1] = g + v - c;
  rgb[2] = b + v - c;
}

/* A tiny deterministic generator so that the same variant draws the same
 * picture everywhere. */
static double
vrand (guint *state)
{
  *state = *state * 1103515245u + 12345u;
  return ((*state >> 8) & 0xffff) / 65535.0;
}

static void
draw_scene (cairo_t    *cr,
            int         scene,
            guint       variant,
            double      w,
            double      h,
            const char *label)
{
  guint st = variant * 2654435761u + (guint) scene;
  double rgb[3];
  double horizon = h * (0.45 + 0.15 * vrand (&st));
  cairo_pattern_t *sky;

  if (scene == SIM_SCENE_AVATAR || scene == SIM_SCENE_PLATE)
    {
      hsv (variant % 360, 0.55, 0.75, rgb);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_paint (cr);
      if (label != NULL && *label != '\0')
        {
          cairo_text_extents_t ext;

          cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
          cairo_set_font_size (cr, MIN (w, h) * (g_utf8_strlen (label, -1) > 2 ? 0.28 : 0.42));
          cairo_text_extents (cr, label, &ext);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_move_to (cr, (w - ext.width) / 2 - ext.x_bearing, (h - ext.height) / 2 - ext.y_bearing);
          cairo_show_text (cr, label);
        }
      return;
    }

  /* Sky (night for the street lamp), walls, pavement. */
  sky = cairo_pattern_create_linear (0, 0, 0, horizon);
  if (scene == SIM_SCENE_STREETLAMP)
    {
      cairo_pattern_add_color_stop_rgb (sky, 0, 0.03, 0.05, 0.15);
      cairo_pattern_add_color_stop_rgb (sky, 1, 0.12, 0.14, 0.28);
    }
  else
    {
      cairo_pattern_add_color_stop_rgb (sky, 0, 0.35, 0.6, 0.9);
      cairo_pattern_add_color_stop_rgb (sky, 1, 0.75, 0.87, 0.97);
    }
  cairo_set_source (cr, sky);
  cairo_rectangle (cr, 0, 0, w, horizon);
  cairo_fill (cr);
  cairo_pattern_destroy (sky);

  for (int i = 0; i < 4; i++)
    {
      double x = w * (i / 4.0) + w * 0.02 * vrand (&st);
      double top = horizon - h * (0.15 + 0.2 * vrand (&st));

      /* Whitewashed Andalusian fronts with a terracotta band. */
      cairo_set_source_rgb (cr, 0.93 - 0.05 * vrand (&st), 0.91, 0.86);
      cairo_rectangle (cr, x, top, w / 4.0 - w * 0.01, horizon - top);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.72, 0.36, 0.22);
      cairo_rectangle (cr, x, top, w / 4.0 - w * 0.01, h * 0.02);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.25, 0.2, 0.18);
      cairo_rectangle (cr, x + w * 0.06, horizon - h * 0.12, w * 0.05, h * 0.12);
      cairo_fill (cr);
    }
  cairo_set_source_rgb (cr, 0.55, 0.53, 0.5);
  cairo_rectangle (cr, 0, horizon, w, h - horizon);
  cairo_fill (cr);

  switch (scene)
    {
    case SIM_SCENE_STREETLAMP:
      cairo_set_source_rgb (cr, 0.15, 0.15, 0.17);
      cairo_rectangle (cr, w * 0.48, h * 0.2, w * 0.02, h * 0.7);
      cairo_fill (cr);
      cairo_rectangle (cr, w * 0.43, h * 0.17, w * 0.12, h * 0.05);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.32);
      cairo_arc (cr, w * 0.49, h * 0.23, w * 0.03, 0, 2 * G_PI);
      cairo_fill (cr);
      break;
    case SIM_SCENE_POTHOLE:
      cairo_set_source_rgb (cr, 0.22, 0.2, 0.19);
      cairo_save (cr);
      cairo_translate (cr, w * (0.4 + 0.2 * vrand (&st)), h * 0.78);
      cairo_scale (cr, w * 0.18, h * 0.07);
      cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
      cairo_restore (cr);
      cairo_fill (cr);
      break;
    case SIM_SCENE_RUBBISH:
      cairo_set_source_rgb (cr, 0.2, 0.45, 0.25);
      cairo_rectangle (cr, w * 0.55, h * 0.5, w * 0.22, h * 0.3);
      cairo_fill (cr);
      for (int i = 0; i < 5; i++)
        {
          cairo_set_source_rgb (cr, 0.08, 0.08, 0.08 + 0.05 * i);
          cairo_arc (cr, w * (0.25 + 0.07 * i + 0.03 * vrand (&st)), h * (0.78 + 0.04 * vrand (&st)),
                     w * 0.05, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      break;
    case SIM_SCENE_CAR:
      hsv (variant % 360, 0.7, 0.7, rgb);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_rectangle (cr, w * 0.2, h * 0.62, w * 0.55, h * 0.14);
      cairo_fill (cr);
      cairo_rectangle (cr, w * 0.3, h * 0.52, w * 0.32, h * 0.12);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.05, 0.05, 0.05);
      cairo_arc (cr, w * 0.3, h * 0.77, w * 0.04, 0, 2 * G_PI);
      cairo_arc (cr, w * 0.65, h * 0.77, w * 0.04, 0, 2 * G_PI);
      cairo_fill (cr);
      break;
    case SIM_SCENE_TREE:
      cairo_set_source_rgb (cr, 0.4, 0.26, 0.13);
      cairo_save (cr);
      cairo_translate (cr, w * 0.2, h * 0.75);
      cairo_rotate (cr, -0.15);
      cairo_rectangle (cr, 0, 0, w * 0.6, h * 0.05);
      cairo_restore (cr);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.2, 0.5, 0.2);
      cairo_arc (cr, w * 0.78, h * 0.62, w * 0.12, 0, 2 * G_PI);
      cairo_fill (cr);
      break;
    case SIM_SCENE_LEAK:
      cairo_set_source_rgba (cr, 0.3, 0.45, 0.7, 0.7);
      cairo_save (cr);
      cairo_translate (cr, w * 0.5, h * 0.82);
      cairo_scale (cr, w * 0.3, h * 0.08);
      cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
      cairo_restore (cr);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.22);
      cairo_rectangle (cr, w * 0.46, h * 0.8, w * 0.08, h * 0.03);
      cairo_fill (cr);
      break;
    default:
      break;
    }
}

static cairo_status_t
write_png_cb (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
sim_media_draw_png (int         scene,
                    guint       variant,
                    int         width,
                    int         height,
                    const char *label)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  GByteArray *png = g_byte_array_new ();

  width = CLAMP (width > 0 ? width : 640, 16, 2048);
  height = CLAMP (height > 0 ? height : 480, 16, 2048);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  draw_scene (cr, scene, variant, width, height, label);
  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, write_png_cb, png);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

/* ------------------------------------------------------------------ */
/* BlurHash (github.com/woltapp/blurhash, the algorithm as described). */

static const char b83[] =
  "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

static void
encode83 (GString *out,
          int      value,
          int      length)
{
  for (int i = 1; i <= length; i++)
    {
      int divisor = 1;

      for (int k = 0; k < length - i; k++)
        divisor *= 83;
      g_string_append_c (out, b83[(value / divisor) % 83]);
    }
}

static double
srgb_to_linear (int v)
{
  double x = v / 255.0;

  return x <= 0.04045 ? x / 12.92 : pow ((x + 0.055) / 1.055, 2.4);
}

static int
linear_to_srgb (double v)
{
  double x = CLAMP (v, 0.0, 1.0);

  return (int) (x <= 0.0031308 ? x * 12.92 * 255 + 0.5 : (1.055 * pow (x, 1 / 2.4) - 0.055) * 255 + 0.5);
}

static double
sign_pow (double v,
          double e)
{
  return copysign (pow (fabs (v), e), v);
}

char *
sim_media_blurhash (int   scene,
                    guint variant)
{
  const int w = 32, h = 24, cx = 4, cy = 3;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create (surface);
  double factors[4 * 3][3] = { { 0 } };
  const guchar *data;
  int stride;
  GString *out = g_string_new (NULL);
  double max_ac = 0;
  int quant_max;

  cairo_scale (cr, w / 640.0, h / 480.0);
  draw_scene (cr, scene, variant, 640, 480, NULL);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);

  {
    /* Linear colours once per pixel, cosines once per column and row. */
    double linear[24][32][3];
    double cos_x[4][32], cos_y[3][24];

    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++)
        {
          guint32 px = *(const guint32 *) (data + y * stride + x * 4);

          linear[y][x][0] = srgb_to_linear ((px >> 16) & 0xff);
          linear[y][x][1] = srgb_to_linear ((px >> 8) & 0xff);
          linear[y][x][2] = srgb_to_linear (px & 0xff);
        }
    for (int i = 0; i < cx; i++)
      for (int x = 0; x < w; x++)
        cos_x[i][x] = cos (G_PI * i * x / w);
    for (int j = 0; j < cy; j++)
      for (int y = 0; y < h; y++)
        cos_y[j][y] = cos (G_PI * j * y / h);

    for (int j = 0; j < cy; j++)
      for (int i = 0; i < cx; i++)
        {
          double norm = (i == 0 && j == 0) ? 1 : 2;
          double *f = factors[j * cx + i];

          for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
              {
                double basis = norm * cos_x[i][x] * cos_y[j][y];

                f[0] += basis * linear[y][x][0];
                f[1] += basis * linear[y][x][1];
                f[2] += basis * linear[y][x][2];
              }
          for (int c = 0; c < 3; c++)
            f[c] /= w * h;
        }
  }
  cairo_surface_destroy (surface);

  encode83 (out, (cx - 1) + (cy - 1) * 9, 1);
  for (int k = 1; k < cx * cy; k++)
    for (int c = 0; c < 3; c++)
      max_ac = MAX (max_ac, fabs (factors[k][c]));
  quant_max = (int) CLAMP (floor (max_ac * 166 - 0.5), 0, 82);
  encode83 (out, quant_max, 1);
  {
    double actual_max = (quant_max + 1) / 166.0;
    int dc = (linear_to_srgb (factors[0][0]) << 16) + (linear_to_srgb (factors[0][1]) << 8) +
             linear_to_srgb (factors[0][2]);

    encode83 (out, dc, 4);
    for (int k = 1; k < cx * cy; k++)
      {
        int q[3];

        for (int c = 0; c < 3; c++)
          q[c] = (int) CLAMP (floor (sign_pow (factors[k][c] / actual_max, 0.5) * 9 + 9.5), 0, 18);
        encode83 (out, q[0] * 19 * 19 + q[1] * 19 + q[2], 2);
      }
  }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------ */

gboolean
sim_media_probe_size (GBytes *bytes,
                      int    *width,
                      int    *height)
{
  gsize len = 0;
  const guchar *d = g_bytes_get_data (bytes, &len);

  *width = *height = 0;
  if (len >= 24 && memcmp (d, "\x89PNG\r\n\x1a\n", 8) == 0)
    {
      *width = (d[16] << 24) | (d[17] << 16) | (d[18] << 8) | d[19];
      *height = (d[20] << 24) | (d[21] << 16) | (d[22] << 8) | d[23];
      return TRUE;
    }
  if (len >= 10 && (memcmp (d, "GIF87a", 6) == 0 || memcmp (d, "GIF89a", 6) == 0))
    {
      *width = d[6] | (d[7] << 8);
      *height = d[8] | (d[9] << 8);
      return TRUE;
    }
  if (len >= 4 && d[0] == 0xff && d[1] == 0xd8)
    {
      gsize i = 2;

      /* Walk the JPEG segments to the first start-of-frame. */
      while (i + 9 < len)
        {
          guchar marker;
          gsize seg;

          if (d[i] != 0xff)
            return FALSE;
          marker = d[i + 1];
          seg = (d[i + 2] << 8) | d[i + 3];
          if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
            {
              *height = (d[i + 5] << 8) | d[i + 6];
              *width = (d[i + 7] << 8) | d[i + 8];
              return TRUE;
            }
          i += 2 + seg;
        }
    }
  return FALSE;
}
