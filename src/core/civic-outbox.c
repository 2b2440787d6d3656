/* civic-outbox.c
 *
 * How a reply gets out exactly once:
 *
 * - Queueing writes the row, a fresh Idempotency-Key, its photos, the audit
 *   row and the draft's deletion in one transaction.
 * - A desk claims a due row with a conditional UPDATE (state → sending,
 *   attempts + 1, next_attempt_at = the end of its claim), so two desks on
 *   one database never send the same row at once, and a crashed desk's
 *   claim lapses on its own.
 * - Photos go first; each server media id is committed as soon as it is
 *   known, so a retry never uploads a photo twice.
 * - Every retry reuses the row's key. Because some servers ignore the key,
 *   a row that was tried before (its outcome unknown: a timeout, a reset, a
 *   500 that came after posting, a crash) is first looked for in the
 *   thread: a reply by our account with the same text is taken as sent.
 * - Success writes sent + remote id and marks the mention answered in one
 *   transaction. A refusal (422, a deleted parent) fails the row for good,
 *   with the server's reason, and gives the mention its draft back.
 *   Anything else waits and tries again, backing off with jitter, or until
 *   a rate limit ends.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "civic-char-count.h"
#include "civic-client-media.h"
#include "civic-drafts.h"
#include "civic-html.h"
#include "civic-outbox.h"
#include "civic-secrets.h"
#include "civic-store-private.h"
#include "civic-sync.h"
#include "civic-workflow.h"

#define RESCAN_INTERVAL_S 30
#define DEFAULT_BACKOFF_BASE_MS 2000
#define DEFAULT_BACKOFF_MAX_MS (5 * 60 * 1000)
#define DEFAULT_MEDIA_POLL_MS 1000
#define MAX_MEDIA_POLLS 120
#define RATE_LIMIT_FALLBACK_MS (60 * 1000)

struct _CivicOutbox
{
  GObject parent_instance;

  CivicContext *context;      /* owned */
  CivicStore *store;          /* owned */
  SoupSession *session;       /* owned */
  GCancellable *cancellable;  /* owned; a fresh one after each halt */
  GHashTable *accounts;       /* owned: &Account.id → Account */
  GHashTable *tokens;         /* owned: "base_url\nacct" → token, in memory only */
  GPtrArray *jobs;            /* owned: Job in flight (freed by their own end) */
  GPtrArray *drains;          /* owned: Drain */
  guint rescan_source;
  guint backoff_base_ms;
  guint backoff_max_ms;
  guint media_poll_ms;
  gboolean started;
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CivicOutbox, civic_outbox, G_TYPE_OBJECT)

typedef struct
{
  CivicOutbox *outbox;        /* borrowed */
  gint64 id;
  gint64 server_id;
  char *base_url;             /* owned */
  char *acct;                 /* owned */
  char *remote_id;            /* owned, nullable */
  char *token;                /* owned; wiped on free */
  CivicClient *client;        /* owned; NULL until a token is known */
  gboolean looking_up;
  gint64 paused_until_ms;
  gint64 busy_row;            /* the row in flight, 0 when idle */
  guint wake_source;
} Account;

typedef struct
{
  gint64 id;
  char *path;
  char *description;
  char *remote_id;
  gboolean ready;
} MediaRow;

typedef struct
{
  CivicOutbox *outbox;        /* borrowed; NULL once the outbox is gone */
  CivicStore *store;          /* owned */
  SoupSession *session;       /* owned */
  CivicClient *client;        /* owned */
  GCancellable *cancellable;  /* owned */
  char *token;                /* owned; wiped on free */
  char *desk;                 /* owned */
  char *account_remote_id;    /* owned, nullable */
  char *account_acct;         /* owned */
  gint64 account_id;
  CivicOutboxItem *item;      /* owned */
  GPtrArray *media;           /* owned: MediaRow */
  guint media_index;
  guint polls;
  guint poll_source;
  gboolean check_thread;
  gint64 lease_ms;
  guint media_poll_ms;
  guint backoff_base_ms;
  guint backoff_max_ms;
} Job;

typedef struct
{
  CivicOutbox *outbox;        /* borrowed */
  GTask *task;                /* owned */
  gint64 outbox_id;
  guint timeout_source;
  gulong cancelled_id;
} Drain;

typedef enum
{
  OUTCOME_RETRY,           /* transient: wait and try again */
  OUTCOME_RATE_LIMITED,    /* wait until the limit ends */
  OUTCOME_LOGIN,           /* the token is refused: wait long, look it up again */
  OUTCOME_FAILED,          /* refused for good */
  OUTCOME_RELEASED,        /* stopped: back to waiting, due now */
} Outcome;

static void account_kick     (CivicOutbox *self,
                              Account     *account);
static void kick_all         (CivicOutbox *self);
static void check_drains     (CivicOutbox *self);
static void job_next_media   (Job         *job);
static void job_post         (Job         *job);

static const char * const state_names[] = {
  [CIVIC_OUTBOX_STATE_PENDING] = "pending",
  [CIVIC_OUTBOX_STATE_SENDING] = "sending",
  [CIVIC_OUTBOX_STATE_SENT] = "sent",
  [CIVIC_OUTBOX_STATE_FAILED] = "failed",
};

const char *
civic_outbox_state_to_string (CivicOutboxState state)
{
  g_return_val_if_fail (state <= CIVIC_OUTBOX_STATE_FAILED, NULL);
  return state_names[state];
}

gboolean
civic_outbox_state_from_string (const char       *name,
                                CivicOutboxState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_strcmp0 (state_names[i], name) == 0)
      {
        if (state != NULL)
          *state = (CivicOutboxState) i;
        return TRUE;
      }

  return FALSE;
}

void
civic_outbox_item_free (CivicOutboxItem *item)
{
  if (item == NULL)
    return;

  g_free (item->idempotency_key);
  g_free (item->in_reply_to_id);
  g_free (item->body);
  g_free (item->spoiler_text);
  g_free (item->visibility);
  g_free (item->language);
  g_free (item->last_error);
  g_free (item->remote_status_id);
  g_free (item->created_by);
  g_free (item);
}

void
civic_outbox_summary_clear (CivicOutboxSummary *summary)
{
  g_return_if_fail (summary != NULL);

  g_clear_pointer (&summary->last_error, g_free);
}

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static void
media_row_free (MediaRow *row)
{
  g_free (row->path);
  g_free (row->description);
  g_free (row->remote_id);
  g_free (row);
}

static void
account_free (Account *account)
{
  g_clear_handle_id (&account->wake_source, g_source_remove);
  g_free (account->base_url);
  g_free (account->acct);
  g_free (account->remote_id);
  wipe_free (account->token);
  g_clear_object (&account->client);
  g_free (account);
}

/* sqlite helpers: all take the store, so a job can finish its row after
 * the outbox that started it has gone. */

static gboolean
step_done (CivicStore    *store,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _civic_store_fail (store, rc, what, error);

  return TRUE;
}

static const char *
or_empty (const char *s)
{
  return s != NULL ? s : "";
}

