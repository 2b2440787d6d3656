/* civic-entity-error.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CIVIC_ENTITY_ERROR (civic_entity_error_quark ())

/**
 * CivicEntityError:
 * @CIVIC_ENTITY_ERROR_SYNTAX: the text is not JSON at all (or is truncated)
 * @CIVIC_ENTITY_ERROR_TYPE: a field has the wrong JSON type; the message names the field
 * @CIVIC_ENTITY_ERROR_MISSING: a field the desk cannot work without is absent or null
 * @CIVIC_ENTITY_ERROR_VALUE: a field has the right type but an unusable value
 * @CIVIC_ENTITY_ERROR_TOO_DEEP: the JSON is nested deeper than any entity can be
 *   (%CIVIC_JSON_MAX_DEPTH levels); refused before parsing, as a hostile server's
 *   100,000 nested arrays would overflow the parser's stack
 *
 * Errors from turning server JSON into entities. Messages name the field as a
 * path, e.g. `Notification.status.account.acct`.
 */
typedef enum
{
  CIVIC_ENTITY_ERROR_SYNTAX,
  CIVIC_ENTITY_ERROR_TYPE,
  CIVIC_ENTITY_ERROR_MISSING,
  CIVIC_ENTITY_ERROR_VALUE,
  CIVIC_ENTITY_ERROR_TOO_DEEP,
} CivicEntityError;

/* Entities nest about ten levels (notification → status → reblog → account
 * → fields); anything deeper than this is refused unparsed. */
#define CIVIC_JSON_MAX_DEPTH 64

GQuark civic_entity_error_quark (void);

G_END_DECLS
