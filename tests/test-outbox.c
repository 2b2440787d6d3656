/* test-outbox.c
 *
 * The outbox's state machine against civic-sim on 127.0.0.1: delivery,
 * retries with the same key after a 500, a 500 or a reset that came after
 * the post, a server that ignores Idempotency-Key, refusals that give the
 * draft back, rate limits, photos (202 and polling, never uploaded twice),
 * recovery of a row a crashed desk left "sending"; and, without network,
 * drafts, validation, retry and cancel.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "civic-drafts.h"
#include "civic-outbox.h"
#include "civic-store-private.h"
#include "civic-sync.h"
#include "civic-test-sim.h"
#include "civic-workflow.h"

#define PERSON "Ana García"
#define DESK "mostrador 1"

typedef struct
{
  CivicTestSim *sim;
  char *dir;
  CivicStore *store;
  CivicContext *context;
  SoupSession *session;
  CivicOutbox *outbox;
  gint64 server_id;
  gint64 account_id;
  gint64 department_id;
  guint changed;
} Fixture;

typedef struct
{
  gboolean done;
  GAsyncResult *result;
} Wait;

/* A 1×1 PNG. */
static const guint8 tiny_png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
  0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
  0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
  0x42, 0x60, 0x82,
};

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static void
outbox_changed_cb (CivicOutbox *outbox,
                   gpointer     user_data)
{
  ((Fixture *) user_data)->changed++;
}

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

/* A desk whose alcaldía department answers as @alcaldia on the sim (or,
 * with @offline, on a server that is never asked). */
static void
setup (Fixture            *f,
       gboolean            offline,
       const char * const *sim_args)
{
  static const char * const default_args[] = { "--mentions", "0", "--citizens", "5", NULL };
  const char * const *args = sim_args != NULL ? sim_args : default_args;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  const char *url = "http://127.0.0.1:9";
  g_autofree char *remote_id = NULL;

  f->session = civic_sync_new_session (3);
  if (!offline)
    {
      g_autoptr(CivicClient) client = NULL;
      g_autoptr(CivicAccount) account = NULL;
      Wait wait = { 0 };

      f->sim = civic_test_sim_start (args);
      url = f->sim->url;

      client = civic_client_new (f->session, url, civic_test_sim_token (f->sim, "alcaldia"));
      civic_client_verify_credentials_async (client, NULL, wait_cb, &wait);
      g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
      account = civic_client_verify_credentials_finish (client, wait.result, &error);
      g_assert_no_error (error);
      g_object_unref (wait.result);
      remote_id = g_strdup (account->id);
    }

  f->dir = civic_test_mkdtemp ();
  path = g_build_filename (f->dir, "desk.db", NULL);
  f->store = civic_store_new (path, &error);
  g_assert_no_error (error);

  f->server_id = civic_store_ensure_server (f->store, url, &error);
  g_assert_no_error (error);
  f->account_id = civic_store_ensure_account (f->store, f->server_id, "alcaldia", remote_id, "Alcaldía", &error);
  g_assert_no_error (error);
  f->department_id = civic_store_ensure_department (f->store, "alcaldia", "Alcaldía", NULL, 60, &error);
  g_assert_no_error (error);
  civic_store_bind_department (f->store, f->department_id, f->account_id, &error);
  g_assert_no_error (error);

  f->context = civic_context_new (f->store, NULL);
  civic_context_set_desk_name (f->context, DESK);
  f->outbox = civic_outbox_new (f->context, f->session);
  civic_outbox_set_backoff (f->outbox, 20, 200);
  civic_outbox_set_media_poll_interval (f->outbox, 100);
  if (!offline)
    civic_outbox_set_token (f->outbox, url, "alcaldia", civic_test_sim_token (f->sim, "alcaldia"));
  g_signal_connect (f->outbox, "changed", G_CALLBACK (outbox_changed_cb), f);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  setup (f, FALSE, data);
}

static void
offline_set_up (Fixture       *f,
                gconstpointer  data)
{
  setup (f, TRUE, NULL);
}

static gboolean
outbox_idle (gpointer user_data)
{
  return !civic_outbox_is_busy (user_data);
}

static gboolean
outbox_busy (gpointer user_data)
{
  return civic_outbox_is_busy (user_data);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  civic_outbox_stop (f->outbox);
  g_assert_true (civic_test_spin_until (outbox_idle, f->outbox, 5000));
  g_clear_object (&f->outbox);
  g_clear_object (&f->session);
  g_clear_object (&f->context);
  g_clear_object (&f->store);
  civic_test_sim_stop (f->sim);
  civic_test_rmdir (f->dir);
  g_free (f->dir);
}

/* A citizen's mention of @alcaldia, on the sim (or made up offline) and
 * in the store. Returns its row id. */
static gint64
add_mention (Fixture    *f,
             const char *text,
             const char *visibility)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *status_id = NULL;
  CivicMentionRecord record = { 0 };
  gboolean inserted = FALSE;
  gint64 row_id = 0;

  if (f->sim != NULL)
    {
      g_autoptr(GString) form = g_string_new (NULL);
      g_autoptr(JsonNode) answer = NULL;

      civic_form_append (form, "to", "alcaldia");
      civic_form_append (form, "from", "vecina");
      civic_form_append (form, "text", text);
      civic_form_append (form, "visibility", visibility);
      answer = civic_test_sim_form (f->sim, "/_sim/mention", form->str);
      status_id = g_strdup (json_object_get_string_member (json_node_get_object (answer), "status_id"));
    }
  else
    status_id = g_strdup_printf ("%u", g_random_int ());

  record.server_id = f->server_id;
  record.account_id = f->account_id;
  record.status_id = status_id;
  record.author_acct = "vecina";
  record.author_name = "Vecina";
  record.created_at_ms = now_ms ();
  record.content_html = "<p>@alcaldia …</p>";
  record.content_text = g_strdup (text);
  record.visibility = visibility != NULL ? visibility : "public";
  record.department_id = f->department_id;
  record.priority = 1;
  record.due_at_ms = now_ms () + 3600 * 1000;
  civic_store_upsert_mention_full (f->store, &record, &inserted, &row_id, &error);
  g_free (record.content_text);
  g_assert_no_error (error);
  g_assert_true (inserted);

  return row_id;
}

