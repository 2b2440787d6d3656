/* civic-sim-entities.c
 *
 * The Mastodon entities as JSON, field for field in the order a Mastodon
 * 4.x server writes them (docs.joinmastodon.org entities pages, and the answers
 * recorded in tests/fixtures/mastodon-recorded).
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "civic-sim-private.h"

static const char * const supported_mime_types[] = {
  "image/jpeg", "image/png", "image/gif", "image/heic", "image/heif", "image/webp",
  "image/avif", "video/webm", "video/mp4", "video/quicktime", "video/ogg", "audio/wave",
  "audio/wav", "audio/x-wav", "audio/x-pn-wave", "audio/vnd.wave", "audio/ogg",
  "audio/vorbis", "audio/mpeg", "audio/mp3", "audio/webm", "audio/flac", "audio/aac",
  "audio/m4a", "audio/x-m4a", "audio/mp4", "audio/3gpp", "video/x-ms-asf", NULL
};

/* Mastodon stores files under the id split in groups of three digits. */
static char *
id_path (gint64 id)
{
  g_autofree char *digits = g_strdup_printf ("%018" G_GINT64_FORMAT, id);
  GString *path = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i += 3)
    {
      if (i > 0)
        g_string_append_c (path, '/');
      g_string_append_len (path, digits + i, MIN (3, len - i));
    }
  return g_string_free (path, FALSE);
}

static char *
file_hash (const char *what,
           gint64      id)
{
  g_autofree char *input = g_strdup_printf ("%s:%" G_GINT64_FORMAT, what, id);
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA1, input, -1);

  return g_strndup (sum, 16);
}

static char *
avatar_url (SimWorld         *world,
            const SimAccount *account)
{
  g_autofree char *path = id_path (account->id);
  g_autofree char *hash = file_hash ("avatar", account->id);

  return g_strdup_printf ("%s/system/accounts/avatars/%s/original/%s.png",
                          world->base_url, path, hash);
}

char *
sim_media_url (SimWorld       *world,
               const SimMedia *media,
               const char     *style)
{
  g_autofree char *path = id_path (media->id);
  g_autofree char *hash = file_hash ("media", media->id);
  const char *ext = "png";

  if (media->mime != NULL && g_str_equal (media->mime, "image/jpeg"))
    ext = "jpg";
  else if (media->mime != NULL && strchr (media->mime, '/') != NULL &&
           g_str_equal (style, "original"))
    ext = strchr (media->mime, '/') + 1;
  return g_strdup_printf ("%s/system/media_attachments/files/%s/%s/%s.%s",
                          world->base_url, path, style, hash, ext);
}

static void
write_acct (SimJson          *j,
            SimWorld         *world,
            const SimAccount *account)
{
  if (world->acct_with_domain)
    {
      g_autofree char *acct = g_strdup_printf ("%s@%s", account->username, world->domain);

      sim_json_kstr (j, "acct", acct);
    }
  else
    sim_json_kstr (j, "acct", account->username);
}

