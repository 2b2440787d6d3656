/* civic-status.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "civic-account.h"
#include "civic-enums.h"
#include "civic-media-attachment.h"

G_BEGIN_DECLS

/**
 * CivicStatusMention:
 *
 * An entry of a status's `mentions` array.
 */
typedef struct
{
  char *id;
  char *username;
  char *acct;
  char *url;
} CivicStatusMention;

/**
 * CivicStatus:
 *
 * A Mastodon `Status`, as far as the desk needs it. Strings are owned;
 * @content and @spoiler_text are never %NULL (empty when absent).
 * Times are Unix milliseconds.
 */
typedef struct
{
  char *id;
  char *uri;
  char *url;
  gint64 created_at_ms;
  gint64 edited_at_ms;            /* 0 when never edited */
  char *in_reply_to_id;
  char *in_reply_to_account_id;
  gboolean sensitive;
  char *spoiler_text;
  char *visibility_name;          /* as sent */
  CivicVisibility visibility;     /* mapped, see civic_visibility_from_string() */
  char *language;
  char *content;                  /* untrusted HTML */
  CivicAccount *account;
  GPtrArray *media;               /* (element-type CivicMediaAttachment) */
  GPtrArray *mentions;            /* (element-type CivicStatusMention) */
  GPtrArray *tags;                /* (element-type utf8): names, without '#' */
} CivicStatus;

CivicStatus *civic_status_new_from_json (JsonObject  *obj,
                                         const char  *where,
                                         GError     **error);
CivicStatus *civic_status_new_from_data (const char  *data,
                                         gssize       length,
                                         GError     **error);
void         civic_status_free          (CivicStatus *self);

/* Parses an array of statuses (a timeline, or a context's ancestors). */
GPtrArray   *civic_status_list_from_json_array (JsonArray   *array,
                                                const char  *where,
                                                GError     **error);

/**
 * CivicStatusContext:
 *
 * The answer of `GET /api/v1/statuses/:id/context`.
 */
typedef struct
{
  GPtrArray *ancestors;    /* (element-type CivicStatus) */
  GPtrArray *descendants;  /* (element-type CivicStatus) */
} CivicStatusContext;

CivicStatusContext *civic_status_context_new_from_data (const char  *data,
                                                        gssize       length,
                                                        GError     **error);
void                civic_status_context_free          (CivicStatusContext *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicStatus, civic_status_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicStatusContext, civic_status_context_free)

G_END_DECLS
