/* civic-workflow.h
 *
 * What staff do to a mention — claim, release, answer, close, reopen,
 * reassign, annotate — as one transaction each with its audit row. Safe
 * across several desks sharing one database file: every change is a
 * conditional UPDATE, so two desks never both hold a claim.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "civic-enums.h"
#include "civic-mention-record.h"
#include "civic-store.h"

G_BEGIN_DECLS

/**
 * CivicWorkflowAction:
 *
 * The transitions (state before → after; anything else is refused with
 * %CIVIC_STORE_ERROR_INVALID naming the current state):
 *
 * | action   | from                         | to                        |
 * |----------|------------------------------|---------------------------|
 * | CLAIM    | new, in progress (own)       | in progress               |
 * | RELEASE  | in progress (own)            | new                       |
 * | ANSWER   | new, in progress, answered   | answered                  |
 * |          | closed                       | closed (the reply is logged) |
 * | CLOSE    | new, in progress (own), answered | closed                |
 * | REOPEN   | answered, closed             | new                       |
 * | REASSIGN | any                          | same state; in progress (own) → new |
 *
 * "(own)": a mention someone else has claimed fails with
 * %CIVIC_STORE_ERROR_CONFLICT, whose message names the holder and desk.
 * ANSWER records a fact (our reply is on the server), so it ignores claims.
 */
typedef enum
{
  CIVIC_WORKFLOW_CLAIM,
  CIVIC_WORKFLOW_RELEASE,
  CIVIC_WORKFLOW_ANSWER,
  CIVIC_WORKFLOW_CLOSE,
  CIVIC_WORKFLOW_REOPEN,
  CIVIC_WORKFLOW_REASSIGN,
} CivicWorkflowAction;

/* Whether @action is allowed from @state at all (claims aside): for
 * enabling buttons. */
gboolean civic_workflow_can (CivicWorkflowAction action,
                             CivicMentionState   state);

/**
 * CivicWorkflowState:
 *
 * The workflow columns of one mention, read fresh from the store (for the
 * detail pane: who holds it, from which desk, since when). Strings owned.
 * Times are Unix ms, 0 when unset.
 */
typedef struct
{
  gint64 mention_id;
  gint64 department_id;
  CivicMentionState state;
  CivicPriority priority;
  char *claimed_by;
  char *claimed_desk;
  gint64 claimed_at_ms;
  gint64 created_at_ms;
  gint64 due_at_ms;
  gint64 answered_at_ms;
  gint64 closed_at_ms;
} CivicWorkflowState;

void     civic_workflow_state_clear (CivicWorkflowState  *state);
gboolean civic_workflow_load_state  (CivicStore          *store,
                                     gint64               mention_id,
                                     CivicWorkflowState  *out,
                                     GError             **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CivicWorkflowState, civic_workflow_state_clear)

/* Another desk on the same database file (or civicctl) changes rows
 * without this connection's ::changed signal firing. Poll this every second
 * or two: it returns TRUE, and emits the store's ::changed so lists and the
 * detail pane re-read, when another connection committed since the last
 * call. Cheap (PRAGMA data_version, no table read). Start @last_version at 0. */
gboolean civic_workflow_poll_other_desks (CivicStore  *store,
                                          gint64      *last_version);

/* Single actions. @person is the staff member ("Ana García"), @desk this
 * desk's name ("mostrador 2"); both are written to the audit row. */
gboolean civic_workflow_claim    (CivicStore   *store,
                                  gint64        mention_id,
                                  const char   *person,
                                  const char   *desk,
                                  gint64        now_ms,
                                  GError      **error);
gboolean civic_workflow_release  (CivicStore   *store,
                                  gint64        mention_id,
                                  const char   *person,
                                  const char   *desk,
                                  gint64        now_ms,
                                  GError      **error);
/* Our reply @reply_status_id is on the server (the outbox's echo).
 * @now_ms should be the reply's time on the server. The first answer's time
 * is kept in answered_at (statistics measure time to first answer). */
gboolean civic_workflow_mark_answered (CivicStore   *store,
                                       gint64        mention_id,
                                       const char   *reply_status_id,
                                       const char   *person,
                                       const char   *desk,
                                       gint64        now_ms,
                                       GError      **error);
/* Sync found a reply by the department account @reply_author_acct in the
 * thread, posted outside the desk (the web, a phone). Audit actor is
 * "@acct", desk "server". A mention already answered is left as is. */
gboolean civic_workflow_mark_answered_elsewhere (CivicStore  *store,
                                                 gint64       mention_id,
                                                 const char  *reply_status_id,
                                                 const char  *reply_author_acct,
                                                 gint64       now_ms,
                                                 GError     **error);
gboolean civic_workflow_close    (CivicStore   *store,
                                  gint64        mention_id,
                                  const char   *person,
                                  const char   *desk,
                                  gint64        now_ms,
                                  GError      **error);
