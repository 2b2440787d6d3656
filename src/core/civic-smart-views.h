/* civic-smart-views.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "civic-queue-filter.h"
#include "civic-store.h"

G_BEGIN_DECLS

/* Smart views: a person's saved queue filters ("Urgent with a photo",
 * "Claimed by me"), kept in the store so every session on the desk sees
 * them. Each belongs to the department of its filter and goes when the
 * department goes. */

#define CIVIC_SMART_VIEW_NAME_MAX 60

/* (element-type CivicSmartView): in the order they were saved. */
GPtrArray *civic_store_list_smart_views  (CivicStore              *store,
                                          GError                 **error);
/* Saves @filter as @name (trimmed; not empty, at most
 * CIVIC_SMART_VIEW_NAME_MAX characters). A view of the same name in the
 * same department is replaced. Returns its id, or 0 with @error set. */
gint64     civic_store_save_smart_view   (CivicStore              *store,
                                          const char              *name,
                                          const CivicQueueFilter  *filter,
                                          GError                 **error);
gboolean   civic_store_delete_smart_view (CivicStore              *store,
                                          gint64                   id,
                                          GError                 **error);

G_END_DECLS
