/* civic-main-layout.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "civic-account-sync.h"
#include "civic-department-row.h"
#include "civic-html.h"
#include "civic-main-layout.h"
#include "civic-map-view.h"
#include "civic-outbox-indicator.h"
#include "civic-stats-view.h"
#include "civic-sync.h"

#define REFRESH_DELAY_MS 300

struct _CivicMainLayout
{
  GtkWidget parent_instance;

  /* Template children */
  AdwLeaflet *leaflet;
  GtkListBox *department_list;
  AdwViewSwitcherTitle *content_title;
  GtkBox *content_box;
  AdwViewStack *view_stack;
  GtkListBox *account_list;
  GtkImage *accounts_icon;
  GtkLabel *accounts_label;

  CivicContext *context;        /* owned */
  GListStore *departments;      /* owned: CivicDepartment */
  CivicQueueView *queue_view;   /* borrowed: a page of view_stack */
  CivicMapView *map_view;       /* borrowed: in map_page once first shown */
  GtkWidget *map_page;          /* borrowed: a page of view_stack */
  GtkWidget *stats_page;        /* borrowed: a page of view_stack */
  gulong store_changed_id;
  guint refresh_source;
  guint tick_source;
  CivicStore *reader;           /* owned: a second connection for counting in a worker */
  GCancellable *cancellable;    /* owned */
  gboolean counting;
  gboolean count_again;
  gboolean no_reader;
};

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CivicMainLayout, civic_main_layout, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static GtkWidget *
create_department_row (gpointer item,
                       gpointer user_data)
{
  return civic_department_row_new (CIVIC_DEPARTMENT (item));
}

static const char *
sync_state_icon (CivicSyncState state)
{
  switch (state)
    {
    case CIVIC_SYNC_STATE_LIVE:
    case CIVIC_SYNC_STATE_POLLING:
      return "network-transmit-receive-symbolic";
    case CIVIC_SYNC_STATE_CONNECTING:
    case CIVIC_SYNC_STATE_CATCHING_UP:
      return "content-loading-symbolic";
    case CIVIC_SYNC_STATE_LOGIN_EXPIRED:
      return "dialog-password-symbolic";
    case CIVIC_SYNC_STATE_RECONNECTING:
    case CIVIC_SYNC_STATE_RATE_LIMITED:
    case CIVIC_SYNC_STATE_FAILED:
      return "network-error-symbolic";
    case CIVIC_SYNC_STATE_IDLE:
    default:
      return "network-offline-symbolic";
    }
}

static void
update_account_row (CivicAccountSync *account,
                    GParamSpec       *pspec,
                    AdwActionRow     *row)
{
  GtkImage *icon = g_object_get_data (G_OBJECT (row), "civic-icon");
  CivicSyncState state = civic_account_sync_get_state (account);
  g_autofree char *escaped = civic_markup_escape (civic_account_sync_get_message (account), -1);
  g_autofree char *accessible = g_strdup_printf ("@%s: %s", civic_account_sync_get_acct (account),
                                                 civic_account_sync_get_message (account));

  adw_action_row_set_subtitle (row, escaped);
  gtk_image_set_from_icon_name (icon, sync_state_icon (state));
  if (state == CIVIC_SYNC_STATE_LOGIN_EXPIRED || state == CIVIC_SYNC_STATE_FAILED ||
      state == CIVIC_SYNC_STATE_RECONNECTING || state == CIVIC_SYNC_STATE_RATE_LIMITED)
    gtk_widget_add_css_class (GTK_WIDGET (icon), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (icon), "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

/* One line for all accounts: "6 accounts live", or the first problem. */
static void
update_accounts_summary (CivicMainLayout *self)
{
  GListModel *accounts;
  g_autoptr(CivicAccountSync) worst = NULL;
  guint n, n_ok = 0;

  if (civic_context_get_sync (self->context) == NULL)
    return;

  accounts = civic_sync_get_accounts (civic_context_get_sync (self->context));
  n = g_list_model_get_n_items (accounts);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CivicAccountSync) account = g_list_model_get_item (accounts, i);
      CivicSyncState state = civic_account_sync_get_state (account);

      if (state == CIVIC_SYNC_STATE_LIVE || state == CIVIC_SYNC_STATE_POLLING ||
          state == CIVIC_SYNC_STATE_CATCHING_UP || state == CIVIC_SYNC_STATE_CONNECTING)
        n_ok++;
      else if (worst == NULL)
        worst = g_object_ref (account);
    }

  if (n == 0)
    {
      gtk_label_set_label (self->accounts_label, _("Not connected"));
      gtk_image_set_from_icon_name (self->accounts_icon, "network-offline-symbolic");
    }
  else if (worst != NULL)
    {
      g_autofree char *text = g_strdup_printf ("@%s: %s", civic_account_sync_get_acct (worst),
                                               civic_account_sync_get_message (worst));

      gtk_label_set_label (self->accounts_label, text);
      gtk_image_set_from_icon_name (self->accounts_icon, sync_state_icon (civic_account_sync_get_state (worst)));
    }
  else
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u account connected",
                                                            "%u accounts connected", n), n);

      gtk_label_set_label (self->accounts_label, text);
      gtk_image_set_from_icon_name (self->accounts_icon, "network-transmit-receive-symbolic");
    }

  if (worst != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->accounts_icon), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->accounts_icon), "warning");
}

