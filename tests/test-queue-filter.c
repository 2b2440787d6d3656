/* test-queue-filter.c
 *
 * Queue order with a fixed clock (overdue first, then effective priority,
 * then oldest), the next re-sort time, filters (FTS accents, state, dates,
 * author, place, photo, claim) and smart views.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "civic-clock.h"
#include "civic-queue-filter.h"
#include "civic-rules.h"
#include "civic-smart-views.h"
#include "civic-store-private.h"
#include "civic-test-util.h"
#include "civic-workflow.h"

#define T0 G_GINT64_CONSTANT (1795687200000) /* 2026-11-26 10:00 UTC */
#define MINUTE (60 * 1000)

typedef struct
{
  CivicStore *store;
  CivicClock *clock;
  gint64 server_id;
  gint64 mayor_id;
  gint64 police_id;
  GHashTable *ids;     /* status id → row id */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->store = civic_store_new (":memory:", &error);
  g_assert_no_error (error);
  f->clock = civic_clock_new_fixed (T0);
  f->server_id = civic_store_ensure_server (f->store, "https://jun.example", &error);
  f->mayor_id = civic_store_ensure_department (f->store, "alcaldia", "Alcaldía", NULL, 60, &error);
  f->police_id = civic_store_ensure_department (f->store, "policia", "Policía Local", NULL, 15, &error);
  g_assert_no_error (error);
  f->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_object (&f->clock);
  g_hash_table_unref (f->ids);
}

typedef struct
{
  const char *status_id;
  gint64 created_min;     /* minutes from T0 */
  CivicPriority priority;
  gint64 department_id;   /* 0: the mayor's office */
  const char *text;
  const char *author;
  gboolean place;
  gboolean photo;
} Spec;

static gint64
add (Fixture    *f,
     const Spec *spec)
{
  g_autoptr(GError) error = NULL;
  CivicMediaAttachment photo = { .id = (char *) "m1", .type = (char *) "image" };
  g_autoptr(GPtrArray) media = g_ptr_array_new ();
  CivicMentionRecord r = { 0 };
  g_autoptr(GArray) found = NULL;
  guint sla = spec->department_id == f->police_id ? 15 : 60;
  gint64 id;

  r.server_id = f->server_id;
  r.status_id = spec->status_id;
  r.author_acct = spec->author != NULL ? spec->author : "vecina";
  r.author_name = "Vecina";
  r.created_at_ms = T0 + spec->created_min * MINUTE;
  r.content_text = (char *) (spec->text != NULL ? spec->text : "hola");
  r.department_id = spec->department_id != 0 ? spec->department_id : f->mayor_id;
  r.priority = spec->priority != 0 ? spec->priority : CIVIC_PRIORITY_NORMAL;
  r.due_at_ms = r.created_at_ms + sla * MINUTE;
  if (spec->place)
    {
      r.has_point = TRUE;
      r.lat = 37.22;
      r.lon = -3.59;
      r.geo_source = "coordinates";
    }
  if (spec->photo)
    {
      g_ptr_array_add (media, &photo);
      r.media = media;
    }

  g_assert_true (civic_store_upsert_mention (f->store, &r, NULL, &error));
  g_assert_no_error (error);

  /* The newest row is ours. */
  {
    CivicQueueFilter all = { .states = CIVIC_STATE_MASK_ALL };

    found = civic_store_list_queue_ids_filtered (f->store, &all, T0, &error);
    g_assert_no_error (error);
    id = 0;
    for (guint i = 0; i < found->len; i++)
      id = MAX (id, g_array_index (found, gint64, i));
  }
  g_hash_table_insert (f->ids, g_strdup (spec->status_id), GINT_TO_POINTER ((int) id));

  return id;
}

static gint64
id_of (Fixture    *f,
       const char *status_id)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (f->ids, status_id));
}