void
sim_write_account (SimJson          *j,
                   SimWorld         *world,
                   const SimAccount *account,
                   gboolean          credentials)
{
  g_autofree char *url = g_strdup_printf ("%s/@%s", world->base_url, account->username);
  g_autofree char *uri = g_strdup_printf ("%s/ap/users/%" G_GINT64_FORMAT,
                                          world->base_url, account->id);
  g_autofree char *avatar = avatar_url (world, account);
  g_autofree char *header = g_strdup_printf ("%s/headers/original/missing.png", world->base_url);
  g_autoptr(GString) note = g_string_new (NULL);
  gint64 followers, following;

  sim_render_text (account->note, world->base_url, world->domain, sim_world_lookup_cb, world,
                   note, NULL);
  if (account->department)
    {
      followers = world->citizens->len / 2 + (account->id >> 16) % 50;
      following = world->departments->len - 1;
    }
  else
    {
      followers = (account->id >> 16) % 37;
      following = world->departments->len;
    }

  sim_json_begin_object (j);
  sim_json_kid (j, "id", account->id);
  sim_json_kstr (j, "username", account->username);
  write_acct (j, world, account);
  sim_json_kstr (j, "display_name", account->display_name);
  sim_json_kbool (j, "locked", FALSE);
  sim_json_kbool (j, "bot", account->bot);
  sim_json_kbool (j, "discoverable", account->department);
  sim_json_kbool (j, "indexable", account->department);
  sim_json_kbool (j, "group", FALSE);
  sim_json_ktime (j, "created_at", account->created_at);
  sim_json_kstr (j, "note", note->str);
  sim_json_kstr (j, "url", url);
  sim_json_kstr (j, "uri", uri);
  sim_json_kstr (j, "avatar", avatar);
  sim_json_kstr (j, "avatar_static", avatar);
  sim_json_kstr (j, "avatar_description", "");
  sim_json_kstr (j, "header", header);
  sim_json_kstr (j, "header_static", header);
  sim_json_kstr (j, "header_description", "");
  sim_json_kint (j, "followers_count", followers);
  sim_json_kint (j, "following_count", following);
  sim_json_kint (j, "statuses_count", account->statuses_count);
  if (account->last_status_at > 0)
    {
      g_autofree char *date = sim_format_date (account->last_status_at);

      sim_json_kstr (j, "last_status_at", date);
    }
  else
    sim_json_knull (j, "last_status_at");
  sim_json_knull (j, "hide_collections");
  sim_json_kbool (j, "show_media", TRUE);
  sim_json_kbool (j, "show_media_replies", TRUE);
  sim_json_kbool (j, "show_featured", TRUE);
  sim_json_kbool (j, "noindex", FALSE);
  sim_json_key (j, "feature_approval");
  sim_json_begin_object (j);
  sim_json_kempty (j, "automatic");
  sim_json_kempty (j, "manual");
  sim_json_kstr (j, "current_user", "denied");
  sim_json_end_object (j);
  if (credentials)
    {
      sim_json_key (j, "source");
      sim_json_begin_object (j);
      sim_json_kstr (j, "privacy", "public");
      sim_json_kbool (j, "sensitive", FALSE);
      sim_json_kstr (j, "language", "es");
      sim_json_kstr (j, "note", account->note);
      sim_json_kempty (j, "fields");
      sim_json_kint (j, "follow_requests_count", 0);
      sim_json_knull (j, "hide_collections");
      sim_json_kbool (j, "discoverable", account->department);
      sim_json_kbool (j, "indexable", account->department);
      sim_json_kempty (j, "attribution_domains");
      sim_json_kstr (j, "quote_policy", "public");
      sim_json_end_object (j);
    }
  sim_json_kempty (j, "emojis");
  sim_json_kempty (j, "roles");
  sim_json_key (j, "fields");
  sim_json_begin_array (j);
  if (account->department)
    {
      g_autofree char *value = g_strdup_printf ("<a href=\"%s/@%s\" target=\"_blank\" rel=\"nofollow noopener me\" translate=\"no\"><span class=\"invisible\">http://</span><span class=\"\">%s/@%s</span><span class=\"invisible\"></span></a>",
                                                world->base_url, account->username,
                                                world->domain, account->username);

      sim_json_begin_object (j);
      sim_json_kstr (j, "name", "Ayuntamiento");
      sim_json_kstr (j, "value", value);
      sim_json_knull (j, "verified_at");
      sim_json_end_object (j);
    }
  sim_json_end_array (j);
  if (credentials)
    {
      sim_json_key (j, "role");
      sim_json_begin_object (j);
      sim_json_kstr (j, "id", "-99");
      sim_json_kstr (j, "name", "");
      sim_json_kstr (j, "permissions", "65536");
      sim_json_kstr (j, "color", "");
      sim_json_kbool (j, "highlighted", FALSE);
      sim_json_kint (j, "collection_limit", 10);
      sim_json_end_object (j);
    }
  sim_json_end_object (j);
}

