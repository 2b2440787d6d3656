/* test-sim.c
 *
 * Contract tests of civic-sim: the built binary is started with
 * `--port 0 --data TMPDIR --seed 1 --now 2026-11-26T10:00:00Z`, and this
 * program speaks HTTP and WebSocket to it with its own libsoup + json-glib
 * code, holding every answer to the entity fields written down from the
 * Mastodon documentation (the files in fixtures/entity-fields).
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "civic-test-util.h"

#define NOW "2026-11-26T10:00:00Z"

typedef struct
{
  GSubprocess *process;
  char *dir;
  char *url;
  char *domain;
  GHashTable *tokens;    /* username → token */
} Sim;

typedef struct
{
  guint status;
  char *body;
  gsize length;
  SoupMessageHeaders *headers;
  JsonNode *json;        /* NULL unless the body parsed */
  GError *error;         /* transport error, if any */
} Resp;

static SoupSession *session;
static Sim *shared;

/* ------------------------------------------------------------------ */
/* The simulator process */

static Sim *
sim_start (const char * const *extra)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  const char *binary = g_getenv ("CIVIC_SIM");
  Sim *sim = g_new0 (Sim, 1);
  char *line;

  g_assert_nonnull (binary);
  sim->dir = civic_test_mkdtemp ();
  sim->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_ptr_array_add (argv, (gpointer) binary);
  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, (gpointer) "0");
  g_ptr_array_add (argv, (gpointer) "--data");
  g_ptr_array_add (argv, sim->dir);
  g_ptr_array_add (argv, (gpointer) "--seed");
  g_ptr_array_add (argv, (gpointer) "1");
  g_ptr_array_add (argv, (gpointer) "--now");
  g_ptr_array_add (argv, (gpointer) NOW);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);

  sim->process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                    &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));

  sim->url = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sim->url);
  g_assert_true (g_str_has_prefix (sim->url, "http://127.0.0.1:"));
  sim->domain = g_strdup (sim->url + strlen ("http://"));

  while (g_hash_table_size (sim->tokens) < 6 &&
         (line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error)) != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (line, " ", 3);

      g_assert_cmpstr (parts[0], ==, "token");
      g_assert_nonnull (parts[2]);
      g_hash_table_insert (sim->tokens, g_strdup (parts[1]), g_strdup (parts[2]));
      g_free (line);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (sim->tokens), ==, 6);
  return sim;
}

static void
sim_stop (Sim *sim)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (sim->process, SIGTERM);
  g_subprocess_wait (sim->process, NULL, &error);
  g_assert_no_error (error);
  /* A clean stop on SIGTERM exits 0. */
  g_assert_true (g_subprocess_get_if_exited (sim->process));
  g_assert_cmpint (g_subprocess_get_exit_status (sim->process), ==, 0);
  g_object_unref (sim->process);
  civic_test_rmdir (sim->dir);
  g_free (sim->dir);
  g_free (sim->url);
  g_free (sim->domain);
  g_hash_table_unref (sim->tokens);
  g_free (sim);
}

static const char *
token_of (Sim        *sim,
          const char *username)
{
  const char *token = g_hash_table_lookup (sim->tokens, username);

  g_assert_nonnull (token);
  return token;
}

/* ------------------------------------------------------------------ */
/* HTTP */

static void
resp_free (Resp *r)
{
  g_free (r->body);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_clear_pointer (&r->json, json_node_unref);
  g_clear_error (&r->error);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Resp, resp_free)

/* @extra: NULL-terminated name, value pairs of request headers. */
static Resp *
request (Sim                *sim,
         const char         *method,
         const char         *path,
         const char         *token,
         const char         *content_type,
         const char         *body,
         gssize              body_length,
         const char * const *extra)
{
  g_autofree char *uri = g_str_has_prefix (path, "http") ? g_strdup (path)
                                                         : g_strconcat (sim->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) bytes = NULL;
  Resp *r = g_new0 (Resp, 1);

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  for (guint i = 0; extra != NULL && extra[i] != NULL; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (msg), extra[i], extra[i + 1]);
  if (body != NULL)
    {
      g_autoptr(GBytes) payload = g_bytes_new (body, body_length < 0 ? strlen (body) : (gsize) body_length);

      soup_message_set_request_body_from_bytes (msg, content_type != NULL ? content_type
                                                       : "application/x-www-form-urlencoded", payload);
    }

  bytes = soup_session_send_and_read (session, msg, NULL, &r->error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (bytes != NULL)
    {
      gsize len = 0;
      const char *data = g_bytes_get_data (bytes, &len);
      g_autoptr(JsonParser) parser = json_parser_new ();

      r->body = g_strndup (data, len);
      r->length = len;
      if (len > 0 && json_parser_load_from_data (parser, r->body, len, NULL))
        r->json = json_node_ref (json_parser_get_root (parser));
    }
  return r;
}

/* A request on a new connection: libsoup re-sends an idempotent request
 * whose reused connection closed without an answer, which would hide a
 * reset from the test. */
static Resp *
request_fresh (Sim                *sim,
               const char         *method,
               const char         *path,
               const char         *token,
               const char         *form,
               const char * const *extra)
{
  SoupSession *saved = session;
  Resp *r;

  session = soup_session_new_with_options ("timeout", 20, NULL);
  r = request (sim, method, path, token, NULL, form, form != NULL ? -1 : 0, extra);
  g_object_unref (session);
  session = saved;
  return r;
}

static Resp *
get (Sim        *sim,
     const char *path,
     const char *token)
{
  return request (sim, "GET", path, token, NULL, NULL, 0, NULL);
}

static Resp *
post (Sim        *sim,
      const char *path,
      const char *token,
      const char *form)
{
  return request (sim, "POST", path, token, NULL, form != NULL ? form : "", -1, NULL);
}

static JsonObject *
obj (Resp *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->json));
  return json_node_get_object (r->json);
}

static JsonArray *
arr (Resp *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (r->json));
  return json_node_get_array (r->json);
}

static void
assert_error_body (Resp *r,
                   guint status)
{
  g_assert_cmpuint (r->status, ==, status);
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->json));
  g_assert_true (json_object_has_member (obj (r), "error"));
  g_assert_cmpstr (json_object_get_string_member (obj (r), "error"), !=, "");
}

/* ------------------------------------------------------------------ */
/* Entity fields, from the documentation */

static gboolean
matches (const char *pattern,
         const char *s)
{
  return g_regex_match_simple (pattern, s, 0, 0);
}

static JsonNode *
lookup_path (JsonObject *object,
             const char *path,
             gboolean   *present)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = NULL;

  *present = FALSE;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (object == NULL || !json_object_has_member (object, parts[i]))
        return NULL;
      node = json_object_get_member (object, parts[i]);
      object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  *present = TRUE;
  return node;
}

static gboolean
node_has_type (JsonNode   *node,
               const char *type)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if (g_str_equal (type, "object"))
    return JSON_NODE_HOLDS_OBJECT (node);
  if (g_str_equal (type, "array"))
    return JSON_NODE_HOLDS_ARRAY (node);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (g_str_equal (type, "string"))
    return json_node_get_value_type (node) == G_TYPE_STRING;
  if (g_str_equal (type, "int"))
    return json_node_get_value_type (node) == G_TYPE_INT64;
  if (g_str_equal (type, "number"))
    return json_node_get_value_type (node) == G_TYPE_INT64 ||
           json_node_get_value_type (node) == G_TYPE_DOUBLE;
  if (g_str_equal (type, "bool"))
    return json_node_get_value_type (node) == G_TYPE_BOOLEAN;
  if (g_str_equal (type, "datetime"))
    return json_node_get_value_type (node) == G_TYPE_STRING &&
           matches ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$", json_node_get_string (node));
  if (g_str_equal (type, "date"))
    return json_node_get_value_type (node) == G_TYPE_STRING &&
           matches ("^\\d{4}-\\d\\d-\\d\\d$", json_node_get_string (node));
  g_error ("unknown type %s in a fixture", type);
}

static void
assert_entity (JsonNode   *node,
               const char *entity)
{
  g_autofree char *file = g_strdup_printf ("entity-fields/%s.txt", entity);
  g_autofree char *text = civic_test_read_fixture (file, NULL);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  JsonObject *object;

  g_assert_nonnull (node);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    g_error ("%s is not a JSON object", entity);
  object = json_node_get_object (node);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;
      g_auto(GStrv) types = NULL;
      gboolean optional, present, ok = FALSE;
      JsonNode *value;

      if (*lines[i] == '\0' || *lines[i] == '#')
        continue;
      words = g_strsplit (lines[i], " ", 3);
      g_assert_nonnull (words[1]);
      optional = g_strcmp0 (words[2], "optional") == 0;
      value = lookup_path (object, words[0], &present);
      if (!present)
        {
          if (!optional)
            g_error ("%s: the documented attribute “%s” is missing", entity, words[0]);
          continue;
        }
      types = g_strsplit (words[1], "|", -1);
      for (guint t = 0; types[t] != NULL && !ok; t++)
        ok = g_str_equal (types[t], "null") ? JSON_NODE_HOLDS_NULL (value)
                                            : node_has_type (value, types[t]);
      if (!ok)
        {
          g_autofree char *shown = json_to_string (value, FALSE);

          g_error ("%s: attribute “%s” is %s, documented as %s", entity, words[0], shown, words[1]);
        }
    }
}

static void
assert_account (JsonNode *node)
{
  JsonArray *fields;

  assert_entity (node, "Account");
  fields = json_object_get_array_member (json_node_get_object (node), "fields");
  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      JsonObject *field = json_array_get_object_element (fields, i);

      g_assert_true (json_object_has_member (field, "name"));
      g_assert_true (json_object_has_member (field, "value"));
      g_assert_true (json_object_has_member (field, "verified_at"));
    }
}

