/* test-accessibility.c
 *
 * Every interactive widget a person can reach (buttons, toggles, entries,
 * rows, drop-downs, switches, menu buttons…) must have a name a screen
 * reader can say. GTK 4.8 has no getter for the name it gives AT-SPI, so
 * it is derived here the way GTK 4.8 computes it: the accessible label
 * (set in the templates' <accessibility> blocks or in code), a
 * labelled-by relation, a button's own label or label child, a row's
 * title; and, as GTK exposes it as the description that screen readers
 * also say, the tooltip. The real window, the preferences, the login
 * dialog and the statistics are walked; the check itself is first shown
 * to catch a deliberately unnamed button.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-login-dialog.h"
#include "civic-main-layout.h"
#include "civic-queue-view.h"
#include "civic-preferences-window.h"
#include "civic-stats-view.h"
#include "civic-window.h"
#include "civic-test-ui.h"

#define T0 G_GINT64_CONSTANT (1795687200000)
#define MINUTE (60 * 1000)

/* A value no property holds: checking against it returns the real one. */
#define IMPOSSIBLE "\x01"

static char *
dup_property (GtkWidget             *widget,
              GtkAccessibleProperty  property)
{
  char *value;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), property))
    return NULL;
  value = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property, IMPOSSIBLE);
  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

static const char *
first_label_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    return gtk_label_get_text (GTK_LABEL (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *text = first_label_text (child);

      if (text != NULL)
        return text;
    }

  return NULL;
}

static gboolean
is_widget (GtkWidget *root,
           gpointer   candidate)
{
  if ((gpointer) root == candidate)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (is_widget (child, candidate))
        return TRUE;
    }

  return FALSE;
}

/* GTK 4.8 names a widget labelled by others after their labels. The test
 * context prints the relation as "Type<0xaddress> …": the addresses are
 * matched against the widgets of the same window, never dereferenced
 * otherwise. */
static char *
dup_labelled_by (GtkWidget *widget)
{
  g_autofree char *printed = NULL;
  g_autoptr(GString) name = g_string_new (NULL);
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));
  const char *p;

  if (!gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return NULL;

  printed = gtk_test_accessible_check_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY, NULL);
  for (p = printed != NULL ? strstr (printed, "<0x") : NULL; p != NULL; p = strstr (p + 1, "<0x"))
    {
      gpointer target = (gpointer) (guintptr) g_ascii_strtoull (p + 3, NULL, 16);
      g_autofree char *label = NULL;

      if (root == NULL || !is_widget (root, target))
        continue;
      label = dup_property (target, GTK_ACCESSIBLE_PROPERTY_LABEL);
      if (label == NULL && GTK_IS_LABEL (target))
        label = g_strdup (gtk_label_get_text (target));
      if (label != NULL && *label != '\0')
        g_string_append (name, label);
    }

  return name->len > 0 ? g_string_free (g_steal_pointer (&name), FALSE) : NULL;
}

/* The name a screen reader gets for @widget, or NULL. */
static char *
dup_accessible_name (GtkWidget *widget)
{
  char *name;
  const char *text = NULL;
  GtkWidget *row;

  if ((name = dup_property (widget, GTK_ACCESSIBLE_PROPERTY_LABEL)) != NULL)
    return name;

  if (GTK_IS_BUTTON (widget))
    text = gtk_button_get_label (GTK_BUTTON (widget));
  else if (GTK_IS_MENU_BUTTON (widget))
    text = gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));
  else if (GTK_IS_CHECK_BUTTON (widget))
    text = gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
  else if (ADW_IS_PREFERENCES_ROW (widget))
    text = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  if (text != NULL && *text != '\0')
    return g_strdup (text);

  /* A button whose child holds the words. */
  if (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget))
    {
      text = first_label_text (widget);
      if (text != NULL)
        return g_strdup (text);
    }

  /* The text entry inside an entry row is labelled by the row's title. */
  row = gtk_widget_get_ancestor (widget, ADW_TYPE_ENTRY_ROW);
  if (row != NULL && GTK_IS_TEXT (widget))
    {
      text = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
      if (text != NULL && *text != '\0')
        return g_strdup (text);
    }

  if ((name = dup_labelled_by (widget)) != NULL)
    return name;

  text = gtk_widget_get_tooltip_text (widget);
  if (text != NULL && *text != '\0')
    return g_strdup (text);

  return NULL;
}