void
sim_write_media (SimJson        *j,
                 SimWorld       *world,
                 const SimMedia *media,
                 gboolean        processing)
{
  g_autofree char *url = sim_media_url (world, media, "original");
  g_autofree char *small = sim_media_url (world, media, "small");
  gboolean has_size = media->width > 0 && media->height > 0;

  sim_json_begin_object (j);
  sim_json_kid (j, "id", media->id);
  sim_json_kstr (j, "type", media->type);
  sim_json_kstr (j, "url", processing ? NULL : url);
  sim_json_kstr (j, "preview_url", g_str_equal (media->type, "audio") ? NULL : small);
  sim_json_knull (j, "remote_url");
  sim_json_knull (j, "preview_remote_url");
  sim_json_knull (j, "text_url");
  sim_json_key (j, "meta");
  sim_json_begin_object (j);
  if (has_size)
    {
      int sw = media->width, sh = media->height;
      g_autofree char *size = g_strdup_printf ("%dx%d", media->width, media->height);
      g_autofree char *small_size = NULL;

      /* Mastodon's small version fits 640×360 worth of pixels. */
      if ((gint64) sw * sh > 230400)
        {
          double f = sqrt (230400.0 / ((double) sw * sh));

          sw = (int) (sw * f);
          sh = (int) (sh * f);
        }
      small_size = g_strdup_printf ("%dx%d", sw, sh);

      sim_json_key (j, "original");
      sim_json_begin_object (j);
      sim_json_kint (j, "width", media->width);
      sim_json_kint (j, "height", media->height);
      sim_json_kstr (j, "size", size);
      sim_json_key (j, "aspect");
      sim_json_double (j, (double) media->width / media->height);
      sim_json_end_object (j);
      sim_json_key (j, "small");
      sim_json_begin_object (j);
      sim_json_kint (j, "width", sw);
      sim_json_kint (j, "height", sh);
      sim_json_kstr (j, "size", small_size);
      sim_json_key (j, "aspect");
      sim_json_double (j, (double) sw / sh);
      sim_json_end_object (j);
    }
  sim_json_key (j, "focus");
  sim_json_begin_object (j);
  sim_json_key (j, "x");
  sim_json_double (j, media->focus_x);
  sim_json_key (j, "y");
  sim_json_double (j, media->focus_y);
  sim_json_end_object (j);
  sim_json_end_object (j);
  sim_json_kstr (j, "description", media->description);
  sim_json_kstr (j, "blurhash", media->blurhash);
  sim_json_end_object (j);
}

void
sim_write_status (SimJson         *j,
                  SimWorld        *world,
                  const SimStatus *status,
                  gint64           viewer_id)
{
  sim_write_status_full (j, world, status, viewer_id, FALSE);
}

