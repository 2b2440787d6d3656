/* civic-geotag.c
 *
 * Finds the place a citizen's report is about, in the forms people and
 * their phones write it. A hand-written scanner rather than regular
 * expressions: the ingest path runs it on every mention (a few µs each),
 * and the rules that keep phone numbers, prices, dates and times from
 * becoming points read more plainly as code than as patterns.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "civic-geotag.h"
#include "civic-html.h"

#define MAX_CANDIDATES 16
#define MAX_LINK 4096
#define METRES_PER_DEGREE 111320.0
#define METRES_PER_MINUTE (METRES_PER_DEGREE / 60.0)
#define METRES_PER_SECOND (METRES_PER_DEGREE / 3600.0)
#define EQUATOR_M 40075016.686
/* A map view's centre is the spot to within about this many pixels. */
#define VIEW_CENTRE_PIXELS 64.0
/* Below this zoom a view centre is a neighbourhood, not a spot. */
#define VIEW_SPOT_ZOOM 16

struct _CivicGazetteer
{
  GArray *places;    /* owned: Place, longest name first */
};

typedef struct
{
  char *key;         /* owned: normalised name, " calle real " */
  double lat;
  double lon;
  double radius_m;
} Place;

typedef struct
{
  CivicGeoPoint point;
  int rank;          /* lower is better */
  guint order;       /* order of discovery, to keep sorting stable */
} Candidate;

typedef struct
{
  Candidate items[MAX_CANDIDATES];
  guint n;
  guint order;
} Collector;

typedef struct
{
  double value;      /* magnitude, unsigned */
  int int_digits;
  int decimals;      /* -1 when written without a fraction */
  char separator;    /* '.' or ',' when there is a fraction */
  const char *end;
} Number;

typedef struct
{
  double value;      /* signed degrees, before the hemisphere is applied */
  double precision_m;/* what the last written digit is worth */
  int decimals;      /* of the degrees part, -1 without a fraction */
  char separator;
  char hemisphere;   /* 'N', 'S', 'E', 'W' ('O' is read as 'W'), or 0 */
  gboolean has_sign;
  gboolean degree;   /* written with a degree sign */
  gboolean minutes;  /* written with minutes (and maybe seconds) */
  const char *end;
} Component;

G_DEFINE_QUARK (civic-gazetteer-error-quark, civic_gazetteer_error)

static const double negative_powers_of_ten[] = {
  1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8,
  1e-9, 1e-10, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15,
};

static const char * const degree_marks[] = { "\xc2\xb0", "\xc2\xba", "\xcb\x9a", NULL };
static const char * const minute_marks[] = { "'", "\xe2\x80\xb2", "\xe2\x80\x99", "\xc2\xb4", NULL };
static const char * const second_marks[] = {
  "\"", "\xe2\x80\xb3", "\xe2\x80\x9d", "''", "\xe2\x80\xb2\xe2\x80\xb2", "\xe2\x80\x99\xe2\x80\x99", NULL
};
static const char * const currency_marks[] = { "\xe2\x82\xac", "$", "\xc2\xa3", NULL };
/* Words after a number that make it a quantity, not a coordinate. */
static const char * const unit_words[] = {
  "eur", "euro", "euros", "km", "m", "cm", "mm", "kg", "g", "l", "ml", "h", "min", "mins",
  "seg", "metros", "kilos", "litros", "horas", "minutos", "grados", NULL
};
/* Words before a number that make it a road's kilometre point or a count. */
static const char * const words_before_quantity[] = { "km", "pk", "kilometro", "num", NULL };
static const char * const lat_labels[] = { "latitude", "latitud", "lat", NULL };
static const char * const lon_labels[] = { "longitude", "longitud", "long", "lon", "lng", NULL };
/* Where a link starts in plain text, with or without its scheme. */
static const char * const link_starts[] = {
  "https://", "http://", "www.", "openstreetmap.org/", "osm.org/", "maps.google.",
  "google.com/maps", "maps.apple.com/", "bing.com/maps", NULL
};
/* Query parameters holding "lat,lon": a pin, or (centre) a view's centre. */
static const char * const pin_params[] = { "q", "query", "daddr", "destination", "loc", "coordinates", NULL };
static const char * const centre_params[] = { "ll", "sll", "center", "centre", NULL };

const char *
civic_geo_source_to_string (CivicGeoSource source)
{
  switch (source)
    {
    case CIVIC_GEO_SOURCE_TEXT:
      return "text";
    case CIVIC_GEO_SOURCE_DMS:
      return "dms";
    case CIVIC_GEO_SOURCE_GEO_URI:
      return "geo-uri";
    case CIVIC_GEO_SOURCE_OSM_LINK:
      return "osm-link";
    case CIVIC_GEO_SOURCE_MAP_LINK:
      return "map-link";
    case CIVIC_GEO_SOURCE_GAZETTEER:
      return "gazetteer";
    default:
      g_return_val_if_reached (NULL);
    }
}

static int
source_rank (CivicGeoSource source)
{
  switch (source)
    {
    case CIVIC_GEO_SOURCE_GEO_URI:
      return 0;
    case CIVIC_GEO_SOURCE_OSM_LINK:
      return 1;
    case CIVIC_GEO_SOURCE_MAP_LINK:
      return 2;
    case CIVIC_GEO_SOURCE_DMS:
      return 3;
    case CIVIC_GEO_SOURCE_TEXT:
      return 4;
    case CIVIC_GEO_SOURCE_GAZETTEER:
    default:
      return 5;
    }
}

static double
round_metres (double metres)
{
  if (metres >= 10.0)
    return round (metres);
  return round (metres * 100.0) / 100.0;
}

static double
decimals_precision (int    decimals,
                    double unit_m)
{
  if (decimals <= 0)
    return unit_m;
  return unit_m * negative_powers_of_ten[MIN (decimals, 15)];
}

static double
view_uncertainty (double lat,
                  double zoom)
{
  return EQUATOR_M * cos (lat * G_PI / 180.0) / (256.0 * exp2 (zoom)) * VIEW_CENTRE_PIXELS;
}

