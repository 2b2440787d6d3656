/* civic-account-sync.c
 *
 * One account's sync, as a small state machine on the main context:
 *
 *   start → capabilities → catch up (forward from the newest stored id with
 *   min_id; then the first backfill, walking back with max_id to the
 *   horizon) → open the stream → catch up the gap → trust the stream.
 *
 * Any failure closes the stream and schedules the whole cycle again with
 * exponential backoff and jitter; positions only move in the transaction
 * that stores the rows they describe, so a crash or a bad page loses and
 * doubles nothing.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "civic-account-sync.h"
#include "civic-client.h"
#include "civic-json-private.h"
#include "civic-workflow.h"
#include "civic-entity-error.h"
#include "civic-stream.h"

#define PAGE_LIMIT 80
#define MAX_BACKOFF_MS (60 * 1000)
#define FAILED_RETRY_MS (5 * 60 * 1000)
#define INSTANCE_MAX_AGE_MS (24 * 60 * 60 * 1000)
#define ONCE_MAX_ATTEMPTS 10
#define RATE_LIMIT_RESERVE 2

typedef enum
{
  PHASE_NONE,
  PHASE_FORWARD,
  PHASE_BACKWARD,
} Phase;

struct _CivicAccountSync
{
  GObject parent_instance;

  SoupSession *session;        /* owned */
  CivicIngest *ingest;         /* owned */
  CivicStore *store;           /* owned */
  CivicClient *client;         /* owned */
  CivicStream *stream;         /* owned, NULL when not streaming */
  GCancellable *cancellable;   /* owned: cancelled by stop */
  GTask *once_task;            /* owned: run_once in progress */
  GCancellable *once_cancellable; /* owned: the caller's, for run_once */
  gulong once_cancelled_id;
  CivicInstance *instance;     /* owned */

  gint64 account_id;
  gint64 server_id;
  char *acct;
  char *base_url;
  char *host;
  char *token;                 /* owned; wiped on finalize */
  char *remote_id;             /* owned: our account's id on the server */
  char *replies_known_id;      /* owned: newest of our statuses a scan has seen */
  char *replies_top_id;        /* owned: newest status of the scan in progress */
  gboolean replies_scanning;

  CivicSyncState state;
  char *message;
  char *quirks_text;
  gint64 retry_at_ms;
  guint timer;
  guint attempt;
  guint backoff_base_ms;
  guint poll_interval_s;
  guint horizon_days;

  Phase phase;
  char *cursor;                /* max_id (backward) or min_id (forward) of the next page */
  char *next_max_id;           /* the Link header's next page, for the backward walk */
  gboolean has_next;
  gboolean running;
  gboolean busy;               /* a catch-up is in progress */
  gboolean again;              /* another catch-up was asked for meanwhile */
  gboolean stream_trusted;
  gboolean stream_refused;
  GQueue stream_queue;         /* owned: GBytes payloads not yet ingested, oldest first */
  gboolean stream_ingesting;   /* one streamed notification is being stored */
  gboolean policy_checked;
  gboolean policy_warning;
  gboolean saw_link;
  gboolean missing_link;
  gboolean caught_up;
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_MESSAGE,
  PROP_CAUGHT_UP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CivicAccountSync, civic_account_sync, G_TYPE_OBJECT)

static void begin_cycle     (CivicAccountSync *self);
static void scan_replies    (CivicAccountSync *self);
static void catch_up        (CivicAccountSync *self);
static void catch_up_step   (CivicAccountSync *self);
static void handle_error    (CivicAccountSync *self,
                             GError           *error);

const char *
civic_sync_state_to_string (CivicSyncState state)
{
  static const char * const names[] = {
    "idle", "connecting", "catching-up", "live", "polling", "reconnecting",
    "rate-limited", "login-expired", "failed",
  };

  if ((guint) state < G_N_ELEMENTS (names))
    return names[state];
  return "unknown";
}

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

static void
set_state (CivicAccountSync *self,
           CivicSyncState    state,
           const char       *message)
{
  gboolean changed_state = self->state != state;
  gboolean changed_message = g_strcmp0 (self->message, message) != 0;
  g_autoptr(GError) error = NULL;

  if (!changed_state && !changed_message)
    return;

  self->state = state;
  g_free (self->message);
  self->message = g_strdup (message);

  /* civicctl status and other desks read it from the store. */
  if (!civic_store_set_sync_status (self->store, self->account_id,
                                    civic_sync_state_to_string (state), message, now_ms (), &error))
    g_debug ("Could not save the sync status: %s", error->message);

  if (changed_state)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (changed_message)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static void
set_caught_up (CivicAccountSync *self,
               gboolean          caught_up)
{
  if (self->caught_up == caught_up)
    return;

  self->caught_up = caught_up;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAUGHT_UP]);
}

