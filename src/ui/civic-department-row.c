/* civic-department-row.c
 *
 * A sidebar row: the department's colour, name, and its open and overdue
 * counts, kept in step with the CivicDepartment it shows.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-department-row.h"

struct _CivicDepartmentRow
{
  GtkListBoxRow parent_instance;

  /* Template children */
  GtkDrawingArea *swatch;
  GtkLabel *name_label;
  GtkLabel *overdue_label;
  GtkLabel *open_label;

  CivicDepartment *department;   /* owned */
  GdkRGBA colour;
};

G_DEFINE_FINAL_TYPE (CivicDepartmentRow, civic_department_row, GTK_TYPE_LIST_BOX_ROW)

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  CivicDepartmentRow *self = user_data;
  double radius = MIN (width, height) / 2.0;

  gdk_cairo_set_source_rgba (cr, &self->colour);
  cairo_arc (cr, width / 2.0, height / 2.0, radius, 0, 2 * G_PI);
  cairo_fill (cr);
}

static void
update_counts (CivicDepartmentRow *self)
{
  guint open_count = civic_department_get_open_count (self->department);
  guint overdue_count = civic_department_get_overdue_count (self->department);
  g_autofree char *open_text = g_strdup_printf ("%u", open_count);
  g_autofree char *overdue_text = g_strdup_printf ("%u", overdue_count);
  g_autofree char *accessible = NULL;

  gtk_label_set_label (self->open_label, open_text);
  gtk_widget_set_visible (GTK_WIDGET (self->open_label), open_count > 0);
  gtk_label_set_label (self->overdue_label, overdue_text);
  gtk_widget_set_visible (GTK_WIDGET (self->overdue_label), overdue_count > 0);

  if (overdue_count > 0)
    /* Translators: a department in the sidebar, e.g. "Alcaldía, 12 open, 3 overdue" */
    accessible = g_strdup_printf (_("%s, %u open, %u overdue"),
                                  civic_department_get_name (self->department),
                                  open_count, overdue_count);
  else
    accessible = g_strdup_printf (_("%s, %u open"),
                                  civic_department_get_name (self->department), open_count);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static void
department_notify_cb (CivicDepartment    *department,
                      GParamSpec         *pspec,
                      CivicDepartmentRow *self)
{
  update_counts (self);
}

static void
civic_department_row_dispose (GObject *object)
{
  CivicDepartmentRow *self = (CivicDepartmentRow *) object;

  if (self->department != NULL)
    g_signal_handlers_disconnect_by_data (self->department, self);
  g_clear_object (&self->department);

  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_DEPARTMENT_ROW);

  G_OBJECT_CLASS (civic_department_row_parent_class)->dispose (object);
}

static void
civic_department_row_class_init (CivicDepartmentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = civic_department_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/civicdesk/CivicDesk/civic-department-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicDepartmentRow, swatch);
  gtk_widget_class_bind_template_child (widget_class, CivicDepartmentRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, CivicDepartmentRow, overdue_label);
  gtk_widget_class_bind_template_child (widget_class, CivicDepartmentRow, open_label);
}

static void
civic_department_row_init (CivicDepartmentRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->swatch, draw_swatch, self, NULL);
}

GtkWidget *
civic_department_row_new (CivicDepartment *department)
{
  CivicDepartmentRow *self;

  g_return_val_if_fail (CIVIC_IS_DEPARTMENT (department), NULL);

  self = g_object_new (CIVIC_TYPE_DEPARTMENT_ROW, NULL);
  self->department = g_object_ref (department);

  if (!gdk_rgba_parse (&self->colour, civic_department_get_colour (department)))
    gdk_rgba_parse (&self->colour, "#77767b");

  if (civic_department_is_unsorted (department))
    gtk_label_set_label (self->name_label, _("Unsorted"));
  else
    gtk_label_set_label (self->name_label, civic_department_get_name (department));

  g_signal_connect_object (department, "notify::open-count",
                           G_CALLBACK (department_notify_cb), self, 0);
  g_signal_connect_object (department, "notify::overdue-count",
                           G_CALLBACK (department_notify_cb), self, 0);
  update_counts (self);

  return GTK_WIDGET (self);
}

CivicDepartment *
civic_department_row_get_department (CivicDepartmentRow *self)
{
  g_return_val_if_fail (CIVIC_IS_DEPARTMENT_ROW (self), NULL);

  return self->department;
}
