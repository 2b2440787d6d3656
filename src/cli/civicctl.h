/* civicctl.h
 *
 * Shared by civicctl's command files: each command is a function taking
 * the arguments after its name and returning the process's exit status.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef int (*CivicctlCommandFunc) (int    argc,
                                    char **argv);

typedef struct
{
  const char *name;
  CivicctlCommandFunc func;
  const char *summary;
} CivicctlCommand;

/* Parses @entries from argv (argv[0] is the command name); prints the error
 * and returns FALSE on bad usage. */
gboolean civicctl_parse_options (int                 *argc,
                                 char              ***argv,
                                 const char          *parameter_string,
                                 const char          *summary,
                                 const GOptionEntry  *entries);

/* Opens the desk's store: @path, or $XDG_DATA_HOME/civic-desk/civic-desk.db. */
struct _CivicStore *civicctl_open_store (const char  *path,
                                         GError     **error);

/* Runs the main loop until *@done is set (by an async callback). */
void     civicctl_run_until     (gboolean            *done);

/* Reads all of standard input. */
char    *civicctl_read_stdin    (gsize               *length,
                                 GError             **error);

/* Commands, one file each (civicctl-NAME.c). */
int civicctl_desk (int argc, char **argv);
int civicctl_export (int argc, char **argv);
int civicctl_geo (int argc, char **argv);
int civicctl_list (int argc, char **argv);
int civicctl_login (int argc, char **argv);
int civicctl_outbox (int argc, char **argv);
int civicctl_purge (int argc, char **argv);
int civicctl_reply (int argc, char **argv);
int civicctl_report (int argc, char **argv);
int civicctl_status (int argc, char **argv);
int civicctl_sync (int argc, char **argv);

G_END_DECLS
