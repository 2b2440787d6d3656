/* civic-answer-all-dialog.c
 *
 * "Answer All…" on the map: a cluster of reports of the same problem gets
 * one template, expanded for each citizen, one reply each.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-answer-all-dialog.h"
#include "civic-bulk-reply.h"

struct _CivicAnswerAllDialog
{
  AdwMessageDialog parent_instance;

  /* Template children */
  GtkDropDown *template_dropdown;
  GtkLabel *preview_label;

  CivicContext *context;         /* owned */
  GtkWidget *parent;             /* weak: where the outcome is toasted */
  CivicBulkReplyPlan *plan;      /* owned */
  GPtrArray *templates;          /* owned: CivicTemplate, in the dropdown's order */
  char *preview;                 /* owned */
  char *report;                  /* owned */
};

G_DEFINE_FINAL_TYPE (CivicAnswerAllDialog, civic_answer_all_dialog, ADW_TYPE_MESSAGE_DIALOG)

static CivicTemplate *
selected_template (CivicAnswerAllDialog *self)
{
  guint index = gtk_drop_down_get_selected (self->template_dropdown);

  if (self->templates == NULL || index >= self->templates->len)
    return NULL;

  return g_ptr_array_index (self->templates, index);
}

static char *
describe_skipped (const CivicBulkReplyPlan *plan)
{
  GString *text = g_string_new (NULL);

  if (plan->n_answered > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u skipped: already answered",
                                               "%u skipped: already answered", plan->n_answered),
                            plan->n_answered);
  if (plan->n_colleague > 0)
    {
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u skipped: claimed by a colleague",
                                                 "%u skipped: claimed by a colleague", plan->n_colleague),
                              plan->n_colleague);
    }

  return g_string_free (text, FALSE);
}

static void
update (CivicAnswerAllDialog *self)
{
  CivicTemplate *tmpl = selected_template (self);
  guint n = self->plan != NULL ? self->plan->mentions->len : 0;
  g_autofree char *skipped = self->plan != NULL ? describe_skipped (self->plan) : g_strdup ("");
  g_autofree char *body = NULL;
  g_autofree char *count = NULL;

  g_clear_pointer (&self->preview, g_free);
  if (tmpl != NULL && n > 0)
    self->preview = civic_bulk_reply_compose (self->context, tmpl, g_ptr_array_index (self->plan->mentions, 0));

  if (self->templates == NULL || self->templates->len == 0)
    count = g_strdup (_("This department has no templates yet: add them in the preferences."));
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u reply will be queued, one per citizen.",
                                          "%u replies will be queued, one per citizen.", n), n);
  body = *skipped != '\0' ? g_strdup_printf ("%s %s.", count, skipped) : g_steal_pointer (&count);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  gtk_label_set_label (self->preview_label, self->preview != NULL ? self->preview : "");
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->preview_label)), self->preview != NULL);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "send", tmpl != NULL && n > 0);
}

static void
template_changed_cb (GtkDropDown          *dropdown,
                     GParamSpec           *pspec,
                     CivicAnswerAllDialog *self)
{
  update (self);
}

static void
send (CivicAnswerAllDialog *self)
{
  CivicOutbox *outbox = civic_context_get_outbox (self->context);
  CivicTemplate *tmpl = selected_template (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *skipped = NULL;
  g_autofree char *done = NULL;
  guint n_queued = 0;

  if (tmpl == NULL || self->plan == NULL)
    return;

  if (outbox == NULL)
    {
      self->report = g_strdup (_("This desk is not connected: the replies cannot be sent"));
    }
  else
    {
      gboolean ok = civic_bulk_reply_queue (self->context, outbox, self->plan, tmpl, &n_queued, &error);

      done = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u reply queued", "%u replies queued", n_queued),
                              n_queued);
      skipped = describe_skipped (self->plan);
      if (!ok)
        self->report = g_strdup_printf ("%s; %s", done, error->message);
      else if (*skipped != '\0')
        self->report = g_strdup_printf ("%s; %s", done, skipped);
      else
        self->report = g_steal_pointer (&done);
    }

  if (self->parent != NULL)
    gtk_widget_activate_action (self->parent, "win.toast", "s", self->report);
}

