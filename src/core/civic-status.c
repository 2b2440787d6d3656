/* civic-status.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-json-private.h"
#include "civic-status.h"

static void
status_mention_free (gpointer data)
{
  CivicStatusMention *m = data;

  g_free (m->id);
  g_free (m->username);
  g_free (m->acct);
  g_free (m->url);
  g_free (m);
}

static gboolean
parse_mentions (CivicStatus  *self,
                JsonArray    *array,
                const char   *where,
                GError      **error)
{
  guint n = array != NULL ? json_array_get_length (array) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *item_where = g_strdup_printf ("%s.mentions[%u]", where, i);
      CivicStatusMention *m;
      JsonObject *obj;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TYPE,
                       "%s: expected an object, got %s", item_where,
                       _civic_json_node_type_name (node));
          return FALSE;
        }

      obj = json_node_get_object (node);
      m = g_new0 (CivicStatusMention, 1);
      g_ptr_array_add (self->mentions, m);

      if (!_civic_json_id (obj, item_where, "id", &m->id, error) ||
          !_civic_json_string (obj, item_where, "username", &m->username, error) ||
          !_civic_json_string (obj, item_where, "acct", &m->acct, error) ||
          !_civic_json_string (obj, item_where, "url", &m->url, error))
        return FALSE;

      if (m->acct == NULL)
        m->acct = g_strdup (m->username != NULL ? m->username : "");
    }

  return TRUE;
}

static gboolean
parse_tags (CivicStatus  *self,
            JsonArray    *array,
            const char   *where,
            GError      **error)
{
  guint n = array != NULL ? json_array_get_length (array) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *item_where = g_strdup_printf ("%s.tags[%u]", where, i);
      char *name = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TYPE,
                       "%s: expected an object, got %s", item_where,
                       _civic_json_node_type_name (node));
          return FALSE;
        }

      if (!_civic_json_string (json_node_get_object (node), item_where, "name", &name, error))
        return FALSE;

      if (name != NULL)
        g_ptr_array_add (self->tags, name);
    }

  return TRUE;
}

static gboolean
parse_media (CivicStatus  *self,
             JsonArray    *array,
             const char   *where,
             GError      **error)
{
  guint n = array != NULL ? json_array_get_length (array) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *item_where = g_strdup_printf ("%s.media_attachments[%u]", where, i);
      CivicMediaAttachment *media;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TYPE,
                       "%s: expected an object, got %s", item_where,
                       _civic_json_node_type_name (node));
          return FALSE;
        }

      media = civic_media_attachment_new_from_json (json_node_get_object (node), item_where, error);
      if (media == NULL)
        return FALSE;

      g_ptr_array_add (self->media, media);
    }

  return TRUE;
}

CivicStatus *
civic_status_new_from_json (JsonObject  *obj,
                            const char  *where,
                            GError     **error)
{
  g_autoptr(CivicStatus) self = g_new0 (CivicStatus, 1);
  JsonObject *account = NULL;
  JsonArray *media = NULL;
  JsonArray *mentions = NULL;
  JsonArray *tags = NULL;
  g_autofree char *account_where = NULL;

  g_return_val_if_fail (obj != NULL, NULL);

  if (where == NULL)
    where = "Status";

  self->media = g_ptr_array_new_with_free_func ((GDestroyNotify) civic_media_attachment_free);
  self->mentions = g_ptr_array_new_with_free_func (status_mention_free);
  self->tags = g_ptr_array_new_with_free_func (g_free);

  if (!_civic_json_id (obj, where, "id", &self->id, error) ||
      !_civic_json_string (obj, where, "uri", &self->uri, error) ||
      !_civic_json_string (obj, where, "url", &self->url, error) ||
      !_civic_json_time (obj, where, "created_at", &self->created_at_ms, error) ||
      !_civic_json_time (obj, where, "edited_at", &self->edited_at_ms, error) ||
      !_civic_json_id (obj, where, "in_reply_to_id", &self->in_reply_to_id, error) ||
      !_civic_json_id (obj, where, "in_reply_to_account_id", &self->in_reply_to_account_id, error) ||
      !_civic_json_boolean (obj, where, "sensitive", &self->sensitive, error) ||
      !_civic_json_string (obj, where, "spoiler_text", &self->spoiler_text, error) ||
      !_civic_json_string (obj, where, "visibility", &self->visibility_name, error) ||
      !_civic_json_string (obj, where, "language", &self->language, error) ||
      !_civic_json_string (obj, where, "content", &self->content, error) ||
      !_civic_json_object (obj, where, "account", &account, error) ||
      !_civic_json_array (obj, where, "media_attachments", &media, error) ||
      !_civic_json_array (obj, where, "mentions", &mentions, error) ||
      !_civic_json_array (obj, where, "tags", &tags, error))
    return NULL;

  if (!_civic_json_require (self->id, where, "id", error) ||
      !_civic_json_require (account, where, "account", error))
    return NULL;

  account_where = g_strconcat (where, ".account", NULL);
  self->account = civic_account_new_from_json (account, account_where, error);
  if (self->account == NULL)
    return NULL;

  if (!parse_media (self, media, where, error) ||
      !parse_mentions (self, mentions, where, error) ||
      !parse_tags (self, tags, where, error))
    return NULL;

  if (self->content == NULL)
    self->content = g_strdup ("");
  if (self->spoiler_text == NULL)
    self->spoiler_text = g_strdup ("");
  if (self->visibility_name == NULL)
    self->visibility_name = g_strdup ("public");
  self->visibility = civic_visibility_from_string (self->visibility_name);

  return g_steal_pointer (&self);
}

static JsonObject *
root_object (JsonNode    *root,
             const char  *what,
             GError     **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TYPE,
                   "%s: expected an object, got %s", what, _civic_json_node_type_name (root));
      return NULL;
    }

  return json_node_get_object (root);
}

CivicStatus *
civic_status_new_from_data (const char  *data,
                            gssize       length,
                            GError     **error)
{
  g_autoptr(JsonNode) root = _civic_json_parse (data, length, error);
  JsonObject *obj;

  if (root == NULL || (obj = root_object (root, "Status", error)) == NULL)
    return NULL;

  return civic_status_new_from_json (obj, NULL, error);
}

GPtrArray *
civic_status_list_from_json_array (JsonArray   *array,
                                   const char  *where,
                                   GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) civic_status_free);
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *item_where = g_strdup_printf ("%s[%u]", where, i);
      CivicStatus *status;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TYPE,
                       "%s: expected an object, got %s", item_where,
                       _civic_json_node_type_name (node));
          return NULL;
        }

      status = civic_status_new_from_json (json_node_get_object (node), item_where, error);
      if (status == NULL)
        return NULL;

      g_ptr_array_add (list, status);
    }

  return g_steal_pointer (&list);
}

CivicStatusContext *
civic_status_context_new_from_data (const char  *data,
                                    gssize       length,
                                    GError     **error)
{
  g_autoptr(JsonNode) root = _civic_json_parse (data, length, error);
  g_autoptr(CivicStatusContext) self = NULL;
  JsonArray *ancestors = NULL;
  JsonArray *descendants = NULL;
  JsonObject *obj;

  if (root == NULL || (obj = root_object (root, "Context", error)) == NULL)
    return NULL;

  /* Every server sends both lists. An object without them (an error body
   * answered with 200) is no thread: read as an empty one, it would tell
   * the outbox that a reply it looks for is not there. */
  if (!_civic_json_array (obj, "Context", "ancestors", &ancestors, error) ||
      !_civic_json_array (obj, "Context", "descendants", &descendants, error) ||
      !_civic_json_require (ancestors, "Context", "ancestors", error) ||
      !_civic_json_require (descendants, "Context", "descendants", error))
    return NULL;

  self = g_new0 (CivicStatusContext, 1);

  self->ancestors = civic_status_list_from_json_array (ancestors, "Context.ancestors", error);
  if (self->ancestors == NULL)
    return NULL;

  self->descendants = civic_status_list_from_json_array (descendants, "Context.descendants", error);
  if (self->descendants == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

void
civic_status_context_free (CivicStatusContext *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->ancestors, g_ptr_array_unref);
  g_clear_pointer (&self->descendants, g_ptr_array_unref);
  g_free (self);
}

void
civic_status_free (CivicStatus *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->uri);
  g_free (self->url);
  g_free (self->in_reply_to_id);
  g_free (self->in_reply_to_account_id);
  g_free (self->spoiler_text);
  g_free (self->visibility_name);
  g_free (self->language);
  g_free (self->content);
  g_clear_pointer (&self->account, civic_account_free);
  g_clear_pointer (&self->media, g_ptr_array_unref);
  g_clear_pointer (&self->mentions, g_ptr_array_unref);
  g_clear_pointer (&self->tags, g_ptr_array_unref);
  g_free (self);
}
