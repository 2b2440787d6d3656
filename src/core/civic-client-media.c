/* civic-client-media.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "civic-client-media.h"
#include "civic-json-private.h"

#define HTTP_TOO_MANY_REQUESTS 429

typedef struct
{
  SoupSession *session;   /* owned */
  char *token;            /* owned; wiped on free */
  char *path;             /* owned */
  char *description;      /* owned */
  SoupMessage *msg;       /* owned */
  gboolean processing;
} UploadData;

static void
upload_data_free (UploadData *data)
{
  g_clear_object (&data->session);
  if (data->token != NULL)
    memset (data->token, 0, strlen (data->token));
  g_free (data->token);
  g_free (data->path);
  g_free (data->description);
  g_clear_object (&data->msg);
  g_free (data);
}

/* The "error" member of an error answer, if it has one. */
static char *
error_reason (GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  JsonObject *obj;
  const char *reason;

  /* The shared parser: it refuses deep nesting and repairs the text. */
  if (data == NULL || len == 0 || len > 64 * 1024)
    return NULL;
  root = _civic_json_parse (data, len, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  obj = json_node_get_object (root);
  if (!json_object_has_member (obj, "error") ||
      json_node_get_value_type (json_object_get_member (obj, "error")) != G_TYPE_STRING)
    return NULL;

  reason = json_object_get_string_member (obj, "error");
  return g_utf8_make_valid (reason, MIN (strlen (reason), 500));
}

/* The same mapping of HTTP statuses as CivicClient's requests. */
static GError *
status_error (guint   status,
              GBytes *body)
{
  g_autofree char *reason = error_reason (body);
  const char *because = reason != NULL ? reason : soup_status_get_phrase (status);
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
          what = _("The server refused the photo");
        }
      break;
    }

  return g_error_new (CIVIC_CLIENT_ERROR, code,
                      /* Translators: what went wrong, the HTTP status and the server's reason */
                      _("%s (HTTP %u: %s)"), what, status,
                      because != NULL ? because : "");
}

static GError *
transport_error (GError *error)
{
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    mapped = g_error_new (CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_TIMEOUT,
                          _("The server did not answer in time"));
  else if (error->domain == G_TLS_ERROR)
    mapped = g_error_new (CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_TLS,
                          _("The server’s certificate is not trusted (%s)"), error->message);
  else
    mapped = g_error_new (CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_NETWORK,
                          _("Could not talk to the server: %s"), error->message);

  g_error_free (error);
  return mapped;
}

static CivicMediaAttachment *
parse_attachment (GBytes  *body,
                  GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  CivicMediaAttachment *media;

  media = civic_media_attachment_new_from_data (data != NULL ? data : "", len, &local_error);
  if (media == NULL)
    {
      g_set_error (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_INVALID_RESPONSE,
                   _("The server’s answer was not understood: %s"), local_error->message);
      return NULL;
    }
  if (media->id == NULL || *media->id == '\0')
    {
      civic_media_attachment_free (media);
      g_set_error (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_INVALID_RESPONSE,
                   _("The server’s answer was not understood: the attachment has no id"));
      return NULL;
    }

  return media;
}

static void
upload_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UploadData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  CivicMediaAttachment *media;
  GError *error = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, transport_error (error));
      return;
    }

  status = soup_message_get_status (data->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, status_error (status, body));
      return;
    }

  media = parse_attachment (body, &error);
  if (media == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data->processing = status == SOUP_STATUS_ACCEPTED || media->url == NULL;
  g_task_return_pointer (task, media, (GDestroyNotify) civic_media_attachment_free);
}

