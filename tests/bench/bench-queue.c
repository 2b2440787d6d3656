/* bench-queue.c
 *
 * The department queues' hot paths:
 *   bench: router_rate N mentions/s         (15 rules, none matching: every rule runs)
 *   bench: queue_order_10k T ms             (ids of a 10,000-item open queue, in SLA order,
 *                                            among 100,000 stored mentions)
 *   bench: queue_filter_text_100k T ms      (the same with a word typed, FTS5)
 *   bench: stats_100k T ms                  (every department's figures for 30 days)
 *
 * Times are medians of 5 runs.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "civic-queue-filter.h"
#include "civic-router.h"
#include "civic-rules.h"
#include "civic-stats.h"
#include "civic-store-private.h"

#define T0 G_GINT64_CONSTANT (1795687200000)
#define MINUTE (60 * 1000)
#define N_MENTIONS 100000
#define N_OPEN_MAYOR 10000
#define RUNS 5

static const char * const words[] = {
  "farola", "bache", "basura", "ruido", "contenedor", "acera", "parque", "fuente", "perro",
  "coche", "plaza", "calle", "vecinos", "noche", "mañana", "limpieza", "árbol", "agua",
};

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

typedef double (*Measure) (gpointer user_data);

static double
median_ms (Measure  measure,
           gpointer user_data)
{
  double runs[RUNS];

  for (guint i = 0; i < RUNS; i++)
    runs[i] = measure (user_data);
  qsort (runs, RUNS, sizeof (double), compare_double);

  return runs[RUNS / 2];
}

static double
bench_router (CivicStore *store,
              gint64      technical_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicRouter) router = NULL;
  g_autoptr(CivicStatus) status = NULL;
  static const char * const keywords[] = { "farola", "bache", "semáforo", "contenedor", "escuela", "comedor",
                                           "fuente", "aparcamiento", "alcantarilla", "pintada", "banco",
                                           "columpio", NULL };
  CivicMentionRecord record;
  guint n = 200000;
  gint64 start, elapsed;

  for (guint i = 0; keywords[i] != NULL; i++)
    civic_rules_add (store, CIVIC_RULE_KEYWORD, keywords[i], technical_id, &error);
  civic_rules_add (store, CIVIC_RULE_HASHTAG, "limpiezajun", technical_id, &error);
  civic_rules_add (store, CIVIC_RULE_REGEX, "c(alle)?/?\\s+mayor\\s+\\d+", technical_id, &error);
  civic_rules_add (store, CIVIC_RULE_REGEX, "\\bexpediente\\s+\\d{4}/\\d+", technical_id, &error);
  g_assert_no_error (error);
  router = civic_router_new (store, &error);
  g_assert_no_error (error);

  status = civic_status_new_from_data ("{\"id\": \"1\", \"created_at\": \"2026-11-26T10:00:00Z\","
                                       " \"content\": \"\", \"account\": {\"id\": \"7\", \"acct\": \"vecina\"},"
                                       " \"mentions\": [{\"id\": \"2\", \"username\": \"ayuntamiento\","
                                       "   \"acct\": \"ayuntamiento\", \"url\": \"https://jun.example/@a\"}],"
                                       " \"tags\": [{\"name\": \"Jun\", \"url\": \"https://jun.example/tags/Jun\"}]}",
                                       -1, &error);
  g_assert_no_error (error);
  civic_mention_record_init_from_status (&record, status);
  /* A realistic length (≈ 450 characters), nothing any rule looks for. */
  record.content_text = g_strdup ("@ayuntamiento Buenos días, quería comentar que en la calle Real, a la "
                                  "altura del número 14, lleva tres días sin recogerse la basura orgánica "
                                  "y empieza a oler bastante mal. Los vecinos del bloque ya lo hemos "
                                  "comentado varias veces y nadie ha pasado todavía. ¿Podrían avisar a "
                                  "quien corresponda? Muchas gracias por adelantado y un saludo a todo el "
                                  "equipo, que sabemos que hacen lo que pueden con los medios que hay 🙏 #Jun");

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    civic_router_route (router, status, "jun.example", "ayuntamiento", &record);
  elapsed = MAX (g_get_monotonic_time () - start, 1);
  g_assert_cmpint (record.department_id, ==, civic_store_get_unsorted_department (store));
  civic_mention_record_clear (&record);

  return n * 1e6 / elapsed;
}

