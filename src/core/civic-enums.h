/* civic-enums.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CivicMentionState:
 * @CIVIC_MENTION_STATE_NEW: nobody has looked at it yet
 * @CIVIC_MENTION_STATE_IN_PROGRESS: claimed by a person on a desk
 * @CIVIC_MENTION_STATE_ANSWERED: our reply is on the server
 * @CIVIC_MENTION_STATE_CLOSED: nothing more to do
 *
 * The stored integer values are part of the database format: never renumber.
 */
typedef enum
{
  CIVIC_MENTION_STATE_NEW = 0,
  CIVIC_MENTION_STATE_IN_PROGRESS = 1,
  CIVIC_MENTION_STATE_ANSWERED = 2,
  CIVIC_MENTION_STATE_CLOSED = 3,
} CivicMentionState;

#define CIVIC_MENTION_STATE_IS_OPEN(s) ((s) == CIVIC_MENTION_STATE_NEW || (s) == CIVIC_MENTION_STATE_IN_PROGRESS)

const char *civic_mention_state_to_string   (CivicMentionState  state);
gboolean    civic_mention_state_from_string (const char        *str,
                                             CivicMentionState *state);

/**
 * CivicPriority:
 *
 * Larger is more urgent. Stored as an integer.
 */
typedef enum
{
  CIVIC_PRIORITY_LOW = 0,
  CIVIC_PRIORITY_NORMAL = 1,
  CIVIC_PRIORITY_HIGH = 2,
  CIVIC_PRIORITY_URGENT = 3,
} CivicPriority;

G_END_DECLS

G_BEGIN_DECLS

/**
 * CivicVisibility:
 *
 * Mastodon's status visibilities. Servers add their own (Akkoma's "local",
 * Mastodon's "limited"); they map to the closest one that is no more public.
 */
typedef enum
{
  CIVIC_VISIBILITY_PUBLIC = 0,
  CIVIC_VISIBILITY_UNLISTED = 1,
  CIVIC_VISIBILITY_PRIVATE = 2,
  CIVIC_VISIBILITY_DIRECT = 3,
} CivicVisibility;

const char      *civic_visibility_to_string   (CivicVisibility  visibility);
CivicVisibility  civic_visibility_from_string (const char      *str);

G_END_DECLS
