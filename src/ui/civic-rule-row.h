/* civic-rule-row.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "civic-context.h"
#include "civic-rules.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_RULE_ROW (civic_rule_row_get_type ())

G_DECLARE_FINAL_TYPE (CivicRuleRow, civic_rule_row, CIVIC, RULE_ROW, AdwExpanderRow)

/* One routing rule to edit, move, switch off or remove; with @rule NULL,
 * the form that adds a new one. @departments (element-type CivicDepartment)
 * are the choices; @n_rules how many rules there are (for moving). A
 * pattern the rules refuse (an invalid regular expression…) is refused
 * inline with the reason. Emits ::changed after each write. */
GtkWidget *civic_rule_row_new         (CivicContext    *context,
                                       GPtrArray       *departments,
                                       const CivicRule *rule,
                                       guint            n_rules);
gint64     civic_rule_row_get_rule_id (CivicRuleRow    *self);

G_END_DECLS