void
sim_write_status_full (SimJson         *j,
                       SimWorld        *world,
                       const SimStatus *status,
                       gint64           viewer_id,
                       gboolean         source_text)
{
  const SimAccount *account = sim_world_account (world, status->account_id);
  const SimApp *app = status->app_id > 0 ? sim_world_app (world, status->app_id) : NULL;
  g_autoptr(GString) content = g_string_new (NULL);
  g_autofree char *uri = NULL;
  g_autofree char *url = NULL;
  SimTextInfo info = { 0 };
  gboolean open = status->visibility <= SIM_VIS_UNLISTED;

  g_assert (account != NULL);
  sim_render_text (status->text, world->base_url, world->domain, sim_world_lookup_cb, world,
                   content, &info);
  uri = g_strdup_printf ("%s/ap/users/%" G_GINT64_FORMAT "/statuses/%" G_GINT64_FORMAT,
                         world->base_url, account->id, status->id);
  url = g_strdup_printf ("%s/@%s/%" G_GINT64_FORMAT, world->base_url, account->username,
                         status->id);

  sim_json_begin_object (j);
  sim_json_kid (j, "id", status->id);
  sim_json_ktime (j, "created_at", status->created_at);
  sim_json_kid (j, "in_reply_to_id", status->in_reply_to_id);
  sim_json_kid (j, "in_reply_to_account_id", status->in_reply_to_account_id);
  sim_json_kbool (j, "sensitive", status->sensitive);
  sim_json_kstr (j, "spoiler_text", status->spoiler_text != NULL ? status->spoiler_text : "");
  sim_json_kstr (j, "visibility", sim_visibility_to_string (status->visibility));
  sim_json_kstr (j, "language", status->language);
  sim_json_kstr (j, "uri", uri);
  sim_json_kstr (j, "url", url);
  sim_json_kint (j, "replies_count", status->replies_count);
  sim_json_kint (j, "reblogs_count", 0);
  sim_json_kint (j, "favourites_count", 0);
  sim_json_kint (j, "quotes_count", 0);
  sim_json_knull (j, "edited_at");
  if (viewer_id > 0)
    {
      sim_json_kbool (j, "favourited", FALSE);
      sim_json_kbool (j, "reblogged", FALSE);
      sim_json_kbool (j, "muted", FALSE);
      sim_json_kbool (j, "bookmarked", FALSE);
      /* Only a status one could pin: one's own, public or unlisted. */
      if (viewer_id == status->account_id && open)
        sim_json_kbool (j, "pinned", FALSE);
    }
  /* A deleted status comes back with its source, for redrafting. */
  if (source_text)
    sim_json_kstr (j, "text", status->text);
  else
    sim_json_kstr (j, "content", content->str);
  if (viewer_id > 0)
    sim_json_kempty (j, "filtered");
  sim_json_knull (j, "reblog");
  sim_json_key (j, "application");
  sim_json_begin_object (j);
  sim_json_kstr (j, "name", app != NULL ? app->name : "Web");
  sim_json_kstr (j, "website", app != NULL ? app->website : NULL);
  sim_json_end_object (j);
  sim_json_key (j, "account");
  sim_write_account (j, world, account, FALSE);

  sim_json_key (j, "media_attachments");
  sim_json_begin_array (j);
  if (status->media_ids != NULL)
    {
      g_auto(GStrv) ids = g_strsplit (status->media_ids, ",", -1);

      for (guint i = 0; ids[i] != NULL; i++)
        {
          SimMedia media = { 0 };

          if (sim_world_get_media (world, g_ascii_strtoll (ids[i], NULL, 10), &media))
            sim_write_media (j, world, &media, FALSE);
          sim_media_clear (&media);
        }
    }
  sim_json_end_array (j);

  sim_json_key (j, "mentions");
  sim_json_begin_array (j);
  for (guint i = 0; i < info.mentions->len; i++)
    {
      const SimAccount *m = g_ptr_array_index (info.mentions, i);
      g_autofree char *murl = g_strdup_printf ("%s/@%s", world->base_url, m->username);

      sim_json_begin_object (j);
      sim_json_kid (j, "id", m->id);
      sim_json_kstr (j, "username", m->username);
      sim_json_kstr (j, "url", murl);
      write_acct (j, world, m);
      sim_json_end_object (j);
    }
  sim_json_end_array (j);

  sim_json_key (j, "tags");
  sim_json_begin_array (j);
  for (guint i = 0; i < info.tags->len; i++)
    {
      const char *name = g_ptr_array_index (info.tags, i);
      g_autofree char *turl = g_strdup_printf ("%s/tags/%s", world->base_url, name);

      sim_json_begin_object (j);
      sim_json_kstr (j, "name", name);
      sim_json_kstr (j, "url", turl);
      sim_json_end_object (j);
    }
  sim_json_end_array (j);

  sim_json_kempty (j, "emojis");
  sim_json_kempty (j, "tagged_collections");
  sim_json_knull (j, "quote");
  sim_json_knull (j, "card");
  sim_json_knull (j, "poll");
  sim_json_key (j, "quote_approval");
  sim_json_begin_object (j);
  sim_json_key (j, "automatic");
  sim_json_begin_array (j);
  if (open)
    sim_json_string (j, "public");
  sim_json_end_array (j);
  sim_json_kempty (j, "manual");
  sim_json_kstr (j, "current_user", open ? "automatic" : "denied");
  sim_json_end_object (j);
  sim_json_end_object (j);

  sim_text_info_clear (&info);
}

