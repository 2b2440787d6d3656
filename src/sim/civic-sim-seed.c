/* civic-sim-seed.c
 *
 * Seeds a fresh world with the Jun data set: the six department accounts,
 * a few hundred citizens, and weeks of mentions before --now, some with
 * photos and places, some answered in threads and some followed up.
 * Everything comes from --seed and --now, never from the real clock, so
 * the same pair gives byte-identical answers.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "civic-sim-private.h"

#define MINUTE ((gint64) 60 * 1000)
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)

typedef enum
{
  EVENT_MENTION,
  EVENT_REPLY,
  EVENT_FOLLOW_UP,
  EVENT_MENU,
} EventKind;

typedef struct
{
  gint64 time;
  guint order;           /* tie-break: creation order */
  EventKind kind;
  guint citizen;         /* index into citizens */
  guint department;
  guint parent;          /* event index of what this answers */
  gint64 status_id;      /* once posted */
  int visibility;
} Event;

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const Event *x = a, *y = b;

  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

gint64
sim_seed_add_photo (SimWorld   *world,
                    gint64      account_id,
                    int         scene,
                    const char *alt,
                    gint64      created_at)
{
  SimMedia media = { 0 };
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  media.account_id = account_id;
  media.type = (char *) "image";
  media.mime = (char *) "image/png";
  media.scene = scene;
  media.description = (char *) alt;
  media.width = 640;
  media.height = 480;
  media.created_at = created_at;
  id = sim_world_add_media (world, &media);

  hash = sim_media_blurhash (scene, (guint) (id & 0xffffff));
  stmt = sim_world_prepare (world, "UPDATE media SET blurhash = ?2 WHERE id = ?1");
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  sqlite3_step (stmt);
  sqlite3_reset (stmt);
  return id;
}

/* Busy in the morning and the evening, quiet at night (local time, UTC+1). */
static gint64
pick_time (GRand  *rand,
           gint64  start,
           gint64  end)
{
  static const int weight[24] = {
    1, 1, 1, 0, 0, 0, 1, 3, 6, 8, 9, 9, 8, 7, 5, 5, 6, 7, 8, 9, 8, 6, 4, 2
  };

  for (;;)
    {
      gint64 t = start + (gint64) (g_rand_double (rand) * (end - start));
      int hour = (int) (((t + HOUR) / HOUR) % 24);

      if (g_rand_int_range (rand, 0, 10) < weight[hour])
        return t;
    }
}

static gint64
post_text (SimWorld   *world,
           gint64      account_id,
           const char *text,
           int         visibility,
           gint64      in_reply_to,
           gint64      created_at,
           GArray     *media_ids,
           GArray     *notifications)
{
  SimPost post = { 0 };

  post.account_id = account_id;
  post.text = text;
  post.visibility = visibility;
  post.in_reply_to_id = in_reply_to;
  post.language = "es";
  post.created_at = created_at;
  post.media_ids = media_ids;
  return sim_world_post (world, &post, notifications);
}

static char *
mention_prefix (const SimMentionText *m)
{
  if (m->second != G_MAXUINT && m->second < sim_n_departments)
    return g_strdup_printf ("@%s @%s ", sim_departments[m->department].username,
                            sim_departments[m->second].username);
  return g_strdup_printf ("@%s ", sim_departments[m->department].username);
}

