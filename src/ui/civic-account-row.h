/* civic-account-row.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "civic-context.h"
#include "civic-store-sync.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_ACCOUNT_ROW (civic_account_row_get_type ())

G_DECLARE_FINAL_TYPE (CivicAccountRow, civic_account_row, CIVIC, ACCOUNT_ROW, AdwActionRow)

/* A bound account with its live sync status and a Sign Out button (which
 * asks first). Emits ::signed-out once the desk forgot the account. */
GtkWidget *civic_account_row_new            (CivicContext            *context,
                                             const CivicBoundAccount *account);
gint64     civic_account_row_get_account_id (CivicAccountRow         *self);

G_END_DECLS
