/* soak.c
 *
 * The desk under load and faults, for a long time: civic-sim --live posts
 * mentions at 500 a second to the six departments, with random faults
 * (errors, rate limits, truncated and malformed pages, dropped streams),
 * while `civicctl sync` keeps a desk's store in step. Checks that the
 * desk's memory stays flat and that it lost nothing: every mention the
 * server holds up to the end is in the store, once.
 *
 *   soak [--seconds N] [--rate R] [--faults SPEC] [--tap]
 *
 * The 10-minute run is a benchmark (`meson test --benchmark soak`, inside
 * tests/session.sh for the keyring); a 60 s run is a test (suite soak).
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "civic-test-sim.h"

#define DEFAULT_FAULTS \
  "notifications=500:0.03,429:0.02,truncate:0.02,malformed:0.02,reset:0.02;" \
  "streaming=drop:0.05,500:0.05;instance=503:0.1;*=500:0.02"

static struct
{
  int seconds;
  double rate;
  const char *faults;
  gboolean tap;
} opt = { 600, 500, DEFAULT_FAULTS, FALSE };

typedef struct
{
  double t;
  double rss_mb;
  gint64 stored;
  gint64 posted;
} Sample;

static void
figure (const char *name,
        double      value,
        const char *unit)
{
  printf ("%sbench: %s %.1f %s\n", opt.tap ? "# " : "", name, value, unit);
  fflush (stdout);
}

static void
say (const char *format,
     ...) G_GNUC_PRINTF (1, 2);

static void
say (const char *format,
     ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  printf ("%s%s\n", opt.tap ? "# " : "", text);
  fflush (stdout);
}

static double
rss_mb (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL) || (line = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return g_ascii_strtoll (line + strlen ("VmRSS:"), NULL, 10) / 1024.0;
}

/* utime + stime, in clock ticks. */
static gint64
cpu_ticks (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after = strrchr (stat, ')')) == NULL)
    return 0;
  /* After "pid (comm) ": state is field 3; utime 14 and stime 15. */
  fields = g_strsplit (after + 2, " ", 0);
  if (g_strv_length (fields) < 13)
    return 0;
  return g_ascii_strtoll (fields[11], NULL, 10) + g_ascii_strtoll (fields[12], NULL, 10);
}

static GPid
pid_of (GSubprocess *process)
{
  return (GPid) g_ascii_strtoll (g_subprocess_get_identifier (process), NULL, 10);
}

static gint64
query_int (const char *db_path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, 5000);
      if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
        value = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return value;
}

/* Status ids of the mentions, as integers, up to @max_id (0: all). */
static GHashTable *
id_set (const char *db_path,
        const char *sql,
        gint64      max_id)
{
  GHashTable *set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, max_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 *id = g_new (gint64, 1);

      *id = sqlite3_column_int64 (stmt, 0);
      g_hash_table_add (set, id);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return set;
}

typedef struct
{
  gboolean done;
  char *err;
} Run;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, NULL, &run->err, NULL);
  run->done = TRUE;
}

