/* civic-instance.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * CivicInstance:
 *
 * What the desk needs to know of a server, from `GET /api/v2/instance` or,
 * on servers without it, `GET /api/v1/instance`. Limits the server does not
 * state take Mastodon's defaults (500 characters, 23 per URL, 4 media).
 */
typedef struct
{
  char *domain;
  char *title;
  char *version;
  char *streaming_url;          /* NULL when the server names none */
  gint64 max_characters;
  gint64 characters_reserved_per_url;
  gint64 max_media_attachments;
  guint api_version;            /* 1 or 2: which endpoint answered */
} CivicInstance;

CivicInstance *civic_instance_new_from_json (JsonObject  *obj,
                                             guint        api_version,
                                             GError     **error);
CivicInstance *civic_instance_new_from_data (const char  *data,
                                             gssize       length,
                                             guint        api_version,
                                             GError     **error);
void           civic_instance_free          (CivicInstance *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicInstance, civic_instance_free)

G_END_DECLS
