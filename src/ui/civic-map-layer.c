/* civic-map-layer.c
 *
 * The reports on the map, drawn in one snapshot. One widget per report
 * does not scale (1,000 ShumateMarkers already make 42 ms frames); here a
 * frame asks the cluster index for what is on screen (a few hundred
 * clusters at most) and draws each as a cached sprite texture plus its
 * count, which the GL renderer batches.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "civic-map-layer.h"

/* Pixels beyond the edges still queried, so clusters slide in whole. */
#define MARGIN 40.0
#define POINT_RADIUS 6.5
/* Room for the white edge, and for the overdue ring around it. */
#define EDGE 1.5
#define RING 5.0
#define PICK_SLOP 4.0
#define MAX_SPRITES 4096

struct _CivicMapLayer
{
  ShumateLayer parent_instance;

  CivicClusterIndex *index;   /* borrowed; see civic_map_layer_set_index() */
  GHashTable *colours;        /* owned: department id → GdkRGBA */
  GHashTable *sprites;        /* owned: sprite key → GdkTexture */
  GArray *drawn;              /* owned: Drawn, the last frame's clusters */
  int sprite_scale;
  int cluster_zoom;
  gboolean heat;
  gboolean show_grid;
  gboolean has_selection;
  double selection_lat;
  double selection_lon;
  gboolean dragging;           /* a Shift-drag is drawing an area */
  graphene_rect_t area;        /* its rectangle, in the layer's coordinates */
};

typedef struct
{
  CivicCluster cluster;
  double x;
  double y;
  double radius;
} Drawn;

enum {
  SIGNAL_CLUSTER_CLICKED,
  SIGNAL_AREA_SELECTED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (CivicMapLayer, civic_map_layer, SHUMATE_TYPE_LAYER)

static guint signals[N_SIGNALS];

static const GdkRGBA unknown_colour = { 0.467, 0.463, 0.482, 1.0 };   /* #77767b */
static const GdkRGBA overdue_colour = { 0.878, 0.106, 0.141, 1.0 };   /* #e01b24 */
static const GdkRGBA selection_colour = { 0.208, 0.518, 0.894, 1.0 }; /* #3584e4 */
static const GdkRGBA label_colour = { 1.0, 1.0, 1.0, 1.0 };

static double
cluster_radius (guint count)
{
  if (count <= 1)
    return POINT_RADIUS;
  return MIN (10.0 + 2.6 * log2 ((double) count), 25.0);
}

static const GdkRGBA *
department_colour (CivicMapLayer *self,
                   gint64         department_id)
{
  const GdkRGBA *colour = g_hash_table_lookup (self->colours, &department_id);

  return colour != NULL ? colour : &unknown_colour;
}

static guint32
pack_rgba (const GdkRGBA *c)
{
  return ((guint32) (c->red * 255) << 24) | ((guint32) (c->green * 255) << 16) |
         ((guint32) (c->blue * 255) << 8) | (guint32) (c->alpha * 255);
}

/* A report or cluster as an image: a pie of its two main departments
 * (the second's share rounded to quarters), a white edge, a red ring
 * when something in it is overdue. Drawn once per look, then reused. */
static GdkTexture *
draw_sprite (const GdkRGBA *main_colour,
             const GdkRGBA *second_colour,
             int            second_quarters,
             double         radius,
             gboolean       overdue,
             gboolean       selection,
             const char    *label,
             int            scale,
             int           *size_out)
{
  /* No more transparent margin than needed: software GL pays for every
   * blended pixel, and sprites are most of what the layer costs. */
  int size = (int) ceil (2.0 * (radius + (overdue || selection ? RING : EDGE))) + 1;
  double c = size / 2.0;
  cairo_surface_t *surface;
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture;
  cairo_t *cr;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size * scale, size * scale);
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);

  if (selection)
    {
      cairo_arc (cr, c, c, radius + 2.0, 0, 2 * G_PI);
      gdk_cairo_set_source_rgba (cr, &selection_colour);
      cairo_set_line_width (cr, 3.0);
      cairo_stroke (cr);
    }
  else
    {
      double split = -G_PI / 2 + 2 * G_PI * (1.0 - second_quarters / 4.0);

      if (overdue)
        {
          cairo_arc (cr, c, c, radius + 3.0, 0, 2 * G_PI);
          gdk_cairo_set_source_rgba (cr, &overdue_colour);
          cairo_set_line_width (cr, 3.0);
          cairo_stroke (cr);
        }

      cairo_move_to (cr, c, c);
      cairo_arc (cr, c, c, radius, -G_PI / 2, split);
      cairo_close_path (cr);
      gdk_cairo_set_source_rgba (cr, main_colour);
      cairo_fill (cr);
      if (second_quarters > 0)
        {
          cairo_move_to (cr, c, c);
          cairo_arc (cr, c, c, radius, split, 3 * G_PI / 2);
          cairo_close_path (cr);
          gdk_cairo_set_source_rgba (cr, second_colour);
          cairo_fill (cr);
        }

      cairo_arc (cr, c, c, radius, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);

      if (label != NULL)
        {
          PangoLayout *layout = pango_cairo_create_layout (cr);
          PangoFontDescription *font = pango_font_description_from_string ("Sans Bold 8");
          int w, h;

          pango_layout_set_font_description (layout, font);
          pango_layout_set_text (layout, label, -1);
          pango_layout_get_pixel_size (layout, &w, &h);
          cairo_move_to (cr, round (c - w / 2.0), round (c - h / 2.0));
          gdk_cairo_set_source_rgba (cr, &label_colour);
          pango_cairo_show_layout (cr, layout);
          pango_font_description_free (font);
          g_object_unref (layout);
        }
    }

  cairo_destroy (cr);
  cairo_surface_flush (surface);

  /* Cairo's ARGB32 is GDK_MEMORY_DEFAULT (premultiplied, native order). */
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * size * scale);
  texture = gdk_memory_texture_new (size * scale, size * scale, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);

  *size_out = size;
  return texture;
}

