/* civic-map-view.c
 *
 * The map page: ShumateSimpleMap, the basemap chosen in the settings, and
 * a CivicMapLayer drawing the store's reports from a CivicClusterIndex.
 *
 * Points are read from the store in slices between frames (a town may
 * have a hundred thousand) and the index is rebuilt in one bulk load when
 * the last slice is in, then swapped in whole.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "civic-basemap.h"
#include "civic-answer-all-dialog.h"
#include "civic-cluster-index.h"
#include "civic-map-list.h"
#include "civic-map-view.h"
#include "civic-mbtiles-source.h"
#include "civic-store-geo.h"
#include "civic-workflow.h"

#define RELOAD_DELAY_MS 300
#define SLICE 5000
/* Overdue flags change with time alone. */
#define REFRESH_SECONDS 60
#define MAX_LISTED 200
/* The list follows the map once it has settled, not every frame. */
#define LIST_DELAY_MS 250
#define LIST_WIDTH 320

struct _CivicMapView
{
  GtkWidget parent_instance;

  /* Template children */
  GtkOverlay *overlay;
  ShumateSimpleMap *map;
  GtkRevealer *banner;
  GtkLabel *banner_label;
  GtkToggleButton *heat_button;
  GtkToggleButton *list_button;
  GtkRevealer *list_revealer;
  GtkLabel *count_label;
  CivicMapList *list;            /* borrowed: inside list_revealer */
  GArray *listed;                /* owned: ListedCluster, what the list shows */

  CivicContext *context;         /* owned */
  GSettings *settings;           /* owned, nullable: absent schema in some tests */
  CivicQueueFilter *filter;      /* owned */
  CivicMapLayer *layer;          /* owned: the reports, above the tiles */
  CivicMapLayer *grid_layer;     /* owned: a neutral grid, under the tiles */
  ShumateDataSource *tiles;      /* owned: the basemap's data source */
  CivicClusterIndex *index;      /* owned, shown by the layer */
  GArray *loading_points;        /* owned while loading: CivicClusterPoint */
  GtkWidget *popover;            /* owned (parented to self) */
  GArray *popover_ids;           /* owned: the listed cluster's members */
  GtkLabel *popover_status;      /* borrowed: inside popover */
  GtkDropDown *popover_departments; /* borrowed: inside popover */
  GArray *department_ids;        /* owned: gint64, in popover_departments' order */
  gint64 load_after_id;
  gint64 load_now_ms;
  gint64 selected_id;
  double min_lat, max_lat, min_lon, max_lon;
  guint n_points;
  guint reload_source;
  guint load_source;
  guint refresh_source;
  guint list_source;
  gboolean reload_pending;
  gboolean positioned;
};

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_HEAT,
  PROP_SELECTED_MENTION,
  PROP_N_POINTS,
  PROP_LOADING,
  PROP_TILES_FAILING,
  N_PROPS
};

enum {
  SIGNAL_MENTION_ACTIVATED,
  SIGNAL_CLUSTER_ACTIVATED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (CivicMapView, civic_map_view, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* A cluster as the list shows it, with where the map drew it. */
typedef struct
{
  CivicCluster cluster;
  double x;
  double y;
} ListedCluster;

static void start_load (CivicMapView *self);
static void schedule_list (CivicMapView *self);

static gboolean
tiles_failing (CivicMapView *self)
{
  gboolean failing = FALSE;

  if (self->tiles != NULL)
    g_object_get (self->tiles, "failing", &failing, NULL);

  return failing;
}

static void
update_banner (CivicMapView *self)
{
  gboolean failing = tiles_failing (self);

  if (gtk_revealer_get_reveal_child (self->banner) == failing)
    return;

  gtk_revealer_set_reveal_child (self->banner, failing);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TILES_FAILING]);
}

static void
tiles_failing_cb (CivicMapView *self)
{
  update_banner (self);
}

/* Shows @source's tiles, keeping the reports on top: ShumateSimpleMap
 * puts the first base map above every layer added before it. */
static void
apply_map_source (CivicMapView     *self,
                  ShumateMapSource *source)
{
  shumate_simple_map_set_map_source (self->map, source);

  if (gtk_widget_get_parent (GTK_WIDGET (self->layer)) != NULL)
    shumate_simple_map_remove_overlay_layer (self->map, SHUMATE_LAYER (self->layer));
  shumate_simple_map_add_overlay_layer (self->map, SHUMATE_LAYER (self->layer));
}

/* No tiles at all: say why, and show the grid alone (a source whose
 * every tile fails at once, rather than the last basemap's tiles). */
static void
show_no_tiles (CivicMapView *self,
               const char   *message)
{
  g_autoptr(ShumateMapSource) source = civic_basemap_new_empty ();

  apply_map_source (self, source);
  gtk_label_set_label (self->banner_label, message);
  gtk_revealer_set_reveal_child (self->banner, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TILES_FAILING]);
}

