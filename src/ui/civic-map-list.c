/* civic-map-list.c
 *
 * The map's clusters as rows a keyboard can reach: the map itself is one
 * snapshot with no widget per point, so this list is how Tab, the arrows
 * and a screen reader get to every report the map shows.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-format.h"
#include "civic-map-list.h"

/* More rows than this is not a list anyone reads: zoom in. */
#define MAX_ROWS 100
#define EXCERPT_CHARS 80

struct _CivicMapList
{
  GtkWidget parent_instance;

  GtkLabel *count_label;     /* borrowed: a child */
  GtkListBox *list;          /* borrowed: inside the scroller */

  CivicContext *context;     /* owned */
  GPtrArray *texts;          /* owned (element-type utf8): each row's sentence */
};

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

enum {
  SIGNAL_CLUSTER_ACTIVATED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (CivicMapList, civic_map_list, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  const CivicCluster *cluster;
  guint index;
} Entry;

/* Most pressing first: overdue reports, then the biggest runs. */
static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const CivicCluster *ca = ((const Entry *) a)->cluster;
  const CivicCluster *cb = ((const Entry *) b)->cluster;

  if (ca->overdue_count != cb->overdue_count)
    return ca->overdue_count > cb->overdue_count ? -1 : 1;
  if (ca->count != cb->count)
    return ca->count > cb->count ? -1 : 1;
  if (ca->oldest_open_ms != cb->oldest_open_ms)
    return ca->oldest_open_ms < cb->oldest_open_ms ? -1 : 1;
  return 0;
}

static char *
excerpt (const char *text)
{
  g_autofree char *flat = NULL;

  if (text == NULL)
    return g_strdup ("");

  flat = g_strdup (text);
  g_strdelimit (flat, "\n\r\t", ' ');
  if (g_utf8_strlen (flat, -1) <= EXCERPT_CHARS)
    return g_steal_pointer (&flat);

  *g_utf8_offset_to_pointer (flat, EXCERPT_CHARS) = '\0';
  return g_strconcat (flat, "…", NULL);
}

static const char *
department_name (GPtrArray *departments,
                 gint64     id)
{
  for (guint i = 0; departments != NULL && i < departments->len; i++)
    if (civic_department_get_id (departments->pdata[i]) == id)
      return civic_department_get_name (departments->pdata[i]);

  return _("Unsorted");
}

/* "12 reports, 3 overdue: Limpieza 8, Policía Local 4". */
static void
describe_cluster (const CivicCluster *cluster,
                  GPtrArray          *departments,
                  char              **title,
                  char              **subtitle)
{
  g_autoptr(GString) mix = g_string_new (NULL);

  if (cluster->overdue_count > 0)
    *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u reports, %u overdue",
                                           "%u reports, %u overdue",
                                           cluster->overdue_count),
                              cluster->count, cluster->overdue_count);
  else
    *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u report", "%u reports", cluster->count),
                              cluster->count);

  for (guint i = 0; i < cluster->n_departments; i++)
    {
      if (mix->len > 0)
        g_string_append (mix, ", ");
      /* Translators: a department and how many of a cluster's reports are its own */
      g_string_append_printf (mix, _("%s %u"),
                              department_name (departments, cluster->departments[i].department_id),
                              cluster->departments[i].count);
    }
  *subtitle = g_string_free (g_steal_pointer (&mix), FALSE);
}

/* "Report by María Pérez, 5 min ago", "farola rota en Calle Real". */
static void
describe_point (CivicMapList       *self,
                CivicMention       *mention,
                const CivicCluster *cluster,
                char              **title,
                char              **subtitle)
{
  g_autofree char *when = NULL;
  const char *name;

  if (mention == NULL)
    {
      *title = g_strdup (_("Report"));
      *subtitle = g_strdup ("");
      return;
    }

  name = civic_mention_get_author_name (mention);
  if (name == NULL || *name == '\0')
    name = civic_mention_get_author_acct (mention);
  when = civic_format_relative_time (civic_mention_get_created_at_ms (mention),
                                     civic_context_get_now_ms (self->context));

  if (cluster->overdue_count > 0)
    /* Translators: the author and when, of a report past its answer time */
    *title = g_strdup_printf (_("Overdue report by %s, %s"), name, when);
  else
    /* Translators: the author and when a report was made */
    *title = g_strdup_printf (_("Report by %s, %s"), name, when);
  *subtitle = excerpt (civic_mention_get_text (mention));
}

/* What stays the same of a row across rebuilds: the report itself, or a
 * cluster's oldest open report (its id changes with the zoom). */
static gint64
row_key (const CivicCluster *cluster)
{
  if (cluster->count == 1)
    return cluster->point_id;
  return cluster->oldest_open_id != 0 ? -cluster->oldest_open_id : (gint64) cluster->cluster_id;
}