static void
add_quirk (CivicAccountSync *self,
           const char       *quirk)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *joined = NULL;

  if (self->quirks_text != NULL && *self->quirks_text != '\0')
    {
      parts = g_strsplit (self->quirks_text, ",", -1);
      if (g_strv_contains ((const char * const *) parts, quirk))
        return;
      joined = g_strconcat (self->quirks_text, ",", quirk, NULL);
    }
  else
    joined = g_strdup (quirk);

  g_free (self->quirks_text);
  self->quirks_text = g_steal_pointer (&joined);

  if (self->instance != NULL)
    civic_store_save_instance (self->store, self->server_id, self->instance,
                               self->quirks_text, now_ms (), NULL);
}

static void
clear_timer (CivicAccountSync *self)
{
  g_clear_handle_id (&self->timer, g_source_remove);
}

static void
close_stream (CivicAccountSync *self)
{
  if (self->stream == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->stream, self);
  civic_stream_close (self->stream);
  g_clear_object (&self->stream);
  self->stream_trusted = FALSE;
  /* Not stored, so not counted: the next catch-up fetches them. */
  g_queue_clear_full (&self->stream_queue, (GDestroyNotify) g_bytes_unref);
}

static gboolean
timer_cb (gpointer user_data)
{
  CivicAccountSync *self = user_data;

  self->timer = 0;
  begin_cycle (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_cycle (CivicAccountSync *self,
                gint64            delay_ms)
{
  clear_timer (self);
  self->retry_at_ms = now_ms () + delay_ms;
  self->timer = g_timeout_add ((guint) MAX (delay_ms, 0), timer_cb, self);
}

static gint64
backoff_delay_ms (CivicAccountSync *self)
{
  gint64 delay = self->backoff_base_ms;
  double jitter;

  for (guint i = 0; i < self->attempt && delay < MAX_BACKOFF_MS; i++)
    delay *= 2;
  delay = MIN (delay, MAX_BACKOFF_MS);
  self->attempt++;

  /* Full jitter on the upper half: many desks reconnecting after a server
   * restart must not arrive at the same instant. */
  jitter = g_random_double_range (0.5, 1.0);
  return (gint64) (delay * jitter);
}

static void
finish_once (CivicAccountSync *self,
             GError           *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->once_task);

  if (self->once_cancellable != NULL)
    {
      g_cancellable_disconnect (self->once_cancellable, self->once_cancelled_id);
      self->once_cancelled_id = 0;
      g_clear_object (&self->once_cancellable);
    }

  if (task == NULL)
    {
      if (error != NULL)
        g_error_free (error);
      return;
    }

  self->running = FALSE;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Failures */

static void
handle_error (CivicAccountSync *self,
              GError           *error)
{
  g_autofree char *message = NULL;

  /* Whatever was cancelled belonged to a cycle that has already ended. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
    {
      g_error_free (error);
      return;
    }

  /* End this cycle: its requests, ingests and stream go, so that only the
   * next cycle ever moves positions. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = FALSE;
  self->again = FALSE;
  set_caught_up (self, FALSE);
  close_stream (self);

  if (g_error_matches (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_UNAUTHORIZED))
    {
      set_state (self, CIVIC_SYNC_STATE_LOGIN_EXPIRED,
                 _("Login expired: sign in again to keep receiving mentions"));
      finish_once (self, error);
      return;
    }

  if (g_error_matches (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_RATE_LIMITED))
    {
      const CivicRateLimit *limit = civic_client_get_rate_limit (self->client);
      gint64 until = limit->reset_ms > now_ms () ? limit->reset_ms : now_ms () + 60 * 1000;
      g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (until / 1000);
      g_autofree char *hhmm = g_date_time_format (local, "%H:%M");

      if (self->once_task != NULL && ++self->attempt > ONCE_MAX_ATTEMPTS)
        {
          finish_once (self, error);
          return;
        }

      /* Translators: %s is a time of day, like 14:05 */
      message = g_strdup_printf (_("Rate limited by the server until %s"), hhmm);
      set_state (self, CIVIC_SYNC_STATE_RATE_LIMITED, message);
      schedule_cycle (self, until - now_ms () + 250);
      g_error_free (error);
      return;
    }

  if (civic_client_error_is_transient (error))
    {
      gint64 delay;

      if (self->once_task != NULL && self->attempt >= ONCE_MAX_ATTEMPTS)
        {
          finish_once (self, error);
          return;
        }

      delay = backoff_delay_ms (self);
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Reconnecting in %u s (%s)",
                                              "Reconnecting in %u s (%s)",
                                              (gulong) ((delay + 999) / 1000)),
                                 (guint) ((delay + 999) / 1000), error->message);
      set_state (self, CIVIC_SYNC_STATE_RECONNECTING, message);
      schedule_cycle (self, delay);
      g_error_free (error);
      return;
    }

  /* A refusal (403, 404, 422, a foreign redirect, a huge answer): say so,
   * try again much later in case an administrator fixes it. */
  set_state (self, CIVIC_SYNC_STATE_FAILED, error->message);
  if (self->once_task != NULL)
    {
      finish_once (self, error);
      return;
    }
  schedule_cycle (self, FAILED_RETRY_MS);
  g_error_free (error);
}

