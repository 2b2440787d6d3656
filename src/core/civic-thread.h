/* civic-thread.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "civic-context.h"
#include "civic-status.h"

G_BEGIN_DECLS

#define CIVIC_THREAD_ERROR (civic_thread_error_quark ())

/**
 * CivicThreadError:
 * @CIVIC_THREAD_ERROR_NO_ACCOUNT: no account on the mention's server is
 *   signed in on this desk (offline, signed out, or no sync at all)
 */
typedef enum
{
  CIVIC_THREAD_ERROR_NO_ACCOUNT,
} CivicThreadError;

GQuark civic_thread_error_quark (void);

/**
 * CivicThread:
 * @ancestors: (element-type CivicStatus): the statuses the mention answers,
 *   oldest first
 * @descendants: (element-type CivicStatus): the answers to it, in the
 *   server's order (depth first)
 *
 * The conversation around one mention, as its server has it now. Read
 * through an account of the desk on that server — the one that received
 * the mention, else the department's — so private threads show too.
 */
typedef struct
{
  GPtrArray *ancestors;
  GPtrArray *descendants;
  /*< private >*/
  GPtrArray *own_ids;    /* (element-type utf8): our accounts' remote ids */
  GPtrArray *own_accts;  /* (element-type utf8): and their accts */
} CivicThread;

void         civic_thread_free          (CivicThread         *self);
/* Whether one of the desk's own accounts on that server wrote @status. */
gboolean     civic_thread_is_own        (const CivicThread   *self,
                                         const CivicStatus   *status);

void         civic_thread_fetch_async   (CivicContext        *context,
                                         gint64               mention_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
CivicThread *civic_thread_fetch_finish  (CivicContext        *context,
                                         GAsyncResult        *result,
                                         GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicThread, civic_thread_free)

G_END_DECLS