static gint64
queue_reply (Fixture    *f,
             gint64      mention_id,
             const char *body)
{
  g_autoptr(GError) error = NULL;
  CivicOutboxReply reply = { .mention_id = mention_id, .body = body };
  gint64 id = 0;

  civic_outbox_queue (f->outbox, &reply, PERSON, DESK, now_ms (), &id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

/* Delivers until reply @id settles or @timeout_ms passes. */
static gboolean
drain (Fixture *f,
       gint64   id,
       guint    timeout_ms)
{
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  gboolean settled = FALSE;

  civic_outbox_drain_async (f->outbox, id, timeout_ms, NULL, wait_cb, &wait);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, timeout_ms + 10000));
  g_assert_true (civic_outbox_drain_finish (f->outbox, wait.result, &settled, &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);

  return settled;
}

static CivicOutboxItem *
load (Fixture *f,
      gint64   id)
{
  g_autoptr(GError) error = NULL;
  CivicOutboxItem *item = civic_outbox_load (f->outbox, id, &error);

  g_assert_no_error (error);
  return item;
}

/* What @alcaldia posted through the API, per the sim's own records. */
static JsonArray *
server_replies (Fixture *f)
{
  g_autoptr(JsonNode) node = civic_test_sim_call (f->sim, "GET", "/_sim/statuses?account=alcaldia", NULL, NULL);

  return json_array_ref (json_node_get_array (node));
}

/* How many of @alcaldia's statuses have @text (and @key, if not NULL). */
static guint
count_on_server (Fixture    *f,
                 const char *text,
                 const char *key)
{
  g_autoptr(JsonArray) statuses = server_replies (f);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (statuses); i++)
    {
      JsonObject *status = json_array_get_object_element (statuses, i);

      if (g_strcmp0 (json_object_get_string_member (status, "text"), text) == 0 &&
          (key == NULL || g_strcmp0 (json_object_get_string_member_with_default (status, "idempotency_key", NULL),
                                     key) == 0))
        n++;
    }

  return n;
}

static gboolean
has_audit (Fixture    *f,
           gint64      mention_id,
           const char *action)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = civic_workflow_list_audit (f->store, mention_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    if (g_str_equal (((CivicAuditEntry *) g_ptr_array_index (entries, i))->action, action))
      return TRUE;

  return FALSE;
}

static CivicMentionState
mention_state (Fixture *f,
               gint64   mention_id)
{
  g_auto(CivicWorkflowState) state = { 0 };
  g_autoptr(GError) error = NULL;

  civic_workflow_load_state (f->store, mention_id, &state, &error);
  g_assert_no_error (error);
  return state.state;
}

static void
exec_sql (Fixture    *f,
          const char *sql)
{
  g_autoptr(GError) error = NULL;

  _civic_store_exec (f->store, sql, &error);
  g_assert_no_error (error);
}

/* Delivery */

static void
test_deliver (Fixture       *f,
              gconstpointer  data)
{
  const char *text = "Gracias, @vecina. Los técnicos irán mañana: https://jun.example/avisos/123";
  g_autoptr(CivicOutboxItem) item = NULL;
  g_autoptr(CivicDraft) draft = NULL;
  g_autoptr(JsonArray) statuses = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *status;
  gint64 mention, id;

  mention = add_mention (f, "La farola de la calle Real no funciona", NULL);
  civic_drafts_save (f->store, mention, "Graci", "", NULL, NULL, now_ms (), &error);
  g_assert_no_error (error);

  id = queue_reply (f, mention, text);
  g_assert_cmpuint (f->changed, >, 0);

  /* Queued: the draft is gone and the audit log says who. */
  draft = civic_drafts_load (f->store, mention, &error);
  g_assert_no_error (error);
  g_assert_null (draft);
  g_assert_true (has_audit (f, mention, "reply-queued"));
  item = load (f, id);
  g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_PENDING);
  g_assert_cmpstr (item->visibility, ==, "public");
  g_assert_cmpstr (item->language, ==, "es");
  g_assert_cmpstr (item->created_by, ==, PERSON);
  g_assert_cmpuint (strlen (item->idempotency_key), >=, 32);
  g_clear_pointer (&item, civic_outbox_item_free);

  /* Not started: nothing goes out. */
  g_assert_cmpuint (count_on_server (f, text, NULL), ==, 0);

  g_assert_true (drain (f, id, 10000));
  item = load (f, id);
  g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (item->attempts, ==, 1);
  g_assert_null (item->last_error);
  g_assert_cmpint (item->sent_at_ms, >, 0);

  statuses = server_replies (f);
  g_assert_cmpuint (json_array_get_length (statuses), ==, 1);
  status = json_array_get_object_element (statuses, 0);
  g_assert_cmpstr (json_object_get_string_member (status, "id"), ==, item->remote_status_id);
  g_assert_cmpstr (json_object_get_string_member (status, "idempotency_key"), ==, item->idempotency_key);
  g_assert_cmpstr (json_object_get_string_member (status, "in_reply_to_id"), ==, item->in_reply_to_id);
  g_assert_cmpstr (json_object_get_string_member (status, "text"), ==, text);

  /* The mention is answered, by the person who wrote the reply. */
  g_assert_cmpint (mention_state (f, mention), ==, CIVIC_MENTION_STATE_ANSWERED);
  g_assert_true (has_audit (f, mention, "answer"));
}

