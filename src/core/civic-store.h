/* civic-store.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "civic-department.h"
#include "civic-mention.h"
#include "civic-mention-record.h"

G_BEGIN_DECLS

#define CIVIC_STORE_ERROR (civic_store_error_quark ())

/**
 * CivicStoreError:
 * @CIVIC_STORE_ERROR_OPEN: the database file cannot be created or opened
 * @CIVIC_STORE_ERROR_CORRUPT: the file is damaged or is not a Civic Desk database
 * @CIVIC_STORE_ERROR_TOO_NEW: the file was written by a newer Civic Desk
 * @CIVIC_STORE_ERROR_BUSY: another process holds the database for too long
 * @CIVIC_STORE_ERROR_FULL: the disk is full
 * @CIVIC_STORE_ERROR_NOT_FOUND: the row asked for does not exist
 * @CIVIC_STORE_ERROR_CONFLICT: the row changed under us (e.g. a claim by another desk)
 * @CIVIC_STORE_ERROR_INVALID: the caller gave a value the store refuses
 * @CIVIC_STORE_ERROR_FAILED: any other sqlite failure; the message has sqlite's words
 */
typedef enum
{
  CIVIC_STORE_ERROR_OPEN,
  CIVIC_STORE_ERROR_CORRUPT,
  CIVIC_STORE_ERROR_TOO_NEW,
  CIVIC_STORE_ERROR_BUSY,
  CIVIC_STORE_ERROR_FULL,
  CIVIC_STORE_ERROR_NOT_FOUND,
  CIVIC_STORE_ERROR_CONFLICT,
  CIVIC_STORE_ERROR_INVALID,
  CIVIC_STORE_ERROR_FAILED,
} CivicStoreError;

GQuark civic_store_error_quark (void);

#define CIVIC_TYPE_STORE (civic_store_get_type ())

G_DECLARE_FINAL_TYPE (CivicStore, civic_store, CIVIC, STORE, GObject)

/* The schema version this build writes (PRAGMA user_version). */
#define CIVIC_STORE_SCHEMA_VERSION 4

char       *civic_store_dup_default_path (void);
CivicStore *civic_store_new              (const char  *path,
                                          GError     **error);
const char *civic_store_get_path         (CivicStore  *self);
/* Another connection to the same database, for reading in a worker thread
 * (one thread at a time) while this one writes; WAL lets it see every
 * committed write. NULL for a ":memory:" store, which has no second door. */
CivicStore *civic_store_open_reader      (CivicStore  *self,
                                          GError     **error);
int         civic_store_get_schema_version (CivicStore *self);

gboolean    civic_store_begin            (CivicStore  *self,
                                          GError     **error);
gboolean    civic_store_commit           (CivicStore  *self,
                                          GError     **error);
void        civic_store_rollback         (CivicStore  *self);

/* Servers and accounts */
gint64      civic_store_ensure_server    (CivicStore  *self,
                                          const char  *base_url,
                                          GError     **error);
gint64      civic_store_ensure_account   (CivicStore  *self,
                                          gint64       server_id,
                                          const char  *acct,
                                          const char  *remote_id,
                                          const char  *display_name,
                                          GError     **error);

/* Departments */
gint64      civic_store_ensure_department      (CivicStore  *self,
                                                const char  *slug,
                                                const char  *name,
                                                const char  *colour,
                                                guint        sla_minutes,
                                                GError     **error);
gboolean    civic_store_bind_department        (CivicStore  *self,
                                                gint64       department_id,
                                                gint64       account_id,
                                                GError     **error);
gboolean    civic_store_set_department_language (CivicStore *self,
                                                 gint64      department_id,
                                                 const char *language,
                                                 GError    **error);
gint64      civic_store_lookup_department      (CivicStore  *self,
                                                const char  *slug);
gint64      civic_store_get_unsorted_department (CivicStore *self);
/* (element-type CivicDepartment): names, colours, answer times and
 * accounts, without counting the queues (cheap, for menus and labels). */
GPtrArray  *civic_store_list_departments_brief (CivicStore  *self,
                                                GError     **error);
/* (element-type CivicDepartment): counts as of @now_ms. */
GPtrArray  *civic_store_list_departments       (CivicStore  *self,
                                                gint64       now_ms,
                                                GError     **error);
gboolean    civic_store_count_department       (CivicStore  *self,
                                                gint64       department_id,
                                                gint64       now_ms,
                                                guint       *open_count,
                                                guint       *overdue_count,
                                                GError     **error);

/* Mentions */
gboolean    civic_store_upsert_mention   (CivicStore               *self,
                                          const CivicMentionRecord *record,
                                          gboolean                 *inserted,
                                          GError                  **error);
gboolean    civic_store_upsert_mention_full (CivicStore            *self,
                                          const CivicMentionRecord *record,
                                          gboolean                 *inserted,
                                          gint64                   *row_id,
                                          GError                  **error);
gboolean    civic_store_ingest           (CivicStore               *self,
                                          const CivicMentionRecord *records,
                                          guint                     n_records,
                                          guint                    *n_inserted,
                                          GError                  **error);
/* The desk's id of the mention of status @status_id on @server_id, or 0. */
gint64      civic_store_find_mention     (CivicStore  *self,
                                          gint64       server_id,
                                          const char  *status_id);
CivicMention *civic_store_load_mention   (CivicStore  *self,
                                          gint64       id,
                                          GError     **error);
gint64      civic_store_count_mentions   (CivicStore  *self);
/* A short text that changes whenever anything shown about the mention
 * does (its workflow, notes, audit trail, replies): one cheap query, so a
 * view can skip rebuilding when some other row changed. NULL if gone. */
char       *civic_store_dup_mention_signature (CivicStore *self,
                                               gint64      mention_id);
/* Whether any mention is stored (cheap, unlike counting a million). */
gboolean    civic_store_has_mentions     (CivicStore  *self);
/* Ids of open mentions of a department, in queue order: overdue first,
 * then priority, then oldest. */
GArray     *civic_store_list_queue_ids   (CivicStore  *self,
                                          gint64       department_id,
                                          gint64       now_ms,
                                          GError     **error);
/* Ids of a department's mentions whose state is in @states (a bitmask of
 * 1 << CivicMentionState), oldest first. */
GArray     *civic_store_list_mention_ids (CivicStore  *self,
                                          gint64       department_id,
                                          guint        states,
                                          GError     **error);
/* Loads mentions by id, in the order given. Missing ids yield no entry. */
GPtrArray  *civic_store_load_mentions    (CivicStore   *self,
                                          const gint64 *ids,
                                          guint         n_ids,
                                          GError      **error);
/* Full-text search; @query is the words a person typed (not FTS syntax). */
GArray     *civic_store_search           (CivicStore  *self,
                                          const char  *query,
                                          guint        limit,
                                          GError     **error);

/* Files mentions as history: closed as of their own time, with an audit
 * row saying why. For the first backfill of a server with a past: what was
 * written long before the desk existed was dealt with elsewhere. */
gboolean    civic_store_file_as_history  (CivicStore   *self,
                                          const gint64 *ids,
                                          guint         n_ids,
                                          const char   *desk,
                                          gint64        now_ms,
                                          GError      **error);

/* Bumped after every committed write that may change what lists show. */
guint64     civic_store_get_generation   (CivicStore  *self);

G_END_DECLS
