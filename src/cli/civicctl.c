/* civicctl.c
 *
 * Headless commands over the desk's core: the same store, engine and
 * rules as the app, for scripts, servers without a display and tests.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>

#include "civic-i18n.h"
#include "civic-store.h"
#include "civicctl.h"

static const CivicctlCommand commands[] = {
  { "login", civicctl_login, N_("Bind a department to a server account (token on standard input)") },
  { "sync", civicctl_sync, N_("Keep the store in step with the server (or catch up once)") },
  { "status", civicctl_status, N_("Show each account’s sync state") },
  { "list", civicctl_list, N_("Print a department’s queue") },
  { "reply", civicctl_reply, N_("Queue a reply to a mention and try to deliver it") },
  { "outbox", civicctl_outbox, N_("List the replies waiting to be sent (or deliver them)") },
  { "report", civicctl_report, N_("Print answer-time statistics per department as CSV") },
  { "geo", civicctl_geo, N_("Print the places found in a status read from standard input") },
  { "export", civicctl_export, N_("Export the reports that have a place as GeoJSON") },
  { "purge", civicctl_purge, N_("Delete closed mentions older than the retention period") },
  { "desk", civicctl_desk, N_("Show or set the departments this desk serves") },
};

gboolean
civicctl_parse_options (int                 *argc,
                        char              ***argv,
                        const char          *parameter_string,
                        const char          *summary,
                        const GOptionEntry  *entries)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter_string);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("civicctl: %s\n", error->message);
      return FALSE;
    }

  return TRUE;
}

CivicStore *
civicctl_open_store (const char  *path,
                     GError     **error)
{
  return civic_store_new (path, error);
}

void
civicctl_run_until (gboolean *done)
{
  while (!*done)
    g_main_context_iteration (NULL, TRUE);
}

char *
civicctl_read_stdin (gsize   *length,
                     GError **error)
{
  g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_NONE, NULL, error) < 0)
    return NULL;

  /* NUL-terminate */
  if (!g_output_stream_write_all (out, "", 1, NULL, NULL, error) ||
      !g_output_stream_close (out, NULL, error))
    return NULL;

  if (length != NULL)
    *length = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)) - 1;

  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
usage (FILE *stream)
{
  fprintf (stream, "%s\n\n", _("Usage: civicctl COMMAND [OPTION…]"));
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Run “civicctl COMMAND --help” for a command’s options."));
}

int
main (int   argc,
      char *argv[])
{
  civic_i18n_init ();

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].func (argc - 1, argv + 1);

  g_printerr (_("civicctl: unknown command “%s”\n"), argv[1]);
  usage (stderr);
  return 2;
}