static gboolean
write_audit (CivicStore  *store,
             gint64       mention_id,
             gint64       at_ms,
             const char  *actor,
             const char  *desk,
             const char  *action,
             const char  *detail,
             GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _civic_store_prepare (store,
                               "INSERT INTO audit (mention_id, at, actor, desk, action, detail) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                               error);
  if (stmt == NULL)
    return FALSE;

  _civic_bind_opt_int64 (stmt, 1, mention_id);
  sqlite3_bind_int64 (stmt, 2, at_ms);
  sqlite3_bind_text (stmt, 3, or_empty (actor), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, or_empty (desk), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, or_empty (detail), -1, SQLITE_STATIC);

  return step_done (store, stmt, _("Could not write the audit log"), error);
}

#define ITEM_COLUMNS \
  "o.id, o.mention_id, o.account_id, o.idempotency_key, o.in_reply_to_id, o.body, o.spoiler_text," \
  " o.visibility, o.language, o.state, o.attempts, o.next_attempt_at, o.last_error," \
  " o.remote_status_id, o.created_by, o.created_at, o.sent_at," \
  " (SELECT count(*) FROM outbox_media WHERE outbox_id = o.id)"

static CivicOutboxItem *
item_from_stmt (sqlite3_stmt *stmt)
{
  CivicOutboxItem *item = g_new0 (CivicOutboxItem, 1);

  item->id = sqlite3_column_int64 (stmt, 0);
  item->mention_id = sqlite3_column_int64 (stmt, 1);
  item->account_id = sqlite3_column_int64 (stmt, 2);
  item->idempotency_key = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  item->in_reply_to_id = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  item->body = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  item->spoiler_text = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  item->visibility = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  item->language = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  if (!civic_outbox_state_from_string ((const char *) sqlite3_column_text (stmt, 9), &item->state))
    item->state = CIVIC_OUTBOX_STATE_PENDING;
  item->attempts = (guint) sqlite3_column_int (stmt, 10);
  item->next_attempt_at_ms = sqlite3_column_int64 (stmt, 11);
  item->last_error = g_strdup ((const char *) sqlite3_column_text (stmt, 12));
  item->remote_status_id = g_strdup ((const char *) sqlite3_column_text (stmt, 13));
  item->created_by = g_strdup ((const char *) sqlite3_column_text (stmt, 14));
  item->created_at_ms = sqlite3_column_int64 (stmt, 15);
  item->sent_at_ms = sqlite3_column_int64 (stmt, 16);
  item->n_media = (guint) sqlite3_column_int (stmt, 17);

  return item;
}

/* Returns NULL with no error when there is no such row. */
static CivicOutboxItem *
load_item (CivicStore  *store,
           gint64       id,
           GError     **error)
{
  CivicOutboxItem *item = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _civic_store_prepare (store, "SELECT " ITEM_COLUMNS " FROM outbox o WHERE o.id = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    item = item_from_stmt (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _civic_store_fail (store, rc, _("Could not read the outbox"), error);

  return item;
}

static GPtrArray *
load_media (CivicStore  *store,
            gint64       outbox_id,
            GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) media_row_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _civic_store_prepare (store,
                               "SELECT id, path, description, remote_id FROM outbox_media "
                               "WHERE outbox_id = ?1 ORDER BY position, id",
                               error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, outbox_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MediaRow *row = g_new0 (MediaRow, 1);

      row->id = sqlite3_column_int64 (stmt, 0);
      row->path = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      row->description = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      row->remote_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _civic_store_fail (store, rc, _("Could not read the reply’s photos"), error);
      return NULL;
    }

  return g_steal_pointer (&rows);
}

/* Runs @sql (an UPDATE on one outbox row, ?1 = id) in its own transaction
 * unless one is open; returns the number of rows changed, -1 on error. */
static int
update_row (CivicStore  *store,
            const char  *sql,
            gint64       id,
            gint64       int_arg,
            const char  *text_arg,
            GError     **error)
{
  sqlite3_stmt *stmt;
  int changes;

  if (!civic_store_begin (store, error))
    return -1;

  stmt = _civic_store_prepare (store, sql, error);
  if (stmt == NULL)
    {
      civic_store_rollback (store);
      return -1;
    }

  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    _civic_bind_opt_int64 (stmt, 2, int_arg);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    _civic_bind_text (stmt, 3, text_arg);

  if (!step_done (store, stmt, _("Could not update the outbox"), error))
    {
      civic_store_rollback (store);
      return -1;
    }
  changes = sqlite3_changes (_civic_store_get_db (store));
  if (changes > 0)
    _civic_store_mark_changed (store);

  if (!civic_store_commit (store, error))
    return -1;

  return changes;
}

/* The oldest due row of @account_id (0 when none), or the time the
 * earliest waiting one falls due in *@next_ms. */
static gint64
pick_due (CivicStore *store,
          gint64      account_id,
          gint64      now,
          gint64     *next_ms)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;

  *next_ms = 0;

  stmt = _civic_store_prepare (store,
                               "SELECT id FROM outbox WHERE account_id = ?1"
                               "  AND state IN ('pending', 'sending') AND coalesce(next_attempt_at, 0) <= ?2 "
                               "ORDER BY id LIMIT 1",
                               NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (id != 0)
    return id;

  stmt = _civic_store_prepare (store,
                               "SELECT min(coalesce(next_attempt_at, 0)) FROM outbox "
                               "WHERE account_id = ?1 AND state IN ('pending', 'sending')",
                               NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    *next_ms = MAX (sqlite3_column_int64 (stmt, 0), 1);
  sqlite3_reset (stmt);

  return 0;
}

/* Takes the row for this desk until @lease_until (if it is still due:
 * another desk may have been quicker). */
static gboolean
claim_row (CivicStore  *store,
           gint64       id,
           gint64       now,
           gint64       lease_until,
           GError     **error)
{
  sqlite3_stmt *stmt;
  int changes;

  if (!civic_store_begin (store, error))
    return FALSE;

  stmt = _civic_store_prepare (store,
                               "UPDATE outbox SET state = 'sending', attempts = attempts + 1,"
                               "  next_attempt_at = ?3 "
                               "WHERE id = ?1 AND state IN ('pending', 'sending')"
                               "  AND coalesce(next_attempt_at, 0) <= ?2",
                               error);
  if (stmt == NULL)
    {
      civic_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, lease_until);
  if (!step_done (store, stmt, _("Could not take the reply from the outbox"), error))
    {
      civic_store_rollback (store);
      return FALSE;
    }
  changes = sqlite3_changes (_civic_store_get_db (store));
  _civic_store_mark_changed (store);

  if (!civic_store_commit (store, error))
    return FALSE;

  return changes == 1;
}

/* Accounts */

static gboolean
account_wake_cb (gpointer user_data)
{
  Account *account = user_data;

  account->wake_source = 0;
  account_kick (account->outbox, account);

  return G_SOURCE_REMOVE;
}

static void
schedule_wake (Account *account,
               gint64   delay_ms)
{
  g_clear_handle_id (&account->wake_source, g_source_remove);
  /* Never sleep past the next rescan: another desk may change things. */
  delay_ms = CLAMP (delay_ms, 1, RESCAN_INTERVAL_S * 1000);
  account->wake_source = g_timeout_add ((guint) delay_ms, account_wake_cb, account);
}

/* Jobs */

static void
job_free (Job *job)
{
  g_clear_handle_id (&job->poll_source, g_source_remove);
  g_clear_object (&job->store);
  g_clear_object (&job->session);
  g_clear_object (&job->client);
  g_clear_object (&job->cancellable);
  wipe_free (job->token);
  g_free (job->desk);
  g_free (job->account_remote_id);
  g_free (job->account_acct);
  g_clear_pointer (&job->item, civic_outbox_item_free);
  g_clear_pointer (&job->media, g_ptr_array_unref);
  g_free (job);
}

static void
renew_lease (Job *job)
{
  update_row (job->store,
              "UPDATE outbox SET next_attempt_at = ?2 WHERE id = ?1 AND state = 'sending'",
              job->item->id, now_ms () + job->lease_ms, NULL, NULL);
}

static gint64
backoff_ms (Job *job)
{
  guint attempts = MAX (job->item->attempts, 1);
  gint64 delay = job->backoff_base_ms;

  for (guint i = 1; i < attempts && delay < job->backoff_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, (gint64) job->backoff_max_ms);

  /* Half fixed, half random: desks that failed together spread out. */
  return delay / 2 + g_random_int_range (0, (gint32) MAX (delay / 2, 1));
}

static Outcome
classify (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return OUTCOME_RELEASED;

  if (error->domain == CIVIC_CLIENT_ERROR)
    switch (error->code)
      {
      case CIVIC_CLIENT_ERROR_RATE_LIMITED:
        return OUTCOME_RATE_LIMITED;
      case CIVIC_CLIENT_ERROR_UNAUTHORIZED:
        return OUTCOME_LOGIN;
      case CIVIC_CLIENT_ERROR_REJECTED:
      case CIVIC_CLIENT_ERROR_NOT_FOUND:
      case CIVIC_CLIENT_ERROR_FORBIDDEN:
        return OUTCOME_FAILED;
      default:
        /* Network, timeouts, 5xx, 409, a truncated or oversized answer,
         * an untrusted certificate: none is the reply's fault. */
        return OUTCOME_RETRY;
      }

  /* A photo that cannot be read any more will not come back by waiting. */
  if (error->domain == G_IO_ERROR || error->domain == G_FILE_ERROR)
    return OUTCOME_FAILED;

  /* The store (busy, full): try again later. */
  return OUTCOME_RETRY;
}

/* The mention gets the failed reply back as its draft, unless staff have
 * started another one (the row keeps the text either way). */
static gboolean
restore_draft (CivicStore             *store,
               const CivicOutboxItem  *item,
               gint64                  now,
               GError                **error)
{
  g_autoptr(CivicDraft) draft = NULL;

  if (item->mention_id == 0)
    return TRUE;

  draft = civic_drafts_load (store, item->mention_id, error);
  if (draft == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (draft != NULL && (*or_empty (draft->body) != '\0' || *or_empty (draft->spoiler_text) != '\0'))
    return TRUE;

  return civic_drafts_save (store, item->mention_id, item->body, item->spoiler_text,
                            item->visibility, item->language, now, error);
}

static gboolean
record_failed (Job          *job,
               const char   *reason,
               GError      **error)
{
  CivicStore *store = job->store;
  CivicOutboxItem *item = job->item;
  gint64 now = now_ms ();
  sqlite3_stmt *stmt;

  if (!civic_store_begin (store, error))
    return FALSE;

  stmt = _civic_store_prepare (store,
                               "UPDATE outbox SET state = 'failed', last_error = ?2, next_attempt_at = NULL "
                               "WHERE id = ?1 AND state = 'sending'",
                               error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, item->id);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
  if (!step_done (store, stmt, _("Could not update the outbox"), error))
    goto fail;

  if (sqlite3_changes (_civic_store_get_db (store)) == 1)
    {
      if (!restore_draft (store, item, now, error) ||
          !write_audit (store, item->mention_id, now, item->created_by, job->desk, "reply-failed", reason, error))
        goto fail;
    }

  _civic_store_mark_changed (store);
  return civic_store_commit (store, error);

fail:
  civic_store_rollback (store);
  return FALSE;
}

static gboolean
set_sent (CivicStore  *store,
          gint64       id,
          const char  *status_id,
          gint64       at_ms,
          GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _civic_store_prepare (store,
                               "UPDATE outbox SET state = 'sent', remote_status_id = ?2, sent_at = ?3,"
                               "  last_error = NULL, next_attempt_at = NULL "
                               "WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, status_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, at_ms);
  _civic_store_mark_changed (store);

  return step_done (store, stmt, _("Could not update the outbox"), error);
}

/* The row is sent and the mention answered, in one transaction. */
static gboolean
record_sent (Job         *job,
             const char  *status_id,
             gint64       server_time_ms,
             GError     **error)
{
  CivicStore *store = job->store;
  CivicOutboxItem *item = job->item;
  gint64 now = now_ms ();
  g_autoptr(GError) workflow_error = NULL;
  const char *person = *or_empty (item->created_by) != '\0' ? item->created_by : job->desk;

  if (!civic_store_begin (store, error))
    return FALSE;

  if (!set_sent (store, item->id, status_id, now, error))
    {
      civic_store_rollback (store);
      return FALSE;
    }

  if (item->mention_id != 0 &&
      !civic_workflow_mark_answered (store, item->mention_id, status_id, person, job->desk,
                                     server_time_ms > 0 ? server_time_ms : now, &workflow_error))
    {
      /* The workflow refused (the mention went away meanwhile) and took
       * the transaction with it: the reply is on the server all the same. */
      g_debug ("Outbox %" G_GINT64_FORMAT ": mention not marked answered: %s",
               item->id, workflow_error->message);
      if (!sqlite3_get_autocommit (_civic_store_get_db (store)))
        civic_store_rollback (store);
      if (!civic_store_begin (store, error))
        return FALSE;
      if (!set_sent (store, item->id, status_id, now, error))
        {
          civic_store_rollback (store);
          return FALSE;
        }
    }

  return civic_store_commit (store, error);
}

static void
pause_account_rows (CivicStore *store,
                    gint64      account_id,
                    gint64      until_ms)
{
  sqlite3_stmt *stmt;

  if (!civic_store_begin (store, NULL))
    return;

  stmt = _civic_store_prepare (store,
                               "UPDATE outbox SET next_attempt_at = ?2 WHERE account_id = ?1"
                               "  AND state = 'pending' AND coalesce(next_attempt_at, 0) < ?2",
                               NULL);
  if (stmt == NULL)
    {
      civic_store_rollback (store);
      return;
    }
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, until_ms);
  step_done (store, stmt, _("Could not update the outbox"), NULL);
  _civic_store_mark_changed (store);
  civic_store_commit (store, NULL);
}

static Account *
lookup_account (CivicOutbox *self,
                gint64       account_id)
{
  return self->accounts != NULL ? g_hash_table_lookup (self->accounts, &account_id) : NULL;
}

/* The end of a job: the row's new state is committed; the account takes
 * its next row. */
static void
job_finish (Job     *job,
            Outcome  outcome,
            gint64   retry_at_ms)
{
  CivicOutbox *self = job->outbox;
  Account *account = NULL;

  if (self != NULL)
    {
      account = lookup_account (self, job->account_id);
      g_ptr_array_remove (self->jobs, job);

      if (account != NULL)
        {
          const CivicRateLimit *limit = civic_client_get_rate_limit (job->client);
          gint64 now = now_ms ();

          account->busy_row = 0;
          /* "X-RateLimit-Remaining: 0" stops the queue before a 429 does. */
          if (outcome == OUTCOME_RATE_LIMITED)
            account->paused_until_ms = retry_at_ms;
          else if (limit->remaining == 0 && limit->reset_ms > now)
            {
              account->paused_until_ms = limit->reset_ms;
              pause_account_rows (job->store, job->account_id, limit->reset_ms);
            }
          if (outcome == OUTCOME_LOGIN)
            {
              g_clear_object (&account->client);
              g_clear_pointer (&account->token, wipe_free);
            }
        }
    }

  job_free (job);

  if (self != NULL)
    {
      /* A drain's callback may drop the last reference. */
      g_object_ref (self);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      check_drains (self);
      if (account != NULL)
        account_kick (self, account);
      g_object_unref (self);
    }
}

/* Puts the row back to waiting after a failure, or fails it for good. */
static void
job_fail (Job    *job,
          GError *error)
{
  Outcome outcome = classify (error);
  gint64 now = now_ms ();
  gint64 retry_at = 0;
  g_autoptr(GError) store_error = NULL;

  switch (outcome)
    {
    case OUTCOME_RELEASED:
      /* Due again at once; attempts counted, so the thread is checked. */
      update_row (job->store,
                  "UPDATE outbox SET state = 'pending', next_attempt_at = NULL "
                  "WHERE id = ?1 AND state = 'sending'",
                  job->item->id, 0, NULL, NULL);
      break;

    case OUTCOME_RATE_LIMITED:
      {
        const CivicRateLimit *limit = civic_client_get_rate_limit (job->client);

        retry_at = limit->reset_ms > now ? limit->reset_ms : now + RATE_LIMIT_FALLBACK_MS;
        update_row (job->store,
                    "UPDATE outbox SET state = 'pending', next_attempt_at = ?2, last_error = ?3 "
                    "WHERE id = ?1 AND state = 'sending'",
                    job->item->id, retry_at, error->message, NULL);
        pause_account_rows (job->store, job->account_id, retry_at);
      }
      break;

    case OUTCOME_LOGIN:
      retry_at = now + job->backoff_max_ms;
      update_row (job->store,
                  "UPDATE outbox SET state = 'pending', next_attempt_at = ?2, last_error = ?3 "
                  "WHERE id = ?1 AND state = 'sending'",
                  job->item->id, retry_at, error->message, NULL);
      break;

    case OUTCOME_RETRY:
      retry_at = now + backoff_ms (job);
      update_row (job->store,
                  "UPDATE outbox SET state = 'pending', next_attempt_at = ?2, last_error = ?3 "
                  "WHERE id = ?1 AND state = 'sending'",
                  job->item->id, retry_at, error->message, NULL);
      break;

    case OUTCOME_FAILED:
      if (!record_failed (job, error->message, &store_error))
        {
          /* Could not even record the refusal: keep it waiting. */
          g_warning ("Outbox %" G_GINT64_FORMAT ": %s", job->item->id, store_error->message);
          update_row (job->store,
                      "UPDATE outbox SET state = 'pending', next_attempt_at = ?2, last_error = ?3 "
                      "WHERE id = ?1 AND state = 'sending'",
                      job->item->id, now + backoff_ms (job), error->message, NULL);
        }
      break;

    default:
      g_assert_not_reached ();
    }

  g_debug ("Outbox %" G_GINT64_FORMAT " (attempt %u): %s", job->item->id, job->item->attempts,
           error->message);
  g_error_free (error);
  job_finish (job, outcome, retry_at);
}

static void
job_succeed (Job         *job,
             const char  *status_id,
             gint64       server_time_ms)
{
  g_autoptr(GError) error = NULL;

  if (!record_sent (job, status_id, server_time_ms, &error))
    {
      /* The reply is on the server but the desk could not write it down:
       * the next attempt finds it in the thread. */
      job_fail (job, g_steal_pointer (&error));
      return;
    }

  job_finish (job, OUTCOME_RETRY, 0);
}

/* Step 1 (retries only): is our reply already in the thread? */

/* Collapses white space and drops the domain of `@user@domain`, as the
 * server renders both. */
static char *
normalise_text (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = or_empty (text); *p != '\0';)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = TRUE;
          p = g_utf8_next_char (p);
          continue;
        }
      if (space && out->len > 0)
        g_string_append_c (out, ' ');
      space = FALSE;

      if (c == '@' && (p == text || !g_unichar_isalnum (g_utf8_get_char (g_utf8_find_prev_char (text, p)))))
        {
          const char *u = p + 1;
          const char *d;

          while (g_ascii_isalnum (*u) || *u == '_' || *u == '.' || *u == '-')
            u++;
          if (u > p + 1 && *u == '@')
            {
              d = u + 1;
              while (g_ascii_isalnum (*d) || *d == '.' || *d == '-')
                d++;
              if (d > u + 1)
                {
                  g_string_append_len (out, p, u - p);
                  p = d;
                  continue;
                }
            }
        }

      g_string_append_unichar (out, c);
      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_ours (Job               *job,
         const CivicStatus *status)
{
  const char *acct;
  const char *at;

  if (status->account == NULL)
    return FALSE;

  if (job->account_remote_id != NULL && status->account->id != NULL)
    return g_strcmp0 (job->account_remote_id, status->account->id) == 0;

  /* Without a stored remote id: compare the user part of the acct. */
  acct = or_empty (status->account->acct);
  at = strchr (acct, '@');
  return strncmp (acct, job->account_acct, at != NULL ? (gsize) (at - acct) : strlen (acct)) == 0 &&
         strlen (job->account_acct) == (at != NULL ? (gsize) (at - acct) : strlen (acct));
}

/* Whether @status_id is already another outbox row's reply (two identical
 * replies to one mention are two replies). */
static gboolean
claimed_by_other_row (CivicStore *store,
                      const char *status_id,
                      gint64      row_id)
{
  sqlite3_stmt *stmt;
  gboolean found;

  stmt = _civic_store_prepare (store, "SELECT 1 FROM outbox WHERE remote_status_id = ?1 AND id != ?2", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, status_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, row_id);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return found;
}

static const CivicStatus *
find_own_reply (Job                      *job,
                const CivicStatusContext *context)
{
  g_autofree char *want_text = normalise_text (job->item->body);
  g_autofree char *want_spoiler = normalise_text (job->item->spoiler_text);

  for (guint i = 0; context->descendants != NULL && i < context->descendants->len; i++)
    {
      const CivicStatus *status = g_ptr_array_index (context->descendants, i);
      g_autofree char *plain = NULL;
      g_autofree char *text = NULL;
      g_autofree char *spoiler = NULL;

      if (g_strcmp0 (status->in_reply_to_id, job->item->in_reply_to_id) != 0 || !is_ours (job, status))
        continue;

      plain = civic_html_to_text (or_empty (status->content));
      text = normalise_text (plain);
      spoiler = normalise_text (status->spoiler_text);
      if (g_strcmp0 (text, want_text) == 0 && g_strcmp0 (spoiler, want_spoiler) == 0 &&
          !claimed_by_other_row (job->store, status->id, job->item->id))
        return status;
    }

  return NULL;
}

static gboolean
job_stopped (Job     *job,
             GError **error)
{
  if (job->outbox == NULL || g_cancellable_is_cancelled (job->cancellable))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Stopped");
      return TRUE;
    }

  return FALSE;
}

static void
context_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(CivicStatusContext) context = NULL;
  GError *error = NULL;
  const CivicStatus *found;

  context = civic_client_get_context_finish (CIVIC_CLIENT (source), result, &error);
  if (context == NULL)
    {
      /* A thread the server no longer has: posting will say why. */
      if (g_error_matches (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          job_next_media (job);
          return;
        }
      job_fail (job, error);
      return;
    }

  found = find_own_reply (job, context);
  if (found != NULL)
    {
      g_debug ("Outbox %" G_GINT64_FORMAT ": already in the thread as %s", job->item->id, found->id);
      job_succeed (job, found->id, found->created_at_ms);
      return;
    }

  if (job_stopped (job, &error))
    {
      job_fail (job, error);
      return;
    }

  renew_lease (job);
  job_next_media (job);
}

/* Step 2: photos, each id committed as soon as the server gives it. */

static void media_polled_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);