/* The basemap, from the settings: an MBTiles file when one is chosen,
 * else the tile server (OpenStreetMap unless the town has its own). */
static void
setup_tiles (CivicMapView *self)
{
  g_autoptr(ShumateMapSource) source = NULL;
  g_autoptr(GError) error = NULL;

  if (self->tiles != NULL)
    g_signal_handlers_disconnect_by_data (self->tiles, self);
  g_clear_object (&self->tiles);

  gtk_revealer_set_reveal_child (self->banner, FALSE);

  source = civic_basemap_new (self->settings, &self->tiles, &error);
  if (source == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
        message = g_strdup (_("The map tile address in the preferences needs {z}, {x} and {y}. "
                              "The reports are shown over a plain grid."));
      else
        message = g_strdup_printf (_("The offline map cannot be opened: %s"), error->message);
      show_no_tiles (self, message);
      return;
    }

  if (CIVIC_IS_MBTILES_SOURCE (self->tiles))
    gtk_label_set_label (self->banner_label,
                         _("The offline map has no tiles here. The reports are shown over a plain grid."));
  else
    gtk_label_set_label (self->banner_label,
                         _("The map tiles cannot be loaded. The reports are shown over a plain grid."));

  g_signal_connect_object (self->tiles, "notify::failing", G_CALLBACK (tiles_failing_cb), self,
                           G_CONNECT_SWAPPED);
  apply_map_source (self, source);
}

static void
settings_changed_cb (CivicMapView *self,
                     const char   *key)
{
  if (civic_basemap_is_setting (key))
    setup_tiles (self);
}

static void
update_count (CivicMapView *self)
{
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u report on the map",
                                                        "%u reports on the map", self->n_points),
                                           self->n_points);

  gtk_label_set_label (self->count_label, text);
}

static void
load_department_colours (CivicMapView *self)
{
  g_autoptr(GPtrArray) departments = NULL;

  departments = civic_store_list_departments_brief (civic_context_get_store (self->context), NULL);
  if (departments == NULL)
    return;

  for (guint i = 0; i < departments->len; i++)
    {
      CivicDepartment *department = g_ptr_array_index (departments, i);
      GdkRGBA colour;

      if (gdk_rgba_parse (&colour, civic_department_get_colour (department)))
        civic_map_layer_set_department_colour (self->layer, civic_department_get_id (department), &colour);
    }
}

/* The first time there are points, show them all. */
static void
fit_points (CivicMapView *self)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double x0, y0, x1, y1, zoom;

  if (self->n_points == 0)
    return;

  if (width <= 0 || height <= 0)
    {
      width = 800;
      height = 600;
    }

  civic_cluster_project (self->max_lat, self->min_lon, 0, &x0, &y0);
  civic_cluster_project (self->min_lat, self->max_lon, 0, &x1, &y1);
  zoom = log2 (MIN (width / MAX (x1 - x0, 1e-9), height / MAX (y1 - y0, 1e-9)) * 0.8);
  zoom = CLAMP (zoom, 2.0, 17.0);

  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_location_set_location (SHUMATE_LOCATION (viewport),
                                 (self->min_lat + self->max_lat) / 2, (self->min_lon + self->max_lon) / 2);
  self->positioned = TRUE;
}