static void
format_count (guint  count,
              char  *text,
              gsize  size)
{
  if (count < 1000)
    g_snprintf (text, size, "%u", count);
  else if (count < 10000)
    g_snprintf (text, size, "%.1fk", count / 1000.0);
  else
    g_snprintf (text, size, "%uk", count / 1000);
}

/* A cluster's image, count included: drawn with Cairo once, then reused.
 * Small textures share the GL renderer's atlas, so a frame of them is a
 * few draw calls; counts as text nodes cost more than the map itself. */
static GdkTexture *
get_sprite (CivicMapLayer      *self,
            const CivicCluster *cluster,
            gboolean            selection,
            double              radius,
            int                *size)
{
  const GdkRGBA *main_colour = &unknown_colour;
  const GdkRGBA *second_colour = &unknown_colour;
  int quarters = 0;
  gboolean overdue = FALSE;
  char label[16] = "";
  char key[96];
  GdkTexture *texture;

  if (!selection && cluster != NULL)
    {
      if (cluster->n_departments > 0)
        main_colour = department_colour (self, cluster->departments[0].department_id);
      if (cluster->n_departments > 1)
        {
          second_colour = department_colour (self, cluster->departments[1].department_id);
          quarters = (int) floor (4.0 * (cluster->count - cluster->departments[0].count) / cluster->count + 0.5);
          quarters = CLAMP (quarters, 1, 2);
        }
      overdue = cluster->overdue_count > 0;
      if (cluster->count > 1)
        format_count (cluster->count, label, sizeof label);
    }

  g_snprintf (key, sizeof key, "%08x:%08x:%d:%d:%d:%d:%s",
              pack_rgba (main_colour), pack_rgba (second_colour), quarters,
              (int) (radius * 4), overdue * 2 + selection, self->sprite_scale, label);

  texture = g_hash_table_lookup (self->sprites, key);
  if (texture == NULL)
    {
      /* Counts vary: keep the cache from growing without end. */
      if (g_hash_table_size (self->sprites) > MAX_SPRITES)
        g_hash_table_remove_all (self->sprites);
      texture = draw_sprite (main_colour, second_colour, quarters, radius, overdue, selection,
                             label[0] != '\0' ? label : NULL, self->sprite_scale, size);
      g_hash_table_insert (self->sprites, g_strdup (key), texture);
    }

  *size = gdk_texture_get_width (texture) / self->sprite_scale;
  return texture;
}

