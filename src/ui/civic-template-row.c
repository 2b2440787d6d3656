/* civic-template-row.c
 *
 * A reply template in the preferences (or, without one, the form that
 * adds one): department, title, shortcut and text with placeholders.
 * Saved on Save; what the templates refuse (an unknown placeholder such
 * as {nombe}) is said inline before it can reach a citizen.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-preferences-window-private.h"
#include "civic-template-row.h"

struct _CivicTemplateRow
{
  AdwExpanderRow parent_instance;

  /* Template children */
  AdwComboRow *department_row;
  AdwEntryRow *title_row;
  AdwEntryRow *shortcut_row;
  GtkTextView *body_view;
  GtkLabel *error_label;
  GtkButton *remove_button;
  GtkButton *save_button;

  CivicContext *context;   /* owned */
  GArray *department_ids;  /* owned: gint64, in department_row's order; 0 = every department */
  gint64 template_id;      /* 0: the form for a new template */
  gboolean loading;
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CivicTemplateRow, civic_template_row, ADW_TYPE_EXPANDER_ROW)

static void
show_error (CivicTemplateRow *self,
            const char       *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);
}

static char *
dup_body (CivicTemplateRow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
update_title (CivicTemplateRow *self)
{
  GtkStringList *departments = GTK_STRING_LIST (adw_combo_row_get_model (self->department_row));
  guint department = adw_combo_row_get_selected (self->department_row);
  const char *shortcut = gtk_editable_get_text (GTK_EDITABLE (self->shortcut_row));
  const char *department_name = department != GTK_INVALID_LIST_POSITION
                                  ? gtk_string_list_get_string (departments, department) : "";
  g_autofree char *subtitle = NULL;

  if (self->template_id == 0)
    return;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  if (*shortcut != '\0')
    /* Translators: a template's line: department and shortcut, e.g. "Alcaldía · /registro" */
    subtitle = g_strdup_printf (_("%s · /%s"), department_name, shortcut);
  else
    subtitle = g_strdup (department_name);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);
}

static void
edited_cb (CivicTemplateRow *self)
{
  if (!self->loading)
    show_error (self, NULL);
}

static void
save_clicked_cb (CivicTemplateRow *self)
{
  CivicStore *store = civic_context_get_store (self->context);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  g_autofree char *shortcut = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->shortcut_row))));
  g_autofree char *body = dup_body (self);
  guint department = adw_combo_row_get_selected (self->department_row);
  gint64 department_id = 0;

  if (department != GTK_INVALID_LIST_POSITION && department < self->department_ids->len)
    department_id = g_array_index (self->department_ids, gint64, department);

  if (!civic_template_validate (title, body, &error))
    {
      show_error (self, error->message);
      return;
    }

  if (self->template_id == 0)
    {
      if (civic_templates_add (store, department_id, *shortcut != '\0' ? shortcut : NULL, title, body, &error) == 0)
        {
          show_error (self, error->message);
          return;
        }
      self->loading = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->title_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->shortcut_row), "");
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), "", -1);
      self->loading = FALSE;
    }
  else if (!civic_templates_update (store, self->template_id, department_id,
                                    *shortcut != '\0' ? shortcut : NULL, title, body, &error))
    {
      show_error (self, error->message);
      return;
    }

  show_error (self, NULL);
  update_title (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
remove_clicked_cb (CivicTemplateRow *self)
{
  g_autoptr(GError) error = NULL;

  if (!civic_templates_remove (civic_context_get_store (self->context), self->template_id, &error))
    {
      show_error (self, error->message);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
body_changed_cb (CivicTemplateRow *self)
{
  edited_cb (self);
}

static void
civic_template_row_dispose (GObject *object)
{
  CivicTemplateRow *self = (CivicTemplateRow *) object;

  g_clear_object (&self->context);

  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_TEMPLATE_ROW);

  G_OBJECT_CLASS (civic_template_row_parent_class)->dispose (object);
}

static void
civic_template_row_finalize (GObject *object)
{
  CivicTemplateRow *self = (CivicTemplateRow *) object;

  g_clear_pointer (&self->department_ids, g_array_unref);

  G_OBJECT_CLASS (civic_template_row_parent_class)->finalize (object);
}

static void
civic_template_row_class_init (CivicTemplateRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = civic_template_row_dispose;
  object_class->finalize = civic_template_row_finalize;

  /**
   * CivicTemplateRow::changed:
   *
   * The templates in the store changed: the list should be read again.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/civicdesk/CivicDesk/civic-template-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicTemplateRow, department_row);
  gtk_widget_class_bind_template_child (widget_class, CivicTemplateRow, title_row);
  gtk_widget_class_bind_template_child (widget_class, CivicTemplateRow, shortcut_row);
  gtk_widget_class_bind_template_child (widget_class, CivicTemplateRow, body_view);
  gtk_widget_class_bind_template_child (widget_class, CivicTemplateRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, CivicTemplateRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, CivicTemplateRow, save_button);
  gtk_widget_class_bind_template_callback (widget_class, edited_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
}

static void
civic_template_row_init (CivicTemplateRow *self)
{
  self->department_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (gtk_text_view_get_buffer (self->body_view), "changed",
                           G_CALLBACK (body_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
civic_template_row_new (CivicContext        *context,
                        GPtrArray           *departments,
                        const CivicTemplate *tmpl)
{
  g_autoptr(GtkStringList) model = NULL;
  CivicTemplateRow *self;

  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (departments != NULL, NULL);

  self = g_object_new (CIVIC_TYPE_TEMPLATE_ROW, NULL);
  self->context = g_object_ref (context);
  self->loading = TRUE;

  model = _civic_preferences_department_model (departments, _("Every department"), self->department_ids);
  adw_combo_row_set_model (self->department_row, G_LIST_MODEL (model));

  if (tmpl == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _("New Template"));
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), _("An answer staff can insert in one step"));
      gtk_widget_set_visible (GTK_WIDGET (self->remove_button), FALSE);
      gtk_button_set_label (self->save_button, _("_Add Template"));
    }
  else
    {
      g_autofree char *remove_name = NULL;

      self->template_id = tmpl->id;
      adw_combo_row_set_selected (self->department_row,
                                  _civic_preferences_find_id (self->department_ids, tmpl->department_id));
      gtk_editable_set_text (GTK_EDITABLE (self->title_row), tmpl->title);
      gtk_editable_set_text (GTK_EDITABLE (self->shortcut_row), tmpl->shortcut != NULL ? tmpl->shortcut : "");
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), tmpl->body, -1);
      /* Translators: the accessible name of a template's Remove button */
      remove_name = g_strdup_printf (_("Remove the template %s"), tmpl->title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, remove_name,
                                      -1);
      update_title (self);
    }

  self->loading = FALSE;

  return GTK_WIDGET (self);
}

gint64
civic_template_row_get_template_id (CivicTemplateRow *self)
{
  g_return_val_if_fail (CIVIC_IS_TEMPLATE_ROW (self), 0);

  return self->template_id;
}
