/* civic-instance.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-instance.h"
#include "civic-json-private.h"

#define DEFAULT_MAX_CHARACTERS 500
#define DEFAULT_CHARS_PER_URL 23
#define DEFAULT_MAX_MEDIA 4

static gboolean
read_statuses_config (CivicInstance  *self,
                      JsonObject     *configuration,
                      const char     *where,
                      GError        **error)
{
  JsonObject *statuses = NULL;
  JsonObject *urls = NULL;
  g_autofree char *statuses_where = g_strconcat (where, ".configuration.statuses", NULL);
  g_autofree char *urls_where = g_strconcat (where, ".configuration.urls", NULL);
  gint64 value;

  if (!_civic_json_object (configuration, statuses_where, "statuses", &statuses, error) ||
      !_civic_json_object (configuration, urls_where, "urls", &urls, error))
    return FALSE;

  if (statuses != NULL)
    {
      if (!_civic_json_int (statuses, statuses_where, "max_characters", &value, error))
        return FALSE;
      if (value > 0)
        self->max_characters = value;

      if (!_civic_json_int (statuses, statuses_where, "characters_reserved_per_url", &value, error))
        return FALSE;
      if (value > 0)
        self->characters_reserved_per_url = value;

      if (!_civic_json_int (statuses, statuses_where, "max_media_attachments", &value, error))
        return FALSE;
      if (value > 0)
        self->max_media_attachments = value;
    }

  /* v1 keeps the streaming URL outside configuration, in urls.streaming_api. */
  if (urls != NULL && self->api_version == 2 &&
      !_civic_json_string (urls, urls_where, "streaming", &self->streaming_url, error))
    return FALSE;

  return TRUE;
}

CivicInstance *
civic_instance_new_from_json (JsonObject  *obj,
                              guint        api_version,
                              GError     **error)
{
  g_autoptr(CivicInstance) self = g_new0 (CivicInstance, 1);
  const char *where = api_version == 1 ? "Instance(v1)" : "Instance";
  JsonObject *configuration = NULL;
  JsonObject *urls = NULL;

  g_return_val_if_fail (obj != NULL, NULL);
  g_return_val_if_fail (api_version == 1 || api_version == 2, NULL);

  self->api_version = api_version;
  self->max_characters = DEFAULT_MAX_CHARACTERS;
  self->characters_reserved_per_url = DEFAULT_CHARS_PER_URL;
  self->max_media_attachments = DEFAULT_MAX_MEDIA;

  if (!_civic_json_string (obj, where, api_version == 1 ? "uri" : "domain", &self->domain, error) ||
      !_civic_json_string (obj, where, "title", &self->title, error) ||
      !_civic_json_string (obj, where, "version", &self->version, error) ||
      !_civic_json_object (obj, where, "configuration", &configuration, error))
    return NULL;

  if (api_version == 1)
    {
      gint64 legacy = 0;

      /* v1 puts the streaming URL in urls.streaming_api; Pleroma and
       * Akkoma also state max_toot_chars at the top level. */
      if (!_civic_json_object (obj, where, "urls", &urls, error))
        return NULL;
      if (urls != NULL &&
          !_civic_json_string (urls, "Instance(v1).urls", "streaming_api", &self->streaming_url, error))
        return NULL;
      if (!_civic_json_int (obj, where, "max_toot_chars", &legacy, error))
        return NULL;
      if (legacy > 0)
        self->max_characters = legacy;
    }

  if (configuration != NULL && !read_statuses_config (self, configuration, where, error))
    return NULL;

  if (self->streaming_url != NULL && *self->streaming_url == '\0')
    g_clear_pointer (&self->streaming_url, g_free);

  if (self->domain == NULL)
    self->domain = g_strdup ("");
  if (self->title == NULL)
    self->title = g_strdup (self->domain);
  if (self->version == NULL)
    self->version = g_strdup ("");

  return g_steal_pointer (&self);
}

CivicInstance *
civic_instance_new_from_data (const char  *data,
                              gssize       length,
                              guint        api_version,
                              GError     **error)
{
  g_autoptr(JsonNode) root = _civic_json_parse (data, length, error);

  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TYPE,
                   "Instance: expected an object, got %s", _civic_json_node_type_name (root));
      return NULL;
    }

  return civic_instance_new_from_json (json_node_get_object (root), api_version, error);
}

void
civic_instance_free (CivicInstance *self)
{
  if (self == NULL)
    return;

  g_free (self->domain);
  g_free (self->title);
  g_free (self->version);
  g_free (self->streaming_url);
  g_free (self);
}
