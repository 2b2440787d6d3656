/* civic-cluster-index.c
 *
 * Clusters of reports for the map, at every zoom, kept up to date as
 * mentions arrive, are answered or go away.
 *
 * The world is projected to Web Mercator in 32-bit fixed point. At zoom z
 * a cluster is a grid cell of 64 screen pixels, i.e. the point's top
 * (z + 2) bits of x and y. Each zoom has a hash table of its non-empty
 * cells holding aggregates (count, coordinate sums for the centroid,
 * department counts, open and overdue counts, the oldest open item), so a
 * query touches only the cells on screen, and adding or removing a point
 * updates one cell per zoom. Because a cell's children are its four
 * quarters at the next zoom, the cells form a quadtree: expansion zoom and
 * member listing walk down it. Bulk loading aggregates the finest zoom
 * point by point and each coarser zoom from the one below, cell by cell.
 *
 * Sums are integers so that removing a point restores them exactly; a
 * single-member cell's id is its id sum. The oldest open item cannot be
 * un-minimised, so a removal that takes it marks the cell stale and a
 * query recomputes it from the children on demand.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "civic-cluster-index.h"

#define N_ZOOMS (CIVIC_CLUSTER_MAX_ZOOM + 1)
#define FINEST (N_ZOOMS - 1)
/* log2 (256 / CIVIC_CLUSTER_CELL_PIXELS) */
#define CELL_SHIFT 2
#define NO_POINT G_MAXUINT32
#define MAX_LATITUDE 85.0511287798066
#define FIXED_ONE 4294967296.0

G_STATIC_ASSERT ((256 >> CELL_SHIFT) == CIVIC_CLUSTER_CELL_PIXELS);
G_STATIC_ASSERT (CIVIC_CLUSTER_DEPARTMENT_SLOTS <= 255);

enum {
  POINT_OPEN = 1 << 0,
  POINT_OVERDUE = 1 << 1,
};

typedef struct
{
  guint64 key;               /* cell x << 32 | cell y */
  guint32 count;
  guint32 open_count;
  guint32 overdue_count;
  guint32 first_point;       /* finest zoom only: head of the members list */
  guint64 sum_x;
  guint64 sum_y;
  gint64 sum_id;
  gint64 oldest_ms;
  gint64 oldest_id;          /* 0: no open member (when not stale) */
  guint32 departments[CIVIC_CLUSTER_DEPARTMENT_SLOTS];
  gboolean oldest_stale;
} Cell;

typedef struct
{
  Cell *cells;               /* owned */
  guint n_cells;
  guint n_alloc;
  guint32 *slots;            /* owned: cell index + 1, 0 when empty */
  guint slot_bits;
} Level;

typedef struct
{
  gint64 id;                 /* 0 for a free slot */
  gint64 created_ms;
  guint32 x;
  guint32 y;
  guint32 next;              /* members of the same finest cell, or the free list */
  guint8 department_slot;
  guint8 flags;
} Point;

typedef struct
{
  gint64 id;                 /* 0: empty */
  guint32 index;
} IdEntry;

struct _CivicClusterIndex
{
  Level levels[N_ZOOMS];
  Point *points;             /* owned */
  guint n_points_alloc;
  guint n_points_used;       /* high-water mark */
  guint32 free_head;
  guint size;
  IdEntry *ids;              /* owned: open addressing, id → point */
  guint id_bits;
  gint64 department_ids[CIVIC_CLUSTER_DEPARTMENT_SLOTS];
  guint n_departments;
};

