/* civic-drafts.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "civic-drafts.h"
#include "civic-store-private.h"

void
civic_draft_free (CivicDraft *draft)
{
  if (draft == NULL)
    return;

  g_free (draft->body);
  g_free (draft->spoiler_text);
  g_free (draft->visibility);
  g_free (draft->language);
  g_free (draft);
}

static gboolean
step_done (CivicStore    *store,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _civic_store_fail (store, rc, what, error);

  return TRUE;
}

gboolean
civic_drafts_save (CivicStore  *store,
                   gint64       mention_id,
                   const char  *body,
                   const char  *spoiler_text,
                   const char  *visibility,
                   const char  *language,
                   gint64       now_ms,
                   GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);
  g_return_val_if_fail (mention_id > 0, FALSE);

  if ((body == NULL || *body == '\0') && (spoiler_text == NULL || *spoiler_text == '\0'))
    return civic_drafts_delete (store, mention_id, error);

  stmt = _civic_store_prepare (store,
                               "INSERT INTO drafts (mention_id, body, spoiler_text, visibility, language,"
                               "  updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                               "ON CONFLICT (mention_id) DO UPDATE SET body = excluded.body,"
                               "  spoiler_text = excluded.spoiler_text, visibility = excluded.visibility,"
                               "  language = excluded.language, updated_at = excluded.updated_at",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, mention_id);
  sqlite3_bind_text (stmt, 2, body != NULL ? body : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, spoiler_text != NULL ? spoiler_text : "", -1, SQLITE_STATIC);
  _civic_bind_text (stmt, 4, visibility);
  _civic_bind_text (stmt, 5, language);
  sqlite3_bind_int64 (stmt, 6, now_ms);

  return step_done (store, stmt, _("Could not save the draft"), error);
}

CivicDraft *
civic_drafts_load (CivicStore  *store,
                   gint64       mention_id,
                   GError     **error)
{
  g_autoptr(CivicDraft) draft = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);

  stmt = _civic_store_prepare (store,
                               "SELECT body, spoiler_text, visibility, language, updated_at "
                               "FROM drafts WHERE mention_id = ?1",
                               error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, mention_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      draft = g_new0 (CivicDraft, 1);
      draft->mention_id = mention_id;
      draft->body = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      draft->spoiler_text = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      draft->visibility = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      draft->language = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      draft->updated_at_ms = sqlite3_column_int64 (stmt, 4);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _civic_store_fail (store, rc, _("Could not read the draft"), error);
      return NULL;
    }

  return g_steal_pointer (&draft);
}

gboolean
civic_drafts_delete (CivicStore  *store,
                     gint64       mention_id,
                     GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);

  stmt = _civic_store_prepare (store, "DELETE FROM drafts WHERE mention_id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, mention_id);
  return step_done (store, stmt, _("Could not delete the draft"), error);
}

GArray *
civic_drafts_list_mention_ids (CivicStore  *store,
                               GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);

  stmt = _civic_store_prepare (store, "SELECT mention_id FROM drafts ORDER BY updated_at DESC, mention_id",
                               error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _civic_store_fail (store, rc, _("Could not list the drafts"), error);
      return NULL;
    }

  return g_steal_pointer (&ids);
}
