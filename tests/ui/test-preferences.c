/* test-preferences.c
 *
 * The preferences window under Xvfb on a test store, edited through its
 * rows and buttons: an answer time, urgent words, routing rules (an
 * invalid regular expression refused inline), templates (an unknown
 * placeholder refused inline), the desk's names, the map and the
 * notifications; then, against civic-sim, connecting a department from the
 * accounts page and signing out of it.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "civic-account-row.h"
#include "civic-client.h"
#include "civic-department-editor.h"
#include "civic-languages.h"
#include "civic-preferences-window.h"
#include "civic-rule-row.h"
#include "civic-rules.h"
#include "civic-secrets.h"
#include "civic-store-sync.h"
#include "civic-sync.h"
#include "civic-template-row.h"
#include "civic-templates.h"
#include "civic-test-sim.h"
#include "civic-test-ui.h"

#define T0 G_GINT64_CONSTANT (1795687200000)

typedef struct
{
  char *dir;
  CivicStore *store;
  CivicContext *context;
  gint64 mayor;
  gint64 police;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicClock) clock = civic_clock_new_fixed (T0);

  fixture->dir = civic_test_mkdtemp ();
  path = g_build_filename (fixture->dir, "desk.db", NULL);
  fixture->store = civic_store_new (path, &error);
  g_assert_no_error (error);
  fixture->mayor = civic_store_ensure_department (fixture->store, "alcaldia", "Alcaldía", "#1c71d8", 60, &error);
  fixture->police = civic_store_ensure_department (fixture->store, "policia", "Policía Local", "#c01c28", 15, &error);
  g_assert_no_error (error);
  fixture->context = civic_context_new (fixture->store, clock);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->context);
  g_clear_object (&fixture->store);
  civic_test_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static guint
department_sla (CivicStore *store,
                gint64      id)
{
  g_autoptr(GPtrArray) departments = civic_store_list_departments (store, T0, NULL);

  for (guint i = 0; i < departments->len; i++)
    {
      CivicDepartment *department = g_ptr_array_index (departments, i);

      if (civic_department_get_id (department) == id)
        return civic_department_get_sla_minutes (department);
    }

  g_assert_not_reached ();
}

static char *
department_language (CivicStore *store,
                     gint64      id)
{
  g_autoptr(GPtrArray) departments = civic_store_list_departments_brief (store, NULL);

  for (guint i = 0; i < departments->len; i++)
    {
      CivicDepartment *department = g_ptr_array_index (departments, i);

      if (civic_department_get_id (department) == id)
        return g_strdup (civic_department_get_language (department));
    }

  g_assert_not_reached ();
}

static gboolean
editor_is (GtkWidget *widget,
           gpointer   id)
{
  return civic_department_editor_get_department_id (CIVIC_DEPARTMENT_EDITOR (widget)) == *(gint64 *) id;
}

static gboolean
rule_is (GtkWidget *widget,
         gpointer   id)
{
  return civic_rule_row_get_rule_id (CIVIC_RULE_ROW (widget)) == *(gint64 *) id;
}

static gboolean
template_is (GtkWidget *widget,
             gpointer   id)
{
  return civic_template_row_get_template_id (CIVIC_TEMPLATE_ROW (widget)) == *(gint64 *) id;
}

static CivicRuleRow *
find_rule_row (GtkWidget *window,
               gint64     rule_id)
{
  return (CivicRuleRow *) civic_test_find (window, CIVIC_TYPE_RULE_ROW, rule_is, &rule_id);
}

static guint
combo_find (AdwComboRow *row,
            const char  *label)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), label))
        return i;
    }

  g_error ("No “%s” in the combo row", label);
}

static void
click (gpointer    widget,
       GType       type,
       const char *name)
{
  GtkWidget *button = civic_test_child (widget, type, name);

  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

typedef struct
{
  GtkWidget *window;
  gint64 id;
} RowWait;

static gboolean
rule_row_shown (gpointer user_data)
{
  RowWait *wait = user_data;

  return find_rule_row (wait->window, wait->id) != NULL;
}

static gboolean
template_row_shown (gpointer user_data)
{
  RowWait *wait = user_data;

  return civic_test_find (wait->window, CIVIC_TYPE_TEMPLATE_ROW, template_is, &wait->id) != NULL;
}

static gint64
add_rule (GtkWidget     *window,
          CivicRuleKind  kind,
          const char    *pattern,
          const char    *department,
          char         **error_text)
{
  CivicRuleRow *form = find_rule_row (window, 0);
  GtkLabel *error_label = civic_test_child (form, CIVIC_TYPE_RULE_ROW, "error_label");
  AdwComboRow *department_row = civic_test_child (form, CIVIC_TYPE_RULE_ROW, "department_row");
  g_autoptr(GPtrArray) before = civic_rules_list (civic_context_get_store (g_object_get_data (G_OBJECT (window), "context")), NULL);
  g_autoptr(GPtrArray) after = NULL;
  RowWait wait = { window, 0 };

  adw_combo_row_set_selected (civic_test_child (form, CIVIC_TYPE_RULE_ROW, "kind_row"), kind);
  adw_combo_row_set_selected (department_row, combo_find (department_row, department));
  gtk_editable_set_text (civic_test_child (form, CIVIC_TYPE_RULE_ROW, "pattern_row"), pattern);
  click (form, CIVIC_TYPE_RULE_ROW, "save_button");

  after = civic_rules_list (civic_context_get_store (g_object_get_data (G_OBJECT (window), "context")), NULL);
  if (gtk_widget_get_visible (GTK_WIDGET (error_label)))
    {
      if (error_text == NULL)
        g_error ("Rule %s refused: %s", pattern, gtk_label_get_text (error_label));
      g_assert_cmpuint (after->len, ==, before->len);
      *error_text = g_strdup (gtk_label_get_text (error_label));
      return 0;
    }

  g_assert_cmpuint (after->len, ==, before->len + 1);
  for (guint i = 0; i < after->len; i++)
    {
      CivicRule *rule = g_ptr_array_index (after, i);

      if (g_str_equal (rule->pattern, pattern))
        wait.id = rule->id;
    }
  g_assert_cmpint (wait.id, >, 0);
  /* The list shows it once the row's handler returned. */
  g_assert_true (civic_test_spin_until (rule_row_shown, &wait, 5000));
  return wait.id;
}