static inline guint32
hash_bits (guint64 key,
           guint   bits)
{
  return (guint32) ((key * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> (64 - bits));
}

/* Mention ids are mostly consecutive row ids: keep runs of 8 together in
 * the table (one cache line pair) and scatter the runs. */
static inline guint32
id_home (gint64 id,
         guint  bits)
{
  return ((hash_bits ((guint64) id >> 3, bits) & ~7u) | ((guint32) id & 7u)) & ((1u << bits) - 1);
}

#define HUGE_PAGE ((gsize) 2 << 20)

/* Arrays of megabytes (a million points) are asked for in huge pages:
 * touching fresh memory page by page costs more than filling it. */
static gpointer
big_alloc (gsize    size,
           gboolean zeroed)
{
  gpointer mem;

  if (size < HUGE_PAGE || posix_memalign (&mem, HUGE_PAGE, size) != 0)
    return zeroed ? g_malloc0 (size) : g_malloc (size);

#ifdef MADV_HUGEPAGE
  madvise (mem, size, MADV_HUGEPAGE);
#endif
  if (zeroed)
    memset (mem, 0, size);
  return mem;
}

static gpointer
big_realloc (gpointer mem,
             gsize    old_size,
             gsize    new_size)
{
  gpointer bigger;

  if (new_size < HUGE_PAGE)
    return g_realloc (mem, new_size);

  bigger = big_alloc (new_size, FALSE);
  if (mem != NULL)
    memcpy (bigger, mem, MIN (old_size, new_size));
  g_free (mem);
  return bigger;
}

static inline guint64
cell_key (guint32 x,
          guint32 y,
          int     zoom)
{
  int shift = 32 - (zoom + CELL_SHIFT);

  return ((guint64) (x >> shift) << 32) | (y >> shift);
}

static inline guint64
parent_key (guint64 key)
{
  return ((key >> 33) << 32) | ((key & G_MAXUINT32) >> 1);
}

static inline guint64
make_cluster_id (int     zoom,
                 guint64 key)
{
  return ((guint64) zoom << 48) | ((key >> 32) << 24) | (key & G_MAXUINT32);
}

static inline guint64
cluster_id_key (guint64 cluster_id)
{
  return (((cluster_id >> 24) & 0xffffff) << 32) | (cluster_id & 0xffffff);
}

int
civic_cluster_id_get_zoom (guint64 cluster_id)
{
  return (int) (cluster_id >> 48);
}

static inline guint32
to_fixed (double f)
{
  f *= FIXED_ONE;
  if (!(f > 0.0))
    return 0;
  if (f >= FIXED_ONE - 1.0)
    return G_MAXUINT32;
  return (guint32) f;
}

static inline void
project_fixed (double   lat,
               double   lon,
               guint32 *x,
               guint32 *y)
{
  double s;

  lat = CLAMP (lat, -MAX_LATITUDE, MAX_LATITUDE);
  lon = CLAMP (lon, -180.0, 180.0);
  s = sin (lat * (G_PI / 180.0));
  *x = to_fixed (lon / 360.0 + 0.5);
  *y = to_fixed (0.5 - log ((1.0 + s) / (1.0 - s)) * (0.25 / G_PI));
}

static inline void
unproject_unit (double  fx,
                double  fy,
                double *lat,
                double *lon)
{
  *lon = fx * 360.0 - 180.0;
  *lat = atan (sinh (G_PI * (1.0 - 2.0 * fy))) * (180.0 / G_PI);
}

void
civic_cluster_project (double  lat,
                       double  lon,
                       double  zoom,
                       double *x,
                       double *y)
{
  double scale = 256.0 * exp2 (zoom);
  double s;

  lat = CLAMP (lat, -MAX_LATITUDE, MAX_LATITUDE);
  s = sin (lat * (G_PI / 180.0));
  *x = (lon / 360.0 + 0.5) * scale;
  *y = (0.5 - log ((1.0 + s) / (1.0 - s)) * (0.25 / G_PI)) * scale;
}

void
civic_cluster_unproject (double  x,
                         double  y,
                         double  zoom,
                         double *lat,
                         double *lon)
{
  double scale = 256.0 * exp2 (zoom);

  unproject_unit (x / scale, y / scale, lat, lon);
}

/* Levels: a dense array of cells and an open-addressing table over it. */

static void
level_clear (Level *level)
{
  g_clear_pointer (&level->cells, g_free);
  g_clear_pointer (&level->slots, g_free);
  level->n_cells = 0;
  level->n_alloc = 0;
  level->slot_bits = 0;
}

static void
level_rehash (Level *level,
              guint  bits)
{
  guint32 mask = (1u << bits) - 1;

  g_free (level->slots);
  level->slots = big_alloc (sizeof (guint32) << bits, TRUE);
  level->slot_bits = bits;

  for (guint i = 0; i < level->n_cells; i++)
    {
      guint32 slot = hash_bits (level->cells[i].key, bits);

      while (level->slots[slot] != 0)
        slot = (slot + 1) & mask;
      level->slots[slot] = i + 1;
    }
}

static inline Cell *
level_find (const Level *level,
            guint64      key)
{
  guint32 mask, slot;

  if (level->slot_bits == 0)
    return NULL;

  mask = (1u << level->slot_bits) - 1;
  slot = hash_bits (key, level->slot_bits);
  for (;;)
    {
      guint32 index = level->slots[slot];

      if (index == 0)
        return NULL;
      if (level->cells[index - 1].key == key)
        return &level->cells[index - 1];
      slot = (slot + 1) & mask;
    }
}

static void
level_reserve (Level *level,
               guint  n_cells)
{
  guint bits = MAX (level->slot_bits, 4);

  if (n_cells > level->n_alloc)
    {
      guint n_alloc = MAX (n_cells, 16);

      level->cells = big_realloc (level->cells, sizeof (Cell) * level->n_alloc, sizeof (Cell) * n_alloc);
      level->n_alloc = n_alloc;
    }

  /* Keep the table at most half full. */
  while (((gsize) 1 << bits) < (gsize) n_cells * 2)
    bits++;
  if (bits != level->slot_bits)
    level_rehash (level, bits);
}

/* Returns the cell for @key, created empty if needed. The pointer is good
 * until the next insertion into the same level. */
static inline Cell *
level_upsert (Level   *level,
              guint64  key)
{
  guint32 mask, slot;
  Cell *cell;

  if (G_UNLIKELY (((gsize) level->n_cells + 1) * 2 > ((gsize) 1 << level->slot_bits) ||
                  level->n_cells == level->n_alloc))
    level_reserve (level, MAX (level->n_cells * 2, 16));

  mask = (1u << level->slot_bits) - 1;
  slot = hash_bits (key, level->slot_bits);
  for (;;)
    {
      guint32 index = level->slots[slot];

      if (index == 0)
        break;
      if (level->cells[index - 1].key == key)
        return &level->cells[index - 1];
      slot = (slot + 1) & mask;
    }

  cell = &level->cells[level->n_cells];
  memset (cell, 0, sizeof *cell);
  cell->key = key;
  cell->first_point = NO_POINT;
  level->slots[slot] = ++level->n_cells;

  return cell;
}

/* Aggregates */

static inline gboolean
older (gint64 ms_a,
       gint64 id_a,
       gint64 ms_b,
       gint64 id_b)
{
  return ms_a < ms_b || (ms_a == ms_b && id_a < id_b);
}

static inline void
cell_add_point (Cell        *cell,
                const Point *p)
{
  cell->count++;
  cell->sum_x += p->x;
  cell->sum_y += p->y;
  cell->sum_id += p->id;
  cell->departments[p->department_slot]++;

  if (p->flags & POINT_OPEN)
    {
      cell->open_count++;
      if (p->flags & POINT_OVERDUE)
        cell->overdue_count++;
      if (!cell->oldest_stale &&
          (cell->oldest_id == 0 || older (p->created_ms, p->id, cell->oldest_ms, cell->oldest_id)))
        {
          cell->oldest_ms = p->created_ms;
          cell->oldest_id = p->id;
        }
    }
}

static inline void
cell_remove_point (Cell        *cell,
                   const Point *p)
{
  g_assert (cell->count > 0);

  cell->count--;
  cell->sum_x -= p->x;
  cell->sum_y -= p->y;
  cell->sum_id -= p->id;
  cell->departments[p->department_slot]--;

  if (p->flags & POINT_OPEN)
    {
      cell->open_count--;
      if (p->flags & POINT_OVERDUE)
        cell->overdue_count--;
      if (cell->open_count == 0)
        {
          cell->oldest_id = 0;
          cell->oldest_stale = FALSE;
        }
      else if (cell->oldest_id == p->id)
        {
          cell->oldest_id = 0;
          cell->oldest_stale = TRUE;
        }
    }
}

static inline void
cell_merge (Cell       *into,
            const Cell *from)
{
  into->count += from->count;
  into->open_count += from->open_count;
  into->overdue_count += from->overdue_count;
  into->sum_x += from->sum_x;
  into->sum_y += from->sum_y;
  into->sum_id += from->sum_id;
  for (guint i = 0; i < CIVIC_CLUSTER_DEPARTMENT_SLOTS; i++)
    into->departments[i] += from->departments[i];

  if (from->oldest_stale)
    into->oldest_stale = TRUE;
  else if (!into->oldest_stale && from->oldest_id != 0 &&
           (into->oldest_id == 0 || older (from->oldest_ms, from->oldest_id, into->oldest_ms, into->oldest_id)))
    {
      into->oldest_ms = from->oldest_ms;
      into->oldest_id = from->oldest_id;
    }
}

static void
refresh_oldest (CivicClusterIndex *self,
                int                zoom,
                Cell              *cell)
{
  gint64 best_ms = 0;
  gint64 best_id = 0;

  if (!cell->oldest_stale)
    return;

  if (zoom == FINEST)
    {
      for (guint32 i = cell->first_point; i != NO_POINT; i = self->points[i].next)
        {
          const Point *p = &self->points[i];

          if ((p->flags & POINT_OPEN) && (best_id == 0 || older (p->created_ms, p->id, best_ms, best_id)))
            {
              best_ms = p->created_ms;
              best_id = p->id;
            }
        }
    }
  else
    {
      guint64 cx = (cell->key >> 32) << 1;
      guint64 cy = (cell->key & G_MAXUINT32) << 1;

      for (guint i = 0; i < 4; i++)
        {
          Cell *child = level_find (&self->levels[zoom + 1], ((cx + (i & 1)) << 32) | (cy + (i >> 1)));

          if (child == NULL || child->open_count == 0)
            continue;
          refresh_oldest (self, zoom + 1, child);
          if (child->oldest_id != 0 &&
              (best_id == 0 || older (child->oldest_ms, child->oldest_id, best_ms, best_id)))
            {
              best_ms = child->oldest_ms;
              best_id = child->oldest_id;
            }
        }
    }

  cell->oldest_ms = best_ms;
  cell->oldest_id = best_id;
  cell->oldest_stale = FALSE;
}

/* Ids */

static void
ids_rehash (CivicClusterIndex *self,
            guint              bits)
{
  IdEntry *old = self->ids;
  gsize old_n = self->ids != NULL ? (gsize) 1 << self->id_bits : 0;
  guint32 mask = (1u << bits) - 1;

  self->ids = big_alloc (sizeof (IdEntry) << bits, TRUE);
  self->id_bits = bits;

  for (gsize i = 0; i < old_n; i++)
    if (old[i].id != 0)
      {
        guint32 slot = id_home (old[i].id, bits);

        while (self->ids[slot].id != 0)
          slot = (slot + 1) & mask;
        self->ids[slot] = old[i];
      }

  g_free (old);
}

static void
ids_reserve (CivicClusterIndex *self,
             gsize              n)
{
  guint bits = MAX (self->id_bits, 8);

  while (((gsize) 1 << bits) < n * 2)
    bits++;
  if (bits != self->id_bits)
    ids_rehash (self, bits);
}

static inline gint64
ids_slot (CivicClusterIndex *self,
          gint64             id)
{
  guint32 mask = (1u << self->id_bits) - 1;
  guint32 slot;

  if (self->ids == NULL)
    return -1;

  slot = id_home (id, self->id_bits);
  while (self->ids[slot].id != 0)
    {
      if (self->ids[slot].id == id)
        return slot;
      slot = (slot + 1) & mask;
    }

  return -1;
}

static inline void
ids_insert (CivicClusterIndex *self,
            gint64             id,
            guint32            index)
{
  guint32 mask = (1u << self->id_bits) - 1;
  guint32 slot = id_home (id, self->id_bits);

  while (self->ids[slot].id != 0)
    slot = (slot + 1) & mask;
  self->ids[slot].id = id;
  self->ids[slot].index = index;
}

/* Points @id at @index; returns the index it pointed at before, or
 * NO_POINT. One probe sequence for the bulk path's lookup and insert. */
static inline guint32
ids_replace (CivicClusterIndex *self,
             gint64             id,
             guint32            index)
{
  guint32 mask = (1u << self->id_bits) - 1;
  guint32 slot = id_home (id, self->id_bits);

  while (self->ids[slot].id != 0)
    {
      if (self->ids[slot].id == id)
        {
          guint32 old = self->ids[slot].index;

          self->ids[slot].index = index;
          return old;
        }
      slot = (slot + 1) & mask;
    }

  self->ids[slot].id = id;
  self->ids[slot].index = index;
  return NO_POINT;
}

/* Linear probing deletion without tombstones: shift back the entries
 * that probed past the freed slot. */
static void
ids_delete_slot (CivicClusterIndex *self,
                 guint32            hole)
{
  guint32 mask = (1u << self->id_bits) - 1;
  guint32 j = hole;

  for (;;)
    {
      guint32 home;

      j = (j + 1) & mask;
      if (self->ids[j].id == 0)
        break;

      home = id_home (self->ids[j].id, self->id_bits);
      /* Move j into the hole unless its home lies cyclically in (hole, j]. */
      if ((hole < j) ? (home <= hole || home > j) : (home <= hole && home > j))
        {
          self->ids[hole] = self->ids[j];
          hole = j;
        }
    }

  self->ids[hole].id = 0;
}

static guint8
department_slot (CivicClusterIndex *self,
                 gint64             department_id)
{
  for (guint i = 0; i < self->n_departments; i++)
    if (self->department_ids[i] == department_id)
      return (guint8) i;

  if (self->n_departments < CIVIC_CLUSTER_DEPARTMENT_SLOTS - 1)
    {
      self->department_ids[self->n_departments] = department_id;
      return (guint8) self->n_departments++;
    }

  return CIVIC_CLUSTER_DEPARTMENT_SLOTS - 1;
}

static void
points_reserve (CivicClusterIndex *self,
                guint              n)
{
  if (n <= self->n_points_alloc)
    return;

  n = MAX (n, MAX (self->n_points_alloc * 2, 64));
  self->points = big_realloc (self->points, sizeof (Point) * self->n_points_alloc, sizeof (Point) * n);
  self->n_points_alloc = n;
}

static guint32
point_alloc (CivicClusterIndex *self)
{
  guint32 index;

  if (self->free_head != NO_POINT)
    {
      index = self->free_head;
      self->free_head = self->points[index].next;
      return index;
    }

  points_reserve (self, self->n_points_used + 1);
  return self->n_points_used++;
}

static void
point_fill (CivicClusterIndex       *self,
            Point                   *p,
            const CivicClusterPoint *point)
{
  p->id = point->id;
  p->created_ms = point->created_ms;
  project_fixed (point->lat, point->lon, &p->x, &p->y);
  p->department_slot = department_slot (self, point->department_id);
  p->flags = (point->open ? POINT_OPEN : 0) | (point->open && point->overdue ? POINT_OVERDUE : 0);
}

static inline void
link_member (CivicClusterIndex *self,
             Cell              *cell,
             guint32            index)
{
  self->points[index].next = cell->first_point;
  cell->first_point = index;
}

static inline void
unlink_member (CivicClusterIndex *self,
               Cell              *cell,
               guint32            index)
{
  guint32 *link = &cell->first_point;

  /* Singly linked to keep points small: a finest cell (15 m) holds few. */
  while (*link != index)
    {
      g_assert (*link != NO_POINT);
      link = &self->points[*link].next;
    }
  *link = self->points[index].next;
}

static void
point_free (CivicClusterIndex *self,
            guint32            index)
{
  self->points[index].id = 0;
  self->points[index].next = self->free_head;
  self->free_head = index;
}

CivicClusterIndex *
civic_cluster_index_new (void)
{
  CivicClusterIndex *self = g_new0 (CivicClusterIndex, 1);

  self->free_head = NO_POINT;
  return self;
}

void
civic_cluster_index_clear (CivicClusterIndex *self)
{
  g_return_if_fail (self != NULL);

  for (guint z = 0; z < N_ZOOMS; z++)
    level_clear (&self->levels[z]);
  g_clear_pointer (&self->points, g_free);
  g_clear_pointer (&self->ids, g_free);
  self->n_points_alloc = 0;
  self->n_points_used = 0;
  self->free_head = NO_POINT;
  self->size = 0;
  self->id_bits = 0;
  self->n_departments = 0;
}

void
civic_cluster_index_free (CivicClusterIndex *self)
{
  if (self == NULL)
    return;

  civic_cluster_index_clear (self);
  g_free (self);
}

guint
civic_cluster_index_get_size (CivicClusterIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->size;
}

gboolean
civic_cluster_index_contains (CivicClusterIndex *self,
                              gint64             id)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return id != 0 && ids_slot (self, id) >= 0;
}

