/* civic-department.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-department.h"

struct _CivicDepartment
{
  GObject parent_instance;

  gint64 id;
  char *slug;          /* owned */
  char *name;          /* owned */
  char *colour;        /* owned, "#rrggbb" */
  char *account;       /* owned, "acct@server" or NULL when not connected */
  char *language;      /* owned, ISO 639-1, what its replies default to */
  guint sla_minutes;
  guint open_count;
  guint overdue_count;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_SLUG,
  PROP_NAME,
  PROP_COLOUR,
  PROP_SLA_MINUTES,
  PROP_ACCOUNT,
  PROP_OPEN_COUNT,
  PROP_OVERDUE_COUNT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CivicDepartment, civic_department, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
civic_department_finalize (GObject *object)
{
  CivicDepartment *self = (CivicDepartment *) object;

  g_free (self->slug);
  g_free (self->name);
  g_free (self->colour);
  g_free (self->account);
  g_free (self->language);

  G_OBJECT_CLASS (civic_department_parent_class)->finalize (object);
}

static void
civic_department_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CivicDepartment *self = CIVIC_DEPARTMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_SLUG:
      g_value_set_string (value, self->slug);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_COLOUR:
      g_value_set_string (value, self->colour);
      break;
    case PROP_SLA_MINUTES:
      g_value_set_uint (value, self->sla_minutes);
      break;
    case PROP_ACCOUNT:
      g_value_set_string (value, self->account);
      break;
    case PROP_OPEN_COUNT:
      g_value_set_uint (value, self->open_count);
      break;
    case PROP_OVERDUE_COUNT:
      g_value_set_uint (value, self->overdue_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_department_class_init (CivicDepartmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = civic_department_finalize;
  object_class->get_property = civic_department_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SLUG] =
    g_param_spec_string ("slug", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLOUR] =
    g_param_spec_string ("colour", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SLA_MINUTES] =
    g_param_spec_uint ("sla-minutes", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT] =
    g_param_spec_string ("account", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPEN_COUNT] =
    g_param_spec_uint ("open-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OVERDUE_COUNT] =
    g_param_spec_uint ("overdue-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
civic_department_init (CivicDepartment *self)
{
}

CivicDepartment *
civic_department_new (gint64      id,
                      const char *slug,
                      const char *name,
                      const char *colour,
                      guint       sla_minutes)
{
  CivicDepartment *self;

  g_return_val_if_fail (slug != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (CIVIC_TYPE_DEPARTMENT, NULL);
  self->id = id;
  self->slug = g_strdup (slug);
  self->name = g_strdup (name);
  self->colour = g_strdup (colour != NULL ? colour : "#77767b");
  self->sla_minutes = sla_minutes;

  return self;
}

gint64
civic_department_get_id (CivicDepartment *self)
{
  g_return_val_if_fail (CIVIC_IS_DEPARTMENT (self), 0);
  return self->id;
}

const char *
civic_department_get_slug (CivicDepartment *self)
{
  g_return_val_if_fail (CIVIC_IS_DEPARTMENT (self), NULL);
  return self->slug;
}

const char *
civic_department_get_name (CivicDepartment *self)
{
  g_return_val_if_fail (CIVIC_IS_DEPARTMENT (self), NULL);
  return self->name;
}

const char *
civic_department_get_colour (CivicDepartment *self)
{
  g_return_val_if_fail (CIVIC_IS_DEPARTMENT (self), NULL);
  return self->colour;
}

guint
civic_department_get_sla_minutes (CivicDepartment *self)
{
  g_return_val_if_fail (CIVIC_IS_DEPARTMENT (self), 0);
  return self->sla_minutes;
}

const char *
civic_department_get_account (CivicDepartment *self)
{
  g_return_val_if_fail (CIVIC_IS_DEPARTMENT (self), NULL);
  return self->account;
}

void
civic_department_set_account (CivicDepartment *self,
                              const char      *account)
{
  g_return_if_fail (CIVIC_IS_DEPARTMENT (self));

  if (g_strcmp0 (self->account, account) == 0)
    return;

  g_free (self->account);
  self->account = g_strdup (account);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

guint
civic_department_get_open_count (CivicDepartment *self)
{
  g_return_val_if_fail (CIVIC_IS_DEPARTMENT (self), 0);
  return self->open_count;
}

guint
civic_department_get_overdue_count (CivicDepartment *self)
{
  g_return_val_if_fail (CIVIC_IS_DEPARTMENT (self), 0);
  return self->overdue_count;
}

void
civic_department_set_counts (CivicDepartment *self,
                             guint            open_count,
                             guint            overdue_count)
{
  g_return_if_fail (CIVIC_IS_DEPARTMENT (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->open_count != open_count)
    {
      self->open_count = open_count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN_COUNT]);
    }
  if (self->overdue_count != overdue_count)
    {
      self->overdue_count = overdue_count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVERDUE_COUNT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
civic_department_is_unsorted (CivicDepartment *self)
{
  g_return_val_if_fail (CIVIC_IS_DEPARTMENT (self), FALSE);
  return g_str_equal (self->slug, CIVIC_DEPARTMENT_UNSORTED);
}

typedef struct
{
  const char *slug;
  const char *name;
  const char *colour;
  guint sla_minutes;
} DepartmentDefaults;

/* Colours from the GNOME palette, distinct on the map in light and dark. */
static const DepartmentDefaults defaults[] = {
  { "policia", "Policía Local", "#1c71d8", 15 },
  { "limpieza", "Limpieza", "#2ec27e", 240 },
  { "tecnicos", "Servicios Técnicos", "#e66100", 480 },
  { "comedor", "Comedor Escolar", "#f5c211", 240 },
  { "salud", "Centro de Salud", "#c01c28", 120 },
  { "alcaldia", "Alcaldía", "#9141ac", 60 },
};

gboolean
civic_department_lookup_defaults (const char  *slug,
                                  const char **name,
                                  const char **colour,
                                  guint       *sla_minutes)
{
  g_return_val_if_fail (slug != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    {
      if (g_str_equal (defaults[i].slug, slug))
        {
          if (name != NULL)
            *name = defaults[i].name;
          if (colour != NULL)
            *colour = defaults[i].colour;
          if (sla_minutes != NULL)
            *sla_minutes = defaults[i].sla_minutes;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
civic_department_get_language (CivicDepartment *self)
{
  g_return_val_if_fail (CIVIC_IS_DEPARTMENT (self), NULL);
  return self->language != NULL ? self->language : "es";
}

void
civic_department_set_language (CivicDepartment *self,
                               const char      *language)
{
  g_return_if_fail (CIVIC_IS_DEPARTMENT (self));

  if (language != NULL && *language == '\0')
    language = NULL;
  g_free (self->language);
  self->language = g_strdup (language);
}