static void
account_changed_cb (CivicAccountSync *account,
                    GParamSpec       *pspec,
                    CivicMainLayout  *self)
{
  update_accounts_summary (self);
}

static GtkWidget *
create_account_row (gpointer item,
                    gpointer user_data)
{
  CivicAccountSync *account = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new ();
  g_autofree char *title = g_strconcat ("@", civic_account_sync_get_acct (account), NULL);
  g_autofree char *escaped = civic_markup_escape (title, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_object_set_data (G_OBJECT (row), "civic-icon", icon);
  gtk_widget_add_css_class (row, "civic-account-row");

  g_signal_connect_object (account, "notify::message", G_CALLBACK (update_account_row), row, 0);
  g_signal_connect_object (account, "notify::state", G_CALLBACK (update_account_row), row, 0);
  g_signal_connect_object (account, "notify::message", G_CALLBACK (account_changed_cb), user_data, 0);
  update_account_row (account, NULL, ADW_ACTION_ROW (row));
  update_accounts_summary (user_data);

  return row;
}

static gboolean
same_departments (GListModel *model,
                  GPtrArray  *fresh)
{
  if (g_list_model_get_n_items (model) != fresh->len)
    return FALSE;

  for (guint i = 0; i < fresh->len; i++)
    {
      g_autoptr(CivicDepartment) old = g_list_model_get_item (model, i);
      CivicDepartment *new = g_ptr_array_index (fresh, i);

      if (civic_department_get_id (old) != civic_department_get_id (new) ||
          g_strcmp0 (civic_department_get_name (old), civic_department_get_name (new)) != 0 ||
          g_strcmp0 (civic_department_get_colour (old), civic_department_get_colour (new)) != 0)
        return FALSE;
    }

  return TRUE;
}

static void sync_map_filter (CivicMainLayout *self);

static void
update_welcome (CivicMainLayout *self)
{
  CivicStore *store = civic_context_get_store (self->context);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->departments));
  gboolean connected = FALSE;

  for (guint i = 0; i < n && !connected; i++)
    {
      g_autoptr(CivicDepartment) department = g_list_model_get_item (G_LIST_MODEL (self->departments), i);

      connected = civic_department_get_account (department) != NULL;
    }

  civic_queue_view_set_welcome (self->queue_view, !connected && !civic_store_has_mentions (store));
}

