/* civic-demo.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "civic-sync.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_DEMO (civic_demo_get_type ())

G_DECLARE_FINAL_TYPE (CivicDemo, civic_demo, CIVIC, DEMO, GObject)

/* The demo town: runs civic-sim --live on a free loopback port with a
 * throwaway data directory, and signs every department in with the tokens
 * it prints (kept in memory, never in the keyring). The sim stops when the
 * demo object goes away. */
CivicDemo  *civic_demo_new            (void);
/* The outbox that needs the demo's tokens too (replies from the demo). */
void        civic_demo_set_outbox     (CivicDemo           *self,
                                       gpointer             outbox);
/* Where civic-sim is: $CIVIC_SIM, the build tree, or next to us when installed. */
char       *civic_demo_find_sim       (void);
void        civic_demo_start_async    (CivicDemo           *self,
                                       CivicSync           *sync,
                                       CivicStore          *store,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean    civic_demo_start_finish   (CivicDemo           *self,
                                       GAsyncResult        *result,
                                       GError             **error);
const char *civic_demo_get_url        (CivicDemo           *self);
void        civic_demo_stop           (CivicDemo           *self);

G_END_DECLS