void
sim_write_notification (SimJson               *j,
                        SimWorld              *world,
                        const SimNotification *n,
                        gint64                 viewer_id)
{
  const SimAccount *from = sim_world_account (world, n->from_account_id);
  SimStatus status = { 0 };
  char group_key[48];

  g_snprintf (group_key, sizeof group_key, "ungrouped-%" G_GINT64_FORMAT, n->id);

  sim_json_begin_object (j);
  sim_json_kid (j, "id", n->id);
  sim_json_kstr (j, "type", sim_notification_types[n->type]);
  sim_json_ktime (j, "created_at", n->created_at);
  sim_json_kstr (j, "group_key", group_key);
  sim_json_key (j, "account");
  sim_write_account (j, world, from, FALSE);
  if (n->status_id > 0 && sim_world_get_status (world, n->status_id, &status))
    {
      sim_json_key (j, "status");
      sim_write_status (j, world, &status, viewer_id);
    }
  sim_json_end_object (j);
  sim_status_clear (&status);
}

static void
write_string_array (SimJson            *j,
                    const char         *key,
                    const char * const *values)
{
  sim_json_key (j, key);
  sim_json_begin_array (j);
  for (guint i = 0; values[i] != NULL; i++)
    sim_json_string (j, values[i]);
  sim_json_end_array (j);
}

static void
write_limits (SimJson *j,
              int      version)
{
  sim_json_key (j, "statuses");
  sim_json_begin_object (j);
  sim_json_kint (j, "max_characters", 500);
  sim_json_kint (j, "max_media_attachments", 4);
  sim_json_kint (j, "characters_reserved_per_url", 23);
  sim_json_end_object (j);

  sim_json_key (j, "media_attachments");
  sim_json_begin_object (j);
  /* Mastodon writes v2's keys in alphabetical order, v1's in another. */
  if (version == 2)
    {
      sim_json_kint (j, "description_limit", 1500);
      sim_json_kint (j, "image_matrix_limit", 33177600);
      sim_json_kint (j, "image_size_limit", 16777216);
      write_string_array (j, "supported_mime_types", supported_mime_types);
      sim_json_kint (j, "video_frame_rate_limit", 120);
      sim_json_kint (j, "video_matrix_limit", 8294400);
      sim_json_kint (j, "video_size_limit", 103809024);
    }
  else
    {
      write_string_array (j, "supported_mime_types", supported_mime_types);
      sim_json_kint (j, "image_size_limit", 16777216);
      sim_json_kint (j, "image_matrix_limit", 33177600);
      sim_json_kint (j, "video_size_limit", 103809024);
      sim_json_kint (j, "video_frame_rate_limit", 120);
      sim_json_kint (j, "video_matrix_limit", 8294400);
    }
  sim_json_end_object (j);

  sim_json_key (j, "polls");
  sim_json_begin_object (j);
  sim_json_kint (j, "max_options", 4);
  sim_json_kint (j, "max_characters_per_option", 50);
  sim_json_kint (j, "min_expiration", 300);
  sim_json_kint (j, "max_expiration", 2629746);
  sim_json_end_object (j);
}

