/* civic-sync.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "civic-account-sync.h"
#include "civic-context.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_SYNC (civic_sync_get_type ())

G_DECLARE_FINAL_TYPE (CivicSync, civic_sync, CIVIC, SYNC, GObject)

/* Creates the session every network call of a desk goes through (one per
 * context), with our user agent and timeouts. */
SoupSession *civic_sync_new_session      (guint          timeout_seconds);

/* All of a desk's accounts: reads the bound accounts from the store and
 * their tokens from the keyring, and runs one CivicAccountSync each. */
CivicSync   *civic_sync_new              (CivicContext  *context,
                                          SoupSession   *session);
SoupSession *civic_sync_get_session      (CivicSync     *self);
CivicIngest *civic_sync_get_ingest       (CivicSync     *self);
/* (element-type CivicAccountSync) */
GListModel  *civic_sync_get_accounts     (CivicSync     *self);
CivicAccountSync *civic_sync_find_account (CivicSync    *self,
                                           gint64        account_id);

/* Tuning applied to every account (tests). */
void         civic_sync_set_backoff_base_ms (CivicSync  *self,
                                             guint       base_ms);
void         civic_sync_set_poll_interval   (CivicSync  *self,
                                             guint       seconds);

/* Gives the token of an account directly, instead of the keyring (the
 * demo's throwaway accounts). Kept in memory only. */
void         civic_sync_set_token        (CivicSync     *self,
                                          const char    *base_url,
                                          const char    *acct,
                                          const char    *token);

/* Re-reads the accounts (after a login or logout) and starts new ones. */
void         civic_sync_reload_async     (CivicSync           *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean     civic_sync_reload_finish    (CivicSync           *self,
                                          GAsyncResult        *result,
                                          GError             **error);
void         civic_sync_start            (CivicSync     *self);
void         civic_sync_stop             (CivicSync     *self);
/* Catches every account up once; fails if any account failed. */
void         civic_sync_run_once_async   (CivicSync           *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean     civic_sync_run_once_finish  (CivicSync           *self,
                                          GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
