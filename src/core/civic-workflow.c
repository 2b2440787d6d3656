/* civic-workflow.c
 *
 * Every action runs in a BEGIN IMMEDIATE transaction: it reads the row,
 * decides against the transition table, then writes with an UPDATE
 * conditioned on what it read (state and holder), and writes the audit row.
 * Two desks on one database file serialise on the write lock, so the
 * second of two simultaneous claims sees the first and fails.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <string.h>

#include "civic-store-private.h"
#include "civic-workflow.h"

#define MINUTE_MS (60 * 1000)

typedef struct
{
  CivicWorkflowAction action;
  const char *person;
  const char *desk;
  gint64 now_ms;
  gint64 department_id;        /* REASSIGN */
  const char *reply_status_id; /* ANSWER */
  gboolean elsewhere;          /* ANSWER: seen on the server, not sent by us */
} Request;

typedef struct
{
  gint64 id;
  CivicMentionState state;
  int priority;
  char *claimed_by;
  char *claimed_desk;
  gint64 claimed_at;
  gint64 department_id;
  gint64 created_at;
  gint64 due_at;
  gint64 answered_at;
  gint64 closed_at;
} Row;

typedef enum
{
  OUTCOME_APPLIED,
  OUTCOME_REFUSED,   /* @error says why; the transaction may go on */
  OUTCOME_FAILED,    /* the database failed; the transaction must go */
} Outcome;

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->claimed_by, g_free);
  g_clear_pointer (&row->claimed_desk, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Row, row_clear)

/* allowed[action] is a mask of the states it may start from. */
static const guint allowed[] = {
  [CIVIC_WORKFLOW_CLAIM] = 1u << CIVIC_MENTION_STATE_NEW | 1u << CIVIC_MENTION_STATE_IN_PROGRESS,
  [CIVIC_WORKFLOW_RELEASE] = 1u << CIVIC_MENTION_STATE_IN_PROGRESS,
  [CIVIC_WORKFLOW_ANSWER] = 1u << CIVIC_MENTION_STATE_NEW | 1u << CIVIC_MENTION_STATE_IN_PROGRESS |
                            1u << CIVIC_MENTION_STATE_ANSWERED | 1u << CIVIC_MENTION_STATE_CLOSED,
  [CIVIC_WORKFLOW_CLOSE] = 1u << CIVIC_MENTION_STATE_NEW | 1u << CIVIC_MENTION_STATE_IN_PROGRESS |
                           1u << CIVIC_MENTION_STATE_ANSWERED,
  [CIVIC_WORKFLOW_REOPEN] = 1u << CIVIC_MENTION_STATE_ANSWERED | 1u << CIVIC_MENTION_STATE_CLOSED,
  [CIVIC_WORKFLOW_REASSIGN] = 1u << CIVIC_MENTION_STATE_NEW | 1u << CIVIC_MENTION_STATE_IN_PROGRESS |
                              1u << CIVIC_MENTION_STATE_ANSWERED | 1u << CIVIC_MENTION_STATE_CLOSED,
};

static const char * const action_verbs[] = {
  /* Translators: these complete "This mention cannot be %s: it is %s" */
  [CIVIC_WORKFLOW_CLAIM] = NC_("mention cannot be", "claimed"),
  [CIVIC_WORKFLOW_RELEASE] = NC_("mention cannot be", "released"),
  [CIVIC_WORKFLOW_ANSWER] = NC_("mention cannot be", "answered"),
  [CIVIC_WORKFLOW_CLOSE] = NC_("mention cannot be", "closed"),
  [CIVIC_WORKFLOW_REOPEN] = NC_("mention cannot be", "reopened"),
  [CIVIC_WORKFLOW_REASSIGN] = NC_("mention cannot be", "reassigned"),
};

gboolean
civic_workflow_can (CivicWorkflowAction action,
                    CivicMentionState   state)
{
  g_return_val_if_fail (action <= CIVIC_WORKFLOW_REASSIGN, FALSE);

  return (allowed[action] & (1u << state)) != 0;
}

static const char *
state_words (CivicMentionState state)
{
  switch (state)
    {
    /* Translators: these complete "This mention cannot be %s: it is %s" */
    case CIVIC_MENTION_STATE_NEW:
      return C_("mention is", "new");
    case CIVIC_MENTION_STATE_IN_PROGRESS:
      return C_("mention is", "being answered");
    case CIVIC_MENTION_STATE_ANSWERED:
      return C_("mention is", "already answered");
    case CIVIC_MENTION_STATE_CLOSED:
      return C_("mention is", "closed");
    default:
      return C_("mention is", "in an unknown state");
    }
}

