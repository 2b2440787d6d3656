/* test-entities.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <json-glib/json-glib.h>

#include "civic-entity-error.h"
#include "civic-instance.h"
#include "civic-notification.h"
#include "civic-status.h"
#include "civic-stream.h"
#include "civic-test-util.h"
#include "civic-thread.h"

static JsonNode *
fixture_node (const char *relpath)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  JsonNode *node;

  data = civic_test_read_fixture (relpath, &length);
  node = json_from_string (data, &error);
  g_assert_no_error (error);

  return node;
}

static char *
body_of (JsonObject *interaction)
{
  JsonObject *response = json_object_get_object_member (interaction, "response");

  return json_to_string (json_object_get_member (response, "body"), FALSE);
}

/* Every body recorded from a real Mastodon server parses with the parser
 * meant for its endpoint, and the values come out as recorded. */
static void
test_recorded_fixtures (void)
{
  static const char *files[] = {
    "instance-v1.json", "instance-v2.json", "markers.json", "media-post.json",
    "notifications-dismiss.json", "notifications-mentions.json", "notifications-policy.json",
    "notifications.json", "paging-link-header.json", "paging-min-max-id.json",
    "status-context.json", "status-post-direct-cw.json", "status-post-public.json",
    "verify-credentials.json",
  };
  guint n_notifications = 0, n_statuses = 0, n_instances = 0, n_media = 0, n_contexts = 0;

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *relpath = g_build_filename ("mastodon-recorded", files[f], NULL);
      g_autoptr(JsonNode) root = fixture_node (relpath);
      JsonArray *interactions = json_object_get_array_member (json_node_get_object (root), "interactions");

      for (guint i = 0; i < json_array_get_length (interactions); i++)
        {
          JsonObject *interaction = json_array_get_object_element (interactions, i);
          JsonObject *request = json_object_get_object_member (interaction, "request");
          const char *method = json_object_get_string_member (request, "method");
          const char *uri = json_object_get_string_member (request, "uri");
          g_autofree char *body = body_of (interaction);
          g_autoptr(GError) error = NULL;

          if (g_str_equal (method, "GET") && strstr (uri, "/api/v1/notifications") != NULL &&
              strstr (uri, "unread_count") == NULL)
            {
              if (body[0] == '[')
                {
                  g_autoptr(GPtrArray) list = civic_notification_list_new_from_data (body, -1, &error);

                  g_assert_no_error (error);
                  g_assert_nonnull (list);
                  for (guint k = 0; k < list->len; k++)
                    {
                      CivicNotification *n = g_ptr_array_index (list, k);

                      g_assert_nonnull (n->id);
                      g_assert_cmpint (n->created_at_ms, >, 1700000000000);
                      if (g_str_equal (n->type, "mention"))
                        g_assert_nonnull (n->status);
                    }
                  n_notifications += list->len;
                }
              else
                {
                  g_autoptr(CivicNotification) n = civic_notification_new_from_data (body, -1, &error);

                  g_assert_no_error (error);
                  g_assert_nonnull (n);
                  n_notifications++;
                }
            }
          else if ((g_str_equal (method, "POST") || g_str_equal (method, "DELETE")) &&
                   g_str_has_suffix (uri, "/api/v1/statuses") )
            {
              g_autoptr(CivicStatus) s = civic_status_new_from_data (body, -1, &error);

              g_assert_no_error (error);
              g_assert_nonnull (s->account);
              n_statuses++;
            }
          else if (strstr (uri, "/api/v2/instance") != NULL || strstr (uri, "/api/v1/instance") != NULL)
            {
              guint version = strstr (uri, "/api/v2/") != NULL ? 2 : 1;
              g_autoptr(CivicInstance) instance = civic_instance_new_from_data (body, -1, version, &error);

              g_assert_no_error (error);
              g_assert_cmpint (instance->max_characters, ==, 500);
              g_assert_cmpint (instance->characters_reserved_per_url, ==, 23);
              g_assert_cmpint (instance->max_media_attachments, ==, 4);
              g_assert_cmpstr (instance->streaming_url, ==, "ws://localhost:4000");
              n_instances++;
            }
          else if (strstr (uri, "/media") != NULL)
            {
              g_autoptr(CivicMediaAttachment) media = civic_media_attachment_new_from_data (body, -1, &error);

              g_assert_no_error (error);
              g_assert_true (g_strv_contains ((const char *[]) { "image", "video", "gifv", "audio", NULL }, media->type));
              n_media++;
            }
          else if (g_str_has_suffix (uri, "/context"))
            {
              g_autoptr(CivicStatusContext) context = civic_status_context_new_from_data (body, -1, &error);

              g_assert_no_error (error);
              g_assert_nonnull (context->ancestors);
              n_contexts++;
            }
          else if (g_str_equal (method, "GET") && strstr (uri, "/statuses") != NULL)
            {
              g_autoptr(JsonNode) node = json_from_string (body, NULL);
              g_autoptr(GPtrArray) list = civic_status_list_from_json_array (json_node_get_array (node),
                                                                            "Timeline", &error);

              g_assert_no_error (error);
              n_statuses += list->len;
            }
        }
    }

  g_assert_cmpuint (n_notifications, >=, 5);
  g_assert_cmpuint (n_statuses, >=, 10);
  g_assert_cmpuint (n_instances, ==, 2);
  g_assert_cmpuint (n_media, >=, 1);
  g_assert_cmpuint (n_contexts, ==, 1);
}

