/* civic-notifier.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "civic-context.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_NOTIFIER (civic_notifier_get_type ())

G_DECLARE_FINAL_TYPE (CivicNotifier, civic_notifier, CIVIC, NOTIFIER, GObject)

/**
 * CivicNotifySendFunc:
 *
 * Delivers a notification; the default is g_application_send_notification().
 * Tests replace it to see what would be sent (GNotification has no
 * getters, so its @title and @body come along).
 */
typedef void (*CivicNotifySendFunc) (GApplication  *application,
                                     const char    *id,
                                     GNotification *notification,
                                     const char    *title,
                                     const char    *body,
                                     gpointer       user_data);

/* Notifications for new priority (HIGH and URGENT) mentions and for
 * answers that become overdue, sent only while no window of @application
 * is active, as the settings notify-priority, notify-overdue and
 * notify-muted-departments say. Their buttons use app.open-mention(x)
 * and app.claim-mention(x). */
CivicNotifier *civic_notifier_new              (GtkApplication      *application,
                                                CivicContext        *context);
/* Starts watching the store from its current last mention and time. */
void           civic_notifier_start            (CivicNotifier       *self);
void           civic_notifier_stop             (CivicNotifier       *self);
/* What was notified since a desk window was last active (a badge). Goes
 * back to 0 when a window becomes active. */
guint          civic_notifier_get_unseen_count (CivicNotifier       *self);
void           civic_notifier_mark_seen        (CivicNotifier       *self);
/* Withdraws what was sent about @mention_id (it was claimed or opened). */
void           civic_notifier_withdraw         (CivicNotifier       *self,
                                                gint64               mention_id);
/* Looks now instead of after the next store change or minute tick. */
void           civic_notifier_check_now        (CivicNotifier       *self);
void           civic_notifier_set_send_func    (CivicNotifier       *self,
                                                CivicNotifySendFunc  func,
                                                gpointer             user_data);

G_END_DECLS
