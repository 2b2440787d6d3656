/* bench-map-pan.c
 *
 * DESIGN.md §5: frame time while panning the map with 100,000 reports.
 * The map page, at the size it has in the default window (900×700),
 * shows a store of 100,000 open reports over Jun on an offline MBTiles
 * basemap generated here; a tick callback pans it in a circle, one step
 * per frame, at zoom 15 (the whole town) and then 17 (streets). Each
 * frame's work is timed from the GdkFrameClock, from ::before-paint to
 * ::after-paint (update, layout, snapshot and render). The same path is
 * panned first with the reports hidden, to show what the basemap alone
 * costs on this machine (software GL under Xvfb).
 *
 * Needs a display: run it with tests/session.sh (Xvfb).
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <math.h>
#include <stdlib.h>

#include "civic-map-view.h"
#include "civic-store-private.h"
#include "civic-test-mbtiles.h"
#include "civic-test-util.h"

static int n_reports = 100000;
#define WARMUP_FRAMES 30
#define FRAMES_PER_ZOOM 180
#define WIDTH 900
#define HEIGHT 700
#define PAN_RADIUS_PX 240.0
#define CENTRE_LAT 37.2200
#define CENTRE_LON -3.5950
#define T0 G_GINT64_CONSTANT (1795687200000)

typedef struct
{
  CivicMapView *view;
  GArray *durations;       /* double ms, measured frames */
  gint64 frame_start;
  guint frame;
  gboolean done;
} Pan;

static const double zooms[] = { 15.0, 17.0 };

static void
before_paint_cb (GdkFrameClock *clock,
                 Pan           *pan)
{
  pan->frame_start = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Pan           *pan)
{
  double ms;

  if (pan->frame_start == 0)
    return;

  ms = (g_get_monotonic_time () - pan->frame_start) / 1000.0;
  pan->frame_start = 0;
  if (pan->frame >= WARMUP_FRAMES && !pan->done)
    g_array_append_val (pan->durations, ms);
}

