/* civic-login-dialog.c
 *
 * Connecting a department to its account, in two steps: the server and
 * the department, which opens the server's approval page in the browser;
 * then the code that page shows, exchanged for a token that goes straight
 * to the keyring. The token is never shown. Failures are said inline, in
 * the step they belong to.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-login.h"
#include "civic-login-dialog.h"
#include "civic-sync.h"

/* The usual departments of a town, offered even before they exist. */
static const char * const usual_departments[] = {
  "alcaldia", "policia", "limpieza", "tecnicos", "comedor", "salud",
};

struct _CivicLoginDialog
{
  AdwWindow parent_instance;

  /* Template children */
  GtkButton *cancel_button;
  GtkButton *back_button;
  GtkSpinner *spinner;
  GtkStack *stack;
  AdwEntryRow *server_row;
  AdwComboRow *department_row;
  GtkLabel *server_error_label;
  GtkButton *open_button;
  AdwEntryRow *code_row;
  GtkLabel *code_error_label;
  GtkButton *connect_button;
  GtkButton *reopen_button;

  CivicContext *context;        /* owned */
  SoupSession *session;         /* owned */
  GCancellable *cancellable;    /* owned */
  GPtrArray *slugs;             /* owned: char *, in department_row's order */
  GPtrArray *names;             /* owned: char *, the same order */
  CivicLoginRequest *request;   /* owned, once the approval page is ready */
  char *connected_message;      /* owned, while the sync reloads */
  gint64 account_id;
  CivicUriLauncher launcher;
  gpointer launcher_data;
  gboolean busy;
};

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

enum {
  SIGNAL_CONNECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CivicLoginDialog, civic_login_dialog, ADW_TYPE_WINDOW)

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text = g_utf8_next_char (text))
    {
      if (!g_unichar_isspace (g_utf8_get_char (text)))
        return FALSE;
    }

  return TRUE;
}

static void
update_sensitivity (CivicLoginDialog *self)
{
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  const char *code = gtk_editable_get_text (GTK_EDITABLE (self->code_row));
  gboolean has_department = adw_combo_row_get_selected (self->department_row) != GTK_INVALID_LIST_POSITION;

  /* Entries stay sensitive (taking the focus away from a text entry as
   * it goes insensitive upsets GTK 4.8); they only stop taking input. */
  gtk_editable_set_editable (GTK_EDITABLE (self->server_row), !self->busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->code_row), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->department_row), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reopen_button), !self->busy && self->request != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->open_button),
                            !self->busy && has_department && !is_blank (server));
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button),
                            !self->busy && self->request != NULL && !is_blank (code));
}

static void
set_busy (CivicLoginDialog *self,
          gboolean          busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  update_sensitivity (self);
}

