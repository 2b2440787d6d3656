/* civic-queue-row.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-format.h"
#include "civic-queue-row.h"

/* Excerpts longer than this are cut before layout: a 10,000-character
 * mention must not cost a 10,000-character layout in a list row. */
#define EXCERPT_MAX_CHARS 280

struct _CivicQueueRow
{
  GtkWidget parent_instance;

  /* Template children */
  GtkCheckButton *check;
  GtkImage *priority_icon;
  GtkLabel *author_label;
  GtkLabel *acct_label;
  GtkImage *place_icon;
  GtkImage *photo_icon;
  GtkImage *private_icon;
  GtkLabel *time_label;
  GtkInscription *excerpt;
  GtkLabel *state_label;
  GtkLabel *claimed_label;
  GtkLabel *countdown_label;

  CivicMention *mention;   /* owned */
  gint64 now_ms;           /* the view's clock at the last refresh */
  gboolean setting_check;  /* the view sets the box: not a person's click */
};

G_DEFINE_FINAL_TYPE (CivicQueueRow, civic_queue_row, GTK_TYPE_WIDGET)

static const char *
state_label (CivicMentionState state)
{
  switch (state)
    {
    case CIVIC_MENTION_STATE_NEW:
      return C_("mention state", "New");
    case CIVIC_MENTION_STATE_IN_PROGRESS:
      return C_("mention state", "In progress");
    case CIVIC_MENTION_STATE_ANSWERED:
      return C_("mention state", "Answered");
    case CIVIC_MENTION_STATE_CLOSED:
      return C_("mention state", "Closed");
    default:
      return "";
    }
}

static const char *
priority_label (CivicPriority priority)
{
  switch (priority)
    {
    case CIVIC_PRIORITY_URGENT:
      return _("urgent");
    case CIVIC_PRIORITY_HIGH:
      return _("high priority");
    case CIVIC_PRIORITY_LOW:
      return _("low priority");
    case CIVIC_PRIORITY_NORMAL:
    default:
      return _("normal priority");
    }
}

static char *
make_excerpt (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = text;
  guint n = 0;

  /* "@policia @tecnicos Buenos días…": the addressees are the queue
   * itself; the row shows what the person says. */
  while (*p == '@')
    {
      const char *q = p + 1;

      while (*q != '\0' && !g_ascii_isspace (*q))
        q++;
      while (g_ascii_isspace (*q))
        q++;
      if (*q == '\0')
        break;
      p = q;
    }

  /* One line of flowing text: newlines become spaces. */
  for (; *p != '\0' && n < EXCERPT_MAX_CHARS; p = g_utf8_next_char (p), n++)
    {
      gunichar ch = g_utf8_get_char (p);

      if (ch == '\n' || ch == '\t')
        ch = ' ';
      g_string_append_unichar (out, ch);
    }
  if (*p != '\0')
    g_string_append (out, "…");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
update_accessible (CivicQueueRow *self,
                   gint64         now_ms)
{
  g_autofree char *when = civic_format_relative_time (civic_mention_get_created_at_ms (self->mention), now_ms);
  g_autofree char *excerpt = make_excerpt (civic_mention_get_text (self->mention));
  const char *name = civic_mention_get_author_name (self->mention);
  g_autofree char *sentence = NULL;

  if (name == NULL || *name == '\0')
    name = civic_mention_get_author_acct (self->mention);

  /* Translators: a queue row read aloud: state, priority, author, time, text,
   * e.g. "New, high priority, Juan Pérez, 3 min ago, broken lamp in Calle Real" */
  sentence = g_strdup_printf (_("%s, %s, %s, %s, %s"),
                              state_label (civic_mention_get_state (self->mention)),
                              priority_label (civic_mention_get_priority (self->mention)),
                              name, when, excerpt);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, sentence,
                                  -1);
}

void
civic_queue_row_update_time (CivicQueueRow *self,
                             gint64         now_ms)
{
  g_autofree char *when = NULL;
  CivicMentionState state;

  g_return_if_fail (CIVIC_IS_QUEUE_ROW (self));

  self->now_ms = now_ms;
  if (self->mention == NULL)
    return;

  when = civic_format_relative_time (civic_mention_get_created_at_ms (self->mention), now_ms);
  gtk_label_set_label (self->time_label, when);

  state = civic_mention_get_state (self->mention);
  if (CIVIC_MENTION_STATE_IS_OPEN (state) && civic_mention_get_due_at_ms (self->mention) > 0)
    {
      g_autofree char *countdown = civic_format_countdown (civic_mention_get_due_at_ms (self->mention), now_ms);
      gboolean overdue = civic_mention_is_overdue (self->mention, now_ms);
      gboolean soon = !overdue && civic_mention_get_due_at_ms (self->mention) - now_ms < 15 * 60 * 1000;

      gtk_label_set_label (self->countdown_label, countdown);
      gtk_widget_set_visible (GTK_WIDGET (self->countdown_label), TRUE);
      if (overdue)
        gtk_widget_add_css_class (GTK_WIDGET (self->countdown_label), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->countdown_label), "error");
      if (soon)
        gtk_widget_add_css_class (GTK_WIDGET (self->countdown_label), "warning");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->countdown_label), "warning");
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->countdown_label), FALSE);

  update_accessible (self, now_ms);
}

