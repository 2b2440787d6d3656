/* civic-client.c
 *
 * The desk's side of the Mastodon client API over libsoup 3: one request
 * helper that caps answer sizes, reads rate-limit headers and maps HTTP and
 * transport failures into CIVIC_CLIENT_ERROR, and typed calls on top.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/random.h>

#include "civic-client.h"
#include "civic-json-private.h"
#include "civic-link-header.h"

#define READ_CHUNK (64 * 1024)

/* libsoup 3.2 names no constant for it. */
#define HTTP_TOO_MANY_REQUESTS 429

struct _CivicClient
{
  GObject parent_instance;

  SoupSession *session;   /* owned */
  GUri *base;             /* owned */
  char *base_url;         /* owned, without trailing slash */
  char *token;            /* owned; never logged */
  gsize max_body_size;
  guint max_answer_time;  /* seconds */
  CivicRateLimit rate_limit;
};

G_DEFINE_FINAL_TYPE (CivicClient, civic_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (civic-client-error-quark, civic_client_error)

typedef struct
{
  SoupMessage *msg;          /* owned */
  GInputStream *stream;      /* owned */
  GByteArray *body;          /* owned */
  gint64 deadline_us;        /* monotonic */
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_clear_object (&data->msg);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->body, g_byte_array_unref);
  g_free (data);
}

gboolean
civic_client_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != CIVIC_CLIENT_ERROR)
    return FALSE;

  switch (error->code)
    {
    case CIVIC_CLIENT_ERROR_NETWORK:
    case CIVIC_CLIENT_ERROR_TIMEOUT:
    case CIVIC_CLIENT_ERROR_RATE_LIMITED:
    case CIVIC_CLIENT_ERROR_SERVER:
    case CIVIC_CLIENT_ERROR_INVALID_RESPONSE:
      return TRUE;
    default:
      return FALSE;
    }
}

void
civic_response_free (CivicResponse *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self->next_url);
  g_free (self->prev_url);
  g_free (self->next_max_id);
  g_free (self->prev_min_id);
  g_free (self);
}

void
civic_app_credentials_free (CivicAppCredentials *self)
{
  if (self == NULL)
    return;

  g_free (self->client_id);
  g_free (self->client_secret);
  g_free (self);
}

void
civic_notification_policy_free (CivicNotificationPolicy *self)
{
  if (self == NULL)
    return;

  g_free (self->for_not_following);
  g_free (self->for_private_mentions);
  g_free (self);
}

static void
civic_client_dispose (GObject *object)
{
  CivicClient *self = (CivicClient *) object;

  g_clear_object (&self->session);

  G_OBJECT_CLASS (civic_client_parent_class)->dispose (object);
}

static void
civic_client_finalize (GObject *object)
{
  CivicClient *self = (CivicClient *) object;

  g_clear_pointer (&self->base, g_uri_unref);
  g_free (self->base_url);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);

  G_OBJECT_CLASS (civic_client_parent_class)->finalize (object);
}

static void
civic_client_class_init (CivicClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = civic_client_dispose;
  object_class->finalize = civic_client_finalize;
}

static void
civic_client_init (CivicClient *self)
{
  self->max_body_size = CIVIC_CLIENT_MAX_BODY_SIZE;
  self->max_answer_time = CIVIC_CLIENT_MAX_ANSWER_TIME;
  self->rate_limit.limit = -1;
  self->rate_limit.remaining = -1;
  self->rate_limit.reset_ms = -1;
}

/**
 * civic_client_new:
 * @base_url: the server, e.g. "https://jun.example" (a trailing slash is dropped)
 * @token: (nullable): the access token
 */
CivicClient *
civic_client_new (SoupSession *session,
                  const char  *base_url,
                  const char  *token)
{
  CivicClient *self;
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (base_url != NULL, NULL);

  trimmed = g_strdup (base_url);
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';

  self = g_object_new (CIVIC_TYPE_CLIENT, NULL);
  self->session = g_object_ref (session);
  self->base_url = g_steal_pointer (&trimmed);
  self->base = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
  self->token = g_strdup (token);

  return self;
}

const char *
civic_client_get_base_url (CivicClient *self)
{
  g_return_val_if_fail (CIVIC_IS_CLIENT (self), NULL);
  return self->base_url;
}