/* Asserts @got lists exactly the mentions named in @expected, in order. */
static void
assert_ids (Fixture            *f,
            GArray             *got,
            const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < MIN (n, got->len); i++)
    if (g_array_index (got, gint64, i) != id_of (f, expected[i]))
      g_error ("position %u: expected mention “%s” (id %" G_GINT64_FORMAT "), got id %" G_GINT64_FORMAT,
               i, expected[i], id_of (f, expected[i]), g_array_index (got, gint64, i));
  g_assert_cmpuint (got->len, ==, n);
}

static GArray *
list (Fixture                *f,
      const CivicQueueFilter *filter)
{
  g_autoptr(GError) error = NULL;
  GArray *ids = civic_store_list_queue_ids_filtered (f->store, filter, civic_clock_get_now_ms (f->clock), &error);

  g_assert_no_error (error);
  return ids;
}

static void
test_sla_order (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  CivicQueueFilter mayor = { .department_id = f->mayor_id };
  static const Spec specs[] = {
    { "a", -70 },                               /* overdue 10 min */
    { "b", -65, CIVIC_PRIORITY_URGENT },        /* overdue 5 min */
    { "c", -50 },                               /* 10 min left: last quarter */
    { "d", -5, CIVIC_PRIORITY_URGENT },         /* an urgent word */
    { "e", -10 },
    { "f", -20, CIVIC_PRIORITY_HIGH },
    { "g", -80 },                               /* answered: not in the queue */
  };

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    add (f, &specs[i]);
  civic_workflow_mark_answered (f->store, id_of (f, "g"), "r", "Ana", "1", T0 - 75 * MINUTE, &error);
  g_assert_no_error (error);

  /* Overdue first (what was urgent by its words leads among them), then
   * URGENT, then HIGH — f is HIGH by its words, c only by its clock —,
   * then the rest. */
  ids = list (f, &mayor);
  assert_ids (f, ids, (const char * const[]) { "b", "a", "d", "f", "c", "e", NULL });
  g_clear_pointer (&ids, g_array_unref);

  /* The order changes by itself when c falls overdue: at T0 + 10 min + 1 ms. */
  g_assert_cmpint (civic_store_queue_next_change (f->store, &mayor, T0, &error), ==, T0 + 10 * MINUTE + 1);
  g_assert_no_error (error);

  /* 45 minutes later: c and f overdue, e in its last quarter. */
  civic_clock_advance (f->clock, 45 * MINUTE);
  ids = list (f, &mayor);
  assert_ids (f, ids, (const char * const[]) { "b", "f", "a", "c", "d", "e", NULL });
  g_clear_pointer (&ids, g_array_unref);

  /* Everything overdue: nothing will change by itself any more. */
  civic_clock_advance (f->clock, 24 * 60 * MINUTE);
  g_assert_cmpint (civic_store_queue_next_change (f->store, &mayor, civic_clock_get_now_ms (f->clock), &error),
                   ==, 0);
}