/* The reply's language goes out with it and the server keeps it; without
 * one, the department's language applies. */
static void
test_language (Fixture       *f,
               gconstpointer  data)
{
  const char *text_fr = "Merci, @vecina. Les services techniques passeront demain.";
  const char *text_ca = "Gràcies, @vecina. Hi anirem demà.";
  g_autoptr(CivicOutboxItem) item = NULL;
  g_autoptr(JsonArray) statuses = NULL;
  g_autoptr(GError) error = NULL;
  CivicOutboxReply reply = { 0 };
  gint64 mention = add_mention (f, "Le lampadaire de la rue Real ne marche pas", NULL);
  gint64 id = 0, id_ca;
  guint seen = 0;

  reply.mention_id = mention;
  reply.body = text_fr;
  reply.language = "fr";
  civic_outbox_queue (f->outbox, &reply, PERSON, DESK, now_ms (), &id, &error);
  g_assert_no_error (error);
  item = load (f, id);
  g_assert_cmpstr (item->language, ==, "fr");

  exec_sql (f, "UPDATE departments SET language = 'ca'");
  id_ca = queue_reply (f, mention, text_ca);
  g_clear_pointer (&item, civic_outbox_item_free);
  item = load (f, id_ca);
  g_assert_cmpstr (item->language, ==, "ca");

  g_assert_true (drain (f, 0, 10000));
  statuses = server_replies (f);
  for (guint i = 0; i < json_array_get_length (statuses); i++)
    {
      JsonObject *status = json_array_get_object_element (statuses, i);
      const char *text = json_object_get_string_member (status, "text");

      if (g_strcmp0 (text, text_fr) == 0)
        g_assert_cmpstr (json_object_get_string_member (status, "language"), ==, "fr");
      else if (g_strcmp0 (text, text_ca) == 0)
        g_assert_cmpstr (json_object_get_string_member (status, "language"), ==, "ca");
      else
        continue;
      seen++;
    }
  g_assert_cmpuint (seen, ==, 2);
}

static void
test_retry_after_500 (Fixture       *f,
                      gconstpointer  data)
{
  const char *text = "Recibido. Pasamos el aviso a los servicios técnicos.";
  g_autoptr(CivicOutboxItem) item = NULL;
  gint64 mention = add_mention (f, "Hay un bache en la plaza", NULL);
  gint64 id;

  civic_test_sim_put (f->sim, "/_sim/faults", "post=500,500");
  id = queue_reply (f, mention, text);

  g_assert_true (drain (f, id, 15000));
  item = load (f, id);
  g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (item->attempts, ==, 3);
  /* Every attempt carried the same key: one status. */
  g_assert_cmpuint (count_on_server (f, text, item->idempotency_key), ==, 1);
  g_assert_cmpuint (count_on_server (f, text, NULL), ==, 1);
}

static void
test_500_after_posting (Fixture       *f,
                        gconstpointer  data)
{
  const char *text = "Gracias por avisar; mañana se recoge.";
  g_autoptr(CivicOutboxItem) item = NULL;
  gint64 mention = add_mention (f, "Un colchón en la calle Nueva", NULL);
  gint64 id;

  /* The server posts, then answers 500: the outcome looks like a failure. */
  civic_test_sim_put (f->sim, "/_sim/faults", "post=500-after");
  id = queue_reply (f, mention, text);

  g_assert_true (drain (f, id, 15000));
  item = load (f, id);
  g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (item->attempts, ==, 2);
  g_assert_cmpuint (count_on_server (f, text, NULL), ==, 1);
  g_assert_cmpint (mention_state (f, mention), ==, CIVIC_MENTION_STATE_ANSWERED);
}

static void
test_ignored_key_reset_after (Fixture       *f,
                              gconstpointer  data)
{
  const char *text = "Lo revisamos hoy mismo. Gracias, @vecina";
  g_autoptr(CivicOutboxItem) item = NULL;
  g_autoptr(JsonArray) statuses = NULL;
  gint64 mention = add_mention (f, "La fuente de la plaza pierde agua", NULL);
  gint64 id;

  /* A server that ignores Idempotency-Key, and loses the answer after
   * posting: only the look in the thread prevents a second post. */
  civic_test_sim_put (f->sim, "/_sim/quirks", "ignore-idempotency");
  civic_test_sim_put (f->sim, "/_sim/faults", "post=reset-after");
  id = queue_reply (f, mention, text);

  g_assert_true (drain (f, id, 15000));
  item = load (f, id);
  g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (item->attempts, ==, 2);

  statuses = server_replies (f);
  g_assert_cmpuint (json_array_get_length (statuses), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (statuses, 0), "id"), ==,
                   item->remote_status_id);
  g_assert_cmpint (mention_state (f, mention), ==, CIVIC_MENTION_STATE_ANSWERED);
}