/* Rate-limit politeness: wait for the reset rather than spend the last
 * requests of the window (the outbox needs some to post replies). */
static gboolean
must_wait_for_rate_limit (CivicAccountSync *self)
{
  const CivicRateLimit *limit = civic_client_get_rate_limit (self->client);

  if (limit->remaining < 0 || limit->remaining > RATE_LIMIT_RESERVE)
    return FALSE;
  if (limit->reset_ms <= now_ms ())
    return FALSE;

  handle_error (self, g_error_new_literal (CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_RATE_LIMITED,
                                           _("Waiting for the rate limit to reset")));
  return TRUE;
}

/* Streaming */

static void stream_ingested_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data);

/* Streamed notifications are stored one at a time, in the order they came:
 * each trusted one moves the newest position, so a later one stored first
 * would move it past an earlier one still in the worker, and if that one
 * is then cancelled (the connection drops) or fails, the gap fill, which
 * starts after the position, never fetches it. */
static void
ingest_next_streamed (CivicAccountSync *self)
{
  g_autoptr(GBytes) json = NULL;
  CivicIngestTarget target = {
    self->server_id, self->account_id, self->host, self->acct,
  };

  if (self->stream_ingesting || g_queue_is_empty (&self->stream_queue))
    return;

  json = g_queue_pop_head (&self->stream_queue);
  self->stream_ingesting = TRUE;
  civic_ingest_page_async (self->ingest, &target,
                           self->stream_trusted ? CIVIC_INGEST_LIVE : CIVIC_INGEST_UNTRUSTED,
                           json, TRUE, self->cancellable, stream_ingested_cb, g_object_ref (self));
}

static void
stream_event_cb (CivicStream      *stream,
                 const char       *event,
                 const char       *payload,
                 CivicAccountSync *self)
{
  if (payload == NULL)
    return;

  if (g_strcmp0 (event, "update") == 0)
    {
      g_autoptr(CivicStatus) status = civic_status_new_from_data (payload, -1, NULL);
      gint64 mention_id;

      /* One of our own posts: a reply from the web or a phone answers the mention. */
      if (status != NULL && self->remote_id != NULL && status->in_reply_to_id != NULL &&
          g_strcmp0 (status->account->id, self->remote_id) == 0 &&
          (mention_id = civic_store_find_mention (self->store, self->server_id, status->in_reply_to_id)) != 0)
        civic_workflow_mark_answered_elsewhere (self->store, mention_id, status->id, self->acct,
                                                status->created_at_ms, NULL);
      return;
    }

  if (g_strcmp0 (event, "notification") != 0)
    return;

  g_queue_push_tail (&self->stream_queue, g_bytes_new (payload, strlen (payload)));
  ingest_next_streamed (self);
}

static void
stream_ingested_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CivicAccountSync) self = user_data;
  g_autoptr(CivicIngestResult) ingest_result = NULL;
  g_autoptr(GError) error = NULL;

  ingest_result = civic_ingest_page_finish (CIVIC_INGEST (source), result, &error);
  self->stream_ingesting = FALSE;
  if (ingest_result == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* A frame we could not read: fetch the gap the REST way, the ones
       * that came after it included. */
      g_debug ("A streamed notification could not be stored: %s", error->message);
      g_queue_clear_full (&self->stream_queue, (GDestroyNotify) g_bytes_unref);
      if (self->running && !self->busy)
        catch_up (self);
      else
        self->again = TRUE;
      return;
    }

  if (self->running)
    ingest_next_streamed (self);
}

static void
stream_closed_cb (CivicStream      *stream,
                  const GError     *error,
                  CivicAccountSync *self)
{
  handle_error (self, error != NULL ? g_error_copy (error)
                                    : g_error_new_literal (CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_NETWORK,
                                                           _("The live connection closed")));
}