const char *
civic_client_get_host (CivicClient *self)
{
  g_return_val_if_fail (CIVIC_IS_CLIENT (self), NULL);
  return self->base != NULL ? g_uri_get_host (self->base) : NULL;
}

void
civic_client_set_token (CivicClient *self,
                        const char  *token)
{
  g_return_if_fail (CIVIC_IS_CLIENT (self));

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);
}

gboolean
civic_client_has_token (CivicClient *self)
{
  g_return_val_if_fail (CIVIC_IS_CLIENT (self), FALSE);
  return self->token != NULL && *self->token != '\0';
}

void
civic_client_set_max_body_size (CivicClient *self,
                                gsize        max_body_size)
{
  g_return_if_fail (CIVIC_IS_CLIENT (self));
  self->max_body_size = max_body_size;
}

void
civic_client_set_max_answer_time (CivicClient *self,
                                  guint        seconds)
{
  g_return_if_fail (CIVIC_IS_CLIENT (self));
  g_return_if_fail (seconds > 0);
  self->max_answer_time = seconds;
}

const CivicRateLimit *
civic_client_get_rate_limit (CivicClient *self)
{
  g_return_val_if_fail (CIVIC_IS_CLIENT (self), NULL);
  return &self->rate_limit;
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;

  return g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

gboolean
civic_client_is_same_origin (CivicClient *self,
                             const char  *uri)
{
  g_autoptr(GUri) other = NULL;

  g_return_val_if_fail (CIVIC_IS_CLIENT (self), FALSE);

  if (self->base == NULL || uri == NULL)
    return FALSE;

  other = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (other == NULL)
    return FALSE;

  if (g_uri_get_host (other) == NULL || g_uri_get_host (self->base) == NULL)
    return FALSE;

  return g_strcmp0 (g_uri_get_scheme (other), g_uri_get_scheme (self->base)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (other), g_uri_get_host (self->base)) == 0 &&
         effective_port (other) == effective_port (self->base);
}

char *
civic_client_dup_streaming_uri (CivicClient *self,
                                const char  *streaming_base,
                                const char  *stream)
{
  g_autofree char *base = NULL;
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (CIVIC_IS_CLIENT (self), NULL);
  g_return_val_if_fail (stream != NULL, NULL);

  if (streaming_base != NULL && *streaming_base != '\0')
    base = g_strdup (streaming_base);
  else if (g_str_has_prefix (self->base_url, "https://"))
    base = g_strconcat ("wss://", self->base_url + 8, NULL);
  else if (g_str_has_prefix (self->base_url, "http://"))
    base = g_strconcat ("ws://", self->base_url + 7, NULL);
  else
    return NULL;

  /* Some servers give the streaming URL with a path or trailing slash. */
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  if (g_str_has_suffix (base, "/api/v1/streaming"))
    base[strlen (base) - strlen ("/api/v1/streaming")] = '\0';

  escaped = g_uri_escape_string (stream, ":", TRUE);
  return g_strdup_printf ("%s/api/v1/streaming?stream=%s", base, escaped);
}

void
civic_form_append (GString    *form,
                   const char *key,
                   const char *value)
{
  g_autofree char *k = NULL;
  g_autofree char *v = NULL;

  g_return_if_fail (form != NULL && key != NULL);

  if (value == NULL)
    return;

  k = g_uri_escape_string (key, "[]", FALSE);
  v = g_uri_escape_string (value, NULL, FALSE);
  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append_printf (form, "%s=%s", k, v);
}

static gint64
parse_reset (const char *value)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) utc = NULL;

  if (value == NULL)
    return -1;

  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (value, utc);
  if (dt == NULL)
    {
      /* Some servers send a Unix time instead. */
      char *end = NULL;
      gint64 seconds = g_ascii_strtoll (value, &end, 10);

      if (end != value && *end == '\0' && seconds > 0)
        return seconds * 1000;
      return -1;
    }

  return g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
}

static gint64
parse_header_int (SoupMessageHeaders *headers,
                  const char         *name)
{
  const char *value = soup_message_headers_get_one (headers, name);
  char *end = NULL;
  gint64 n;

  if (value == NULL)
    return -1;

  n = g_ascii_strtoll (value, &end, 10);
  if (end == value)
    return -1;

  return n;
}