static void
apply_departments (CivicMainLayout *self,
                   GPtrArray       *fresh)
{
  g_autofree char *selected_slug = NULL;
  CivicDepartment *selected;

  if (same_departments (G_LIST_MODEL (self->departments), fresh))
    {
      /* Only counts moved: update them in place, the rows follow. */
      for (guint i = 0; i < fresh->len; i++)
        {
          g_autoptr(CivicDepartment) old = g_list_model_get_item (G_LIST_MODEL (self->departments), i);
          CivicDepartment *new = g_ptr_array_index (fresh, i);

          civic_department_set_counts (old,
                                       civic_department_get_open_count (new),
                                       civic_department_get_overdue_count (new));
          civic_department_set_account (old, civic_department_get_account (new));
        }
    }
  else
    {
      selected = civic_main_layout_get_department (self);
      if (selected != NULL)
        selected_slug = g_strdup (civic_department_get_slug (selected));

      g_list_store_splice (self->departments, 0,
                           g_list_model_get_n_items (G_LIST_MODEL (self->departments)),
                           fresh->pdata, fresh->len);

      /* "Unsorted" was only picked because it was alone: prefer real work. */
      if (g_strcmp0 (selected_slug, CIVIC_DEPARTMENT_UNSORTED) == 0 && fresh->len > 1)
        g_clear_pointer (&selected_slug, g_free);

      if (selected_slug == NULL || !civic_main_layout_select_department (self, selected_slug))
        {
          /* Start on the first department that has work, else the first. */
          GtkListBoxRow *row = NULL;

          for (guint i = 0; i < fresh->len && row == NULL; i++)
            if (civic_department_get_open_count (g_ptr_array_index (fresh, i)) > 0)
              row = gtk_list_box_get_row_at_index (self->department_list, (int) i);
          if (row == NULL)
            row = gtk_list_box_get_row_at_index (self->department_list, 0);
          if (row != NULL)
            gtk_list_box_select_row (self->department_list, row);
        }
    }

  update_welcome (self);
}

void
civic_main_layout_refresh (CivicMainLayout *self)
{
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CIVIC_IS_MAIN_LAYOUT (self));

  g_clear_handle_id (&self->refresh_source, g_source_remove);

  fresh = civic_store_list_departments (civic_context_get_store (self->context),
                                        civic_context_get_now_ms (self->context), &error);
  if (fresh == NULL)
    {
      g_warning ("Could not list departments: %s", error->message);
      return;
    }

  apply_departments (self, fresh);
}

/* While a backfill stores thousands of mentions a second, counting a long
 * queue twice a second would cost frames: a second connection counts in a
 * worker thread, and the sidebar takes the result when it comes. */

typedef struct
{
  CivicStore *reader;   /* borrowed: the layout's, one task at a time */
  gint64 now_ms;
} CountJob;

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CountJob *job = task_data;
  GError *error = NULL;
  GPtrArray *fresh = civic_store_list_departments (job->reader, job->now_ms, &error);

  if (fresh == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, fresh, (GDestroyNotify) g_ptr_array_unref);
}

static void refresh_in_background (CivicMainLayout *self);

static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CivicMainLayout *self = CIVIC_MAIN_LAYOUT (source);
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GError) error = NULL;

  fresh = g_task_propagate_pointer (G_TASK (result), &error);
  self->counting = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (fresh != NULL)
    apply_departments (self, fresh);
  else
    g_debug ("Could not count the queues: %s", error->message);

  if (self->count_again)
    {
      self->count_again = FALSE;
      refresh_in_background (self);
    }
}

static void
refresh_in_background (CivicMainLayout *self)
{
  g_autoptr(GTask) task = NULL;
  CountJob *job;

  if (self->reader == NULL && !self->no_reader)
    {
      self->reader = civic_store_open_reader (civic_context_get_store (self->context), NULL);
      self->no_reader = self->reader == NULL;
    }

  if (self->reader == NULL)
    {
      civic_main_layout_refresh (self);
      return;
    }

  if (self->counting)
    {
      self->count_again = TRUE;
      return;
    }

  job = g_new0 (CountJob, 1);
  job->reader = self->reader;
  job->now_ms = civic_context_get_now_ms (self->context);

  self->counting = TRUE;
  task = g_task_new (self, self->cancellable, counted_cb, NULL);
  g_task_set_task_data (task, job, g_free);
  g_task_run_in_thread (task, count_thread);
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  CivicMainLayout *self = user_data;

  self->refresh_source = 0;
  refresh_in_background (self);

  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (CivicStore      *store,
                  CivicMainLayout *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (REFRESH_DELAY_MS, refresh_timeout_cb, self);
}

static gboolean
tick_cb (gpointer user_data)
{
  /* Items become overdue with time alone: recount once a minute. */
  refresh_in_background (user_data);

  return G_SOURCE_CONTINUE;
}

static void
department_row_selected_cb (GtkListBox      *box,
                            GtkListBoxRow   *row,
                            CivicMainLayout *self)
{
  CivicDepartment *department = NULL;

  if (row != NULL)
    department = civic_department_row_get_department (CIVIC_DEPARTMENT_ROW (row));

  civic_queue_view_set_department (self->queue_view, department);

  if (department != NULL)
    {
      adw_view_switcher_title_set_title (self->content_title,
                                         civic_department_is_unsorted (department)
                                           ? _("Unsorted") : civic_department_get_name (department));
      adw_view_switcher_title_set_subtitle (self->content_title,
                                            civic_department_get_account (department) != NULL
                                              ? civic_department_get_account (department) : "");
    }
  else
    {
      adw_view_switcher_title_set_title (self->content_title, _("Civic Desk"));
      adw_view_switcher_title_set_subtitle (self->content_title, "");
    }

  sync_map_filter (self);
}

/* The map shows what the queue shows: same department and filters. */
static void
sync_map_filter (CivicMainLayout *self)
{
  if (self->map_view != NULL && self->queue_view != NULL)
    civic_map_view_set_filter (self->map_view,
                               civic_queue_model_get_filter (civic_queue_view_get_model (self->queue_view)));
}

static void map_mention_activated_cb (CivicMapView    *map,
                                      gint64           mention_id,
                                      CivicMainLayout *self);

/* The map (tiles, a spatial index) and the statistics (a pass over the
 * period) cost time and memory: they are built when first shown, so the
 * desk's first frame is the queue's alone. */
static void
ensure_map (CivicMainLayout *self)
{
  if (self->map_view != NULL)
    return;

  self->map_view = civic_map_view_new (self->context);
  gtk_widget_set_vexpand (GTK_WIDGET (self->map_view), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->map_view), TRUE);
  gtk_box_append (GTK_BOX (self->map_page), GTK_WIDGET (self->map_view));
  g_signal_connect_object (self->map_view, "mention-activated",
                           G_CALLBACK (map_mention_activated_cb), self, 0);
}