static const char *
or_empty (const char *s)
{
  return s != NULL ? s : "";
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

#define ROW_COLUMNS \
  "id, state, priority, claimed_by, claimed_desk, claimed_at, department_id, created_at, due_at," \
  " answered_at, closed_at"

static void
row_from_stmt (Row          *row,
               sqlite3_stmt *stmt)
{
  row->id = sqlite3_column_int64 (stmt, 0);
  row->state = (CivicMentionState) sqlite3_column_int (stmt, 1);
  row->priority = sqlite3_column_int (stmt, 2);
  row->claimed_by = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  row->claimed_desk = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  row->claimed_at = sqlite3_column_int64 (stmt, 5);
  row->department_id = sqlite3_column_int64 (stmt, 6);
  row->created_at = sqlite3_column_int64 (stmt, 7);
  row->due_at = sqlite3_column_int64 (stmt, 8);
  row->answered_at = sqlite3_column_int64 (stmt, 9);
  row->closed_at = sqlite3_column_int64 (stmt, 10);
}

/* OUTCOME_REFUSED with NOT_FOUND when the row is gone. */
static Outcome
load_row (CivicStore  *store,
          gint64       id,
          Row         *row,
          GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _civic_store_prepare (store, "SELECT " ROW_COLUMNS " FROM mentions WHERE id = ?1", error);
  if (stmt == NULL)
    return OUTCOME_FAILED;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    row_from_stmt (row, stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_ROW)
    return OUTCOME_APPLIED;
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                   _("There is no mention %lld"), (long long) id);
      return OUTCOME_REFUSED;
    }

  _civic_store_fail (store, rc, _("Could not read the mention"), error);
  return OUTCOME_FAILED;
}

/* The department's answer time in ms and, optionally, its name. */
static gboolean
load_department (CivicStore  *store,
                 gint64       department_id,
                 gint64      *sla_ms,
                 char       **name,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _civic_store_prepare (store, "SELECT sla_minutes, name FROM departments WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, department_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *sla_ms = sqlite3_column_int64 (stmt, 0) * MINUTE_MS;
      if (name != NULL)
        *name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                 _("There is no department %lld"), (long long) department_id);
  else
    _civic_store_fail (store, rc, _("Could not read the department"), error);

  return FALSE;
}

static gboolean
write_audit (CivicStore  *store,
             gint64       mention_id,
             gint64       at_ms,
             const char  *actor,
             const char  *desk,
             const char  *action,
             const char  *detail,
             GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _civic_store_prepare (store,
                               "INSERT INTO audit (mention_id, at, actor, desk, action, detail) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, mention_id);
  sqlite3_bind_int64 (stmt, 2, at_ms);
  sqlite3_bind_text (stmt, 3, or_empty (actor), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, or_empty (desk), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, or_empty (detail), -1, SQLITE_STATIC);

  return step_done (store, stmt, _("Could not write the audit log"), error);
}

/* Writes @after's workflow columns if the row still is as @before was:
 * nothing can change between the read and this write inside an IMMEDIATE
 * transaction, but the condition keeps the rule in the SQL itself. */
static Outcome
write_row (CivicStore  *store,
           const Row   *before,
           const Row   *after,
           GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _civic_store_prepare (store,
                               "UPDATE mentions SET state = ?2, priority = ?3, claimed_by = ?4,"
                               "  claimed_desk = ?5, claimed_at = ?6, department_id = ?7, due_at = ?8,"
                               "  answered_at = ?9, closed_at = ?10 "
                               "WHERE id = ?1 AND state = ?11 AND claimed_by IS ?12",
                               error);
  if (stmt == NULL)
    return OUTCOME_FAILED;

  sqlite3_bind_int64 (stmt, 1, before->id);
  sqlite3_bind_int (stmt, 2, after->state);
  sqlite3_bind_int (stmt, 3, after->priority);
  _civic_bind_text (stmt, 4, after->claimed_by);
  _civic_bind_text (stmt, 5, after->claimed_desk);
  _civic_bind_opt_int64 (stmt, 6, after->claimed_at);
  sqlite3_bind_int64 (stmt, 7, after->department_id);
  sqlite3_bind_int64 (stmt, 8, after->due_at);
  _civic_bind_opt_int64 (stmt, 9, after->answered_at);
  _civic_bind_opt_int64 (stmt, 10, after->closed_at);
  sqlite3_bind_int (stmt, 11, before->state);
  _civic_bind_text (stmt, 12, before->claimed_by);

  if (!step_done (store, stmt, _("Could not save the mention"), error))
    return OUTCOME_FAILED;

  if (sqlite3_changes (_civic_store_get_db (store)) != 1)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_CONFLICT,
                   _("The mention changed on another desk; look again"));
      return OUTCOME_REFUSED;
    }

  return OUTCOME_APPLIED;
}

