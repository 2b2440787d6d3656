/* civic-sim-server.c
 *
 * The HTTP side of civic-sim: a SoupServer that answers the Mastodon
 * client API (REST and the streaming WebSocket), with rate limits, fault
 * injection, quirks of other servers, and the /_sim/ control API that the
 * desk's tests drive.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/socket.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "civic-sim-faults.h"
#include "civic-sim-server.h"

enum
{
  QUIRK_NO_V2_INSTANCE = 1 << 0,
  QUIRK_NO_STREAMING = 1 << 1,
  QUIRK_NO_LINK_HEADER = 1 << 2,
  QUIRK_SMALL_DEFAULT_LIMIT = 1 << 3,
  QUIRK_IGNORE_SINCE_ID = 1 << 4,
  QUIRK_IGNORE_IDEMPOTENCY = 1 << 5,
  QUIRK_ACCT_WITH_DOMAIN = 1 << 6,
  QUIRK_CLOSE_CONNECTIONS = 1 << 7,
  QUIRK_NUMERIC_IDS = 1 << 8,
};

static const char * const quirk_names[] = {
  "no-v2-instance", "no-streaming", "no-link-header", "small-default-limit",
  "ignore-since-id", "ignore-idempotency", "acct-with-domain", "close-connections",
  "numeric-ids", NULL
};

enum
{
  STREAM_USER = 1 << 0,
  STREAM_USER_NOTIFICATION = 1 << 1,
};

/* libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429
#define MEDIA_MAX_SYNC_BYTES (256 * 1024)
#define MEDIA_PROCESSING_MS 800
#define IDEMPOTENCY_MS (3600 * 1000)

typedef struct
{
  gint64 window;        /* start of the window, seconds */
  guint count;
} Bucket;

typedef struct
{
  CivicSimServer *server;          /* borrowed */
  SoupWebsocketConnection *conn;   /* owned */
  GSocket *socket;                 /* owned */
  gint64 account_id;
  guint streams;
  gboolean drop_after_first;
  gboolean dropped;
} Stream;

struct _CivicSimServer
{
  GObject parent_instance;

  SoupServer *server;          /* owned */
  SimWorld *world;             /* owned */
  SimGen *gen;                 /* owned: live and /_sim/ mentions */
  GRand *fault_rand;           /* owned */
  SimFaults *faults;           /* owned, nullable */
  char *password;              /* owned */
  char *base_url;              /* owned */
  guint64 seed;
  guint quirks;
  guint req_limit;
  guint req_period;
  guint status_limit;
  guint status_period;
  GHashTable *buckets;         /* owned: key → Bucket */
  GPtrArray *streams;          /* owned: Stream * */
  GPtrArray *hung;             /* owned: SoupServerMessage * */
  gint64 requests;
  guint live_source;
  double live_rate;
  double live_carry;
  gint64 live_last;
};

G_DEFINE_FINAL_TYPE (CivicSimServer, civic_sim_server, G_TYPE_OBJECT)

typedef struct
{
  CivicSimServer *self;
  SoupServerMessage *msg;
  const char *method;
  char *path;                  /* owned: no trailing slash */
  SimParams *params;           /* owned: query and body */
  char *host_url;              /* owned: http://HOST as the client asked */
  gboolean token_given;
  gboolean token_ok;
  const char *token_error;
  SimToken token;
  const SimAccount *account;   /* borrowed, nullable */
  gboolean rate_shown;
  guint rate_limit;
  gint64 rate_remaining;
  gint64 rate_reset_us;
  guint status;
  char *body;                  /* owned */
  gsize body_len;
  const char *content_type;
  char *link;                  /* owned */
  char *location;              /* owned */
  guint retry_after;
} Request;

static void
request_clear (Request *r)
{
  g_free (r->path);
  sim_params_free (r->params);
  g_free (r->host_url);
  sim_token_clear (&r->token);
  g_free (r->body);
  g_free (r->link);
  g_free (r->location);
}

/* ------------------------------------------------------------------ */
/* Answers */

static void
reply_json (Request *r,
            guint    status,
            SimJson *j)
{
  g_free (r->body);
  r->status = status;
  r->body = sim_json_steal (j, &r->body_len);
  r->content_type = "application/json; charset=utf-8";
}

static void
reply_error (Request    *r,
             guint       status,
             const char *message)
{
  SimJson j;

  sim_json_init (&j, FALSE);
  sim_json_begin_object (&j);
  sim_json_kstr (&j, "error", message);
  sim_json_end_object (&j);
  reply_json (r, status, &j);
}

static void
reply_oauth_error (Request    *r,
                   guint       status,
                   const char *error,
                   const char *description)
{
  SimJson j;

  sim_json_init (&j, FALSE);
  sim_json_begin_object (&j);
  sim_json_kstr (&j, "error", error);
  sim_json_kstr (&j, "error_description", description);
  sim_json_end_object (&j);
  reply_json (r, status, &j);
}

static void
reply_empty_object (Request *r)
{
  SimJson j;

  sim_json_init (&j, FALSE);
  sim_json_begin_object (&j);
  sim_json_end_object (&j);
  reply_json (r, SOUP_STATUS_OK, &j);
}

static void
reply_html (Request    *r,
            guint       status,
            const char *html)
{
  g_free (r->body);
  r->status = status;
  r->body = g_strdup (html);
  r->body_len = strlen (html);
  r->content_type = "text/html; charset=utf-8";
}

static void
json_init (CivicSimServer *self,
           SimJson        *j)
{
  sim_json_init (j, (self->quirks & QUIRK_NUMERIC_IDS) != 0);
}

static char *
format_reset (gint64 us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  g_autofree char *base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%06dZ", base, (int) (us % G_USEC_PER_SEC));
}

static void
uuid_like (char out[37])
{
  g_autofree char *uuid = g_uuid_string_random ();

  g_strlcpy (out, uuid, 37);
}