static void
test_identical_replies (Fixture       *f,
                        gconstpointer  data)
{
  const char *text = "Gracias.";
  g_autoptr(CivicOutboxItem) first = NULL;
  g_autoptr(CivicOutboxItem) second = NULL;
  gint64 mention = add_mention (f, "Gracias por arreglar la farola", NULL);
  gint64 a, b;

  /* Two replies with the same words are two replies, even when the second
   * needed a look in the thread (where the first already is). */
  civic_test_sim_put (f->sim, "/_sim/quirks", "ignore-idempotency");
  a = queue_reply (f, mention, text);
  g_assert_true (drain (f, a, 10000));
  civic_test_sim_put (f->sim, "/_sim/faults", "post=500");
  b = queue_reply (f, mention, text);
  g_assert_true (drain (f, b, 10000));

  first = load (f, a);
  second = load (f, b);
  g_assert_cmpint (second->state, ==, CIVIC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (second->attempts, ==, 2);
  g_assert_cmpstr (first->remote_status_id, !=, second->remote_status_id);
  g_assert_cmpuint (count_on_server (f, text, NULL), ==, 2);
}

/* Refusals */

static void
test_rejected (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CivicOutboxItem) item = NULL;
  g_autoptr(CivicDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strnfill (600, 'x');
  gint64 mention = add_mention (f, "¿Cuándo abre el registro?", NULL);
  gint64 id;

  /* The desk believes the server takes 1000 characters; it takes 500. */
  exec_sql (f, "UPDATE servers SET max_characters = 1000");
  id = queue_reply (f, mention, text);

  g_assert_true (drain (f, id, 10000));
  item = load (f, id);
  g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_FAILED);
  g_assert_cmpuint (item->attempts, ==, 1);
  g_assert_nonnull (strstr (item->last_error, "character limit"));
  g_assert_cmpstr (item->body, ==, text);
  g_assert_cmpuint (count_on_server (f, text, NULL), ==, 0);

  /* The composer gets the text back, and the log says why. */
  draft = civic_drafts_load (f->store, mention, &error);
  g_assert_no_error (error);
  g_assert_nonnull (draft);
  g_assert_cmpstr (draft->body, ==, text);
  g_assert_true (has_audit (f, mention, "reply-failed"));
  g_assert_cmpint (mention_state (f, mention), ==, CIVIC_MENTION_STATE_NEW);
}

static void
test_deleted_parent (Fixture       *f,
                     gconstpointer  data)
{
  const char *text = "Ya está arreglado.";
  g_autoptr(CivicOutboxItem) item = NULL;
  g_autoptr(CivicDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  gint64 mention = add_mention (f, "La farola parpadea", NULL);
  gint64 id;

  /* The citizen deleted the mention before the reply went out. */
  exec_sql (f, "UPDATE mentions SET status_id = '999999999999'");
  id = queue_reply (f, mention, text);

  g_assert_true (drain (f, id, 10000));
  item = load (f, id);
  g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_FAILED);
  g_assert_nonnull (strstr (item->last_error, "does not appear to exist"));

  draft = civic_drafts_load (f->store, mention, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (draft->body, ==, text);
  g_clear_pointer (&draft, civic_draft_free);

  /* Retrying drops the restored draft; failing again brings it back. */
  civic_outbox_retry (f->outbox, id, PERSON, DESK, now_ms (), &error);
  g_assert_no_error (error);
  draft = civic_drafts_load (f->store, mention, &error);
  g_assert_null (draft);
  g_assert_true (drain (f, id, 10000));
  g_clear_pointer (&item, civic_outbox_item_free);
  item = load (f, id);
  g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_FAILED);
  g_assert_cmpuint (item->attempts, ==, 2);
  draft = civic_drafts_load (f->store, mention, &error);
  g_assert_cmpstr (draft->body, ==, text);
  g_assert_true (has_audit (f, mention, "reply-retried"));
}

/* Rate limits */

static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  const char *text = "Anotado, gracias.";
  g_auto(CivicOutboxSummary) summary = { 0 };
  g_autoptr(CivicOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *words = NULL;
  gint64 mention = add_mention (f, "Ruido en la feria", NULL);
  gint64 id, before;

  /* 429 with X-RateLimit-Reset 2 s ahead. */
  civic_test_sim_put (f->sim, "/_sim/faults", "post=429");
  id = queue_reply (f, mention, text);
  before = now_ms ();

  g_assert_false (drain (f, id, 700));
  item = load (f, id);
  g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_PENDING);
  g_assert_cmpint (item->next_attempt_at_ms, >=, before + 1000);
  g_assert_nonnull (strstr (item->last_error, "slow down"));

  civic_outbox_get_summary (f->outbox, f->account_id, &summary, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_pending, ==, 1);
  g_assert_cmpint (summary.paused_until_ms, >=, before + 1000);
  g_assert_cmpint (summary.next_attempt_at_ms, ==, item->next_attempt_at_ms);
  words = civic_outbox_summary_describe (&summary, now_ms ());
  g_assert_true (g_str_has_prefix (words, "1 reply queued, next in "));

  /* After the reset it goes, once. */
  g_assert_true (drain (f, id, 10000));
  g_clear_pointer (&item, civic_outbox_item_free);
  item = load (f, id);
  g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_SENT);
  g_assert_cmpint (item->sent_at_ms, >=, summary.paused_until_ms - 50);
  g_assert_cmpuint (count_on_server (f, text, NULL), ==, 1);
}