static void
schedule_poll (CivicAccountSync *self)
{
  gint64 interval = (gint64) self->poll_interval_s * 1000;
  g_autofree char *message = NULL;

  /* ±20 % so that many desks do not poll in step. */
  interval = (gint64) (interval * g_random_double_range (0.8, 1.2));
  message = g_strdup_printf (_("Checking every %u s (the server offers no live updates)"),
                             self->poll_interval_s);
  set_state (self, CIVIC_SYNC_STATE_POLLING, message);
  schedule_cycle (self, interval);
}

static void
stream_connected_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CivicAccountSync) self = user_data;
  GError *error = NULL;

  if (!civic_stream_connect_finish (CIVIC_STREAM (source), result, &error))
    {
      if (g_error_matches (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_NOT_FOUND) && self->running)
        {
          /* Streaming refused: poll from now on. */
          g_clear_object (&self->stream);
          self->stream_refused = TRUE;
          add_quirk (self, "no-streaming");
          g_error_free (error);
          self->attempt = 0;
          schedule_poll (self);
          return;
        }
      g_clear_object (&self->stream);
      handle_error (self, error);
      return;
    }

  /* Connected, but not trusted yet: fill the gap since the last page. */
  catch_up (self);
}

static void
open_stream (CivicAccountSync *self)
{
  g_autofree char *uri = NULL;

  uri = civic_client_dup_streaming_uri (self->client,
                                        self->instance != NULL ? self->instance->streaming_url : NULL,
                                        "user");
  if (uri == NULL)
    {
      self->stream_refused = TRUE;
      schedule_poll (self);
      return;
    }

  self->stream = civic_stream_new (self->session, uri, self->token);
  g_signal_connect (self->stream, "event", G_CALLBACK (stream_event_cb), self);
  g_signal_connect (self->stream, "closed", G_CALLBACK (stream_closed_cb), self);
  civic_stream_connect_async (self->stream, self->cancellable, stream_connected_cb, g_object_ref (self));
}

/* Catching up */

static void
catch_up_done (CivicAccountSync *self)
{
  self->busy = FALSE;
  self->phase = PHASE_NONE;
  self->attempt = 0;

  if (self->missing_link && !self->saw_link)
    add_quirk (self, "no-link-header");

  /* Our own replies made outside the desk answer their mentions. */
  scan_replies (self);

  if (self->again)
    {
      self->again = FALSE;
      catch_up (self);
      return;
    }

  if (self->once_task != NULL)
    {
      set_caught_up (self, TRUE);
      set_state (self, CIVIC_SYNC_STATE_IDLE, _("Up to date"));
      finish_once (self, NULL);
      return;
    }

  if (self->stream != NULL && civic_stream_is_open (self->stream))
    {
      self->stream_trusted = TRUE;
      set_caught_up (self, TRUE);
      set_state (self, CIVIC_SYNC_STATE_LIVE,
                 self->policy_warning
                   ? _("Live — but the server may filter mentions from people this account does not follow")
                   : _("Live"));
      return;
    }

  if (self->stream_refused)
    {
      set_caught_up (self, TRUE);
      schedule_poll (self);
      return;
    }

  open_stream (self);
}

static void
page_ingested_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CivicAccountSync) self = user_data;
  g_autoptr(CivicIngestResult) page = NULL;
  GError *error = NULL;

  page = civic_ingest_page_finish (CIVIC_INGEST (source), result, &error);
  if (page == NULL)
    {
      /* A page we could not read is never half-stored: it is retried. */
      if (error->domain == CIVIC_ENTITY_ERROR)
        {
          GError *mapped = g_error_new (CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_INVALID_RESPONSE,
                                        _("The server sent a page the desk could not read: %s"),
                                        error->message);
          g_error_free (error);
          error = mapped;
        }
      handle_error (self, error);
      return;
    }

  if (!self->running)
    return;

  self->attempt = 0;

  if (self->phase == PHASE_FORWARD)
    {
      if (page->n_items == 0 || page->newest_id == NULL || g_strcmp0 (page->newest_id, self->cursor) == 0)
        {
          CivicSyncPosition position;

          /* Forward is done; the first backfill may still be unfinished. */
          civic_store_get_sync_position (self->store, self->account_id, &position, NULL);
          g_clear_pointer (&self->cursor, g_free);
          if (!position.backfill_done)
            {
              self->phase = PHASE_BACKWARD;
              self->cursor = g_strdup (position.backfill_max_id);
              civic_sync_position_clear (&position);
              catch_up_step (self);
              return;
            }
          civic_sync_position_clear (&position);
          catch_up_done (self);
          return;
        }

      g_free (self->cursor);
      self->cursor = g_strdup (page->newest_id);
      catch_up_step (self);
      return;
    }

  /* PHASE_BACKWARD */
  {
    const char *next = self->next_max_id;
    gboolean has_next = self->has_next;
    gint64 horizon = now_ms () - (gint64) self->horizon_days * 24 * 60 * 60 * 1000;
    gboolean done = page->n_items == 0 || !has_next ||
                    (page->oldest_created_ms > 0 && page->oldest_created_ms < horizon);

    if (done)
      {
        civic_store_update_sync_position (self->store, self->account_id, NULL, NULL, TRUE, NULL);
        g_clear_pointer (&self->cursor, g_free);
        catch_up_done (self);
        return;
      }

    g_free (self->cursor);
    self->cursor = g_strdup (next != NULL ? next : page->oldest_id);
    catch_up_step (self);
  }
}

