/* civic-retention-timer.c
 *
 * A running desk deletes the closed mentions older than the town's
 * retention period by itself: at start-up and then once a day, without
 * anyone running `civicctl purge`.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-retention-timer.h"
#include "civic-retention.h"
#include "civic-store-private.h"

#define DAY_SECONDS (24 * 60 * 60)

struct _CivicRetentionTimer
{
  GObject parent_instance;

  CivicContext *context;     /* owned */
  GCancellable *cancellable; /* owned; a new one on each start */
  guint days;
  guint interval_seconds;
  guint source;              /* the next run, while started */
  gboolean started;
  gboolean purging;
};

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_DAYS,
  PROP_INTERVAL_SECONDS,
  N_PROPS
};

enum {
  SIGNAL_PURGED,
  SIGNAL_FAILED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (CivicRetentionTimer, civic_retention_timer, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  char *path;      /* owned: the store's file */
  guint days;
  gint64 now_ms;
  guint n_purged;  /* out */
} PurgeJob;

static void
purge_job_free (PurgeJob *job)
{
  g_free (job->path);
  g_free (job);
}

static gboolean run_cb (gpointer user_data);

static void
schedule (CivicRetentionTimer *self,
          guint                seconds)
{
  g_clear_handle_id (&self->source, g_source_remove);

  /* Low priority: behind every frame and every input event. */
  if (seconds == 0)
    self->source = g_idle_add_full (G_PRIORITY_LOW, run_cb, self, NULL);
  else
    self->source = g_timeout_add_seconds_full (G_PRIORITY_LOW, seconds, run_cb, self, NULL);
}

static void
finish_run (CivicRetentionTimer *self,
            guint                days,
            guint                n_purged,
            const GError        *error)
{
  self->purging = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopped and started again while this one wound down. */
      if (self->started && self->source == 0)
        schedule (self, 0);
      return;
    }

  if (self->started)
    schedule (self, self->interval_seconds);

  if (error != NULL)
    {
      g_debug ("Retention: the purge failed: %s", error->message);
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
      return;
    }

  /* The count only: never what the mentions said. */
  if (n_purged > 0)
    g_message ("Retention: purged %u closed mentions older than %u days", n_purged, days);
  else
    g_debug ("Retention: no closed mention older than %u days", days);
  g_signal_emit (self, signals[SIGNAL_PURGED], 0, n_purged);
}

static void
purge_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  PurgeJob *job = task_data;
  g_autoptr(CivicStore) store = NULL;
  GError *error = NULL;

  /* A connection of its own, used by this thread alone: the reader of
   * civic_store_open_reader() is read-only, and WAL lets this one write
   * while the main one reads. Other writers wait for one short
   * transaction at most. */
  store = civic_store_new (job->path, &error);
  if (store == NULL ||
      !civic_retention_purge_full (store, job->days, job->now_ms, cancellable, &job->n_purged, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
purged_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CivicRetentionTimer *self = CIVIC_RETENTION_TIMER (source);
  PurgeJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error) && job->n_purged > 0 && self->context != NULL)
    {
      /* The other connection's commits do not reach this one's ::changed:
       * the queues and counts re-read now, not at the next poll. */
      _civic_store_mark_changed (civic_context_get_store (self->context));
    }

  finish_run (self, job->days, job->n_purged, error);
}

static void
start_purge (CivicRetentionTimer *self)
{
  CivicStore *store = civic_context_get_store (self->context);
  gint64 now_ms = civic_context_get_now_ms (self->context);
  g_autoptr(GTask) task = NULL;
  PurgeJob *job;

  self->purging = TRUE;

  /* A store in memory has no second door: purge it here. */
  if (g_str_equal (civic_store_get_path (store), ":memory:"))
    {
      g_autoptr(GError) error = NULL;
      guint n_purged = 0;

      civic_retention_purge_full (store, self->days, now_ms, self->cancellable, &n_purged, &error);
      finish_run (self, self->days, n_purged, error);
      return;
    }

  job = g_new0 (PurgeJob, 1);
  job->path = g_strdup (civic_store_get_path (store));
  job->days = self->days;
  job->now_ms = now_ms;

  task = g_task_new (self, self->cancellable, purged_cb, NULL);
  g_task_set_source_tag (task, start_purge);
  g_task_set_task_data (task, job, (GDestroyNotify) purge_job_free);
  g_task_run_in_thread (task, purge_thread);
}