gboolean
civic_cluster_index_remove (CivicClusterIndex *self,
                            gint64             id)
{
  gint64 slot;
  guint32 index;
  Point *p;
  Cell *cell = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (id == 0 || (slot = ids_slot (self, id)) < 0)
    return FALSE;

  index = self->ids[slot].index;
  p = &self->points[index];

  for (int z = FINEST; z >= 0; z--)
    {
      cell = level_find (&self->levels[z], cell_key (p->x, p->y, z));
      g_assert (cell != NULL);
      cell_remove_point (cell, p);

      if (z == FINEST)
        unlink_member (self, cell, index);
    }

  ids_delete_slot (self, (guint32) slot);
  point_free (self, index);
  self->size--;

  return TRUE;
}

void
civic_cluster_index_add (CivicClusterIndex       *self,
                         const CivicClusterPoint *point)
{
  guint32 index;
  Point *p;

  g_return_if_fail (self != NULL);
  g_return_if_fail (point != NULL && point->id != 0);

  civic_cluster_index_remove (self, point->id);

  index = point_alloc (self);
  p = &self->points[index];
  point_fill (self, p, point);

  for (int z = FINEST; z >= 0; z--)
    {
      Cell *cell = level_upsert (&self->levels[z], cell_key (p->x, p->y, z));

      cell_add_point (cell, p);
      if (z == FINEST)
        link_member (self, cell, index);
    }

  ids_reserve (self, (gsize) self->size + 1);
  ids_insert (self, p->id, index);
  self->size++;
}

