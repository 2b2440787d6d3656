/* civic-application.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-application.h"
#include "civic-window.h"

struct _CivicApplication
{
  AdwApplication parent_instance;

  CivicContext *context;   /* owned; NULL until the store opened */
  char *database_path;     /* owned; from --database */
  GError *open_error;      /* owned; why the store could not open */
};

G_DEFINE_FINAL_TYPE (CivicApplication, civic_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "database", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Use this database file instead of the default one"), N_("FILE") },
  { NULL }
};

static gboolean
ensure_context (CivicApplication *self)
{
  g_autoptr(CivicStore) store = NULL;

  if (self->context != NULL)
    return TRUE;
  if (self->open_error != NULL)
    return FALSE;

  store = civic_store_new (self->database_path, &self->open_error);
  if (store == NULL)
    {
      g_warning ("%s", self->open_error->message);
      return FALSE;
    }

  self->context = civic_context_new (store, NULL);
  return TRUE;
}

static void
civic_application_activate (GApplication *app)
{
  CivicApplication *self = CIVIC_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    {
      if (ensure_context (self))
        window = GTK_WINDOW (civic_window_new (self, self->context));
      else
        window = GTK_WINDOW (civic_window_new_for_error (self, self->open_error));
    }

  gtk_window_present (window);
}

static int
civic_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  CivicApplication *self = CIVIC_APPLICATION (app);
  const char *path = NULL;

  if (g_variant_dict_lookup (options, "database", "^&ay", &path))
    {
      g_free (self->database_path);
      self->database_path = g_strdup (path);
    }

  return -1;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The Civic Desk authors", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Civic Desk"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Answer your town’s citizens on its microblog"),
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
};

static void
civic_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (civic_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
civic_application_dispose (GObject *object)
{
  CivicApplication *self = (CivicApplication *) object;

  g_clear_object (&self->context);

  G_OBJECT_CLASS (civic_application_parent_class)->dispose (object);
}

static void
civic_application_finalize (GObject *object)
{
  CivicApplication *self = (CivicApplication *) object;

  g_free (self->database_path);
  g_clear_error (&self->open_error);

  G_OBJECT_CLASS (civic_application_parent_class)->finalize (object);
}

static void
civic_application_class_init (CivicApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = civic_application_dispose;
  object_class->finalize = civic_application_finalize;
  app_class->activate = civic_application_activate;
  app_class->startup = civic_application_startup;
  app_class->handle_local_options = civic_application_handle_local_options;
}

static void
civic_application_init (CivicApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("The desk where a town’s staff answer its citizens."));
}

CivicApplication *
civic_application_new (void)
{
  return g_object_new (CIVIC_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/civicdesk/CivicDesk",
                       NULL);
}

CivicContext *
civic_application_get_context (CivicApplication *self)
{
  g_return_val_if_fail (CIVIC_IS_APPLICATION (self), NULL);

  return self->context;
}
