/* civic-geotag.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CivicGeoSource:
 * @CIVIC_GEO_SOURCE_TEXT: decimal degrees written in the text (`37.2203, -3.5951`)
 * @CIVIC_GEO_SOURCE_DMS: degrees, minutes (and seconds) in the text (`37°13'13"N 3°35'42"W`)
 * @CIVIC_GEO_SOURCE_GEO_URI: an RFC 5870 `geo:` URI
 * @CIVIC_GEO_SOURCE_OSM_LINK: an OpenStreetMap link (`?mlat=&mlon=`, `#map=z/lat/lon`)
 * @CIVIC_GEO_SOURCE_MAP_LINK: another map link (`@lat,lon,17z`, `?q=lat,lon`, `ll=`)
 * @CIVIC_GEO_SOURCE_GAZETTEER: a street name of the town, looked up in a gazetteer
 *
 * Where a report's place was read from.
 */
typedef enum
{
  CIVIC_GEO_SOURCE_TEXT,
  CIVIC_GEO_SOURCE_DMS,
  CIVIC_GEO_SOURCE_GEO_URI,
  CIVIC_GEO_SOURCE_OSM_LINK,
  CIVIC_GEO_SOURCE_MAP_LINK,
  CIVIC_GEO_SOURCE_GAZETTEER,
} CivicGeoSource;

/**
 * CivicGeoPoint:
 * @lat: latitude, WGS 84 degrees, -90…90
 * @lon: longitude, WGS 84 degrees, -180…180
 * @source: where it was read from
 * @uncertainty_m: radius in metres: the `u=` of a geo URI, else what the
 *   written precision (decimals, map zoom) allows
 * @approximate: the place is an area rather than the spot (a street from
 *   the gazetteer, the centre of a map view at a low zoom)
 */
typedef struct
{
  double lat;
  double lon;
  CivicGeoSource source;
  double uncertainty_m;
  gboolean approximate;
} CivicGeoPoint;

typedef struct _CivicGazetteer CivicGazetteer;

#define CIVIC_GAZETTEER_ERROR (civic_gazetteer_error_quark ())

/**
 * CivicGazetteerError:
 * @CIVIC_GAZETTEER_ERROR_INVALID: a line of the file is not `name, lat, lon, radius`
 */
typedef enum
{
  CIVIC_GAZETTEER_ERROR_INVALID,
} CivicGazetteerError;

GQuark civic_gazetteer_error_quark (void);

/* Pure functions: no state, safe from any thread. @text is the status's
 * plain text and @html its content HTML (whose hrefs carry the full links
 * that Mastodon shortens in the visible text); either may be %NULL. When
 * only @html is given its text is scanned too.
 *
 * civic_geotag_extract(): every distinct point found, best first (geo
 *   URIs, then map links, then written coordinates; approximate places
 *   last). Returns (element-type CivicGeoPoint), never %NULL.
 *
 * civic_geotag_find_best(): the first of those; FALSE when there is none.
 *   Allocates nothing for a status without links or coordinates. */
GArray     *civic_geotag_extract        (const char           *text,
                                         const char           *html);
gboolean    civic_geotag_find_best      (const char           *text,
                                         const char           *html,
                                         CivicGeoPoint        *out);
/* As above, falling back to street names known to @gazetteer (nullable)
 * when the status carries no explicit place. */
GArray     *civic_geotag_extract_full   (const char           *text,
                                         const char           *html,
                                         const CivicGazetteer *gazetteer);
gboolean    civic_geotag_find_best_full (const char           *text,
                                         const char           *html,
                                         const CivicGazetteer *gazetteer,
                                         CivicGeoPoint        *out);

/* "text", "dms", "geo-uri", "osm-link", "map-link", "gazetteer" */
const char *civic_geo_source_to_string  (CivicGeoSource        source);

/* A town's street names with a representative point each, read from a
 * tab-separated file: `name<TAB>lat<TAB>lon<TAB>radius_m`, `#` comments. */
CivicGazetteer *civic_gazetteer_new_from_file (const char      *path,
                                               GError         **error);
CivicGazetteer *civic_gazetteer_new_from_data (const char      *data,
                                               gssize           length,
                                               GError         **error);
guint           civic_gazetteer_get_n_places  (const CivicGazetteer *self);
void            civic_gazetteer_free          (CivicGazetteer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicGazetteer, civic_gazetteer_free)

G_END_DECLS