static void
file_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CivicClient *client = g_task_get_source_object (task);
  UploadData *data = g_task_get_task_data (task);
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *uri = NULL;
  SoupMessageHeaders *headers;
  GCancellable *cancellable;
  GError *error = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not read the photo “%s”: "), data->path);
      g_task_return_error (task, error);
      return;
    }

  if (length > CIVIC_MEDIA_MAX_UPLOAD_SIZE)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                               _("The photo “%s” is larger than %u MB"), data->path,
                               CIVIC_MEDIA_MAX_UPLOAD_SIZE / (1024 * 1024));
      return;
    }

  content_type = g_content_type_guess (data->path, (const guchar *) contents, length, NULL);
  mime = g_content_type_get_mime_type (content_type);
  basename = g_path_get_basename (data->path);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);

  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  soup_multipart_append_form_file (multipart, "file", basename,
                                   mime != NULL ? mime : "application/octet-stream", bytes);
  if (data->description != NULL && *data->description != '\0')
    soup_multipart_append_form_string (multipart, "description", data->description);

  uri = g_strconcat (civic_client_get_base_url (client), "/api/v2/media", NULL);
  data->msg = soup_message_new_from_multipart (uri, multipart);
  if (data->msg == NULL)
    {
      g_task_return_new_error (task, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_NETWORK,
                               _("“%s” is not a valid server address"), civic_client_get_base_url (client));
      return;
    }

  headers = soup_message_get_request_headers (data->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (data->token != NULL && *data->token != '\0')
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", data->token, NULL);

      soup_message_headers_replace (headers, "Authorization", bearer);
      memset (bearer, 0, strlen (bearer));
    }

  cancellable = g_task_get_cancellable (task);
  soup_session_send_and_read_async (data->session, data->msg, G_PRIORITY_DEFAULT,
                                    cancellable, upload_sent_cb, g_steal_pointer (&task));
}

void
civic_client_upload_media_async (CivicClient         *client,
                                 SoupSession         *session,
                                 const char          *token,
                                 const char          *path,
                                 const char          *description,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GFile) file = NULL;
  GTask *task;
  UploadData *data;

  g_return_if_fail (CIVIC_IS_CLIENT (client));
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (path != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, civic_client_upload_media_async);

  data = g_new0 (UploadData, 1);
  data->session = g_object_ref (session);
  data->token = g_strdup (token);
  data->path = g_strdup (path);
  data->description = g_strdup (description);
  g_task_set_task_data (task, data, (GDestroyNotify) upload_data_free);

  file = g_file_new_for_path (path);
  g_file_load_contents_async (file, cancellable, file_loaded_cb, task);
}

CivicMediaAttachment *
civic_client_upload_media_finish (CivicClient   *client,
                                  GAsyncResult  *result,
                                  gboolean      *processing,
                                  GError       **error)
{
  UploadData *data;
  CivicMediaAttachment *media;

  g_return_val_if_fail (CIVIC_IS_CLIENT (client), NULL);
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == civic_client_upload_media_async, NULL);

  data = g_task_get_task_data (G_TASK (result));
  media = g_task_propagate_pointer (G_TASK (result), error);
  if (processing != NULL)
    *processing = media != NULL && data->processing;

  return media;
}

static void
get_media_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(CivicResponse) response = NULL;
  CivicMediaAttachment *media;
  GError *error = NULL;

  response = civic_client_request_finish (CIVIC_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  media = parse_attachment (response->body, &error);
  if (media == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* 206 Partial Content: still processing. */
  g_task_set_task_data (task, GINT_TO_POINTER (response->status == SOUP_STATUS_PARTIAL_CONTENT ||
                                               media->url == NULL), NULL);
  g_task_return_pointer (task, media, (GDestroyNotify) civic_media_attachment_free);
}

void
civic_client_get_media_async (CivicClient         *client,
                              const char          *media_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (CIVIC_IS_CLIENT (client));
  g_return_if_fail (media_id != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, civic_client_get_media_async);

  escaped = g_uri_escape_string (media_id, NULL, FALSE);
  path = g_strdup_printf ("/api/v1/media/%s", escaped);
  civic_client_request_async (client, "GET", path, NULL, NULL, cancellable, get_media_cb, task);
}

CivicMediaAttachment *
civic_client_get_media_finish (CivicClient   *client,
                               GAsyncResult  *result,
                               gboolean      *processing,
                               GError       **error)
{
  CivicMediaAttachment *media;

  g_return_val_if_fail (CIVIC_IS_CLIENT (client), NULL);
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == civic_client_get_media_async, NULL);

  media = g_task_propagate_pointer (G_TASK (result), error);
  if (processing != NULL)
    *processing = media != NULL && GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));

  return media;
}
