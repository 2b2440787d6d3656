/* civic-preferences-window.c
 *
 * The desk's preferences. Settings of this computer (who sits here, the
 * map, notifications, retention) are GSettings, bound to their rows; what
 * all desks share (accounts, departments, rules, templates) is the store,
 * written by the rows themselves.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-account-row.h"
#include "civic-department-editor.h"
#include "civic-mbtiles.h"
#include "civic-preferences-window.h"
#include "civic-preferences-window-private.h"
#include "civic-rule-row.h"
#include "civic-store-sync.h"
#include "civic-sync.h"
#include "civic-template-row.h"

struct _CivicPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* Template children */
  AdwEntryRow *person_row;
  AdwEntryRow *desk_name_row;
  AdwEntryRow *initials_row;
  AdwPreferencesGroup *accounts_group;
  GtkButton *connect_button;
  AdwPreferencesGroup *departments_group;
  AdwPreferencesGroup *new_rule_group;
  AdwPreferencesGroup *rules_group;
  AdwPreferencesGroup *new_template_group;
  AdwPreferencesGroup *templates_group;
  AdwEntryRow *tile_url_row;
  AdwActionRow *mbtiles_row;
  GtkButton *mbtiles_clear_button;
  GtkLabel *map_error_label;
  GtkSwitch *priority_switch;
  GtkSwitch *overdue_switch;
  AdwPreferencesGroup *notify_departments_group;
  GtkSpinButton *retention_spin;

  CivicContext *context;           /* owned */
  GSettings *settings;             /* owned */
  GtkFileChooserNative *chooser;   /* owned, while choosing */
  GPtrArray *departments;          /* owned: CivicDepartment, as last read */
  /* Rows added to groups by code (owned by their group), to remove on
   * the next refresh. */
  GPtrArray *account_rows;
  GPtrArray *department_rows;
  GPtrArray *rule_rows;
  GPtrArray *template_rows;
  GPtrArray *notify_rows;
  guint rules_idle;
  guint templates_idle;
  guint accounts_idle;
};

G_DEFINE_FINAL_TYPE (CivicPreferencesWindow, civic_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void refresh_rules          (CivicPreferencesWindow *self);
static void refresh_templates      (CivicPreferencesWindow *self);
static void account_signed_out_cb  (CivicPreferencesWindow *self);

/* Shared with the rows (civic-preferences-window-private.h) */

void
_civic_preferences_toast (GtkWidget  *widget,
                          const char *message)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (ADW_IS_PREFERENCES_WINDOW (root))
    {
      /* A toast's title is markup in libadwaita 1.2: plain text only. */
      g_autofree char *escaped = g_markup_escape_text (message, -1);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (escaped));
    }
  else if (root != NULL)
    gtk_widget_activate_action (GTK_WIDGET (root), "win.toast", "s", message);
}

const char *
_civic_preferences_department_name (CivicDepartment *department)
{
  if (civic_department_is_unsorted (department))
    return _("Unsorted");
  return civic_department_get_name (department);
}

GtkStringList *
_civic_preferences_department_model (GPtrArray  *departments,
                                     const char *first_item,
                                     GArray     *ids)
{
  GtkStringList *model = gtk_string_list_new (NULL);
  gint64 none = 0;

  g_array_set_size (ids, 0);
  if (first_item != NULL)
    {
      gtk_string_list_append (model, first_item);
      g_array_append_val (ids, none);
    }

  for (guint i = 0; i < departments->len; i++)
    {
      CivicDepartment *department = g_ptr_array_index (departments, i);
      gint64 id = civic_department_get_id (department);

      if (civic_department_is_unsorted (department))
        continue;
      gtk_string_list_append (model, civic_department_get_name (department));
      g_array_append_val (ids, id);
    }

  return model;
}

guint
_civic_preferences_find_id (GArray *ids,
                            gint64  department_id)
{
  for (guint i = 0; i < ids->len; i++)
    {
      if (g_array_index (ids, gint64, i) == department_id)
        return i;
    }

  return 0;
}

gpointer
_civic_preferences_dup_session (CivicContext *context)
{
  CivicSync *sync = civic_context_get_sync (context);

  if (sync != NULL)
    return g_object_ref (civic_sync_get_session (sync));
  return civic_sync_new_session (30);
}