static void
ensure_stats (CivicMainLayout *self)
{
  GtkWidget *stats;

  if (gtk_widget_get_first_child (self->stats_page) != NULL)
    return;

  stats = civic_stats_view_new (self->context);
  gtk_widget_set_vexpand (stats, TRUE);
  gtk_widget_set_hexpand (stats, TRUE);
  gtk_box_append (GTK_BOX (self->stats_page), stats);
}

static void
visible_page_cb (AdwViewStack    *stack,
                 GParamSpec      *pspec,
                 CivicMainLayout *self)
{
  const char *page = adw_view_stack_get_visible_child_name (stack);

  if (g_strcmp0 (page, "map") == 0)
    {
      ensure_map (self);
      sync_map_filter (self);
      civic_map_view_set_selected_mention (self->map_view, civic_queue_view_get_selected_id (self->queue_view));
    }
  else if (g_strcmp0 (page, "stats") == 0)
    ensure_stats (self);
}

static void
select_department_by_id (CivicMainLayout *self,
                         gint64           department_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->departments));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CivicDepartment) department = g_list_model_get_item (G_LIST_MODEL (self->departments), i);

      if (civic_department_get_id (department) == department_id)
        {
          gtk_list_box_select_row (self->department_list, gtk_list_box_get_row_at_index (self->department_list, (int) i));
          return;
        }
    }
}

/* Shows a mention in the queue: its department, selected, in full. */
static void
open_mention (CivicMainLayout *self,
              gint64           mention_id)
{
  g_autoptr(CivicMention) mention = civic_store_load_mention (civic_context_get_store (self->context),
                                                              mention_id, NULL);

  if (mention == NULL)
    return;

  select_department_by_id (self, civic_mention_get_department_id (mention));
  civic_queue_view_select_mention (self->queue_view, mention_id);
  adw_view_stack_set_visible_child_name (self->view_stack, "queue");
}

static void
map_mention_activated_cb (CivicMapView    *map,
                          gint64           mention_id,
                          CivicMainLayout *self)
{
  open_mention (self, mention_id);
}

static void
open_mention_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  open_mention (CIVIC_MAIN_LAYOUT (widget), g_variant_get_int64 (parameter));
}

static void
show_on_map_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CivicMainLayout *self = CIVIC_MAIN_LAYOUT (widget);
  CivicMention *mention = civic_mention_detail_get_mention (civic_queue_view_get_detail (self->queue_view));
  double lat, lon;

  if (mention == NULL || !civic_mention_get_point (mention, &lat, &lon))
    return;

  adw_view_stack_set_visible_child_name (self->view_stack, "map");
  ensure_map (self);
  civic_map_view_set_selected_mention (self->map_view, civic_mention_get_id (mention));
  civic_map_view_go_to (self->map_view, lat, lon, 18);
}