/* Writes a raw HTTP answer whose body stops half way, then closes. */
static void
send_truncated (Request *r)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GString) head = g_string_new (NULL);
  GOutputStream *out;

  g_string_append_printf (head,
                          "HTTP/1.1 200 OK\r\n"
                          "Content-Type: %s\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n\r\n",
                          r->content_type != NULL ? r->content_type : "application/json; charset=utf-8",
                          r->body_len);
  g_string_append_len (head, r->body != NULL ? r->body : "", r->body_len / 2);

  stream = soup_server_message_steal_connection (r->msg);
  if (stream == NULL)
    return;
  out = g_io_stream_get_output_stream (stream);
  g_output_stream_write_all (out, head->str, head->len, NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

/* Closes the TCP connection with a reset, without any answer. */
static void
reset_connection (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr(GIOStream) stream = NULL;

  if (socket != NULL)
    {
      struct linger linger = { 1, 0 };

      setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
    }
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static void
send_answer (Request *r)
{
  CivicSimServer *self = r->self;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (r->msg);
  char request_id[37];

  soup_server_message_set_status (r->msg, r->status, NULL);
  if (r->rate_shown)
    {
      g_autofree char *limit = g_strdup_printf ("%u", r->rate_limit);
      g_autofree char *remaining = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (r->rate_remaining, 0));
      g_autofree char *reset = format_reset (r->rate_reset_us);

      soup_message_headers_replace (headers, "X-RateLimit-Limit", limit);
      soup_message_headers_replace (headers, "X-RateLimit-Remaining", remaining);
      soup_message_headers_replace (headers, "X-RateLimit-Reset", reset);
    }
  if (r->retry_after > 0)
    {
      g_autofree char *after = g_strdup_printf ("%u", r->retry_after);

      soup_message_headers_replace (headers, "Retry-After", after);
    }
  if (r->link != NULL && (self->quirks & QUIRK_NO_LINK_HEADER) == 0)
    soup_message_headers_replace (headers, "Link", r->link);
  if (r->location != NULL)
    soup_message_headers_replace (headers, "Location", r->location);
  if (r->status == SOUP_STATUS_OK && r->body != NULL &&
      g_str_has_prefix (r->content_type, "application/json"))
    {
      g_autofree char *md5 = g_compute_checksum_for_data (G_CHECKSUM_MD5, (guchar *) r->body,
                                                          r->body_len);
      g_autofree char *etag = g_strdup_printf ("W/\"%s\"", md5);

      soup_message_headers_replace (headers, "ETag", etag);
    }
  uuid_like (request_id);
  soup_message_headers_replace (headers, "X-Request-Id", request_id);
  soup_message_headers_replace (headers, "Cache-Control", "private, no-store");
  if (self->quirks & QUIRK_CLOSE_CONNECTIONS)
    soup_message_headers_replace (headers, "Connection", "close");
  if (r->body != NULL)
    {
      gsize len = r->body_len;

      soup_server_message_set_response (r->msg, r->content_type, SOUP_MEMORY_TAKE,
                                        g_steal_pointer (&r->body), len);
    }
}

/* ------------------------------------------------------------------ */
/* Auth and limits */

static gboolean
has_scope (const char *scopes,
           const char *wanted)
{
  g_auto(GStrv) list = NULL;
  const char *colon;

  if (scopes == NULL || wanted == NULL)
    return FALSE;
  list = g_strsplit (scopes, " ", -1);
  if (g_strv_contains ((const char * const *) list, wanted))
    return TRUE;
  /* `read` covers `read:statuses`, and so on. */
  colon = strrchr (wanted, ':');
  if (colon != NULL)
    {
      g_autofree char *parent = g_strndup (wanted, colon - wanted);

      return g_strv_contains ((const char * const *) list, parent);
    }
  return FALSE;
}

static gboolean
scopes_valid (const char *scopes)
{
  g_auto(GStrv) list = g_strsplit (scopes, " ", -1);
  static const char * const tops[] = { "read", "write", "follow", "push", "profile",
                                       "admin:read", "admin:write", NULL };

  for (guint i = 0; list[i] != NULL; i++)
    {
      const char *s = list[i];
      gboolean ok = FALSE;

      if (*s == '\0')
        continue;
      for (guint t = 0; tops[t] != NULL && !ok; t++)
        {
          gsize n = strlen (tops[t]);

          ok = g_str_equal (s, tops[t]) ||
               (g_str_has_prefix (s, tops[t]) && s[n] == ':' && s[n + 1] != '\0');
        }
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static gboolean
scopes_subset (const char *wanted,
               const char *granted)
{
  g_auto(GStrv) list = g_strsplit (wanted, " ", -1);

  for (guint i = 0; list[i] != NULL; i++)
    if (*list[i] != '\0' && !has_scope (granted, list[i]))
      return FALSE;
  return TRUE;
}

static void
resolve_token (Request *r)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (r->msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  const char *token = NULL;

  if (auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    token = auth + 7;
  else if (sim_params_get (r->params, "access_token") != NULL)
    token = sim_params_get (r->params, "access_token");
  if (token == NULL || *token == '\0')
    return;

  r->token_given = TRUE;
  if (!sim_world_find_token (r->self->world, token, &r->token))
    {
      r->token_error = "The access token is invalid";
      return;
    }
  if (r->token.revoked)
    {
      r->token_error = "The access token was revoked";
      return;
    }
  r->token_ok = TRUE;
  if (r->token.account_id > 0)
    r->account = sim_world_account (r->self->world, r->token.account_id);
}

static gboolean
require_scopes (Request    *r,
                const char *scope_a,
                const char *scope_b)
{
  if (!has_scope (r->token.scopes, scope_a) && !has_scope (r->token.scopes, scope_b))
    {
      reply_error (r, SOUP_STATUS_FORBIDDEN, "This action is outside the authorized scopes");
      return FALSE;
    }
  return TRUE;
}

/* A user token with one of the scopes; otherwise answers 401, 403 or 422. */
static gboolean
require_user (Request    *r,
              const char *scope_a,
              const char *scope_b)
{
  if (!r->token_ok)
    {
      reply_error (r, SOUP_STATUS_UNAUTHORIZED,
                   r->token_error != NULL ? r->token_error : "The access token is invalid");
      return FALSE;
    }
  if (!require_scopes (r, scope_a, scope_b))
    return FALSE;
  if (r->account == NULL)
    {
      reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                   "This method requires an authenticated user");
      return FALSE;
    }
  return TRUE;
}

/* Anonymous is fine; a token, if given, must be valid and scoped. */
static gboolean
allow_user (Request    *r,
            const char *scope_a,
            const char *scope_b)
{
  if (!r->token_given)
    return TRUE;
  if (!r->token_ok)
    {
      reply_error (r, SOUP_STATUS_UNAUTHORIZED, r->token_error);
      return FALSE;
    }
  return require_scopes (r, scope_a, scope_b);
}

static gint64
viewer_id (Request *r)
{
  return r->account != NULL ? r->account->id : 0;
}

/* Counts one hit in a fixed window aligned on the epoch, as rack-attack
 * does, and says whether it is still within @limit. The reset time keeps
 * the microseconds of now, as Mastodon's headers do. */
static gboolean
bucket_hit (CivicSimServer *self,
            const char     *key,
            guint           limit,
            guint           period,
            gboolean        count,
            Request        *r)
{
  gint64 now_us = g_get_real_time ();
  gint64 now_s = now_us / G_USEC_PER_SEC;
  gint64 window = now_s - now_s % period;
  Bucket *bucket = g_hash_table_lookup (self->buckets, key);

  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      g_hash_table_insert (self->buckets, g_strdup (key), bucket);
    }
  if (bucket->window != window)
    {
      bucket->window = window;
      bucket->count = 0;
    }
  if (count)
    bucket->count++;

  r->rate_shown = TRUE;
  r->rate_limit = limit;
  r->rate_remaining = (gint64) limit - bucket->count;
  r->rate_reset_us = now_us + (gint64) (period - now_s % period) * G_USEC_PER_SEC;
  return bucket->count <= limit;
}

static void
reply_throttled (Request *r)
{
  gint64 wait_s = (r->rate_reset_us - g_get_real_time () + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

  r->rate_remaining = 0;
  r->retry_after = (guint) MAX (wait_s, 1);
  reply_error (r, STATUS_TOO_MANY_REQUESTS, "Too many requests");
}

/* ------------------------------------------------------------------ */
/* Parameters */

static gboolean
parse_id_param (Request    *r,
                const char *name,
                gint64     *out)
{
  const char *value = sim_params_get (r->params, name);
  char *end = NULL;
  gint64 v;

  *out = 0;
  if (value == NULL || *value == '\0')
    return TRUE;
  v = g_ascii_strtoll (value, &end, 10);
  if (end == value || *end != '\0' || v < 0)
    {
      g_autofree char *message = g_strdup_printf ("Invalid %s: “%s” is not an id", name, value);

      reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY, message);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static gboolean
parse_limit (Request *r,
             guint   *out)
{
  CivicSimServer *self = r->self;
  const char *value = sim_params_get (r->params, "limit");
  guint def = (self->quirks & QUIRK_SMALL_DEFAULT_LIMIT) ? 5 : 40;
  guint max = (self->quirks & QUIRK_SMALL_DEFAULT_LIMIT) ? 20 : 80;
  char *end = NULL;
  gint64 v;

  *out = def;
  if (value == NULL || *value == '\0')
    return TRUE;
  v = g_ascii_strtoll (value, &end, 10);
  if (end == value || *end != '\0')
    {
      g_autofree char *message = g_strdup_printf ("Invalid limit: “%s” is not a number", value);

      reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY, message);
      return FALSE;
    }
  v = ABS (v);
  *out = v == 0 ? def : (guint) MIN (v, (gint64) max);
  return TRUE;
}

static gint64
id_from_string (const char *s)
{
  char *end = NULL;
  gint64 v;

  if (s == NULL)
    return 0;
  v = g_ascii_strtoll (s, &end, 10);
  return (end != s && *end == '\0' && v > 0) ? v : 0;
}

static gboolean
param_true (Request    *r,
            const char *name)
{
  const char *v = sim_params_get (r->params, name);

  return v != NULL && (g_str_equal (v, "true") || g_str_equal (v, "1") || g_str_equal (v, "on"));
}

/* The Link header Mastodon writes: the page's pagination parameters in
 * Rails' order (sorted by name), with max_id or min_id set. */
static char *
link_header (Request            *r,
             const char         *path,
             const char * const *carry,
             gint64              newest,
             gint64              oldest)
{
  GString *link = g_string_new (NULL);

  for (int half = 0; half < 2; half++)
    {
      const char *rel = half == 0 ? "next" : "prev";
      const char *bound = half == 0 ? "max_id" : "min_id";
      gint64 value = half == 0 ? oldest : newest;
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      gboolean first = TRUE;

      for (guint i = 0; carry[i] != NULL; i++)
        if (sim_params_has (r->params, carry[i]))
          g_ptr_array_add (names, (gpointer) carry[i]);
      g_ptr_array_add (names, (gpointer) bound);
      /* Rails sorts the query by parameter name. */
      for (guint i = 0; i + 1 < names->len; i++)
        for (guint k = i + 1; k < names->len; k++)
          if (strcmp (g_ptr_array_index (names, i), g_ptr_array_index (names, k)) > 0)
            {
              gpointer tmp = names->pdata[i];

              names->pdata[i] = names->pdata[k];
              names->pdata[k] = tmp;
            }

      if (half == 1)
        g_string_append (link, ", ");
      g_string_append_printf (link, "<%s%s?", r->host_url, path);
      for (guint i = 0; i < names->len; i++)
        {
          const char *name = g_ptr_array_index (names, i);

          if (name == bound)
            {
              g_string_append_printf (link, "%s%s=%" G_GINT64_FORMAT, first ? "" : "&", name, value);
              first = FALSE;
              continue;
            }
          {
            g_autoptr(GPtrArray) values = sim_params_get_all (r->params, name);
            gboolean array = g_str_equal (name, "types") || g_str_equal (name, "exclude_types");

            for (guint v = 0; v < values->len; v++)
              {
                g_autofree char *escaped = g_uri_escape_string (g_ptr_array_index (values, v),
                                                                NULL, FALSE);

                g_string_append_printf (link, "%s%s%s=%s", first ? "" : "&", name,
                                        array ? "%5B%5D" : "", escaped);
                first = FALSE;
                if (!array)
                  break;
              }
          }
        }
      g_string_append_printf (link, ">; rel=\"%s\"", rel);
    }
  return g_string_free (link, FALSE);
}

/* ------------------------------------------------------------------ */
/* Streaming */

static void
stream_free (gpointer data)
{
  Stream *stream = data;

  g_signal_handlers_disconnect_by_data (stream->conn, stream);
  if (soup_websocket_connection_get_state (stream->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (stream->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_clear_object (&stream->conn);
  g_clear_object (&stream->socket);
  g_free (stream);
}

static void
stream_drop (Stream *stream)
{
  /* No close frame: the peer just sees the connection end. */
  if (stream->dropped)
    return;
  stream->dropped = TRUE;
  if (stream->socket != NULL)
    g_socket_shutdown (stream->socket, TRUE, TRUE, NULL);
}

static const char *
stream_name (guint bit)
{
  return bit == STREAM_USER ? "user" : "user:notification";
}

static void
stream_send (Stream     *stream,
             guint       bit,
             const char *event,
             const char *payload)
{
  SimJson j;
  g_autofree char *frame = NULL;

  if (stream->dropped || soup_websocket_connection_get_state (stream->conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;

  sim_json_init (&j, FALSE);
  sim_json_begin_object (&j);
  sim_json_key (&j, "stream");
  sim_json_begin_array (&j);
  sim_json_string (&j, stream_name (bit));
  sim_json_end_array (&j);
  sim_json_kstr (&j, "event", event);
  sim_json_kstr (&j, "payload", payload);
  sim_json_end_object (&j);
  frame = sim_json_steal (&j, NULL);
  soup_websocket_connection_send_text (stream->conn, frame);

  if (stream->drop_after_first)
    stream_drop (stream);
}

static void
push_event_cb (SimEventKind kind,
               gint64       id,
               gint64       account_id,
               gpointer     user_data)
{
  CivicSimServer *self = user_data;

  if (self->streams->len == 0)
    return;

  if (kind == SIM_EVENT_NOTIFICATION)
    {
      SimNotification n = { 0 };
      g_autofree char *payload = NULL;

      for (guint i = 0; i < self->streams->len; i++)
        {
          Stream *stream = g_ptr_array_index (self->streams, i);

          if (stream->account_id != account_id)
            continue;
          if (payload == NULL)
            {
              SimJson j;

              if (!sim_world_get_notification (self->world, id, &n))
                return;
              json_init (self, &j);
              sim_write_notification (&j, self->world, &n, account_id);
              payload = sim_json_steal (&j, NULL);
            }
          if (stream->streams & STREAM_USER_NOTIFICATION)
            stream_send (stream, STREAM_USER_NOTIFICATION, "notification", payload);
          if (stream->streams & STREAM_USER)
            stream_send (stream, STREAM_USER, "notification", payload);
        }
    }
  else if (kind == SIM_EVENT_STATUS)
    {
      const SimAccount *author = sim_world_account (self->world, account_id);
      SimStatus status = { 0 };
      gboolean loaded = FALSE;

      for (guint i = 0; i < self->streams->len; i++)
        {
          Stream *stream = g_ptr_array_index (self->streams, i);
          g_autofree char *payload = NULL;
          SimJson j;

          if ((stream->streams & STREAM_USER) == 0)
            continue;
          /* The home timeline: one's own statuses and those of the
           * accounts one follows (the departments). */
          if (author == NULL || (!author->department && stream->account_id != account_id))
            continue;
          if (!loaded && !(loaded = sim_world_get_status (self->world, id, &status)))
            return;
          if (!sim_world_status_visible (self->world, &status, stream->account_id))
            continue;
          json_init (self, &j);
          sim_write_status (&j, self->world, &status, stream->account_id);
          payload = sim_json_steal (&j, NULL);
          stream_send (stream, STREAM_USER, "update", payload);
        }
      sim_status_clear (&status);
    }
  else if (kind == SIM_EVENT_DELETE)
    {
      char payload[32];

      g_snprintf (payload, sizeof payload, "%" G_GINT64_FORMAT, id);
      for (guint i = 0; i < self->streams->len; i++)
        {
          Stream *stream = g_ptr_array_index (self->streams, i);

          if (stream->streams & STREAM_USER)
            stream_send (stream, STREAM_USER, "delete", payload);
        }
    }
}

static void
stream_closed_cb (SoupWebsocketConnection *conn,
                  gpointer                 user_data)
{
  Stream *stream = user_data;

  g_ptr_array_remove (stream->server->streams, stream);
}

static guint
parse_stream (const char *name)
{
  if (g_strcmp0 (name, "user") == 0)
    return STREAM_USER;
  if (g_strcmp0 (name, "user:notification") == 0)
    return STREAM_USER_NOTIFICATION;
  return 0;
}

static void
stream_message_cb (SoupWebsocketConnection *conn,
                   gint                     type,
                   GBytes                  *message,
                   gpointer                 user_data)
{
  Stream *stream = user_data;
  g_autoptr(SimParams) params = sim_params_new ();
  gsize len = 0;
  const char *data = g_bytes_get_data (message, &len);
  const char *kind, *name;
  guint bit;

  /* {"type": "subscribe", "stream": "user:notification"} */
  if (!sim_params_parse_json (params, data, len, NULL))
    return;
  kind = sim_params_get (params, "type");
  name = sim_params_get (params, "stream");
  bit = parse_stream (name);
  if (bit == 0)
    {
      soup_websocket_connection_send_text (conn, "{\"error\":\"Unknown stream type\",\"status\":400}");
      return;
    }
  if (g_strcmp0 (kind, "subscribe") == 0)
    stream->streams |= bit;
  else if (g_strcmp0 (kind, "unsubscribe") == 0)
    stream->streams &= ~bit;
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  CivicSimServer *self = user_data;
  Stream *stream = g_new0 (Stream, 1);
  GSocket *socket = g_object_get_data (G_OBJECT (msg), "civic-sim-socket");

  stream->server = self;
  stream->conn = g_object_ref (conn);
  stream->socket = socket != NULL ? g_object_ref (socket) : NULL;
  stream->account_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (msg), "civic-sim-account"));
  stream->streams = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (msg), "civic-sim-streams"));
  stream->drop_after_first = g_object_get_data (G_OBJECT (msg), "civic-sim-drop") != NULL;
  /* Mastodon's streaming server pings about every 30 seconds. */
  soup_websocket_connection_set_keepalive_interval (conn, 30);
  g_signal_connect (conn, "closed", G_CALLBACK (stream_closed_cb), stream);
  g_signal_connect (conn, "message", G_CALLBACK (stream_message_cb), stream);
  g_ptr_array_add (self->streams, stream);
}

/* ------------------------------------------------------------------ */
/* OAuth and apps */

static const char oob[] = "urn:ietf:wg:oauth:2.0:oob";

static char *
joined_param (Request    *r,
              const char *name,
              const char *separator)
{
  g_autoptr(GPtrArray) values = sim_params_get_all (r->params, name);

  if (values->len == 0)
    return NULL;
  g_ptr_array_add (values, NULL);
  return g_strjoinv (separator, (char **) values->pdata);
}

static void
handle_apps (Request *r)
{
  CivicSimServer *self = r->self;
  const char *name = sim_params_get (r->params, "client_name");
  g_autofree char *redirects = joined_param (r, "redirect_uris", " ");
  g_autofree char *scopes = NULL;
  const char *website = sim_params_get (r->params, "website");
  g_auto(GStrv) redirect_list = NULL;
  g_auto(GStrv) scope_list = NULL;
  SimApp *app;
  SimJson j;

  scopes = g_strdup (sim_params_get (r->params, "scopes"));
  if (scopes == NULL || *g_strstrip (scopes) == '\0')
    {
      g_free (scopes);
      scopes = g_strdup ("read");
    }
  if (name == NULL || *name == '\0')
    {
      reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                   "Validation failed: Application name can't be blank");
      return;
    }
  if (redirects == NULL || *redirects == '\0')
    {
      reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                   "Validation failed: Redirect URI can't be blank");
      return;
    }
  if (!scopes_valid (scopes))
    {
      reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Validation failed: Scopes is invalid");
      return;
    }
  if (website != NULL && *website == '\0')
    website = NULL;

  /* redirect_uris may come as one string with newlines or spaces. */
  {
    g_autofree char *flat = g_strdup (redirects);

    g_strdelimit (flat, "\r\n\t", ' ');
    redirect_list = g_strsplit (flat, " ", -1);
    g_free (redirects);
    redirects = NULL;
    {
      g_autoptr(GPtrArray) kept = g_ptr_array_new ();

      for (guint i = 0; redirect_list[i] != NULL; i++)
        if (*redirect_list[i] != '\0')
          g_ptr_array_add (kept, redirect_list[i]);
      g_ptr_array_add (kept, NULL);
      redirects = g_strjoinv (" ", (char **) kept->pdata);
    }
  }

  app = sim_world_add_app (self->world, name, website, redirects, scopes);
  scope_list = g_strsplit (scopes, " ", -1);
  g_strfreev (redirect_list);
  redirect_list = g_strsplit (redirects, " ", -1);

  json_init (self, &j);
  sim_json_begin_object (&j);
  sim_json_kid (&j, "id", app->id);
  sim_json_kstr (&j, "name", app->name);
  sim_json_kstr (&j, "website", app->website);
  sim_json_key (&j, "scopes");
  sim_json_begin_array (&j);
  for (guint i = 0; scope_list[i] != NULL; i++)
    if (*scope_list[i] != '\0')
      sim_json_string (&j, scope_list[i]);
  sim_json_end_array (&j);
  sim_json_kstr (&j, "redirect_uri", redirects);
  sim_json_key (&j, "redirect_uris");
  sim_json_begin_array (&j);
  for (guint i = 0; redirect_list[i] != NULL; i++)
    sim_json_string (&j, redirect_list[i]);
  sim_json_end_array (&j);
  sim_json_kstr (&j, "vapid_key", "BCivicSimHasNoWebPushButTheKeyHasTheUsualShapeOfOne"
                                  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  sim_json_kstr (&j, "client_id", app->client_id);
  sim_json_kstr (&j, "client_secret", app->client_secret);
  sim_json_kint (&j, "client_secret_expires_at", 0);
  sim_json_end_object (&j);
  reply_json (r, SOUP_STATUS_OK, &j);
}

static void
append_hidden (GString    *html,
               Request    *r,
               const char *name)
{
  const char *value = sim_params_get (r->params, name);

  if (value == NULL)
    return;
  g_string_append_printf (html, "<input type=\"hidden\" name=\"%s\" value=\"", name);
  sim_html_escape (html, value);
  g_string_append (html, "\">\n");
}

static void
authorize_page (Request    *r,
                const SimApp *app,
                const char *scopes,
                const char *error)
{
  g_autoptr(GString) html = g_string_new (NULL);

  g_string_append (html, "<!DOCTYPE html>\n<html lang=\"es\"><head><meta charset=\"utf-8\">"
                         "<title>Autorizar aplicación — Jun</title></head><body>\n"
                         "<h1>Autorizar aplicación</h1>\n<p><strong>");
  sim_html_escape (html, app->name);
  g_string_append (html, "</strong> quiere acceder a tu cuenta de Jun con estos permisos: <code>");
  sim_html_escape (html, scopes);
  g_string_append (html, "</code></p>\n");
  if (error != NULL)
    {
      g_string_append (html, "<p class=\"error\" role=\"alert\">");
      sim_html_escape (html, error);
      g_string_append (html, "</p>\n");
    }
  g_string_append (html, "<form method=\"post\" action=\"/oauth/authorize\">\n");
  append_hidden (html, r, "client_id");
  append_hidden (html, r, "redirect_uri");
  append_hidden (html, r, "response_type");
  append_hidden (html, r, "scope");
  append_hidden (html, r, "state");
  append_hidden (html, r, "code_challenge");
  append_hidden (html, r, "code_challenge_method");
  g_string_append (html,
                   "<label>Usuario o correo <input name=\"username\" autocomplete=\"username\"></label>\n"
                   "<label>Contraseña <input name=\"password\" type=\"password\" "
                   "autocomplete=\"current-password\"></label>\n"
                   "<button type=\"submit\">Autorizar</button>\n</form>\n</body></html>\n");
  reply_html (r, SOUP_STATUS_OK, html->str);
}

static void
handle_authorize (Request *r)
{
  CivicSimServer *self = r->self;
  const SimApp *app = sim_world_app_by_client (self->world, sim_params_get (r->params, "client_id"));
  const char *redirect_uri = sim_params_get (r->params, "redirect_uri");
  const char *response_type = sim_params_get (r->params, "response_type");
  const char *challenge = sim_params_get (r->params, "code_challenge");
  const char *method = sim_params_get (r->params, "code_challenge_method");
  const char *state = sim_params_get (r->params, "state");
  g_autofree char *scopes = joined_param (r, "scope", " ");
  g_auto(GStrv) allowed = NULL;
  const SimAccount *account;
  const char *login, *password;

  if (app == NULL)
    {
      reply_html (r, SOUP_STATUS_UNAUTHORIZED,
                  "<!DOCTYPE html><html lang=\"es\"><body><h1>Error</h1><p>Aplicación desconocida "
                  "(invalid_client).</p></body></html>\n");
      return;
    }
  if (scopes == NULL || *scopes == '\0')
    {
      g_free (scopes);
      scopes = g_strdup ("read");
    }
  g_strdelimit (scopes, "+", ' ');
  allowed = g_strsplit (app->redirect_uris, " ", -1);
  if (redirect_uri == NULL || !g_strv_contains ((const char * const *) allowed, redirect_uri))
    {
      reply_html (r, SOUP_STATUS_BAD_REQUEST,
                  "<!DOCTYPE html><html lang=\"es\"><body><h1>Error</h1><p>La URI de redirección no "
                  "coincide con la registrada (invalid_redirect_uri).</p></body></html>\n");
      return;
    }
  if (g_strcmp0 (response_type, "code") != 0)
    {
      reply_html (r, SOUP_STATUS_BAD_REQUEST,
                  "<!DOCTYPE html><html lang=\"es\"><body><h1>Error</h1><p>response_type debe ser "
                  "“code” (unsupported_response_type).</p></body></html>\n");
      return;
    }
  if (!scopes_subset (scopes, app->scopes))
    {
      reply_html (r, SOUP_STATUS_BAD_REQUEST,
                  "<!DOCTYPE html><html lang=\"es\"><body><h1>Error</h1><p>Permisos no registrados "
                  "para esta aplicación (invalid_scope).</p></body></html>\n");
      return;
    }
  /* Mastodon accepts PKCE with S256 only. */
  if ((challenge != NULL || method != NULL) && g_strcmp0 (method, "S256") != 0)
    {
      reply_html (r, SOUP_STATUS_BAD_REQUEST,
                  "<!DOCTYPE html><html lang=\"es\"><body><h1>Error</h1><p>code_challenge_method "
                  "debe ser S256 (invalid_request).</p></body></html>\n");
      return;
    }
  if (method != NULL && (challenge == NULL || strlen (challenge) < 43))
    {
      reply_html (r, SOUP_STATUS_BAD_REQUEST,
                  "<!DOCTYPE html><html lang=\"es\"><body><h1>Error</h1><p>Falta code_challenge "
                  "(invalid_request).</p></body></html>\n");
      return;
    }

  if (!g_str_equal (r->method, "POST"))
    {
      authorize_page (r, app, scopes, NULL);
      return;
    }

  login = sim_params_get (r->params, "username");
  password = sim_params_get (r->params, "password");
  account = login != NULL ? sim_world_account_by_login (self->world, login) : NULL;
  if (account == NULL || g_strcmp0 (password, self->password) != 0)
    {
      authorize_page (r, app, scopes, "Usuario o contraseña incorrectos.");
      return;
    }

  {
    sqlite3_stmt *stmt;
    g_autofree char *code = NULL;
    g_autofree char *sum = NULL;
    g_autofree char *raw = g_strdup_printf ("%s:%" G_GINT64_FORMAT ":%u", app->client_id,
                                            g_get_real_time (), g_random_int ());

    sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, raw, -1);
    code = g_strndup (sum, 43);
    stmt = sim_world_prepare (self->world,
                              "INSERT INTO auth_codes (code, app_id, account_id, scopes, redirect_uri,"
                              " challenge, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, app->id);
    sqlite3_bind_int64 (stmt, 3, account->id);
    sqlite3_bind_text (stmt, 4, scopes, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 5, redirect_uri, -1, SQLITE_TRANSIENT);
    if (challenge != NULL)
      sqlite3_bind_text (stmt, 6, challenge, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 7, g_get_real_time () / G_USEC_PER_SEC);
    sqlite3_step (stmt);
    sqlite3_reset (stmt);

    r->status = SOUP_STATUS_FOUND;
    if (g_str_equal (redirect_uri, oob))
      r->location = g_strdup_printf ("%s/oauth/authorize/native?code=%s", r->host_url, code);
    else
      {
        g_autofree char *escaped_state = state != NULL ? g_uri_escape_string (state, NULL, FALSE) : NULL;

        r->location = g_strdup_printf ("%s%scode=%s%s%s", redirect_uri,
                                       strchr (redirect_uri, '?') != NULL ? "&" : "?", code,
                                       state != NULL ? "&state=" : "",
                                       state != NULL ? escaped_state : "");
      }
    reply_html (r, SOUP_STATUS_FOUND, "<!DOCTYPE html><html><body>Redirigiendo…</body></html>\n");
  }
}

static void
handle_authorize_native (Request *r)
{
  const char *code = sim_params_get (r->params, "code");
  g_autoptr(GString) html = g_string_new (NULL);

  g_string_append (html, "<!DOCTYPE html>\n<html lang=\"es\"><head><meta charset=\"utf-8\">"
                         "<title>Código de autorización — Jun</title></head><body>\n"
                         "<h1>Código de autorización</h1>\n"
                         "<p>Copia este código y pégalo en la aplicación:</p>\n"
                         "<p><code id=\"authorization-code\">");
  sim_html_escape (html, code != NULL ? code : "");
  g_string_append (html, "</code></p>\n<input class=\"oauth-code\" readonly type=\"text\" value=\"");
  sim_html_escape (html, code != NULL ? code : "");
  g_string_append (html, "\">\n</body></html>\n");
  reply_html (r, SOUP_STATUS_OK, html->str);
}

static const SimApp *
client_auth (Request *r)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (r->msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  const char *client_id = sim_params_get (r->params, "client_id");
  const char *client_secret = sim_params_get (r->params, "client_secret");
  g_autofree char *basic = NULL;
  const SimApp *app;

  /* RFC 6749 allows HTTP Basic for the client's credentials too. */
  if (auth != NULL && g_ascii_strncasecmp (auth, "Basic ", 6) == 0)
    {
      gsize len = 0;
      g_autofree guchar *decoded = g_base64_decode (auth + 6, &len);
      char *colon;

      basic = g_strndup ((char *) decoded, len);
      colon = strchr (basic, ':');
      if (colon != NULL)
        {
          *colon = '\0';
          client_id = basic;
          client_secret = colon + 1;
        }
    }
  app = sim_world_app_by_client (r->self->world, client_id);
  if (app == NULL || g_strcmp0 (app->client_secret, client_secret) != 0)
    return NULL;
  return app;
}

static const char invalid_grant[] =
  "The provided authorization grant is invalid, expired, revoked, does not match the redirection "
  "URI used in the authorization request, or was issued to another client.";

static gboolean
pkce_matches (const char *challenge,
              const char *verifier)
{
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *b64 = NULL;
  char *p;

  if (verifier == NULL)
    return FALSE;
  g_checksum_update (sum, (const guchar *) verifier, -1);
  g_checksum_get_digest (sum, digest, &len);
  b64 = g_base64_encode (digest, len);
  for (p = b64; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        *p = '\0';
    }
  return g_str_equal (b64, challenge);
}

static void
reply_token (Request    *r,
             const char *token,
             const char *scopes,
             gint64      created_at)
{
  SimJson j;

  sim_json_init (&j, FALSE);
  sim_json_begin_object (&j);
  sim_json_kstr (&j, "access_token", token);
  sim_json_kstr (&j, "token_type", "Bearer");
  sim_json_kstr (&j, "scope", scopes);
  sim_json_kint (&j, "created_at", created_at);
  sim_json_end_object (&j);
  reply_json (r, SOUP_STATUS_OK, &j);
}

static void
handle_token (Request *r)
{
  CivicSimServer *self = r->self;
  const char *grant = sim_params_get (r->params, "grant_type");
  const SimApp *app = client_auth (r);
  g_autofree char *scopes = joined_param (r, "scope", " ");
  g_autofree char *token = NULL;
  gint64 created_at = 0;

  if (scopes != NULL)
    g_strdelimit (scopes, "+", ' ');
  if (app == NULL)
    {
      reply_oauth_error (r, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                         "Client authentication failed due to unknown client, no client "
                         "authentication included, or unsupported authentication method.");
      return;
    }

  if (g_strcmp0 (grant, "authorization_code") == 0)
    {
      const char *code = sim_params_get (r->params, "code");
      const char *redirect_uri = sim_params_get (r->params, "redirect_uri");
      sqlite3_stmt *stmt;
      gint64 account_id = 0, app_id = 0, issued = 0;
      g_autofree char *code_scopes = NULL;
      g_autofree char *code_redirect = NULL;
      g_autofree char *challenge = NULL;
      gboolean used = TRUE;

      stmt = sim_world_prepare (self->world,
                                "SELECT app_id, account_id, scopes, redirect_uri, challenge,"
                                " created_at, used FROM auth_codes WHERE code = ?1");
      sqlite3_bind_text (stmt, 1, code != NULL ? code : "", -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          app_id = sqlite3_column_int64 (stmt, 0);
          account_id = sqlite3_column_int64 (stmt, 1);
          code_scopes = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          code_redirect = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          challenge = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
          issued = sqlite3_column_int64 (stmt, 5);
          used = sqlite3_column_int (stmt, 6);
        }
      sqlite3_reset (stmt);

      if (app_id != app->id || used || g_strcmp0 (redirect_uri, code_redirect) != 0 ||
          g_get_real_time () / G_USEC_PER_SEC - issued > 600)
        {
          reply_oauth_error (r, SOUP_STATUS_BAD_REQUEST, "invalid_grant", invalid_grant);
          return;
        }
      if (challenge != NULL && !pkce_matches (challenge, sim_params_get (r->params, "code_verifier")))
        {
          reply_oauth_error (r, SOUP_STATUS_BAD_REQUEST, "invalid_grant", invalid_grant);
          return;
        }
      stmt = sim_world_prepare (self->world, "UPDATE auth_codes SET used = 1 WHERE code = ?1");
      sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
      sqlite3_step (stmt);
      sqlite3_reset (stmt);

      token = sim_world_add_token (self->world, app->id, account_id, code_scopes, &created_at);
      reply_token (r, token, code_scopes, created_at);
    }
  else if (g_strcmp0 (grant, "password") == 0)
    {
      const char *login = sim_params_get (r->params, "username");
      const char *password = sim_params_get (r->params, "password");
      const SimAccount *account = login != NULL ? sim_world_account_by_login (self->world, login) : NULL;

      if (scopes == NULL || *scopes == '\0')
        {
          g_free (scopes);
          scopes = g_strdup ("read");
        }
      if (!scopes_subset (scopes, app->scopes))
        {
          reply_oauth_error (r, SOUP_STATUS_BAD_REQUEST, "invalid_scope",
                             "The requested scope is invalid, unknown, or malformed.");
          return;
        }
      if (account == NULL || g_strcmp0 (password, self->password) != 0)
        {
          reply_oauth_error (r, SOUP_STATUS_BAD_REQUEST, "invalid_grant", invalid_grant);
          return;
        }
      token = sim_world_add_token (self->world, app->id, account->id, scopes, &created_at);
      reply_token (r, token, scopes, created_at);
    }
  else if (g_strcmp0 (grant, "client_credentials") == 0)
    {
      if (scopes == NULL || *scopes == '\0')
        {
          g_free (scopes);
          scopes = g_strdup ("read");
        }
      if (!scopes_subset (scopes, app->scopes))
        {
          reply_oauth_error (r, SOUP_STATUS_BAD_REQUEST, "invalid_scope",
                             "The requested scope is invalid, unknown, or malformed.");
          return;
        }
      token = sim_world_add_token (self->world, app->id, 0, scopes, &created_at);
      reply_token (r, token, scopes, created_at);
    }
  else
    reply_oauth_error (r, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type",
                       "The authorization grant type is not supported by the authorization server.");
}

static void
handle_revoke (Request *r)
{
  const SimApp *app = client_auth (r);
  const char *token = sim_params_get (r->params, "token");

  if (app == NULL)
    {
      reply_oauth_error (r, SOUP_STATUS_FORBIDDEN, "unauthorized_client",
                         "You are not authorized to revoke this token");
      return;
    }
  if (token != NULL)
    sim_world_revoke_token (r->self->world, token, app->id);
  reply_empty_object (r);
}

/* ------------------------------------------------------------------ */
/* Accounts and instance */

static void
reply_account (Request          *r,
               const SimAccount *account,
               gboolean          credentials)
{
  SimJson j;

  json_init (r->self, &j);
  sim_write_account (&j, r->self->world, account, credentials);
  reply_json (r, SOUP_STATUS_OK, &j);
}

static void
handle_instance (Request *r,
                 int      version)
{
  CivicSimServer *self = r->self;
  SimJson j;

  if (version == 2 && (self->quirks & QUIRK_NO_V2_INSTANCE))
    {
      reply_error (r, SOUP_STATUS_NOT_FOUND, "Record not found");
      return;
    }
  json_init (self, &j);
  sim_write_instance (&j, self->world, version, (self->quirks & QUIRK_NO_STREAMING) == 0);
  reply_json (r, SOUP_STATUS_OK, &j);
}

/* ------------------------------------------------------------------ */
/* Notifications */

static gboolean
type_mask (Request *r,
           guint64 *mask)
{
  g_autoptr(GPtrArray) types = sim_params_get_all (r->params, "types");
  g_autoptr(GPtrArray) excluded = sim_params_get_all (r->params, "exclude_types");

  *mask = types->len > 0 ? 0 : G_MAXUINT64;
  /* Unknown types are ignored, as Mastodon does. */
  for (guint i = 0; i < types->len; i++)
    {
      int t = sim_notification_type_from_string (g_ptr_array_index (types, i));

      if (t >= 0)
        *mask |= G_GUINT64_CONSTANT (1) << t;
    }
  for (guint i = 0; i < excluded->len; i++)
    {
      int t = sim_notification_type_from_string (g_ptr_array_index (excluded, i));

      if (t >= 0)
        *mask &= ~(G_GUINT64_CONSTANT (1) << t);
    }
  return TRUE;
}

static void
handle_notifications (Request *r)
{
  CivicSimServer *self = r->self;
  static const char * const carry[] = { "account_id", "exclude_types", "include_filtered",
                                        "limit", "types", NULL };
  gint64 max_id, since_id, min_id, from_id;
  guint limit;
  guint64 mask;
  sqlite3_stmt *stmt;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean ascending;
  SimJson j;

  if (!require_user (r, "read", "read:notifications"))
    return;
  if (!parse_id_param (r, "max_id", &max_id) || !parse_id_param (r, "since_id", &since_id) ||
      !parse_id_param (r, "min_id", &min_id) || !parse_id_param (r, "account_id", &from_id) ||
      !parse_limit (r, &limit) || !type_mask (r, &mask))
    return;
  if (self->quirks & QUIRK_IGNORE_SINCE_ID)
    since_id = 0;

  /* min_id: the page right after min_id (oldest first in the query, shown
   * newest first); otherwise the newest page below max_id above since_id. */
  ascending = min_id > 0;
  if (ascending)
    stmt = sim_world_prepare (self->world,
                              "SELECT id FROM notifications WHERE account_id = ?1 AND dismissed = 0"
                              " AND (filtered = 0 OR ?2) AND ((1 << type) & ?3) != 0"
                              " AND id < ?4 AND id > ?5 AND (?6 = 0 OR from_account_id = ?6)"
                              " ORDER BY id ASC LIMIT ?7");
  else
    stmt = sim_world_prepare (self->world,
                              "SELECT id FROM notifications WHERE account_id = ?1 AND dismissed = 0"
                              " AND (filtered = 0 OR ?2) AND ((1 << type) & ?3) != 0"
                              " AND id < ?4 AND id > ?5 AND (?6 = 0 OR from_account_id = ?6)"
                              " ORDER BY id DESC LIMIT ?7");
  sqlite3_bind_int64 (stmt, 1, r->account->id);
  sqlite3_bind_int (stmt, 2, param_true (r, "include_filtered"));
  sqlite3_bind_int64 (stmt, 3, (gint64) (mask & 0x3fffffff));
  sqlite3_bind_int64 (stmt, 4, max_id > 0 ? max_id : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 5, ascending ? min_id : since_id);
  sqlite3_bind_int64 (stmt, 6, from_id);
  sqlite3_bind_int (stmt, 7, limit);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (ascending)
        g_array_prepend_val (ids, id);
      else
        g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  json_init (self, &j);
  sim_json_begin_array (&j);
  for (guint i = 0; i < ids->len; i++)
    {
      SimNotification n = { 0 };

      if (sim_world_get_notification (self->world, g_array_index (ids, gint64, i), &n))
        sim_write_notification (&j, self->world, &n, r->account->id);
    }
  sim_json_end_array (&j);
  reply_json (r, SOUP_STATUS_OK, &j);

  if (ids->len > 0)
    r->link = link_header (r, "/api/v1/notifications", carry, g_array_index (ids, gint64, 0),
                           g_array_index (ids, gint64, ids->len - 1));
}

static void
handle_notification (Request    *r,
                     gint64      id,
                     const char *action)
{
  CivicSimServer *self = r->self;
  SimNotification n = { 0 };

  if (action == NULL)
    {
      if (!require_user (r, "read", "read:notifications"))
        return;
    }
  else if (!require_user (r, "write", "write:notifications"))
    return;

  if (!sim_world_get_notification (self->world, id, &n) || n.account_id != r->account->id)
    {
      reply_error (r, SOUP_STATUS_NOT_FOUND, "Record not found");
      return;
    }
  if (action == NULL)
    {
      SimJson j;

      json_init (self, &j);
      sim_write_notification (&j, self->world, &n, r->account->id);
      reply_json (r, SOUP_STATUS_OK, &j);
    }
  else
    {
      sqlite3_stmt *stmt = sim_world_prepare (self->world,
                                              "UPDATE notifications SET dismissed = 1 WHERE id = ?1");

      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_step (stmt);
      sqlite3_reset (stmt);
      reply_empty_object (r);
    }
}

static void
handle_notifications_clear (Request *r)
{
  sqlite3_stmt *stmt;

  if (!require_user (r, "write", "write:notifications"))
    return;
  stmt = sim_world_prepare (r->self->world,
                            "UPDATE notifications SET dismissed = 1 WHERE account_id = ?1");
  sqlite3_bind_int64 (stmt, 1, r->account->id);
  sqlite3_step (stmt);
  sqlite3_reset (stmt);
  reply_empty_object (r);
}

static void
handle_unread_count (Request *r)
{
  sqlite3_stmt *stmt;
  gint64 count = 0;
  SimJson j;

  if (!require_user (r, "read", "read:notifications"))
    return;
  stmt = sim_world_prepare (r->self->world,
                            "SELECT COUNT(*) FROM (SELECT 1 FROM notifications n WHERE"
                            " n.account_id = ?1 AND n.dismissed = 0 AND n.filtered = 0 AND n.id >"
                            " COALESCE((SELECT CAST(last_read_id AS INTEGER) FROM markers WHERE"
                            " account_id = ?1 AND timeline = 'notifications'), 0) LIMIT 100)");
  sqlite3_bind_int64 (stmt, 1, r->account->id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  json_init (r->self, &j);
  sim_json_begin_object (&j);
  sim_json_kint (&j, "count", count);
  sim_json_end_object (&j);
  reply_json (r, SOUP_STATUS_OK, &j);
}

static const char * const policy_fields[] = {
  "for_not_following", "for_not_followers", "for_new_accounts", "for_private_mentions",
  "for_limited_accounts", "for_bots", NULL
};

static void
handle_policy (Request *r)
{
  CivicSimServer *self = r->self;
  sqlite3_stmt *stmt;
  SimJson j;
  gint64 requests = 0, pending = 0;

  if (g_str_equal (r->method, "GET"))
    {
      if (!require_user (r, "read", "read:notifications"))
        return;
    }
  else
    {
      if (!require_user (r, "write", "write:notifications"))
        return;
      for (guint i = 0; policy_fields[i] != NULL; i++)
        {
          const char *value = sim_params_get (r->params, policy_fields[i]);

          if (value == NULL)
            continue;
          if (!g_str_equal (value, "accept") && !g_str_equal (value, "filter") &&
              !g_str_equal (value, "drop"))
            {
              g_autofree char *message = g_strdup_printf ("Invalid %s: “%s” is not one of accept, "
                                                          "filter, drop", policy_fields[i], value);

              reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY, message);
              return;
            }
        }
      for (guint i = 0; policy_fields[i] != NULL; i++)
        {
          const char *value = sim_params_get (r->params, policy_fields[i]);
          static const char * const updates[] = {
            "UPDATE policies SET for_not_following = ?2 WHERE account_id = ?1",
            "UPDATE policies SET for_not_followers = ?2 WHERE account_id = ?1",
            "UPDATE policies SET for_new_accounts = ?2 WHERE account_id = ?1",
            "UPDATE policies SET for_private_mentions = ?2 WHERE account_id = ?1",
            "UPDATE policies SET for_limited_accounts = ?2 WHERE account_id = ?1",
            "UPDATE policies SET for_bots = ?2 WHERE account_id = ?1",
          };

          if (value == NULL)
            continue;
          stmt = sim_world_prepare (self->world, updates[i]);
          sqlite3_bind_int64 (stmt, 1, r->account->id);
          sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
          sqlite3_step (stmt);
          sqlite3_reset (stmt);
        }
    }

  stmt = sim_world_prepare (self->world,
                            "SELECT COUNT(DISTINCT from_account_id), COUNT(*) FROM notifications"
                            " WHERE account_id = ?1 AND filtered = 1 AND dismissed = 0");
  sqlite3_bind_int64 (stmt, 1, r->account->id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      requests = sqlite3_column_int64 (stmt, 0);
      pending = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);

  stmt = sim_world_prepare (self->world,
                            "SELECT for_not_following, for_not_followers, for_new_accounts,"
                            " for_private_mentions, for_limited_accounts, for_bots FROM policies"
                            " WHERE account_id = ?1");
  sqlite3_bind_int64 (stmt, 1, r->account->id);
  json_init (self, &j);
  sim_json_begin_object (&j);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    for (guint i = 0; policy_fields[i] != NULL; i++)
      sim_json_kstr (&j, policy_fields[i], (const char *) sqlite3_column_text (stmt, i));
  sqlite3_reset (stmt);
  sim_json_key (&j, "summary");
  sim_json_begin_object (&j);
  sim_json_kint (&j, "pending_requests_count", MIN (requests, 100));
  sim_json_kint (&j, "pending_notifications_count", pending);
  sim_json_end_object (&j);
  sim_json_end_object (&j);
  reply_json (r, SOUP_STATUS_OK, &j);
}

/* ------------------------------------------------------------------ */
/* Statuses */

static void
reply_status (Request         *r,
              const SimStatus *status)
{
  SimJson j;

  json_init (r->self, &j);
  sim_write_status (&j, r->self->world, status, viewer_id (r));
  reply_json (r, SOUP_STATUS_OK, &j);
}

static gboolean
load_visible_status (Request   *r,
                     gint64     id,
                     SimStatus *out)
{
  if (id <= 0 || !sim_world_get_status (r->self->world, id, out) ||
      !sim_world_status_visible (r->self->world, out, viewer_id (r)))
    {
      reply_error (r, SOUP_STATUS_NOT_FOUND, "Record not found");
      return FALSE;
    }
  return TRUE;
}

static void
handle_status_get (Request *r,
                   gint64   id)
{
  SimStatus status = { 0 };

  if (!allow_user (r, "read", "read:statuses"))
    return;
  if (load_visible_status (r, id, &status))
    reply_status (r, &status);
  sim_status_clear (&status);
}

static void
handle_statuses_multiple (Request *r)
{
  g_autoptr(GPtrArray) ids = sim_params_get_all (r->params, "id");
  SimJson j;

  if (!allow_user (r, "read", "read:statuses"))
    return;
  json_init (r->self, &j);
  sim_json_begin_array (&j);
  for (guint i = 0; i < ids->len && i < 20; i++)
    {
      SimStatus status = { 0 };

      if (sim_world_get_status (r->self->world, id_from_string (g_ptr_array_index (ids, i)), &status) &&
          sim_world_status_visible (r->self->world, &status, viewer_id (r)))
        sim_write_status (&j, r->self->world, &status, viewer_id (r));
      sim_status_clear (&status);
    }
  sim_json_end_array (&j);
  reply_json (r, SOUP_STATUS_OK, &j);
}

static void
collect_descendants (Request *r,
                     gint64   parent,
                     GArray  *out,
                     guint    depth)
{
  sqlite3_stmt *stmt;
  g_autoptr(GArray) children = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (depth > 256 || out->len > 4096)
    return;
  stmt = sim_world_prepare (r->self->world,
                            "SELECT id FROM statuses WHERE in_reply_to_id = ?1 AND deleted = 0"
                            " ORDER BY id");
  sqlite3_bind_int64 (stmt, 1, parent);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (children, id);
    }
  sqlite3_reset (stmt);
  /* Depth first, as Mastodon orders a thread. */
  for (guint i = 0; i < children->len; i++)
    {
      gint64 id = g_array_index (children, gint64, i);

      g_array_append_val (out, id);
      collect_descendants (r, id, out, depth + 1);
    }
}

static void
handle_context (Request *r,
                gint64   id)
{
  CivicSimServer *self = r->self;
  SimStatus status = { 0 };
  g_autoptr(GArray) ancestors = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) descendants = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 parent;
  SimJson j;

  if (!allow_user (r, "read", "read:statuses"))
    return;
  if (!load_visible_status (r, id, &status))
    {
      sim_status_clear (&status);
      return;
    }
  parent = status.in_reply_to_id;
  while (parent > 0 && ancestors->len < 4096)
    {
      SimStatus up = { 0 };

      if (!sim_world_get_status (self->world, parent, &up))
        break;
      g_array_prepend_val (ancestors, parent);
      parent = up.in_reply_to_id;
      sim_status_clear (&up);
    }
  collect_descendants (r, id, descendants, 0);
  sim_status_clear (&status);

  json_init (self, &j);
  sim_json_begin_object (&j);
  for (int part = 0; part < 2; part++)
    {
      GArray *list = part == 0 ? ancestors : descendants;

      sim_json_key (&j, part == 0 ? "ancestors" : "descendants");
      sim_json_begin_array (&j);
      for (guint i = 0; i < list->len; i++)
        {
          SimStatus s = { 0 };

          if (sim_world_get_status (self->world, g_array_index (list, gint64, i), &s) &&
              sim_world_status_visible (self->world, &s, viewer_id (r)))
            sim_write_status (&j, self->world, &s, viewer_id (r));
          sim_status_clear (&s);
        }
      sim_json_end_array (&j);
    }
  sim_json_end_object (&j);
  reply_json (r, SOUP_STATUS_OK, &j);
}

static gboolean
blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

static void
handle_status_post (Request *r)
{
  CivicSimServer *self = r->self;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (r->msg);
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");
  const char *text = sim_params_get (r->params, "status");
  const char *visibility_s = sim_params_get (r->params, "visibility");
  const char *language = sim_params_get (r->params, "language");
  const char *spoiler = sim_params_get (r->params, "spoiler_text");
  g_autoptr(GPtrArray) media_params = sim_params_get_all (r->params, "media_ids");
  g_autoptr(GArray) media_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *bucket = NULL;
  SimTextInfo info = { 0 };
  gint64 in_reply_to_id;
  int visibility = SIM_VIS_PUBLIC;
  SimPost post = { 0 };
  SimStatus status = { 0 };
  gint64 id;
  gint64 now = sim_world_now_ms (self->world);

  if (!require_user (r, "write", "write:statuses"))
    return;
  if (key != NULL && *key == '\0')
    key = NULL;
  if (self->quirks & QUIRK_IGNORE_IDEMPOTENCY)
    key = NULL;

  bucket = g_strdup_printf ("statuses:%" G_GINT64_FORMAT, r->account->id);

  /* The same key from the same account within an hour gives back the
   * first status, never a second one. */
  if (key != NULL)
    {
      sqlite3_stmt *stmt = sim_world_prepare (self->world,
                                              "SELECT status_id FROM idempotency WHERE account_id = ?1"
                                              " AND key = ?2 AND created_at > ?3");
      gint64 existing = 0;

      sqlite3_bind_int64 (stmt, 1, r->account->id);
      sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, now - IDEMPOTENCY_MS);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        existing = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (existing > 0 && sim_world_get_status (self->world, existing, &status))
        {
          bucket_hit (self, bucket, self->status_limit, self->status_period, FALSE, r);
          reply_status (r, &status);
          sim_status_clear (&status);
          return;
        }
    }

  if (!parse_id_param (r, "in_reply_to_id", &in_reply_to_id))
    return;
  if (visibility_s != NULL && *visibility_s != '\0')
    {
      visibility = sim_visibility_from_string (visibility_s);
      if (visibility < 0)
        {
          g_autofree char *message = g_strdup_printf ("'%s' is not a valid visibility", visibility_s);

          reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY, message);
          return;
        }
    }
  if (language != NULL && (*language == '\0' || strlen (language) > 3))
    language = NULL;

  for (guint i = 0; i < media_params->len; i++)
    {
      gint64 mid = id_from_string (g_ptr_array_index (media_params, i));
      SimMedia media = { 0 };

      if (i >= 4)
        {
          reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                       "Validation failed: You can't attach more than 4 files");
          return;
        }
      /* Media that is not one's own, or already attached, is ignored. */
      if (mid <= 0 || !sim_world_get_media (self->world, mid, &media) ||
          media.account_id != r->account->id || media.status_id > 0)
        {
          sim_media_clear (&media);
          continue;
        }
      if (media.ready_at > now)
        {
          sim_media_clear (&media);
          reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                       "Cannot attach files that have not finished processing. Try again in a moment!");
          return;
        }
      g_array_append_val (media_ids, mid);
      sim_media_clear (&media);
    }

  if (blank (text) && media_ids->len == 0)
    {
      reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Validation failed: Text can't be blank");
      return;
    }
  sim_render_text (text, self->world->base_url, self->world->domain, sim_world_lookup_cb,
                   self->world, NULL, &info);
  if (info.length + (spoiler != NULL ? g_utf8_strlen (spoiler, -1) : 0) > 500)
    {
      sim_text_info_clear (&info);
      reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                   "Validation failed: Text character limit of 500 exceeded");
      return;
    }
  sim_text_info_clear (&info);

  if (in_reply_to_id > 0)
    {
      SimStatus parent = { 0 };
      gboolean ok = sim_world_get_status (self->world, in_reply_to_id, &parent) &&
                    sim_world_status_visible (self->world, &parent, r->account->id);

      sim_status_clear (&parent);
      if (!ok)
        {
          reply_error (r, SOUP_STATUS_NOT_FOUND,
                       "The post you are trying to reply to does not appear to exist.");
          return;
        }
    }

  if (!bucket_hit (self, bucket, self->status_limit, self->status_period, TRUE, r))
    {
      reply_throttled (r);
      return;
    }

  post.account_id = r->account->id;
  post.text = text;
  post.in_reply_to_id = in_reply_to_id;
  post.visibility = visibility;
  post.spoiler_text = spoiler;
  post.sensitive = param_true (r, "sensitive");
  post.language = language != NULL ? language : "es";
  post.app_id = r->token.app_id;
  post.idempotency_key = key;
  post.via_api = TRUE;
  post.media_ids = media_ids;

  sim_world_begin (self->world);
  id = sim_world_post (self->world, &post, NULL);
  if (key != NULL)
    {
      sqlite3_stmt *stmt = sim_world_prepare (self->world,
                                              "INSERT OR REPLACE INTO idempotency (account_id, key,"
                                              " status_id, created_at) VALUES (?1, ?2, ?3, ?4)");

      sqlite3_bind_int64 (stmt, 1, r->account->id);
      sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, id);
      sqlite3_bind_int64 (stmt, 4, now);
      sqlite3_step (stmt);
      sqlite3_reset (stmt);
    }
  sim_world_commit (self->world);

  if (sim_world_get_status (self->world, id, &status))
    reply_status (r, &status);
  sim_status_clear (&status);
}

