/* bench-desk.c
 *
 * The desk on a town's long memory: 1,000,000 stored mentions, of which
 * 10,000 are open in one department's queue.
 *
 *   bench: fts_1m N ms            full-text search over the million (median of 12 words)
 *   bench: first_frame_1m N ms    civic-desk started cold to its first painted
 *                                 frame (the frame clock's first after-paint),
 *                                 median of 3 runs, process start included
 *   bench: rss_1m N MB            the desk's resident memory with that queue open
 *
 * Both depend on the machine's GTK more than on the desk: under Xvfb GTK
 * renders with software OpenGL (llvmpipe), whose shader compilation and
 * buffers alone cost hundreds of milliseconds and megabytes. So the same
 * run measures the floor — an empty libadwaita window, started the same
 * way — and prints the desk's own share above it, with GSK's default
 * renderer and with its Cairo renderer:
 *
 *   bench: gtk_floor_first_frame N ms, gtk_floor_rss N MB
 *   bench: first_frame_1m_over_floor N ms, rss_1m_over_floor N MB
 *   bench: first_frame_1m_cairo N ms, rss_1m_cairo N MB (and their floors)
 *
 * The million-row store is built once and kept in the temporary directory
 * (it takes a minute or two); delete civic-bench-1m-*.db to rebuild it.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "civic-queue-filter.h"
#include "civic-store.h"
#include "civic-test-util.h"

#define TOTAL 1000000
#define OPEN 10000
#define PAGE 10000

static const char *departments[] = { "policia", "limpieza", "tecnicos", "comedor", "salud", "alcaldia" };

static const char *sentences[] = {
  "Hay bolsas de basura acumuladas junto al contenedor de la calle Real desde el lunes.",
  "La farola de la esquina con la plaza lleva tres noches apagada.",
  "Un bache enorme en la calzada del camino de Alfacar, casi pierdo la rueda.",
  "Mucho ruido de motos de madrugada en el paseo de los Álamos.",
  "El columpio grande del parque infantil tiene una cadena suelta.",
  "Accidente leve entre dos coches en el cruce de la calle Cervantes.",
  "¿Cuál es el menú del comedor escolar para el jueves? Mi hija es celíaca.",
  "Quería pedir cita con el médico de cabecera para la semana que viene.",
  "¿Cuándo abre la piscina municipal este verano?",
  "Se ha caído un árbol en el camino de la Fuente y corta el paso.",
  "Pintadas nuevas en la fachada del ayuntamiento viejo.",
  "El contenedor de vidrio de la avenida de Andalucía está lleno.",
};

static char *
build_store (void)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "civic-bench-1m-v2.db", NULL);
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  g_autoptr(CivicStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 server, ids[G_N_ELEMENTS (departments)];
  gint64 now = g_get_real_time () / 1000;
  GRand *rand = g_rand_new_with_seed (1);
  sqlite3 *db;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&path);

  g_print ("# building %s (once)\n", path);
  g_remove (partial);
  store = civic_store_new (partial, &error);
  g_assert_no_error (error);
  server = civic_store_ensure_server (store, "https://jun.example", &error);
  for (guint d = 0; d < G_N_ELEMENTS (departments); d++)
    ids[d] = civic_store_ensure_department (store, departments[d], departments[d], NULL, 60, &error);

  for (guint first = 0; first < TOTAL; first += PAGE)
    {
      g_autoptr(GArray) records = g_array_sized_new (FALSE, TRUE, sizeof (CivicMentionRecord), PAGE);
      g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);

      for (guint n = first; n < first + PAGE; n++)
        {
          CivicMentionRecord r = { 0 };
          char *text = g_strdup_printf ("%s %s Gracias.", sentences[g_rand_int_range (rand, 0, G_N_ELEMENTS (sentences))],
                                        sentences[g_rand_int_range (rand, 0, G_N_ELEMENTS (sentences))]);
          char *status = g_strdup_printf ("%u", 100000000 + n);
          char *acct = g_strdup_printf ("vecino%u", g_rand_int_range (rand, 0, 3000));

          r.server_id = server;
          r.status_id = status;
          r.author_acct = acct;
          r.author_name = acct;
          r.created_at_ms = now - (gint64) (TOTAL - n) * 2000;
          r.content_html = text;
          r.content_text = text;
          r.visibility = "public";
          r.department_id = ids[n % G_N_ELEMENTS (departments)];
          r.priority = 1;
          r.due_at_ms = r.created_at_ms + 3600000;
          if (n % 2 == 0)
            {
              r.has_point = TRUE;
              r.lat = 37.2203 + g_rand_double_range (rand, -0.004, 0.004);
              r.lon = -3.5951 + g_rand_double_range (rand, -0.004, 0.004);
              r.geo_source = "text";
            }
          g_array_append_val (records, r);
          g_ptr_array_add (strings, text);
          g_ptr_array_add (strings, status);
          g_ptr_array_add (strings, acct);
        }

      g_assert_true (civic_store_ingest (store, (CivicMentionRecord *) records->data, records->len, NULL, &error));
      g_assert_no_error (error);
    }
  g_clear_object (&store);
  g_rand_free (rand);

  /* A town's memory is answered and closed; one queue holds 10,000 open. */
  g_assert_cmpint (sqlite3_open (partial, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "UPDATE mentions SET state = 3, closed_at = created_at + 600000;"
                                 "UPDATE mentions SET state = 0, due_at = strftime('%s', 'now') * 1000 + id % 7200000 "
                                 " WHERE id IN (SELECT m.id FROM mentions m JOIN departments d ON d.id = m.department_id"
                                 "              WHERE d.slug = 'alcaldia' ORDER BY m.id DESC LIMIT 10000);"
                                 "PRAGMA wal_checkpoint(TRUNCATE);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_cmpint (g_rename (partial, path), ==, 0);
  return g_steal_pointer (&path);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

static void
bench_fts (const char *path)
{
  static const char *words[] = {
    "farola", "basura", "vidrio", "piscina", "accidente", "columpio",
    "celiaca", "arbol", "contenedor", "cervantes", "pintadas", "motos",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStore) store = civic_store_new (path, &error);
  double times[G_N_ELEMENTS (words)];

  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      g_autoptr(GArray) hits = NULL;
      gint64 start = g_get_monotonic_time ();

      /* What the queue's search bar asks: the newest 200 that match. */
      hits = civic_store_search (store, words[i], 200, &error);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);
      g_assert_cmpuint (hits->len, >, 0);
    }

  g_print ("bench: fts_1m %.1f ms\n", median (times, G_N_ELEMENTS (words)));
}

