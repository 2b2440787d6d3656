/* civic-account-sync.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "civic-client.h"
#include "civic-ingest.h"
#include "civic-store-sync.h"

G_BEGIN_DECLS

/**
 * CivicSyncState:
 * @CIVIC_SYNC_STATE_IDLE: not started
 * @CIVIC_SYNC_STATE_CONNECTING: reading the server's capabilities
 * @CIVIC_SYNC_STATE_CATCHING_UP: fetching pages (first backfill or a gap)
 * @CIVIC_SYNC_STATE_LIVE: streaming; new mentions arrive within a second
 * @CIVIC_SYNC_STATE_POLLING: the server does not stream; asking every few seconds
 * @CIVIC_SYNC_STATE_RECONNECTING: a failure; trying again at retry_at
 * @CIVIC_SYNC_STATE_RATE_LIMITED: the server asked us to wait until retry_at
 * @CIVIC_SYNC_STATE_LOGIN_EXPIRED: the token was revoked or is missing
 * @CIVIC_SYNC_STATE_FAILED: a refusal that retrying soon will not fix
 */
typedef enum
{
  CIVIC_SYNC_STATE_IDLE,
  CIVIC_SYNC_STATE_CONNECTING,
  CIVIC_SYNC_STATE_CATCHING_UP,
  CIVIC_SYNC_STATE_LIVE,
  CIVIC_SYNC_STATE_POLLING,
  CIVIC_SYNC_STATE_RECONNECTING,
  CIVIC_SYNC_STATE_RATE_LIMITED,
  CIVIC_SYNC_STATE_LOGIN_EXPIRED,
  CIVIC_SYNC_STATE_FAILED,
} CivicSyncState;

const char *civic_sync_state_to_string (CivicSyncState state);

#define CIVIC_TYPE_ACCOUNT_SYNC (civic_account_sync_get_type ())

G_DECLARE_FINAL_TYPE (CivicAccountSync, civic_account_sync, CIVIC, ACCOUNT_SYNC, GObject)

/* Keeps one account's mentions in the store: backfill, resume with min_id,
 * stream (or poll), reconnect with backoff and fill every gap, stay under
 * the rate limit. All on the main context; parsing runs in workers. */
CivicAccountSync *civic_account_sync_new              (SoupSession             *session,
                                                       CivicIngest             *ingest,
                                                       CivicStore              *store,
                                                       const CivicBoundAccount *account,
                                                       const char              *token);
gint64            civic_account_sync_get_account_id   (CivicAccountSync        *self);
const char       *civic_account_sync_get_acct         (CivicAccountSync        *self);
const char       *civic_account_sync_get_base_url     (CivicAccountSync        *self);
/* The account's client, signed in with its token (for reads beside the
 * sync, such as a mention's thread; it shares the rate-limit state). */
CivicClient      *civic_account_sync_get_client       (CivicAccountSync        *self);
void              civic_account_sync_set_token        (CivicAccountSync        *self,
                                                       const char              *token);
CivicSyncState    civic_account_sync_get_state        (CivicAccountSync        *self);
/* A sentence for the status line ("Live", "Reconnecting in 8 s", …). */
const char       *civic_account_sync_get_message      (CivicAccountSync        *self);
gint64            civic_account_sync_get_retry_at_ms  (CivicAccountSync        *self);
/* What the server does differently, comma-separated (e.g. "no-streaming"). */
const char       *civic_account_sync_get_quirks       (CivicAccountSync        *self);
/* Whether the server's notification policy filters mentions from strangers. */
gboolean          civic_account_sync_get_policy_warning (CivicAccountSync      *self);
/* Whether the desk holds everything the server has (caught up, stream trusted). */
gboolean          civic_account_sync_is_caught_up     (CivicAccountSync        *self);

/* Tuning, mostly for tests: the first retry delay (doubles up to 60 s),
 * the polling interval, and how far back the first backfill goes. */
void              civic_account_sync_set_backoff_base_ms (CivicAccountSync     *self,
                                                          guint                 base_ms);
void              civic_account_sync_set_poll_interval   (CivicAccountSync     *self,
                                                          guint                 seconds);
void              civic_account_sync_set_horizon_days    (CivicAccountSync     *self,
                                                          guint                 days);

/* Runs until stopped: catches up, then streams or polls. */
void              civic_account_sync_start            (CivicAccountSync        *self);
void              civic_account_sync_stop             (CivicAccountSync        *self);
/* Catches up once (no streaming), retrying transient failures a few times. */
void              civic_account_sync_run_once_async   (CivicAccountSync        *self,
                                                       GCancellable            *cancellable,
                                                       GAsyncReadyCallback      callback,
                                                       gpointer                 user_data);
gboolean          civic_account_sync_run_once_finish  (CivicAccountSync        *self,
                                                       GAsyncResult            *result,
                                                       GError                 **error);

G_END_DECLS
