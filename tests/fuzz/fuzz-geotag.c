/* fuzz-geotag.c
 *
 * Places read from a status's text and HTML (and a gazetteer file): every
 * point found is a real place on Earth, whatever the input.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>

#include "civic-fuzz.h"
#include "civic-geotag.h"

static void
check_points (GArray *points)
{
  g_assert_nonnull (points);
  for (guint i = 0; i < points->len; i++)
    {
      const CivicGeoPoint *p = &g_array_index (points, CivicGeoPoint, i);

      g_assert_true (isfinite (p->lat) && isfinite (p->lon));
      g_assert_cmpfloat (fabs (p->lat), <=, 90);
      g_assert_cmpfloat (fabs (p->lon), <=, 180);
      g_assert_true (p->uncertainty_m >= 0 && isfinite (p->uncertainty_m));
      g_assert_nonnull (civic_geo_source_to_string (p->source));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = civic_fuzz_dup_string (data, size);
  g_autoptr(GArray) as_text = NULL;
  g_autoptr(GArray) as_html = NULL;
  g_autoptr(GArray) with_gazetteer = NULL;
  g_autoptr(CivicGazetteer) gazetteer = NULL;
  g_autoptr(GError) error = NULL;
  CivicGeoPoint best;

  civic_fuzz_init_logging ();

  as_text = civic_geotag_extract (input, NULL);
  check_points (as_text);
  as_html = civic_geotag_extract (NULL, input);
  check_points (as_html);
  if (civic_geotag_find_best (input, input, &best))
    g_assert_true (fabs (best.lat) <= 90 && fabs (best.lon) <= 180);

  /* The same bytes as a gazetteer file, then used on themselves. */
  gazetteer = civic_gazetteer_new_from_data ((const char *) data, size, &error);
  g_assert_true ((gazetteer == NULL) != (error == NULL));
  if (gazetteer != NULL)
    {
      with_gazetteer = civic_geotag_extract_full (input, NULL, gazetteer);
      check_points (with_gazetteer);
    }

  return 0;
}