static void
assert_status (JsonNode *node)
{
  JsonObject *status;
  JsonArray *list;

  assert_entity (node, "Status");
  status = json_node_get_object (node);
  assert_account (json_object_get_member (status, "account"));
  list = json_object_get_array_member (status, "mentions");
  for (guint i = 0; i < json_array_get_length (list); i++)
    assert_entity (json_array_get_element (list, i), "Mention");
  list = json_object_get_array_member (status, "tags");
  for (guint i = 0; i < json_array_get_length (list); i++)
    assert_entity (json_array_get_element (list, i), "Tag");
  list = json_object_get_array_member (status, "media_attachments");
  for (guint i = 0; i < json_array_get_length (list); i++)
    assert_entity (json_array_get_element (list, i), "MediaAttachment");
  g_assert_true (matches ("^<p>", json_object_get_string_member (status, "content")) ||
                 g_str_equal (json_object_get_string_member (status, "content"), ""));
  /* Snowflake ids: 18 digits. */
  g_assert_true (matches ("^\\d{18}$", json_object_get_string_member (status, "id")));
}

static void
assert_notification (JsonNode *node)
{
  JsonObject *n;
  g_autofree char *group = NULL;

  assert_entity (node, "Notification");
  n = json_node_get_object (node);
  assert_account (json_object_get_member (n, "account"));
  if (json_object_has_member (n, "status"))
    assert_status (json_object_get_member (n, "status"));
  group = g_strdup_printf ("ungrouped-%s", json_object_get_string_member (n, "id"));
  g_assert_cmpstr (json_object_get_string_member (n, "group_key"), ==, group);
}

/* ------------------------------------------------------------------ */
/* Headers */

static void
assert_rate_headers (Resp *r)
{
  const char *limit = soup_message_headers_get_one (r->headers, "X-RateLimit-Limit");
  const char *remaining = soup_message_headers_get_one (r->headers, "X-RateLimit-Remaining");
  const char *reset = soup_message_headers_get_one (r->headers, "X-RateLimit-Reset");

  g_assert_nonnull (limit);
  g_assert_nonnull (remaining);
  g_assert_nonnull (reset);
  g_assert_true (matches ("^\\d+$", limit));
  g_assert_true (matches ("^\\d+$", remaining));
  /* ISO 8601 with microseconds, as Mastodon writes it. */
  g_assert_true (matches ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$", reset));
}

/* Link: <URL?..max_id=..>; rel="next", <URL?..min_id=..>; rel="prev" */
static gboolean
parse_link (Resp  *r,
            char **next,
            char **prev)
{
  const char *link = soup_message_headers_get_one (r->headers, "Link");
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) info = NULL;

  *next = *prev = NULL;
  if (link == NULL)
    return FALSE;
  regex = g_regex_new ("<([^>]+)>; rel=\"(next|prev)\"", 0, 0, NULL);
  g_regex_match (regex, link, 0, &info);
  while (g_match_info_matches (info))
    {
      g_autofree char *url = g_match_info_fetch (info, 1);
      g_autofree char *rel = g_match_info_fetch (info, 2);

      if (g_str_equal (rel, "next"))
        *next = g_steal_pointer (&url);
      else
        *prev = g_steal_pointer (&url);
      g_match_info_next (info, NULL);
    }
  return *next != NULL && *prev != NULL;
}

static const char *
id_at (JsonArray *array,
       guint      i)
{
  return json_object_get_string_member (json_array_get_object_element (array, i), "id");
}

/* ------------------------------------------------------------------ */
/* Tests */

static void
test_instance (void)
{
  g_autoptr(Resp) v1 = get (shared, "/api/v1/instance", NULL);
  g_autoptr(Resp) v2 = get (shared, "/api/v2/instance/", NULL);
  g_autofree char *ws = g_strdup_printf ("ws://%s", shared->domain);
  JsonObject *config;

  g_assert_cmpuint (v1->status, ==, 200);
  assert_entity (v1->json, "V1_Instance");
  assert_rate_headers (v1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj (v1), "urls"),
                                                  "streaming_api"), ==, ws);
  g_assert_cmpstr (json_object_get_string_member (obj (v1), "uri"), ==, shared->domain);
  assert_account (json_object_get_member (obj (v1), "contact_account"));

  g_assert_cmpuint (v2->status, ==, 200);
  assert_entity (v2->json, "Instance");
  config = json_object_get_object_member (obj (v2), "configuration");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (config, "urls"),
                                                  "streaming"), ==, ws);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (config, "statuses"),
                                               "max_characters"), ==, 500);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (config, "statuses"),
                                               "characters_reserved_per_url"), ==, 23);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (config, "statuses"),
                                               "max_media_attachments"), ==, 4);
  g_assert_cmpstr (soup_message_headers_get_content_type (v2->headers, NULL), ==, "application/json");
}

static char *
pkce_challenge (const char *verifier)
{
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  char *b64;

  g_checksum_update (sum, (const guchar *) verifier, -1);
  g_checksum_get_digest (sum, digest, &len);
  b64 = g_base64_encode (digest, len);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  if (strchr (b64, '=') != NULL)
    *strchr (b64, '=') = '\0';
  return b64;
}

static char *
query_value (const char *url,
             const char *name)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GHashTable) params = NULL;

  g_assert_nonnull (uri);
  g_assert_nonnull (g_uri_get_query (uri));
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  return g_strdup (g_hash_table_lookup (params, name));
}

