/* civic-store-private.h
 *
 * For core modules that keep their own tables in the store's database
 * (outbox, sync positions, audit): the connection and the statement cache.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "civic-store.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

sqlite3      *_civic_store_get_db      (CivicStore  *self);
/* Returns a cached, reset statement for @sql (a string literal: the cache
 * is keyed by its address). The caller binds and steps it, never finalizes it. */
sqlite3_stmt *_civic_store_prepare     (CivicStore  *self,
                                        const char  *sql,
                                        GError     **error);
/* Sets @error from the connection's last error, with @what as the context. */
gboolean      _civic_store_fail        (CivicStore  *self,
                                        int          rc,
                                        const char  *what,
                                        GError     **error);
gboolean      _civic_store_exec        (CivicStore  *self,
                                        const char  *sql,
                                        GError     **error);
/* Emits ::changed (after the outermost commit, or now when outside one). */
void          _civic_store_mark_changed (CivicStore *self);

/* What a row @m of mentions must meet to be listed, counted, searched,
 * mapped or exported on this desk: a direct mention only when the desk
 * serves its department (civic-desk-profile.h). */
#define CIVIC_STORE_VISIBLE_SQL(m) \
  "(" m ".visibility != 'direct' OR " m ".department_id IN (SELECT id FROM desk_direct_departments))"

static inline void
_civic_bind_text (sqlite3_stmt *stmt,
                  int           index,
                  const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

static inline void
_civic_bind_opt_int64 (sqlite3_stmt *stmt,
                       int           index,
                       gint64        value)
{
  if (value != 0)
    sqlite3_bind_int64 (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

G_END_DECLS
