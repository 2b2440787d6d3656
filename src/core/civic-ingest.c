/* civic-ingest.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "civic-geotag.h"
#include "civic-html.h"
#include "civic-ingest.h"
#include "civic-json-private.h"
#include "civic-notification.h"
#include "civic-store-sync.h"
#include "civic-workflow.h"

struct _CivicIngest
{
  GObject parent_instance;

  CivicStore *store;       /* owned */
  CivicRouter *router;     /* owned */
  gint64 (*now_func) (gpointer);
  gpointer now_data;
  gint64 history_age_ms;
  CivicGazetteer *gazetteer; /* owned, nullable: street names for reports without coordinates */
  GPtrArray *retired;        /* owned: gazetteers replaced while pages may still read them */
};

G_DEFINE_FINAL_TYPE (CivicIngest, civic_ingest, G_TYPE_OBJECT)

/* A page parsed in the worker: notifications plus, for each mention, the
 * pieces that cost CPU but need no shared state. */
typedef struct
{
  GPtrArray *notifications;  /* (element-type CivicNotification) */
  GPtrArray *texts;          /* (element-type utf8), NULL for non-mentions */
  GArray *points;            /* CivicGeoPoint; source < 0: none */
  GArray *has_point;         /* gboolean */
} ParsedPage;

typedef struct
{
  gint64 server_id;
  gint64 account_id;
  char *server_host;
  char *acct;
  CivicIngestMode mode;
  GBytes *json;
  gboolean single;
  const CivicGazetteer *gazetteer; /* borrowed from the ingest, which the task keeps alive */
  ParsedPage *parsed;
} IngestJob;

static void
parsed_page_free (ParsedPage *page)
{
  if (page == NULL)
    return;

  g_clear_pointer (&page->notifications, g_ptr_array_unref);
  g_clear_pointer (&page->texts, g_ptr_array_unref);
  g_clear_pointer (&page->points, g_array_unref);
  g_clear_pointer (&page->has_point, g_array_unref);
  g_free (page);
}

static void
ingest_job_free (IngestJob *job)
{
  g_free (job->server_host);
  g_free (job->acct);
  g_clear_pointer (&job->json, g_bytes_unref);
  g_clear_pointer (&job->parsed, parsed_page_free);
  g_free (job);
}

void
civic_ingest_result_free (CivicIngestResult *self)
{
  if (self == NULL)
    return;

  g_free (self->newest_id);
  g_free (self->oldest_id);
  g_clear_pointer (&self->new_ids, g_array_unref);
  g_free (self);
}

static gboolean
is_mention (const CivicNotification *notification)
{
  return notification->status != NULL && g_str_equal (notification->type, "mention");
}