static Outcome
refuse_held (const Row  *row,
             GError    **error)
{
  if (row->claimed_desk != NULL && *row->claimed_desk != '\0')
    g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_CONFLICT,
                 /* Translators: a person, their desk */
                 _("%s (%s) is already answering this"), row->claimed_by, row->claimed_desk);
  else
    g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_CONFLICT,
                 _("%s is already answering this"), row->claimed_by);
  return OUTCOME_REFUSED;
}

static gboolean
held_by_other (const Row  *row,
               const char *person)
{
  return row->state == CIVIC_MENTION_STATE_IN_PROGRESS && row->claimed_by != NULL &&
         g_strcmp0 (row->claimed_by, person) != 0;
}

static void
drop_claim (Row *row)
{
  g_clear_pointer (&row->claimed_by, g_free);
  g_clear_pointer (&row->claimed_desk, g_free);
  row->claimed_at = 0;
}

/* One action on one mention, inside the caller's transaction. */
static Outcome
apply (CivicStore     *store,
       gint64          id,
       const Request  *req,
       GError        **error)
{
  g_auto(Row) before = { 0 };
  g_auto(Row) after = { 0 };
  g_autofree char *detail = NULL;
  g_autofree char *at_acct = NULL;
  const char *action_name = NULL;
  const char *actor = req->person;
  const char *desk = req->desk;
  Outcome outcome;

  outcome = load_row (store, id, &before, error);
  if (outcome != OUTCOME_APPLIED)
    return outcome;

  if (!civic_workflow_can (req->action, before.state))
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   /* Translators: the action (e.g. "claimed") and the
                    * mention's state (e.g. "already answered") */
                   _("This mention cannot be %s: it is %s"),
                   g_dpgettext2 (GETTEXT_PACKAGE, "mention cannot be", action_verbs[req->action]),
                   state_words (before.state));
      return OUTCOME_REFUSED;
    }

  after = before;
  after.claimed_by = g_strdup (before.claimed_by);
  after.claimed_desk = g_strdup (before.claimed_desk);

  switch (req->action)
    {
    case CIVIC_WORKFLOW_CLAIM:
      if (held_by_other (&before, req->person))
        return refuse_held (&before, error);
      /* Claiming again from the same desk changes nothing. */
      if (before.state == CIVIC_MENTION_STATE_IN_PROGRESS &&
          g_strcmp0 (before.claimed_desk, req->desk) == 0)
        return OUTCOME_APPLIED;
      after.state = CIVIC_MENTION_STATE_IN_PROGRESS;
      g_free (after.claimed_by);
      g_free (after.claimed_desk);
      after.claimed_by = g_strdup (req->person);
      after.claimed_desk = g_strdup (req->desk);
      after.claimed_at = req->now_ms;
      action_name = "claim";
      break;

    case CIVIC_WORKFLOW_RELEASE:
      if (held_by_other (&before, req->person))
        return refuse_held (&before, error);
      after.state = CIVIC_MENTION_STATE_NEW;
      drop_claim (&after);
      action_name = "release";
      break;

    case CIVIC_WORKFLOW_ANSWER:
      if (req->elsewhere)
        {
          /* Sync sees every reply in the thread, ours included. A mention
           * closed without an answer on record (filed as history on the
           * first backfill) still gets its answer's time: statistics must
           * not count it as never answered. */
          if (!CIVIC_MENTION_STATE_IS_OPEN (before.state) &&
              (before.state != CIVIC_MENTION_STATE_CLOSED || before.answered_at != 0))
            return OUTCOME_APPLIED;
          at_acct = g_strdup_printf ("@%s", req->person[0] == '@' ? req->person + 1 : req->person);
          actor = at_acct;
          desk = "server";
        }
      if (before.state != CIVIC_MENTION_STATE_CLOSED)
        after.state = CIVIC_MENTION_STATE_ANSWERED;
      /* Statistics measure the time to the first answer. */
      if (after.answered_at == 0)
        after.answered_at = req->now_ms;
      drop_claim (&after);
      action_name = req->elsewhere ? "answer-elsewhere" : "answer";
      /* Exactly "reply ID": follow-ups find our replies by it. */
      if (req->reply_status_id != NULL)
        detail = g_strdup_printf ("reply %s", req->reply_status_id);
      break;

    case CIVIC_WORKFLOW_CLOSE:
      if (held_by_other (&before, req->person))
        return refuse_held (&before, error);
      after.state = CIVIC_MENTION_STATE_CLOSED;
      after.closed_at = req->now_ms;
      drop_claim (&after);
      action_name = "close";
      break;

    case CIVIC_WORKFLOW_REOPEN:
      {
        gint64 sla_ms;

        if (!load_department (store, before.department_id, &sla_ms, NULL, error))
          return OUTCOME_FAILED;
        after.state = CIVIC_MENTION_STATE_NEW;
        after.closed_at = 0;
        after.due_at = req->now_ms + sla_ms;
        drop_claim (&after);
        action_name = "reopen";
      }
      break;

    case CIVIC_WORKFLOW_REASSIGN:
      {
        g_autofree char *from_name = NULL;
        g_autofree char *to_name = NULL;
        g_autoptr(GError) local_error = NULL;
        gint64 from_sla, to_sla;

        if (held_by_other (&before, req->person))
          return refuse_held (&before, error);
        if (!load_department (store, req->department_id, &to_sla, &to_name, &local_error))
          {
            gboolean missing = g_error_matches (local_error, CIVIC_STORE_ERROR,
                                                CIVIC_STORE_ERROR_NOT_FOUND);

            g_propagate_error (error, g_steal_pointer (&local_error));
            return missing ? OUTCOME_REFUSED : OUTCOME_FAILED;
          }
        if (req->department_id == before.department_id)
          {
            g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                         _("This mention is already in %s"), to_name);
            return OUTCOME_REFUSED;
          }
        if (!load_department (store, before.department_id, &from_sla, &from_name, error))
          return OUTCOME_FAILED;

        after.department_id = req->department_id;
        after.due_at = before.created_at + to_sla;
        if (before.state == CIVIC_MENTION_STATE_IN_PROGRESS)
          {
            after.state = CIVIC_MENTION_STATE_NEW;
            drop_claim (&after);
          }
        action_name = "reassign";
        detail = g_strdup_printf ("from %s to %s", from_name, to_name);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  outcome = write_row (store, &before, &after, error);
  if (outcome != OUTCOME_APPLIED)
    return outcome;

  if (!write_audit (store, id, req->now_ms, actor, desk, action_name, detail, error))
    return OUTCOME_FAILED;

  _civic_store_mark_changed (store);
  return OUTCOME_APPLIED;
}