static void
page_fetched_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CivicAccountSync) self = user_data;
  g_autoptr(CivicResponse) response = NULL;
  GError *error = NULL;
  CivicIngestTarget target = {
    self->server_id, self->account_id, self->host, self->acct,
  };

  response = civic_client_request_finish (CIVIC_CLIENT (source), result, &error);
  if (response == NULL)
    {
      handle_error (self, error);
      return;
    }

  if (!self->running)
    return;

  if (response->has_link)
    self->saw_link = TRUE;
  else if (g_bytes_get_size (response->body) > 2)
    self->missing_link = TRUE;

  /* Where the next (older) page starts: the Link header's max_id, or
   * without one, the last item's id (filled in once parsed). */
  g_free (self->next_max_id);
  self->next_max_id = g_strdup (response->next_max_id);
  self->has_next = !response->has_link || response->next_url != NULL;

  civic_ingest_page_async (self->ingest, &target,
                           self->phase == PHASE_FORWARD ? CIVIC_INGEST_FORWARD : CIVIC_INGEST_BACKWARD,
                           response->body, FALSE, self->cancellable, page_ingested_cb,
                           g_object_ref (self));
}

static void
catch_up_step (CivicAccountSync *self)
{
  g_autoptr(GString) path = g_string_new ("/api/v1/notifications?");

  if (must_wait_for_rate_limit (self))
    return;

  /* Always say the limit: some servers default to far fewer than 40. */
  civic_form_append (path, "types[]", "mention");
  g_string_append_printf (path, "&limit=%u", PAGE_LIMIT);
  /* Mastodon 4.3+ may hold strangers' mentions back; citizens are strangers. */
  g_string_append (path, "&include_filtered=true");

  if (self->phase == PHASE_FORWARD && self->cursor != NULL)
    {
      g_string_append_c (path, '&');
      civic_form_append (path, "min_id", self->cursor);
    }
  else if (self->phase == PHASE_BACKWARD && self->cursor != NULL)
    {
      g_string_append_c (path, '&');
      civic_form_append (path, "max_id", self->cursor);
    }

  civic_client_request_async (self->client, "GET", path->str, NULL, NULL, self->cancellable,
                              page_fetched_cb, g_object_ref (self));
}

static void
catch_up (CivicAccountSync *self)
{
  CivicSyncPosition position;
  g_autoptr(GError) error = NULL;

  if (self->busy)
    {
      self->again = TRUE;
      return;
    }

  if (!civic_store_get_sync_position (self->store, self->account_id, &position, &error))
    {
      set_state (self, CIVIC_SYNC_STATE_FAILED, error->message);
      return;
    }

  self->busy = TRUE;
  self->again = FALSE;
  if (self->state != CIVIC_SYNC_STATE_LIVE)
    set_state (self, CIVIC_SYNC_STATE_CATCHING_UP, _("Fetching mentions…"));

  g_clear_pointer (&self->cursor, g_free);
  if (position.newest_id != NULL)
    {
      self->phase = PHASE_FORWARD;
      self->cursor = g_strdup (position.newest_id);
    }
  else
    {
      /* Nothing stored yet: start at the top, walking back. */
      self->phase = PHASE_BACKWARD;
    }
  civic_sync_position_clear (&position);

  catch_up_step (self);
}

/* Replies made outside the desk: walk our own statuses back to what an
 * earlier scan saw (or the horizon) and mark the mentions they answer. */

static void replies_page_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);

static void
request_replies_page (CivicAccountSync *self,
                      const char       *max_id)
{
  g_autofree char *escaped = g_uri_escape_string (self->remote_id, NULL, FALSE);
  g_autoptr(GString) path = g_string_new (NULL);

  g_string_printf (path, "/api/v1/accounts/%s/statuses?limit=40&exclude_reblogs=true", escaped);
  if (max_id != NULL)
    {
      g_string_append_c (path, '&');
      civic_form_append (path, "max_id", max_id);
    }

  civic_client_request_async (self->client, "GET", path->str, NULL, NULL, self->cancellable,
                              replies_page_cb, g_object_ref (self));
}

