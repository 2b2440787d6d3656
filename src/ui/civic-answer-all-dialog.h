/* civic-answer-all-dialog.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "civic-context.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_ANSWER_ALL_DIALOG (civic_answer_all_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CivicAnswerAllDialog, civic_answer_all_dialog, CIVIC, ANSWER_ALL_DIALOG, AdwMessageDialog)

/* Asks which template to answer @ids with, shows how many replies that
 * makes and the first one, and on "send" queues them through the
 * context's outbox; the outcome is toasted on @parent (win.toast). */
GtkWidget  *civic_answer_all_dialog_new           (CivicContext *context,
                                                   GtkWidget    *parent,
                                                   const gint64 *ids,
                                                   guint         n_ids);
guint       civic_answer_all_dialog_get_n_replies (CivicAnswerAllDialog *self);
guint       civic_answer_all_dialog_get_n_templates (CivicAnswerAllDialog *self);
void        civic_answer_all_dialog_select_template (CivicAnswerAllDialog *self,
                                                     guint                 index);
/* The first reply as it will be sent, or NULL when there is none. */
const char *civic_answer_all_dialog_get_preview   (CivicAnswerAllDialog *self);
/* What the last "send" reported ("12 replies queued; …"), or NULL. */
const char *civic_answer_all_dialog_get_report    (CivicAnswerAllDialog *self);

G_END_DECLS
