/* civic-mention.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "civic-enums.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_MENTION (civic_mention_get_type ())

G_DECLARE_FINAL_TYPE (CivicMention, civic_mention, CIVIC, MENTION, GObject)

/**
 * CivicMention:
 *
 * One row of the mentions table as the UI sees it: a snapshot read from the
 * store. The store stays the source of truth; a #CivicMention is refreshed
 * with civic_mention_update_workflow() when the store says the row changed.
 */

gint64             civic_mention_get_id              (CivicMention *self);
const char        *civic_mention_get_status_id       (CivicMention *self);
const char        *civic_mention_get_notification_id (CivicMention *self);
gint64             civic_mention_get_department_id   (CivicMention *self);
const char        *civic_mention_get_author_acct     (CivicMention *self);
const char        *civic_mention_get_author_name     (CivicMention *self);
gint64             civic_mention_get_created_at_ms   (CivicMention *self);
const char        *civic_mention_get_text            (CivicMention *self);
const char        *civic_mention_get_html            (CivicMention *self);
const char        *civic_mention_get_spoiler_text    (CivicMention *self);
CivicVisibility    civic_mention_get_visibility      (CivicMention *self);
const char        *civic_mention_get_language        (CivicMention *self);
const char        *civic_mention_get_in_reply_to_id  (CivicMention *self);
const char        *civic_mention_get_url             (CivicMention *self);
gboolean           civic_mention_get_point           (CivicMention *self,
                                                      double       *lat,
                                                      double       *lon);
const char        *civic_mention_get_geo_source      (CivicMention *self);
guint              civic_mention_get_media_count     (CivicMention *self);
CivicMentionState  civic_mention_get_state           (CivicMention *self);
CivicPriority      civic_mention_get_priority        (CivicMention *self);
const char        *civic_mention_get_claimed_by      (CivicMention *self);
gint64             civic_mention_get_due_at_ms       (CivicMention *self);
gint64             civic_mention_get_answered_at_ms  (CivicMention *self);
gboolean           civic_mention_is_overdue          (CivicMention *self,
                                                      gint64        now_ms);

/* For the store. */
typedef struct
{
  gint64 id;
  const char *status_id;
  const char *notification_id;
  gint64 department_id;
  const char *author_acct;
  const char *author_name;
  gint64 created_at_ms;
  const char *text;
  const char *html;
  const char *spoiler_text;
  const char *visibility;
  const char *language;
  const char *in_reply_to_id;
  const char *url;
  gboolean has_point;
  double lat;
  double lon;
  const char *geo_source;
  guint media_count;
  CivicMentionState state;
  CivicPriority priority;
  const char *claimed_by;
  gint64 due_at_ms;
  gint64 answered_at_ms;
} CivicMentionFields;

CivicMention *civic_mention_new             (const CivicMentionFields *fields);
/* Takes what may have changed in the store (workflow, deadline, answer)
 * from @fresh, a newer read of the same row, notifying what moved. */
void          civic_mention_update_from     (CivicMention             *self,
                                             CivicMention             *fresh);
void          civic_mention_update_workflow (CivicMention             *self,
                                             CivicMentionState         state,
                                             CivicPriority             priority,
                                             const char               *claimed_by,
                                             gint64                    department_id);

G_END_DECLS
