/* civic-login-dialog.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "civic-context.h"

G_BEGIN_DECLS

#define CIVIC_TYPE_LOGIN_DIALOG (civic_login_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CivicLoginDialog, civic_login_dialog, CIVIC, LOGIN_DIALOG, AdwWindow)

/**
 * CivicUriLauncher:
 * @parent: the dialog
 * @uri: the server's approval page
 * @user_data: what was given with the launcher
 *
 * Opens the approval page. The default shows it in the person's browser
 * with gtk_show_uri(); tests approve the page themselves instead.
 */
typedef void (*CivicUriLauncher) (GtkWindow  *parent,
                                  const char *uri,
                                  gpointer    user_data);

CivicLoginDialog *civic_login_dialog_new               (GtkWindow        *parent,
                                                        CivicContext     *context);
/* Creates the dialog and presents it, modal over @parent. */
CivicLoginDialog *civic_login_dialog_present           (GtkWindow        *parent,
                                                        CivicContext     *context);
/* Preselects the department with @slug (one in the store or one of the
 * usual ones); FALSE when there is no such choice. */
gboolean          civic_login_dialog_select_department (CivicLoginDialog *self,
                                                        const char       *slug);
void              civic_login_dialog_set_server        (CivicLoginDialog *self,
                                                        const char       *address);
void              civic_login_dialog_set_uri_launcher  (CivicLoginDialog *self,
                                                        CivicUriLauncher  launcher,
                                                        gpointer          user_data);

G_END_DECLS