static void
finish_load (CivicMapView *self)
{
  CivicClusterIndex *index = civic_cluster_index_new ();

  civic_cluster_index_add_many (index, (const CivicClusterPoint *) (gpointer) self->loading_points->data,
                                self->loading_points->len);
  civic_map_layer_set_index (self->layer, index);
  g_clear_pointer (&self->index, civic_cluster_index_free);
  self->index = index;
  schedule_list (self);

  self->n_points = self->loading_points->len;
  g_clear_pointer (&self->loading_points, g_array_unref);
  update_count (self);

  if (!self->positioned)
    fit_points (self);

  /* The selected mention may have moved, changed or gone. */
  civic_map_view_set_selected_mention (self, self->selected_id);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_POINTS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static gboolean
load_slice_cb (gpointer user_data)
{
  CivicMapView *self = user_data;
  g_autoptr(GArray) slice = NULL;
  g_autoptr(GError) error = NULL;

  if (self->reload_pending)
    {
      /* The store changed under the load: start over. */
      self->reload_pending = FALSE;
      g_array_set_size (self->loading_points, 0);
      self->load_after_id = 0;
      self->load_now_ms = civic_context_get_now_ms (self->context);
    }

  slice = civic_store_list_map_points (civic_context_get_store (self->context), self->filter,
                                       self->load_now_ms, self->load_after_id, SLICE, &error);
  if (slice == NULL)
    {
      g_warning ("Could not load the map’s reports: %s", error->message);
      self->load_source = 0;
      g_clear_pointer (&self->loading_points, g_array_unref);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      return G_SOURCE_REMOVE;
    }

  for (guint i = 0; i < slice->len; i++)
    {
      const CivicClusterPoint *p = &g_array_index (slice, CivicClusterPoint, i);

      if (self->loading_points->len == 0 && i == 0)
        {
          self->min_lat = self->max_lat = p->lat;
          self->min_lon = self->max_lon = p->lon;
        }
      self->min_lat = MIN (self->min_lat, p->lat);
      self->max_lat = MAX (self->max_lat, p->lat);
      self->min_lon = MIN (self->min_lon, p->lon);
      self->max_lon = MAX (self->max_lon, p->lon);
    }
  if (slice->len > 0)
    self->load_after_id = g_array_index (slice, CivicClusterPoint, slice->len - 1).id;
  g_array_append_vals (self->loading_points, slice->data, slice->len);

  if (slice->len == SLICE)
    return G_SOURCE_CONTINUE;

  self->load_source = 0;
  finish_load (self);
  return G_SOURCE_REMOVE;
}

static void
start_load (CivicMapView *self)
{
  g_clear_handle_id (&self->reload_source, g_source_remove);

  if (self->load_source != 0)
    {
      self->reload_pending = TRUE;
      return;
    }

  load_department_colours (self);
  self->loading_points = g_array_new (FALSE, FALSE, sizeof (CivicClusterPoint));
  self->load_after_id = 0;
  self->load_now_ms = civic_context_get_now_ms (self->context);
  self->reload_pending = FALSE;
  /* Below redraws: a slice never holds a frame back. */
  self->load_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE + 20, load_slice_cb, self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static gboolean
reload_timeout_cb (gpointer user_data)
{
  CivicMapView *self = user_data;

  self->reload_source = 0;
  start_load (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reload (CivicMapView *self)
{
  if (self->load_source != 0)
    {
      self->reload_pending = TRUE;
      return;
    }

  if (self->reload_source == 0)
    self->reload_source = g_timeout_add (RELOAD_DELAY_MS, reload_timeout_cb, self);
}

static void
store_changed_cb (CivicMapView *self)
{
  schedule_reload (self);
}

static gboolean
refresh_cb (gpointer user_data)
{
  schedule_reload (user_data);
  return G_SOURCE_CONTINUE;
}

/* Cluster members: a list, and the same action for all of them. */

static void
popover_closed_cb (CivicMapView *self)
{
  g_clear_pointer (&self->popover_ids, g_array_unref);
}

static void
member_activated_cb (GtkListBox    *list,
                     GtkListBoxRow *row,
                     CivicMapView  *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (row), "mention-id");

  gtk_popover_popdown (GTK_POPOVER (self->popover));
  civic_map_view_set_selected_mention (self, id);
  g_signal_emit (self, signals[SIGNAL_MENTION_ACTIVATED], 0, id);
}

static void
report_batch (CivicMapView *self,
              char         *done,
              GArray       *refused)
{
  g_autofree char *owned_done = done;
  g_autofree char *text = NULL;

  if (refused != NULL && refused->len > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s; %u was left as it is (claimed by someone else, or in another state)",
                                         "%s; %u were left as they are (claimed by someone else, or in another state)",
                                         refused->len),
                            owned_done, refused->len);
  else
    text = g_steal_pointer (&owned_done);

  gtk_label_set_label (self->popover_status, text);
  gtk_widget_set_visible (GTK_WIDGET (self->popover_status), TRUE);
}

static void
claim_all_cb (CivicMapView *self)
{
  g_autoptr(GArray) refused = NULL;
  guint n_done;
  g_autoptr(GError) error = NULL;

  if (self->popover_ids == NULL)
    return;

  if (!civic_workflow_claim_many (civic_context_get_store (self->context),
                                  (const gint64 *) (gpointer) self->popover_ids->data, self->popover_ids->len,
                                  civic_context_get_person (self->context),
                                  civic_context_get_desk_name (self->context),
                                  civic_context_get_now_ms (self->context), &refused, &error))
    {
      gtk_label_set_label (self->popover_status, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->popover_status), TRUE);
      return;
    }

  n_done = self->popover_ids->len - (refused != NULL ? refused->len : 0);
  report_batch (self, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u claimed", "%u claimed", n_done), n_done),
                refused);
}

static void
close_all_cb (CivicMapView *self)
{
  g_autoptr(GArray) refused = NULL;
  guint n_done;
  g_autoptr(GError) error = NULL;

  if (self->popover_ids == NULL)
    return;

  if (!civic_workflow_close_many (civic_context_get_store (self->context),
                                  (const gint64 *) (gpointer) self->popover_ids->data, self->popover_ids->len,
                                  civic_context_get_person (self->context),
                                  civic_context_get_desk_name (self->context),
                                  civic_context_get_now_ms (self->context), &refused, &error))
    {
      gtk_label_set_label (self->popover_status, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->popover_status), TRUE);
      return;
    }

  n_done = self->popover_ids->len - (refused != NULL ? refused->len : 0);
  report_batch (self, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u closed", "%u closed", n_done), n_done),
                refused);
}

