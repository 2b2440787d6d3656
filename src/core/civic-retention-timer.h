/* civic-retention-timer.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "civic-context.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_RETENTION_TIMER (civic_retention_timer_get_type ())

G_DECLARE_FINAL_TYPE (CivicRetentionTimer, civic_retention_timer, CIVIC, RETENTION_TIMER, GObject)

/* Keeps the store of a running desk within the retention period: once
 * started, purges the closed mentions older than :days days
 * (civic_retention_purge()) at the first low-priority idle, then every
 * :interval-seconds (a day) until stopped. The time is the context's
 * clock; :days is read at each run, so a changed setting applies at the
 * next one (never at once: a slip of the spin button must not delete).
 *
 * On a store in a file the purge runs in a worker thread on its own
 * connection, in short transactions, so the main loop never waits for
 * it; the store's ::changed is emitted once it deleted something. A store
 * in memory has no second connection: it is purged on the main thread.
 *
 * ::purged (guint n_purged) follows every run that succeeded, ::failed
 * (GError) every other one; a cancelled run (stop) emits neither. */
CivicRetentionTimer *civic_retention_timer_new                  (CivicContext        *context);
guint                civic_retention_timer_get_days             (CivicRetentionTimer *self);
void                 civic_retention_timer_set_days             (CivicRetentionTimer *self,
                                                                 guint                days);
guint                civic_retention_timer_get_interval_seconds (CivicRetentionTimer *self);
void                 civic_retention_timer_set_interval_seconds (CivicRetentionTimer *self,
                                                                 guint                seconds);
void                 civic_retention_timer_start                (CivicRetentionTimer *self);
/* Cancels what is scheduled and the purge under way (it stops after its
 * current short transaction). */
void                 civic_retention_timer_stop                 (CivicRetentionTimer *self);
/* Whether a purge is under way. */
gboolean             civic_retention_timer_is_purging           (CivicRetentionTimer *self);

G_END_DECLS
