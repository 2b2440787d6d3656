/* bench-cluster.c
 *
 * DESIGN.md §5: index 1,000,000 reports over the town and query the town's
 * box at zooms 10, 14 and 17; do the same with the `supercluster` npm
 * package on the same points in the same run, and print both and the
 * speed-up (their time / ours). Each side is run three times and its
 * median is reported.
 *
 *   bench-cluster [--npm-prefix DIR] [--script bench-supercluster.mjs] [--points N]
 *
 * supercluster is installed into DIR with npm on first use; without npm
 * or the registry the C figures are still printed and the run succeeds.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "civic-cluster-index.h"

#define RUNS 3
#define TOWN_WEST -3.6100
#define TOWN_SOUTH 37.2050
#define TOWN_EAST -3.5800
#define TOWN_NORTH 37.2350

static const int zooms[] = { 10, 14, 17 };

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a;
  double db = *(const double *) b;

  return (da > db) - (da < db);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), (GCompareFunc) compare_doubles);
  return values[n / 2];
}

/* Reports over Jun: most spread over the streets, some piled on hot spots
 * (the same overflowing bin reported again and again). */
static CivicClusterPoint *
make_points (guint n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260312);
  CivicClusterPoint *points = g_new (CivicClusterPoint, n);
  double spots[40][2];

  for (guint s = 0; s < G_N_ELEMENTS (spots); s++)
    {
      spots[s][0] = g_rand_double_range (rand, TOWN_SOUTH, TOWN_NORTH);
      spots[s][1] = g_rand_double_range (rand, TOWN_WEST, TOWN_EAST);
    }

  for (guint i = 0; i < n; i++)
    {
      CivicClusterPoint *p = &points[i];

      p->id = i + 1;
      if (g_rand_int_range (rand, 0, 10) < 7)
        {
          p->lat = g_rand_double_range (rand, TOWN_SOUTH, TOWN_NORTH);
          p->lon = g_rand_double_range (rand, TOWN_WEST, TOWN_EAST);
        }
      else
        {
          guint s = g_rand_int_range (rand, 0, G_N_ELEMENTS (spots));

          p->lat = spots[s][0] + g_rand_double_range (rand, -0.0003, 0.0003);
          p->lon = spots[s][1] + g_rand_double_range (rand, -0.0003, 0.0003);
        }
      p->department_id = 1 + g_rand_int_range (rand, 0, 7);
      p->created_ms = G_GINT64_CONSTANT (1795687200000) - g_rand_int_range (rand, 0, 1 << 30);
      p->open = g_rand_int_range (rand, 0, 10) < 3;
      p->overdue = p->open && g_rand_boolean (rand);
    }

  return points;
}

static double
run_ours (const CivicClusterPoint *points,
          guint                    n,
          guint                   *counts,
          double                  *load_ms)
{
  CivicClusterIndex *index;
  gint64 t0, t1, t2;

  t0 = g_get_monotonic_time ();
  index = civic_cluster_index_new ();
  civic_cluster_index_add_many (index, points, n);
  t1 = g_get_monotonic_time ();
  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      GArray *clusters = civic_cluster_index_query (index, TOWN_WEST, TOWN_SOUTH, TOWN_EAST, TOWN_NORTH, zooms[z]);

      counts[z] = clusters->len;
      g_array_unref (clusters);
    }
  t2 = g_get_monotonic_time ();

  g_assert (civic_cluster_index_get_size (index) == n);
  civic_cluster_index_free (index);

  *load_ms = (t1 - t0) / 1000.0;
  return (t2 - t0) / 1000.0;
}

/* µs per single add of a new report into the loaded index. */
static double
run_incremental (const CivicClusterPoint *points,
                 guint                    n)
{
  g_autoptr(CivicClusterIndex) index = civic_cluster_index_new ();
  guint extra = MIN (n / 10, 100000);
  gint64 t0;

  civic_cluster_index_add_many (index, points, n - extra);
  t0 = g_get_monotonic_time ();
  for (guint i = n - extra; i < n; i++)
    civic_cluster_index_add (index, &points[i]);

  return (double) (g_get_monotonic_time () - t0) / extra;
}

static char *
write_points (const CivicClusterPoint *points,
              guint                    n,
              GError                 **error)
{
  g_autofree double *coords = g_new (double, 2 * (gsize) n);
  g_autofree char *path = NULL;
  int fd;

  for (guint i = 0; i < n; i++)
    {
      coords[2 * i] = points[i].lon;
      coords[2 * i + 1] = points[i].lat;
    }

  fd = g_file_open_tmp ("civic-bench-points-XXXXXX", &path, error);
  if (fd < 0)
    return NULL;
  close (fd);

  if (!g_file_set_contents (path, (const char *) coords, sizeof (double) * 2 * (gsize) n, error))
    return NULL;

  return g_steal_pointer (&path);
}

static gboolean
ensure_supercluster (const char  *prefix,
                     GError     **error)
{
  g_autofree char *installed = g_build_filename (prefix, "node_modules", "supercluster", "index.js", NULL);
  g_autoptr(GSubprocess) npm = NULL;

  if (g_file_test (installed, G_FILE_TEST_EXISTS))
    return TRUE;

  g_print ("# installing supercluster@8 into %s\n", prefix);
  npm = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, error,
                          "npm", "install", "--prefix", prefix, "--no-audit", "--no-fund",
                          "supercluster@8", NULL);
  if (npm == NULL || !g_subprocess_wait_check (npm, NULL, error))
    return FALSE;

  if (!g_file_test (installed, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "npm did not install supercluster");
      return FALSE;
    }

  return TRUE;
}