static void
collect (Collector      *c,
         double          lat,
         double          lon,
         CivicGeoSource  source,
         double          uncertainty_m,
         gboolean        view_centre,
         gboolean        approximate)
{
  Candidate *item;
  int rank;

  /* Range check: no NaN, no infinity, no latitude past the poles. */
  if (!isfinite (lat) || !isfinite (lon) || fabs (lat) > 90.0 || fabs (lon) > 180.0)
    return;
  if (!isfinite (uncertainty_m) || uncertainty_m < 0.0)
    uncertainty_m = 0.0;

  rank = source_rank (source) * 2 + (view_centre ? 1 : 0) + (approximate ? 100 : 0);

  /* The same place written twice (the link and its visible text, a
   * marker and its view): keep the better reading. */
  for (guint i = 0; i < c->n; i++)
    {
      item = &c->items[i];
      if (fabs (item->point.lat - lat) < 1e-5 && fabs (item->point.lon - lon) < 1e-5)
        {
          if (rank < item->rank ||
              (rank == item->rank && uncertainty_m < item->point.uncertainty_m))
            {
              item->point.source = source;
              item->point.uncertainty_m = round_metres (uncertainty_m);
              item->point.approximate = approximate;
              item->rank = rank;
            }
          return;
        }
    }

  if (c->n == MAX_CANDIDATES)
    return;

  item = &c->items[c->n++];
  item->point.lat = lat;
  item->point.lon = lon;
  item->point.source = source;
  item->point.uncertainty_m = round_metres (uncertainty_m);
  item->point.approximate = approximate;
  item->rank = rank;
  item->order = c->order++;
}

static void
sort_candidates (Collector *c)
{
  for (guint i = 1; i < c->n; i++)
    {
      Candidate tmp = c->items[i];
      guint j = i;

      while (j > 0 &&
             (c->items[j - 1].rank > tmp.rank ||
              (c->items[j - 1].rank == tmp.rank && c->items[j - 1].order > tmp.order)))
        {
          c->items[j] = c->items[j - 1];
          j--;
        }
      c->items[j] = tmp;
    }
}

/* Character helpers. Text is UTF-8; only ASCII bytes are classified here,
 * multibyte marks are matched as byte sequences. */

static inline gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

static gsize
match_any (const char        *p,
           const char        *end,
           const char * const *options)
{
  for (; *options != NULL; options++)
    {
      gsize len = strlen (*options);

      if ((gsize) (end - p) >= len && memcmp (p, *options, len) == 0)
        return len;
    }

  return 0;
}

static gboolean
has_prefix_ci (const char *p,
               const char *end,
               const char *prefix)
{
  gsize len = strlen (prefix);

  return (gsize) (end - p) >= len && g_ascii_strncasecmp (p, prefix, len) == 0;
}

/* Spaces, tabs, no-break and thin spaces. */
static gsize
space_at (const char *p,
          const char *end)
{
  if (p >= end)
    return 0;
  if (*p == ' ' || *p == '\t')
    return 1;
  if (end - p >= 2 && (guchar) p[0] == 0xc2 && (guchar) p[1] == 0xa0)
    return 2;
  if (end - p >= 3 && (guchar) p[0] == 0xe2 && (guchar) p[1] == 0x80 &&
      ((guchar) p[2] == 0xaf || (guchar) p[2] == 0x89))
    return 3;
  return 0;
}

static const char *
skip_spaces (const char *p,
             const char *end)
{
  gsize len;

  while ((len = space_at (p, end)) > 0)
    p += len;
  return p;
}

static const char *
skip_spaces_back (const char *start,
                  const char *p)
{
  while (p > start)
    {
      if (p[-1] == ' ' || p[-1] == '\t')
        p--;
      else if (p - start >= 2 && (guchar) p[-2] == 0xc2 && (guchar) p[-1] == 0xa0)
        p -= 2;
      else
        break;
    }
  return p;
}

static gsize
minus_at (const char *p,
          const char *end)
{
  if (p < end && *p == '-')
    return 1;
  if (end - p >= 3 && (guchar) p[0] == 0xe2 && (guchar) p[1] == 0x88 && (guchar) p[2] == 0x92)
    return 3;
  return 0;
}

static inline gboolean
is_hemisphere (char c)
{
  return c == 'N' || c == 'S' || c == 'E' || c == 'W' || c == 'O';
}

/* Whether a word of @words starts at @p and ends there (no letter after). */
static gsize
word_at (const char         *p,
         const char         *end,
         const char * const *words)
{
  for (; *words != NULL; words++)
    {
      gsize len = strlen (*words);

      if ((gsize) (end - p) >= len && g_ascii_strncasecmp (p, *words, len) == 0 &&
          (p + len == end || (!g_ascii_isalpha (p[len]) && (guchar) p[len] < 0x80)))
        return len;
    }

  return 0;
}

/* Whether the word that ends at @p (exclusive) is one of @words. */
static gboolean
word_before (const char         *start,
             const char         *p,
             const char * const *words)
{
  const char *w = p;

  while (w > start && g_ascii_isalpha (w[-1]))
    w--;
  if (w == p || (w > start && (guchar) w[-1] >= 0x80))
    return FALSE;

  for (; *words != NULL; words++)
    if (strlen (*words) == (gsize) (p - w) && g_ascii_strncasecmp (w, *words, p - w) == 0)
      return TRUE;

  return FALSE;
}

/* Unsigned decimal number: 1 to @max_int_digits digits, an optional
 * fraction after '.' (or ',' when @allow_comma). Grouped numbers such as
 * 1.234.567, 12.03.2026 or 192.168.1.1 are refused whole. */
static gboolean
parse_number (const char *p,
              const char *end,
              gboolean    allow_comma,
              int         max_int_digits,
              Number     *n)
{
  gint64 int_part = 0;
  gint64 frac_part = 0;
  int int_digits = 0;
  int frac_digits = 0;

  while (p < end && is_digit (*p))
    {
      if (int_digits == max_int_digits)
        return FALSE;
      int_part = int_part * 10 + (*p - '0');
      int_digits++;
      p++;
    }
  if (int_digits == 0)
    return FALSE;

  n->decimals = -1;
  n->separator = 0;
  if (end - p >= 2 && (*p == '.' || (allow_comma && *p == ',')) && is_digit (p[1]))
    {
      char separator = *p++;
      int decimals = 0;

      while (p < end && is_digit (*p))
        {
          if (frac_digits < 15)
            {
              frac_part = frac_part * 10 + (*p - '0');
              frac_digits++;
            }
          decimals++;
          p++;
        }

      if (end - p >= 2 && *p == separator && is_digit (p[1]))
        return FALSE;

      n->decimals = decimals;
      n->separator = separator;
    }

  n->value = (double) int_part + (double) frac_part * negative_powers_of_ten[frac_digits];
  n->int_digits = int_digits;
  n->end = p;
  return TRUE;
}

/* A signed decimal as links and geo URIs write it: -?digits(.digits)? */
static gboolean
parse_plain_decimal (const char  *p,
                     const char  *end,
                     double      *value,
                     int         *decimals,
                     const char **out_end)
{
  gboolean negative = FALSE;
  Number n;

  if (p < end && (*p == '-' || *p == '+'))
    {
      negative = *p == '-';
      p++;
    }
  if (!parse_number (p, end, FALSE, 3, &n))
    return FALSE;

  *value = negative ? -n.value : n.value;
  *decimals = n.decimals;
  *out_end = n.end;
  return TRUE;
}

/* One coordinate as people write it: 37.2203, -3.5951, N 37.2203,
 * 37,2203, 37°13'13"N, 37°13.22'N, 37.2203°N. */
