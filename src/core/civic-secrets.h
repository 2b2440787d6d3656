/* civic-secrets.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Access tokens live in the user's keyring (Secret Service), under the
 * schema org.civicdesk.CivicDesk.Token with attributes "server" (the base
 * URL) and "account" (the acct): never in sqlite, settings or logs. */

void      civic_secrets_store_token_async   (const char          *server,
                                             const char          *account,
                                             const char          *token,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean  civic_secrets_store_token_finish  (GAsyncResult        *result,
                                             GError             **error);
void      civic_secrets_lookup_token_async  (const char          *server,
                                             const char          *account,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
/* Returns NULL with no error when there is no token stored. */
char     *civic_secrets_lookup_token_finish (GAsyncResult        *result,
                                             GError             **error);
void      civic_secrets_clear_token_async   (const char          *server,
                                             const char          *account,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean  civic_secrets_clear_token_finish  (GAsyncResult        *result,
                                             GError             **error);

/* Blocking variants, for civicctl. */
gboolean  civic_secrets_store_token_sync    (const char          *server,
                                             const char          *account,
                                             const char          *token,
                                             GError             **error);
char     *civic_secrets_lookup_token_sync   (const char          *server,
                                             const char          *account,
                                             GError             **error);
gboolean  civic_secrets_clear_token_sync    (const char          *server,
                                             const char          *account,
                                             GError             **error);

/* Wipes and frees a token string. */
void      civic_secrets_free_token          (char                *token);

G_END_DECLS
