/* civic-notifier.c
 *
 * Desktop notifications for what must not wait while the person is
 * elsewhere: a new priority mention, an answer gone overdue. The store
 * is the source: after its ::changed (debounced) the notifier reads the
 * mentions stored since its last look (by row id), and once a minute the
 * deadlines passed since its last look. Nothing is sent while a desk
 * window is in front: the queue shows it already.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-desk-profile.h"
#include "civic-notifier.h"
#include "civic-store-alerts.h"

#define DEBOUNCE_MS 500
#define OVERDUE_SECONDS 60
/* Beyond this many at once (a first backfill), one summary instead. */
#define MAX_SINGLE 3
#define MAX_LOOKED_AT 200
#define BODY_CHARS 160

struct _CivicNotifier
{
  GObject parent_instance;

  GtkApplication *application;   /* borrowed (weak): it owns us */
  CivicContext *context;         /* owned */
  GSettings *settings;           /* owned, nullable: no schema in some tests */
  CivicNotifySendFunc send_func;
  gpointer send_data;
  GHashTable *sent;              /* owned: notification ids sent, by mention id */
  gint64 last_id;
  gint64 last_overdue_ms;
  guint debounce_source;
  guint minute_source;
  guint unseen_count;
  gboolean started;
};

enum {
  PROP_0,
  PROP_UNSEEN_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CivicNotifier, civic_notifier, G_TYPE_OBJECT)

static gboolean
desk_in_front (CivicNotifier *self)
{
  if (self->application == NULL)
    return FALSE;

  for (GList *l = gtk_application_get_windows (self->application); l != NULL; l = l->next)
    {
      if (gtk_window_is_active (l->data))
        return TRUE;
    }

  return FALSE;
}

static gboolean
setting (CivicNotifier *self,
         const char    *key)
{
  return self->settings == NULL || g_settings_get_boolean (self->settings, key);
}

static void
add_unseen (CivicNotifier *self,
            guint          n)
{
  if (n == 0)
    return;
  self->unseen_count += n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNSEEN_COUNT]);
}

static void
send (CivicNotifier *self,
      const char    *id,
      GNotification *notification,
      const char    *title,
      const char    *body,
      gint64         mention_id)
{
  if (self->send_func != NULL)
    self->send_func (G_APPLICATION (self->application), id, notification, title, body, self->send_data);
  else if (self->application != NULL)
    g_application_send_notification (G_APPLICATION (self->application), id, notification);

  if (mention_id != 0)
    g_hash_table_insert (self->sent, g_memdup2 (&mention_id, sizeof mention_id), g_strdup (id));
}

static CivicDepartment *
find_department (GPtrArray *departments,
                 gint64     id)
{
  for (guint i = 0; departments != NULL && i < departments->len; i++)
    {
      CivicDepartment *department = g_ptr_array_index (departments, i);

      if (civic_department_get_id (department) == id)
        return department;
    }

  return NULL;
}

static const char *
department_name (CivicDepartment *department)
{
  if (department == NULL || civic_department_is_unsorted (department))
    return _("Unsorted");
  return civic_department_get_name (department);
}

/* Loads @ids and keeps those this desk notifies about: not of a muted
 * department, and no direct message this desk may not read. */
static GPtrArray *
load_wanted (CivicNotifier *self,
             GArray        *ids,
             GPtrArray     *departments)
{
  CivicStore *store = civic_context_get_store (self->context);
  g_auto(GStrv) muted = self->settings != NULL ? g_settings_get_strv (self->settings, "notify-muted-departments")
                                               : g_new0 (char *, 1);
  g_autoptr(GPtrArray) mentions = NULL;
  GPtrArray *wanted = g_ptr_array_new_with_free_func (g_object_unref);

  if (ids->len == 0)
    return wanted;

  mentions = civic_store_load_mentions (store, (const gint64 *) (gpointer) ids->data, ids->len, NULL);
  for (guint i = 0; mentions != NULL && i < mentions->len; i++)
    {
      CivicMention *mention = g_ptr_array_index (mentions, i);
      gint64 department_id = civic_mention_get_department_id (mention);
      CivicDepartment *department = find_department (departments, department_id);

      if (department != NULL &&
          g_strv_contains ((const char * const *) muted, civic_department_get_slug (department)))
        continue;
      if (civic_mention_get_visibility (mention) == CIVIC_VISIBILITY_DIRECT &&
          !civic_store_shows_direct (store, department_id))
        continue;
      g_ptr_array_add (wanted, g_object_ref (mention));
    }

  return wanted;
}

