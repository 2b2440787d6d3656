/* civic-queue-view.c
 *
 * One department's queue: a GtkListView over the lazy CivicQueueModel with
 * search and filters, or a status page saying why there is nothing to
 * show; and the selected mention in full beside it.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "civic-filter-popover.h"
#include "civic-queue-row.h"
#include "civic-queue-selection.h"
#include "civic-queue-view.h"

#define SEARCH_DELAY_MS 200

struct _CivicQueueView
{
  GtkWidget parent_instance;

  /* Template children */
  AdwLeaflet *leaflet;
  GtkSearchBar *search_bar;
  GtkSearchEntry *search_entry;
  GtkDropDown *state_dropdown;
  GtkToggleButton *place_toggle;
  GtkToggleButton *photo_toggle;
  GtkMenuButton *filters_button;
  GtkLabel *count_label;
  GtkStack *stack;
  AdwStatusPage *empty_page;
  GtkListView *list_view;
  GtkRevealer *action_revealer;
  GtkLabel *selected_label;
  GtkMenuButton *move_button;

  CivicContext *context;          /* owned */
  CivicQueueModel *model;         /* owned */
  GtkSingleSelection *selection;  /* owned */
  CivicMentionDetail *detail;     /* borrowed: a child of leaflet */
  CivicFilterPopover *filters;    /* borrowed: filters_button's popover */
  GHashTable *bound_rows;         /* owned: CivicQueueRow* set, rows showing a mention */
  CivicQueueSelection *checked;   /* owned: the mentions ticked in selection mode */
  char *last_report;              /* owned: what the last bulk action said */
  gint64 check_anchor;            /* the mention a Shift+click range starts at (0: none);
                                   * an id, since the queue re-sorts by itself */
  gboolean selection_mode;
  guint tick_source;
  guint search_source;
  guint reselect_source;
  guint last_position;            /* where the selection was, for when its row leaves */
  gboolean welcome;
};

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_SELECTION_MODE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CivicQueueView, civic_queue_view, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

/* The state filter's entries, in the dropdown's order. */
static const guint state_masks[] = {
  CIVIC_STATE_MASK_OPEN,
  CIVIC_STATE_MASK (CIVIC_MENTION_STATE_NEW),
  CIVIC_STATE_MASK (CIVIC_MENTION_STATE_IN_PROGRESS),
  CIVIC_STATE_MASK (CIVIC_MENTION_STATE_ANSWERED),
  CIVIC_STATE_MASK (CIVIC_MENTION_STATE_CLOSED),
  CIVIC_STATE_MASK_ALL,
};

static gboolean
filter_is_narrowed (CivicQueueView *self)
{
  const CivicQueueFilter *filter = civic_queue_model_get_filter (self->model);

  return (filter->text != NULL && *filter->text != '\0') ||
         filter->has_place != CIVIC_FILTER_ANY || filter->has_photo != CIVIC_FILTER_ANY ||
         (filter->states != 0 && filter->states != CIVIC_STATE_MASK_OPEN) ||
         filter->since_ms != 0 || filter->until_ms != 0 ||
         (filter->author != NULL && *filter->author != '\0') ||
         (filter->claimed_by != NULL && *filter->claimed_by != '\0');
}

static void
update_page (CivicQueueView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_autofree char *count = NULL;
  const char *page;

  if (self->welcome)
    page = "welcome";
  else if (n > 0)
    page = "list";
  else if (filter_is_narrowed (self))
    page = "no-results";
  else
    page = "empty";

  gtk_stack_set_visible_child_name (self->stack, page);

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u mention", "%u mentions", n), n);
  gtk_label_set_label (self->count_label, count);
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
  gpointer mention = gtk_list_item_get_item (item);

  if (mention == NULL)
    return;

  civic_queue_row_set_mention (row, mention, civic_context_get_now_ms (self->context));
  civic_queue_row_set_selection_mode (row, self->selection_mode,
                                      civic_queue_selection_contains (self->checked, civic_mention_get_id (mention)));
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

/* The queue re-sorts under the person working on it (a claim, a deadline
 * passing): keep the mention they are on selected, wherever it moved. */
static gboolean
reselect_cb (gpointer user_data)
{
  CivicQueueView *self = user_data;
  gint64 id = civic_mention_detail_get_mention_id (self->detail);
  guint position;

  self->reselect_source = 0;

  /* Nothing in hand yet and the queue just filled: start on its top. */
  if (id == 0 && g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0 &&
      gtk_single_selection_get_selected (self->selection) == GTK_INVALID_LIST_POSITION)
    {
      gtk_single_selection_set_selected (self->selection, 0);
      return G_SOURCE_REMOVE;
    }

  if (id == 0 || civic_queue_view_get_selected_id (self) == id)
    return G_SOURCE_REMOVE;

  position = civic_queue_model_find (self->model, id);
  if (position != G_MAXUINT)
    gtk_single_selection_set_selected (self->selection, position);
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0 &&
           self->last_position != GTK_INVALID_LIST_POSITION)
    {
      /* It left the queue (closed here, answered on another desk): go on
       * with the one that took its place, as a mail reader does. */
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));

      gtk_single_selection_set_selected (self->selection, MIN (self->last_position, n - 1));
    }

  return G_SOURCE_REMOVE;
}