static void
handle_status_delete (Request *r,
                      gint64   id)
{
  CivicSimServer *self = r->self;
  SimStatus status = { 0 };
  SimJson j;
  sqlite3_stmt *stmt;

  if (!require_user (r, "write", "write:statuses"))
    return;
  if (!sim_world_get_status (self->world, id, &status) || status.account_id != r->account->id)
    {
      sim_status_clear (&status);
      reply_error (r, SOUP_STATUS_NOT_FOUND, "Record not found");
      return;
    }
  sim_world_begin (self->world);
  stmt = sim_world_prepare (self->world, "UPDATE statuses SET deleted = 1 WHERE id = ?1");
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_step (stmt);
  sqlite3_reset (stmt);
  stmt = sim_world_prepare (self->world, "UPDATE notifications SET dismissed = 1 WHERE status_id = ?1");
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sim_world_commit (self->world);
  push_event_cb (SIM_EVENT_DELETE, id, status.account_id, self);

  json_init (self, &j);
  sim_write_status_full (&j, self->world, &status, r->account->id, TRUE);
  reply_json (r, SOUP_STATUS_OK, &j);
  sim_status_clear (&status);
}

static void
handle_home (Request *r)
{
  CivicSimServer *self = r->self;
  static const char * const carry[] = { "limit", NULL };
  gint64 max_id, since_id, min_id;
  guint limit;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean ascending;
  sqlite3_stmt *stmt;
  SimJson j;

  if (!require_user (r, "read", "read:statuses"))
    return;
  if (!parse_id_param (r, "max_id", &max_id) || !parse_id_param (r, "since_id", &since_id) ||
      !parse_id_param (r, "min_id", &min_id) || !parse_limit (r, &limit))
    return;
  if (self->quirks & QUIRK_IGNORE_SINCE_ID)
    since_id = 0;
  limit = MIN (limit, 40);
  ascending = min_id > 0;

  if (ascending)
    stmt = sim_world_prepare (self->world,
                              "SELECT s.id FROM statuses s JOIN accounts a ON a.id = s.account_id"
                              " WHERE s.deleted = 0 AND (a.department = 1 OR s.account_id = ?1)"
                              " AND (s.visibility < 2 OR s.account_id = ?1 OR EXISTS (SELECT 1 FROM"
                              " status_mentions m WHERE m.status_id = s.id AND m.account_id = ?1))"
                              " AND s.id < ?2 AND s.id > ?3 ORDER BY s.id ASC LIMIT ?4");
  else
    stmt = sim_world_prepare (self->world,
                              "SELECT s.id FROM statuses s JOIN accounts a ON a.id = s.account_id"
                              " WHERE s.deleted = 0 AND (a.department = 1 OR s.account_id = ?1)"
                              " AND (s.visibility < 2 OR s.account_id = ?1 OR EXISTS (SELECT 1 FROM"
                              " status_mentions m WHERE m.status_id = s.id AND m.account_id = ?1))"
                              " AND s.id < ?2 AND s.id > ?3 ORDER BY s.id DESC LIMIT ?4");
  sqlite3_bind_int64 (stmt, 1, r->account->id);
  sqlite3_bind_int64 (stmt, 2, max_id > 0 ? max_id : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 3, ascending ? min_id : since_id);
  sqlite3_bind_int (stmt, 4, limit);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (ascending)
        g_array_prepend_val (ids, id);
      else
        g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  json_init (self, &j);
  sim_json_begin_array (&j);
  for (guint i = 0; i < ids->len; i++)
    {
      SimStatus s = { 0 };

      if (sim_world_get_status (self->world, g_array_index (ids, gint64, i), &s))
        sim_write_status (&j, self->world, &s, r->account->id);
      sim_status_clear (&s);
    }
  sim_json_end_array (&j);
  reply_json (r, SOUP_STATUS_OK, &j);
  if (ids->len > 0)
    r->link = link_header (r, "/api/v1/timelines/home", carry, g_array_index (ids, gint64, 0),
                           g_array_index (ids, gint64, ids->len - 1));
}

