/* civic-mention-record.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "civic-mention-record.h"

/**
 * civic_mention_record_init_from_status:
 *
 * Fills the fields that come straight from @status (which must outlive the
 * record). The plain text (civic_html_to_text() of the content) is left to
 * the caller, which may have it already; routing fields (department,
 * priority, due time, place) are left for the router.
 */
void
civic_mention_record_init_from_status (CivicMentionRecord *record,
                                       const CivicStatus  *status)
{
  g_return_if_fail (record != NULL);
  g_return_if_fail (status != NULL);

  memset (record, 0, sizeof *record);
  record->status_id = status->id;
  record->author_id = status->account->id;
  record->author_acct = status->account->acct;
  record->author_name = status->account->display_name;
  record->created_at_ms = status->created_at_ms;
  record->content_html = status->content;
  record->spoiler_text = status->spoiler_text;
  record->language = status->language;
  record->visibility = civic_visibility_to_string (status->visibility);
  record->in_reply_to_id = status->in_reply_to_id;
  record->url = status->url != NULL ? status->url : status->uri;
  record->media = status->media;
}

void
civic_mention_record_clear (CivicMentionRecord *record)
{
  g_return_if_fail (record != NULL);

  g_clear_pointer (&record->content_text, g_free);
}