/* Back to new with a fresh deadline: @now_ms + the department's answer time. */
gboolean civic_workflow_reopen   (CivicStore   *store,
                                  gint64        mention_id,
                                  const char   *person,
                                  const char   *desk,
                                  gint64        now_ms,
                                  GError      **error);
/* Moves the mention to @department_id (logged as a re-route with both
 * departments). The deadline becomes created + the new department's answer
 * time: the citizen's clock started when they wrote, misrouting is ours to
 * absorb. A claim is dropped (in progress → new) so the new department picks
 * it up. The stored priority is kept. */
gboolean civic_workflow_reassign (CivicStore   *store,
                                  gint64        mention_id,
                                  gint64        department_id,
                                  const char   *person,
                                  const char   *desk,
                                  gint64        now_ms,
                                  GError      **error);

/* Bulk actions over a selection, in one transaction. Mentions the action
 * cannot apply to (claimed by someone else, wrong state, gone) are skipped
 * and their ids appended to @refused (optional); the others change, each
 * with its audit row. Returns FALSE only when the database fails (then
 * nothing changed). */
gboolean civic_workflow_claim_many    (CivicStore    *store,
                                       const gint64  *ids,
                                       guint          n_ids,
                                       const char    *person,
                                       const char    *desk,
                                       gint64         now_ms,
                                       GArray       **refused,
                                       GError       **error);
gboolean civic_workflow_close_many    (CivicStore    *store,
                                       const gint64  *ids,
                                       guint          n_ids,
                                       const char    *person,
                                       const char    *desk,
                                       gint64         now_ms,
                                       GArray       **refused,
                                       GError       **error);
gboolean civic_workflow_reassign_many (CivicStore    *store,
                                       const gint64  *ids,
                                       guint          n_ids,
                                       gint64         department_id,
                                       const char    *person,
                                       const char    *desk,
                                       gint64         now_ms,
                                       GArray       **refused,
                                       GError       **error);

/* Follow-ups: for each newly stored mention (by row id) that replies to a
 * mention of ours that is answered or closed — directly, or through one of
 * our replies — and was written after that answer, the earlier mention
 * goes back to new (deadline = follow-up time + the answer time, priority
 * at least the follow-up's), with an audit row "reopen" by "@author",
 * desk "follow-up". Mentions written by department accounts are not
 * follow-ups. Idempotent: a follow-up seen twice reopens once. Call it after
 * each ingested page. The follow-up itself stays its own queue item. */
gboolean civic_workflow_reopen_follow_ups             (CivicStore                *store,
                                                       const gint64              *ids,
                                                       guint                      n_ids,
                                                       gint64                     now_ms,
                                                       guint                     *n_reopened,
                                                       GError                   **error);
/* The same, for the records of a page just given to civic_store_ingest()
 * (looked up by server and status id). */
gboolean civic_workflow_reopen_follow_ups_for_records (CivicStore                *store,
                                                       const CivicMentionRecord  *records,
                                                       guint                      n_records,
                                                       gint64                     now_ms,
                                                       guint                     *n_reopened,
                                                       GError                   **error);

/**
 * CivicNote:
 *
 * An internal note on a mention; never sent to the server. Strings owned.
 */
typedef struct
{
  gint64 id;
  gint64 mention_id;
  char *author;
  char *body;
  gint64 created_at_ms;
} CivicNote;

void       civic_note_free            (CivicNote   *note);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicNote, civic_note_free)

/* Returns the note's id (0 on error); writes an audit row "note". */
gint64     civic_workflow_add_note    (CivicStore  *store,
                                       gint64       mention_id,
                                       const char  *person,
                                       const char  *desk,
                                       const char  *body,
                                       gint64       now_ms,
                                       GError     **error);
/* (element-type CivicNote) (transfer full): oldest first. */
GPtrArray *civic_workflow_list_notes  (CivicStore  *store,
                                       gint64       mention_id,
                                       GError     **error);

/**
 * CivicAuditEntry:
 * @action: "claim", "release", "answer", "answer-elsewhere", "close",
 *   "reopen", "reassign" or "note"
 * @detail: for a person to read ("from Alcaldía to Policía Local",
 *   "reply 1135…", "follow-up 1136… by @vecina")
 *
 * One audit row. Strings owned.
 */
typedef struct
{
  gint64 id;
  gint64 mention_id;
  gint64 at_ms;
  char *actor;
  char *desk;
  char *action;
  char *detail;
} CivicAuditEntry;

void       civic_audit_entry_free     (CivicAuditEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicAuditEntry, civic_audit_entry_free)

/* (element-type CivicAuditEntry) (transfer full): oldest first. */
GPtrArray *civic_workflow_list_audit  (CivicStore  *store,
                                       gint64       mention_id,
                                       GError     **error);

G_END_DECLS