void
sim_seed_world (SimWorld             *world,
                const SimSeedOptions *options)
{
  g_autoptr(SimGen) gen = sim_gen_new (options->seed);
  GRand *rand = sim_gen_rand (gen);
  g_autoptr(GArray) citizens = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) created = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (Event));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) scenes = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GPtrArray) photo_alts = g_ptr_array_new_with_free_func (g_free);
  gint64 now = options->now_ms;
  gint64 start = now - (gint64) MAX (options->days, 1) * DAY;
  gint64 founded;
  guint order = 0;

  sim_world_begin (world);

  /* Jun has been on its microblog since 2011. */
  founded = now - (gint64) 15 * 365 * DAY;
  founded -= founded % DAY;
  for (guint i = 0; i < sim_n_departments; i++)
    {
      const SimDepartment *d = &sim_departments[i];
      g_autofree char *email = g_strdup_printf ("%s@ayto-jun.example", d->username);

      sim_world_add_account (world, d->username, d->display_name, d->note, email, TRUE,
                             founded + (gint64) i * 3 * DAY, d->hue);
    }

  /* Citizens joined over the years, all before the weeks of the data set. */
  for (guint i = 0; i < options->citizens; i++)
    {
      gint64 t = founded + (gint64) (g_rand_double (rand) * (start - DAY - founded));

      g_array_append_val (created, t);
    }
  g_array_sort (created, compare_int64);
  for (guint i = 0; i < options->citizens; i++)
    {
      g_autofree char *username = NULL;
      g_autofree char *display = NULL;
      g_autofree char *email = NULL;
      const SimAccount *a;

      sim_gen_citizen (gen, i, &username, &display);
      email = g_strdup_printf ("%s@correo.jun.example", username);
      a = sim_world_add_account (world, username, display, "", email, FALSE,
                                 g_array_index (created, gint64, i),
                                 (guint) g_rand_int_range (rand, 0, 360));
      g_array_append_val (citizens, a->id);
    }
  if (citizens->len == 0)
    {
      sim_world_commit (world);
      return;
    }

  /* The mentions, then the answers and follow-ups they get, all placed in
   * time first and posted in time order so ids grow with time. */
  for (guint i = 0; i < options->mentions; i++)
    {
      Event e = { 0 };

      e.time = pick_time (rand, start, now - MINUTE);
      e.order = order++;
      e.kind = EVENT_MENTION;
      /* A few people write a lot; most write now and then. */
      e.citizen = (guint) (pow (g_rand_double (rand), 2.2) * citizens->len);
      e.citizen = MIN (e.citizen, citizens->len - 1);
      e.department = G_MAXUINT;
      e.parent = G_MAXUINT;
      g_array_append_val (events, e);
    }

  {
    guint n = events->len;

    for (guint i = 0; i < n; i++)
      {
        Event *m = &g_array_index (events, Event, i);
        gint64 age = now - m->time;
        /* Jun answers within the hour: what is older than a day is nearly
         * all answered; the last hours are the live queue. */
        double p = age > DAY ? 0.97 : age > 3 * HOUR ? 0.8 : age > HOUR ? 0.4 : 0.1;
        Event reply = { 0 };

        if (g_rand_double (rand) >= p)
          continue;
        reply.kind = EVENT_REPLY;
        reply.parent = i;
        reply.citizen = m->citizen;
        reply.order = order++;
        reply.time = m->time + MINUTE * g_rand_int_range (rand, 3, 90) +
                     (g_rand_int_range (rand, 0, 4) == 0 ? HOUR * g_rand_int_range (rand, 1, 30) : 0);
        if (reply.time >= now)
          continue;
        g_array_append_val (events, reply);
        m = &g_array_index (events, Event, i);

        if (g_rand_int_range (rand, 0, 100) < 22)
          {
            Event follow = { 0 };

            follow.kind = EVENT_FOLLOW_UP;
            follow.parent = events->len - 1;
            follow.citizen = m->citizen;
            follow.order = order++;
            follow.time = reply.time + MINUTE * g_rand_int_range (rand, 5, 600);
            if (follow.time < now)
              g_array_append_val (events, follow);
          }
      }
  }

  /* The canteen posts the menu every school day at about half past nine. */
  for (gint64 day = start - start % DAY; day < now; day += DAY)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (day / 1000);
      Event menu = { 0 };

      if (g_date_time_get_day_of_week (dt) > 5)
        continue;
      menu.kind = EVENT_MENU;
      menu.time = day + 8 * HOUR + 25 * MINUTE + MINUTE * g_rand_int_range (rand, 0, 15);
      menu.order = order++;
      menu.parent = G_MAXUINT;
      if (menu.time > start && menu.time < now)
        g_array_append_val (events, menu);
    }

  /* Texts are drawn in creation order, before sorting by time, so that the
   * data set does not change if two events trade places. */
  for (guint i = 0; i < events->len; i++)
    {
      Event *e = &g_array_index (events, Event, i);

      if (e->kind == EVENT_MENTION)
        {
          SimMentionText m = { 0 };
          g_autofree char *prefix = NULL;

          const SimAccount *citizen = sim_world_account (world, g_array_index (citizens, gint64, e->citizen));

          sim_gen_mention (gen, G_MAXUINT, citizen->display_name, g_rand_int_range (rand, 0, 100) < 92, &m);
          prefix = mention_prefix (&m);
          e->department = m.department;
          e->visibility = m.visibility;
          g_ptr_array_add (texts, g_strconcat (prefix, m.text, NULL));
          g_array_append_val (scenes, m.scene);
          g_ptr_array_add (photo_alts, g_steal_pointer (&m.alt));
          sim_mention_text_clear (&m);
        }
      else
        {
          g_ptr_array_add (texts, NULL);
          {
            int none = -1;

            g_array_append_val (scenes, none);
          }
          g_ptr_array_add (photo_alts, NULL);
        }
      e->order = i;
    }
  for (guint i = 0; i < events->len; i++)
    {
      Event *e = &g_array_index (events, Event, i);

      if (e->kind == EVENT_MENU)
        {
          e->department = 3;
          e->visibility = SIM_VIS_PUBLIC;
          g_ptr_array_index (texts, i) = sim_gen_menu (gen);
        }
      else if (e->kind != EVENT_MENTION)
        {
          const Event *parent = &g_array_index (events, Event, e->parent);
          const Event *root = parent->kind == EVENT_MENTION ? parent
                                                            : &g_array_index (events, Event, parent->parent);

          e->department = root->department;
          e->visibility = root->visibility;
          if (e->kind == EVENT_REPLY)
            {
              const SimAccount *citizen = sim_world_account (world, g_array_index (citizens, gint64, e->citizen));

              g_ptr_array_index (texts, i) = sim_gen_reply (gen, e->department, citizen->username);
            }
          else
            {
              g_autofree char *words = sim_gen_follow_up (gen, e->department);

              g_ptr_array_index (texts, i) = g_strdup_printf ("@%s %s",
                                                              sim_departments[e->department].username,
                                                              words);
            }
        }
    }

  {
    g_autoptr(GArray) sorted = g_array_sized_new (FALSE, FALSE, sizeof (Event), events->len);
    g_autoptr(GArray) status_of = g_array_new (FALSE, TRUE, sizeof (gint64));

    g_array_append_vals (sorted, events->data, events->len);
    g_array_sort (sorted, compare_events);
    g_array_set_size (status_of, events->len);

    for (guint k = 0; k < sorted->len; k++)
      {
        Event *e = &g_array_index (sorted, Event, k);
        guint i = e->order;
        const char *text = g_ptr_array_index (texts, i);
        gint64 citizen = g_array_index (citizens, gint64, e->citizen);
        gint64 in_reply_to = e->kind != EVENT_MENTION && e->kind != EVENT_MENU
                               ? g_array_index (status_of, gint64, e->parent) : 0;
        gint64 author = citizen;
        g_autoptr(GArray) media = NULL;
        int scene = g_array_index (scenes, int, i);

        if (e->kind == EVENT_REPLY || e->kind == EVENT_MENU)
          author = sim_world_account_by_name (world, sim_departments[e->department].username)->id;
        if (scene >= 0)
          {
            gint64 mid = sim_seed_add_photo (world, citizen, scene, g_ptr_array_index (photo_alts, i),
                                             e->time - MINUTE);

            media = g_array_new (FALSE, FALSE, sizeof (gint64));
            g_array_append_val (media, mid);
          }
        g_array_index (status_of, gint64, i) =
          post_text (world, author, text, e->visibility, in_reply_to, e->time, media, NULL);
      }
  }

  sim_world_commit (world);
}

