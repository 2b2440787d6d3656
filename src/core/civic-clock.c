/* civic-clock.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-clock.h"

struct _CivicClock
{
  GObject parent_instance;

  gboolean fixed;
  gint64 now_ms;
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CivicClock, civic_clock, G_TYPE_OBJECT)

static void
civic_clock_class_init (CivicClockClass *klass)
{
  /**
   * CivicClock::changed:
   *
   * Emitted when a fixed clock is moved (tests); the wall clock never emits it.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
civic_clock_init (CivicClock *self)
{
}

CivicClock *
civic_clock_new (void)
{
  return g_object_new (CIVIC_TYPE_CLOCK, NULL);
}

CivicClock *
civic_clock_new_fixed (gint64 now_ms)
{
  CivicClock *self = g_object_new (CIVIC_TYPE_CLOCK, NULL);

  self->fixed = TRUE;
  self->now_ms = now_ms;

  return self;
}

gint64
civic_clock_get_now_ms (CivicClock *self)
{
  g_return_val_if_fail (CIVIC_IS_CLOCK (self), 0);

  if (self->fixed)
    return self->now_ms;

  return g_get_real_time () / 1000;
}

gboolean
civic_clock_is_fixed (CivicClock *self)
{
  g_return_val_if_fail (CIVIC_IS_CLOCK (self), FALSE);

  return self->fixed;
}

void
civic_clock_set_now_ms (CivicClock *self,
                        gint64      now_ms)
{
  g_return_if_fail (CIVIC_IS_CLOCK (self));
  g_return_if_fail (self->fixed);

  if (self->now_ms == now_ms)
    return;

  self->now_ms = now_ms;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
civic_clock_advance (CivicClock *self,
                     gint64      delta_ms)
{
  g_return_if_fail (CIVIC_IS_CLOCK (self));

  civic_clock_set_now_ms (self, self->now_ms + delta_ms);
}