/* GET /api/v1/accounts/:id/statuses: an account's own statuses, newest
 * first, as far as the requester may see them. */
static void
handle_account_statuses (Request *r,
                         gint64   account_id)
{
  CivicSimServer *self = r->self;
  static const char * const carry[] = { "limit", "exclude_replies", "exclude_reblogs", NULL };
  g_autofree char *path = g_strdup_printf ("/api/v1/accounts/%" G_GINT64_FORMAT "/statuses", account_id);
  gint64 max_id, since_id, min_id;
  guint limit;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean ascending, exclude_replies;
  sqlite3_stmt *stmt;
  SimJson j;

  if (!require_user (r, "read", "read:statuses"))
    return;
  if (sim_world_account (self->world, account_id) == NULL)
    {
      reply_error (r, SOUP_STATUS_NOT_FOUND, "Record not found");
      return;
    }
  if (!parse_id_param (r, "max_id", &max_id) || !parse_id_param (r, "since_id", &since_id) ||
      !parse_id_param (r, "min_id", &min_id) || !parse_limit (r, &limit))
    return;
  if (self->quirks & QUIRK_IGNORE_SINCE_ID)
    since_id = 0;
  limit = MIN (limit, 40);
  ascending = min_id > 0;
  exclude_replies = param_true (r, "exclude_replies");

  if (ascending)
    stmt = sim_world_prepare (self->world,
                              "SELECT s.id FROM statuses s WHERE s.deleted = 0 AND s.account_id = ?5"
                              " AND (s.visibility < 2 OR s.account_id = ?1 OR EXISTS (SELECT 1 FROM"
                              " status_mentions m WHERE m.status_id = s.id AND m.account_id = ?1))"
                              " AND (?6 = 0 OR s.in_reply_to_id IS NULL)"
                              " AND s.id < ?2 AND s.id > ?3 ORDER BY s.id ASC LIMIT ?4");
  else
    stmt = sim_world_prepare (self->world,
                              "SELECT s.id FROM statuses s WHERE s.deleted = 0 AND s.account_id = ?5"
                              " AND (s.visibility < 2 OR s.account_id = ?1 OR EXISTS (SELECT 1 FROM"
                              " status_mentions m WHERE m.status_id = s.id AND m.account_id = ?1))"
                              " AND (?6 = 0 OR s.in_reply_to_id IS NULL)"
                              " AND s.id < ?2 AND s.id > ?3 ORDER BY s.id DESC LIMIT ?4");
  sqlite3_bind_int64 (stmt, 1, r->account->id);
  sqlite3_bind_int64 (stmt, 2, max_id > 0 ? max_id : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 3, ascending ? min_id : since_id);
  sqlite3_bind_int (stmt, 4, limit);
  sqlite3_bind_int64 (stmt, 5, account_id);
  sqlite3_bind_int (stmt, 6, exclude_replies);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (ascending)
        g_array_prepend_val (ids, id);
      else
        g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  json_init (self, &j);
  sim_json_begin_array (&j);
  for (guint i = 0; i < ids->len; i++)
    {
      SimStatus s = { 0 };

      if (sim_world_get_status (self->world, g_array_index (ids, gint64, i), &s))
        sim_write_status (&j, self->world, &s, r->account->id);
      sim_status_clear (&s);
    }
  sim_json_end_array (&j);
  reply_json (r, SOUP_STATUS_OK, &j);
  if (ids->len > 0)
    r->link = link_header (r, path, carry, g_array_index (ids, gint64, 0),
                           g_array_index (ids, gint64, ids->len - 1));
}

