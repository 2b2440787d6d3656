/* fuzz-replay.c
 *
 * Runs a fuzz target over its seed corpus and its regressions (crashes a
 * fuzzer found, kept once fixed), one GTest case per file, for builds
 * without libFuzzer. Arguments: directories or files, after GTest's own.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "civic-fuzz.h"

static void
run_file (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (LLVMFuzzerTestOneInput ((const uint8_t *) contents, length), ==, 0);
}

static void
add_path (const char *target,
          const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *parent = NULL;
  g_autofree char *parent_base = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* A target without regressions yet has no such directory. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *test_path = NULL;

      parent = g_path_get_dirname (path);
      parent_base = g_path_get_basename (parent);
      test_path = g_strdup_printf ("/fuzz/%s/%s/%s", target, parent_base, base);
      g_test_add_data_func_full (test_path, g_strdup (path), run_file, g_free);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = NULL;

      if (name[0] == '.' || g_str_has_suffix (name, ".md"))
        continue;
      child = g_build_filename (path, name, NULL);
      add_path (target, child);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *target = NULL;

  g_test_init (&argc, &argv, NULL);

  target = g_path_get_basename (argv[0]);
  if (g_str_has_prefix (target, "fuzz-"))
    memmove (target, target + strlen ("fuzz-"), strlen (target) - strlen ("fuzz-") + 1);

  for (int i = 1; i < argc; i++)
    add_path (target, argv[i]);

  return g_test_run ();
}
