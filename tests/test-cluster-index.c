/* test-cluster-index.c
 *
 * The cluster index against brute force on random points: at every zoom
 * the clusters are exactly the groups of points sharing a grid cell, with
 * the right counts, centroids, department mix, open/overdue counts and
 * oldest open item; bounding-box queries return exactly the clusters whose
 * centroid is inside; removal, replacement and bulk loading keep it so.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>

#include "civic-cluster-index.h"

#define WORLD_WEST -180.0
#define WORLD_EAST 180.0
#define WORLD_SOUTH -85.06
#define WORLD_NORTH 85.06

typedef struct
{
  GArray *points;          /* CivicClusterPoint, the live set */
} Model;

typedef struct
{
  guint count;
  guint open_count;
  guint overdue_count;
  guint64 sum_x;
  guint64 sum_y;
  gint64 oldest_ms;
  gint64 oldest_id;
  GHashTable *departments; /* department id → count */
  GHashTable *members;     /* ids */
} Expected;

/* The index's fixed-point Web Mercator, recomputed here from the public
 * projection: at zoom 24 a world pixel is exactly 1 / 2^32 of the world. */
static void
fixed_xy (double   lat,
          double   lon,
          guint32 *x,
          guint32 *y)
{
  double px, py;

  civic_cluster_project (lat, CLAMP (lon, -180.0, 180.0), 24, &px, &py);
  *x = px <= 0 ? 0 : px >= 4294967295.0 ? G_MAXUINT32 : (guint32) px;
  *y = py <= 0 ? 0 : py >= 4294967295.0 ? G_MAXUINT32 : (guint32) py;
}

static guint64
cell_of (const CivicClusterPoint *p,
         int                      zoom)
{
  int shift = 32 - (zoom + 2);
  guint32 x, y;

  fixed_xy (p->lat, p->lon, &x, &y);
  return ((guint64) (x >> shift) << 32) | (y >> shift);
}

static void
expected_free (gpointer data)
{
  Expected *e = data;

  g_hash_table_unref (e->departments);
  g_hash_table_unref (e->members);
  g_free (e);
}

/* cell key → Expected, for every cell at @zoom. */
static GHashTable *
brute_force (Model *model,
             int    zoom)
{
  GHashTable *cells = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, expected_free);

  for (guint i = 0; i < model->points->len; i++)
    {
      const CivicClusterPoint *p = &g_array_index (model->points, CivicClusterPoint, i);
      gint64 key = (gint64) cell_of (p, zoom);
      Expected *e = g_hash_table_lookup (cells, &key);
      guint32 x, y;
      guint n;

      if (e == NULL)
        {
          e = g_new0 (Expected, 1);
          e->departments = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
          e->members = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
          g_hash_table_insert (cells, g_memdup2 (&key, sizeof key), e);
        }

      fixed_xy (p->lat, p->lon, &x, &y);
      e->count++;
      e->sum_x += x;
      e->sum_y += y;
      if (p->open)
        {
          e->open_count++;
          e->overdue_count += p->overdue;
          if (e->oldest_id == 0 || p->created_ms < e->oldest_ms ||
              (p->created_ms == e->oldest_ms && p->id < e->oldest_id))
            {
              e->oldest_ms = p->created_ms;
              e->oldest_id = p->id;
            }
        }
      n = GPOINTER_TO_UINT (g_hash_table_lookup (e->departments, &p->department_id));
      g_hash_table_insert (e->departments, g_memdup2 (&p->department_id, sizeof (gint64)),
                           GUINT_TO_POINTER (n + 1));
      g_hash_table_add (e->members, g_memdup2 (&p->id, sizeof (gint64)));
    }

  return cells;
}

static const CivicClusterPoint *
model_find (Model  *model,
            gint64  id)
{
  for (guint i = 0; i < model->points->len; i++)
    if (g_array_index (model->points, CivicClusterPoint, i).id == id)
      return &g_array_index (model->points, CivicClusterPoint, i);
  return NULL;
}

/* Checks one cluster against the brute-force cell its members share;
 * returns that cell's key. */