static void
reassign_all_cb (CivicMapView *self)
{
  g_autoptr(GArray) refused = NULL;
  g_autoptr(GError) error = NULL;
  guint selected, n_done;

  if (self->popover_ids == NULL || self->department_ids == NULL)
    return;

  selected = gtk_drop_down_get_selected (self->popover_departments);
  if (selected >= self->department_ids->len)
    return;

  if (!civic_workflow_reassign_many (civic_context_get_store (self->context),
                                     (const gint64 *) (gpointer) self->popover_ids->data, self->popover_ids->len,
                                     g_array_index (self->department_ids, gint64, selected),
                                     civic_context_get_person (self->context),
                                     civic_context_get_desk_name (self->context),
                                     civic_context_get_now_ms (self->context), &refused, &error))
    {
      gtk_label_set_label (self->popover_status, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->popover_status), TRUE);
      return;
    }

  n_done = self->popover_ids->len - (refused != NULL ? refused->len : 0);
  report_batch (self, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u reassigned", "%u reassigned", n_done),
                                       n_done),
                refused);
}

/* One template for every citizen here: the dialog says how many replies
 * that makes, shows the first, and queues them. */
static void
answer_all_cb (CivicMapView *self)
{
  GtkWidget *dialog;

  if (self->popover_ids == NULL)
    return;

  dialog = civic_answer_all_dialog_new (self->context, GTK_WIDGET (self),
                                        (const gint64 *) (gpointer) self->popover_ids->data,
                                        self->popover_ids->len);
  gtk_popover_popdown (GTK_POPOVER (self->popover));
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
department_chooser (CivicMapView *self)
{
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *dropdown;

  g_clear_pointer (&self->department_ids, g_array_unref);
  self->department_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  departments = civic_store_list_departments_brief (civic_context_get_store (self->context), NULL);
  for (guint i = 0; departments != NULL && i < departments->len; i++)
    {
      CivicDepartment *department = g_ptr_array_index (departments, i);
      gint64 id = civic_department_get_id (department);

      gtk_string_list_append (names, civic_department_get_name (department));
      g_array_append_val (self->department_ids, id);
    }

  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
  gtk_widget_set_tooltip_text (dropdown, _("Department to send them all to"));
  self->popover_departments = GTK_DROP_DOWN (dropdown);
  return dropdown;
}

static void
show_members (CivicMapView *self,
              GArray       *ids,
              gboolean      area,
              double        x,
              double        y)
{
  g_autoptr(GPtrArray) mentions = NULL;
  g_autofree char *title = NULL;
  GtkWidget *box, *header, *scrolled, *list, *buttons, *button, *status;
  graphene_point_t point;

  mentions = civic_store_load_mentions (civic_context_get_store (self->context),
                                        (const gint64 *) (gpointer) ids->data, MIN (ids->len, MAX_LISTED), NULL);
  if (mentions == NULL)
    return;

  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  g_clear_pointer (&self->popover_ids, g_array_unref);
  self->popover_ids = g_array_ref (ids);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  if (area)
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u report in this area", "%u reports in this area",
                                          ids->len), ids->len);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u report here", "%u reports here", ids->len), ids->len);
  header = gtk_label_new (title);
  gtk_widget_add_css_class (header, "heading");
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_box_append (GTK_BOX (box), header);

  list = gtk_list_box_new ();
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  g_signal_connect (list, "row-activated", G_CALLBACK (member_activated_cb), self);
  for (guint i = 0; i < mentions->len; i++)
    {
      CivicMention *mention = g_ptr_array_index (mentions, i);
      g_autofree char *text = g_strdup_printf ("@%s — %s", civic_mention_get_author_acct (mention),
                                               civic_mention_get_text (mention));
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label = gtk_label_new (text);
      gint64 *id = g_new (gint64, 1);

      *id = civic_mention_get_id (mention);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
      gtk_widget_set_margin_start (label, 8);
      gtk_widget_set_margin_end (label, 8);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "mention-id", id, g_free);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_box_append (GTK_BOX (box), scrolled);

  /* One crew run, one click: the same action for every report here. */
  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  button = gtk_button_new_with_mnemonic (_("_Claim All"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (claim_all_cb), self);
  gtk_box_append (GTK_BOX (buttons), button);
  button = gtk_button_new_with_mnemonic (_("C_lose All"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (close_all_cb), self);
  gtk_box_append (GTK_BOX (buttons), button);
  button = gtk_button_new_with_mnemonic (_("_Answer All…"));
  gtk_widget_set_tooltip_text (button, _("Answer every citizen here with one template"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (answer_all_cb), self);
  gtk_box_append (GTK_BOX (buttons), button);
  gtk_box_append (GTK_BOX (box), buttons);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), department_chooser (self));
  button = gtk_button_new_with_mnemonic (_("_Reassign All"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (reassign_all_cb), self);
  gtk_box_append (GTK_BOX (buttons), button);
  gtk_box_append (GTK_BOX (box), buttons);

  status = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  gtk_label_set_xalign (GTK_LABEL (status), 0);
  gtk_widget_add_css_class (status, "dim-label");
  gtk_widget_set_visible (status, FALSE);
  gtk_box_append (GTK_BOX (box), status);
  self->popover_status = GTK_LABEL (status);

  self->popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (self->popover), box);
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
  g_signal_connect_swapped (self->popover, "closed", G_CALLBACK (popover_closed_cb), self);

  if (!gtk_widget_compute_point (GTK_WIDGET (self->layer), GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT (x, y), &point))
    point = GRAPHENE_POINT_INIT (x, y);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                               &(GdkRectangle) { (int) point.x - 4, (int) point.y - 4, 8, 8 });
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_popover_popup (GTK_POPOVER (self->popover));
}