static gboolean
apply_one (CivicStore     *store,
           gint64          id,
           const Request  *req,
           GError        **error)
{
  if (!civic_store_begin (store, error))
    return FALSE;

  if (apply (store, id, req, error) != OUTCOME_APPLIED)
    {
      civic_store_rollback (store);
      return FALSE;
    }

  return civic_store_commit (store, error);
}

static gboolean
apply_many (CivicStore     *store,
            const gint64   *ids,
            guint           n_ids,
            const Request  *req,
            GArray        **refused,
            GError        **error)
{
  g_autoptr(GArray) refused_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!civic_store_begin (store, error))
    return FALSE;

  for (guint i = 0; i < n_ids; i++)
    {
      g_autoptr(GError) local_error = NULL;

      switch (apply (store, ids[i], req, &local_error))
        {
        case OUTCOME_APPLIED:
          break;
        case OUTCOME_REFUSED:
          g_array_append_val (refused_ids, ids[i]);
          break;
        case OUTCOME_FAILED:
        default:
          civic_store_rollback (store);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (!civic_store_commit (store, error))
    return FALSE;

  if (refused != NULL)
    *refused = g_steal_pointer (&refused_ids);

  return TRUE;
}

static gboolean
check_actor (const char  *person,
             GError     **error)
{
  if (person == NULL || *person == '\0')
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   _("Say who you are first: every action on a mention is signed"));
      return FALSE;
    }

  return TRUE;
}

void
civic_workflow_state_clear (CivicWorkflowState *state)
{
  g_return_if_fail (state != NULL);

  g_clear_pointer (&state->claimed_by, g_free);
  g_clear_pointer (&state->claimed_desk, g_free);
}

