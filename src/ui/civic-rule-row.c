/* civic-rule-row.c
 *
 * A routing rule in the preferences (or, without a rule, the form that
 * adds one). Edits are kept in the row until Save, so a half-typed
 * regular expression never reaches the router; what the rules refuse is
 * said under the pattern, in GRegex's own words.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-preferences-window-private.h"
#include "civic-rule-row.h"

struct _CivicRuleRow
{
  AdwExpanderRow parent_instance;

  /* Template children */
  GtkSwitch *enabled_switch;
  AdwComboRow *kind_row;
  AdwEntryRow *pattern_row;
  AdwComboRow *department_row;
  GtkLabel *error_label;
  GtkButton *up_button;
  GtkButton *down_button;
  GtkButton *remove_button;
  GtkButton *save_button;

  CivicContext *context;   /* owned */
  GArray *department_ids;  /* owned: gint64, in department_row's order */
  gint64 rule_id;          /* 0: the form for a new rule */
  guint position;
  gboolean loading;
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CivicRuleRow, civic_rule_row, ADW_TYPE_EXPANDER_ROW)

static const char *
kind_label (CivicRuleKind kind)
{
  switch (kind)
    {
    case CIVIC_RULE_HASHTAG:
      return _("Hashtag");
    case CIVIC_RULE_KEYWORD:
      return _("Keyword or phrase");
    case CIVIC_RULE_REGEX:
      return _("Regular expression");
    case CIVIC_RULE_AUTHOR:
    default:
      return _("Author");
    }
}

static void
show_error (CivicRuleRow *self,
            const char   *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);
}

static void
update_title (CivicRuleRow *self)
{
  g_autofree char *subtitle = NULL;
  CivicRuleKind kind = adw_combo_row_get_selected (self->kind_row);
  guint department = adw_combo_row_get_selected (self->department_row);
  GtkStringList *departments = GTK_STRING_LIST (adw_combo_row_get_model (self->department_row));
  const char *department_name = department != GTK_INVALID_LIST_POSITION
                                  ? gtk_string_list_get_string (departments, department) : "";

  if (self->rule_id == 0)
    return;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 gtk_editable_get_text (GTK_EDITABLE (self->pattern_row)));
  if (gtk_switch_get_active (self->enabled_switch))
    /* Translators: a routing rule's line, e.g. "Keyword or phrase → Alcaldía" */
    subtitle = g_strdup_printf (_("%s → %s"), kind_label (kind), department_name);
  else
    /* Translators: a routing rule that is switched off */
    subtitle = g_strdup_printf (_("%s → %s (not in use)"), kind_label (kind), department_name);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);
}

static void
changed (CivicRuleRow *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
save_clicked_cb (CivicRuleRow *self)
{
  CivicStore *store = civic_context_get_store (self->context);
  g_autoptr(GError) error = NULL;
  g_autofree char *pattern = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->pattern_row)));
  CivicRuleKind kind = adw_combo_row_get_selected (self->kind_row);
  guint department = adw_combo_row_get_selected (self->department_row);
  gint64 department_id;

  if (department == GTK_INVALID_LIST_POSITION || department >= self->department_ids->len)
    {
      show_error (self, _("Choose the department the rule sends mentions to"));
      return;
    }
  department_id = g_array_index (self->department_ids, gint64, department);

  g_strstrip (pattern);
  if (!civic_rule_validate (kind, pattern, &error))
    {
      show_error (self, error->message);
      return;
    }

  if (self->rule_id == 0)
    {
      if (civic_rules_add (store, kind, pattern, department_id, &error) == 0)
        {
          show_error (self, error->message);
          return;
        }
      gtk_editable_set_text (GTK_EDITABLE (self->pattern_row), "");
    }
  else if (!civic_rules_update (store, self->rule_id, kind, pattern, department_id, &error))
    {
      show_error (self, error->message);
      return;
    }

  show_error (self, NULL);
  update_title (self);
  changed (self);
}

static void
pattern_changed_cb (CivicRuleRow *self)
{
  if (!self->loading)
    show_error (self, NULL);
}

static void
enabled_changed_cb (CivicRuleRow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->loading || self->rule_id == 0)
    return;

  if (!civic_rules_set_enabled (civic_context_get_store (self->context), self->rule_id,
                                gtk_switch_get_active (self->enabled_switch), &error))
    {
      show_error (self, error->message);
      return;
    }

  update_title (self);
  changed (self);
}

