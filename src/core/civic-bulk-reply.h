/* civic-bulk-reply.h
 *
 * One template, one reply per citizen: answering a cluster of reports of
 * the same pothole or rubbish bag from the map.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "civic-context.h"
#include "civic-outbox.h"
#include "civic-templates.h"

G_BEGIN_DECLS

/**
 * CivicBulkReplyPlan:
 * @mentions: (element-type CivicMention): the mentions that will get a
 *   reply, in the order given
 * @n_answered: skipped: answered, closed, or a reply already in the outbox
 * @n_colleague: skipped: claimed by a colleague
 *
 * Who a bulk reply goes to. Owned; free with civic_bulk_reply_plan_free().
 */
typedef struct
{
  GPtrArray *mentions;
  guint n_answered;
  guint n_colleague;
} CivicBulkReplyPlan;

void                civic_bulk_reply_plan_free (CivicBulkReplyPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicBulkReplyPlan, civic_bulk_reply_plan_free)

/* Reads @ids (missing ones are left out) and sorts out whom to answer, as
 * @context's person. @outbox (nullable) is asked for replies still on
 * their way, so running it twice never answers twice. */
CivicBulkReplyPlan *civic_bulk_reply_plan      (CivicContext   *context,
                                                CivicOutbox    *outbox,
                                                const gint64   *ids,
                                                guint           n_ids,
                                                GError        **error);
/* (element-type CivicTemplate) (transfer full): the templates of the
 * departments of the plan's mentions. */
GPtrArray          *civic_bulk_reply_list_templates (CivicContext             *context,
                                                     const CivicBulkReplyPlan *plan,
                                                     GError                  **error);
/* The reply to @mention: "@author " and @tmpl with its placeholders
 * filled for that citizen and their mention's department. */
char               *civic_bulk_reply_compose   (CivicContext        *context,
                                                const CivicTemplate *tmpl,
                                                CivicMention        *mention);
/* Queues one reply per mention of @plan through @outbox (threaded under
 * the citizen's status, visibility as the outbox chooses: public unless the
 * mention was private). Stops at the first failure; @n_queued says how many
 * went before it. */
gboolean            civic_bulk_reply_queue     (CivicContext             *context,
                                                CivicOutbox              *outbox,
                                                const CivicBulkReplyPlan *plan,
                                                const CivicTemplate      *tmpl,
                                                guint                    *n_queued,
                                                GError                  **error);

G_END_DECLS
