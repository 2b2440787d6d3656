/* civic-filter-popover.c
 *
 * The queue's second row of filters, behind one button so the list keeps
 * its height: a period, an author, "claimed by me"; and the department's
 * saved views, which bring back a whole filter (state, words, toggles
 * included) in one click.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-filter-popover.h"
#include "civic-smart-views.h"

#define AUTHOR_DELAY_MS 300

struct _CivicFilterPopover
{
  GtkPopover parent_instance;

  /* Template children */
  GtkListBox *view_list;
  GtkDropDown *period_dropdown;
  GtkEntry *author_entry;
  GtkCheckButton *mine_check;
  GtkEntry *name_entry;
  GtkButton *save_button;
  GtkLabel *error_label;

  CivicContext *context;     /* owned */
  CivicQueueFilter *filter;  /* owned: the filter in force */
  GPtrArray *views;          /* owned (element-type CivicSmartView): this department's */
  guint author_source;
  gboolean updating;         /* set while the controls follow a filter */
};

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  SIGNAL_VIEW_ACTIVATED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (CivicFilterPopover, civic_filter_popover, GTK_TYPE_POPOVER)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The period dropdown's entries, in days (see CivicQueueFilter). */
static const guint period_days[] = { 0, 1, 7, 30, 365 };

static guint
period_index (guint days)
{
  for (guint i = 0; i < G_N_ELEMENTS (period_days); i++)
    if (period_days[i] == days)
      return i;

  /* A period this desk does not offer (a newer desk saved it): the
   * closest longer one, so nothing the view showed is hidden. */
  for (guint i = 1; i < G_N_ELEMENTS (period_days); i++)
    if (period_days[i] > days)
      return i;
  return 0;
}

static void
emit_changed (CivicFilterPopover *self)
{
  if (!self->updating)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
control_changed_cb (CivicFilterPopover *self)
{
  emit_changed (self);
}

static gboolean
author_timeout_cb (gpointer user_data)
{
  CivicFilterPopover *self = user_data;

  self->author_source = 0;
  emit_changed (self);

  return G_SOURCE_REMOVE;
}

static void
author_changed_cb (CivicFilterPopover *self)
{
  if (self->updating)
    return;

  /* Typing a name is not a query per letter. */
  g_clear_handle_id (&self->author_source, g_source_remove);
  self->author_source = g_timeout_add (AUTHOR_DELAY_MS, author_timeout_cb, self);
}

static void
author_activate_cb (CivicFilterPopover *self)
{
  g_clear_handle_id (&self->author_source, g_source_remove);
  emit_changed (self);
}

static void
show_error (CivicFilterPopover *self,
            const char         *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
delete_clicked_cb (GtkButton          *button,
                   CivicFilterPopover *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "civic-view-id"));
  g_autoptr(GError) error = NULL;

  if (!civic_filter_popover_delete_view (self, id, &error))
    show_error (self, error->message);
}

static GtkWidget *
view_row_new (CivicFilterPopover   *self,
              const CivicSmartView *view)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (view->name);
  GtkWidget *delete = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *delete_name = NULL;

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);

  /* Translators: %s is the name of a saved view */
  delete_name = g_strdup_printf (_("Delete the view “%s”"), view->name);
  gtk_widget_set_tooltip_text (delete, delete_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (delete), GTK_ACCESSIBLE_PROPERTY_LABEL, delete_name, -1);
  gtk_widget_set_valign (delete, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (delete, "flat");
  g_object_set_data (G_OBJECT (delete), "civic-view-id", GSIZE_TO_POINTER ((gsize) view->id));
  g_signal_connect (delete, "clicked", G_CALLBACK (delete_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), delete);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, view->name, -1);
  g_object_set_data (G_OBJECT (row), "civic-view-id", GSIZE_TO_POINTER ((gsize) view->id));

  return row;
}

static void
reload_views (CivicFilterPopover *self)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (self->view_list, 0)) != NULL)
    gtk_list_box_remove (self->view_list, GTK_WIDGET (row));
  g_ptr_array_set_size (self->views, 0);

  all = civic_store_list_smart_views (civic_context_get_store (self->context), &error);
  if (all == NULL)
    {
      show_error (self, error->message);
      return;
    }

  /* A view belongs to its department's queue. */
  for (guint i = 0; i < all->len; i++)
    {
      CivicSmartView *view = all->pdata[i];

      if (view->filter->department_id != self->filter->department_id)
        continue;

      gtk_list_box_append (self->view_list, view_row_new (self, view));
      g_ptr_array_add (self->views, g_steal_pointer (&all->pdata[i]));
    }
}

static const CivicSmartView *
find_view (CivicFilterPopover *self,
           gint64              id)
{
  for (guint i = 0; i < self->views->len; i++)
    {
      const CivicSmartView *view = self->views->pdata[i];

      if (view->id == id)
        return view;
    }

  return NULL;
}

