/* civic-mention.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-mention.h"

struct _CivicMention
{
  GObject parent_instance;

  gint64 id;
  gint64 department_id;
  gint64 created_at_ms;
  gint64 due_at_ms;
  gint64 answered_at_ms;
  double lat;
  double lon;
  guint media_count;
  CivicMentionState state;
  CivicPriority priority;
  CivicVisibility visibility;
  gboolean has_point;

  /* All owned. */
  char *status_id;
  char *notification_id;
  char *author_acct;
  char *author_name;
  char *text;
  char *html;
  char *spoiler_text;
  char *language;
  char *in_reply_to_id;
  char *url;
  char *geo_source;
  char *claimed_by;
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_PRIORITY,
  PROP_CLAIMED_BY,
  PROP_DEPARTMENT_ID,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CivicMention, civic_mention, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
civic_mention_finalize (GObject *object)
{
  CivicMention *self = (CivicMention *) object;

  g_free (self->status_id);
  g_free (self->notification_id);
  g_free (self->author_acct);
  g_free (self->author_name);
  g_free (self->text);
  g_free (self->html);
  g_free (self->spoiler_text);
  g_free (self->language);
  g_free (self->in_reply_to_id);
  g_free (self->url);
  g_free (self->geo_source);
  g_free (self->claimed_by);

  G_OBJECT_CLASS (civic_mention_parent_class)->finalize (object);
}

static void
civic_mention_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CivicMention *self = CIVIC_MENTION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_PRIORITY:
      g_value_set_int (value, self->priority);
      break;
    case PROP_CLAIMED_BY:
      g_value_set_string (value, self->claimed_by);
      break;
    case PROP_DEPARTMENT_ID:
      g_value_set_int64 (value, self->department_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_mention_class_init (CivicMentionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = civic_mention_finalize;
  object_class->get_property = civic_mention_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, 0, CIVIC_MENTION_STATE_CLOSED, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRIORITY] =
    g_param_spec_int ("priority", NULL, NULL, 0, CIVIC_PRIORITY_URGENT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLAIMED_BY] =
    g_param_spec_string ("claimed-by", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEPARTMENT_ID] =
    g_param_spec_int64 ("department-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
civic_mention_init (CivicMention *self)
{
}

CivicMention *
civic_mention_new (const CivicMentionFields *f)
{
  CivicMention *self;

  g_return_val_if_fail (f != NULL, NULL);

  self = g_object_new (CIVIC_TYPE_MENTION, NULL);
  self->id = f->id;
  self->department_id = f->department_id;
  self->created_at_ms = f->created_at_ms;
  self->due_at_ms = f->due_at_ms;
  self->answered_at_ms = f->answered_at_ms;
  self->has_point = f->has_point;
  self->lat = f->lat;
  self->lon = f->lon;
  self->media_count = f->media_count;
  self->state = f->state;
  self->priority = f->priority;
  self->visibility = civic_visibility_from_string (f->visibility);
  self->status_id = g_strdup (f->status_id);
  self->notification_id = g_strdup (f->notification_id);
  self->author_acct = g_strdup (f->author_acct != NULL ? f->author_acct : "");
  self->author_name = g_strdup (f->author_name != NULL ? f->author_name : "");
  self->text = g_strdup (f->text != NULL ? f->text : "");
  self->html = g_strdup (f->html != NULL ? f->html : "");
  self->spoiler_text = g_strdup (f->spoiler_text != NULL ? f->spoiler_text : "");
  self->language = g_strdup (f->language);
  self->in_reply_to_id = g_strdup (f->in_reply_to_id);
  self->url = g_strdup (f->url);
  self->geo_source = g_strdup (f->geo_source);
  self->claimed_by = g_strdup (f->claimed_by);

  return self;
}

void
civic_mention_update_workflow (CivicMention      *self,
                               CivicMentionState  state,
                               CivicPriority      priority,
                               const char        *claimed_by,
                               gint64             department_id)
{
  g_return_if_fail (CIVIC_IS_MENTION (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (self->priority != priority)
    {
      self->priority = priority;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY]);
    }
  if (g_strcmp0 (self->claimed_by, claimed_by) != 0)
    {
      g_free (self->claimed_by);
      self->claimed_by = g_strdup (claimed_by);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLAIMED_BY]);
    }
  if (self->department_id != department_id)
    {
      self->department_id = department_id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEPARTMENT_ID]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

#define GETTER(type, name, field, fallback) \
  type \
  civic_mention_get_##name (CivicMention *self) \
  { \
    g_return_val_if_fail (CIVIC_IS_MENTION (self), fallback); \
    return self->field; \
  }

GETTER (gint64, id, id, 0)
GETTER (const char *, status_id, status_id, NULL)
GETTER (const char *, notification_id, notification_id, NULL)
GETTER (gint64, department_id, department_id, 0)
GETTER (const char *, author_acct, author_acct, NULL)
GETTER (const char *, author_name, author_name, NULL)
GETTER (gint64, created_at_ms, created_at_ms, 0)
GETTER (const char *, text, text, NULL)
GETTER (const char *, html, html, NULL)
GETTER (const char *, spoiler_text, spoiler_text, NULL)
GETTER (CivicVisibility, visibility, visibility, CIVIC_VISIBILITY_DIRECT)
GETTER (const char *, language, language, NULL)
GETTER (const char *, in_reply_to_id, in_reply_to_id, NULL)
GETTER (const char *, url, url, NULL)
GETTER (const char *, geo_source, geo_source, NULL)
GETTER (guint, media_count, media_count, 0)
GETTER (CivicMentionState, state, state, CIVIC_MENTION_STATE_NEW)
GETTER (CivicPriority, priority, priority, CIVIC_PRIORITY_NORMAL)
GETTER (const char *, claimed_by, claimed_by, NULL)
GETTER (gint64, due_at_ms, due_at_ms, 0)
GETTER (gint64, answered_at_ms, answered_at_ms, 0)

#undef GETTER

gboolean
civic_mention_get_point (CivicMention *self,
                         double       *lat,
                         double       *lon)
{
  g_return_val_if_fail (CIVIC_IS_MENTION (self), FALSE);

  if (lat != NULL)
    *lat = self->lat;
  if (lon != NULL)
    *lon = self->lon;

  return self->has_point;
}

gboolean
civic_mention_is_overdue (CivicMention *self,
                          gint64        now_ms)
{
  g_return_val_if_fail (CIVIC_IS_MENTION (self), FALSE);

  return CIVIC_MENTION_STATE_IS_OPEN (self->state) && self->due_at_ms > 0 && self->due_at_ms < now_ms;
}

void
civic_mention_update_from (CivicMention *self,
                           CivicMention *fresh)
{
  g_return_if_fail (CIVIC_IS_MENTION (self));
  g_return_if_fail (CIVIC_IS_MENTION (fresh));
  g_return_if_fail (self->id == fresh->id);

  self->due_at_ms = fresh->due_at_ms;
  self->answered_at_ms = fresh->answered_at_ms;
  self->media_count = fresh->media_count;
  civic_mention_update_workflow (self, fresh->state, fresh->priority, fresh->claimed_by, fresh->department_id);
}