gboolean
civic_workflow_load_state (CivicStore          *store,
                           gint64               mention_id,
                           CivicWorkflowState  *out,
                           GError             **error)
{
  g_auto(Row) row = { 0 };

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (load_row (store, mention_id, &row, error) != OUTCOME_APPLIED)
    return FALSE;

  out->mention_id = row.id;
  out->department_id = row.department_id;
  out->state = row.state;
  out->priority = (CivicPriority) row.priority;
  out->claimed_by = g_steal_pointer (&row.claimed_by);
  out->claimed_desk = g_steal_pointer (&row.claimed_desk);
  out->claimed_at_ms = row.claimed_at;
  out->created_at_ms = row.created_at;
  out->due_at_ms = row.due_at;
  out->answered_at_ms = row.answered_at;
  out->closed_at_ms = row.closed_at;

  return TRUE;
}

gboolean
civic_workflow_poll_other_desks (CivicStore *store,
                                 gint64     *last_version)
{
  sqlite3_stmt *stmt;
  gint64 version = 0;
  gboolean changed;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);
  g_return_val_if_fail (last_version != NULL, FALSE);

  /* data_version changes only for commits by other connections. */
  stmt = _civic_store_prepare (store, "PRAGMA data_version", NULL);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  changed = *last_version != 0 && version != *last_version;
  *last_version = version;
  if (changed)
    _civic_store_mark_changed (store);

  return changed;
}

#define SIMPLE_ACTION(fn, act)                                              \
  gboolean                                                                  \
  fn (CivicStore  *store,                                                   \
      gint64       mention_id,                                              \
      const char  *person,                                                  \
      const char  *desk,                                                    \
      gint64       now_ms,                                                  \
      GError     **error)                                                   \
  {                                                                         \
    Request req = { act, person, desk, now_ms, 0, NULL, FALSE };            \
                                                                            \
    g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);                   \
                                                                            \
    return check_actor (person, error) &&                                   \
           apply_one (store, mention_id, &req, error);                      \
  }

SIMPLE_ACTION (civic_workflow_claim, CIVIC_WORKFLOW_CLAIM)
SIMPLE_ACTION (civic_workflow_release, CIVIC_WORKFLOW_RELEASE)
SIMPLE_ACTION (civic_workflow_close, CIVIC_WORKFLOW_CLOSE)
SIMPLE_ACTION (civic_workflow_reopen, CIVIC_WORKFLOW_REOPEN)

#undef SIMPLE_ACTION

gboolean
civic_workflow_mark_answered (CivicStore   *store,
                              gint64        mention_id,
                              const char   *reply_status_id,
                              const char   *person,
                              const char   *desk,
                              gint64        now_ms,
                              GError      **error)
{
  Request req = { CIVIC_WORKFLOW_ANSWER, person, desk, now_ms, 0, reply_status_id, FALSE };

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);

  return check_actor (person, error) && apply_one (store, mention_id, &req, error);
}

gboolean
civic_workflow_mark_answered_elsewhere (CivicStore  *store,
                                        gint64       mention_id,
                                        const char  *reply_status_id,
                                        const char  *reply_author_acct,
                                        gint64       now_ms,
                                        GError     **error)
{
  Request req = {
    CIVIC_WORKFLOW_ANSWER, reply_author_acct, "server", now_ms, 0, reply_status_id, TRUE
  };

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);
  g_return_val_if_fail (reply_author_acct != NULL, FALSE);

  return apply_one (store, mention_id, &req, error);
}

gboolean
civic_workflow_reassign (CivicStore   *store,
                         gint64        mention_id,
                         gint64        department_id,
                         const char   *person,
                         const char   *desk,
                         gint64        now_ms,
                         GError      **error)
{
  Request req = { CIVIC_WORKFLOW_REASSIGN, person, desk, now_ms, department_id, NULL, FALSE };

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);

  return check_actor (person, error) && apply_one (store, mention_id, &req, error);
}

gboolean
civic_workflow_claim_many (CivicStore    *store,
                           const gint64  *ids,
                           guint          n_ids,
                           const char    *person,
                           const char    *desk,
                           gint64         now_ms,
                           GArray       **refused,
                           GError       **error)
{
  Request req = { CIVIC_WORKFLOW_CLAIM, person, desk, now_ms, 0, NULL, FALSE };

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  return check_actor (person, error) && apply_many (store, ids, n_ids, &req, refused, error);
}