gint64
sim_seed_live_mention (SimWorld   *world,
                       SimGen     *gen,
                       const char *to,
                       GArray     *notifications)
{
  GRand *rand = sim_gen_rand (gen);
  SimMentionText m = { 0 };
  g_autofree char *prefix = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GArray) media = NULL;
  guint department = G_MAXUINT;
  gint64 citizen, id, now;

  if (world->citizens->len == 0)
    return 0;
  if (to != NULL)
    for (guint i = 0; i < sim_n_departments; i++)
      if (g_str_equal (sim_departments[i].username, to))
        department = i;

  now = sim_world_now_ms (world);
  citizen = g_array_index (world->citizens, gint64,
                           (guint) MIN (pow (g_rand_double (rand), 2.2) * world->citizens->len,
                                        world->citizens->len - 1));
  sim_gen_mention (gen, department, sim_world_account (world, citizen)->display_name,
                   g_rand_int_range (rand, 0, 100) < 92, &m);
  if (department != G_MAXUINT)
    m.second = G_MAXUINT;
  prefix = mention_prefix (&m);
  text = g_strconcat (prefix, m.text, NULL);
  if (m.scene >= 0)
    {
      gint64 mid = sim_seed_add_photo (world, citizen, m.scene, m.alt, now);

      media = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (media, mid);
    }
  id = post_text (world, citizen, text, m.visibility, 0, now, media, notifications);
  sim_mention_text_clear (&m);
  return id;
}