static char *
dup_body (CivicMention *mention)
{
  const char *text = civic_mention_get_spoiler_text (mention);
  g_autofree char *flat = NULL;
  glong length;

  /* A content warning stands in for the text, as on the server. */
  if (text == NULL || *text == '\0')
    text = civic_mention_get_text (mention);
  flat = g_strdup (text != NULL ? text : "");
  g_strdelimit (flat, "\n\r\t", ' ');
  g_strstrip (flat);

  length = g_utf8_strlen (flat, -1);
  if (length > BODY_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (flat, 0, BODY_CHARS - 1);

      return g_strdup_printf ("@%s: %s…", civic_mention_get_author_acct (mention), cut);
    }

  return g_strdup_printf ("@%s: %s", civic_mention_get_author_acct (mention), flat);
}

static GNotification *
mention_notification (const char   *title,
                      const char   *body,
                      CivicMention *mention,
                      gboolean      urgent)
{
  g_autoptr(GNotification) notification = g_notification_new (title);
  gint64 id = civic_mention_get_id (mention);

  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, urgent ? G_NOTIFICATION_PRIORITY_URGENT : G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.open-mention", "x", id);
  g_notification_add_button_with_target (notification, _("Open"), "app.open-mention", "x", id);
  if (civic_mention_get_state (mention) == CIVIC_MENTION_STATE_NEW)
    g_notification_add_button_with_target (notification, _("Claim"), "app.claim-mention", "x", id);

  return g_steal_pointer (&notification);
}

static void
check_new (CivicNotifier *self)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GPtrArray) wanted = NULL;
  g_autoptr(GError) error = NULL;
  guint n_single;

  ids = civic_store_list_new_priority (civic_context_get_store (self->context), self->last_id,
                                       CIVIC_PRIORITY_HIGH, MAX_LOOKED_AT, &self->last_id, &error);
  if (ids == NULL)
    {
      g_debug ("Notifier: %s", error->message);
      return;
    }
  if (ids->len == 0 || !setting (self, "notify-priority") || desk_in_front (self))
    return;

  departments = civic_store_list_departments_brief (civic_context_get_store (self->context), NULL);
  wanted = load_wanted (self, ids, departments);
  n_single = wanted->len <= MAX_SINGLE ? wanted->len : MAX_SINGLE - 1;

  for (guint i = 0; i < n_single; i++)
    {
      CivicMention *mention = g_ptr_array_index (wanted, i);
      CivicDepartment *department = find_department (departments, civic_mention_get_department_id (mention));
      gboolean urgent = civic_mention_get_priority (mention) >= CIVIC_PRIORITY_URGENT;
      g_autofree char *title = NULL;
      g_autofree char *id = g_strdup_printf ("mention-%" G_GINT64_FORMAT, civic_mention_get_id (mention));
      g_autofree char *body = NULL;
      g_autoptr(GNotification) notification = NULL;

      if (urgent)
        /* Translators: a notification's title, e.g. "Urgent mention for Policía Local" */
        title = g_strdup_printf (_("Urgent mention for %s"), department_name (department));
      else
        /* Translators: a notification's title, e.g. "Priority mention for Alcaldía" */
        title = g_strdup_printf (_("Priority mention for %s"), department_name (department));
      body = dup_body (mention);
      notification = mention_notification (title, body, mention, urgent);
      send (self, id, notification, title, body, civic_mention_get_id (mention));
    }

  if (wanted->len > n_single)
    {
      guint more = wanted->len - n_single;
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more priority mention",
                                                             "%u more priority mentions", more), more);
      const char *body = _("They are at the top of their departments’ queues.");
      g_autoptr(GNotification) notification = g_notification_new (title);

      g_notification_set_body (notification, body);
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
      send (self, "priority-more", notification, title, body, 0);
    }

  add_unseen (self, wanted->len);
}

