/* civic-desk-profile.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "civic-store.h"

G_BEGIN_DECLS

/* Who may read a direct (private) mention: only the desks that hold the
 * account of its department (health-centre messages carry personal data).
 * A desk's profile, kept in its store, lists the departments it serves:
 *
 * - none listed (the default): every department whose account is bound in
 *   this store (civic_store_bind_department(), i.e. `civicctl login`);
 * - some listed: those of them whose account is bound here.
 *
 * Direct mentions of any other department stay in the store (the sync
 * engine needs them to page and to reconcile) but are left out of every
 * list, count, search, map and export of this desk. Public, unlisted and
 * private (followers-only) mentions are not affected. */

/* Replaces the list; NULL or empty means "every bound department". Fails
 * with CIVIC_STORE_ERROR_NOT_FOUND, changing nothing, on an unknown slug. */
gboolean  civic_store_set_served_departments (CivicStore          *store,
                                              const char * const  *slugs,
                                              GError             **error);
/* The slugs listed (empty when none is), sorted. */
GStrv     civic_store_dup_served_departments (CivicStore          *store,
                                              GError             **error);
/* Whether this desk shows the direct mentions of @department_id. */
gboolean  civic_store_shows_direct           (CivicStore          *store,
                                              gint64               department_id);

G_END_DECLS
