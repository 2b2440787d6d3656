/* civicctl-reply.c
 *
 * civicctl reply and outbox: queue a reply through the same outbox as the
 * desk, try to deliver it for a while, and look at what waits.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "civic-context.h"
#include "civic-outbox.h"
#include "civic-sync.h"
#include "civicctl.h"

#define DEFAULT_TIMEOUT_S 30
#define DEFAULT_WAIT_S 20
#define UNWIND_MS 3000

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

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Cancels what is on the wire and lets it unwind (its rows go back to
 * waiting), for a bounded time. */
static void
stop_outbox (CivicOutbox *outbox)
{
  gboolean late = FALSE;
  guint source;

  civic_outbox_stop (outbox);
  source = g_timeout_add (UNWIND_MS, flag_cb, &late);
  while (civic_outbox_is_busy (outbox) && !late)
    g_main_context_iteration (NULL, TRUE);
  if (!late)
    g_source_remove (source);
}

/* The person who signs the audit rows. */
static const char *
default_person (void)
{
  const char *name = g_get_real_name ();

  if (name == NULL || *name == '\0' || g_str_equal (name, "Unknown"))
    name = g_get_user_name ();

  return name;
}

static CivicOutbox *
open_outbox (const char  *database,
             guint        timeout_s,
             GError     **error)
{
  g_autoptr(CivicStore) store = NULL;
  g_autoptr(CivicContext) context = NULL;
  g_autoptr(SoupSession) session = NULL;

  store = civicctl_open_store (database, error);
  if (store == NULL)
    return NULL;

  context = civic_context_new (store, NULL);
  session = civic_sync_new_session (timeout_s);

  return civic_outbox_new (context, session);
}

/* Delivers until reply @id (0: all) settles or @wait_s passes. */
static gboolean
drain (CivicOutbox  *outbox,
       gint64        id,
       guint         wait_s,
       gboolean     *settled,
       GError      **error)
{
  Wait wait = { 0 };
  gboolean ok;

  civic_outbox_drain_async (outbox, id, wait_s * 1000, NULL, wait_cb, &wait);
  civicctl_run_until (&wait.done);
  ok = civic_outbox_drain_finish (outbox, wait.result, settled, error);
  g_object_unref (wait.result);

  return ok;
}