static void
model_items_changed_cb (GListModel     *model,
                        guint           position,
                        guint           removed,
                        guint           added,
                        CivicQueueView *self)
{
  update_page (self);
  if (self->reselect_source == 0)
    self->reselect_source = g_idle_add (reselect_cb, self);
}

static void
selection_changed_cb (GtkSingleSelection *selection,
                      GParamSpec         *pspec,
                      CivicQueueView     *self)
{
  CivicMention *mention = gtk_single_selection_get_selected_item (selection);

  /* Losing the selection because the queue changed must not take the
   * mention away from whoever is answering it. */
  if (mention != NULL)
    {
      self->last_position = gtk_single_selection_get_selected (selection);
      civic_mention_detail_set_mention (self->detail, civic_mention_get_id (mention));
    }
}

static void
list_activated_cb (GtkListView    *list,
                   guint           position,
                   CivicQueueView *self)
{
  /* In selection mode a click ticks the row, as in Files. */
  if (self->selection_mode)
    {
      gint64 id = civic_queue_model_get_id (self->model, position);

      civic_queue_selection_set (self->checked, id, !civic_queue_selection_contains (self->checked, id));
      self->check_anchor = id;
      return;
    }

  gtk_single_selection_set_selected (self->selection, position);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* The popover's filters are out of sight: the button says they are on. */
static void
update_filters_button (CivicQueueView *self)
{
  if (civic_filter_popover_get_active (self->filters))
    gtk_widget_add_css_class (GTK_WIDGET (self->filters_button), "filters-active");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filters_button), "filters-active");
}

static void
apply_filter (CivicQueueView *self)
{
  g_autoptr(CivicQueueFilter) filter = civic_queue_filter_copy (civic_queue_model_get_filter (self->model));
  guint state_index = gtk_drop_down_get_selected (self->state_dropdown);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_free (filter->text);
  filter->text = *text != '\0' ? g_strdup (text) : NULL;
  filter->states = state_masks[MIN (state_index, G_N_ELEMENTS (state_masks) - 1)];
  filter->has_place = gtk_toggle_button_get_active (self->place_toggle) ? CIVIC_FILTER_YES : CIVIC_FILTER_ANY;
  filter->has_photo = gtk_toggle_button_get_active (self->photo_toggle) ? CIVIC_FILTER_YES : CIVIC_FILTER_ANY;
  civic_filter_popover_apply (self->filters, filter);

  /* Ticked mentions the new filter hides must not be acted on unseen. */
  civic_queue_selection_clear (self->checked);
  civic_queue_model_set_filter (self->model, filter);
  civic_filter_popover_set_filter (self->filters, filter);
  update_filters_button (self);
  update_page (self);
}

static gboolean
search_timeout_cb (gpointer user_data)
{
  CivicQueueView *self = user_data;

  self->search_source = 0;
  apply_filter (self);

  return G_SOURCE_REMOVE;
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   CivicQueueView *self)
{
  /* Type-as-you-search without a query per keystroke. */
  g_clear_handle_id (&self->search_source, g_source_remove);
  self->search_source = g_timeout_add (SEARCH_DELAY_MS, search_timeout_cb, self);
}

static void
filter_changed_cb (GObject        *object,
                   GParamSpec     *pspec,
                   CivicQueueView *self)
{
  apply_filter (self);
}

static void
toggle_changed_cb (GtkToggleButton *button,
                   CivicQueueView  *self)
{
  apply_filter (self);
}