static void
test_recorded_mention_values (void)
{
  g_autoptr(JsonNode) root = fixture_node ("mastodon-recorded/notifications-mentions.json");
  JsonArray *interactions = json_object_get_array_member (json_node_get_object (root), "interactions");
  g_autofree char *body = body_of (json_array_get_object_element (interactions, 1));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = civic_notification_list_new_from_data (body, -1, &error);
  CivicNotification *n;

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, >=, 1);
  n = g_ptr_array_index (list, 0);
  g_assert_cmpstr (n->id, ==, "21");
  g_assert_cmpstr (n->type, ==, "mention");
  g_assert_cmpstr (n->group_key, ==, "ungrouped-21");
  g_assert_cmpstr (n->status->id, ==, "117020577157693549");
  g_assert_cmpstr (n->status->account->acct, ==, "admin");
  g_assert_cmpuint (n->status->mentions->len, ==, 1);
  /* 2026-08-01T13:51:43.458Z */
  g_assert_cmpint (n->created_at_ms, ==, G_GINT64_CONSTANT (1785592303458));
}

static void
test_own_mention (void)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicNotification) n = NULL;
  CivicMediaAttachment *media;
  CivicStatusMention *mention;

  data = civic_test_read_fixture ("entities/notification-mention-es.json", NULL);
  n = civic_notification_new_from_data (data, -1, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (n->type, ==, "mention");
  g_assert_cmpstr (n->account->display_name, ==, "María Pérez");
  g_assert_cmpstr (n->status->language, ==, "es");
  g_assert_cmpint (n->status->visibility, ==, CIVIC_VISIBILITY_PUBLIC);
  g_assert_cmpstr (n->status->in_reply_to_id, ==, NULL);
  g_assert_cmpint (n->status->edited_at_ms, ==, 0);
  g_assert_true (strstr (n->status->content, "Calle Real") != NULL);

  g_assert_cmpuint (n->status->media->len, ==, 1);
  media = g_ptr_array_index (n->status->media, 0);
  g_assert_cmpstr (media->id, ==, "22345792");
  g_assert_cmpint (media->width, ==, 1280);
  g_assert_cmpint (media->height, ==, 960);
  g_assert_cmpstr (media->description, ==, "Bolsas de basura junto a un contenedor");

  mention = g_ptr_array_index (n->status->mentions, 0);
  g_assert_cmpstr (mention->acct, ==, "limpieza");
  g_assert_cmpuint (n->status->tags->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (n->status->tags, 0), ==, "basura");
}