/* Groups filled by code */

/* Removes @rows from whichever group holds each. */
static void
clear_rows (GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (rows, 0);
}

static void
add_row (AdwPreferencesGroup *group,
         GPtrArray           *rows,
         GtkWidget           *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
}

static GtkWidget *
placeholder_row (const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  return row;
}


static gboolean
is_bound (GPtrArray *bound,
          gint64     account_id)
{
  for (guint i = 0; i < bound->len; i++)
    {
      if (((CivicBoundAccount *) g_ptr_array_index (bound, i))->account_id == account_id)
        return TRUE;
    }

  return FALSE;
}

/* Keeps the rows of accounts still bound (one may be signing out), drops
 * the others, and adds the new ones. */
static void
refresh_accounts (CivicPreferencesWindow *self)
{
  g_autoptr(GPtrArray) bound = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  bound = civic_store_list_bound_accounts (civic_context_get_store (self->context), &error);

  for (guint i = 0; i < self->account_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->account_rows, i);

      if (bound != NULL && CIVIC_IS_ACCOUNT_ROW (row) &&
          is_bound (bound, civic_account_row_get_account_id (CIVIC_ACCOUNT_ROW (row))))
        {
          g_ptr_array_add (kept, row);
          g_ptr_array_remove_index (self->account_rows, i--);
        }
    }
  clear_rows (self->account_rows);
  g_ptr_array_extend_and_steal (self->account_rows, g_steal_pointer (&kept));

  if (bound == NULL)
    {
      add_row (self->accounts_group, self->account_rows, placeholder_row (error->message));
      return;
    }
  if (bound->len == 0)
    {
      add_row (self->accounts_group, self->account_rows,
               placeholder_row (_("No department is connected yet")));
      return;
    }

  for (guint i = 0; i < bound->len; i++)
    {
      CivicBoundAccount *account = g_ptr_array_index (bound, i);
      gboolean shown = FALSE;
      GtkWidget *row;

      for (guint j = 0; j < self->account_rows->len && !shown; j++)
        shown = civic_account_row_get_account_id (g_ptr_array_index (self->account_rows, j)) == account->account_id;
      if (shown)
        continue;

      row = civic_account_row_new (self->context, account);
      g_signal_connect_object (row, "signed-out", G_CALLBACK (account_signed_out_cb), self, G_CONNECT_SWAPPED);
      add_row (self->accounts_group, self->account_rows, row);
    }
}

static void
muted_switch_cb (GtkSwitch              *toggle,
                 GParamSpec             *pspec,
                 CivicPreferencesWindow *self)
{
  const char *slug = g_object_get_data (G_OBJECT (toggle), "civic-slug");
  g_auto(GStrv) muted = g_settings_get_strv (self->settings, "notify-muted-departments");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;

  for (guint i = 0; muted[i] != NULL; i++)
    {
      if (!g_str_equal (muted[i], slug))
        g_strv_builder_add (builder, muted[i]);
    }
  if (!gtk_switch_get_active (toggle))
    g_strv_builder_add (builder, slug);

  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "notify-muted-departments", (const char * const *) updated);
}

static void
refresh_departments (CivicPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) muted = g_settings_get_strv (self->settings, "notify-muted-departments");

  g_clear_pointer (&self->departments, g_ptr_array_unref);
  self->departments = civic_store_list_departments_brief (civic_context_get_store (self->context), &error);
  if (self->departments == NULL)
    {
      _civic_preferences_toast (GTK_WIDGET (self), error->message);
      self->departments = g_ptr_array_new_with_free_func (g_object_unref);
    }

  clear_rows (self->department_rows);
  clear_rows (self->notify_rows);

  for (guint i = 0; i < self->departments->len; i++)
    {
      CivicDepartment *department = g_ptr_array_index (self->departments, i);
      const char *name = _civic_preferences_department_name (department);
      GtkWidget *row, *toggle;
      g_autofree char *toggle_name = NULL;

      add_row (self->departments_group, self->department_rows,
               civic_department_editor_new (self->context, department));

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      toggle = gtk_switch_new ();
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (toggle),
                             !g_strv_contains ((const char * const *) muted, civic_department_get_slug (department)));
      /* Translators: the accessible name of a switch, e.g. "Notify about Alcaldía" */
      toggle_name = g_strdup_printf (_("Notify about %s"), name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, toggle_name, -1);
      g_object_set_data_full (G_OBJECT (toggle), "civic-slug",
                              g_strdup (civic_department_get_slug (department)), g_free);
      g_signal_connect_object (toggle, "notify::active", G_CALLBACK (muted_switch_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      add_row (self->notify_departments_group, self->notify_rows, row);
    }

  refresh_rules (self);
  refresh_templates (self);
}

