/* civic-notification.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-json-private.h"
#include "civic-notification.h"

CivicNotification *
civic_notification_new_from_json (JsonObject  *obj,
                                  const char  *where,
                                  GError     **error)
{
  g_autoptr(CivicNotification) self = g_new0 (CivicNotification, 1);
  g_autofree char *account_where = NULL;
  g_autofree char *status_where = NULL;
  JsonObject *account = NULL;
  JsonObject *status = NULL;

  g_return_val_if_fail (obj != NULL, NULL);

  if (where == NULL)
    where = "Notification";

  if (!_civic_json_id (obj, where, "id", &self->id, error) ||
      !_civic_json_string (obj, where, "type", &self->type, error) ||
      !_civic_json_string (obj, where, "group_key", &self->group_key, error) ||
      !_civic_json_time (obj, where, "created_at", &self->created_at_ms, error) ||
      !_civic_json_object (obj, where, "account", &account, error) ||
      !_civic_json_object (obj, where, "status", &status, error))
    return NULL;

  if (!_civic_json_require (self->id, where, "id", error) ||
      !_civic_json_require (self->type, where, "type", error))
    return NULL;

  if (account != NULL)
    {
      account_where = g_strconcat (where, ".account", NULL);
      self->account = civic_account_new_from_json (account, account_where, error);
      if (self->account == NULL)
        return NULL;
    }

  if (status != NULL)
    {
      status_where = g_strconcat (where, ".status", NULL);
      self->status = civic_status_new_from_json (status, status_where, error);
      if (self->status == NULL)
        return NULL;
    }

  if (g_str_equal (self->type, "mention") &&
      !_civic_json_require (self->status, where, "status", error))
    return NULL;

  return g_steal_pointer (&self);
}

CivicNotification *
civic_notification_new_from_data (const char  *data,
                                  gssize       length,
                                  GError     **error)
{
  g_autoptr(JsonNode) root = _civic_json_parse (data, length, error);

  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TYPE,
                   "Notification: expected an object, got %s",
                   _civic_json_node_type_name (root));
      return NULL;
    }

  return civic_notification_new_from_json (json_node_get_object (root), NULL, error);
}

GPtrArray *
civic_notification_list_new_from_data (const char  *data,
                                       gssize       length,
                                       GError     **error)
{
  g_autoptr(JsonNode) root = _civic_json_parse (data, length, error);
  g_autoptr(GPtrArray) list = NULL;
  JsonArray *array;
  guint n;

  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TYPE,
                   "Notifications: expected an array, got %s",
                   _civic_json_node_type_name (root));
      return NULL;
    }

  array = json_node_get_array (root);
  n = json_array_get_length (array);
  list = g_ptr_array_new_full (n, (GDestroyNotify) civic_notification_free);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *where = g_strdup_printf ("Notification[%u]", i);
      CivicNotification *notification;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TYPE,
                       "%s: expected an object, got %s", where,
                       _civic_json_node_type_name (node));
          return NULL;
        }

      notification = civic_notification_new_from_json (json_node_get_object (node), where, error);
      if (notification == NULL)
        return NULL;

      g_ptr_array_add (list, notification);
    }

  return g_steal_pointer (&list);
}

void
civic_notification_free (CivicNotification *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->type);
  g_free (self->group_key);
  g_clear_pointer (&self->account, civic_account_free);
  g_clear_pointer (&self->status, civic_status_free);
  g_free (self);
}
