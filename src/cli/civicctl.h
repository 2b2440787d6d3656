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

/* Reads all of standard input. */
char    *civicctl_read_stdin    (gsize               *length,
                                 GError             **error);

/* Commands, one file each (civicctl-NAME.c). */
int civicctl_geo (int argc, char **argv);

G_END_DECLS