static gboolean
parse_component (const char *p,
                 const char *end,
                 Component  *c)
{
  const char *q = p;
  double sign = 1.0;
  gsize len;
  Number n;

  memset (c, 0, sizeof *c);

  /* Hemisphere before the number: "N 37.2203", "W3.5951". */
  if (q < end && is_hemisphere (*q) && q + 1 < end && !g_ascii_isalpha (q[1]))
    {
      const char *r = q + 1;

      if ((len = space_at (r, end)) > 0)
        r += len;
      if (r < end && is_digit (*r))
        {
          c->hemisphere = *q;
          q = r;
        }
    }

  if (c->hemisphere == 0)
    {
      if (q < end && *q == '+')
        {
          c->has_sign = TRUE;
          q++;
        }
      else if ((len = minus_at (q, end)) > 0)
        {
          c->has_sign = TRUE;
          sign = -1.0;
          q += len;
        }
    }

  if (!parse_number (q, end, TRUE, 3, &n))
    return FALSE;

  c->value = n.value;
  c->decimals = n.decimals;
  c->separator = n.separator;
  c->precision_m = decimals_precision (n.decimals, METRES_PER_DEGREE);
  q = n.end;

  if ((len = match_any (q, end, degree_marks)) > 0)
    {
      const char *r;
      Number m;

      c->degree = TRUE;
      q += len;

      /* A temperature: 37°C, 38 ºF. */
      r = skip_spaces (q, end);
      if (r < end && (*r == 'C' || *r == 'F') && (r + 1 == end || !g_ascii_isalpha (r[1])))
        return FALSE;

      if (n.decimals < 0 && parse_number (r, end, TRUE, 2, &m) &&
          (len = match_any (m.end, end, minute_marks)) > 0)
        {
          if (m.value >= 60.0)
            return FALSE;
          c->minutes = TRUE;
          c->value += m.value / 60.0;
          c->precision_m = decimals_precision (m.decimals, METRES_PER_MINUTE);
          q = m.end + len;

          r = skip_spaces (q, end);
          if (m.decimals < 0 && parse_number (r, end, TRUE, 2, &m) &&
              (len = match_any (m.end, end, second_marks)) > 0)
            {
              if (m.value >= 60.0)
                return FALSE;
              c->value += m.value / 3600.0;
              c->precision_m = decimals_precision (m.decimals, METRES_PER_SECOND);
              q = m.end + len;
            }
        }
    }

  /* Hemisphere after the number: "37.2203 N", "3°35'42"W", "3.5951 O". */
  if (c->hemisphere == 0 && !c->has_sign)
    {
      const char *r = q;

      if ((len = space_at (r, end)) > 0)
        r += len;
      if (r < end && is_hemisphere (*r) && (r + 1 == end || !g_ascii_isalnum (r[1])))
        {
          c->hemisphere = *r;
          q = r + 1;
        }
    }

  if (c->hemisphere == 'O')
    c->hemisphere = 'W';

  c->value *= sign;
  c->end = q;
  return TRUE;
}

static gboolean
is_currency_before (const char *start,
                    const char *p)
{
  p = skip_spaces_back (start, p);
  if (p > start && p[-1] == '$')
    return TRUE;
  if (p - start >= 2 && (guchar) p[-2] == 0xc2 && (guchar) p[-1] == 0xa3)
    return TRUE;
  if (p - start >= 3 && (guchar) p[-3] == 0xe2 && (guchar) p[-2] == 0x82 && (guchar) p[-1] == 0xac)
    return TRUE;
  return FALSE;
}

/* Whether a coordinate may start at @p: not glued to a word, a number, a
 * path or an amount. */
static gboolean
boundary_before (const char *start,
                 const char *p)
{
  char prev;

  if (p == start)
    return TRUE;

  prev = p[-1];
  if ((guchar) prev >= 0x80)
    {
      const char *ch = g_utf8_find_prev_char (start, p);
      gunichar u = ch != NULL ? g_utf8_get_char_validated (ch, p - ch) : (gunichar) -1;

      if (u == (gunichar) -1 || u == (gunichar) -2)
        return TRUE;
      if (g_unichar_isalnum (u) || g_unichar_type (u) == G_UNICODE_CURRENCY_SYMBOL)
        return FALSE;
      return TRUE;
    }

  if (g_ascii_isalnum (prev) || strchr ("._/\\-+#@&?%$*^|~'\"", prev) != NULL)
    return FALSE;

  /* "10:37.2203" or "x=1=2": a colon or equals sign after a digit. */
  if ((prev == ':' || prev == '=') && p - start >= 2 && is_digit (p[-2]))
    return FALSE;

  return TRUE;
}

static gboolean
is_lat_label_before (const char *start,
                     const char *p)
{
  p = skip_spaces_back (start, p);
  if (p > start && (p[-1] == ':' || p[-1] == '='))
    p = skip_spaces_back (start, p - 1);
  return word_before (start, p, lat_labels);
}

/* Whether a decimal number (with a fraction) starts at @p, maybe signed. */
static gboolean
fraction_number_at (const char *p,
                    const char *end)
{
  gsize len;
  Number n;

  if (p < end && *p == '+')
    p++;
  else if ((len = minus_at (p, end)) > 0)
    p += len;

  return parse_number (p, end, TRUE, 6, &n) && n.decimals > 0;
}

static gboolean
context_after_ok (const char *p,
                  const char *end,
                  gboolean    bare)
{
  const char *r;

  if (p < end)
    {
      char next = *p;

      if (g_ascii_isalnum (next) || next == '%' || next == '_')
        return FALSE;
      /* A time, a date, a range, a longer list of digits. */
      if ((next == ':' || next == '/' || next == '-' || next == '.' || next == ',') &&
          p + 1 < end && is_digit (p[1]))
        return FALSE;
    }

  r = skip_spaces (p, end);
  if (match_any (r, end, currency_marks) > 0 || word_at (r, end, unit_words) > 0)
    return FALSE;

  /* Three or more decimals in a row are a list of figures, not a pair. */
  if (bare && r < end && (*r == ',' || *r == ';'))
    {
      r = skip_spaces (r + 1, end);
      if (fraction_number_at (r, end))
        return FALSE;
    }

  return TRUE;
}

static gboolean
list_before (const char *start,
             const char *p)
{
  p = skip_spaces_back (start, p);
  if (p > start && (p[-1] == ',' || p[-1] == ';'))
    {
      p = skip_spaces_back (start, p - 1);
      return p > start && is_digit (p[-1]);
    }
  return FALSE;
}