static void
show_error (GtkLabel   *label,
            const char *message)
{
  gtk_label_set_label (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static void
launch (CivicLoginDialog *self)
{
  g_assert (self->request != NULL);

  if (self->launcher != NULL)
    self->launcher (GTK_WINDOW (self), self->request->authorize_uri, self->launcher_data);
  else
    gtk_show_uri (GTK_WINDOW (self), self->request->authorize_uri, GDK_CURRENT_TIME);
}

static void
show_step (CivicLoginDialog *self,
           const char       *name)
{
  gboolean code = g_str_equal (name, "code");

  /* Let go of the focus first: a text entry on the page being hidden
   * would otherwise lose it without being told. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), code);
  gtk_widget_grab_focus (code ? GTK_WIDGET (self->code_row) : GTK_WIDGET (self->server_row));
}

static void
populate_departments (CivicLoginDialog *self)
{
  CivicStore *store = civic_context_get_store (self->context);
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GError) error = NULL;

  departments = civic_store_list_departments_brief (store, &error);
  for (guint i = 0; departments != NULL && i < departments->len; i++)
    {
      CivicDepartment *department = g_ptr_array_index (departments, i);

      if (civic_department_is_unsorted (department))
        continue;
      g_ptr_array_add (self->slugs, g_strdup (civic_department_get_slug (department)));
      g_ptr_array_add (self->names, g_strdup (civic_department_get_name (department)));
    }

  for (guint i = 0; i < G_N_ELEMENTS (usual_departments); i++)
    {
      const char *name = NULL;

      if (civic_store_lookup_department (store, usual_departments[i]) != 0 ||
          !civic_department_lookup_defaults (usual_departments[i], &name, NULL, NULL))
        continue;
      g_ptr_array_add (self->slugs, g_strdup (usual_departments[i]));
      g_ptr_array_add (self->names, g_strdup (name));
    }

  for (guint i = 0; i < self->names->len; i++)
    gtk_string_list_append (model, g_ptr_array_index (self->names, i));
  adw_combo_row_set_model (self->department_row, G_LIST_MODEL (model));

  if (error != NULL)
    show_error (self->server_error_label, error->message);
}

/* The department the account will answer for, created from the usual
 * ones when the store does not have it yet. */
static gint64
ensure_department (CivicLoginDialog  *self,
                   GError           **error)
{
  CivicStore *store = civic_context_get_store (self->context);
  guint selected = adw_combo_row_get_selected (self->department_row);
  const char *slug, *name = NULL, *colour = NULL;
  guint sla_minutes = 0;
  gint64 id;

  g_assert (selected < self->slugs->len);

  slug = g_ptr_array_index (self->slugs, selected);
  id = civic_store_lookup_department (store, slug);
  if (id != 0)
    return id;

  if (!civic_department_lookup_defaults (slug, &name, &colour, &sla_minutes))
    name = g_ptr_array_index (self->names, selected);

  return civic_store_ensure_department (store, slug, name, colour, sla_minutes > 0 ? sla_minutes : 1440, error);
}

static void
finish (CivicLoginDialog *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  g_signal_emit (self, signals[SIGNAL_CONNECTED], 0, self->account_id);
  if (parent != NULL && self->connected_message != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.toast", "s", self->connected_message);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
sync_reloaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CivicLoginDialog *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!civic_sync_reload_finish (CIVIC_SYNC (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_free (self->connected_message);
      /* Translators: the account is connected but reading it failed; %s says why */
      self->connected_message = g_strdup_printf (_("Connected, but the desk could not start reading its mentions: %s"),
                                                 error->message);
    }

  set_busy (self, FALSE);
  finish (self);
}

static void
login_completed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CivicLoginDialog *self = user_data;
  g_autoptr(CivicAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  CivicSync *sync;
  gint64 account_id = 0;
  guint selected;

  account = civic_login_complete_finish (result, &account_id, &error);
  if (account == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      show_error (self->code_error_label, error->message);
      return;
    }

  selected = adw_combo_row_get_selected (self->department_row);
  self->account_id = account_id;
  g_free (self->connected_message);
  /* Translators: e.g. "@alcaldia now answers for Alcaldía" */
  self->connected_message = g_strdup_printf (_("@%s now answers for %s"), account->acct,
                                             (const char *) g_ptr_array_index (self->names, selected));

  sync = civic_context_get_sync (self->context);
  if (sync == NULL)
    {
      set_busy (self, FALSE);
      finish (self);
      return;
    }

  civic_sync_reload_async (sync, self->cancellable, sync_reloaded_cb, self);
}

static void
login_begun_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CivicLoginDialog *self = user_data;
  g_autoptr(CivicLoginRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  request = civic_login_begin_finish (result, &error);
  if (request == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      show_error (self->server_error_label, error->message);
      return;
    }

  g_clear_pointer (&self->request, civic_login_request_free);
  self->request = g_steal_pointer (&request);

  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  show_error (self->code_error_label, NULL);
  show_step (self, "code");
  launch (self);
}

static void
open_clicked_cb (CivicLoginDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (self->busy || !gtk_widget_get_sensitive (GTK_WIDGET (self->open_button)))
    return;

  show_error (self->server_error_label, NULL);
  url = civic_login_normalize_url (gtk_editable_get_text (GTK_EDITABLE (self->server_row)), &error);
  if (url == NULL)
    {
      show_error (self->server_error_label, error->message);
      return;
    }

  set_busy (self, TRUE);
  civic_login_begin_async (self->session, civic_context_get_store (self->context), url,
                           self->cancellable, login_begun_cb, self);
}

static void
connect_clicked_cb (CivicLoginDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  gint64 department_id;

  if (self->busy || self->request == NULL || !gtk_widget_get_sensitive (GTK_WIDGET (self->connect_button)))
    return;

  show_error (self->code_error_label, NULL);
  /* People paste with a stray space or line end. */
  code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_row))));
  if (*code == '\0')
    return;

  department_id = ensure_department (self, &error);
  if (department_id == 0)
    {
      show_error (self->code_error_label, error->message);
      return;
    }

  set_busy (self, TRUE);
  civic_login_complete_async (self->session, civic_context_get_store (self->context), self->request, code,
                              department_id, self->cancellable, login_completed_cb, self);
}

static void
reopen_clicked_cb (CivicLoginDialog *self)
{
  if (self->request != NULL)
    launch (self);
}

static void
back_clicked_cb (CivicLoginDialog *self)
{
  show_error (self->code_error_label, NULL);
  show_step (self, "server");
}

static void
server_changed_cb (CivicLoginDialog *self)
{
  show_error (self->server_error_label, NULL);
  update_sensitivity (self);
}

static void
code_changed_cb (CivicLoginDialog *self)
{
  update_sensitivity (self);
}

static void
civic_login_dialog_constructed (GObject *object)
{
  CivicLoginDialog *self = (CivicLoginDialog *) object;
  CivicSync *sync;

  G_OBJECT_CLASS (civic_login_dialog_parent_class)->constructed (object);

  g_assert (self->context != NULL);

  /* One session per desk: the sync's, when the desk runs one. */
  sync = civic_context_get_sync (self->context);
  if (sync != NULL)
    self->session = g_object_ref (civic_sync_get_session (sync));
  else
    self->session = civic_sync_new_session (30);

  populate_departments (self);
  g_signal_connect_object (self->department_row, "notify::selected",
                           G_CALLBACK (update_sensitivity), self, G_CONNECT_SWAPPED);
  update_sensitivity (self);
}

static void
civic_login_dialog_dispose (GObject *object)
{
  CivicLoginDialog *self = (CivicLoginDialog *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->context);

  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_LOGIN_DIALOG);

  G_OBJECT_CLASS (civic_login_dialog_parent_class)->dispose (object);
}