/* Worker-thread half: pure functions only. */
static ParsedPage *
parse_page (GBytes               *json,
            gboolean              single,
            const CivicGazetteer *gazetteer,
            GError              **error)
{
  g_autoptr(GPtrArray) notifications = NULL;
  ParsedPage *page;
  gsize len;
  const char *data = g_bytes_get_data (json, &len);

  if (data == NULL)
    data = "";

  if (single)
    {
      CivicNotification *one = civic_notification_new_from_data (data, len, error);

      if (one == NULL)
        return NULL;
      notifications = g_ptr_array_new_with_free_func ((GDestroyNotify) civic_notification_free);
      g_ptr_array_add (notifications, one);
    }
  else
    {
      notifications = civic_notification_list_new_from_data (data, len, error);
      if (notifications == NULL)
        return NULL;
    }

  page = g_new0 (ParsedPage, 1);
  page->texts = g_ptr_array_new_full (notifications->len, g_free);
  page->points = g_array_sized_new (FALSE, TRUE, sizeof (CivicGeoPoint), notifications->len);
  page->has_point = g_array_sized_new (FALSE, TRUE, sizeof (gboolean), notifications->len);
  g_array_set_size (page->points, notifications->len);
  g_array_set_size (page->has_point, notifications->len);

  for (guint i = 0; i < notifications->len; i++)
    {
      const CivicNotification *n = g_ptr_array_index (notifications, i);
      char *text = NULL;

      if (is_mention (n))
        {
          text = civic_html_to_text (n->status->content);
          g_array_index (page->has_point, gboolean, i) =
            civic_geotag_find_best_full (text, n->status->content, gazetteer,
                                         &g_array_index (page->points, CivicGeoPoint, i));
        }
      g_ptr_array_add (page->texts, text);
    }

  page->notifications = g_steal_pointer (&notifications);
  return page;
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  IngestJob *job = task_data;
  GError *error = NULL;

  job->parsed = parse_page (job->json, job->single, job->gazetteer, &error);
  if (job->parsed == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Main-thread half: route and store in one transaction. */
static CivicIngestResult *
store_page (CivicIngest  *self,
            IngestJob    *job,
            GError      **error)
{
  g_autoptr(CivicIngestResult) result = g_new0 (CivicIngestResult, 1);
  g_autoptr(GArray) records = NULL;
  g_autoptr(GArray) history = g_array_new (FALSE, FALSE, sizeof (gint64));
  ParsedPage *page = job->parsed;
  GPtrArray *list = page->notifications;
  const char *newest_position = NULL;
  gint64 now_ms = self->now_func (self->now_data);

  /* Rules or departments may have changed on another desk: one cheap
   * checksummed read, recompiling only when something did. */
  civic_router_refresh (self->router, NULL);

  result->new_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  result->n_items = list->len;
  result->oldest_created_ms = G_MAXINT64;

  if (list->len > 0)
    {
      const CivicNotification *first = g_ptr_array_index (list, 0);
      const CivicNotification *last = g_ptr_array_index (list, list->len - 1);

      result->newest_id = g_strdup (first->id);
      result->oldest_id = g_strdup (last->id);
    }

  records = g_array_sized_new (FALSE, TRUE, sizeof (CivicMentionRecord), list->len);

  for (guint i = 0; i < list->len; i++)
    {
      const CivicNotification *n = g_ptr_array_index (list, i);
      CivicMentionRecord record;

      if (n->created_at_ms > 0)
        result->oldest_created_ms = MIN (result->oldest_created_ms, n->created_at_ms);
      else if (n->status != NULL)
        result->oldest_created_ms = MIN (result->oldest_created_ms, n->status->created_at_ms);

      if (!is_mention (n))
        continue;

      civic_mention_record_init_from_status (&record, n->status);
      /* Borrowed from the parsed page, which outlives the records. */
      record.content_text = g_ptr_array_index (page->texts, i);
      record.server_id = job->server_id;
      record.account_id = job->account_id;
      record.notification_id = n->id;
      if (record.created_at_ms == 0)
        record.created_at_ms = n->created_at_ms;

      if (g_array_index (page->has_point, gboolean, i))
        {
          const CivicGeoPoint *point = &g_array_index (page->points, CivicGeoPoint, i);

          record.has_point = TRUE;
          record.lat = point->lat;
          record.lon = point->lon;
          record.geo_source = civic_geo_source_to_string (point->source);
          record.geo_uncertainty_m = point->uncertainty_m;
        }

      civic_router_route (self->router, n->status, job->server_host, job->acct, &record);
      g_array_append_val (records, record);
    }

  if (result->oldest_created_ms == G_MAXINT64)
    result->oldest_created_ms = 0;
  result->n_mentions = records->len;

  if (!civic_store_begin (self->store, error))
    return NULL;

  for (guint i = 0; i < records->len; i++)
    {
      CivicMentionRecord *record = &g_array_index (records, CivicMentionRecord, i);
      gint64 row_id = 0;
      gboolean inserted;

      if (!civic_store_upsert_mention_full (self->store, record, &inserted, &row_id, error))
        goto fail;

      if (inserted)
        {
          g_array_append_val (result->new_ids, row_id);
          result->n_new++;
          if (job->mode == CIVIC_INGEST_BACKWARD && self->history_age_ms > 0 &&
              record->created_at_ms < now_ms - self->history_age_ms)
            g_array_append_val (history, row_id);
        }
    }

  /* Positions move in the same transaction as the rows they describe. */
  switch (job->mode)
    {
    case CIVIC_INGEST_BACKWARD:
      if (list->len > 0)
        {
          CivicSyncPosition position;
          gboolean has_newest;

          if (!civic_store_get_sync_position (self->store, job->account_id, &position, error))
            goto fail;
          has_newest = position.newest_id != NULL;
          civic_sync_position_clear (&position);

          if (!civic_store_update_sync_position (self->store, job->account_id,
                                                 has_newest ? NULL : result->newest_id,
                                                 result->oldest_id, FALSE, error))
            goto fail;
        }
      break;

    case CIVIC_INGEST_FORWARD:
    case CIVIC_INGEST_LIVE:
      newest_position = result->newest_id;
      if (newest_position != NULL &&
          !civic_store_update_sync_position (self->store, job->account_id, newest_position, NULL, FALSE, error))
        goto fail;
      break;

    case CIVIC_INGEST_UNTRUSTED:
    default:
      break;
    }

  /* The first backfill of a town with a past: what is older than a couple
   * of days was dealt with before the desk existed. Filed, not queued;
   * still searchable and counted in the statistics. */
  if (history->len > 0 &&
      !civic_store_file_as_history (self->store, (gint64 *) history->data, history->len, NULL, now_ms, error))
    goto fail;

  if (result->new_ids->len > 0 &&
      !civic_workflow_reopen_follow_ups (self->store, (const gint64 *) result->new_ids->data,
                                         result->new_ids->len, now_ms, NULL, error))
    goto fail;

  if (!civic_store_commit (self->store, error))
    return NULL;

  /* The texts belong to the parsed page; records only borrowed them. */
  return g_steal_pointer (&result);

fail:
  civic_store_rollback (self->store);
  return NULL;
}

static void
civic_ingest_dispose (GObject *object)
{
  CivicIngest *self = (CivicIngest *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->router);

  G_OBJECT_CLASS (civic_ingest_parent_class)->dispose (object);
}

static void
civic_ingest_finalize (GObject *object)
{
  CivicIngest *self = (CivicIngest *) object;

  /* No page is parsing any more: each task held the ingest. */
  g_clear_pointer (&self->gazetteer, civic_gazetteer_free);
  g_clear_pointer (&self->retired, g_ptr_array_unref);

  G_OBJECT_CLASS (civic_ingest_parent_class)->finalize (object);
}

static void
civic_ingest_class_init (CivicIngestClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = civic_ingest_dispose;
  G_OBJECT_CLASS (klass)->finalize = civic_ingest_finalize;
}

static void
civic_ingest_init (CivicIngest *self)
{
}

static gint64
wall_clock_ms (gpointer data)
{
  return g_get_real_time () / 1000;
}

/**
 * civic_ingest_new:
 * @now_func: (nullable): the clock (for follow-up deadlines), NULL for the wall clock
 */
CivicIngest *
civic_ingest_new (CivicStore *store,
                  CivicRouter *router,
                  gint64     (*now_func) (gpointer),
                  gpointer    now_data)
{
  CivicIngest *self;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);
  g_return_val_if_fail (CIVIC_IS_ROUTER (router), NULL);

  self = g_object_new (CIVIC_TYPE_INGEST, NULL);
  self->store = g_object_ref (store);
  self->router = g_object_ref (router);
  self->now_func = now_func != NULL ? now_func : wall_clock_ms;
  self->now_data = now_data;
  self->history_age_ms = 2 * 24 * 60 * 60 * 1000;

  return self;
}

void
civic_ingest_set_history_age (CivicIngest *self,
                              gint64       age_ms)
{
  g_return_if_fail (CIVIC_IS_INGEST (self));

  self->history_age_ms = MAX (age_ms, 0);
}

CivicRouter *
civic_ingest_get_router (CivicIngest *self)
{
  g_return_val_if_fail (CIVIC_IS_INGEST (self), NULL);
  return self->router;
}

static IngestJob *
job_new (const CivicIngestTarget *target,
         CivicIngestMode          mode,
         GBytes                  *json,
         gboolean                 single)
{
  IngestJob *job = g_new0 (IngestJob, 1);

  job->server_id = target->server_id;
  job->account_id = target->account_id;
  job->server_host = g_strdup (target->server_host);
  job->acct = g_strdup (target->acct);
  job->mode = mode;
  job->json = g_bytes_ref (json);
  job->single = single;

  return job;
}

static void
parsed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CivicIngest *self = g_task_get_source_object (task);
  IngestJob *job = g_task_get_task_data (task);
  CivicIngestResult *ingest_result;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Ownership of the parsed page moves to this task. */
  job->parsed = ((IngestJob *) g_task_get_task_data (G_TASK (result)))->parsed;
  ((IngestJob *) g_task_get_task_data (G_TASK (result)))->parsed = NULL;

  ingest_result = store_page (self, job, &error);
  if (ingest_result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ingest_result, (GDestroyNotify) civic_ingest_result_free);
}

