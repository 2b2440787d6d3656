/* civic-application.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include "civic-application.h"
#include "civic-demo.h"
#include "civic-ingest.h"
#include "civic-notifier.h"
#include "civic-outbox.h"
#include "civic-preferences-window.h"
#include "civic-retention-timer.h"
#include "civic-sync.h"
#include "civic-window.h"
#include "civic-workflow.h"

struct _CivicApplication
{
  AdwApplication parent_instance;

  CivicContext *context;     /* owned; NULL until the store opened */
  CivicSync *sync;           /* owned; created with the context */
  CivicOutbox *outbox;       /* owned; created with the context */
  GSettings *settings;       /* owned; NULL when the schema is not installed */
  CivicNotifier *notifier;   /* owned; created with the context */
  CivicRetentionTimer *retention; /* owned; created with the context */
  CivicDemo *demo;           /* owned; only with --demo */
  GCancellable *cancellable; /* owned */
  char *database_path;       /* owned; from --database */
  char *demo_dir;            /* owned; the demo's throwaway store */
  GError *open_error;        /* owned; why the store could not open */
  gint64 data_version;
  guint other_desks_source;
  gboolean demo_mode;
};

G_DEFINE_FINAL_TYPE (CivicApplication, civic_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "database", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Use this database file instead of the default one"), N_("FILE") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Try the desk with a simulated town, on a throwaway database"), NULL },
  { NULL }
};

/* Other desks share the database file: their commits do not emit our
 * store's ::changed, so look for them (a cheap PRAGMA) every two seconds.
 * That is how a colleague's claim shows before anyone starts typing. */
static gboolean
other_desks_cb (gpointer user_data)
{
  CivicApplication *self = user_data;

  if (self->context != NULL)
    civic_workflow_poll_other_desks (civic_context_get_store (self->context), &self->data_version);

  return G_SOURCE_CONTINUE;
}

static void
toast (CivicApplication *self,
       const char       *message)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (CIVIC_IS_WINDOW (window))
    civic_window_add_toast (CIVIC_WINDOW (window), message);
}

static void
retention_failed_cb (CivicApplication *self,
                     const GError     *error)
{
  g_autofree char *message = g_strdup_printf (_("Old closed mentions could not be deleted: %s"), error->message);

  g_warning ("%s", message);
  toast (self, message);
}

/* The town's street names, for reports that name a street and nothing
 * more: the file in the settings, else Jun's in the demo. */
static CivicGazetteer *
load_streets (CivicApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = self->settings != NULL ? g_settings_get_string (self->settings, "streets-file") : NULL;
  CivicGazetteer *streets = NULL;

  if (path != NULL && *path != '\0')
    streets = civic_gazetteer_new_from_file (path, &error);
  else if (self->demo_mode)
    {
      g_autoptr(GBytes) bytes = g_resources_lookup_data ("/org/civicdesk/CivicDesk/jun-streets.tsv", 0, &error);

      if (bytes != NULL)
        streets = civic_gazetteer_new_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
    }
  else
    return NULL;

  if (streets == NULL)
    g_warning ("The street names could not be read: %s", error->message);
  return streets;
}

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
  self->sync = civic_sync_new (self->context, NULL);
  civic_context_set_sync (self->context, self->sync);
  self->outbox = civic_outbox_new (self->context, civic_sync_get_session (self->sync));
  civic_context_set_outbox (self->context, self->outbox);

  /* Who sits at this desk goes into every audit row. */
  {
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = source != NULL ? g_settings_schema_source_lookup (source, APP_ID, TRUE)
                                                       : NULL;

    if (schema != NULL)
      {
        self->settings = g_settings_new (APP_ID);
        g_settings_bind (self->settings, "person", self->context, "person", G_SETTINGS_BIND_GET);
        g_settings_bind (self->settings, "desk-name", self->context, "desk-name", G_SETTINGS_BIND_GET);
      }
  }

  civic_ingest_set_gazetteer (civic_sync_get_ingest (self->sync), load_streets (self));

  /* Closed mentions older than the town's period go at start-up and then
   * daily; without the schema, the default period. */
  self->retention = civic_retention_timer_new (self->context);
  if (self->settings != NULL)
    g_settings_bind (self->settings, "retention-days", self->retention, "days", G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->retention, "failed", G_CALLBACK (retention_failed_cb), self, G_CONNECT_SWAPPED);

  civic_workflow_poll_other_desks (store, &self->data_version);
  self->other_desks_source = g_timeout_add_seconds (2, other_desks_cb, self);
  return TRUE;
}

static void
sync_reloaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CivicApplication *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!civic_sync_reload_finish (CIVIC_SYNC (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      g_application_release (G_APPLICATION (self));
      return;
    }

  civic_sync_start (self->sync);
  civic_outbox_start (self->outbox);
  g_application_release (G_APPLICATION (self));
}

static void
start_sync (CivicApplication *self)
{
  /* Held until the accounts are read, so a quick quit waits for it. */
  g_application_hold (G_APPLICATION (self));
  civic_sync_reload_async (self->sync, self->cancellable, sync_reloaded_cb, self);
}

static void
demo_started_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CivicApplication *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!civic_demo_start_finish (CIVIC_DEMO (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("The demo town could not start: %s"), error->message);

          g_warning ("%s", message);
          toast (self, message);
        }
      g_application_release (G_APPLICATION (self));
      return;
    }

  toast (self, _("Demo town of Jun connected: mentions arrive live"));
  start_sync (self);
  g_application_release (G_APPLICATION (self));
}

