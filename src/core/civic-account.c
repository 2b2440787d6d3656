/* civic-account.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "civic-account.h"
#include "civic-json-private.h"

CivicAccount *
civic_account_new_from_json (JsonObject  *obj,
                             const char  *where,
                             GError     **error)
{
  g_autoptr(CivicAccount) self = g_new0 (CivicAccount, 1);

  g_return_val_if_fail (obj != NULL, NULL);

  if (where == NULL)
    where = "Account";

  if (!_civic_json_id (obj, where, "id", &self->id, error) ||
      !_civic_json_string (obj, where, "username", &self->username, error) ||
      !_civic_json_string (obj, where, "acct", &self->acct, error) ||
      !_civic_json_string (obj, where, "display_name", &self->display_name, error) ||
      !_civic_json_string (obj, where, "url", &self->url, error) ||
      !_civic_json_string (obj, where, "avatar", &self->avatar, error) ||
      !_civic_json_boolean (obj, where, "bot", &self->bot, error))
    return NULL;

  if (!_civic_json_require (self->id, where, "id", error))
    return NULL;

  /* Servers differ: some omit acct or username; fall back on the other. */
  if (self->acct == NULL && self->username != NULL)
    self->acct = g_strdup (self->username);
  if (self->username == NULL && self->acct != NULL)
    self->username = g_strndup (self->acct, strcspn (self->acct, "@"));
  if (!_civic_json_require (self->acct, where, "acct", error))
    return NULL;

  if (self->display_name == NULL)
    self->display_name = g_strdup ("");
  if (self->url == NULL)
    self->url = g_strdup ("");

  return g_steal_pointer (&self);
}

CivicAccount *
civic_account_copy (const CivicAccount *self)
{
  CivicAccount *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (CivicAccount, 1);
  copy->id = g_strdup (self->id);
  copy->username = g_strdup (self->username);
  copy->acct = g_strdup (self->acct);
  copy->display_name = g_strdup (self->display_name);
  copy->url = g_strdup (self->url);
  copy->avatar = g_strdup (self->avatar);
  copy->bot = self->bot;

  return copy;
}

void
civic_account_free (CivicAccount *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->username);
  g_free (self->acct);
  g_free (self->display_name);
  g_free (self->url);
  g_free (self->avatar);
  g_free (self);
}