/* A latitude and a longitude written in the text, starting at @p. */
static gboolean
parse_pair (const char  *start,
            const char  *p,
            const char  *end,
            Collector   *col,
            const char **out_end)
{
  Component a, b;
  CivicGeoSource source = CIVIC_GEO_SOURCE_TEXT;
  const char *q;
  gboolean separated;
  gboolean labelled;
  gboolean letters;
  gboolean bare;
  double lat, lon;
  double uncertainty;
  gsize len;

  if (!parse_component (p, end, &a))
    return FALSE;

  q = skip_spaces (a.end, end);
  separated = q > a.end;
  if (q < end && (*q == ',' || *q == ';'))
    {
      q = skip_spaces (q + 1, end);
      separated = TRUE;
    }
  if (!separated)
    return FALSE;

  labelled = is_lat_label_before (start, p);
  if ((len = word_at (q, end, lon_labels)) > 0)
    {
      labelled = TRUE;
      q = skip_spaces (q + len, end);
      if (q < end && (*q == ':' || *q == '='))
        q = skip_spaces (q + 1, end);
    }

  if (!parse_component (q, end, &b))
    return FALSE;

  letters = a.hemisphere != 0;
  if (letters != (b.hemisphere != 0) || a.degree != b.degree)
    return FALSE;
  if (a.separator != 0 && b.separator != 0 && a.separator != b.separator)
    return FALSE;
  /* Letters and signs together contradict each other. */
  if (letters && (a.has_sign || b.has_sign))
    return FALSE;

  bare = FALSE;
  if (a.degree)
    {
      if (a.minutes || b.minutes)
        source = CIVIC_GEO_SOURCE_DMS;
      else if (!letters && (a.decimals < 3 || b.decimals < 3))
        return FALSE;
    }
  else if (letters || labelled)
    {
      if (a.decimals < 1 || b.decimals < 1)
        return FALSE;
    }
  else
    {
      /* Bare figures need the precision of a place: four decimals, or
       * three with a sign ("1.250, 2.300" is an amount in Spanish). */
      if (a.decimals < 3 || b.decimals < 3)
        return FALSE;
      if ((a.decimals == 3 || b.decimals == 3) && !a.has_sign && !b.has_sign)
        return FALSE;
      bare = TRUE;
    }

  if (!boundary_before (start, p) || is_currency_before (start, p) ||
      word_before (start, skip_spaces_back (start, p), words_before_quantity))
    return FALSE;
  if (bare && list_before (start, p))
    return FALSE;
  if (!context_after_ok (b.end, end, bare))
    return FALSE;

  lat = a.value;
  lon = b.value;
  if (letters)
    {
      gboolean a_is_lat = a.hemisphere == 'N' || a.hemisphere == 'S';
      gboolean b_is_lat = b.hemisphere == 'N' || b.hemisphere == 'S';

      if (a_is_lat == b_is_lat)
        return FALSE;
      if (!a_is_lat)
        {
          Component tmp = a;

          a = b;
          b = tmp;
          lat = a.value;
          lon = b.value;
        }
      if (a.hemisphere == 'S')
        lat = -lat;
      if (b.hemisphere == 'W')
        lon = -lon;
    }

  if (fabs (lat) > 90.0 || fabs (lon) > 180.0)
    return FALSE;

  uncertainty = MAX (a.precision_m, b.precision_m * cos (lat * G_PI / 180.0));
  collect (col, lat, lon, source, uncertainty, FALSE, FALSE);
  *out_end = MAX (a.end, b.end);
  return TRUE;
}

/* RFC 5870: geo:lat,lon[,alt][;crs=wgs84][;u=metres][;param=value]…
 * also the Android form geo:0,0?q=lat,lon(label) and geo:lat,lon?z=17.
 * @p is at "geo:"; returns where the URI ends. */
static const char *
parse_geo_uri (const char *p,
               const char *end,
               Collector  *col)
{
  const char *q = p + 4;
  double lat, lon, alt;
  double uncertainty = -1.0;
  int lat_decimals, lon_decimals, alt_decimals;
  gboolean first_param = TRUE;

  if (!parse_plain_decimal (q, end, &lat, &lat_decimals, &q) || q >= end || *q != ',' ||
      !parse_plain_decimal (q + 1, end, &lon, &lon_decimals, &q))
    return q;

  if (q < end && *q == ',' && !parse_plain_decimal (q + 1, end, &alt, &alt_decimals, &q))
    return q;

  while (q < end && *q == ';')
    {
      const char *name = q + 1;
      const char *name_end = name;
      const char *value;
      const char *value_end;

      while (name_end < end && (g_ascii_isalnum (*name_end) || *name_end == '-'))
        name_end++;
      if (name_end == name)
        return name_end;

      value = value_end = name_end;
      if (value < end && *value == '=')
        {
          value++;
          value_end = value;
          while (value_end < end && (g_ascii_isalnum (*value_end) || strchr ("-._~%", *value_end) != NULL))
            value_end++;
          /* The full stop that ends the sentence is not part of it. */
          while (value_end > value && value_end[-1] == '.')
            value_end--;
        }

      if (name_end - name == 3 && g_ascii_strncasecmp (name, "crs", 3) == 0)
        {
          /* Coordinates in another reference system are not latitude and
           * longitude: better no point than a wrong one. */
          if (!first_param || value_end - value != 5 || g_ascii_strncasecmp (value, "wgs84", 5) != 0)
            return value_end;
        }
      else if (name_end - name == 1 && g_ascii_tolower (*name) == 'u')
        {
          const char *u_end;
          int u_decimals;

          if (!parse_plain_decimal (value, value_end, &uncertainty, &u_decimals, &u_end) ||
              u_end != value_end || uncertainty < 0.0 || *value == '+')
            return value_end;
        }

      first_param = FALSE;
      q = value_end;
    }

  if (q < end && *q == '?')
    {
      /* Android: geo:0,0?q=37.2203,-3.5951(Farola) — only the q= pin. */
      const char *r = q + 1;

      while (r < end && !g_ascii_isspace (*r))
        {
          if ((r == q + 1 || r[-1] == '&') && has_prefix_ci (r, end, "q="))
            {
              double qlat, qlon;
              int d1, d2;
              const char *e;

              if (parse_plain_decimal (r + 2, end, &qlat, &d1, &e) && e < end && *e == ',' &&
                  parse_plain_decimal (e + 1, end, &qlon, &d2, &e) && lat == 0.0 && lon == 0.0)
                {
                  lat = qlat;
                  lon = qlon;
                  lat_decimals = d1;
                  lon_decimals = d2;
                }
            }
          r++;
        }
      q = r;
    }
  else if (q < end && (g_ascii_isalnum (*q) || *q == '_' ||
                       (*q == '.' && q + 1 < end && g_ascii_isalnum (q[1]))))
    return q; /* "geo:37.22,-3.59x": not a URI */

  if (uncertainty < 0.0)
    uncertainty = decimals_precision (MIN (lat_decimals, lon_decimals), METRES_PER_DEGREE);

  collect (col, lat, lon, CIVIC_GEO_SOURCE_GEO_URI, uncertainty, FALSE, FALSE);
  return q;
}

