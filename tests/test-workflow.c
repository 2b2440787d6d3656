/* test-workflow.c
 *
 * The state machine (allowed and refused transitions), claims across two
 * desks sharing one database file, bulk actions, follow-ups reopening a
 * thread, notes and the audit log.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-store-private.h"
#include "civic-test-util.h"
#include "civic-workflow.h"

#define T0 G_GINT64_CONSTANT (1795687200000) /* 2026-11-26 10:00 UTC */
#define MINUTE (60 * 1000)

#define ANA "Ana García"
#define LUIS "Luis Pérez"
#define DESK1 "mostrador 1"
#define DESK2 "mostrador 2"

typedef struct
{
  char *dir;
  char *path;
  CivicStore *store;
  gint64 server_id;
  gint64 mayor_id;
  gint64 police_id;
  gint64 mayor_account_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = civic_test_mkdtemp ();
  f->path = g_build_filename (f->dir, "desk.db", NULL);
  f->store = civic_store_new (f->path, &error);
  g_assert_no_error (error);

  f->server_id = civic_store_ensure_server (f->store, "https://jun.example", &error);
  f->mayor_id = civic_store_ensure_department (f->store, "alcaldia", "Alcaldía", NULL, 60, &error);
  f->police_id = civic_store_ensure_department (f->store, "policia", "Policía Local", NULL, 15, &error);
  f->mayor_account_id = civic_store_ensure_account (f->store, f->server_id, "alcaldia", "1", NULL, &error);
  civic_store_bind_department (f->store, f->mayor_id, f->mayor_account_id, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  civic_test_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static gint64
lookup_id (CivicStore *store,
           const char *status_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 id = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (_civic_store_get_db (store),
                                       "SELECT id FROM mentions WHERE status_id = ?1", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, status_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);

  return id;
}

static CivicMentionRecord
make_record (Fixture    *f,
             const char *status_id,
             const char *author,
             const char *in_reply_to_id,
             gint64      created_ms)
{
  CivicMentionRecord r = { 0 };

  r.server_id = f->server_id;
  r.status_id = status_id;
  r.author_acct = author;
  r.author_name = "";
  r.created_at_ms = created_ms;
  r.content_text = (char *) "la farola de la plaza";
  r.in_reply_to_id = in_reply_to_id;
  r.department_id = f->mayor_id;
  r.priority = CIVIC_PRIORITY_NORMAL;
  r.due_at_ms = created_ms + 60 * MINUTE;

  return r;
}

static gint64
add_mention_full (Fixture    *f,
                  const char *status_id,
                  const char *author,
                  const char *in_reply_to_id,
                  gint64      created_ms)
{
  g_autoptr(GError) error = NULL;
  CivicMentionRecord r = make_record (f, status_id, author, in_reply_to_id, created_ms);

  g_assert_true (civic_store_upsert_mention (f->store, &r, NULL, &error));
  g_assert_no_error (error);

  return lookup_id (f->store, status_id);
}

static gint64
add_mention (Fixture    *f,
             const char *status_id)
{
  return add_mention_full (f, status_id, "vecina", NULL, T0);
}

static CivicWorkflowState
state_of (CivicStore *store,
          gint64      id)
{
  g_autoptr(GError) error = NULL;
  CivicWorkflowState st = { 0 };

  g_assert_true (civic_workflow_load_state (store, id, &st, &error));
  g_assert_no_error (error);

  return st;
}

static GPtrArray *
audit_of (CivicStore *store,
          gint64      id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *audit = civic_workflow_list_audit (store, id, &error);

  g_assert_no_error (error);
  return audit;
}

static guint
count_actions (GPtrArray  *audit,
               const char *action)
{
  guint n = 0;

  for (guint i = 0; i < audit->len; i++)
    n += g_str_equal (((CivicAuditEntry *) audit->pdata[i])->action, action);

  return n;
}

static void
test_transition_table (void)
{
  /* The table in civic-workflow.h, cell by cell. */
  g_assert_true (civic_workflow_can (CIVIC_WORKFLOW_CLAIM, CIVIC_MENTION_STATE_NEW));
  g_assert_true (civic_workflow_can (CIVIC_WORKFLOW_CLAIM, CIVIC_MENTION_STATE_IN_PROGRESS));
  g_assert_false (civic_workflow_can (CIVIC_WORKFLOW_CLAIM, CIVIC_MENTION_STATE_ANSWERED));
  g_assert_false (civic_workflow_can (CIVIC_WORKFLOW_CLAIM, CIVIC_MENTION_STATE_CLOSED));
  g_assert_false (civic_workflow_can (CIVIC_WORKFLOW_RELEASE, CIVIC_MENTION_STATE_NEW));
  g_assert_true (civic_workflow_can (CIVIC_WORKFLOW_RELEASE, CIVIC_MENTION_STATE_IN_PROGRESS));
  g_assert_true (civic_workflow_can (CIVIC_WORKFLOW_ANSWER, CIVIC_MENTION_STATE_CLOSED));
  g_assert_true (civic_workflow_can (CIVIC_WORKFLOW_CLOSE, CIVIC_MENTION_STATE_ANSWERED));
  g_assert_false (civic_workflow_can (CIVIC_WORKFLOW_CLOSE, CIVIC_MENTION_STATE_CLOSED));
  g_assert_false (civic_workflow_can (CIVIC_WORKFLOW_REOPEN, CIVIC_MENTION_STATE_NEW));
  g_assert_false (civic_workflow_can (CIVIC_WORKFLOW_REOPEN, CIVIC_MENTION_STATE_IN_PROGRESS));
  g_assert_true (civic_workflow_can (CIVIC_WORKFLOW_REOPEN, CIVIC_MENTION_STATE_ANSWERED));
  g_assert_true (civic_workflow_can (CIVIC_WORKFLOW_REOPEN, CIVIC_MENTION_STATE_CLOSED));
  g_assert_true (civic_workflow_can (CIVIC_WORKFLOW_REASSIGN, CIVIC_MENTION_STATE_CLOSED));
}

static void
test_claim_release (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_auto(CivicWorkflowState) st = { 0 };
  gint64 id = add_mention (f, "100");
  CivicAuditEntry *entry;

  g_assert_true (civic_workflow_claim (f->store, id, ANA, DESK2, T0 + MINUTE, &error));
  g_assert_no_error (error);
  st = state_of (f->store, id);
  g_assert_cmpint (st.state, ==, CIVIC_MENTION_STATE_IN_PROGRESS);
  g_assert_cmpstr (st.claimed_by, ==, ANA);
  g_assert_cmpstr (st.claimed_desk, ==, DESK2);
  g_assert_cmpint (st.claimed_at_ms, ==, T0 + MINUTE);

  /* Claiming again from the same desk is no new event. */
  g_assert_true (civic_workflow_claim (f->store, id, ANA, DESK2, T0 + 2 * MINUTE, &error));

  /* A colleague cannot take it, nor release it, and is told who has it. */
  g_assert_false (civic_workflow_claim (f->store, id, LUIS, DESK1, T0 + 3 * MINUTE, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "Ana García (mostrador 2) is already answering this");
  g_clear_error (&error);
  g_assert_false (civic_workflow_release (f->store, id, LUIS, DESK1, T0 + 3 * MINUTE, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (civic_workflow_close (f->store, id, LUIS, DESK1, T0 + 3 * MINUTE, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  g_assert_true (civic_workflow_release (f->store, id, ANA, DESK2, T0 + 4 * MINUTE, &error));
  g_assert_no_error (error);
  civic_workflow_state_clear (&st);
  st = state_of (f->store, id);
  g_assert_cmpint (st.state, ==, CIVIC_MENTION_STATE_NEW);
  g_assert_null (st.claimed_by);
  g_assert_null (st.claimed_desk);

  /* Nothing to release now. */
  g_assert_false (civic_workflow_release (f->store, id, ANA, DESK2, T0 + 5 * MINUTE, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Every change, and only changes, in the audit log. */
  audit = audit_of (f->store, id);
  g_assert_cmpuint (audit->len, ==, 2);
  entry = audit->pdata[0];
  g_assert_cmpstr (entry->action, ==, "claim");
  g_assert_cmpstr (entry->actor, ==, ANA);
  g_assert_cmpstr (entry->desk, ==, DESK2);
  g_assert_cmpint (entry->at_ms, ==, T0 + MINUTE);
  entry = audit->pdata[1];
  g_assert_cmpstr (entry->action, ==, "release");
  g_assert_cmpint (entry->at_ms, ==, T0 + 4 * MINUTE);

  /* Unsigned actions are refused. */
  g_assert_false (civic_workflow_claim (f->store, id, "", DESK1, T0, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (civic_workflow_claim (f->store, 99999, ANA, DESK1, T0, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND);
}

static void
test_state_machine (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_auto(CivicWorkflowState) st = { 0 };
  gint64 id = add_mention (f, "100");

  /* new → answered directly (a quick reply), first answer time kept. */
  g_assert_true (civic_workflow_claim (f->store, id, ANA, DESK1, T0 + MINUTE, &error));
  g_assert_true (civic_workflow_mark_answered (f->store, id, "900", ANA, DESK1, T0 + 20 * MINUTE, &error));
  g_assert_no_error (error);
  st = state_of (f->store, id);
  g_assert_cmpint (st.state, ==, CIVIC_MENTION_STATE_ANSWERED);
  g_assert_cmpint (st.answered_at_ms, ==, T0 + 20 * MINUTE);
  g_assert_null (st.claimed_by);
  civic_workflow_state_clear (&st);

  /* Answered: cannot be claimed or reopened twice... */
  g_assert_false (civic_workflow_claim (f->store, id, LUIS, DESK2, T0 + 21 * MINUTE, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "This mention cannot be claimed: it is already answered");
  g_clear_error (&error);

  /* ...closed once... */
  g_assert_true (civic_workflow_close (f->store, id, LUIS, DESK2, T0 + 30 * MINUTE, &error));
  g_assert_no_error (error);
  g_assert_false (civic_workflow_close (f->store, id, LUIS, DESK2, T0 + 31 * MINUTE, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  st = state_of (f->store, id);
  g_assert_cmpint (st.state, ==, CIVIC_MENTION_STATE_CLOSED);
  g_assert_cmpint (st.closed_at_ms, ==, T0 + 30 * MINUTE);
  civic_workflow_state_clear (&st);

  /* ...reopened with a fresh deadline: now + the answer time. */
  g_assert_true (civic_workflow_reopen (f->store, id, LUIS, DESK2, T0 + 120 * MINUTE, &error));
  g_assert_no_error (error);
  st = state_of (f->store, id);
  g_assert_cmpint (st.state, ==, CIVIC_MENTION_STATE_NEW);
  g_assert_cmpint (st.due_at_ms, ==, T0 + 180 * MINUTE);
  g_assert_cmpint (st.closed_at_ms, ==, 0);
  civic_workflow_state_clear (&st);
  g_assert_false (civic_workflow_reopen (f->store, id, LUIS, DESK2, T0 + 121 * MINUTE, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Answered again: the first answer time stays (statistics). */
  g_assert_true (civic_workflow_mark_answered (f->store, id, "901", LUIS, DESK2, T0 + 130 * MINUTE, &error));
  st = state_of (f->store, id);
  g_assert_cmpint (st.state, ==, CIVIC_MENTION_STATE_ANSWERED);
  g_assert_cmpint (st.answered_at_ms, ==, T0 + 20 * MINUTE);
  civic_workflow_state_clear (&st);

  /* A reply posted on a closed mention is logged; it stays closed. */
  g_assert_true (civic_workflow_close (f->store, id, LUIS, DESK2, T0 + 140 * MINUTE, &error));
  g_assert_true (civic_workflow_mark_answered (f->store, id, "902", LUIS, DESK2, T0 + 150 * MINUTE, &error));
  g_assert_no_error (error);
  st = state_of (f->store, id);
  g_assert_cmpint (st.state, ==, CIVIC_MENTION_STATE_CLOSED);

  audit = audit_of (f->store, id);
  g_assert_cmpuint (count_actions (audit, "answer"), ==, 3);
  g_assert_cmpuint (count_actions (audit, "close"), ==, 2);
  g_assert_cmpuint (count_actions (audit, "reopen"), ==, 1);
  g_assert_cmpstr (((CivicAuditEntry *) audit->pdata[1])->detail, ==, "reply 900");
}

static void
test_answered_elsewhere (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_auto(CivicWorkflowState) st = { 0 };
  gint64 id = add_mention (f, "100");
  CivicAuditEntry *entry;

  g_assert_true (civic_workflow_claim (f->store, id, ANA, DESK1, T0 + MINUTE, &error));
  g_assert_true (civic_workflow_mark_answered_elsewhere (f->store, id, "950", "alcaldia", T0 + 5 * MINUTE, &error));
  g_assert_no_error (error);
  st = state_of (f->store, id);
  g_assert_cmpint (st.state, ==, CIVIC_MENTION_STATE_ANSWERED);
  g_assert_cmpint (st.answered_at_ms, ==, T0 + 5 * MINUTE);
  g_assert_null (st.claimed_by);

  /* Seen again on the next sync: nothing new. */
  g_assert_true (civic_workflow_mark_answered_elsewhere (f->store, id, "950", "alcaldia", T0 + 9 * MINUTE, &error));
  audit = audit_of (f->store, id);
  g_assert_cmpuint (audit->len, ==, 2);
  entry = audit->pdata[1];
  g_assert_cmpstr (entry->action, ==, "answer-elsewhere");
  g_assert_cmpstr (entry->actor, ==, "@alcaldia");
  g_assert_cmpstr (entry->desk, ==, "server");
  g_assert_cmpstr (entry->detail, ==, "reply 950");
}

static void
test_reassign (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_auto(CivicWorkflowState) st = { 0 };
  gint64 id = add_mention (f, "100");
  gint64 other = add_mention (f, "101");
  CivicAuditEntry *entry;

  g_assert_true (civic_workflow_claim (f->store, id, ANA, DESK1, T0 + MINUTE, &error));
  g_assert_true (civic_workflow_reassign (f->store, id, f->police_id, ANA, DESK1, T0 + 2 * MINUTE, &error));
  g_assert_no_error (error);

  /* The police's answer time from the citizen's post; unclaimed for the
   * police to pick up. */
  st = state_of (f->store, id);
  g_assert_cmpint (st.department_id, ==, f->police_id);
  g_assert_cmpint (st.due_at_ms, ==, T0 + 15 * MINUTE);
  g_assert_cmpint (st.state, ==, CIVIC_MENTION_STATE_NEW);
  g_assert_null (st.claimed_by);

  audit = audit_of (f->store, id);
  entry = audit->pdata[audit->len - 1];
  g_assert_cmpstr (entry->action, ==, "reassign");
  g_assert_cmpstr (entry->detail, ==, "from Alcaldía to Policía Local");
  g_assert_cmpstr (entry->actor, ==, ANA);

  g_assert_false (civic_workflow_reassign (f->store, id, f->police_id, ANA, DESK1, T0, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (civic_workflow_reassign (f->store, id, 4242, ANA, DESK1, T0, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Someone else's claim blocks a re-route. */
  g_assert_true (civic_workflow_claim (f->store, other, LUIS, DESK2, T0, &error));
  g_assert_false (civic_workflow_reassign (f->store, other, f->police_id, ANA, DESK1, T0, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_CONFLICT);
}

static void
test_concurrent_claim (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStore) desk2 = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_auto(CivicWorkflowState) seen_by_2 = { 0 };
  g_auto(CivicWorkflowState) st = { 0 };
  gint64 id = add_mention (f, "100");

  /* The second desk: another connection on the same file. */
  desk2 = civic_store_new (f->path, &error);
  g_assert_no_error (error);

  /* Both desks see it new... */
  seen_by_2 = state_of (desk2, id);
  g_assert_cmpint (seen_by_2.state, ==, CIVIC_MENTION_STATE_NEW);

  /* ...the first claims, the second (acting on what it saw) fails. */
  g_assert_true (civic_workflow_claim (f->store, id, ANA, DESK1, T0 + MINUTE, &error));
  g_assert_no_error (error);
  g_assert_false (civic_workflow_claim (desk2, id, LUIS, DESK2, T0 + MINUTE, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "Ana García (mostrador 1) is already answering this");
  g_clear_error (&error);

  /* The claim is visible from the second desk, and logged once. */
  st = state_of (desk2, id);
  g_assert_cmpstr (st.claimed_by, ==, ANA);
  g_assert_cmpstr (st.claimed_desk, ==, DESK1);
  audit = audit_of (desk2, id);
  g_assert_cmpuint (audit->len, ==, 1);
  g_assert_cmpuint (count_actions (audit, "claim"), ==, 1);

  /* Desk 2 learns of desk 1's changes by polling, and only of those. */
  {
    gint64 version = 0;
    guint64 generation;

    g_assert_false (civic_workflow_poll_other_desks (desk2, &version));
    generation = civic_store_get_generation (desk2);
    g_assert_false (civic_workflow_poll_other_desks (desk2, &version));
    civic_workflow_add_note (desk2, id, LUIS, DESK2, "desk 2's own write", T0, &error);
    g_assert_no_error (error);
    g_assert_false (civic_workflow_poll_other_desks (desk2, &version));
    generation = civic_store_get_generation (desk2);
    g_assert_true (civic_workflow_release (f->store, id, ANA, DESK1, T0 + 2 * MINUTE, &error));
    g_assert_true (civic_workflow_poll_other_desks (desk2, &version));
    g_assert_cmpuint (civic_store_get_generation (desk2), ==, generation + 1);
    g_assert_false (civic_workflow_poll_other_desks (desk2, &version));
  }

  /* A claim made inside a larger transaction on desk 1 holds once
   * committed. */
  g_assert_true (civic_store_begin (f->store, &error));
  g_assert_true (civic_workflow_claim (f->store, id, ANA, DESK1, T0 + 3 * MINUTE, &error));
  g_assert_true (civic_store_commit (f->store, &error));
  g_assert_no_error (error);
  g_assert_false (civic_workflow_claim (desk2, id, LUIS, DESK2, T0 + 3 * MINUTE, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_CONFLICT);
}

static void
test_bulk (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) refused = NULL;
  gint64 ids[5];

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *status_id = g_strdup_printf ("%u", 100 + i);

      ids[i] = add_mention (f, status_id);
    }
  ids[4] = 777777; /* gone */

  civic_workflow_claim (f->store, ids[1], LUIS, DESK2, T0, &error);
  civic_workflow_close (f->store, ids[2], LUIS, DESK2, T0, &error);
  g_assert_no_error (error);

  /* Claim the selection: the free ones change, the others are reported. */
  g_assert_true (civic_workflow_claim_many (f->store, ids, G_N_ELEMENTS (ids), ANA, DESK1, T0 + MINUTE,
                                            &refused, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (refused->len, ==, 3);
  g_assert_cmpint (g_array_index (refused, gint64, 0), ==, ids[1]);
  g_assert_cmpint (g_array_index (refused, gint64, 1), ==, ids[2]);
  g_assert_cmpint (g_array_index (refused, gint64, 2), ==, ids[4]);
  {
    g_auto(CivicWorkflowState) a = state_of (f->store, ids[0]);
    g_auto(CivicWorkflowState) b = state_of (f->store, ids[3]);
    g_auto(CivicWorkflowState) c = state_of (f->store, ids[1]);

    g_assert_cmpstr (a.claimed_by, ==, ANA);
    g_assert_cmpstr (b.claimed_by, ==, ANA);
    g_assert_cmpstr (c.claimed_by, ==, LUIS);
  }
  g_clear_pointer (&refused, g_array_unref);

  /* Reassign all to the police: Luis's claim blocks his one. */
  g_assert_true (civic_workflow_reassign_many (f->store, ids, 4, f->police_id, ANA, DESK1, T0 + 2 * MINUTE,
                                               &refused, &error));
  g_assert_cmpuint (refused->len, ==, 1);
  g_assert_cmpint (g_array_index (refused, gint64, 0), ==, ids[1]);
  g_clear_pointer (&refused, g_array_unref);

  /* Close all: the closed one and Luis's are refused. */
  g_assert_true (civic_workflow_close_many (f->store, ids, 4, ANA, DESK1, T0 + 3 * MINUTE, &refused, &error));
  g_assert_cmpuint (refused->len, ==, 2);
  for (guint i = 0; i < 4; i++)
    {
      g_auto(CivicWorkflowState) st = state_of (f->store, ids[i]);
      g_autoptr(GPtrArray) audit = audit_of (f->store, ids[i]);

      g_assert_cmpint (st.state, ==, i == 1 ? CIVIC_MENTION_STATE_IN_PROGRESS : CIVIC_MENTION_STATE_CLOSED);
      g_assert_cmpuint (count_actions (audit, "close"), ==, i == 1 ? 0 : 1);
    }
}

static gboolean
exec_sql (CivicStore *store,
          const char *sql)
{
  return sqlite3_exec (_civic_store_get_db (store), sql, NULL, NULL, NULL) == SQLITE_OK;
}

static void
test_follow_ups (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_auto(CivicWorkflowState) st = { 0 };
  gint64 answered, closed, open, via_outbox, early, f1, f2, f3, f4, f5, f6;
  guint n = 99;

  answered = add_mention_full (f, "100", "vecina", NULL, T0);
  closed = add_mention_full (f, "200", "vecino", NULL, T0);
  open = add_mention_full (f, "300", "vecino", NULL, T0);
  via_outbox = add_mention_full (f, "400", "vecina", NULL, T0);
  early = add_mention_full (f, "500", "vecina", NULL, T0);
  civic_workflow_mark_answered (f->store, answered, "R1", ANA, DESK1, T0 + 10 * MINUTE, &error);
  civic_workflow_close (f->store, closed, ANA, DESK1, T0 + 10 * MINUTE, &error);
  civic_workflow_mark_answered (f->store, via_outbox, NULL, ANA, DESK1, T0 + 10 * MINUTE, &error);
  civic_workflow_mark_answered (f->store, early, "R5", ANA, DESK1, T0 + 30 * MINUTE, &error);
  g_assert_no_error (error);
  /* A reply the outbox sent, known only there. */
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO outbox (mention_id, account_id, idempotency_key,"
                                            "  body, created_at, remote_status_id, state) "
                                            "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'k1',"
                                            "        'Gracias', 0, 'R4', 'sent')",
                                            via_outbox, f->mayor_account_id);

    g_assert_true (exec_sql (f->store, sql));
  }

  /* Replies to: our reply; the closed mention itself; an open mention;
   * the outbox reply; our reply but written before it (a backfill); and a
   * department account answering in the thread. */
  f1 = add_mention_full (f, "101", "vecina", "R1", T0 + 40 * MINUTE);
  f2 = add_mention_full (f, "201", "vecino", "200", T0 + 50 * MINUTE);
  f3 = add_mention_full (f, "301", "vecino", "300", T0 + 50 * MINUTE);
  f4 = add_mention_full (f, "401", "vecina", "R4", T0 + 50 * MINUTE);
  f5 = add_mention_full (f, "501", "vecina", "R5", T0 + 20 * MINUTE);
  f6 = add_mention_full (f, "102", "alcaldia", "R1", T0 + 45 * MINUTE);
  {
    gint64 ids[] = { f1, f2, f3, f4, f5, f6 };

    g_assert_true (civic_workflow_reopen_follow_ups (f->store, ids, G_N_ELEMENTS (ids), T0 + 60 * MINUTE,
                                                     &n, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 3);

    /* Seen again (a backfill): nothing more. */
    g_assert_true (civic_workflow_reopen_follow_ups (f->store, ids, G_N_ELEMENTS (ids), T0 + 61 * MINUTE,
                                                     &n, &error));
    g_assert_cmpuint (n, ==, 0);
  }

  st = state_of (f->store, answered);
  g_assert_cmpint (st.state, ==, CIVIC_MENTION_STATE_NEW);
  /* The deadline runs from the follow-up; the first answer stays. */
  g_assert_cmpint (st.due_at_ms, ==, T0 + 100 * MINUTE);
  g_assert_cmpint (st.answered_at_ms, ==, T0 + 10 * MINUTE);
  civic_workflow_state_clear (&st);
  st = state_of (f->store, closed);
  g_assert_cmpint (st.state, ==, CIVIC_MENTION_STATE_NEW);
  civic_workflow_state_clear (&st);
  st = state_of (f->store, via_outbox);
  g_assert_cmpint (st.state, ==, CIVIC_MENTION_STATE_NEW);
  civic_workflow_state_clear (&st);
  st = state_of (f->store, open);
  g_assert_cmpint (st.state, ==, CIVIC_MENTION_STATE_NEW);
  civic_workflow_state_clear (&st);
  st = state_of (f->store, early);
  g_assert_cmpint (st.state, ==, CIVIC_MENTION_STATE_ANSWERED);
  civic_workflow_state_clear (&st);

  audit = audit_of (f->store, answered);
  {
    CivicAuditEntry *entry = audit->pdata[audit->len - 1];

    g_assert_cmpstr (entry->action, ==, "reopen");
    g_assert_cmpstr (entry->actor, ==, "@vecina");
    g_assert_cmpstr (entry->desk, ==, "follow-up");
    g_assert_cmpstr (entry->detail, ==, "follow-up 101 by @vecina");
  }

  /* Answered again, then a new follow-up arrives as part of a page. */
  civic_workflow_mark_answered (f->store, answered, "R1b", ANA, DESK1, T0 + 70 * MINUTE, &error);
  g_assert_no_error (error);
  {
    CivicMentionRecord page[2] = {
      make_record (f, "103", "vecina", "R1b", T0 + 80 * MINUTE),
      make_record (f, "104", "vecina", NULL, T0 + 80 * MINUTE),
    };

    g_assert_true (civic_store_ingest (f->store, page, 2, NULL, &error));
    g_assert_true (civic_workflow_reopen_follow_ups_for_records (f->store, page, 2, T0 + 81 * MINUTE, &n, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 1);
  }
  civic_workflow_state_clear (&st);
  st = state_of (f->store, answered);
  g_assert_cmpint (st.state, ==, CIVIC_MENTION_STATE_NEW);
  g_assert_cmpint (st.due_at_ms, ==, T0 + 140 * MINUTE);
}

static void
test_notes (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  gint64 id = add_mention (f, "100");
  gint64 note_id;

  g_assert_cmpint (civic_workflow_add_note (f->store, id, ANA, DESK1, "  \n ", T0, &error), ==, 0);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (civic_workflow_add_note (f->store, 4242, ANA, DESK1, "x", T0, &error), ==, 0);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  note_id = civic_workflow_add_note (f->store, id, ANA, DESK1, "Llamé a la vecina; la farola es la nº 12.",
                                     T0 + 2 * MINUTE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (note_id, >, 0);
  civic_workflow_add_note (f->store, id, LUIS, DESK2, "Brigada avisada", T0 + 5 * MINUTE, &error);
  g_assert_no_error (error);

  notes = civic_workflow_list_notes (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 2);
  g_assert_cmpint (((CivicNote *) notes->pdata[0])->id, ==, note_id);
  g_assert_cmpstr (((CivicNote *) notes->pdata[0])->author, ==, ANA);
  g_assert_cmpstr (((CivicNote *) notes->pdata[1])->body, ==, "Brigada avisada");
  g_assert_cmpint (((CivicNote *) notes->pdata[1])->created_at_ms, ==, T0 + 5 * MINUTE);

  audit = audit_of (f->store, id);
  g_assert_cmpuint (count_actions (audit, "note"), ==, 2);
}

static void
test_changed_signal (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_mention (f, "100");
  guint64 generation = civic_store_get_generation (f->store);

  /* The queue refreshes on ::changed: a refused action emits nothing. */
  g_assert_true (civic_workflow_claim (f->store, id, ANA, DESK1, T0, &error));
  g_assert_cmpuint (civic_store_get_generation (f->store), ==, generation + 1);
  g_assert_false (civic_workflow_claim (f->store, id, LUIS, DESK1, T0, &error));
  g_assert_cmpuint (civic_store_get_generation (f->store), ==, generation + 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/workflow/transition-table", test_transition_table);
  ADD ("/workflow/claim-release", test_claim_release);
  ADD ("/workflow/state-machine", test_state_machine);
  ADD ("/workflow/answered-elsewhere", test_answered_elsewhere);
  ADD ("/workflow/reassign", test_reassign);
  ADD ("/workflow/concurrent-claim", test_concurrent_claim);
  ADD ("/workflow/bulk", test_bulk);
  ADD ("/workflow/follow-ups", test_follow_ups);
  ADD ("/workflow/notes", test_notes);
  ADD ("/workflow/changed-signal", test_changed_signal);

#undef ADD

  return g_test_run ();
}
