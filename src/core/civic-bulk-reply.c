/* civic-bulk-reply.c
 *
 * Each reply is queued on its own through the outbox, exactly as the
 * composer queues one: its own Idempotency-Key, its audit row, threaded
 * under the citizen's status. Only the choice of whom to answer is ours.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "civic-bulk-reply.h"
#include "civic-store.h"

void
civic_bulk_reply_plan_free (CivicBulkReplyPlan *plan)
{
  if (plan == NULL)
    return;

  g_clear_pointer (&plan->mentions, g_ptr_array_unref);
  g_free (plan);
}

CivicBulkReplyPlan *
civic_bulk_reply_plan (CivicContext  *context,
                       CivicOutbox   *outbox,
                       const gint64  *ids,
                       guint          n_ids,
                       GError       **error)
{
  g_autoptr(CivicBulkReplyPlan) plan = NULL;
  g_autoptr(GPtrArray) mentions = NULL;
  const char *person;

  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (outbox == NULL || CIVIC_IS_OUTBOX (outbox), NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);

  mentions = civic_store_load_mentions (civic_context_get_store (context), ids, n_ids, error);
  if (mentions == NULL)
    return NULL;

  plan = g_new0 (CivicBulkReplyPlan, 1);
  plan->mentions = g_ptr_array_new_with_free_func (g_object_unref);
  person = civic_context_get_person (context);

  for (guint i = 0; i < mentions->len; i++)
    {
      CivicMention *mention = g_ptr_array_index (mentions, i);
      CivicMentionState state = civic_mention_get_state (mention);
      const char *holder = civic_mention_get_claimed_by (mention);

      if (state == CIVIC_MENTION_STATE_ANSWERED || state == CIVIC_MENTION_STATE_CLOSED)
        {
          plan->n_answered++;
          continue;
        }
      if (state == CIVIC_MENTION_STATE_IN_PROGRESS && holder != NULL && g_strcmp0 (holder, person) != 0)
        {
          plan->n_colleague++;
          continue;
        }

      /* A reply already queued (or failed and waiting for a retry) is on
       * its way: the server has not echoed it yet, the state says new. */
      if (outbox != NULL)
        {
          g_autoptr(GPtrArray) queued = civic_outbox_list (outbox, civic_mention_get_id (mention), 0, error);

          if (queued == NULL)
            return NULL;
          if (queued->len > 0)
            {
              plan->n_answered++;
              continue;
            }
        }

      g_ptr_array_add (plan->mentions, g_object_ref (mention));
    }

  return g_steal_pointer (&plan);
}

GPtrArray *
civic_bulk_reply_list_templates (CivicContext              *context,
                                 const CivicBulkReplyPlan  *plan,
                                 GError                   **error)
{
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func ((GDestroyNotify) civic_template_free);
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (plan != NULL, NULL);

  for (guint i = 0; i < plan->mentions->len; i++)
    {
      gint64 department_id = civic_mention_get_department_id (g_ptr_array_index (plan->mentions, i));
      g_autoptr(GPtrArray) more = NULL;
      gboolean known = FALSE;

      for (guint j = 0; j < seen->len && !known; j++)
        known = g_array_index (seen, gint64, j) == department_id;
      if (known)
        continue;
      g_array_append_val (seen, department_id);

      more = civic_templates_list (civic_context_get_store (context), department_id, error);
      if (more == NULL)
        return NULL;
      while (more->len > 0)
        g_ptr_array_add (templates, g_ptr_array_steal_index (more, 0));
    }

  return g_steal_pointer (&templates);
}

static CivicDepartment *
find_department (GPtrArray *departments,
                 gint64     department_id)
{
  for (guint i = 0; departments != NULL && i < departments->len; i++)
    {
      CivicDepartment *department = g_ptr_array_index (departments, i);

      if (civic_department_get_id (department) == department_id)
        return department;
    }

  return NULL;
}

char *
civic_bulk_reply_compose (CivicContext        *context,
                          const CivicTemplate *tmpl,
                          CivicMention        *mention)
{
  g_autoptr(GPtrArray) departments = NULL;
  g_autofree char *plazo = NULL;
  g_autofree char *body = NULL;
  g_autofree char *street = NULL;
  CivicDepartment *department;
  CivicTemplateValues values = { 0 };
  const char *name;
  guint sla = 0;

  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (tmpl != NULL, NULL);
  g_return_val_if_fail (CIVIC_IS_MENTION (mention), NULL);

  departments = civic_store_list_departments_brief (civic_context_get_store (context), NULL);
  department = find_department (departments, civic_mention_get_department_id (mention));
  if (department != NULL)
    sla = civic_department_get_sla_minutes (department);

  /* The composer words the answer time the same way. */
  if (sla >= 120)
    plazo = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", sla / 60), sla / 60);
  else
    plazo = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", sla), sla);

  name = civic_mention_get_author_name (mention);
  values.nombre = name != NULL && *name != '\0' ? name : civic_mention_get_author_acct (mention);
  values.departamento = department != NULL ? civic_department_get_name (department) : NULL;
  values.plazo = plazo;
  /* Nobody reviews each of these replies: a placeholder must never reach
   * a citizen as "{calle}". */
  street = civic_template_find_street (civic_mention_get_text (mention));
  /* Translators: stands for a street in a reply when the citizen named
   * none ("we will send a crew to that place") */
  values.calle = street != NULL ? street : _("that place");
  if (values.departamento == NULL)
    values.departamento = "";
  body = civic_template_expand (tmpl->body, &values);

  /* The citizen is named so that the server notifies them. */
  return g_strdup_printf ("@%s %s", civic_mention_get_author_acct (mention), body);
}

gboolean
civic_bulk_reply_queue (CivicContext              *context,
                        CivicOutbox               *outbox,
                        const CivicBulkReplyPlan  *plan,
                        const CivicTemplate       *tmpl,
                        guint                     *n_queued,
                        GError                   **error)
{
  guint done = 0;

  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), FALSE);
  g_return_val_if_fail (CIVIC_IS_OUTBOX (outbox), FALSE);
  g_return_val_if_fail (plan != NULL, FALSE);
  g_return_val_if_fail (tmpl != NULL, FALSE);

  for (guint i = 0; i < plan->mentions->len; i++)
    {
      CivicMention *mention = g_ptr_array_index (plan->mentions, i);
      g_autofree char *body = civic_bulk_reply_compose (context, tmpl, mention);
      CivicOutboxReply reply = { 0 };

      reply.mention_id = civic_mention_get_id (mention);
      reply.body = body;
      if (!civic_outbox_queue (outbox, &reply, civic_context_get_person (context),
                               civic_context_get_desk_name (context),
                               civic_context_get_now_ms (context), NULL, error))
        break;
      done++;
    }

  if (n_queued != NULL)
    *n_queued = done;

  return done == plan->mentions->len;
}
