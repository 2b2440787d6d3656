/* civic-queue-model.c
 *
 * A GListModel over one department's queue that never holds the whole queue
 * in memory: it keeps the ordered ids (8 bytes each) and loads rows from
 * sqlite a page at a time, as the list view asks for them, keeping a few
 * recent pages.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-queue-model.h"

#define PAGE_SIZE 64
#define MAX_PAGES 16
#define REFRESH_DELAY_MS 200

typedef struct
{
  guint index;
  GPtrArray *items;  /* (element-type CivicMention), owned */
} Page;

struct _CivicQueueModel
{
  GObject parent_instance;

  CivicContext *context;   /* owned */
  CivicQueueFilter *filter; /* owned */
  GArray *ids;             /* owned: gint64, queue order */
  GQueue pages;            /* owned Page*, most recently used first */
  GHashTable *known;       /* owned: id → CivicMention, weak: the objects alive out there */
  gulong store_changed_id;
  guint refresh_source;
  CivicStore *reader;      /* owned: a second connection for worker threads */
  GCancellable *cancellable; /* owned */
  guint64 generation;      /* bumped by every refresh, to drop stale reads */
  gboolean reading;
  gboolean read_again;
  gboolean plan_again;
  gboolean no_reader;
  guint reorder_source;    /* fires when the order changes by itself */
  guint plan_source;       /* works out reorder_source, after the list shows */
};

enum {
  PROP_0,
  PROP_DEPARTMENT_ID,
  PROP_N_ITEMS,
  N_PROPS
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CivicQueueModel, civic_queue_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];

static void start_background_read (CivicQueueModel *self,
                                   gboolean         ids_wanted);

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->items);
  g_free (page);
}

static void
drop_pages (CivicQueueModel *self)
{
  g_queue_clear_full (&self->pages, page_free);
}

static void
known_gone_cb (gpointer  user_data,
               GObject  *where_it_was)
{
  CivicQueueModel *self = user_data;
  gint64 id;

  /* Weak references are notified in dispose: the object can still say
   * which row it was, and the lookup is by id, not a walk of the table. */
  id = civic_mention_get_id (CIVIC_MENTION (where_it_was));
  if (g_hash_table_lookup (self->known, &id) == (gpointer) where_it_was)
    g_hash_table_remove (self->known, &id);
}

static void
know (CivicQueueModel *self,
      CivicMention    *mention)
{
  gint64 *key = g_new (gint64, 1);

  *key = civic_mention_get_id (mention);
  g_object_weak_ref (G_OBJECT (mention), known_gone_cb, self);
  g_hash_table_insert (self->known, key, mention);
}

static void
forget_all (CivicQueueModel *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->known);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_object_weak_unref (value, known_gone_cb, self);
      g_hash_table_iter_remove (&iter);
    }
}

/* The rows on screen hold their mention objects: bring those up to date
 * after a change, even where the queue's order did not move. */
static void
update_known (CivicQueueModel *self)
{
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), g_hash_table_size (self->known));
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->known);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (ids, *(gint64 *) key);
  if (ids->len == 0)
    return;

  fresh = civic_store_load_mentions (civic_context_get_store (self->context),
                                     (const gint64 *) (gpointer) ids->data, ids->len, &error);
  if (fresh == NULL)
    {
      g_debug ("Could not bring the queue rows up to date: %s", error->message);
      return;
    }

  for (guint i = 0; i < fresh->len; i++)
    {
      CivicMention *mention = g_ptr_array_index (fresh, i);
      gint64 id = civic_mention_get_id (mention);
      CivicMention *old = g_hash_table_lookup (self->known, &id);

      if (old != NULL)
        civic_mention_update_from (old, mention);
    }
}

static Page *
load_page (CivicQueueModel *self,
           guint            index)
{
  g_autoptr(GError) error = NULL;
  guint first = index * PAGE_SIZE;
  guint n = MIN (PAGE_SIZE, self->ids->len - first);
  GPtrArray *items;
  Page *page;

  items = civic_store_load_mentions (civic_context_get_store (self->context),
                                     &g_array_index (self->ids, gint64, first), n, &error);
  if (items == NULL)
    {
      g_warning ("Could not load queue rows: %s", error->message);
      return NULL;
    }

  /* Hand out the same object for the same row: the list view then keeps
   * its row widget when the queue re-sorts, instead of building a new one,
   * and the row follows the object's notifications. */
  for (guint i = 0; i < items->len; i++)
    {
      CivicMention *fresh = g_ptr_array_index (items, i);
      gint64 fresh_id = civic_mention_get_id (fresh);
      CivicMention *old = g_hash_table_lookup (self->known, &fresh_id);

      if (old != NULL)
        {
          civic_mention_update_from (old, fresh);
          g_ptr_array_index (items, i) = g_object_ref (old);
          g_object_unref (fresh);
        }
      else
        know (self, fresh);
    }

  page = g_new0 (Page, 1);
  page->index = index;
  page->items = items;

  g_queue_push_head (&self->pages, page);
  while (self->pages.length > MAX_PAGES)
    page_free (g_queue_pop_tail (&self->pages));

  return page;
}

