/* civic-outbox-indicator.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "civic-outbox.h"
#include "civic-outbox-indicator.h"

/* Times in words ("next try in 4 min") age: read again this often while
 * anything waits. One summary query, not a scan of every row. */
#define TICK_SECONDS 30
#define EXCERPT_CHARS 80

struct _CivicOutboxIndicator
{
  GtkWidget parent_instance;

  /* Template children */
  GtkMenuButton *button;
  GtkLabel *count_label;
  GtkPopover *popover;
  GtkLabel *summary_label;
  GtkListBox *list;

  CivicContext *context;     /* owned */
  guint refresh_source;
  guint tick_source;
  guint count;
  guint n_failed;
};

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CivicOutboxIndicator, civic_outbox_indicator, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void
toast (CivicOutboxIndicator *self,
       const char           *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

/* "4 min", "30 s", "2 h": how long until @then. */
static char *
wait_in_words (gint64 then_ms,
               gint64 now_ms)
{
  gint64 delta = MAX (then_ms - now_ms, 0);

  if (delta < 60 * 1000)
    {
      guint seconds = (guint) ((delta + 999) / 1000);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u s", "%u s", seconds), seconds);
    }
  if (delta < 90 * 60 * 1000)
    {
      guint minutes = (guint) ((delta + 59 * 1000) / (60 * 1000));

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u min", "%u min", minutes), minutes);
    }

  {
    guint hours = (guint) ((delta + 30 * 60 * 1000) / (60 * 60 * 1000));

    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u h", "%u h", hours), hours);
  }
}

/* What a reply waits for, in words. @paused_until_ms is its account's
 * rate limit (0: none). */
static char *
state_in_words (const CivicOutboxItem *item,
                gint64                 paused_until_ms,
                gint64                 now_ms)
{
  switch (item->state)
    {
    case CIVIC_OUTBOX_STATE_SENDING:
      return g_strdup (_("Sending…"));
    case CIVIC_OUTBOX_STATE_FAILED:
      if (item->last_error != NULL && *item->last_error != '\0')
        /* Translators: %s is the server's reason */
        return g_strdup_printf (_("Failed: %s"), item->last_error);
      return g_strdup (_("Failed"));
    case CIVIC_OUTBOX_STATE_SENT:
      return g_strdup (_("Sent"));
    case CIVIC_OUTBOX_STATE_PENDING:
    default:
      break;
    }

  if (paused_until_ms > now_ms)
    {
      g_autofree char *wait = wait_in_words (MAX (paused_until_ms, item->next_attempt_at_ms), now_ms);

      return g_strdup_printf (_("Rate limit: next in %s"), wait);
    }
  if (item->next_attempt_at_ms > now_ms + 1000)
    {
      g_autofree char *wait = wait_in_words (item->next_attempt_at_ms, now_ms);

      if (item->last_error != NULL && *item->last_error != '\0')
        /* Translators: the first %s is a time ("4 min"), the second the reason the last try failed */
        return g_strdup_printf (_("Next try in %s. %s"), wait, item->last_error);
      return g_strdup_printf (_("Next try in %s"), wait);
    }
  if (item->last_error != NULL && *item->last_error != '\0')
    /* Translators: %s is why the reply cannot go yet */
    return g_strdup_printf (_("Waiting: %s"), item->last_error);

  return g_strdup (_("Waiting"));
}

static char *
excerpt (const char *body)
{
  g_autofree char *flat = g_strdup (body != NULL ? body : "");
  glong length;

  g_strdelimit (flat, "\n\r\t", ' ');
  length = g_utf8_strlen (flat, -1);
  if (length <= EXCERPT_CHARS)
    return g_steal_pointer (&flat);

  {
    g_autofree char *start = g_utf8_substring (flat, 0, EXCERPT_CHARS - 1);

    return g_strconcat (g_strchomp (start), "…", NULL);
  }
}

static void
row_action_cb (GtkButton            *button,
               CivicOutboxIndicator *self)
{
  CivicOutbox *outbox = civic_context_get_outbox (self->context);
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "civic-outbox-id"));
  gboolean retry = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "civic-retry"));
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (outbox == NULL)
    return;

  if (retry)
    ok = civic_outbox_retry (outbox, id, civic_context_get_person (self->context),
                             civic_context_get_desk_name (self->context),
                             civic_context_get_now_ms (self->context), &error);
  else
    ok = civic_outbox_cancel (outbox, id, civic_context_get_person (self->context),
                              civic_context_get_desk_name (self->context),
                              civic_context_get_now_ms (self->context), &error);

  if (!ok)
    toast (self, error->message);
  else if (!retry)
    toast (self, _("Reply cancelled; its text is back in the mention’s draft"));

  civic_outbox_indicator_refresh (self);
}