void
civic_cluster_index_add_many (CivicClusterIndex       *self,
                              const CivicClusterPoint *points,
                              guint                    n_points)
{
  Level pending[N_ZOOMS] = { { 0 } };
  Level *finest_sums;
  gboolean direct;

  g_return_if_fail (self != NULL);
  g_return_if_fail (points != NULL || n_points == 0);

  for (guint i = 0; i < n_points; i++)
    g_return_if_fail (points[i].id != 0);

  if (n_points < 64)
    {
      for (guint i = 0; i < n_points; i++)
        civic_cluster_index_add (self, &points[i]);
      return;
    }

  /* Points replaced by this batch go first, the ordinary way. */
  if (self->size > 0)
    for (guint i = 0; i < n_points; i++)
      civic_cluster_index_remove (self, points[i].id);

  /* An empty index is built in place; otherwise the new points are
   * summed on their own, then merged in zoom by zoom. */
  direct = self->size == 0;
  if (direct)
    civic_cluster_index_clear (self);
  finest_sums = direct ? &self->levels[FINEST] : &pending[FINEST];

  points_reserve (self, self->n_points_used + n_points);
  ids_reserve (self, (gsize) self->size + n_points);

  for (guint i = 0; i < n_points; i++)
    {
      guint32 index = point_alloc (self);
      guint32 previous;
      Point *p = &self->points[index];
      guint64 key;
      Cell *cell;

      point_fill (self, p, &points[i]);
      key = cell_key (p->x, p->y, FINEST);

      cell = level_upsert (&self->levels[FINEST], key);
      link_member (self, cell, index);
      if (!direct)
        cell = level_upsert (finest_sums, key);
      cell_add_point (cell, p);

      /* The same id twice in @points: the last one wins. */
      previous = ids_replace (self, p->id, index);
      if (previous != NO_POINT)
        {
          Point *old = &self->points[previous];
          guint64 old_key = cell_key (old->x, old->y, FINEST);

          cell_remove_point (level_find (finest_sums, old_key), old);
          unlink_member (self, level_find (&self->levels[FINEST], old_key), previous);
          point_free (self, previous);
        }
      else
        self->size++;
    }

  for (int z = FINEST - 1; z >= 0; z--)
    {
      Level *from = direct ? &self->levels[z + 1] : &pending[z + 1];
      Level *to = direct ? &self->levels[z] : &pending[z];

      level_reserve (to, to->n_cells + from->n_cells / 4 + 1);
      for (guint i = 0; i < from->n_cells; i++)
        cell_merge (level_upsert (to, parent_key (from->cells[i].key)), &from->cells[i]);

      if (!direct)
        {
          /* Fold the finer pending zoom into the index. Members are
           * linked in the index's finest cells already. */
          for (guint i = 0; i < from->n_cells; i++)
            {
              cell_merge (level_upsert (&self->levels[z + 1], from->cells[i].key), &from->cells[i]);
            }
          level_clear (from);
        }
    }

  if (!direct)
    {
      for (guint i = 0; i < pending[0].n_cells; i++)
        cell_merge (level_upsert (&self->levels[0], pending[0].cells[i].key), &pending[0].cells[i]);
      level_clear (&pending[0]);
    }
}