static gboolean
media_poll_cb (gpointer user_data)
{
  Job *job = user_data;
  MediaRow *row = g_ptr_array_index (job->media, job->media_index);

  job->poll_source = 0;
  civic_client_get_media_async (job->client, row->remote_id, job->cancellable, media_polled_cb, job);

  return G_SOURCE_REMOVE;
}

static void
wait_for_media (Job *job)
{
  GError *error = NULL;

  if (++job->polls > MAX_MEDIA_POLLS)
    {
      job_fail (job, g_error_new (CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_SERVER,
                                  _("The server is still processing a photo; trying again later")));
      return;
    }
  if (job_stopped (job, &error))
    {
      job_fail (job, error);
      return;
    }

  renew_lease (job);
  job->poll_source = g_timeout_add (job->media_poll_ms, media_poll_cb, job);
}

static void
media_polled_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Job *job = user_data;
  MediaRow *row = g_ptr_array_index (job->media, job->media_index);
  g_autoptr(CivicMediaAttachment) media = NULL;
  GError *error = NULL;
  gboolean processing = FALSE;

  media = civic_client_get_media_finish (CIVIC_CLIENT (source), result, &processing, &error);
  if (media == NULL)
    {
      /* Servers drop unattached media after a while: upload it again. */
      if (g_error_matches (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          g_clear_pointer (&row->remote_id, g_free);
          update_row (job->store, "UPDATE outbox_media SET remote_id = NULL WHERE id = ?1", row->id, 0, NULL,
                      NULL);
          job_next_media (job);
          return;
        }
      job_fail (job, error);
      return;
    }

  if (processing)
    {
      wait_for_media (job);
      return;
    }

  row->ready = TRUE;
  job->media_index++;
  job_next_media (job);
}

