/* civic-clock.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CIVIC_TYPE_CLOCK (civic_clock_get_type ())

G_DECLARE_FINAL_TYPE (CivicClock, civic_clock, CIVIC, CLOCK, GObject)

/* The wall clock, or a fixed one that tests move by hand. SLA deadlines and
 * countdowns read the time from here, never from g_get_real_time(). */
CivicClock *civic_clock_new          (void);
CivicClock *civic_clock_new_fixed    (gint64      now_ms);
gint64      civic_clock_get_now_ms   (CivicClock *self);
gboolean    civic_clock_is_fixed     (CivicClock *self);
void        civic_clock_set_now_ms   (CivicClock *self,
                                      gint64      now_ms);
void        civic_clock_advance      (CivicClock *self,
                                      gint64      delta_ms);

G_END_DECLS