static gint64
focused_row_key (CivicMapList *self,
                 gboolean     *in_list)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row;
  gint64 *key;

  *in_list = focus != NULL && (focus == GTK_WIDGET (self->list) ||
                               gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list)));
  if (!*in_list)
    return 0;

  row = GTK_IS_LIST_BOX_ROW (focus) ? focus : gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW);
  key = row != NULL ? g_object_get_data (G_OBJECT (row), "civic-row-key") : NULL;
  return key != NULL ? *key : 0;
}

static void
all_clicked_cb (GtkButton    *button,
                CivicMapList *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "civic-cluster-index"));

  g_signal_emit (self, signals[SIGNAL_CLUSTER_ACTIVATED], 0, index, TRUE);
}

static GtkWidget *
row_new (CivicMapList       *self,
         const CivicCluster *cluster,
         guint               index,
         const char         *title,
         const char         *subtitle)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label;
  g_autofree char *sentence = NULL;

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_hexpand (labels, TRUE);

  /* Plain text: a citizen's words never reach Pango markup. */
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (cluster->overdue_count > 0)
    gtk_widget_add_css_class (label, "error");
  gtk_box_append (GTK_BOX (labels), label);

  if (*subtitle != '\0')
    {
      label = gtk_label_new (subtitle);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (labels), label);
    }
  gtk_box_append (GTK_BOX (box), labels);

  if (cluster->count > 1)
    {
      GtkWidget *all = gtk_button_new_from_icon_name ("view-list-symbolic");
      g_autofree char *all_name = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "List the %u report, with actions for all",
                                                                "List the %u reports, with actions for all",
                                                                cluster->count),
                                                   cluster->count);

      gtk_widget_set_tooltip_text (all, all_name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (all), GTK_ACCESSIBLE_PROPERTY_LABEL, all_name, -1);
      gtk_widget_set_valign (all, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (all, "flat");
      g_object_set_data (G_OBJECT (all), "civic-cluster-index", GUINT_TO_POINTER (index));
      g_signal_connect (all, "clicked", G_CALLBACK (all_clicked_cb), self);
      gtk_box_append (GTK_BOX (box), all);
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  /* One sentence for a screen reader. */
  sentence = *subtitle != '\0' ? g_strdup_printf ("%s: %s", title, subtitle) : g_strdup (title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, sentence, -1);
  g_object_set_data (G_OBJECT (row), "civic-cluster-index", GUINT_TO_POINTER (index));
  g_object_set_data_full (G_OBJECT (row), "civic-row-key", g_memdup2 (&(gint64) { row_key (cluster) }, sizeof (gint64)), g_free);
  g_ptr_array_add (self->texts, g_steal_pointer (&sentence));

  return row;
}

static void
row_activated_cb (GtkListBox    *box,
                  GtkListBoxRow *row,
                  CivicMapList  *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "civic-cluster-index"));

  g_signal_emit (self, signals[SIGNAL_CLUSTER_ACTIVATED], 0, index, FALSE);
}

static void
civic_map_list_dispose (GObject *object)
{
  CivicMapList *self = (CivicMapList *) object;

  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (civic_map_list_parent_class)->dispose (object);
}

static void
civic_map_list_finalize (GObject *object)
{
  CivicMapList *self = (CivicMapList *) object;

  g_clear_pointer (&self->texts, g_ptr_array_unref);

  G_OBJECT_CLASS (civic_map_list_parent_class)->finalize (object);
}

static void
civic_map_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CivicMapList *self = CIVIC_MAP_LIST (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_map_list_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CivicMapList *self = CIVIC_MAP_LIST (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_map_list_class_init (CivicMapListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = civic_map_list_dispose;
  object_class->finalize = civic_map_list_finalize;
  object_class->get_property = civic_map_list_get_property;
  object_class->set_property = civic_map_list_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         CIVIC_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CivicMapList::cluster-activated:
   * @index: the row's cluster, in the order given to set_clusters()
   * @list_all: whether to list its members (with actions for all)
   *   rather than do what a click on it does
   */
  signals[SIGNAL_CLUSTER_ACTIVATED] =
    g_signal_new ("cluster-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_BOOLEAN);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "civicmaplist");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
civic_map_list_init (CivicMapList *self)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (_("Reports in View"));
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->texts = g_ptr_array_new_with_free_func (g_free);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reports in view"), -1);

  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_end (header, 12);
  gtk_widget_set_margin_top (header, 12);
  gtk_widget_set_margin_bottom (header, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (header), title);
  self->count_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "numeric");
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->count_label));
  gtk_widget_set_parent (header, GTK_WIDGET (self));

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_BROWSE);
  gtk_list_box_set_activate_on_single_click (self->list, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reports in view"), -1);
  gtk_list_box_set_placeholder (self->list, gtk_label_new (_("No reports in this part of the map")));
  g_signal_connect (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->list));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_widget_set_parent (scroller, GTK_WIDGET (self));
}