/* The SQL order and civic_priority_effective() agree, on many rows. */
static void
test_order_matches_c (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  CivicQueueFilter mayor = { .department_id = f->mayor_id };
  gint64 now = T0;
  gint64 next;

  for (guint i = 0; i < 300; i++)
    {
      char *name = g_strdup_printf ("s%u", i);
      Spec spec = {
        .status_id = name,
        .created_min = g_rand_int_range (rand, -120, 1),
        .priority = (CivicPriority) g_rand_int_range (rand, 0, 4),
      };

      g_ptr_array_add (names, name);
      add (f, &spec);
    }

  for (guint round = 0; round < 4; round++)
    {
      ids = list (f, &mayor);
      g_assert_cmpuint (ids->len, ==, 300);
      for (guint i = 1; i < ids->len; i++)
        {
          g_autoptr(GError) error = NULL;
          g_auto(CivicWorkflowState) a = { 0 };
          g_auto(CivicWorkflowState) b = { 0 };
          gboolean a_over, b_over;
          CivicPriority pa, pb;

          civic_workflow_load_state (f->store, g_array_index (ids, gint64, i - 1), &a, &error);
          civic_workflow_load_state (f->store, g_array_index (ids, gint64, i), &b, &error);
          g_assert_no_error (error);
          a_over = a.due_at_ms < now;
          b_over = b.due_at_ms < now;
          pa = civic_priority_effective (a.priority, a.created_at_ms, a.due_at_ms, now);
          pb = civic_priority_effective (b.priority, b.created_at_ms, b.due_at_ms, now);

          g_assert_true (a_over >= b_over);
          if (a_over == b_over)
            {
              g_assert_cmpint (pa, >=, pb);
              if (pa == pb)
                {
                  g_assert_cmpint (a.priority, >=, b.priority);
                  if (a.priority == b.priority)
                    g_assert_cmpint (a.created_at_ms, <=, b.created_at_ms);
                }
            }
        }

      /* At the next change, and not a millisecond before, some row's rank
       * changes by the C rule too. */
      next = civic_store_queue_next_change (f->store, &mayor, now, NULL);
      g_assert_cmpint (next, >, now);
      {
        guint changed_before = 0, changed_at = 0;

        for (guint i = 0; i < ids->len; i++)
          {
            g_auto(CivicWorkflowState) st = { 0 };

            civic_workflow_load_state (f->store, g_array_index (ids, gint64, i), &st, NULL);
#define RANK(t) ((st.due_at_ms < (t)) * 10 + civic_priority_effective (st.priority, st.created_at_ms, st.due_at_ms, (t)))
            changed_before += RANK (now) != RANK (next - 1);
            changed_at += RANK (next - 1) != RANK (next);
#undef RANK
          }
        g_assert_cmpuint (changed_before, ==, 0);
        g_assert_cmpuint (changed_at, >, 0);
      }
      g_clear_pointer (&ids, g_array_unref);
      now = next;
      civic_clock_set_now_ms (f->clock, now);
    }
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  CivicQueueFilter filter = { 0 };
  const Spec specs[] = {
    { "clean", -30, 0, 0, "La Limpiéza de la calle Real está pendiente", "Vecina@jun.example", TRUE, FALSE },
    { "lamp", -20, 0, 0, "Farola rota en la plaza", "vecino", FALSE, TRUE },
    { "noise", -10, 0, f->police_id, "Ruido de motos, limpieza no", "vecino", TRUE, TRUE },
    { "done", -40, 0, 0, "limpieza hecha, gracias", "vecina", FALSE, FALSE },
    { "empty", -5, 0, 0, "", "vecina", FALSE, FALSE },
    { "rtl", -4, 0, 0, "حريق في السوق 🔥", "vecina", FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    add (f, &specs[i]);
  civic_workflow_close (f->store, id_of (f, "done"), "Ana", "1", T0, &error);
  civic_workflow_claim (f->store, id_of (f, "lamp"), "Luis", "2", T0, &error);
  g_assert_no_error (error);

  /* Everything open, every department. */
  ids = list (f, &filter);
  assert_ids (f, ids, (const char * const[]) { "clean", "lamp", "noise", "empty", "rtl", NULL });
  g_clear_pointer (&ids, g_array_unref);

  /* Words: accents and case ignored, prefixes, every word needed. */
  filter.text = (char *) "limpieza";
  ids = list (f, &filter);
  assert_ids (f, ids, (const char * const[]) { "clean", "noise", NULL });
  g_clear_pointer (&ids, g_array_unref);
  filter.text = (char *) "LIMPIÉZA real";
  ids = list (f, &filter);
  assert_ids (f, ids, (const char * const[]) { "clean", NULL });
  g_clear_pointer (&ids, g_array_unref);
  filter.text = (char *) "farol";
  ids = list (f, &filter);
  assert_ids (f, ids, (const char * const[]) { "lamp", NULL });
  g_clear_pointer (&ids, g_array_unref);
  filter.text = (char *) "حريق";
  ids = list (f, &filter);
  assert_ids (f, ids, (const char * const[]) { "rtl", NULL });
  g_clear_pointer (&ids, g_array_unref);
  /* FTS syntax typed by a person is just words. */
  filter.text = (char *) "limpieza OR \"NEAR(";
  ids = list (f, &filter);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_array_unref);
  /* Only punctuation: no word filter at all. */
  filter.text = (char *) " ¿? ";
  g_assert_cmpuint (civic_store_count_filtered (f->store, &filter, &error), ==, 5);

  /* States. */
  filter.text = (char *) "limpieza";
  filter.states = CIVIC_STATE_MASK (CIVIC_MENTION_STATE_CLOSED);
  ids = list (f, &filter);
  assert_ids (f, ids, (const char * const[]) { "done", NULL });
  g_clear_pointer (&ids, g_array_unref);
  filter.states = CIVIC_STATE_MASK_ALL;
  g_assert_cmpuint (civic_store_count_filtered (f->store, &filter, &error), ==, 3);
  g_assert_no_error (error);

  /* Department, author (case and '@' ignored), dates. */
  filter.department_id = f->mayor_id;
  ids = list (f, &filter);
  assert_ids (f, ids, (const char * const[]) { "done", "clean", NULL });
  g_clear_pointer (&ids, g_array_unref);
  filter.author = (char *) "@vecina@JUN.example";
  ids = list (f, &filter);
  assert_ids (f, ids, (const char * const[]) { "clean", NULL });
  g_clear_pointer (&ids, g_array_unref);
  filter = (CivicQueueFilter) { .since_ms = T0 - 20 * MINUTE, .until_ms = T0 - 5 * MINUTE };
  ids = list (f, &filter);
  assert_ids (f, ids, (const char * const[]) { "lamp", "noise", NULL });
  g_clear_pointer (&ids, g_array_unref);

  /* A relative period slides with the clock at each read, whatever bound
   * was resolved when it was chosen. */
  filter = (CivicQueueFilter) { .period_days = 7, .since_ms = T0 + 30 * 24 * 60 * (gint64) MINUTE };
  ids = list (f, &filter);
  assert_ids (f, ids, (const char * const[]) { "clean", "lamp", "noise", "empty", "rtl", NULL });
  g_clear_pointer (&ids, g_array_unref);
  ids = civic_store_list_queue_ids_filtered (f->store, &filter, T0 + 8 * 24 * 60 * (gint64) MINUTE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_array_unref);

  /* Place, photo, claim. */
  filter = (CivicQueueFilter) { .has_place = CIVIC_FILTER_YES };
  ids = list (f, &filter);
  assert_ids (f, ids, (const char * const[]) { "clean", "noise", NULL });
  g_clear_pointer (&ids, g_array_unref);
  filter = (CivicQueueFilter) { .has_place = CIVIC_FILTER_NO, .has_photo = CIVIC_FILTER_YES };
  ids = list (f, &filter);
  assert_ids (f, ids, (const char * const[]) { "lamp", NULL });
  g_clear_pointer (&ids, g_array_unref);
  filter = (CivicQueueFilter) { .has_photo = CIVIC_FILTER_NO };
  ids = list (f, &filter);
  assert_ids (f, ids, (const char * const[]) { "clean", "empty", "rtl", NULL });
  g_clear_pointer (&ids, g_array_unref);
  filter = (CivicQueueFilter) { .claimed_by = (char *) "Luis" };
  ids = list (f, &filter);
  assert_ids (f, ids, (const char * const[]) { "lamp", NULL });
  g_clear_pointer (&ids, g_array_unref);
}

static void
test_filter_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicQueueFilter) back = NULL;
  g_autofree char *json = NULL;
  CivicQueueFilter empty = { 0 };
  CivicQueueFilter filter = {
    .department_id = 3,
    .states = CIVIC_STATE_MASK (CIVIC_MENTION_STATE_NEW) | CIVIC_STATE_MASK (CIVIC_MENTION_STATE_CLOSED),
    .text = (char *) "limpiéza \"calle\"",
    .since_ms = T0,
    .author = (char *) "vecina",
    .has_place = CIVIC_FILTER_YES,
    .has_photo = CIVIC_FILTER_NO,
  };

  json = civic_queue_filter_to_json (&filter);
  back = civic_queue_filter_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_true (civic_queue_filter_equal (&filter, back));
  g_assert_cmpstr (back->text, ==, filter.text);
  g_assert_cmpint (back->has_photo, ==, CIVIC_FILTER_NO);
  g_clear_pointer (&json, g_free);
  g_clear_pointer (&back, civic_queue_filter_free);

  /* Defaults are left out; "open" and 0 states are the same filter. */
  json = civic_queue_filter_to_json (&empty);
  g_assert_cmpstr (json, ==, "{}");
  empty.states = CIVIC_STATE_MASK_OPEN;
  back = civic_queue_filter_new_from_json (json, &error);
  g_assert_true (civic_queue_filter_equal (&empty, back));
  g_clear_pointer (&back, civic_queue_filter_free);

  /* Damaged input is refused with a reason, never half-read. */
  back = civic_queue_filter_new_from_json ("{\"states\": [\"lost\"]}", &error);
  g_assert_null (back);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  back = civic_queue_filter_new_from_json ("{\"since\": \"yesterday\"}", &error);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  back = civic_queue_filter_new_from_json ("[1", &error);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  back = civic_queue_filter_new_from_json ("{\"period_days\": -7}", &error);
  g_assert_null (back);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
}

