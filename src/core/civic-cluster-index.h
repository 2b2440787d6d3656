/* civic-cluster-index.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Zooms 0 to 19 (OpenStreetMap's range). At each zoom a cluster is the set
 * of reports in one cell of CIVIC_CLUSTER_CELL_PIXELS × CIVIC_CLUSTER_CELL_PIXELS
 * screen pixels (256-pixel tiles); a cell's four children at the next zoom
 * are its splits, so clusters nest from zoom to zoom. */
#define CIVIC_CLUSTER_MAX_ZOOM 19
#define CIVIC_CLUSTER_CELL_PIXELS 64
/* Department counts kept per cluster: the first eleven departments seen
 * by the index each have their own; any further ones share one count,
 * reported with department_id CIVIC_CLUSTER_OTHER_DEPARTMENTS. */
#define CIVIC_CLUSTER_DEPARTMENT_SLOTS 12
#define CIVIC_CLUSTER_OTHER_DEPARTMENTS G_GINT64_CONSTANT (-1)
#define CIVIC_CLUSTER_TOP_DEPARTMENTS 4

/**
 * CivicClusterPoint:
 * @id: the mention's id (not 0); adding an id again replaces the point
 * @lat: latitude (clamped to Web Mercator's ±85.0511°)
 * @lon: longitude
 * @department_id: the department it is routed to
 * @created_ms: when it was posted, for the oldest open item
 * @open: new or in progress (not answered or closed)
 * @overdue: open and past its due time
 */
typedef struct
{
  gint64 id;
  double lat;
  double lon;
  gint64 department_id;
  gint64 created_ms;
  gboolean open;
  gboolean overdue;
} CivicClusterPoint;

typedef struct
{
  gint64 department_id;
  guint count;
} CivicClusterDepartment;

/**
 * CivicCluster:
 * @cluster_id: names the cluster (its zoom and cell) for
 *   civic_cluster_index_get_expansion_zoom() and _list_members()
 * @lat: centroid of the members
 * @lon: centroid of the members
 * @count: members
 * @open_count: members still open
 * @overdue_count: open members past their due time
 * @point_id: the member's id when @count is 1, else 0
 * @oldest_open_id: the oldest open member, 0 when none is open
 * @oldest_open_ms: its creation time
 * @n_departments: entries used in @departments
 * @departments: the most numerous departments, most first
 */
typedef struct
{
  guint64 cluster_id;
  double lat;
  double lon;
  guint count;
  guint open_count;
  guint overdue_count;
  gint64 point_id;
  gint64 oldest_open_id;
  gint64 oldest_open_ms;
  guint n_departments;
  CivicClusterDepartment departments[CIVIC_CLUSTER_TOP_DEPARTMENTS];
} CivicCluster;

typedef struct _CivicClusterIndex CivicClusterIndex;

CivicClusterIndex *civic_cluster_index_new               (void);
void               civic_cluster_index_free              (CivicClusterIndex       *self);
guint              civic_cluster_index_get_size          (CivicClusterIndex       *self);
void               civic_cluster_index_clear             (CivicClusterIndex       *self);

/* Adds (or replaces, by id) one point: a few µs, for mentions as they arrive. */
void               civic_cluster_index_add               (CivicClusterIndex       *self,
                                                          const CivicClusterPoint *point);
/* Adds many points at once, much faster per point than one by one. */
void               civic_cluster_index_add_many          (CivicClusterIndex       *self,
                                                          const CivicClusterPoint *points,
                                                          guint                    n_points);
gboolean           civic_cluster_index_remove            (CivicClusterIndex       *self,
                                                          gint64                   id);
gboolean           civic_cluster_index_contains          (CivicClusterIndex       *self,
                                                          gint64                   id);

/* Clusters at @zoom (0…CIVIC_CLUSTER_MAX_ZOOM) whose centroid lies in the
 * box; @west > @east crosses the antimeridian.
 * Returns: (transfer full) (element-type CivicCluster) */
GArray            *civic_cluster_index_query             (CivicClusterIndex       *self,
                                                          double                   west,
                                                          double                   south,
                                                          double                   east,
                                                          double                   north,
                                                          int                      zoom);
gboolean           civic_cluster_index_get_cluster       (CivicClusterIndex       *self,
                                                          guint64                  cluster_id,
                                                          CivicCluster            *out);
int                civic_cluster_id_get_zoom             (guint64                  cluster_id);
/* The first zoom at which the cluster's members fall into more than one
 * cluster, or -1 when they never do up to CIVIC_CLUSTER_MAX_ZOOM (one
 * member, or members on the same spot): then list them instead. */
int                civic_cluster_index_get_expansion_zoom (CivicClusterIndex      *self,
                                                          guint64                  cluster_id);
/* Returns: (transfer full) (element-type gint64): member ids, any order */
GArray            *civic_cluster_index_list_members      (CivicClusterIndex       *self,
                                                          guint64                  cluster_id);

/* Ids of the points inside the box (exactly, not by cluster), any order;
 * @west > @east crosses the antimeridian. For "select an area".
 * Returns: (transfer full) (element-type gint64) */
GArray            *civic_cluster_index_list_in_box       (CivicClusterIndex       *self,
                                                          double                   west,
                                                          double                   south,
                                                          double                   east,
                                                          double                   north);

/* Web Mercator helpers shared with the map: world pixel coordinates at
 * @zoom with 256-pixel tiles. */
void               civic_cluster_project                 (double                   lat,
                                                          double                   lon,
                                                          double                   zoom,
                                                          double                  *x,
                                                          double                  *y);
void               civic_cluster_unproject               (double                   x,
                                                          double                   y,
                                                          double                   zoom,
                                                          double                  *lat,
                                                          double                  *lon);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicClusterIndex, civic_cluster_index_free)

G_END_DECLS