gboolean
civic_workflow_close_many (CivicStore    *store,
                           const gint64  *ids,
                           guint          n_ids,
                           const char    *person,
                           const char    *desk,
                           gint64         now_ms,
                           GArray       **refused,
                           GError       **error)
{
  Request req = { CIVIC_WORKFLOW_CLOSE, person, desk, now_ms, 0, NULL, FALSE };

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  return check_actor (person, error) && apply_many (store, ids, n_ids, &req, refused, error);
}

gboolean
civic_workflow_reassign_many (CivicStore    *store,
                              const gint64  *ids,
                              guint          n_ids,
                              gint64         department_id,
                              const char    *person,
                              const char    *desk,
                              gint64         now_ms,
                              GArray       **refused,
                              GError       **error)
{
  Request req = { CIVIC_WORKFLOW_REASSIGN, person, desk, now_ms, department_id, NULL, FALSE };

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  return check_actor (person, error) && apply_many (store, ids, n_ids, &req, refused, error);
}

/* Follow-ups */

typedef struct
{
  gint64 server_id;
  char *status_id;
  char *in_reply_to_id;
  char *author_acct;
  gint64 created_at;
  int priority;
} FollowUp;

static void
follow_up_clear (FollowUp *f)
{
  g_free (f->status_id);
  g_free (f->in_reply_to_id);
  g_free (f->author_acct);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FollowUp, follow_up_clear)

/* Whether @acct (as the server gave it: "user" when local) is one of our
 * department accounts on @server_id. */