void
civic_ingest_page_async (CivicIngest             *self,
                         const CivicIngestTarget *target,
                         CivicIngestMode          mode,
                         GBytes                  *json,
                         gboolean                 single,
                         GCancellable            *cancellable,
                         GAsyncReadyCallback      callback,
                         gpointer                 user_data)
{
  g_autoptr(GTask) worker = NULL;
  GTask *task;

  g_return_if_fail (CIVIC_IS_INGEST (self));
  g_return_if_fail (target != NULL && json != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, civic_ingest_page_async);
  g_task_set_task_data (task, job_new (target, mode, json, single), (GDestroyNotify) ingest_job_free);

  /* The worker gets its own job (the parse needs only the bytes), so that
   * nothing the main thread touches is shared with it. */
  worker = g_task_new (self, cancellable, parsed_cb, task);
  g_task_set_source_tag (worker, parse_thread);
  {
    IngestJob *job = job_new (target, mode, json, single);

    job->gazetteer = self->gazetteer;
    g_task_set_task_data (worker, job, (GDestroyNotify) ingest_job_free);
  }
  g_task_run_in_thread (worker, parse_thread);
}

CivicIngestResult *
civic_ingest_page_finish (CivicIngest   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (CIVIC_IS_INGEST (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * civic_ingest_set_gazetteer:
 * @self: an ingest
 * @gazetteer: (transfer full) (nullable): the town's street names
 *
 * Reports that carry no coordinates or map link but name a street of
 * @gazetteer get its point, marked approximate. Pages being parsed keep
 * reading the gazetteer they started with.
 */
void
civic_ingest_set_gazetteer (CivicIngest    *self,
                            CivicGazetteer *gazetteer)
{
  g_return_if_fail (CIVIC_IS_INGEST (self));

  /* A worker may still read the old one: it goes with the ingest. */
  if (self->gazetteer != NULL)
    {
      if (self->retired == NULL)
        self->retired = g_ptr_array_new_with_free_func ((GDestroyNotify) civic_gazetteer_free);
      g_ptr_array_add (self->retired, g_steal_pointer (&self->gazetteer));
    }
  self->gazetteer = gazetteer;
}

CivicIngestResult *
civic_ingest_page_sync (CivicIngest             *self,
                        const CivicIngestTarget *target,
                        CivicIngestMode          mode,
                        GBytes                  *json,
                        gboolean                 single,
                        GError                 **error)
{
  IngestJob *job;
  CivicIngestResult *result;

  g_return_val_if_fail (CIVIC_IS_INGEST (self), NULL);

  job = job_new (target, mode, json, single);
  job->parsed = parse_page (json, single, self->gazetteer, error);
  result = job->parsed != NULL ? store_page (self, job, error) : NULL;
  ingest_job_free (job);

  return result;
}
