/* test-export.c
 *
 * `civicctl export --geojson` on a store filled here: a FeatureCollection
 * of the reports with a place (longitude first), with department, state
 * and times; direct mentions only when asked for.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <json-glib/json-glib.h>

#include "civic-store-private.h"
#include "civic-workflow.h"
#include "civic-test-util.h"

#define T0 G_GINT64_CONSTANT (1795687200000) /* 2026-11-26 10:00 UTC */
#define MINUTE (60 * 1000)

typedef struct
{
  char *dir;
  char *path;
  gint64 answered_id;
} Fixture;

static gint64
add (CivicStore *store,
     gint64      server,
     const char *status_id,
     const char *visibility,
     gint64      department,
     gboolean    has_place,
     double      lat,
     double      lon)
{
  g_autoptr(GError) error = NULL;
  CivicMentionRecord r = { 0 };

  r.server_id = server;
  r.status_id = status_id;
  r.author_acct = "vecina@jun.example";
  r.created_at_ms = T0;
  r.content_text = (char *) "Contenedor desbordado";
  r.visibility = visibility;
  r.url = "https://jun.example/@vecina/1";
  r.department_id = department;
  r.priority = 1;
  r.due_at_ms = T0 + 60 * MINUTE;
  r.has_point = has_place;
  r.lat = lat;
  r.lon = lon;
  r.geo_source = "osm-link";
  r.geo_uncertainty_m = 11;
  g_assert_true (civic_store_upsert_mention (store, &r, NULL, &error));
  g_assert_no_error (error);

  return sqlite3_last_insert_rowid (_civic_store_get_db (store));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStore) store = NULL;
  gint64 server, sanitation;

  f->dir = civic_test_mkdtemp ();
  f->path = g_build_filename (f->dir, "desk.db", NULL);
  store = civic_store_new (f->path, &error);
  g_assert_no_error (error);
  server = civic_store_ensure_server (store, "https://jun.example", &error);
  sanitation = civic_store_ensure_department (store, "limpieza", "Limpieza", "#26a269", 1440, &error);
  g_assert_no_error (error);
  /* This desk holds the sanitation account, so it may see (and export,
   * when asked) its direct mentions. */
  g_assert_true (civic_store_bind_department (store, sanitation,
                                              civic_store_ensure_account (store, server, "limpieza", "8",
                                                                          "Limpieza", &error),
                                              &error));
  g_assert_no_error (error);

  f->answered_id = add (store, server, "1", "public", sanitation, TRUE, 37.2203, -3.5951);
  add (store, server, "2", "unlisted", sanitation, TRUE, 37.2210, -3.5960);
  add (store, server, "3", "direct", sanitation, TRUE, 37.2220, -3.5970);
  add (store, server, "4", "public", sanitation, FALSE, 0, 0);
  g_assert_true (civic_workflow_mark_answered (store, f->answered_id, "55", "Ana", "mostrador",
                                               T0 + 20 * MINUTE, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  civic_test_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static char *
civicctl_path (void)
{
  if (g_getenv ("CIVICCTL") != NULL)
    return g_strdup (g_getenv ("CIVICCTL"));
  return g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "civicctl", NULL);
}

/* Runs civicctl with @args; returns its exit status and standard output. */
static int
run (const char * const *args,
     char              **out)
{
  g_autofree char *civicctl = civicctl_path ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, civicctl);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, NULL, &error);
  g_assert_no_error (error);

  return g_subprocess_get_exit_status (process);
}

static JsonArray *
features_of (JsonParser *parser,
             const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "type"), ==, "FeatureCollection");
  return json_object_get_array_member (root, "features");
}

static void
test_geojson (Fixture       *f,
              gconstpointer  data)
{
  const char *args[] = { "export", "--geojson", "--database", f->path, NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  JsonArray *features;
  JsonObject *feature = NULL;
  JsonObject *properties;
  JsonArray *coordinates;

  g_assert_cmpint (run (args, &out), ==, 0);
  features = features_of (parser, out);

  /* The public and unlisted reports with a place; not the direct one,
   * not the one without a place. */
  g_assert_cmpuint (json_array_get_length (features), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *candidate = json_array_get_object_element (features, i);

      if (json_object_get_int_member (candidate, "id") == f->answered_id)
        feature = candidate;
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (candidate, "properties"),
                                                      "visibility"), !=, "direct");
    }
  g_assert_nonnull (feature);

  g_assert_cmpstr (json_object_get_string_member (feature, "type"), ==, "Feature");
  coordinates = json_object_get_array_member (json_object_get_object_member (feature, "geometry"), "coordinates");
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (coordinates, 0), -3.5951, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (coordinates, 1), 37.2203, 1e-9);

  properties = json_object_get_object_member (feature, "properties");
  g_assert_cmpstr (json_object_get_string_member (properties, "department"), ==, "limpieza");
  g_assert_cmpstr (json_object_get_string_member (properties, "department_name"), ==, "Limpieza");
  g_assert_cmpstr (json_object_get_string_member (properties, "state"), ==, "answered");
  g_assert_cmpstr (json_object_get_string_member (properties, "created_at"), ==, "2026-11-26T10:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (properties, "due_at"), ==, "2026-11-26T11:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (properties, "answered_at"), ==, "2026-11-26T10:20:00Z");
  g_assert_true (json_object_get_null_member (properties, "closed_at"));
  g_assert_cmpstr (json_object_get_string_member (properties, "author"), ==, "@vecina@jun.example");
  g_assert_cmpstr (json_object_get_string_member (properties, "geo_source"), ==, "osm-link");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (properties, "uncertainty_m"), 11, 1e-9);
}

static void
test_include_direct_and_output (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *file = g_build_filename (f->dir, "reports.geojson", NULL);
  const char *args[] = { "export", "--geojson", "--include-direct", "--database", f->path, "-o", file, NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *contents = NULL;
  JsonArray *features;
  gboolean direct = FALSE;

  g_assert_cmpint (run (args, &out), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
  features = features_of (parser, contents);
  g_assert_cmpuint (json_array_get_length (features), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *properties = json_object_get_object_member (json_array_get_object_element (features, i),
                                                              "properties");

      direct |= g_strcmp0 (json_object_get_string_member (properties, "visibility"), "direct") == 0;
    }
  g_assert_true (direct);
}

static void
test_empty_and_usage (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *empty = g_build_filename (f->dir, "empty.db", NULL);
  const char *args[] = { "export", "--geojson", "--database", empty, NULL };
  const char *no_format[] = { "export", "--database", f->path, NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;

  /* A store without places: a valid, empty collection. */
  g_assert_cmpint (run (args, &out), ==, 0);
  g_assert_cmpuint (json_array_get_length (features_of (parser, out)), ==, 0);

  /* No format asked for: a usage error. */
  g_assert_cmpint (run (no_format, &out2), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/export/geojson", Fixture, NULL, fixture_set_up, test_geojson, fixture_tear_down);
  g_test_add ("/export/include-direct-and-output", Fixture, NULL, fixture_set_up,
              test_include_direct_and_output, fixture_tear_down);
  g_test_add ("/export/empty-and-usage", Fixture, NULL, fixture_set_up, test_empty_and_usage, fixture_tear_down);

  return g_test_run ();
}