/* "Last 7 days" is kept as such, not as the date it meant when saved. */
static void
test_filter_period (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicQueueFilter) back = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autofree char *json = NULL;
  CivicQueueFilter week = { .department_id = 2, .period_days = 7, .since_ms = T0 };
  CivicQueueFilter today = { .period_days = 1 };
  gint64 now_ms = T0 + 90 * MINUTE;

  json = civic_queue_filter_to_json (&week);
  g_assert_null (strstr (json, "since"));
  back = civic_queue_filter_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->period_days, ==, 7);
  g_assert_cmpint (back->since_ms, ==, 0);

  civic_queue_filter_resolve_period (back, now_ms);
  g_assert_cmpint (back->since_ms, ==, now_ms - 7 * 24 * 60 * (gint64) MINUTE);

  /* Today starts at local midnight. */
  civic_queue_filter_resolve_period (&today, now_ms);
  g_assert_cmpint (today.since_ms, <=, now_ms);
  g_assert_cmpint (today.since_ms, >, now_ms - 24 * 60 * (gint64) MINUTE);
  start = g_date_time_new_from_unix_local (today.since_ms / 1000);
  g_assert_cmpint (g_date_time_get_hour (start), ==, 0);
  g_assert_cmpint (g_date_time_get_minute (start), ==, 0);

  /* Two filters of the same period are the same, whenever resolved. */
  {
    CivicQueueFilter later = { .department_id = 2, .period_days = 7 };

    civic_queue_filter_resolve_period (&later, now_ms + 60 * MINUTE);
    g_assert_true (civic_queue_filter_equal (back, &later));
  }

  /* Without a period, an absolute bound is left alone. */
  week.period_days = 0;
  civic_queue_filter_resolve_period (&week, now_ms);
  g_assert_cmpint (week.since_ms, ==, T0);
  g_assert_false (civic_queue_filter_equal (&week, back));
}