static void
finish_replies_scan (CivicAccountSync *self)
{
  self->replies_scanning = FALSE;
  if (self->replies_top_id != NULL)
    {
      g_free (self->replies_known_id);
      self->replies_known_id = g_steal_pointer (&self->replies_top_id);
    }
}

static void
replies_page_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CivicAccountSync) self = user_data;
  g_autoptr(CivicResponse) response = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  gint64 horizon = now_ms () - (gint64) self->horizon_days * 24 * 60 * 60 * 1000;
  gboolean done = FALSE;
  const char *oldest = NULL;
  gsize len;
  const char *data;

  response = civic_client_request_finish (CIVIC_CLIENT (source), result, &error);
  if (response == NULL)
    {
      if (g_error_matches (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_NOT_FOUND))
        add_quirk (self, "no-account-statuses");
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not read our own replies: %s", error->message);
      /* Not fatal: the next scan tries again from the same point. */
      g_clear_pointer (&self->replies_top_id, g_free);
      self->replies_scanning = FALSE;
      return;
    }

  data = g_bytes_get_data (response->body, &len);
  root = _civic_json_parse (data != NULL ? data : "", len, &error);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root) ||
      (statuses = civic_status_list_from_json_array (json_node_get_array (root), "Statuses", &error)) == NULL)
    {
      g_debug ("Our own statuses could not be read: %s", error != NULL ? error->message : "not an array");
      g_clear_pointer (&self->replies_top_id, g_free);
      self->replies_scanning = FALSE;
      return;
    }

  if (statuses->len == 0)
    {
      finish_replies_scan (self);
      return;
    }

  civic_store_begin (self->store, NULL);
  for (guint i = 0; i < statuses->len && !done; i++)
    {
      CivicStatus *status = g_ptr_array_index (statuses, i);
      gint64 mention_id;

      if (self->replies_top_id == NULL)
        self->replies_top_id = g_strdup (status->id);

      if (g_strcmp0 (status->id, self->replies_known_id) == 0 ||
          (status->created_at_ms > 0 && status->created_at_ms < horizon))
        {
          done = TRUE;
          break;
        }

      oldest = status->id;
      if (status->in_reply_to_id != NULL &&
          (mention_id = civic_store_find_mention (self->store, self->server_id, status->in_reply_to_id)) != 0)
        civic_workflow_mark_answered_elsewhere (self->store, mention_id, status->id, self->acct,
                                                status->created_at_ms, NULL);
    }
  civic_store_commit (self->store, NULL);

  if (done || oldest == NULL || (response->has_link && response->next_url == NULL))
    {
      finish_replies_scan (self);
      return;
    }

  request_replies_page (self, response->next_max_id != NULL ? response->next_max_id : oldest);
}

static void
scan_replies (CivicAccountSync *self)
{
  if (self->replies_scanning || self->remote_id == NULL || self->once_task != NULL ||
      strstr (self->quirks_text != NULL ? self->quirks_text : "", "no-account-statuses") != NULL)
    return;

  self->replies_scanning = TRUE;
  g_clear_pointer (&self->replies_top_id, g_free);
  request_replies_page (self, NULL);
}

/* Capabilities */

static void
policy_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CivicAccountSync) self = user_data;
  g_autoptr(CivicNotificationPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;

  policy = civic_client_get_notification_policy_finish (CIVIC_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
    return;

  self->policy_checked = TRUE;
  /* Servers before Mastodon 4.3 have no policy at all: nothing filtered. */
  self->policy_warning = policy != NULL && policy->filters_strangers;

  catch_up (self);
}

static void
instance_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CivicAccountSync) self = user_data;
  GError *error = NULL;
  CivicInstance *instance;

  instance = civic_client_get_instance_finish (CIVIC_CLIENT (source), result, &error);
  if (instance == NULL)
    {
      handle_error (self, error);
      return;
    }

  g_clear_pointer (&self->instance, civic_instance_free);
  self->instance = instance;
  if (instance->api_version == 1)
    add_quirk (self, "no-v2-instance");
  if (instance->streaming_url == NULL)
    add_quirk (self, "no-streaming-url");
  civic_store_save_instance (self->store, self->server_id, instance, self->quirks_text, now_ms (), NULL);

  if (!self->policy_checked)
    civic_client_get_notification_policy_async (self->client, self->cancellable, policy_cb,
                                                g_object_ref (self));
  else
    catch_up (self);
}