static void
media_uploaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Job *job = user_data;
  MediaRow *row = g_ptr_array_index (job->media, job->media_index);
  g_autoptr(CivicMediaAttachment) media = NULL;
  GError *error = NULL;
  gboolean processing = FALSE;

  media = civic_client_upload_media_finish (CIVIC_CLIENT (source), result, &processing, &error);
  if (media == NULL)
    {
      job_fail (job, error);
      return;
    }

  /* Before anything else: a retry must never upload it again. */
  if (update_row (job->store, "UPDATE outbox_media SET remote_id = ?3 WHERE id = ?1", row->id, 0, media->id,
                  &error) < 0)
    {
      job_fail (job, error);
      return;
    }
  row->remote_id = g_strdup (media->id);

  if (processing)
    {
      job->polls = 0;
      wait_for_media (job);
      return;
    }

  row->ready = TRUE;
  job->media_index++;
  job_next_media (job);
}

static void
job_next_media (Job *job)
{
  GError *error = NULL;
  MediaRow *row;

  if (job_stopped (job, &error))
    {
      job_fail (job, error);
      return;
    }

  if (job->media_index >= job->media->len)
    {
      job_post (job);
      return;
    }

  row = g_ptr_array_index (job->media, job->media_index);
  job->polls = 0;
  if (row->remote_id == NULL)
    civic_client_upload_media_async (job->client, job->session, job->token, row->path, row->description,
                                     job->cancellable, media_uploaded_cb, job);
  else
    /* Uploaded on an earlier attempt: still there, and processed? */
    civic_client_get_media_async (job->client, row->remote_id, job->cancellable, media_polled_cb, job);
}

/* Step 3: the status itself, with the row's key. */

static void
posted_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(CivicStatus) status = NULL;
  GError *error = NULL;

  status = civic_client_post_status_finish (CIVIC_CLIENT (source), result, &error);
  if (status == NULL)
    {
      job_fail (job, error);
      return;
    }

  job_succeed (job, status->id, status->created_at_ms);
}

static void
job_post (Job *job)
{
  g_autoptr(GPtrArray) media_ids = g_ptr_array_new ();
  CivicOutboxItem *item = job->item;
  CivicStatusPost post = { 0 };

  for (guint i = 0; i < job->media->len; i++)
    g_ptr_array_add (media_ids, ((MediaRow *) g_ptr_array_index (job->media, i))->remote_id);
  g_ptr_array_add (media_ids, NULL);

  post.status = item->body;
  post.in_reply_to_id = item->in_reply_to_id;
  post.visibility = item->visibility;
  post.spoiler_text = item->spoiler_text;
  post.language = item->language;
  post.media_ids = job->media->len > 0 ? (const char * const *) media_ids->pdata : NULL;

  civic_client_post_status_async (job->client, &post, item->idempotency_key, job->cancellable,
                                  posted_cb, job);
}

static gint64
lease_for (CivicOutbox *self)
{
  guint timeout_s = soup_session_get_timeout (self->session);

  /* Longer than any one request can take, so a live desk's claim never
   * lapses under it; renewed at every step. */
  return (timeout_s > 0 ? (gint64) timeout_s * 2000 : 120 * 1000) + 2000;
}

