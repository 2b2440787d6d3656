/* civic-stream.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <string.h>

#include "civic-client.h"
#include "civic-json-private.h"
#include "civic-stream.h"

#define MAX_FRAME_SIZE (1024 * 1024)
#define KEEPALIVE_SECONDS 30

struct _CivicStream
{
  GObject parent_instance;

  SoupSession *session;               /* owned */
  char *uri;                          /* owned */
  char *token;                        /* owned */
  SoupWebsocketConnection *connection; /* owned */
  gboolean closed_emitted;
};

enum {
  SIGNAL_EVENT,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CivicStream, civic_stream, G_TYPE_OBJECT)

gboolean
civic_stream_decode_frame (const char  *data,
                           gsize        length,
                           char       **event,
                           char       **payload,
                           GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *local_event = NULL;
  g_autofree char *local_payload = NULL;
  JsonObject *obj;
  JsonNode *payload_node;

  g_return_val_if_fail (event != NULL && payload != NULL, FALSE);

  *event = NULL;
  *payload = NULL;

  if (length > MAX_FRAME_SIZE)
    {
      g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_VALUE,
                   "A streaming frame of %" G_GSIZE_FORMAT " bytes is too large", length);
      return FALSE;
    }

  root = _civic_json_parse (data, length, error);
  if (root == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TYPE,
                   "Frame: expected an object, got %s", _civic_json_node_type_name (root));
      return FALSE;
    }

  obj = json_node_get_object (root);
  if (!_civic_json_string (obj, "Frame", "event", &local_event, error) ||
      !_civic_json_require (local_event, "Frame", "event", error))
    return FALSE;

  /* The payload is a string of JSON, or a bare id; some servers send the
   * object itself, or a number for a deleted id. Accept all three. */
  payload_node = json_object_get_member (obj, "payload");
  if (payload_node != NULL && JSON_NODE_HOLDS_VALUE (payload_node) &&
      json_node_get_value_type (payload_node) == G_TYPE_STRING)
    local_payload = g_strdup (json_node_get_string (payload_node));
  else if (payload_node != NULL && JSON_NODE_HOLDS_VALUE (payload_node) &&
           json_node_get_value_type (payload_node) == G_TYPE_INT64)
    local_payload = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (payload_node));
  else if (payload_node != NULL && JSON_NODE_HOLDS_OBJECT (payload_node))
    local_payload = json_to_string (payload_node, FALSE);
  else if (payload_node != NULL && !JSON_NODE_HOLDS_NULL (payload_node))
    {
      g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TYPE,
                   "Frame.payload: expected a string, got %s", _civic_json_node_type_name (payload_node));
      return FALSE;
    }

  *event = g_steal_pointer (&local_event);
  *payload = g_steal_pointer (&local_payload);
  return TRUE;
}

static void
emit_closed (CivicStream  *self,
             const GError *error)
{
  if (self->closed_emitted)
    return;

  self->closed_emitted = TRUE;
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, error);
}

static void
message_cb (SoupWebsocketConnection *connection,
            int                      type,
            GBytes                  *message,
            CivicStream             *self)
{
  g_autofree char *event = NULL;
  g_autofree char *payload = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;

  data = g_bytes_get_data (message, &len);
  if (!civic_stream_decode_frame (data != NULL ? data : "", len, &event, &payload, &error))
    {
      /* One bad frame is the server's problem, not a reason to hang up;
       * the gap backfill after any reconnect catches what it carried. */
      g_debug ("Ignoring a streaming frame: %s", error->message);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_EVENT], 0, event, payload);
}

static void
error_cb (SoupWebsocketConnection *connection,
          GError                  *error,
          CivicStream             *self)
{
  g_autoptr(GError) mapped = g_error_new (CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_NETWORK,
                                          _("The live connection failed: %s"), error->message);

  emit_closed (self, mapped);
}

static void
closed_cb (SoupWebsocketConnection *connection,
           CivicStream             *self)
{
  gushort code = soup_websocket_connection_get_close_code (connection);
  g_autoptr(GError) error = NULL;

  if (code != SOUP_WEBSOCKET_CLOSE_NORMAL && code != SOUP_WEBSOCKET_CLOSE_GOING_AWAY)
    error = g_error_new (CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_NETWORK,
                         _("The server closed the live connection (code %u)"), code);
  else
    error = g_error_new_literal (CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_NETWORK,
                                 _("The server closed the live connection"));

  emit_closed (self, error);
}

