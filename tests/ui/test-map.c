/* test-map.c
 *
 * The map page under Xvfb, on a store of reports around Jun with an
 * offline MBTiles basemap generated here: clusters are computed and drawn,
 * a click on a report's place activates that very mention, clusters zoom
 * in or list their reports (and claim them all), filters and store
 * changes reload it, and without tiles it says so over a grid.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <libsoup/soup.h>
#include <math.h>

#include "civic-map-view.h"
#include "civic-store-private.h"
#include "civic-workflow.h"
#include "civic-test-mbtiles.h"
#include "civic-test-util.h"

#define T0 G_GINT64_CONSTANT (1795687200000)
#define MINUTE (60 * 1000)
#define JUN_LAT 37.2203
#define JUN_LON -3.5951
#define N_SPREAD 30
#define N_STACK 6

typedef struct
{
  char *dir;
  CivicContext *context;
  CivicStore *store;
  GSettings *settings;
  GtkWindow *window;
  CivicMapView *view;
  gint64 server;
  gint64 sanitation;
  gint64 technical;
  gint64 police;
  GArray *stack_ids;       /* gint64: the reports piled on one spot */
  guint n_with_place;      /* open ones */
  guint n_police;
  guint next_status;
} Fixture;

typedef struct
{
  gboolean painted;
} PaintWatch;

static void
after_paint_cb (GdkFrameClock *clock,
                PaintWatch    *watch)
{
  watch->painted = TRUE;
}

static void
wait_for_paint (Fixture *f)
{
  PaintWatch watch = { FALSE };
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &watch);
  gtk_widget_queue_draw (GTK_WIDGET (civic_map_view_get_layer (f->view)));
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &watch.painted, 10000));
  g_signal_handler_disconnect (clock, id);
}

static gboolean
view_loaded (gpointer user_data)
{
  Fixture *f = user_data;

  return !civic_map_view_get_loading (f->view);
}

static void
wait_loaded (Fixture *f)
{
  g_assert_true (civic_test_spin_until (view_loaded, f, 10000));
}