static gboolean
refresh_rules_idle_cb (gpointer user_data)
{
  CivicPreferencesWindow *self = user_data;

  self->rules_idle = 0;
  refresh_rules (self);
  return G_SOURCE_REMOVE;
}

/* Rebuilt after the row's handler returned: the row that changed is
 * among those replaced. Default priority: an idle one waits behind every
 * frame while a spinner turns. */
static void
rules_changed_cb (CivicPreferencesWindow *self)
{
  if (self->rules_idle == 0)
    self->rules_idle = g_idle_add_full (G_PRIORITY_DEFAULT, refresh_rules_idle_cb, self, NULL);
}

static void
refresh_rules (CivicPreferencesWindow *self)
{
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *row;

  clear_rows (self->rule_rows);

  rules = civic_rules_list (civic_context_get_store (self->context), &error);
  if (rules == NULL)
    {
      add_row (self->rules_group, self->rule_rows, placeholder_row (error->message));
      return;
    }

  row = civic_rule_row_new (self->context, self->departments, NULL, rules->len);
  g_signal_connect_object (row, "changed", G_CALLBACK (rules_changed_cb), self, G_CONNECT_SWAPPED);
  add_row (self->new_rule_group, self->rule_rows, row);

  for (guint i = 0; i < rules->len; i++)
    {
      row = civic_rule_row_new (self->context, self->departments, g_ptr_array_index (rules, i), rules->len);
      g_signal_connect_object (row, "changed", G_CALLBACK (rules_changed_cb), self, G_CONNECT_SWAPPED);
      add_row (self->rules_group, self->rule_rows, row);
    }
}

static gboolean
refresh_templates_idle_cb (gpointer user_data)
{
  CivicPreferencesWindow *self = user_data;

  self->templates_idle = 0;
  refresh_templates (self);
  return G_SOURCE_REMOVE;
}

static void
templates_changed_cb (CivicPreferencesWindow *self)
{
  if (self->templates_idle == 0)
    self->templates_idle = g_idle_add_full (G_PRIORITY_DEFAULT, refresh_templates_idle_cb, self, NULL);
}

static void
refresh_templates (CivicPreferencesWindow *self)
{
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *row;

  clear_rows (self->template_rows);

  row = civic_template_row_new (self->context, self->departments, NULL);
  g_signal_connect_object (row, "changed", G_CALLBACK (templates_changed_cb), self, G_CONNECT_SWAPPED);
  add_row (self->new_template_group, self->template_rows, row);

  templates = civic_templates_list (civic_context_get_store (self->context), 0, &error);
  if (templates == NULL)
    {
      add_row (self->templates_group, self->template_rows, placeholder_row (error->message));
      return;
    }

  /* Grouped by department, in the departments' order; shared ones first. */
  for (int d = -1; d < (int) self->departments->len; d++)
    {
      gint64 department_id = d < 0 ? 0 : civic_department_get_id (g_ptr_array_index (self->departments, d));

      for (guint i = 0; i < templates->len; i++)
        {
          CivicTemplate *tmpl = g_ptr_array_index (templates, i);

          if (tmpl->department_id != department_id)
            continue;
          row = civic_template_row_new (self->context, self->departments, tmpl);
          g_signal_connect_object (row, "changed", G_CALLBACK (templates_changed_cb), self, G_CONNECT_SWAPPED);
          add_row (self->templates_group, self->template_rows, row);
        }
    }
}

static gboolean
refresh_accounts_idle_cb (gpointer user_data)
{
  CivicPreferencesWindow *self = user_data;

  self->accounts_idle = 0;
  refresh_accounts (self);
  refresh_departments (self);
  return G_SOURCE_REMOVE;
}

