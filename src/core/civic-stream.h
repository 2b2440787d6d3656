/* civic-stream.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Decodes one streaming frame: {"stream":[…],"event":"…","payload":"…"}.
 * The payload is JSON text (decoded again by the caller) for notifications
 * and updates, and a bare id for deletes. Returns FALSE with an error for
 * anything else; frames larger than 1 MB are refused. */
gboolean civic_stream_decode_frame (const char  *data,
                                    gsize        length,
                                    char       **event,
                                    char       **payload,
                                    GError     **error);

#define CIVIC_TYPE_STREAM (civic_stream_get_type ())

G_DECLARE_FINAL_TYPE (CivicStream, civic_stream, CIVIC, STREAM, GObject)

/* One WebSocket to a server's streaming API. Emits ::event for each frame,
 * ::closed once when it ends (with the error, NULL for a clean close). */
CivicStream *civic_stream_new           (SoupSession          *session,
                                         const char           *uri,
                                         const char           *token);
void         civic_stream_connect_async (CivicStream          *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean     civic_stream_connect_finish (CivicStream         *self,
                                          GAsyncResult        *result,
                                          GError             **error);
void         civic_stream_close         (CivicStream          *self);
gboolean     civic_stream_is_open       (CivicStream          *self);

G_END_DECLS
