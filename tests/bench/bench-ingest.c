/* bench-ingest.c
 *
 * Ingest throughput: 100,000 realistic mention notifications (2.5–3 KB of
 * JSON each, shaped as Mastodon 4.x sends them) in 80-item pages, parsed,
 * routed, geotagged and stored with the full-text index — against the bare
 * floor measured in the same run: json-glib parsing the same pages plus
 * prepared inserts of the same rows (FTS included), nothing else.
 *
 *   bench: ingest_rate N mentions/s
 *   bench: ingest_vs_raw R ratio
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <stdio.h>

#include "civic-ingest.h"
#include "civic-router.h"
#include "civic-store.h"
#include "civic-test-util.h"

#define PAGE_SIZE 80
#define IN_FLIGHT 6

static const char *streets[] = {
  "Calle Real", "Plaza de la Constitución", "Calle Granada", "Avenida de Andalucía",
  "Calle Alta", "Camino de Alfacar", "Calle Iglesia", "Paseo de los Álamos",
};

static const char *problems[] = {
  "Hay bolsas de basura acumuladas junto al contenedor desde el lunes y empieza a oler fatal",
  "La farola de la esquina lleva tres noches apagada y la calle queda completamente a oscuras",
  "Un bache enorme en la calzada; esta mañana un coche casi pierde la rueda al pasar",
  "Mucho ruido de motos de madrugada, no hay quien duerma entre semana",
  "¿Podrían revisar el parque infantil? El columpio grande tiene una cadena suelta",
  "Accidente leve entre dos coches, no hay heridos pero cortan el paso",
  "¿Cuál es el menú del comedor escolar para el jueves? Mi hija es celíaca",
  "Quería pedir cita con el médico de cabecera para la semana que viene, por favor",
};

static const char *departments[] = { "policia", "limpieza", "tecnicos", "comedor", "salud", "alcaldia" };

static void
append_account (GString    *out,
                guint       n,
                const char *created)
{
  g_string_append_printf (out,
    "{\"id\":\"1090%08u\",\"username\":\"vecino%u\",\"acct\":\"vecino%u\","
    "\"display_name\":\"Vecino número %u de Jun\",\"locked\":false,\"bot\":false,"
    "\"discoverable\":true,\"indexable\":false,\"group\":false,\"created_at\":\"%s\","
    "\"note\":\"<p>Vecino de Jun, Granada. Me gusta mi pueblo y quiero que esté limpio.</p>\","
    "\"url\":\"https://jun.example/@vecino%u\",\"uri\":\"https://jun.example/users/vecino%u\","
    "\"avatar\":\"https://jun.example/system/accounts/avatars/000/000/%03u/original/avatar.png\","
    "\"avatar_static\":\"https://jun.example/system/accounts/avatars/000/000/%03u/original/avatar.png\","
    "\"avatar_description\":\"\",\"header\":\"https://jun.example/headers/original/missing.png\","
    "\"header_static\":\"https://jun.example/headers/original/missing.png\",\"header_description\":\"\","
    "\"followers_count\":%u,\"following_count\":%u,\"statuses_count\":%u,\"last_status_at\":\"2026-11-20\","
    "\"hide_collections\":null,\"noindex\":false,\"emojis\":[],\"roles\":[],"
    "\"fields\":[{\"name\":\"Barrio\",\"value\":\"Centro\",\"verified_at\":null}]}",
    n % 100000, n % 400, n % 400, n % 400, created, n % 400, n % 400, n % 1000, n % 1000,
    n % 97, n % 53, n % 1234);
}

static GBytes *
make_page (guint first,
           guint count,
           gint64 base_ms)
{
  GString *out = g_string_sized_new (count * 3100);

  g_string_append_c (out, '[');
  for (guint k = 0; k < count; k++)
    {
      guint n = first + k;
      const char *dept = departments[n % G_N_ELEMENTS (departments)];
      const char *street = streets[n % G_N_ELEMENTS (streets)];
      const char *problem = problems[(n / 3) % G_N_ELEMENTS (problems)];
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((base_ms - (gint64) n * 1000) / 1000);
      g_autofree char *created = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S.000Z");
      guint64 status_id = G_GUINT64_CONSTANT (113500000000000000) - n;

      if (k > 0)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "{\"id\":\"%u\",\"type\":\"mention\",\"created_at\":\"%s\","
                              "\"group_key\":\"ungrouped-%u\",\"account\":", 10000000 - n, created, 10000000 - n);
      append_account (out, n, created);
      g_string_append_printf (out,
        ",\"status\":{\"id\":\"%" G_GUINT64_FORMAT "\",\"created_at\":\"%s\",\"in_reply_to_id\":null,"
        "\"in_reply_to_account_id\":null,\"sensitive\":false,\"spoiler_text\":\"\",\"visibility\":\"%s\","
        "\"language\":\"es\",\"uri\":\"https://jun.example/users/vecino%u/statuses/%" G_GUINT64_FORMAT "\","
        "\"url\":\"https://jun.example/@vecino%u/%" G_GUINT64_FORMAT "\",\"replies_count\":0,"
        "\"reblogs_count\":0,\"favourites_count\":%u,\"quotes_count\":0,\"edited_at\":null,"
        "\"favourited\":false,\"reblogged\":false,\"muted\":false,\"bookmarked\":false,\"pinned\":false,"
        "\"content\":\"<p><span class=\\\"h-card\\\" translate=\\\"no\\\"><a href=\\\"https://jun.example/@%s\\\" "
        "class=\\\"u-url mention\\\">@<span>%s</span></a></span> %s en %s.",
        status_id, created, n % 17 == 0 ? "direct" : "public", n % 400, status_id, n % 400, status_id,
        n % 5, dept, dept, problem, street);
      if (n % 2 == 0)
        g_string_append_printf (out, " Ubicación: 37.%04u, -3.%04u", 2150 + n % 100, 5900 + n % 100);
      else if (n % 3 == 0)
        g_string_append_printf (out, " <a href=\\\"https://www.openstreetmap.org/?mlat=37.%04u&amp;mlon=-3.%04u#map=19/37.%04u/-3.%04u\\\" "
                                "rel=\\\"nofollow noopener\\\" target=\\\"_blank\\\"><span class=\\\"invisible\\\">https://www.</span>"
                                "<span class=\\\"ellipsis\\\">openstreetmap.org/?mlat=37.%04u</span></a>",
                                2150 + n % 100, 5900 + n % 100, 2150 + n % 100, 5900 + n % 100, 2150 + n % 100);
      g_string_append_printf (out,
        " Gracias de antemano.</p><p><a href=\\\"https://jun.example/tags/jun\\\" class=\\\"mention hashtag\\\" "
        "rel=\\\"tag\\\">#<span>jun</span></a></p>\","
        "\"filtered\":[],\"reblog\":null,\"application\":{\"name\":\"Web\",\"website\":null},\"account\":");
      append_account (out, n, created);
      g_string_append_printf (out,
        ",\"media_attachments\":[],\"mentions\":[{\"id\":\"10%u\",\"username\":\"%s\","
        "\"url\":\"https://jun.example/@%s\",\"acct\":\"%s\"}],\"tags\":[{\"name\":\"jun\","
        "\"url\":\"https://jun.example/tags/jun\"}],\"emojis\":[],\"card\":null,\"poll\":null,"
        "\"quote\":null}}",
        n % 6, dept, dept, dept);
    }
  g_string_append_c (out, ']');

  return g_string_free_to_bytes (out);
}

static CivicStore *
fresh_store (const char *dir,
             const char *name,
             gint64     *server_id,
             gint64     *account_id)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  CivicStore *store = civic_store_new (path, &error);

  g_assert_no_error (error);
  *server_id = civic_store_ensure_server (store, "https://jun.example", &error);
  *account_id = civic_store_ensure_account (store, *server_id, "alcaldia", "1", "Alcaldía", &error);
  for (guint i = 0; i < G_N_ELEMENTS (departments); i++)
    {
      g_autofree char *acct = g_strdup (departments[i]);
      gint64 account = civic_store_ensure_account (store, *server_id, acct, NULL, NULL, &error);
      gint64 department = civic_store_ensure_department (store, departments[i], departments[i], NULL, 60, &error);

      civic_store_bind_department (store, department, account, &error);
    }
  g_assert_no_error (error);

  return store;
}

/* The floor: parse + the same rows through plain prepared inserts. */
static double
run_floor (GPtrArray  *pages,
           const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "floor.db", NULL);
  gint64 server_id, account_id, start;
  g_autoptr(CivicStore) store = fresh_store (dir, "floor.db", &server_id, &account_id);
  guint rows = 0;

  start = g_get_monotonic_time ();
  for (guint p = 0; p < pages->len; p++)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GArray) records = g_array_new (FALSE, TRUE, sizeof (CivicMentionRecord));
      gsize len;
      const char *data = g_bytes_get_data (g_ptr_array_index (pages, p), &len);
      JsonArray *array;

      g_assert_true (json_parser_load_from_data (parser, data, len, NULL));
      array = json_node_get_array (json_parser_get_root (parser));

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *n = json_array_get_object_element (array, i);
          JsonObject *s = json_object_get_object_member (n, "status");
          JsonObject *a = json_object_get_object_member (s, "account");
          CivicMentionRecord r = { 0 };

          r.server_id = server_id;
          r.account_id = account_id;
          r.status_id = json_object_get_string_member (s, "id");
          r.notification_id = json_object_get_string_member (n, "id");
          r.author_id = json_object_get_string_member (a, "id");
          r.author_acct = json_object_get_string_member (a, "acct");
          r.author_name = json_object_get_string_member (a, "display_name");
          r.created_at_ms = 1795000000000 + i;
          r.content_html = json_object_get_string_member (s, "content");
          r.content_text = (char *) r.content_html;
          r.visibility = json_object_get_string_member (s, "visibility");
          r.url = json_object_get_string_member (s, "url");
          r.department_id = 1;
          r.due_at_ms = r.created_at_ms + 3600000;
          g_array_append_val (records, r);
        }

      g_assert_true (civic_store_ingest (store, (CivicMentionRecord *) records->data, records->len, NULL, NULL));
      rows += records->len;
    }

  g_assert_cmpint (civic_store_count_mentions (store), ==, rows);
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