static void
fill_cluster (CivicClusterIndex *self,
              int                zoom,
              Cell              *cell,
              CivicCluster      *out)
{
  guint order[CIVIC_CLUSTER_DEPARTMENT_SLOTS];
  guint n = 0;

  refresh_oldest (self, zoom, cell);

  out->cluster_id = make_cluster_id (zoom, cell->key);
  unproject_unit (((double) cell->sum_x / cell->count + 0.5) / FIXED_ONE,
                  ((double) cell->sum_y / cell->count + 0.5) / FIXED_ONE,
                  &out->lat, &out->lon);
  out->count = cell->count;
  out->open_count = cell->open_count;
  out->overdue_count = cell->overdue_count;
  out->point_id = cell->count == 1 ? cell->sum_id : 0;
  out->oldest_open_id = cell->oldest_id;
  out->oldest_open_ms = cell->oldest_id != 0 ? cell->oldest_ms : 0;

  /* Most numerous first; few slots, so a small insertion sort. */
  for (guint i = 0; i < CIVIC_CLUSTER_DEPARTMENT_SLOTS; i++)
    {
      guint j;

      if (cell->departments[i] == 0)
        continue;
      for (j = n; j > 0 && cell->departments[order[j - 1]] < cell->departments[i]; j--)
        order[j] = order[j - 1];
      order[j] = i;
      n++;
    }

  out->n_departments = MIN (n, CIVIC_CLUSTER_TOP_DEPARTMENTS);
  for (guint i = 0; i < out->n_departments; i++)
    {
      guint slot = order[i];

      out->departments[i].department_id = slot < self->n_departments
        ? self->department_ids[slot] : CIVIC_CLUSTER_OTHER_DEPARTMENTS;
      out->departments[i].count = cell->departments[slot];
    }
}