static void
civic_login_dialog_finalize (GObject *object)
{
  CivicLoginDialog *self = (CivicLoginDialog *) object;

  g_clear_pointer (&self->request, civic_login_request_free);
  g_clear_pointer (&self->slugs, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_free (self->connected_message);

  G_OBJECT_CLASS (civic_login_dialog_parent_class)->finalize (object);
}

static void
civic_login_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CivicLoginDialog *self = CIVIC_LOGIN_DIALOG (object);

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
civic_login_dialog_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CivicLoginDialog *self = CIVIC_LOGIN_DIALOG (object);

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
civic_login_dialog_class_init (CivicLoginDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = civic_login_dialog_constructed;
  object_class->dispose = civic_login_dialog_dispose;
  object_class->finalize = civic_login_dialog_finalize;
  object_class->get_property = civic_login_dialog_get_property;
  object_class->set_property = civic_login_dialog_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CIVIC_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CivicLoginDialog::connected:
   * @account_id: the store's id of the account now bound
   *
   * The login succeeded and the sync knows the account; the dialog closes.
   */
  signals[SIGNAL_CONNECTED] =
    g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/civicdesk/CivicDesk/civic-login-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicLoginDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CivicLoginDialog, back_button);
  gtk_widget_class_bind_template_child (widget_class, CivicLoginDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CivicLoginDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CivicLoginDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, CivicLoginDialog, department_row);
  gtk_widget_class_bind_template_child (widget_class, CivicLoginDialog, server_error_label);
  gtk_widget_class_bind_template_child (widget_class, CivicLoginDialog, open_button);
  gtk_widget_class_bind_template_child (widget_class, CivicLoginDialog, code_row);
  gtk_widget_class_bind_template_child (widget_class, CivicLoginDialog, code_error_label);
  gtk_widget_class_bind_template_child (widget_class, CivicLoginDialog, connect_button);
  gtk_widget_class_bind_template_child (widget_class, CivicLoginDialog, reopen_button);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, connect_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reopen_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, server_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, code_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
civic_login_dialog_init (CivicLoginDialog *self)
{
  self->cancellable = g_cancellable_new ();
  self->slugs = g_ptr_array_new_with_free_func (g_free);
  self->names = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
}

CivicLoginDialog *
civic_login_dialog_new (GtkWindow    *parent,
                        CivicContext *context)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);

  return g_object_new (CIVIC_TYPE_LOGIN_DIALOG,
                       "context", context,
                       "transient-for", parent,
                       NULL);
}

CivicLoginDialog *
civic_login_dialog_present (GtkWindow    *parent,
                            CivicContext *context)
{
  CivicLoginDialog *self = civic_login_dialog_new (parent, context);

  gtk_window_present (GTK_WINDOW (self));
  return self;
}

gboolean
civic_login_dialog_select_department (CivicLoginDialog *self,
                                      const char       *slug)
{
  g_return_val_if_fail (CIVIC_IS_LOGIN_DIALOG (self), FALSE);
  g_return_val_if_fail (slug != NULL, FALSE);

  for (guint i = 0; i < self->slugs->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->slugs, i), slug))
        {
          adw_combo_row_set_selected (self->department_row, i);
          return TRUE;
        }
    }

  return FALSE;
}

void
civic_login_dialog_set_server (CivicLoginDialog *self,
                               const char       *address)
{
  g_return_if_fail (CIVIC_IS_LOGIN_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), address != NULL ? address : "");
}

void
civic_login_dialog_set_uri_launcher (CivicLoginDialog *self,
                                     CivicUriLauncher  launcher,
                                     gpointer          user_data)
{
  g_return_if_fail (CIVIC_IS_LOGIN_DIALOG (self));

  self->launcher = launcher;
  self->launcher_data = user_data;
}
