/* civic-map-list.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "civic-cluster-index.h"
#include "civic-context.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_MAP_LIST (civic_map_list_get_type ())

G_DECLARE_FINAL_TYPE (CivicMapList, civic_map_list, CIVIC, MAP_LIST, GtkWidget)

/* The map's clusters and reports as a list: what a mouse reaches by
 * pointing, a keyboard or a screen reader reaches here. Each row reads as
 * a sentence ("12 reports, 3 overdue: Limpieza 8, Policía Local 4";
 * "Report by María Pérez, 5 minutes ago: farola rota…"). Activating a row
 * emits ::cluster-activated with its index in the last
 * civic_map_list_set_clusters() call; its "all" button emits it with
 * @list_all TRUE (the members, with actions for all of them). */
GtkWidget *civic_map_list_new          (CivicContext       *context);
void       civic_map_list_set_clusters (CivicMapList       *self,
                                        const CivicCluster *clusters,
                                        guint               n_clusters);
guint      civic_map_list_get_n_rows   (CivicMapList       *self);
/* The sentence row @i reads as, for tests. */
const char *civic_map_list_get_row_text (CivicMapList      *self,
                                         guint              i);
void       civic_map_list_activate_row (CivicMapList       *self,
                                        guint              i,
                                        gboolean           list_all);
void       civic_map_list_focus_first  (CivicMapList       *self);

G_END_DECLS