static void
snapshot_grid (CivicMapLayer   *self,
               GtkSnapshot     *snapshot,
               ShumateViewport *viewport,
               int              width,
               int              height)
{
  static const GdkRGBA light_paper = { 0.949, 0.945, 0.937, 1.0 };
  static const GdkRGBA light_line = { 0.753, 0.749, 0.737, 1.0 };
  static const GdkRGBA dark_paper = { 0.188, 0.188, 0.196, 1.0 };
  static const GdkRGBA dark_line = { 0.290, 0.290, 0.302, 1.0 };
  /* In a dark session, a dark grid: no white page where tiles are missing. */
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  const GdkRGBA *paper = dark ? &dark_paper : &light_paper;
  const GdkRGBA *line = dark ? &dark_line : &light_line;
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double step = 256.0 * exp2 (zoom - floor (zoom));
  double lat, lon, wx, wy;

  gtk_snapshot_append_color (snapshot, paper, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* Lines where the missing tiles' edges would be. */
  shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (self), 0, 0, &lat, &lon);
  civic_cluster_project (lat, lon, zoom, &wx, &wy);
  for (double x = step - fmod (wx, step); x < width; x += step)
    gtk_snapshot_append_color (snapshot, line, &GRAPHENE_RECT_INIT (floor (x), 0, 1, height));
  for (double y = step - fmod (wy, step); y < height; y += step)
    gtk_snapshot_append_color (snapshot, line, &GRAPHENE_RECT_INIT (0, floor (y), width, 1));
}

static void
snapshot_heat (CivicMapLayer *self,
               GtkSnapshot   *snapshot)
{
  guint max_count = 1;

  for (guint i = 0; i < self->drawn->len; i++)
    max_count = MAX (max_count, g_array_index (self->drawn, Drawn, i).cluster.count);

  for (guint i = 0; i < self->drawn->len; i++)
    {
      const Drawn *d = &g_array_index (self->drawn, Drawn, i);
      double weight = log1p (d->cluster.count) / log1p (max_count);
      float alpha = (float) (0.2 + 0.6 * weight);
      float r = (float) (24.0 + 8.0 * log2 (d->cluster.count + 1.0));
      GskColorStop stops[] = {
        { 0.0f, { 0.878f, 0.106f, 0.141f, alpha } },
        { 0.45f, { 1.0f, 0.471f, 0.0f, alpha * 0.55f } },
        { 1.0f, { 0.965f, 0.827f, 0.176f, 0.0f } },
      };

      gtk_snapshot_append_radial_gradient (snapshot,
                                           &GRAPHENE_RECT_INIT (d->x - r, d->y - r, 2 * r, 2 * r),
                                           &GRAPHENE_POINT_INIT (d->x, d->y),
                                           r, r, 0.0f, 1.0f, stops, G_N_ELEMENTS (stops));
    }
}

static void
snapshot_markers (CivicMapLayer *self,
                  GtkSnapshot   *snapshot)
{
  for (guint i = 0; i < self->drawn->len; i++)
    {
      const Drawn *d = &g_array_index (self->drawn, Drawn, i);
      int size;
      GdkTexture *sprite = get_sprite (self, &d->cluster, FALSE, d->radius, &size);

      gtk_snapshot_append_texture (snapshot, sprite,
                                   &GRAPHENE_RECT_INIT (d->x - size / 2.0, d->y - size / 2.0, size, size));
    }
}

static void
visible_bounds (CivicMapLayer   *self,
                ShumateViewport *viewport,
                int              width,
                int              height,
                double          *west,
                double          *south,
                double          *east,
                double          *north)
{
  const double corners[4][2] = {
    { -MARGIN, -MARGIN }, { width + MARGIN, -MARGIN },
    { -MARGIN, height + MARGIN }, { width + MARGIN, height + MARGIN },
  };

  *west = *south = G_MAXDOUBLE;
  *east = *north = -G_MAXDOUBLE;
  for (guint i = 0; i < G_N_ELEMENTS (corners); i++)
    {
      double lat, lon;

      shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (self),
                                                  corners[i][0], corners[i][1], &lat, &lon);
      *west = MIN (*west, lon);
      *east = MAX (*east, lon);
      *south = MIN (*south, lat);
      *north = MAX (*north, lat);
    }

  *west = CLAMP (*west, -180.0, 180.0);
  *east = CLAMP (*east, -180.0, 180.0);
  *south = CLAMP (*south, -90.0, 90.0);
  *north = CLAMP (*north, -90.0, 90.0);
}

