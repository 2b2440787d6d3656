/* civic-client.h
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "civic-account.h"
#include "civic-instance.h"
#include "civic-status.h"

G_BEGIN_DECLS

#define CIVIC_CLIENT_ERROR (civic_client_error_quark ())

/**
 * CivicClientError:
 * @CIVIC_CLIENT_ERROR_NETWORK: the server could not be reached, or dropped the connection
 * @CIVIC_CLIENT_ERROR_TIMEOUT: the server did not answer in time
 * @CIVIC_CLIENT_ERROR_TLS: the server's certificate is not trusted
 * @CIVIC_CLIENT_ERROR_UNAUTHORIZED: 401: the login was revoked or has expired
 * @CIVIC_CLIENT_ERROR_FORBIDDEN: 403: the token lacks a permission (scope)
 * @CIVIC_CLIENT_ERROR_NOT_FOUND: 404 or 410: no such thing (or endpoint) on this server
 * @CIVIC_CLIENT_ERROR_CONFLICT: 409: someone else changed it first
 * @CIVIC_CLIENT_ERROR_REJECTED: 422 or another 4xx: the server refused, with its reason
 * @CIVIC_CLIENT_ERROR_RATE_LIMITED: 429: wait until the reset time
 * @CIVIC_CLIENT_ERROR_SERVER: 5xx: the server failed
 * @CIVIC_CLIENT_ERROR_INVALID_RESPONSE: the answer is not what the API promises
 *   (malformed or truncated JSON, wrong shape)
 * @CIVIC_CLIENT_ERROR_TOO_LARGE: the answer is larger than the desk accepts
 * @CIVIC_CLIENT_ERROR_REFUSED_REDIRECT: a server link pointed to another host
 */
typedef enum
{
  CIVIC_CLIENT_ERROR_NETWORK,
  CIVIC_CLIENT_ERROR_TIMEOUT,
  CIVIC_CLIENT_ERROR_TLS,
  CIVIC_CLIENT_ERROR_UNAUTHORIZED,
  CIVIC_CLIENT_ERROR_FORBIDDEN,
  CIVIC_CLIENT_ERROR_NOT_FOUND,
  CIVIC_CLIENT_ERROR_CONFLICT,
  CIVIC_CLIENT_ERROR_REJECTED,
  CIVIC_CLIENT_ERROR_RATE_LIMITED,
  CIVIC_CLIENT_ERROR_SERVER,
  CIVIC_CLIENT_ERROR_INVALID_RESPONSE,
  CIVIC_CLIENT_ERROR_TOO_LARGE,
  CIVIC_CLIENT_ERROR_REFUSED_REDIRECT,
} CivicClientError;

GQuark   civic_client_error_quark        (void);
/* Whether retrying later may succeed (network, timeouts, 5xx, 429, a
 * truncated answer) — as opposed to a refusal that will not change. */
gboolean civic_client_error_is_transient (const GError *error);

/**
 * CivicResponse:
 *
 * A successful (2xx) answer. Link positions are the `max_id` of the
 * rel="next" (older) link and the `min_id` of the rel="prev" (newer) link.
 */
typedef struct
{
  guint status;
  GBytes *body;
  char *next_url;
  char *prev_url;
  char *next_max_id;
  char *prev_min_id;
  gboolean has_link;
} CivicResponse;

void civic_response_free (CivicResponse *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicResponse, civic_response_free)

/**
 * CivicRateLimit:
 *
 * The last `X-RateLimit-*` state the server stated (-1: not stated).
 */
typedef struct
{
  gint64 limit;
  gint64 remaining;
  gint64 reset_ms;
} CivicRateLimit;

/**
 * CivicAppCredentials:
 */
typedef struct
{
  char *client_id;
  char *client_secret;
} CivicAppCredentials;

void civic_app_credentials_free (CivicAppCredentials *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicAppCredentials, civic_app_credentials_free)

/**
 * CivicNotificationPolicy:
 *
 * From `GET /api/v2/notifications/policy` (Mastodon 4.3+): what happens to
 * notifications from people the account does not follow — every citizen.
 */
typedef struct
{
  char *for_not_following;   /* "accept", "filter" or "drop" */
  char *for_private_mentions;
  gboolean filters_strangers;  /* not_following or private mentions are filtered or dropped */
} CivicNotificationPolicy;

void civic_notification_policy_free (CivicNotificationPolicy *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CivicNotificationPolicy, civic_notification_policy_free)

/**
 * CivicStatusPost:
 *
 * What `POST /api/v1/statuses` sends. Strings borrowed.
 */
typedef struct
{
  const char *status;
  const char *in_reply_to_id;
  const char *visibility;
  const char *spoiler_text;
  const char *language;
  const char * const *media_ids;   /* NULL-terminated, nullable */
} CivicStatusPost;

#define CIVIC_TYPE_CLIENT (civic_client_get_type ())