static void
disconnect_connection (CivicStream *self)
{
  if (self->connection == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->connection, self);
  if (soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&self->connection);
}

static void
civic_stream_dispose (GObject *object)
{
  CivicStream *self = (CivicStream *) object;

  disconnect_connection (self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (civic_stream_parent_class)->dispose (object);
}

static void
civic_stream_finalize (GObject *object)
{
  CivicStream *self = (CivicStream *) object;

  g_free (self->uri);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);

  G_OBJECT_CLASS (civic_stream_parent_class)->finalize (object);
}

static void
civic_stream_class_init (CivicStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = civic_stream_dispose;
  object_class->finalize = civic_stream_finalize;

  /**
   * CivicStream::event:
   * @event: the event name ("notification", "delete", "update", …)
   * @payload: (nullable): the payload text
   */
  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * CivicStream::closed:
   * @error: (nullable): why
   */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
civic_stream_init (CivicStream *self)
{
}

CivicStream *
civic_stream_new (SoupSession *session,
                  const char  *uri,
                  const char  *token)
{
  CivicStream *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  self = g_object_new (CIVIC_TYPE_STREAM, NULL);
  self->session = g_object_ref (session);
  self->uri = g_strdup (uri);
  self->token = g_strdup (token);

  return self;
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CivicStream *self = g_task_get_source_object (task);
  SoupMessage *msg = g_task_get_task_data (task);
  GError *error = NULL;
  SoupWebsocketConnection *connection;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (connection == NULL)
    {
      guint status = soup_message_get_status (msg);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, error);
      else if (status == SOUP_STATUS_UNAUTHORIZED)
        {
          g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_UNAUTHORIZED,
                                   _("The server no longer accepts this login"));
          g_error_free (error);
        }
      else if (status >= 400 && status < 500)
        {
          /* The server does not stream (or not to us): poll instead. */
          g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_NOT_FOUND,
                                   _("The server refused live updates (HTTP %u)"), status);
          g_error_free (error);
        }
      else if (status >= 500)
        {
          g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_SERVER,
                                   _("The server failed to open live updates (HTTP %u)"), status);
          g_error_free (error);
        }
      else
        {
          g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_NETWORK,
                                   _("Could not open live updates: %s"), error->message);
          g_error_free (error);
        }
      return;
    }

  self->connection = connection;
  soup_websocket_connection_set_keepalive_interval (connection, KEEPALIVE_SECONDS);
  soup_websocket_connection_set_max_incoming_payload_size (connection, MAX_FRAME_SIZE);
  g_signal_connect (connection, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (connection, "error", G_CALLBACK (error_cb), self);
  g_signal_connect (connection, "closed", G_CALLBACK (closed_cb), self);

  g_task_return_boolean (task, TRUE);
}

void
civic_stream_connect_async (CivicStream         *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  GTask *task;

  g_return_if_fail (CIVIC_IS_STREAM (self));
  g_return_if_fail (self->connection == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, civic_stream_connect_async);

  msg = soup_message_new (SOUP_METHOD_GET, self->uri);
  if (msg == NULL)
    {
      g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_NETWORK,
                               _("“%s” is not a valid streaming address"), self->uri);
      g_object_unref (task);
      return;
    }

  if (self->token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
      memset (bearer, 0, strlen (bearer));
    }

  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        cancellable, connect_cb, task);
}

gboolean
civic_stream_connect_finish (CivicStream   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (CIVIC_IS_STREAM (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
civic_stream_close (CivicStream *self)
{
  g_return_if_fail (CIVIC_IS_STREAM (self));

  self->closed_emitted = TRUE;
  disconnect_connection (self);
}

gboolean
civic_stream_is_open (CivicStream *self)
{
  g_return_val_if_fail (CIVIC_IS_STREAM (self), FALSE);

  return self->connection != NULL &&
         soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN;
}
