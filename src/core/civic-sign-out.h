/* civic-sign-out.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "civic-store.h"

G_BEGIN_DECLS

/* Signs the desk out of a bound account: revokes the token on the server
 * (with the app credentials kept for that server), forgets it in the
 * keyring, unbinds every department bound to the account, and stops its
 * sync (@sync, a CivicSync, may be NULL). The mentions already received
 * stay. A server that cannot be told does not stop the rest: the finish
 * function then returns TRUE with @warning set to a sentence for the
 * person (the token stays valid on the server until revoked there). */
void      civic_sign_out_async  (gpointer              sync,
                                 SoupSession          *session,
                                 CivicStore           *store,
                                 gint64                account_id,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data);
gboolean  civic_sign_out_finish (GAsyncResult         *result,
                                 char                **warning,
                                 GError              **error);

/* Stops and removes an account from a CivicSync (after a sign-out). */
void      civic_sync_forget_account (gpointer          sync,
                                     gint64            account_id);

G_END_DECLS