static gint64
add_report (Fixture    *f,
            const char *text,
            gint64      department,
            gboolean    has_place,
            double      lat,
            double      lon,
            gint64      created_ms,
            guint       sla_minutes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *status_id = g_strdup_printf ("%u", 1000 + f->next_status++);
  CivicMentionRecord r = { 0 };
  gint64 id;

  r.server_id = f->server;
  r.status_id = status_id;
  r.author_acct = "vecina";
  r.author_name = "Vecina de Jun";
  r.created_at_ms = created_ms;
  r.content_html = text;
  r.content_text = (char *) text;
  r.visibility = "public";
  r.department_id = department;
  r.priority = 1;
  r.due_at_ms = created_ms + sla_minutes * MINUTE;
  r.has_point = has_place;
  r.lat = lat;
  r.lon = lon;
  r.geo_source = has_place ? "text" : NULL;
  g_assert_true (civic_store_upsert_mention (f->store, &r, NULL, &error));
  g_assert_no_error (error);
  id = sqlite3_last_insert_rowid (_civic_store_get_db (f->store));
  g_assert_cmpint (id, >, 0);

  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *db = NULL;
  g_autofree char *tiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);
  g_autoptr(CivicClock) clock = civic_clock_new_fixed (T0 + 90 * MINUTE);
  gint64 closed;

  f->dir = civic_test_mkdtemp ();
  db = g_build_filename (f->dir, "desk.db", NULL);
  tiles = g_build_filename (f->dir, "jun.mbtiles", NULL);

  /* An offline basemap of Jun. */
  civic_test_make_mbtiles (tiles, 12, 16, JUN_LON - 0.01, JUN_LAT - 0.008, JUN_LON + 0.01, JUN_LAT + 0.008);
  f->settings = g_settings_new ("org.civicdesk.CivicDesk");
  g_settings_set_string (f->settings, "mbtiles-path", tiles);

  f->store = civic_store_new (db, &error);
  g_assert_no_error (error);
  f->server = civic_store_ensure_server (f->store, "https://jun.example", &error);
  f->sanitation = civic_store_ensure_department (f->store, "limpieza", "Limpieza", "#26a269", 1440, &error);
  f->technical = civic_store_ensure_department (f->store, "tecnicos", "Servicios técnicos", "#e66100", 2880, &error);
  f->police = civic_store_ensure_department (f->store, "policia", "Policía Local", "#c01c28", 15, &error);
  g_assert_no_error (error);

  /* Reports spread over the streets, some overdue. */
  for (guint i = 0; i < N_SPREAD; i++)
    {
      g_autofree char *text = g_strdup_printf ("aviso%u en la calle", i);
      gint64 department = i % 3 == 0 ? f->police : i % 3 == 1 ? f->sanitation : f->technical;

      add_report (f, text, department, TRUE,
                  JUN_LAT + g_rand_double_range (rand, -0.003, 0.003),
                  JUN_LON + g_rand_double_range (rand, -0.004, 0.004),
                  T0 + i * MINUTE, i % 4 == 0 ? 10 : 1440);
      f->n_police += department == f->police;
    }

  /* An overflowing bin reported again and again, on one spot. */
  f->stack_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < N_STACK; i++)
    {
      g_autofree char *text = g_strdup_printf ("contenedor%u lleno", i);
      gint64 id = add_report (f, text, f->sanitation, TRUE, JUN_LAT + 0.0062, JUN_LON + 0.0071,
                              T0 + i * MINUTE, 1440);

      g_array_append_val (f->stack_ids, id);
    }
  f->n_with_place = N_SPREAD + N_STACK;

  /* Not on the map: no place, or closed. */
  add_report (f, "horario del registro", f->technical, FALSE, 0, 0, T0, 1440);
  closed = add_report (f, "farola arreglada", f->technical, TRUE, JUN_LAT, JUN_LON, T0, 1440);
  g_assert_true (civic_workflow_close (f->store, closed, "Ana", "mostrador", T0 + MINUTE, &error));
  g_assert_no_error (error);

  f->context = civic_context_new (f->store, clock);
  civic_context_set_person (f->context, "Ana García");
  civic_context_set_desk_name (f->context, "mostrador 1");

  f->view = civic_map_view_new (f->context);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 700);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);
  g_assert_true (civic_test_spin_until ((CivicTestCondition) gtk_widget_get_mapped, f->window, 10000));
  wait_loaded (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->context);
  g_clear_object (&f->store);
  g_settings_reset (f->settings, "mbtiles-path");
  g_settings_reset (f->settings, "tile-url");
  g_clear_object (&f->settings);
  g_clear_pointer (&f->stack_ids, g_array_unref);
  civic_test_rmdir (f->dir);
  g_free (f->dir);
}