GtkWidget *
civic_map_list_new (CivicContext *context)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);

  return g_object_new (CIVIC_TYPE_MAP_LIST, "context", context, NULL);
}

/**
 * civic_map_list_set_clusters:
 * @self: a list
 * @clusters: (array length=n_clusters): what the map shows now
 * @n_clusters: how many
 *
 * Lists @clusters, most pressing first (at most a hundred); the rows keep
 * their index in @clusters for ::cluster-activated.
 */
void
civic_map_list_set_clusters (CivicMapList       *self,
                             const CivicCluster *clusters,
                             guint               n_clusters)
{
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GPtrArray) mentions = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *count = NULL;
  GtkListBoxRow *row;
  guint n_reports = 0;
  gint64 focused_key;
  gboolean had_focus;

  g_return_if_fail (CIVIC_IS_MAP_LIST (self));
  g_return_if_fail (clusters != NULL || n_clusters == 0);

  /* A keyboard user moving through the list keeps their place while the
   * map moves or reports arrive. */
  focused_key = focused_row_key (self, &had_focus);

  while ((row = gtk_list_box_get_row_at_index (self->list, 0)) != NULL)
    gtk_list_box_remove (self->list, GTK_WIDGET (row));
  g_ptr_array_set_size (self->texts, 0);

  entries = g_array_sized_new (FALSE, FALSE, sizeof (Entry), n_clusters);
  for (guint i = 0; i < n_clusters; i++)
    {
      Entry entry = { &clusters[i], i };

      g_array_append_val (entries, entry);
      n_reports += clusters[i].count;
    }
  g_array_sort (entries, compare_entries);

  departments = civic_store_list_departments_brief (civic_context_get_store (self->context), NULL);

  /* The single reports' authors and words, in one read of the store. */
  {
    g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

    for (guint i = 0; i < MIN (entries->len, MAX_ROWS); i++)
      if (g_array_index (entries, Entry, i).cluster->count == 1)
        g_array_append_val (ids, g_array_index (entries, Entry, i).cluster->point_id);
    if (ids->len > 0)
      mentions = civic_store_load_mentions (civic_context_get_store (self->context),
                                            (const gint64 *) (gpointer) ids->data, ids->len, NULL);
    for (guint i = 0; mentions != NULL && i < mentions->len; i++)
      {
        gint64 id = civic_mention_get_id (mentions->pdata[i]);

        g_hash_table_insert (by_id, g_memdup2 (&id, sizeof id), mentions->pdata[i]);
      }
  }

  for (guint i = 0; i < MIN (entries->len, MAX_ROWS); i++)
    {
      const Entry *entry = &g_array_index (entries, Entry, i);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;

      if (entry->cluster->count == 1)
        describe_point (self, g_hash_table_lookup (by_id, &entry->cluster->point_id),
                        entry->cluster, &title, &subtitle);
      else
        describe_cluster (entry->cluster, departments, &title, &subtitle);

      gtk_list_box_append (self->list, row_new (self, entry->cluster, entry->index, title, subtitle));
    }

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u report", "%u reports", n_reports), n_reports);
  gtk_label_set_label (self->count_label, count);

  if (had_focus)
    {
      GtkListBoxRow *focus_row = gtk_list_box_get_row_at_index (self->list, 0);

      for (int i = 0; (row = gtk_list_box_get_row_at_index (self->list, i)) != NULL; i++)
        {
          gint64 *key = g_object_get_data (G_OBJECT (row), "civic-row-key");

          if (key != NULL && *key == focused_key)
            {
              focus_row = row;
              break;
            }
        }
      if (focus_row != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (focus_row));
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->list));
    }
}

guint
civic_map_list_get_n_rows (CivicMapList *self)
{
  g_return_val_if_fail (CIVIC_IS_MAP_LIST (self), 0);

  return self->texts->len;
}

const char *
civic_map_list_get_row_text (CivicMapList *self,
                             guint         i)
{
  g_return_val_if_fail (CIVIC_IS_MAP_LIST (self), NULL);
  g_return_val_if_fail (i < self->texts->len, NULL);

  return self->texts->pdata[i];
}

/* What Enter on row @i (or its "all" button, with @list_all) does. */
void
civic_map_list_activate_row (CivicMapList *self,
                             guint         i,
                             gboolean      list_all)
{
  GtkListBoxRow *row;

  g_return_if_fail (CIVIC_IS_MAP_LIST (self));

  row = gtk_list_box_get_row_at_index (self->list, (int) i);
  g_return_if_fail (row != NULL);

  g_signal_emit (self, signals[SIGNAL_CLUSTER_ACTIVATED], 0,
                 GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "civic-cluster-index")),
                 list_all);
}

void
civic_map_list_focus_first (CivicMapList *self)
{
  GtkListBoxRow *row;

  g_return_if_fail (CIVIC_IS_MAP_LIST (self));

  row = gtk_list_box_get_row_at_index (self->list, 0);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->list));
}