static void
test_remaining_zero (Fixture       *f,
                     gconstpointer  data)
{
  gint64 mention = add_mention (f, "Tres preguntas", NULL);
  gint64 ids[3];

  /* Two statuses per 3 s: the second answer says "X-RateLimit-Remaining:
   * 0", so the third waits for the reset instead of drawing a 429. */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *text = g_strdup_printf ("Respuesta %u", i);

      ids[i] = queue_reply (f, mention, text);
    }
  g_assert_true (drain (f, 0, 15000));

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(CivicOutboxItem) item = load (f, ids[i]);
      g_autofree char *text = g_strdup_printf ("Respuesta %u", i);

      g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_SENT);
      g_assert_cmpuint (item->attempts, ==, 1);
      g_assert_cmpuint (count_on_server (f, text, item->idempotency_key), ==, 1);
    }
}

/* Photos */

static char *
write_photo (Fixture *f,
             const char *name,
             gsize       padding)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  char *path = g_build_filename (f->dir, name, NULL);

  g_byte_array_append (bytes, tiny_png, sizeof tiny_png);
  g_byte_array_set_size (bytes, sizeof tiny_png + padding);
  memset (bytes->data + sizeof tiny_png, 0, padding);
  g_file_set_contents (path, (const char *) bytes->data, bytes->len, &error);
  g_assert_no_error (error);

  return path;
}

typedef struct
{
  Fixture *f;
  gint64 id;
} Probe;

static gboolean
first_try_failed (gpointer user_data)
{
  Probe *probe = user_data;
  g_autoptr(CivicOutboxItem) item = load (probe->f, probe->id);

  return item->attempts == 1 && item->state == CIVIC_OUTBOX_STATE_PENDING && item->last_error != NULL;
}

static GPtrArray *
media_remote_ids (Fixture *f,
                  gint64   outbox_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpint (sqlite3_prepare_v2 (_civic_store_get_db (f->store),
                                       "SELECT remote_id FROM outbox_media WHERE outbox_id = ?1 ORDER BY position",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, outbox_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));

  return ids;
}

static void
test_media (Fixture       *f,
            gconstpointer  data)
{
  const char *text = "Así ha quedado la farola.";
  g_autofree char *small = write_photo (f, "antes.png", 0);
  /* Over 256 KB: the sim answers 202 and processes it for 0.8 s. */
  g_autofree char *large = write_photo (f, "despues.png", 300 * 1024);
  const char *paths[] = { small, large, NULL };
  const char *alts[] = { "La farola apagada", "La farola encendida", NULL };
  CivicOutboxReply reply = { 0 };
  g_autoptr(CivicOutboxItem) item = NULL;
  g_autoptr(GPtrArray) first_ids = NULL;
  g_autoptr(GPtrArray) final_ids = NULL;
  g_autoptr(JsonArray) statuses = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *attached;
  gint64 mention = add_mention (f, "La farola de la calle Real no funciona", NULL);
  gint64 id = 0;

  /* The first post fails: the photos must not be uploaded again. */
  civic_test_sim_put (f->sim, "/_sim/faults", "post=500");
  civic_outbox_set_backoff (f->outbox, 4000, 4000);

  reply.mention_id = mention;
  reply.body = text;
  reply.media_paths = paths;
  reply.media_descriptions = alts;
  civic_outbox_queue (f->outbox, &reply, PERSON, DESK, now_ms (), &id, &error);
  g_assert_no_error (error);

  civic_outbox_start (f->outbox);
  g_assert_true (civic_test_spin_until (first_try_failed, &(Probe) { f, id }, 10000));
  civic_outbox_stop (f->outbox);
  item = load (f, id);
  g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_PENDING);
  g_assert_cmpuint (item->attempts, ==, 1);
  g_assert_cmpuint (item->n_media, ==, 2);
  first_ids = media_remote_ids (f, id);
  g_assert_cmpuint (first_ids->len, ==, 2);
  g_assert_nonnull (g_ptr_array_index (first_ids, 0));
  g_assert_nonnull (g_ptr_array_index (first_ids, 1));

  g_assert_true (drain (f, id, 10000));
  g_clear_pointer (&item, civic_outbox_item_free);
  item = load (f, id);
  g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (item->attempts, ==, 2);
  final_ids = media_remote_ids (f, id);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (g_ptr_array_index (final_ids, i), ==, g_ptr_array_index (first_ids, i));

  statuses = server_replies (f);
  g_assert_cmpuint (json_array_get_length (statuses), ==, 1);
  attached = json_object_get_array_member (json_array_get_object_element (statuses, 0), "media_ids");
  g_assert_cmpuint (json_array_get_length (attached), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (json_array_get_string_element (attached, i), ==, g_ptr_array_index (first_ids, i));
}

/* Crashes */