static gint64
check_cluster (CivicClusterIndex  *index,
               Model              *model,
               GHashTable         *model_ids,
               GHashTable         *cells,
               const CivicCluster *c,
               int                 zoom)
{
  g_autoptr(GArray) members = civic_cluster_index_list_members (index, c->cluster_id);
  const CivicClusterPoint *first;
  Expected *e;
  gint64 key;
  double lat, lon;

  g_assert_cmpint (civic_cluster_id_get_zoom (c->cluster_id), ==, zoom);
  g_assert_cmpuint (members->len, ==, c->count);
  first = g_hash_table_lookup (model_ids, &g_array_index (members, gint64, 0));
  g_assert_nonnull (first);
  key = (gint64) cell_of (first, zoom);
  e = g_hash_table_lookup (cells, &key);
  g_assert_nonnull (e);

  g_assert_cmpuint (c->count, ==, e->count);
  for (guint i = 0; i < members->len; i++)
    g_assert_true (g_hash_table_contains (e->members, &g_array_index (members, gint64, i)));

  g_assert_cmpuint (c->open_count, ==, e->open_count);
  g_assert_cmpuint (c->overdue_count, ==, e->overdue_count);
  g_assert_cmpint (c->oldest_open_id, ==, e->oldest_id);
  if (e->oldest_id != 0)
    g_assert_cmpint (c->oldest_open_ms, ==, e->oldest_ms);
  g_assert_cmpint (c->point_id, ==, e->count == 1 ? first->id : 0);

  civic_cluster_unproject ((double) (e->sum_x / e->count) + 0.5, (double) (e->sum_y / e->count) + 0.5,
                           24, &lat, &lon);
  g_assert_cmpfloat_with_epsilon (c->lat, lat, 1e-7);
  g_assert_cmpfloat_with_epsilon (c->lon, lon, 1e-7);
  if (c->count == 1)
    {
      g_assert_cmpfloat_with_epsilon (c->lat, first->lat, 1e-5);
      g_assert_cmpfloat_with_epsilon (c->lon, first->lon, 1e-5);
    }

  /* Department mix: listed ones exact and most numerous first. */
  g_assert_cmpuint (c->n_departments, ==, MIN (g_hash_table_size (e->departments), CIVIC_CLUSTER_TOP_DEPARTMENTS));
  for (guint i = 0; i < c->n_departments; i++)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (e->departments, &c->departments[i].department_id));
      GHashTableIter iter;
      gpointer value;

      g_assert_cmpuint (c->departments[i].count, ==, n);
      if (i > 0)
        g_assert_cmpuint (c->departments[i - 1].count, >=, c->departments[i].count);
      /* No unlisted department outnumbers the last listed one. */
      g_hash_table_iter_init (&iter, e->departments);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (GPOINTER_TO_UINT (value) > c->departments[c->n_departments - 1].count)
          {
            gboolean listed = FALSE;

            for (guint j = 0; j < c->n_departments; j++)
              listed |= c->departments[j].count == GPOINTER_TO_UINT (value);
            g_assert_true (listed);
          }
    }

  (void) model;
  return key;
}

static GHashTable *
model_index_ids (Model *model)
{
  GHashTable *ids = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < model->points->len; i++)
    {
      CivicClusterPoint *p = &g_array_index (model->points, CivicClusterPoint, i);

      g_hash_table_insert (ids, &p->id, p);
    }

  return ids;
}

static void
check_all_zooms (CivicClusterIndex *index,
                 Model             *model)
{
  g_autoptr(GHashTable) model_ids = model_index_ids (model);

  g_assert_cmpuint (civic_cluster_index_get_size (index), ==, model->points->len);

  for (int zoom = 0; zoom <= CIVIC_CLUSTER_MAX_ZOOM; zoom++)
    {
      g_autoptr(GHashTable) cells = brute_force (model, zoom);
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      g_autoptr(GArray) clusters = civic_cluster_index_query (index, WORLD_WEST, WORLD_SOUTH,
                                                              WORLD_EAST, WORLD_NORTH, zoom);
      guint total = 0;

      for (guint i = 0; i < clusters->len; i++)
        {
          const CivicCluster *c = &g_array_index (clusters, CivicCluster, i);
          gint64 key = check_cluster (index, model, model_ids, cells, c, zoom);

          g_assert_false (g_hash_table_contains (seen, &key));
          g_hash_table_add (seen, g_memdup2 (&key, sizeof key));
          total += c->count;
        }

      g_assert_cmpuint (total, ==, model->points->len);
      g_assert_cmpuint (clusters->len, ==, g_hash_table_size (cells));
    }
}