static void
test_oauth (void)
{
  g_autoptr(Resp) app = post (shared, "/api/v1/apps", NULL,
                              "client_name=Contract+test&redirect_uris=urn:ietf:wg:oauth:2.0:oob"
                              "&scopes=read+write&website=https%3A%2F%2Fexample.org");
  const char *client_id, *client_secret;
  const char *verifier = "a-verifier-that-is-long-enough-for-pkce-0123456789";
  g_autofree char *challenge = pkce_challenge (verifier);
  g_autofree char *authorize = NULL;
  g_autofree char *form = NULL;
  g_autofree char *code = NULL;
  g_autofree char *token = NULL;

  g_assert_cmpuint (app->status, ==, 200);
  assert_entity (app->json, "Application");
  client_id = json_object_get_string_member (obj (app), "client_id");
  client_secret = json_object_get_string_member (obj (app), "client_secret");

  /* The approve page. */
  authorize = g_strdup_printf ("/oauth/authorize?response_type=code&client_id=%s&redirect_uri="
                               "urn:ietf:wg:oauth:2.0:oob&scope=read+write&code_challenge=%s"
                               "&code_challenge_method=S256", client_id, challenge);
  {
    g_autoptr(Resp) page = get (shared, authorize, NULL);

    g_assert_cmpuint (page->status, ==, 200);
    g_assert_nonnull (strstr (page->body, "<form"));
  }
  /* PKCE with "plain" is refused, as Mastodon only takes S256. */
  {
    g_autofree char *plain = g_strdup_printf ("/oauth/authorize?response_type=code&client_id=%s"
                                              "&redirect_uri=urn:ietf:wg:oauth:2.0:oob&scope=read"
                                              "&code_challenge=%s&code_challenge_method=plain",
                                              client_id, challenge);
    g_autoptr(Resp) page = get (shared, plain, NULL);

    g_assert_cmpuint (page->status, ==, 400);
  }

  /* Approve: the server sends the browser to a page that shows the code. */
  form = g_strdup_printf ("response_type=code&client_id=%s&redirect_uri=urn:ietf:wg:oauth:2.0:oob"
                          "&scope=read+write&code_challenge=%s&code_challenge_method=S256"
                          "&username=salud%%40ayto-jun.example&password=jun", client_id, challenge);
  {
    g_autoptr(SoupMessage) msg = NULL;
    g_autofree char *uri = g_strconcat (shared->url, "/oauth/authorize", NULL);
    g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(GError) error = NULL;
    const char *location;

    msg = soup_message_new ("POST", uri);
    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
    soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
    answer = soup_session_send_and_read (session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
    location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
    g_assert_nonnull (location);
    code = query_value (location, "code");
    g_assert_nonnull (code);
    {
      g_autoptr(Resp) shown = get (shared, location, NULL);

      g_assert_cmpuint (shown->status, ==, 200);
      g_assert_nonnull (strstr (shown->body, code));
    }
  }

  /* A wrong verifier is an invalid grant. */
  {
    g_autofree char *wrong = g_strdup_printf ("grant_type=authorization_code&client_id=%s"
                                              "&client_secret=%s&redirect_uri=urn:ietf:wg:oauth:2.0:oob"
                                              "&code=%s&code_verifier=not-the-verifier-at-all-"
                                              "0123456789012345678", client_id, client_secret, code);
    g_autoptr(Resp) r = post (shared, "/oauth/token", NULL, wrong);

    assert_error_body (r, 400);
    g_assert_cmpstr (json_object_get_string_member (obj (r), "error"), ==, "invalid_grant");
  }
  {
    g_autofree char *right = g_strdup_printf ("grant_type=authorization_code&client_id=%s"
                                              "&client_secret=%s&redirect_uri=urn:ietf:wg:oauth:2.0:oob"
                                              "&code=%s&code_verifier=%s", client_id, client_secret,
                                              code, verifier);
    g_autoptr(Resp) r = post (shared, "/oauth/token", NULL, right);

    g_assert_cmpuint (r->status, ==, 200);
    assert_entity (r->json, "Token");
    g_assert_cmpstr (json_object_get_string_member (obj (r), "token_type"), ==, "Bearer");
    g_assert_cmpstr (json_object_get_string_member (obj (r), "scope"), ==, "read write");
    token = g_strdup (json_object_get_string_member (obj (r), "access_token"));
  }
  {
    g_autoptr(Resp) me = get (shared, "/api/v1/accounts/verify_credentials", token);

    g_assert_cmpuint (me->status, ==, 200);
    assert_account (me->json);
    assert_entity (me->json, "CredentialAccount");
    g_assert_cmpstr (json_object_get_string_member (obj (me), "username"), ==, "salud");
  }
  /* The code is used up. */
  {
    g_autofree char *again = g_strdup_printf ("grant_type=authorization_code&client_id=%s"
                                              "&client_secret=%s&redirect_uri=urn:ietf:wg:oauth:2.0:oob"
                                              "&code=%s&code_verifier=%s", client_id, client_secret,
                                              code, verifier);
    g_autoptr(Resp) r = post (shared, "/oauth/token", NULL, again);

    assert_error_body (r, 400);
  }

  /* The password grant (toot's login_cli), by user name; a wrong password. */
  {
    g_autofree char *pw = g_strdup_printf ("grant_type=password&client_id=%s&client_secret=%s"
                                           "&username=comedor&password=jun&scope=read", client_id,
                                           client_secret);
    g_autofree char *bad = g_strdup_printf ("grant_type=password&client_id=%s&client_secret=%s"
                                            "&username=comedor&password=nope&scope=read", client_id,
                                            client_secret);
    g_autoptr(Resp) ok = post (shared, "/oauth/token", NULL, pw);
    g_autoptr(Resp) ko = post (shared, "/oauth/token", NULL, bad);
    g_autoptr(Resp) me = NULL;
    g_autoptr(Resp) forbidden = NULL;
    const char *read_only;

    g_assert_cmpuint (ok->status, ==, 200);
    assert_error_body (ko, 400);
    read_only = json_object_get_string_member (obj (ok), "access_token");
    me = get (shared, "/api/v1/accounts/verify_credentials", read_only);
    g_assert_cmpstr (json_object_get_string_member (obj (me), "username"), ==, "comedor");
    /* Missing scope: 403. */
    forbidden = post (shared, "/api/v1/statuses", read_only, "status=hola");
    assert_error_body (forbidden, 403);
    g_assert_cmpstr (json_object_get_string_member (obj (forbidden), "error"), ==,
                     "This action is outside the authorized scopes");
  }

  /* Revoke: the token stops working. */
  {
    g_autofree char *revoke = g_strdup_printf ("client_id=%s&client_secret=%s&token=%s", client_id,
                                               client_secret, token);
    g_autoptr(Resp) r = post (shared, "/oauth/revoke", NULL, revoke);
    g_autoptr(Resp) after = get (shared, "/api/v1/accounts/verify_credentials", token);

    g_assert_cmpuint (r->status, ==, 200);
    assert_error_body (after, 401);
  }
}

static void
test_errors (void)
{
  g_autoptr(Resp) unknown = get (shared, "/api/v1/no/such/endpoint", token_of (shared, "policia"));
  g_autoptr(Resp) bad_token = get (shared, "/api/v1/notifications", "not-a-token");
  g_autoptr(Resp) no_token = get (shared, "/api/v1/notifications", NULL);
  g_autoptr(Resp) bad_limit = get (shared, "/api/v1/notifications?limit=many", token_of (shared, "policia"));
  g_autoptr(Resp) bad_id = get (shared, "/api/v1/notifications?max_id=abc", token_of (shared, "policia"));
  g_autoptr(Resp) bad_visibility = post (shared, "/api/v1/statuses", token_of (shared, "policia"),
                                         "status=hola&visibility=everyone");
  g_autoptr(Resp) blank = post (shared, "/api/v1/statuses", token_of (shared, "policia"), "status=+");
  g_autoptr(Resp) no_parent = post (shared, "/api/v1/statuses", token_of (shared, "policia"),
                                    "status=hola&in_reply_to_id=1");
  g_autoptr(GString) long_text = g_string_new ("status=");

  assert_error_body (unknown, 404);
  assert_entity (unknown->json, "Error");
  assert_error_body (bad_token, 401);
  assert_error_body (no_token, 401);
  assert_error_body (bad_limit, 422);
  assert_error_body (bad_id, 422);
  assert_error_body (bad_visibility, 422);
  assert_error_body (blank, 422);
  assert_error_body (no_parent, 404);
  assert_rate_headers (unknown);

  /* 501 characters are one too many; a URL counts as 23. */
  for (int i = 0; i < 501; i++)
    g_string_append_c (long_text, 'a');
  {
    g_autoptr(Resp) r = post (shared, "/api/v1/statuses", token_of (shared, "policia"), long_text->str);

    assert_error_body (r, 422);
  }
  g_string_truncate (long_text, strlen ("status="));
  for (int i = 0; i < 470; i++)
    g_string_append_c (long_text, 'a');
  g_string_append (long_text, "+https%3A%2F%2Fwww.openstreetmap.org%2F%3Fmlat%3D37.2203%26mlon%3D-3.5951"
                              "%23map%3D19%2F37.2203%2F-3.5951");
  {
    g_autoptr(Resp) r = post (shared, "/api/v1/statuses", token_of (shared, "policia"), long_text->str);

    g_assert_cmpuint (r->status, ==, 200);
  }
}

/* Walks all pages of @path with @limit, older and then newer, and checks
 * every item comes exactly once. Returns the number of items. */
static guint
walk_pages (const char *path,
            const char *token,
            guint       limit)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *first = g_strdup_printf ("%s%slimit=%u", path, strchr (path, '?') ? "&" : "?", limit);
  g_autofree char *url = g_strdup (first);
  g_autofree char *oldest_prev = NULL;
  guint pages = 0;

  /* Backwards in time: follow rel="next" until an empty page. */
  for (;;)
    {
      g_autoptr(Resp) r = get (shared, url, token);
      g_autofree char *next = NULL;
      g_autofree char *prev = NULL;
      JsonArray *items;

      g_assert_cmpuint (r->status, ==, 200);
      items = arr (r);
      g_assert_cmpuint (json_array_get_length (items), <=, limit);
      if (json_array_get_length (items) == 0)
        {
          g_assert_null (soup_message_headers_get_one (r->headers, "Link"));
          break;
        }
      g_assert_true (parse_link (r, &next, &prev));
      g_assert_true (g_str_has_prefix (next, shared->url));
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          const char *id = id_at (items, i);

          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, g_strdup (id));
          g_ptr_array_add (order, g_strdup (id));
          /* Newest first. */
          if (i > 0)
            g_assert_cmpint (g_ascii_strtoll (id, NULL, 10), <,
                             g_ascii_strtoll (id_at (items, i - 1), NULL, 10));
        }
      /* next carries max_id = the last item, prev min_id = the first. */
      {
        g_autofree char *max_id = query_value (next, "max_id");
        g_autofree char *min_id = query_value (prev, "min_id");
        g_autofree char *lim = query_value (next, "limit");

        g_assert_cmpstr (max_id, ==, id_at (items, json_array_get_length (items) - 1));
        g_assert_cmpstr (min_id, ==, id_at (items, 0));
        g_assert_cmpuint (g_ascii_strtoull (lim, NULL, 10), ==, limit);
      }
      g_free (oldest_prev);
      oldest_prev = g_strdup (prev);
      g_free (url);
      url = g_steal_pointer (&next);
      pages++;
      g_assert_cmpuint (pages, <, 10000);
    }

  /* Forwards from the oldest page: rel="prev" (min_id) gives each page
   * immediately newer, still newest first, until nothing is newer. */
  if (order->len > 0)
    {
      g_autoptr(GHashTable) again = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autofree char *oldest = g_strdup_printf ("%s%slimit=%u&max_id=%s", path,
                                                 strchr (path, '?') ? "&" : "?", limit,
                                                 (char *) g_ptr_array_index (order, order->len - 1));
      guint forward = 1;

      g_hash_table_add (again, g_strdup (g_ptr_array_index (order, order->len - 1)));
      g_free (url);
      {
        /* The page whose min_id is the oldest item's id starts the walk. */
        g_autofree char *min = g_strdup_printf ("%s%slimit=%u&min_id=%s", path,
                                                strchr (path, '?') ? "&" : "?", limit,
                                                (char *) g_ptr_array_index (order, order->len - 1));

        url = g_steal_pointer (&min);
      }
      for (;;)
        {
          g_autoptr(Resp) r = get (shared, url, token);
          g_autofree char *next = NULL;
          g_autofree char *prev = NULL;
          JsonArray *items = arr (r);
          guint n = json_array_get_length (items);

          if (n == 0)
            break;
          g_assert_true (parse_link (r, &next, &prev));
          for (guint i = 0; i < n; i++)
            {
              const char *id = id_at (items, i);

              g_assert_true (g_hash_table_contains (seen, id));
              g_assert_false (g_hash_table_contains (again, id));
              g_hash_table_add (again, g_strdup (id));
              if (i > 0)
                g_assert_cmpint (g_ascii_strtoll (id, NULL, 10), <,
                                 g_ascii_strtoll (id_at (items, i - 1), NULL, 10));
            }
          g_free (url);
          url = g_steal_pointer (&prev);
          forward++;
          g_assert_cmpuint (forward, <, 10000);
        }
      g_assert_cmpuint (g_hash_table_size (again), ==, order->len);
    }

  return order->len;
}

