/* civic-window.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>

#include "civic-login-dialog.h"
#include "civic-main-layout.h"
#include "civic-window.h"

struct _CivicWindow
{
  AdwApplicationWindow parent_instance;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  AdwStatusPage *error_page;

  CivicContext *context;       /* owned, NULL in an error window */
  CivicMainLayout *layout;     /* borrowed: a child of stack */
};

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CivicWindow, civic_window, ADW_TYPE_APPLICATION_WINDOW)

static GParamSpec *properties[N_PROPS];

/* For the first-frame and memory benchmarks (CIVIC_BENCH_FIRST_FRAME set):
 * say when the first frame is painted, then, once the queue's rows are
 * on screen, how much memory the desk holds, and quit. Nothing otherwise. */
static gboolean
bench_report_rss_cb (gpointer user_data)
{
  g_autofree char *status = NULL;
  const char *line;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) &&
      (line = strstr (status, "VmRSS:")) != NULL)
    g_print ("rss-kb %ld\n", strtol (line + 6, NULL, 10));
  fflush (stdout);
  gtk_window_destroy (GTK_WINDOW (user_data));

  return G_SOURCE_REMOVE;
}

static void
bench_after_paint_cb (GdkFrameClock *clock,
                      CivicWindow   *self)
{
  g_signal_handlers_disconnect_by_func (clock, bench_after_paint_cb, self);
  g_print ("first-frame\n");
  fflush (stdout);
  g_timeout_add (1500, bench_report_rss_cb, self);
}

static void
bench_realize_cb (GtkWidget *widget,
                  gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (bench_after_paint_cb), widget);
}

static void
civic_window_constructed (GObject *object)
{
  CivicWindow *self = (CivicWindow *) object;

  G_OBJECT_CLASS (civic_window_parent_class)->constructed (object);

  if (g_getenv ("CIVIC_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect (self, "realize", G_CALLBACK (bench_realize_cb), NULL);

  if (self->context != NULL)
    {
      self->layout = civic_main_layout_new (self->context);
      gtk_stack_add_named (self->stack, GTK_WIDGET (self->layout), "desk");
      gtk_stack_set_visible_child_name (self->stack, "desk");
    }
}

static void
civic_window_dispose (GObject *object)
{
  CivicWindow *self = (CivicWindow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_WINDOW);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (civic_window_parent_class)->dispose (object);
}

static void
civic_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CivicWindow *self = CIVIC_WINDOW (object);

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
civic_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CivicWindow *self = CIVIC_WINDOW (object);

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
toast_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  civic_window_add_toast (CIVIC_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

static void
connect_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  CivicWindow *self = user_data;
  CivicLoginDialog *dialog;
  CivicDepartment *department;

  if (self->context == NULL)
    return;

  dialog = civic_login_dialog_present (GTK_WINDOW (self), self->context);
  department = self->layout != NULL ? civic_main_layout_get_department (self->layout) : NULL;
  if (department != NULL && !civic_department_is_unsorted (department))
    civic_login_dialog_select_department (dialog, civic_department_get_slug (department));
}

static const GActionEntry win_actions[] = {
  { "toast", toast_action, "s" },
  { "connect", connect_action },
};

static void
civic_window_class_init (CivicWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = civic_window_constructed;
  object_class->dispose = civic_window_dispose;
  object_class->get_property = civic_window_get_property;
  object_class->set_property = civic_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CIVIC_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CIVIC_TYPE_MAIN_LAYOUT);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/civicdesk/CivicDesk/civic-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CivicWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CivicWindow, error_page);
}

static void
civic_window_init (CivicWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
}

CivicWindow *
civic_window_new (gpointer      application,
                  CivicContext *context)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);

  return g_object_new (CIVIC_TYPE_WINDOW,
                       "application", application,
                       "context", context,
                       NULL);
}

CivicWindow *
civic_window_new_for_error (gpointer      application,
                            const GError *error)
{
  CivicWindow *self;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (error != NULL, NULL);

  g_autofree char *escaped = g_markup_escape_text (error->message, -1);

  self = g_object_new (CIVIC_TYPE_WINDOW, "application", application, NULL);
  /* The message may hold a file name: text, not markup. */
  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "error");

  return self;
}

CivicContext *
civic_window_get_context (CivicWindow *self)
{
  g_return_val_if_fail (CIVIC_IS_WINDOW (self), NULL);

  return self->context;
}

gpointer
civic_window_get_layout (CivicWindow *self)
{
  g_return_val_if_fail (CIVIC_IS_WINDOW (self), NULL);

  return self->layout;
}

void
civic_window_add_toast (CivicWindow *self,
                        const char  *message)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (CIVIC_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  /* libadwaita 1.2 reads a toast's title as markup, and a message may
   * carry a server's words: plain text only. */
  escaped = g_markup_escape_text (message, -1);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

void
civic_window_open_mention (CivicWindow *self,
                           gint64       mention_id)
{
  g_return_if_fail (CIVIC_IS_WINDOW (self));

  if (self->layout != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->layout), "desk.open-mention", "x", mention_id);
}