/* A saved view: every control shows its filter, then the queue takes it. */
static void
view_activated_cb (CivicFilterPopover     *popover,
                   const CivicQueueFilter *filter,
                   CivicQueueView         *self)
{
  g_autoptr(CivicQueueFilter) copy = civic_queue_filter_copy (filter);
  guint states = filter->states != 0 ? filter->states : CIVIC_STATE_MASK_OPEN;
  guint state_index = G_N_ELEMENTS (state_masks) - 1;

  for (guint i = 0; i < G_N_ELEMENTS (state_masks); i++)
    if (state_masks[i] == states)
      {
        state_index = i;
        break;
      }

  /* The view's department is the queue's: it was listed for it. */
  copy->department_id = civic_queue_model_get_filter (self->model)->department_id;

  g_signal_handlers_block_by_func (self->state_dropdown, filter_changed_cb, self);
  g_signal_handlers_block_by_func (self->place_toggle, toggle_changed_cb, self);
  g_signal_handlers_block_by_func (self->photo_toggle, toggle_changed_cb, self);
  g_signal_handlers_block_by_func (self->search_entry, search_changed_cb, self);
  gtk_drop_down_set_selected (self->state_dropdown, state_index);
  gtk_toggle_button_set_active (self->place_toggle, filter->has_place == CIVIC_FILTER_YES);
  gtk_toggle_button_set_active (self->photo_toggle, filter->has_photo == CIVIC_FILTER_YES);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), filter->text != NULL ? filter->text : "");
  gtk_search_bar_set_search_mode (self->search_bar, filter->text != NULL && *filter->text != '\0');
  g_signal_handlers_unblock_by_func (self->search_entry, search_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->photo_toggle, toggle_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->place_toggle, toggle_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->state_dropdown, filter_changed_cb, self);
  g_clear_handle_id (&self->search_source, g_source_remove);

  /* As for any filter: what it hides is not acted on unseen. */
  civic_queue_selection_clear (self->checked);
  civic_queue_model_set_filter (self->model, copy);
  civic_filter_popover_set_filter (self->filters, copy);
  update_filters_button (self);
  update_page (self);
}

static void
move_selection (CivicQueueView *self,
                int             delta)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  guint current = gtk_single_selection_get_selected (self->selection);
  guint next;

  if (n == 0)
    return;

  if (current == GTK_INVALID_LIST_POSITION)
    current = civic_queue_model_find (self->model, civic_mention_detail_get_mention_id (self->detail));

  if (current == G_MAXUINT || current == GTK_INVALID_LIST_POSITION)
    next = delta > 0 ? 0 : n - 1;
  else if (delta < 0)
    next = current > 0 ? current - 1 : 0;
  else
    next = MIN (current + 1, n - 1);

  gtk_single_selection_set_selected (self->selection, next);
  /* GTK 4.8 has no gtk_list_view_scroll_to(); the list's own action does it. */
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", next);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  move_selection (CIVIC_QUEUE_VIEW (widget), 1);
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  move_selection (CIVIC_QUEUE_VIEW (widget), -1);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CivicQueueView *self = CIVIC_QUEUE_VIEW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
select_mention_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  civic_queue_view_select_mention (CIVIC_QUEUE_VIEW (widget), g_variant_get_int64 (parameter));
}

/* Selection mode: tick several mentions and act on them at once. The
 * ticks live in a CivicQueueSelection (ids), so they survive re-sorting
 * and "select all" loads no row. */

static void
update_selection_ui (CivicQueueView *self)
{
  guint n = civic_queue_selection_get_n_selected (self->checked);
  g_autofree char *text = NULL;
  GHashTableIter iter;
  gpointer row;

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u selected", "%u selected", n), n);
  gtk_label_set_label (self->selected_label, text);
  gtk_revealer_set_reveal_child (self->action_revealer, self->selection_mode);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "queue.claim-selected", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "queue.close-selected", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "queue.move-selected", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "queue.leave-selection", self->selection_mode);

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    {
      CivicMention *mention = civic_queue_row_get_mention (row);

      civic_queue_row_set_selection_mode (row, self->selection_mode,
                                          mention != NULL &&
                                          civic_queue_selection_contains (self->checked,
                                                                          civic_mention_get_id (mention)));
    }
}

static void
check_mention_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CivicQueueView *self = CIVIC_QUEUE_VIEW (widget);
  gboolean active;
  gint64 id;

  g_variant_get (parameter, "(xb)", &id, &active);
  civic_queue_view_set_selection_mode (self, TRUE);
  civic_queue_selection_set (self->checked, id, active);

  if (civic_queue_model_find (self->model, id) != G_MAXUINT)
    self->check_anchor = id;
}

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CivicQueueView *self = CIVIC_QUEUE_VIEW (widget);

  civic_queue_view_set_selection_mode (self, TRUE);
  civic_queue_selection_select_all (self->checked);
}

