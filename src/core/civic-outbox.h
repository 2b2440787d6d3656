/* civic-outbox.h
 *
 * Replies on their way to the server. A reply is written to sqlite (with
 * its idempotency key and an audit row) before anything goes on the wire,
 * and every state change is committed before and after each request, so a
 * crash, a network cut, a rate limit or a server that failed after posting
 * neither loses nor doubles it.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "civic-context.h"
#include "civic-store.h"

G_BEGIN_DECLS

/**
 * CivicOutboxState:
 * @CIVIC_OUTBOX_STATE_PENDING: waiting for its turn, a retry time or the
 *   end of a rate limit (next_attempt_at)
 * @CIVIC_OUTBOX_STATE_SENDING: a desk is sending it; next_attempt_at is when
 *   that desk's claim lapses (if it crashed, another takes over then, and
 *   looks in the thread before posting again)
 * @CIVIC_OUTBOX_STATE_SENT: on the server (remote_status_id)
 * @CIVIC_OUTBOX_STATE_FAILED: the server refused it for good (last_error);
 *   the text went back to the mention's draft
 *
 * Stored as "pending", "sending", "sent", "failed".
 */
typedef enum
{
  CIVIC_OUTBOX_STATE_PENDING,
  CIVIC_OUTBOX_STATE_SENDING,
  CIVIC_OUTBOX_STATE_SENT,
  CIVIC_OUTBOX_STATE_FAILED,
} CivicOutboxState;

const char *civic_outbox_state_to_string   (CivicOutboxState  state);
gboolean    civic_outbox_state_from_string (const char       *name,
                                            CivicOutboxState *state);

/**
 * CivicOutboxReply:
 * @account_id: 0 for the account of the mention's department
 * @spoiler_text: (nullable): the content warning
 * @visibility: (nullable): "public", "unlisted", "private" or "direct";
 *   NULL for public, or for the mention's own visibility when that is
 *   narrower (a direct message is answered directly)
 * @language: (nullable): NULL for the department's language
 * @media_paths: (nullable): NULL-terminated; at most the server's
 *   max_media_attachments files
 * @media_descriptions: (nullable): an alt text for each path (required)
 *
 * What staff send. Strings borrowed. The reply goes to the mention's
 * status (in_reply_to_id), from @account_id.
 */
typedef struct
{
  gint64 mention_id;
  gint64 account_id;
  const char *body;
  const char *spoiler_text;
  const char *visibility;
  const char *language;
  const char * const *media_paths;
  const char * const *media_descriptions;
} CivicOutboxReply;

/**
 * CivicOutboxItem:
 *
 * One outbox row. Strings owned; times in Unix ms, 0 when unset.
 */
typedef struct
{
  gint64 id;
  gint64 mention_id;
  gint64 account_id;
  char *idempotency_key;
  char *in_reply_to_id;
  char *body;
  char *spoiler_text;
  char *visibility;
  char *language;
  CivicOutboxState state;
  guint attempts;
  gint64 next_attempt_at_ms;
  char *last_error;
  char *remote_status_id;
  char *created_by;
  gint64 created_at_ms;
  gint64 sent_at_ms;
  guint n_media;
} CivicOutboxItem;

void civic_outbox_item_free (CivicOutboxItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicOutboxItem, civic_outbox_item_free)

/**
 * CivicOutboxSummary:
 * @n_pending: replies waiting (for their turn, a retry or a rate limit)
 * @n_sending: replies on the wire now
 * @n_failed: replies the server refused, waiting for staff
 * @next_attempt_at_ms: when the next waiting reply will be tried (0: none)
 * @paused_until_ms: the account's rate limit ends then (0: not limited)
 * @last_error: (nullable): the latest reason a reply did not go through
 *
 * For the header indicator: "12 replies queued, next in 4 min".
 */
typedef struct
{
  guint n_pending;
  guint n_sending;
  guint n_failed;
  gint64 next_attempt_at_ms;
  gint64 paused_until_ms;
  char *last_error;
} CivicOutboxSummary;

void civic_outbox_summary_clear (CivicOutboxSummary *summary);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CivicOutboxSummary, civic_outbox_summary_clear)

/* "12 replies queued, next in 4 min", "1 reply failed", "" — translated. */
char *civic_outbox_summary_describe (const CivicOutboxSummary *summary,
                                     gint64                    now_ms);

#define CIVIC_TYPE_OUTBOX (civic_outbox_get_type ())

G_DECLARE_FINAL_TYPE (CivicOutbox, civic_outbox, CIVIC, OUTBOX, GObject)

/* @session: (nullable): the desk's session; one is made if NULL. The
 * context gives the store and this desk's name for audit rows. */