static gboolean
is_department_account (CivicStore  *store,
                       gint64       server_id,
                       const char  *acct,
                       gboolean    *result,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* accounts.acct may or may not carry our own domain: compare the user
   * part, and the domain only when both have one. */
  stmt = _civic_store_prepare (store,
                               "SELECT 1 FROM departments d JOIN accounts a ON a.id = d.account_id "
                               "JOIN servers s ON s.id = a.server_id "
                               "WHERE a.server_id = ?1 AND ("
                               "  a.acct = ?2 COLLATE NOCASE"
                               "  OR a.acct || '@' || replace(replace(s.base_url, 'https://', ''),"
                               "                              'http://', '') = ?2 COLLATE NOCASE"
                               "  OR ?2 || '@' || replace(replace(s.base_url, 'https://', ''),"
                               "                          'http://', '') = a.acct COLLATE NOCASE) "
                               "LIMIT 1",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, server_id);
  sqlite3_bind_text (stmt, 2, acct, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _civic_store_fail (store, rc, _("Could not read the accounts"), error);

  *result = rc == SQLITE_ROW;
  return TRUE;
}

/* The mention a follow-up answers: the mention it replies to, or the one
 * our reply it replies to was for. 0 when none. */
static gboolean
find_target (CivicStore      *store,
             const FollowUp  *f,
             gint64          *target,
             GError         **error)
{
  static const char * const queries[] = {
    "SELECT id FROM mentions WHERE server_id = ?1 AND status_id = ?2",
    "SELECT o.mention_id FROM outbox o JOIN accounts a ON a.id = o.account_id "
    "WHERE o.remote_status_id = ?2 AND a.server_id = ?1 AND o.mention_id IS NOT NULL "
    "ORDER BY o.id DESC LIMIT 1",
    "SELECT a.mention_id FROM audit a JOIN mentions m ON m.id = a.mention_id "
    "WHERE a.action IN ('answer', 'answer-elsewhere') AND a.detail = 'reply ' || ?2 "
    "  AND m.server_id = ?1 "
    "ORDER BY a.id DESC LIMIT 1",
  };

  *target = 0;
  for (guint q = 0; q < G_N_ELEMENTS (queries) && *target == 0; q++)
    {
      sqlite3_stmt *stmt = _civic_store_prepare (store, queries[q], error);
      int rc;

      if (stmt == NULL)
        return FALSE;

      sqlite3_bind_int64 (stmt, 1, f->server_id);
      sqlite3_bind_text (stmt, 2, f->in_reply_to_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        *target = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return _civic_store_fail (store, rc, _("Could not look up the thread"), error);
    }

  return TRUE;
}

/* When the thread last had our word: the latest answer, close or reopen. */
static gboolean
last_handled_at (CivicStore  *store,
                 const Row   *row,
                 gint64      *at,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _civic_store_prepare (store,
                               "SELECT max(at) FROM audit WHERE mention_id = ?1 "
                               "AND action IN ('answer', 'answer-elsewhere', 'close', 'reopen')",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, row->id);
  rc = sqlite3_step (stmt);
  *at = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _civic_store_fail (store, rc, _("Could not read the audit log"), error);

  /* Rows answered before there was an audit log. */
  *at = MAX (*at, MAX (row->answered_at, row->closed_at));
  return TRUE;
}

static gboolean
load_follow_up (CivicStore  *store,
                gint64       id,
                FollowUp    *f,
                gboolean    *found,
                GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _civic_store_prepare (store,
                               "SELECT server_id, status_id, in_reply_to_id, author_acct, created_at,"
                               "  priority "
                               "FROM mentions WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      f->server_id = sqlite3_column_int64 (stmt, 0);
      f->status_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      f->in_reply_to_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      f->author_acct = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      f->created_at = sqlite3_column_int64 (stmt, 4);
      f->priority = sqlite3_column_int (stmt, 5);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _civic_store_fail (store, rc, _("Could not read the mention"), error);

  *found = rc == SQLITE_ROW;
  return TRUE;
}

static Outcome
reopen_for (CivicStore  *store,
            gint64       follow_up_id,
            GError     **error)
{
  g_auto(FollowUp) f = { 0 };
  g_auto(Row) before = { 0 };
  g_auto(Row) after = { 0 };
  g_autofree char *actor = NULL;
  g_autofree char *detail = NULL;
  gboolean found = FALSE;
  gboolean ours = FALSE;
  gint64 target = 0;
  gint64 handled_at;
  gint64 sla_ms;
  Outcome outcome;

  if (!load_follow_up (store, follow_up_id, &f, &found, error))
    return OUTCOME_FAILED;
  if (!found || f.in_reply_to_id == NULL)
    return OUTCOME_REFUSED;

  if (!is_department_account (store, f.server_id, f.author_acct, &ours, error) ||
      !find_target (store, &f, &target, error))
    return OUTCOME_FAILED;
  if (ours || target == 0 || target == follow_up_id)
    return OUTCOME_REFUSED;

  outcome = load_row (store, target, &before, error);
  if (outcome != OUTCOME_APPLIED)
    return outcome;
  if (CIVIC_MENTION_STATE_IS_OPEN (before.state))
    return OUTCOME_REFUSED;

  /* Written before our last word (a backfill bringing old replies): it
   * was already seen, or answered. */
  if (!last_handled_at (store, &before, &handled_at, error))
    return OUTCOME_FAILED;
  if (f.created_at <= handled_at)
    return OUTCOME_REFUSED;

  if (!load_department (store, before.department_id, &sla_ms, NULL, error))
    return OUTCOME_FAILED;

  after = before;
  after.claimed_by = NULL;
  after.claimed_desk = NULL;
  after.claimed_at = 0;
  after.state = CIVIC_MENTION_STATE_NEW;
  after.closed_at = 0;
  after.due_at = f.created_at + sla_ms;
  after.priority = MAX (before.priority, f.priority);

  outcome = write_row (store, &before, &after, error);
  if (outcome != OUTCOME_APPLIED)
    return outcome;

  actor = g_strdup_printf ("@%s", f.author_acct);
  detail = g_strdup_printf ("follow-up %s by @%s", f.status_id, f.author_acct);
  if (!write_audit (store, target, f.created_at, actor, "follow-up", "reopen", detail, error))
    return OUTCOME_FAILED;

  _civic_store_mark_changed (store);
  return OUTCOME_APPLIED;
}

gboolean
civic_workflow_reopen_follow_ups (CivicStore    *store,
                                  const gint64  *ids,
                                  guint          n_ids,
                                  gint64         now_ms,
                                  guint         *n_reopened,
                                  GError       **error)
{
  guint count = 0;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  if (n_reopened != NULL)
    *n_reopened = 0;

  if (!civic_store_begin (store, error))
    return FALSE;

  for (guint i = 0; i < n_ids; i++)
    {
      g_autoptr(GError) local_error = NULL;

      switch (reopen_for (store, ids[i], &local_error))
        {
        case OUTCOME_APPLIED:
          count++;
          break;
        case OUTCOME_REFUSED:
          break;
        case OUTCOME_FAILED:
        default:
          civic_store_rollback (store);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (!civic_store_commit (store, error))
    return FALSE;

  if (n_reopened != NULL)
    *n_reopened = count;

  return TRUE;
}

gboolean
civic_workflow_reopen_follow_ups_for_records (CivicStore                *store,
                                              const CivicMentionRecord  *records,
                                              guint                      n_records,
                                              gint64                     now_ms,
                                              guint                     *n_reopened,
                                              GError                   **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);
  g_return_val_if_fail (records != NULL || n_records == 0, FALSE);

  stmt = _civic_store_prepare (store, "SELECT id FROM mentions WHERE server_id = ?1 AND status_id = ?2",
                               error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < n_records; i++)
    {
      int rc;

      /* Only replies can be follow-ups: skip the lookup for the rest. */
      if (records[i].in_reply_to_id == NULL || records[i].status_id == NULL)
        continue;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, records[i].server_id);
      sqlite3_bind_text (stmt, 2, records[i].status_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);

          g_array_append_val (ids, id);
        }
      else if (rc != SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          return _civic_store_fail (store, rc, _("Could not look up the page"), error);
        }
    }
  sqlite3_reset (stmt);

  return civic_workflow_reopen_follow_ups (store, (const gint64 *) (gpointer) ids->data, ids->len,
                                           now_ms, n_reopened, error);
}

/* Notes and the audit log */

void
civic_note_free (CivicNote *note)
{
  if (note == NULL)
    return;

  g_free (note->author);
  g_free (note->body);
  g_free (note);
}

void
civic_audit_entry_free (CivicAuditEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->actor);
  g_free (entry->desk);
  g_free (entry->action);
  g_free (entry->detail);
  g_free (entry);
}

gint64
civic_workflow_add_note (CivicStore  *store,
                         gint64       mention_id,
                         const char  *person,
                         const char  *desk,
                         const char  *body,
                         gint64       now_ms,
                         GError     **error)
{
  g_auto(Row) row = { 0 };
  g_autofree char *trimmed = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), 0);

  if (!check_actor (person, error))
    return 0;

  trimmed = g_strstrip (g_strdup (body != NULL ? body : ""));
  if (*trimmed == '\0')
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID, _("The note is empty"));
      return 0;
    }

  if (!civic_store_begin (store, error))
    return 0;

  if (load_row (store, mention_id, &row, error) != OUTCOME_APPLIED)
    goto fail;

  stmt = _civic_store_prepare (store,
                               "INSERT INTO notes (mention_id, author, body, created_at) "
                               "VALUES (?1, ?2, ?3, ?4) RETURNING id",
                               error);
  if (stmt == NULL)
    goto fail;

  sqlite3_bind_int64 (stmt, 1, mention_id);
  sqlite3_bind_text (stmt, 2, person, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, trimmed, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now_ms);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (id == 0)
    {
      _civic_store_fail (store, rc, _("Could not save the note"), error);
      goto fail;
    }

  detail = g_strdup_printf ("note %" G_GINT64_FORMAT, id);
  if (!write_audit (store, mention_id, now_ms, person, desk, "note", detail, error))
    goto fail;

  _civic_store_mark_changed (store);
  if (!civic_store_commit (store, error))
    return 0;

  return id;