static void
test_recover_sending (Fixture       *f,
                      gconstpointer  data)
{
  const char *text = "Respuesta enviada justo antes del corte.";
  g_autoptr(CivicOutboxItem) item = NULL;
  g_autoptr(CivicClient) client = NULL;
  g_autoptr(CivicStatus) posted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  CivicStatusPost post = { 0 };
  Wait wait = { 0 };
  gint64 mention = add_mention (f, "Se ha caído una rama en el parque", NULL);
  gint64 id;

  civic_test_sim_put (f->sim, "/_sim/quirks", "ignore-idempotency");
  id = queue_reply (f, mention, text);
  item = load (f, id);

  /* A desk claimed the row, posted it, and died before writing it down;
   * its claim still runs for 1.5 s. */
  client = civic_client_new (f->session, f->sim->url, civic_test_sim_token (f->sim, "alcaldia"));
  post.status = text;
  post.in_reply_to_id = item->in_reply_to_id;
  post.visibility = "public";
  civic_client_post_status_async (client, &post, item->idempotency_key, NULL, wait_cb, &wait);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
  posted = civic_client_post_status_finish (client, wait.result, &error);
  g_assert_no_error (error);
  g_object_unref (wait.result);
  sql = g_strdup_printf ("UPDATE outbox SET state = 'sending', attempts = 1, next_attempt_at = %" G_GINT64_FORMAT,
                         now_ms () + 1500);
  exec_sql (f, sql);

  /* Not before the claim lapses… */
  g_assert_false (drain (f, id, 700));
  g_clear_pointer (&item, civic_outbox_item_free);
  item = load (f, id);
  g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_SENDING);
  g_assert_cmpuint (item->attempts, ==, 1);

  /* …then found in the thread, not posted again. */
  g_assert_true (drain (f, id, 10000));
  g_clear_pointer (&item, civic_outbox_item_free);
  item = load (f, id);
  g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (item->attempts, ==, 2);
  g_assert_cmpstr (item->remote_status_id, ==, posted->id);
  g_assert_cmpuint (count_on_server (f, text, NULL), ==, 1);
  g_assert_cmpint (mention_state (f, mention), ==, CIVIC_MENTION_STATE_ANSWERED);
}

static void
test_stop_releases (Fixture       *f,
                    gconstpointer  data)
{
  const char *text = "Mañana pasa la barredora.";
  g_autoptr(CivicOutboxItem) item = NULL;
  gint64 mention = add_mention (f, "Hojas en la acera", NULL);
  gint64 id;

  /* The server never answers; the desk closes meanwhile. */
  civic_test_sim_put (f->sim, "/_sim/faults", "post=hang");
  id = queue_reply (f, mention, text);
  civic_outbox_start (f->outbox);
  g_assert_true (civic_test_spin_until (outbox_busy, f->outbox, 5000));
  civic_outbox_stop (f->outbox);
  g_assert_true (civic_test_spin_until (outbox_idle, f->outbox, 5000));

  /* Back to waiting, due at once, its try counted (the thread is checked
   * next time). */
  item = load (f, id);
  g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_PENDING);
  g_assert_cmpuint (item->attempts, ==, 1);
  g_assert_cmpint (item->next_attempt_at_ms, ==, 0);

  civic_test_sim_put (f->sim, "/_sim/faults", "");
  g_assert_true (drain (f, id, 10000));
  g_clear_pointer (&item, civic_outbox_item_free);
  item = load (f, id);
  g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_SENT);
  g_assert_cmpuint (count_on_server (f, text, NULL), ==, 1);
}

/* Offline: drafts, validation, retry and cancel */