static GtkWidget *
action_button (CivicOutboxIndicator *self,
               const char           *mnemonic,
               const char           *accessible,
               gint64                id,
               gboolean              retry)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (mnemonic);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, accessible);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data (G_OBJECT (button), "civic-outbox-id", GSIZE_TO_POINTER (id));
  g_object_set_data (G_OBJECT (button), "civic-retry", GINT_TO_POINTER (retry));
  g_signal_connect (button, "clicked", G_CALLBACK (row_action_cb), self);

  return button;
}

static GtkWidget *
make_row (CivicOutboxIndicator  *self,
          const CivicOutboxItem *item,
          gint64                 paused_until_ms,
          gint64                 now_ms)
{
  CivicStore *store = civic_context_get_store (self->context);
  g_autoptr(CivicMention) mention = item->mention_id > 0 ? civic_store_load_mention (store, item->mention_id, NULL)
                                                         : NULL;
  g_autofree char *who = mention != NULL ? g_strdup_printf ("@%s", civic_mention_get_author_acct (mention))
                                         : g_strdup (_("A deleted mention"));
  g_autofree char *text = excerpt (item->body);
  g_autofree char *state = state_in_words (item, paused_until_ms, now_ms);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (who);
  GtkWidget *body = gtk_label_new (text);
  GtkWidget *state_label = gtk_label_new (state);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_hexpand (labels, TRUE);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (body), 0);
  gtk_label_set_wrap (GTK_LABEL (body), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (body), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (body), 2);
  gtk_label_set_ellipsize (GTK_LABEL (body), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (body), 30);
  gtk_label_set_max_width_chars (GTK_LABEL (body), 30);
  gtk_label_set_xalign (GTK_LABEL (state_label), 0);
  gtk_label_set_wrap (GTK_LABEL (state_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (state_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_width_chars (GTK_LABEL (state_label), 30);
  gtk_label_set_max_width_chars (GTK_LABEL (state_label), 30);
  gtk_widget_add_css_class (state_label, "caption");
  gtk_widget_add_css_class (state_label, item->state == CIVIC_OUTBOX_STATE_FAILED ? "error" : "dim-label");

  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), body);
  gtk_box_append (GTK_BOX (labels), state_label);
  gtk_box_append (GTK_BOX (box), labels);

  /* A reply on the wire can be neither retried nor taken back. */
  if (item->state == CIVIC_OUTBOX_STATE_PENDING || item->state == CIVIC_OUTBOX_STATE_FAILED)
    {
      g_autofree char *retry_name = g_strdup_printf (_("Retry the reply to %s now"), who);
      g_autofree char *cancel_name = g_strdup_printf (_("Cancel the reply to %s and keep its text as a draft"), who);

      gtk_box_append (GTK_BOX (box), action_button (self, _("_Retry"), retry_name, item->id, TRUE));
      gtk_box_append (GTK_BOX (box), action_button (self, _("_Cancel"), cancel_name, item->id, FALSE));
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  {
    g_autofree char *accessible = g_strdup_printf ("%s: %s. %s", who, text, state);

    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  }

  return row;
}

static void
clear_list (CivicOutboxIndicator *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
}

static void
fill_list (CivicOutboxIndicator *self,
           CivicOutbox          *outbox,
           gint64                now_ms)
{
  const guint waiting = (1 << CIVIC_OUTBOX_STATE_PENDING) | (1 << CIVIC_OUTBOX_STATE_SENDING) |
                        (1 << CIVIC_OUTBOX_STATE_FAILED);
  g_autoptr(GPtrArray) items = civic_outbox_list (outbox, 0, waiting, NULL);
  g_autoptr(GHashTable) paused = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  clear_list (self);
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      CivicOutboxItem *item = g_ptr_array_index (items, i);
      gint64 *until = g_hash_table_lookup (paused, &item->account_id);

      /* One rate-limit question per account, not per row. */
      if (until == NULL)
        {
          g_auto(CivicOutboxSummary) summary = { 0 };

          until = g_new0 (gint64, 1);
          if (civic_outbox_get_summary (outbox, item->account_id, &summary, NULL))
            *until = summary.paused_until_ms;
          g_hash_table_insert (paused, g_memdup2 (&item->account_id, sizeof (gint64)), until);
        }

      gtk_list_box_append (self->list, make_row (self, item, *until, now_ms));
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  civic_outbox_indicator_refresh (user_data);
  return G_SOURCE_CONTINUE;
}

void
civic_outbox_indicator_refresh (CivicOutboxIndicator *self)
{
  CivicOutbox *outbox;
  g_auto(CivicOutboxSummary) summary = { 0 };
  g_autofree char *described = NULL;
  g_autofree char *count = NULL;
  gint64 now_ms = civic_context_get_now_ms (self->context);

  g_return_if_fail (CIVIC_IS_OUTBOX_INDICATOR (self));

  g_clear_handle_id (&self->refresh_source, g_source_remove);

  outbox = civic_context_get_outbox (self->context);
  if (outbox == NULL || !civic_outbox_get_summary (outbox, 0, &summary, NULL))
    memset (&summary, 0, sizeof summary);

  self->count = summary.n_pending + summary.n_sending + summary.n_failed;
  self->n_failed = summary.n_failed;

  count = g_strdup_printf ("%u", self->count);
  gtk_label_set_label (self->count_label, count);
  described = civic_outbox_summary_describe (&summary, now_ms);
  if (summary.paused_until_ms > now_ms)
    {
      g_autofree char *wait = wait_in_words (summary.paused_until_ms, now_ms);
      g_autofree char *limited = g_strdup_printf (_("The server’s rate limit holds replies for %s more."), wait);

      char *joined = g_strconcat (described, "\n", limited, NULL);

      g_free (described);
      described = joined;
    }
  gtk_label_set_label (self->summary_label, described);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), described);

  {
    g_autofree char *accessible = g_strdup_printf (_("Outbox: %s"), described);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  }

  if (summary.n_failed > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->button), "warning");

  gtk_widget_set_visible (GTK_WIDGET (self), self->count > 0);
  if (self->count == 0)
    {
      gtk_popover_popdown (self->popover);
      clear_list (self);
    }

  if (self->count > 0 && self->tick_source == 0)
    self->tick_source = g_timeout_add_seconds (TICK_SECONDS, tick_cb, self);
  else if (self->count == 0)
    g_clear_handle_id (&self->tick_source, g_source_remove);

  /* The rows are only read while someone looks at them. */
  if (outbox != NULL && gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    fill_list (self, outbox, now_ms);
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  CivicOutboxIndicator *self = user_data;

  self->refresh_source = 0;
  civic_outbox_indicator_refresh (self);

  return G_SOURCE_REMOVE;
}

