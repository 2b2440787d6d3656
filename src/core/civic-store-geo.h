/* civic-store-geo.h
 *
 * The store's places: mention points for the map (through the queue's
 * filters) and geotagged reports for export.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "civic-cluster-index.h"
#include "civic-enums.h"
#include "civic-queue-filter.h"
#include "civic-store.h"

G_BEGIN_DECLS

/* Mentions with a place that @filter selects (the queue's filter: every
 * field applies; has_place is implied), as cluster-index points, ordered
 * by id and only those after @after_id, at most @limit (0: no limit) —
 * so a caller can load a large town in slices between frames. `overdue`
 * is judged at @now_ms.
 * Returns: (element-type CivicClusterPoint) (transfer full) */
GArray   *civic_store_list_map_points (CivicStore              *store,
                                       const CivicQueueFilter  *filter,
                                       gint64                   now_ms,
                                       gint64                   after_id,
                                       guint                    limit,
                                       GError                 **error);

/**
 * CivicPlace:
 *
 * One geotagged report, for the town's GIS. Strings are borrowed and only
 * valid during the callback. Times are Unix ms, 0 when unset.
 */
typedef struct
{
  gint64 id;
  const char *status_id;
  const char *url;
  double lat;
  double lon;
  const char *geo_source;
  double geo_uncertainty_m;      /* 0 when unknown */
  const char *department_slug;
  const char *department_name;
  CivicMentionState state;
  CivicPriority priority;
  const char *visibility;
  const char *author_acct;
  gint64 created_at_ms;
  gint64 due_at_ms;
  gint64 answered_at_ms;
  gint64 closed_at_ms;
} CivicPlace;

typedef gboolean (*CivicPlaceFunc) (const CivicPlace *place,
                                    gpointer          user_data);

/* Calls @func for every mention with a place, oldest first, until it
 * returns FALSE. Direct (private) mentions are left out unless
 * @include_direct: they may carry personal data. */
gboolean  civic_store_foreach_place   (CivicStore              *store,
                                       gboolean                 include_direct,
                                       CivicPlaceFunc           func,
                                       gpointer                 user_data,
                                       GError                 **error);

G_END_DECLS