static void
view_activated_cb (GtkListBox         *box,
                   GtkListBoxRow      *row,
                   CivicFilterPopover *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "civic-view-id"));

  if (civic_filter_popover_activate_view (self, id))
    gtk_popover_popdown (GTK_POPOVER (self));
}

static void
name_changed_cb (CivicFilterPopover *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            *name != '\0' && self->filter->department_id != 0);
  show_error (self, NULL);
}

static void
save_clicked_cb (CivicFilterPopover *self)
{
  g_autoptr(GError) error = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->save_button)))
    return;

  if (civic_filter_popover_save_view (self, name, &error) == 0)
    {
      show_error (self, error->message);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
}

static void
reset_clicked_cb (CivicFilterPopover *self)
{
  civic_filter_popover_reset (self);
}

static void
civic_filter_popover_map (GtkWidget *widget)
{
  CivicFilterPopover *self = CIVIC_FILTER_POPOVER (widget);

  /* Another session of this desk may have saved one since. */
  reload_views (self);
  show_error (self, NULL);

  GTK_WIDGET_CLASS (civic_filter_popover_parent_class)->map (widget);
}

static void
civic_filter_popover_constructed (GObject *object)
{
  CivicFilterPopover *self = (CivicFilterPopover *) object;

  G_OBJECT_CLASS (civic_filter_popover_parent_class)->constructed (object);

  /* Nobody to match "claimed by me" until the desk knows who is at it. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->mine_check),
                            civic_context_get_person (self->context) != NULL);
}

static void
civic_filter_popover_dispose (GObject *object)
{
  CivicFilterPopover *self = (CivicFilterPopover *) object;

  g_clear_handle_id (&self->author_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_FILTER_POPOVER);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (civic_filter_popover_parent_class)->dispose (object);
}

static void
civic_filter_popover_finalize (GObject *object)
{
  CivicFilterPopover *self = (CivicFilterPopover *) object;

  g_clear_pointer (&self->filter, civic_queue_filter_free);
  g_clear_pointer (&self->views, g_ptr_array_unref);

  G_OBJECT_CLASS (civic_filter_popover_parent_class)->finalize (object);
}

static void
civic_filter_popover_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CivicFilterPopover *self = CIVIC_FILTER_POPOVER (object);

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
civic_filter_popover_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  CivicFilterPopover *self = CIVIC_FILTER_POPOVER (object);

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
civic_filter_popover_class_init (CivicFilterPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = civic_filter_popover_constructed;
  object_class->dispose = civic_filter_popover_dispose;
  object_class->finalize = civic_filter_popover_finalize;
  object_class->get_property = civic_filter_popover_get_property;
  object_class->set_property = civic_filter_popover_set_property;

  widget_class->map = civic_filter_popover_map;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         CIVIC_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CivicFilterPopover::changed:
   *
   * A person changed one of the popover's filters: read them with
   * civic_filter_popover_apply().
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * CivicFilterPopover::view-activated:
   * @filter: (transfer none): the saved view's whole filter
   *
   * A person chose a saved view: the queue takes its filter as it is.
   */
  signals[SIGNAL_VIEW_ACTIVATED] =
    g_signal_new ("view-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE,
                  1, CIVIC_TYPE_QUEUE_FILTER | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/civicdesk/CivicDesk/civic-filter-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicFilterPopover, view_list);
  gtk_widget_class_bind_template_child (widget_class, CivicFilterPopover, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CivicFilterPopover, author_entry);
  gtk_widget_class_bind_template_child (widget_class, CivicFilterPopover, mine_check);
  gtk_widget_class_bind_template_child (widget_class, CivicFilterPopover, name_entry);
  gtk_widget_class_bind_template_child (widget_class, CivicFilterPopover, save_button);
  gtk_widget_class_bind_template_child (widget_class, CivicFilterPopover, error_label);
  gtk_widget_class_bind_template_callback (widget_class, control_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, author_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, author_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, view_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reset_clicked_cb);
}

static void
civic_filter_popover_init (CivicFilterPopover *self)
{
  self->filter = civic_queue_filter_new ();
  self->views = g_ptr_array_new_with_free_func ((GDestroyNotify) civic_smart_view_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
civic_filter_popover_new (CivicContext *context)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);

  return g_object_new (CIVIC_TYPE_FILTER_POPOVER, "context", context, NULL);
}

/**
 * civic_filter_popover_set_filter:
 * @self: a popover
 * @filter: the queue's filter in force
 *
 * Shows @filter's period, author and claimant in the controls, without
 * emitting ::changed, and lists the saved views of its department.
 */
void
civic_filter_popover_set_filter (CivicFilterPopover     *self,
                                 const CivicQueueFilter *filter)
{
  const char *me;
  gboolean new_department;

  g_return_if_fail (CIVIC_IS_FILTER_POPOVER (self));
  g_return_if_fail (filter != NULL);

  new_department = filter->department_id != self->filter->department_id;
  g_clear_pointer (&self->filter, civic_queue_filter_free);
  self->filter = civic_queue_filter_copy (filter);

  me = civic_context_get_person (self->context);
  self->updating = TRUE;
  gtk_drop_down_set_selected (self->period_dropdown, period_index (filter->period_days));
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->author_entry)),
                 filter->author != NULL ? filter->author : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->author_entry), filter->author != NULL ? filter->author : "");
  gtk_check_button_set_active (self->mine_check,
                               me != NULL && g_strcmp0 (filter->claimed_by, me) == 0);
  self->updating = FALSE;

  name_changed_cb (self);
  if (new_department || gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload_views (self);
}