static Page *
find_page (CivicQueueModel *self,
           guint            index)
{
  for (GList *l = self->pages.head; l != NULL; l = l->next)
    {
      Page *page = l->data;

      if (page->index == index)
        {
          if (l != self->pages.head)
            {
              g_queue_unlink (&self->pages, l);
              g_queue_push_head_link (&self->pages, l);
            }
          return page;
        }
    }

  return NULL;
}

static GType
civic_queue_model_get_item_type (GListModel *model)
{
  return CIVIC_TYPE_MENTION;
}

static guint
civic_queue_model_get_n_items (GListModel *model)
{
  CivicQueueModel *self = CIVIC_QUEUE_MODEL (model);

  return self->ids->len;
}

static gpointer
civic_queue_model_get_item (GListModel *model,
                            guint       position)
{
  CivicQueueModel *self = CIVIC_QUEUE_MODEL (model);
  gboolean cached = TRUE;
  gint64 id;
  Page *page;

  if (position >= self->ids->len)
    return NULL;

  id = g_array_index (self->ids, gint64, position);
  page = find_page (self, position / PAGE_SIZE);

  for (;;)
    {
      if (page == NULL)
        {
          page = load_page (self, position / PAGE_SIZE);
          cached = FALSE;
        }
      if (page == NULL)
        return NULL;

      for (guint i = 0; i < page->items->len; i++)
        {
          CivicMention *mention = g_ptr_array_index (page->items, i);

          /* Rows deleted since the ids were read are simply skipped by the
           * loader, so look the id up rather than trusting the offset. */
          if (civic_mention_get_id (mention) == id)
            return g_object_ref (mention);
        }

      /* A page read before rows were inserted or removed in front of it
       * no longer covers this position: read it again, once. */
      if (!cached)
        return NULL;
      g_queue_remove (&self->pages, page);
      page_free (page);
      page = NULL;
    }
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = civic_queue_model_get_item_type;
  iface->get_n_items = civic_queue_model_get_n_items;
  iface->get_item = civic_queue_model_get_item;
}


static gboolean
refresh_timeout_cb (gpointer user_data)
{
  CivicQueueModel *self = user_data;

  self->refresh_source = 0;
  start_background_read (self, TRUE);

  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (CivicStore      *store,
                  CivicQueueModel *self)
{
  /* A backfill commits a page every few milliseconds: coalesce. */
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (REFRESH_DELAY_MS, refresh_timeout_cb, self);
}

static void
civic_queue_model_dispose (GObject *object)
{
  CivicQueueModel *self = (CivicQueueModel *) object;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->reorder_source, g_source_remove);
  g_clear_handle_id (&self->plan_source, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->context != NULL)
    g_clear_signal_handler (&self->store_changed_id, civic_context_get_store (self->context));
  drop_pages (self);
  forget_all (self);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (civic_queue_model_parent_class)->dispose (object);
}

static void
civic_queue_model_finalize (GObject *object)
{
  CivicQueueModel *self = (CivicQueueModel *) object;

  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->filter, civic_queue_filter_free);
  g_clear_pointer (&self->known, g_hash_table_unref);
  /* Finalized only once no read task holds the model, so none uses it. */
  g_clear_object (&self->reader);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (civic_queue_model_parent_class)->finalize (object);
}