/* Links */

typedef struct
{
  CivicGeoSource source;
  gboolean have_marker_lat, have_marker_lon;
  double marker_lat, marker_lon;
  int marker_decimals;
  gboolean have_lat, have_lon;
  double plain_lat, plain_lon;
  int plain_decimals;
  double zoom;       /* -1 when the link has none */
} LinkState;

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Percent-decodes [@p, @end) into @buf ('+' is a space); FALSE if too long. */
static gboolean
percent_decode (const char *p,
                const char *end,
                char       *buf,
                gsize       size,
                gsize      *out_len)
{
  gsize len = 0;

  while (p < end)
    {
      char c = *p++;

      if (c == '%' && end - p >= 2 && hex_value (p[0]) >= 0 && hex_value (p[1]) >= 0)
        {
          c = (char) (hex_value (p[0]) * 16 + hex_value (p[1]));
          p += 2;
        }
      else if (c == '+')
        c = ' ';

      if (len + 1 >= size)
        return FALSE;
      buf[len++] = c;
    }

  buf[len] = '\0';
  *out_len = len;
  return TRUE;
}

/* "37.2203,-3.5951" (or with ~ or a space between), optionally followed
 * by a label in brackets. Both parts need a fraction. */
static gboolean
parse_link_pair (const char  *p,
                 const char  *end,
                 double      *lat,
                 double      *lon,
                 int         *decimals,
                 const char **out_end)
{
  int d1, d2;

  p = skip_spaces (p, end);
  if (!parse_plain_decimal (p, end, lat, &d1, &p))
    return FALSE;
  p = skip_spaces (p, end);
  if (p >= end || (*p != ',' && *p != '~' && *p != ' ' && *p != ';'))
    {
      if (p == end || !g_ascii_isspace (p[-1]))
        return FALSE;
    }
  else
    p++;
  p = skip_spaces (p, end);
  if (!parse_plain_decimal (p, end, lon, &d2, &p))
    return FALSE;
  if (d1 < 1 || d2 < 1)
    return FALSE;

  *decimals = MIN (d1, d2);
  if (out_end != NULL)
    *out_end = p;
  return TRUE;
}

static gboolean
whole_value_pair (const char *p,
                  const char *end,
                  double     *lat,
                  double     *lon,
                  int        *decimals)
{
  const char *rest;

  if (!parse_link_pair (p, end, lat, lon, decimals, &rest))
    return FALSE;
  rest = skip_spaces (rest, end);
  return rest == end || *rest == '(';
}

static gboolean
whole_value_number (const char *p,
                    const char *end,
                    double     *value,
                    int        *decimals)
{
  const char *rest;

  return parse_plain_decimal (p, end, value, decimals, &rest) && rest == end;
}

static void
collect_link_point (Collector  *col,
                    LinkState  *link,
                    double      lat,
                    double      lon,
                    int         decimals,
                    gboolean    view_centre,
                    double      zoom)
{
  double uncertainty = decimals_precision (decimals, METRES_PER_DEGREE);
  gboolean approximate = FALSE;

  if (view_centre && zoom >= 0.0)
    {
      uncertainty = MAX (uncertainty, view_uncertainty (lat, zoom));
      approximate = zoom < VIEW_SPOT_ZOOM;
    }

  collect (col, lat, lon, link->source, uncertainty, view_centre, approximate);
}

static void
parse_link_param (Collector  *col,
                  LinkState  *link,
                  const char *name,
                  gsize       name_len,
                  const char *value,
                  gsize       value_len,
                  gboolean    in_fragment)
{
  const char *vend = value + value_len;
  double lat, lon, number;
  int decimals;

#define NAME_IS(literal) (name_len == strlen (literal) && g_ascii_strncasecmp (name, literal, name_len) == 0)

  if (NAME_IS ("mlat") && whole_value_number (value, vend, &number, &decimals))
    {
      link->have_marker_lat = TRUE;
      link->marker_lat = number;
      link->marker_decimals = link->have_marker_lon ? MIN (link->marker_decimals, decimals) : decimals;
    }
  else if (NAME_IS ("mlon") && whole_value_number (value, vend, &number, &decimals))
    {
      link->have_marker_lon = TRUE;
      link->marker_lon = number;
      link->marker_decimals = link->have_marker_lat ? MIN (link->marker_decimals, decimals) : decimals;
    }
  else if ((NAME_IS ("lat") || NAME_IS ("latitude")) && whole_value_number (value, vend, &number, &decimals))
    {
      link->have_lat = TRUE;
      link->plain_lat = number;
      link->plain_decimals = link->have_lon ? MIN (link->plain_decimals, decimals) : decimals;
    }
  else if ((NAME_IS ("lon") || NAME_IS ("lng") || NAME_IS ("longitude")) &&
           whole_value_number (value, vend, &number, &decimals))
    {
      link->have_lon = TRUE;
      link->plain_lon = number;
      link->plain_decimals = link->have_lat ? MIN (link->plain_decimals, decimals) : decimals;
    }
  else if ((NAME_IS ("zoom") || NAME_IS ("z") || NAME_IS ("lvl")) &&
           whole_value_number (value, vend, &number, &decimals) && number >= 0 && number <= 25)
    link->zoom = number;
  else if (NAME_IS ("map"))
    {
      /* OpenStreetMap's #map=19/37.2203/-3.5951, HERE's map=lat,lon,zoom. */
      const char *p = value;
      double zoom;

      if (parse_plain_decimal (p, vend, &zoom, &decimals, &p) && p < vend && *p == '/' &&
          parse_plain_decimal (p + 1, vend, &lat, &decimals, &p) && p < vend && *p == '/' &&
          parse_plain_decimal (p + 1, vend, &lon, &decimals, &p) && p == vend)
        {
          if (zoom >= 0 && zoom <= 25)
            collect_link_point (col, link, lat, lon, decimals, TRUE, zoom);
        }
      else if (parse_link_pair (value, vend, &lat, &lon, &decimals, &p))
        {
          zoom = -1;
          if (p < vend && *p == ',')
            parse_plain_decimal (p + 1, vend, &zoom, &decimals, &p);
          collect_link_point (col, link, lat, lon, decimals, TRUE, zoom);
        }
    }
  else if (in_fragment)
    return;
  else if (word_at (name, name + name_len, pin_params) == name_len &&
           whole_value_pair (value, vend, &lat, &lon, &decimals))
    collect_link_point (col, link, lat, lon, decimals, FALSE, -1);
  else if (word_at (name, name + name_len, centre_params) == name_len &&
           whole_value_pair (value, vend, &lat, &lon, &decimals))
    collect_link_point (col, link, lat, lon, decimals, link->zoom >= 0, link->zoom);
  else if (NAME_IS ("cp") && whole_value_pair (value, vend, &lat, &lon, &decimals))
    collect_link_point (col, link, lat, lon, decimals, TRUE, link->zoom >= 0 ? link->zoom : 15);

#undef NAME_IS
}