static void
account_signed_out_cb (CivicPreferencesWindow *self)
{
  if (self->accounts_idle == 0)
    self->accounts_idle = g_idle_add_full (G_PRIORITY_DEFAULT, refresh_accounts_idle_cb, self, NULL);
}

static void
login_connected_cb (CivicPreferencesWindow *self,
                    gint64                  account_id)
{
  refresh_accounts (self);
  refresh_departments (self);
}

static void
connect_clicked_cb (CivicPreferencesWindow *self)
{
  civic_preferences_window_connect_department (self);
}

/* Map */

static void
show_map_error (CivicPreferencesWindow *self,
                const char             *message)
{
  gtk_label_set_label (self->map_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->map_error_label), message != NULL);
}

static void
update_mbtiles_row (CivicPreferencesWindow *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "mbtiles-path");

  if (*path == '\0')
    adw_action_row_set_subtitle (self->mbtiles_row, _("None: tiles come from the tile server"));
  else
    adw_action_row_set_subtitle (self->mbtiles_row, path);
  gtk_widget_set_visible (GTK_WIDGET (self->mbtiles_clear_button), *path != '\0');
}

static void
tile_url_changed_cb (CivicPreferencesWindow *self)
{
  show_map_error (self, NULL);
}

static void
tile_url_apply_cb (CivicPreferencesWindow *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tile_url_row))));

  if (!g_str_has_prefix (url, "https://") && !g_str_has_prefix (url, "http://"))
    {
      show_map_error (self, _("A tile server address starts with https:// (or http://)"));
      return;
    }
  if (strstr (url, "{z}") == NULL || strstr (url, "{x}") == NULL || strstr (url, "{y}") == NULL)
    {
      show_map_error (self, _("A tile server address needs {z}, {x} and {y} where the zoom level and the "
                              "tile’s column and row go, e.g. https://tiles.example/{z}/{x}/{y}.png"));
      return;
    }

  show_map_error (self, NULL);
  g_settings_set_string (self->settings, "tile-url", url);
}

static void
chooser_response_cb (GtkNativeDialog        *chooser,
                     int                     response,
                     CivicPreferencesWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  CivicMbtiles *mbtiles;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file == NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      show_map_error (self, _("Choose a file on this computer: the map reads it while offline"));
      return;
    }

  /* Refuse a file that is no tile set now, not when the map is opened. */
  mbtiles = civic_mbtiles_open (path, &error);
  if (mbtiles == NULL)
    {
      show_map_error (self, error->message);
      return;
    }
  civic_mbtiles_free (mbtiles);

  show_map_error (self, NULL);
  g_settings_set_string (self->settings, "mbtiles-path", path);
}

static void
mbtiles_choose_clicked_cb (CivicPreferencesWindow *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Choose an Offline Map File"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Use This File"), NULL);
  gtk_file_filter_set_name (filter, _("Offline maps (MBTiles)"));
  gtk_file_filter_add_pattern (filter, "*.mbtiles");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
mbtiles_clear_clicked_cb (CivicPreferencesWindow *self)
{
  g_settings_set_string (self->settings, "mbtiles-path", "");
}

static void
settings_changed_cb (GSettings              *settings,
                     const char             *key,
                     CivicPreferencesWindow *self)
{
  if (g_str_equal (key, "mbtiles-path"))
    update_mbtiles_row (self);
}

/* libadwaita 1.2 leaves its search entry without a name for screen
 * readers; the window is ours to name. */
static void
name_search_entry (GtkWidget *widget)
{
  if (GTK_IS_SEARCH_ENTRY (widget))
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search preferences"),
                                      -1);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_search_entry (child);
}

static void
accounts_changed_cb (CivicPreferencesWindow *self)
{
  account_signed_out_cb (self);
}

