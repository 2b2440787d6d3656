/* civic-account-row.c
 *
 * One bound account in the preferences: which departments answer from
 * it, how its sync is doing right now, and signing out of it.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-account-row.h"
#include "civic-preferences-window-private.h"
#include "civic-sign-out.h"
#include "civic-sync.h"

struct _CivicAccountRow
{
  AdwActionRow parent_instance;

  /* Template children */
  GtkImage *state_icon;
  GtkSpinner *spinner;
  GtkButton *sign_out_button;

  CivicContext *context;            /* owned */
  CivicAccountSync *account_sync;   /* owned, nullable: the live sync */
  gint64 account_id;
  char *acct;                       /* owned */
  char *base_url;                   /* owned */
  char *departments;                /* owned: the departments' names, for people */
};

enum {
  SIGNAL_SIGNED_OUT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CivicAccountRow, civic_account_row, ADW_TYPE_ACTION_ROW)

static const char *
state_icon_name (CivicSyncState state)
{
  switch (state)
    {
    case CIVIC_SYNC_STATE_LIVE:
    case CIVIC_SYNC_STATE_POLLING:
      return "emblem-ok-symbolic";
    case CIVIC_SYNC_STATE_CONNECTING:
    case CIVIC_SYNC_STATE_CATCHING_UP:
      return "emblem-synchronizing-symbolic";
    case CIVIC_SYNC_STATE_RECONNECTING:
    case CIVIC_SYNC_STATE_RATE_LIMITED:
      return "network-offline-symbolic";
    case CIVIC_SYNC_STATE_LOGIN_EXPIRED:
    case CIVIC_SYNC_STATE_FAILED:
      return "dialog-warning-symbolic";
    case CIVIC_SYNC_STATE_IDLE:
    default:
      return "network-idle-symbolic";
    }
}

static void
update_status (CivicAccountRow *self)
{
  g_autofree char *stored_message = NULL;
  g_autofree char *subtitle = NULL;
  g_autoptr(GUri) uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : self->base_url;
  const char *message = NULL;
  CivicSyncState state = CIVIC_SYNC_STATE_IDLE;

  if (self->account_sync != NULL)
    {
      state = civic_account_sync_get_state (self->account_sync);
      message = civic_account_sync_get_message (self->account_sync);
    }
  else
    {
      /* No sync running here (another desk reads it): the last status any
       * desk stored. */
      civic_store_get_sync_status (civic_context_get_store (self->context), self->account_id,
                                   NULL, &stored_message, NULL, NULL);
      message = stored_message;
    }

  if (message == NULL || *message == '\0')
    message = _("Not reading yet");

  if (self->departments != NULL && *self->departments != '\0')
    /* Translators: an account's line: server, departments, sync status,
     * e.g. "jun.example · Alcaldía · Live" */
    subtitle = g_strdup_printf (_("%s · %s · %s"), host, self->departments, message);
  else
    /* Translators: an account's line: server and sync status */
    subtitle = g_strdup_printf (_("%s · %s"), host, message);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_image_set_from_icon_name (self->state_icon, state_icon_name (state));
}

static void
account_sync_notify_cb (CivicAccountRow *self)
{
  update_status (self);
}

static void
signed_out_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CivicAccountRow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;

  if (!civic_sign_out_finish (result, &warning, &error))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
      gtk_spinner_set_spinning (self->spinner, FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->sign_out_button), TRUE);
      {
        /* Translators: signing out failed; %s says why */
        g_autofree char *message = g_strdup_printf (_("Could not sign out: %s"), error->message);

        _civic_preferences_toast (GTK_WIDGET (self), message);
      }
      g_object_unref (self);
      return;
    }

  if (warning != NULL)
    _civic_preferences_toast (GTK_WIDGET (self), warning);
  else
    {
      /* Translators: %s is an account, e.g. "@alcaldia" */
      g_autofree char *message = g_strdup_printf (_("Signed out of @%s"), self->acct);

      _civic_preferences_toast (GTK_WIDGET (self), message);
    }

  g_signal_emit (self, signals[SIGNAL_SIGNED_OUT], 0);
  g_object_unref (self);
}

static void
sign_out (CivicAccountRow *self)
{
  g_autoptr(SoupSession) session = _civic_preferences_dup_session (self->context);

  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_out_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_set_spinning (self->spinner, TRUE);

  /* Not cancelled when the row goes: stopping between the revocation and
   * forgetting the token would leave a bound account that cannot sign in.
   * The row is held until the end. */
  civic_sign_out_async (civic_context_get_sync (self->context), session,
                        civic_context_get_store (self->context), self->account_id,
                        NULL, signed_out_cb, g_object_ref (self));
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     CivicAccountRow  *self)
{
  if (g_strcmp0 (response, "sign-out") == 0)
    sign_out (self);
}

