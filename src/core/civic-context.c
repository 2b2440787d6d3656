/* civic-context.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-context.h"

struct _CivicContext
{
  GObject parent_instance;

  CivicStore *store;     /* owned */
  CivicClock *clock;     /* owned */
  GObject *sync;         /* weak: the sync refers to the context, not the reverse */
  GObject *outbox;       /* weak, likewise */
  char *desk_name;       /* owned */
  char *person;          /* owned */
};

enum {
  PROP_0,
  PROP_DESK_NAME,
  PROP_PERSON,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CivicContext, civic_context, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
civic_context_dispose (GObject *object)
{
  CivicContext *self = (CivicContext *) object;

  g_clear_weak_pointer (&self->sync);
  g_clear_weak_pointer (&self->outbox);
  g_clear_object (&self->store);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (civic_context_parent_class)->dispose (object);
}

static void
civic_context_finalize (GObject *object)
{
  CivicContext *self = (CivicContext *) object;

  g_free (self->desk_name);
  g_free (self->person);

  G_OBJECT_CLASS (civic_context_parent_class)->finalize (object);
}

static void
civic_context_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CivicContext *self = CIVIC_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_DESK_NAME:
      g_value_set_string (value, self->desk_name);
      break;
    case PROP_PERSON:
      g_value_set_string (value, self->person);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_context_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CivicContext *self = CIVIC_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_DESK_NAME:
      civic_context_set_desk_name (self, g_value_get_string (value));
      break;
    case PROP_PERSON:
      civic_context_set_person (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_context_class_init (CivicContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = civic_context_dispose;
  object_class->finalize = civic_context_finalize;
  object_class->get_property = civic_context_get_property;
  object_class->set_property = civic_context_set_property;

  properties[PROP_DESK_NAME] =
    g_param_spec_string ("desk-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERSON] =
    g_param_spec_string ("person", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
civic_context_init (CivicContext *self)
{
  self->desk_name = g_strdup (g_get_host_name ());
  self->person = g_strdup (g_get_real_name ());
}

/**
 * civic_context_new:
 * @clock: (nullable): the clock, or %NULL for the wall clock
 */
CivicContext *
civic_context_new (CivicStore *store,
                   CivicClock *clock)
{
  CivicContext *self;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);
  g_return_val_if_fail (clock == NULL || CIVIC_IS_CLOCK (clock), NULL);

  self = g_object_new (CIVIC_TYPE_CONTEXT, NULL);
  self->store = g_object_ref (store);
  self->clock = clock != NULL ? g_object_ref (clock) : civic_clock_new ();

  return self;
}

CivicStore *
civic_context_get_store (CivicContext *self)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (self), NULL);
  return self->store;
}

CivicClock *
civic_context_get_clock (CivicContext *self)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (self), NULL);
  return self->clock;
}

gint64
civic_context_get_now_ms (CivicContext *self)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (self), 0);
  return civic_clock_get_now_ms (self->clock);
}

const char *
civic_context_get_desk_name (CivicContext *self)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (self), NULL);
  return self->desk_name;
}

void
civic_context_set_desk_name (CivicContext *self,
                             const char   *desk_name)
{
  g_return_if_fail (CIVIC_IS_CONTEXT (self));

  if (desk_name == NULL || *desk_name == '\0')
    desk_name = g_get_host_name ();
  if (g_strcmp0 (self->desk_name, desk_name) == 0)
    return;

  g_free (self->desk_name);
  self->desk_name = g_strdup (desk_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESK_NAME]);
}

const char *
civic_context_get_person (CivicContext *self)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (self), NULL);
  return self->person;
}

void
civic_context_set_person (CivicContext *self,
                          const char   *person)
{
  g_return_if_fail (CIVIC_IS_CONTEXT (self));

  if (person == NULL || *person == '\0')
    person = g_get_real_name ();
  if (g_strcmp0 (self->person, person) == 0)
    return;

  g_free (self->person);
  self->person = g_strdup (person);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSON]);
}

gpointer
civic_context_get_sync (CivicContext *self)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (self), NULL);
  return self->sync;
}

void
civic_context_set_sync (CivicContext *self,
                        gpointer      sync)
{
  g_return_if_fail (CIVIC_IS_CONTEXT (self));
  g_return_if_fail (sync == NULL || G_IS_OBJECT (sync));

  g_set_weak_pointer (&self->sync, sync);
}

gpointer
civic_context_get_outbox (CivicContext *self)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (self), NULL);
  return self->outbox;
}

void
civic_context_set_outbox (CivicContext *self,
                          gpointer      outbox)
{
  g_return_if_fail (CIVIC_IS_CONTEXT (self));
  g_return_if_fail (outbox == NULL || G_IS_OBJECT (outbox));

  g_set_weak_pointer (&self->outbox, outbox);
}