/* The colour the window shows at @x, @y of @widget, as 0xRRGGBB. */
static guint32
pixel_at (Fixture   *f,
          GtkWidget *widget,
          double     x,
          double     y)
{
  GtkWidget *window = GTK_WIDGET (f->window);
  GtkSnapshot *snapshot;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  graphene_point_t point;
  const guchar *p;
  int px, py;

  wait_for_paint (f);
  g_assert_true (gtk_widget_compute_point (widget, window, &GRAPHENE_POINT_INIT (x, y), &point));
  /* What the window draws of the map view, rendered as it renders it. */
  snapshot = gtk_snapshot_new ();
  gtk_widget_snapshot_child (window, GTK_WIDGET (f->view), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  px = CLAMP ((int) point.x, 0, gdk_texture_get_width (texture) - 1);
  py = CLAMP ((int) point.y, 0, gdk_texture_get_height (texture) - 1);
  pixels = g_malloc ((gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4);
  gdk_texture_download (texture, pixels, gdk_texture_get_width (texture) * 4);
  /* GDK_MEMORY_DEFAULT: B, G, R, A in memory. */
  p = pixels + ((gsize) py * gdk_texture_get_width (texture) + px) * 4;
  return ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

static gboolean
colour_near (guint32 a,
             guint32 b,
             guint   tolerance)
{
  for (guint shift = 0; shift < 24; shift += 8)
    if (ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)) > (int) tolerance)
      return FALSE;
  return TRUE;
}

static guint
drawn_total (CivicMapLayer *layer)
{
  guint total = 0;

  for (guint i = 0; i < civic_map_layer_get_n_drawn (layer); i++)
    total += civic_map_layer_get_drawn (layer, i, NULL, NULL)->count;

  return total;
}

static gboolean
tiles_working (gpointer view)
{
  return !civic_map_view_get_tiles_failing (view);
}

static void
test_clusters_drawn (Fixture       *f,
                     gconstpointer  data)
{
  CivicMapLayer *layer = civic_map_view_get_layer (f->view);

  g_assert_cmpuint (civic_map_view_get_n_points (f->view), ==, f->n_with_place);

  civic_map_view_go_to (f->view, JUN_LAT + 0.001, JUN_LON + 0.001, 16);
  wait_for_paint (f);
  g_assert_cmpint (civic_map_layer_get_cluster_zoom (layer), ==, 16);
  g_assert_cmpuint (civic_map_layer_get_n_drawn (layer), >, 1);
  g_assert_cmpuint (civic_map_layer_get_n_drawn (layer), <, f->n_with_place);
  g_assert_cmpuint (drawn_total (layer), ==, f->n_with_place);
  /* The offline basemap has these tiles: no banner, once they are read
   * (the world view before go_to() asked for zooms the file lacks). */
  g_assert_true (civic_test_spin_until (tiles_working, f->view, 10000));

  /* And they are on screen, above the tiles: a police report shows in
   * the police's colour. */
  {
    gboolean seen = FALSE;

    for (guint i = 0; i < civic_map_layer_get_n_drawn (layer) && !seen; i++)
      {
        double x, y;
        const CivicCluster *c = civic_map_layer_get_drawn (layer, i, &x, &y);

        if (c->count == 1 && c->departments[0].department_id == f->police &&
            x > 20 && y > 20 && x < 880 && y < 600)
          {
            guint32 colour = pixel_at (f, GTK_WIDGET (layer), x, y);

            if (!colour_near (colour, 0xc01c28, 12))
              g_error ("the police report at %.0f, %.0f shows as #%06x", x, y, colour);
            seen = TRUE;
          }
      }
    g_assert_true (seen);
  }

  /* Zoomed out, Jun is a handful of clusters; and every marker drawn is
   * where its centroid is on screen. */
  civic_map_view_go_to (f->view, JUN_LAT, JUN_LON, 12);
  wait_for_paint (f);
  g_assert_cmpuint (civic_map_layer_get_n_drawn (layer), <=, 4);
  g_assert_cmpuint (drawn_total (layer), ==, f->n_with_place);
  for (guint i = 0; i < civic_map_layer_get_n_drawn (layer); i++)
    {
      ShumateViewport *viewport = shumate_simple_map_get_viewport (civic_map_view_get_map (f->view));
      double x, y, ex, ey;
      const CivicCluster *c = civic_map_layer_get_drawn (layer, i, &x, &y);

      shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (layer), c->lat, c->lon, &ex, &ey);
      g_assert_cmpfloat_with_epsilon (x, ex, 0.5);
      g_assert_cmpfloat_with_epsilon (y, ey, 0.5);
    }


  /* Heat: the same clusters, drawn as heat. */
  civic_map_view_set_heat (f->view, TRUE);
  wait_for_paint (f);
  g_assert_true (civic_map_layer_get_heat (layer));
  g_assert_cmpuint (drawn_total (layer), ==, f->n_with_place);
}

static void
activated_cb (CivicMapView *view,
              gint64        id,
              gint64       *out)
{
  *out = id;
}