static void
read_rate_limit (CivicClient *self,
                 SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  gint64 remaining = parse_header_int (headers, "X-RateLimit-Remaining");
  gint64 reset = parse_reset (soup_message_headers_get_one (headers, "X-RateLimit-Reset"));

  if (remaining >= 0)
    {
      self->rate_limit.limit = parse_header_int (headers, "X-RateLimit-Limit");
      self->rate_limit.remaining = remaining;
      self->rate_limit.reset_ms = reset;
    }

  if (soup_message_get_status (msg) == HTTP_TOO_MANY_REQUESTS)
    {
      gint64 retry_after = parse_header_int (headers, "Retry-After");

      self->rate_limit.remaining = 0;
      if (reset < 0 && retry_after >= 0)
        self->rate_limit.reset_ms = g_get_real_time () / 1000 + retry_after * 1000;
      else if (reset < 0)
        self->rate_limit.reset_ms = g_get_real_time () / 1000 + 60 * 1000;
    }
}

/* The "error" (and "error_description") of an error body, if it has one. */
static char *
error_reason (GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;
  gsize len = 0;
  const char *data;
  JsonObject *obj;
  char *reason = NULL;

  if (body == NULL)
    return NULL;

  data = g_bytes_get_data (body, &len);
  if (len == 0 || len > 64 * 1024)
    return NULL;

  root = _civic_json_parse (data, len, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  obj = json_node_get_object (root);
  if (!_civic_json_string (obj, "Error", "error", &reason, NULL) || reason == NULL)
    return NULL;

  if (strlen (reason) > 500)
    reason[500] = '\0';

  return reason;
}

static void
set_status_error (GTask       *task,
                  SoupMessage *msg,
                  GBytes      *body)
{
  guint status = soup_message_get_status (msg);
  g_autofree char *reason = error_reason (body);
  const char *because = reason != NULL ? reason : soup_message_get_reason_phrase (msg);
  CivicClientError code;
  const char *what;

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      code = CIVIC_CLIENT_ERROR_UNAUTHORIZED;
      what = _("The server no longer accepts this login");
      break;
    case SOUP_STATUS_FORBIDDEN:
      code = CIVIC_CLIENT_ERROR_FORBIDDEN;
      what = _("The server refused: this login lacks a permission");
      break;
    case SOUP_STATUS_NOT_FOUND:
    case SOUP_STATUS_GONE:
      code = CIVIC_CLIENT_ERROR_NOT_FOUND;
      what = _("Not found on the server");
      break;
    case SOUP_STATUS_CONFLICT:
      code = CIVIC_CLIENT_ERROR_CONFLICT;
      what = _("Changed on the server by someone else");
      break;
    case HTTP_TOO_MANY_REQUESTS:
      code = CIVIC_CLIENT_ERROR_RATE_LIMITED;
      what = _("The server asks the desk to slow down");
      break;
    default:
      if (status >= 500)
        {
          code = CIVIC_CLIENT_ERROR_SERVER;
          what = _("The server failed");
        }
      else
        {
          code = CIVIC_CLIENT_ERROR_REJECTED;
          what = _("The server refused");
        }
      break;
    }

  g_task_return_new_error (task, CIVIC_CLIENT_ERROR, code,
                           /* Translators: what went wrong, the HTTP status and the server's reason */
                           _("%s (HTTP %u: %s)"),
                           what, status, because != NULL ? because : "");
}

/* What is wrong with the server's certificate, and its SHA-256
 * fingerprint for the administrator to compare; NULL when unknown. */