static void
test_pagination (void)
{
  const char *token = token_of (shared, "tecnicos");
  g_autoptr(Resp) first = get (shared, "/api/v1/notifications", token);
  g_autoptr(Resp) big = get (shared, "/api/v1/notifications?limit=500", token);
  guint total;

  /* Default 40, at most 80. */
  g_assert_cmpuint (json_array_get_length (arr (first)), ==, 40);
  g_assert_cmpuint (json_array_get_length (arr (big)), ==, 80);
  for (guint i = 0; i < json_array_get_length (arr (first)); i++)
    assert_notification (json_array_get_element (arr (first), i));
  assert_rate_headers (first);

  total = walk_pages ("/api/v1/notifications?types[]=mention", token, 80);
  g_assert_cmpuint (total, >, 200);
  g_assert_cmpuint (walk_pages ("/api/v1/notifications?types[]=mention", token, 7), ==, total);
  g_assert_cmpuint (walk_pages ("/api/v1/notifications", token, 33), ==, total);
  /* Nothing but mentions here: excluding them leaves nothing. */
  g_assert_cmpuint (walk_pages ("/api/v1/notifications?exclude_types[]=mention", token, 40), ==, 0);
  g_assert_cmpuint (walk_pages ("/api/v1/timelines/home", token, 40), >, 0);

  /* The Link header in Mastodon's form, parameters sorted by name. */
  {
    g_autoptr(Resp) r = get (shared, "/api/v1/notifications?types%5B%5D=mention&limit=2", token);
    JsonArray *items = arr (r);
    g_autofree char *expected = g_strdup_printf ("<%s/api/v1/notifications?limit=2&max_id=%s&types%%5B%%5D=mention>; rel=\"next\", "
                                                 "<%s/api/v1/notifications?limit=2&min_id=%s&types%%5B%%5D=mention>; rel=\"prev\"",
                                                 shared->url, id_at (items, 1), shared->url, id_at (items, 0));

    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Link"), ==, expected);
  }

  /* since_id gives the newest page above it; min_id the page right after. */
  {
    g_autoptr(Resp) all = get (shared, "/api/v1/notifications?limit=80", token);
    JsonArray *items = arr (all);
    const char *pivot = id_at (items, 50);
    g_autofree char *since = g_strdup_printf ("/api/v1/notifications?limit=5&since_id=%s", pivot);
    g_autofree char *min = g_strdup_printf ("/api/v1/notifications?limit=5&min_id=%s", pivot);
    g_autoptr(Resp) s = get (shared, since, token);
    g_autoptr(Resp) m = get (shared, min, token);

    g_assert_cmpstr (id_at (arr (s), 0), ==, id_at (items, 0));
    g_assert_cmpstr (id_at (arr (s), 4), ==, id_at (items, 4));
    g_assert_cmpstr (id_at (arr (m), 0), ==, id_at (items, 45));
    g_assert_cmpstr (id_at (arr (m), 4), ==, id_at (items, 49));
  }
}

static JsonNode *
first_mention (const char *username,
               gboolean    with_media)
{
  g_autoptr(Resp) r = get (shared, "/api/v1/notifications?limit=80&types[]=mention",
                           token_of (shared, username));
  JsonArray *items = arr (r);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *status = json_object_get_object_member (json_array_get_object_element (items, i), "status");

      if (!with_media || json_array_get_length (json_object_get_array_member (status, "media_attachments")) > 0)
        return json_node_copy (json_object_get_member (json_array_get_object_element (items, i), "status"));
    }
  return NULL;
}

static void
test_statuses (void)
{
  const char *token = token_of (shared, "limpieza");
  g_autoptr(JsonNode) mention = first_mention ("limpieza", TRUE);
  JsonObject *m;
  g_autofree char *form = NULL;
  g_autofree char *reply_id = NULL;
  const char *author;

  g_assert_nonnull (mention);
  assert_status (mention);
  m = json_node_get_object (mention);
  author = json_object_get_string_member (json_object_get_object_member (m, "account"), "acct");

  form = g_strdup_printf ("status=%%40%s+Gracias%%2C+ma%%C3%%B1ana+pasa+el+cami%%C3%%B3n.+%%23Jun"
                          "&in_reply_to_id=%s&visibility=public&language=es", author,
                          json_object_get_string_member (m, "id"));
  {
    g_autoptr(Resp) r = post (shared, "/api/v1/statuses", token, form);
    JsonObject *s;
    g_autofree char *mention_html = NULL;

    g_assert_cmpuint (r->status, ==, 200);
    assert_status (r->json);
    assert_rate_headers (r);
    s = obj (r);
    reply_id = g_strdup (json_object_get_string_member (s, "id"));
    g_assert_cmpstr (json_object_get_string_member (s, "in_reply_to_id"), ==,
                     json_object_get_string_member (m, "id"));
    g_assert_cmpstr (json_object_get_string_member (s, "visibility"), ==, "public");
    g_assert_cmpstr (json_object_get_string_member (s, "language"), ==, "es");
    /* Mastodon's HTML for a mention and a hashtag. */
    mention_html = g_strdup_printf ("<p><span class=\"h-card\" translate=\"no\"><a href=\"%s/@%s\" "
                                    "class=\"u-url mention\">@<span>%s</span></a></span> Gracias, "
                                    "mañana pasa el camión. <a href=\"%s/tags/jun\" class=\"mention "
                                    "hashtag\" rel=\"tag\">#<span>Jun</span></a></p>",
                                    shared->url, author, author, shared->url);
    g_assert_cmpstr (json_object_get_string_member (s, "content"), ==, mention_html);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "mentions")), ==, 1);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "tags")), ==, 1);
    /* The status is one's own and public: it says whether it is pinned. */
    g_assert_true (json_object_has_member (s, "pinned"));
  }

  /* GET it back, and find it in the thread. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/statuses/%s", reply_id);
    g_autofree char *context = g_strdup_printf ("/api/v1/statuses/%s/context",
                                                json_object_get_string_member (m, "id"));
    g_autoptr(Resp) r = get (shared, path, token);
    g_autoptr(Resp) c = get (shared, context, token);
    JsonArray *descendants;
    gboolean found = FALSE;

    g_assert_cmpuint (r->status, ==, 200);
    assert_status (r->json);
    g_assert_cmpuint (c->status, ==, 200);
    assert_entity (c->json, "Context");
    descendants = json_object_get_array_member (obj (c), "descendants");
    for (guint i = 0; i < json_array_get_length (descendants); i++)
      {
        assert_status (json_array_get_element (descendants, i));
        found |= g_str_equal (id_at (descendants, i), reply_id);
      }
    g_assert_true (found);
  }

  /* A direct message with a content warning is sensitive and not pinnable. */
  {
    g_autofree char *dm = g_strdup_printf ("status=%%40%s+Le+llamamos.&visibility=direct"
                                           "&spoiler_text=Datos+personales", author);
    g_autoptr(Resp) r = post (shared, "/api/v1/statuses", token, dm);
    g_autofree char *path = NULL;

    g_assert_cmpuint (r->status, ==, 200);
    assert_status (r->json);
    g_assert_cmpstr (json_object_get_string_member (obj (r), "visibility"), ==, "direct");
    g_assert_true (json_object_get_boolean_member (obj (r), "sensitive"));
    g_assert_false (json_object_has_member (obj (r), "pinned"));
    /* Nobody else sees it. */
    path = g_strdup_printf ("/api/v1/statuses/%s", json_object_get_string_member (obj (r), "id"));
    {
      g_autoptr(Resp) other = get (shared, path, token_of (shared, "alcaldia"));
      g_autoptr(Resp) anonymous = get (shared, path, NULL);

      assert_error_body (other, 404);
      assert_error_body (anonymous, 404);
    }
    /* Deleting answers with the source text instead of the HTML. */
    {
      g_autoptr(Resp) deleted = request (shared, "DELETE", path, token, NULL, NULL, 0, NULL);
      g_autoptr(Resp) after = get (shared, path, token);

      g_assert_cmpuint (deleted->status, ==, 200);
      g_assert_false (json_object_has_member (obj (deleted), "content"));
      g_assert_true (g_str_has_suffix (json_object_get_string_member (obj (deleted), "text"), "Le llamamos."));
      assert_error_body (after, 404);
    }
  }

  /* Several statuses at once (GET /api/v1/statuses?id[]=...), and the home
   * timeline: one's own statuses and the departments'. */
  {
    g_autofree char *several = g_strdup_printf ("/api/v1/statuses?id[]=%s&id[]=%s", reply_id,
                                                json_object_get_string_member (m, "id"));
    g_autoptr(Resp) r = get (shared, several, token);
    g_autoptr(Resp) home = get (shared, "/api/v1/timelines/home?limit=5", token);
    g_autofree char *next = NULL;
    g_autofree char *prev = NULL;

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (arr (r)), ==, 2);
    for (guint i = 0; i < 2; i++)
      assert_status (json_array_get_element (arr (r), i));
    g_assert_cmpuint (home->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (arr (home)), ==, 5);
    for (guint i = 0; i < 5; i++)
      assert_status (json_array_get_element (arr (home), i));
    g_assert_true (parse_link (home, &next, &prev));
    g_assert_true (g_str_has_prefix (next, shared->url));
  }

  /* JSON bodies work as well as forms (toot posts JSON). */
  {
    const char *json = "{\"status\":\"Aviso: corte de agua ma\\u00f1ana.\",\"visibility\":\"unlisted\"}";
    g_autoptr(Resp) r = request (shared, "POST", "/api/v1/statuses", token, "application/json",
                                 json, -1, NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (obj (r), "content"), ==,
                     "<p>Aviso: corte de agua mañana.</p>");
    g_assert_cmpstr (json_object_get_string_member (obj (r), "visibility"), ==, "unlisted");
  }
}