static void
leave_selection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  civic_queue_view_set_selection_mode (CIVIC_QUEUE_VIEW (widget), FALSE);
}

static void
run_bulk (CivicQueueView      *self,
          CivicWorkflowAction  action,
          gint64               department_id)
{
  g_auto(CivicQueueBulkResult) result = { 0 };
  g_autoptr(GError) error = NULL;

  if (civic_queue_selection_get_n_selected (self->checked) == 0)
    return;

  /* A ticked mention the queue no longer shows (closed or moved by a
   * colleague since) is not acted on unseen. */
  {
    g_autoptr(GHashTable) shown = g_hash_table_new (g_int64_hash, g_int64_equal);
    g_autoptr(GArray) ticked = civic_queue_selection_dup_ids (self->checked);
    guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
    g_autofree gint64 *ids = g_new (gint64, MAX (n, 1));

    for (guint i = 0; i < n; i++)
      {
        ids[i] = civic_queue_model_get_id (self->model, i);
        g_hash_table_add (shown, &ids[i]);
      }
    for (guint i = 0; i < ticked->len; i++)
      if (!g_hash_table_contains (shown, &g_array_index (ticked, gint64, i)))
        civic_queue_selection_set (self->checked, g_array_index (ticked, gint64, i), FALSE);
    if (civic_queue_selection_get_n_selected (self->checked) == 0)
      return;
  }

  if (!civic_queue_selection_apply (self->checked, self->context, action, department_id, &result, &error))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", error->message);
      return;
    }

  g_free (self->last_report);
  self->last_report = g_strdup (result.message);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", result.message);
  civic_queue_view_set_selection_mode (self, FALSE);
}

static void
claim_selected_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  run_bulk (CIVIC_QUEUE_VIEW (widget), CIVIC_WORKFLOW_CLAIM, 0);
}

static void
close_selected_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  run_bulk (CIVIC_QUEUE_VIEW (widget), CIVIC_WORKFLOW_CLOSE, 0);
}

static void
move_selected_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  run_bulk (CIVIC_QUEUE_VIEW (widget), CIVIC_WORKFLOW_REASSIGN, g_variant_get_int64 (parameter));
}

/* The departments are read when the menu opens: they change in the
 * preferences while the window is open. */
static void
move_button_create_popup_cb (GtkMenuButton *button,
                             gpointer       user_data)
{
  CivicQueueView *self = user_data;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GPtrArray) departments = NULL;
  gint64 current = civic_queue_model_get_department (self->model);

  departments = civic_store_list_departments_brief (civic_context_get_store (self->context), NULL);
  for (guint i = 0; departments != NULL && i < departments->len; i++)
    {
      CivicDepartment *department = g_ptr_array_index (departments, i);
      g_autoptr(GMenuItem) item = NULL;

      if (civic_department_get_id (department) == current)
        continue;

      item = g_menu_item_new (civic_department_is_unsorted (department)
                                ? _("Unsorted") : civic_department_get_name (department), NULL);
      g_menu_item_set_action_and_target_value (item, "queue.move-selected",
                                               g_variant_new_int64 (civic_department_get_id (department)));
      g_menu_append_item (menu, item);
    }

  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu));
}

/* Ctrl+click ticks one row, Shift+click a range, as in Files; either
 * enters selection mode. */
static void
list_pressed_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 CivicQueueView  *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *picked;
  GtkWidget *row;
  CivicMention *mention;
  guint position, anchor;
  gint64 id;

  if ((state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK)) == 0)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  picked = gtk_widget_pick (GTK_WIDGET (self->list_view), x, y, GTK_PICK_DEFAULT);
  row = picked != NULL ? gtk_widget_get_ancestor (picked, CIVIC_TYPE_QUEUE_ROW) : NULL;
  mention = row != NULL ? civic_queue_row_get_mention (CIVIC_QUEUE_ROW (row)) : NULL;
  id = mention != NULL ? civic_mention_get_id (mention) : 0;
  position = id != 0 ? civic_queue_model_find (self->model, id) : G_MAXUINT;
  if (position == G_MAXUINT)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);

  if (!self->selection_mode)
    {
      /* The mention in hand is where the range starts, and is ticked. */
      guint current = gtk_single_selection_get_selected (self->selection);

      civic_queue_view_set_selection_mode (self, TRUE);
      if (current != GTK_INVALID_LIST_POSITION)
        {
          self->check_anchor = civic_queue_model_get_id (self->model, current);
          civic_queue_selection_set (self->checked, self->check_anchor, TRUE);
        }
    }

  anchor = self->check_anchor != 0 ? civic_queue_model_find (self->model, self->check_anchor) : G_MAXUINT;
  if ((state & GDK_SHIFT_MASK) != 0 && anchor != G_MAXUINT)
    civic_queue_selection_select_range (self->checked, anchor, position);
  else
    {
      civic_queue_selection_set (self->checked, id, !civic_queue_selection_contains (self->checked, id));
      self->check_anchor = id;
    }
}