static void
department_row_activated_cb (GtkListBox      *box,
                             GtkListBoxRow   *row,
                             CivicMainLayout *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
back_clicked_cb (GtkButton       *button,
                 CivicMainLayout *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
civic_main_layout_constructed (GObject *object)
{
  CivicMainLayout *self = (CivicMainLayout *) object;
  CivicStore *store = civic_context_get_store (self->context);

  G_OBJECT_CLASS (civic_main_layout_parent_class)->constructed (object);

  self->queue_view = CIVIC_QUEUE_VIEW (civic_queue_view_new (self->context));
  adw_view_stack_add_titled_with_icon (self->view_stack, GTK_WIDGET (self->queue_view), "queue",
                                       _("Queue"), "view-list-symbolic");
  self->map_page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  adw_view_stack_add_titled_with_icon (self->view_stack, self->map_page, "map",
                                       _("Map"), "mark-location-symbolic");
  self->stats_page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  adw_view_stack_add_titled_with_icon (self->view_stack, self->stats_page, "stats",
                                       _("Statistics"), "x-office-spreadsheet-symbolic");
  g_signal_connect_object (self->view_stack, "notify::visible-child",
                           G_CALLBACK (visible_page_cb), self, 0);

  /* Replies waiting to go out, beside the views' title. */
  adw_header_bar_pack_end (ADW_HEADER_BAR (gtk_widget_get_ancestor (GTK_WIDGET (self->content_title), ADW_TYPE_HEADER_BAR)),
                           civic_outbox_indicator_new (self->context));

  gtk_list_box_bind_model (self->department_list, G_LIST_MODEL (self->departments),
                           create_department_row, self, NULL);

  if (civic_context_get_sync (self->context) != NULL)
    {
      GListModel *accounts = civic_sync_get_accounts (civic_context_get_sync (self->context));

      gtk_list_box_bind_model (self->account_list, accounts, create_account_row, self, NULL);
      g_signal_connect_object (accounts, "items-changed", G_CALLBACK (civic_main_layout_refresh),
                               self, G_CONNECT_SWAPPED);
    }

  self->store_changed_id = g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
  self->tick_source = g_timeout_add_seconds (60, tick_cb, self);

  civic_main_layout_refresh (self);
}

static void
civic_main_layout_dispose (GObject *object)
{
  CivicMainLayout *self = (CivicMainLayout *) object;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->context != NULL)
    g_clear_signal_handler (&self->store_changed_id, civic_context_get_store (self->context));

  /* Tearing the sidebar down unselects its row: do not let that reach a
   * queue view that is going away too. */
  if (self->department_list != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->department_list, self);
      gtk_list_box_bind_model (self->department_list, NULL, NULL, NULL, NULL);
    }
  if (self->account_list != NULL)
    gtk_list_box_bind_model (self->account_list, NULL, NULL, NULL, NULL);
  self->queue_view = NULL;
  self->map_view = NULL;
  self->map_page = NULL;
  self->stats_page = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_MAIN_LAYOUT);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->departments);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (civic_main_layout_parent_class)->dispose (object);
}

static void
civic_main_layout_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CivicMainLayout *self = CIVIC_MAIN_LAYOUT (object);

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
civic_main_layout_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CivicMainLayout *self = CIVIC_MAIN_LAYOUT (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Keyboard: single keys act on the queue and the selected mention. They are
 * bubble-phase shortcuts of this widget, so an entry that has the focus
 * (search, notes, the reply) gets its letters first. */

static gboolean
forward_to_queue (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  CivicMainLayout *self = CIVIC_MAIN_LAYOUT (widget);

  return gtk_widget_activate_action (GTK_WIDGET (self->queue_view), g_variant_get_string (args, NULL), NULL);
}

static gboolean
forward_to_detail (GtkWidget *widget,
                   GVariant  *args,
                   gpointer   user_data)
{
  CivicMainLayout *self = CIVIC_MAIN_LAYOUT (widget);
  GtkWidget *detail = GTK_WIDGET (civic_queue_view_get_detail (self->queue_view));

  return gtk_widget_activate_action (detail, g_variant_get_string (args, NULL), NULL);
}

static gboolean
select_department_shortcut (GtkWidget *widget,
                            GVariant  *args,
                            gpointer   user_data)
{
  CivicMainLayout *self = CIVIC_MAIN_LAYOUT (widget);
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->department_list, g_variant_get_int32 (args));

  if (row == NULL)
    return FALSE;

  gtk_list_box_select_row (self->department_list, row);
  return TRUE;
}

