/* civic-queue-selection.c
 *
 * The queue's selection mode keeps ids, not positions: the queue re-sorts
 * under the person (a claim, a deadline passing) and the ticked mentions
 * must stay ticked wherever they move. Selecting all reads the model's ids
 * only; no row is loaded from the store.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <string.h>

#include "civic-queue-selection.h"

struct _CivicQueueSelection
{
  GObject parent_instance;

  CivicQueueModel *model;  /* owned */
  GHashTable *ids;         /* owned: gint64* set */
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (CivicQueueSelection, civic_queue_selection, G_TYPE_OBJECT)

static guint signals[N_SIGNALS];

static gboolean
add_id (CivicQueueSelection *self,
        gint64               mention_id)
{
  gint64 *key;

  if (mention_id == 0 || g_hash_table_contains (self->ids, &mention_id))
    return FALSE;

  key = g_new (gint64, 1);
  *key = mention_id;
  g_hash_table_add (self->ids, key);
  return TRUE;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
civic_queue_selection_dispose (GObject *object)
{
  CivicQueueSelection *self = (CivicQueueSelection *) object;

  g_clear_object (&self->model);

  G_OBJECT_CLASS (civic_queue_selection_parent_class)->dispose (object);
}

static void
civic_queue_selection_finalize (GObject *object)
{
  CivicQueueSelection *self = (CivicQueueSelection *) object;

  g_clear_pointer (&self->ids, g_hash_table_unref);

  G_OBJECT_CLASS (civic_queue_selection_parent_class)->finalize (object);
}

static void
civic_queue_selection_class_init (CivicQueueSelectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = civic_queue_selection_dispose;
  object_class->finalize = civic_queue_selection_finalize;

  /**
   * CivicQueueSelection::changed:
   *
   * Mentions were ticked or unticked.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
civic_queue_selection_init (CivicQueueSelection *self)
{
  self->ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

void
civic_queue_bulk_result_clear (CivicQueueBulkResult *result)
{
  g_return_if_fail (result != NULL);

  g_clear_pointer (&result->message, g_free);
}

CivicQueueSelection *
civic_queue_selection_new (CivicQueueModel *model)
{
  CivicQueueSelection *self;

  g_return_val_if_fail (CIVIC_IS_QUEUE_MODEL (model), NULL);

  self = g_object_new (CIVIC_TYPE_QUEUE_SELECTION, NULL);
  self->model = g_object_ref (model);

  return self;
}

guint
civic_queue_selection_get_n_selected (CivicQueueSelection *self)
{
  g_return_val_if_fail (CIVIC_IS_QUEUE_SELECTION (self), 0);

  return g_hash_table_size (self->ids);
}

gboolean
civic_queue_selection_contains (CivicQueueSelection *self,
                                gint64               mention_id)
{
  g_return_val_if_fail (CIVIC_IS_QUEUE_SELECTION (self), FALSE);

  return g_hash_table_contains (self->ids, &mention_id);
}

void
civic_queue_selection_set (CivicQueueSelection *self,
                           gint64               mention_id,
                           gboolean             selected)
{
  gboolean changed;

  g_return_if_fail (CIVIC_IS_QUEUE_SELECTION (self));

  if (selected)
    changed = add_id (self, mention_id);
  else
    changed = g_hash_table_remove (self->ids, &mention_id);

  if (changed)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
civic_queue_selection_select_range (CivicQueueSelection *self,
                                    guint                first,
                                    guint                last)
{
  guint n;
  gboolean changed = FALSE;

  g_return_if_fail (CIVIC_IS_QUEUE_SELECTION (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  if (n == 0)
    return;
  if (first > last)
    {
      guint tmp = first;

      first = last;
      last = tmp;
    }
  last = MIN (last, n - 1);

  for (guint i = first; i <= last; i++)
    changed |= add_id (self, civic_queue_model_get_id (self->model, i));

  if (changed)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
civic_queue_selection_select_all (CivicQueueSelection *self)
{
  g_return_if_fail (CIVIC_IS_QUEUE_SELECTION (self));

  civic_queue_selection_select_range (self, 0, G_MAXUINT);
}

void
civic_queue_selection_clear (CivicQueueSelection *self)
{
  g_return_if_fail (CIVIC_IS_QUEUE_SELECTION (self));

  if (g_hash_table_size (self->ids) == 0)
    return;

  g_hash_table_remove_all (self->ids);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

GArray *
civic_queue_selection_dup_ids (CivicQueueSelection *self)
{
  GArray *ids;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (CIVIC_IS_QUEUE_SELECTION (self), NULL);

  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), g_hash_table_size (self->ids));
  g_hash_table_iter_init (&iter, self->ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (ids, *(gint64 *) key);
  g_array_sort (ids, compare_ids);

  return ids;
}

static char *
describe (CivicWorkflowAction         action,
          const CivicQueueBulkResult *result)
{
  GString *text = g_string_new (NULL);

  switch (action)
    {
    case CIVIC_WORKFLOW_CLAIM:
      g_string_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u claimed", "%u claimed", result->n_done),
                       result->n_done);
      break;
    case CIVIC_WORKFLOW_CLOSE:
      g_string_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u closed", "%u closed", result->n_done),
                       result->n_done);
      break;
    case CIVIC_WORKFLOW_REASSIGN:
    default:
      g_string_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u moved", "%u moved", result->n_done),
                       result->n_done);
      break;
    }

  if (result->n_colleague > 0)
    {
      g_string_append (text, "; ");
      /* Translators: after "12 closed; " */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u skipped: claimed by a colleague",
                                                 "%u skipped: claimed by a colleague", result->n_colleague),
                              result->n_colleague);
    }
  if (result->n_other > 0)
    {
      g_string_append (text, "; ");
      /* Translators: after "12 closed; ": the rest were already closed, or gone */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u left as it was",
                                                 "%u left as they were", result->n_other),
                              result->n_other);
    }

  return g_string_free (text, FALSE);
}