static gboolean
is_interactive (GtkWidget *widget)
{
  switch (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)))
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_RADIO:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_SLIDER:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_TAB:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
      return TRUE;
    default:
      break;
    }

  /* A list row a person can activate or select. */
  if (GTK_IS_LIST_BOX_ROW (widget))
    {
      GtkWidget *list = gtk_widget_get_parent (widget);
      gboolean selectable = GTK_IS_LIST_BOX (list) &&
                            gtk_list_box_get_selection_mode (GTK_LIST_BOX (list)) != GTK_SELECTION_NONE &&
                            gtk_list_box_row_get_selectable (GTK_LIST_BOX_ROW (widget));

      return gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget)) || selectable;
    }

  return FALSE;
}

/* Widgets whose parts GTK names as a whole: their children are not
 * reached one by one. */
static gboolean
is_composite (GtkWidget *widget)
{
  return GTK_IS_SPIN_BUTTON (widget) || GTK_IS_DROP_DOWN (widget) || GTK_IS_MENU_BUTTON (widget) ||
         GTK_IS_COLOR_BUTTON (widget) || GTK_IS_CALENDAR (widget) || GTK_IS_ENTRY (widget) ||
         GTK_IS_SEARCH_ENTRY (widget) || GTK_IS_SWITCH (widget) || GTK_IS_SCALE (widget);
}

static void
describe (GtkWidget *widget,
          GString   *out)
{
  g_autoptr(GString) path = g_string_new (NULL);

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (w));

      g_string_prepend (path, id != NULL ? id : G_OBJECT_TYPE_NAME (w));
      if (gtk_widget_get_parent (w) != NULL)
        g_string_prepend (path, " > ");
      if (GTK_IS_ROOT (w))
        break;
    }
  g_string_append_printf (out, "  %s (%s)\n", G_OBJECT_TYPE_NAME (widget), path->str);
}

/* Appends to @unnamed every visible interactive widget under @widget that
 * has no name; returns how many interactive widgets were checked. */
static guint
check_names (GtkWidget *widget,
             GString   *unnamed)
{
  guint checked = 0;

  if (!gtk_widget_get_visible (widget))
    return 0;
  if (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)) == GTK_ACCESSIBLE_ROLE_PRESENTATION)
    return 0;

  if (is_interactive (widget))
    {
      g_autofree char *name = dup_accessible_name (widget);

      checked++;
      if (name == NULL)
        describe (widget, unnamed);
    }

  if (is_composite (widget))
    return checked;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    checked += check_names (child, unnamed);

  return checked;
}

static void
assert_all_named (GtkWidget  *root,
                  const char *what)
{
  g_autoptr(GString) unnamed = g_string_new (NULL);
  guint checked = check_names (root, unnamed);

  g_test_message ("%s: %u interactive widgets checked", what, checked);
  g_assert_cmpuint (checked, >, 0);
  if (unnamed->len > 0)
    g_error ("%s has interactive widgets without an accessible name:\n%s", what, unnamed->str);
}

static void
test_check_catches_unnamed (void)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *named = gtk_button_new_with_label ("Claim");
  GtkWidget *icon_only = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget *labelled = gtk_button_new_from_icon_name ("go-up-symbolic");
  GtkWidget *entry = gtk_entry_new ();
  g_autoptr(GString) unnamed = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;

  gtk_accessible_update_property (GTK_ACCESSIBLE (labelled), GTK_ACCESSIBLE_PROPERTY_LABEL, "Move up", -1);
  gtk_box_append (GTK_BOX (box), named);
  gtk_box_append (GTK_BOX (box), icon_only);
  gtk_box_append (GTK_BOX (box), labelled);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_window_set_child (window, box);
  civic_test_present_and_wait (window);

  g_assert_cmpuint (check_names (GTK_WIDGET (window), unnamed), ==, 4);
  g_test_message ("caught:\n%s", unnamed->str);
  /* The icon-only button and the bare entry, by type and place. */
  g_assert_nonnull (strstr (unnamed->str, "GtkButton (GtkWindow > GtkBox > GtkButton)"));
  g_assert_nonnull (strstr (unnamed->str, "GtkEntry"));
  lines = g_strsplit (unnamed->str, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);

  /* A tooltip is enough; the check then passes. */
  gtk_widget_set_tooltip_text (icon_only, "Remove");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, "Search", -1);
  g_string_truncate (unnamed, 0);
  check_names (GTK_WIDGET (window), unnamed);
  g_assert_cmpstr (unnamed->str, ==, "");

  gtk_window_destroy (window);
}

