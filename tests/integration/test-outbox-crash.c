/* test-outbox-crash.c
 *
 * Crash safety of the outbox, from the outside: `civicctl reply` runs
 * against civic-sim with random post faults (500, 500 after posting, reset
 * after posting, hangs) and is killed with SIGKILL at a random moment
 * (0–300 ms after it starts, or after it said the reply is queued), 200
 * times; then `civicctl outbox --drain` delivers what is left. The sim's
 * own records must hold exactly one reply per queued message (by
 * idempotency key and by text), every reply civicctl acknowledged must be
 * among them, and nothing may be on the server that the desk never queued.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <signal.h>
#include <string.h>

#include "civic-client.h"
#include "civic-test-sim.h"

#define DEFAULT_ITERATIONS 200
#define MAX_KILL_MS 300
#define FAULTS "post=500:0.15,500-after:0.15,reset-after:0.1,hang:0.05;context=500:0.1"

static const char * const departments[] = { "alcaldia", "policia" };

typedef struct
{
  char *text;
  gint64 mention_id;
  gboolean killed;
  gboolean acknowledged;   /* civicctl said "Queued as outbox N" */
} Attempt;

static void
attempt_free (Attempt *attempt)
{
  g_free (attempt->text);
  g_free (attempt);
}

static const char *
civicctl_path (void)
{
  const char *path = g_getenv ("CIVICCTL");

  if (path == NULL)
    g_error ("CIVICCTL is not set: run the test through meson");
  return path;
}

/* Runs civicctl to the end; returns its standard output. */
static char *
civicctl (const char  *input,
          int         *exit_status,
          const char  *first,
          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) civicctl_path ());
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                 G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &out, &err, &error);
  g_assert_no_error (error);

  *exit_status = g_subprocess_get_exit_status (process);
  if (*exit_status != 0)
    g_test_message ("civicctl %s: exit %d: %s", first, *exit_status, err);

  return out;
}

typedef struct
{
  GSubprocess *process;
  GDataInputStream *lines;
  GString *out;
  gboolean read_done;
  guint kill_ms;
  gboolean after_queued;    /* count kill_ms from "Queued", not from the start */
  guint kill_source;
} Run;

static gboolean
kill_cb (gpointer user_data)
{
  Run *run = user_data;

  run->kill_source = 0;
  if (!run->read_done)
    g_subprocess_send_signal (run->process, SIGKILL);

  return G_SOURCE_REMOVE;
}

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &error);
  if (line == NULL)
    {
      /* End of output: civicctl ended or was killed. */
      run->read_done = TRUE;
      return;
    }

  g_string_append_printf (run->out, "%s\n", line);
  if (run->after_queued && run->kill_source == 0 && g_str_has_prefix (line, "Queued as outbox "))
    run->kill_source = g_timeout_add (run->kill_ms, kill_cb, run);

  g_data_input_stream_read_line_async (run->lines, G_PRIORITY_DEFAULT, NULL, line_read_cb, run);
}

static gboolean
run_done (gpointer user_data)
{
  return ((Run *) user_data)->read_done;
}

/* `civicctl reply`, killed @kill_ms after it started (or, with
 * @after_queued, after it said the reply is queued) unless it is done. */
static void
reply_and_kill (const char *database,
                const char *text_file,
                Attempt    *attempt,
                guint       kill_ms,
                gboolean    after_queued)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, attempt->mention_id);
  Run run = { 0 };

  run.process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                  civicctl_path (), "reply", id, "--text-file", text_file, "--database", database,
                                  "--timeout", "1", "--wait", "2", NULL);
  g_assert_no_error (error);
  run.out = g_string_new (NULL);
  run.kill_ms = kill_ms;
  run.after_queued = after_queued;
  run.lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (run.process));

  g_data_input_stream_read_line_async (run.lines, G_PRIORITY_DEFAULT, NULL, line_read_cb, &run);
  if (!after_queued)
    run.kill_source = g_timeout_add (kill_ms, kill_cb, &run);
  g_assert_true (civic_test_spin_until (run_done, &run, 60000));
  g_clear_handle_id (&run.kill_source, g_source_remove);
  g_subprocess_wait (run.process, NULL, &error);
  g_assert_no_error (error);

  /* A run that ended by itself says the reply is queued or sent. */
  attempt->killed = g_subprocess_get_if_signaled (run.process);
  if (attempt->killed)
    g_assert_cmpint (g_subprocess_get_term_sig (run.process), ==, SIGKILL);
  else
    g_assert_cmpint (g_subprocess_get_exit_status (run.process), ==, 0);
  attempt->acknowledged = strstr (run.out->str, "Queued as outbox ") != NULL;
  if (!attempt->killed)
    g_assert_true (attempt->acknowledged);

  g_string_free (run.out, TRUE);
  g_object_unref (run.lines);
  g_object_unref (run.process);
}

