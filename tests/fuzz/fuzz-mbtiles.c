/* fuzz-mbtiles.c
 *
 * An offline map file (MBTiles: sqlite) as someone may hand it to the
 * desk: opened, its metadata and some tiles read.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "civic-fuzz.h"
#include "civic-mbtiles.h"

static char *path;

static void
write_input (const uint8_t *data,
             size_t         size)
{
  FILE *file;

  if (path == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("civic-fuzz-mbtiles-XXXXXX", &error);

      g_assert_no_error (error);
      path = g_build_filename (dir, "input.mbtiles", NULL);
    }

  file = fopen (path, "wb");
  if (file == NULL)
    g_error ("Cannot write %s: %s", path, g_strerror (errno));
  if (size > 0)
    g_assert_cmpuint (fwrite (data, 1, size, file), ==, size);
  fclose (file);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const int tiles[][3] = { { 0, 0, 0 }, { 1, 0, 1 }, { 0, 1, 1 }, { 3, 5, 3 }, { 64, 64, 7 } };
  g_autoptr(CivicMbtiles) mbtiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *format = NULL;

  civic_fuzz_init_logging ();
  write_input (data, size);

  mbtiles = civic_mbtiles_open (path, &error);
  if (mbtiles == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }

  name = civic_mbtiles_dup_metadata (mbtiles, "name");
  format = civic_mbtiles_dup_metadata (mbtiles, "format");
  g_assert_cmpint (civic_mbtiles_get_min_zoom (mbtiles), >=, 0);
  g_assert_cmpint (civic_mbtiles_get_max_zoom (mbtiles), <=, 30);

  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      g_autoptr(GBytes) tile = civic_mbtiles_read_tile (mbtiles, tiles[i][0], tiles[i][1], tiles[i][2], &error);

      g_assert_true ((tile == NULL) != (error == NULL));
      g_clear_error (&error);
    }

  return 0;
}