static void
test_click_point (Fixture       *f,
                  gconstpointer  data)
{
  CivicMapLayer *layer = civic_map_view_get_layer (f->view);
  ShumateViewport *viewport = shumate_simple_map_get_viewport (civic_map_view_get_map (f->view));
  gint64 activated = 0;
  guint clicked = 0;

  g_signal_connect (f->view, "mention-activated", G_CALLBACK (activated_cb), &activated);
  civic_map_view_go_to (f->view, JUN_LAT, JUN_LON, 17);
  wait_for_paint (f);

  /* Every single report on screen: a click on its place opens it. */
  for (guint i = 0; i < civic_map_layer_get_n_drawn (layer); i++)
    {
      g_autoptr(CivicMention) mention = NULL;
      g_autoptr(GError) error = NULL;
      const CivicCluster *c;
      double x, y, px, py, lat, lon;

      c = civic_map_layer_get_drawn (layer, i, &x, &y);
      if (c->count != 1 || x < 10 || y < 10 ||
          x > gtk_widget_get_width (GTK_WIDGET (layer)) - 10 || y > gtk_widget_get_height (GTK_WIDGET (layer)) - 10)
        continue;

      activated = 0;
      g_assert_true (civic_map_view_activate_at (f->view, x + 2, y - 2, GDK_BUTTON_PRIMARY));
      g_assert_cmpint (activated, !=, 0);
      g_assert_cmpint (activated, ==, c->point_id);
      g_assert_cmpint (civic_map_view_get_selected_mention (f->view), ==, activated);

      /* It is the mention whose place is under the pointer. */
      mention = civic_store_load_mention (f->store, activated, &error);
      g_assert_no_error (error);
      g_assert_true (civic_mention_get_point (mention, &lat, &lon));
      shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (layer), lat, lon, &px, &py);
      g_assert_cmpfloat (fabs (px - x), <, 2.0);
      g_assert_cmpfloat (fabs (py - y), <, 2.0);
      clicked++;
    }
  g_assert_cmpuint (clicked, >=, 5);

  /* Beside every marker: nothing. */
  activated = 0;
  g_assert_false (civic_map_view_activate_at (f->view, 1, 1, GDK_BUTTON_PRIMARY));
  g_assert_cmpint (activated, ==, 0);
}

static gboolean
zoom_reached (gpointer user_data)
{
  Fixture *f = user_data;
  ShumateViewport *viewport = shumate_simple_map_get_viewport (civic_map_view_get_map (f->view));
  double *target = g_object_get_data (G_OBJECT (f->view), "target-zoom");

  return fabs (shumate_viewport_get_zoom_level (viewport) - *target) < 0.01;
}

static void
cluster_activated_cb (CivicMapView *view,
                      GArray       *ids,
                      GArray      **out)
{
  g_clear_pointer (out, g_array_unref);
  *out = g_array_ref (ids);
}

static void
collect_type (GtkWidget *widget,
              GType      type,
              GPtrArray *out)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (out, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_type (child, type, out);
}

static void
test_click_cluster (Fixture       *f,
                    gconstpointer  data)
{
  CivicMapLayer *layer = civic_map_view_get_layer (f->view);
  g_autoptr(GArray) listed = NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  CivicClusterIndex *index = civic_map_layer_get_index (layer);
  double target = 0;
  const CivicCluster *stack = NULL;
  double x = 0, y = 0;

  g_object_set_data (G_OBJECT (f->view), "target-zoom", &target);
  g_signal_connect (f->view, "cluster-activated", G_CALLBACK (cluster_activated_cb), &listed);

  /* A cluster that can split: a click zooms to where it does. */
  civic_map_view_go_to (f->view, JUN_LAT, JUN_LON, 13);
  wait_for_paint (f);
  for (guint i = 0; i < civic_map_layer_get_n_drawn (layer) && target == 0; i++)
    {
      const CivicCluster *c = civic_map_layer_get_drawn (layer, i, &x, &y);
      int expansion = civic_cluster_index_get_expansion_zoom (index, c->cluster_id);

      if (c->count > 1 && expansion > 0)
        {
          target = MAX (expansion, 14);
          g_assert_true (civic_map_view_activate_at (f->view, x, y, GDK_BUTTON_PRIMARY));
        }
    }
  g_assert_cmpfloat (target, >, 13);
  g_assert_true (civic_test_spin_until (zoom_reached, f, 5000));
  g_assert_null (listed);

  /* The pile on one spot cannot split even at the last zoom: a click
   * lists its reports. */
  civic_map_view_go_to (f->view, JUN_LAT + 0.0062, JUN_LON + 0.0071, 19);
  wait_for_paint (f);
  for (guint i = 0; i < civic_map_layer_get_n_drawn (layer); i++)
    {
      const CivicCluster *c = civic_map_layer_get_drawn (layer, i, &x, &y);

      if (c->count >= N_STACK)
        stack = c;
      if (stack != NULL)
        break;
    }
  g_assert_nonnull (stack);
  g_assert_cmpint (civic_cluster_index_get_expansion_zoom (index, stack->cluster_id), ==, -1);
  g_assert_true (civic_map_view_activate_at (f->view, x, y, GDK_BUTTON_PRIMARY));
  g_assert_nonnull (listed);
  g_assert_cmpuint (listed->len, ==, N_STACK);
  for (guint i = 0; i < f->stack_ids->len; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < listed->len; j++)
        found |= g_array_index (listed, gint64, j) == g_array_index (f->stack_ids, gint64, i);
      g_assert_true (found);
    }

  /* Its list offers one action for all: claim the crew run. */
  wait_for_paint (f);
  collect_type (GTK_WIDGET (f->view), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkButton *button = g_ptr_array_index (buttons, i);

      if (g_strcmp0 (gtk_button_get_label (button), "_Claim All") == 0)
        g_signal_emit_by_name (button, "clicked");
    }
  for (guint i = 0; i < f->stack_ids->len; i++)
    {
      g_auto(CivicWorkflowState) state = { 0 };
      g_autoptr(GError) error = NULL;

      g_assert_true (civic_workflow_load_state (f->store, g_array_index (f->stack_ids, gint64, i), &state, &error));
      g_assert_no_error (error);
      g_assert_cmpint (state.state, ==, CIVIC_MENTION_STATE_IN_PROGRESS);
      g_assert_cmpstr (state.claimed_by, ==, "Ana García");
    }
}