static void
response_cb (CivicAnswerAllDialog *self,
             const char           *response)
{
  if (g_strcmp0 (response, "send") == 0)
    send (self);
}

static void
civic_answer_all_dialog_dispose (GObject *object)
{
  CivicAnswerAllDialog *self = (CivicAnswerAllDialog *) object;

  g_clear_weak_pointer (&self->parent);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (civic_answer_all_dialog_parent_class)->dispose (object);
}

static void
civic_answer_all_dialog_finalize (GObject *object)
{
  CivicAnswerAllDialog *self = (CivicAnswerAllDialog *) object;

  g_clear_pointer (&self->plan, civic_bulk_reply_plan_free);
  g_clear_pointer (&self->templates, g_ptr_array_unref);
  g_free (self->preview);
  g_free (self->report);

  G_OBJECT_CLASS (civic_answer_all_dialog_parent_class)->finalize (object);
}

static void
civic_answer_all_dialog_class_init (CivicAnswerAllDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = civic_answer_all_dialog_dispose;
  object_class->finalize = civic_answer_all_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/civicdesk/CivicDesk/civic-answer-all-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicAnswerAllDialog, template_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CivicAnswerAllDialog, preview_label);
  gtk_widget_class_bind_template_callback (widget_class, template_changed_cb);
}

static void
civic_answer_all_dialog_init (CivicAnswerAllDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "response", G_CALLBACK (response_cb), NULL);
}

GtkWidget *
civic_answer_all_dialog_new (CivicContext *context,
                             GtkWidget    *parent,
                             const gint64 *ids,
                             guint         n_ids)
{
  CivicAnswerAllDialog *self;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  GtkRoot *root;

  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);

  root = parent != NULL ? gtk_widget_get_root (parent) : NULL;
  self = g_object_new (CIVIC_TYPE_ANSWER_ALL_DIALOG,
                       "transient-for", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                       "modal", TRUE,
                       NULL);
  self->context = g_object_ref (context);
  g_set_weak_pointer (&self->parent, parent);

  self->plan = civic_bulk_reply_plan (context, civic_context_get_outbox (context), ids, n_ids, &error);
  if (self->plan != NULL)
    self->templates = civic_bulk_reply_list_templates (context, self->plan, &error);
  if (error != NULL)
    adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), error->message);

  for (guint i = 0; self->templates != NULL && i < self->templates->len; i++)
    gtk_string_list_append (names, ((CivicTemplate *) g_ptr_array_index (self->templates, i))->title);
  gtk_drop_down_set_model (self->template_dropdown, G_LIST_MODEL (names));
  update (self);

  return GTK_WIDGET (self);
}

guint
civic_answer_all_dialog_get_n_replies (CivicAnswerAllDialog *self)
{
  g_return_val_if_fail (CIVIC_IS_ANSWER_ALL_DIALOG (self), 0);
  return self->plan != NULL ? self->plan->mentions->len : 0;
}

guint
civic_answer_all_dialog_get_n_templates (CivicAnswerAllDialog *self)
{
  g_return_val_if_fail (CIVIC_IS_ANSWER_ALL_DIALOG (self), 0);
  return self->templates != NULL ? self->templates->len : 0;
}

void
civic_answer_all_dialog_select_template (CivicAnswerAllDialog *self,
                                         guint                 index)
{
  g_return_if_fail (CIVIC_IS_ANSWER_ALL_DIALOG (self));
  gtk_drop_down_set_selected (self->template_dropdown, index);
}

const char *
civic_answer_all_dialog_get_preview (CivicAnswerAllDialog *self)
{
  g_return_val_if_fail (CIVIC_IS_ANSWER_ALL_DIALOG (self), NULL);
  return self->preview;
}

const char *
civic_answer_all_dialog_get_report (CivicAnswerAllDialog *self)
{
  g_return_val_if_fail (CIVIC_IS_ANSWER_ALL_DIALOG (self), NULL);
  return self->report;
}