/* A person ticked or unticked the box: the queue view keeps the selection. */
static void
check_toggled_cb (GtkCheckButton *check,
                  CivicQueueRow  *self)
{
  if (self->setting_check || self->mention == NULL)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "queue.check-mention", "(xb)",
                              civic_mention_get_id (self->mention),
                              gtk_check_button_get_active (check));
}

static void
mention_notify_cb (CivicMention  *mention,
                   GParamSpec    *pspec,
                   CivicQueueRow *self)
{
  /* The countdown keeps the view's clock of the last refresh. */
  civic_queue_row_set_mention (self, mention, self->now_ms);
}

void
civic_queue_row_set_mention (CivicQueueRow *self,
                             CivicMention  *mention,
                             gint64         now_ms)
{
  g_autofree char *excerpt = NULL;
  g_autofree char *acct = NULL;
  const char *name;
  const char *claimed_by;
  CivicPriority priority;
  CivicMentionState state;
  static const char * const state_classes[] = {
    "civic-state-new", "civic-state-in-progress", "civic-state-answered", "civic-state-closed"
  };

  g_return_if_fail (CIVIC_IS_QUEUE_ROW (self));
  g_return_if_fail (mention == NULL || CIVIC_IS_MENTION (mention));

  if (self->mention != mention)
    {
      if (self->mention != NULL)
        g_signal_handlers_disconnect_by_func (self->mention, mention_notify_cb, self);
      g_set_object (&self->mention, mention);
      /* The same object stays in the row while the queue re-sorts: follow it. */
      if (mention != NULL)
        g_signal_connect (mention, "notify", G_CALLBACK (mention_notify_cb), self);
    }

  if (mention == NULL)
    return;

  name = civic_mention_get_author_name (mention);
  acct = g_strconcat ("@", civic_mention_get_author_acct (mention), NULL);
  if (name == NULL || *name == '\0')
    name = acct;
  gtk_label_set_label (self->author_label, name);
  gtk_label_set_label (self->acct_label, acct);

  excerpt = make_excerpt (civic_mention_get_spoiler_text (mention)[0] != '\0'
                            ? civic_mention_get_spoiler_text (mention)
                            : civic_mention_get_text (mention));
  gtk_inscription_set_text (self->excerpt, excerpt);

  priority = civic_mention_get_priority (mention);
  gtk_widget_set_visible (GTK_WIDGET (self->priority_icon), priority >= CIVIC_PRIORITY_HIGH);
  if (priority >= CIVIC_PRIORITY_URGENT)
    gtk_widget_add_css_class (GTK_WIDGET (self->priority_icon), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->priority_icon), "error");

  gtk_widget_set_visible (GTK_WIDGET (self->place_icon), civic_mention_get_point (mention, NULL, NULL));
  gtk_widget_set_visible (GTK_WIDGET (self->photo_icon), civic_mention_get_media_count (mention) > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->private_icon),
                          civic_mention_get_visibility (mention) == CIVIC_VISIBILITY_DIRECT);

  state = civic_mention_get_state (mention);
  gtk_label_set_label (self->state_label, state_label (state));
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    {
      if (i == (guint) state)
        gtk_widget_add_css_class (GTK_WIDGET (self->state_label), state_classes[i]);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), state_classes[i]);
    }

  claimed_by = civic_mention_get_claimed_by (mention);
  gtk_widget_set_visible (GTK_WIDGET (self->claimed_label), claimed_by != NULL);
  if (claimed_by != NULL)
    gtk_label_set_label (self->claimed_label, claimed_by);

  civic_queue_row_update_time (self, now_ms);
}

CivicMention *
civic_queue_row_get_mention (CivicQueueRow *self)
{
  g_return_val_if_fail (CIVIC_IS_QUEUE_ROW (self), NULL);

  return self->mention;
}

static void
civic_queue_row_dispose (GObject *object)
{
  CivicQueueRow *self = (CivicQueueRow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_QUEUE_ROW);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  if (self->mention != NULL)
    g_signal_handlers_disconnect_by_func (self->mention, mention_notify_cb, self);
  g_clear_object (&self->mention);

  G_OBJECT_CLASS (civic_queue_row_parent_class)->dispose (object);
}

static void
civic_queue_row_class_init (CivicQueueRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = civic_queue_row_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "civicqueuerow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/civicdesk/CivicDesk/civic-queue-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicQueueRow, check);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueRow, priority_icon);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueRow, author_label);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueRow, acct_label);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueRow, place_icon);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueRow, photo_icon);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueRow, private_icon);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueRow, excerpt);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueRow, claimed_label);
  gtk_widget_class_bind_template_child (widget_class, CivicQueueRow, countdown_label);
  gtk_widget_class_bind_template_callback (widget_class, check_toggled_cb);
}

static void
civic_queue_row_init (CivicQueueRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
civic_queue_row_new (void)
{
  return g_object_new (CIVIC_TYPE_QUEUE_ROW, NULL);
}

void
civic_queue_row_set_selection_mode (CivicQueueRow *self,
                                    gboolean       selection_mode,
                                    gboolean       checked)
{
  g_return_if_fail (CIVIC_IS_QUEUE_ROW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->check), selection_mode);
  self->setting_check = TRUE;
  gtk_check_button_set_active (self->check, selection_mode && checked);
  self->setting_check = FALSE;
}

gboolean
civic_queue_row_get_checked (CivicQueueRow *self)
{
  g_return_val_if_fail (CIVIC_IS_QUEUE_ROW (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->check)) && gtk_check_button_get_active (self->check);
}
