/* civic-router.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "civic-router.h"
#include "civic-store-private.h"

typedef struct
{
  gint64 id;
  char *acct;          /* the department account's acct, NULL when not bound */
  guint sla_minutes;
} Department;

struct _CivicRouter
{
  GObject parent_instance;

  CivicStore *store;     /* owned */
  GArray *departments;   /* owned: Department */
  gint64 unsorted_id;
  guint unsorted_sla;
};

G_DEFINE_FINAL_TYPE (CivicRouter, civic_router, G_TYPE_OBJECT)

static void
department_clear (gpointer data)
{
  Department *d = data;

  g_free (d->acct);
}

static void
civic_router_dispose (GObject *object)
{
  CivicRouter *self = (CivicRouter *) object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (civic_router_parent_class)->dispose (object);
}

static void
civic_router_finalize (GObject *object)
{
  CivicRouter *self = (CivicRouter *) object;

  g_clear_pointer (&self->departments, g_array_unref);

  G_OBJECT_CLASS (civic_router_parent_class)->finalize (object);
}

static void
civic_router_class_init (CivicRouterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = civic_router_dispose;
  object_class->finalize = civic_router_finalize;
}

static void
civic_router_init (CivicRouter *self)
{
  self->departments = g_array_new (FALSE, TRUE, sizeof (Department));
  g_array_set_clear_func (self->departments, department_clear);
}

gboolean
civic_router_reload (CivicRouter  *self,
                     GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_ROUTER (self), FALSE);

  stmt = _civic_store_prepare (self->store,
                               "SELECT d.id, a.acct, d.sla_minutes, d.slug = 'unsorted' "
                               "FROM departments d LEFT JOIN accounts a ON a.id = d.account_id "
                               "ORDER BY d.position, d.id",
                               error);
  if (stmt == NULL)
    return FALSE;

  g_array_set_size (self->departments, 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Department d = {
        .id = sqlite3_column_int64 (stmt, 0),
        .acct = g_strdup ((const char *) sqlite3_column_text (stmt, 1)),
        .sla_minutes = (guint) sqlite3_column_int (stmt, 2),
      };

      if (sqlite3_column_int (stmt, 3))
        {
          self->unsorted_id = d.id;
          self->unsorted_sla = d.sla_minutes;
        }
      g_array_append_val (self->departments, d);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return _civic_store_fail (self->store, rc, "Could not read the departments", error);

  return TRUE;
}

CivicRouter *
civic_router_new (CivicStore  *store,
                  GError     **error)
{
  g_autoptr(CivicRouter) self = NULL;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);

  self = g_object_new (CIVIC_TYPE_ROUTER, NULL);
  self->store = g_object_ref (store);

  if (!civic_router_reload (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* "user" and "user@host" name the same local account when host is ours. */
static gboolean
same_account (const char *a,
              const char *b,
              const char *server_host)
{
  gsize a_len = strcspn (a, "@");
  gsize b_len = strcspn (b, "@");
  const char *a_host = a[a_len] == '@' ? a + a_len + 1 : server_host;
  const char *b_host = b[b_len] == '@' ? b + b_len + 1 : server_host;

  return a_len == b_len && g_ascii_strncasecmp (a, b, a_len) == 0 &&
         g_ascii_strcasecmp (a_host != NULL ? a_host : "", b_host != NULL ? b_host : "") == 0;
}

void
civic_router_route (CivicRouter        *self,
                    const CivicStatus  *status,
                    const char         *server_host,
                    const char         *receiving_acct,
                    CivicMentionRecord *record)
{
  const Department *chosen = NULL;

  g_return_if_fail (CIVIC_IS_ROUTER (self));
  g_return_if_fail (status != NULL);
  g_return_if_fail (record != NULL);

  /* The department account the mention names first decides. */
  for (guint m = 0; m < status->mentions->len && chosen == NULL; m++)
    {
      const CivicStatusMention *mention = g_ptr_array_index (status->mentions, m);

      for (guint i = 0; i < self->departments->len && chosen == NULL; i++)
        {
          const Department *d = &g_array_index (self->departments, Department, i);

          if (d->acct != NULL && mention->acct != NULL && same_account (d->acct, mention->acct, server_host))
            chosen = d;
        }
    }

  /* Else the account it reached us through, when that is a department's. */
  for (guint i = 0; i < self->departments->len && chosen == NULL && receiving_acct != NULL; i++)
    {
      const Department *d = &g_array_index (self->departments, Department, i);

      if (d->acct != NULL && same_account (d->acct, receiving_acct, server_host))
        chosen = d;
    }

  if (chosen != NULL)
    {
      record->department_id = chosen->id;
      record->due_at_ms = record->created_at_ms + (gint64) chosen->sla_minutes * 60 * 1000;
    }
  else
    {
      record->department_id = self->unsorted_id;
      record->due_at_ms = record->created_at_ms + (gint64) self->unsorted_sla * 60 * 1000;
    }

  record->priority = 1;
}
