/* take-screenshots.c
 *
 * Renders the desk running the demo town to PNG files, for the README and
 * the AppStream metainfo: the queue with a mention open, a reply being
 * written from a template, the map and the statistics. Run it under Xvfb,
 * once per language:
 *
 *   LANG=es_ES.UTF-8 xvfb-run -a -s "-screen 0 1400x900x24" \
 *     _build/tests/tools/take-screenshots data/screenshots/es
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "civic-composer.h"
#include "civic-demo.h"
#include "civic-i18n.h"
#include "civic-main-layout.h"
#include "civic-map-view.h"
#include "civic-outbox.h"
#include "civic-sync.h"
#include "civic-window.h"

static gboolean
set_true (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the desk run for a while: the demo town keeps posting. */
static void
spin_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_true, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
save (GtkWidget  *window,
      const char *dir,
      const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Could not write %s", path);
  g_print ("%s\n", path);
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

typedef struct
{
  gboolean done;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autoptr(CivicStore) store = NULL;
  g_autoptr(CivicContext) context = NULL;
  g_autoptr(CivicSync) sync = NULL;
  g_autoptr(CivicOutbox) outbox = NULL;
  g_autoptr(CivicDemo) demo = NULL;
  g_autoptr(GError) error = NULL;
  CivicMainLayout *layout;
  CivicWindow *window;
  GtkWidget *stack;
  Wait wait = { 0 };

  if (argc != 2)
    {
      g_printerr ("usage: take-screenshots OUTPUT-DIR\n");
      return 2;
    }

  civic_i18n_init ();
  gtk_init ();
  adw_init ();
  g_mkdir_with_parents (argv[1], 0755);

  /* AdwApplication loads the desk's style sheet; this tool has none. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/civicdesk/CivicDesk/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    /* Nor its own icons. */
    gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                      "/org/civicdesk/CivicDesk/icons");
  }

  dir = g_dir_make_tmp ("civic-shots-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (dir, "desk.db", NULL);
  store = civic_store_new (db, &error);
  g_assert_no_error (error);
  context = civic_context_new (store, NULL);
  civic_context_set_person (context, "Ana García");
  civic_context_set_desk_name (context, "Mostrador 1");
  sync = civic_sync_new (context, NULL);
  outbox = civic_outbox_new (context, civic_sync_get_session (sync));
  civic_context_set_sync (context, sync);
  civic_context_set_outbox (context, outbox);

  demo = civic_demo_new ();
  civic_demo_set_outbox (demo, outbox);
  civic_demo_start_async (demo, sync, store, NULL, wait_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  if (!civic_demo_start_finish (demo, wait.result, &error))
    g_error ("The demo did not start: %s", error->message);
  g_clear_object (&wait.result);

  wait.done = FALSE;
  civic_sync_reload_async (sync, NULL, wait_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&wait.result);
  civic_sync_start (sync);

  window = civic_window_new (NULL, context);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  layout = civic_window_get_layout (window);

  /* Let the backfill land and the live mentions start coming. */
  spin_for (25000);

  /* The technical services' queue, on a citizen's follow-up (its thread
   * shows) or else a report with a place and a photo. */
  civic_main_layout_select_department (layout, "tecnicos");
  spin_for (1500);
  {
    CivicQueueModel *model = civic_queue_view_get_model (civic_main_layout_get_queue_view (layout));
    gint64 chosen = 0;

    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
      {
        g_autoptr(CivicMention) mention = g_list_model_get_item (G_LIST_MODEL (model), i);

        if (civic_mention_get_in_reply_to_id (mention) != NULL)
          {
            chosen = civic_mention_get_id (mention);
            break;
          }
        if (chosen == 0 && civic_mention_get_point (mention, NULL, NULL) &&
            civic_mention_get_media_count (mention) > 0)
          chosen = civic_mention_get_id (mention);
      }
    if (chosen != 0)
      civic_queue_view_select_mention (civic_main_layout_get_queue_view (layout), chosen);
  }
  spin_for (1500);
  save (GTK_WIDGET (window), argv[1], "queue.png");

  /* A reply from a template, as the office writes them. */
  {
    CivicComposer *composer = CIVIC_COMPOSER (find_type (GTK_WIDGET (window), CIVIC_TYPE_COMPOSER));
    g_autofree char *text = civic_composer_dup_text (composer);
    g_autofree char *with_template = g_strconcat (text, "/farola ", NULL);

    civic_composer_set_text (composer, with_template);
    civic_composer_focus (composer);
  }
  spin_for (3000);
  save (GTK_WIDGET (window), argv[1], "composer.png");

  stack = find_type (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "map");
  spin_for (3000);
  /* With its list: every report in view, for the keyboard too. */
  civic_map_view_set_list_shown (CIVIC_MAP_VIEW (find_type (GTK_WIDGET (window), CIVIC_TYPE_MAP_VIEW)), TRUE);
  spin_for (1500);
  save (GTK_WIDGET (window), argv[1], "map.png");

  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "stats");
  spin_for (2000);
  save (GTK_WIDGET (window), argv[1], "statistics.png");

  civic_sync_stop (sync);
  civic_demo_stop (demo);
  gtk_window_destroy (GTK_WINDOW (window));

  return 0;
}
