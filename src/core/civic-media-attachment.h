/* civic-media-attachment.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * CivicMediaAttachment:
 *
 * A Mastodon `MediaAttachment`. @url is %NULL while the server is still
 * processing an upload (the 202 answer of `POST /api/v2/media`).
 */
typedef struct
{
  char *id;
  char *type;          /* "image", "video", "gifv", "audio", "unknown" */
  char *url;
  char *preview_url;
  char *remote_url;
  char *description;   /* alt text, may be NULL */
  char *blurhash;
  int width;
  int height;
} CivicMediaAttachment;

CivicMediaAttachment *civic_media_attachment_new_from_json (JsonObject  *obj,
                                                            const char  *where,
                                                            GError     **error);
CivicMediaAttachment *civic_media_attachment_new_from_data (const char  *data,
                                                            gssize       length,
                                                            GError     **error);
void                  civic_media_attachment_free          (CivicMediaAttachment *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicMediaAttachment, civic_media_attachment_free)

G_END_DECLS