fail:
  civic_store_rollback (store);
  return 0;
}

GPtrArray *
civic_workflow_list_notes (CivicStore  *store,
                           gint64       mention_id,
                           GError     **error)
{
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func ((GDestroyNotify) civic_note_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);

  stmt = _civic_store_prepare (store,
                               "SELECT id, author, body, created_at FROM notes WHERE mention_id = ?1 "
                               "ORDER BY created_at, id",
                               error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, mention_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CivicNote *note = g_new0 (CivicNote, 1);

      note->id = sqlite3_column_int64 (stmt, 0);
      note->mention_id = mention_id;
      note->author = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      note->body = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      note->created_at_ms = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (notes, note);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _civic_store_fail (store, rc, _("Could not read the notes"), error);
      return NULL;
    }

  return g_steal_pointer (&notes);
}

GPtrArray *
civic_workflow_list_audit (CivicStore  *store,
                           gint64       mention_id,
                           GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);

  stmt = _civic_store_prepare (store,
                               "SELECT id, at, actor, desk, action, detail FROM audit "
                               "WHERE mention_id = ?1 ORDER BY at, id",
                               error);
  if (stmt == NULL)
    return NULL;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) civic_audit_entry_free);

  sqlite3_bind_int64 (stmt, 1, mention_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CivicAuditEntry *entry = g_new0 (CivicAuditEntry, 1);

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->mention_id = mention_id;
      entry->at_ms = sqlite3_column_int64 (stmt, 1);
      entry->actor = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      entry->desk = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      entry->action = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      entry->detail = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _civic_store_fail (store, rc, _("Could not read the audit log"), error);
      return NULL;
    }

  return g_steal_pointer (&entries);
}