static CivicPreferencesWindow *
open_preferences (CivicContext *context)
{
  CivicPreferencesWindow *window = civic_preferences_window_new (NULL, context);

  g_object_set_data_full (G_OBJECT (window), "context", g_object_ref (context), g_object_unref);
  civic_test_present_and_wait (GTK_WINDOW (window));
  return window;
}

static void
test_preferences_edit (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) words = NULL;
  g_auto(GStrv) muted = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *person = NULL;
  g_autofree char *url = NULL;
  CivicPreferencesWindow *window = open_preferences (fixture->context);
  GtkWidget *root = GTK_WIDGET (window);
  CivicDepartmentEditor *editor;
  CivicRuleRow *row;
  CivicTemplateRow *form;
  GtkLabel *error_label;
  gint64 regex_rule, keyword_rule;

  /* Desk: the names go to the settings and to the context. */
  civic_preferences_window_show_page (window, "desk");
  civic_test_screenshot ("prefs-desk");
  gtk_editable_set_text (civic_test_child (window, CIVIC_TYPE_PREFERENCES_WINDOW, "person_row"), "Ana García");
  gtk_editable_set_text (civic_test_child (window, CIVIC_TYPE_PREFERENCES_WINDOW, "desk_name_row"), "mostrador 2");
  person = g_settings_get_string (settings, "person");
  g_assert_cmpstr (person, ==, "Ana García");
  g_assert_cmpstr (civic_context_get_person (fixture->context), ==, "Ana García");
  g_assert_cmpstr (civic_context_get_desk_name (fixture->context), ==, "mostrador 2");

  /* Departments: an answer time and urgent words. */
  civic_preferences_window_show_page (window, "departments");
  editor = (CivicDepartmentEditor *) civic_test_find (root, CIVIC_TYPE_DEPARTMENT_EDITOR, editor_is, &fixture->police);
  g_assert_nonnull (editor);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (editor), TRUE);
  civic_test_screenshot ("prefs-departments");
  g_assert_cmpuint (department_sla (fixture->store, fixture->police), ==, 15);
  gtk_spin_button_set_value (civic_test_child (editor, CIVIC_TYPE_DEPARTMENT_EDITOR, "sla_spin"), 20);
  g_assert_cmpuint (department_sla (fixture->store, fixture->police), ==, 20);
  g_assert_cmpuint (department_sla (fixture->store, fixture->mayor), ==, 60);

  /* The language replies start in: Spanish until someone picks another. */
  {
    AdwComboRow *language_row = civic_test_child (editor, CIVIC_TYPE_DEPARTMENT_EDITOR, "language_row");
    g_autofree char *before = department_language (fixture->store, fixture->police);
    g_autofree char *after = NULL;

    g_assert_cmpstr (before, ==, "es");
    g_assert_cmpuint (adw_combo_row_get_selected (language_row), ==, (guint) civic_language_get_index ("es"));
    adw_combo_row_set_selected (language_row, (guint) civic_language_get_index ("fr"));
    after = department_language (fixture->store, fixture->police);
    g_assert_cmpstr (after, ==, "fr");
    g_clear_pointer (&after, g_free);
    after = department_language (fixture->store, fixture->mayor);
    g_assert_cmpstr (after, ==, "es");
  }
  g_assert_false (civic_store_set_department_language (fixture->store, fixture->police, "fr; DROP", &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (civic_store_set_department_language (fixture->store, 999999, "fr", &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  gtk_editable_set_text (civic_test_child (editor, CIVIC_TYPE_DEPARTMENT_EDITOR, "urgent_row"),
                         "incendio, atraco,  herido grave");
  g_signal_emit_by_name (civic_test_child (editor, CIVIC_TYPE_DEPARTMENT_EDITOR, "urgent_row"), "apply");
  words = civic_rules_dup_urgent_words (fixture->store, fixture->police, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (words), ==, 3);
  g_assert_true (g_strv_contains ((const char * const *) words, "herido grave"));

  /* Routing: an invalid regular expression is refused, with GRegex's reason. */
  civic_preferences_window_show_page (window, "routing");
  g_assert_cmpint (add_rule (root, CIVIC_RULE_REGEX, "accidente (en|de", "Policía Local", &refused), ==, 0);
  g_test_message ("refused: %s", refused);
  g_assert_nonnull (refused);
  g_assert_cmpstr (refused, !=, "");
  civic_test_screenshot ("prefs-routing-error");

  regex_rule = add_rule (root, CIVIC_RULE_REGEX, "accidente (en|de)", "Policía Local", NULL);
  keyword_rule = add_rule (root, CIVIC_RULE_KEYWORD, "basura", "Alcaldía", NULL);
  civic_test_screenshot ("prefs-routing");

  rules = civic_rules_list (fixture->store, &error);
  g_assert_cmpuint (rules->len, ==, 2);
  g_assert_cmpint (((CivicRule *) g_ptr_array_index (rules, 0))->id, ==, regex_rule);
  g_assert_cmpint (((CivicRule *) g_ptr_array_index (rules, 0))->kind, ==, CIVIC_RULE_REGEX);
  g_assert_cmpint (((CivicRule *) g_ptr_array_index (rules, 0))->department_id, ==, fixture->police);
  g_assert_cmpint (((CivicRule *) g_ptr_array_index (rules, 1))->department_id, ==, fixture->mayor);
  g_clear_pointer (&rules, g_ptr_array_unref);

  /* Moved up, switched off, then removed. */
  row = find_rule_row (root, keyword_rule);
  click (row, CIVIC_TYPE_RULE_ROW, "up_button");
  rules = civic_rules_list (fixture->store, &error);
  g_assert_cmpint (((CivicRule *) g_ptr_array_index (rules, 0))->id, ==, keyword_rule);
  g_clear_pointer (&rules, g_ptr_array_unref);
  {
    RowWait wait = { root, keyword_rule };

    civic_test_flush (50);
    g_assert_true (civic_test_spin_until (rule_row_shown, &wait, 5000));
  }
  row = find_rule_row (root, keyword_rule);
  gtk_switch_set_active (civic_test_child (row, CIVIC_TYPE_RULE_ROW, "enabled_switch"), FALSE);
  rules = civic_rules_list (fixture->store, &error);
  g_assert_false (((CivicRule *) g_ptr_array_index (rules, 0))->enabled);
  g_clear_pointer (&rules, g_ptr_array_unref);
  civic_test_flush (50);
  row = find_rule_row (root, regex_rule);
  click (row, CIVIC_TYPE_RULE_ROW, "remove_button");
  rules = civic_rules_list (fixture->store, &error);
  g_assert_cmpuint (rules->len, ==, 1);
  g_assert_cmpint (((CivicRule *) g_ptr_array_index (rules, 0))->id, ==, keyword_rule);

  /* Templates: a misspelt placeholder is refused, then the template saved. */
  civic_preferences_window_show_page (window, "templates");
  civic_test_flush (50);
  {
    gint64 none = 0;

    form = (CivicTemplateRow *) civic_test_find (root, CIVIC_TYPE_TEMPLATE_ROW, template_is, &none);
  }
  g_assert_nonnull (form);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (form), TRUE);
  error_label = civic_test_child (form, CIVIC_TYPE_TEMPLATE_ROW, "error_label");
  adw_combo_row_set_selected (civic_test_child (form, CIVIC_TYPE_TEMPLATE_ROW, "department_row"),
                              combo_find (civic_test_child (form, CIVIC_TYPE_TEMPLATE_ROW, "department_row"),
                                          "Alcaldía"));
  gtk_editable_set_text (civic_test_child (form, CIVIC_TYPE_TEMPLATE_ROW, "title_row"), "Registro");
  gtk_editable_set_text (civic_test_child (form, CIVIC_TYPE_TEMPLATE_ROW, "shortcut_row"), "registro");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (civic_test_child (form, CIVIC_TYPE_TEMPLATE_ROW, "body_view")),
                            "Hola {nombe}, el registro abre a las 9.", -1);
  click (form, CIVIC_TYPE_TEMPLATE_ROW, "save_button");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_test_message ("refused: %s", gtk_label_get_text (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), "nombe"));
  templates = civic_templates_list (fixture->store, 0, &error);
  g_assert_cmpuint (templates->len, ==, 0);
  g_clear_pointer (&templates, g_ptr_array_unref);
  civic_test_screenshot ("prefs-templates-error");

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (civic_test_child (form, CIVIC_TYPE_TEMPLATE_ROW, "body_view")),
                            "Hola {nombre}, el registro abre a las 9.", -1);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  click (form, CIVIC_TYPE_TEMPLATE_ROW, "save_button");
  templates = civic_templates_list (fixture->store, 0, &error);
  g_assert_cmpuint (templates->len, ==, 1);
  g_assert_cmpstr (((CivicTemplate *) g_ptr_array_index (templates, 0))->title, ==, "Registro");
  g_assert_cmpstr (((CivicTemplate *) g_ptr_array_index (templates, 0))->shortcut, ==, "registro");
  g_assert_cmpint (((CivicTemplate *) g_ptr_array_index (templates, 0))->department_id, ==, fixture->mayor);
  {
    RowWait wait = { root, ((CivicTemplate *) g_ptr_array_index (templates, 0))->id };

    g_assert_true (civic_test_spin_until (template_row_shown, &wait, 5000));
  }
  civic_test_screenshot ("prefs-templates");

  /* Map: an address without {z}/{x}/{y} is refused, a good one kept. */
  civic_preferences_window_show_page (window, "map");
  error_label = civic_test_child (window, CIVIC_TYPE_PREFERENCES_WINDOW, "map_error_label");
  gtk_editable_set_text (civic_test_child (window, CIVIC_TYPE_PREFERENCES_WINDOW, "tile_url_row"),
                         "https://tiles.jun.example/map.png");
  g_signal_emit_by_name (civic_test_child (window, CIVIC_TYPE_PREFERENCES_WINDOW, "tile_url_row"), "apply");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  civic_test_screenshot ("prefs-map");
  gtk_editable_set_text (civic_test_child (window, CIVIC_TYPE_PREFERENCES_WINDOW, "tile_url_row"),
                         "https://tiles.jun.example/{z}/{x}/{y}.png");
  g_signal_emit_by_name (civic_test_child (window, CIVIC_TYPE_PREFERENCES_WINDOW, "tile_url_row"), "apply");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  url = g_settings_get_string (settings, "tile-url");
  g_assert_cmpstr (url, ==, "https://tiles.jun.example/{z}/{x}/{y}.png");

  /* Notifications: a department switched off is muted. */
  civic_preferences_window_show_page (window, "notifications");
  {
    GtkWidget *group = civic_test_child (window, CIVIC_TYPE_PREFERENCES_WINDOW, "notify_departments_group");
    GtkWidget *toggle = civic_test_find (group, GTK_TYPE_SWITCH, NULL, NULL);

    g_assert_nonnull (toggle);
    gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  }
  muted = g_settings_get_strv (settings, "notify-muted-departments");
  g_assert_cmpuint (g_strv_length (muted), ==, 1);
  g_assert_cmpstr (muted[0], ==, "alcaldia");
  civic_test_screenshot ("prefs-notifications");

  civic_preferences_window_show_page (window, "privacy");
  civic_test_screenshot ("prefs-privacy");
  civic_preferences_window_show_page (window, "accounts");
  civic_test_screenshot ("prefs-accounts-empty");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