static void
test_drafts (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CivicDraft) draft = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  gint64 a = add_mention (f, "Uno", NULL);
  gint64 b = add_mention (f, "Dos", NULL);

  draft = civic_drafts_load (f->store, a, &error);
  g_assert_no_error (error);
  g_assert_null (draft);

  civic_drafts_save (f->store, a, "Hola 👋\n", "", NULL, NULL, 1000, &error);
  g_assert_no_error (error);
  civic_drafts_save (f->store, b, "Otro", "Aviso", "direct", "ca", 2000, &error);
  g_assert_no_error (error);
  civic_drafts_save (f->store, a, "Hola 👋\nvecina, ", "CW", "unlisted", "es", 3000, &error);
  g_assert_no_error (error);

  draft = civic_drafts_load (f->store, a, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (draft->body, ==, "Hola 👋\nvecina, ");
  g_assert_cmpstr (draft->spoiler_text, ==, "CW");
  g_assert_cmpstr (draft->visibility, ==, "unlisted");
  g_assert_cmpstr (draft->language, ==, "es");
  g_assert_cmpint (draft->updated_at_ms, ==, 3000);
  g_clear_pointer (&draft, civic_draft_free);

  ids = civic_drafts_list_mention_ids (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, a);
  g_clear_pointer (&ids, g_array_unref);

  /* An emptied composer has no draft. */
  civic_drafts_save (f->store, a, "", "", "unlisted", NULL, 4000, &error);
  g_assert_no_error (error);
  draft = civic_drafts_load (f->store, a, &error);
  g_assert_null (draft);

  /* A draft survives reopening the database (a crash). */
  g_clear_object (&f->outbox);
  g_clear_object (&f->context);
  g_clear_object (&f->store);
  {
    g_autofree char *path = g_build_filename (f->dir, "desk.db", NULL);

    f->store = civic_store_new (path, &error);
    g_assert_no_error (error);
    f->context = civic_context_new (f->store, NULL);
    f->outbox = civic_outbox_new (f->context, f->session);
  }
  draft = civic_drafts_load (f->store, b, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (draft->body, ==, "Otro");
  g_assert_cmpstr (draft->visibility, ==, "direct");

  /* A draft needs its mention. */
  civic_drafts_save (f->store, 99999, "x", "", NULL, NULL, 1, &error);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
}

static void
expect_refused (Fixture                *f,
                const CivicOutboxReply *reply,
                const char             *person,
                const char             *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  gint64 id = 0;

  g_assert_false (civic_outbox_queue (f->outbox, reply, person, DESK, now_ms (), &id, &error));
  g_assert_nonnull (error);
  if (strstr (error->message, words) == NULL)
    g_error ("“%s” does not say “%s”", error->message, words);
  g_assert_cmpint (id, ==, 0);

  items = civic_outbox_list (f->outbox, 0, 0, NULL);
  g_assert_cmpuint (items->len, ==, 0);
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *long_text = g_strnfill (501, 'a');
  g_autofree char *letters = g_strnfill (476, 'a');
  g_autofree char *path_part = g_strnfill (100, 'b');
  g_autofree char *photo = write_photo (f, "foto.png", 0);
  g_autofree char *gone = g_build_filename (f->dir, "no-existe.png", NULL);
  const char *five[] = { photo, photo, photo, photo, photo, NULL };
  const char *five_alts[] = { "a", "b", "c", "d", "e", NULL };
  const char *one[] = { photo, NULL };
  const char *missing[] = { gone, NULL };
  const char *blank_alt[] = { "  ", NULL };
  const char *alt[] = { "Una farola", NULL };
  gint64 mention = add_mention (f, "Hola", NULL);
  gint64 unsorted;
  CivicOutboxReply reply = { .mention_id = mention };
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  reply.body = "  \n ";
  expect_refused (f, &reply, PERSON, "Write the reply first");
  reply.body = long_text;
  expect_refused (f, &reply, PERSON, "501 characters");
  reply.body = "Hola";
  reply.spoiler_text = long_text + 4;
  expect_refused (f, &reply, PERSON, "501 characters");
  reply.spoiler_text = NULL;
  expect_refused (f, &reply, "", "Say who you are");
  reply.visibility = "friends";
  expect_refused (f, &reply, PERSON, "not a visibility");
  reply.visibility = NULL;
  reply.media_paths = five;
  reply.media_descriptions = five_alts;
  expect_refused (f, &reply, PERSON, "at most 4 photos");
  reply.media_paths = one;
  reply.media_descriptions = blank_alt;
  expect_refused (f, &reply, PERSON, "Describe the photo “foto.png”");
  reply.media_descriptions = NULL;
  expect_refused (f, &reply, PERSON, "Describe the photo");
  reply.media_paths = missing;
  reply.media_descriptions = alt;
  expect_refused (f, &reply, PERSON, "cannot be found");
  reply.media_paths = NULL;
  reply.media_descriptions = NULL;
  reply.mention_id = 424242;
  expect_refused (f, &reply, PERSON, "no mention");

  /* A mention whose department no account answers for. */
  unsorted = add_mention (f, "¿A quién le digo esto?", NULL);
  exec_sql (f, "UPDATE mentions SET department_id = (SELECT id FROM departments WHERE slug = 'unsorted')"
               " WHERE content_text = '¿A quién le digo esto?'");
  reply.mention_id = unsorted;
  expect_refused (f, &reply, PERSON, "sign in");

  /* Exactly 500, a URL counted as 23, and a photo: fine. */
  g_free (long_text);
  long_text = g_strdup_printf ("%s https://jun.example/%s", letters, path_part);
  reply.mention_id = mention;
  reply.body = long_text;
  reply.media_paths = one;
  reply.media_descriptions = alt;
  civic_outbox_queue (f->outbox, &reply, PERSON, DESK, now_ms (), &id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
}

static void
test_visibility_default (Fixture       *f,
                         gconstpointer  data)
{
  gint64 direct = add_mention (f, "Necesito cita para mañana", "direct");
  gint64 unlisted = add_mention (f, "Una pregunta", "unlisted");
  gint64 public = add_mention (f, "Otra pregunta", "public");
  CivicOutboxReply reply = { .body = "Le escribimos por privado." };
  g_autoptr(GError) error = NULL;
  gint64 ids[4];
  const char *expected[] = { "direct", "unlisted", "public", "direct" };

  reply.mention_id = direct;
  civic_outbox_queue (f->outbox, &reply, PERSON, DESK, 1, &ids[0], &error);
  reply.mention_id = unlisted;
  civic_outbox_queue (f->outbox, &reply, PERSON, DESK, 1, &ids[1], &error);
  reply.mention_id = public;
  civic_outbox_queue (f->outbox, &reply, PERSON, DESK, 1, &ids[2], &error);
  reply.visibility = "direct";
  civic_outbox_queue (f->outbox, &reply, PERSON, DESK, 1, &ids[3], &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(CivicOutboxItem) item = load (f, ids[i]);

      g_assert_cmpstr (item->visibility, ==, expected[i]);
    }
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CivicDraft) draft = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gint64 mention = add_mention (f, "Hola", NULL);
  CivicOutboxReply reply = { .mention_id = mention, .body = "Primera respuesta", .spoiler_text = "Aviso" };
  gint64 id = 0;

  civic_outbox_queue (f->outbox, &reply, PERSON, DESK, 1, &id, &error);
  g_assert_no_error (error);

  /* Cancelled: out of the outbox, back in the composer. */
  civic_outbox_cancel (f->outbox, id, PERSON, DESK, 2, &error);
  g_assert_no_error (error);
  items = civic_outbox_list (f->outbox, mention, 0, &error);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);
  draft = civic_drafts_load (f->store, mention, &error);
  g_assert_cmpstr (draft->body, ==, "Primera respuesta");
  g_assert_cmpstr (draft->spoiler_text, ==, "Aviso");
  g_assert_cmpstr (draft->visibility, ==, "public");
  g_assert_true (has_audit (f, mention, "reply-cancelled"));
  g_clear_pointer (&draft, civic_draft_free);

  /* Cancelling while a new draft exists keeps both texts. */
  civic_outbox_queue (f->outbox, &reply, PERSON, DESK, 3, &id, &error);
  g_assert_no_error (error);
  civic_drafts_save (f->store, mention, "Otra cosa", "", NULL, NULL, 4, &error);
  civic_outbox_cancel (f->outbox, id, PERSON, DESK, 5, &error);
  g_assert_no_error (error);
  draft = civic_drafts_load (f->store, mention, &error);
  g_assert_cmpstr (draft->body, ==, "Otra cosa\n\nPrimera respuesta");
  g_clear_pointer (&draft, civic_draft_free);

  /* Sent and in-flight replies stay. */
  civic_outbox_queue (f->outbox, &reply, PERSON, DESK, 6, &id, &error);
  g_assert_no_error (error);
  exec_sql (f, "UPDATE outbox SET state = 'sending'");
  civic_outbox_cancel (f->outbox, id, PERSON, DESK, 7, &error);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  civic_outbox_retry (f->outbox, id, PERSON, DESK, 7, &error);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  exec_sql (f, "UPDATE outbox SET state = 'sent', remote_status_id = '1'");
  civic_outbox_cancel (f->outbox, id, PERSON, DESK, 8, &error);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  civic_outbox_cancel (f->outbox, 9999, PERSON, DESK, 8, &error);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND);
}