static void
setup_selection_input (CivicQueueView *self)
{
  GtkEventController *controller;
  GtkGesture *click;

  click = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (list_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (click));

  /* On the list side only: Ctrl+A in the composer selects its text. */
  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_a, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("queue.select-all")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("queue.leave-selection")));
  gtk_widget_add_controller (gtk_widget_get_parent (GTK_WIDGET (self->search_bar)), controller);

  gtk_menu_button_set_create_popup_func (self->move_button, move_button_create_popup_cb, self, NULL);
}

static void
civic_queue_view_constructed (GObject *object)
{
  CivicQueueView *self = (CivicQueueView *) object;
  GtkListItemFactory *factory;
  GtkWidget *separator;

  G_OBJECT_CLASS (civic_queue_view_parent_class)->constructed (object);

  self->model = civic_queue_model_new (self->context);
  g_signal_connect_object (self->model, "items-changed",
                           G_CALLBACK (model_items_changed_cb), self, 0);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_row_cb), self);

  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_object_unref (factory);

  separator = gtk_separator_new (GTK_ORIENTATION_VERTICAL);
  adw_leaflet_page_set_navigatable (adw_leaflet_append (self->leaflet, separator), FALSE);
  self->detail = CIVIC_MENTION_DETAIL (civic_mention_detail_new (self->context));
  gtk_widget_set_hexpand (GTK_WIDGET (self->detail), TRUE);
  adw_leaflet_append (self->leaflet, GTK_WIDGET (self->detail));

  self->filters = CIVIC_FILTER_POPOVER (civic_filter_popover_new (self->context));
  gtk_menu_button_set_popover (self->filters_button, GTK_WIDGET (self->filters));
  civic_filter_popover_set_filter (self->filters, civic_queue_model_get_filter (self->model));
  g_signal_connect_swapped (self->filters, "changed", G_CALLBACK (apply_filter), self);
  g_signal_connect (self->filters, "view-activated", G_CALLBACK (view_activated_cb), self);

  self->checked = civic_queue_selection_new (self->model);
  g_signal_connect_object (self->checked, "changed", G_CALLBACK (update_selection_ui), self, G_CONNECT_SWAPPED);
  setup_selection_input (self);
  update_selection_ui (self);

  self->tick_source = g_timeout_add_seconds (60, tick_cb, self);

  update_page (self);
}

static void
civic_queue_view_dispose (GObject *object)
{
  CivicQueueView *self = (CivicQueueView *) object;

  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->search_source, g_source_remove);
  g_clear_handle_id (&self->reselect_source, g_source_remove);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  self->detail = NULL;
  if (self->filters != NULL)
    g_signal_handlers_disconnect_by_data (self->filters, self);
  self->filters = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_QUEUE_VIEW);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  g_clear_object (&self->checked);
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
  g_clear_pointer (&self->last_report, g_free);

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
    case PROP_SELECTION_MODE:
      civic_queue_view_set_selection_mode (self, g_value_get_boolean (value));
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
    case PROP_SELECTION_MODE:
      g_value_set_boolean (value, self->selection_mode);
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

  properties[PROP_SELECTION_MODE] =
    g_param_spec_boolean ("selection-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "queue.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "queue.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "queue.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "queue.select-mention", "x", select_mention_action);
  gtk_widget_class_install_property_action (widget_class, "queue.selection-mode", "selection-mode");
  gtk_widget_class_install_action (widget_class, "queue.check-mention", "(xb)", check_mention_action);
  gtk_widget_class_install_action (widget_class, "queue.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "queue.leave-selection", NULL, leave_selection_action);
  gtk_widget_class_install_action (widget_class, "queue.claim-selected", NULL, claim_selected_action);
  gtk_widget_class_install_action (widget_class, "queue.close-selected", NULL, close_selected_action);
  gtk_widget_class_install_action (widget_class, "queue.move-selected", "x", move_selected_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/civicdesk/CivicDesk/civic-queue-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicQueueView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueView, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueView, filters_button);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueView, place_toggle);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueView, photo_toggle);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueView, count_label);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueView, stack);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueView, list_view);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueView, action_revealer);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueView, selected_label);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueView, move_button);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, toggle_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activated_cb);
}