/* ------------------------------------------------------------------ */
/* Media */

static void
handle_media_post (Request *r,
                   int      version)
{
  CivicSimServer *self = r->self;
  SimFile *file = sim_params_get_file (r->params, "file");
  const char *description = sim_params_get (r->params, "description");
  const char *focus = sim_params_get (r->params, "focus");
  g_autofree char *bucket = NULL;
  SimMedia media = { 0 };
  g_autofree char *mime = NULL;
  gsize size = 0;
  gboolean async;
  SimJson j;

  if (!require_user (r, "write", "write:media"))
    return;
  if (file == NULL)
    {
      reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Validation failed: File can't be blank");
      return;
    }
  mime = g_strdup (file->content_type);
  if (strchr (mime, ';') != NULL)
    *strchr (mime, ';') = '\0';
  g_strstrip (mime);
  {
    static const char * const accepted_prefixes[] = { "image/", "video/", "audio/", NULL };
    gboolean ok = FALSE;

    for (guint i = 0; accepted_prefixes[i] != NULL; i++)
      ok |= g_str_has_prefix (mime, accepted_prefixes[i]);
    if (!ok)
      {
        reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                     "Validation failed: File content type is invalid, File is invalid");
        return;
      }
  }
  if (description != NULL && g_utf8_strlen (description, -1) > 1500)
    {
      reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                   "Validation failed: Description is too long (maximum is 1500 characters)");
      return;
    }

  bucket = g_strdup_printf ("media:%" G_GINT64_FORMAT, r->account->id);
  if (!bucket_hit (self, bucket, 30, 1800, TRUE, r))
    {
      reply_throttled (r);
      return;
    }

  size = g_bytes_get_size (file->data);
  media.account_id = r->account->id;
  media.type = g_strdup (g_str_has_prefix (mime, "image/") ? "image" :
                         g_str_has_prefix (mime, "video/") ? "video" : "audio");
  media.mime = g_strdup (mime);
  media.scene = -1;
  media.description = g_strdup (description != NULL && *description ? description : NULL);
  if (focus != NULL)
    {
      char *end = NULL;

      media.focus_x = CLAMP (g_ascii_strtod (focus, &end), -1.0, 1.0);
      if (end != NULL && *end == ',')
        media.focus_y = CLAMP (g_ascii_strtod (end + 1, NULL), -1.0, 1.0);
    }
  sim_media_probe_size (file->data, &media.width, &media.height);
  media.created_at = sim_world_now_ms (self->world);
  /* Big files are processed in the background (v2 answers 202). */
  async = version == 2 && size > MEDIA_MAX_SYNC_BYTES;
  media.ready_at = async ? media.created_at + MEDIA_PROCESSING_MS : 0;
  media.id = sim_world_add_media (self->world, &media);

  {
    g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT ".bin", media.id);
    g_autofree char *path = g_build_filename (self->world->data_dir, "media", name, NULL);
    sqlite3_stmt *stmt;

    g_file_set_contents (path, g_bytes_get_data (file->data, NULL), size, NULL);
    stmt = sim_world_prepare (self->world, "UPDATE media SET file = ?2 WHERE id = ?1");
    sqlite3_bind_int64 (stmt, 1, media.id);
    sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_step (stmt);
    sqlite3_reset (stmt);
    media.file = g_steal_pointer (&name);
  }

  json_init (self, &j);
  sim_write_media (&j, self->world, &media, async);
  reply_json (r, async ? SOUP_STATUS_ACCEPTED : SOUP_STATUS_OK, &j);
  sim_media_clear (&media);
}

static void
handle_media_get (Request *r,
                  gint64   id)
{
  CivicSimServer *self = r->self;
  SimMedia media = { 0 };
  gboolean processing;
  SimJson j;

  if (!require_user (r, "write", "write:media"))
    return;
  if (!sim_world_get_media (self->world, id, &media) || media.account_id != r->account->id)
    {
      sim_media_clear (&media);
      reply_error (r, SOUP_STATUS_NOT_FOUND, "Record not found");
      return;
    }
  if (g_str_equal (r->method, "PUT"))
    {
      const char *description = sim_params_get (r->params, "description");
      sqlite3_stmt *stmt;

      if (description != NULL)
        {
          stmt = sim_world_prepare (self->world, "UPDATE media SET description = ?2 WHERE id = ?1");
          sqlite3_bind_int64 (stmt, 1, id);
          sqlite3_bind_text (stmt, 2, description, -1, SQLITE_TRANSIENT);
          sqlite3_step (stmt);
          sqlite3_reset (stmt);
          g_free (media.description);
          media.description = g_strdup (description);
        }
    }
  processing = media.ready_at > sim_world_now_ms (self->world);
  json_init (self, &j);
  sim_write_media (&j, self->world, &media, processing);
  /* 206 Partial Content while the file is still being processed. */
  reply_json (r, processing ? SOUP_STATUS_PARTIAL_CONTENT : SOUP_STATUS_OK, &j);
  sim_media_clear (&media);
}

/* ------------------------------------------------------------------ */
/* Markers */

static void
write_marker (SimJson      *j,
              sqlite3_stmt *stmt)
{
  sim_json_key (j, (const char *) sqlite3_column_text (stmt, 0));
  sim_json_begin_object (j);
  sim_json_kstr (j, "last_read_id", (const char *) sqlite3_column_text (stmt, 1));
  sim_json_kint (j, "version", sqlite3_column_int64 (stmt, 2));
  sim_json_ktime (j, "updated_at", sqlite3_column_int64 (stmt, 3));
  sim_json_end_object (j);
}

