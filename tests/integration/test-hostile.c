/* test-hostile.c
 *
 * A server that means harm (or is badly broken), on 127.0.0.1: answers
 * that never end, drip a byte at a time, nest 100,000 levels deep or hold
 * 10,000 notifications. The desk must keep its memory, keep its main loop
 * turning, and say what happened.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>
#include <string.h>

#include "civic-client.h"
#include "civic-login.h"
#include "civic-sync.h"
#include "civic-test-util.h"

#define CHUNK (64 * 1024)
#define BIG_PAGE 10000

typedef enum
{
  MODE_DEEP,
  MODE_BIG_PAGE,
} Mode;

typedef struct
{
  SoupServer *server;
  char *url;
  Mode mode;
  guint64 bytes_sent;       /* by the endless and dripping answers */
  GBytes *big_page;
  char *dir;
  CivicContext *context;
  SoupSession *session;
  CivicSync *sync;
} Fixture;

typedef struct
{
  gboolean done;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

/* An answer that never ends: another 64 KB each time one is written. */
static void
endless_wrote_chunk_cb (SoupServerMessage *msg,
                        gpointer           user_data)
{
  Fixture *f = user_data;
  static char filler[CHUNK];

  if (filler[0] == '\0')
    memset (filler, '[', sizeof filler);
  f->bytes_sent += sizeof filler;
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            filler, sizeof filler);
}

typedef struct
{
  Fixture *f;
  SoupServerMessage *msg;
  guint source;
} Drip;

static gboolean
drip_cb (gpointer user_data)
{
  Drip *drip = user_data;

  drip->f->bytes_sent++;
  soup_message_body_append (soup_server_message_get_response_body (drip->msg), SOUP_MEMORY_STATIC, "[", 1);
  soup_server_message_unpause (drip->msg);
  return G_SOURCE_CONTINUE;
}

static void
drip_finished_cb (SoupServerMessage *msg,
                  gpointer           user_data)
{
  Drip *drip = user_data;

  g_clear_handle_id (&drip->source, g_source_remove);
}

static void
drip_free (gpointer data,
           GClosure *closure)
{
  Drip *drip = data;

  g_clear_handle_id (&drip->source, g_source_remove);
  g_free (drip);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (g_str_equal (path, "/api/v1/accounts/verify_credentials"))
    respond_json (msg, 200, "{\"id\":\"1\",\"username\":\"salud\",\"acct\":\"salud\",\"display_name\":\"Salud\"}");
  else if (g_str_equal (path, "/api/v2/instance"))
    respond_json (msg, 200, "{\"domain\":\"127.0.0.1\",\"title\":\"Hostile\",\"version\":\"4.3.0\"}");
  else if (g_str_equal (path, "/huge"))
    {
      /* Says 100 MB up front. */
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CONTENT_LENGTH);
      soup_message_headers_set_content_length (headers, 100 * 1024 * 1024);
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      g_signal_connect (msg, "wrote-chunk", G_CALLBACK (endless_wrote_chunk_cb), f);
      endless_wrote_chunk_cb (msg, f);
    }
  else if (g_str_equal (path, "/endless"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      /* Measure the desk, not this server: drop what it has written. */
      soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
      g_signal_connect (msg, "wrote-chunk", G_CALLBACK (endless_wrote_chunk_cb), f);
      endless_wrote_chunk_cb (msg, f);
    }
  else if (g_str_equal (path, "/drip"))
    {
      Drip *drip = g_new0 (Drip, 1);

      drip->f = f;
      drip->msg = msg;
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      drip->source = g_timeout_add (100, drip_cb, drip);
      g_signal_connect_data (msg, "finished", G_CALLBACK (drip_finished_cb), drip, drip_free, 0);
      soup_server_message_pause (msg);
    }
  else if (g_str_equal (path, "/api/v1/notifications"))
    {
      gboolean first = query == NULL || (g_hash_table_lookup (query, "max_id") == NULL &&
                                         g_hash_table_lookup (query, "min_id") == NULL &&
                                         g_hash_table_lookup (query, "since_id") == NULL);

      if (f->mode == MODE_DEEP)
        {
          g_autoptr(GString) deep = g_string_new (NULL);

          for (guint i = 0; i < 100000; i++)
            g_string_append_c (deep, '[');
          for (guint i = 0; i < 100000; i++)
            g_string_append_c (deep, ']');
          respond_json (msg, 200, deep->str);
        }
      else if (first)
        {
          soup_server_message_set_status (msg, 200, NULL);
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                            g_bytes_get_data (f->big_page, NULL),
                                            g_bytes_get_size (f->big_page));
        }
      else
        respond_json (msg, 200, "[]");
    }
  else
    respond_json (msg, 404, "{\"error\":\"Record not found\"}");
}