static void
check_bbox (CivicClusterIndex *index,
            Model             *model,
            GRand             *rand,
            guint              n_queries)
{
  g_autoptr(GHashTable) model_ids = model_index_ids (model);

  for (guint q = 0; q < n_queries; q++)
    {
      int zoom = g_rand_int_range (rand, 0, CIVIC_CLUSTER_MAX_ZOOM + 1);
      double west, east, south, north;
      g_autoptr(GHashTable) cells = brute_force (model, zoom);
      g_autoptr(GArray) clusters = NULL;
      GHashTableIter iter;
      gpointer key, value;
      guint32 x0, y0, x1, y1;
      guint expected = 0;

      if (q % 3 == 0)
        {
          /* Around the town, where most points are. */
          double size = g_rand_double_range (rand, 0.0005, 0.05);

          west = g_rand_double_range (rand, -3.62, -3.57);
          south = g_rand_double_range (rand, 37.20, 37.24);
          east = west + size;
          north = south + size;
        }
      else
        {
          west = g_rand_double_range (rand, -180, 180);
          east = g_rand_double_range (rand, -180, 180);
          south = g_rand_double_range (rand, -85, 85);
          north = g_rand_double_range (rand, south, 85);
        }

      clusters = civic_cluster_index_query (index, west, south, east, north, zoom);

      fixed_xy (north, west, &x0, &y0);
      fixed_xy (south, east, &x1, &y1);
      g_hash_table_iter_init (&iter, cells);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Expected *e = value;
          guint64 mx = e->sum_x / e->count;
          guint64 my = e->sum_y / e->count;
          gboolean in_x = west <= east ? (mx >= x0 && mx <= x1) : (mx >= x0 || mx <= x1);

          if (in_x && my >= y0 && my <= y1)
            expected++;
        }

      g_assert_cmpuint (clusters->len, ==, expected);
      for (guint i = 0; i < clusters->len; i++)
        {
          const CivicCluster *c = &g_array_index (clusters, CivicCluster, i);
          gint64 cell = check_cluster (index, model, model_ids, cells, c, zoom);
          Expected *e = g_hash_table_lookup (cells, &cell);
          guint64 mx = e->sum_x / e->count;
          guint64 my = e->sum_y / e->count;

          g_assert_true (west <= east ? (mx >= x0 && mx <= x1) : (mx >= x0 || mx <= x1));
          g_assert_true (my >= y0 && my <= y1);
        }
    }
}

/* Points in a box, exactly, against the model. */
static void
check_list_in_box (CivicClusterIndex *index,
                   Model             *model,
                   GRand             *rand,
                   guint              n_queries)
{
  for (guint q = 0; q < n_queries; q++)
    {
      double west, east, south, north;
      g_autoptr(GArray) ids = NULL;
      g_autoptr(GHashTable) got = g_hash_table_new (g_int64_hash, g_int64_equal);
      guint32 x0, y0, x1, y1;
      guint expected = 0;

      if (q % 2 == 0)
        {
          west = g_rand_double_range (rand, -3.62, -3.57);
          south = g_rand_double_range (rand, 37.20, 37.24);
          east = west + g_rand_double_range (rand, 0.0001, 0.03);
          north = south + g_rand_double_range (rand, 0.0001, 0.03);
        }
      else
        {
          west = g_rand_double_range (rand, -180, 180);
          east = g_rand_double_range (rand, -180, 180);
          south = g_rand_double_range (rand, -85, 85);
          north = g_rand_double_range (rand, south, 85);
        }

      ids = civic_cluster_index_list_in_box (index, west, south, east, north);
      for (guint i = 0; i < ids->len; i++)
        {
          g_assert_false (g_hash_table_contains (got, &g_array_index (ids, gint64, i)));
          g_hash_table_add (got, &g_array_index (ids, gint64, i));
        }

      fixed_xy (north, west, &x0, &y0);
      fixed_xy (south, east, &x1, &y1);
      for (guint i = 0; i < model->points->len; i++)
        {
          CivicClusterPoint *p = &g_array_index (model->points, CivicClusterPoint, i);
          gboolean in_x, inside;
          guint32 x, y;

          fixed_xy (p->lat, p->lon, &x, &y);
          in_x = west <= east ? (x >= x0 && x <= x1) : (x >= x0 || x <= x1);
          inside = in_x && y >= y0 && y <= y1;
          g_assert_true (inside == g_hash_table_contains (got, &p->id));
          expected += inside;
        }
      g_assert_cmpuint (ids->len, ==, expected);
    }
}