static char *
describe_certificate (SoupMessage *msg)
{
  static const struct { GTlsCertificateFlags flag; const char *what; } problems[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, N_("no authority this computer trusts vouches for it") },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, N_("it is for another server name") },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("it is not valid yet") },
    { G_TLS_CERTIFICATE_EXPIRED, N_("it has expired") },
    { G_TLS_CERTIFICATE_REVOKED, N_("it has been revoked") },
    { G_TLS_CERTIFICATE_INSECURE, N_("it uses an insecure algorithm") },
  };
  g_autoptr(GString) why = NULL;
  g_autoptr(GByteArray) der = NULL;
  GTlsCertificateFlags flags;
  GTlsCertificate *certificate;

  if (msg == NULL)
    return NULL;

  flags = soup_message_get_tls_peer_certificate_errors (msg);
  certificate = soup_message_get_tls_peer_certificate (msg);
  if (flags == 0 && certificate == NULL)
    return NULL;

  why = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (problems); i++)
    if (flags & problems[i].flag)
      g_string_append_printf (why, "%s%s", why->len > 0 ? "; " : "", _(problems[i].what));
  if (why->len == 0)
    g_string_append (why, _("it could not be verified"));

  if (certificate != NULL)
    g_object_get (certificate, "certificate", &der, NULL);
  if (der != NULL)
    {
      g_autofree char *hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);

      g_string_append (why, _("; SHA-256 fingerprint "));
      for (guint i = 0; hex[i] != '\0' && hex[i + 1] != '\0'; i += 2)
        g_string_append_printf (why, "%s%c%c", i > 0 ? ":" : "",
                                g_ascii_toupper (hex[i]), g_ascii_toupper (hex[i + 1]));
    }

  return g_string_free (g_steal_pointer (&why), FALSE);
}

static void
return_transport_error (GTask  *task,
                        GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_TIMEOUT,
                             _("The server did not answer in time"));
  else if (error->domain == G_TLS_ERROR)
    {
      RequestData *data = g_task_get_task_data (task);
      g_autofree char *why = describe_certificate (data->msg);

      g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_TLS,
                               _("The server’s certificate is not trusted (%s), so the desk refused to "
                                 "connect and sent it nothing"), why != NULL ? why : error->message);
    }
  else
    g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_NETWORK,
                             _("Could not talk to the server: %s"), error->message);

  g_error_free (error);
}

static void
finish_request (GTask *task)
{
  CivicClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&data->body));
  guint status = soup_message_get_status (data->msg);
  CivicResponse *response;
  const char *link;

  read_rate_limit (self, data->msg);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      set_status_error (task, data->msg, body);
      return;
    }

  response = g_new0 (CivicResponse, 1);
  response->status = status;
  response->body = g_steal_pointer (&body);

  link = soup_message_headers_get_one (soup_message_get_response_headers (data->msg), "Link");
  if (link != NULL && civic_link_header_parse (link, &response->next_url, &response->prev_url))
    {
      response->has_link = TRUE;
      response->next_max_id = civic_uri_dup_query_param (response->next_url, "max_id");
      response->prev_min_id = civic_uri_dup_query_param (response->prev_url, "min_id");
      if (response->prev_min_id == NULL)
        response->prev_min_id = civic_uri_dup_query_param (response->prev_url, "since_id");
    }

  g_task_return_pointer (task, response, (GDestroyNotify) civic_response_free);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CivicClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      return_transport_error (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      g_input_stream_close (data->stream, NULL, NULL);
      finish_request (task);
      return;
    }

  if (data->body->len + g_bytes_get_size (chunk) > self->max_body_size)
    {
      g_input_stream_close (data->stream, NULL, NULL);
      g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_TOO_LARGE,
                               _("The server sent more than %u MB in one answer; "
                                 "the desk stopped reading it"), (guint) (self->max_body_size / (1024 * 1024)));
      return;
    }

  if (g_get_monotonic_time () > data->deadline_us)
    {
      g_input_stream_close (data->stream, NULL, NULL);
      g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_TIMEOUT,
                               _("The server took more than %u s to send one answer; "
                                 "the desk stopped waiting for it"), self->max_answer_time);
      return;
    }

  g_byte_array_append (data->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  cancellable = g_task_get_cancellable (task);
  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   cancellable, read_cb, g_steal_pointer (&task));
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CivicClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;
  goffset length;

  data->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (data->stream == NULL)
    {
      return_transport_error (task, error);
      return;
    }

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (data->msg));
  if (length > 0 && (gsize) length > self->max_body_size)
    {
      read_rate_limit (self, data->msg);
      g_input_stream_close (data->stream, NULL, NULL);
      g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_TOO_LARGE,
                               _("The server wanted to send %u MB in one answer; "
                                 "the desk refused it"), (guint) (length / (1024 * 1024)));
      return;
    }

  data->body = g_byte_array_sized_new (length > 0 ? (guint) length : 4096);
  cancellable = g_task_get_cancellable (task);
  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   cancellable, read_cb, g_steal_pointer (&task));
}