static void
handle_markers (Request *r)
{
  CivicSimServer *self = r->self;
  static const char * const timelines[] = { "home", "notifications", NULL };
  sqlite3_stmt *stmt;
  SimJson j;

  if (g_str_equal (r->method, "GET"))
    {
      g_autoptr(GPtrArray) wanted = sim_params_get_all (r->params, "timeline");

      if (!require_user (r, "read", "read:statuses"))
        return;
      json_init (self, &j);
      sim_json_begin_object (&j);
      for (guint i = 0; timelines[i] != NULL; i++)
        {
          gboolean asked = FALSE;

          for (guint k = 0; k < wanted->len; k++)
            asked |= g_str_equal (g_ptr_array_index (wanted, k), timelines[i]);
          if (!asked)
            continue;
          stmt = sim_world_prepare (self->world,
                                    "SELECT timeline, last_read_id, version, updated_at FROM markers"
                                    " WHERE account_id = ?1 AND timeline = ?2");
          sqlite3_bind_int64 (stmt, 1, r->account->id);
          sqlite3_bind_text (stmt, 2, timelines[i], -1, SQLITE_STATIC);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            write_marker (&j, stmt);
          sqlite3_reset (stmt);
        }
      sim_json_end_object (&j);
      reply_json (r, SOUP_STATUS_OK, &j);
      return;
    }

  if (!require_user (r, "write", "write:statuses"))
    return;

  /* A stale write — one that names a version other than the stored one —
   * is a conflict, as Mastodon's optimistic lock answers concurrent ones. */
  for (guint i = 0; timelines[i] != NULL; i++)
    {
      g_autofree char *version_key = g_strdup_printf ("%s[version]", timelines[i]);
      g_autofree char *id_key = g_strdup_printf ("%s[last_read_id]", timelines[i]);
      const char *version = sim_params_get (r->params, version_key);

      if (sim_params_get (r->params, id_key) == NULL || version == NULL)
        continue;
      stmt = sim_world_prepare (self->world,
                                "SELECT version FROM markers WHERE account_id = ?1 AND timeline = ?2");
      sqlite3_bind_int64 (stmt, 1, r->account->id);
      sqlite3_bind_text (stmt, 2, timelines[i], -1, SQLITE_STATIC);
      {
        gint64 current = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;

        sqlite3_reset (stmt);
        if (g_ascii_strtoll (version, NULL, 10) != current)
          {
            reply_error (r, SOUP_STATUS_CONFLICT, "Conflict during update, please try again");
            return;
          }
      }
    }

  json_init (self, &j);
  sim_json_begin_object (&j);
  for (guint i = 0; timelines[i] != NULL; i++)
    {
      g_autofree char *id_key = g_strdup_printf ("%s[last_read_id]", timelines[i]);
      const char *last_read = sim_params_get (r->params, id_key);

      if (last_read == NULL)
        continue;
      stmt = sim_world_prepare (self->world,
                                "INSERT INTO markers (account_id, timeline, last_read_id, version,"
                                " updated_at) VALUES (?1, ?2, ?3, 1, ?4) ON CONFLICT (account_id,"
                                " timeline) DO UPDATE SET last_read_id = ?3, version = version + 1,"
                                " updated_at = ?4");
      sqlite3_bind_int64 (stmt, 1, r->account->id);
      sqlite3_bind_text (stmt, 2, timelines[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, last_read, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, sim_world_now_ms (self->world));
      sqlite3_step (stmt);
      sqlite3_reset (stmt);

      stmt = sim_world_prepare (self->world,
                                "SELECT timeline, last_read_id, version, updated_at FROM markers"
                                " WHERE account_id = ?1 AND timeline = ?2");
      sqlite3_bind_int64 (stmt, 1, r->account->id);
      sqlite3_bind_text (stmt, 2, timelines[i], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        write_marker (&j, stmt);
      sqlite3_reset (stmt);
    }
  sim_json_end_object (&j);
  reply_json (r, SOUP_STATUS_OK, &j);
}

/* ------------------------------------------------------------------ */
/* Files: media, avatars, placeholders */

static gint64
id_from_split_path (const char *path,
                    const char *prefix)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *p = path + strlen (prefix);

  /* 117/020/565/966/271/181/original/hash.png */
  while (*p != '\0')
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p != '/')
        break;
      p++;
    }
  /* The loop also swallowed nothing of the style: styles are letters. */
  return g_ascii_strtoll (digits->str, NULL, 10);
}

static gboolean
handle_file (Request *r)
{
  CivicSimServer *self = r->self;
  GBytes *bytes = NULL;
  const char *type = "image/png";

  if (g_str_has_prefix (r->path, "/system/media_attachments/files/"))
    {
      gint64 id = id_from_split_path (r->path, "/system/media_attachments/files/");
      SimMedia media = { 0 };

      if (sim_world_get_media (self->world, id, &media))
        {
          if (media.file != NULL && strstr (r->path, "/small/") == NULL)
            {
              g_autofree char *path = g_build_filename (self->world->data_dir, "media", media.file, NULL);
              char *data = NULL;
              gsize len = 0;

              if (g_file_get_contents (path, &data, &len, NULL))
                bytes = g_bytes_new_take (data, len);
              if (bytes != NULL)
                {
                  gsize n = 0;
                  const char *d = g_bytes_get_data (bytes, &n);

                  r->status = SOUP_STATUS_OK;
                  g_free (r->body);
                  r->body = g_memdup2 (d, n);
                  r->body_len = n;
                  /* Interned: the media row is freed below. */
                  r->content_type = g_intern_string (media.mime);
                  g_bytes_unref (bytes);
                  sim_media_clear (&media);
                  return TRUE;
                }
            }
          else if (media.scene >= 0)
            bytes = sim_media_draw_png (media.scene, (guint) (media.id & 0xffffff),
                                        strstr (r->path, "/small/") != NULL ? 320 : media.width,
                                        strstr (r->path, "/small/") != NULL ? 240 : media.height,
                                        NULL);
          else
            bytes = sim_media_draw_png (SIM_SCENE_PLATE, (guint) media.id, 320, 240, media.type);
        }
      sim_media_clear (&media);
    }
  else if (g_str_has_prefix (r->path, "/system/accounts/avatars/"))
    {
      const SimAccount *account = sim_world_account (self->world,
                                                     id_from_split_path (r->path, "/system/accounts/avatars/"));

      if (account != NULL)
        {
          g_autofree char *initials = NULL;
          g_auto(GStrv) words = g_strsplit (account->display_name, " ", -1);
          GString *s = g_string_new (NULL);

          for (guint i = 0; words[i] != NULL && s->len < 8; i++)
            if (g_unichar_isupper (g_utf8_get_char (words[i])))
              g_string_append_unichar (s, g_utf8_get_char (words[i]));
          initials = g_string_free (s, FALSE);
          bytes = sim_media_draw_png (SIM_SCENE_AVATAR, account->hue, 120, 120, initials);
        }
    }
  else if (g_str_equal (r->path, "/headers/original/missing.png") ||
           g_str_equal (r->path, "/avatars/original/missing.png") ||
           g_str_equal (r->path, "/packs/media/images/preview.png"))
    bytes = sim_media_draw_png (SIM_SCENE_AVATAR, 200, 120, 120, "Jun");
  else
    return FALSE;

  if (bytes == NULL)
    {
      reply_error (r, SOUP_STATUS_NOT_FOUND, "Record not found");
      return TRUE;
    }
  {
    gsize n = 0;
    const char *d = g_bytes_get_data (bytes, &n);

    r->status = SOUP_STATUS_OK;
    g_free (r->body);
    r->body = g_memdup2 (d, n);
    r->body_len = n;
    r->content_type = type;
    g_bytes_unref (bytes);
  }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* The /_sim/ control API */

static const SimAccount *
pick_department (CivicSimServer *self)
{
  gint64 id;

  if (self->world->departments->len == 0)
    return NULL;
  id = g_array_index (self->world->departments, gint64,
                      g_rand_int_range (sim_gen_rand (self->gen), 0, self->world->departments->len));
  return sim_world_account (self->world, id);
}

static guint
department_index (const char *username)
{
  for (guint i = 0; i < sim_n_departments; i++)
    if (g_str_equal (sim_departments[i].username, username))
      return i;
  return G_MAXUINT;
}

static void
control_mention (Request *r)
{
  CivicSimServer *self = r->self;
  SimWorld *world = self->world;
  const char *from = sim_params_get (r->params, "from");
  const char *to = sim_params_get (r->params, "to");
  const char *text = sim_params_get (r->params, "text");
  const char *visibility_s = sim_params_get (r->params, "visibility");
  const char *lat_s = sim_params_get (r->params, "lat");
  const char *lon_s = sim_params_get (r->params, "lon");
  const SimAccount *author = NULL;
  const SimAccount *target = NULL;
  g_autoptr(GArray) notifications = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) media_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) full = g_string_new (NULL);
  SimMentionText generated = { 0 };
  gint64 in_reply_to_id;
  SimPost post = { 0 };
  SimStatus status = { 0 };
  int visibility;
  gint64 id;
  SimJson j;

  if (!parse_id_param (r, "in_reply_to_id", &in_reply_to_id))
    return;
  if (to != NULL && *to != '\0')
    {
      target = sim_world_account_by_name (world, to[0] == '@' ? to + 1 : to);
      if (target == NULL)
        {
          g_autofree char *message = g_strdup_printf ("Unknown account “%s” in “to”", to);

          reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY, message);
          return;
        }
    }
  else
    target = pick_department (self);
  if (target == NULL)
    {
      reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY, "No department account to mention");
      return;
    }

  if (from != NULL && *from != '\0')
    {
      author = sim_world_account_by_name (world, from[0] == '@' ? from + 1 : from);
      if (author == NULL)
        {
          g_autofree char *email = g_strdup_printf ("%s@vecinos.jun.example", from);

          sim_world_begin (world);
          author = sim_world_add_account (world, from, from, "", email, FALSE,
                                          sim_world_now_ms (world), g_str_hash (from) % 360);
          sim_world_commit (world);
        }
    }
  else if (world->citizens->len > 0)
    author = sim_world_account (world, g_array_index (world->citizens, gint64,
                                                      g_rand_int_range (sim_gen_rand (self->gen), 0,
                                                                        world->citizens->len)));
  if (author == NULL)
    {
      reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY, "No citizen account to post from");
      return;
    }

  if (visibility_s != NULL && *visibility_s != '\0')
    {
      visibility = sim_visibility_from_string (visibility_s);
      if (visibility < 0)
        {
          g_autofree char *message = g_strdup_printf ("'%s' is not a valid visibility", visibility_s);

          reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY, message);
          return;
        }
    }
  else
    visibility = g_str_equal (target->username, "salud") ? SIM_VIS_DIRECT : SIM_VIS_PUBLIC;

  if (text == NULL)
    {
      guint index = department_index (target->username);

      sim_gen_mention (self->gen, index, author->display_name,
                       lat_s == NULL && g_rand_int_range (sim_gen_rand (self->gen), 0, 100) < 92,
                       &generated);
      text = generated.text;
    }
  {
    g_autofree char *mention = g_strdup_printf ("@%s", target->username);

    if (strstr (text, mention) == NULL)
      g_string_append_printf (full, "%s ", mention);
  }
  g_string_append (full, text);
  if (lat_s != NULL && lon_s != NULL)
    {
      double lat = g_ascii_strtod (lat_s, NULL);
      double lon = g_ascii_strtod (lon_s, NULL);
      g_autofree char *place = NULL;

      if (!isfinite (lat) || !isfinite (lon) || fabs (lat) > 90 || fabs (lon) > 180)
        {
          sim_mention_text_clear (&generated);
          reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Invalid lat/lon");
          return;
        }
      place = sim_gen_place (self->gen, lat, lon);
      g_string_append_printf (full, "\n\n%s", place);
    }

  post.account_id = author->id;
  post.text = full->str;
  post.in_reply_to_id = in_reply_to_id;
  post.visibility = visibility;
  post.language = "es";
  post.media_ids = media_ids;

  sim_world_begin (world);
  if (generated.scene >= 0 && generated.text != NULL)
    {
      gint64 mid = sim_seed_add_photo (world, author->id, generated.scene, generated.alt,
                                       sim_world_now_ms (world));

      g_array_append_val (media_ids, mid);
    }
  id = sim_world_post (world, &post, notifications);
  sim_world_commit (world);
  sim_mention_text_clear (&generated);

  sim_world_get_status (world, id, &status);
  json_init (self, &j);
  sim_json_begin_object (&j);
  sim_json_key (&j, "status_id");
  {
    char buf[32];

    g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, id);
    sim_json_string (&j, buf);
  }
  sim_json_key (&j, "notification_ids");
  sim_json_begin_array (&j);
  for (guint i = 0; i < notifications->len; i++)
    {
      char buf[32];

      g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, g_array_index (notifications, gint64, i));
      sim_json_string (&j, buf);
    }
  sim_json_end_array (&j);
  sim_json_ktime (&j, "created_at", status.created_at);
  sim_json_end_object (&j);
  reply_json (r, SOUP_STATUS_OK, &j);
  sim_status_clear (&status);
}

static void
control_mentions (Request *r)
{
  CivicSimServer *self = r->self;
  const char *count_s = sim_params_get (r->params, "count");
  const char *to = sim_params_get (r->params, "to");
  gint64 count = count_s != NULL ? g_ascii_strtoll (count_s, NULL, 10) : 0;
  gint64 first = 0, last = 0;
  SimJson j;

  if (count <= 0 || count > 1000000)
    {
      reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY, "count must be a number from 1 to 1000000");
      return;
    }
  if (to != NULL && *to != '\0' && department_index (to) == G_MAXUINT)
    {
      g_autofree char *message = g_strdup_printf ("Unknown department “%s” in “to”", to);

      reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY, message);
      return;
    }

  sim_world_begin (self->world);
  for (gint64 i = 0; i < count; i++)
    {
      gint64 id = sim_seed_live_mention (self->world, self->gen, to != NULL && *to ? to : NULL, NULL);

      if (first == 0)
        first = id;
      last = id;
    }
  sim_world_commit (self->world);

  json_init (self, &j);
  sim_json_begin_object (&j);
  sim_json_kint (&j, "created", count);
  {
    char buf[32];

    g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, first);
    sim_json_kstr (&j, "first_status_id", buf);
    g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, last);
    sim_json_kstr (&j, "last_status_id", buf);
  }
  sim_json_end_object (&j);
  reply_json (r, SOUP_STATUS_OK, &j);
}

static void
control_statuses (Request *r)
{
  CivicSimServer *self = r->self;
  const char *username = sim_params_get (r->params, "account");
  const SimAccount *account = username != NULL ? sim_world_account_by_name (self->world, username) : NULL;
  sqlite3_stmt *stmt;
  SimJson j;

  if (account == NULL)
    {
      reply_error (r, SOUP_STATUS_NOT_FOUND, "Unknown account");
      return;
    }
  stmt = sim_world_prepare (self->world,
                            "SELECT id, in_reply_to_id, visibility, text, idempotency_key,"
                            " created_at, media_ids, language FROM statuses WHERE account_id = ?1 AND via_api = 1"
                            " ORDER BY id");
  sqlite3_bind_int64 (stmt, 1, account->id);
  sim_json_init (&j, FALSE);
  sim_json_begin_array (&j);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *media = (const char *) sqlite3_column_text (stmt, 6);
      char buf[32];

      sim_json_begin_object (&j);
      g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0));
      sim_json_kstr (&j, "id", buf);
      if (sqlite3_column_type (stmt, 1) == SQLITE_NULL)
        sim_json_knull (&j, "in_reply_to_id");
      else
        {
          g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 1));
          sim_json_kstr (&j, "in_reply_to_id", buf);
        }
      sim_json_kstr (&j, "visibility", sim_visibility_to_string (sqlite3_column_int (stmt, 2)));
      sim_json_kstr (&j, "text", (const char *) sqlite3_column_text (stmt, 3));
      sim_json_kstr (&j, "idempotency_key", (const char *) sqlite3_column_text (stmt, 4));
      sim_json_ktime (&j, "created_at", sqlite3_column_int64 (stmt, 5));
      if (sqlite3_column_type (stmt, 7) == SQLITE_NULL)
        sim_json_knull (&j, "language");
      else
        sim_json_kstr (&j, "language", (const char *) sqlite3_column_text (stmt, 7));
      sim_json_key (&j, "media_ids");
      sim_json_begin_array (&j);
      if (media != NULL)
        {
          g_auto(GStrv) ids = g_strsplit (media, ",", -1);

          for (guint i = 0; ids[i] != NULL; i++)
            sim_json_string (&j, ids[i]);
        }
      sim_json_end_array (&j);
      sim_json_end_object (&j);
    }
  sqlite3_reset (stmt);
  sim_json_end_array (&j);
  reply_json (r, SOUP_STATUS_OK, &j);
}

