/* civic-test-desk.h
 *
 * A desk signed in to civic-sim, as the UI tests that send replies or
 * read threads need it: a store in a temporary directory, the mayor's
 * office's account logged in with a token (no keyring), and what the sim
 * holds synced once into the store.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "civic-login.h"
#include "civic-outbox.h"
#include "civic-sync.h"
#include "civic-test-sim.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean done;
  GAsyncResult *result;
} CivicTestDeskWait;

static inline void
civic_test_desk_wait_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  CivicTestDeskWait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

/* A desk's context on a new store in @dir, staffed by the tests' person
 * at their desk. */
static inline CivicContext *
civic_test_desk_context_new (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "desk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStore) store = civic_store_new (path, &error);
  CivicContext *context;

  g_assert_no_error (error);
  context = civic_context_new (store, NULL);
  civic_context_set_person (context, "Ana García");
  civic_context_set_desk_name (context, "mostrador 1");

  return context;
}

/* Logs the sim's "alcaldia" account in as the Alcaldía department (the
 * token straight to @sync and @outbox, nullable), then reloads and syncs
 * once: every mention the sim holds is in the store. */
static inline void
civic_test_desk_sign_in (CivicTestSim *sim,
                         CivicContext *context,
                         SoupSession  *session,
                         CivicSync    *sync,
                         CivicOutbox  *outbox)
{
  CivicStore *store = civic_context_get_store (context);
  g_autoptr(CivicAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  const char *token = civic_test_sim_token (sim, "alcaldia");
  CivicTestDeskWait wait = { 0 };
  gint64 department;

  department = civic_store_ensure_department (store, "alcaldia", "Alcaldía", "#9141ac", 60, &error);
  g_assert_no_error (error);
  civic_login_with_token_async (session, store, sim->url, token, department,
                                CIVIC_LOGIN_FLAGS_NO_KEYRING, NULL, civic_test_desk_wait_cb, &wait);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
  account = civic_login_with_token_finish (wait.result, NULL, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  civic_sync_set_token (sync, sim->url, "alcaldia", token);
  if (outbox != NULL)
    civic_outbox_set_token (outbox, sim->url, "alcaldia", token);

  wait.done = FALSE;
  civic_sync_reload_async (sync, NULL, civic_test_desk_wait_cb, &wait);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
  g_assert_true (civic_sync_reload_finish (sync, wait.result, NULL));
  g_clear_object (&wait.result);

  wait.done = FALSE;
  civic_sync_run_once_async (sync, NULL, civic_test_desk_wait_cb, &wait);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 20000));
  g_assert_true (civic_sync_run_once_finish (sync, wait.result, &error));
  g_clear_object (&wait.result);
  g_assert_no_error (error);
}

/* The store's row for the sim's status @status_id (asserted present). */
static inline gint64
civic_test_desk_find (CivicTestSim *sim,
                      CivicContext *context,
                      const char   *status_id)
{
  CivicStore *store = civic_context_get_store (context);
  gint64 id = civic_store_find_mention (store, civic_store_ensure_server (store, sim->url, NULL), status_id);

  g_assert_cmpint (id, >, 0);
  return id;
}

G_END_DECLS
