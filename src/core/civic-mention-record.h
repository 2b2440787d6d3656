/* civic-mention-record.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "civic-status.h"

G_BEGIN_DECLS

/**
 * CivicMentionRecord:
 *
 * One mention as the ingest path hands it to the store: everything the
 * mentions row needs, already routed and geotagged. Strings are borrowed
 * from whoever filled the record (usually the #CivicStatus it came from),
 * except where a field is marked owned.
 */
typedef struct
{
  gint64 server_id;
  gint64 account_id;            /* the desk account that received it; 0 if none */
  const char *status_id;
  const char *notification_id;
  const char *author_id;
  const char *author_acct;
  const char *author_name;
  gint64 created_at_ms;
  const char *content_html;
  char *content_text;           /* owned */
  const char *spoiler_text;
  const char *language;
  const char *visibility;
  const char *in_reply_to_id;
  const char *url;
  gboolean has_point;
  double lat;
  double lon;
  const char *geo_source;
  double geo_uncertainty_m;     /* 0 when unknown */
  gint64 department_id;
  int priority;
  gint64 due_at_ms;
  const GPtrArray *media;       /* (element-type CivicMediaAttachment) (nullable) */
} CivicMentionRecord;

void civic_mention_record_init_from_status (CivicMentionRecord *record,
                                            const CivicStatus  *status);
void civic_mention_record_clear            (CivicMentionRecord *record);

G_END_DECLS