static void
civic_application_activate (GApplication *app)
{
  CivicApplication *self = CIVIC_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (!ensure_context (self))
    {
      window = GTK_WINDOW (civic_window_new_for_error (self, self->open_error));
      gtk_window_present (window);
      return;
    }

  window = GTK_WINDOW (civic_window_new (self, self->context));
  gtk_window_present (window);

  /* Its first run waits for a low-priority idle, and then only starts a
   * thread: the window's first frame does not wait for it. */
  civic_retention_timer_start (self->retention);

  if (self->demo_mode)
    {
      self->demo = civic_demo_new ();
      civic_demo_set_outbox (self->demo, self->outbox);
      g_application_hold (app);
      civic_demo_start_async (self->demo, self->sync, civic_context_get_store (self->context),
                              self->cancellable, demo_started_cb, self);
    }
  else
    start_sync (self);
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

  if (g_variant_dict_contains (options, "demo"))
    {
      g_autoptr(GError) error = NULL;

      /* The demo never touches the real store, and runs beside a real desk. */
      self->demo_mode = TRUE;
      self->demo_dir = g_dir_make_tmp ("civic-desk-demo-XXXXXX", &error);
      if (self->demo_dir == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_free (self->database_path);
      self->database_path = g_build_filename (self->demo_dir, "demo.db", NULL);
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
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

static void
demo_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) demo = NULL;
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);

  /* A separate desk on a throwaway database: the demo's accounts never
   * mix with the town's real ones. */
  demo = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                           self_path != NULL ? self_path : "civic-desk", "--demo", NULL);
  if (demo == NULL)
    toast (CIVIC_APPLICATION (user_data), error->message);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  CivicApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (self->context == NULL)
    return;

  gtk_window_present (GTK_WINDOW (civic_preferences_window_new (parent, self->context)));
}

/* From a notification: bring the desk up on that mention. The window
 * selects it with its win.open-mention(x) action. */
static void
open_mention_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  CivicApplication *self = user_data;
  gint64 mention_id = g_variant_get_int64 (parameter);
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    return;

  gtk_window_present (window);
  if (CIVIC_IS_WINDOW (window))
    civic_window_open_mention (CIVIC_WINDOW (window), mention_id);
  if (self->notifier != NULL)
    civic_notifier_withdraw (self->notifier, mention_id);
}

/* From a notification: claim without opening the desk. */
static void
claim_mention_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  CivicApplication *self = user_data;
  gint64 mention_id = g_variant_get_int64 (parameter);
  g_autoptr(GError) error = NULL;

  if (self->context == NULL)
    return;

  if (!civic_workflow_claim (civic_context_get_store (self->context), mention_id,
                             civic_context_get_person (self->context), civic_context_get_desk_name (self->context),
                             civic_context_get_now_ms (self->context), &error))
    {
      g_autoptr(GNotification) notification = g_notification_new (_("Could not claim the mention"));

      /* The person is away from the desk: a toast would go unseen. */
      g_notification_set_body (notification, error->message);
      g_notification_set_default_action_and_target (notification, "app.open-mention", "x", mention_id);
      g_application_send_notification (G_APPLICATION (self), "claim-failed", notification);
      return;
    }

  if (self->notifier != NULL)
    civic_notifier_withdraw (self->notifier, mention_id);
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "preferences", preferences_action },
  { "open-mention", open_mention_action, "x" },
  { "claim-mention", claim_mention_action, "x" },
  { "quit", quit_action },
  { "demo", demo_action },
};

/* A desk stopped by its session (or by kill) still shuts down properly:
 * the demo town stops, the sync closes, the store is flushed. */
static gboolean
quit_signal_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static void
civic_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (civic_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  g_unix_signal_add (SIGTERM, quit_signal_cb, app);
  g_unix_signal_add (SIGINT, quit_signal_cb, app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);
}

static void
remove_demo_dir (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      g_remove (child);
    }
  g_rmdir (dir);
}

static void
civic_application_shutdown (GApplication *app)
{
  CivicApplication *self = CIVIC_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->other_desks_source, g_source_remove);
  if (self->sync != NULL)
    civic_sync_stop (self->sync);
  if (self->outbox != NULL)
    civic_outbox_stop (self->outbox);
  if (self->demo != NULL)
    civic_demo_stop (self->demo);
  if (self->retention != NULL)
    civic_retention_timer_stop (self->retention);

  G_APPLICATION_CLASS (civic_application_parent_class)->shutdown (app);

  /* The store closes with the context; then the demo's files can go. */
  g_clear_object (&self->retention);
  g_clear_object (&self->notifier);
  g_clear_object (&self->sync);
  g_clear_object (&self->outbox);
  g_clear_object (&self->settings);
  g_clear_object (&self->demo);
  g_clear_object (&self->context);
  if (self->demo_dir != NULL)
    remove_demo_dir (self->demo_dir);
}

static void
civic_application_dispose (GObject *object)
{
  CivicApplication *self = (CivicApplication *) object;

  g_clear_object (&self->retention);
  g_clear_object (&self->notifier);
  g_clear_object (&self->sync);
  g_clear_object (&self->outbox);
  g_clear_object (&self->settings);
  g_clear_object (&self->demo);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (civic_application_parent_class)->dispose (object);
}

static void
civic_application_finalize (GObject *object)
{
  CivicApplication *self = (CivicApplication *) object;

  g_free (self->database_path);
  g_free (self->demo_dir);
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
  app_class->shutdown = civic_application_shutdown;
  app_class->handle_local_options = civic_application_handle_local_options;
}

static void
civic_application_init (CivicApplication *self)
{
  self->cancellable = g_cancellable_new ();
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

CivicNotifier *
civic_application_get_notifier (CivicApplication *self)
{
  g_return_val_if_fail (CIVIC_IS_APPLICATION (self), NULL);

  return self->notifier;
}
