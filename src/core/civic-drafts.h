/* civic-drafts.h
 *
 * The reply being written for a mention, saved as it is typed so that
 * neither closing the mention nor a crash loses a word.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "civic-store.h"

G_BEGIN_DECLS

/**
 * CivicDraft:
 * @visibility: (nullable): "public", "unlisted", "private" or "direct";
 *   NULL when staff have not chosen (the composer's default applies)
 * @language: (nullable): ISO 639-1, NULL for the department's default
 * @updated_at_ms: Unix ms of the last save
 *
 * One row of `drafts`. Strings owned.
 */
typedef struct
{
  gint64 mention_id;
  char *body;
  char *spoiler_text;
  char *visibility;
  char *language;
  gint64 updated_at_ms;
} CivicDraft;

void        civic_draft_free    (CivicDraft  *draft);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicDraft, civic_draft_free)

/* Saves the draft as is (the composer debounces; this just writes). A
 * draft with neither text nor content warning is deleted instead: an empty
 * composer has no draft. Does not emit CivicStore::changed — saving while
 * typing must not refresh every list. */
gboolean    civic_drafts_save   (CivicStore  *store,
                                 gint64       mention_id,
                                 const char  *body,
                                 const char  *spoiler_text,
                                 const char  *visibility,
                                 const char  *language,
                                 gint64       now_ms,
                                 GError     **error);
/* Returns NULL with no error when the mention has no draft. */
CivicDraft *civic_drafts_load   (CivicStore  *store,
                                 gint64       mention_id,
                                 GError     **error);
gboolean    civic_drafts_delete (CivicStore  *store,
                                 gint64       mention_id,
                                 GError     **error);
/* Ids of the mentions with a draft, most recently edited first (to mark
 * them in lists and offer them after a crash). */
GArray     *civic_drafts_list_mention_ids (CivicStore  *store,
                                           GError     **error);

G_END_DECLS