void
civic_client_request_async (CivicClient         *self,
                            const char          *method,
                            const char          *path_and_query,
                            const char          *form,
                            const char          *idempotency_key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *uri = NULL;
  SoupMessageHeaders *headers;
  RequestData *data;

  g_return_if_fail (CIVIC_IS_CLIENT (self));
  g_return_if_fail (method != NULL && path_and_query != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, civic_client_request_async);

  if (g_str_has_prefix (path_and_query, "http://") || g_str_has_prefix (path_and_query, "https://"))
    {
      /* Never hand our token to another host because a header said so. */
      if (!civic_client_is_same_origin (self, path_and_query))
        {
          g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_REFUSED_REDIRECT,
                                   _("The server pointed the desk to another site; it did not follow"));
          return;
        }
      uri = g_strdup (path_and_query);
    }
  else
    uri = g_strconcat (self->base_url, path_and_query[0] == '/' ? "" : "/", path_and_query, NULL);

  data = g_new0 (RequestData, 1);
  data->deadline_us = g_get_monotonic_time () + (gint64) self->max_answer_time * G_USEC_PER_SEC;
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);

  data->msg = soup_message_new (method, uri);
  if (data->msg == NULL)
    {
      g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_NETWORK,
                               _("“%s” is not a valid server address"), self->base_url);
      return;
    }

  headers = soup_message_get_request_headers (data->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (civic_client_has_token (self))
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", bearer);
      memset (bearer, 0, strlen (bearer));
    }
  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);

  if (form != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (data->msg, "application/x-www-form-urlencoded", bytes);
    }

  soup_session_send_async (self->session, data->msg, G_PRIORITY_DEFAULT, cancellable,
                           send_cb, g_steal_pointer (&task));
}

CivicResponse *
civic_client_request_finish (CivicClient   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (CIVIC_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Turns an entity parse failure into the client's error domain, keeping
 * the message that names the field. */
static void
return_parse_error (GTask  *task,
                    GError *error)
{
  g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_INVALID_RESPONSE,
                           _("The server’s answer was not understood: %s"), error->message);
  g_error_free (error);
}

/* Helpers for the typed calls: each starts a request whose callback parses. */
typedef gpointer (*ParseFunc) (GBytes *body, GError **error);

typedef struct
{
  ParseFunc parse;
  GDestroyNotify free_func;
} TypedCall;

static void
typed_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TypedCall *call = g_task_get_task_data (task);
  g_autoptr(CivicResponse) response = NULL;
  GError *error = NULL;
  gpointer value;

  response = civic_client_request_finish (CIVIC_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  value = call->parse (response->body, &error);
  if (value == NULL)
    {
      return_parse_error (task, error);
      return;
    }

  g_task_return_pointer (task, value, call->free_func);
}

static void
typed_call (CivicClient         *self,
            gpointer             source_tag,
            const char          *method,
            const char          *path,
            const char          *form,
            const char          *idempotency_key,
            ParseFunc            parse,
            GDestroyNotify       free_func,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  TypedCall *call = g_new0 (TypedCall, 1);

  g_task_set_source_tag (task, source_tag);
  call->parse = parse;
  call->free_func = free_func;
  g_task_set_task_data (task, call, g_free);

  civic_client_request_async (self, method, path, form, idempotency_key, cancellable, typed_cb, task);
}

static gpointer
typed_finish (CivicClient   *self,
              GAsyncResult  *result,
              gpointer       source_tag,
              GError       **error)
{
  g_return_val_if_fail (CIVIC_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static JsonObject *
body_object (GBytes      *body,
             const char  *what,
             JsonNode   **root_out,
             GError     **error)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root = _civic_json_parse (data != NULL ? data : "", len, error);

  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TYPE,
                   "%s: expected an object, got %s", what, _civic_json_node_type_name (root));
      json_node_unref (root);
      return NULL;
    }

  *root_out = root;
  return json_node_get_object (root);
}

/* Instance: v2, then v1 on servers without it */

static void
instance_v1_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(CivicResponse) response = NULL;
  CivicInstance *instance;
  GError *error = NULL;
  gsize len;
  const char *data;

  response = civic_client_request_finish (CIVIC_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_bytes_get_data (response->body, &len);
  instance = civic_instance_new_from_data (data != NULL ? data : "", len, 1, &error);
  if (instance == NULL)
    {
      return_parse_error (task, error);
      return;
    }

  g_task_return_pointer (task, instance, (GDestroyNotify) civic_instance_free);
}

