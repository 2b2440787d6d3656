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
CivicRouter *civic_router_new     (CivicStore          *store,
                                   GError             **error);
gboolean     civic_router_reload  (CivicRouter         *self,
                                   GError             **error);
/* Fills @record's department_id, priority and due_at_ms for @status, which
 * reached the desk through the account @receiving_acct (NULL if unknown)
 * on the server whose host is @server_host. @record->content_text (plain
 * text) and created_at_ms must be filled already.
 *
 * The department, in this order:
 * 1. the department account the mention names first in its text (two
 *    departments named: the first named wins; accounts not found in the
 *    text count in the order of the status's mentions, after those found);
 * 2. the first enabled routing rule that matches, in rule order;
 * 3. the department whose account received it;
 * 4. Unsorted — never nowhere.
 * A single town account should therefore be left unbound to any department,
 * so that rules decide.
 *
 * Priority: URGENT when the text (or content warning) holds two or more
 * different urgent words of the chosen department, HIGH for one, else
 * NORMAL. Due: created + the department's answer time. */
void         civic_router_route   (CivicRouter         *self,
                                   const CivicStatus   *status,
                                   const char          *server_host,
                                   const char          *receiving_acct,
                                   CivicMentionRecord  *record);
/* Re-reads departments and rules only if they changed since the last read
 * (one cheap query): the sync engine may call it before every page. */
gboolean     civic_router_refresh (CivicRouter         *self,
                                   GError             **error);

G_END_DECLS