/* 10,000 mentions, newest first, each the size of a real one (~1.5 KB). */
static GBytes *
make_big_page (void)
{
  GString *page = g_string_new ("[");

  for (guint i = 0; i < BIG_PAGE; i++)
    {
      guint n = 2000000000u - i;

      g_string_append_printf (page,
        "%s{\"id\":\"%u\",\"type\":\"mention\",\"created_at\":\"2026-11-26T09:%02u:%02u.000Z\","
        "\"account\":{\"id\":\"7%u\",\"username\":\"vecino%u\",\"acct\":\"vecino%u\",\"display_name\":\"Vecino %u\","
        "\"url\":\"http://127.0.0.1/@vecino%u\",\"avatar\":\"http://127.0.0.1/a.png\",\"note\":\"\",\"fields\":[]},"
        "\"status\":{\"id\":\"%u\",\"created_at\":\"2026-11-26T09:%02u:%02u.000Z\",\"visibility\":\"public\","
        "\"language\":\"es\",\"uri\":\"http://127.0.0.1/s/%u\",\"url\":\"http://127.0.0.1/@vecino%u/%u\","
        "\"content\":\"<p><span class=\\\"h-card\\\"><a href=\\\"http://127.0.0.1/@salud\\\" class=\\\"u-url mention\\\">"
        "@<span>salud</span></a></span> Buenos días, quería preguntar por el horario de vacunación de la gripe "
        "para mayores de 65 en el consultorio de la calle Real número %u, y si hace falta pedir cita antes o "
        "se puede ir directamente por la mañana. Gracias por todo.</p>\","
        "\"account\":{\"id\":\"7%u\",\"username\":\"vecino%u\",\"acct\":\"vecino%u\",\"display_name\":\"Vecino %u\"},"
        "\"mentions\":[{\"id\":\"1\",\"username\":\"salud\",\"acct\":\"salud\",\"url\":\"http://127.0.0.1/@salud\"}],"
        "\"media_attachments\":[],\"tags\":[],\"emojis\":[],\"spoiler_text\":\"\",\"sensitive\":false}}",
        i == 0 ? "" : ",", n, (BIG_PAGE - i) / 600 % 60, (BIG_PAGE - i) / 10 % 60,
        i % 500, i % 500, i % 500, i % 500, i % 500,
        n, (BIG_PAGE - i) / 600 % 60, (BIG_PAGE - i) / 10 % 60, n, i % 500, n, i,
        i % 500, i % 500, i % 500, i % 500);
    }
  g_string_append_c (page, ']');

  return g_string_free_to_bytes (page);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autoptr(CivicStore) store = NULL;
  g_autofree char *path = NULL;

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, server_cb, f, NULL);
  g_assert_true (soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->url = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  if (g_str_has_suffix (f->url, "/"))
    f->url[strlen (f->url) - 1] = '\0';
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  f->dir = civic_test_mkdtemp ();
  path = g_build_filename (f->dir, "desk.db", NULL);
  store = civic_store_new (path, &error);
  g_assert_no_error (error);
  f->context = civic_context_new (store, NULL);
  f->session = civic_sync_new_session (3);
  f->sync = civic_sync_new (f->context, f->session);
  civic_sync_set_backoff_base_ms (f->sync, 30);
  civic_sync_set_poll_interval (f->sync, 1);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  civic_sync_stop (f->sync);
  g_clear_object (&f->sync);
  g_clear_object (&f->session);
  g_clear_object (&f->context);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_pointer (&f->big_page, g_bytes_unref);
  civic_test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->url);
}

/* Peak resident memory since the last reset, in KB. */
static gint64
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen ("VmHWM:"), NULL, 10);
}

static void
reset_peak_rss (void)
{
  /* Linux: writing 5 resets VmHWM to the current resident size. */
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

static GError *
request (Fixture     *f,
         CivicClient *client,
         const char  *path)
{
  g_autoptr(CivicResponse) response = NULL;
  GError *error = NULL;
  Wait wait = { 0 };

  civic_client_request_async (client, "GET", path, NULL, NULL, NULL, wait_cb, &wait);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 60000));
  response = civic_client_request_finish (client, wait.result, &error);
  g_object_unref (wait.result);
  g_assert_null (response);
  g_assert_nonnull (error);

  return error;
}

/* 100 MB announced: refused at the headers, nothing read. */
static void
test_huge_length (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CivicClient) client = civic_client_new (f->session, f->url, "t0ken");
  g_autoptr(GError) error = request (f, client, "/huge");

  g_assert_error (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "100 MB"));
  g_assert_cmpuint (f->bytes_sent, <, 4 * 1024 * 1024);
}

/* No length and no end: the desk reads up to its cap, then stops, and its
 * memory grows by about the cap, not by what the server sends. */
static void
test_endless_chunked (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CivicClient) client = civic_client_new (f->session, f->url, "t0ken");
  g_autoptr(GError) error = NULL;
  gint64 before;
  gint64 grown_kb;

  reset_peak_rss ();
  before = peak_rss_kb ();
  error = request (f, client, "/endless");
  grown_kb = peak_rss_kb () - before;

  g_assert_error (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "16 MB"));
  g_assert_cmpuint (f->bytes_sent, >=, CIVIC_CLIENT_MAX_BODY_SIZE);
  g_test_message ("peak memory grew by %" G_GINT64_FORMAT " KB for a 16 MB cap", grown_kb);
  /* 16 MB here; ASan's quarantine keeps each outgrown buffer, ~64 MB. */
  g_assert_cmpint (grown_kb, <, 96 * 1024);
}