static void
civic_queue_view_init (CivicQueueView *self)
{
  self->last_position = GTK_INVALID_LIST_POSITION;
  self->check_anchor = 0;
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
      g_autofree char *escaped = NULL;

      /* Translators: shown when a department has nothing open */
      description = g_strdup_printf (_("Every mention for %s has been answered."),
                                     civic_department_is_unsorted (department)
                                       ? _("Unsorted") : civic_department_get_name (department));
      /* A status page's description is markup: "Parques & Jardines". */
      escaped = g_markup_escape_text (description, -1);
      adw_status_page_set_description (self->empty_page, escaped);
    }

  civic_queue_view_set_selection_mode (self, FALSE);
  civic_queue_model_set_department (self->model, department != NULL ? civic_department_get_id (department) : 0);
  civic_filter_popover_set_filter (self->filters, civic_queue_model_get_filter (self->model));
  update_page (self);

  /* A new queue starts on its first (most pressing) mention, shown right
   * after the list: the list comes first on screen. */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  civic_mention_detail_set_mention (self->detail, 0);
  if (self->reselect_source == 0)
    self->reselect_source = g_idle_add (reselect_cb, self);
}

CivicQueueModel *
civic_queue_view_get_model (CivicQueueView *self)
{
  g_return_val_if_fail (CIVIC_IS_QUEUE_VIEW (self), NULL);
  return self->model;
}

CivicFilterPopover *
civic_queue_view_get_filters (CivicQueueView *self)
{
  g_return_val_if_fail (CIVIC_IS_QUEUE_VIEW (self), NULL);
  return self->filters;
}

CivicMentionDetail *
civic_queue_view_get_detail (CivicQueueView *self)
{
  g_return_val_if_fail (CIVIC_IS_QUEUE_VIEW (self), NULL);
  return self->detail;
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

gboolean
civic_queue_view_select_mention (CivicQueueView *self,
                                 gint64          mention_id)
{
  guint position;

  g_return_val_if_fail (CIVIC_IS_QUEUE_VIEW (self), FALSE);

  position = civic_queue_model_find (self->model, mention_id);
  if (position == G_MAXUINT)
    {
      /* Not in the filtered queue (closed, another department): show it anyway. */
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      civic_mention_detail_set_mention (self->detail, mention_id);
      return FALSE;
    }

  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  return TRUE;
}

gint64
civic_queue_view_get_selected_id (CivicQueueView *self)
{
  CivicMention *mention;

  g_return_val_if_fail (CIVIC_IS_QUEUE_VIEW (self), 0);

  mention = gtk_single_selection_get_selected_item (self->selection);
  return mention != NULL ? civic_mention_get_id (mention) : 0;
}

void
civic_queue_view_set_search_text (CivicQueueView *self,
                                  const char     *text)
{
  g_return_if_fail (CIVIC_IS_QUEUE_VIEW (self));

  gtk_search_bar_set_search_mode (self->search_bar, text != NULL && *text != '\0');
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  g_clear_handle_id (&self->search_source, g_source_remove);
  apply_filter (self);
}

void
civic_queue_view_set_selection_mode (CivicQueueView *self,
                                     gboolean        selection_mode)
{
  g_return_if_fail (CIVIC_IS_QUEUE_VIEW (self));

  selection_mode = !!selection_mode;
  if (self->selection_mode == selection_mode)
    return;

  self->selection_mode = selection_mode;
  if (!selection_mode)
    {
      self->check_anchor = 0;
      civic_queue_selection_clear (self->checked);
    }
  update_selection_ui (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION_MODE]);
}

gboolean
civic_queue_view_get_selection_mode (CivicQueueView *self)
{
  g_return_val_if_fail (CIVIC_IS_QUEUE_VIEW (self), FALSE);
  return self->selection_mode;
}

CivicQueueSelection *
civic_queue_view_get_checked (CivicQueueView *self)
{
  g_return_val_if_fail (CIVIC_IS_QUEUE_VIEW (self), NULL);
  return self->checked;
}

const char *
civic_queue_view_get_last_report (CivicQueueView *self)
{
  g_return_val_if_fail (CIVIC_IS_QUEUE_VIEW (self), NULL);
  return self->last_report;
}