static void
civic_preferences_window_constructed (GObject *object)
{
  CivicPreferencesWindow *self = (CivicPreferencesWindow *) object;
  g_autofree char *tile_url = NULL;
  CivicSync *sync;

  G_OBJECT_CLASS (civic_preferences_window_parent_class)->constructed (object);

  g_assert (self->context != NULL);

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "person", self->person_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "desk-name", self->desk_name_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "signature-initials", self->initials_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notify-priority", self->priority_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notify-overdue", self->overdue_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "retention-days", gtk_spin_button_get_adjustment (self->retention_spin),
                   "value", G_SETTINGS_BIND_DEFAULT);
  /* The audit log names whoever the preferences say sits here. */
  g_settings_bind (self->settings, "person", self->context, "person", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "desk-name", self->context, "desk-name", G_SETTINGS_BIND_GET);

  tile_url = g_settings_get_string (self->settings, "tile-url");
  gtk_editable_set_text (GTK_EDITABLE (self->tile_url_row), tile_url);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self, 0);
  update_mbtiles_row (self);

  sync = civic_context_get_sync (self->context);
  if (sync != NULL)
    g_signal_connect_object (civic_sync_get_accounts (sync), "items-changed",
                             G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);

  refresh_accounts (self);
  refresh_departments (self);
  name_search_entry (GTK_WIDGET (self));
}

static void
civic_preferences_window_dispose (GObject *object)
{
  CivicPreferencesWindow *self = (CivicPreferencesWindow *) object;

  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  g_clear_handle_id (&self->rules_idle, g_source_remove);
  g_clear_handle_id (&self->templates_idle, g_source_remove);
  g_clear_handle_id (&self->accounts_idle, g_source_remove);
  g_clear_object (&self->settings);
  g_clear_object (&self->context);
  g_clear_pointer (&self->departments, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (civic_preferences_window_parent_class)->dispose (object);
}

static void
civic_preferences_window_finalize (GObject *object)
{
  CivicPreferencesWindow *self = (CivicPreferencesWindow *) object;

  g_ptr_array_unref (self->account_rows);
  g_ptr_array_unref (self->department_rows);
  g_ptr_array_unref (self->rule_rows);
  g_ptr_array_unref (self->template_rows);
  g_ptr_array_unref (self->notify_rows);

  G_OBJECT_CLASS (civic_preferences_window_parent_class)->finalize (object);
}

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
civic_preferences_window_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  CivicPreferencesWindow *self = CIVIC_PREFERENCES_WINDOW (object);

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
civic_preferences_window_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  CivicPreferencesWindow *self = CIVIC_PREFERENCES_WINDOW (object);

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
civic_preferences_window_class_init (CivicPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = civic_preferences_window_constructed;
  object_class->dispose = civic_preferences_window_dispose;
  object_class->finalize = civic_preferences_window_finalize;
  object_class->get_property = civic_preferences_window_get_property;
  object_class->set_property = civic_preferences_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CIVIC_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/civicdesk/CivicDesk/civic-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, person_row);
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, desk_name_row);
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, initials_row);
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, accounts_group);
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, connect_button);
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, departments_group);
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, new_rule_group);
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, rules_group);
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, new_template_group);
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, templates_group);
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, tile_url_row);
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, mbtiles_row);
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, mbtiles_clear_button);
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, map_error_label);
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, priority_switch);
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, overdue_switch);
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, notify_departments_group);
  gtk_widget_class_bind_template_child (widget_class, CivicPreferencesWindow, retention_spin);
  gtk_widget_class_bind_template_callback (widget_class, connect_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, tile_url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, tile_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, mbtiles_choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, mbtiles_clear_clicked_cb);
}

static void
civic_preferences_window_init (CivicPreferencesWindow *self)
{
  self->account_rows = g_ptr_array_new ();
  self->department_rows = g_ptr_array_new ();
  self->rule_rows = g_ptr_array_new ();
  self->template_rows = g_ptr_array_new ();
  self->notify_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

CivicPreferencesWindow *
civic_preferences_window_new (GtkWindow    *parent,
                              CivicContext *context)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);

  return g_object_new (CIVIC_TYPE_PREFERENCES_WINDOW,
                       "context", context,
                       "transient-for", parent,
                       NULL);
}

void
civic_preferences_window_show_page (CivicPreferencesWindow *self,
                                    const char             *name)
{
  g_return_if_fail (CIVIC_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (name != NULL);

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (self), name);
}

CivicLoginDialog *
civic_preferences_window_connect_department (CivicPreferencesWindow *self)
{
  CivicLoginDialog *dialog;

  g_return_val_if_fail (CIVIC_IS_PREFERENCES_WINDOW (self), NULL);

  dialog = civic_login_dialog_new (GTK_WINDOW (self), self->context);
  g_signal_connect_object (dialog, "connected", G_CALLBACK (login_connected_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}