static gboolean
handle_cluster (CivicMapView       *self,
                const CivicCluster *cluster,
                double              x,
                double              y,
                guint               button)
{
  g_autoptr(GArray) ids = NULL;
  int expansion;

  if (self->index == NULL)
    return FALSE;

  if (cluster->count == 1 && button != GDK_BUTTON_SECONDARY)
    {
      civic_map_view_set_selected_mention (self, cluster->point_id);
      g_signal_emit (self, signals[SIGNAL_MENTION_ACTIVATED], 0, cluster->point_id);
      return TRUE;
    }

  expansion = civic_cluster_index_get_expansion_zoom (self->index, cluster->cluster_id);
  if (button != GDK_BUTTON_SECONDARY && expansion >= 0)
    {
      ShumateMap *map = shumate_simple_map_get_map (self->map);
      double zoom = shumate_viewport_get_zoom_level (shumate_simple_map_get_viewport (self->map));

      shumate_map_go_to_full_with_duration (map, cluster->lat, cluster->lon, MAX (expansion, floor (zoom + 0.5) + 1), 250);
      return TRUE;
    }

  /* On one spot (or asked for with the secondary button): list them. */
  ids = civic_cluster_index_list_members (self->index, cluster->cluster_id);
  if (expansion < 0)
    g_signal_emit (self, signals[SIGNAL_CLUSTER_ACTIVATED], 0, ids);
  show_members (self, ids, FALSE, x, y);
  return TRUE;
}

static void
layer_area_selected_cb (CivicMapView *self,
                        double        x0,
                        double        y0,
                        double        x1,
                        double        y1)
{
  civic_map_view_select_area (self, x0, y0, x1, y1);
}

static void
layer_cluster_clicked_cb (CivicMapView       *self,
                          const CivicCluster *cluster,
                          double              x,
                          double              y,
                          guint               button)
{
  handle_cluster (self, cluster, x, y, button);
}

static void
heat_toggled_cb (GtkToggleButton *button,
                 CivicMapView    *self)
{
  civic_map_view_set_heat (self, gtk_toggle_button_get_active (button));
}

/* The list shows what the layer drew in its last frame: the same
 * clusters a mouse can click, in the same places. */
static gboolean
list_timeout_cb (gpointer user_data)
{
  CivicMapView *self = user_data;
  g_autoptr(GArray) clusters = NULL;
  guint n;

  self->list_source = 0;

  n = civic_map_layer_get_n_drawn (self->layer);
  g_array_set_size (self->listed, 0);
  clusters = g_array_sized_new (FALSE, FALSE, sizeof (CivicCluster), n);
  for (guint i = 0; i < n; i++)
    {
      ListedCluster listed;

      listed.cluster = *civic_map_layer_get_drawn (self->layer, i, &listed.x, &listed.y);
      g_array_append_val (self->listed, listed);
      g_array_append_val (clusters, listed.cluster);
    }
  civic_map_list_set_clusters (self->list, (const CivicCluster *) (gpointer) clusters->data, clusters->len);

  return G_SOURCE_REMOVE;
}

static void
schedule_list (CivicMapView *self)
{
  if (self->list == NULL || !gtk_revealer_get_reveal_child (self->list_revealer))
    return;

  g_clear_handle_id (&self->list_source, g_source_remove);
  self->list_source = g_timeout_add (LIST_DELAY_MS, list_timeout_cb, self);
}

static void
viewport_changed_cb (CivicMapView *self)
{
  schedule_list (self);
}