/* A byte every 100 ms never trips the 3 s read timeout; the answer's own
 * deadline ends it. */
static void
test_slow_drip (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CivicClient) client = civic_client_new (f->session, f->url, "t0ken");
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  civic_client_set_max_answer_time (client, 2);
  error = request (f, client, "/drip");
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  g_assert_error (error, CIVIC_CLIENT_ERROR, CIVIC_CLIENT_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "more than 2 s"));
  g_assert_cmpuint (f->bytes_sent, >, 5);
  g_assert_cmpfloat (seconds, <, 6);
}

static CivicAccountSync *
login_and_start (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicAccount) account = NULL;
  g_autoptr(CivicAccountSync) first = NULL;
  CivicStore *store = civic_context_get_store (f->context);
  gint64 department;
  Wait wait = { 0 };

  department = civic_store_ensure_department (store, "salud", "Salud", NULL, 60, &error);
  g_assert_no_error (error);
  civic_login_with_token_async (f->session, store, f->url, "t0ken", department,
                                CIVIC_LOGIN_FLAGS_NO_KEYRING, NULL, wait_cb, &wait);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
  account = civic_login_with_token_finish (wait.result, NULL, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  civic_sync_set_token (f->sync, f->url, "salud", "t0ken");
  wait.done = FALSE;
  civic_sync_reload_async (f->sync, NULL, wait_cb, &wait);
  g_assert_true (civic_test_spin_until (civic_test_flag_is_set, &wait.done, 10000));
  g_assert_true (civic_sync_reload_finish (f->sync, wait.result, &error));
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  civic_sync_start (f->sync);
  first = g_list_model_get_item (civic_sync_get_accounts (f->sync), 0);
  g_assert_nonnull (first);
  return first;
}

static gboolean
message_says_nested (gpointer user_data)
{
  const char *message = civic_account_sync_get_message (user_data);

  return message != NULL && strstr (message, "nested") != NULL;
}

/* 100,000 nested arrays used to overflow json-glib's stack; now the
 * account's status line says what the server did. */
static void
test_deep_json (Fixture       *f,
                gconstpointer  data)
{
  CivicAccountSync *account;

  f->mode = MODE_DEEP;
  account = login_and_start (f);
  if (!civic_test_spin_until (message_says_nested, account, 20000))
    g_error ("status line: %s", civic_account_sync_get_message (account));
  g_test_message ("status line: %s", civic_account_sync_get_message (account));
  g_assert_cmpint (civic_store_count_mentions (civic_context_get_store (f->context)), ==, 0);
}

typedef struct
{
  gint64 last;
  gint64 worst;
} Ticks;

static gboolean
tick_cb (gpointer user_data)
{
  Ticks *ticks = user_data;
  gint64 now = g_get_monotonic_time ();

  if (ticks->last != 0)
    ticks->worst = MAX (ticks->worst, now - ticks->last);
  ticks->last = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
all_stored (gpointer user_data)
{
  Fixture *f = user_data;

  return civic_store_count_mentions (civic_context_get_store (f->context)) >= BIG_PAGE;
}

/* 10,000 notifications in one page: all stored, and the main loop (the
 * UI's) keeps turning while they are. */
static void
test_big_page (Fixture       *f,
               gconstpointer  data)
{
  Ticks ticks = { 0 };
  guint tick;

  f->mode = MODE_BIG_PAGE;
  f->big_page = make_big_page ();
  g_test_message ("page of %u notifications: %" G_GSIZE_FORMAT " bytes", BIG_PAGE,
                  g_bytes_get_size (f->big_page));

  tick = g_timeout_add (1, tick_cb, &ticks);
  login_and_start (f);
  g_assert_true (civic_test_spin_until (all_stored, f, 120000));
  g_source_remove (tick);

  g_assert_cmpint (civic_store_count_mentions (civic_context_get_store (f->context)), ==, BIG_PAGE);
  printf ("# bench: big_page_worst_stall %.1f ms\n", ticks.worst / 1000.0);
  g_test_message ("longest main-loop stall while storing %u mentions: %.1f ms",
                  BIG_PAGE, ticks.worst / 1000.0);
  /* Parsing 10 MB on the main loop would take ~500 ms; it runs in a
   * worker, and only the store step (one transaction) runs here. */
  g_assert_cmpint (ticks.worst, <, 400 * 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/hostile/huge-length", Fixture, NULL, fixture_set_up, test_huge_length, fixture_tear_down);
  g_test_add ("/hostile/endless-chunked", Fixture, NULL, fixture_set_up, test_endless_chunked, fixture_tear_down);
  g_test_add ("/hostile/slow-drip", Fixture, NULL, fixture_set_up, test_slow_drip, fixture_tear_down);
  g_test_add ("/hostile/deep-json", Fixture, NULL, fixture_set_up, test_deep_json, fixture_tear_down);
  g_test_add ("/hostile/10000-per-page", Fixture, NULL, fixture_set_up, test_big_page, fixture_tear_down);

  return g_test_run ();
}