static void
check_overdue (CivicNotifier *self)
{
  gint64 now_ms = civic_context_get_now_ms (self->context);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GPtrArray) wanted = NULL;
  g_autoptr(GError) error = NULL;
  gint64 from_ms = self->last_overdue_ms;

  /* A clock moved back (tests, a corrected system clock): start over. */
  self->last_overdue_ms = now_ms;
  if (now_ms <= from_ms)
    return;

  ids = civic_store_list_newly_overdue (civic_context_get_store (self->context), from_ms, now_ms, &error);
  if (ids == NULL)
    {
      g_debug ("Notifier: %s", error->message);
      return;
    }
  if (ids->len == 0 || !setting (self, "notify-overdue") || desk_in_front (self))
    return;

  departments = civic_store_list_departments_brief (civic_context_get_store (self->context), NULL);
  wanted = load_wanted (self, ids, departments);
  if (wanted->len == 1)
    {
      CivicMention *mention = g_ptr_array_index (wanted, 0);
      CivicDepartment *department = find_department (departments, civic_mention_get_department_id (mention));
      /* Translators: a notification's title, e.g. "Answer overdue at Alcaldía" */
      g_autofree char *title = g_strdup_printf (_("Answer overdue at %s"), department_name (department));
      g_autofree char *id = g_strdup_printf ("overdue-%" G_GINT64_FORMAT, civic_mention_get_id (mention));
      g_autofree char *body = dup_body (mention);
      g_autoptr(GNotification) notification = mention_notification (title, body, mention, FALSE);

      send (self, id, notification, title, body, civic_mention_get_id (mention));
    }
  else if (wanted->len > 1)
    {
      g_autoptr(GString) names = g_string_new (NULL);
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u answer overdue",
                                                             "%u answers overdue", wanted->len),
                                                wanted->len);
      g_autoptr(GNotification) notification = g_notification_new (title);

      for (guint i = 0; departments != NULL && i < departments->len; i++)
        {
          CivicDepartment *department = g_ptr_array_index (departments, i);
          guint n = 0;

          for (guint j = 0; j < wanted->len; j++)
            n += civic_mention_get_department_id (g_ptr_array_index (wanted, j)) == civic_department_get_id (department);
          if (n == 0)
            continue;
          if (names->len > 0)
            g_string_append (names, ", ");
          /* Translators: a department and how many of its answers are overdue, e.g. "Alcaldía: 3" */
          g_string_append_printf (names, _("%s: %u"), department_name (department), n);
        }
      g_notification_set_body (notification, names->str);
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
      send (self, "overdue", notification, title, names->str, 0);
    }

  add_unseen (self, wanted->len);
}

