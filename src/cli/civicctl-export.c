/* civicctl-export.c
 *
 * `civicctl export --geojson`: the geotagged reports for the town's GIS
 * (QGIS opens it as a layer), written feature by feature so a large
 * store never sits in memory as one JSON tree.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixoutputstream.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "civic-enums.h"
#include "civic-store-geo.h"
#include "civicctl.h"

typedef struct
{
  GOutputStream *out;       /* borrowed */
  JsonGenerator *generator; /* borrowed */
  guint count;
  GError *error;            /* owned: the first write error */
} Export;

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       ms)
{
  json_builder_set_member_name (builder, name);
  if (ms == 0)
    json_builder_add_null_value (builder);
  else
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
      g_autoptr(GDateTime) exact = g_date_time_add (utc, (ms % 1000) * G_TIME_SPAN_MILLISECOND);
      g_autofree char *text = g_date_time_format_iso8601 (exact);

      json_builder_add_string_value (builder, text);
    }
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static gboolean
write_place_cb (const CivicPlace *place,
                gpointer          user_data)
{
  Export *export = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *author = NULL;
  const char *separator = export->count == 0 ? "\n" : ",\n";

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "Feature");
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, place->id);

  json_builder_set_member_name (builder, "geometry");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "Point");
  json_builder_set_member_name (builder, "coordinates");
  json_builder_begin_array (builder);
  /* GeoJSON is longitude first. */
  json_builder_add_double_value (builder, place->lon);
  json_builder_add_double_value (builder, place->lat);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  author = place->author_acct != NULL ? g_strconcat ("@", place->author_acct, NULL) : NULL;
  json_builder_set_member_name (builder, "properties");
  json_builder_begin_object (builder);
  add_string (builder, "department", place->department_slug);
  add_string (builder, "department_name", place->department_name);
  add_string (builder, "state", civic_mention_state_to_string (place->state));
  json_builder_set_member_name (builder, "priority");
  json_builder_add_int_value (builder, place->priority);
  add_time (builder, "created_at", place->created_at_ms);
  add_time (builder, "due_at", place->due_at_ms);
  add_time (builder, "answered_at", place->answered_at_ms);
  add_time (builder, "closed_at", place->closed_at_ms);
  add_string (builder, "author", author);
  add_string (builder, "visibility", place->visibility);
  add_string (builder, "status_id", place->status_id);
  add_string (builder, "url", place->url);
  add_string (builder, "geo_source", place->geo_source);
  json_builder_set_member_name (builder, "uncertainty_m");
  if (place->geo_uncertainty_m > 0)
    json_builder_add_double_value (builder, place->geo_uncertainty_m);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  json_generator_set_root (export->generator, node);
  json = json_generator_to_data (export->generator, NULL);

  if (!g_output_stream_write_all (export->out, separator, strlen (separator), NULL, NULL, &export->error) ||
      !g_output_stream_write_all (export->out, json, strlen (json), NULL, NULL, &export->error))
    return FALSE;

  export->count++;
  return TRUE;
}

int
civicctl_export (int    argc,
                 char **argv)
{
  gboolean geojson = FALSE;
  gboolean include_direct = FALSE;
  g_autofree char *database = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "geojson", 0, 0, G_OPTION_ARG_NONE, &geojson, N_("Write GeoJSON (a FeatureCollection of points)"), NULL },
    { "include-direct", 0, 0, G_OPTION_ARG_NONE, &include_direct,
      N_("Include direct (private) mentions; they may hold personal data"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE instead of standard output"), N_("FILE") },
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, N_("Use this database file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(CivicStore) store = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  static const char header[] = "{\"type\":\"FeatureCollection\",\"name\":\"civic-desk-reports\",\"features\":[";
  static const char footer[] = "\n]}\n";
  Export export = { 0 };

  if (!civicctl_parse_options (&argc, &argv, "",
                               _("Export the reports that have a place, with their department, "
                                 "state and times, for the town’s GIS"),
                               entries))
    return 2;

  if (!geojson)
    {
      g_printerr ("civicctl export: %s\n", _("Choose a format: --geojson"));
      return 2;
    }

  store = civicctl_open_store (database, &error);
  if (store == NULL)
    {
      g_printerr ("civicctl export: %s\n", error->message);
      return 1;
    }

  if (output != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (output);

      out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &error));
      if (out == NULL)
        {
          g_printerr ("civicctl export: %s\n", error->message);
          return 1;
        }
    }
  else
    out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

  export.out = out;
  export.generator = generator;

  if (!g_output_stream_write_all (out, header, strlen (header), NULL, NULL, &error) ||
      !civic_store_foreach_place (store, include_direct, write_place_cb, &export, &error) ||
      export.error != NULL ||
      !g_output_stream_write_all (out, footer, strlen (footer), NULL, NULL, &error) ||
      !g_output_stream_close (out, NULL, &error))
    {
      g_printerr ("civicctl export: %s\n", export.error != NULL ? export.error->message : error->message);
      g_clear_error (&export.error);
      return 1;
    }

  if (output != NULL)
    g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u report written to %s\n", "%u reports written to %s\n",
                             export.count),
                export.count, output);

  return 0;
}