static gint64
scalar (SimWorld   *world,
        const char *sql)
{
  sqlite3_stmt *stmt = sim_world_prepare (world, sql);
  gint64 n = 0;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
control_stats (Request *r)
{
  CivicSimServer *self = r->self;
  sqlite3_stmt *stmt;
  SimJson j;

  sim_json_init (&j, FALSE);
  sim_json_begin_object (&j);
  sim_json_kint (&j, "statuses", scalar (self->world, "SELECT COUNT(*) FROM statuses WHERE deleted = 0"));
  sim_json_kint (&j, "mentions", scalar (self->world,
                                         "SELECT COUNT(*) FROM notifications WHERE type = 0"));
  sim_json_kint (&j, "notifications", scalar (self->world,
                                              "SELECT COUNT(*) FROM notifications WHERE dismissed = 0"));
  sim_json_kint (&j, "requests", self->requests);
  sim_json_kint (&j, "streams_open", self->streams->len);
  sim_json_key (&j, "posts_by_key");
  sim_json_begin_object (&j);
  stmt = sim_world_prepare (self->world,
                            "SELECT idempotency_key, COUNT(*) FROM statuses WHERE via_api = 1 AND"
                            " idempotency_key IS NOT NULL GROUP BY idempotency_key ORDER BY 1");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    sim_json_kint (&j, (const char *) sqlite3_column_text (stmt, 0), sqlite3_column_int64 (stmt, 1));
  sqlite3_reset (stmt);
  sim_json_end_object (&j);
  sim_json_end_object (&j);
  reply_json (r, SOUP_STATUS_OK, &j);
}

static char *
request_text_body (Request *r)
{
  SoupMessageBody *body = soup_server_message_get_request_body (r->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  return g_strndup (data, len);
}

static void
reply_quirks (Request *r)
{
  SimJson j;

  sim_json_init (&j, FALSE);
  sim_json_begin_object (&j);
  sim_json_key (&j, "quirks");
  sim_json_begin_array (&j);
  for (guint i = 0; quirk_names[i] != NULL; i++)
    if (r->self->quirks & (1u << i))
      sim_json_string (&j, quirk_names[i]);
  sim_json_end_array (&j);
  sim_json_end_object (&j);
  reply_json (r, SOUP_STATUS_OK, &j);
}

static void
handle_control (Request *r)
{
  CivicSimServer *self = r->self;
  GSocketAddress *remote = soup_server_message_get_remote_address (r->msg);
  GInetAddress *address = G_IS_INET_SOCKET_ADDRESS (remote)
                            ? g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote))
                            : NULL;
  const char *what = r->path + strlen ("/_sim/");

  if (address == NULL || !g_inet_address_get_is_loopback (address))
    {
      reply_error (r, SOUP_STATUS_FORBIDDEN, "The /_sim/ control API answers on loopback only");
      return;
    }

  if (g_str_equal (what, "mention") && g_str_equal (r->method, "POST"))
    control_mention (r);
  else if (g_str_equal (what, "mentions") && g_str_equal (r->method, "POST"))
    control_mentions (r);
  else if (g_str_equal (what, "faults"))
    {
      if (g_str_equal (r->method, "PUT") || g_str_equal (r->method, "POST"))
        {
          g_autofree char *spec = request_text_body (r);
          g_autoptr(GError) error = NULL;

          if (!civic_sim_server_set_faults (self, g_strstrip (spec), &error))
            {
              reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY, error->message);
              return;
            }
        }
      else if (g_str_equal (r->method, "DELETE"))
        civic_sim_server_set_faults (self, NULL, NULL);
      {
        SimJson j;

        sim_json_init (&j, FALSE);
        sim_faults_describe (self->faults, &j);
        reply_json (r, SOUP_STATUS_OK, &j);
      }
    }
  else if (g_str_equal (what, "quirks"))
    {
      if (g_str_equal (r->method, "PUT") || g_str_equal (r->method, "POST"))
        {
          g_autofree char *spec = request_text_body (r);
          g_autoptr(GError) error = NULL;

          if (!civic_sim_server_set_quirks (self, g_strstrip (spec), &error))
            {
              reply_error (r, SOUP_STATUS_UNPROCESSABLE_ENTITY, error->message);
              return;
            }
        }
      else if (g_str_equal (r->method, "DELETE"))
        civic_sim_server_set_quirks (self, "", NULL);
      reply_quirks (r);
    }
  else if (g_str_equal (what, "drop-streams") && g_str_equal (r->method, "POST"))
    {
      guint n = self->streams->len;
      SimJson j;

      for (guint i = 0; i < self->streams->len; i++)
        stream_drop (g_ptr_array_index (self->streams, i));
      sim_json_init (&j, FALSE);
      sim_json_begin_object (&j);
      sim_json_kint (&j, "dropped", n);
      sim_json_end_object (&j);
      reply_json (r, SOUP_STATUS_OK, &j);
    }
  else if (g_str_equal (what, "revoke") && g_str_equal (r->method, "POST"))
    {
      const char *token = sim_params_get (r->params, "token");
      gboolean revoked = token != NULL && sim_world_revoke_token (self->world, token, 0);
      SimJson j;

      sim_json_init (&j, FALSE);
      sim_json_begin_object (&j);
      sim_json_kbool (&j, "revoked", revoked);
      sim_json_end_object (&j);
      reply_json (r, revoked ? SOUP_STATUS_OK : SOUP_STATUS_NOT_FOUND, &j);
    }
  else if (g_str_equal (what, "statuses") && g_str_equal (r->method, "GET"))
    control_statuses (r);
  else if (g_str_equal (what, "stats") && g_str_equal (r->method, "GET"))
    control_stats (r);
  else
    reply_error (r, SOUP_STATUS_NOT_FOUND, "Unknown /_sim/ endpoint");
}

/* ------------------------------------------------------------------ */
/* Dispatch */

/* The fault endpoints a request belongs to, most specific first. */
static void
classify (const char  *method,
          const char  *path,
          const char **out)
{
  guint n = 0;

  if (g_str_has_prefix (path, "/api/v1/statuses"))
    {
      if (g_str_has_suffix (path, "/context"))
        out[n++] = "context";
      else if (g_str_equal (method, "POST") && g_str_equal (path, "/api/v1/statuses"))
        out[n++] = "post";
      out[n++] = "statuses";
    }
  else if (g_str_has_prefix (path, "/api/v1/notifications") ||
           g_str_has_prefix (path, "/api/v2/notifications"))
    out[n++] = "notifications";
  else if (g_str_has_prefix (path, "/api/v2/media") || g_str_has_prefix (path, "/api/v1/media"))
    out[n++] = "media";
  else if (g_str_has_prefix (path, "/api/v1/instance") || g_str_has_prefix (path, "/api/v2/instance"))
    out[n++] = "instance";
  else if (g_str_has_prefix (path, "/oauth/") || g_str_equal (path, "/api/v1/apps"))
    out[n++] = "oauth";
  else if (g_str_has_prefix (path, "/api/v1/accounts"))
    out[n++] = "accounts";
  else if (g_str_has_prefix (path, "/api/v1/markers"))
    out[n++] = "markers";
  else if (g_str_has_prefix (path, "/api/v1/timelines"))
    out[n++] = "timelines";
  else if (g_str_has_prefix (path, "/api/v1/streaming"))
    out[n++] = "streaming";
  out[n++] = "*";
  out[n] = NULL;
}

static void
reply_fault_status (Request  *r,
                    SimFault  fault)
{
  switch (fault)
    {
    case SIM_FAULT_500:
    case SIM_FAULT_500_AFTER:
      reply_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Internal server error");
      break;
    case SIM_FAULT_502:
      reply_html (r, SOUP_STATUS_BAD_GATEWAY,
                  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                  "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
                  "</body>\r\n</html>\r\n");
      break;
    case SIM_FAULT_503:
      reply_html (r, SOUP_STATUS_SERVICE_UNAVAILABLE,
                  "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n"
                  "<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n"
                  "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
      break;
    case SIM_FAULT_429:
      r->rate_shown = TRUE;
      r->rate_limit = r->self->req_limit;
      r->rate_remaining = 0;
      r->rate_reset_us = g_get_real_time () + 2 * G_USEC_PER_SEC;
      r->retry_after = 2;
      reply_error (r, STATUS_TOO_MANY_REQUESTS, "Too many requests");
      break;
    case SIM_FAULT_409:
      reply_error (r, SOUP_STATUS_CONFLICT, "Conflict during update, please try again");
      break;
    default:
      break;
    }
}

static void
hang (CivicSimServer    *self,
      SoupServerMessage *msg)
{
  /* Never answer: the client's timeout has to deal with it. */
  soup_server_message_pause (msg);
  g_ptr_array_add (self->hung, g_object_ref (msg));
}

static void
route (Request *r)
{
  const char *m = r->method;
  const char *p = r->path;
  gboolean get = g_str_equal (m, "GET");
  gboolean post = g_str_equal (m, "POST");

  if (post && g_str_equal (p, "/api/v1/apps"))
    handle_apps (r);
  else if ((get || post) && g_str_equal (p, "/oauth/authorize"))
    handle_authorize (r);
  else if (get && g_str_equal (p, "/oauth/authorize/native"))
    handle_authorize_native (r);
  else if (post && g_str_equal (p, "/oauth/token"))
    handle_token (r);
  else if (post && g_str_equal (p, "/oauth/revoke"))
    handle_revoke (r);
  else if (get && g_str_equal (p, "/api/v1/instance"))
    handle_instance (r, 1);
  else if (get && g_str_equal (p, "/api/v2/instance"))
    handle_instance (r, 2);
  else if (get && g_str_equal (p, "/api/v1/accounts/verify_credentials"))
    {
      if (require_user (r, "read", "read:accounts") ||
          (r->status == SOUP_STATUS_FORBIDDEN && has_scope (r->token.scopes, "profile") &&
           r->account != NULL))
        reply_account (r, r->account, TRUE);
    }
  else if (get && g_str_equal (p, "/api/v1/accounts/lookup"))
    {
      const char *acct = sim_params_get (r->params, "acct");
      const SimAccount *account = NULL;

      if (!allow_user (r, "read", "read:accounts"))
        return;
      if (acct != NULL)
        {
          g_autofree char *user = g_strdup (acct[0] == '@' ? acct + 1 : acct);
          char *at = strchr (user, '@');

          if (at == NULL || g_ascii_strcasecmp (at + 1, r->self->world->domain) == 0)
            {
              if (at != NULL)
                *at = '\0';
              account = sim_world_account_by_name (r->self->world, user);
            }
        }
      if (account != NULL)
        reply_account (r, account, FALSE);
      else
        reply_error (r, SOUP_STATUS_NOT_FOUND, "Record not found");
    }
  else if (get && g_str_has_prefix (p, "/api/v1/accounts/") && g_str_has_suffix (p, "/statuses") &&
           strchr (p + 17, '/') == p + strlen (p) - strlen ("/statuses"))
    {
      g_autofree char *segment = g_strndup (p + 17, strcspn (p + 17, "/"));

      handle_account_statuses (r, id_from_string (segment));
    }
  else if (get && g_str_has_prefix (p, "/api/v1/accounts/") && strchr (p + 17, '/') == NULL)
    {
      const SimAccount *account = sim_world_account (r->self->world, id_from_string (p + 17));

      if (!allow_user (r, "read", "read:accounts"))
        return;
      if (account != NULL)
        reply_account (r, account, FALSE);
      else
        reply_error (r, SOUP_STATUS_NOT_FOUND, "Record not found");
    }
  else if (get && g_str_equal (p, "/api/v1/notifications"))
    handle_notifications (r);
  else if (get && g_str_equal (p, "/api/v1/notifications/unread_count"))
    handle_unread_count (r);
  else if (post && g_str_equal (p, "/api/v1/notifications/clear"))
    handle_notifications_clear (r);
  else if (g_str_has_prefix (p, "/api/v1/notifications/"))
    {
      g_auto(GStrv) parts = g_strsplit (p + strlen ("/api/v1/notifications/"), "/", -1);
      gint64 id = id_from_string (parts[0]);

      if (get && parts[0] != NULL && parts[1] == NULL && id > 0)
        handle_notification (r, id, NULL);
      else if (post && parts[0] != NULL && g_strcmp0 (parts[1], "dismiss") == 0 && parts[2] == NULL)
        handle_notification (r, id, "dismiss");
      else
        reply_error (r, SOUP_STATUS_NOT_FOUND, "Record not found");
    }
  else if ((get || g_str_equal (m, "PATCH") || g_str_equal (m, "PUT")) &&
           g_str_equal (p, "/api/v2/notifications/policy"))
    handle_policy (r);
  else if (post && g_str_equal (p, "/api/v1/statuses"))
    handle_status_post (r);
  else if (get && g_str_equal (p, "/api/v1/statuses"))
    handle_statuses_multiple (r);
  else if (g_str_has_prefix (p, "/api/v1/statuses/"))
    {
      g_auto(GStrv) parts = g_strsplit (p + strlen ("/api/v1/statuses/"), "/", -1);
      gint64 id = id_from_string (parts[0]);

      if (get && parts[1] == NULL)
        handle_status_get (r, id);
      else if (g_str_equal (m, "DELETE") && parts[1] == NULL)
        handle_status_delete (r, id);
      else if (get && g_strcmp0 (parts[1], "context") == 0 && parts[2] == NULL)
        handle_context (r, id);
      else
        reply_error (r, SOUP_STATUS_NOT_FOUND, "Record not found");
    }
  else if (post && (g_str_equal (p, "/api/v2/media") || g_str_equal (p, "/api/v1/media")))
    handle_media_post (r, p[6] == '2' ? 2 : 1);
  else if ((get || g_str_equal (m, "PUT")) && g_str_has_prefix (p, "/api/v1/media/"))
    handle_media_get (r, id_from_string (p + strlen ("/api/v1/media/")));
  else if ((get || post) && g_str_equal (p, "/api/v1/markers"))
    handle_markers (r);
  else if (get && g_str_equal (p, "/api/v1/timelines/home"))
    handle_home (r);
  else
    reply_error (r, SOUP_STATUS_NOT_FOUND, "Record not found");
}

static void
parse_body (Request *r)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (r->msg);
  SoupMessageBody *body = soup_server_message_get_request_body (r->msg);
  g_autoptr(GBytes) bytes = NULL;
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  gsize len = 0;
  const char *data;

  if (body == NULL || body->length == 0)
    return;
  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);
  if (type == NULL || g_ascii_strcasecmp (type, "application/x-www-form-urlencoded") == 0)
    sim_params_parse_urlencoded (r->params, data, len);
  else if (g_ascii_strcasecmp (type, "application/json") == 0)
    sim_params_parse_json (r->params, data, len, NULL);
  else if (g_ascii_strncasecmp (type, "multipart/", 10) == 0)
    sim_params_parse_multipart (r->params, headers, bytes);
}