static void
test_select_area (Fixture       *f,
                  gconstpointer  data)
{
  CivicMapLayer *layer = civic_map_view_get_layer (f->view);
  ShumateViewport *viewport = shumate_simple_map_get_viewport (civic_map_view_get_map (f->view));
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  double x, y;
  guint expected = 0;

  /* An area of the screen: exactly the reports whose place is inside. */
  civic_map_view_go_to (f->view, JUN_LAT, JUN_LON, 16);
  wait_for_paint (f);
  for (guint i = 1; i < 1000; i++)
    {
      g_autoptr(CivicMention) mention = civic_store_load_mention (f->store, i, NULL);
      double lat, lon;

      if (mention == NULL)
        break;
      if (!civic_mention_get_point (mention, &lat, &lon) ||
          !CIVIC_MENTION_STATE_IS_OPEN (civic_mention_get_state (mention)))
        continue;
      shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (layer), lat, lon, &x, &y);
      expected += x >= 100 && x <= 500 && y >= 150 && y <= 450;
    }
  g_assert_cmpuint (expected, >, 2);
  g_assert_cmpuint (expected, <, f->n_with_place);
  g_assert_cmpuint (civic_map_view_select_area (f->view, 500, 450, 100, 150), ==, expected);

  /* Around the pile at the closest zoom: just it; send it all to the police. */
  civic_map_view_go_to (f->view, JUN_LAT + 0.0062, JUN_LON + 0.0071, 19);
  wait_for_paint (f);
  shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (layer), JUN_LAT + 0.0062, JUN_LON + 0.0071, &x, &y);
  g_assert_cmpuint (civic_map_view_select_area (f->view, x - 10, y - 10, x + 10, y + 10), ==, N_STACK);
  wait_for_paint (f);

  collect_type (GTK_WIDGET (f->view), GTK_TYPE_DROP_DOWN, dropdowns);
  g_assert_cmpuint (dropdowns->len, ==, 1);
  {
    GListModel *names = gtk_drop_down_get_model (g_ptr_array_index (dropdowns, 0));

    for (guint i = 0; i < g_list_model_get_n_items (names); i++)
      if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "Policía Local") == 0)
        gtk_drop_down_set_selected (g_ptr_array_index (dropdowns, 0), i);
  }
  collect_type (GTK_WIDGET (f->view), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), "_Reassign All") == 0)
      g_signal_emit_by_name (g_ptr_array_index (buttons, i), "clicked");

  for (guint i = 0; i < f->stack_ids->len; i++)
    {
      g_auto(CivicWorkflowState) state = { 0 };

      g_assert_true (civic_workflow_load_state (f->store, g_array_index (f->stack_ids, gint64, i), &state, &error));
      g_assert_no_error (error);
      g_assert_cmpint (state.department_id, ==, f->police);
    }
}

