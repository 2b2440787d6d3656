/* civic-test-util.h
 *
 * Helpers shared by the test programs: fixtures, temporary directories and
 * spinning the main loop until something happens (never sleeping).
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef gboolean (*CivicTestCondition) (gpointer user_data);

static inline gboolean
civic_test_wake_cb (gpointer user_data)
{
  *(guint *) user_data = 0;
  return G_SOURCE_REMOVE;
}

/* Iterates the default main context until @condition holds or
 * @timeout_ms passes. Returns whether the condition held. */
static inline gboolean
civic_test_spin_until (CivicTestCondition condition,
                       gpointer           user_data,
                       guint              timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (user_data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      /* Block in the main loop, but wake every few milliseconds to check
       * the condition and the deadline again. */
      if (!g_main_context_iteration (NULL, FALSE))
        {
          guint wake = 0;

          wake = g_timeout_add (5, civic_test_wake_cb, &wake);
          g_main_context_iteration (NULL, TRUE);
          if (wake != 0)
            g_source_remove (wake);
        }
    }

  return TRUE;
}

static inline gboolean
civic_test_flag_is_set (gpointer user_data)
{
  return *(gboolean *) user_data;
}

/* Reads tests/fixtures/@relpath (from the source tree). */
static inline char *
civic_test_read_fixture (const char *relpath,
                         gsize      *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", relpath, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, length, &error))
    g_error ("Cannot read fixture %s: %s", path, error->message);

  return contents;
}

/* A fresh private directory, removed by civic_test_rmdir(). */
static inline char *
civic_test_mkdtemp (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("civic-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static inline void
civic_test_rmdir (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          g_autofree char *child_path = g_file_get_path (child);

          civic_test_rmdir (child_path);
        }
      else
        g_file_delete (child, NULL, NULL);
      g_object_unref (info);
    }

  g_file_delete (file, NULL, NULL);
}

G_END_DECLS