static void
request_init (Request           *r,
              CivicSimServer    *self,
              SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *host = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Host");
  const char *query = g_uri_get_query (uri);
  gsize len;

  memset (r, 0, sizeof *r);
  r->self = self;
  r->msg = msg;
  r->method = soup_server_message_get_method (msg);
  r->path = g_strdup (g_uri_get_path (uri));
  len = strlen (r->path);
  while (len > 1 && r->path[len - 1] == '/')
    r->path[--len] = '\0';
  r->params = sim_params_new ();
  if (query != NULL)
    sim_params_parse_urlencoded (r->params, query, -1);
  r->host_url = host != NULL ? g_strdup_printf ("http://%s", host) : g_strdup (self->base_url);
  r->status = SOUP_STATUS_NOT_FOUND;
  r->content_type = "application/json; charset=utf-8";
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  CivicSimServer *self = user_data;
  const char *endpoints[4];
  SimFault fault = SIM_FAULT_OK;
  Request r;

  request_init (&r, self, msg);
  parse_body (&r);

  if (g_str_has_prefix (r.path, "/_sim/"))
    {
      handle_control (&r);
      send_answer (&r);
      request_clear (&r);
      return;
    }
  if (!g_str_has_prefix (r.path, "/api/") && !g_str_has_prefix (r.path, "/oauth/") &&
      handle_file (&r))
    {
      send_answer (&r);
      request_clear (&r);
      return;
    }

  self->requests++;
  classify (r.method, r.path, endpoints);
  fault = sim_faults_next (self->faults, endpoints, self->fault_rand);
  switch (fault)
    {
    case SIM_FAULT_HANG:
      hang (self, msg);
      request_clear (&r);
      return;
    case SIM_FAULT_RESET:
    case SIM_FAULT_DROP:
      reset_connection (msg);
      request_clear (&r);
      return;
    case SIM_FAULT_500:
    case SIM_FAULT_502:
    case SIM_FAULT_503:
    case SIM_FAULT_429:
    case SIM_FAULT_409:
      reply_fault_status (&r, fault);
      send_answer (&r);
      request_clear (&r);
      return;
    default:
      break;
    }

  resolve_token (&r);
  {
    g_autofree char *key = r.token_ok ? g_strdup_printf ("token:%" G_GINT64_FORMAT, r.token.id)
                                      : g_strdup_printf ("ip:%s", soup_server_message_get_remote_host (msg));

    if (!bucket_hit (self, key, self->req_limit, self->req_period, TRUE, &r))
      {
        reply_throttled (&r);
        send_answer (&r);
        request_clear (&r);
        return;
      }
  }

  /* One transaction per request: reads see one state, and sqlite takes its
   * locks once instead of once per statement. */
  sim_world_begin (self->world);
  route (&r);
  sim_world_commit (self->world);

  switch (fault)
    {
    case SIM_FAULT_500_AFTER:
      reply_fault_status (&r, fault);
      break;
    case SIM_FAULT_RESET_AFTER:
      reset_connection (msg);
      request_clear (&r);
      return;
    case SIM_FAULT_TRUNCATE:
      send_truncated (&r);
      request_clear (&r);
      return;
    case SIM_FAULT_MALFORMED:
      if (r.body != NULL)
        {
          /* A 200 whose JSON breaks off and ends in garbage. */
          gsize keep = r.body_len * 3 / 5;
          g_autofree char *broken = g_strdup_printf ("%.*s,,\"<!-- upstream -->", (int) keep, r.body);

          g_free (r.body);
          r.body_len = strlen (broken);
          r.body = g_steal_pointer (&broken);
          r.status = SOUP_STATUS_OK;
          r.content_type = "application/json; charset=utf-8";
        }
      break;
    default:
      break;
    }

  send_answer (&r);
  request_clear (&r);
}

/* Decides on a WebSocket upgrade before libsoup completes it: faults,
 * quirks, the token and the stream name. */
static void
request_read_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  CivicSimServer *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *endpoints[] = { "streaming", "*", NULL };
  guint streams;
  SimFault fault;
  Request r;

  if (!g_str_has_prefix (g_uri_get_path (uri), "/api/v1/streaming"))
    return;

  request_init (&r, self, msg);
  self->requests++;
  fault = sim_faults_next (self->faults, endpoints, self->fault_rand);
  if (fault == SIM_FAULT_HANG)
    {
      hang (self, msg);
      request_clear (&r);
      return;
    }
  if (fault == SIM_FAULT_RESET || fault == SIM_FAULT_RESET_AFTER)
    {
      reset_connection (msg);
      request_clear (&r);
      return;
    }
  if (fault != SIM_FAULT_OK && fault != SIM_FAULT_DROP && fault != SIM_FAULT_TRUNCATE &&
      fault != SIM_FAULT_MALFORMED)
    {
      reply_fault_status (&r, fault);
      send_answer (&r);
      request_clear (&r);
      return;
    }

  if (self->quirks & QUIRK_NO_STREAMING)
    {
      reply_error (&r, SOUP_STATUS_NOT_FOUND, "Record not found");
      send_answer (&r);
      request_clear (&r);
      return;
    }

  resolve_token (&r);
  if (!r.token_ok || r.account == NULL)
    {
      reply_error (&r, SOUP_STATUS_UNAUTHORIZED,
                   r.token_given ? "Invalid access token" : "Missing access token");
      send_answer (&r);
      request_clear (&r);
      return;
    }
  /* Without a stream the client subscribes later by message. */
  streams = parse_stream (sim_params_get (r.params, "stream"));
  if (streams == 0 && sim_params_get (r.params, "stream") != NULL &&
      *sim_params_get (r.params, "stream") != '\0')
    {
      reply_error (&r, SOUP_STATUS_BAD_REQUEST, "Unknown stream type");
      send_answer (&r);
      request_clear (&r);
      return;
    }
  if (!has_scope (r.token.scopes, "read") &&
      !has_scope (r.token.scopes, streams == STREAM_USER_NOTIFICATION ? "read:notifications"
                                                                      : "read:statuses"))
    {
      reply_error (&r, SOUP_STATUS_UNAUTHORIZED, "Access token does not have the required scopes");
      send_answer (&r);
      request_clear (&r);
      return;
    }

  g_object_set_data (G_OBJECT (msg), "civic-sim-account", GSIZE_TO_POINTER (r.account->id));
  g_object_set_data (G_OBJECT (msg), "civic-sim-streams", GUINT_TO_POINTER (streams));
  g_object_set_data_full (G_OBJECT (msg), "civic-sim-socket",
                          g_object_ref (soup_server_message_get_socket (msg)), g_object_unref);
  if (fault == SIM_FAULT_DROP)
    g_object_set_data (G_OBJECT (msg), "civic-sim-drop", GINT_TO_POINTER (1));
  request_clear (&r);
}

/* ------------------------------------------------------------------ */
/* Live mode */

static gboolean
live_tick_cb (gpointer user_data)
{
  CivicSimServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  double elapsed = (now - self->live_last) / (double) G_USEC_PER_SEC;
  guint n;

  self->live_last = now;
  self->live_carry += elapsed * self->live_rate;
  n = (guint) MIN (self->live_carry, 100000.0);
  self->live_carry -= n;
  if (n == 0)
    return G_SOURCE_CONTINUE;

  sim_world_begin (self->world);
  for (guint i = 0; i < n; i++)
    sim_seed_live_mention (self->world, self->gen, NULL, NULL);
  sim_world_commit (self->world);
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------ */

static void
civic_sim_server_dispose (GObject *object)
{
  CivicSimServer *self = CIVIC_SIM_SERVER (object);

  g_clear_handle_id (&self->live_source, g_source_remove);
  if (self->streams != NULL)
    g_ptr_array_set_size (self->streams, 0);
  if (self->hung != NULL)
    g_ptr_array_set_size (self->hung, 0);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (civic_sim_server_parent_class)->dispose (object);
}

static void
civic_sim_server_finalize (GObject *object)
{
  CivicSimServer *self = CIVIC_SIM_SERVER (object);

  g_clear_pointer (&self->world, sim_world_free);
  g_clear_pointer (&self->gen, sim_gen_free);
  g_clear_pointer (&self->fault_rand, g_rand_free);
  g_clear_pointer (&self->faults, sim_faults_free);
  g_clear_pointer (&self->buckets, g_hash_table_unref);
  g_clear_pointer (&self->streams, g_ptr_array_unref);
  g_clear_pointer (&self->hung, g_ptr_array_unref);
  g_free (self->password);
  g_free (self->base_url);

  G_OBJECT_CLASS (civic_sim_server_parent_class)->finalize (object);
}

static void
civic_sim_server_class_init (CivicSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = civic_sim_server_dispose;
  object_class->finalize = civic_sim_server_finalize;
}

static void
civic_sim_server_init (CivicSimServer *self)
{
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->streams = g_ptr_array_new_with_free_func (stream_free);
  self->hung = g_ptr_array_new_with_free_func (g_object_unref);
  self->req_limit = 300;
  self->req_period = 300;
  self->status_limit = 300;
  self->status_period = 3 * 3600;
}

CivicSimServer *
civic_sim_server_new (SimWorld   *world,
                      guint64     seed,
                      const char *password)
{
  CivicSimServer *self = g_object_new (CIVIC_TYPE_SIM_SERVER, NULL);

  self->world = world;
  self->seed = seed;
  self->password = g_strdup (password);
  /* Live and control-API mentions vary between runs of the same seed only
   * by how many came before; the fault RNG is seeded too. */
  self->gen = sim_gen_new (seed * 7919 + 17);
  self->fault_rand = g_rand_new_with_seed ((guint32) (seed ^ 0x5eed));
  world->event_func = push_event_cb;
  world->event_data = self;
  self->server = soup_server_new ("server-header", "Mastodon", NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);
  soup_server_add_websocket_handler (self->server, "/api/v1/streaming", NULL, NULL,
                                     websocket_cb, self, NULL);
  g_signal_connect (self->server, "request-read", G_CALLBACK (request_read_cb), self);
  return self;
}

gboolean
civic_sim_server_listen (CivicSimServer  *self,
                         const char      *address,
                         guint            port,
                         const char      *public_url,
                         GError         **error)
{
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  GSList *listeners;
  guint bound_port = port;

  g_return_val_if_fail (CIVIC_IS_SIM_SERVER (self), FALSE);

  inet = g_inet_address_new_from_string (address != NULL ? address : "127.0.0.1");
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address to listen on"), address);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (inet, port);
  if (!soup_server_listen (self->server, socket_address, 0, error))
    return FALSE;

  listeners = soup_server_get_listeners (self->server);
  if (listeners != NULL)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (listeners->data, NULL);

      if (local != NULL)
        bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
    }
  g_slist_free (listeners);

  g_free (self->base_url);
  if (public_url != NULL && *public_url != '\0')
    {
      self->base_url = g_strdup (public_url);
      while (g_str_has_suffix (self->base_url, "/"))
        self->base_url[strlen (self->base_url) - 1] = '\0';
    }
  else
    {
      g_autofree char *host = g_inet_address_to_string (inet);

      /* Any-address listeners print the loopback URL; --public-url names
       * the address a training room's machines should use. */
      if (g_inet_address_get_is_any (inet))
        {
          g_free (host);
          host = g_strdup (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6 ? "::1" : "127.0.0.1");
        }
      if (strchr (host, ':') != NULL)
        self->base_url = g_strdup_printf ("http://[%s]:%u", host, bound_port);
      else
        self->base_url = g_strdup_printf ("http://%s:%u", host, bound_port);
    }
  sim_world_set_urls (self->world, self->base_url);
  return TRUE;
}

const char *
civic_sim_server_get_base_url (CivicSimServer *self)
{
  g_return_val_if_fail (CIVIC_IS_SIM_SERVER (self), NULL);
  return self->base_url;
}

SimWorld *
civic_sim_server_get_world (CivicSimServer *self)
{
  g_return_val_if_fail (CIVIC_IS_SIM_SERVER (self), NULL);
  return self->world;
}

gboolean
civic_sim_server_set_faults (CivicSimServer  *self,
                             const char      *spec,
                             GError         **error)
{
  SimFaults *faults = NULL;

  g_return_val_if_fail (CIVIC_IS_SIM_SERVER (self), FALSE);

  if (spec != NULL && *spec != '\0')
    {
      faults = sim_faults_parse (spec, error);
      if (faults == NULL)
        return FALSE;
    }
  g_clear_pointer (&self->faults, sim_faults_free);
  self->faults = faults;
  return TRUE;
}

gboolean
civic_sim_server_set_quirks (CivicSimServer  *self,
                             const char      *spec,
                             GError         **error)
{
  g_auto(GStrv) names = NULL;
  guint quirks = 0;

  g_return_val_if_fail (CIVIC_IS_SIM_SERVER (self), FALSE);

  names = g_strsplit (spec != NULL ? spec : "", ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);
      gboolean known = FALSE;

      if (*name == '\0')
        continue;
      for (guint q = 0; quirk_names[q] != NULL; q++)
        if (g_str_equal (quirk_names[q], name))
          {
            quirks |= 1u << q;
            known = TRUE;
          }
      if (!known)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Unknown quirk “%s” (one of no-v2-instance, no-streaming, no-link-header, "
                       "small-default-limit, ignore-since-id, ignore-idempotency, acct-with-domain, "
                       "close-connections, numeric-ids)", name);
          return FALSE;
        }
    }
  self->quirks = quirks;
  self->world->acct_with_domain = (quirks & QUIRK_ACCT_WITH_DOMAIN) != 0;
  self->world->numeric_ids = (quirks & QUIRK_NUMERIC_IDS) != 0;
  return TRUE;
}

void
civic_sim_server_set_limits (CivicSimServer *self,
                             guint           requests,
                             guint           requests_period,
                             guint           statuses,
                             guint           statuses_period)
{
  g_return_if_fail (CIVIC_IS_SIM_SERVER (self));

  self->req_limit = requests;
  self->req_period = MAX (requests_period, 1);
  self->status_limit = statuses;
  self->status_period = MAX (statuses_period, 1);
}

void
civic_sim_server_start_live (CivicSimServer *self,
                             double          rate)
{
  guint interval;

  g_return_if_fail (CIVIC_IS_SIM_SERVER (self));

  g_clear_handle_id (&self->live_source, g_source_remove);
  if (rate <= 0)
    return;
  self->live_rate = rate;
  self->live_carry = 0;
  self->live_last = g_get_monotonic_time ();
  /* One transaction per tick; ticks no faster than every 10 ms. */
  interval = (guint) CLAMP (1000.0 / rate, 10.0, 1000.0);
  self->live_source = g_timeout_add (interval, live_tick_cb, self);
}

char *
civic_sim_server_department_token (CivicSimServer *self,
                                   const char     *username)
{
  const SimAccount *account;
  char *app_id_s;
  gint64 app_id;

  g_return_val_if_fail (CIVIC_IS_SIM_SERVER (self), NULL);

  account = sim_world_account_by_name (self->world, username);
  if (account == NULL)
    return NULL;
  app_id_s = sim_world_get_meta (self->world, "desk_app_id");
  app_id = app_id_s != NULL ? g_ascii_strtoll (app_id_s, NULL, 10) : 0;
  g_free (app_id_s);
  if (app_id == 0 || sim_world_app (self->world, app_id) == NULL)
    {
      SimApp *app = sim_world_add_app (self->world, "Civic Desk", NULL, oob,
                                       "read write follow push");
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, app->id);

      sim_world_set_meta (self->world, "desk_app_id", id);
      app_id = app->id;
    }
  return sim_world_ensure_token (self->world, app_id, account->id, "read write follow push");
}

void
civic_sim_server_shutdown (CivicSimServer *self)
{
  g_return_if_fail (CIVIC_IS_SIM_SERVER (self));

  g_clear_handle_id (&self->live_source, g_source_remove);
  g_ptr_array_set_size (self->streams, 0);
  g_ptr_array_set_size (self->hung, 0);
  soup_server_disconnect (self->server);
}
