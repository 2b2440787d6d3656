/* civic-login.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "civic-client.h"
#include "civic-store.h"

G_BEGIN_DECLS

#define CIVIC_OAUTH_REDIRECT_OOB "urn:ietf:wg:oauth:2.0:oob"
#define CIVIC_OAUTH_SCOPES "read write"

/**
 * CivicLoginRequest:
 *
 * A login in progress: the app registered on the server, a PKCE verifier,
 * and the page the person opens in their browser to approve the desk.
 */
typedef struct
{
  char *base_url;
  gint64 server_id;
  CivicAppCredentials *app;
  char *code_verifier;
  char *authorize_uri;
} CivicLoginRequest;

void civic_login_request_free (CivicLoginRequest *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicLoginRequest, civic_login_request_free)

/* "jun.example" → "https://jun.example"; NULL with an error if unusable. */
char              *civic_login_normalize_url  (const char          *input,
                                               GError             **error);

/* Registers the desk as an app on the server (once per server; kept in the
 * store) and prepares the authorization page with PKCE (S256). */
void               civic_login_begin_async    (SoupSession         *session,
                                               CivicStore          *store,
                                               const char          *base_url,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
CivicLoginRequest *civic_login_begin_finish   (GAsyncResult        *result,
                                               GError             **error);

/* Exchanges the code the person pasted for a token, confirms the account
 * with verify_credentials, keeps the token in the keyring and binds
 * @department_id (0: none) to the account. Returns the account. */
void               civic_login_complete_async (SoupSession         *session,
                                               CivicStore          *store,
                                               CivicLoginRequest   *request,
                                               const char          *code,
                                               gint64               department_id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
CivicAccount      *civic_login_complete_finish (GAsyncResult       *result,
                                                gint64             *account_id,
                                                GError            **error);

/**
 * CivicLoginFlags:
 * @CIVIC_LOGIN_FLAGS_NONE: keep the token in the keyring
 * @CIVIC_LOGIN_FLAGS_NO_KEYRING: do not (the demo's throwaway tokens)
 */
typedef enum
{
  CIVIC_LOGIN_FLAGS_NONE = 0,
  CIVIC_LOGIN_FLAGS_NO_KEYRING = 1 << 0,
} CivicLoginFlags;

/* The same for a token obtained elsewhere (civicctl login --token-stdin). */
void               civic_login_with_token_async  (SoupSession         *session,
                                                  CivicStore          *store,
                                                  const char          *base_url,
                                                  const char          *token,
                                                  gint64               department_id,
                                                  CivicLoginFlags      flags,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
CivicAccount      *civic_login_with_token_finish (GAsyncResult        *result,
                                                  gint64              *account_id,
                                                  GError             **error);

G_END_DECLS