static gint64
stats_member (const char *member,
              const char *key)
{
  g_autoptr(Resp) r = get (shared, "/_sim/stats", NULL);

  if (key != NULL)
    {
      JsonObject *by = json_object_get_object_member (obj (r), member);

      return json_object_has_member (by, key) ? json_object_get_int_member (by, key) : 0;
    }
  return json_object_get_int_member (obj (r), member);
}

static void
test_idempotency (void)
{
  const char *token = token_of (shared, "alcaldia");
  const char * const key1[] = { "Idempotency-Key", "contract-key-1", NULL };
  const char * const key2[] = { "Idempotency-Key", "contract-key-2", NULL };
  g_autoptr(Resp) a = request (shared, "POST", "/api/v1/statuses", token, NULL,
                               "status=Respuesta+del+alcalde", -1, key1);
  g_autoptr(Resp) b = request (shared, "POST", "/api/v1/statuses", token, NULL,
                               "status=Respuesta+del+alcalde", -1, key1);
  g_autoptr(Resp) c = request (shared, "POST", "/api/v1/statuses", token, NULL,
                               "status=Respuesta+del+alcalde", -1, key2);
  g_autoptr(Resp) listed = get (shared, "/_sim/statuses?account=alcaldia", NULL);
  guint with_key1 = 0;

  g_assert_cmpuint (a->status, ==, 200);
  g_assert_cmpuint (b->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj (a), "id"), ==,
                   json_object_get_string_member (obj (b), "id"));
  g_assert_cmpstr (json_object_get_string_member (obj (a), "id"), !=,
                   json_object_get_string_member (obj (c), "id"));
  g_assert_cmpint (stats_member ("posts_by_key", "contract-key-1"), ==, 1);
  g_assert_cmpint (stats_member ("posts_by_key", "contract-key-2"), ==, 1);
  for (guint i = 0; i < json_array_get_length (arr (listed)); i++)
    {
      JsonObject *s = json_array_get_object_element (arr (listed), i);

      if (g_strcmp0 (json_object_get_string_member (s, "idempotency_key"), "contract-key-1") == 0)
        {
          with_key1++;
          g_assert_cmpstr (json_object_get_string_member (s, "text"), ==, "Respuesta del alcalde");
          g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (s, "media_ids")));
        }
    }
  g_assert_cmpuint (with_key1, ==, 1);
}

static GBytes *
png_of_size (gsize minimum)
{
  /* A valid PNG header followed by padding: the server only reads its size. */
  static const guchar head[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0, 0, 0x02, 0x80, 0, 0, 0x01, 0xe0, 8, 2, 0, 0, 0,
  };
  GByteArray *bytes = g_byte_array_new ();

  g_byte_array_append (bytes, head, sizeof head);
  while (bytes->len < minimum)
    {
      guchar zero[4096] = { 0 };

      g_byte_array_append (bytes, zero, MIN (sizeof zero, minimum - bytes->len));
    }
  return g_byte_array_free_to_bytes (bytes);
}

static Resp *
upload (const char *token,
        GBytes     *png)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new ("multipart/form-data");
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *uri = g_strconcat (shared->url, "/api/v2/media", NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  g_autoptr(GBytes) answer = NULL;
  Resp *r = g_new0 (Resp, 1);

  soup_multipart_append_form_file (multipart, "file", "farola.png", "image/png", png);
  soup_multipart_append_form_string (multipart, "description", "Farola apagada");
  soup_multipart_append_form_string (multipart, "focus", "0.5,-0.25");
  msg = soup_message_new_from_multipart (uri, multipart);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  answer = soup_session_send_and_read (session, msg, NULL, &r->error);
  g_assert_no_error (r->error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    gsize len = 0;
    const char *data = g_bytes_get_data (answer, &len);

    r->body = g_strndup (data, len);
    g_assert_true (json_parser_load_from_data (parser, r->body, len, NULL));
    r->json = json_node_ref (json_parser_get_root (parser));
  }
  return r;
}

typedef struct
{
  const char *path;
  const char *token;
  guint status;
} MediaPoll;

static gboolean
media_ready (gpointer user_data)
{
  MediaPoll *poll = user_data;
  g_autoptr(Resp) r = get (shared, poll->path, poll->token);

  poll->status = r->status;
  if (r->status == 206)
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (obj (r), "url")));
  return r->status == 200;
}

static void
test_media (void)
{
  const char *token = token_of (shared, "tecnicos");
  g_autoptr(GBytes) small = png_of_size (1000);
  g_autoptr(GBytes) large = png_of_size (600 * 1024);
  g_autoptr(Resp) a = upload (token, small);
  g_autoptr(Resp) b = upload (token, large);
  g_autofree char *path = NULL;
  g_autofree char *form = NULL;
  MediaPoll poll = { 0 };

  /* Small files are processed at once; big ones answer 202 first. */
  g_assert_cmpuint (a->status, ==, 200);
  assert_entity (a->json, "MediaAttachment");
  g_assert_cmpstr (json_object_get_string_member (obj (a), "type"), ==, "image");
  g_assert_cmpstr (json_object_get_string_member (obj (a), "description"), ==, "Farola apagada");
  g_assert_nonnull (json_object_get_string_member (obj (a), "url"));
  {
    JsonObject *meta = json_object_get_object_member (obj (a), "meta");

    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (meta, "original"),
                                                 "width"), ==, 640);
    g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (meta, "focus"),
                                                      "x"), ==, 0.5);
  }
  {
    g_autoptr(Resp) file = get (shared, json_object_get_string_member (obj (a), "url"), NULL);

    g_assert_cmpuint (file->status, ==, 200);
    g_assert_cmpuint (file->length, ==, g_bytes_get_size (small));
  }

  g_assert_cmpuint (b->status, ==, 202);
  assert_entity (b->json, "MediaAttachment");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (obj (b), "url")));

  /* Attaching it before it is processed is refused. */
  form = g_strdup_printf ("status=Foto&media_ids[]=%s", json_object_get_string_member (obj (b), "id"));
  {
    g_autoptr(Resp) early = post (shared, "/api/v1/statuses", token, form);

    /* It may have finished already on a slow machine; then it is attached. */
    if (early->status != 200)
      assert_error_body (early, 422);
  }

  path = g_strdup_printf ("/api/v1/media/%s", json_object_get_string_member (obj (b), "id"));
  poll.path = path;
  poll.token = token;
  g_assert_true (civic_test_spin_until (media_ready, &poll, 10000));
  g_assert_cmpuint (poll.status, ==, 200);

  {
    g_autofree char *both = g_strdup_printf ("status=Dos+fotos&media_ids[]=%s",
                                             json_object_get_string_member (obj (a), "id"));
    g_autoptr(Resp) r = post (shared, "/api/v1/statuses", token, both);

    g_assert_cmpuint (r->status, ==, 200);
    assert_status (r->json);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (r), "media_attachments")),
                      ==, 1);
  }

  /* The seeded photos are real PNGs, drawn. */
  {
    g_autoptr(JsonNode) status = first_mention ("tecnicos", TRUE);
    JsonArray *media = json_object_get_array_member (json_node_get_object (status), "media_attachments");
    JsonObject *first = json_array_get_object_element (media, 0);
    g_autoptr(Resp) file = get (shared, json_object_get_string_member (first, "url"), NULL);

    g_assert_cmpuint (file->status, ==, 200);
    g_assert_cmpuint (file->length, >, 8);
    g_assert_cmpint (memcmp (file->body, "\x89PNG", 4), ==, 0);
    g_assert_nonnull (json_object_get_string_member (first, "blurhash"));
  }
}

static void
test_markers (void)
{
  const char *token = token_of (shared, "comedor");
  g_autoptr(Resp) empty = get (shared, "/api/v1/markers?timeline[]=notifications", token);
  g_autoptr(Resp) one = post (shared, "/api/v1/markers", token, "notifications[last_read_id]=100");
  g_autoptr(Resp) two = request (shared, "POST", "/api/v1/markers", token, "application/json",
                                 "{\"notifications\":{\"last_read_id\":\"120\"}}", -1, NULL);
  g_autoptr(Resp) stale = post (shared, "/api/v1/markers", token,
                                "notifications[last_read_id]=130&notifications[version]=1");
  g_autoptr(Resp) fresh = post (shared, "/api/v1/markers", token,
                                "notifications[last_read_id]=130&notifications[version]=2");
  g_autoptr(Resp) read = get (shared, "/api/v1/markers?timeline[]=notifications&timeline[]=home", token);
  JsonObject *marker;

  g_assert_cmpuint (empty->status, ==, 200);
  g_assert_cmpuint (json_object_get_size (obj (empty)), ==, 0);
  g_assert_cmpuint (one->status, ==, 200);
  assert_entity (json_object_get_member (obj (one), "notifications"), "Marker");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (obj (one), "notifications"),
                                               "version"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (obj (two), "notifications"),
                                               "version"), ==, 2);
  /* A write that names an old version is stale: 409. */
  assert_error_body (stale, 409);
  g_assert_cmpuint (fresh->status, ==, 200);
  marker = json_object_get_object_member (obj (read), "notifications");
  assert_entity (json_object_get_member (obj (read), "notifications"), "Marker");
  g_assert_cmpstr (json_object_get_string_member (marker, "last_read_id"), ==, "130");
  g_assert_cmpint (json_object_get_int_member (marker, "version"), ==, 3);
  g_assert_false (json_object_has_member (obj (read), "home"));

  /* Unread notifications are those above the marker (at most 100). */
  {
    g_autoptr(Resp) newest = get (shared, "/api/v1/notifications?limit=3", token);
    g_autofree char *form = g_strdup_printf ("notifications[last_read_id]=%s", id_at (arr (newest), 2));
    g_autoptr(Resp) moved = post (shared, "/api/v1/markers", token, form);
    g_autoptr(Resp) unread = get (shared, "/api/v1/notifications/unread_count", token);

    g_assert_cmpuint (moved->status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (obj (unread), "count"), ==, 2);
  }
}