/**
 * civic_filter_popover_apply:
 * @self: a popover
 * @filter: a filter to complete
 *
 * Writes the popover's filters into @filter; its period is resolved
 * against the context's clock.
 */
void
civic_filter_popover_apply (CivicFilterPopover *self,
                            CivicQueueFilter   *filter)
{
  guint index;
  g_autofree char *author = NULL;
  const char *me;

  g_return_if_fail (CIVIC_IS_FILTER_POPOVER (self));
  g_return_if_fail (filter != NULL);

  index = gtk_drop_down_get_selected (self->period_dropdown);
  filter->period_days = period_days[MIN (index, G_N_ELEMENTS (period_days) - 1)];
  filter->since_ms = 0;
  civic_queue_filter_resolve_period (filter, civic_context_get_now_ms (self->context));

  author = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->author_entry))));
  g_free (filter->author);
  filter->author = *author != '\0' ? g_steal_pointer (&author) : NULL;

  me = civic_context_get_person (self->context);
  g_free (filter->claimed_by);
  filter->claimed_by = me != NULL && gtk_check_button_get_active (self->mine_check) ? g_strdup (me) : NULL;
}

/* Whether any of the popover's own filters narrows the queue (the button
 * shows it: these filters are out of sight). */
gboolean
civic_filter_popover_get_active (CivicFilterPopover *self)
{
  g_return_val_if_fail (CIVIC_IS_FILTER_POPOVER (self), FALSE);

  return gtk_drop_down_get_selected (self->period_dropdown) != 0 ||
         *gtk_editable_get_text (GTK_EDITABLE (self->author_entry)) != '\0' ||
         gtk_check_button_get_active (self->mine_check);
}

void
civic_filter_popover_reset (CivicFilterPopover *self)
{
  g_return_if_fail (CIVIC_IS_FILTER_POPOVER (self));

  g_clear_handle_id (&self->author_source, g_source_remove);
  self->updating = TRUE;
  gtk_drop_down_set_selected (self->period_dropdown, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->author_entry), "");
  gtk_check_button_set_active (self->mine_check, FALSE);
  self->updating = FALSE;

  emit_changed (self);
}

guint
civic_filter_popover_get_n_views (CivicFilterPopover *self)
{
  g_return_val_if_fail (CIVIC_IS_FILTER_POPOVER (self), 0);

  return self->views->len;
}

/**
 * civic_filter_popover_save_view:
 * @self: a popover
 * @name: what the view is called
 * @error: where a refusal goes
 *
 * Saves the filter in force (see civic_filter_popover_set_filter()) under
 * @name in its department; a relative period stays relative.
 *
 * Returns: the view's id, or 0 with @error set
 */
gint64
civic_filter_popover_save_view (CivicFilterPopover  *self,
                                const char          *name,
                                GError             **error)
{
  g_autoptr(CivicQueueFilter) saved = NULL;
  gint64 id;

  g_return_val_if_fail (CIVIC_IS_FILTER_POPOVER (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  saved = civic_queue_filter_copy (self->filter);
  if (saved->period_days != 0)
    saved->since_ms = 0;

  id = civic_store_save_smart_view (civic_context_get_store (self->context), name, saved, error);
  if (id != 0)
    reload_views (self);

  return id;
}

/**
 * civic_filter_popover_activate_view:
 * @self: a popover
 * @id: a saved view of the department
 *
 * Emits ::view-activated with the view's filter, its period resolved.
 *
 * Returns: whether @id is one of the department's views
 */
gboolean
civic_filter_popover_activate_view (CivicFilterPopover *self,
                                    gint64              id)
{
  const CivicSmartView *view;
  g_autoptr(CivicQueueFilter) filter = NULL;

  g_return_val_if_fail (CIVIC_IS_FILTER_POPOVER (self), FALSE);

  view = find_view (self, id);
  if (view == NULL)
    return FALSE;

  filter = civic_queue_filter_copy (view->filter);
  civic_queue_filter_resolve_period (filter, civic_context_get_now_ms (self->context));
  g_signal_emit (self, signals[SIGNAL_VIEW_ACTIVATED], 0, filter);

  return TRUE;
}

gboolean
civic_filter_popover_delete_view (CivicFilterPopover  *self,
                                  gint64               id,
                                  GError             **error)
{
  g_return_val_if_fail (CIVIC_IS_FILTER_POPOVER (self), FALSE);

  if (!civic_store_delete_smart_view (civic_context_get_store (self->context), id, error))
    return FALSE;

  reload_views (self);
  return TRUE;
}