static void
query_range (CivicClusterIndex *self,
             int                zoom,
             guint32            x0,
             guint32            x1,
             guint32            y0,
             guint32            y1,
             GArray            *out)
{
  Level *level = &self->levels[zoom];
  int shift = 32 - (zoom + CELL_SHIFT);
  guint64 cx0 = x0 >> shift, cx1 = x1 >> shift;
  guint64 cy0 = y0 >> shift, cy1 = y1 >> shift;
  guint64 grid = (cx1 - cx0 + 1) * (cy1 - cy0 + 1);

#define EMIT_IF_INSIDE(cell) \
  G_STMT_START { \
    if ((cell)->count > 0) \
      { \
        guint64 mx = (cell)->sum_x / (cell)->count; \
        guint64 my = (cell)->sum_y / (cell)->count; \
        if (mx >= x0 && mx <= x1 && my >= y0 && my <= y1) \
          { \
            CivicCluster cluster; \
            fill_cluster (self, zoom, (cell), &cluster); \
            g_array_append_val (out, cluster); \
          } \
      } \
  } G_STMT_END

  if (level->n_cells == 0)
    return;

  /* Look up each cell of the box when it has fewer cells than the zoom
   * holds; otherwise go through the zoom's cells. */
  if (grid <= (guint64) level->n_cells * 2)
    {
      for (guint64 cy = cy0; cy <= cy1; cy++)
        for (guint64 cx = cx0; cx <= cx1; cx++)
          {
            Cell *cell = level_find (level, (cx << 32) | cy);

            if (cell != NULL)
              EMIT_IF_INSIDE (cell);
          }
    }
  else
    {
      for (guint i = 0; i < level->n_cells; i++)
        {
          Cell *cell = &level->cells[i];
          guint64 cx = cell->key >> 32;
          guint64 cy = cell->key & G_MAXUINT32;

          if (cx >= cx0 && cx <= cx1 && cy >= cy0 && cy <= cy1)
            EMIT_IF_INSIDE (cell);
        }
    }

#undef EMIT_IF_INSIDE
}

