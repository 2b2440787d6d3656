/* fuzz-entity-json.c
 *
 * Server JSON → entities, and on through the whole ingest path (plain
 * text, place, route, store) into an in-memory store: what a hostile or
 * broken server can make the desk do with one answer.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "civic-fuzz.h"
#include "civic-ingest.h"
#include "civic-instance.h"
#include "civic-media-attachment.h"
#include "civic-notification.h"
#include "civic-status.h"

typedef struct
{
  CivicStore *store;
  CivicRouter *router;
  CivicIngest *ingest;
  CivicIngestTarget target;
  guint runs;
} Desk;

static Desk desk;

static void
desk_clear (void)
{
  g_clear_object (&desk.ingest);
  g_clear_object (&desk.router);
  g_clear_object (&desk.store);
}

/* A fresh in-memory desk every few thousand inputs, so the store stays
 * small and each run is as fast as the first. */
static void
desk_ensure (void)
{
  g_autoptr(GError) error = NULL;
  gint64 account_id;
  gint64 department_id;

  if (desk.store != NULL && desk.runs++ < 5000)
    return;

  desk_clear ();
  desk.runs = 0;
  desk.store = civic_store_new (":memory:", &error);
  g_assert_no_error (error);
  desk.target.server_id = civic_store_ensure_server (desk.store, "https://jun.example", &error);
  g_assert_no_error (error);
  account_id = civic_store_ensure_account (desk.store, desk.target.server_id, "alcaldia", "1", "Alcaldía", &error);
  g_assert_no_error (error);
  department_id = civic_store_ensure_department (desk.store, "alcaldia", "Alcaldía", NULL, 60, &error);
  g_assert_no_error (error);
  civic_store_bind_department (desk.store, department_id, account_id, &error);
  g_assert_no_error (error);
  desk.target.account_id = account_id;
  desk.target.server_host = "jun.example";
  desk.target.acct = "alcaldia";
  desk.router = civic_router_new (desk.store, &error);
  g_assert_no_error (error);
  desk.ingest = civic_ingest_new (desk.store, desk.router, NULL, NULL);
}

static void
ingest (GBytes   *bytes,
        gboolean  single)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicIngestResult) result = NULL;

  result = civic_ingest_page_sync (desk.ingest, &desk.target, CIVIC_INGEST_FORWARD, bytes, single, &error);
  /* Either a result or an error, never both, never neither. */
  g_assert_true ((result == NULL) != (error == NULL));
  if (result != NULL)
    g_assert_cmpuint (result->n_mentions, <=, result->n_items);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  const char *text = (const char *) data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(CivicStatus) status = NULL;
  g_autoptr(CivicStatusContext) context = NULL;
  g_autoptr(CivicInstance) v1 = NULL;
  g_autoptr(CivicInstance) v2 = NULL;
  g_autoptr(CivicMediaAttachment) media = NULL;

  civic_fuzz_init_logging ();
  desk_ensure ();

  /* Each parser alone: every failure is a GError, never a crash. */
  list = civic_notification_list_new_from_data (text, size, &error);
  g_assert_true ((list == NULL) != (error == NULL));
  g_clear_error (&error);
  status = civic_status_new_from_data (text, size, &error);
  g_assert_true ((status == NULL) != (error == NULL));
  g_clear_error (&error);
  context = civic_status_context_new_from_data (text, size, &error);
  g_clear_error (&error);
  v1 = civic_instance_new_from_data (text, size, 1, &error);
  g_clear_error (&error);
  v2 = civic_instance_new_from_data (text, size, 2, &error);
  g_clear_error (&error);
  media = civic_media_attachment_new_from_data (text, size, &error);
  g_clear_error (&error);

  /* And the ingest path, as a page and as one streamed notification. */
  ingest (bytes, FALSE);
  ingest (bytes, TRUE);

  return 0;
}
