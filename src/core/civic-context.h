/* civic-context.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "civic-clock.h"
#include "civic-store.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_CONTEXT (civic_context_get_type ())

G_DECLARE_FINAL_TYPE (CivicContext, civic_context, CIVIC, CONTEXT, GObject)

/* What every part of the desk shares: the store, the clock, and who is
 * sitting at this desk. Handed to windows and widgets; never global. */
CivicContext *civic_context_new            (CivicStore   *store,
                                            CivicClock   *clock);
CivicStore   *civic_context_get_store      (CivicContext *self);
CivicClock   *civic_context_get_clock      (CivicContext *self);
gint64        civic_context_get_now_ms     (CivicContext *self);
const char   *civic_context_get_desk_name  (CivicContext *self);
void          civic_context_set_desk_name  (CivicContext *self,
                                            const char   *desk_name);
const char   *civic_context_get_person     (CivicContext *self);
void          civic_context_set_person     (CivicContext *self,
                                            const char   *person);
/* The desk's CivicSync, once created (NULL in tests without a network). */
gpointer      civic_context_get_sync       (CivicContext *self);
void          civic_context_set_sync       (CivicContext *self,
                                            gpointer      sync);
/* The desk's CivicOutbox, once created. */
gpointer      civic_context_get_outbox     (CivicContext *self);
void          civic_context_set_outbox     (CivicContext *self,
                                            gpointer      outbox);

G_END_DECLS