static CivicClusterPoint
random_point (GRand  *rand,
              gint64  id,
              guint   n_departments)
{
  CivicClusterPoint p = { 0 };
  int kind = g_rand_int_range (rand, 0, 10);

  p.id = id;
  if (kind < 6)
    {
      /* Jun and its streets */
      p.lat = g_rand_double_range (rand, 37.205, 37.235);
      p.lon = g_rand_double_range (rand, -3.61, -3.58);
    }
  else if (kind < 7)
    {
      /* A rubbish heap reported again and again on one spot. */
      p.lat = 37.2203;
      p.lon = -3.5951;
    }
  else
    {
      p.lat = g_rand_double_range (rand, -85, 85);
      p.lon = g_rand_double_range (rand, -180, 180);
    }
  p.department_id = 100 + g_rand_int_range (rand, 0, n_departments);
  p.created_ms = G_GINT64_CONSTANT (1795687200000) + g_rand_int_range (rand, 0, 1000) * 60000;
  p.open = g_rand_int_range (rand, 0, 10) < 7;
  p.overdue = p.open && g_rand_boolean (rand);

  return p;
}

static void
model_replace (Model                   *model,
               const CivicClusterPoint *point)
{
  for (guint i = 0; i < model->points->len; i++)
    if (g_array_index (model->points, CivicClusterPoint, i).id == point->id)
      {
        g_array_index (model->points, CivicClusterPoint, i) = *point;
        return;
      }
  g_array_append_val (model->points, *point);
}

static void
model_remove (Model  *model,
              gint64  id)
{
  for (guint i = 0; i < model->points->len; i++)
    if (g_array_index (model->points, CivicClusterPoint, i).id == id)
      {
        g_array_remove_index_fast (model->points, i);
        return;
      }
}

static void
test_brute_force (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260312);
  g_autoptr(CivicClusterIndex) index = civic_cluster_index_new ();
  Model model = { g_array_new (FALSE, FALSE, sizeof (CivicClusterPoint)) };

  /* One by one, as mentions arrive. */
  for (guint i = 1; i <= 3000; i++)
    {
      CivicClusterPoint p = random_point (rand, i, 6);

      civic_cluster_index_add (index, &p);
      model_replace (&model, &p);
    }
  check_all_zooms (index, &model);
  check_bbox (index, &model, rand, 60);

  /* Answered, closed, reassigned (replaced by id), removed. */
  for (guint i = 0; i < 1500; i++)
    {
      gint64 id = g_rand_int_range (rand, 1, 3001);
      const CivicClusterPoint *old = model_find (&model, id);

      if (g_rand_boolean (rand))
        {
          gboolean removed = civic_cluster_index_remove (index, id);

          g_assert_true (removed == (old != NULL));
          model_remove (&model, id);
        }
      else if (old != NULL)
        {
          CivicClusterPoint p = *old;

          p.open = FALSE;
          p.overdue = FALSE;
          p.department_id = 100 + g_rand_int_range (rand, 0, 6);
          civic_cluster_index_add (index, &p);
          model_replace (&model, &p);
        }
    }
  g_assert_false (civic_cluster_index_remove (index, 999999));
  check_all_zooms (index, &model);
  check_bbox (index, &model, rand, 60);
  check_list_in_box (index, &model, rand, 40);

  g_array_unref (model.points);
}

static void
test_bulk_matches_incremental (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(CivicClusterIndex) bulk = civic_cluster_index_new ();
  g_autoptr(CivicClusterIndex) single = civic_cluster_index_new ();
  g_autoptr(GArray) batch = g_array_new (FALSE, FALSE, sizeof (CivicClusterPoint));
  Model model = { g_array_new (FALSE, FALSE, sizeof (CivicClusterPoint)) };

  for (guint i = 1; i <= 4000; i++)
    {
      CivicClusterPoint p = random_point (rand, i, 5);

      g_array_append_val (batch, p);
    }
  /* The same id twice in one batch: the last one wins. */
  g_array_index (batch, CivicClusterPoint, 3999).id = 17;

  civic_cluster_index_add_many (bulk, (CivicClusterPoint *) batch->data, batch->len);
  for (guint i = 0; i < batch->len; i++)
    {
      civic_cluster_index_add (single, &g_array_index (batch, CivicClusterPoint, i));
      model_replace (&model, &g_array_index (batch, CivicClusterPoint, i));
    }
  check_all_zooms (bulk, &model);
  check_all_zooms (single, &model);

  /* A second batch into a filled index: new ids, replaced ids, repeats. */
  g_array_set_size (batch, 0);
  for (guint i = 0; i < 2000; i++)
    {
      gint64 id = i % 2 == 0 ? (gint64) (4000 + i) : g_rand_int_range (rand, 1, 4000);
      CivicClusterPoint p = random_point (rand, id, 5);

      g_array_append_val (batch, p);
    }
  civic_cluster_index_add_many (bulk, (CivicClusterPoint *) batch->data, batch->len);
  for (guint i = 0; i < batch->len; i++)
    model_replace (&model, &g_array_index (batch, CivicClusterPoint, i));
  check_all_zooms (bulk, &model);
  check_bbox (bulk, &model, rand, 30);

  g_array_unref (model.points);
}