static void
instance_v2_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(CivicResponse) response = NULL;
  CivicInstance *instance;
  GError *error = NULL;
  gsize len;
  const char *data;

  response = civic_client_request_finish (CIVIC_CLIENT (source), result, &error);
  if (response == NULL)
    {
      if (g_error_matches (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_NOT_FOUND) ||
          g_error_matches (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_REJECTED))
        {
          GCancellable *cancellable = g_task_get_cancellable (task);

          g_clear_error (&error);
          civic_client_request_async (CIVIC_CLIENT (source), "GET", "/api/v1/instance", NULL, NULL,
                                      cancellable, instance_v1_cb, g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, error);
      return;
    }

  data = g_bytes_get_data (response->body, &len);
  instance = civic_instance_new_from_data (data != NULL ? data : "", len, 2, &error);
  if (instance == NULL)
    {
      return_parse_error (task, error);
      return;
    }

  g_task_return_pointer (task, instance, (GDestroyNotify) civic_instance_free);
}

void
civic_client_get_instance_async (CivicClient         *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CIVIC_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, civic_client_get_instance_async);

  civic_client_request_async (self, "GET", "/api/v2/instance", NULL, NULL, cancellable,
                              instance_v2_cb, task);
}

CivicInstance *
civic_client_get_instance_finish (CivicClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return typed_finish (self, result, civic_client_get_instance_async, error);
}

/* verify_credentials */

static gpointer
parse_account (GBytes  *body,
               GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj = body_object (body, "Account", &root, error);

  if (obj == NULL)
    return NULL;

  return civic_account_new_from_json (obj, NULL, error);
}

void
civic_client_verify_credentials_async (CivicClient         *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (CIVIC_IS_CLIENT (self));

  typed_call (self, civic_client_verify_credentials_async, "GET",
              "/api/v1/accounts/verify_credentials", NULL, NULL,
              parse_account, (GDestroyNotify) civic_account_free, cancellable, callback, user_data);
}

CivicAccount *
civic_client_verify_credentials_finish (CivicClient   *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return typed_finish (self, result, civic_client_verify_credentials_async, error);
}

/* apps */

static gpointer
parse_app (GBytes  *body,
           GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(CivicAppCredentials) app = g_new0 (CivicAppCredentials, 1);
  JsonObject *obj = body_object (body, "Application", &root, error);

  if (obj == NULL)
    return NULL;

  if (!_civic_json_string (obj, "Application", "client_id", &app->client_id, error) ||
      !_civic_json_string (obj, "Application", "client_secret", &app->client_secret, error) ||
      !_civic_json_require (app->client_id, "Application", "client_id", error) ||
      !_civic_json_require (app->client_secret, "Application", "client_secret", error))
    return NULL;

  return g_steal_pointer (&app);
}

void
civic_client_register_app_async (CivicClient         *self,
                                 const char          *client_name,
                                 const char          *redirect_uri,
                                 const char          *scopes,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GString) form = g_string_new (NULL);

  g_return_if_fail (CIVIC_IS_CLIENT (self));

  civic_form_append (form, "client_name", client_name);
  civic_form_append (form, "redirect_uris", redirect_uri);
  civic_form_append (form, "scopes", scopes);
  civic_form_append (form, "website", "https://civicdesk.invalid/");

  typed_call (self, civic_client_register_app_async, "POST", "/api/v1/apps", form->str, NULL,
              parse_app, (GDestroyNotify) civic_app_credentials_free, cancellable, callback, user_data);
}

CivicAppCredentials *
civic_client_register_app_finish (CivicClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return typed_finish (self, result, civic_client_register_app_async, error);
}

/* token */

static gpointer
parse_token (GBytes  *body,
             GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj = body_object (body, "Token", &root, error);
  char *token = NULL;

  if (obj == NULL)
    return NULL;

  if (!_civic_json_string (obj, "Token", "access_token", &token, error) ||
      !_civic_json_require (token, "Token", "access_token", error))
    return NULL;

  return token;
}

