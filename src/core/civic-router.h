/* civic-router.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "civic-mention-record.h"
#include "civic-status.h"
#include "civic-store.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_ROUTER (civic_router_get_type ())

G_DECLARE_FINAL_TYPE (CivicRouter, civic_router, CIVIC, ROUTER, GObject)

/* Decides where an incoming mention goes: its department (the department
 * account it mentions; else the ordered routing rules; else Unsorted), its
 * priority (urgent words, the SLA clock) and its due time. It reads its
 * tables from @store once and again after civic_router_reload(), so routing
 * a page costs no queries. */
CivicRouter *civic_router_new    (CivicStore          *store,
                                  GError             **error);
gboolean     civic_router_reload (CivicRouter         *self,
                                  GError             **error);
/* Fills @record's department_id, priority and due_at_ms for @status, which
 * reached the desk through the account @receiving_acct (NULL if unknown)
 * on the server whose host is @server_host. */
void         civic_router_route  (CivicRouter         *self,
                                  const CivicStatus   *status,
                                  const char          *server_host,
                                  const char          *receiving_acct,
                                  CivicMentionRecord  *record);

G_END_DECLS
