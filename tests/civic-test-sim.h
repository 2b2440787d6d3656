/* civic-test-sim.h
 *
 * Runs the built civic-sim for a test: on 127.0.0.1, a free port, a fresh
 * data directory, a fixed seed and reference time; and speaks its /_sim/
 * control API with plain libsoup (never through the desk's client code).
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sys/prctl.h>

#include "civic-test-util.h"

typedef struct
{
  GSubprocess *process;
  char *dir;
  char *url;
  GHashTable *tokens;     /* acct → token */
  SoupSession *control;
} CivicTestSim;

/* Runs in the child before exec: the sim dies with the test, so an
 * aborted test never leaves a server behind holding its output pipes. */
static inline void
civic_test_sim_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static inline const char *
civic_test_sim_path (void)
{
  const char *path = g_getenv ("CIVIC_SIM");

  if (path == NULL)
    g_error ("CIVIC_SIM is not set: run the test through meson");
  return path;
}

/* Starts the sim with @extra arguments (NULL-terminated, may be NULL). */
static inline CivicTestSim *
civic_test_sim_start (const char * const *extra)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  CivicTestSim *sim = g_new0 (CivicTestSim, 1);
  char *line;

  sim->dir = civic_test_mkdtemp ();
  sim->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sim->control = soup_session_new_with_options ("timeout", 60, NULL);

  g_ptr_array_add (argv, (gpointer) civic_test_sim_path ());
  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, (gpointer) "0");
  g_ptr_array_add (argv, (gpointer) "--data");
  g_ptr_array_add (argv, sim->dir);
  g_ptr_array_add (argv, (gpointer) "--seed");
  g_ptr_array_add (argv, (gpointer) "7");
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);

  {
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

    g_subprocess_launcher_set_child_setup (launcher, civic_test_sim_child_setup, NULL, NULL);
    sim->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
    g_assert_no_error (error);
  }

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  sim->url = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sim->url);
  g_assert_true (g_str_has_prefix (sim->url, "http://127.0.0.1:"));

  while (g_hash_table_size (sim->tokens) < 6 &&
         (line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error)) != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (line, " ", 3);

      if (g_strv_length (parts) == 3 && g_str_equal (parts[0], "token"))
        g_hash_table_insert (sim->tokens, g_strdup (parts[1]), g_strdup (parts[2]));
      g_free (line);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (sim->tokens), ==, 6);

  return sim;
}

static inline const char *
civic_test_sim_token (CivicTestSim *sim,
                      const char   *acct)
{
  const char *token = g_hash_table_lookup (sim->tokens, acct);

  g_assert_nonnull (token);
  return token;
}

/* A control call; returns the parsed JSON answer (asserting success). */
static inline JsonNode *
civic_test_sim_call (CivicTestSim *sim,
                     const char   *method,
                     const char   *path,
                     const char   *content_type,
                     const char   *body)
{
  g_autofree char *uri = g_strconcat (sim->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonNode *node;

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }

  answer = soup_session_send_and_read (sim->control, msg, NULL, &error);
  g_assert_no_error (error);
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    g_error ("%s %s: HTTP %u %.*s", method, path, soup_message_get_status (msg),
             (int) g_bytes_get_size (answer), (const char *) g_bytes_get_data (answer, NULL));

  /* The body is not NUL-terminated: copy it with its length. */
  text = g_bytes_get_size (answer) > 0 ? g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer))
                                       : g_strdup ("null");
  node = json_from_string (text, &error);
  g_assert_no_error (error);

  return node;
}

static inline JsonNode *
civic_test_sim_form (CivicTestSim *sim,
                     const char   *path,
                     const char   *form)
{
  return civic_test_sim_call (sim, "POST", path, "application/x-www-form-urlencoded", form);
}

static inline void
civic_test_sim_put (CivicTestSim *sim,
                    const char   *path,
                    const char   *text)
{
  g_autoptr(JsonNode) node = civic_test_sim_call (sim, "PUT", path, "text/plain", text);
}

static inline gint64
civic_test_sim_stat (CivicTestSim *sim,
                     const char   *name)
{
  g_autoptr(JsonNode) node = civic_test_sim_call (sim, "GET", "/_sim/stats", NULL, NULL);

  return json_object_get_int_member (json_node_get_object (node), name);
}

static inline void
civic_test_sim_stop (CivicTestSim *sim)
{
  g_autoptr(GError) error = NULL;

  if (sim == NULL)
    return;

  g_subprocess_send_signal (sim->process, SIGTERM);
  g_subprocess_wait (sim->process, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (sim->process);
  g_object_unref (sim->control);
  civic_test_rmdir (sim->dir);
  g_free (sim->dir);
  g_free (sim->url);
  g_hash_table_unref (sim->tokens);
  g_free (sim);
}