static void
parse_link_params (Collector  *col,
                   LinkState  *link,
                   const char *p,
                   const char *end,
                   gboolean    in_fragment)
{
  while (p < end)
    {
      const char *item_end = p;
      const char *eq;
      char value[512];
      gsize value_len;

      while (item_end < end && *item_end != '&' && *item_end != ';')
        item_end++;

      eq = memchr (p, '=', item_end - p);
      if (eq != NULL && percent_decode (eq + 1, item_end, value, sizeof value, &value_len))
        parse_link_param (col, link, p, eq - p, value, value_len, in_fragment);
      else if (eq == NULL && in_fragment)
        {
          /* Leaflet's hash: #17/37.2203/-3.5951 */
          double zoom, lat, lon;
          int decimals;
          const char *q = p;

          if (parse_plain_decimal (q, item_end, &zoom, &decimals, &q) && q < item_end && *q == '/' &&
              parse_plain_decimal (q + 1, item_end, &lat, &decimals, &q) && q < item_end && *q == '/' &&
              parse_plain_decimal (q + 1, item_end, &lon, &decimals, &q) && q == item_end &&
              zoom >= 0 && zoom <= 25)
            collect_link_point (col, link, lat, lon, decimals, TRUE, zoom);
        }

      p = item_end < end ? item_end + 1 : end;
    }
}

static gboolean
host_is (const char *host,
         const char *host_end,
         const char *domain)
{
  gsize len = strlen (domain);
  gsize host_len = host_end - host;

  if (host_len < len || g_ascii_strncasecmp (host_end - len, domain, len) != 0)
    return FALSE;
  return host_len == len || host_end[-(gssize) len - 1] == '.';
}

/* An http(s) link (or a bare "openstreetmap.org/…"), already free of
 * HTML entities. */
static void
parse_link (const char *url,
            const char *end,
            Collector  *col)
{
  LinkState link = { 0 };
  const char *host = url;
  const char *host_end;
  const char *path_end;
  const char *query = NULL;
  const char *query_end = NULL;
  const char *fragment = NULL;
  const char *scheme_end;
  const char *p;

  link.zoom = -1;

  scheme_end = end - url > 3 ? g_strstr_len (url, MIN (end - url, 10), "://") : NULL;
  if (scheme_end != NULL)
    host = scheme_end + 3;
  host_end = host;
  while (host_end < end && *host_end != '/' && *host_end != '?' && *host_end != '#')
    host_end++;

  link.source = host_is (host, host_end, "openstreetmap.org") || host_is (host, host_end, "osm.org")
    ? CIVIC_GEO_SOURCE_OSM_LINK : CIVIC_GEO_SOURCE_MAP_LINK;

  path_end = host_end;
  while (path_end < end && *path_end != '?' && *path_end != '#')
    path_end++;
  if (path_end < end && *path_end == '?')
    {
      query = path_end + 1;
      query_end = query;
      while (query_end < end && *query_end != '#')
        query_end++;
    }
  if ((p = memchr (path_end, '#', end - path_end)) != NULL)
    fragment = p + 1;

  /* Query first: zoom must be known before a centre is weighed. */
  if (query != NULL)
    {
      const char *z = query;

      while (z < query_end)
        {
          const char *item_end = z;

          while (item_end < query_end && *item_end != '&')
            item_end++;
          if ((has_prefix_ci (z, item_end, "z=") || has_prefix_ci (z, item_end, "zoom=") ||
               has_prefix_ci (z, item_end, "lvl=")))
            parse_link_params (NULL, &link, z, item_end, FALSE);
          z = item_end < query_end ? item_end + 1 : query_end;
        }
      parse_link_params (col, &link, query, query_end, FALSE);
    }

  if (link.have_marker_lat && link.have_marker_lon)
    collect_link_point (col, &link, link.marker_lat, link.marker_lon, link.marker_decimals, FALSE, -1);
  if (link.have_lat && link.have_lon)
    collect_link_point (col, &link, link.plain_lat, link.plain_lon, link.plain_decimals, FALSE, -1);

  /* Path: Google's /@37.2203,-3.5951,17z and !3d37.2203!4d-3.5951, and
   * segments that are a bare pair (/maps/search/37.2203,-3.5951). */
  for (p = host_end; p < path_end;)
    {
      const char *segment = p + 1;
      const char *segment_end = segment;
      char buf[512];
      gsize len;

      while (segment_end < path_end && *segment_end != '/')
        segment_end++;
      p = segment_end;

      if (!percent_decode (segment, segment_end, buf, sizeof buf, &len) || len == 0)
        continue;

      {
        const char *s = buf;
        const char *s_end = buf + len;
        const char *d3 = strstr (s, "!3d");
        double lat, lon;
        int decimals;
        const char *rest;

        if (d3 != NULL)
          {
            const char *d4;
            int d1, d2;

            if (parse_plain_decimal (d3 + 3, s_end, &lat, &d1, &d4) &&
                has_prefix_ci (d4, s_end, "!4d") &&
                parse_plain_decimal (d4 + 3, s_end, &lon, &d2, &rest) && d1 > 0 && d2 > 0)
              collect_link_point (col, &link, lat, lon, MIN (d1, d2), FALSE, -1);
          }

        if (*s == '@' && parse_link_pair (s + 1, s_end, &lat, &lon, &decimals, &rest))
          {
            double zoom = -1;
            int zoom_decimals;

            if (rest < s_end && *rest == ',' &&
                parse_plain_decimal (rest + 1, s_end, &zoom, &zoom_decimals, &rest))
              {
                /* ",17z" is a zoom; ",1234m" a satellite view's altitude. */
                if (rest < s_end && *rest == 'm')
                  zoom = log2 (EQUATOR_M * 0.5 / MAX (zoom, 1.0));
                else if (rest >= s_end || *rest != 'z')
                  zoom = -1;
              }
            collect_link_point (col, &link, lat, lon, decimals, TRUE, CLAMP (zoom, -1, 22));
          }
        else if (whole_value_pair (s, s_end, &lat, &lon, &decimals))
          collect_link_point (col, &link, lat, lon, decimals, FALSE, -1);
      }
    }

  if (fragment != NULL)
    parse_link_params (col, &link, fragment, end, TRUE);
}