uri_launcher (GtkWindow  *parent,
              const char *uri,
              gpointer    user_data)
{
  g_free (*(char **) user_data);
  *(char **) user_data = g_strdup (uri);
}

static gboolean
has_account_row (gpointer window)
{
  return civic_test_find (window, CIVIC_TYPE_ACCOUNT_ROW, NULL, NULL) != NULL;
}

static gboolean
no_account_row (gpointer window)
{
  return !has_account_row (window);
}

static gboolean
pointer_set (gpointer user_data)
{
  return *(gpointer *) user_data != NULL;
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

static void
test_preferences_accounts (Fixture       *fixture,
                           gconstpointer  data)
{
  static const char * const args[] = { "--mentions", "0", NULL };
  CivicTestSim *sim = civic_test_sim_start (args);
  g_autoptr(CivicSync) sync = civic_sync_new (fixture->context, NULL);
  g_autoptr(GPtrArray) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *code = NULL;
  g_autofree char *token = NULL;
  g_autofree char *forgotten = NULL;
  CivicPreferencesWindow *window;
  CivicLoginDialog *dialog = NULL;
  AdwMessageDialog *confirm = NULL;
  CivicAccountRow *row;
  Wait wait = { 0 };

  civic_context_set_sync (fixture->context, sync);
  window = open_preferences (fixture->context);
  civic_preferences_window_show_page (window, "accounts");
  g_assert_false (has_account_row (window));

  /* "Connect a Department…" opens the login dialog over the preferences. */
  click (window, CIVIC_TYPE_PREFERENCES_WINDOW, "connect_button");
  dialog = (CivicLoginDialog *) civic_test_find_toplevel (CIVIC_TYPE_LOGIN_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  civic_login_dialog_set_uri_launcher (dialog, uri_launcher, &uri);
  civic_login_dialog_set_server (dialog, sim->url);
  g_assert_true (civic_login_dialog_select_department (dialog, "policia"));
  click (dialog, CIVIC_TYPE_LOGIN_DIALOG, "open_button");
  g_assert_true (civic_test_spin_until (pointer_set, &uri, 20000));
  code = civic_test_approve_in_browser (sim->control, uri, "policia", "jun");
  gtk_editable_set_text (civic_test_child (dialog, CIVIC_TYPE_LOGIN_DIALOG, "code_row"), code);
  click (dialog, CIVIC_TYPE_LOGIN_DIALOG, "connect_button");

  /* The accounts page shows it, with its sync status. */
  g_assert_true (civic_test_spin_until (has_account_row, window, 20000));
  row = (CivicAccountRow *) civic_test_find (GTK_WIDGET (window), CIVIC_TYPE_ACCOUNT_ROW, NULL, NULL);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "@policia");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Policía Local"));
  civic_test_screenshot ("prefs-accounts");

  token = civic_secrets_lookup_token_sync (sim->url, "policia", &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);

  /* Sign Out asks first; confirmed, it revokes, forgets and unbinds. */
  row = (CivicAccountRow *) civic_test_find (GTK_WIDGET (window), CIVIC_TYPE_ACCOUNT_ROW, NULL, NULL);
  click (row, CIVIC_TYPE_ACCOUNT_ROW, "sign_out_button");
  confirm = (AdwMessageDialog *) civic_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  civic_test_screenshot ("prefs-sign-out");
  adw_message_dialog_response (confirm, "sign-out");
  g_assert_true (civic_test_spin_until (no_account_row, window, 20000));

  bound = civic_store_list_bound_accounts (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bound->len, ==, 0);
  forgotten = civic_secrets_lookup_token_sync (sim->url, "policia", &error);
  g_assert_no_error (error);
  g_assert_null (forgotten);
  g_assert_cmpuint (g_list_model_get_n_items (civic_sync_get_accounts (sync)), ==, 0);

  /* The server no longer takes the token. */
  {
    g_autoptr(SoupSession) session = civic_sync_new_session (10);
    g_autoptr(CivicClient) client = civic_client_new (session, sim->url, token);
    g_autoptr(CivicAccount) account = NULL;

    civic_client_verify_credentials_async (client, NULL, wait_cb, &wait);
    g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
    account = civic_client_verify_credentials_finish (client, wait.result, &error);
    g_clear_object (&wait.result);
    g_assert_null (account);
    g_assert_error (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_UNAUTHORIZED);
  }

  civic_sync_stop (sync);
  civic_context_set_sync (fixture->context, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  civic_test_sim_stop (sim);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/preferences/edit", Fixture, NULL, fixture_setup, test_preferences_edit, fixture_teardown);
  g_test_add ("/preferences/accounts", Fixture, NULL, fixture_setup, test_preferences_accounts, fixture_teardown);

  return g_test_run ();
}
