/* civic-json-private.h
 *
 * Typed, path-aware field readers shared by the entity parsers.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "civic-entity-error.h"

G_BEGIN_DECLS

/* Every reader treats a missing member and a JSON null alike: the output is
 * left NULL/0/default and TRUE is returned.  A member of the wrong type sets
 * a CIVIC_ENTITY_ERROR_TYPE error naming "@where.@field" and returns FALSE.
 * Strings are returned newly allocated. */

gboolean _civic_json_string   (JsonObject  *obj,
                               const char  *where,
                               const char  *field,
                               char       **out,
                               GError     **error);
/* An id: a JSON string, or an integer some servers send, as a string. */
gboolean _civic_json_id       (JsonObject  *obj,
                               const char  *where,
                               const char  *field,
                               char       **out,
                               GError     **error);
gboolean _civic_json_boolean  (JsonObject  *obj,
                               const char  *where,
                               const char  *field,
                               gboolean    *out,
                               GError     **error);
gboolean _civic_json_int      (JsonObject  *obj,
                               const char  *where,
                               const char  *field,
                               gint64      *out,
                               GError     **error);
/* An ISO 8601 timestamp, returned as Unix milliseconds (0 when absent). */
gboolean _civic_json_time     (JsonObject  *obj,
                               const char  *where,
                               const char  *field,
                               gint64      *out_ms,
                               GError     **error);
/* Borrowed object / array; *out is NULL when absent or null. */
gboolean _civic_json_object   (JsonObject  *obj,
                               const char  *where,
                               const char  *field,
                               JsonObject **out,
                               GError     **error);
gboolean _civic_json_array    (JsonObject  *obj,
                               const char  *where,
                               const char  *field,
                               JsonArray  **out,
                               GError     **error);
gboolean _civic_json_require  (const void  *value,
                               const char  *where,
                               const char  *field,
                               GError     **error);

/* Parses @data with json-glib, reporting syntax errors in our domain. */
JsonNode *_civic_json_parse   (const char  *data,
                               gssize       length,
                               GError     **error);

const char *_civic_json_node_type_name (JsonNode *node);

G_END_DECLS
