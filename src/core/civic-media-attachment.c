/* civic-media-attachment.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-media-attachment.h"
#include "civic-json-private.h"

CivicMediaAttachment *
civic_media_attachment_new_from_json (JsonObject  *obj,
                                      const char  *where,
                                      GError     **error)
{
  g_autoptr(CivicMediaAttachment) self = g_new0 (CivicMediaAttachment, 1);
  JsonObject *meta = NULL;

  g_return_val_if_fail (obj != NULL, NULL);

  if (where == NULL)
    where = "MediaAttachment";

  if (!_civic_json_id (obj, where, "id", &self->id, error) ||
      !_civic_json_string (obj, where, "type", &self->type, error) ||
      !_civic_json_string (obj, where, "url", &self->url, error) ||
      !_civic_json_string (obj, where, "preview_url", &self->preview_url, error) ||
      !_civic_json_string (obj, where, "remote_url", &self->remote_url, error) ||
      !_civic_json_string (obj, where, "description", &self->description, error) ||
      !_civic_json_string (obj, where, "blurhash", &self->blurhash, error) ||
      !_civic_json_object (obj, where, "meta", &meta, error))
    return NULL;

  if (!_civic_json_require (self->id, where, "id", error))
    return NULL;

  if (self->type == NULL)
    self->type = g_strdup ("unknown");

  if (meta != NULL)
    {
      JsonObject *original = NULL;
      gint64 w = 0, h = 0;
      g_autofree char *meta_where = g_strconcat (where, ".meta", NULL);

      /* meta is loosely specified; tolerate anything inside it. */
      if (_civic_json_object (meta, meta_where, "original", &original, NULL) && original != NULL &&
          _civic_json_int (original, meta_where, "width", &w, NULL) &&
          _civic_json_int (original, meta_where, "height", &h, NULL))
        {
          self->width = (int) CLAMP (w, 0, G_MAXINT);
          self->height = (int) CLAMP (h, 0, G_MAXINT);
        }
    }

  return g_steal_pointer (&self);
}

CivicMediaAttachment *
civic_media_attachment_new_from_data (const char  *data,
                                      gssize       length,
                                      GError     **error)
{
  g_autoptr(JsonNode) root = _civic_json_parse (data, length, error);

  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TYPE,
                   "MediaAttachment: expected an object, got %s",
                   _civic_json_node_type_name (root));
      return NULL;
    }

  return civic_media_attachment_new_from_json (json_node_get_object (root), NULL, error);
}

void
civic_media_attachment_free (CivicMediaAttachment *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->type);
  g_free (self->url);
  g_free (self->preview_url);
  g_free (self->remote_url);
  g_free (self->description);
  g_free (self->blurhash);
  g_free (self);
}