static void
test_nulls_and_missing (void)
{
  g_autofree char *data = civic_test_read_fixture ("entities/status-minimal-nulls.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStatus) s = civic_status_new_from_data (data, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (s->content, ==, "");
  g_assert_cmpstr (s->spoiler_text, ==, "");
  g_assert_cmpstr (s->visibility_name, ==, "public");
  g_assert_null (s->language);
  g_assert_null (s->url);
  g_assert_cmpuint (s->media->len, ==, 0);
  g_assert_cmpuint (s->mentions->len, ==, 0);
  /* A remote account without username: derived from acct. */
  g_assert_cmpstr (s->account->acct, ==, "vecino@otro.example");
  g_assert_cmpstr (s->account->username, ==, "vecino");
  g_assert_cmpstr (s->account->display_name, ==, "");
  g_assert_cmpint (s->created_at_ms, ==, G_GINT64_CONSTANT (1795168800000));
}

static void
test_extra_fields_and_integer_ids (void)
{
  g_autofree char *data = civic_test_read_fixture ("entities/status-extra-fields.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStatus) s = civic_status_new_from_data (data, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (s->id, ==, "113522871004599999");
  /* An integer id (some servers) becomes the same string a string id would. */
  g_assert_cmpstr (s->account->id, ==, "9001");
  /* Akkoma's "local" maps to unlisted, never to public. */
  g_assert_cmpint (s->visibility, ==, CIVIC_VISIBILITY_UNLISTED);
  /* +01:00 offset: 09:00 UTC. */
  g_assert_cmpint (s->created_at_ms, ==, G_GINT64_CONSTANT (1795165200000));
}

typedef struct
{
  const char *json;
  CivicEntityError code;
  const char *field;   /* must appear in the message */
} BadCase;

static void
test_wrong_types (void)
{
  static const BadCase cases[] = {
    { "{\"id\": \"1\", \"type\": \"mention\", \"created_at\": \"2026-01-01T00:00:00Z\","
      " \"status\": {\"id\": \"2\", \"content\": 42, \"account\": {\"id\": \"3\", \"acct\": \"a\"}}}",
      CIVIC_ENTITY_ERROR_TYPE, "Notification.status.content" },
    { "{\"id\": \"1\", \"type\": \"mention\", \"status\": {\"id\": \"2\", \"account\": \"nobody\"}}",
      CIVIC_ENTITY_ERROR_TYPE, "Notification.status.account" },
    { "{\"id\": \"1\", \"type\": \"mention\", \"status\": {\"id\": \"2\","
      " \"account\": {\"id\": \"3\", \"acct\": [\"a\"]}}}",
      CIVIC_ENTITY_ERROR_TYPE, "Notification.status.account.acct" },
    { "{\"id\": true, \"type\": \"mention\"}", CIVIC_ENTITY_ERROR_TYPE, "Notification.id" },
    { "{\"id\": \"1\", \"type\": \"mention\"}", CIVIC_ENTITY_ERROR_MISSING, "Notification.status" },
    { "{\"type\": \"mention\"}", CIVIC_ENTITY_ERROR_MISSING, "Notification.id" },
    { "{\"id\": \"1\", \"type\": \"mention\", \"created_at\": \"yesterday\"}",
      CIVIC_ENTITY_ERROR_VALUE, "Notification.created_at" },
    { "{\"id\": \"1\", \"type\": \"mention\", \"status\": {\"id\": \"2\","
      " \"account\": {\"id\": \"3\", \"acct\": \"a\"}, \"media_attachments\": [7]}}",
      CIVIC_ENTITY_ERROR_TYPE, "Notification.status.media_attachments[0]" },
    { "{\"id\": \"1\", \"type\": \"mention\", \"status\": {\"id\": \"2\","
      " \"account\": {\"id\": \"3\", \"acct\": \"a\"}, \"mentions\": {}}}",
      CIVIC_ENTITY_ERROR_TYPE, "Notification.status.mentions" },
    { "{\"id\": \"1\", \"type\": \"mention\", \"status\": {\"id\": \"2\","
      " \"account\": {\"id\": \"3\", \"acct\": \"a\"}, \"sensitive\": \"yes\"}}",
      CIVIC_ENTITY_ERROR_TYPE, "Notification.status.sensitive" },
    { "{\"id\": \"\", \"type\": \"mention\"}", CIVIC_ENTITY_ERROR_VALUE, "Notification.id" },
    { "[1, 2]", CIVIC_ENTITY_ERROR_TYPE, "Notification" },
    { "{\"id\": \"1\", \"type\": \"mention\", \"status\": {\"id\": \"2\", \"acco", CIVIC_ENTITY_ERROR_SYNTAX, "malformed" },
    { "", CIVIC_ENTITY_ERROR_SYNTAX, "" },
    { "{\"id\": \"1\",, }", CIVIC_ENTITY_ERROR_SYNTAX, "malformed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CivicNotification) n = civic_notification_new_from_data (cases[i].json, -1, &error);

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_null (n);
      g_assert_error (error, CIVIC_ENTITY_ERROR, (int) cases[i].code);
      g_assert_true (strstr (error->message, cases[i].field) != NULL);
    }
}

static void
test_context (void)
{
  static const BadCase cases[] = {
    { "{\"ancestors\": []}", CIVIC_ENTITY_ERROR_MISSING, "Context.descendants" },
    { "{\"descendants\": [], \"ancestors\": null}", CIVIC_ENTITY_ERROR_MISSING, "Context.ancestors" },
    { "{\"error\": \"Record not found\"}", CIVIC_ENTITY_ERROR_MISSING, "Context.ancestors" },
    { "{\"ancestors\": [], \"descendants\": {}}", CIVIC_ENTITY_ERROR_TYPE, "Context.descendants" },
    { "{\"ancestors\": \"none\", \"descendants\": []}", CIVIC_ENTITY_ERROR_TYPE, "Context.ancestors" },
    { "{\"ancestors\": [], \"descendants\": [\"3\"]}", CIVIC_ENTITY_ERROR_TYPE, "Context.descendants[0]" },
    { "{\"ancestors\": [{\"id\": \"1\"}], \"descendants\": []}",
      CIVIC_ENTITY_ERROR_MISSING, "Context.ancestors[0].account" },
    { "{\"ancestors\": [], \"descendants\": [{\"id\": \"2\", \"account\": {\"id\": \"3\", \"acct\": \"a\"}},"
      " {\"id\": \"4\", \"content\": 5, \"account\": {\"id\": \"3\", \"acct\": \"a\"}}]}",
      CIVIC_ENTITY_ERROR_TYPE, "Context.descendants[1].content" },
    { "[]", CIVIC_ENTITY_ERROR_TYPE, "Context" },
    { "{\"ancestors\": [", CIVIC_ENTITY_ERROR_SYNTAX, "malformed" },
  };
  const char *good =
    "{\"ancestors\": [{\"id\": \"1\", \"content\": \"<p>first</p>\", \"account\": {\"id\": \"7\", \"acct\": \"ana\"}}],"
    " \"descendants\": [{\"id\": \"3\", \"in_reply_to_id\": \"2\", \"account\": {\"id\": \"8\", \"acct\": \"alcaldia\"}},"
    " {\"id\": \"4\", \"in_reply_to_id\": \"3\", \"account\": {\"id\": 7, \"acct\": \"ana\"}}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStatusContext) context = NULL;
  CivicStatus *status;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) case_error = NULL;
      g_autoptr(CivicStatusContext) bad = civic_status_context_new_from_data (cases[i].json, -1, &case_error);

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_null (bad);
      g_assert_error (case_error, CIVIC_ENTITY_ERROR, (int) cases[i].code);
      g_assert_true (strstr (case_error->message, cases[i].field) != NULL);
    }

  /* The server's order is kept: ancestors oldest first, replies depth first. */
  context = civic_status_context_new_from_data (good, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (context->ancestors->len, ==, 1);
  g_assert_cmpuint (context->descendants->len, ==, 2);
  status = g_ptr_array_index (context->ancestors, 0);
  g_assert_cmpstr (status->content, ==, "<p>first</p>");
  status = g_ptr_array_index (context->descendants, 0);
  g_assert_cmpstr (status->id, ==, "3");
  g_assert_cmpstr (status->account->acct, ==, "alcaldia");
  g_assert_cmpstr (status->content, ==, "");
  status = g_ptr_array_index (context->descendants, 1);
  g_assert_cmpstr (status->in_reply_to_id, ==, "3");
  g_assert_cmpstr (status->account->id, ==, "7");
}

static void
test_page_all_or_nothing (void)
{
  const char *page =
    "[{\"id\": \"2\", \"type\": \"follow\", \"account\": {\"id\": \"5\", \"acct\": \"x\"}},"
    " {\"id\": \"1\", \"type\": \"mention\", \"status\": {\"id\": \"9\", \"account\": 5}}]";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = civic_notification_list_new_from_data (page, -1, &error);

  g_assert_null (list);
  g_assert_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TYPE);
  g_assert_true (strstr (error->message, "Notification[1].status.account") != NULL);

  g_clear_error (&error);
  list = civic_notification_list_new_from_data ("{\"error\": \"oops\"}", -1, &error);
  g_assert_null (list);
  g_assert_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TYPE);
}