static void
outbox_changed_cb (CivicOutbox          *outbox,
                   CivicOutboxIndicator *self)
{
  /* A burst of changes (a queue, then sending, then sent) is one refresh. */
  if (self->refresh_source == 0)
    self->refresh_source = g_idle_add (refresh_idle_cb, self);
}

static void
popover_show_cb (GtkPopover           *popover,
                 CivicOutboxIndicator *self)
{
  CivicOutbox *outbox = civic_context_get_outbox (self->context);

  if (outbox != NULL)
    fill_list (self, outbox, civic_context_get_now_ms (self->context));
}

static void
civic_outbox_indicator_constructed (GObject *object)
{
  CivicOutboxIndicator *self = (CivicOutboxIndicator *) object;
  CivicOutbox *outbox = civic_context_get_outbox (self->context);

  G_OBJECT_CLASS (civic_outbox_indicator_parent_class)->constructed (object);

  if (outbox != NULL)
    g_signal_connect_object (outbox, "changed", G_CALLBACK (outbox_changed_cb), self, 0);
  civic_outbox_indicator_refresh (self);
}

static void
civic_outbox_indicator_dispose (GObject *object)
{
  CivicOutboxIndicator *self = (CivicOutboxIndicator *) object;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_OUTBOX_INDICATOR);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (civic_outbox_indicator_parent_class)->dispose (object);
}

static void
civic_outbox_indicator_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CivicOutboxIndicator *self = CIVIC_OUTBOX_INDICATOR (object);

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
civic_outbox_indicator_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  CivicOutboxIndicator *self = CIVIC_OUTBOX_INDICATOR (object);

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
civic_outbox_indicator_class_init (CivicOutboxIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = civic_outbox_indicator_constructed;
  object_class->dispose = civic_outbox_indicator_dispose;
  object_class->get_property = civic_outbox_indicator_get_property;
  object_class->set_property = civic_outbox_indicator_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CIVIC_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "civicoutboxindicator");
  gtk_widget_class_set_template_from_resource (widget_class, "/org/civicdesk/CivicDesk/civic-outbox-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicOutboxIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, CivicOutboxIndicator, count_label);
  gtk_widget_class_bind_template_child (widget_class, CivicOutboxIndicator, popover);
  gtk_widget_class_bind_template_child (widget_class, CivicOutboxIndicator, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CivicOutboxIndicator, list);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
}

static void
civic_outbox_indicator_init (CivicOutboxIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
civic_outbox_indicator_new (CivicContext *context)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);

  return g_object_new (CIVIC_TYPE_OUTBOX_INDICATOR, "context", context, NULL);
}

guint
civic_outbox_indicator_get_count (CivicOutboxIndicator *self)
{
  g_return_val_if_fail (CIVIC_IS_OUTBOX_INDICATOR (self), 0);
  return self->count;
}

guint
civic_outbox_indicator_get_n_failed (CivicOutboxIndicator *self)
{
  g_return_val_if_fail (CIVIC_IS_OUTBOX_INDICATOR (self), 0);
  return self->n_failed;
}

GtkListBox *
civic_outbox_indicator_get_list (CivicOutboxIndicator *self)
{
  g_return_val_if_fail (CIVIC_IS_OUTBOX_INDICATOR (self), NULL);
  return self->list;
}

void
civic_outbox_indicator_popup (CivicOutboxIndicator *self)
{
  g_return_if_fail (CIVIC_IS_OUTBOX_INDICATOR (self));
  gtk_menu_button_popup (self->button);
}