static void
test_dismiss_and_policy (void)
{
  const char *token = token_of (shared, "salud");
  g_autoptr(Resp) list = get (shared, "/api/v1/notifications?limit=1", token);
  g_autofree char *id = g_strdup (id_at (arr (list), 0));
  g_autofree char *one = g_strdup_printf ("/api/v1/notifications/%s", id);
  g_autofree char *dismiss = g_strdup_printf ("/api/v1/notifications/%s/dismiss", id);
  g_autoptr(Resp) shown = get (shared, one, token);
  g_autoptr(Resp) done = post (shared, dismiss, token, NULL);
  g_autoptr(Resp) gone = get (shared, one, token);
  g_autoptr(Resp) policy = get (shared, "/api/v2/notifications/policy", token);

  g_assert_cmpuint (shown->status, ==, 200);
  assert_notification (shown->json);
  g_assert_cmpuint (done->status, ==, 200);
  g_assert_cmpuint (json_object_get_size (obj (done)), ==, 0);
  assert_error_body (gone, 404);

  g_assert_cmpuint (policy->status, ==, 200);
  assert_entity (policy->json, "NotificationPolicy");
  /* The health centre takes private mentions from anyone. */
  g_assert_cmpstr (json_object_get_string_member (obj (policy), "for_private_mentions"), ==, "accept");

  /* With Mastodon 4.3's default, direct mentions from strangers are filtered:
   * not listed, unless include_filtered=true, and counted in the summary. */
  {
    g_autoptr(Resp) patched = request (shared, "PATCH", "/api/v2/notifications/policy", token, NULL,
                                       "for_private_mentions=filter", -1, NULL);
    g_autoptr(Resp) created = post (shared, "/_sim/mention", NULL,
                                    "to=salud&visibility=direct&text=Cita+para+el+lunes%2C+por+favor");
    const char *nid = json_array_get_string_element (json_object_get_array_member (obj (created),
                                                                                    "notification_ids"), 0);
    g_autoptr(Resp) plain = get (shared, "/api/v1/notifications?limit=5", token);
    g_autoptr(Resp) filtered = get (shared, "/api/v1/notifications?limit=5&include_filtered=true", token);
    g_autoptr(Resp) summary = get (shared, "/api/v2/notifications/policy", token);
    g_autoptr(Resp) back = request (shared, "PATCH", "/api/v2/notifications/policy", token, NULL,
                                    "for_private_mentions=accept", -1, NULL);
    g_autoptr(Resp) invalid = request (shared, "PATCH", "/api/v2/notifications/policy", token, NULL,
                                       "for_bots=maybe", -1, NULL);

    g_assert_cmpuint (patched->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (obj (patched), "for_private_mentions"), ==, "filter");
    g_assert_cmpstr (id_at (arr (plain), 0), !=, nid);
    g_assert_cmpstr (id_at (arr (filtered), 0), ==, nid);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (obj (summary), "summary"),
                                                 "pending_notifications_count"), >=, 1);
    g_assert_cmpuint (back->status, ==, 200);
    assert_error_body (invalid, 422);
  }
}

static void
test_rate_limits (void)
{
  const char * const args[] = { "--citizens", "10", "--mentions", "20", "--rate-limit", "5/600",
                                "--status-limit", "2/600", NULL };
  Sim *sim = sim_start (args);
  const char *token = token_of (sim, "policia");
  guint ok = 0;

  for (int i = 0; i < 6; i++)
    {
      g_autoptr(Resp) r = get (sim, "/api/v1/accounts/verify_credentials", token);

      assert_rate_headers (r);
      if (r->status == 200)
        {
          ok++;
          g_assert_cmpint (g_ascii_strtoll (soup_message_headers_get_one (r->headers, "X-RateLimit-Remaining"),
                                            NULL, 10), ==, 5 - ok);
        }
      else
        {
          assert_error_body (r, 429);
          g_assert_cmpstr (soup_message_headers_get_one (r->headers, "X-RateLimit-Remaining"), ==, "0");
          g_assert_nonnull (soup_message_headers_get_one (r->headers, "Retry-After"));
        }
    }
  g_assert_cmpuint (ok, ==, 5);

  /* Statuses have their own budget per account (another token, same account). */
  {
    g_autoptr(Resp) app = post (sim, "/api/v1/apps", NULL,
                                "client_name=x&redirect_uris=urn:ietf:wg:oauth:2.0:oob&scopes=read+write");
    g_autofree char *form = g_strdup_printf ("grant_type=password&client_id=%s&client_secret=%s"
                                             "&username=limpieza&password=jun&scope=read+write",
                                             json_object_get_string_member (obj (app), "client_id"),
                                             json_object_get_string_member (obj (app), "client_secret"));
    g_autoptr(Resp) tok = post (sim, "/oauth/token", NULL, form);
    const char *t = json_object_get_string_member (obj (tok), "access_token");
    g_autoptr(Resp) s1 = post (sim, "/api/v1/statuses", t, "status=uno");
    g_autoptr(Resp) s2 = post (sim, "/api/v1/statuses", t, "status=dos");
    g_autoptr(Resp) s3 = post (sim, "/api/v1/statuses", t, "status=tres");

    g_assert_cmpuint (s1->status, ==, 200);
    g_assert_cmpuint (s2->status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (s2->headers, "X-RateLimit-Limit"), ==, "2");
    assert_error_body (s3, 429);
  }
  sim_stop (sim);
}

/* ------------------------------------------------------------------ */
/* Streaming */

typedef struct
{
  SoupWebsocketConnection *conn;
  GError *error;
  GPtrArray *frames;     /* char * */
  gboolean closed;
} WsClient;

static void
ws_message_cb (SoupWebsocketConnection *conn,
               gint                     type,
               GBytes                  *message,
               gpointer                 user_data)
{
  WsClient *ws = user_data;
  gsize len = 0;
  const char *data = g_bytes_get_data (message, &len);

  g_ptr_array_add (ws->frames, g_strndup (data, len));
}

static void
ws_closed_cb (SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  ((WsClient *) user_data)->closed = TRUE;
}

static void
ws_connected_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WsClient *ws = user_data;

  ws->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &ws->error);
  if (ws->conn != NULL)
    {
      g_signal_connect (ws->conn, "message", G_CALLBACK (ws_message_cb), ws);
      g_signal_connect (ws->conn, "closed", G_CALLBACK (ws_closed_cb), ws);
    }
}

static gboolean
ws_settled (gpointer user_data)
{
  WsClient *ws = user_data;

  return ws->conn != NULL || ws->error != NULL;
}

static gboolean
ws_has_frame (gpointer user_data)
{
  return ((WsClient *) user_data)->frames->len > 0;
}

static gboolean
ws_is_closed (gpointer user_data)
{
  return ((WsClient *) user_data)->closed;
}

static WsClient *
ws_connect (Sim        *sim,
            const char *stream,
            const char *token)
{
  WsClient *ws = g_new0 (WsClient, 1);
  g_autofree char *uri = stream != NULL
                           ? g_strdup_printf ("ws://%s/api/v1/streaming?stream=%s", sim->domain, stream)
                           : g_strdup_printf ("ws://%s/api/v1/streaming", sim->domain);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

  ws->frames = g_ptr_array_new_with_free_func (g_free);
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        ws_connected_cb, ws);
  g_assert_true (civic_test_spin_until (ws_settled, ws, 10000));
  return ws;
}