static void
free_secret_string (gpointer data)
{
  char *s = data;

  if (s != NULL)
    memset (s, 0, strlen (s));
  g_free (s);
}

void
civic_client_obtain_token_async (CivicClient               *self,
                                 const CivicAppCredentials *app,
                                 const char                *code,
                                 const char                *code_verifier,
                                 const char                *redirect_uri,
                                 GCancellable              *cancellable,
                                 GAsyncReadyCallback        callback,
                                 gpointer                   user_data)
{
  g_autoptr(GString) form = g_string_new (NULL);

  g_return_if_fail (CIVIC_IS_CLIENT (self));
  g_return_if_fail (app != NULL && code != NULL);

  civic_form_append (form, "grant_type", "authorization_code");
  civic_form_append (form, "client_id", app->client_id);
  civic_form_append (form, "client_secret", app->client_secret);
  civic_form_append (form, "redirect_uri", redirect_uri);
  civic_form_append (form, "code", code);
  civic_form_append (form, "code_verifier", code_verifier);

  typed_call (self, civic_client_obtain_token_async, "POST", "/oauth/token", form->str, NULL,
              parse_token, free_secret_string, cancellable, callback, user_data);
  memset (form->str, 0, form->len);
}

char *
civic_client_obtain_token_finish (CivicClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return typed_finish (self, result, civic_client_obtain_token_async, error);
}

/* revoke */

static void
revoke_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(CivicResponse) response = NULL;
  GError *error = NULL;

  response = civic_client_request_finish (CIVIC_CLIENT (source), result, &error);
  if (response == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
civic_client_revoke_token_async (CivicClient               *self,
                                 const CivicAppCredentials *app,
                                 GCancellable              *cancellable,
                                 GAsyncReadyCallback        callback,
                                 gpointer                   user_data)
{
  g_autoptr(GString) form = g_string_new (NULL);
  GTask *task;

  g_return_if_fail (CIVIC_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, civic_client_revoke_token_async);

  if (app != NULL)
    {
      civic_form_append (form, "client_id", app->client_id);
      civic_form_append (form, "client_secret", app->client_secret);
    }
  civic_form_append (form, "token", self->token);

  civic_client_request_async (self, "POST", "/oauth/revoke", form->str, NULL, cancellable, revoke_cb, task);
  memset (form->str, 0, form->len);
}

gboolean
civic_client_revoke_token_finish (CivicClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (CIVIC_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* notification policy */

static gpointer
parse_policy (GBytes  *body,
              GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(CivicNotificationPolicy) policy = g_new0 (CivicNotificationPolicy, 1);
  JsonObject *obj = body_object (body, "NotificationPolicy", &root, error);
  gboolean legacy_filter = FALSE;

  if (obj == NULL)
    return NULL;

  if (!_civic_json_string (obj, "NotificationPolicy", "for_not_following", &policy->for_not_following, error) ||
      !_civic_json_string (obj, "NotificationPolicy", "for_private_mentions", &policy->for_private_mentions, error) ||
      !_civic_json_boolean (obj, "NotificationPolicy", "filter_not_following", &legacy_filter, error))
    return NULL;

  /* Mastodon 4.3 said filter_not_following (boolean); 4.4 says for_not_following. */
  if (policy->for_not_following == NULL)
    policy->for_not_following = g_strdup (legacy_filter ? "filter" : "accept");
  if (policy->for_private_mentions == NULL)
    policy->for_private_mentions = g_strdup ("accept");

  policy->filters_strangers = !g_str_equal (policy->for_not_following, "accept") ||
                              !g_str_equal (policy->for_private_mentions, "accept");

  return g_steal_pointer (&policy);
}

void
civic_client_get_notification_policy_async (CivicClient         *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_return_if_fail (CIVIC_IS_CLIENT (self));

  typed_call (self, civic_client_get_notification_policy_async, "GET", "/api/v2/notifications/policy",
              NULL, NULL, parse_policy, (GDestroyNotify) civic_notification_policy_free,
              cancellable, callback, user_data);
}

CivicNotificationPolicy *
civic_client_get_notification_policy_finish (CivicClient   *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return typed_finish (self, result, civic_client_get_notification_policy_async, error);
}

/* context */

static gpointer
parse_context (GBytes  *body,
               GError **error)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  return civic_status_context_new_from_data (data != NULL ? data : "", len, error);
}

void
civic_client_get_context_async (CivicClient         *self,
                                const char          *status_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CIVIC_IS_CLIENT (self));
  g_return_if_fail (status_id != NULL);

  escaped = g_uri_escape_string (status_id, NULL, FALSE);
  path = g_strdup_printf ("/api/v1/statuses/%s/context", escaped);
  typed_call (self, civic_client_get_context_async, "GET", path, NULL, NULL, parse_context,
              (GDestroyNotify) civic_status_context_free, cancellable, callback, user_data);
}

CivicStatusContext *
civic_client_get_context_finish (CivicClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return typed_finish (self, result, civic_client_get_context_async, error);
}

/* post */

static gpointer
parse_status (GBytes  *body,
              GError **error)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  return civic_status_new_from_data (data != NULL ? data : "", len, error);
}