int
civicctl_reply (int    argc,
                char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *text_file = NULL;
  g_autofree char *visibility = NULL;
  g_autofree char *spoiler = NULL;
  g_autofree char *language = NULL;
  g_autofree char *person = NULL;
  g_auto(GStrv) media = NULL;
  g_auto(GStrv) alts = NULL;
  int timeout_s = DEFAULT_TIMEOUT_S;
  int wait_s = DEFAULT_WAIT_S;
  const GOptionEntry entries[] = {
    { "text-file", 0, 0, G_OPTION_ARG_FILENAME, &text_file, N_("The reply, exactly as it is to be posted"), N_("FILE") },
    { "visibility", 0, 0, G_OPTION_ARG_STRING, &visibility,
      N_("public, unlisted, private or direct (default: public, or the mention’s if narrower)"), N_("VISIBILITY") },
    { "spoiler", 0, 0, G_OPTION_ARG_STRING, &spoiler, N_("A content warning"), N_("TEXT") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("The reply’s language (default: the department’s)"), N_("CODE") },
    { "media", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &media, N_("Attach a photo (repeat for more)"), N_("FILE") },
    { "alt", 0, 0, G_OPTION_ARG_STRING_ARRAY, &alts, N_("The photo’s description, one per --media"), N_("TEXT") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &person, N_("Who signs the reply in the audit log (default: you)"), N_("NAME") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, N_("Give up on a request after this many seconds (default 30)"), N_("SECONDS") },
    { "wait", 0, 0, G_OPTION_ARG_INT, &wait_s, N_("Try to deliver for this long, then leave it queued (default 20)"), N_("SECONDS") },
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, N_("Use this database file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(CivicOutbox) outbox = NULL;
  g_autoptr(CivicOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  CivicOutboxReply reply = { 0 };
  gboolean settled = FALSE;
  gint64 mention_id, id = 0;
  char *end = NULL;

  if (!civicctl_parse_options (&argc, &argv, _("ID"),
                               _("Queue a reply to mention ID (as “civicctl list --json” prints it) and try "
                                 "to deliver it. Exit status 0: the reply is sent, or safely queued for "
                                 "“civicctl sync” or the desk to send."),
                               entries))
    return 2;

  if (argc != 2 || text_file == NULL)
    {
      g_printerr ("civicctl reply: %s\n", _("give one mention ID and --text-file"));
      return 2;
    }
  mention_id = g_ascii_strtoll (argv[1], &end, 10);
  if (end == argv[1] || *end != '\0' || mention_id <= 0)
    {
      g_printerr (_("civicctl reply: “%s” is not a mention ID\n"), argv[1]);
      return 2;
    }
  if ((media != NULL ? g_strv_length (media) : 0) != (alts != NULL ? g_strv_length (alts) : 0))
    {
      g_printerr ("civicctl reply: %s\n", _("give one --alt for each --media"));
      return 2;
    }

  if (!g_file_get_contents (text_file, &body, NULL, &error))
    {
      g_printerr ("civicctl reply: %s\n", error->message);
      return 1;
    }

  outbox = open_outbox (database, (guint) MAX (timeout_s, 1), &error);
  if (outbox == NULL)
    {
      g_printerr ("civicctl reply: %s\n", error->message);
      return 1;
    }

  reply.mention_id = mention_id;
  reply.body = body;
  reply.spoiler_text = spoiler;
  reply.visibility = visibility;
  reply.language = language;
  reply.media_paths = (const char * const *) media;
  reply.media_descriptions = (const char * const *) alts;

  if (!civic_outbox_queue (outbox, &reply, person != NULL ? person : default_person (), "civicctl",
                           g_get_real_time () / 1000, &id, &error))
    {
      g_printerr ("civicctl reply: %s\n", error->message);
      return 1;
    }
  /* From here on the reply is safe in the store, whatever happens. */
  g_print (_("Queued as outbox %lld\n"), (long long) id);
  fflush (stdout);

  if (wait_s > 0 && !drain (outbox, id, (guint) wait_s, &settled, &error))
    g_printerr ("civicctl reply: %s\n", error->message);
  stop_outbox (outbox);

  item = civic_outbox_load (outbox, id, NULL);
  if (item != NULL && item->state == CIVIC_OUTBOX_STATE_SENT)
    {
      g_print (_("Sent as status %s\n"), item->remote_status_id);
      return 0;
    }
  if (item != NULL && item->state == CIVIC_OUTBOX_STATE_FAILED)
    {
      g_printerr (_("civicctl reply: the server refused the reply: %s\n"), item->last_error);
      g_printerr ("%s\n", _("Its text is back in the mention’s draft."));
      return 1;
    }

  if (item != NULL && item->last_error != NULL)
    g_print (_("Not sent yet (%s); it stays queued for “civicctl sync” or the desk\n"), item->last_error);
  else
    g_print ("%s\n", _("Not sent yet; it stays queued for “civicctl sync” or the desk"));

  return 0;
}

static char *
format_time (gint64 ms)
{
  g_autoptr(GDateTime) dt = NULL;

  if (ms <= 0)
    return g_strdup ("-");

  dt = g_date_time_new_from_unix_local (ms / 1000);
  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S") : g_strdup ("-");
}

static void
print_json (GPtrArray *items)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    {
      CivicOutboxItem *item = g_ptr_array_index (items, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, item->id);
      json_builder_set_member_name (builder, "mention_id");
      json_builder_add_int_value (builder, item->mention_id);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, civic_outbox_state_to_string (item->state));
      json_builder_set_member_name (builder, "attempts");
      json_builder_add_int_value (builder, item->attempts);
      json_builder_set_member_name (builder, "next_attempt_at");
      json_builder_add_int_value (builder, item->next_attempt_at_ms);
      json_builder_set_member_name (builder, "last_error");
      if (item->last_error != NULL)
        json_builder_add_string_value (builder, item->last_error);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "idempotency_key");
      json_builder_add_string_value (builder, item->idempotency_key);
      json_builder_set_member_name (builder, "remote_status_id");
      if (item->remote_status_id != NULL)
        json_builder_add_string_value (builder, item->remote_status_id);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "body");
      json_builder_add_string_value (builder, item->body);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  g_print ("%s\n", text);
}

