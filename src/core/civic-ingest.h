/* civic-ingest.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "civic-geotag.h"
#include "civic-router.h"
#include "civic-store.h"

G_BEGIN_DECLS

/**
 * CivicIngestTarget:
 *
 * Where a page came from. Strings are copied.
 */
typedef struct
{
  gint64 server_id;
  gint64 account_id;
  const char *server_host;
  const char *acct;
} CivicIngestTarget;

/**
 * CivicIngestMode:
 * @CIVIC_INGEST_BACKWARD: a page of the first backfill (newest first, walking
 *   back): moves the backfill position, and sets the newest position if unset
 * @CIVIC_INGEST_FORWARD: a page newer than the newest position: moves it
 * @CIVIC_INGEST_LIVE: one streamed notification, trusted: moves the newest position
 * @CIVIC_INGEST_UNTRUSTED: streamed while a gap is being filled, or anything
 *   else that must not move positions
 */
typedef enum
{
  CIVIC_INGEST_BACKWARD,
  CIVIC_INGEST_FORWARD,
  CIVIC_INGEST_LIVE,
  CIVIC_INGEST_UNTRUSTED,
} CivicIngestMode;

/**
 * CivicIngestResult:
 *
 * What a page held. Ids are the server's notification ids of the page's
 * first (newest) and last (oldest) item, whatever their type.
 */
typedef struct
{
  guint n_items;
  guint n_mentions;
  guint n_new;
  char *newest_id;
  char *oldest_id;
  gint64 oldest_created_ms;
  GArray *new_ids;        /* gint64 row ids of mentions stored for the first time */
} CivicIngestResult;

void civic_ingest_result_free (CivicIngestResult *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicIngestResult, civic_ingest_result_free)

#define CIVIC_TYPE_INGEST (civic_ingest_get_type ())

G_DECLARE_FINAL_TYPE (CivicIngest, civic_ingest, CIVIC, INGEST, GObject)

/* The ingest path: JSON → entities → plain text and place (in a worker
 * thread, off the frame budget) → route → one transaction per page in the
 * store, positions included, on the caller's main context. */
CivicIngest       *civic_ingest_new          (CivicStore              *store,
                                              CivicRouter             *router,
                                              gint64                 (*now_func) (gpointer),
                                              gpointer                 now_data);
CivicRouter       *civic_ingest_get_router   (CivicIngest             *self);
/* How old a mention found by the first backfill must be to be filed as
 * history (closed) rather than queued; 0 files nothing. Default 2 days. */
void               civic_ingest_set_history_age (CivicIngest          *self,
                                                 gint64                age_ms);
/* Street names for reports without coordinates (takes ownership). */
void               civic_ingest_set_gazetteer (CivicIngest           *self,
                                               CivicGazetteer        *gazetteer);
/* @json is a page (a JSON array) or, when @single is TRUE, one
 * notification object (a streamed payload). */
void               civic_ingest_page_async   (CivicIngest             *self,
                                              const CivicIngestTarget *target,
                                              CivicIngestMode          mode,
                                              GBytes                  *json,
                                              gboolean                 single,
                                              GCancellable            *cancellable,
                                              GAsyncReadyCallback      callback,
                                              gpointer                 user_data);
CivicIngestResult *civic_ingest_page_finish  (CivicIngest             *self,
                                              GAsyncResult            *result,
                                              GError                 **error);

/* The same, all on the calling thread: for tests and for the benchmark's
 * single-threaded reference. */
CivicIngestResult *civic_ingest_page_sync    (CivicIngest             *self,
                                              const CivicIngestTarget *target,
                                              CivicIngestMode          mode,
                                              GBytes                  *json,
                                              gboolean                 single,
                                              GError                 **error);

G_END_DECLS