/* Decodes the entities an href may hold (&amp; &#38; &#x26; &quot; …). */
static gboolean
decode_attribute (const char *p,
                  const char *end,
                  char       *buf,
                  gsize       size,
                  gsize      *out_len)
{
  gsize len = 0;

  while (p < end)
    {
      char c = *p++;

      if (c == '&')
        {
          const char *semi = memchr (p, ';', MIN (end - p, 10));

          if (semi != NULL)
            {
              gsize n = semi - p;

              if (n == 3 && memcmp (p, "amp", 3) == 0)
                c = '&';
              else if (n == 4 && memcmp (p, "quot", 4) == 0)
                c = '"';
              else if (n == 4 && memcmp (p, "apos", 4) == 0)
                c = '\'';
              else if (n == 2 && memcmp (p, "lt", 2) == 0)
                c = '<';
              else if (n == 2 && memcmp (p, "gt", 2) == 0)
                c = '>';
              else if (n >= 2 && *p == '#')
                {
                  gint64 code = (p[1] == 'x' || p[1] == 'X')
                    ? g_ascii_strtoll (p + 2, NULL, 16) : g_ascii_strtoll (p + 1, NULL, 10);

                  /* Only ASCII matters in a map link. */
                  if (code <= 0 || code >= 0x80)
                    return FALSE;
                  c = (char) code;
                }
              else
                semi = NULL;

              if (semi != NULL)
                p = semi + 1;
            }
        }

      if (len + 1 >= size)
        return FALSE;
      buf[len++] = c;
    }

  buf[len] = '\0';
  *out_len = len;
  return TRUE;
}

/* The hrefs of <a> elements: full links even when the visible text is
 * shortened with an ellipsis. */
static void
scan_html_links (const char *html,
                 Collector  *col)
{
  const char *p = html;

  while ((p = strchr (p, '<')) != NULL)
    {
      const char *tag_end;
      const char *attr;

      p++;
      if ((*p != 'a' && *p != 'A') || (p[1] != ' ' && p[1] != '\t' && p[1] != '\n' && p[1] != '\r'))
        continue;

      tag_end = strchr (p, '>');
      if (tag_end == NULL)
        return;

      for (attr = p + 1; attr + 4 < tag_end; attr++)
        {
          const char *value;
          const char *value_end;
          char buf[MAX_LINK];
          gsize len;

          if (g_ascii_strncasecmp (attr, "href", 4) != 0 || !g_ascii_isspace (attr[-1]))
            continue;

          value = attr + 4;
          while (value < tag_end && g_ascii_isspace (*value))
            value++;
          if (value >= tag_end || *value != '=')
            continue;
          value++;
          while (value < tag_end && g_ascii_isspace (*value))
            value++;

          if (value < tag_end && (*value == '"' || *value == '\''))
            {
              value_end = memchr (value + 1, *value, tag_end - value - 1);
              value++;
              if (value_end == NULL)
                break;
            }
          else
            {
              value_end = value;
              while (value_end < tag_end && !g_ascii_isspace (*value_end))
                value_end++;
            }

          if (decode_attribute (value, value_end, buf, sizeof buf, &len))
            {
              if (has_prefix_ci (buf, buf + len, "http://") || has_prefix_ci (buf, buf + len, "https://"))
                parse_link (buf, buf + len, col);
              else if (has_prefix_ci (buf, buf + len, "geo:"))
                parse_geo_uri (buf, buf + len, col);
            }
          break;
        }

      p = tag_end;
    }
}

static const char *
link_end (const char *p,
          const char *end,
          gboolean   *truncated)
{
  const char *q = p;
  gboolean open_paren = FALSE;

  while (q < end && (guchar) *q > ' ' && *q != '<' && *q != '>' && *q != '"')
    {
      /* Mastodon shows long links shortened with "…". */
      if (end - q >= 3 && (guchar) q[0] == 0xe2 && (guchar) q[1] == 0x80 && (guchar) q[2] == 0xa6)
        break;
      if (space_at (q, end) > 0)
        break;
      if (*q == '(')
        open_paren = TRUE;
      q++;
    }

  *truncated = (end - q >= 3 && (guchar) q[0] == 0xe2 && (guchar) q[1] == 0x80 && (guchar) q[2] == 0xa6) ||
               (q - p >= 3 && memcmp (q - 3, "...", 3) == 0);

  while (q > p && (strchr (".,;:!?'", q[-1]) != NULL || (q[-1] == ')' && !open_paren)))
    q--;

  return q;
}

static const char *
skip_token (const char *p,
            const char *end)
{
  gsize len;

  if ((len = minus_at (p, end)) > 0)
    p += len;
  else if (p < end && (*p == '+' || is_hemisphere (*p)))
    p++;
  while (p < end && (g_ascii_isalnum (*p) || *p == '.' || *p == ','))
    p++;
  return p;
}

static void
scan_text (const char *text,
           Collector  *col)
{
  const char *start = text;
  const char *end = text + strlen (text);
  const char *p = text;

  while (p < end)
    {
      char c = *p;
      gboolean maybe_coordinate = FALSE;
      const char *next;

      switch (c)
        {
        case 'h': case 'H': case 'w': case 'W': case 'o': case 'O':
        case 'm': case 'M': case 'g': case 'G': case 'b': case 'B':
          if (p == start || (!g_ascii_isalnum (p[-1]) && strchr ("./@-_", p[-1]) == NULL))
            {
              if ((c == 'g' || c == 'G') && has_prefix_ci (p, end, "geo:"))
                {
                  next = parse_geo_uri (p, end, col);
                  p = MAX (next, p + 4);
                  continue;
                }

              for (guint i = 0; link_starts[i] != NULL; i++)
                if (has_prefix_ci (p, end, link_starts[i]))
                  {
                    gboolean truncated;
                    const char *q = link_end (p, end, &truncated);

                    if (!truncated)
                      parse_link (p, q, col);
                    p = MAX (q, p + 1);
                    goto next_char;
                  }
            }
          maybe_coordinate = (c == 'W' || c == 'O');
          break;

        case 'N': case 'S': case 'E':
        case '+': case '-':
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
          maybe_coordinate = TRUE;
          break;

        case '\xe2':
          maybe_coordinate = minus_at (p, end) > 0;
          break;

        default:
          break;
        }

      if (maybe_coordinate)
        {
          if (is_hemisphere (c) && (p + 1 >= end || g_ascii_isalpha (p[1]) ||
                                    (p > start && g_ascii_isalpha (p[-1]))))
            {
              p++;
              continue;
            }

          if (boundary_before (start, p) && parse_pair (start, p, end, col, &next))
            p = next;
          else
            p = MAX (skip_token (p, end), p + 1);
          continue;
        }

      p++;
    next_char:
      ;
    }
}

/* Gazetteer */

static const struct
{
  const char *abbreviation;
  const char *word;
} street_abbreviations[] = {
  { "c", "calle" },
  { "cl", "calle" },
  { "cll", "calle" },
  { "avda", "avenida" },
  { "av", "avenida" },
  { "pza", "plaza" },
  { "pl", "plaza" },
  { "ctra", "carretera" },
  { "cno", "camino" },
  { "pje", "pasaje" },
  { "bo", "barrio" },
};

