/* civic-department-editor.c
 *
 * One department in the preferences. Each change is written at once (a
 * spin button's step, a colour picked, the urgent words applied): there is
 * no Save to forget.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-department-editor.h"
#include "civic-languages.h"
#include "civic-preferences-window-private.h"
#include "civic-rules.h"

struct _CivicDepartmentEditor
{
  AdwExpanderRow parent_instance;

  /* Template children */
  GtkDrawingArea *swatch;
  GtkSpinButton *sla_spin;
  AdwComboRow *language_row;
  AdwEntryRow *urgent_row;
  GtkColorButton *colour_button;

  CivicContext *context;   /* owned */
  gint64 department_id;
  char *slug;              /* owned */
  char *name;              /* owned: as stored */
  char *colour;            /* owned: "#rrggbb" */
  guint sla_minutes;
  gboolean loading;
};

G_DEFINE_FINAL_TYPE (CivicDepartmentEditor, civic_department_editor, ADW_TYPE_EXPANDER_ROW)

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  CivicDepartmentEditor *self = user_data;
  GdkRGBA rgba;

  if (!gdk_rgba_parse (&rgba, self->colour))
    gdk_rgba_parse (&rgba, "#77767b");
  gdk_cairo_set_source_rgba (cr, &rgba);
  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0, 0, 2 * G_PI);
  cairo_fill (cr);
}

static void
update_subtitle (CivicDepartmentEditor *self)
{
  g_autofree char *subtitle = NULL;

  if (self->sla_minutes % 60 == 0)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Answers within %u hour", "Answers within %u hours",
                                             self->sla_minutes / 60),
                                self->sla_minutes / 60);
  else
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Answers within %u minute",
                                             "Answers within %u minutes", self->sla_minutes),
                                self->sla_minutes);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);
}

static void
save (CivicDepartmentEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (civic_store_ensure_department (civic_context_get_store (self->context), self->slug, self->name,
                                     self->colour, self->sla_minutes, &error) == 0)
    _civic_preferences_toast (GTK_WIDGET (self), error->message);
}

static void
sla_changed_cb (CivicDepartmentEditor *self)
{
  guint minutes = (guint) gtk_spin_button_get_value_as_int (self->sla_spin);

  if (self->loading || minutes == self->sla_minutes || minutes == 0)
    return;

  self->sla_minutes = minutes;
  update_subtitle (self);
  save (self);
}

static void
language_changed_cb (CivicDepartmentEditor *self)
{
  g_autoptr(GError) error = NULL;
  guint n_languages;
  const CivicLanguage *languages = civic_languages_get (&n_languages);
  guint index = adw_combo_row_get_selected (self->language_row);

  if (self->loading || self->context == NULL || index >= n_languages)
    return;

  if (!civic_store_set_department_language (civic_context_get_store (self->context), self->department_id,
                                            languages[index].code, &error))
    _civic_preferences_toast (GTK_WIDGET (self), error->message);
}

static void
colour_set_cb (CivicDepartmentEditor *self)
{
  GdkRGBA rgba;

  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (self->colour_button), &rgba);
  g_free (self->colour);
  self->colour = g_strdup_printf ("#%02x%02x%02x",
                                  (guint) (CLAMP (rgba.red, 0., 1.) * 255 + .5),
                                  (guint) (CLAMP (rgba.green, 0., 1.) * 255 + .5),
                                  (guint) (CLAMP (rgba.blue, 0., 1.) * 255 + .5));
  gtk_widget_queue_draw (GTK_WIDGET (self->swatch));
  save (self);
}

static void
load_urgent_words (CivicDepartmentEditor *self)
{
  g_auto(GStrv) words = civic_rules_dup_urgent_words (civic_context_get_store (self->context),
                                                      self->department_id, NULL);
  g_autofree char *text = words != NULL ? g_strjoinv (", ", words) : g_strdup ("");

  gtk_editable_set_text (GTK_EDITABLE (self->urgent_row), text);
}

