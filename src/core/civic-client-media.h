/* civic-client-media.h
 *
 * Media calls of the Mastodon client API, for the outbox: upload a photo
 * with its alt text (`POST /api/v2/media`) and ask whether the server has
 * finished processing it (`GET /api/v1/media/:id`).
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "civic-client.h"
#include "civic-media-attachment.h"

G_BEGIN_DECLS

/* The largest file the desk uploads (Mastodon takes 16 MB images). */
#define CIVIC_MEDIA_MAX_UPLOAD_SIZE (40 * 1024 * 1024)

/* Uploads @path as multipart/form-data. CivicClient keeps its session and
 * token to itself and sends only url-encoded forms, so the caller hands
 * the same session and token here; @client gives the server's address.
 * Errors are in CIVIC_CLIENT_ERROR like the client's own (a file that
 * cannot be read is a G_IO_ERROR). */
void                  civic_client_upload_media_async  (CivicClient          *client,
                                                        SoupSession          *session,
                                                        const char           *token,
                                                        const char           *path,
                                                        const char           *description,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
/* @processing: set when the server answered 202 (no URL yet): poll with
 * civic_client_get_media_async() before attaching it. */
CivicMediaAttachment *civic_client_upload_media_finish (CivicClient          *client,
                                                        GAsyncResult         *result,
                                                        gboolean             *processing,
                                                        GError              **error);

/* @processing: set while the server still processes it (206, or no URL). */
void                  civic_client_get_media_async     (CivicClient          *client,
                                                        const char           *media_id,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
CivicMediaAttachment *civic_client_get_media_finish    (CivicClient          *client,
                                                        GAsyncResult         *result,
                                                        gboolean             *processing,
                                                        GError              **error);

G_END_DECLS