static void
fill (CivicStore *store,
      gint64      server_id,
      gint64     *departments,
      guint       n_departments)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree char *close_sql = NULL;
  CivicMentionRecord page[80];
  char ids[80][16];
  char *texts[80] = { NULL };

  for (guint done = 0; done < N_MENTIONS; done += G_N_ELEMENTS (page))
    {
      for (guint i = 0; i < G_N_ELEMENTS (page); i++)
        {
          guint k = done + i;
          GString *text = g_string_new (NULL);
          CivicMentionRecord *r = &page[i];

          /* A town's vocabulary: a few common report words among many
           * others, so a typed word selects a realistic share. */
          for (guint w = 0; w < 25; w++)
            {
              if (g_rand_int_range (rand, 0, 10) == 0)
                g_string_append (text, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
              else
                g_string_append_printf (text, "w%u", g_rand_int_range (rand, 0, 20000));
              g_string_append_c (text, ' ');
            }
          g_free (texts[i]);
          texts[i] = g_string_free (text, FALSE);
          g_snprintf (ids[i], sizeof ids[i], "%u", k + 1);

          memset (r, 0, sizeof *r);
          r->server_id = server_id;
          r->status_id = ids[i];
          r->author_acct = "vecina";
          r->author_name = "Vecina";
          r->content_text = texts[i];
          r->created_at_ms = T0 - (gint64) (N_MENTIONS - k) * MINUTE / 3;
          r->priority = g_rand_int_range (rand, 0, 4);
          r->department_id = departments[k % n_departments];
          r->due_at_ms = r->created_at_ms + 60 * MINUTE;
        }
      g_assert_true (civic_store_ingest (store, page, G_N_ELEMENTS (page), NULL, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_free (texts[i]);

  /* Everything answered and closed but the newest 10,000 of the mayor's
   * office (a fifth of the rows are the mayor's). */
  close_sql = g_strdup_printf ("UPDATE mentions SET state = 3, answered_at = created_at + 1800000,"
                               "  closed_at = created_at + 3600000 "
                               "WHERE department_id != %" G_GINT64_FORMAT " OR id <= %d",
                               departments[0], N_MENTIONS - n_departments * N_OPEN_MAYOR);
  g_assert_true (_civic_store_exec (store, close_sql, &error));
  g_assert_no_error (error);
  g_assert_true (_civic_store_exec (store, "ANALYZE", &error));
}

typedef struct
{
  CivicStore *store;
  CivicQueueFilter *filter;
  guint expected;
  gint64 from_ms;
  gint64 to_ms;
} Job;

static double
measure_list (gpointer user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  gint64 start = g_get_monotonic_time ();

  ids = civic_store_list_queue_ids_filtered (job->store, job->filter, T0, &error);
  g_assert_no_error (error);
  if (job->expected != 0)
    g_assert_cmpuint (ids->len, ==, job->expected);

  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
measure_stats (gpointer user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stats = NULL;
  gint64 start = g_get_monotonic_time ();

  stats = civic_stats_compute (job->store, job->from_ms, job->to_ms, T0, &error);
  g_assert_no_error (error);

  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStore) store = NULL;
  g_autofree char *dir = g_dir_make_tmp ("civic-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "desk.db", NULL);
  CivicQueueFilter filter = { 0 };
  gint64 departments[5];
  gint64 server_id;
  Job job = { 0 };

  store = civic_store_new (path, &error);
  g_assert_no_error (error);
  server_id = civic_store_ensure_server (store, "https://jun.example", &error);
  departments[0] = civic_store_ensure_department (store, "alcaldia", "Alcaldía", NULL, 60, &error);
  departments[1] = civic_store_ensure_department (store, "policia", "Policía Local", NULL, 15, &error);
  departments[2] = civic_store_ensure_department (store, "limpieza", "Limpieza", NULL, 240, &error);
  departments[3] = civic_store_ensure_department (store, "servicios-tecnicos", "Servicios técnicos", NULL, 480, &error);
  departments[4] = civic_store_ensure_department (store, "comedor", "Comedor escolar", NULL, 1440, &error);
  g_assert_no_error (error);

  g_print ("bench: router_rate %.0f mentions/s\n", bench_router (store, departments[3]));

  fill (store, server_id, departments, G_N_ELEMENTS (departments));

  job.store = store;
  job.filter = &filter;
  filter.department_id = departments[0];
  job.expected = N_OPEN_MAYOR;
  g_print ("bench: queue_order_10k %.1f ms\n", median_ms (measure_list, &job));

  filter.department_id = 0;
  filter.states = CIVIC_STATE_MASK_ALL;
  filter.text = (char *) "farola limpiéza";
  job.expected = 0;
  g_print ("bench: queue_filter_text_100k %.1f ms\n", median_ms (measure_list, &job));

  job.from_ms = T0 - 30 * 24 * 60 * (gint64) MINUTE;
  job.to_ms = T0;
  g_print ("bench: stats_100k %.1f ms\n", median_ms (measure_stats, &job));

  g_clear_object (&store);
  g_remove (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_remove (wal);
    g_remove (shm);
  }
  g_rmdir (dir);

  return 0;
}
