/* civic-notification.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "civic-account.h"
#include "civic-status.h"

G_BEGIN_DECLS

/**
 * CivicNotification:
 *
 * A Mastodon `Notification`. @status is set for mentions (and %NULL for
 * follows and the like).
 */
typedef struct
{
  char *id;
  char *type;           /* "mention", "follow", ... as sent */
  char *group_key;
  gint64 created_at_ms;
  CivicAccount *account;
  CivicStatus *status;
} CivicNotification;

CivicNotification *civic_notification_new_from_json (JsonObject  *obj,
                                                     const char  *where,
                                                     GError     **error);
CivicNotification *civic_notification_new_from_data (const char  *data,
                                                     gssize       length,
                                                     GError     **error);
void               civic_notification_free          (CivicNotification *self);

/* Parses a page (a JSON array) of notifications. Either every item parses
 * or the page is refused as a whole, so a bad page is never half-stored. */
GPtrArray         *civic_notification_list_new_from_data (const char  *data,
                                                          gssize       length,
                                                          GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicNotification, civic_notification_free)

G_END_DECLS