/* One step of the circle per frame, as a drag would move it. */
static gboolean
pan_tick_cb (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  Pan *pan = user_data;
  guint total = WARMUP_FRAMES + G_N_ELEMENTS (zooms) * FRAMES_PER_ZOOM;
  guint i = pan->frame >= WARMUP_FRAMES ? pan->frame - WARMUP_FRAMES : 0;
  double zoom = zooms[MIN (i / FRAMES_PER_ZOOM, G_N_ELEMENTS (zooms) - 1)];
  double angle = 2 * G_PI * pan->frame / 120.0;
  double cx, cy, lat, lon;

  if (pan->frame >= total)
    {
      pan->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  civic_cluster_project (CENTRE_LAT, CENTRE_LON, zoom, &cx, &cy);
  civic_cluster_unproject (cx + PAN_RADIUS_PX * cos (angle), cy + PAN_RADIUS_PX * sin (angle), zoom, &lat, &lon);
  civic_map_view_go_to (pan->view, lat, lon, zoom);
  pan->frame++;

  return G_SOURCE_CONTINUE;
}

static void
fill_store (CivicStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 server, departments[5];
  sqlite3_stmt *stmt;
  int rc;

  server = civic_store_ensure_server (store, "https://jun.example", &error);
  departments[0] = civic_store_ensure_department (store, "limpieza", "Limpieza", "#26a269", 1440, &error);
  departments[1] = civic_store_ensure_department (store, "tecnicos", "Servicios técnicos", "#e66100", 2880, &error);
  departments[2] = civic_store_ensure_department (store, "policia", "Policía Local", "#c01c28", 15, &error);
  departments[3] = civic_store_ensure_department (store, "alcaldia", "Alcaldía", "#1c71d8", 60, &error);
  departments[4] = civic_store_ensure_department (store, "salud", "Centro de salud", "#9141ac", 240, &error);
  g_assert_no_error (error);

  /* One statement, in one transaction: setup, not what is measured.
   * Spread over the town, a third piled near forty hot spots. */
  g_assert_true (civic_store_begin (store, &error));
  g_assert_no_error (error);
  stmt = _civic_store_prepare (store,
                               "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)"
                               " INSERT INTO mentions (server_id, status_id, author_acct, created_at,"
                               "   content_text, lat, lon, geo_source, department_id, state, due_at)"
                               " SELECT ?2, 'bench-' || i, 'vecino' || (i % 500), ?3 - i * 1000, 'aviso',"
                               "   CASE WHEN i % 3 = 0 THEN 37.207 + (i % 40) * 0.0007 + (abs(random()) % 400) / 1e6"
                               "        ELSE 37.205 + (abs(random()) % 30000) / 1e6 END,"
                               "   CASE WHEN i % 3 = 0 THEN -3.608 + (i % 37) * 0.0007 + (abs(random()) % 400) / 1e6"
                               "        ELSE -3.610 + (abs(random()) % 30000) / 1e6 END,"
                               "   'text',"
                               "   CASE i % 5 WHEN 0 THEN ?4 WHEN 1 THEN ?5 WHEN 2 THEN ?6 WHEN 3 THEN ?7 ELSE ?8 END,"
                               "   0, ?3 + CASE WHEN i % 4 = 0 THEN -3600000 ELSE 86400000 END"
                               " FROM n",
                               &error);
  g_assert_no_error (error);
  sqlite3_bind_int (stmt, 1, n_reports);
  sqlite3_bind_int64 (stmt, 2, server);
  sqlite3_bind_int64 (stmt, 3, T0);
  for (guint d = 0; d < G_N_ELEMENTS (departments); d++)
    sqlite3_bind_int64 (stmt, 4 + d, departments[d]);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  g_assert_true (civic_store_commit (store, &error));
  g_assert_no_error (error);
}

static gboolean
loaded (gpointer user_data)
{
  CivicMapView *view = user_data;

  return !civic_map_view_get_loading (view) && civic_map_view_get_n_points (view) == (guint) n_reports;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a;
  double db = *(const double *) b;

  return (da > db) - (da < db);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *tiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStore) store = NULL;
  g_autoptr(CivicClock) clock = civic_clock_new_fixed (T0);
  g_autoptr(CivicContext) context = NULL;
  g_autoptr(GSettings) settings = NULL;
  GtkWindow *window;
  GdkFrameClock *frame_clock;
  Pan pan = { 0 };
  gint64 load_start;

  /* --reports N: how many (0 measures the basemap alone). */
  if (argc == 3 && g_str_equal (argv[1], "--reports"))
    n_reports = atoi (argv[2]);
  if (n_reports < 0 || n_reports > 10000000)
    return 2;

  gtk_init ();
  adw_init ();

  dir = civic_test_mkdtemp ();
  db = g_build_filename (dir, "desk.db", NULL);
  tiles = g_build_filename (dir, "jun.mbtiles", NULL);

  g_print ("# drawing the basemap of Jun (zooms 14-17)\n");
  civic_test_make_mbtiles (tiles, 14, 17, CENTRE_LON - 0.025, CENTRE_LAT - 0.02, CENTRE_LON + 0.025, CENTRE_LAT + 0.02);
  settings = g_settings_new ("org.civicdesk.CivicDesk");
  g_settings_set_string (settings, "mbtiles-path", tiles);

  store = civic_store_new (db, &error);
  g_assert_no_error (error);
  if (n_reports > 0)
    fill_store (store);
  context = civic_context_new (store, clock);

  pan.view = civic_map_view_new (context);
  pan.durations = g_array_new (FALSE, FALSE, sizeof (double));
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, WIDTH, HEIGHT);
  gtk_window_set_child (window, GTK_WIDGET (pan.view));

  load_start = g_get_monotonic_time ();
  gtk_window_present (window);
  if (!civic_test_spin_until (loaded, pan.view, 120000))
    {
      g_printerr ("bench-map-pan: the map did not load %d reports\n", n_reports);
      return 1;
    }
  g_print ("# %u reports loaded into the map in %.0f ms (slices between frames)\n",
           civic_map_view_get_n_points (pan.view), (g_get_monotonic_time () - load_start) / 1000.0);

  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (frame_clock, "before-paint", G_CALLBACK (before_paint_cb), &pan);
  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (after_paint_cb), &pan);
  g_print ("# renderer %s, map %dx%d, %d warm-up frames then %d per zoom (15, 17)\n",
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))), WIDTH, HEIGHT,
           WARMUP_FRAMES, FRAMES_PER_ZOOM);

  for (guint pass = 0; pass < 2; pass++)
    {
      gboolean with_reports = pass == 1;
      double *d, mean = 0;
      guint n;

      gtk_widget_set_visible (GTK_WIDGET (civic_map_view_get_layer (pan.view)), with_reports);
      civic_map_view_go_to (pan.view, CENTRE_LAT, CENTRE_LON, zooms[0]);
      g_array_set_size (pan.durations, 0);
      pan.frame = 0;
      pan.done = FALSE;
      gtk_widget_add_tick_callback (GTK_WIDGET (pan.view), pan_tick_cb, &pan, NULL);
      if (!civic_test_spin_until (civic_test_flag_is_set, &pan.done, 120000))
        {
          g_printerr ("bench-map-pan: panning did not finish\n");
          return 1;
        }

      n = pan.durations->len;
      d = (double *) (gpointer) pan.durations->data;
      qsort (d, n, sizeof (double), (GCompareFunc) compare_doubles);
      for (guint i = 0; i < n; i++)
        mean += d[i] / n;

      g_print ("# %s: %u frames, median %.2f ms, mean %.2f ms, p95 %.2f ms, worst %.2f ms\n",
               with_reports ? "with the reports" : "basemap alone", n, d[n / 2], mean, d[(n * 95) / 100], d[n - 1]);
      if (!with_reports)
        g_print ("bench: pan_frame_basemap_only %.2f ms\n", d[(n * 95) / 100]);
      else
        {
          g_print ("# clusters on screen in the last frame: %u\n",
                   civic_map_layer_get_n_drawn (civic_map_view_get_layer (pan.view)));
          if (n_reports == 100000)
            {
              /* p95 of the frames' work; the worst is printed beside it. */
              g_print ("bench: pan_frame_100k %.2f ms\n", d[(n * 95) / 100]);
              g_print ("bench: pan_frame_100k_worst %.2f ms\n", d[n - 1]);
            }
        }
    }

  gtk_window_destroy (window);
  g_settings_reset (settings, "mbtiles-path");
  g_array_unref (pan.durations);
  civic_test_rmdir (dir);

  return 0;
}