static gboolean
has_last_error (gpointer user_data)
{
  Probe *probe = user_data;
  g_autoptr(CivicOutboxItem) item = load (probe->f, probe->id);

  return item->last_error != NULL;
}

static void
test_no_login (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CivicOutboxItem) item = NULL;
  gint64 mention = add_mention (f, "Hola", NULL);
  gint64 id = queue_reply (f, mention, "Buenos días");

  /* No token in the keyring for this server: the reply waits, and says
   * why. */
  civic_outbox_start (f->outbox);
  g_assert_true (civic_test_spin_until (has_last_error, &(Probe) { f, id }, 10000));
  item = load (f, id);
  g_assert_cmpint (item->state, ==, CIVIC_OUTBOX_STATE_PENDING);
  g_assert_cmpuint (item->attempts, ==, 0);
  g_assert_nonnull (strstr (item->last_error, "@alcaldia"));
}

static void
test_summary (Fixture       *f,
              gconstpointer  data)
{
  CivicOutboxSummary summary = { 0 };
  g_auto(CivicOutboxSummary) loaded = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 now = 1000000000;
  gint64 mention = add_mention (f, "Hola", NULL);
  CivicOutboxReply reply = { .mention_id = mention, .body = "Hola" };
  char *words;

  words = civic_outbox_summary_describe (&summary, now);
  g_assert_cmpstr (words, ==, "");
  g_free (words);

  summary.n_pending = 12;
  summary.next_attempt_at_ms = now + 4 * 60 * 1000 - 10;
  words = civic_outbox_summary_describe (&summary, now);
  g_assert_cmpstr (words, ==, "12 replies queued, next in 4 min");
  g_free (words);

  summary.next_attempt_at_ms = now + 30 * 1000;
  summary.n_failed = 1;
  words = civic_outbox_summary_describe (&summary, now);
  g_assert_cmpstr (words, ==, "12 replies queued, next in 30 s; 1 reply failed");
  g_free (words);

  summary.n_pending = 0;
  summary.n_sending = 1;
  summary.n_failed = 2;
  words = civic_outbox_summary_describe (&summary, now);
  g_assert_cmpstr (words, ==, "1 reply queued, sending now; 2 replies failed");
  g_free (words);

  /* From the store. */
  for (guint i = 0; i < 3; i++)
    civic_outbox_queue (f->outbox, &reply, PERSON, DESK, 100 + i, NULL, &error);
  g_assert_no_error (error);
  exec_sql (f, "UPDATE outbox SET state = 'failed', last_error = 'Demasiado largo' WHERE id = 1");
  civic_outbox_get_summary (f->outbox, 0, &loaded, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded.n_pending, ==, 2);
  g_assert_cmpuint (loaded.n_failed, ==, 1);
  g_assert_cmpint (loaded.next_attempt_at_ms, ==, 101);
  g_assert_cmpstr (loaded.last_error, ==, "Demasiado largo");
}

int
main (int   argc,
      char *argv[])
{
  static const char * const status_limit_args[] = {
    "--mentions", "0", "--citizens", "5", "--status-limit", "2/3", NULL
  };

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/outbox/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define ADD_OFFLINE(path, func) \
  g_test_add ("/outbox/" path, Fixture, NULL, offline_set_up, func, fixture_tear_down)

  ADD ("deliver", test_deliver);
  ADD ("language", test_language);
  ADD ("retry-after-500", test_retry_after_500);
  ADD ("500-after-posting", test_500_after_posting);
  ADD ("ignored-key-reset-after", test_ignored_key_reset_after);
  ADD ("identical-replies", test_identical_replies);
  ADD ("rejected", test_rejected);
  ADD ("deleted-parent", test_deleted_parent);
  ADD ("rate-limited", test_rate_limited);
  g_test_add ("/outbox/remaining-zero", Fixture, status_limit_args, fixture_set_up, test_remaining_zero,
              fixture_tear_down);
  ADD ("media", test_media);
  ADD ("recover-sending", test_recover_sending);
  ADD ("stop-releases", test_stop_releases);
  ADD_OFFLINE ("drafts", test_drafts);
  ADD_OFFLINE ("validation", test_validation);
  ADD_OFFLINE ("visibility-default", test_visibility_default);
  ADD_OFFLINE ("cancel", test_cancel);
  ADD_OFFLINE ("summary", test_summary);
  ADD_OFFLINE ("no-login", test_no_login);

#undef ADD
#undef ADD_OFFLINE

  return g_test_run ();
}
