/* civicctl-list.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "civic-store.h"
#include "civicctl.h"

static char *
iso_time (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) exact = NULL;

  if (dt == NULL)
    return g_strdup ("");

  exact = g_date_time_add (dt, (ms % 1000) * 1000);
  return g_date_time_format (exact, "%Y-%m-%dT%H:%M:%S.%fZ");
}

int
civicctl_list (int    argc,
               char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *department = NULL;
  g_autofree char *state = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "department", 0, 0, G_OPTION_ARG_STRING, &department, N_("The department’s slug"), N_("SLUG") },
    { "state", 0, 0, G_OPTION_ARG_STRING, &state,
      N_("open (default), new, in-progress, answered, closed or all"), N_("STATE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array"), NULL },
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, N_("Use this database file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(CivicStore) store = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) mentions = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  guint states = 0;
  gint64 department_id;

  if (!civicctl_parse_options (&argc, &argv, "", _("Print a department’s queue."), entries))
    return 2;

  if (department == NULL)
    {
      g_printerr ("civicctl list: %s\n", _("--department is required"));
      return 2;
    }

  if (state == NULL || g_str_equal (state, "open"))
    states = (1 << CIVIC_MENTION_STATE_NEW) | (1 << CIVIC_MENTION_STATE_IN_PROGRESS);
  else if (g_str_equal (state, "all"))
    states = 0xf;
  else
    {
      CivicMentionState one;

      if (!civic_mention_state_from_string (state, &one))
        {
          g_printerr ("civicctl list: %s\n", _("unknown --state"));
          return 2;
        }
      states = 1 << one;
    }

  store = civicctl_open_store (database, &error);
  if (store == NULL)
    {
      g_printerr ("civicctl list: %s\n", error->message);
      return 1;
    }

  department_id = civic_store_lookup_department (store, department);
  if (department_id == 0)
    {
      g_printerr (_("civicctl list: there is no department “%s”\n"), department);
      return 1;
    }

  ids = civic_store_list_mention_ids (store, department_id, states, &error);
  if (ids == NULL ||
      (mentions = civic_store_load_mentions (store, (gint64 *) ids->data, ids->len, &error)) == NULL)
    {
      g_printerr ("civicctl list: %s\n", error->message);
      return 1;
    }

  builder = json_builder_new ();
  json_builder_begin_array (builder);

  for (guint i = 0; i < mentions->len; i++)
    {
      CivicMention *m = g_ptr_array_index (mentions, i);
      g_autofree char *created = iso_time (civic_mention_get_created_at_ms (m));
      double lat, lon;

      if (!json)
        {
          g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t@%s\t%s\n", civic_mention_get_id (m), created,
                   civic_mention_state_to_string (civic_mention_get_state (m)),
                   civic_mention_get_author_acct (m), civic_mention_get_text (m));
          continue;
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, civic_mention_get_id (m));
      json_builder_set_member_name (builder, "status_id");
      json_builder_add_string_value (builder, civic_mention_get_status_id (m));
      json_builder_set_member_name (builder, "author");
      json_builder_add_string_value (builder, civic_mention_get_author_acct (m));
      json_builder_set_member_name (builder, "author_name");
      json_builder_add_string_value (builder, civic_mention_get_author_name (m));
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, civic_mention_get_text (m));
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, created);
      json_builder_set_member_name (builder, "department");
      json_builder_add_string_value (builder, department);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, civic_mention_state_to_string (civic_mention_get_state (m)));
      json_builder_set_member_name (builder, "visibility");
      json_builder_add_string_value (builder, civic_visibility_to_string (civic_mention_get_visibility (m)));
      if (civic_mention_get_point (m, &lat, &lon))
        {
          json_builder_set_member_name (builder, "lat");
          json_builder_add_double_value (builder, lat);
          json_builder_set_member_name (builder, "lon");
          json_builder_add_double_value (builder, lon);
        }
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);

  if (json)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      g_autofree char *text = NULL;

      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
    }

  return 0;
}