static void
begin_cycle (CivicAccountSync *self)
{
  gint64 checked = 0;

  if (!self->running)
    return;

  clear_timer (self);

  if (!civic_client_has_token (self->client))
    {
      set_state (self, CIVIC_SYNC_STATE_LOGIN_EXPIRED, _("Not signed in"));
      finish_once (self, g_error_new_literal (CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_UNAUTHORIZED,
                                              _("No login is stored for this account")));
      return;
    }

  /* Polling: just catch up again. */
  if (self->state == CIVIC_SYNC_STATE_POLLING && self->instance != NULL)
    {
      catch_up (self);
      return;
    }

  if (self->state != CIVIC_SYNC_STATE_LIVE)
    set_state (self, CIVIC_SYNC_STATE_CONNECTING, _("Connecting…"));

  if (self->instance == NULL)
    {
      g_autofree char *quirks = NULL;

      self->instance = civic_store_load_instance (self->store, self->server_id, &checked, &quirks, NULL);
      if (self->instance != NULL && (self->quirks_text == NULL || *self->quirks_text == '\0'))
        {
          g_free (self->quirks_text);
          self->quirks_text = g_steal_pointer (&quirks);
        }
    }

  if (self->instance == NULL || now_ms () - checked > INSTANCE_MAX_AGE_MS)
    {
      civic_client_get_instance_async (self->client, self->cancellable, instance_cb, g_object_ref (self));
      return;
    }

  if (!self->policy_checked)
    {
      civic_client_get_notification_policy_async (self->client, self->cancellable, policy_cb,
                                                  g_object_ref (self));
      return;
    }

  catch_up (self);
}

/* GObject */

static void
civic_account_sync_dispose (GObject *object)
{
  CivicAccountSync *self = (CivicAccountSync *) object;

  self->running = FALSE;
  clear_timer (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  close_stream (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->ingest);
  g_clear_object (&self->store);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (civic_account_sync_parent_class)->dispose (object);
}

static void
civic_account_sync_finalize (GObject *object)
{
  CivicAccountSync *self = (CivicAccountSync *) object;

  g_clear_pointer (&self->instance, civic_instance_free);
  g_queue_clear_full (&self->stream_queue, (GDestroyNotify) g_bytes_unref);
  g_free (self->acct);
  g_free (self->base_url);
  g_free (self->host);
  g_free (self->message);
  g_free (self->quirks_text);
  g_free (self->cursor);
  g_free (self->next_max_id);
  g_free (self->remote_id);
  g_free (self->replies_known_id);
  g_free (self->replies_top_id);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);

  G_OBJECT_CLASS (civic_account_sync_parent_class)->finalize (object);
}

static void
civic_account_sync_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CivicAccountSync *self = CIVIC_ACCOUNT_SYNC (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_CAUGHT_UP:
      g_value_set_boolean (value, self->caught_up);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_account_sync_class_init (CivicAccountSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = civic_account_sync_dispose;
  object_class->finalize = civic_account_sync_finalize;
  object_class->get_property = civic_account_sync_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, 0, CIVIC_SYNC_STATE_FAILED, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAUGHT_UP] =
    g_param_spec_boolean ("caught-up", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
civic_account_sync_init (CivicAccountSync *self)
{
  self->backoff_base_ms = 1000;
  self->poll_interval_s = 15;
  self->horizon_days = 30;
  self->message = g_strdup ("");
}

CivicAccountSync *
civic_account_sync_new (SoupSession             *session,
                        CivicIngest             *ingest,
                        CivicStore              *store,
                        const CivicBoundAccount *account,
                        const char              *token)
{
  CivicAccountSync *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (CIVIC_IS_INGEST (ingest), NULL);
  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);
  g_return_val_if_fail (account != NULL, NULL);

  self = g_object_new (CIVIC_TYPE_ACCOUNT_SYNC, NULL);
  self->session = g_object_ref (session);
  self->ingest = g_object_ref (ingest);
  self->store = g_object_ref (store);
  self->account_id = account->account_id;
  self->server_id = account->server_id;
  self->acct = g_strdup (account->acct);
  self->remote_id = g_strdup (account->remote_id);
  self->base_url = g_strdup (account->base_url);
  self->client = civic_client_new (session, account->base_url, token);
  self->token = g_strdup (token);
  self->host = g_strdup (civic_client_get_host (self->client));

  return self;
}

gint64
civic_account_sync_get_account_id (CivicAccountSync *self)
{
  g_return_val_if_fail (CIVIC_IS_ACCOUNT_SYNC (self), 0);
  return self->account_id;
}

const char *
civic_account_sync_get_acct (CivicAccountSync *self)
{
  g_return_val_if_fail (CIVIC_IS_ACCOUNT_SYNC (self), NULL);
  return self->acct;
}

const char *
civic_account_sync_get_base_url (CivicAccountSync *self)
{
  g_return_val_if_fail (CIVIC_IS_ACCOUNT_SYNC (self), NULL);
  return self->base_url;
}

CivicClient *
civic_account_sync_get_client (CivicAccountSync *self)
{
  g_return_val_if_fail (CIVIC_IS_ACCOUNT_SYNC (self), NULL);
  return self->client;
}

void
civic_account_sync_set_token (CivicAccountSync *self,
                              const char       *token)
{
  g_return_if_fail (CIVIC_IS_ACCOUNT_SYNC (self));

  civic_client_set_token (self->client, token);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);
}