static void
list_toggled_cb (GtkToggleButton *button,
                 CivicMapView    *self)
{
  gboolean shown = gtk_toggle_button_get_active (button);

  gtk_revealer_set_reveal_child (self->list_revealer, shown);
  /* The banner stays over the map, centred on what is left of it. */
  gtk_widget_set_margin_end (GTK_WIDGET (self->banner),
                             shown ? LIST_WIDTH : 0);
  if (shown)
    {
      /* Straight away: a keyboard user asked for it to go into it. */
      g_clear_handle_id (&self->list_source, g_source_remove);
      list_timeout_cb (self);
      civic_map_list_focus_first (self->list);
    }
  else
    g_clear_handle_id (&self->list_source, g_source_remove);
}

static void
list_cluster_activated_cb (CivicMapList *list,
                           guint         index,
                           gboolean      list_all,
                           CivicMapView *self)
{
  ListedCluster *listed;

  if (index >= self->listed->len)
    return;

  listed = &g_array_index (self->listed, ListedCluster, index);
  handle_cluster (self, &listed->cluster, listed->x, listed->y,
                  list_all ? GDK_BUTTON_SECONDARY : GDK_BUTTON_PRIMARY);
}

static void
retry_tiles_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  setup_tiles (CIVIC_MAP_VIEW (widget));
}

static void
civic_map_view_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  CivicMapView *self = CIVIC_MAP_VIEW (widget);

  gtk_widget_measure (GTK_WIDGET (self->overlay), orientation, for_size, minimum, natural, NULL, NULL);
}

static void
civic_map_view_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  CivicMapView *self = CIVIC_MAP_VIEW (widget);

  gtk_widget_allocate (GTK_WIDGET (self->overlay), width, height, baseline, NULL);
  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
civic_map_view_constructed (GObject *object)
{
  CivicMapView *self = (CivicMapView *) object;

  G_OBJECT_CLASS (civic_map_view_parent_class)->constructed (object);

  g_return_if_fail (CIVIC_IS_CONTEXT (self->context));

  self->list = CIVIC_MAP_LIST (civic_map_list_new (self->context));
  /* The list takes its room from the map rather than covering its
   * controls; the revealer is as wide as it while shown, and nothing when
   * hidden. */
  gtk_widget_set_size_request (GTK_WIDGET (self->list), LIST_WIDTH, -1);
  gtk_revealer_set_child (self->list_revealer, GTK_WIDGET (self->list));
  g_signal_connect (self->list, "cluster-activated", G_CALLBACK (list_cluster_activated_cb), self);

  self->settings = civic_basemap_settings_new ();
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self,
                             G_CONNECT_SWAPPED);
  setup_tiles (self);

  g_signal_connect_object (civic_context_get_store (self->context), "changed",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  self->refresh_source = g_timeout_add_seconds (REFRESH_SECONDS, refresh_cb, self);
  update_count (self);
  start_load (self);
}

static void
civic_map_view_dispose (GObject *object)
{
  CivicMapView *self = (CivicMapView *) object;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_clear_handle_id (&self->load_source, g_source_remove);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->list_source, g_source_remove);
  if (self->tiles != NULL)
    g_signal_handlers_disconnect_by_data (self->tiles, self);
  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  if (self->layer != NULL)
    civic_map_layer_set_index (self->layer, NULL);
  self->list = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_MAP_VIEW);

  g_clear_object (&self->tiles);
  g_clear_object (&self->settings);
  g_clear_object (&self->context);
  g_clear_object (&self->layer);
  g_clear_object (&self->grid_layer);

  G_OBJECT_CLASS (civic_map_view_parent_class)->dispose (object);
}

static void
civic_map_view_finalize (GObject *object)
{
  CivicMapView *self = (CivicMapView *) object;

  g_clear_pointer (&self->index, civic_cluster_index_free);
  g_clear_pointer (&self->loading_points, g_array_unref);
  g_clear_pointer (&self->popover_ids, g_array_unref);
  g_clear_pointer (&self->department_ids, g_array_unref);
  g_clear_pointer (&self->filter, civic_queue_filter_free);
  g_clear_pointer (&self->listed, g_array_unref);

  G_OBJECT_CLASS (civic_map_view_parent_class)->finalize (object);
}