static void
test_expansion_zoom (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  g_autoptr(CivicClusterIndex) index = civic_cluster_index_new ();
  Model model = { g_array_new (FALSE, FALSE, sizeof (CivicClusterPoint)) };
  g_autoptr(GHashTable) model_ids = NULL;
  guint checked_cannot_split = 0;

  for (guint i = 1; i <= 2000; i++)
    {
      CivicClusterPoint p = random_point (rand, i, 3);

      g_array_append_val (model.points, p);
    }
  civic_cluster_index_add_many (index, (CivicClusterPoint *) model.points->data, model.points->len);
  model_ids = model_index_ids (&model);

  for (int zoom = 0; zoom <= CIVIC_CLUSTER_MAX_ZOOM; zoom++)
    {
      g_autoptr(GArray) clusters = civic_cluster_index_query (index, WORLD_WEST, WORLD_SOUTH,
                                                              WORLD_EAST, WORLD_NORTH, zoom);

      for (guint i = 0; i < clusters->len; i++)
        {
          const CivicCluster *c = &g_array_index (clusters, CivicCluster, i);
          g_autoptr(GArray) members = civic_cluster_index_list_members (index, c->cluster_id);
          int expected = -1;

          /* Brute force: the first zoom where the members use two cells. */
          for (int z = zoom + 1; z <= CIVIC_CLUSTER_MAX_ZOOM && expected < 0 && c->count > 1; z++)
            {
              guint64 first = cell_of (g_hash_table_lookup (model_ids, &g_array_index (members, gint64, 0)), z);

              for (guint m = 1; m < members->len; m++)
                if (cell_of (g_hash_table_lookup (model_ids, &g_array_index (members, gint64, m)), z) != first)
                  {
                    expected = z;
                    break;
                  }
            }

          g_assert_cmpint (civic_cluster_index_get_expansion_zoom (index, c->cluster_id), ==, expected);
          if (expected < 0 && c->count > 1)
            checked_cannot_split++;
        }
    }

  /* The reports on one spot never split: the map lists them instead. */
  g_assert_cmpuint (checked_cannot_split, >, 0);
  g_assert_cmpint (civic_cluster_index_get_expansion_zoom (index, G_GUINT64_CONSTANT (0xffffffffffff)), ==, -1);

  g_array_unref (model.points);
}

static void
test_oldest_after_removal (void)
{
  g_autoptr(CivicClusterIndex) index = civic_cluster_index_new ();
  g_autoptr(GArray) clusters = NULL;
  CivicClusterPoint p[] = {
    { 1, 37.2203, -3.5951, 7, 1000, TRUE, FALSE },
    { 2, 37.22031, -3.59511, 7, 2000, TRUE, TRUE },
    { 3, 37.22032, -3.59512, 8, 500, FALSE, FALSE },
    { 4, 37.22033, -3.59513, 8, 3000, TRUE, FALSE },
  };
  CivicCluster c;

  for (guint i = 0; i < G_N_ELEMENTS (p); i++)
    civic_cluster_index_add (index, &p[i]);

  clusters = civic_cluster_index_query (index, -4, 37, -3, 38, 10);
  g_assert_cmpuint (clusters->len, ==, 1);
  c = g_array_index (clusters, CivicCluster, 0);
  g_assert_cmpuint (c.count, ==, 4);
  g_assert_cmpuint (c.open_count, ==, 3);
  g_assert_cmpuint (c.overdue_count, ==, 1);
  g_assert_cmpint (c.oldest_open_id, ==, 1);
  g_assert_cmpint (c.oldest_open_ms, ==, 1000);
  g_assert_cmpuint (c.n_departments, ==, 2);
  g_assert_cmpint (c.point_id, ==, 0);

  /* The oldest is answered: the next oldest open one takes its place. */
  p[0].open = FALSE;
  civic_cluster_index_add (index, &p[0]);
  g_assert_true (civic_cluster_index_get_cluster (index, c.cluster_id, &c));
  g_assert_cmpint (c.oldest_open_id, ==, 2);
  g_assert_cmpint (c.oldest_open_ms, ==, 2000);

  g_assert_true (civic_cluster_index_remove (index, 2));
  g_assert_true (civic_cluster_index_get_cluster (index, c.cluster_id, &c));
  g_assert_cmpint (c.oldest_open_id, ==, 4);
  g_assert_cmpuint (c.overdue_count, ==, 0);

  g_assert_true (civic_cluster_index_remove (index, 4));
  g_assert_true (civic_cluster_index_remove (index, 3));
  g_assert_true (civic_cluster_index_get_cluster (index, c.cluster_id, &c));
  g_assert_cmpuint (c.count, ==, 1);
  g_assert_cmpint (c.point_id, ==, 1);
  g_assert_cmpint (c.oldest_open_id, ==, 0);
  g_assert_cmpfloat_with_epsilon (c.lat, 37.2203, 1e-6);

  g_assert_true (civic_cluster_index_remove (index, 1));
  g_assert_false (civic_cluster_index_get_cluster (index, c.cluster_id, &c));
  g_assert_cmpuint (civic_cluster_index_get_size (index), ==, 0);
  g_clear_pointer (&clusters, g_array_unref);
  clusters = civic_cluster_index_query (index, -180, -85, 180, 85, 3);
  g_assert_cmpuint (clusters->len, ==, 0);
}