static void
urgent_apply_cb (CivicDepartmentEditor *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->urgent_row));

  if (!civic_rules_set_urgent_words (civic_context_get_store (self->context), self->department_id, text, &error))
    {
      _civic_preferences_toast (GTK_WIDGET (self), error->message);
      return;
    }

  /* Show what is in force now (an empty list brings the defaults back). */
  load_urgent_words (self);
}

static void
civic_department_editor_dispose (GObject *object)
{
  CivicDepartmentEditor *self = (CivicDepartmentEditor *) object;

  g_clear_object (&self->context);

  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_DEPARTMENT_EDITOR);

  G_OBJECT_CLASS (civic_department_editor_parent_class)->dispose (object);
}

static void
civic_department_editor_finalize (GObject *object)
{
  CivicDepartmentEditor *self = (CivicDepartmentEditor *) object;

  g_free (self->slug);
  g_free (self->name);
  g_free (self->colour);

  G_OBJECT_CLASS (civic_department_editor_parent_class)->finalize (object);
}

static void
civic_department_editor_class_init (CivicDepartmentEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = civic_department_editor_dispose;
  object_class->finalize = civic_department_editor_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/civicdesk/CivicDesk/civic-department-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicDepartmentEditor, swatch);
  gtk_widget_class_bind_template_child (widget_class, CivicDepartmentEditor, sla_spin);
  gtk_widget_class_bind_template_child (widget_class, CivicDepartmentEditor, language_row);
  gtk_widget_class_bind_template_child (widget_class, CivicDepartmentEditor, urgent_row);
  gtk_widget_class_bind_template_child (widget_class, CivicDepartmentEditor, colour_button);
  gtk_widget_class_bind_template_callback (widget_class, sla_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, language_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, urgent_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, colour_set_cb);
}

static void
civic_department_editor_init (CivicDepartmentEditor *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n_languages;
  const CivicLanguage *languages = civic_languages_get (&n_languages);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->swatch, draw_swatch, self, NULL);

  for (guint i = 0; i < n_languages; i++)
    gtk_string_list_append (names, languages[i].name);
  adw_combo_row_set_model (self->language_row, G_LIST_MODEL (names));
}

GtkWidget *
civic_department_editor_new (CivicContext    *context,
                             CivicDepartment *department)
{
  CivicDepartmentEditor *self;
  GdkRGBA rgba;

  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (CIVIC_IS_DEPARTMENT (department), NULL);

  self = g_object_new (CIVIC_TYPE_DEPARTMENT_EDITOR, NULL);
  self->context = g_object_ref (context);
  self->department_id = civic_department_get_id (department);
  self->slug = g_strdup (civic_department_get_slug (department));
  self->name = g_strdup (civic_department_get_name (department));
  self->colour = g_strdup (civic_department_get_colour (department));
  self->sla_minutes = civic_department_get_sla_minutes (department);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _civic_preferences_department_name (department));

  self->loading = TRUE;
  gtk_spin_button_set_value (self->sla_spin, self->sla_minutes);
  {
    const char *language = civic_department_get_language (department);
    int index = civic_language_get_index (language);

    /* A code this desk does not list (set by a newer desk) is shown as
     * it is, and kept until someone picks another. */
    if (index < 0)
      {
        GListModel *names = adw_combo_row_get_model (self->language_row);

        gtk_string_list_append (GTK_STRING_LIST (names), language);
        index = (int) g_list_model_get_n_items (names) - 1;
      }
    adw_combo_row_set_selected (self->language_row, (guint) index);
  }
  if (!gdk_rgba_parse (&rgba, self->colour))
    gdk_rgba_parse (&rgba, "#77767b");
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (self->colour_button), &rgba);
  load_urgent_words (self);
  self->loading = FALSE;

  update_subtitle (self);

  return GTK_WIDGET (self);
}

gint64
civic_department_editor_get_department_id (CivicDepartmentEditor *self)
{
  g_return_val_if_fail (CIVIC_IS_DEPARTMENT_EDITOR (self), 0);

  return self->department_id;
}