static void
civic_main_layout_finalize (GObject *object)
{
  CivicMainLayout *self = (CivicMainLayout *) object;

  /* Finalized only once no counting task holds the layout. */
  g_clear_object (&self->reader);

  G_OBJECT_CLASS (civic_main_layout_parent_class)->finalize (object);
}

static void
civic_main_layout_class_init (CivicMainLayoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = civic_main_layout_constructed;
  object_class->dispose = civic_main_layout_dispose;
  object_class->finalize = civic_main_layout_finalize;
  object_class->get_property = civic_main_layout_get_property;
  object_class->set_property = civic_main_layout_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CIVIC_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "desk.open-mention", "x", open_mention_action);
  gtk_widget_class_install_action (widget_class, "desk.show-on-map", NULL, show_on_map_action);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_j, 0, forward_to_queue, "s", "queue.next");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_k, 0, forward_to_queue, "s", "queue.previous");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_slash, 0, forward_to_queue, "s", "queue.search");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, forward_to_queue, "s", "queue.search");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_c, 0, forward_to_detail, "s", "mention.claim");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_e, 0, forward_to_detail, "s", "mention.close");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_r, 0, forward_to_detail, "s", "mention.reply");
  for (int i = 0; i < 9; i++)
    gtk_widget_class_add_binding (widget_class, GDK_KEY_1 + i, GDK_CONTROL_MASK,
                                  select_department_shortcut, "i", i);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/civicdesk/CivicDesk/civic-main-layout.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicMainLayout, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CivicMainLayout, department_list);
  gtk_widget_class_bind_template_child (widget_class, CivicMainLayout, content_title);
  gtk_widget_class_bind_template_child (widget_class, CivicMainLayout, content_box);
  gtk_widget_class_bind_template_child (widget_class, CivicMainLayout, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CivicMainLayout, account_list);
  gtk_widget_class_bind_template_child (widget_class, CivicMainLayout, accounts_icon);
  gtk_widget_class_bind_template_child (widget_class, CivicMainLayout, accounts_label);
  gtk_widget_class_bind_template_callback (widget_class, department_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, department_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
}


static void
civic_main_layout_init (CivicMainLayout *self)
{
  self->cancellable = g_cancellable_new ();
  self->departments = g_list_store_new (CIVIC_TYPE_DEPARTMENT);
  gtk_widget_init_template (GTK_WIDGET (self));
}

CivicMainLayout *
civic_main_layout_new (CivicContext *context)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);

  return g_object_new (CIVIC_TYPE_MAIN_LAYOUT, "context", context, NULL);
}

GListModel *
civic_main_layout_get_departments (CivicMainLayout *self)
{
  g_return_val_if_fail (CIVIC_IS_MAIN_LAYOUT (self), NULL);

  return G_LIST_MODEL (self->departments);
}

gboolean
civic_main_layout_select_department (CivicMainLayout *self,
                                     const char      *slug)
{
  guint n;

  g_return_val_if_fail (CIVIC_IS_MAIN_LAYOUT (self), FALSE);
  g_return_val_if_fail (slug != NULL, FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->departments));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CivicDepartment) department = g_list_model_get_item (G_LIST_MODEL (self->departments), i);

      if (g_str_equal (civic_department_get_slug (department), slug))
        {
          gtk_list_box_select_row (self->department_list,
                                   gtk_list_box_get_row_at_index (self->department_list, (int) i));
          return TRUE;
        }
    }

  return FALSE;
}

CivicDepartment *
civic_main_layout_get_department (CivicMainLayout *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (CIVIC_IS_MAIN_LAYOUT (self), NULL);

  row = gtk_list_box_get_selected_row (self->department_list);
  if (row == NULL)
    return NULL;

  return civic_department_row_get_department (CIVIC_DEPARTMENT_ROW (row));
}

CivicQueueView *
civic_main_layout_get_queue_view (CivicMainLayout *self)
{
  g_return_val_if_fail (CIVIC_IS_MAIN_LAYOUT (self), NULL);

  return self->queue_view;
}
