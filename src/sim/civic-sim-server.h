/* civic-sim-server.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "civic-sim-private.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_SIM_SERVER (civic_sim_server_get_type ())

G_DECLARE_FINAL_TYPE (CivicSimServer, civic_sim_server, CIVIC, SIM_SERVER, GObject)

/* Takes ownership of @world. */
CivicSimServer *civic_sim_server_new            (SimWorld        *world,
                                                 guint64          seed,
                                                 const char      *password);
gboolean        civic_sim_server_listen         (CivicSimServer  *self,
                                                 const char      *address,
                                                 guint            port,
                                                 const char      *public_url,
                                                 GError         **error);
const char     *civic_sim_server_get_base_url   (CivicSimServer  *self);
SimWorld       *civic_sim_server_get_world      (CivicSimServer  *self);
gboolean        civic_sim_server_set_faults     (CivicSimServer  *self,
                                                 const char      *spec,
                                                 GError         **error);
gboolean        civic_sim_server_set_quirks     (CivicSimServer  *self,
                                                 const char      *spec,
                                                 GError         **error);
/* Budgets: requests per token (or address) per period, statuses per
 * account per period. */
void            civic_sim_server_set_limits     (CivicSimServer  *self,
                                                 guint            requests,
                                                 guint            requests_period,
                                                 guint            statuses,
                                                 guint            statuses_period);
void            civic_sim_server_start_live     (CivicSimServer  *self,
                                                 double           rate);
/* The app the printed department tokens belong to, created once. */
char           *civic_sim_server_department_token (CivicSimServer *self,
                                                 const char      *username);
void            civic_sim_server_shutdown       (CivicSimServer  *self);

G_END_DECLS
