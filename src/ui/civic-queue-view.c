/* civic-queue-view.c
 *
 * One department's queue: a GtkListView over the lazy CivicQueueModel, or a
 * status page saying why there is nothing to show.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "civic-queue-row.h"
#include "civic-queue-view.h"

struct _CivicQueueView
{
  GtkWidget parent_instance;

  /* Template children */
  GtkStack *stack;
  AdwStatusPage *empty_page;
  GtkListView *list_view;

  CivicContext *context;        /* owned */
  CivicQueueModel *model;       /* owned */
  GtkSingleSelection *selection; /* owned */
  GHashTable *bound_rows;       /* owned: CivicQueueRow* set, rows showing a mention */
  guint tick_source;
  gboolean welcome;
};

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CivicQueueView, civic_queue_view, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void
update_page (CivicQueueView *self)
{
  const char *page;

  if (self->welcome)
    page = "welcome";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0)
    page = "empty";
  else
    page = "list";

  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CivicQueueView           *self)
{
  gtk_list_item_set_child (item, civic_queue_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             CivicQueueView           *self)
{
  CivicQueueRow *row = CIVIC_QUEUE_ROW (gtk_list_item_get_child (item));

  civic_queue_row_set_mention (row, gtk_list_item_get_item (item),
                               civic_context_get_now_ms (self->context));
  g_hash_table_add (self->bound_rows, row);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               CivicQueueView           *self)
{
  g_hash_table_remove (self->bound_rows, gtk_list_item_get_child (item));
}

static void
teardown_row_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 CivicQueueView           *self)
{
  GtkWidget *child = gtk_list_item_get_child (item);

  if (child != NULL)
    g_hash_table_remove (self->bound_rows, child);
}

/* Once a minute the countdowns move: relabel the rows on screen, without
 * reading anything from the store. */
static gboolean
tick_cb (gpointer user_data)
{
  CivicQueueView *self = user_data;
  gint64 now_ms = civic_context_get_now_ms (self->context);
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    civic_queue_row_update_time (row, now_ms);

  return G_SOURCE_CONTINUE;
}

static void
model_items_changed_cb (GListModel     *model,
                        guint           position,
                        guint           removed,
                        guint           added,
                        CivicQueueView *self)
{
  update_page (self);
}

static void
civic_queue_view_constructed (GObject *object)
{
  CivicQueueView *self = (CivicQueueView *) object;
  GtkListItemFactory *factory;

  G_OBJECT_CLASS (civic_queue_view_parent_class)->constructed (object);

  self->model = civic_queue_model_new (self->context);
  g_signal_connect_object (self->model, "items-changed",
                           G_CALLBACK (model_items_changed_cb), self, 0);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_row_cb), self);

  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_object_unref (factory);

  self->tick_source = g_timeout_add_seconds (60, tick_cb, self);

  update_page (self);
}

static void
civic_queue_view_dispose (GObject *object)
{
  CivicQueueView *self = (CivicQueueView *) object;

  g_clear_handle_id (&self->tick_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_QUEUE_VIEW);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (civic_queue_view_parent_class)->dispose (object);
}

static void
civic_queue_view_finalize (GObject *object)
{
  CivicQueueView *self = (CivicQueueView *) object;

  g_clear_pointer (&self->bound_rows, g_hash_table_unref);

  G_OBJECT_CLASS (civic_queue_view_parent_class)->finalize (object);
}

static void
civic_queue_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CivicQueueView *self = CIVIC_QUEUE_VIEW (object);

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
civic_queue_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CivicQueueView *self = CIVIC_QUEUE_VIEW (object);

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
civic_queue_view_class_init (CivicQueueViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = civic_queue_view_constructed;
  object_class->dispose = civic_queue_view_dispose;
  object_class->finalize = civic_queue_view_finalize;
  object_class->get_property = civic_queue_view_get_property;
  object_class->set_property = civic_queue_view_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CIVIC_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/civicdesk/CivicDesk/civic-queue-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicQueueView, stack);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueView, list_view);
}

static void
civic_queue_view_init (CivicQueueView *self)
{
  self->bound_rows = g_hash_table_new (NULL, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
civic_queue_view_new (CivicContext *context)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);

  return g_object_new (CIVIC_TYPE_QUEUE_VIEW, "context", context, NULL);
}

void
civic_queue_view_set_department (CivicQueueView  *self,
                                 CivicDepartment *department)
{
  g_return_if_fail (CIVIC_IS_QUEUE_VIEW (self));
  g_return_if_fail (department == NULL || CIVIC_IS_DEPARTMENT (department));

  if (department != NULL)
    {
      g_autofree char *description = NULL;

      /* Translators: shown when a department has nothing open */
      description = g_strdup_printf (_("Every mention for %s has been answered."),
                                     civic_department_is_unsorted (department)
                                       ? _("Unsorted") : civic_department_get_name (department));
      adw_status_page_set_description (self->empty_page, description);
    }

  civic_queue_model_set_department (self->model, department != NULL ? civic_department_get_id (department) : 0);
  update_page (self);
}

CivicQueueModel *
civic_queue_view_get_model (CivicQueueView *self)
{
  g_return_val_if_fail (CIVIC_IS_QUEUE_VIEW (self), NULL);

  return self->model;
}

const char *
civic_queue_view_get_page (CivicQueueView *self)
{
  g_return_val_if_fail (CIVIC_IS_QUEUE_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
civic_queue_view_set_welcome (CivicQueueView *self,
                              gboolean        welcome)
{
  g_return_if_fail (CIVIC_IS_QUEUE_VIEW (self));

  self->welcome = !!welcome;
  update_page (self);
}
