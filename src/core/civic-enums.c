/* civic-enums.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-enums.h"

static const char * const state_names[] = {
  [CIVIC_MENTION_STATE_NEW] = "new",
  [CIVIC_MENTION_STATE_IN_PROGRESS] = "in-progress",
  [CIVIC_MENTION_STATE_ANSWERED] = "answered",
  [CIVIC_MENTION_STATE_CLOSED] = "closed",
};

const char *
civic_mention_state_to_string (CivicMentionState state)
{
  if ((guint) state < G_N_ELEMENTS (state_names))
    return state_names[state];
  return "unknown";
}

gboolean
civic_mention_state_from_string (const char        *str,
                                 CivicMentionState *state)
{
  g_return_val_if_fail (state != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    {
      if (g_str_equal (str, state_names[i]))
        {
          *state = (CivicMentionState) i;
          return TRUE;
        }
    }

  return FALSE;
}

static const char * const visibility_names[] = {
  [CIVIC_VISIBILITY_PUBLIC] = "public",
  [CIVIC_VISIBILITY_UNLISTED] = "unlisted",
  [CIVIC_VISIBILITY_PRIVATE] = "private",
  [CIVIC_VISIBILITY_DIRECT] = "direct",
};

const char *
civic_visibility_to_string (CivicVisibility visibility)
{
  if ((guint) visibility < G_N_ELEMENTS (visibility_names))
    return visibility_names[visibility];
  return "direct";
}

CivicVisibility
civic_visibility_from_string (const char *str)
{
  if (str == NULL)
    return CIVIC_VISIBILITY_PUBLIC;

  for (guint i = 0; i < G_N_ELEMENTS (visibility_names); i++)
    if (g_str_equal (str, visibility_names[i]))
      return (CivicVisibility) i;

  if (g_str_equal (str, "local"))
    return CIVIC_VISIBILITY_UNLISTED;

  /* "limited", "mutuals_only" and anything unknown: treat as private
   * rather than risk showing it to more people than intended. */
  if (g_str_equal (str, "limited") || g_str_equal (str, "mutuals_only"))
    return CIVIC_VISIBILITY_PRIVATE;

  return CIVIC_VISIBILITY_DIRECT;
}