static gboolean
n_points_is (gpointer user_data)
{
  Fixture *f = user_data;
  guint *expected = g_object_get_data (G_OBJECT (f->view), "expected-points");

  return !civic_map_view_get_loading (f->view) && civic_map_view_get_n_points (f->view) == *expected;
}

static void
test_filter_and_changes (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CivicQueueFilter) filter = civic_queue_filter_new ();
  guint expected;

  g_object_set_data (G_OBJECT (f->view), "expected-points", &expected);

  /* The queue's filter, shared: one department. */
  filter->department_id = f->police;
  civic_map_view_set_filter (f->view, filter);
  expected = f->n_police;
  g_assert_true (civic_test_spin_until (n_points_is, f, 10000));

  /* All states: the closed report comes back. */
  filter->department_id = 0;
  filter->states = CIVIC_STATE_MASK_ALL;
  civic_map_view_set_filter (f->view, filter);
  expected = f->n_with_place + 1;
  g_assert_true (civic_test_spin_until (n_points_is, f, 10000));

  /* A new report arrives in the store: the map follows by itself. */
  add_report (f, "bache nuevo", f->technical, TRUE, JUN_LAT - 0.001, JUN_LON, T0 + 80 * MINUTE, 1440);
  expected++;
  g_assert_true (civic_test_spin_until (n_points_is, f, 10000));
}

static void
failing_tiles_cb (SoupServer        *server,
                  SoupServerMessage *message,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  soup_server_message_set_status (message, 500, NULL);
}

static gboolean
tiles_failing (gpointer user_data)
{
  return civic_map_view_get_tiles_failing (user_data);
}

static void
test_no_tiles (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  CivicMapLayer *layer = civic_map_view_get_layer (f->view);
  GSList *uris;

  soup_server_add_handler (server, NULL, failing_tiles_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  url = g_strdup_printf ("%s{z}/{x}/{y}.png", base);

  /* The town's tile server is down: the map says so, draws a grid, and
   * the reports are still there. */
  civic_map_view_go_to (f->view, JUN_LAT, JUN_LON, 14);
  g_settings_set_string (f->settings, "mbtiles-path", "");
  g_settings_set_string (f->settings, "tile-url", url);
  g_assert_true (civic_test_spin_until (tiles_failing, f->view, 15000));
  wait_for_paint (f);
  g_assert_cmpuint (drawn_total (layer), ==, f->n_with_place);
  /* Where there is no report, the neutral grid: never an empty white page. */
  {
    guint32 colour = pixel_at (f, GTK_WIDGET (layer), 3.5, 400.5);

    if (!colour_near (colour, 0xf2f1ef, 3) && !colour_near (colour, 0xc0bfbc, 3))
      g_error ("without tiles the map shows #%06x", colour);
  }

  /* A missing offline file: said at once. */
  g_settings_set_string (f->settings, "tile-url", "https://tile.openstreetmap.org/{z}/{x}/{y}.png");
  g_settings_set_string (f->settings, "mbtiles-path", "/nonexistent/jun.mbtiles");
  g_assert_true (civic_map_view_get_tiles_failing (f->view));
  {
    guint32 colour = pixel_at (f, GTK_WIDGET (layer), 3.5, 400.5);

    if (!colour_near (colour, 0xf2f1ef, 3) && !colour_near (colour, 0xc0bfbc, 3))
      g_error ("without the offline map the map shows #%06x", colour);
  }
}

typedef struct
{
  CivicMapList *list;
  guint n;
} ListWait;

static gboolean
list_has_rows (gpointer user_data)
{
  ListWait *wait = user_data;

  return civic_map_list_get_n_rows (wait->list) == wait->n;
}

static gboolean
focus_in (GtkWidget *root,
          GtkWidget *ancestor)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (root));

  return focus != NULL && (focus == ancestor || gtk_widget_is_ancestor (focus, ancestor));
}

static gboolean
zoomed_in (gpointer user_data)
{
  Fixture *f = user_data;
  ShumateViewport *viewport = shumate_simple_map_get_viewport (civic_map_view_get_map (f->view));
  double *min_zoom = g_object_get_data (G_OBJECT (f->view), "min-zoom");

  return shumate_viewport_get_zoom_level (viewport) >= *min_zoom - 0.01;
}

/* Every report the map draws is a row a keyboard reaches, read as a
 * sentence; Enter does what a click on the map does. */