static gboolean
debounce_cb (gpointer user_data)
{
  CivicNotifier *self = user_data;

  self->debounce_source = 0;
  check_new (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (CivicNotifier *self)
{
  if (self->started && self->debounce_source == 0)
    self->debounce_source = g_timeout_add (DEBOUNCE_MS, debounce_cb, self);
}

static gboolean
minute_cb (gpointer user_data)
{
  check_overdue (user_data);
  return G_SOURCE_CONTINUE;
}

static void
window_active_cb (GtkWindow     *window,
                  GParamSpec    *pspec,
                  CivicNotifier *self)
{
  if (gtk_window_is_active (window))
    civic_notifier_mark_seen (self);
}

static void
window_added_cb (GtkApplication *application,
                 GtkWindow      *window,
                 CivicNotifier  *self)
{
  g_signal_connect_object (window, "notify::is-active", G_CALLBACK (window_active_cb), self, 0);
}

static void
civic_notifier_dispose (GObject *object)
{
  CivicNotifier *self = (CivicNotifier *) object;

  civic_notifier_stop (self);
  if (self->application != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->application, self);
      g_object_remove_weak_pointer (G_OBJECT (self->application), (gpointer *) &self->application);
      self->application = NULL;
    }
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (civic_context_get_store (self->context), self);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (civic_notifier_parent_class)->dispose (object);
}

static void
civic_notifier_finalize (GObject *object)
{
  CivicNotifier *self = (CivicNotifier *) object;

  g_hash_table_unref (self->sent);

  G_OBJECT_CLASS (civic_notifier_parent_class)->finalize (object);
}

static void
civic_notifier_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CivicNotifier *self = CIVIC_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_UNSEEN_COUNT:
      g_value_set_uint (value, self->unseen_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_notifier_class_init (CivicNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = civic_notifier_dispose;
  object_class->finalize = civic_notifier_finalize;
  object_class->get_property = civic_notifier_get_property;

  properties[PROP_UNSEEN_COUNT] =
    g_param_spec_uint ("unseen-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
civic_notifier_init (CivicNotifier *self)
{
  self->sent = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

CivicNotifier *
civic_notifier_new (GtkApplication *application,
                    CivicContext   *context)
{
  GSettingsSchemaSource *schemas = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  CivicNotifier *self;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);

  self = g_object_new (CIVIC_TYPE_NOTIFIER, NULL);
  self->context = g_object_ref (context);

  if (schemas != NULL)
    schema = g_settings_schema_source_lookup (schemas, APP_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new (APP_ID);

  if (application != NULL)
    {
      self->application = application;
      g_object_add_weak_pointer (G_OBJECT (application), (gpointer *) &self->application);
      g_signal_connect_object (application, "window-added", G_CALLBACK (window_added_cb), self, 0);
      for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
        window_added_cb (application, l->data, self);
    }

  g_signal_connect_object (civic_context_get_store (context), "changed",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);

  return self;
}

void
civic_notifier_start (CivicNotifier *self)
{
  g_return_if_fail (CIVIC_IS_NOTIFIER (self));

  if (self->started)
    return;

  /* What the store holds already was there before the desk opened: only
   * what arrives from now on is news. */
  self->started = TRUE;
  self->last_id = civic_store_get_last_mention_id (civic_context_get_store (self->context));
  self->last_overdue_ms = civic_context_get_now_ms (self->context);
  self->minute_source = g_timeout_add_seconds (OVERDUE_SECONDS, minute_cb, self);
}

void
civic_notifier_stop (CivicNotifier *self)
{
  g_return_if_fail (CIVIC_IS_NOTIFIER (self));

  self->started = FALSE;
  g_clear_handle_id (&self->debounce_source, g_source_remove);
  g_clear_handle_id (&self->minute_source, g_source_remove);
}

guint
civic_notifier_get_unseen_count (CivicNotifier *self)
{
  g_return_val_if_fail (CIVIC_IS_NOTIFIER (self), 0);

  return self->unseen_count;
}

void
civic_notifier_mark_seen (CivicNotifier *self)
{
  g_return_if_fail (CIVIC_IS_NOTIFIER (self));

  if (self->unseen_count == 0)
    return;
  self->unseen_count = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNSEEN_COUNT]);
}

void
civic_notifier_withdraw (CivicNotifier *self,
                         gint64         mention_id)
{
  const char *id;

  g_return_if_fail (CIVIC_IS_NOTIFIER (self));

  id = g_hash_table_lookup (self->sent, &mention_id);
  if (id == NULL)
    return;
  if (self->application != NULL && self->send_func == NULL)
    g_application_withdraw_notification (G_APPLICATION (self->application), id);
  g_hash_table_remove (self->sent, &mention_id);
}

void
civic_notifier_check_now (CivicNotifier *self)
{
  g_return_if_fail (CIVIC_IS_NOTIFIER (self));
  g_return_if_fail (self->started);

  g_clear_handle_id (&self->debounce_source, g_source_remove);
  check_new (self);
  check_overdue (self);
}

void
civic_notifier_set_send_func (CivicNotifier       *self,
                              CivicNotifySendFunc  func,
                              gpointer             user_data)
{
  g_return_if_fail (CIVIC_IS_NOTIFIER (self));

  self->send_func = func;
  self->send_data = user_data;
}