CivicOutbox *civic_outbox_new           (CivicContext  *context,
                                         SoupSession   *session);
CivicStore  *civic_outbox_get_store     (CivicOutbox   *self);

/* Gives an account's token directly instead of the keyring (tests, the
 * demo). Kept in memory only. */
void         civic_outbox_set_token     (CivicOutbox   *self,
                                         const char    *base_url,
                                         const char    *acct,
                                         const char    *token);
/* Tuning (tests): the first retry delay (doubling, with jitter, up to
 * @max_ms) and how often a photo still processing is asked about. */
void         civic_outbox_set_backoff   (CivicOutbox   *self,
                                         guint          base_ms,
                                         guint          max_ms);
void         civic_outbox_set_media_poll_interval (CivicOutbox *self,
                                                   guint        interval_ms);

/* Writes the reply (fresh Idempotency-Key), its photos and an audit row
 * "reply-queued" in one transaction, and deletes the mention's draft in the
 * same one. Checks what the server would refuse anyway: empty text, the
 * character limit, too many photos, a photo without alt text or missing.
 * Then delivery starts if the outbox runs. @person signs the audit row.
 * Errors are CIVIC_STORE_ERROR (INVALID, NOT_FOUND, or the database's). */
gboolean     civic_outbox_queue         (CivicOutbox             *self,
                                         const CivicOutboxReply  *reply,
                                         const char              *person,
                                         const char              *desk,
                                         gint64                   now_ms,
                                         gint64                  *outbox_id,
                                         GError                 **error);
/* A failed or waiting reply is tried again now (same key). A draft that
 * holds exactly the reply's text (put back when it failed) is dropped. */
gboolean     civic_outbox_retry         (CivicOutbox   *self,
                                         gint64         outbox_id,
                                         const char    *person,
                                         const char    *desk,
                                         gint64         now_ms,
                                         GError       **error);
/* Takes a waiting or failed reply out of the outbox and puts its text
 * back as the mention's draft (after the draft's own text, if it has one:
 * nothing typed is lost; a reply whose mention was deleted has no draft to
 * go to). A reply being sent cannot be cancelled (%CIVIC_STORE_ERROR_CONFLICT),
 * nor one already sent (%CIVIC_STORE_ERROR_INVALID). A waiting reply that
 * was tried before may already be on the server: the next sync sees it. */
gboolean     civic_outbox_cancel        (CivicOutbox   *self,
                                         gint64         outbox_id,
                                         const char    *person,
                                         const char    *desk,
                                         gint64         now_ms,
                                         GError       **error);

/* Makes every waiting reply due now, as after a network problem was
 * fixed ("Retry now"). A rate limit this desk was told of still holds. */
gboolean     civic_outbox_wake          (CivicOutbox   *self,
                                         GError       **error);

CivicOutboxItem *civic_outbox_load      (CivicOutbox   *self,
                                         gint64         outbox_id,
                                         GError       **error);
/* (element-type CivicOutboxItem): oldest first. @mention_id 0 for all;
 * @states a mask of 1 << CivicOutboxState (0 for all). */
GPtrArray   *civic_outbox_list          (CivicOutbox   *self,
                                         gint64         mention_id,
                                         guint          states,
                                         GError       **error);
/* @account_id 0 for every account. */
gboolean     civic_outbox_get_summary   (CivicOutbox         *self,
                                         gint64               account_id,
                                         CivicOutboxSummary  *summary,
                                         GError             **error);

/* Delivers in the background until stopped: every account's due replies,
 * oldest first, one at a time per account; replies queued by another
 * process on the same database are picked up within 30 s. A reply a
 * crashed desk left "sending" is taken over when that desk's claim lapses
 * (twice the session timeout and 2 s), and looked for in the thread first. */
void         civic_outbox_start         (CivicOutbox   *self);
/* Cancels the requests in flight; their replies go back to waiting (and
 * will be looked for in the thread before being posted again). */
void         civic_outbox_stop          (CivicOutbox   *self);
/* Whether requests are in flight (after stop, until they have unwound). */
gboolean     civic_outbox_is_busy       (CivicOutbox   *self);

/* Delivers until reply @outbox_id (0: every reply) is sent or failed, or
 * @timeout_ms passes (0: no limit); starts delivery for the while if it was
 * not running. *@settled tells which: a timeout is not an error, the
 * replies wait, safe in the store. Fails only when the store does (or
 * @cancellable is cancelled). */
void         civic_outbox_drain_async   (CivicOutbox          *self,
                                         gint64                outbox_id,
                                         guint                 timeout_ms,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean     civic_outbox_drain_finish  (CivicOutbox          *self,
                                         GAsyncResult         *result,
                                         gboolean             *settled,
                                         GError              **error);

G_END_DECLS