/* Runs civicctl with @args (NULL-terminated) to its end, @input on stdin. */
static void
civicctl (const char         *input,
          guint               timeout_ms,
          const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  g_ptr_array_add (argv, (gpointer) g_getenv ("CIVICCTL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input, NULL, communicate_cb, &run);
  if (!civic_test_spin_until (civic_test_flag_is_set, &run.done, timeout_ms))
    g_error ("civicctl %s did not finish in %u s", args[0], timeout_ms / 1000);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("civicctl %s failed: %s", args[0], run.err);
  g_free (run.err);
}

typedef struct
{
  GSubprocess *sync;
  CivicTestSim *sim;
  char *desk_db;
  char *sim_db;
  GArray *samples;
  gint64 start_us;
  gint64 end_us;
  gboolean finished;
} Soak;

static gboolean
sample_cb (gpointer user_data)
{
  Soak *soak = user_data;
  Sample s;
  gint64 now = g_get_monotonic_time ();

  s.t = (now - soak->start_us) / (double) G_USEC_PER_SEC;
  s.rss_mb = rss_mb (pid_of (soak->sync));
  s.stored = query_int (soak->desk_db, "SELECT count(*) FROM mentions");
  s.posted = query_int (soak->sim_db, "SELECT count(DISTINCT status_id) FROM notifications WHERE type = 0");
  g_array_append_val (soak->samples, s);
  say ("t=%4.0f s  rss=%6.1f MB  posted=%8" G_GINT64_FORMAT "  stored=%8" G_GINT64_FORMAT,
       s.t, s.rss_mb, s.posted, s.stored);

  if (now >= soak->end_us)
    {
      soak->finished = TRUE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
test_soak (void)
{
  g_autofree char *rate = g_strdup_printf ("%g", opt.rate);
  const char *sim_args[] = { "--mentions", "0", "--live", "--live-rate", rate, "--faults", opt.faults, NULL };
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) server_ids = NULL;
  g_autoptr(GHashTable) desk_ids = NULL;
  GHashTableIter iter;
  gpointer key;
  Soak soak = { 0 };
  GHashTableIter tokens;
  gpointer acct, token;
  gint64 sync_ticks0, sim_ticks0, sync_ticks, sim_ticks;
  double wall, warm_rss = 0, end_rss, max_rss = 0;
  gint64 max_id;
  guint missing = 0;
  guint interval;
  long hz = sysconf (_SC_CLK_TCK);

  soak.samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  soak.desk_db = g_build_filename (dir, "desk.db", NULL);
  soak.sim = civic_test_sim_start (sim_args);
  soak.sim_db = g_build_filename (soak.sim->dir, "civic-sim.db", NULL);

  g_hash_table_iter_init (&tokens, soak.sim->tokens);
  while (g_hash_table_iter_next (&tokens, &acct, &token))
    {
      g_autofree char *line = g_strconcat (token, "\n", NULL);
      const char *args[] = { "login", "--server", soak.sim->url, "--department", acct,
                             "--token-stdin", "--database", soak.desk_db, NULL };

      civicctl (line, 60000, args);
    }

  soak.sync = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, g_getenv ("CIVICCTL"),
                                "sync", "--quiet", "--database", soak.desk_db, NULL);
  g_assert_no_error (error);
  soak.start_us = g_get_monotonic_time ();
  soak.end_us = soak.start_us + (gint64) opt.seconds * G_USEC_PER_SEC;
  sync_ticks0 = cpu_ticks (pid_of (soak.sync));
  sim_ticks0 = cpu_ticks (pid_of (soak.sim->process));

  interval = MAX (1, opt.seconds / 20);
  g_timeout_add_seconds (interval, sample_cb, &soak);
  g_assert_true (civic_test_spin_until ((CivicTestCondition) civic_test_flag_is_set, &soak.finished,
                                        (opt.seconds + 60) * 1000));

  wall = (g_get_monotonic_time () - soak.start_us) / (double) G_USEC_PER_SEC;
  sync_ticks = cpu_ticks (pid_of (soak.sync)) - sync_ticks0;
  sim_ticks = cpu_ticks (pid_of (soak.sim->process)) - sim_ticks0;

  /* Stop the desk as a person would (Ctrl+C), note the newest mention
   * the server holds, and let a clean catch-up (faults off) fetch what
   * came in while it was stopping: then the store must hold all of it. */
  g_subprocess_send_signal (soak.sync, SIGTERM);
  g_subprocess_wait (soak.sync, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (soak.sync));
  g_assert_cmpint (g_subprocess_get_exit_status (soak.sync), ==, 0);

  max_id = query_int (soak.sim_db, "SELECT max(status_id) FROM notifications WHERE type = 0");
  g_assert_cmpint (max_id, >, 0);
  {
    g_autoptr(JsonNode) cleared = civic_test_sim_call (soak.sim, "DELETE", "/_sim/faults", NULL, NULL);
    const char *args[] = { "sync", "--once", "--quiet", "--database", soak.desk_db, NULL };

    civicctl (NULL, 300000, args);
  }

  server_ids = id_set (soak.sim_db, "SELECT DISTINCT status_id FROM notifications WHERE type = 0 AND status_id <= ?1",
                       max_id);
  desk_ids = id_set (soak.desk_db, "SELECT CAST(status_id AS INTEGER) FROM mentions"
                                   " WHERE CAST(status_id AS INTEGER) <= ?1", max_id);
  g_hash_table_iter_init (&iter, server_ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    missing += !g_hash_table_contains (desk_ids, key);

  for (guint i = 0; i < soak.samples->len; i++)
    {
      const Sample *s = &g_array_index (soak.samples, Sample, i);

      /* Warmed up: the first sample after a fifth of the run. */
      if (warm_rss == 0 && s->t >= opt.seconds / 5.0)
        warm_rss = s->rss_mb;
      max_rss = MAX (max_rss, s->rss_mb);
    }
  end_rss = g_array_index (soak.samples, Sample, soak.samples->len - 1).rss_mb;

  figure ("soak_seconds", wall, "s");
  figure ("soak_post_rate", g_hash_table_size (server_ids) / wall, "mentions/s");
  figure ("soak_posted", g_hash_table_size (server_ids), "mentions");
  figure ("soak_stored", g_hash_table_size (desk_ids), "mentions");
  figure ("soak_missing", missing, "mentions");
  figure ("soak_rss_warm", warm_rss, "MB");
  figure ("soak_rss_end", end_rss, "MB");
  figure ("soak_rss_max", max_rss, "MB");
  figure ("soak_sync_cpu", 100.0 * sync_ticks / hz / wall, "%");
  figure ("soak_sim_cpu", 100.0 * sim_ticks / hz / wall, "%");

  g_assert_cmpuint (missing, ==, 0);
  g_assert_cmpuint (g_hash_table_size (desk_ids), ==, g_hash_table_size (server_ids));
  /* The server really was busy (at least half the asked rate got out). */
  g_assert_cmpfloat (g_hash_table_size (server_ids) / wall, >=, opt.rate / 2);
  /* Flat: after warming up, memory grows by no more than a quarter. */
  g_assert_cmpfloat (end_rss, <=, warm_rss * 1.25 + 4);

  g_object_unref (soak.sync);
  civic_test_sim_stop (soak.sim);
  g_array_unref (soak.samples);
  g_free (soak.desk_db);
  g_free (soak.sim_db);
  civic_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  int kept = 1;

  /* Our options first; GTest takes the rest. */
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--seconds") && i + 1 < argc)
        opt.seconds = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--rate") && i + 1 < argc)
        opt.rate = g_ascii_strtod (argv[++i], NULL);
      else if (g_str_equal (argv[i], "--faults") && i + 1 < argc)
        opt.faults = argv[++i];
      else
        {
          if (g_str_equal (argv[i], "--tap"))
            opt.tap = TRUE;
          argv[kept++] = argv[i];
        }
    }
  argc = kept;
  argv[argc] = NULL;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/soak/live-with-faults", test_soak);

  return g_test_run ();
}
