/* civic-json.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>
#include <string.h>

#include "civic-json-private.h"

G_DEFINE_QUARK (civic-entity-error-quark, civic_entity_error)

const char *
_civic_json_node_type_name (JsonNode *node)
{
  if (node == NULL)
    return "nothing";

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return "a string";
        case G_TYPE_BOOLEAN:
          return "a boolean";
        case G_TYPE_INT64:
          return "an integer";
        case G_TYPE_DOUBLE:
          return "a number";
        default:
          return "a value";
        }
    default:
      return "something else";
    }
}

static gboolean
wrong_type (JsonNode    *node,
            const char  *where,
            const char  *field,
            const char  *expected,
            GError     **error)
{
  g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TYPE,
               "%s.%s: expected %s, got %s",
               where, field, expected, _civic_json_node_type_name (node));
  return FALSE;
}

/* Returns the member node, or NULL when missing or null. */
static JsonNode *
member (JsonObject *obj,
        const char *field)
{
  JsonNode *node = json_object_get_member (obj, field);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

/* json-glib takes "\NNN" as an octal escape (JSON has none) and can hand
 * back bytes that are not UTF-8; everything downstream (sqlite's text,
 * Pango, GMarkup) expects UTF-8. */
static char *
dup_utf8 (const char *s)
{
  if (G_LIKELY (g_utf8_validate (s, -1, NULL)))
    return g_strdup (s);
  return g_utf8_make_valid (s, -1);
}

gboolean
_civic_json_string (JsonObject  *obj,
                    const char  *where,
                    const char  *field,
                    char       **out,
                    GError     **error)
{
  JsonNode *node = member (obj, field);

  *out = NULL;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (node, where, field, "a string", error);

  *out = dup_utf8 (json_node_get_string (node));
  return TRUE;
}

gboolean
_civic_json_id (JsonObject  *obj,
                const char  *where,
                const char  *field,
                char       **out,
                GError     **error)
{
  JsonNode *node = member (obj, field);

  *out = NULL;
  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (node);

          if (*s == '\0')
            {
              g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_VALUE,
                           "%s.%s: the id is empty", where, field);
              return FALSE;
            }
          *out = dup_utf8 (s);
          return TRUE;
        }
      if (type == G_TYPE_INT64)
        {
          *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
          return TRUE;
        }
    }

  return wrong_type (node, where, field, "a string id", error);
}

gboolean
_civic_json_boolean (JsonObject  *obj,
                     const char  *where,
                     const char  *field,
                     gboolean    *out,
                     GError     **error)
{
  JsonNode *node = member (obj, field);

  *out = FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wrong_type (node, where, field, "a boolean", error);

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
_civic_json_int (JsonObject  *obj,
                 const char  *where,
                 const char  *field,
                 gint64      *out,
                 GError     **error)
{
  JsonNode *node = member (obj, field);

  *out = 0;
  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64)
        {
          *out = json_node_get_int (node);
          return TRUE;
        }
      if (type == G_TYPE_DOUBLE)
        {
          double d = json_node_get_double (node);

          if (d >= (double) G_MININT64 && d <= (double) G_MAXINT64)
            {
              *out = (gint64) d;
              return TRUE;
            }
        }
    }

  return wrong_type (node, where, field, "an integer", error);
}

gboolean
_civic_json_time (JsonObject  *obj,
                  const char  *where,
                  const char  *field,
                  gint64      *out_ms,
                  GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) utc = NULL;

  *out_ms = 0;
  if (!_civic_json_string (obj, where, field, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    {
      /* A bare date ("2026-08-01", as in last_status_at) is valid too. */
      int y, m, d;
      char tail;

      if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3)
        dt = g_date_time_new (utc, y, m, d, 0, 0, 0);
    }
  if (dt == NULL)
    {
      g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_VALUE,
                   "%s.%s: “%s” is not an ISO 8601 time", where, field, text);
      return FALSE;
    }

  *out_ms = g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
  return TRUE;
}

gboolean
_civic_json_object (JsonObject  *obj,
                    const char  *where,
                    const char  *field,
                    JsonObject **out,
                    GError     **error)
{
  JsonNode *node = member (obj, field);

  *out = NULL;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (node, where, field, "an object", error);

  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
_civic_json_array (JsonObject  *obj,
                   const char  *where,
                   const char  *field,
                   JsonArray  **out,
                   GError     **error)
{
  JsonNode *node = member (obj, field);

  *out = NULL;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (node, where, field, "an array", error);

  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
_civic_json_require (const void  *value,
                     const char  *where,
                     const char  *field,
                     GError     **error)
{
  if (value != NULL)
    return TRUE;

  g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_MISSING,
               "%s.%s is missing", where, field);
  return FALSE;
}

/* json-glib's parser recurses once per nesting level, so a body of nested
 * brackets overflows the stack long before any size cap: count the depth
 * first, outside strings, in one cheap pass. */
static gboolean
check_depth (const char  *data,
             gsize        length,
             GError     **error)
{
  const char *end = data + length;
  gboolean in_string = FALSE;
  guint depth = 0;

  for (const char *p = data; p < end; p++)
    {
      char c = *p;

      if (in_string)
        {
          if (c == '\\')
            p++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > CIVIC_JSON_MAX_DEPTH)
            {
              g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TOO_DEEP,
                           "The server sent JSON nested more than %d levels deep; "
                           "the desk refuses it unread", CIVIC_JSON_MAX_DEPTH);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

JsonNode *
_civic_json_parse (const char  *data,
                   gssize       length,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (length < 0)
    length = strlen (data);

  if (!check_depth (data, length, error))
    return NULL;

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_SYNTAX,
                   "The server sent malformed JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_SYNTAX,
                           "The server sent an empty answer where JSON was expected");
      return NULL;
    }

  return root;
}