static void
test_instances (void)
{
  g_autofree char *v2 = civic_test_read_fixture ("entities/instance-v2-gotosocial-like.json", NULL);
  g_autofree char *v1 = civic_test_read_fixture ("entities/instance-v1-akkoma-like.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicInstance) a = civic_instance_new_from_data (v2, -1, 2, &error);
  g_autoptr(CivicInstance) b = NULL;
  g_autoptr(CivicInstance) c = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (a->max_characters, ==, 5000);
  g_assert_cmpint (a->characters_reserved_per_url, ==, 25);
  g_assert_cmpint (a->max_media_attachments, ==, 6);
  g_assert_cmpstr (a->streaming_url, ==, "wss://social.jun.example");
  g_assert_cmpstr (a->domain, ==, "social.jun.example");

  b = civic_instance_new_from_data (v1, -1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (b->max_characters, ==, 5000);
  g_assert_cmpint (b->characters_reserved_per_url, ==, 23);
  g_assert_cmpint (b->max_media_attachments, ==, 10);
  g_assert_cmpstr (b->streaming_url, ==, "wss://akkoma.jun.example");

  /* A server that says nothing: Mastodon's defaults, no streaming. */
  c = civic_instance_new_from_data ("{}", -1, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (c->max_characters, ==, 500);
  g_assert_null (c->streaming_url);
}

/* A hostile server's 100,000 nested arrays overflowed json-glib's
 * recursive parser (a crash); they are refused before it runs. */
static void
test_too_deep (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) ok = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(CivicStatus) status = NULL;
  char *event = NULL;
  char *payload = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');

  list = civic_notification_list_new_from_data (deep->str, deep->len, &error);
  g_assert_null (list);
  g_assert_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (error->message, "nested"));
  g_clear_error (&error);

  /* Unbalanced (a truncated body) is refused as well, before json-glib. */
  g_string_truncate (deep, 70000);
  g_assert_false (civic_stream_decode_frame (deep->str, deep->len, &event, &payload, &error));
  g_assert_error (error, CIVIC_ENTITY_ERROR, CIVIC_ENTITY_ERROR_TOO_DEEP);
  g_assert_null (event);
  g_clear_error (&error);

  /* Brackets inside strings (and escaped quotes) do not count, and the
   * limit itself is allowed. */
  g_string_append (ok, "{\"id\": \"1\", \"account\": {\"id\": \"2\", \"acct\": \"a\"}, "
                       "\"content\": \"[[[[[[\\\"{{{{");
  for (guint i = 0; i < 200; i++)
    g_string_append (ok, "[{");
  g_string_append (ok, "\", \"extra\": ");
  for (guint i = 1; i < CIVIC_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, '[');
  for (guint i = 1; i < CIVIC_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, ']');
  g_string_append (ok, ", \"created_at\": \"2026-08-01T10:00:00Z\"}");
  status = civic_status_new_from_data (ok->str, ok->len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status->id, ==, "1");
}

/* Found by fuzz-stream-frame: json-glib reads "\351" as an octal escape
 * (not JSON) and hands back a byte that is not UTF-8. Every string the
 * desk takes from an entity is valid UTF-8, whatever the server wrote. */
static void
test_strings_are_utf8 (void)
{
  const char *json = "{\"id\": \"1\", \"created_at\": \"2026-08-01T10:00:00Z\","
                     " \"account\": {\"id\": \"2\", \"acct\": \"ana\\351\", \"display_name\": \"Jos\\351\"},"
                     " \"spoiler_text\": \"caf\\351\", \"content\": \"<p>hola</p>\"}";
  const char *frame = "{\"event\": \"notifi\\205cation\", \"payload\": \"x\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStatus) status = civic_status_new_from_data (json, -1, &error);
  g_autofree char *event = NULL;
  g_autofree char *payload = NULL;

  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (status->account->acct, -1, NULL));
  g_assert_true (g_str_has_prefix (status->account->acct, "ana"));
  g_assert_true (g_utf8_validate (status->account->display_name, -1, NULL));
  g_assert_true (g_utf8_validate (status->spoiler_text, -1, NULL));

  g_assert_true (civic_stream_decode_frame (frame, strlen (frame), &event, &payload, &error));
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (event, -1, NULL));
}