static void
job_start (CivicOutbox *self,
           Account     *account,
           gint64       row_id)
{
  g_autoptr(GError) error = NULL;
  Job *job;
  gint64 now = now_ms ();
  gint64 lease = lease_for (self);

  if (!claim_row (self->store, row_id, now, now + lease, &error))
    {
      if (error != NULL)
        g_warning ("Outbox: %s", error->message);
      /* Someone else took it, or the store is busy: look again shortly. */
      schedule_wake (account, error != NULL ? 1000 : 10);
      return;
    }

  job = g_new0 (Job, 1);
  job->outbox = self;
  job->store = g_object_ref (self->store);
  job->session = g_object_ref (self->session);
  job->client = g_object_ref (account->client);
  job->cancellable = g_object_ref (self->cancellable);
  job->token = g_strdup (account->token);
  job->desk = g_strdup (civic_context_get_desk_name (self->context));
  job->account_remote_id = g_strdup (account->remote_id);
  job->account_acct = g_strdup (account->acct);
  job->account_id = account->id;
  job->lease_ms = lease;
  job->media_poll_ms = self->media_poll_ms;
  job->backoff_base_ms = self->backoff_base_ms;
  job->backoff_max_ms = self->backoff_max_ms;

  account->busy_row = row_id;
  g_ptr_array_add (self->jobs, job);

  job->item = load_item (self->store, row_id, &error);
  if (job->item != NULL)
    job->media = load_media (self->store, row_id, &error);
  if (job->item == NULL || job->media == NULL)
    {
      if (job->item == NULL)
        {
          /* Deleted between the claim and now. */
          g_ptr_array_remove (self->jobs, job);
          account->busy_row = 0;
          job_free (job);
          return;
        }
      job_fail (job, g_steal_pointer (&error));
      return;
    }

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);

  /* Tried before: the outcome of that try is unknown, so look first. */
  job->check_thread = job->item->attempts > 1 && job->item->in_reply_to_id != NULL;
  if (job->check_thread)
    civic_client_get_context_async (job->client, job->item->in_reply_to_id, job->cancellable,
                                    context_cb, job);
  else
    job_next_media (job);
}

/* Scheduling */

static gboolean
is_active (CivicOutbox *self)
{
  return self->started || self->drains->len > 0;
}

static void
set_account_token (CivicOutbox *self,
                   Account     *account,
                   const char  *token)
{
  wipe_free (account->token);
  account->token = g_strdup (token);
  g_clear_object (&account->client);
  account->client = civic_client_new (self->session, account->base_url, token);
}

typedef struct
{
  CivicOutbox *self;   /* owned */
  gint64 account_id;
} Lookup;

/* Notes on an account's waiting replies why they wait. */
static void
mark_waiting (CivicStore *store,
              gint64      account_id,
              const char *why)
{
  sqlite3_stmt *stmt;

  if (!civic_store_begin (store, NULL))
    return;

  stmt = _civic_store_prepare (store,
                               "UPDATE outbox SET last_error = ?2 WHERE account_id = ?1 AND state = 'pending'",
                               NULL);
  if (stmt == NULL)
    {
      civic_store_rollback (store);
      return;
    }
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, why, -1, SQLITE_STATIC);
  step_done (store, stmt, _("Could not update the outbox"), NULL);
  _civic_store_mark_changed (store);
  civic_store_commit (store, NULL);
}

static void
token_looked_up_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Lookup *lookup = user_data;
  CivicOutbox *self = lookup->self;
  g_autoptr(GError) error = NULL;
  char *token;
  Account *account;

  token = civic_secrets_lookup_token_finish (result, &error);
  account = lookup_account (self, lookup->account_id);
  if (account != NULL)
    {
      account->looking_up = FALSE;
      if (token != NULL)
        set_account_token (self, account, token);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *why = NULL;

          /* The replies wait (the next rescan asks again); say why. */
          if (error != NULL)
            why = g_strdup_printf (_("Could not read the login of @%s from the keyring: %s"), account->acct,
                                   error->message);
          else
            why = g_strdup_printf (_("@%s is not signed in on this desk"), account->acct);
          g_debug ("Outbox: %s", why);
          mark_waiting (self->store, account->id, why);
          g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
        }
      if (account->client != NULL)
        account_kick (self, account);
    }

  civic_secrets_free_token (token);
  g_object_unref (lookup->self);
  g_free (lookup);
}

static void
request_token (CivicOutbox *self,
               Account     *account)
{
  g_autofree char *key = NULL;
  const char *token;
  Lookup *lookup;

  if (account->looking_up)
    return;

  key = g_strconcat (account->base_url, "\n", account->acct, NULL);
  token = g_hash_table_lookup (self->tokens, key);
  if (token != NULL)
    {
      set_account_token (self, account, token);
      account_kick (self, account);
      return;
    }

  account->looking_up = TRUE;
  lookup = g_new0 (Lookup, 1);
  lookup->self = g_object_ref (self);
  lookup->account_id = account->id;
  civic_secrets_lookup_token_async (account->base_url, account->acct, self->cancellable,
                                    token_looked_up_cb, lookup);
}

static void
account_kick (CivicOutbox *self,
              Account     *account)
{
  gint64 now, next = 0, row_id;

  if (self == NULL || !is_active (self) || account->busy_row != 0)
    return;

  g_clear_handle_id (&account->wake_source, g_source_remove);

  if (account->client == NULL)
    {
      request_token (self, account);
      return;
    }

  now = now_ms ();
  if (account->paused_until_ms > now)
    {
      schedule_wake (account, account->paused_until_ms - now);
      return;
    }
  account->paused_until_ms = 0;

  row_id = pick_due (self->store, account->id, now, &next);
  if (row_id != 0)
    job_start (self, account, row_id);
  else if (next > 0)
    schedule_wake (account, next - now);
}

static Account *
ensure_account (CivicOutbox *self,
                gint64       account_id)
{
  Account *account = lookup_account (self, account_id);
  sqlite3_stmt *stmt;

  if (account != NULL)
    return account;

  stmt = _civic_store_prepare (self->store,
                               "SELECT a.server_id, a.acct, a.remote_id, s.base_url "
                               "FROM accounts a JOIN servers s ON s.id = a.server_id WHERE a.id = ?1",
                               NULL);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, account_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      account = g_new0 (Account, 1);
      account->outbox = self;
      account->id = account_id;
      account->server_id = sqlite3_column_int64 (stmt, 0);
      account->acct = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      account->remote_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      account->base_url = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_hash_table_insert (self->accounts, &account->id, account);
    }
  sqlite3_reset (stmt);

  return account;
}

static void
kick_all (CivicOutbox *self)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;

  if (!is_active (self))
    return;

  stmt = _civic_store_prepare (self->store,
                               "SELECT DISTINCT account_id FROM outbox WHERE state IN ('pending', 'sending')",
                               NULL);
  if (stmt == NULL)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < ids->len; i++)
    {
      Account *account = ensure_account (self, g_array_index (ids, gint64, i));

      if (account != NULL)
        account_kick (self, account);
    }
}

static gboolean
rescan_cb (gpointer user_data)
{
  g_autoptr(CivicOutbox) self = g_object_ref (user_data);

  kick_all (self);
  check_drains (self);

  return G_SOURCE_CONTINUE;
}

static void
activate (CivicOutbox *self)
{
  if (self->rescan_source == 0)
    self->rescan_source = g_timeout_add_seconds (RESCAN_INTERVAL_S, rescan_cb, self);
  kick_all (self);
}

/* Stops delivery: cancels requests (their rows go back to waiting when
 * the cancellation comes back) and every timer. */
static void
halt (CivicOutbox *self)
{
  g_autoptr(GPtrArray) waiting = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->rescan_source, g_source_remove);

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_clear_handle_id (&((Account *) value)->wake_source, g_source_remove);

  /* Jobs between two polls have no request to cancel. */
  for (guint i = 0; i < self->jobs->len; i++)
    if (((Job *) g_ptr_array_index (self->jobs, i))->poll_source != 0)
      g_ptr_array_add (waiting, g_ptr_array_index (self->jobs, i));
  for (guint i = 0; i < waiting->len; i++)
    {
      Job *job = g_ptr_array_index (waiting, i);

      g_clear_handle_id (&job->poll_source, g_source_remove);
      job_fail (job, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Stopped"));
    }
}

/* Drains */

static void
drain_complete (Drain  *drain,
                gboolean settled,
                GError *error)
{
  CivicOutbox *self = drain->outbox;
  GCancellable *cancellable = g_task_get_cancellable (drain->task);

  g_ptr_array_remove (self->drains, drain);
  g_clear_handle_id (&drain->timeout_source, g_source_remove);
  if (drain->cancelled_id != 0)
    g_cancellable_disconnect (cancellable, drain->cancelled_id);

  if (error != NULL)
    g_task_return_error (drain->task, error);
  else
    g_task_return_int (drain->task, settled);
  g_object_unref (drain->task);
  g_free (drain);

  if (!is_active (self))
    halt (self);
}