GArray *
civic_cluster_index_query (CivicClusterIndex *self,
                           double             west,
                           double             south,
                           double             east,
                           double             north,
                           int                zoom)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (CivicCluster));
  guint32 x0, x1, y0, y1;

  g_return_val_if_fail (self != NULL, out);

  if (isnan (west) || isnan (south) || isnan (east) || isnan (north) || south > north)
    return out;

  zoom = CLAMP (zoom, 0, CIVIC_CLUSTER_MAX_ZOOM);
  project_fixed (north, CLAMP (west, -180.0, 180.0), &x0, &y0);
  project_fixed (south, CLAMP (east, -180.0, 180.0), &x1, &y1);

  if (west <= east)
    query_range (self, zoom, x0, x1, y0, y1, out);
  else
    {
      query_range (self, zoom, x0, G_MAXUINT32, y0, y1, out);
      query_range (self, zoom, 0, x1, y0, y1, out);
    }

  return out;
}

static Cell *
find_cluster_cell (CivicClusterIndex *self,
                   guint64            cluster_id,
                   int               *zoom)
{
  Cell *cell;

  *zoom = civic_cluster_id_get_zoom (cluster_id);
  if (*zoom < 0 || *zoom > CIVIC_CLUSTER_MAX_ZOOM)
    return NULL;

  cell = level_find (&self->levels[*zoom], cluster_id_key (cluster_id));
  return cell != NULL && cell->count > 0 ? cell : NULL;
}

gboolean
civic_cluster_index_get_cluster (CivicClusterIndex *self,
                                 guint64            cluster_id,
                                 CivicCluster      *out)
{
  Cell *cell;
  int zoom;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  cell = find_cluster_cell (self, cluster_id, &zoom);
  if (cell == NULL)
    return FALSE;

  fill_cluster (self, zoom, cell, out);
  return TRUE;
}