/* Our own posts in a thread are recognised by remote id, or by name only
 * for an account of the same server: a stranger elsewhere with the town's
 * user name is not the town. */
static void
test_thread_own (void)
{
  g_autoptr(CivicThread) thread = g_new0 (CivicThread, 1);
  CivicAccount local = { .id = (char *) "9", .acct = (char *) "alcaldia" };
  CivicAccount impostor = { .id = (char *) "77", .acct = (char *) "alcaldia@evil.example" };
  CivicAccount full = { .id = (char *) "78", .acct = (char *) "tecnicos@jun.example" };
  CivicAccount known = { .id = (char *) "42", .acct = (char *) "policia" };
  CivicAccount namesake = { .id = (char *) "43", .acct = (char *) "policia" };
  CivicStatus status = { 0 };

  thread->own_ids = g_ptr_array_new_with_free_func (g_free);
  thread->own_accts = g_ptr_array_new_with_free_func (g_free);
  /* Two accounts known by name only, one by its remote id. */
  g_ptr_array_add (thread->own_ids, NULL);
  g_ptr_array_add (thread->own_accts, g_strdup ("alcaldia"));
  g_ptr_array_add (thread->own_ids, NULL);
  g_ptr_array_add (thread->own_accts, g_strdup ("tecnicos@jun.example"));
  g_ptr_array_add (thread->own_ids, g_strdup ("42"));
  g_ptr_array_add (thread->own_accts, g_strdup ("policia"));

  status.account = &local;
  g_assert_true (civic_thread_is_own (thread, &status));
  status.account = &impostor;
  g_assert_false (civic_thread_is_own (thread, &status));
  status.account = &full;
  g_assert_true (civic_thread_is_own (thread, &status));
  status.account = &known;
  g_assert_true (civic_thread_is_own (thread, &status));
  status.account = &namesake;
  g_assert_false (civic_thread_is_own (thread, &status));
  status.account = NULL;
  g_assert_false (civic_thread_is_own (thread, &status));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/entities/recorded-fixtures", test_recorded_fixtures);
  g_test_add_func ("/entities/recorded-mention-values", test_recorded_mention_values);
  g_test_add_func ("/entities/own-mention", test_own_mention);
  g_test_add_func ("/entities/nulls-and-missing", test_nulls_and_missing);
  g_test_add_func ("/entities/extra-fields", test_extra_fields_and_integer_ids);
  g_test_add_func ("/entities/wrong-types", test_wrong_types);
  g_test_add_func ("/entities/context", test_context);
  g_test_add_func ("/entities/page-all-or-nothing", test_page_all_or_nothing);
  g_test_add_func ("/entities/instances", test_instances);
  g_test_add_func ("/entities/too-deep", test_too_deep);
  g_test_add_func ("/entities/strings-are-utf8", test_strings_are_utf8);
  g_test_add_func ("/entities/thread-own", test_thread_own);

  return g_test_run ();
}
