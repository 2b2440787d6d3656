/* test-client-util.c
 *
 * The pure pieces of the client: Link headers, query parameters, PKCE,
 * form encoding, same-origin checks and streaming URIs.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-client.h"
#include "civic-link-header.h"

typedef struct
{
  const char *header;
  const char *next;
  const char *prev;
} LinkCase;

static void
test_link_header (void)
{
  static const LinkCase cases[] = {
    /* As recorded from Mastodon. */
    { "<http://localhost:3000/api/v1/notifications?max_id=21&types%5B%5D=mention>; rel=\"next\", "
      "<http://localhost:3000/api/v1/notifications?min_id=21&types%5B%5D=mention>; rel=\"prev\"",
      "http://localhost:3000/api/v1/notifications?max_id=21&types%5B%5D=mention",
      "http://localhost:3000/api/v1/notifications?min_id=21&types%5B%5D=mention" },
    { "<https://a.example/x?max_id=5>; rel=\"next\"", "https://a.example/x?max_id=5", NULL },
    { "<https://a.example/x?min_id=9>; rel=prev", NULL, "https://a.example/x?min_id=9" },
    { "<https://a.example/x?min_id=9>; rel=\"previous\"", NULL, "https://a.example/x?min_id=9" },
    { "<https://a.example/a?max_id=1>;rel=\"next\";title=\"older, ok\",<https://a.example/b>;rel=\"prev\"",
      "https://a.example/a?max_id=1", "https://a.example/b" },
    { "  <https://a.example/a>; type=\"text/html\"; rel=\"next last\"", "https://a.example/a", NULL },
    { "<https://a.example/a>; rel=\"self\"", NULL, NULL },
    { "garbage", NULL, NULL },
    { "<https://a.example/unterminated; rel=\"next\"", NULL, NULL },
    { "", NULL, NULL },
    { "junk <https://a.example/ok>; rel=next", "https://a.example/ok", NULL },
    /* Found by fuzz-link-header: an empty URL is no next page. */
    { "<>; rel=\"next\"", NULL, NULL },
    { "<>; rel=\"next\", <https://a.example/b>; rel=\"next\"", "https://a.example/b", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *next = NULL;
      g_autofree char *prev = NULL;
      gboolean found = civic_link_header_parse (cases[i].header, &next, &prev);

      g_test_message ("case %u: %s", i, cases[i].header);
      g_assert_cmpstr (next, ==, cases[i].next);
      g_assert_cmpstr (prev, ==, cases[i].prev);
      g_assert_cmpint (found, ==, cases[i].next != NULL || cases[i].prev != NULL);
    }
}

static void
test_query_param (void)
{
  g_autofree char *a = civic_uri_dup_query_param ("http://h/api?max_id=21&types%5B%5D=mention", "max_id");
  g_autofree char *b = civic_uri_dup_query_param ("http://h/api?max_id=21&types%5B%5D=mention", "types[]");
  g_autofree char *c = civic_uri_dup_query_param ("http://h/api?min_id=7", "max_id");
  g_autofree char *d = civic_uri_dup_query_param ("not a uri", "max_id");

  g_assert_cmpstr (a, ==, "21");
  g_assert_cmpstr (b, ==, "mention");
  g_assert_null (c);
  g_assert_null (d);
}

static void
test_pkce (void)
{
  /* Expected value computed independently (Python hashlib + urlsafe base64). */
  g_autofree char *challenge = civic_pkce_challenge ("dBjftJeZ4CVP-mJ92K9n2ScZ8q1zoXQbyqiSwuQvQMI");
  g_autofree char *v1 = civic_pkce_new_verifier ();
  g_autofree char *v2 = civic_pkce_new_verifier ();

  g_assert_cmpstr (challenge, ==, "bNmT7dGFcxCfmkAaRIowPo3dBUur7-oiyKmhSReJtB0");
  g_assert_cmpuint (strlen (v1), >=, 43);
  g_assert_cmpuint (strlen (v1), <=, 128);
  g_assert_cmpstr (v1, !=, v2);
  for (const char *p = v1; *p != '\0'; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');
}

static void
test_form (void)
{
  g_autoptr(GString) form = g_string_new (NULL);

  civic_form_append (form, "status", "@vecina Hola & adiós ¿sí?");
  civic_form_append (form, "media_ids[]", "1");
  civic_form_append (form, "media_ids[]", "2");
  civic_form_append (form, "skipped", NULL);
  g_assert_cmpstr (form->str, ==,
                   "status=%40vecina%20Hola%20%26%20adi%C3%B3s%20%C2%BFs%C3%AD%3F&media_ids[]=1&media_ids[]=2");
}

static void
test_origin_and_streaming (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(CivicClient) client = civic_client_new (session, "https://jun.example/", NULL);
  g_autoptr(CivicClient) local = civic_client_new (session, "http://127.0.0.1:8080", NULL);
  g_autofree char *s1 = civic_client_dup_streaming_uri (client, NULL, "user:notification");
  g_autofree char *s2 = civic_client_dup_streaming_uri (client, "wss://stream.jun.example/", "user");
  g_autofree char *s3 = civic_client_dup_streaming_uri (local, "ws://127.0.0.1:8080/api/v1/streaming", "user:notification");

  g_assert_cmpstr (civic_client_get_base_url (client), ==, "https://jun.example");
  g_assert_true (civic_client_is_same_origin (client, "https://jun.example/api/v1/notifications?max_id=1"));
  g_assert_true (civic_client_is_same_origin (client, "https://JUN.example:443/x"));
  g_assert_false (civic_client_is_same_origin (client, "http://jun.example/x"));
  g_assert_false (civic_client_is_same_origin (client, "https://evil.example/x"));
  g_assert_false (civic_client_is_same_origin (client, "https://jun.example.evil.example/x"));
  g_assert_false (civic_client_is_same_origin (local, "http://127.0.0.1:8081/x"));

  g_assert_cmpstr (s1, ==, "wss://jun.example/api/v1/streaming?stream=user:notification");
  g_assert_cmpstr (s2, ==, "wss://stream.jun.example/api/v1/streaming?stream=user");
  g_assert_cmpstr (s3, ==, "ws://127.0.0.1:8080/api/v1/streaming?stream=user:notification");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/link-header", test_link_header);
  g_test_add_func ("/client/query-param", test_query_param);
  g_test_add_func ("/client/pkce", test_pkce);
  g_test_add_func ("/client/form", test_form);
  g_test_add_func ("/client/origin-and-streaming", test_origin_and_streaming);

  return g_test_run ();
}