static void
ws_free (WsClient *ws)
{
  if (ws->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (ws->conn, ws);
      if (soup_websocket_connection_get_state (ws->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (ws->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (ws->conn);
    }
  g_clear_error (&ws->error);
  g_ptr_array_unref (ws->frames);
  g_free (ws);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsClient, ws_free)

static void
test_streaming (void)
{
  g_autoptr(WsClient) ws = ws_connect (shared, "user:notification", token_of (shared, "policia"));
  g_autoptr(WsClient) user = ws_connect (shared, "user", token_of (shared, "alcaldia"));
  g_autoptr(WsClient) refused = ws_connect (shared, "user:notification", "bad-token");
  g_autoptr(JsonParser) outer = json_parser_new ();
  g_autoptr(JsonParser) inner = json_parser_new ();
  g_autoptr(Resp) created = NULL;
  JsonObject *frame;
  JsonArray *stream;

  g_assert_no_error (ws->error);
  g_assert_no_error (user->error);
  g_assert_nonnull (refused->error);

  created = post (shared, "/_sim/mention", NULL,
                  "to=policia&from=vecina_prueba&text=Coche+en+doble+fila&lat=37.2203&lon=-3.5951");
  g_assert_cmpuint (created->status, ==, 200);
  g_assert_true (civic_test_spin_until (ws_has_frame, ws, 10000));

  /* {"stream":["user:notification"],"event":"notification","payload":"<JSON text>"} */
  g_assert_true (json_parser_load_from_data (outer, g_ptr_array_index (ws->frames, 0), -1, NULL));
  frame = json_node_get_object (json_parser_get_root (outer));
  stream = json_object_get_array_member (frame, "stream");
  g_assert_cmpuint (json_array_get_length (stream), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (stream, 0), ==, "user:notification");
  g_assert_cmpstr (json_object_get_string_member (frame, "event"), ==, "notification");
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (frame, "payload")));
  g_assert_true (json_parser_load_from_data (inner, json_object_get_string_member (frame, "payload"),
                                             -1, NULL));
  assert_notification (json_parser_get_root (inner));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (inner)), "id"),
                   ==, json_array_get_string_element (json_object_get_array_member (obj (created),
                                                                                   "notification_ids"), 0));

  /* A department's status reaches the other departments' home (user). */
  {
    g_autoptr(Resp) r = post (shared, "/api/v1/statuses", token_of (shared, "limpieza"),
                              "status=Hoy+pasa+la+recogida+de+enseres.");
    g_autoptr(JsonParser) p = json_parser_new ();
    JsonObject *f;

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_true (civic_test_spin_until (ws_has_frame, user, 10000));
    g_assert_true (json_parser_load_from_data (p, g_ptr_array_index (user->frames, 0), -1, NULL));
    f = json_node_get_object (json_parser_get_root (p));
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (f, "stream"), 0), ==, "user");
    g_assert_cmpstr (json_object_get_string_member (f, "event"), ==, "update");
  }

  /* No stream in the URL: the client subscribes by message. */
  {
    g_autoptr(WsClient) later = ws_connect (shared, NULL, token_of (shared, "comedor"));
    g_autoptr(Resp) r = NULL;
    g_autoptr(JsonParser) p = json_parser_new ();
    JsonObject *f;

    g_assert_no_error (later->error);
    soup_websocket_connection_send_text (later->conn,
                                         "{\"type\":\"subscribe\",\"stream\":\"user:notification\"}");
    /* The frame leaves with the first iterations; a round trip through the
     * server's loop then lets it read the subscription before the mention. */
    while (g_main_context_iteration (NULL, FALSE))
      ;
    {
      g_autoptr(Resp) round_trip = get (shared, "/_sim/stats", NULL);

      g_assert_cmpuint (round_trip->status, ==, 200);
    }
    r = post (shared, "/_sim/mention", NULL, "to=comedor&text=%C2%BFHay+men%C3%BA+sin+gluten%3F");
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_true (civic_test_spin_until (ws_has_frame, later, 10000));
    g_assert_true (json_parser_load_from_data (p, g_ptr_array_index (later->frames, 0), -1, NULL));
    f = json_node_get_object (json_parser_get_root (p));
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (f, "stream"), 0), ==,
                     "user:notification");
  }

  /* Dropped without a close frame: the client sees the end of the stream. */
  {
    g_autoptr(Resp) dropped = post (shared, "/_sim/drop-streams", NULL, NULL);

    g_assert_cmpint (json_object_get_int_member (obj (dropped), "dropped"), >=, 2);
    g_assert_true (civic_test_spin_until (ws_is_closed, ws, 10000));
    g_assert_cmpuint (soup_websocket_connection_get_close_code (ws->conn), !=, SOUP_WEBSOCKET_CLOSE_NORMAL);
  }
}

/* ------------------------------------------------------------------ */
/* Faults and quirks */

static void
put_text (const char *path,
          const char *text)
{
  g_autoptr(Resp) r = request (shared, "PUT", path, NULL, "text/plain", text, -1, NULL);

  g_assert_cmpuint (r->status, ==, 200);
}

static void
test_faults (void)
{
  const char *token = token_of (shared, "policia");
  gint64 before;

  {
    g_autoptr(Resp) bad = request (shared, "PUT", "/_sim/faults", NULL, "text/plain",
                                   "notifications=teapot", -1, NULL);

    assert_error_body (bad, 422);
  }

  put_text ("/_sim/faults", "notifications=500,502,503,429,ok,malformed,truncate,reset");
  {
    g_autoptr(Resp) a = get (shared, "/api/v1/notifications?limit=1", token);
    g_autoptr(Resp) b = get (shared, "/api/v1/notifications?limit=1", token);
    g_autoptr(Resp) c = get (shared, "/api/v1/notifications?limit=1", token);
    g_autoptr(Resp) d = get (shared, "/api/v1/notifications?limit=1", token);
    g_autoptr(Resp) e = get (shared, "/api/v1/notifications?limit=1", token);
    g_autoptr(Resp) f = get (shared, "/api/v1/notifications?limit=1", token);
    g_autoptr(Resp) g = get (shared, "/api/v1/notifications?limit=1", token);
    g_autoptr(Resp) h = request_fresh (shared, "GET", "/api/v1/notifications?limit=1", token, NULL, NULL);
    g_autoptr(Resp) i = get (shared, "/api/v1/notifications?limit=1", token);

    assert_error_body (a, 500);
    g_assert_cmpuint (b->status, ==, 502);
    g_assert_cmpuint (c->status, ==, 503);
    assert_error_body (d, 429);
    g_assert_nonnull (soup_message_headers_get_one (d->headers, "Retry-After"));
    assert_rate_headers (d);
    g_assert_cmpuint (e->status, ==, 200);
    g_assert_cmpuint (f->status, ==, 200);
    g_assert_null (f->json);
    /* The body stops half way through what Content-Length promised. */
    g_assert_true (g->error != NULL ||
                   g->length < (gsize) soup_message_headers_get_content_length (g->headers));
    g_assert_cmpuint (soup_message_headers_get_content_length (g->headers), >, 0);
    /* A reset: no answer at all. */
    g_assert_nonnull (h->error);
    /* Then ok forever. */
    g_assert_cmpuint (i->status, ==, 200);
  }

  /* The post went through but the answer was lost. */
  put_text ("/_sim/faults", "post=500-after,reset-after");
  before = stats_member ("statuses", NULL);
  {
    const char * const key[] = { "Idempotency-Key", "lost-answer", NULL };
    g_autoptr(Resp) a = request (shared, "POST", "/api/v1/statuses", token, NULL, "status=Uno", -1, key);
    g_autoptr(Resp) b = request_fresh (shared, "POST", "/api/v1/statuses", token, "status=Uno", key);
    g_autoptr(Resp) c = request (shared, "POST", "/api/v1/statuses", token, NULL, "status=Uno", -1, key);

    assert_error_body (a, 500);
    g_assert_nonnull (b->error);
    g_assert_cmpuint (c->status, ==, 200);
    g_assert_cmpint (stats_member ("statuses", NULL), ==, before + 1);
    g_assert_cmpint (stats_member ("posts_by_key", "lost-answer"), ==, 1);
  }

  /* Random rules, from the seeded RNG: about the asked share. */
  put_text ("/_sim/faults", "instance=503:0.5");
  {
    guint failed = 0;

    for (int i = 0; i < 60; i++)
      {
        g_autoptr(Resp) r = get (shared, "/api/v1/instance", NULL);

        failed += r->status == 503;
      }
    g_assert_cmpuint (failed, >, 10);
    g_assert_cmpuint (failed, <, 50);
  }

  /* hang: no answer at all, the client's timeout ends it. */
  put_text ("/_sim/faults", "instance=hang");
  {
    g_autoptr(SoupSession) impatient = soup_session_new_with_options ("timeout", 1, NULL);
    g_autofree char *uri = g_strconcat (shared->url, "/api/v1/instance", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) body = soup_session_send_and_read (impatient, msg, NULL, &error);

    g_assert_null (body);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  }

  put_text ("/_sim/faults", "streaming=drop");
  {
    g_autoptr(WsClient) ws = ws_connect (shared, "user:notification", token);
    g_autoptr(Resp) created = post (shared, "/_sim/mention", NULL, "to=policia");

    g_assert_no_error (ws->error);
    g_assert_true (civic_test_spin_until (ws_is_closed, ws, 10000));
    g_assert_cmpuint (ws->frames->len, <=, 1);
  }

  {
    g_autoptr(Resp) cleared = request (shared, "DELETE", "/_sim/faults", NULL, NULL, NULL, 0, NULL);
    g_autoptr(Resp) shown = get (shared, "/_sim/faults", NULL);

    g_assert_cmpuint (cleared->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (obj (shown), "spec"), ==, "");
  }
}

static void
test_quirks (void)
{
  const char *token = token_of (shared, "alcaldia");

  put_text ("/_sim/quirks", "no-v2-instance,no-link-header,small-default-limit,numeric-ids,"
                            "acct-with-domain,close-connections,no-streaming");
  {
    g_autoptr(Resp) v2 = get (shared, "/api/v2/instance", NULL);
    g_autoptr(Resp) v1 = get (shared, "/api/v1/instance", NULL);
    g_autoptr(Resp) list = get (shared, "/api/v1/notifications", token);
    g_autoptr(WsClient) ws = ws_connect (shared, "user", token);
    JsonObject *first;
    g_autofree char *acct = NULL;

    assert_error_body (v2, 404);
    g_assert_false (json_object_has_member (json_object_get_object_member (obj (v1), "urls"), "streaming_api"));
    g_assert_cmpuint (json_array_get_length (arr (list)), ==, 5);
    g_assert_null (soup_message_headers_get_one (list->headers, "Link"));
    g_assert_cmpstr (soup_message_headers_get_one (list->headers, "Connection"), ==, "close");
    first = json_array_get_object_element (arr (list), 0);
    g_assert_cmpuint (json_node_get_value_type (json_object_get_member (first, "id")), ==, G_TYPE_INT64);
    acct = g_strdup_printf ("%s@%s",
                            json_object_get_string_member (json_object_get_object_member (first, "account"),
                                                           "username"), shared->domain);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "account"), "acct"),
                     ==, acct);
    g_assert_nonnull (ws->error);
  }

  put_text ("/_sim/quirks", "ignore-idempotency,ignore-since-id");
  {
    const char * const key[] = { "Idempotency-Key", "ignored", NULL };
    g_autoptr(Resp) a = request (shared, "POST", "/api/v1/statuses", token, NULL, "status=A", -1, key);
    g_autoptr(Resp) b = request (shared, "POST", "/api/v1/statuses", token, NULL, "status=A", -1, key);
    g_autoptr(Resp) all = get (shared, "/api/v1/notifications?limit=3", token);
    g_autofree char *since = g_strdup_printf ("/api/v1/notifications?limit=3&since_id=%s", id_at (arr (all), 0));
    g_autoptr(Resp) s = get (shared, since, token);

    g_assert_cmpstr (json_object_get_string_member (obj (a), "id"), !=,
                     json_object_get_string_member (obj (b), "id"));
    /* The server ignores since_id: the same page comes back. */
    g_assert_cmpuint (json_array_get_length (arr (s)), ==, 3);
  }

  {
    g_autoptr(Resp) bad = request (shared, "PUT", "/_sim/quirks", NULL, "text/plain", "telepathy", -1, NULL);
    g_autoptr(Resp) cleared = request (shared, "PUT", "/_sim/quirks", NULL, "text/plain", "", -1, NULL);

    assert_error_body (bad, 422);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (cleared), "quirks")), ==, 0);
  }
}

