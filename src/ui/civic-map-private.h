/* civic-map-private.h
 *
 * Shared by the map's tile sources: whether tiles can be had at all.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A source fails when it has never given a tile and these many requests
 * in a row failed (offline, wrong address, broken file)... */
#define CIVIC_TILE_FAILURES_AT_START 4
/* ...or, once it has given tiles, when a screenful in a row failed. A
 * source that merely has no tile there (outside an offline map's area, a
 * 404) always needs a screenful: a few missing at the edge are no outage. */
#define CIVIC_TILE_FAILURES_LATER 16

typedef struct
{
  guint failures;        /* in a row */
  gboolean ever_worked;
  gboolean failing;
} CivicTileHealth;

/* Records one request's outcome (@missing: the source works but has no
 * such tile); returns TRUE when `failing` changed. Cancelled requests (the
 * map moved on) say nothing. */
static inline gboolean
_civic_tile_health_record (CivicTileHealth *health,
                           const GError    *error,
                           gboolean         missing)
{
  gboolean was = health->failing;

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  if (error == NULL)
    {
      health->failures = 0;
      health->ever_worked = TRUE;
      health->failing = FALSE;
    }
  else
    {
      health->failures++;
      if (health->failures >= (health->ever_worked || missing ? CIVIC_TILE_FAILURES_LATER
                                                              : CIVIC_TILE_FAILURES_AT_START))
        health->failing = TRUE;
    }

  return was != health->failing;
}

G_END_DECLS