/* Whether reply @outbox_id (0: every reply) has settled. */
static gboolean
is_settled (CivicOutbox  *self,
            gint64        outbox_id,
            GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean settled;
  int rc;

  if (outbox_id != 0)
    stmt = _civic_store_prepare (self->store,
                                 "SELECT 1 FROM outbox WHERE id = ?1 AND state IN ('pending', 'sending')",
                                 error);
  else
    stmt = _civic_store_prepare (self->store,
                                 "SELECT 1 FROM outbox WHERE state IN ('pending', 'sending') LIMIT 1",
                                 error);
  if (stmt == NULL)
    return FALSE;

  if (outbox_id != 0)
    sqlite3_bind_int64 (stmt, 1, outbox_id);
  rc = sqlite3_step (stmt);
  settled = rc == SQLITE_DONE;
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _civic_store_fail (self->store, rc, _("Could not read the outbox"), error);

  return settled;
}

static void
check_drains (CivicOutbox *self)
{
  guint i = 0;

  while (i < self->drains->len)
    {
      Drain *drain = g_ptr_array_index (self->drains, i);
      GError *error = NULL;
      gboolean settled = is_settled (self, drain->outbox_id, &error);

      if (settled || error != NULL)
        drain_complete (drain, settled, error);
      else
        i++;
    }
}

static gboolean
drain_timeout_cb (gpointer user_data)
{
  Drain *drain = user_data;
  g_autoptr(CivicOutbox) self = g_object_ref (drain->outbox);

  drain->timeout_source = 0;
  drain_complete (drain, FALSE, NULL);

  return G_SOURCE_REMOVE;
}

static gboolean
drain_cancelled_idle_cb (gpointer user_data)
{
  GTask *task = user_data;
  CivicOutbox *self = g_task_get_source_object (task);

  for (guint i = 0; i < self->drains->len; i++)
    {
      Drain *drain = g_ptr_array_index (self->drains, i);

      if (drain->task == task)
        {
          drain_complete (drain, FALSE, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                             "Operation was cancelled"));
          break;
        }
    }

  return G_SOURCE_REMOVE;
}

static void
drain_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  /* Not from inside the handler: completing disconnects it. */
  g_idle_add_full (G_PRIORITY_DEFAULT, drain_cancelled_idle_cb, g_object_ref (user_data), g_object_unref);
}

/* GObject */

static void
civic_outbox_dispose (GObject *object)
{
  CivicOutbox *self = (CivicOutbox *) object;

  if (self->jobs != NULL)
    {
      self->started = FALSE;
      halt (self);
      /* The rest unwind on their own, with their own store reference. */
      for (guint i = 0; i < self->jobs->len; i++)
        ((Job *) g_ptr_array_index (self->jobs, i))->outbox = NULL;
      g_clear_pointer (&self->jobs, g_ptr_array_unref);
    }
  g_clear_pointer (&self->accounts, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->store);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (civic_outbox_parent_class)->dispose (object);
}

static void
civic_outbox_finalize (GObject *object)
{
  CivicOutbox *self = (CivicOutbox *) object;

  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->drains, g_ptr_array_unref);

  G_OBJECT_CLASS (civic_outbox_parent_class)->finalize (object);
}

static void
civic_outbox_class_init (CivicOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = civic_outbox_dispose;
  object_class->finalize = civic_outbox_finalize;

  /**
   * CivicOutbox::changed:
   *
   * A reply was queued, changed state, was retried or cancelled.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
civic_outbox_init (CivicOutbox *self)
{
  self->cancellable = g_cancellable_new ();
  self->accounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) account_free);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) wipe_free);
  self->jobs = g_ptr_array_new ();
  self->drains = g_ptr_array_new ();
  self->backoff_base_ms = DEFAULT_BACKOFF_BASE_MS;
  self->backoff_max_ms = DEFAULT_BACKOFF_MAX_MS;
  self->media_poll_ms = DEFAULT_MEDIA_POLL_MS;
}

/* Public API */

CivicOutbox *
civic_outbox_new (CivicContext *context,
                  SoupSession  *session)
{
  CivicOutbox *self;

  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);

  self = g_object_new (CIVIC_TYPE_OUTBOX, NULL);
  self->context = g_object_ref (context);
  self->store = g_object_ref (civic_context_get_store (context));
  self->session = session != NULL ? g_object_ref (session) : civic_sync_new_session (30);

  return self;
}

CivicStore *
civic_outbox_get_store (CivicOutbox *self)
{
  g_return_val_if_fail (CIVIC_IS_OUTBOX (self), NULL);
  return self->store;
}

void
civic_outbox_set_token (CivicOutbox *self,
                        const char  *base_url,
                        const char  *acct,
                        const char  *token)
{
  g_autofree char *trimmed = NULL;
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (CIVIC_IS_OUTBOX (self));
  g_return_if_fail (base_url != NULL && acct != NULL && token != NULL);

  trimmed = g_strdup (base_url);
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';

  g_hash_table_replace (self->tokens, g_strconcat (trimmed, "\n", acct, NULL), g_strdup (token));

  /* Accounts already known take it at once. */
  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Account *account = value;

      if (g_strcmp0 (account->base_url, trimmed) == 0 && g_strcmp0 (account->acct, acct) == 0)
        set_account_token (self, account, token);
    }

  kick_all (self);
}

void
civic_outbox_set_backoff (CivicOutbox *self,
                          guint        base_ms,
                          guint        max_ms)
{
  g_return_if_fail (CIVIC_IS_OUTBOX (self));

  self->backoff_base_ms = MAX (base_ms, 1);
  self->backoff_max_ms = MAX (max_ms, self->backoff_base_ms);
}

void
civic_outbox_set_media_poll_interval (CivicOutbox *self,
                                      guint        interval_ms)
{
  g_return_if_fail (CIVIC_IS_OUTBOX (self));

  self->media_poll_ms = MAX (interval_ms, 1);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = or_empty (text); *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

static int
visibility_rank (const char *visibility)
{
  static const char * const order[] = { "public", "unlisted", "private", "direct" };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (g_strcmp0 (order[i], visibility) == 0)
      return (int) i;

  return -1;
}

typedef struct
{
  char *status_id;
  gint64 server_id;
  char *visibility;
  gint64 department_account_id;
  char *language;
} Target;

static void
target_clear (Target *target)
{
  g_clear_pointer (&target->status_id, g_free);
  g_clear_pointer (&target->visibility, g_free);
  g_clear_pointer (&target->language, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Target, target_clear)

static gboolean
load_target (CivicStore  *store,
             gint64       mention_id,
             Target      *target,
             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _civic_store_prepare (store,
                               "SELECT m.status_id, m.server_id, m.visibility, d.account_id, d.language "
                               "FROM mentions m JOIN departments d ON d.id = m.department_id WHERE m.id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, mention_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      target->status_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      target->server_id = sqlite3_column_int64 (stmt, 1);
      target->visibility = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      target->department_account_id = sqlite3_column_int64 (stmt, 3);
      target->language = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                   _("There is no mention %lld"), (long long) mention_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _civic_store_fail (store, rc, _("Could not read the mention"), error);

  return TRUE;
}

/* The account's server and what it accepts. */
static gboolean
load_limits (CivicStore  *store,
             gint64       account_id,
             gint64      *server_id,
             guint       *max_characters,
             guint       *chars_per_url,
             guint       *max_media,
             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _civic_store_prepare (store,
                               "SELECT s.id, s.max_characters, s.characters_per_url, s.max_media "
                               "FROM accounts a JOIN servers s ON s.id = a.server_id WHERE a.id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *server_id = sqlite3_column_int64 (stmt, 0);
      *max_characters = (guint) sqlite3_column_int (stmt, 1);
      *chars_per_url = (guint) sqlite3_column_int (stmt, 2);
      *max_media = (guint) sqlite3_column_int (stmt, 3);
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                   _("There is no account %lld"), (long long) account_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _civic_store_fail (store, rc, _("Could not read the account"), error);

  return TRUE;
}

static gboolean
check_reply (const CivicOutboxReply  *reply,
             guint                    n_media,
             guint                    max_characters,
             guint                    chars_per_url,
             guint                    max_media,
             GError                 **error)
{
  guint count;

  if (is_blank (reply->body) && n_media == 0)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID, _("Write the reply first"));
      return FALSE;
    }

  count = civic_char_count_status (reply->body, reply->spoiler_text, chars_per_url);
  if (max_characters > 0 && count > max_characters)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   _("The reply is %u characters long; the server takes at most %u"), count, max_characters);
      return FALSE;
    }

  if (n_media > max_media)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "The server takes at most %u photo per reply",
                                "The server takes at most %u photos per reply", max_media),
                   max_media);
      return FALSE;
    }

  for (guint i = 0; i < n_media; i++)
    {
      const char *path = reply->media_paths[i];

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                       _("The photo “%s” cannot be found"), path);
          return FALSE;
        }
      if (reply->media_descriptions == NULL || is_blank (reply->media_descriptions[i]))
        {
          g_autofree char *name = g_path_get_basename (path);

          g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                       _("Describe the photo “%s” for people who cannot see it"), name);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
