/* civic-store-sync.h
 *
 * What the sync engine keeps in the store: servers' capabilities, the
 * accounts the desk is bound to, and where each account's sync stands.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "civic-client.h"
#include "civic-instance.h"
#include "civic-store.h"

G_BEGIN_DECLS

/**
 * CivicSyncPosition:
 * @newest_id: the newest notification id stored; forward sync resumes with min_id=this
 * @backfill_max_id: how far back the first backfill has walked (max_id of its next page)
 * @backfill_done: the first backfill reached the end or the horizon
 */
typedef struct
{
  char *newest_id;
  char *backfill_max_id;
  gboolean backfill_done;
} CivicSyncPosition;

void civic_sync_position_clear (CivicSyncPosition *position);

/**
 * CivicBoundAccount:
 *
 * An account a department is bound to, with its server.
 */
typedef struct
{
  gint64 account_id;
  gint64 server_id;
  char *base_url;
  char *acct;
  char *remote_id;      /* the account's id on the server, NULL if unknown */
  char *departments;    /* comma-separated slugs */
} CivicBoundAccount;

void civic_bound_account_free (CivicBoundAccount *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicBoundAccount, civic_bound_account_free)

/* (element-type CivicBoundAccount) */
GPtrArray *civic_store_list_bound_accounts (CivicStore          *self,
                                            GError             **error);
gboolean   civic_store_get_sync_position   (CivicStore          *self,
                                            gint64               account_id,
                                            CivicSyncPosition   *position,
                                            GError             **error);
/* Each NULL argument leaves that column as it is. Call inside the page's
 * transaction so positions move only with the rows they describe. */
gboolean   civic_store_update_sync_position (CivicStore         *self,
                                             gint64              account_id,
                                             const char         *newest_id,
                                             const char         *backfill_max_id,
                                             gboolean            backfill_done,
                                             GError            **error);
gboolean   civic_store_reset_sync_position (CivicStore          *self,
                                            gint64               account_id,
                                            GError             **error);
/* The status line shown for an account in the UI and `civicctl status`. */
gboolean   civic_store_set_sync_status     (CivicStore          *self,
                                            gint64               account_id,
                                            const char          *state,
                                            const char          *message,
                                            gint64               now_ms,
                                            GError             **error);
gboolean   civic_store_get_sync_status     (CivicStore          *self,
                                            gint64               account_id,
                                            char               **state,
                                            char               **message,
                                            gint64              *updated_ms,
                                            GError             **error);

/* Server capabilities, cached (refreshed daily). @quirks is a
 * comma-separated list of what the server does differently. */
gboolean       civic_store_save_instance (CivicStore          *self,
                                          gint64               server_id,
                                          const CivicInstance *instance,
                                          const char          *quirks,
                                          gint64               now_ms,
                                          GError             **error);
CivicInstance *civic_store_load_instance (CivicStore          *self,
                                          gint64               server_id,
                                          gint64              *checked_ms,
                                          char               **quirks,
                                          GError             **error);

/* OAuth app credentials per server (client id and secret are the app's,
 * not the person's: they may live in sqlite). */
gboolean             civic_store_save_app (CivicStore                *self,
                                           gint64                     server_id,
                                           const CivicAppCredentials *app,
                                           GError                   **error);
CivicAppCredentials *civic_store_load_app (CivicStore                *self,
                                           gint64                     server_id,
                                           GError                   **error);

G_END_DECLS
