/* civic-test-ui.h
 *
 * What the UI tests of the secondary windows share: waiting for a window's
 * first frame, finding widgets, reading what they show.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <libsoup/soup.h>

#include "civic-test-util.h"

G_BEGIN_DECLS

static inline void
civic_test_after_paint_cb (GdkFrameClock *clock,
                           gboolean      *painted)
{
  *painted = TRUE;
}

/* Presents @window and waits for its first real frame. */
static inline void
civic_test_present_and_wait (GtkWindow *window)
{
  gboolean painted = FALSE;
  GdkFrameClock *clock;
  gulong id;

  gtk_window_present (window);
  g_assert_true (civic_test_spin_until ((CivicTestCondition) gtk_widget_get_mapped, window, 10000));

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (civic_test_after_paint_cb), &painted);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &painted, 10000));
  g_signal_handler_disconnect (clock, id);
}

/* Lets pending idles and frames run for a moment (no condition to wait on:
 * used only before a screenshot or after a change that has no signal). */
static inline gboolean
civic_test_never (gpointer user_data)
{
  return FALSE;
}

static inline void
civic_test_flush (guint ms)
{
  civic_test_spin_until (civic_test_never, NULL, ms);
}

/* A template child of @widget bound with gtk_widget_class_bind_template_child. */
#define civic_test_child(widget, type, name) \
  ((gpointer) gtk_widget_get_template_child (GTK_WIDGET (widget), (type), (name)))

static inline void
civic_test_collect_labels (GtkWidget *widget,
                           GString   *out)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (out, '|');
    }
  if (GTK_IS_INSCRIPTION (widget) && gtk_inscription_get_text (GTK_INSCRIPTION (widget)) != NULL)
    {
      g_string_append (out, gtk_inscription_get_text (GTK_INSCRIPTION (widget)));
      g_string_append_c (out, '|');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    civic_test_collect_labels (child, out);
}

/* Every visible label's text under @widget, '|'-separated. */
static inline char *
civic_test_dup_labels (GtkWidget *widget)
{
  GString *out = g_string_new ("|");

  civic_test_collect_labels (widget, out);
  return g_string_free (out, FALSE);
}

/* For civic_test_spin_until() on a weak pointer: whether it was cleared. */
static inline gboolean
civic_test_pointer_cleared (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

static inline gboolean
civic_test_widget_is_visible (gpointer widget)
{
  return gtk_widget_get_visible (GTK_WIDGET (widget));
}

/* Writes a screenshot of the whole Xvfb screen to $CIVIC_SCREENSHOT_DIR/@name.png
 * when that variable is set (for people looking at the result). */
static inline void
civic_test_screenshot (const char *name)
{
  const char *dir = g_getenv ("CIVIC_SCREENSHOT_DIR");
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (dir == NULL || *dir == '\0')
    return;

  civic_test_flush (1500);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  {
    const char *argv[] = { "import", "-window", "root", path, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error))
      g_test_message ("Could not take the screenshot %s: %s", path, error->message);
  }
}

/* What a person does in the browser: sign in on the server's approval page
 * (civic-sim's) and read the code it shows. */
static inline char *
civic_test_approve_in_browser (SoupSession *session,
                               const char  *authorize_uri,
                               const char  *login,
                               const char  *password)
{
  g_autoptr(GUri) uri = g_uri_parse (authorize_uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autofree char *post_uri = NULL;
  g_autofree char *form = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GError) error = NULL;
  const char *location;

  g_assert_nonnull (uri);

  post_uri = g_strdup_printf ("%s://%s:%d/oauth/authorize", g_uri_get_scheme (uri), g_uri_get_host (uri),
                              g_uri_get_port (uri));
  form = g_strdup_printf ("%s&username=%s&password=%s", g_uri_get_query (uri), login, password);
  msg = soup_message_new ("POST", post_uri);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  request = g_bytes_new (form, strlen (form));
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", request);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);

  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  g_assert_nonnull (location);
  g_assert_nonnull (strstr (location, "code="));

  return g_strdup (strstr (location, "code=") + 5);
}

typedef gboolean (*CivicTestWidgetMatch) (GtkWidget *widget,
                                          gpointer   user_data);

/* The first widget of @type under @root (depth first) that @match accepts
 * (every one when @match is NULL), or NULL. */
static inline GtkWidget *
civic_test_find (GtkWidget            *root,
                 GType                 type,
                 CivicTestWidgetMatch  match,
                 gpointer              user_data)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type) && (match == NULL || match (root, user_data)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = civic_test_find (child, type, match, user_data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A toplevel window of @type (a dialog a click just opened), or NULL. */
static inline GtkWindow *
civic_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (window), type))
        return window;
    }

  return NULL;
}

G_END_DECLS
