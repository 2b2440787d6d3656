/* civic-sim.c
 *
 * civic-sim: a simulated town instance that speaks the Mastodon client
 * API, for the demo, staff training and the integration tests.
 *
 * Prints its URL on the first line of standard output, then one line
 * `token ACCT TOKEN` per department account, and serves until SIGTERM.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "civic-sim-faults.h"
#include "civic-sim-server.h"

/* As civic_i18n_locale_dir() in the desk: $CIVIC_LOCALEDIR, else the
 * build tree's catalogues when run from it, else the installed ones. */
static const char *
locale_dir (void)
{
  const char *dir = g_getenv ("CIVIC_LOCALEDIR");
  g_autofree char *self_path = NULL;

  if (dir != NULL && *dir != '\0')
    return dir;
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path != NULL && g_str_has_prefix (self_path, BUILD_ROOT G_DIR_SEPARATOR_S))
    return BUILD_LOCALEDIR;
  return LOCALEDIR;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_budget (const char  *text,
              guint       *count,
              guint       *period,
              GError     **error)
{
  g_auto(GStrv) parts = NULL;
  gint64 c, p;
  char *end = NULL;

  if (text == NULL)
    return TRUE;
  parts = g_strsplit (text, "/", 2);
  c = g_ascii_strtoll (parts[0], &end, 10);
  if (end == parts[0] || *end != '\0' || c < 0 || parts[1] == NULL)
    goto bad;
  p = g_ascii_strtoll (parts[1], &end, 10);
  if (end == parts[1] || *end != '\0' || p <= 0)
    goto bad;
  *count = (guint) MIN (c, G_MAXUINT);
  *period = (guint) MIN (p, G_MAXUINT);
  return TRUE;

bad:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("“%s” is not a budget: write COUNT/SECONDS, e.g. 300/300"), text);
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(CivicSimServer) server = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *public_url = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *faults = NULL;
  g_autofree char *quirks = NULL;
  g_autofree char *password = NULL;
  g_autofree char *rate_limit = NULL;
  g_autofree char *status_limit = NULL;
  g_autofree char *seeded = NULL;
  gint64 seed = 1;
  int port = 0;
  gboolean live = FALSE;
  double live_rate = 0.05;
  int citizens = 300;
  int mentions = 3000;
  int days = 28;
  gboolean version = FALSE;
  guint requests = 300, requests_period = 300, statuses = 300, statuses_period = 3 * 3600;
  gint64 now_ms;
  SimWorld *world;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      N_("Port to listen on; 0 picks a free one (default 0)"), N_("PORT") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      N_("Address to listen on (default 127.0.0.1; 0.0.0.0 for a training room)"), N_("ADDRESS") },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &public_url,
      N_("Base URL the entities name, when other machines connect (default: the listening address)"),
      N_("URL") },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      N_("Directory for the state (sqlite, media), created with mode 0700"), N_("DIR") },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed,
      N_("Seed of the Jun data set, live mentions and random faults (default 1)"), N_("N") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text,
      N_("Reference time, ISO 8601 (default: the real clock); the data set ends here"), N_("TIME") },
    { "live", 'l', 0, G_OPTION_ARG_NONE, &live,
      N_("Keep posting new citizen mentions"), NULL },
    { "live-rate", 0, 0, G_OPTION_ARG_DOUBLE, &live_rate,
      N_("Live mentions per second (default 0.05, up to thousands)"), N_("RATE") },
    { "faults", 'f', 0, G_OPTION_ARG_STRING, &faults,
      N_("Fault injection rules (see below)"), N_("SPEC") },
    { "quirks", 'q', 0, G_OPTION_ARG_STRING, &quirks,
      N_("Behave like another server (comma list, see below)"), N_("LIST") },
    { "password", 0, 0, G_OPTION_ARG_STRING, &password,
      N_("Password of every seeded account (default “jun”)"), N_("PASSWORD") },
    { "citizens", 0, 0, G_OPTION_ARG_INT, &citizens,
      N_("Citizens in a new data set (default 300)"), N_("N") },
    { "mentions", 0, 0, G_OPTION_ARG_INT, &mentions,
      N_("Mentions in a new data set (default 3000)"), N_("N") },
    { "days", 0, 0, G_OPTION_ARG_INT, &days,
      N_("Days before --now that the mentions span (default 28)"), N_("N") },
    { "rate-limit", 0, 0, G_OPTION_ARG_STRING, &rate_limit,
      N_("Requests per token per period (default 300/300)"), N_("COUNT/SECONDS") },
    { "status-limit", 0, 0, G_OPTION_ARG_STRING, &status_limit,
      N_("Statuses per account per period (default 300/10800)"), N_("COUNT/SECONDS") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    _("A simulated town instance (Jun) that speaks the Mastodon client API, for the demo,\n"
      "staff training and tests. Prints its URL, then “token ACCT TOKEN” per department."));
  g_option_context_set_description (context,
    _("Fault SPEC: rules separated by “;”, each ENDPOINT=ACTIONS.\n"
      "  ENDPOINT: notifications, statuses (GET/POST /api/v1/statuses*), post (POST\n"
      "    /api/v1/statuses only), context, media, instance, oauth, accounts, markers,\n"
      "    timelines, streaming, or * (any other request).\n"
      "  ACTIONS: a comma list of ok, 500, 502, 503, 429, 409, hang, reset, truncate,\n"
      "    malformed, drop, 500-after, reset-after.\n"
      "  Plain actions are a script for the next matching requests, then ok forever:\n"
      "    notifications=500,429,ok,truncate\n"
      "  ACTION:P makes the rule random per request (seeded by --seed):\n"
      "    notifications=500:0.2,hang:0.05;post=reset:0.1\n"
      "  429 answers with Retry-After and X-RateLimit-Reset 2 s ahead; hang never answers;\n"
      "  reset closes the connection without an answer; truncate cuts the body in half;\n"
      "  malformed answers 200 with broken JSON; drop (streaming) drops the WebSocket after\n"
      "  its first frame; 500-after and reset-after act after the request took effect\n"
      "  (the status was posted but the answer is lost).\n"
      "\n"
      "Quirks: no-v2-instance, no-streaming, no-link-header, small-default-limit,\n"
      "  ignore-since-id, ignore-idempotency, acct-with-domain, close-connections,\n"
      "  numeric-ids.\n"
      "\n"
      "Control API (loopback only): POST /_sim/mention, POST /_sim/mentions, PUT/GET/DELETE\n"
      "  /_sim/faults, PUT/GET /_sim/quirks, POST /_sim/drop-streams, POST /_sim/revoke,\n"
      "  GET /_sim/statuses?account=USER, GET /_sim/stats.\n"
      "\n"
      "Every seeded account logs in with its user name or e-mail and --password."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("civic-sim: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("civic-sim %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("civic-sim: %s\n", _("--port must be from 0 to 65535"));
      return 2;
    }
  if (!parse_budget (rate_limit, &requests, &requests_period, &error) ||
      !parse_budget (status_limit, &statuses, &statuses_period, &error))
    {
      g_printerr ("civic-sim: %s\n", error->message);
      return 2;
    }
  if (now_text != NULL)
    {
      if (!sim_parse_time (now_text, &now_ms))
        {
          g_printerr ("civic-sim: ");
          g_printerr (_("“%s” is not an ISO 8601 time, e.g. 2026-11-26T10:00:00Z"), now_text);
          g_printerr ("\n");
          return 2;
        }
    }
  else
    now_ms = g_get_real_time () / 1000;
  if (data_dir == NULL)
    data_dir = g_build_filename (g_get_user_data_dir (), "civic-sim", NULL);

  signal (SIGPIPE, SIG_IGN);

  world = sim_world_open (data_dir, now_ms, &error);
  if (world == NULL)
    {
      g_printerr ("civic-sim: %s\n", error->message);
      return 1;
    }
  server = civic_sim_server_new (world, (guint64) seed, password != NULL ? password : "jun");
  civic_sim_server_set_limits (server, requests, requests_period, statuses, statuses_period);
  if ((faults != NULL && !civic_sim_server_set_faults (server, faults, &error)) ||
      (quirks != NULL && !civic_sim_server_set_quirks (server, quirks, &error)))
    {
      g_printerr ("civic-sim: %s\n", error->message);
      return 2;
    }
  if (!civic_sim_server_listen (server, listen, (guint) port, public_url, &error))
    {
      g_printerr ("civic-sim: %s\n", error->message);
      return 1;
    }

  /* A fresh directory gets the data set; an old one keeps its state. */
  seeded = sim_world_get_meta (world, "seed");
  if (seeded == NULL)
    {
      SimSeedOptions options = { 0 };
      g_autofree char *seed_text = g_strdup_printf ("%" G_GINT64_FORMAT, seed);
      g_autofree char *now_iso = sim_format_time (now_ms);

      options.seed = (guint64) seed;
      options.now_ms = now_ms;
      options.citizens = (guint) MAX (citizens, 0);
      options.mentions = (guint) MAX (mentions, 0);
      options.days = (guint) MAX (days, 1);
      sim_seed_world (world, &options);
      sim_world_set_meta (world, "seed", seed_text);
      sim_world_set_meta (world, "now", now_iso);
    }

  g_print ("%s\n", civic_sim_server_get_base_url (server));
  for (guint i = 0; i < sim_n_departments; i++)
    {
      g_autofree char *token = civic_sim_server_department_token (server, sim_departments[i].username);

      if (token != NULL)
        g_print ("token %s %s\n", sim_departments[i].username, token);
    }
  fflush (stdout);

  if (live)
    civic_sim_server_start_live (server, live_rate);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  civic_sim_server_shutdown (server);
  return 0;
}