static void
sign_out_clicked_cb (CivicAccountRow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  /* Translators: %s is an account, e.g. "@alcaldia" */
  heading = g_strdup_printf (_("Sign Out of @%s?"), self->acct);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading, NULL));
  adw_message_dialog_format_body (dialog,
                                  _("The desk stops reading and answering mentions for %s, and the server "
                                    "ends its access. The mentions already received stay here."),
                                  self->departments != NULL && *self->departments != '\0'
                                    ? self->departments : self->acct);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "sign-out", _("_Sign Out"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "sign-out", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
civic_account_row_dispose (GObject *object)
{
  CivicAccountRow *self = (CivicAccountRow *) object;

  if (self->account_sync != NULL)
    g_signal_handlers_disconnect_by_data (self->account_sync, self);
  g_clear_object (&self->account_sync);
  g_clear_object (&self->context);

  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_ACCOUNT_ROW);

  G_OBJECT_CLASS (civic_account_row_parent_class)->dispose (object);
}

static void
civic_account_row_finalize (GObject *object)
{
  CivicAccountRow *self = (CivicAccountRow *) object;

  g_free (self->acct);
  g_free (self->base_url);
  g_free (self->departments);

  G_OBJECT_CLASS (civic_account_row_parent_class)->finalize (object);
}

static void
civic_account_row_class_init (CivicAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = civic_account_row_dispose;
  object_class->finalize = civic_account_row_finalize;

  /**
   * CivicAccountRow::signed-out:
   *
   * The desk signed out of the account and unbound its departments.
   */
  signals[SIGNAL_SIGNED_OUT] =
    g_signal_new ("signed-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/civicdesk/CivicDesk/civic-account-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicAccountRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, CivicAccountRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, CivicAccountRow, sign_out_button);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_clicked_cb);
}

static void
civic_account_row_init (CivicAccountRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static char *
dup_department_names (CivicContext *context,
                      const char   *slugs)
{
  g_autoptr(GPtrArray) departments = NULL;
  g_auto(GStrv) parts = g_strsplit (slugs != NULL ? slugs : "", ",", -1);
  GString *names = g_string_new (NULL);

  departments = civic_store_list_departments_brief (civic_context_get_store (context), NULL);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *name = parts[i];

      if (*name == '\0')
        continue;
      for (guint j = 0; departments != NULL && j < departments->len; j++)
        {
          CivicDepartment *department = g_ptr_array_index (departments, j);

          if (g_str_equal (civic_department_get_slug (department), parts[i]))
            name = _civic_preferences_department_name (department);
        }
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, name);
    }

  return g_string_free (names, FALSE);
}

GtkWidget *
civic_account_row_new (CivicContext            *context,
                       const CivicBoundAccount *account)
{
  CivicAccountRow *self;
  g_autofree char *title = NULL;
  g_autofree char *button_name = NULL;
  CivicSync *sync;

  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (account != NULL, NULL);

  self = g_object_new (CIVIC_TYPE_ACCOUNT_ROW, NULL);
  self->context = g_object_ref (context);
  self->account_id = account->account_id;
  self->acct = g_strdup (account->acct);
  self->base_url = g_strdup (account->base_url);
  self->departments = dup_department_names (context, account->departments);

  title = g_strconcat ("@", account->acct, NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  /* Translators: the accessible name of a Sign Out button, e.g. "Sign out of @alcaldia" */
  button_name = g_strdup_printf (_("Sign out of @%s"), account->acct);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sign_out_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, button_name,
                                  -1);

  sync = civic_context_get_sync (context);
  if (sync != NULL)
    {
      CivicAccountSync *account_sync = civic_sync_find_account (sync, account->account_id);

      if (account_sync != NULL)
        {
          self->account_sync = g_object_ref (account_sync);
          g_signal_connect_object (account_sync, "notify::state", G_CALLBACK (account_sync_notify_cb),
                                   self, G_CONNECT_SWAPPED);
          g_signal_connect_object (account_sync, "notify::message", G_CALLBACK (account_sync_notify_cb),
                                   self, G_CONNECT_SWAPPED);
        }
    }

  update_status (self);

  return GTK_WIDGET (self);
}

gint64
civic_account_row_get_account_id (CivicAccountRow *self)
{
  g_return_val_if_fail (CIVIC_IS_ACCOUNT_ROW (self), 0);

  return self->account_id;
}