/* The mention ids civicctl lists for @department. */
static GArray *
list_mentions (const char *database,
               const char *department)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonArray *array;
  int status;

  out = civicctl (NULL, &status, "list", "--department", department, "--state", "all", "--json",
                  "--database", database, NULL);
  g_assert_cmpint (status, ==, 0);
  root = json_from_string (out, &error);
  g_assert_no_error (error);
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gint64 id = json_object_get_int_member (json_array_get_object_element (array, i), "id");

      g_array_append_val (ids, id);
    }

  return ids;
}

static void
test_crash (void)
{
  /* A generous request limit: the test is about faults, not throttling. */
  static const char * const args[] = { "--mentions", "0", "--citizens", "5", "--rate-limit", "100000/300", NULL };
  CivicTestSim *sim = civic_test_sim_start (args);
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autofree char *database = g_build_filename (dir, "desk.db", NULL);
  g_autofree char *text_file = g_build_filename (dir, "reply.txt", NULL);
  g_autoptr(GPtrArray) attempts = g_ptr_array_new_with_free_func ((GDestroyNotify) attempt_free);
  g_autoptr(GArray) mentions = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) by_text = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) queued_texts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) outbox_root = NULL;
  g_autoptr(JsonNode) faults = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *outbox_json = NULL;
  const char *env_iterations = g_getenv ("CIVIC_CRASH_ITERATIONS");
  guint iterations = env_iterations != NULL ? (guint) g_ascii_strtoull (env_iterations, NULL, 10)
                                            : DEFAULT_ITERATIONS;
  guint killed = 0, killed_queued = 0, acknowledged = 0, drains = 0, server_replies = 0, duplicates = 0;
  gint64 post_requests = 0;
  gint64 started = g_get_monotonic_time ();
  JsonArray *rows;
  int status;

  /* Two departments on the sim, bound by `civicctl login`. */
  for (guint d = 0; d < G_N_ELEMENTS (departments); d++)
    {
      g_autofree char *out = civicctl (civic_test_sim_token (sim, departments[d]), &status, "login",
                                       "--server", sim->url, "--department", departments[d],
                                       "--token-stdin", "--database", database, NULL);

      g_assert_cmpint (status, ==, 0);
    }

  /* Ten citizen mentions each, fetched by `civicctl sync --once`. */
  for (guint d = 0; d < G_N_ELEMENTS (departments); d++)
    for (guint i = 0; i < 10; i++)
      {
        g_autoptr(GString) form = g_string_new (NULL);
        g_autofree char *text = g_strdup_printf ("Aviso %u para %s: hay un problema en la calle %u", i,
                                                 departments[d], i);
        g_autoptr(JsonNode) node = NULL;

        civic_form_append (form, "to", departments[d]);
        civic_form_append (form, "from", "vecina");
        civic_form_append (form, "text", text);
        node = civic_test_sim_form (sim, "/_sim/mention", form->str);
      }
  g_free (civicctl (NULL, &status, "sync", "--once", "-q", "--database", database, NULL));
  g_assert_cmpint (status, ==, 0);
  for (guint d = 0; d < G_N_ELEMENTS (departments); d++)
    {
      g_autoptr(GArray) ids = list_mentions (database, departments[d]);

      g_assert_cmpuint (ids->len, ==, 10);
      g_array_append_vals (mentions, ids->data, ids->len);
    }

  civic_test_sim_put (sim, "/_sim/faults", FAULTS);

  for (guint i = 0; i < iterations; i++)
    {
      Attempt *attempt = g_new0 (Attempt, 1);
      g_autofree char *token = g_strdup_printf ("%08x", g_random_int ());

      attempt->mention_id = g_array_index (mentions, gint64, g_random_int_range (0, (gint32) mentions->len));
      attempt->text = g_strdup_printf ("Respuesta %u (%s): gracias por el aviso, lo revisamos hoy.", i, token);
      g_file_set_contents (text_file, attempt->text, -1, &error);
      g_assert_no_error (error);

      /* Half the kills land anywhere from the start (opening the store,
       * queueing), half while sending, whatever the machine's speed. */
      reply_and_kill (database, text_file, attempt, (guint) g_random_int_range (0, MAX_KILL_MS + 1), i % 2 == 1);
      killed += attempt->killed;
      killed_queued += attempt->killed && attempt->acknowledged;
      acknowledged += attempt->acknowledged;
      g_ptr_array_add (attempts, attempt);
    }

  /* Restart and deliver what is left, faults still on. */
  do
    {
      g_autofree char *table = civicctl (NULL, &status, "outbox", "--drain", "--now", "--timeout", "1",
                                         "--wait", "60", "--state", "pending", "--database", database, NULL);

      if (status != 0)
        g_test_message ("still waiting after drain %u:\n%s", drains + 1, table);
      drains++;
    }
  while (status != 0 && drains < 5);
  g_assert_cmpint (status, ==, 0);

  faults = civic_test_sim_call (sim, "GET", "/_sim/faults", NULL, NULL);
  {
    JsonArray *rules = json_object_get_array_member (json_node_get_object (faults), "rules");

    for (guint i = 0; i < json_array_get_length (rules); i++)
      {
        JsonObject *rule = json_array_get_object_element (rules, i);

        if (g_str_equal (json_object_get_string_member (rule, "endpoint"), "post"))
          post_requests = json_object_get_int_member (rule, "hits");
      }
  }
  civic_test_sim_put (sim, "/_sim/faults", "");

  /* What the server holds, per key and per text. */
  for (guint d = 0; d < G_N_ELEMENTS (departments); d++)
    {
      g_autofree char *path = g_strdup_printf ("/_sim/statuses?account=%s", departments[d]);
      g_autoptr(JsonNode) node = civic_test_sim_call (sim, "GET", path, NULL, NULL);
      JsonArray *statuses = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (statuses); i++)
        {
          JsonObject *status_obj = json_array_get_object_element (statuses, i);
          const char *key = json_object_get_string_member_with_default (status_obj, "idempotency_key", NULL);
          const char *text = json_object_get_string_member (status_obj, "text");

          g_assert_nonnull (key);
          g_hash_table_insert (by_key, g_strdup (key),
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (by_key, key)) + 1));
          g_hash_table_insert (by_text, g_strdup (text),
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (by_text, text)) + 1));
          server_replies++;
        }
    }

  /* Every queued reply is sent, exactly once, under its own key. */
  outbox_json = civicctl (NULL, &status, "outbox", "--json", "--database", database, NULL);
  g_assert_cmpint (status, ==, 0);
  outbox_root = json_from_string (outbox_json, &error);
  g_assert_no_error (error);
  rows = json_node_get_array (outbox_root);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *key = json_object_get_string_member (row, "idempotency_key");
      const char *body = json_object_get_string_member (row, "body");
      guint on_server_by_key = GPOINTER_TO_UINT (g_hash_table_lookup (by_key, key));
      guint on_server_by_text = GPOINTER_TO_UINT (g_hash_table_lookup (by_text, body));

      g_assert_cmpstr (json_object_get_string_member (row, "state"), ==, "sent");
      if (on_server_by_key != 1 || on_server_by_text != 1)
        duplicates++;
      g_assert_cmpuint (on_server_by_key, ==, 1);
      g_assert_cmpuint (on_server_by_text, ==, 1);
      g_hash_table_add (queued_texts, (gpointer) body);
    }

  /* Nothing on the server that the desk did not queue. */
  g_assert_cmpuint (server_replies, ==, json_array_get_length (rows));

  /* Every acknowledged reply was queued; an unacknowledged one was either
   * queued (killed after the commit) or never reached the store. */
  for (guint i = 0; i < attempts->len; i++)
    {
      Attempt *attempt = g_ptr_array_index (attempts, i);

      if (attempt->acknowledged)
        g_assert_true (g_hash_table_contains (queued_texts, attempt->text));
      if (!g_hash_table_contains (queued_texts, attempt->text))
        g_assert_false (g_hash_table_contains (by_text, attempt->text));
    }

  g_test_message ("iterations: %u, killed: %u (%u after queueing), acknowledged: %u, queued: %u, "
                  "never queued: %u", iterations, killed, killed_queued, acknowledged,
                  json_array_get_length (rows), iterations - json_array_get_length (rows));
  g_test_message ("post requests seen by the sim: %" G_GINT64_FORMAT " (45%% drew a fault), "
                  "drains: %u, replies on the server: %u, duplicates: %u, lost: 0",
                  post_requests, drains, server_replies, duplicates);
  g_test_message ("took %.1f s", (g_get_monotonic_time () - started) / 1e6);

  civic_test_sim_stop (sim);
  civic_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/outbox/crash", test_crash);

  return g_test_run ();
}