gboolean
civic_queue_selection_apply (CivicQueueSelection   *self,
                             CivicContext          *context,
                             CivicWorkflowAction    action,
                             gint64                 department_id,
                             CivicQueueBulkResult  *result,
                             GError               **error)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) refused = NULL;
  CivicStore *store;
  const char *person;
  const char *desk;
  gint64 now_ms;
  gboolean ok;

  g_return_val_if_fail (CIVIC_IS_QUEUE_SELECTION (self), FALSE);
  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), FALSE);
  g_return_val_if_fail (action == CIVIC_WORKFLOW_CLAIM || action == CIVIC_WORKFLOW_CLOSE ||
                        action == CIVIC_WORKFLOW_REASSIGN, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  store = civic_context_get_store (context);
  person = civic_context_get_person (context);
  desk = civic_context_get_desk_name (context);
  now_ms = civic_context_get_now_ms (context);
  ids = civic_queue_selection_dup_ids (self);

  switch (action)
    {
    case CIVIC_WORKFLOW_CLAIM:
      ok = civic_workflow_claim_many (store, (const gint64 *) (gpointer) ids->data, ids->len,
                                      person, desk, now_ms, &refused, error);
      break;
    case CIVIC_WORKFLOW_CLOSE:
      ok = civic_workflow_close_many (store, (const gint64 *) (gpointer) ids->data, ids->len,
                                      person, desk, now_ms, &refused, error);
      break;
    case CIVIC_WORKFLOW_REASSIGN:
    default:
      ok = civic_workflow_reassign_many (store, (const gint64 *) (gpointer) ids->data, ids->len,
                                         department_id, person, desk, now_ms, &refused, error);
      break;
    }
  if (!ok)
    return FALSE;

  /* Say why the rest stayed: a colleague's claim is worth naming, the
   * person may want to talk to them. */
  for (guint i = 0; refused != NULL && i < refused->len; i++)
    {
      g_auto(CivicWorkflowState) state = { 0 };

      if (civic_workflow_load_state (store, g_array_index (refused, gint64, i), &state, NULL) &&
          state.claimed_by != NULL && g_strcmp0 (state.claimed_by, person) != 0 &&
          state.state == CIVIC_MENTION_STATE_IN_PROGRESS)
        result->n_colleague++;
      else
        result->n_other++;
    }
  result->n_done = ids->len - (refused != NULL ? refused->len : 0);
  result->message = describe (action, result);

  civic_queue_selection_clear (self);

  return TRUE;
}