static CivicContext *
make_context (const char *dir)
{
  static const char *texts[] = {
    "Hay bolsas de basura en la Calle Real desde el lunes",
    "¿A qué hora abre el registro mañana?",
    "Farola rota en la Plaza de la Constitución, 37.2203, -3.5951",
  };
  g_autofree char *path = g_build_filename (dir, "desk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStore) store = civic_store_new (path, &error);
  g_autoptr(CivicClock) clock = civic_clock_new_fixed (T0 + 90 * MINUTE);
  gint64 server, account, mayor, police;

  g_assert_no_error (error);
  server = civic_store_ensure_server (store, "https://jun.example", &error);
  account = civic_store_ensure_account (store, server, "alcaldia", "1", "Alcaldía de Jun", &error);
  mayor = civic_store_ensure_department (store, "alcaldia", "Alcaldía", "#1c71d8", 60, &error);
  police = civic_store_ensure_department (store, "policia", "Policía Local", "#c01c28", 15, &error);
  g_assert_true (civic_store_bind_department (store, mayor, account, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", 100 + i);
      CivicMentionRecord r = { 0 };

      r.server_id = server;
      r.status_id = id;
      r.author_acct = "maria_jun";
      r.author_name = "María Pérez";
      r.created_at_ms = T0 + i * 40 * MINUTE;
      r.content_html = texts[i];
      r.content_text = (char *) texts[i];
      r.department_id = i == 2 ? police : mayor;
      r.due_at_ms = r.created_at_ms + 60 * MINUTE;
      r.priority = i == 2 ? CIVIC_PRIORITY_URGENT : CIVIC_PRIORITY_NORMAL;
      g_assert_true (civic_store_upsert_mention (store, &r, NULL, &error));
    }

  return civic_context_new (store, clock);
}

static void
test_window (void)
{
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autoptr(CivicContext) context = make_context (dir);
  CivicWindow *window = civic_window_new (NULL, context);

  CivicQueueView *queue = civic_main_layout_get_queue_view (civic_window_get_layout (window));
  g_autoptr(GArray) ids = NULL;

  civic_test_present_and_wait (GTK_WINDOW (window));
  civic_test_flush (200);
  assert_all_named (GTK_WIDGET (window), "The desk’s window");

  /* With a mention open, its detail and reply pane too. */
  ids = civic_store_list_queue_ids (civic_context_get_store (context),
                                    civic_store_lookup_department (civic_context_get_store (context), "alcaldia"),
                                    civic_context_get_now_ms (context), NULL);
  g_assert_cmpuint (ids->len, >, 0);
  g_assert_true (civic_queue_view_select_mention (queue, g_array_index (ids, gint64, 0)));
  civic_test_flush (200);
  civic_test_screenshot ("a11y-window");
  assert_all_named (GTK_WIDGET (window), "The desk’s window with a mention open");

  gtk_window_destroy (GTK_WINDOW (window));
  civic_test_rmdir (dir);
}

static void
test_secondary_windows (void)
{
  g_autofree char *dir = civic_test_mkdtemp ();
  g_autoptr(CivicContext) context = make_context (dir);
  CivicPreferencesWindow *preferences = civic_preferences_window_new (NULL, context);
  CivicLoginDialog *login;
  GtkWindow *stats_window;

  /* Every page: hidden pages count, a person gets there in one click. */
  civic_test_present_and_wait (GTK_WINDOW (preferences));
  assert_all_named (GTK_WIDGET (preferences), "The preferences");

  login = civic_preferences_window_connect_department (preferences);
  civic_test_present_and_wait (GTK_WINDOW (login));
  assert_all_named (GTK_WIDGET (login), "The login dialog");
  gtk_window_destroy (GTK_WINDOW (login));
  gtk_window_destroy (GTK_WINDOW (preferences));

  stats_window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (stats_window, civic_stats_view_new (context));
  civic_test_present_and_wait (stats_window);
  assert_all_named (GTK_WIDGET (stats_window), "The statistics");
  civic_stats_view_set_period (CIVIC_STATS_VIEW (gtk_window_get_child (stats_window)), CIVIC_STATS_PERIOD_CUSTOM);
  assert_all_named (GTK_WIDGET (stats_window), "The statistics, chosen dates");
  gtk_window_destroy (stats_window);

  civic_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  /* The test environment turns accessibility off (GTK_A11Y=none), which
   * also drops what widgets tell assistive technologies; GTK's test
   * backend keeps it. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/accessibility/check-catches-unnamed", test_check_catches_unnamed);
  g_test_add_func ("/accessibility/window", test_window);
  g_test_add_func ("/accessibility/secondary-windows", test_secondary_windows);

  return g_test_run ();
}