static void
civic_map_layer_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  CivicMapLayer *self = CIVIC_MAP_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GArray) clusters = NULL;
  double west, south, east, north;
  int scale;

  g_array_set_size (self->drawn, 0);
  if (width <= 0 || height <= 0 || viewport == NULL)
    return;

  scale = gtk_widget_get_scale_factor (widget);
  if (scale != self->sprite_scale)
    {
      g_hash_table_remove_all (self->sprites);
      self->sprite_scale = scale;
    }

  if (self->show_grid)
    snapshot_grid (self, snapshot, viewport, width, height);

  if (self->index != NULL)
    {
      self->cluster_zoom = CLAMP ((int) floor (shumate_viewport_get_zoom_level (viewport) + 0.5),
                                  0, CIVIC_CLUSTER_MAX_ZOOM);
      visible_bounds (self, viewport, width, height, &west, &south, &east, &north);
      clusters = civic_cluster_index_query (self->index, west, south, east, north, self->cluster_zoom);

      g_array_set_size (self->drawn, clusters->len);
      for (guint i = 0; i < clusters->len; i++)
        {
          Drawn *d = &g_array_index (self->drawn, Drawn, i);

          d->cluster = g_array_index (clusters, CivicCluster, i);
          shumate_viewport_location_to_widget_coords (viewport, widget, d->cluster.lat, d->cluster.lon,
                                                      &d->x, &d->y);
          d->radius = cluster_radius (d->cluster.count);
        }

      if (self->heat)
        snapshot_heat (self, snapshot);
      else
        snapshot_markers (self, snapshot);
    }

  if (self->dragging)
    {
      static const GdkRGBA fill = { 0.208f, 0.518f, 0.894f, 0.15f };
      const GdkRGBA edges[4] = { selection_colour, selection_colour, selection_colour, selection_colour };
      const float widths[4] = { 1.5f, 1.5f, 1.5f, 1.5f };
      GskRoundedRect outline;

      gtk_snapshot_append_color (snapshot, &fill, &self->area);
      gsk_rounded_rect_init_from_rect (&outline, &self->area, 0);
      gtk_snapshot_append_border (snapshot, &outline, widths, edges);
    }

  if (self->has_selection)
    {
      double x, y;
      int size;
      GdkTexture *sprite = get_sprite (self, NULL, TRUE, 12.0, &size);

      shumate_viewport_location_to_widget_coords (viewport, widget, self->selection_lat,
                                                  self->selection_lon, &x, &y);
      gtk_snapshot_append_texture (snapshot, sprite,
                                   &GRAPHENE_RECT_INIT (x - size / 2.0, y - size / 2.0, size, size));
    }
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   CivicMapLayer   *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  CivicCluster cluster;

  if (n_press != 1 || !civic_map_layer_pick (self, x, y, &cluster))
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  g_signal_emit (self, signals[SIGNAL_CLUSTER_CLICKED], 0, &cluster, x, y, button);
}

static void
update_area (CivicMapLayer *self,
             double         start_x,
             double         start_y,
             double         offset_x,
             double         offset_y)
{
  self->area = GRAPHENE_RECT_INIT (MIN (start_x, start_x + offset_x), MIN (start_y, start_y + offset_y),
                                   fabs (offset_x), fabs (offset_y));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Shift-drag draws an area to act on; a plain drag pans the map. */
static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               CivicMapLayer  *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  if (!(state & GDK_SHIFT_MASK))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->dragging = TRUE;
  update_area (self, x, y, 0, 0);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                CivicMapLayer  *self)
{
  double x, y;

  if (!self->dragging)
    return;

  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  update_area (self, x, y, offset_x, offset_y);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             CivicMapLayer  *self)
{
  double x, y;

  if (!self->dragging)
    return;

  self->dragging = FALSE;
  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (fabs (offset_x) > 4 && fabs (offset_y) > 4)
    g_signal_emit (self, signals[SIGNAL_AREA_SELECTED], 0, x, y, x + offset_x, y + offset_y);
}

static void
viewport_notify_cb (CivicMapLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
civic_map_layer_constructed (GObject *object)
{
  CivicMapLayer *self = (CivicMapLayer *) object;
  ShumateViewport *viewport;

  G_OBJECT_CLASS (civic_map_layer_parent_class)->constructed (object);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  if (viewport != NULL)
    g_signal_connect_object (viewport, "notify", G_CALLBACK (viewport_notify_cb), self, G_CONNECT_SWAPPED);
}

static void
civic_map_layer_finalize (GObject *object)
{
  CivicMapLayer *self = (CivicMapLayer *) object;

  g_clear_pointer (&self->colours, g_hash_table_unref);
  g_clear_pointer (&self->sprites, g_hash_table_unref);
  g_clear_pointer (&self->drawn, g_array_unref);

  G_OBJECT_CLASS (civic_map_layer_parent_class)->finalize (object);
}

static void
civic_map_layer_class_init (CivicMapLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = civic_map_layer_constructed;
  object_class->finalize = civic_map_layer_finalize;

  widget_class->snapshot = civic_map_layer_snapshot;

  /**
   * CivicMapLayer::cluster-clicked:
   * @cluster: (type gpointer): the CivicCluster under the pointer
   * @x: where, in the layer's coordinates
   * @y: where, in the layer's coordinates
   * @button: the mouse button (1 primary, 3 secondary)
   */
  signals[SIGNAL_CLUSTER_CLICKED] =
    g_signal_new ("cluster-clicked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_POINTER, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_UINT);

  /**
   * CivicMapLayer::area-selected:
   * @x0: one corner, in the layer's coordinates
   * @y0: one corner
   * @x1: the opposite corner
   * @y1: the opposite corner
   *
   * A rectangle drawn with Shift-drag.
   */
  signals[SIGNAL_AREA_SELECTED] =
    g_signal_new ("area-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
}

static void
civic_map_layer_init (CivicMapLayer *self)
{
  GtkGesture *click;
  GtkGesture *drag;

  self->colours = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) gdk_rgba_free);
  self->sprites = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->drawn = g_array_new (FALSE, FALSE, sizeof (Drawn));
  self->sprite_scale = 1;

  /* The grid follows the session's light or dark style. */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}

CivicMapLayer *
civic_map_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (CIVIC_TYPE_MAP_LAYER, "viewport", viewport, NULL);
}