CivicSyncState
civic_account_sync_get_state (CivicAccountSync *self)
{
  g_return_val_if_fail (CIVIC_IS_ACCOUNT_SYNC (self), CIVIC_SYNC_STATE_IDLE);
  return self->state;
}

const char *
civic_account_sync_get_message (CivicAccountSync *self)
{
  g_return_val_if_fail (CIVIC_IS_ACCOUNT_SYNC (self), NULL);
  return self->message;
}

gint64
civic_account_sync_get_retry_at_ms (CivicAccountSync *self)
{
  g_return_val_if_fail (CIVIC_IS_ACCOUNT_SYNC (self), 0);
  return self->retry_at_ms;
}

const char *
civic_account_sync_get_quirks (CivicAccountSync *self)
{
  g_return_val_if_fail (CIVIC_IS_ACCOUNT_SYNC (self), NULL);
  return self->quirks_text != NULL ? self->quirks_text : "";
}

gboolean
civic_account_sync_get_policy_warning (CivicAccountSync *self)
{
  g_return_val_if_fail (CIVIC_IS_ACCOUNT_SYNC (self), FALSE);
  return self->policy_warning;
}

gboolean
civic_account_sync_is_caught_up (CivicAccountSync *self)
{
  g_return_val_if_fail (CIVIC_IS_ACCOUNT_SYNC (self), FALSE);
  return self->caught_up;
}

void
civic_account_sync_set_backoff_base_ms (CivicAccountSync *self,
                                        guint             base_ms)
{
  g_return_if_fail (CIVIC_IS_ACCOUNT_SYNC (self));
  self->backoff_base_ms = MAX (base_ms, 1);
}

void
civic_account_sync_set_poll_interval (CivicAccountSync *self,
                                      guint             seconds)
{
  g_return_if_fail (CIVIC_IS_ACCOUNT_SYNC (self));
  self->poll_interval_s = MAX (seconds, 1);
}

void
civic_account_sync_set_horizon_days (CivicAccountSync *self,
                                     guint             days)
{
  g_return_if_fail (CIVIC_IS_ACCOUNT_SYNC (self));
  self->horizon_days = MAX (days, 1);
}

void
civic_account_sync_start (CivicAccountSync *self)
{
  g_return_if_fail (CIVIC_IS_ACCOUNT_SYNC (self));

  if (self->running)
    return;

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->running = TRUE;
  self->attempt = 0;
  begin_cycle (self);
}

void
civic_account_sync_stop (CivicAccountSync *self)
{
  g_return_if_fail (CIVIC_IS_ACCOUNT_SYNC (self));

  self->running = FALSE;
  self->busy = FALSE;
  clear_timer (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  close_stream (self);
  set_caught_up (self, FALSE);
  set_state (self, CIVIC_SYNC_STATE_IDLE, _("Stopped"));
  finish_once (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Stopped"));
}

static gboolean
once_cancelled_idle_cb (gpointer user_data)
{
  CivicAccountSync *self = user_data;

  if (self->once_task != NULL)
    {
      self->running = FALSE;
      self->busy = FALSE;
      clear_timer (self);
      g_cancellable_cancel (self->cancellable);
      finish_once (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled"));
    }

  return G_SOURCE_REMOVE;
}

static void
once_cancelled_cb (GCancellable     *cancellable,
                   CivicAccountSync *self)
{
  /* Not from inside the cancellable's emission: from the main loop. */
  g_idle_add_full (G_PRIORITY_HIGH, once_cancelled_idle_cb, g_object_ref (self), g_object_unref);
}

void
civic_account_sync_run_once_async (CivicAccountSync    *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (CIVIC_IS_ACCOUNT_SYNC (self));
  g_return_if_fail (!self->running);

  self->once_task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->once_task, civic_account_sync_run_once_async);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->once_cancellable = g_object_ref (cancellable);
      self->once_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (once_cancelled_cb), self, NULL);
    }
  self->running = TRUE;
  self->attempt = 0;
  begin_cycle (self);
}

gboolean
civic_account_sync_run_once_finish (CivicAccountSync  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (CIVIC_IS_ACCOUNT_SYNC (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