typedef struct
{
  CivicIngest *ingest;
  GPtrArray *pages;
  CivicIngestTarget target;
  guint next;
  guint in_flight;
  guint done;
  guint n_new;
} Pipeline;

static void submit (Pipeline *pipeline);

static void
page_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Pipeline *pipeline = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicIngestResult) page = civic_ingest_page_finish (CIVIC_INGEST (source), result, &error);

  g_assert_no_error (error);
  pipeline->n_new += page->n_new;
  pipeline->in_flight--;
  pipeline->done++;
  submit (pipeline);
}

static void
submit (Pipeline *pipeline)
{
  while (pipeline->in_flight < IN_FLIGHT && pipeline->next < pipeline->pages->len)
    {
      pipeline->in_flight++;
      civic_ingest_page_async (pipeline->ingest, &pipeline->target, CIVIC_INGEST_UNTRUSTED,
                               g_ptr_array_index (pipeline->pages, pipeline->next++), FALSE,
                               NULL, page_done_cb, pipeline);
    }
}

static gboolean
pipeline_done (gpointer user_data)
{
  Pipeline *pipeline = user_data;

  return pipeline->done == pipeline->pages->len;
}

static double
run_desk (GPtrArray  *pages,
          const char *dir,
          guint      *n_stored)
{
  gint64 server_id, account_id, start;
  g_autoptr(CivicStore) store = fresh_store (dir, "desk.db", &server_id, &account_id);
  g_autoptr(CivicRouter) router = civic_router_new (store, NULL);
  g_autoptr(CivicIngest) ingest = civic_ingest_new (store, router, NULL, NULL);
  Pipeline pipeline = { ingest, pages, { server_id, account_id, "jun.example", "alcaldia" }, 0, 0, 0, 0 };

  start = g_get_monotonic_time ();
  submit (&pipeline);
  g_assert_true (civic_test_spin_until (pipeline_done, &pipeline, 600000));
  *n_stored = pipeline.n_new;

  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *dir = civic_test_mkdtemp ();
  guint total = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  gsize bytes = 0;
  double floor_s, desk_s;
  guint stored = 0;

  for (guint first = 0; first < total; first += PAGE_SIZE)
    {
      GBytes *page = make_page (first, MIN (PAGE_SIZE, total - first), 1795600000000);

      bytes += g_bytes_get_size (page);
      g_ptr_array_add (pages, page);
    }

  g_print ("# %u notifications, %.0f bytes each on average, %u pages\n",
           total, (double) bytes / total, pages->len);

  floor_s = run_floor (pages, dir);
  desk_s = run_desk (pages, dir, &stored);

  g_assert_cmpuint (stored, ==, total);

  g_print ("bench: ingest_raw_floor %.0f mentions/s\n", total / floor_s);
  g_print ("bench: ingest_rate %.0f mentions/s\n", total / desk_s);
  g_print ("bench: ingest_vs_raw %.2f ratio\n", floor_s / desk_s);

  civic_test_rmdir (dir);
  return 0;
}