G_DECLARE_FINAL_TYPE (CivicClient, civic_client, CIVIC, CLIENT, GObject)

#define CIVIC_CLIENT_MAX_BODY_SIZE (16 * 1024 * 1024)
/* The longest one answer may take to arrive, in seconds. The session's
 * timeout bounds each read; this bounds a server that drips a byte at a
 * time and so never trips it. */
#define CIVIC_CLIENT_MAX_ANSWER_TIME 300

CivicClient *civic_client_new                (SoupSession   *session,
                                              const char    *base_url,
                                              const char    *token);
const char  *civic_client_get_base_url       (CivicClient   *self);
const char  *civic_client_get_host           (CivicClient   *self);
void         civic_client_set_token          (CivicClient   *self,
                                              const char    *token);
gboolean     civic_client_has_token          (CivicClient   *self);
void         civic_client_set_max_body_size  (CivicClient   *self,
                                              gsize          max_body_size);
void         civic_client_set_max_answer_time (CivicClient  *self,
                                               guint         seconds);
const CivicRateLimit *civic_client_get_rate_limit (CivicClient *self);
/* Builds "ws(s)://host/api/v1/streaming?stream=…" from the instance's
 * streaming URL (or the base URL when it names none). */
char        *civic_client_dup_streaming_uri  (CivicClient   *self,
                                              const char    *streaming_base,
                                              const char    *stream);
/* Whether @uri may receive our token: same scheme, host and port as ours. */
gboolean     civic_client_is_same_origin     (CivicClient   *self,
                                              const char    *uri);

/* The general request: @path_and_query is a path under the base URL or an
 * absolute URL on the same origin (as Link headers give). @form, when not
 * NULL, is sent as application/x-www-form-urlencoded. */
void           civic_client_request_async    (CivicClient         *self,
                                              const char          *method,
                                              const char          *path_and_query,
                                              const char          *form,
                                              const char          *idempotency_key,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
CivicResponse *civic_client_request_finish   (CivicClient         *self,
                                              GAsyncResult        *result,
                                              GError             **error);

void           civic_client_get_instance_async     (CivicClient         *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
CivicInstance *civic_client_get_instance_finish    (CivicClient         *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

void           civic_client_verify_credentials_async  (CivicClient         *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
CivicAccount  *civic_client_verify_credentials_finish (CivicClient         *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

void                 civic_client_register_app_async  (CivicClient         *self,
                                                       const char          *client_name,
                                                       const char          *redirect_uri,
                                                       const char          *scopes,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
CivicAppCredentials *civic_client_register_app_finish (CivicClient         *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* The authorization_code grant with PKCE; returns the access token. */
void   civic_client_obtain_token_async  (CivicClient                *self,
                                         const CivicAppCredentials  *app,
                                         const char                 *code,
                                         const char                 *code_verifier,
                                         const char                 *redirect_uri,
                                         GCancellable               *cancellable,
                                         GAsyncReadyCallback         callback,
                                         gpointer                    user_data);
char  *civic_client_obtain_token_finish (CivicClient                *self,
                                         GAsyncResult               *result,
                                         GError                    **error);

void     civic_client_revoke_token_async  (CivicClient                *self,
                                           const CivicAppCredentials  *app,
                                           GCancellable               *cancellable,
                                           GAsyncReadyCallback         callback,
                                           gpointer                    user_data);
gboolean civic_client_revoke_token_finish (CivicClient                *self,
                                           GAsyncResult               *result,
                                           GError                    **error);

void                     civic_client_get_notification_policy_async  (CivicClient         *self,
                                                                      GCancellable        *cancellable,
                                                                      GAsyncReadyCallback  callback,
                                                                      gpointer             user_data);
CivicNotificationPolicy *civic_client_get_notification_policy_finish (CivicClient         *self,
                                                                      GAsyncResult        *result,
                                                                      GError             **error);

void                civic_client_get_context_async  (CivicClient         *self,
                                                     const char          *status_id,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
CivicStatusContext *civic_client_get_context_finish (CivicClient         *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

void         civic_client_post_status_async  (CivicClient           *self,
                                              const CivicStatusPost *post,
                                              const char            *idempotency_key,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
CivicStatus *civic_client_post_status_finish (CivicClient           *self,
                                              GAsyncResult          *result,
                                              GError               **error);

/* Helpers for building requests. */
void  civic_form_append        (GString    *form,
                                const char *key,
                                const char *value);
char *civic_pkce_new_verifier  (void);
/* A random, URL-safe string (idempotency keys). */
char *civic_random_token       (void);
char *civic_pkce_challenge     (const char *verifier);
char *civic_client_dup_authorize_uri (CivicClient               *self,
                                      const CivicAppCredentials *app,
                                      const char                *redirect_uri,
                                      const char                *scopes,
                                      const char                *code_challenge);

G_END_DECLS