/* Runs @argv (three times) and reads "first-frame" and "rss-kb N" from it. */
static void
measure (const char * const *argv,
         const char         *renderer,
         double             *first_frame_ms,
         double             *rss_mb)
{
  double times[3];
  long max_rss = 0;

  for (guint run = 0; run < G_N_ELEMENTS (times); run++)
    {
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GDataInputStream) lines = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start;
      char *line;

      g_subprocess_launcher_setenv (launcher, "CIVIC_BENCH_FIRST_FRAME", "1", TRUE);
      if (renderer != NULL)
        g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", renderer, TRUE);
      start = g_get_monotonic_time ();
      process = g_subprocess_launcher_spawnv (launcher, argv, &error);
      g_assert_no_error (error);
      lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

      times[run] = 0;
      while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error)) != NULL)
        {
          if (g_str_equal (line, "first-frame"))
            times[run] = (g_get_monotonic_time () - start) / 1000.0;
          else if (g_str_has_prefix (line, "rss-kb "))
            max_rss = MAX (max_rss, strtol (line + 7, NULL, 10));
          g_free (line);
        }
      g_assert_no_error (error);
      g_subprocess_wait (process, NULL, NULL);
      g_assert_cmpfloat (times[run], >, 0);
    }

  *first_frame_ms = median (times, G_N_ELEMENTS (times));
  *rss_mb = max_rss / 1024.0;
}

static void
bench_first_frame (const char *path,
                   const char *self)
{
  const char *desk = g_getenv ("CIVIC_DESK");
  const char *desk_argv[] = { desk, "--database", path, NULL };
  const char *floor_argv[] = { self, "--floor", NULL };
  double desk_ms, desk_mb, floor_ms, floor_mb;

  g_assert_nonnull (desk);

  measure (floor_argv, NULL, &floor_ms, &floor_mb);
  measure (desk_argv, NULL, &desk_ms, &desk_mb);
  g_print ("bench: first_frame_1m %.0f ms\n", desk_ms);
  g_print ("bench: rss_1m %.0f MB\n", desk_mb);
  g_print ("bench: gtk_floor_first_frame %.0f ms\n", floor_ms);
  g_print ("bench: gtk_floor_rss %.0f MB\n", floor_mb);
  g_print ("bench: first_frame_1m_over_floor %.0f ms\n", desk_ms - floor_ms);
  g_print ("bench: rss_1m_over_floor %.0f MB\n", desk_mb - floor_mb);

  measure (floor_argv, "cairo", &floor_ms, &floor_mb);
  measure (desk_argv, "cairo", &desk_ms, &desk_mb);
  g_print ("bench: first_frame_1m_cairo %.0f ms\n", desk_ms);
  g_print ("bench: rss_1m_cairo %.0f MB\n", desk_mb);
  g_print ("bench: gtk_floor_first_frame_cairo %.0f ms\n", floor_ms);
  g_print ("bench: gtk_floor_rss_cairo %.0f MB\n", floor_mb);
}

/* The floor: an empty libadwaita window of the desk's size, reporting as
 * the desk does. */
static gboolean
floor_rss_cb (gpointer user_data)
{
  g_autofree char *status = NULL;
  const char *line;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) &&
      (line = strstr (status, "VmRSS:")) != NULL)
    g_print ("rss-kb %ld\n", strtol (line + 6, NULL, 10));
  fflush (stdout);
  gtk_window_destroy (GTK_WINDOW (user_data));

  return G_SOURCE_REMOVE;
}

static void
floor_painted_cb (GdkFrameClock *clock,
                  gpointer       window)
{
  g_signal_handlers_disconnect_by_func (clock, floor_painted_cb, window);
  g_print ("first-frame\n");
  fflush (stdout);
  g_timeout_add (1500, floor_rss_cb, window);
}

static void
floor_realize_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (floor_painted_cb), window);
}

static void
floor_activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));

  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 760);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), gtk_label_new ("Jun"));
  g_signal_connect (window, "realize", G_CALLBACK (floor_realize_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

static int
run_floor (void)
{
  g_autoptr(AdwApplication) app = adw_application_new ("org.civicdesk.BenchFloor", G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "activate", G_CALLBACK (floor_activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), 0, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;

  if (argc > 1 && g_str_equal (argv[1], "--floor"))
    return run_floor ();

  path = build_store ();
  bench_fts (path);
  bench_first_frame (path, argv[0]);

  return 0;
}
