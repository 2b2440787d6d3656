/* test-app-retention.c
 *
 * The desk itself (civic-desk --database FILE, under Xvfb) deletes the
 * closed mentions older than the retention period shortly after it
 * starts, keeps the recent and the open ones, and logs how many went
 * without a word of what they said.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <signal.h>
#include <sys/prctl.h>

#include "civic-store.h"
#include "civic-test-util.h"
#include "civic-workflow.h"

#define MINUTE (60 * 1000)
#define DAY (24 * 60 * (gint64) MINUTE)
#define N_OLD 50
#define TEXT "Vecina de la calle Real: la farola sigue apagada"

typedef struct
{
  CivicStore *store;
  gint64 server_id;
  gint64 department_id;
} Seed;

static gint64
add (Seed       *seed,
     const char *status_id,
     gint64      created_ms,
     gint64      closed_ms)
{
  g_autoptr(GError) error = NULL;
  CivicMentionRecord r = { 0 };
  gint64 id = 0;

  r.server_id = seed->server_id;
  r.status_id = status_id;
  r.author_acct = "vecina";
  r.author_name = "Vecina";
  r.created_at_ms = created_ms;
  r.content_text = (char *) TEXT;
  r.visibility = "public";
  r.department_id = seed->department_id;
  r.priority = 1;
  r.due_at_ms = created_ms + 60 * MINUTE;
  g_assert_true (civic_store_upsert_mention_full (seed->store, &r, NULL, &id, &error));
  g_assert_no_error (error);
  if (closed_ms != 0)
    {
      g_assert_true (civic_workflow_close (seed->store, id, "Ana", "mostrador", closed_ms, &error));
      g_assert_no_error (error);
    }

  return id;
}

typedef struct
{
  CivicStore *store;   /* the test's own connection */
  gint64 next_look;
  gboolean exited;
} Watch;

static gboolean
old_ones_gone (gpointer user_data)
{
  Watch *watch = user_data;

  /* The desk must not quit (or crash) before it has purged. */
  g_assert_false (watch->exited);

  /* Counting is a read of the shared file: every 50 ms is plenty. */
  if (g_get_monotonic_time () < watch->next_look)
    return FALSE;
  watch->next_look = g_get_monotonic_time () + 50 * 1000;

  return civic_store_count_mentions (watch->store) == 2;
}

static void
exited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* A failed assertion aborts this process: the desk must not outlive it
 * (nor hold the test's output open). */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
test_app_purges_at_start (void)
{
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "desk.db", NULL);
  g_autofree char *log_path = g_build_filename (dir, "desk.log", NULL);
  g_autofree char *log = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) desk = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStore) store = NULL;
  const char *desk_path = g_getenv ("CIVIC_DESK");
  gint64 now = g_get_real_time () / 1000;
  gint64 recent_closed, old_open;
  Seed seed = { 0 };
  Watch watch = { NULL, 0, FALSE };

  g_assert_nonnull (desk_path);

  /* Older than the default period (365 days), and not. */
  seed.store = civic_store_new (path, &error);
  g_assert_no_error (error);
  seed.server_id = civic_store_ensure_server (seed.store, "https://jun.example", &error);
  seed.department_id = civic_store_ensure_department (seed.store, "policia", "Policía Local", NULL, 60, &error);
  g_assert_no_error (error);
  g_assert_true (civic_store_begin (seed.store, &error));
  for (guint i = 0; i < N_OLD; i++)
    {
      g_autofree char *status_id = g_strdup_printf ("%u", 1000 + i);

      add (&seed, status_id, now - 500 * DAY, now - 400 * DAY);
    }
  recent_closed = add (&seed, "1", now - 12 * DAY, now - 10 * DAY);
  old_open = add (&seed, "2", now - 500 * DAY, 0);
  g_assert_true (civic_store_commit (seed.store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (civic_store_count_mentions (seed.store), ==, N_OLD + 2);
  g_clear_object (&seed.store);

  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  desk = g_subprocess_launcher_spawn (launcher, &error, desk_path, "--database", path, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (desk, NULL, exited_cb, &watch.exited);

  watch.store = civic_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (civic_test_spin_until (old_ones_gone, &watch, 30000));
  store = g_steal_pointer (&watch.store);
  {
    g_autoptr(CivicMention) recent = civic_store_load_mention (store, recent_closed, NULL);
    g_autoptr(CivicMention) open = civic_store_load_mention (store, old_open, NULL);

    g_assert_nonnull (recent);
    g_assert_nonnull (open);
  }
  g_clear_object (&store);

  /* Stopped by its session: it shuts down cleanly. */
  g_subprocess_send_signal (desk, SIGTERM);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &watch.exited, 20000));
  g_assert_true (g_subprocess_get_if_exited (desk));
  g_assert_cmpint (g_subprocess_get_exit_status (desk), ==, 0);

  /* The log has the count, never the citizens' words. */
  g_assert_true (g_file_get_contents (log_path, &log, NULL, &error));
  g_test_message ("desk's log: %s", log);
  g_assert_nonnull (strstr (log, "purged 50 closed mentions"));
  g_assert_null (strstr (log, "farola"));

  civic_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/retention-at-start", test_app_purges_at_start);

  return g_test_run ();
}
