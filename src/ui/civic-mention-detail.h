/* civic-mention-detail.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "civic-context.h"
#include "civic-mention.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_MENTION_DETAIL (civic_mention_detail_get_type ())

G_DECLARE_FINAL_TYPE (CivicMentionDetail, civic_mention_detail, CIVIC, MENTION_DETAIL, GtkWidget)

/* The right-hand pane: one mention in full, its place and photos, the
 * workflow actions (mention.claim, mention.release, mention.close,
 * mention.reopen, mention.reassign), internal notes and the audit trail.
 * It re-reads the mention from the store whenever the store changes, so a
 * claim made on another desk shows before anyone starts typing. */
GtkWidget    *civic_mention_detail_new         (CivicContext       *context);
void          civic_mention_detail_set_mention (CivicMentionDetail *self,
                                                gint64              mention_id);
gint64        civic_mention_detail_get_mention_id (CivicMentionDetail *self);
CivicMention *civic_mention_detail_get_mention (CivicMentionDetail *self);
/* The box under the actions where the reply composer goes. */
GtkBox       *civic_mention_detail_get_composer_slot (CivicMentionDetail *self);
/* Re-reads everything from the store now. */
void          civic_mention_detail_refresh     (CivicMentionDetail *self);

G_END_DECLS