insert_reply (CivicStore              *store,
              const CivicOutboxReply  *reply,
              gint64                   account_id,
              const Target            *target,
              const char              *visibility,
              const char              *language,
              const char              *person,
              gint64                   now,
              gint64                  *outbox_id,
              GError                 **error)
{
  g_autofree char *key = civic_random_token ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = _civic_store_prepare (store,
                               "INSERT INTO outbox (mention_id, account_id, idempotency_key, in_reply_to_id,"
                               "  body, spoiler_text, visibility, language, state, attempts, created_by,"
                               "  created_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', 0, ?9, ?10) RETURNING id",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, reply->mention_id);
  sqlite3_bind_int64 (stmt, 2, account_id);
  sqlite3_bind_text (stmt, 3, key, -1, SQLITE_STATIC);
  _civic_bind_text (stmt, 4, target->status_id);
  sqlite3_bind_text (stmt, 5, or_empty (reply->body), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, or_empty (reply->spoiler_text), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, visibility, -1, SQLITE_STATIC);
  _civic_bind_text (stmt, 8, language);
  sqlite3_bind_text (stmt, 9, person, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 10, now);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *outbox_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _civic_store_fail (store, rc, _("Could not queue the reply"), error);

  for (guint i = 0; reply->media_paths != NULL && reply->media_paths[i] != NULL; i++)
    {
      g_autofree char *path = g_canonicalize_filename (reply->media_paths[i], NULL);

      stmt = _civic_store_prepare (store,
                                   "INSERT INTO outbox_media (outbox_id, position, path, description) "
                                   "VALUES (?1, ?2, ?3, ?4)",
                                   error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, *outbox_id);
      sqlite3_bind_int (stmt, 2, (int) i);
      sqlite3_bind_text (stmt, 3, path, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, reply->media_descriptions[i], -1, SQLITE_STATIC);
      if (!step_done (store, stmt, _("Could not queue the reply’s photos"), error))
        return FALSE;
    }

  return TRUE;
}

static void
after_change (CivicOutbox *self)
{
  g_object_ref (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  kick_all (self);
  check_drains (self);
  g_object_unref (self);
}

gboolean
civic_outbox_queue (CivicOutbox             *self,
                    const CivicOutboxReply  *reply,
                    const char              *person,
                    const char              *desk,
                    gint64                   now,
                    gint64                  *outbox_id,
                    GError                 **error)
{
  g_auto(Target) target = { 0 };
  g_autofree char *detail = NULL;
  const char *visibility;
  const char *language;
  gint64 account_id, server_id = 0, id = 0;
  guint max_characters = 0, chars_per_url = 0, max_media = 0, n_media = 0;

  g_return_val_if_fail (CIVIC_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (reply != NULL, FALSE);

  if (person == NULL || *person == '\0')
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   _("Say who you are first: every reply is signed"));
      return FALSE;
    }
  if (reply->body != NULL && !g_utf8_validate (reply->body, -1, NULL))
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID, _("The reply is not valid UTF-8 text"));
      return FALSE;
    }
  if (reply->visibility != NULL && visibility_rank (reply->visibility) < 0)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   _("“%s” is not a visibility (public, unlisted, private or direct)"), reply->visibility);
      return FALSE;
    }
  while (reply->media_paths != NULL && reply->media_paths[n_media] != NULL)
    n_media++;

  if (!civic_store_begin (self->store, error))
    return FALSE;

  if (!load_target (self->store, reply->mention_id, &target, error))
    goto fail;

  account_id = reply->account_id != 0 ? reply->account_id : target.department_account_id;
  if (account_id == 0)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   _("No account answers for this mention’s department: sign in for it first"));
      goto fail;
    }
  if (!load_limits (self->store, account_id, &server_id, &max_characters, &chars_per_url, &max_media, error))
    goto fail;
  if (server_id != target.server_id)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   _("That account is on another server than the mention; it cannot reply to it"));
      goto fail;
    }
  if (!check_reply (reply, n_media, max_characters, chars_per_url, max_media, error))
    goto fail;

  /* A direct or followers-only message is not answered in public unless
   * staff chose so. */
  if (reply->visibility != NULL)
    visibility = reply->visibility;
  else if (visibility_rank (target.visibility) > 0)
    visibility = target.visibility;
  else
    visibility = "public";
  language = reply->language != NULL && *reply->language != '\0' ? reply->language : target.language;

  if (!insert_reply (self->store, reply, account_id, &target, visibility, language, person, now, &id, error))
    goto fail;

  if (n_media > 0)
    detail = g_strdup_printf ("outbox %" G_GINT64_FORMAT ", %s, %u photos", id, visibility, n_media);
  else
    detail = g_strdup_printf ("outbox %" G_GINT64_FORMAT ", %s", id, visibility);
  if (!write_audit (self->store, reply->mention_id, now, person, desk, "reply-queued", detail, error) ||
      !civic_drafts_delete (self->store, reply->mention_id, error))
    goto fail;

  _civic_store_mark_changed (self->store);
  if (!civic_store_commit (self->store, error))
    return FALSE;

  if (outbox_id != NULL)
    *outbox_id = id;

  after_change (self);
  return TRUE;

fail:
  civic_store_rollback (self->store);
  return FALSE;
}

/* Loads the row for retry or cancel, refusing sent and in-flight ones. */
static CivicOutboxItem *
load_for_change (CivicOutbox  *self,
                 gint64        outbox_id,
                 gboolean      retry,
                 GError      **error)
{
  g_autoptr(CivicOutboxItem) item = NULL;
  GError *local_error = NULL;

  item = load_item (self->store, outbox_id, &local_error);
  if (item == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                     _("There is no reply %lld in the outbox"), (long long) outbox_id);
      return NULL;
    }

  if (item->state == CIVIC_OUTBOX_STATE_SENT)
    {
      g_set_error_literal (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                           retry ? _("This reply is already on the server; it cannot be sent again")
                                 : _("This reply is already on the server; it cannot be cancelled"));
      return NULL;
    }
  if (item->state == CIVIC_OUTBOX_STATE_SENDING)
    {
      g_set_error_literal (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_CONFLICT,
                           retry ? _("This reply is being sent right now; it cannot be sent again")
                                 : _("This reply is being sent right now; it cannot be cancelled"));
      return NULL;
    }

  return g_steal_pointer (&item);
}

gboolean
civic_outbox_retry (CivicOutbox  *self,
                    gint64        outbox_id,
                    const char   *person,
                    const char   *desk,
                    gint64        now,
                    GError      **error)
{
  g_autoptr(CivicOutboxItem) item = NULL;
  g_autoptr(CivicDraft) draft = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CIVIC_IS_OUTBOX (self), FALSE);

  if (!civic_store_begin (self->store, error))
    return FALSE;

  item = load_for_change (self, outbox_id, TRUE, error);
  if (item == NULL)
    goto fail;

  stmt = _civic_store_prepare (self->store,
                               "UPDATE outbox SET state = 'pending', next_attempt_at = NULL "
                               "WHERE id = ?1 AND state IN ('pending', 'failed')",
                               error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, outbox_id);
  if (!step_done (self->store, stmt, _("Could not update the outbox"), error))
    goto fail;

  /* The draft put back when it failed would come back after sending. */
  if (item->state == CIVIC_OUTBOX_STATE_FAILED && item->mention_id != 0)
    {
      GError *local_error = NULL;

      draft = civic_drafts_load (self->store, item->mention_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          goto fail;
        }
      if (draft != NULL && g_strcmp0 (draft->body, item->body) == 0 &&
          g_strcmp0 (or_empty (draft->spoiler_text), or_empty (item->spoiler_text)) == 0 &&
          !civic_drafts_delete (self->store, item->mention_id, error))
        goto fail;
    }

  detail = g_strdup_printf ("outbox %" G_GINT64_FORMAT, outbox_id);
  if (!write_audit (self->store, item->mention_id, now, person, desk, "reply-retried", detail, error))
    goto fail;

  _civic_store_mark_changed (self->store);
  if (!civic_store_commit (self->store, error))
    return FALSE;

  after_change (self);
  return TRUE;

fail:
  civic_store_rollback (self->store);
  return FALSE;
}