void
civic_map_layer_set_index (CivicMapLayer     *self,
                           CivicClusterIndex *index)
{
  g_return_if_fail (CIVIC_IS_MAP_LAYER (self));

  self->index = index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

CivicClusterIndex *
civic_map_layer_get_index (CivicMapLayer *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_LAYER (self), NULL);

  return self->index;
}

void
civic_map_layer_set_department_colour (CivicMapLayer *self,
                                       gint64         department_id,
                                       const GdkRGBA *colour)
{
  g_return_if_fail (CIVIC_IS_MAP_LAYER (self));
  g_return_if_fail (colour != NULL);

  g_hash_table_insert (self->colours, g_memdup2 (&department_id, sizeof department_id), gdk_rgba_copy (colour));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
civic_map_layer_set_heat (CivicMapLayer *self,
                          gboolean       heat)
{
  g_return_if_fail (CIVIC_IS_MAP_LAYER (self));

  self->heat = !!heat;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
civic_map_layer_get_heat (CivicMapLayer *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_LAYER (self), FALSE);

  return self->heat;
}

void
civic_map_layer_set_show_grid (CivicMapLayer *self,
                               gboolean       show_grid)
{
  g_return_if_fail (CIVIC_IS_MAP_LAYER (self));

  self->show_grid = !!show_grid;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
civic_map_layer_get_show_grid (CivicMapLayer *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_LAYER (self), FALSE);

  return self->show_grid;
}

void
civic_map_layer_set_selection (CivicMapLayer *self,
                               gboolean       has_selection,
                               double         lat,
                               double         lon)
{
  g_return_if_fail (CIVIC_IS_MAP_LAYER (self));

  self->has_selection = has_selection;
  self->selection_lat = lat;
  self->selection_lon = lon;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
civic_map_layer_get_n_drawn (CivicMapLayer *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_LAYER (self), 0);

  return self->drawn->len;
}

const CivicCluster *
civic_map_layer_get_drawn (CivicMapLayer *self,
                           guint          i,
                           double        *x,
                           double        *y)
{
  const Drawn *d;

  g_return_val_if_fail (CIVIC_IS_MAP_LAYER (self), NULL);
  g_return_val_if_fail (i < self->drawn->len, NULL);

  d = &g_array_index (self->drawn, Drawn, i);
  if (x != NULL)
    *x = d->x;
  if (y != NULL)
    *y = d->y;
  return &d->cluster;
}

int
civic_map_layer_get_cluster_zoom (CivicMapLayer *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_LAYER (self), 0);

  return self->cluster_zoom;
}

gboolean
civic_map_layer_pick (CivicMapLayer *self,
                      double         x,
                      double         y,
                      CivicCluster  *out)
{
  double best = G_MAXDOUBLE;
  const Drawn *hit = NULL;

  g_return_val_if_fail (CIVIC_IS_MAP_LAYER (self), FALSE);

  /* The nearest centre among the markers under the pointer. */
  for (guint i = 0; i < self->drawn->len; i++)
    {
      const Drawn *d = &g_array_index (self->drawn, Drawn, i);
      double distance = hypot (d->x - x, d->y - y);

      if (distance <= d->radius + PICK_SLOP && distance < best)
        {
          best = distance;
          hit = d;
        }
    }

  if (hit == NULL)
    return FALSE;

  if (out != NULL)
    *out = hit->cluster;
  return TRUE;
}