static void
test_keyboard_list (Fixture       *f,
                    gconstpointer  data)
{
  CivicMapLayer *layer = civic_map_view_get_layer (f->view);
  CivicMapList *list = civic_map_view_get_list (f->view);
  ShumateViewport *viewport = shumate_simple_map_get_viewport (civic_map_view_get_map (f->view));
  ListWait wait = { list, 0 };
  gint64 activated = 0;
  guint single = G_MAXUINT, multi = G_MAXUINT;
  double zoom;

  g_signal_connect (f->view, "mention-activated", G_CALLBACK (activated_cb), &activated);
  /* The offline basemap stops at zoom 16: start one below. */
  civic_map_view_go_to (f->view, JUN_LAT, JUN_LON, 15);
  wait_for_paint (f);

  civic_map_view_set_list_shown (f->view, TRUE);
  g_assert_cmpuint (civic_map_list_get_n_rows (list), ==, civic_map_layer_get_n_drawn (layer));
  g_assert_cmpuint (civic_map_list_get_n_rows (list), >, 1);
  g_assert_true (focus_in (GTK_WIDGET (f->window), GTK_WIDGET (list)));

  for (guint i = 0; i < civic_map_list_get_n_rows (list); i++)
    {
      const char *text = civic_map_list_get_row_text (list, i);

      g_test_message ("row %u: %s", i, text);
      if (g_str_has_prefix (text, "Report by Vecina de Jun") || g_str_has_prefix (text, "Overdue report by Vecina de Jun"))
        {
          g_assert_nonnull (strstr (text, "en la calle"));
          single = single == G_MAXUINT ? i : single;
        }
      else
        {
          g_assert_nonnull (strstr (text, " reports"));
          multi = multi == G_MAXUINT ? i : multi;
        }
    }
  /* Overdue first. */
  g_assert_nonnull (strstr (civic_map_list_get_row_text (list, 0), "verdue"));

  /* Enter on a report opens that mention. */
  g_assert_cmpuint (single, !=, G_MAXUINT);
  civic_map_list_activate_row (list, single, FALSE);
  g_assert_cmpint (activated, >, 0);
  g_assert_cmpint (civic_map_view_get_selected_mention (f->view), ==, activated);

  /* Enter on a cluster zooms in, and the list follows the map. */
  g_assert_cmpuint (multi, !=, G_MAXUINT);
  zoom = shumate_viewport_get_zoom_level (viewport) + 1;
  civic_map_list_activate_row (list, multi, FALSE);
  g_object_set_data (G_OBJECT (f->view), "min-zoom", &zoom);
  g_assert_true (civic_test_spin_until (zoomed_in, f, 5000));
  /* The zoom animation ends at the cluster's expansion zoom. */
  do
    {
      zoom = shumate_viewport_get_zoom_level (viewport);
      wait_for_paint (f);
    }
  while (shumate_viewport_get_zoom_level (viewport) != zoom);
  wait.n = civic_map_layer_get_n_drawn (layer);
  g_assert_true (civic_test_spin_until (list_has_rows, &wait, 5000));
  /* Rebuilt under the keyboard user's feet, the list kept the focus. */
  g_assert_true (focus_in (GTK_WIDGET (f->window), GTK_WIDGET (list)));

  civic_map_view_set_list_shown (f->view, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/map/clusters-drawn", Fixture, NULL, fixture_set_up, test_clusters_drawn, fixture_tear_down);
  g_test_add ("/map/click-point", Fixture, NULL, fixture_set_up, test_click_point, fixture_tear_down);
  g_test_add ("/map/click-cluster", Fixture, NULL, fixture_set_up, test_click_cluster, fixture_tear_down);
  g_test_add ("/map/select-area", Fixture, NULL, fixture_set_up, test_select_area, fixture_tear_down);
  g_test_add ("/map/filter-and-changes", Fixture, NULL, fixture_set_up, test_filter_and_changes, fixture_tear_down);
  g_test_add ("/map/no-tiles", Fixture, NULL, fixture_set_up, test_no_tiles, fixture_tear_down);
  g_test_add ("/map/keyboard-list", Fixture, NULL, fixture_set_up, test_keyboard_list, fixture_tear_down);

  return g_test_run ();
}