static void
test_control (void)
{
  g_autoptr(Resp) many = post (shared, "/_sim/mentions", NULL, "count=500&to=comedor");
  g_autoptr(Resp) stats = get (shared, "/_sim/stats", NULL);
  g_autoptr(Resp) revoke_missing = post (shared, "/_sim/revoke", NULL, "token=nope");
  g_autoptr(Resp) newest = get (shared, "/api/v1/notifications?limit=1", token_of (shared, "comedor"));
  JsonObject *s;

  g_assert_cmpuint (many->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (obj (many), "created"), ==, 500);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (arr (newest), 0),
                                                  "type"), ==, "mention");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (arr (newest), 0),
                                                                                 "status"), "id"),
                   ==, json_object_get_string_member (obj (many), "last_status_id"));
  s = obj (stats);
  for (guint i = 0; i < 5; i++)
    {
      const char *members[] = { "statuses", "mentions", "notifications", "requests", "streams_open" };

      g_assert_true (json_object_has_member (s, members[i]));
    }
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (s, "posts_by_key")));
  g_assert_cmpuint (revoke_missing->status, ==, 404);
}

static void
test_restart_keeps_state (void)
{
  const char * const args[] = { "--citizens", "5", "--mentions", "10", NULL };
  Sim *sim = sim_start (args);
  g_autofree char *dir = g_strdup (sim->dir);
  g_autofree char *token = g_strdup (token_of (sim, "policia"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(GSubprocess) again = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *url = NULL;
  g_autofree char *line = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_UNIX_MODE, G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_MODE) & 0777, ==, 0700);
  {
    g_autoptr(Resp) r = post (sim, "/api/v1/statuses", token, "status=Antes+de+reiniciar");

    g_assert_cmpuint (r->status, ==, 200);
  }
  /* Stop without removing the directory, then start on it again. */
  g_subprocess_send_signal (sim->process, SIGTERM);
  g_subprocess_wait_check (sim->process, NULL, &error);
  g_assert_no_error (error);

  again = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, g_getenv ("CIVIC_SIM"), "--port", "0",
                            "--data", dir, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (again));
  url = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  /* The same token is printed and still valid. */
  g_assert_nonnull (strstr (line, token));
  g_free (sim->url);
  sim->url = g_steal_pointer (&url);
  {
    g_autoptr(Resp) me = get (sim, "/_sim/statuses?account=policia", NULL);

    g_assert_cmpuint (json_array_get_length (arr (me)), ==, 1);
  }
  {
    g_autoptr(Resp) r = get (sim, "/api/v1/accounts/verify_credentials", token);

    g_assert_cmpuint (r->status, ==, 200);
  }
  g_object_unref (sim->process);
  sim->process = g_object_ref (again);
  sim_stop (sim);
}

/* ------------------------------------------------------------------ */
/* Determinism */

static char *
normalized (Sim        *sim,
            const char *path,
            const char *user)
{
  g_autoptr(Resp) r = get (sim, path, user != NULL ? token_of (sim, user) : NULL);
  g_autoptr(GString) body = NULL;

  g_assert_cmpuint (r->status, ==, 200);
  body = g_string_new (r->body);
  /* Only the port differs between two runs. */
  g_string_replace (body, sim->domain, "HOST", 0);
  return g_string_free (g_steal_pointer (&body), FALSE);
}

static void
test_determinism (void)
{
  const char * const no_args[] = { NULL };
  const char * const other_seed[] = { "--seed", "2", NULL };
  Sim *a = NULL;
  Sim *b = sim_start (no_args);
  Sim *c = NULL;
  static const char * const users[] = { "policia", "limpieza", "tecnicos", "comedor", "salud", "alcaldia" };
  g_autoptr(Resp) page = NULL;
  g_autofree char *deep = NULL;
  g_autofree char *context = NULL;
  guint compared = 0;

  /* The shared sim has had writes: compare a fresh pair instead. */
  a = sim_start (no_args);

  for (guint u = 0; u < G_N_ELEMENTS (users); u++)
    {
      const char *paths[] = {
        "/api/v1/notifications?limit=80",
        "/api/v1/timelines/home",
        "/api/v1/accounts/verify_credentials",
        "/api/v2/notifications/policy",
        NULL
      };

      for (guint p = 0; paths[p] != NULL; p++)
        {
          g_autofree char *x = normalized (a, paths[p], users[u]);
          g_autofree char *y = normalized (b, paths[p], users[u]);

          g_assert_cmpstr (x, ==, y);
          compared++;
        }
    }
  {
    g_autofree char *x = normalized (a, "/api/v1/instance", NULL);
    g_autofree char *y = normalized (b, "/api/v1/instance", NULL);
    g_autofree char *x2 = normalized (a, "/api/v2/instance", NULL);
    g_autofree char *y2 = normalized (b, "/api/v2/instance", NULL);

    g_assert_cmpstr (x, ==, y);
    g_assert_cmpstr (x2, ==, y2);
  }

  /* An older page, a thread and a picture. */
  page = get (a, "/api/v1/notifications?limit=80&max_id=1500", token_of (a, "tecnicos"));
  deep = g_strdup_printf ("/api/v1/statuses/%s/context",
                          json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (arr (page), 0),
                                                                                        "status"), "id"));
  context = g_strdup (deep);
  {
    g_autofree char *x = normalized (a, "/api/v1/notifications?limit=80&max_id=1500", "tecnicos");
    g_autofree char *y = normalized (b, "/api/v1/notifications?limit=80&max_id=1500", "tecnicos");
    g_autofree char *x2 = normalized (a, context, "tecnicos");
    g_autofree char *y2 = normalized (b, context, "tecnicos");

    g_assert_cmpstr (x, ==, y);
    g_assert_cmpstr (x2, ==, y2);
  }
  {
    g_autoptr(JsonNode) status = NULL;
    g_autoptr(Resp) list = get (a, "/api/v1/notifications?limit=80", token_of (a, "limpieza"));
    JsonArray *items = arr (list);

    for (guint i = 0; i < json_array_get_length (items) && status == NULL; i++)
      {
        JsonObject *s = json_object_get_object_member (json_array_get_object_element (items, i), "status");

        if (json_array_get_length (json_object_get_array_member (s, "media_attachments")) > 0)
          status = json_node_copy (json_object_get_member (json_array_get_object_element (items, i), "status"));
      }
    g_assert_nonnull (status);
    {
      const char *url = json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (json_node_get_object (status),
                                                                                                                         "media_attachments"), 0), "url");
      g_autofree char *path = g_strdup (strstr (url, "/system/"));
      g_autoptr(Resp) x = get (a, path, NULL);
      g_autoptr(Resp) y = get (b, path, NULL);

      g_assert_cmpuint (x->status, ==, 200);
      g_assert_cmpuint (x->length, ==, y->length);
      g_assert_cmpint (memcmp (x->body, y->body, x->length), ==, 0);
    }
  }
  g_assert_cmpuint (compared, ==, 24);

  /* Another seed is another town. */
  c = sim_start (other_seed);
  {
    g_autofree char *x = normalized (a, "/api/v1/notifications?limit=80", "policia");
    g_autofree char *z = normalized (c, "/api/v1/notifications?limit=80", "policia");

    g_assert_cmpstr (x, !=, z);
  }
  sim_stop (c);
  sim_stop (a);
  sim_stop (b);
}

int
main (int   argc,
      char *argv[])
{
  /* Page walks make thousands of requests; the budget has its own test. */
  const char * const generous[] = { "--rate-limit", "1000000/300", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  session = soup_session_new_with_options ("timeout", 20, "idle-timeout", 20, NULL);
  shared = sim_start (generous);

  g_test_add_func ("/sim/instance", test_instance);
  g_test_add_func ("/sim/oauth", test_oauth);
  g_test_add_func ("/sim/errors", test_errors);
  g_test_add_func ("/sim/pagination", test_pagination);
  g_test_add_func ("/sim/statuses", test_statuses);
  g_test_add_func ("/sim/idempotency", test_idempotency);
  g_test_add_func ("/sim/media", test_media);
  g_test_add_func ("/sim/markers", test_markers);
  g_test_add_func ("/sim/dismiss-and-policy", test_dismiss_and_policy);
  g_test_add_func ("/sim/streaming", test_streaming);
  g_test_add_func ("/sim/faults", test_faults);
  g_test_add_func ("/sim/quirks", test_quirks);
  g_test_add_func ("/sim/control", test_control);
  g_test_add_func ("/sim/rate-limits", test_rate_limits);
  g_test_add_func ("/sim/restart-keeps-state", test_restart_keeps_state);
  g_test_add_func ("/sim/determinism", test_determinism);

  status = g_test_run ();

  sim_stop (shared);
  g_object_unref (session);
  return status;
}