static void
civic_queue_model_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CivicQueueModel *self = CIVIC_QUEUE_MODEL (object);

  switch (prop_id)
    {
    case PROP_DEPARTMENT_ID:
      g_value_set_int64 (value, self->filter->department_id);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->ids->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_queue_model_class_init (CivicQueueModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = civic_queue_model_dispose;
  object_class->finalize = civic_queue_model_finalize;
  object_class->get_property = civic_queue_model_get_property;

  properties[PROP_DEPARTMENT_ID] =
    g_param_spec_int64 ("department-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
civic_queue_model_init (CivicQueueModel *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->filter = civic_queue_filter_new ();
  self->cancellable = g_cancellable_new ();
  self->known = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_queue_init (&self->pages);
}

CivicQueueModel *
civic_queue_model_new (CivicContext *context)
{
  CivicQueueModel *self;

  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);

  self = g_object_new (CIVIC_TYPE_QUEUE_MODEL, NULL);
  self->context = g_object_ref (context);
  self->store_changed_id = g_signal_connect (civic_context_get_store (context), "changed",
                                             G_CALLBACK (store_changed_cb), self);

  return self;
}

void
civic_queue_model_set_department (CivicQueueModel *self,
                                  gint64           department_id)
{
  g_return_if_fail (CIVIC_IS_QUEUE_MODEL (self));

  if (self->filter->department_id == department_id)
    return;

  self->filter->department_id = department_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEPARTMENT_ID]);
  civic_queue_model_refresh (self);
}

gint64
civic_queue_model_get_department (CivicQueueModel *self)
{
  g_return_val_if_fail (CIVIC_IS_QUEUE_MODEL (self), 0);

  return self->filter->department_id;
}

void
civic_queue_model_set_filter (CivicQueueModel        *self,
                              const CivicQueueFilter *filter)
{
  gboolean department_changed;

  g_return_if_fail (CIVIC_IS_QUEUE_MODEL (self));
  g_return_if_fail (filter != NULL);

  if (civic_queue_filter_equal (self->filter, filter))
    return;

  department_changed = self->filter->department_id != filter->department_id;
  civic_queue_filter_free (self->filter);
  self->filter = civic_queue_filter_copy (filter);
  if (department_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEPARTMENT_ID]);
  civic_queue_model_refresh (self);
}

const CivicQueueFilter *
civic_queue_model_get_filter (CivicQueueModel *self)
{
  g_return_val_if_fail (CIVIC_IS_QUEUE_MODEL (self), NULL);

  return self->filter;
}