static void
civic_map_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CivicMapView *self = CIVIC_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_HEAT:
      g_value_set_boolean (value, civic_map_view_get_heat (self));
      break;
    case PROP_SELECTED_MENTION:
      g_value_set_int64 (value, self->selected_id);
      break;
    case PROP_N_POINTS:
      g_value_set_uint (value, self->n_points);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, civic_map_view_get_loading (self));
      break;
    case PROP_TILES_FAILING:
      g_value_set_boolean (value, civic_map_view_get_tiles_failing (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_map_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CivicMapView *self = CIVIC_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_HEAT:
      civic_map_view_set_heat (self, g_value_get_boolean (value));
      break;
    case PROP_SELECTED_MENTION:
      civic_map_view_set_selected_mention (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_map_view_class_init (CivicMapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  g_autofree char *user_agent = NULL;

  object_class->constructed = civic_map_view_constructed;
  object_class->dispose = civic_map_view_dispose;
  object_class->finalize = civic_map_view_finalize;
  object_class->get_property = civic_map_view_get_property;
  object_class->set_property = civic_map_view_set_property;

  widget_class->measure = civic_map_view_measure;
  widget_class->size_allocate = civic_map_view_size_allocate;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CIVIC_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEAT] =
    g_param_spec_boolean ("heat", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SELECTED_MENTION] =
    g_param_spec_int64 ("selected-mention", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_POINTS] =
    g_param_spec_uint ("n-points", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TILES_FAILING] =
    g_param_spec_boolean ("tiles-failing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CivicMapView::mention-activated:
   * @mention_id: the report clicked
   */
  signals[SIGNAL_MENTION_ACTIVATED] =
    g_signal_new ("mention-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * CivicMapView::cluster-activated:
   * @ids: (element-type gint64): the reports of a cluster that cannot split
   */
  signals[SIGNAL_CLUSTER_ACTIVATED] =
    g_signal_new ("cluster-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ARRAY);

  g_type_ensure (SHUMATE_TYPE_SIMPLE_MAP);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/civicdesk/CivicDesk/civic-map-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicMapView, overlay);
  gtk_widget_class_bind_template_child (widget_class, CivicMapView, map);
  gtk_widget_class_bind_template_child (widget_class, CivicMapView, banner);
  gtk_widget_class_bind_template_child (widget_class, CivicMapView, banner_label);
  gtk_widget_class_bind_template_child (widget_class, CivicMapView, heat_button);
  gtk_widget_class_bind_template_child (widget_class, CivicMapView, count_label);
  gtk_widget_class_bind_template_child (widget_class, CivicMapView, list_button);
  gtk_widget_class_bind_template_child (widget_class, CivicMapView, list_revealer);
  gtk_widget_class_bind_template_callback (widget_class, heat_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_toggled_cb);
  gtk_widget_class_install_action (widget_class, "map.retry-tiles", NULL, retry_tiles_cb);
  gtk_widget_class_set_css_name (widget_class, "civic-map-view");

  /* tile.openstreetmap.org asks every application to say who it is. */
  user_agent = g_strdup_printf ("CivicDesk/%s (town staff desk; libshumate)", PACKAGE_VERSION);
  shumate_set_user_agent (user_agent);
}

static void
civic_map_view_init (CivicMapView *self)
{
  ShumateViewport *viewport;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter = civic_queue_filter_new ();

  viewport = shumate_simple_map_get_viewport (self->map);
  shumate_viewport_set_max_zoom_level (viewport, 19);
  shumate_viewport_set_zoom_level (viewport, 2);

  /* Under the tiles, the grid shows wherever a tile is missing: never an
   * empty white page. */
  self->grid_layer = g_object_ref_sink (civic_map_layer_new (viewport));
  civic_map_layer_set_show_grid (self->grid_layer, TRUE);
  shumate_map_add_layer (shumate_simple_map_get_map (self->map), SHUMATE_LAYER (self->grid_layer));

  /* Added above the base map by apply_map_source(). */
  self->layer = g_object_ref_sink (civic_map_layer_new (viewport));
  g_signal_connect_object (self->layer, "cluster-clicked", G_CALLBACK (layer_cluster_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->layer, "area-selected", G_CALLBACK (layer_area_selected_cb), self,
                           G_CONNECT_SWAPPED);

  self->listed = g_array_new (FALSE, FALSE, sizeof (ListedCluster));
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (viewport_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::latitude", G_CALLBACK (viewport_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::longitude", G_CALLBACK (viewport_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

CivicMapView *
civic_map_view_new (CivicContext *context)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);

  return g_object_new (CIVIC_TYPE_MAP_VIEW, "context", context, NULL);
}

CivicContext *
civic_map_view_get_context (CivicMapView *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_VIEW (self), NULL);

  return self->context;
}

void
civic_map_view_set_filter (CivicMapView           *self,
                           const CivicQueueFilter *filter)
{
  g_autoptr(CivicQueueFilter) copy = NULL;

  g_return_if_fail (CIVIC_IS_MAP_VIEW (self));

  copy = filter != NULL ? civic_queue_filter_copy (filter) : civic_queue_filter_new ();
  if (civic_queue_filter_equal (copy, self->filter))
    return;

  civic_queue_filter_free (self->filter);
  self->filter = g_steal_pointer (&copy);
  start_load (self);
}

const CivicQueueFilter *
civic_map_view_get_filter (CivicMapView *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_VIEW (self), NULL);

  return self->filter;
}

gboolean
civic_map_view_get_heat (CivicMapView *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_VIEW (self), FALSE);

  return civic_map_layer_get_heat (self->layer);
}

void
civic_map_view_set_heat (CivicMapView *self,
                         gboolean      heat)
{
  g_return_if_fail (CIVIC_IS_MAP_VIEW (self));

  heat = !!heat;
  if (heat == civic_map_layer_get_heat (self->layer))
    return;

  civic_map_layer_set_heat (self->layer, heat);
  gtk_toggle_button_set_active (self->heat_button, heat);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEAT]);
}

gint64
civic_map_view_get_selected_mention (CivicMapView *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_VIEW (self), 0);

  return self->selected_id;
}

