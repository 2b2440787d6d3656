/* civic-composer.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "civic-context.h"
#include "civic-mention.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_COMPOSER (civic_composer_get_type ())

G_DECLARE_FINAL_TYPE (CivicComposer, civic_composer, CIVIC, COMPOSER, GtkWidget)

/* The reply under a mention: threaded, counted as the server counts,
 * private when personal data or the health centre call for it, from a
 * template or typed, saved as a draft while typed, and queued through the
 * outbox with Ctrl+Enter. */
GtkWidget  *civic_composer_new          (CivicContext  *context);
/* Saves what was typed for the previous mention, then loads @mention's
 * draft (or prefills the addressees). NULL empties the composer. */
void        civic_composer_set_mention  (CivicComposer *self,
                                         CivicMention  *mention);
void        civic_composer_focus        (CivicComposer *self);
/* The text as typed, and the character count the server will see. */
char       *civic_composer_dup_text     (CivicComposer *self);
void        civic_composer_set_text     (CivicComposer *self,
                                         const char    *text);
guint       civic_composer_get_count    (CivicComposer *self);
guint       civic_composer_get_limit    (CivicComposer *self);
const char *civic_composer_get_visibility (CivicComposer *self);
/* ISO 639-1; the department's language unless staff chose another (NULL
 * sets that default back). */
const char *civic_composer_get_language (CivicComposer *self);
void        civic_composer_set_language (CivicComposer *self,
                                         const char    *language);
gboolean    civic_composer_get_privacy_suggested (CivicComposer *self);
/* Saves the draft now rather than after the usual pause. */
void        civic_composer_save_draft   (CivicComposer *self);
/* Moves the reply (text, photos and all) into a window of its own, where
 * a second composer is the only editor of its draft while the pane says
 * where it is. Closing the window brings it back. Returns the window
 * (borrowed), or NULL with no mention. */
GtkWindow  *civic_composer_open_window  (CivicComposer *self);
/* (nullable): the window and its composer while the reply is there. */
GtkWindow  *civic_composer_get_window   (CivicComposer *self);
CivicComposer *civic_composer_get_detached (CivicComposer *self);
/* Queues the reply; FALSE (with the reason shown) when it cannot go. */
gboolean    civic_composer_send         (CivicComposer *self);

G_END_DECLS