static gboolean
reorder_cb (gpointer user_data)
{
  CivicQueueModel *self = user_data;

  self->reorder_source = 0;
  civic_queue_model_refresh (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_reorder (CivicQueueModel *self,
                  gint64           next_change,
                  gint64           now_ms)
{
  g_clear_handle_id (&self->reorder_source, g_source_remove);
  if (next_change > now_ms && !civic_clock_is_fixed (civic_context_get_clock (self->context)))
    self->reorder_source = g_timeout_add ((guint) MIN (next_change - now_ms + 500, G_MAXINT), reorder_cb, self);
}

/* When the order will change by itself (a deadline passing): a second query
 * as costly as the queue's own, so it runs after the list is on screen, in
 * a worker thread when the store allows. */
static gboolean
plan_reorder_cb (gpointer user_data)
{
  CivicQueueModel *self = user_data;

  self->plan_source = 0;
  if (self->filter->department_id != 0)
    start_background_read (self, FALSE);

  return G_SOURCE_REMOVE;
}

/* Puts @ids (queue order) in place, announcing only the changed middle so
 * the view keeps its scroll position and selection. Takes @ids. */
/* Turns the span [@start, @old_end) of the ids into [@start, @new_end) of
 * @ids as runs of removals and insertions, each told to the list as it is
 * made, when that is all it takes (mentions arrived, were answered or
 * moved away; nothing re-sorted). A backfill inserts a page of mentions
 * here and there in a queue of thousands: the list then keeps every row
 * it has instead of rebinding them all. Returns FALSE, having changed
 * nothing, when some id kept moved place. */
static gboolean
apply_runs (CivicQueueModel *self,
            GArray          *ids,
            guint            start,
            guint            old_end,
            guint            new_end)
{
  g_autoptr(GHashTable) in_old = NULL;
  g_autoptr(GHashTable) in_new = NULL;
  g_autofree gint64 *old_span = NULL;
  guint i, j, kept_old = 0, kept_new = 0;
  guint position;

  if (old_end - start == 0 || new_end - start == 0)
    return FALSE;

  /* Keys point into arrays: the old span is copied, since the edits
   * below move the old array's contents. */
  old_span = g_memdup2 (&g_array_index (self->ids, gint64, start), (old_end - start) * sizeof (gint64));
  in_old = g_hash_table_new (g_int64_hash, g_int64_equal);
  in_new = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (i = 0; i < old_end - start; i++)
    g_hash_table_add (in_old, &old_span[i]);
  for (j = start; j < new_end; j++)
    g_hash_table_add (in_new, &g_array_index (ids, gint64, j));

  /* The ids in both, in the same order on both sides? */
  for (i = start, j = start;;)
    {
      while (i < old_end && !g_hash_table_contains (in_new, &g_array_index (self->ids, gint64, i)))
        i++;
      while (j < new_end && !g_hash_table_contains (in_old, &g_array_index (ids, gint64, j)))
        j++;
      if (i == old_end || j == new_end)
        break;
      if (g_array_index (self->ids, gint64, i) != g_array_index (ids, gint64, j))
        return FALSE;
      i++, j++;
      kept_old++, kept_new++;
    }
  for (; i < old_end; i++)
    kept_old += g_hash_table_contains (in_new, &g_array_index (self->ids, gint64, i));
  for (; j < new_end; j++)
    kept_new += g_hash_table_contains (in_old, &g_array_index (ids, gint64, j));
  if (kept_old != kept_new)
    return FALSE;

  /* Walk the new order, editing the old array into it; each edit is
   * announced at once, so the model is whole whenever the list asks. */
  position = start;
  for (j = start; j < new_end;)
    {
      guint run;

      /* Ids that left, at this place. */
      for (run = 0;
           position + run < self->ids->len - (ids->len - new_end) &&
           !g_hash_table_contains (in_new, &g_array_index (self->ids, gint64, position + run));
           run++)
        ;
      if (run > 0)
        {
          g_array_remove_range (self->ids, position, run);
          g_list_model_items_changed (G_LIST_MODEL (self), position, run, 0);
        }

      /* Ids that arrived, at this place. */
      for (run = 0; j + run < new_end && !g_hash_table_contains (in_old, &g_array_index (ids, gint64, j + run)); run++)
        ;
      if (run > 0)
        {
          g_array_insert_vals (self->ids, position, &g_array_index (ids, gint64, j), run);
          g_list_model_items_changed (G_LIST_MODEL (self), position, 0, run);
          position += run;
          j += run;
          continue;
        }

      /* One that stays where it was. */
      position++;
      j++;
    }

  /* Whatever left after the last one kept. */
  if (self->ids->len > ids->len)
    {
      guint run = self->ids->len - ids->len;

      g_array_remove_range (self->ids, position, run);
      g_list_model_items_changed (G_LIST_MODEL (self), position, run, 0);
    }

  return TRUE;
}

static void
apply_ids (CivicQueueModel *self,
           GArray          *ids)
{
  guint old_len = self->ids->len;
  guint new_len = ids->len;
  guint prefix = 0, suffix = 0;

  /* Rows may have changed state even where ids did not move. */
  drop_pages (self);
  update_known (self);

  while (prefix < old_len && prefix < new_len &&
         g_array_index (self->ids, gint64, prefix) == g_array_index (ids, gint64, prefix))
    prefix++;
  while (suffix < old_len - prefix && suffix < new_len - prefix &&
         g_array_index (self->ids, gint64, old_len - 1 - suffix) ==
         g_array_index (ids, gint64, new_len - 1 - suffix))
    suffix++;

  if (!apply_runs (self, ids, prefix, old_len - suffix, new_len - suffix))
    {
      /* Rows moved: one change over the span that differs. */
      g_array_unref (self->ids);
      self->ids = ids;

      if (old_len - prefix - suffix > 0 || new_len - prefix - suffix > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                                    old_len - prefix - suffix, new_len - prefix - suffix);
    }
  else
    g_array_unref (ids);

  if (old_len != new_len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

}

void
civic_queue_model_refresh (CivicQueueModel *self)
{
  g_autoptr(GError) error = NULL;
  GArray *ids;

  g_return_if_fail (CIVIC_IS_QUEUE_MODEL (self));

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->reorder_source, g_source_remove);
  /* What a background read would bring is older than this. */
  self->generation++;

  if (self->filter->department_id != 0)
    {
      ids = civic_store_list_queue_ids_filtered (civic_context_get_store (self->context), self->filter,
                                                 civic_context_get_now_ms (self->context), &error);
      if (ids == NULL)
        {
          g_warning ("Could not read the queue: %s", error->message);
          return;
        }
    }
  else
    ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  apply_ids (self, ids);

  /* Deadlines pass with time alone: re-sort exactly then, instead of
   * re-reading the queue every minute. */
  if (self->filter->department_id != 0 && self->plan_source == 0)
    self->plan_source = g_idle_add_full (G_PRIORITY_LOW, plan_reorder_cb, self, NULL);
}

/* Background refreshes: while a backfill stores thousands of mentions a
 * second, re-reading and sorting a queue of 100,000 would stall the frame;
 * a second connection reads it in a worker thread instead. */

typedef struct
{
  CivicStore *reader;       /* borrowed: the model's, used by one task at a time */
  CivicQueueFilter *filter; /* owned copy */
  gint64 now_ms;
  guint64 generation;
  gboolean ids_wanted;      /* FALSE: only when the order next changes */
  gint64 next_change;       /* out */
} ReadJob;

static void
read_job_free (ReadJob *job)
{
  civic_queue_filter_free (job->filter);
  g_free (job);
}

static void
read_ids_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ReadJob *job = task_data;
  GError *error = NULL;
  GArray *ids;

  if (job->ids_wanted)
    ids = civic_store_list_queue_ids_filtered (job->reader, job->filter, job->now_ms, &error);
  else
    ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (ids == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* As costly as the queue itself on a long queue: here, not on the main thread. */
  job->next_change = civic_store_queue_next_change (job->reader, job->filter, job->now_ms, NULL);
  g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
}

static void
ids_read_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CivicQueueModel *self = CIVIC_QUEUE_MODEL (source);
  ReadJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GArray *ids;

  ids = g_task_propagate_pointer (G_TASK (result), &error);
  self->reading = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (ids == NULL)
    g_debug ("Could not read the queue in the background: %s", error->message);
  else if (job->generation == self->generation)
    {
      if (job->ids_wanted)
        apply_ids (self, ids);
      else
        g_array_unref (ids);
      schedule_reorder (self, job->next_change, job->now_ms);
    }
  else
    g_array_unref (ids);

  if (self->read_again || self->plan_again)
    {
      gboolean ids_wanted = self->read_again;

      self->read_again = FALSE;
      self->plan_again = FALSE;
      start_background_read (self, ids_wanted);
    }
}

static void
start_background_read (CivicQueueModel *self,
                       gboolean         ids_wanted)
{
  g_autoptr(GTask) task = NULL;
  ReadJob *job;

  if (self->filter->department_id == 0)
    return;

  if (self->reader == NULL && !self->no_reader)
    {
      self->reader = civic_store_open_reader (civic_context_get_store (self->context), NULL);
      self->no_reader = self->reader == NULL;
    }

  /* No second connection (a store in memory): read here and now. */
  if (self->reader == NULL)
    {
      if (ids_wanted)
        civic_queue_model_refresh (self);
      else
        schedule_reorder (self, civic_store_queue_next_change (civic_context_get_store (self->context),
                                                               self->filter,
                                                               civic_context_get_now_ms (self->context), NULL),
                          civic_context_get_now_ms (self->context));
      return;
    }

  if (self->reading)
    {
      self->read_again |= ids_wanted;
      self->plan_again |= !ids_wanted;
      return;
    }

  job = g_new0 (ReadJob, 1);
  job->reader = self->reader;
  job->filter = civic_queue_filter_copy (self->filter);
  job->now_ms = civic_context_get_now_ms (self->context);
  job->generation = self->generation;
  job->ids_wanted = ids_wanted;

  self->reading = TRUE;
  task = g_task_new (self, self->cancellable, ids_read_cb, NULL);
  g_task_set_source_tag (task, start_background_read);
  g_task_set_task_data (task, job, (GDestroyNotify) read_job_free);
  g_task_run_in_thread (task, read_ids_thread);
}

guint
civic_queue_model_find (CivicQueueModel *self,
                        gint64           mention_id)
{
  g_return_val_if_fail (CIVIC_IS_QUEUE_MODEL (self), G_MAXUINT);

  for (guint i = 0; i < self->ids->len; i++)
    if (g_array_index (self->ids, gint64, i) == mention_id)
      return i;

  return G_MAXUINT;
}

gint64
civic_queue_model_get_id (CivicQueueModel *self,
                          guint            position)
{
  g_return_val_if_fail (CIVIC_IS_QUEUE_MODEL (self), 0);

  if (position >= self->ids->len)
    return 0;

  return g_array_index (self->ids, gint64, position);
}

guint
civic_queue_model_get_n_cached (CivicQueueModel *self)
{
  guint n = 0;

  g_return_val_if_fail (CIVIC_IS_QUEUE_MODEL (self), 0);

  for (GList *l = self->pages.head; l != NULL; l = l->next)
    n += ((Page *) l->data)->items->len;

  return n;
}
