/* test-logs.c
 *
 * What the desk writes to its logs, with every debug message on
 * (G_MESSAGES_DEBUG=all), over a full run against civic-sim's Jun:
 * sign-in of the six departments, a full sync (the health centre's direct
 * messages included) and a direct reply carrying personal data. No log
 * line may hold a token, the body of a direct mention or reply, a DNI or
 * a phone number.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <sqlite3.h>
#include <string.h>

#include "civic-test-sim.h"

#define SECRET_TEXT "Mi DNI es 12345678Z y mi móvil 612 345 678, llamadme por lo de la analítica"
#define REPLY_TEXT "@vecina Le llamamos mañana al 612 345 678 para darle los resultados."

typedef struct
{
  gboolean done;
  char *out;
} Run;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, NULL, &error);
  g_assert_no_error (error);
  run->done = TRUE;
}

/* Runs civicctl with every debug message on; returns what it printed
 * (stdout and stderr together, unless @stdout_only). */
static char *
civicctl (const char         *input,
          gboolean            stdout_only,
          const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        (stdout_only ? G_SUBPROCESS_FLAGS_STDERR_SILENCE
                                                     : G_SUBPROCESS_FLAGS_STDERR_MERGE));
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_ptr_array_add (argv, (gpointer) g_getenv ("CIVICCTL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input, NULL, communicate_cb, &run);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &run.done, 180000));
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("civicctl %s failed:\n%s", args[0], run.out);

  return run.out != NULL ? run.out : g_strdup ("");
}

/* The plain text of every direct mention the sim holds. */
static GPtrArray *
direct_texts (CivicTestSim *sim)
{
  g_autofree char *path = g_build_filename (sim->dir, "civic-sim.db", NULL);
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  /* The sim keeps plain text, and visibilities by number (3: direct). */
  rc = sqlite3_prepare_v2 (db, "SELECT text FROM statuses WHERE visibility = 3", -1, &stmt, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);
      const char *body = strchr (text, ' ');

      /* What follows "@salud ", enough of it to be that message's own. */
      if (body != NULL && g_utf8_strlen (body + 1, -1) >= 16)
        g_ptr_array_add (texts, g_strdup (body + 1));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return texts;
}

static void
test_logs_hold_no_personal_data (void)
{
  const char *sim_args[] = { "--mentions", "600", NULL };
  CivicTestSim *sim = civic_test_sim_start (sim_args);
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autofree char *db = g_build_filename (dir, "desk.db", NULL);
  g_autofree char *reply_file = g_build_filename (dir, "reply.txt", NULL);
  g_autoptr(GString) logs = g_string_new (NULL);
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GRegex) dni = g_regex_new ("\\b[0-9]{8}[A-HJ-NP-TV-Z]\\b", 0, 0, NULL);
  g_autoptr(GRegex) phone = g_regex_new ("\\b[6789][0-9]{2}[ .]?[0-9]{3}[ .]?[0-9]{3}\\b", 0, 0, NULL);
  g_autoptr(JsonNode) posted = NULL;
  g_autoptr(JsonNode) list = NULL;
  gint64 t0 = g_get_monotonic_time ();
  g_autofree char *form = NULL;
  g_autofree char *escaped = g_uri_escape_string (SECRET_TEXT, NULL, FALSE);
  g_autofree char *list_json = NULL;
  g_autofree char *mention_id = NULL;
  const char *status_id;
  GHashTableIter iter;
  gpointer acct, token;
  JsonArray *items;
  guint n_direct_stored = 0;

  form = g_strdup_printf ("to=salud&visibility=direct&text=%s", escaped);
  posted = civic_test_sim_form (sim, "/_sim/mention", form);
  status_id = json_object_get_string_member (json_node_get_object (posted), "status_id");

  g_hash_table_iter_init (&iter, sim->tokens);
  while (g_hash_table_iter_next (&iter, &acct, &token))
    {
      g_autofree char *line = g_strconcat (token, "\n", NULL);
      const char *args[] = { "login", "--server", sim->url, "--department", acct,
                             "--token-stdin", "--database", db, NULL };
      g_autofree char *out = civicctl (line, FALSE, args);

      g_string_append (logs, out);
    }

  g_test_message ("logins: %.1f s", (g_get_monotonic_time () - t0) / 1e6);
  {
    const char *args[] = { "sync", "--once", "--database", db, NULL };
    g_autofree char *out = civicctl (NULL, FALSE, args);

    g_string_append (logs, out);
  }

  g_test_message ("sync: %.1f s", (g_get_monotonic_time () - t0) / 1e6);
  /* The health centre's direct messages are in (listing prints them on
   * purpose, to whoever asks: that output is not a log). */
  {
    const char *args[] = { "list", "--department", "salud", "--state", "all", "--json", "--database", db, NULL };
    g_autoptr(GError) error = NULL;

    list_json = civicctl (NULL, TRUE, args);
    list = json_from_string (list_json, &error);
    g_assert_no_error (error);
  }
  items = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (item, "visibility", ""), "direct") == 0)
        n_direct_stored++;
      if (g_strcmp0 (json_object_get_string_member_with_default (item, "status_id", ""), status_id) == 0)
        mention_id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (item, "id"));
    }
  g_assert_cmpuint (n_direct_stored, >, 1);
  g_assert_nonnull (mention_id);

  g_assert_true (g_file_set_contents (reply_file, REPLY_TEXT, -1, NULL));
  {
    const char *args[] = { "reply", mention_id, "--text-file", reply_file, "--visibility", "direct",
                           "--as", "Ana", "--database", db, NULL };
    g_autofree char *out = civicctl (NULL, FALSE, args);

    g_string_append (logs, out);
  }

  g_test_message ("reply: %.1f s", (g_get_monotonic_time () - t0) / 1e6);
  g_test_message ("%" G_GSIZE_FORMAT " bytes of logs", logs->len);
  /* The run really logged (debug messages were on). */
  g_assert_nonnull (strstr (logs->str, "DEBUG"));

  g_hash_table_iter_init (&iter, sim->tokens);
  while (g_hash_table_iter_next (&iter, &acct, &token))
    if (strstr (logs->str, token) != NULL)
      g_error ("The logs hold %s's token", (const char *) acct);

  texts = direct_texts (sim);
  g_assert_cmpuint (texts->len, >, 1);
  for (guint i = 0; i < texts->len; i++)
    if (strstr (logs->str, g_ptr_array_index (texts, i)) != NULL)
      g_error ("The logs hold a direct message: %s", (const char *) g_ptr_array_index (texts, i));
  g_assert_null (strstr (logs->str, "analítica"));
  g_assert_null (strstr (logs->str, "resultados"));

  if (g_regex_match (dni, logs->str, 0, NULL))
    g_error ("The logs hold a DNI");
  if (g_regex_match (phone, logs->str, 0, NULL))
    g_error ("The logs hold a phone number");

  civic_test_sim_stop (sim);
  civic_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/logs/no-personal-data", test_logs_hold_no_personal_data);

  return g_test_run ();
}