static void
test_smart_views (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) views = g_ptr_array_new_with_free_func ((GDestroyNotify) civic_smart_view_free);
  g_autoptr(GPtrArray) back = NULL;
  g_autofree char *json = NULL;
  CivicQueueFilter photos = { .has_photo = CIVIC_FILTER_YES };
  CivicQueueFilter mine = { .claimed_by = (char *) "Ana García", .states = CIVIC_STATE_MASK_ALL };

  g_ptr_array_add (views, civic_smart_view_new ("Con foto", &photos));
  g_ptr_array_add (views, civic_smart_view_new ("Lo mío", &mine));
  json = civic_smart_views_to_json (views);
  back = civic_smart_views_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 2);
  g_assert_cmpstr (((CivicSmartView *) back->pdata[1])->name, ==, "Lo mío");
  g_assert_true (civic_queue_filter_equal (((CivicSmartView *) back->pdata[1])->filter, &mine));
  g_assert_true (civic_queue_filter_equal (((CivicSmartView *) back->pdata[0])->filter, &photos));
  g_clear_pointer (&back, g_ptr_array_unref);

  back = civic_smart_views_from_json ("", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 0);
  g_clear_pointer (&back, g_ptr_array_unref);

  back = civic_smart_views_from_json ("[{\"filter\": {}}]", &error);
  g_assert_null (back);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  back = civic_smart_views_from_json ("[{\"name\": 3, \"filter\": {}}]", &error);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  back = civic_smart_views_from_json ("{}", &error);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
}