static gboolean
run_cb (gpointer user_data)
{
  CivicRetentionTimer *self = user_data;

  self->source = 0;

  /* A run stopped a moment ago is still winding down: it schedules this
   * one when it is done. */
  if (!self->purging)
    start_purge (self);

  return G_SOURCE_REMOVE;
}

static void
civic_retention_timer_dispose (GObject *object)
{
  CivicRetentionTimer *self = (CivicRetentionTimer *) object;

  civic_retention_timer_stop (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (civic_retention_timer_parent_class)->dispose (object);
}

static void
civic_retention_timer_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CivicRetentionTimer *self = CIVIC_RETENTION_TIMER (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_DAYS:
      g_value_set_uint (value, self->days);
      break;
    case PROP_INTERVAL_SECONDS:
      g_value_set_uint (value, self->interval_seconds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_retention_timer_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CivicRetentionTimer *self = CIVIC_RETENTION_TIMER (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_DAYS:
      civic_retention_timer_set_days (self, g_value_get_uint (value));
      break;
    case PROP_INTERVAL_SECONDS:
      civic_retention_timer_set_interval_seconds (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_retention_timer_class_init (CivicRetentionTimerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = civic_retention_timer_dispose;
  object_class->get_property = civic_retention_timer_get_property;
  object_class->set_property = civic_retention_timer_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CIVIC_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The range of the GSettings key retention-days. */
  properties[PROP_DAYS] =
    g_param_spec_uint ("days", NULL, NULL, 1, 36500, CIVIC_RETENTION_DEFAULT_DAYS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_INTERVAL_SECONDS] =
    g_param_spec_uint ("interval-seconds", NULL, NULL, 1, G_MAXUINT, DAY_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CivicRetentionTimer::purged:
   * @n_purged: how many closed mentions were deleted
   */
  signals[SIGNAL_PURGED] =
    g_signal_new ("purged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * CivicRetentionTimer::failed:
   * @error: why (a #GError)
   */
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
civic_retention_timer_init (CivicRetentionTimer *self)
{
  self->days = CIVIC_RETENTION_DEFAULT_DAYS;
  self->interval_seconds = DAY_SECONDS;
}

CivicRetentionTimer *
civic_retention_timer_new (CivicContext *context)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);

  return g_object_new (CIVIC_TYPE_RETENTION_TIMER, "context", context, NULL);
}

guint
civic_retention_timer_get_days (CivicRetentionTimer *self)
{
  g_return_val_if_fail (CIVIC_IS_RETENTION_TIMER (self), 0);

  return self->days;
}

void
civic_retention_timer_set_days (CivicRetentionTimer *self,
                                guint                days)
{
  g_return_if_fail (CIVIC_IS_RETENTION_TIMER (self));
  g_return_if_fail (days > 0);

  if (self->days == days)
    return;

  self->days = days;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAYS]);
}

guint
civic_retention_timer_get_interval_seconds (CivicRetentionTimer *self)
{
  g_return_val_if_fail (CIVIC_IS_RETENTION_TIMER (self), 0);

  return self->interval_seconds;
}

void
civic_retention_timer_set_interval_seconds (CivicRetentionTimer *self,
                                            guint                seconds)
{
  g_return_if_fail (CIVIC_IS_RETENTION_TIMER (self));
  g_return_if_fail (seconds > 0);

  if (self->interval_seconds == seconds)
    return;

  /* Applies from the next run on. */
  self->interval_seconds = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL_SECONDS]);
}

void
civic_retention_timer_start (CivicRetentionTimer *self)
{
  g_return_if_fail (CIVIC_IS_RETENTION_TIMER (self));
  g_return_if_fail (self->context != NULL);

  if (self->started)
    return;

  self->started = TRUE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  schedule (self, 0);
}

void
civic_retention_timer_stop (CivicRetentionTimer *self)
{
  g_return_if_fail (CIVIC_IS_RETENTION_TIMER (self));

  self->started = FALSE;
  g_clear_handle_id (&self->source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
}

gboolean
civic_retention_timer_is_purging (CivicRetentionTimer *self)
{
  g_return_val_if_fail (CIVIC_IS_RETENTION_TIMER (self), FALSE);

  return self->purging;
}
