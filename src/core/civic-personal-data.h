/* civic-personal-data.h
 *
 * Spots personal data in a reply being written, so the composer can
 * suggest answering privately (`direct`).
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CivicPersonalDataKind:
 * @CIVIC_PERSONAL_DATA_NONE: nothing found
 * @CIVIC_PERSONAL_DATA_DNI: a Spanish identity number (8 digits and the right check letter)
 * @CIVIC_PERSONAL_DATA_NIE: a foreigner's identity number (X, Y or Z, 7 digits, the right letter)
 * @CIVIC_PERSONAL_DATA_PHONE: a Spanish phone number (9 digits from 6, 7, 8 or 9; +34 optional)
 * @CIVIC_PERSONAL_DATA_EMAIL: an e-mail address (not a `@user@domain` mention)
 */
typedef enum
{
  CIVIC_PERSONAL_DATA_NONE,
  CIVIC_PERSONAL_DATA_DNI,
  CIVIC_PERSONAL_DATA_NIE,
  CIVIC_PERSONAL_DATA_PHONE,
  CIVIC_PERSONAL_DATA_EMAIL,
} CivicPersonalDataKind;

/* Whether @text holds personal data; @kind (optional) gets the first kind
 * found. Numbers that merely look alike stay quiet: prices, dates, times,
 * postcodes, order numbers, a DNI whose letter does not check out. */
gboolean civic_personal_data_find      (const char             *text,
                                        CivicPersonalDataKind  *kind);
/* The same, with where the first finding is: byte offsets [@start, @end)
 * into @text, for highlighting. */
gboolean civic_personal_data_find_span (const char             *text,
                                        CivicPersonalDataKind  *kind,
                                        gsize                  *start,
                                        gsize                  *end);
/* A short name for @kind ("DNI", "NIE", "phone", "e-mail"). */
const char *civic_personal_data_kind_to_string (CivicPersonalDataKind kind);

G_END_DECLS
