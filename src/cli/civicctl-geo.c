/* civicctl-geo.c
 *
 * `civicctl geo`: the places the desk finds in a status, as JSON, so staff
 * (and tests) can see why a report did or did not get a place.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "civic-geotag.h"
#include "civic-html.h"
#include "civicctl.h"

/* Status content from the API is HTML; a person may paste plain text. */
static gboolean
looks_like_html (const char *input)
{
  static const char * const tags[] = { "<p", "<a ", "<br", "<span", "<div", "<P", "<A ", "<BR", NULL };

  for (guint i = 0; tags[i] != NULL; i++)
    if (strstr (input, tags[i]) != NULL)
      return TRUE;

  return FALSE;
}

int
civicctl_geo (int    argc,
              char **argv)
{
  g_autofree char *gazetteer_path = NULL;
  const GOptionEntry entries[] = {
    { "streets", 0, 0, G_OPTION_ARG_FILENAME, &gazetteer_path,
      N_("Also look up street names listed in FILE (tab-separated: name, latitude, longitude, radius)"),
      N_("FILE") },
    { NULL }
  };
  g_autoptr(CivicGazetteer) gazetteer = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) points = NULL;
  g_autofree char *input = NULL;
  g_autofree char *json = NULL;
  gsize length;

  if (!civicctl_parse_options (&argc, &argv, "",
                               _("Print the places found in a status read from standard input"),
                               entries))
    return 2;

  if (gazetteer_path != NULL)
    {
      gazetteer = civic_gazetteer_new_from_file (gazetteer_path, &error);
      if (gazetteer == NULL)
        {
          g_printerr ("civicctl geo: %s\n", error->message);
          return 1;
        }
    }

  input = civicctl_read_stdin (&length, &error);
  if (input == NULL)
    {
      g_printerr ("civicctl geo: %s\n", error->message);
      return 1;
    }

  if (!g_utf8_validate (input, length, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (input, length);

      g_free (input);
      input = g_steal_pointer (&valid);
    }

  if (looks_like_html (input))
    points = civic_geotag_extract_full (NULL, input, gazetteer);
  else
    points = civic_geotag_extract_full (input, NULL, gazetteer);

  json_builder_begin_array (builder);
  for (guint i = 0; i < points->len; i++)
    {
      const CivicGeoPoint *point = &g_array_index (points, CivicGeoPoint, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "lat");
      json_builder_add_double_value (builder, point->lat);
      json_builder_set_member_name (builder, "lon");
      json_builder_add_double_value (builder, point->lon);
      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, civic_geo_source_to_string (point->source));
      json_builder_set_member_name (builder, "uncertainty_m");
      json_builder_add_double_value (builder, point->uncertainty_m);
      if (point->approximate)
        {
          json_builder_set_member_name (builder, "approximate");
          json_builder_add_boolean_value (builder, TRUE);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  g_print ("%s\n", json);

  return 0;
}