static void
print_table (GPtrArray *items)
{
  if (items->len == 0)
    {
      g_print ("%s\n", _("The outbox is empty."));
      return;
    }

  /* Translators: column headers of "civicctl outbox" */
  g_print ("%s\n", _("ID\tMENTION\tSTATE\tATTEMPTS\tNEXT ATTEMPT\tLAST ERROR"));
  for (guint i = 0; i < items->len; i++)
    {
      CivicOutboxItem *item = g_ptr_array_index (items, i);
      g_autofree char *next = format_time (item->state == CIVIC_OUTBOX_STATE_PENDING ||
                                           item->state == CIVIC_OUTBOX_STATE_SENDING
                                             ? MAX (item->next_attempt_at_ms, item->created_at_ms)
                                             : 0);

      g_print ("%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%s\t%u\t%s\t%s\n", item->id, item->mention_id,
               civic_outbox_state_to_string (item->state), item->attempts, next,
               item->last_error != NULL ? item->last_error : "");
    }
}

int
civicctl_outbox (int    argc,
                 char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *state = NULL;
  gboolean json = FALSE;
  gboolean do_drain = FALSE;
  gboolean now = FALSE;
  gint64 retry_id = 0;
  gint64 cancel_id = 0;
  int timeout_s = DEFAULT_TIMEOUT_S;
  int wait_s = 60;
  const GOptionEntry entries[] = {
    { "state", 0, 0, G_OPTION_ARG_STRING, &state, N_("Only pending, sending, sent or failed replies"), N_("STATE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array"), NULL },
    { "drain", 0, 0, G_OPTION_ARG_NONE, &do_drain, N_("Deliver what waits, then list the outbox"), NULL },
    { "now", 0, 0, G_OPTION_ARG_NONE, &now,
      N_("Try every waiting reply now, not at its retry time, and retry within seconds"), NULL },
    { "retry", 0, 0, G_OPTION_ARG_INT64, &retry_id, N_("Try a failed or waiting reply again now"), N_("ID") },
    { "cancel", 0, 0, G_OPTION_ARG_INT64, &cancel_id, N_("Take a reply out; its text goes back to the draft"), N_("ID") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, N_("Give up on a request after this many seconds (default 30)"), N_("SECONDS") },
    { "wait", 0, 0, G_OPTION_ARG_INT, &wait_s, N_("With --drain, stop after this long (default 60)"), N_("SECONDS") },
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, N_("Use this database file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(CivicOutbox) outbox = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gboolean settled = TRUE;
  guint states = 0;

  if (!civicctl_parse_options (&argc, &argv, "",
                               _("List the replies waiting to be sent, sent and refused. Exit status with "
                                 "--drain: 0 when nothing waits any more."),
                               entries))
    return 2;

  if (state != NULL)
    {
      CivicOutboxState one;

      if (!civic_outbox_state_from_string (state, &one))
        {
          g_printerr ("civicctl outbox: %s\n", _("unknown --state"));
          return 2;
        }
      states = 1u << one;
    }

  outbox = open_outbox (database, (guint) MAX (timeout_s, 1), &error);
  if (outbox == NULL)
    {
      g_printerr ("civicctl outbox: %s\n", error->message);
      return 1;
    }

  /* Someone is watching: short retries, bounded by --wait. */
  if (now)
    civic_outbox_set_backoff (outbox, 500, 5000);

  if ((now && !civic_outbox_wake (outbox, &error)) ||
      (retry_id != 0 && !civic_outbox_retry (outbox, retry_id, default_person (), "civicctl",
                                             g_get_real_time () / 1000, &error)) ||
      (cancel_id != 0 && !civic_outbox_cancel (outbox, cancel_id, default_person (), "civicctl",
                                               g_get_real_time () / 1000, &error)))
    {
      g_printerr ("civicctl outbox: %s\n", error->message);
      return 1;
    }

  if (do_drain)
    {
      if (!drain (outbox, 0, (guint) MAX (wait_s, 1), &settled, &error))
        {
          g_printerr ("civicctl outbox: %s\n", error->message);
          return 1;
        }
      stop_outbox (outbox);
    }

  items = civic_outbox_list (outbox, 0, states, &error);
  if (items == NULL)
    {
      g_printerr ("civicctl outbox: %s\n", error->message);
      return 1;
    }

  if (json)
    print_json (items);
  else
    print_table (items);

  return settled ? 0 : 1;
}