static void
test_many_departments (void)
{
  g_autoptr(CivicClusterIndex) index = civic_cluster_index_new ();
  g_autoptr(GArray) clusters = NULL;
  const CivicCluster *c;

  /* 15 departments, the last ones the most numerous: they share the
   * "other" count past the index's department slots. */
  for (guint d = 0; d < 15; d++)
    for (guint i = 0; i <= d; i++)
      {
        CivicClusterPoint p = { 1000 * (d + 1) + i, 37.22, -3.59, 500 + d, 0, TRUE, FALSE };

        civic_cluster_index_add (index, &p);
      }

  clusters = civic_cluster_index_query (index, -180, -85, 180, 85, 0);
  g_assert_cmpuint (clusters->len, ==, 1);
  c = &g_array_index (clusters, CivicCluster, 0);
  g_assert_cmpuint (c->count, ==, 120);
  g_assert_cmpuint (c->n_departments, ==, CIVIC_CLUSTER_TOP_DEPARTMENTS);
  g_assert_cmpint (c->departments[0].department_id, ==, CIVIC_CLUSTER_OTHER_DEPARTMENTS);
  g_assert_cmpuint (c->departments[0].count, ==, 12 + 13 + 14 + 15);
  g_assert_cmpint (c->departments[1].department_id, ==, 510);
  g_assert_cmpuint (c->departments[1].count, ==, 11);
}

static void
test_bad_input (void)
{
  g_autoptr(CivicClusterIndex) index = civic_cluster_index_new ();
  g_autoptr(GArray) clusters = NULL;
  CivicClusterPoint p = { 5, 89.9, 200.0, 1, 0, TRUE, FALSE };

  /* Beyond Mercator's latitude and the antimeridian: clamped, not lost. */
  civic_cluster_index_add (index, &p);
  p.id = 6;
  p.lat = NAN;
  p.lon = -3.5;
  civic_cluster_index_add (index, &p);
  g_assert_cmpuint (civic_cluster_index_get_size (index), ==, 2);

  clusters = civic_cluster_index_query (index, -180, -90, 180, 90, 5);
  g_assert_cmpuint (clusters->len, ==, 2);
  g_clear_pointer (&clusters, g_array_unref);
  clusters = civic_cluster_index_query (index, NAN, 0, 1, 1, 5);
  g_assert_cmpuint (clusters->len, ==, 0);
  g_clear_pointer (&clusters, g_array_unref);
  clusters = civic_cluster_index_query (index, -180, -90, 180, 90, 99);
  g_assert_cmpuint (clusters->len, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cluster-index/brute-force", test_brute_force);
  g_test_add_func ("/cluster-index/bulk-matches-incremental", test_bulk_matches_incremental);
  g_test_add_func ("/cluster-index/expansion-zoom", test_expansion_zoom);
  g_test_add_func ("/cluster-index/oldest-after-removal", test_oldest_after_removal);
  g_test_add_func ("/cluster-index/many-departments", test_many_departments);
  g_test_add_func ("/cluster-index/bad-input", test_bad_input);

  return g_test_run ();
}