/* Lower-case ASCII words separated by single spaces, with a space at each
 * end so a name matches only as whole words: " calle real ". */
static char *
normalise_place_text (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  GString *out = g_string_sized_new (strlen (ascii) + 2);
  const char *p = ascii;

  g_string_append_c (out, ' ');
  while (*p != '\0')
    {
      const char *word = p;
      gsize len;

      while (*p != '\0' && !g_ascii_isalnum (*p))
        p++;
      word = p;
      while (g_ascii_isalnum (*p))
        p++;
      len = p - word;
      if (len == 0)
        break;

      for (guint i = 0; i < G_N_ELEMENTS (street_abbreviations); i++)
        if (strlen (street_abbreviations[i].abbreviation) == len &&
            g_ascii_strncasecmp (word, street_abbreviations[i].abbreviation, len) == 0 &&
            (*p == '/' || *p == '.'))
          {
            word = street_abbreviations[i].word;
            len = strlen (word);
            break;
          }

      for (gsize i = 0; i < len; i++)
        g_string_append_c (out, g_ascii_tolower (word[i]));
      g_string_append_c (out, ' ');
    }

  return g_string_free (out, FALSE);
}

static void
scan_gazetteer (const CivicGazetteer *gazetteer,
                const char           *text,
                Collector            *col)
{
  g_autofree char *norm = normalise_place_text (text);

  for (guint i = 0; i < gazetteer->places->len; i++)
    {
      const Place *place = &g_array_index (gazetteer->places, Place, i);
      char *hit = strstr (norm, place->key);

      if (hit == NULL)
        continue;

      collect (col, place->lat, place->lon, CIVIC_GEO_SOURCE_GAZETTEER, place->radius_m, FALSE, TRUE);
      /* Longer names come first: blank the match so "calle real" is not
       * found again inside "calle real alta". */
      memset (hit + 1, '#', strlen (place->key) - 2);
    }
}

static void
run (const char           *text,
     const char           *html,
     const CivicGazetteer *gazetteer,
     gboolean              gazetteer_always,
     Collector            *col)
{
  g_autofree char *html_text = NULL;

  col->n = 0;
  col->order = 0;

  if (html != NULL)
    scan_html_links (html, col);

  if (text == NULL && html != NULL)
    text = html_text = civic_html_to_text (html);
  if (text != NULL)
    scan_text (text, col);

  if (gazetteer != NULL && text != NULL && (gazetteer_always || col->n == 0))
    scan_gazetteer (gazetteer, text, col);

  sort_candidates (col);
}

GArray *
civic_geotag_extract_full (const char           *text,
                           const char           *html,
                           const CivicGazetteer *gazetteer)
{
  Collector col;
  GArray *points;

  run (text, html, gazetteer, TRUE, &col);

  points = g_array_sized_new (FALSE, FALSE, sizeof (CivicGeoPoint), col.n);
  for (guint i = 0; i < col.n; i++)
    g_array_append_val (points, col.items[i].point);

  return points;
}

GArray *
civic_geotag_extract (const char *text,
                      const char *html)
{
  return civic_geotag_extract_full (text, html, NULL);
}

gboolean
civic_geotag_find_best_full (const char           *text,
                             const char           *html,
                             const CivicGazetteer *gazetteer,
                             CivicGeoPoint        *out)
{
  Collector col;

  g_return_val_if_fail (out != NULL, FALSE);

  run (text, html, gazetteer, FALSE, &col);
  if (col.n == 0)
    return FALSE;

  *out = col.items[0].point;
  return TRUE;
}

gboolean
civic_geotag_find_best (const char    *text,
                        const char    *html,
                        CivicGeoPoint *out)
{
  return civic_geotag_find_best_full (text, html, NULL, out);
}

static void
place_clear (gpointer data)
{
  Place *place = data;

  g_free (place->key);
}

static int
compare_places (gconstpointer a,
                gconstpointer b)
{
  const Place *pa = a;
  const Place *pb = b;
  gsize la = strlen (pa->key);
  gsize lb = strlen (pb->key);

  if (la != lb)
    return la > lb ? -1 : 1;
  return strcmp (pa->key, pb->key);
}

CivicGazetteer *
civic_gazetteer_new_from_data (const char  *data,
                               gssize       length,
                               GError     **error)
{
  g_autoptr(CivicGazetteer) self = g_new0 (CivicGazetteer, 1);
  g_autofree char *copy = NULL;
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  self->places = g_array_new (FALSE, TRUE, sizeof (Place));
  g_array_set_clear_func (self->places, place_clear);

  copy = length < 0 ? g_strdup (data) : g_strndup (data, length);
  if (!g_utf8_validate (copy, -1, NULL))
    {
      g_set_error (error, CIVIC_GAZETTEER_ERROR, CIVIC_GAZETTEER_ERROR_INVALID,
                   _("The street list is not UTF-8 text"));
      return NULL;
    }

  lines = g_strsplit (copy, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      g_autofree char *key = NULL;
      char *line = g_strstrip (lines[i]);
      Place place;
      char *endptr;

      if (*line == '\0' || *line == '#')
        continue;

      fields = g_strsplit (line, "\t", -1);
      if (g_strv_length (fields) != 4)
        {
          g_set_error (error, CIVIC_GAZETTEER_ERROR, CIVIC_GAZETTEER_ERROR_INVALID,
                       _("Line %u of the street list should be “name, latitude, longitude, "
                         "radius in metres” separated by tabs"), i + 1);
          return NULL;
        }

      place.lat = g_ascii_strtod (fields[1], &endptr);
      if (*endptr == '\0')
        place.lon = g_ascii_strtod (fields[2], &endptr);
      if (*endptr == '\0')
        place.radius_m = g_ascii_strtod (fields[3], &endptr);
      key = normalise_place_text (fields[0]);
      if (*endptr != '\0' || !isfinite (place.lat) || !isfinite (place.lon) ||
          fabs (place.lat) > 90 || fabs (place.lon) > 180 ||
          !isfinite (place.radius_m) || place.radius_m < 0 || strlen (key) < 3)
        {
          g_set_error (error, CIVIC_GAZETTEER_ERROR, CIVIC_GAZETTEER_ERROR_INVALID,
                       _("Line %u of the street list has no valid name or position"), i + 1);
          return NULL;
        }

      place.key = g_steal_pointer (&key);
      g_array_append_val (self->places, place);
    }

  g_array_sort (self->places, compare_places);
  return g_steal_pointer (&self);
}

CivicGazetteer *
civic_gazetteer_new_from_file (const char  *path,
                               GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  return civic_gazetteer_new_from_data (contents, length, error);
}

guint
civic_gazetteer_get_n_places (const CivicGazetteer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->places->len;
}

void
civic_gazetteer_free (CivicGazetteer *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->places, g_array_unref);
  g_free (self);
}