void
civic_client_post_status_async (CivicClient           *self,
                                const CivicStatusPost *post,
                                const char            *idempotency_key,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  g_autoptr(GString) form = g_string_new (NULL);

  g_return_if_fail (CIVIC_IS_CLIENT (self));
  g_return_if_fail (post != NULL && post->status != NULL);

  civic_form_append (form, "status", post->status);
  civic_form_append (form, "in_reply_to_id", post->in_reply_to_id);
  civic_form_append (form, "visibility", post->visibility);
  if (post->spoiler_text != NULL && *post->spoiler_text != '\0')
    civic_form_append (form, "spoiler_text", post->spoiler_text);
  civic_form_append (form, "language", post->language);
  for (guint i = 0; post->media_ids != NULL && post->media_ids[i] != NULL; i++)
    civic_form_append (form, "media_ids[]", post->media_ids[i]);

  typed_call (self, civic_client_post_status_async, "POST", "/api/v1/statuses", form->str,
              idempotency_key, parse_status, (GDestroyNotify) civic_status_free,
              cancellable, callback, user_data);
}

CivicStatus *
civic_client_post_status_finish (CivicClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return typed_finish (self, result, civic_client_post_status_async, error);
}

/* OAuth helpers */

/* Random bytes from the kernel, for PKCE verifiers and idempotency keys. */
static void
fill_random (guint8 *bytes,
             gsize   len)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = getrandom (bytes + done, len - done, 0);

      if (n <= 0)
        g_error ("The system has no random source: %s", g_strerror (errno));
      done += (gsize) n;
    }
}

static char *
base64url (const guint8 *bytes,
           gsize         len)
{
  char *b64 = g_base64_encode (bytes, len);

  /* base64url without padding (RFC 7636, appendix A) */
  for (char *p = b64; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }

  return b64;
}

char *
civic_pkce_new_verifier (void)
{
  guint8 bytes[48];

  /* 48 random bytes: 64 characters, the middle of RFC 7636's 43–128. */
  fill_random (bytes, sizeof bytes);
  return base64url (bytes, sizeof bytes);
}

char *
civic_random_token (void)
{
  guint8 bytes[24];

  fill_random (bytes, sizeof bytes);
  return base64url (bytes, sizeof bytes);
}

char *
civic_pkce_challenge (const char *verifier)
{
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_return_val_if_fail (verifier != NULL, NULL);

  g_checksum_update (sha, (const guchar *) verifier, -1);
  g_checksum_get_digest (sha, digest, &digest_len);

  return base64url (digest, digest_len);
}

char *
civic_client_dup_authorize_uri (CivicClient               *self,
                                const CivicAppCredentials *app,
                                const char                *redirect_uri,
                                const char                *scopes,
                                const char                *code_challenge)
{
  g_autoptr(GString) query = g_string_new (NULL);

  g_return_val_if_fail (CIVIC_IS_CLIENT (self), NULL);
  g_return_val_if_fail (app != NULL, NULL);

  civic_form_append (query, "response_type", "code");
  civic_form_append (query, "client_id", app->client_id);
  civic_form_append (query, "redirect_uri", redirect_uri);
  civic_form_append (query, "scope", scopes);
  civic_form_append (query, "code_challenge", code_challenge);
  civic_form_append (query, "code_challenge_method", "S256");

  return g_strdup_printf ("%s/oauth/authorize?%s", self->base_url, query->str);
}