void
civic_map_view_set_selected_mention (CivicMapView *self,
                                     gint64        mention_id)
{
  g_autoptr(CivicMention) mention = NULL;
  double lat = 0, lon = 0;
  gboolean has_point = FALSE;
  gboolean changed;

  g_return_if_fail (CIVIC_IS_MAP_VIEW (self));

  changed = self->selected_id != mention_id;
  self->selected_id = mention_id;

  if (mention_id != 0)
    mention = civic_store_load_mention (civic_context_get_store (self->context), mention_id, NULL);
  if (mention != NULL)
    has_point = civic_mention_get_point (mention, &lat, &lon);
  civic_map_layer_set_selection (self->layer, has_point, lat, lon);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_MENTION]);
}

guint
civic_map_view_get_n_points (CivicMapView *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_VIEW (self), 0);

  return self->n_points;
}

gboolean
civic_map_view_get_loading (CivicMapView *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_VIEW (self), FALSE);

  return self->load_source != 0 || self->reload_source != 0;
}

void
civic_map_view_reload (CivicMapView *self)
{
  g_return_if_fail (CIVIC_IS_MAP_VIEW (self));

  start_load (self);
}

gboolean
civic_map_view_get_tiles_failing (CivicMapView *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_VIEW (self), FALSE);

  return gtk_revealer_get_reveal_child (self->banner);
}

void
civic_map_view_go_to (CivicMapView *self,
                      double        lat,
                      double        lon,
                      double        zoom)
{
  ShumateViewport *viewport;

  g_return_if_fail (CIVIC_IS_MAP_VIEW (self));

  viewport = shumate_simple_map_get_viewport (self->map);
  shumate_map_stop_go_to (shumate_simple_map_get_map (self->map));
  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
  self->positioned = TRUE;
}

gboolean
civic_map_view_activate_at (CivicMapView *self,
                            double        x,
                            double        y,
                            guint         button)
{
  CivicCluster cluster;

  g_return_val_if_fail (CIVIC_IS_MAP_VIEW (self), FALSE);

  if (!civic_map_layer_pick (self->layer, x, y, &cluster))
    return FALSE;

  return handle_cluster (self, &cluster, x, y, button);
}

ShumateSimpleMap *
civic_map_view_get_map (CivicMapView *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_VIEW (self), NULL);

  return self->map;
}

void
civic_map_view_set_list_shown (CivicMapView *self,
                               gboolean      shown)
{
  g_return_if_fail (CIVIC_IS_MAP_VIEW (self));

  gtk_toggle_button_set_active (self->list_button, shown);
}

CivicMapList *
civic_map_view_get_list (CivicMapView *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_VIEW (self), NULL);

  return self->list;
}

CivicMapLayer *
civic_map_view_get_layer (CivicMapView *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_VIEW (self), NULL);

  return self->layer;
}

/**
 * civic_map_view_select_area:
 *
 * What a Shift-drag from @x0, @y0 to @x1, @y1 (the map's coordinates)
 * does: lists the reports inside, with actions for all of them.
 *
 * Returns: how many reports are inside
 */
guint
civic_map_view_select_area (CivicMapView *self,
                            double        x0,
                            double        y0,
                            double        x1,
                            double        y1)
{
  ShumateViewport *viewport;
  g_autoptr(GArray) ids = NULL;
  double lat0, lon0, lat1, lon1;

  g_return_val_if_fail (CIVIC_IS_MAP_VIEW (self), 0);

  if (self->index == NULL)
    return 0;

  viewport = shumate_simple_map_get_viewport (self->map);
  shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (self->layer), x0, y0, &lat0, &lon0);
  shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (self->layer), x1, y1, &lat1, &lon1);
  ids = civic_cluster_index_list_in_box (self->index, MIN (lon0, lon1), MIN (lat0, lat1),
                                         MAX (lon0, lon1), MAX (lat0, lat1));
  if (ids->len > 0)
    show_members (self, ids, TRUE, x1, y1);

  return ids->len;
}