static void
write_rules (SimJson *j)
{
  static const char * const rules[] = {
    "Trata con respeto a vecinos y trabajadores municipales.",
    "No publiques datos personales de otras personas.",
    "Para urgencias llama al 112: esta red no sustituye a los servicios de emergencia.",
    NULL
  };

  sim_json_key (j, "rules");
  sim_json_begin_array (j);
  for (guint i = 0; rules[i] != NULL; i++)
    {
      sim_json_begin_object (j);
      sim_json_key (j, "id");
      {
        char id[8];

        g_snprintf (id, sizeof id, "%u", i + 1);
        sim_json_string (j, id);
      }
      sim_json_kstr (j, "text", rules[i]);
      sim_json_kstr (j, "hint", "");
      sim_json_end_object (j);
    }
  sim_json_end_array (j);
}

static gint64
count_rows (SimWorld   *world,
            const char *sql)
{
  sqlite3_stmt *stmt = sim_world_prepare (world, sql);
  gint64 n = 0;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

void
sim_write_instance (SimJson  *j,
                    SimWorld *world,
                    int       version,
                    gboolean  streaming)
{
  const SimAccount *contact = sim_world_account_by_name (world, "alcaldia");
  g_autofree char *thumbnail = g_strdup_printf ("%s/packs/media/images/preview.png",
                                                world->base_url);
  static const char * const languages[] = { "es", NULL };
  const char *title = "Jun";
  const char *description = "Red social municipal de Jun (Granada): vecinos y servicios "
                            "del Ayuntamiento conversan en público desde 2011.";

  sim_json_begin_object (j);
  if (version == 1)
    {
      sim_json_kstr (j, "uri", world->domain);
      sim_json_kstr (j, "title", title);
      sim_json_kstr (j, "short_description", description);
      sim_json_kstr (j, "description", description);
      sim_json_kstr (j, "email", "ayuntamiento@jun.example");
      sim_json_kstr (j, "version", SIM_VERSION_STRING);
      sim_json_key (j, "urls");
      sim_json_begin_object (j);
      if (streaming)
        sim_json_kstr (j, "streaming_api", world->streaming_url);
      sim_json_end_object (j);
      sim_json_key (j, "stats");
      sim_json_begin_object (j);
      sim_json_kint (j, "user_count", world->accounts->len);
      sim_json_kint (j, "status_count",
                     count_rows (world, "SELECT COUNT(*) FROM statuses WHERE deleted = 0"));
      sim_json_kint (j, "domain_count", 1);
      sim_json_end_object (j);
      sim_json_kstr (j, "thumbnail", thumbnail);
      write_string_array (j, "languages", languages);
      sim_json_kbool (j, "registrations", FALSE);
      sim_json_kbool (j, "approval_required", FALSE);
      sim_json_kbool (j, "invites_enabled", FALSE);
      sim_json_key (j, "configuration");
      sim_json_begin_object (j);
      sim_json_key (j, "accounts");
      sim_json_begin_object (j);
      sim_json_kint (j, "max_featured_tags", 10);
      sim_json_end_object (j);
      write_limits (j, 1);
      sim_json_end_object (j);
      sim_json_key (j, "contact_account");
      if (contact != NULL)
        sim_write_account (j, world, contact, FALSE);
      else
        sim_json_null (j);
      write_rules (j);
    }
  else
    {
      g_autofree char *about = g_strdup_printf ("%s/about", world->base_url);
      g_autofree char *privacy = g_strdup_printf ("%s/privacy-policy", world->base_url);

      sim_json_kstr (j, "domain", world->domain);
      sim_json_kstr (j, "title", title);
      sim_json_kstr (j, "version", SIM_VERSION_STRING);
      sim_json_kstr (j, "source_url", "https://github.com/mastodon/mastodon");
      sim_json_kstr (j, "description", description);
      sim_json_key (j, "usage");
      sim_json_begin_object (j);
      sim_json_key (j, "users");
      sim_json_begin_object (j);
      sim_json_kint (j, "active_month", world->accounts->len);
      sim_json_end_object (j);
      sim_json_end_object (j);
      sim_json_key (j, "thumbnail");
      sim_json_begin_object (j);
      sim_json_kstr (j, "url", thumbnail);
      sim_json_kstr (j, "description", "El escudo de Jun sobre la sierra.");
      sim_json_end_object (j);
      sim_json_kempty (j, "icon");
      write_string_array (j, "languages", languages);
      sim_json_key (j, "configuration");
      sim_json_begin_object (j);
      sim_json_key (j, "urls");
      sim_json_begin_object (j);
      if (streaming)
        sim_json_kstr (j, "streaming", world->streaming_url);
      sim_json_knull (j, "status");
      sim_json_kstr (j, "about", about);
      sim_json_kstr (j, "privacy_policy", privacy);
      sim_json_knull (j, "terms_of_service");
      sim_json_end_object (j);
      sim_json_key (j, "vapid");
      sim_json_begin_object (j);
      sim_json_kstr (j, "public_key", "BCivicSimHasNoWebPushButTheKeyHasTheUsualShapeOfOne"
                                      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
      sim_json_end_object (j);
      sim_json_key (j, "accounts");
      sim_json_begin_object (j);
      sim_json_kint (j, "max_display_name_length", 30);
      sim_json_kint (j, "max_note_length", 500);
      sim_json_kint (j, "max_avatar_description_length", 150);
      sim_json_kint (j, "max_header_description_length", 150);
      sim_json_kint (j, "max_featured_tags", 10);
      sim_json_kint (j, "max_pinned_statuses", 5);
      sim_json_kint (j, "max_profile_fields", 4);
      sim_json_kint (j, "profile_field_name_limit", 255);
      sim_json_kint (j, "profile_field_value_limit", 255);
      sim_json_end_object (j);
      write_limits (j, 2);
      sim_json_key (j, "translation");
      sim_json_begin_object (j);
      sim_json_kbool (j, "enabled", FALSE);
      sim_json_end_object (j);
      sim_json_key (j, "timelines_access");
      sim_json_begin_object (j);
      {
        static const char * const feeds[] = { "live_feeds", "hashtag_feeds", "trending_link_feeds", NULL };

        for (guint i = 0; feeds[i] != NULL; i++)
          {
            sim_json_key (j, feeds[i]);
            sim_json_begin_object (j);
            sim_json_kstr (j, "local", "public");
            sim_json_kstr (j, "remote", "public");
            sim_json_end_object (j);
          }
      }
      sim_json_end_object (j);
      sim_json_kbool (j, "limited_federation", FALSE);
      sim_json_end_object (j);
      sim_json_key (j, "registrations");
      sim_json_begin_object (j);
      sim_json_kbool (j, "enabled", FALSE);
      sim_json_kbool (j, "approval_required", FALSE);
      sim_json_kbool (j, "reason_required", FALSE);
      sim_json_kstr (j, "message", "<p>Las cuentas las da el Ayuntamiento de Jun.</p>");
      sim_json_knull (j, "min_age");
      sim_json_knull (j, "url");
      sim_json_end_object (j);
      sim_json_key (j, "api_versions");
      sim_json_begin_object (j);
      sim_json_kint (j, "mastodon", 2);
      sim_json_end_object (j);
      sim_json_knull (j, "wrapstodon");
      sim_json_key (j, "contact");
      sim_json_begin_object (j);
      sim_json_kstr (j, "email", "ayuntamiento@jun.example");
      sim_json_key (j, "account");
      if (contact != NULL)
        sim_write_account (j, world, contact, FALSE);
      else
        sim_json_null (j);
      sim_json_end_object (j);
      write_rules (j);
    }
  sim_json_end_object (j);
}
