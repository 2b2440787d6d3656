/* civic-account.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * CivicAccount:
 *
 * A Mastodon `Account` entity: the fields the desk uses. Every string is
 * owned; @display_name and @url may be empty but never %NULL.
 */
typedef struct
{
  char *id;
  char *username;
  char *acct;          /* "user" for local accounts, "user@domain" for remote ones */
  char *display_name;
  char *url;
  char *avatar;
  gboolean bot;
} CivicAccount;

CivicAccount *civic_account_new_from_json (JsonObject    *obj,
                                           const char    *where,
                                           GError       **error);
CivicAccount *civic_account_copy          (const CivicAccount *self);
void          civic_account_free          (CivicAccount  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicAccount, civic_account_free)

G_END_DECLS