/* Runs the JS side; returns its median total in ms, or < 0. */
static double
run_supercluster (const char  *prefix,
                  const char  *script,
                  const char  *points_path,
                  GError     **error)
{
  g_autoptr(GSubprocess) node = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *runs_arg = g_strdup_printf ("%d", RUNS);
  char west[G_ASCII_DTOSTR_BUF_SIZE], south[G_ASCII_DTOSTR_BUF_SIZE];
  char east[G_ASCII_DTOSTR_BUF_SIZE], north[G_ASCII_DTOSTR_BUF_SIZE];
  char z[G_N_ELEMENTS (zooms)][8];
  JsonObject *root;
  JsonArray *runs;
  double totals[RUNS];
  guint n_runs;

  g_ascii_dtostr (west, sizeof west, TOWN_WEST);
  g_ascii_dtostr (south, sizeof south, TOWN_SOUTH);
  g_ascii_dtostr (east, sizeof east, TOWN_EAST);
  g_ascii_dtostr (north, sizeof north, TOWN_NORTH);
  for (guint i = 0; i < G_N_ELEMENTS (zooms); i++)
    g_snprintf (z[i], sizeof z[i], "%d", zooms[i]);

  node = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, error,
                           "node", "--max-old-space-size=4096", script, prefix, points_path, runs_arg,
                           west, south, east, north, z[0], z[1], z[2], NULL);
  if (node == NULL || !g_subprocess_communicate (node, NULL, NULL, &out, NULL, error))
    return -1;
  if (!g_subprocess_get_successful (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "node exited with an error");
      return -1;
    }

  if (!json_parser_load_from_data (parser, g_bytes_get_data (out, NULL), g_bytes_get_size (out), error))
    return -1;

  root = json_node_get_object (json_parser_get_root (parser));
  runs = json_object_get_array_member (root, "runs");
  n_runs = MIN (json_array_get_length (runs), RUNS);
  g_print ("# supercluster %s, options minZoom 0, maxZoom 19, radius 40, extent 512\n",
           json_object_get_string_member (root, "version"));
  for (guint i = 0; i < n_runs; i++)
    {
      JsonObject *run = json_array_get_object_element (runs, i);
      JsonArray *clusters = json_object_get_array_member (run, "clusters");

      totals[i] = json_object_get_double_member (run, "total_ms");
      g_print ("#   supercluster run %u: load %.0f ms, queries %.1f ms, clusters z10/z14/z17: %"
               G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "\n",
               i + 1, json_object_get_double_member (run, "load_ms"),
               json_object_get_double_member (run, "query_ms"),
               json_array_get_int_element (clusters, 0), json_array_get_int_element (clusters, 1),
               json_array_get_int_element (clusters, 2));
    }

  return n_runs > 0 ? median (totals, n_runs) : -1;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *npm_prefix = NULL;
  g_autofree char *script = NULL;
  int n_points = 1000000;
  const GOptionEntry entries[] = {
    { "npm-prefix", 0, 0, G_OPTION_ARG_FILENAME, &npm_prefix, "Where to install supercluster", "DIR" },
    { "script", 0, 0, G_OPTION_ARG_FILENAME, &script, "bench-supercluster.mjs", "FILE" },
    { "points", 0, 0, G_OPTION_ARG_INT, &n_points, "Number of points", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree CivicClusterPoint *points = NULL;
  g_autofree char *points_path = NULL;
  double totals[RUNS], loads[RUNS];
  guint counts[G_N_ELEMENTS (zooms)];
  double ours, theirs;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_points < 1000)
    {
      g_printerr ("bench-cluster: %s\n", error != NULL ? error->message : "--points must be ≥ 1000");
      return 2;
    }

  points = make_points (n_points);
  g_print ("# %d reports over Jun (%.4f,%.4f to %.4f,%.4f)\n", n_points,
           TOWN_SOUTH, TOWN_WEST, TOWN_NORTH, TOWN_EAST);

  for (guint r = 0; r < RUNS; r++)
    {
      totals[r] = run_ours (points, n_points, counts, &loads[r]);
      g_print ("#   civic run %u: load %.1f ms, queries %.2f ms, clusters z10/z14/z17: %u/%u/%u\n",
               r + 1, loads[r], totals[r] - loads[r], counts[0], counts[1], counts[2]);
    }
  ours = median (totals, RUNS);
  g_print ("bench: cluster_index_1m %.1f ms\n", ours);
  g_print ("bench: cluster_add_one %.2f us\n", run_incremental (points, n_points));

  if (npm_prefix == NULL || script == NULL)
    {
      g_print ("# supercluster skipped: no --npm-prefix/--script given\n");
      return 0;
    }

  if (!ensure_supercluster (npm_prefix, &error))
    {
      g_print ("# supercluster skipped: could not install it with npm (%s)\n", error->message);
      return 0;
    }

  points_path = write_points (points, n_points, &error);
  if (points_path == NULL)
    {
      g_print ("# supercluster skipped: %s\n", error->message);
      return 0;
    }

  theirs = run_supercluster (npm_prefix, script, points_path, &error);
  g_unlink (points_path);
  if (theirs < 0)
    {
      g_print ("# supercluster skipped: %s\n", error != NULL ? error->message : "no result");
      return 0;
    }

  g_print ("bench: supercluster_1m %.1f ms\n", theirs);
  g_print ("bench: cluster_speedup_vs_supercluster %.1f ratio\n", theirs / ours);

  return 0;
}