int
civic_cluster_index_get_expansion_zoom (CivicClusterIndex *self,
                                        guint64            cluster_id)
{
  Cell *cell;
  int zoom;

  g_return_val_if_fail (self != NULL, -1);

  cell = find_cluster_cell (self, cluster_id, &zoom);
  if (cell == NULL || cell->count < 2)
    return -1;

  for (; zoom < CIVIC_CLUSTER_MAX_ZOOM; zoom++)
    {
      guint64 cx = (cell->key >> 32) << 1;
      guint64 cy = (cell->key & G_MAXUINT32) << 1;
      Cell *only = NULL;
      guint n = 0;

      for (guint i = 0; i < 4; i++)
        {
          Cell *child = level_find (&self->levels[zoom + 1], ((cx + (i & 1)) << 32) | (cy + (i >> 1)));

          if (child != NULL && child->count > 0)
            {
              only = child;
              n++;
            }
        }

      if (n > 1)
        return zoom + 1;
      g_assert (only != NULL);
      cell = only;
    }

  return -1;
}

static void
collect_members (CivicClusterIndex *self,
                 int                zoom,
                 const Cell        *cell,
                 GArray            *out)
{
  if (zoom == FINEST)
    {
      for (guint32 i = cell->first_point; i != NO_POINT; i = self->points[i].next)
        g_array_append_val (out, self->points[i].id);
      return;
    }

  for (guint i = 0; i < 4; i++)
    {
      guint64 cx = ((cell->key >> 32) << 1) + (i & 1);
      guint64 cy = ((cell->key & G_MAXUINT32) << 1) + (i >> 1);
      Cell *child = level_find (&self->levels[zoom + 1], (cx << 32) | cy);

      if (child != NULL && child->count > 0)
        collect_members (self, zoom + 1, child, out);
    }
}

GArray *
civic_cluster_index_list_members (CivicClusterIndex *self,
                                  guint64            cluster_id)
{
  GArray *out;
  Cell *cell;
  int zoom;

  g_return_val_if_fail (self != NULL, NULL);

  cell = find_cluster_cell (self, cluster_id, &zoom);
  out = g_array_sized_new (FALSE, FALSE, sizeof (gint64), cell != NULL ? cell->count : 0);
  if (cell != NULL)
    collect_members (self, zoom, cell, out);

  return out;
}

static void
list_range (CivicClusterIndex *self,
            guint32            x0,
            guint32            x1,
            guint32            y0,
            guint32            y1,
            GArray            *out)
{
  Level *level = &self->levels[FINEST];
  int shift = 32 - (FINEST + CELL_SHIFT);
  guint64 cx0 = x0 >> shift, cx1 = x1 >> shift;
  guint64 cy0 = y0 >> shift, cy1 = y1 >> shift;
  guint64 grid = (cx1 - cx0 + 1) * (cy1 - cy0 + 1);

#define EMIT_MEMBERS_INSIDE(cell) \
  G_STMT_START { \
    for (guint32 m = (cell)->first_point; m != NO_POINT; m = self->points[m].next) \
      { \
        const Point *p = &self->points[m]; \
        if (p->x >= x0 && p->x <= x1 && p->y >= y0 && p->y <= y1) \
          g_array_append_val (out, p->id); \
      } \
  } G_STMT_END

  if (level->n_cells == 0)
    return;

  if (grid <= (guint64) level->n_cells * 2)
    {
      for (guint64 cy = cy0; cy <= cy1; cy++)
        for (guint64 cx = cx0; cx <= cx1; cx++)
          {
            Cell *cell = level_find (level, (cx << 32) | cy);

            if (cell != NULL)
              EMIT_MEMBERS_INSIDE (cell);
          }
    }
  else
    {
      for (guint i = 0; i < level->n_cells; i++)
        {
          Cell *cell = &level->cells[i];
          guint64 cx = cell->key >> 32;
          guint64 cy = cell->key & G_MAXUINT32;

          if (cx >= cx0 && cx <= cx1 && cy >= cy0 && cy <= cy1)
            EMIT_MEMBERS_INSIDE (cell);
        }
    }

#undef EMIT_MEMBERS_INSIDE
}

GArray *
civic_cluster_index_list_in_box (CivicClusterIndex *self,
                                 double             west,
                                 double             south,
                                 double             east,
                                 double             north)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint32 x0, x1, y0, y1;

  g_return_val_if_fail (self != NULL, out);

  if (isnan (west) || isnan (south) || isnan (east) || isnan (north) || south > north)
    return out;

  project_fixed (north, CLAMP (west, -180.0, 180.0), &x0, &y0);
  project_fixed (south, CLAMP (east, -180.0, 180.0), &x1, &y1);

  if (west <= east)
    list_range (self, x0, x1, y0, y1, out);
  else
    {
      list_range (self, x0, G_MAXUINT32, y0, y1, out);
      list_range (self, 0, x1, y0, y1, out);
    }

  return out;
}