static void
move (CivicRuleRow *self,
      guint         position)
{
  g_autoptr(GError) error = NULL;

  if (!civic_rules_move (civic_context_get_store (self->context), self->rule_id, position, &error))
    {
      show_error (self, error->message);
      return;
    }

  changed (self);
}

static void
up_clicked_cb (CivicRuleRow *self)
{
  if (self->position > 0)
    move (self, self->position - 1);
}

static void
down_clicked_cb (CivicRuleRow *self)
{
  move (self, self->position + 1);
}

static void
remove_clicked_cb (CivicRuleRow *self)
{
  g_autoptr(GError) error = NULL;

  if (!civic_rules_remove (civic_context_get_store (self->context), self->rule_id, &error))
    {
      show_error (self, error->message);
      return;
    }

  changed (self);
}

static void
civic_rule_row_dispose (GObject *object)
{
  CivicRuleRow *self = (CivicRuleRow *) object;

  g_clear_object (&self->context);

  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_RULE_ROW);

  G_OBJECT_CLASS (civic_rule_row_parent_class)->dispose (object);
}

static void
civic_rule_row_finalize (GObject *object)
{
  CivicRuleRow *self = (CivicRuleRow *) object;

  g_clear_pointer (&self->department_ids, g_array_unref);

  G_OBJECT_CLASS (civic_rule_row_parent_class)->finalize (object);
}

static void
civic_rule_row_class_init (CivicRuleRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = civic_rule_row_dispose;
  object_class->finalize = civic_rule_row_finalize;

  /**
   * CivicRuleRow::changed:
   *
   * The rules in the store changed (added, saved, moved, switched,
   * removed): the list should be read again.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/civicdesk/CivicDesk/civic-rule-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicRuleRow, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, CivicRuleRow, kind_row);
  gtk_widget_class_bind_template_child (widget_class, CivicRuleRow, pattern_row);
  gtk_widget_class_bind_template_child (widget_class, CivicRuleRow, department_row);
  gtk_widget_class_bind_template_child (widget_class, CivicRuleRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, CivicRuleRow, up_button);
  gtk_widget_class_bind_template_child (widget_class, CivicRuleRow, down_button);
  gtk_widget_class_bind_template_child (widget_class, CivicRuleRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, CivicRuleRow, save_button);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, pattern_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, enabled_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, up_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, down_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
}

static void
civic_rule_row_init (CivicRuleRow *self)
{
  self->department_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
civic_rule_row_new (CivicContext    *context,
                    GPtrArray       *departments,
                    const CivicRule *rule,
                    guint            n_rules)
{
  g_autoptr(GtkStringList) model = NULL;
  CivicRuleRow *self;

  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (departments != NULL, NULL);

  self = g_object_new (CIVIC_TYPE_RULE_ROW, NULL);
  self->context = g_object_ref (context);
  self->loading = TRUE;

  model = _civic_preferences_department_model (departments, NULL, self->department_ids);
  adw_combo_row_set_model (self->department_row, G_LIST_MODEL (model));

  if (rule == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _("New Rule"));
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self),
                                     _("Sends the mentions that match to a department"));
      adw_combo_row_set_selected (self->kind_row, CIVIC_RULE_KEYWORD);
      gtk_widget_set_visible (GTK_WIDGET (self->enabled_switch), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->up_button), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->down_button), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->remove_button), FALSE);
      gtk_button_set_label (self->save_button, _("_Add Rule"));
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);
    }
  else
    {
      g_autofree char *switch_name = NULL;

      self->rule_id = rule->id;
      self->position = rule->position;
      adw_combo_row_set_selected (self->kind_row, rule->kind);
      gtk_editable_set_text (GTK_EDITABLE (self->pattern_row), rule->pattern);
      adw_combo_row_set_selected (self->department_row,
                                  _civic_preferences_find_id (self->department_ids, rule->department_id));
      gtk_switch_set_active (self->enabled_switch, rule->enabled);
      gtk_widget_set_sensitive (GTK_WIDGET (self->up_button), rule->position > 0);
      gtk_widget_set_sensitive (GTK_WIDGET (self->down_button), rule->position + 1 < n_rules);
      /* Translators: the accessible name of a rule's on/off switch, e.g. "Use the rule #obras" */
      switch_name = g_strdup_printf (_("Use the rule %s"), rule->pattern);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->enabled_switch),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, switch_name,
                                      -1);
      update_title (self);
    }

  self->loading = FALSE;

  return GTK_WIDGET (self);
}

gint64
civic_rule_row_get_rule_id (CivicRuleRow *self)
{
  g_return_val_if_fail (CIVIC_IS_RULE_ROW (self), 0);

  return self->rule_id;
}