/* Saved in the store: listed in order, replaced by name within a
 * department, refused without a name or a department, gone with it. */
static void
test_smart_views_store (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) views = NULL;
  g_autofree char *long_name = g_strnfill (CIVIC_SMART_VIEW_NAME_MAX + 1, 'x');
  CivicQueueFilter photos = { .department_id = f->mayor_id, .states = CIVIC_STATE_MASK_OPEN,
                              .has_photo = CIVIC_FILTER_YES };
  CivicQueueFilter mine = { .department_id = f->police_id, .states = CIVIC_STATE_MASK_ALL,
                            .claimed_by = (char *) "Ana García", .since_ms = T0 };
  CivicQueueFilter nowhere = { .department_id = 9999, .states = CIVIC_STATE_MASK_OPEN };
  CivicQueueFilter anywhere = { .states = CIVIC_STATE_MASK_OPEN };
  gint64 first, second, again;

  first = civic_store_save_smart_view (f->store, "  Con foto ", &photos, &error);
  g_assert_no_error (error);
  second = civic_store_save_smart_view (f->store, "Lo mío", &mine, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first, >, 0);
  g_assert_cmpint (second, >, first);

  views = civic_store_list_smart_views (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (views->len, ==, 2);
  g_assert_cmpstr (((CivicSmartView *) views->pdata[0])->name, ==, "Con foto");
  g_assert_cmpint (((CivicSmartView *) views->pdata[0])->id, ==, first);
  g_assert_true (civic_queue_filter_equal (((CivicSmartView *) views->pdata[0])->filter, &photos));
  g_assert_true (civic_queue_filter_equal (((CivicSmartView *) views->pdata[1])->filter, &mine));
  g_clear_pointer (&views, g_ptr_array_unref);

  /* The same name in the same department replaces it, and goes last. */
  photos.has_place = CIVIC_FILTER_YES;
  again = civic_store_save_smart_view (f->store, "Con foto", &photos, &error);
  g_assert_no_error (error);
  views = civic_store_list_smart_views (f->store, &error);
  g_assert_cmpuint (views->len, ==, 2);
  g_assert_cmpint (((CivicSmartView *) views->pdata[1])->id, ==, again);
  g_assert_cmpint (((CivicSmartView *) views->pdata[1])->filter->has_place, ==, CIVIC_FILTER_YES);
  g_clear_pointer (&views, g_ptr_array_unref);

  g_assert_cmpint (civic_store_save_smart_view (f->store, "   ", &photos, &error), ==, 0);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (civic_store_save_smart_view (f->store, long_name, &photos, &error), ==, 0);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (civic_store_save_smart_view (f->store, "Todo", &anywhere, &error), ==, 0);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (civic_store_save_smart_view (f->store, "Ninguno", &nowhere, &error), ==, 0);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A damaged row is skipped, not fatal for the others. */
  g_assert_true (_civic_store_exec (f->store, "UPDATE smart_views SET filter = '[1' WHERE name = 'Lo mío'", &error));
  views = civic_store_list_smart_views (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (views->len, ==, 1);
  g_clear_pointer (&views, g_ptr_array_unref);

  g_assert_true (civic_store_delete_smart_view (f->store, again, &error));
  views = civic_store_list_smart_views (f->store, &error);
  g_assert_cmpuint (views->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/queue-filter/json", test_filter_json);
  g_test_add_func ("/queue-filter/period", test_filter_period);
  g_test_add_func ("/queue-filter/smart-views", test_smart_views);
  ADD ("/queue-filter/sla-order", test_sla_order);
  ADD ("/queue-filter/order-matches-c", test_order_matches_c);
  ADD ("/queue-filter/filters", test_filters);
  ADD ("/queue-filter/smart-views-store", test_smart_views_store);

#undef ADD

  return g_test_run ();
}