gboolean
civic_outbox_cancel (CivicOutbox  *self,
                     gint64        outbox_id,
                     const char   *person,
                     const char   *desk,
                     gint64        now,
                     GError      **error)
{
  g_autoptr(CivicOutboxItem) item = NULL;
  g_autoptr(CivicDraft) draft = NULL;
  g_autofree char *body = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CIVIC_IS_OUTBOX (self), FALSE);

  if (!civic_store_begin (self->store, error))
    return FALSE;

  item = load_for_change (self, outbox_id, FALSE, error);
  if (item == NULL)
    goto fail;

  stmt = _civic_store_prepare (self->store,
                               "DELETE FROM outbox WHERE id = ?1 AND state IN ('pending', 'failed')", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, outbox_id);
  if (!step_done (self->store, stmt, _("Could not update the outbox"), error))
    goto fail;

  if (item->mention_id != 0)
    {
      GError *local_error = NULL;

      draft = civic_drafts_load (self->store, item->mention_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          goto fail;
        }

      /* Nothing typed is lost: the draft's text, then the reply's. */
      if (draft != NULL && *or_empty (draft->body) != '\0' && g_strcmp0 (draft->body, item->body) != 0)
        body = g_strconcat (draft->body, "\n\n", item->body, NULL);
      else
        body = g_strdup (item->body);

      if (!civic_drafts_save (self->store, item->mention_id, body,
                              draft != NULL && *or_empty (draft->spoiler_text) != '\0'
                                ? draft->spoiler_text : item->spoiler_text,
                              draft != NULL && draft->visibility != NULL ? draft->visibility : item->visibility,
                              draft != NULL && draft->language != NULL ? draft->language : item->language,
                              now, error))
        goto fail;
    }

  detail = g_strdup_printf ("outbox %" G_GINT64_FORMAT, outbox_id);
  if (!write_audit (self->store, item->mention_id, now, person, desk, "reply-cancelled", detail, error))
    goto fail;

  _civic_store_mark_changed (self->store);
  if (!civic_store_commit (self->store, error))
    return FALSE;

  after_change (self);
  return TRUE;

fail:
  civic_store_rollback (self->store);
  return FALSE;
}

gboolean
civic_outbox_wake (CivicOutbox  *self,
                   GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CIVIC_IS_OUTBOX (self), FALSE);

  if (!civic_store_begin (self->store, error))
    return FALSE;

  stmt = _civic_store_prepare (self->store,
                               "UPDATE outbox SET next_attempt_at = NULL WHERE state = 'pending'", error);
  if (stmt == NULL || !step_done (self->store, stmt, _("Could not update the outbox"), error))
    {
      civic_store_rollback (self->store);
      return FALSE;
    }
  _civic_store_mark_changed (self->store);
  if (!civic_store_commit (self->store, error))
    return FALSE;

  after_change (self);
  return TRUE;
}

CivicOutboxItem *
civic_outbox_load (CivicOutbox  *self,
                   gint64        outbox_id,
                   GError      **error)
{
  GError *local_error = NULL;
  CivicOutboxItem *item;

  g_return_val_if_fail (CIVIC_IS_OUTBOX (self), NULL);

  item = load_item (self->store, outbox_id, &local_error);
  if (item == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                     _("There is no reply %lld in the outbox"), (long long) outbox_id);
    }

  return item;
}

GPtrArray *
civic_outbox_list (CivicOutbox  *self,
                   gint64        mention_id,
                   guint         states,
                   GError      **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) civic_outbox_item_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_OUTBOX (self), NULL);

  stmt = _civic_store_prepare (self->store,
                               "SELECT " ITEM_COLUMNS " FROM outbox o "
                               "WHERE ?1 = 0 OR o.mention_id = ?1 ORDER BY o.id",
                               error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, mention_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CivicOutboxItem *item = item_from_stmt (stmt);

      if (states == 0 || (states & (1u << item->state)) != 0)
        g_ptr_array_add (items, item);
      else
        civic_outbox_item_free (item);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _civic_store_fail (self->store, rc, _("Could not read the outbox"), error);
      return NULL;
    }

  return g_steal_pointer (&items);
}

gboolean
civic_outbox_get_summary (CivicOutbox         *self,
                          gint64               account_id,
                          CivicOutboxSummary  *summary,
                          GError             **error)
{
  sqlite3_stmt *stmt;
  GHashTableIter iter;
  gpointer value;
  gint64 now = now_ms ();
  int rc;

  g_return_val_if_fail (CIVIC_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);

  memset (summary, 0, sizeof *summary);

  stmt = _civic_store_prepare (self->store,
                               "SELECT state, count(*), min(coalesce(next_attempt_at, created_at)) FROM outbox "
                               "WHERE (?1 = 0 OR account_id = ?1) AND state IN ('pending', 'sending', 'failed') "
                               "GROUP BY state",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CivicOutboxState state;
      guint count = (guint) sqlite3_column_int (stmt, 1);

      if (!civic_outbox_state_from_string ((const char *) sqlite3_column_text (stmt, 0), &state))
        continue;
      if (state == CIVIC_OUTBOX_STATE_PENDING)
        {
          summary->n_pending = count;
          summary->next_attempt_at_ms = sqlite3_column_int64 (stmt, 2);
        }
      else if (state == CIVIC_OUTBOX_STATE_SENDING)
        summary->n_sending = count;
      else if (state == CIVIC_OUTBOX_STATE_FAILED)
        summary->n_failed = count;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _civic_store_fail (self->store, rc, _("Could not read the outbox"), error);

  stmt = _civic_store_prepare (self->store,
                               "SELECT last_error FROM outbox WHERE (?1 = 0 OR account_id = ?1)"
                               "  AND state IN ('pending', 'failed') AND last_error IS NOT NULL "
                               "ORDER BY id DESC LIMIT 1",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    summary->last_error = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Account *account = value;

      if ((account_id == 0 || account->id == account_id) && account->paused_until_ms > now)
        summary->paused_until_ms = MAX (summary->paused_until_ms, account->paused_until_ms);
    }

  return TRUE;
}

char *
civic_outbox_summary_describe (const CivicOutboxSummary *summary,
                               gint64                    now)
{
  GString *out = g_string_new (NULL);
  guint waiting;

  g_return_val_if_fail (summary != NULL, NULL);

  waiting = summary->n_pending + summary->n_sending;
  if (waiting > 0)
    {
      gint64 next = MAX (summary->next_attempt_at_ms, summary->paused_until_ms);

      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u reply queued", "%u replies queued", waiting),
                              waiting);
      if (summary->n_sending > 0)
        g_string_append (out, _(", sending now"));
      else if (next - now >= 60 * 1000)
        {
          guint minutes = (guint) ((next - now + 59 * 1000) / (60 * 1000));

          g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, ", next in %u min", ", next in %u min",
                                                    minutes), minutes);
        }
      else if (next - now >= 1000)
        {
          guint seconds = (guint) ((next - now + 999) / 1000);

          g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, ", next in %u s", ", next in %u s",
                                                    seconds), seconds);
        }
    }

  if (summary->n_failed > 0)
    {
      if (out->len > 0)
        g_string_append (out, "; ");
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u reply failed", "%u replies failed",
                                                summary->n_failed), summary->n_failed);
    }

  return g_string_free (out, FALSE);
}

void
civic_outbox_start (CivicOutbox *self)
{
  g_return_if_fail (CIVIC_IS_OUTBOX (self));

  self->started = TRUE;
  activate (self);
}

void
civic_outbox_stop (CivicOutbox *self)
{
  g_return_if_fail (CIVIC_IS_OUTBOX (self));

  self->started = FALSE;
  if (self->drains->len == 0)
    halt (self);
}

gboolean
civic_outbox_is_busy (CivicOutbox *self)
{
  g_return_val_if_fail (CIVIC_IS_OUTBOX (self), FALSE);

  return self->jobs->len > 0;
}

void
civic_outbox_drain_async (CivicOutbox         *self,
                          gint64               outbox_id,
                          guint                timeout_ms,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  Drain *drain;

  g_return_if_fail (CIVIC_IS_OUTBOX (self));

  drain = g_new0 (Drain, 1);
  drain->outbox = self;
  drain->outbox_id = outbox_id;
  drain->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (drain->task, civic_outbox_drain_async);
  g_ptr_array_add (self->drains, drain);

  if (timeout_ms > 0)
    drain->timeout_source = g_timeout_add (timeout_ms, drain_timeout_cb, drain);
  if (cancellable != NULL)
    drain->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (drain_cancelled_cb),
                                                 g_object_ref (drain->task), g_object_unref);

  activate (self);
  check_drains (self);
}

gboolean
civic_outbox_drain_finish (CivicOutbox   *self,
                           GAsyncResult  *result,
                           gboolean      *settled,
                           GError       **error)
{
  GError *local_error = NULL;
  gssize value;

  g_return_val_if_fail (CIVIC_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  value = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (settled != NULL)
    *settled = value != 0;

  return TRUE;
}
