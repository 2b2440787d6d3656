/* civic-mention-detail.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <shumate/shumate.h>

#include "civic-basemap.h"
#include "civic-composer.h"
#include "civic-format.h"
#include "civic-html.h"
#include "civic-mention-detail.h"
#include "civic-outbox.h"
#include "civic-thread.h"
#include "civic-workflow.h"

#define REFRESH_DELAY_MS 150
/* A thread is asked for once the selection has rested this long. */
#define THREAD_DELAY_MS 300
/* Street level: the block and its neighbours. */
#define PLACE_ZOOM 16.0
#define THREAD_MAX_DEPTH 3

struct _CivicMentionDetail
{
  GtkWidget parent_instance;

  /* Template children */
  GtkStack *stack;
  GtkLabel *author_label;
  GtkLabel *acct_label;
  GtkLabel *state_label;
  GtkLabel *visibility_label;
  GtkLabel *time_label;
  GtkLabel *countdown_label;
  GtkLabel *claim_label;
  GtkLabel *spoiler_label;
  GtkLabel *content_label;
  GtkWidget *facts_list;
  AdwActionRow *place_row;
  AdwActionRow *photos_row;
  GtkButton *claim_button;
  GtkButton *release_button;
  GtkButton *close_button;
  GtkButton *reopen_button;
  GtkMenuButton *reassign_button;
  GtkBox *composer_slot;
  GtkListBox *notes_list;
  AdwEntryRow *note_entry;
  GtkListBox *audit_list;
  GtkWidget *replies_group;
  GtkListBox *replies_list;
  GtkWidget *place_map_button;
  GtkOverlay *place_map_overlay;
  GtkLabel *place_map_credit;
  GtkWidget *place_map_failing;
  GtkWidget *thread_group;
  GtkSpinner *thread_spinner;
  GtkWidget *thread_status_box;
  GtkLabel *thread_status_label;
  GtkWidget *thread_retry_button;
  GtkListBox *thread_list;

  CivicComposer *composer;   /* borrowed: a child of composer_slot */
  ShumateMap *place_map;     /* borrowed: in place_map_overlay; NULL until a place is shown */
  ShumateLayer *place_tiles_layer;   /* borrowed: in place_map */
  ShumateMarkerLayer *place_marker_layer; /* borrowed: in place_map */
  ShumateMarker *place_marker;       /* borrowed: in place_marker_layer */
  ShumateDataSource *place_tiles;    /* owned: the small map's tiles */
  GSettings *settings;       /* owned, nullable: the basemap's settings */
  GCancellable *thread_cancellable;  /* owned: the thread being fetched */
  guint thread_source;               /* the fetch waiting for j/k to settle */
  gint64 thread_mention_id;  /* whose thread is shown or on its way */
  guint thread_sent;         /* our sent replies when it was asked for */
  CivicContext *context;     /* owned */
  CivicMention *mention;     /* owned, NULL when nothing is shown */
  gint64 mention_id;
  gulong store_changed_id;
  guint refresh_source;
  char *signature;           /* owned: what was shown, see civic_store_dup_mention_signature() */
};

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CivicMentionDetail, civic_mention_detail, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void
toast (CivicMentionDetail *self,
       const char         *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

static const char *
state_text (CivicMentionState state)
{
  switch (state)
    {
    case CIVIC_MENTION_STATE_NEW:
      return C_("mention state", "New");
    case CIVIC_MENTION_STATE_IN_PROGRESS:
      return C_("mention state", "In progress");
    case CIVIC_MENTION_STATE_ANSWERED:
      return C_("mention state", "Answered");
    case CIVIC_MENTION_STATE_CLOSED:
      return C_("mention state", "Closed");
    default:
      return "";
    }
}

static const char *
visibility_text (CivicVisibility visibility)
{
  switch (visibility)
    {
    case CIVIC_VISIBILITY_PUBLIC:
      return _("Public");
    case CIVIC_VISIBILITY_UNLISTED:
      return _("Unlisted");
    case CIVIC_VISIBILITY_PRIVATE:
      return _("Followers only");
    case CIVIC_VISIBILITY_DIRECT:
    default:
      return _("Private message");
    }
}

/* How the place was found, from civic_geo_source_to_string(). */
static const char *
geo_source_text (const char *source)
{
  static const struct { const char *source; const char *text; } table[] = {
    /* Translators: these complete "Found as: %s" */
    { "text", N_("coordinates in the text") },
    { "dms", N_("degrees, minutes and seconds in the text") },
    { "geo-uri", N_("a geo: link") },
    { "osm-link", N_("an OpenStreetMap link") },
    { "map-link", N_("a map link") },
    { "gazetteer", N_("a street name") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_strcmp0 (source, table[i].source) == 0)
      return _(table[i].text);

  return source;
}

static const char *
audit_action_text (const char *action)
{
  static const struct { const char *action; const char *text; } table[] = {
    { "claim", N_("claimed it") },
    { "release", N_("released it") },
    { "answer", N_("answered") },
    { "answer-elsewhere", N_("answered outside the desk") },
    { "close", N_("closed it") },
    { "reopen", N_("reopened it") },
    { "reassign", N_("moved it") },
    { "note", N_("added a note") },
    { "reply-queued", N_("queued a reply") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_strcmp0 (action, table[i].action) == 0)
      return _(table[i].text);

  return action;
}

static GtkWidget *
make_row (const char *title,
          const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *escaped_title = civic_markup_escape (title, -1);
  g_autofree char *escaped_subtitle = civic_markup_escape (subtitle, -1);

  /* Titles are markup in AdwActionRow: everything staff or citizens wrote
   * goes through escaping. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
fill_notes (CivicMentionDetail *self)
{
  g_autoptr(GPtrArray) notes = NULL;
  gint64 now_ms = civic_context_get_now_ms (self->context);

  clear_list (self->notes_list);
  notes = civic_workflow_list_notes (civic_context_get_store (self->context), self->mention_id, NULL);
  if (notes == NULL || notes->len == 0)
    {
      gtk_list_box_append (self->notes_list, make_row (_("No notes yet"),
                                                       _("Notes stay on the desk; citizens never see them")));
      return;
    }

  for (guint i = 0; i < notes->len; i++)
    {
      CivicNote *note = g_ptr_array_index (notes, i);
      g_autofree char *when = civic_format_relative_time (note->created_at_ms, now_ms);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", note->author, when);

      gtk_list_box_append (self->notes_list, make_row (note->body, subtitle));
    }
}

static void
fill_audit (CivicMentionDetail *self)
{
  g_autoptr(GPtrArray) entries = NULL;

  clear_list (self->audit_list);
  entries = civic_workflow_list_audit (civic_context_get_store (self->context), self->mention_id, NULL);
  if (entries == NULL || entries->len == 0)
    {
      gtk_list_box_append (self->audit_list, make_row (_("Nothing done yet"), ""));
      return;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      CivicAuditEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (entry->at_ms / 1000);
      g_autofree char *when = g_date_time_format (at, "%x %H:%M");
      g_autofree char *title = g_strdup_printf ("%s %s", entry->actor, audit_action_text (entry->action));
      g_autofree char *subtitle = NULL;

      if (entry->detail != NULL && *entry->detail != '\0')
        subtitle = g_strdup_printf ("%s · %s · %s", when, entry->desk, entry->detail);
      else
        subtitle = g_strdup_printf ("%s · %s", when, entry->desk);

      gtk_list_box_append (self->audit_list, make_row (title, subtitle));
    }
}

static const char *
outbox_state_text (CivicOutboxState state)
{
  switch (state)
    {
    case CIVIC_OUTBOX_STATE_PENDING:
      return _("Waiting to be sent");
    case CIVIC_OUTBOX_STATE_SENDING:
      return _("Sending…");
    case CIVIC_OUTBOX_STATE_SENT:
      return _("Sent");
    case CIVIC_OUTBOX_STATE_FAILED:
    default:
      return _("Refused by the server");
    }
}

static void
outbox_row_action_cb (GtkButton          *button,
                      CivicMentionDetail *self)
{
  CivicOutbox *outbox = civic_context_get_outbox (self->context);
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "civic-outbox-id"));
  gboolean retry = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "civic-retry"));
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (outbox == NULL)
    return;

  if (retry)
    ok = civic_outbox_retry (outbox, id, civic_context_get_person (self->context),
                             civic_context_get_desk_name (self->context),
                             civic_context_get_now_ms (self->context), &error);
  else
    ok = civic_outbox_cancel (outbox, id, civic_context_get_person (self->context),
                              civic_context_get_desk_name (self->context),
                              civic_context_get_now_ms (self->context), &error);
  if (!ok)
    toast (self, error->message);

  /* A cancelled reply's text is back in the composer. */
  civic_composer_set_mention (self->composer, NULL);
  civic_mention_detail_refresh (self);
}

/* Our replies to this mention: what went out, what waits, what the
 * server refused (with its reason, to retry or take back and edit). */
static guint
fill_replies (CivicMentionDetail *self)
{
  CivicOutbox *outbox = civic_context_get_outbox (self->context);
  g_autoptr(GPtrArray) items = NULL;
  gint64 now_ms = civic_context_get_now_ms (self->context);
  guint n_sent = 0;

  clear_list (self->replies_list);
  if (outbox != NULL)
    items = civic_outbox_list (outbox, self->mention_id, 0, NULL);

  gtk_widget_set_visible (self->replies_group, items != NULL && items->len > 0);
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      CivicOutboxItem *item = g_ptr_array_index (items, i);
      g_autofree char *when = civic_format_relative_time (item->sent_at_ms > 0 ? item->sent_at_ms
                                                                               : item->created_at_ms, now_ms);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (item->state == CIVIC_OUTBOX_STATE_SENT)
        n_sent++;

      if (item->state == CIVIC_OUTBOX_STATE_FAILED && item->last_error != NULL)
        subtitle = g_strdup_printf ("%s · %s", outbox_state_text (item->state), item->last_error);
      else
        subtitle = g_strdup_printf ("%s · %s · %s", outbox_state_text (item->state), item->created_by, when);

      row = make_row (item->body, subtitle);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 4);

      if (item->state == CIVIC_OUTBOX_STATE_FAILED || item->state == CIVIC_OUTBOX_STATE_PENDING)
        {
          GtkWidget *edit = gtk_button_new_with_mnemonic (_("_Edit"));
          GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Retry"));

          gtk_widget_set_valign (edit, GTK_ALIGN_CENTER);
          gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (edit, _("Take the reply back into the composer"));
          g_object_set_data (G_OBJECT (edit), "civic-outbox-id", GSIZE_TO_POINTER (item->id));
          g_object_set_data (G_OBJECT (retry), "civic-outbox-id", GSIZE_TO_POINTER (item->id));
          g_object_set_data (G_OBJECT (retry), "civic-retry", GINT_TO_POINTER (TRUE));
          g_signal_connect (edit, "clicked", G_CALLBACK (outbox_row_action_cb), self);
          g_signal_connect (retry, "clicked", G_CALLBACK (outbox_row_action_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), retry);
        }

      gtk_list_box_append (self->replies_list, row);
    }

  return n_sent;
}

/* The small map */

static void
place_tiles_failing_cb (CivicMentionDetail *self)
{
  gboolean failing = TRUE;

  if (self->place_tiles != NULL)
    g_object_get (self->place_tiles, "failing", &failing, NULL);
  gtk_widget_set_visible (self->place_map_failing, failing);
}

/* The same basemap as the map page, from the same settings. */
static void
setup_place_tiles (CivicMentionDetail *self)
{
  ShumateViewport *viewport = shumate_map_get_viewport (self->place_map);
  g_autoptr(ShumateMapSource) source = NULL;
  g_autoptr(GError) error = NULL;
  ShumateLayer *layer;
  const char *license;

  if (self->place_tiles != NULL)
    g_signal_handlers_disconnect_by_data (self->place_tiles, self);
  g_clear_object (&self->place_tiles);

  source = civic_basemap_new (self->settings, &self->place_tiles, &error);
  if (source == NULL)
    {
      g_debug ("No basemap for the detail's map: %s", error->message);
      source = civic_basemap_new_empty ();
    }
  else
    g_signal_connect_object (self->place_tiles, "notify::failing", G_CALLBACK (place_tiles_failing_cb), self,
                             G_CONNECT_SWAPPED);

  shumate_viewport_set_reference_map_source (viewport, source);
  shumate_viewport_set_max_zoom_level (viewport, shumate_map_source_get_max_zoom_level (source));
  layer = SHUMATE_LAYER (shumate_map_layer_new (source, viewport));
  shumate_map_insert_layer_behind (self->place_map, layer, SHUMATE_LAYER (self->place_marker_layer));
  if (self->place_tiles_layer != NULL)
    shumate_map_remove_layer (self->place_map, self->place_tiles_layer);
  self->place_tiles_layer = layer;

  license = shumate_map_source_get_license (source);
  gtk_label_set_label (self->place_map_credit, license != NULL ? license : "");
  gtk_widget_set_visible (GTK_WIDGET (self->place_map_credit), license != NULL && *license != '\0');
  place_tiles_failing_cb (self);
}

static void
settings_changed_cb (CivicMentionDetail *self,
                     const char         *key)
{
  if (self->place_map != NULL && civic_basemap_is_setting (key))
    setup_place_tiles (self);
}

/* Built on the first place shown: most tests and many mentions need none. */
static void
ensure_place_map (CivicMentionDetail *self)
{
  GtkWidget *pin;

  if (self->place_map != NULL)
    return;

  self->place_map = shumate_map_new ();
  /* A picture of the place, not a map to explore: the pane scrolls over
   * it, and a click opens the map page (the button's action). */
  gtk_widget_set_can_target (GTK_WIDGET (self->place_map), FALSE);
  gtk_widget_set_can_focus (GTK_WIDGET (self->place_map), FALSE);
  gtk_overlay_set_child (self->place_map_overlay, GTK_WIDGET (self->place_map));

  self->place_marker_layer = shumate_marker_layer_new (shumate_map_get_viewport (self->place_map));
  shumate_map_add_layer (self->place_map, SHUMATE_LAYER (self->place_marker_layer));

  pin = gtk_image_new_from_icon_name ("mark-location-symbolic");
  gtk_image_set_pixel_size (GTK_IMAGE (pin), 32);
  gtk_widget_add_css_class (pin, "accent");
  self->place_marker = shumate_marker_new ();
  shumate_marker_set_child (self->place_marker, pin);
  shumate_marker_layer_add_marker (self->place_marker_layer, self->place_marker);

  setup_place_tiles (self);
}

static void
show_place (CivicMentionDetail *self,
            double              lat,
            double              lon)
{
  ShumateViewport *viewport;

  ensure_place_map (self);
  viewport = shumate_map_get_viewport (self->place_map);
  shumate_viewport_set_zoom_level (viewport, MIN (PLACE_ZOOM, shumate_viewport_get_max_zoom_level (viewport)));
  shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
  shumate_location_set_location (SHUMATE_LOCATION (self->place_marker), lat, lon);
  gtk_widget_set_visible (self->place_map_button, TRUE);
}

/* The conversation */

static void
thread_show_status (CivicMentionDetail *self,
                    const char         *text,
                    gboolean            can_retry)
{
  gtk_label_set_label (self->thread_status_label, text != NULL ? text : "");
  gtk_widget_set_visible (self->thread_status_box, text != NULL);
  gtk_widget_set_visible (self->thread_retry_button, can_retry);
}

static void
thread_stop (CivicMentionDetail *self)
{
  g_clear_handle_id (&self->thread_source, g_source_remove);
  g_cancellable_cancel (self->thread_cancellable);
  g_clear_object (&self->thread_cancellable);
  gtk_spinner_stop (self->thread_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->thread_spinner), FALSE);
}

static void
thread_clear (CivicMentionDetail *self)
{
  thread_stop (self);
  clear_list (self->thread_list);
  gtk_widget_set_visible (GTK_WIDGET (self->thread_list), FALSE);
  thread_show_status (self, NULL, FALSE);
  gtk_widget_set_visible (self->thread_group, FALSE);
  self->thread_mention_id = 0;
}

static GtkWidget *
thread_row (CivicMentionDetail *self,
            const char         *name,
            const char         *acct,
            gint64              created_at_ms,
            const char         *spoiler,
            const char         *html,
            const char         *tag,
            guint               depth,
            gboolean            here)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label;
  g_autofree char *when = civic_format_relative_time (created_at_ms, civic_context_get_now_ms (self->context));
  g_autofree char *at_acct = g_strconcat ("@", acct != NULL ? acct : "", NULL);
  g_autofree char *markup = NULL;

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12 + 18 * (int) MIN (depth, THREAD_MAX_DEPTH));
  gtk_widget_set_margin_end (box, 12);

  /* Plain text properties: names are strangers' words too. */
  label = gtk_label_new (name != NULL && *name != '\0' ? name : at_acct);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (header), label);

  label = gtk_label_new (at_acct);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (header), label);

  if (tag != NULL)
    {
      label = gtk_label_new (tag);
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_widget_add_css_class (label, "civic-thread-tag");
      gtk_box_append (GTK_BOX (header), label);
    }

  label = gtk_label_new (when);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (header), label);
  gtk_box_append (GTK_BOX (box), header);

  if (spoiler != NULL && *spoiler != '\0')
    {
      label = gtk_label_new (spoiler);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "warning");
      gtk_box_append (GTK_BOX (box), label);
    }

  /* Untrusted HTML: only civic_html_to_markup()'s escaped output. */
  markup = civic_html_to_markup (html != NULL ? html : "");
  if (*markup != '\0')
    {
      label = gtk_label_new (NULL);
      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      if (here)
        {
          /* Shown in full above; here only to place it in the thread. */
          gtk_label_set_lines (GTK_LABEL (label), 2);
          gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
          gtk_widget_add_css_class (label, "dim-label");
        }
      gtk_box_append (GTK_BOX (box), label);
    }

  if (here)
    gtk_widget_add_css_class (row, "civic-thread-here");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  return row;
}

static GtkWidget *
thread_status_row (CivicMentionDetail *self,
                   const CivicThread  *thread,
                   const CivicStatus  *status,
                   const char         *own_tag,
                   guint               depth)
{
  gboolean own = civic_thread_is_own (thread, status);
  GtkWidget *row;

  row = thread_row (self, status->account->display_name, status->account->acct, status->created_at_ms,
                    status->spoiler_text, status->content, own ? own_tag : NULL, depth, FALSE);
  if (own)
    gtk_widget_add_css_class (row, "civic-thread-own");

  return row;
}

static void
fill_thread (CivicMentionDetail *self,
             const CivicThread  *thread)
{
  g_autoptr(GHashTable) depths = g_hash_table_new (g_str_hash, g_str_equal);
  CivicMention *mention = self->mention;

  clear_list (self->thread_list);

  if (thread->ancestors->len == 0 && thread->descendants->len == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->thread_list), FALSE);
      thread_show_status (self, _("No other messages in this conversation yet"), FALSE);
      return;
    }

  for (guint i = 0; i < thread->ancestors->len; i++)
    gtk_list_box_append (self->thread_list,
                         thread_status_row (self, thread, g_ptr_array_index (thread->ancestors, i),
                                            /* Translators: a tag on a message the town posted */
                                            _("Town"), 0));

  gtk_list_box_append (self->thread_list,
                       thread_row (self, civic_mention_get_author_name (mention),
                                   civic_mention_get_author_acct (mention),
                                   civic_mention_get_created_at_ms (mention),
                                   civic_mention_get_spoiler_text (mention),
                                   civic_mention_get_html (mention),
                                   /* Translators: a tag on the mention shown in the pane, within its thread */
                                   _("This mention"), 0, TRUE));

  /* Depth first from the server: a reply's parent is always listed
   * before it, so its indent is known. */
  g_hash_table_insert (depths, (gpointer) civic_mention_get_status_id (mention), GUINT_TO_POINTER (0));
  for (guint i = 0; i < thread->descendants->len; i++)
    {
      CivicStatus *status = g_ptr_array_index (thread->descendants, i);
      gpointer parent_depth = NULL;
      guint depth = 0;

      if (status->in_reply_to_id != NULL &&
          g_hash_table_lookup_extended (depths, status->in_reply_to_id, NULL, &parent_depth))
        depth = GPOINTER_TO_UINT (parent_depth) + 1;
      g_hash_table_insert (depths, status->id, GUINT_TO_POINTER (depth));

      gtk_list_box_append (self->thread_list,
                           thread_status_row (self, thread, status,
                                              /* Translators: a tag on the town's own answer in a thread */
                                              _("Town reply"), depth > 0 ? depth - 1 : 0));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->thread_list), TRUE);
  thread_show_status (self, NULL, FALSE);
}

static void
thread_fetched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CivicMentionDetail *self;
  g_autoptr(CivicThread) thread = NULL;
  g_autoptr(GError) error = NULL;

  thread = civic_thread_fetch_finish (CIVIC_CONTEXT (source), result, &error);
  /* Another mention was chosen, or the pane went away: not ours to show. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CIVIC_MENTION_DETAIL (user_data);
  g_clear_object (&self->thread_cancellable);
  gtk_spinner_stop (self->thread_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->thread_spinner), FALSE);

  if (thread != NULL && self->mention != NULL)
    fill_thread (self, thread);
  else if (g_error_matches (error, CIVIC_THREAD_ERROR, CIVIC_THREAD_ERROR_NO_ACCOUNT))
    thread_show_status (self, _("The conversation is not available offline"), FALSE);
  else if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The conversation could not be loaded: %s"), error->message);

      thread_show_status (self, text, TRUE);
    }
}

static gboolean
thread_fetch_cb (gpointer user_data)
{
  CivicMentionDetail *self = user_data;

  self->thread_source = 0;
  self->thread_cancellable = g_cancellable_new ();
  civic_thread_fetch_async (self->context, self->mention_id, self->thread_cancellable, thread_fetched_cb, self);

  return G_SOURCE_REMOVE;
}

static void
load_thread (CivicMentionDetail *self)
{
  thread_stop (self);

  /* Another mention's thread never stays up while this one's loads; the
   * same mention's stays until the fresh one replaces it. */
  if (self->thread_mention_id != self->mention_id)
    {
      clear_list (self->thread_list);
      gtk_widget_set_visible (GTK_WIDGET (self->thread_list), FALSE);
    }
  self->thread_mention_id = self->mention_id;

  /* No sync at all: a desk without a network (tests, tools); say nothing. */
  if (civic_context_get_sync (self->context) == NULL)
    {
      gtk_widget_set_visible (self->thread_group, FALSE);
      return;
    }

  gtk_widget_set_visible (self->thread_group, TRUE);
  thread_show_status (self, NULL, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->thread_spinner), TRUE);
  gtk_spinner_start (self->thread_spinner);

  /* Going down the queue with j is not a request per mention passed: the
   * account the outbox posts with has a rate limit too. */
  self->thread_source = g_timeout_add (THREAD_DELAY_MS, thread_fetch_cb, self);
}

static void
thread_retry_clicked_cb (CivicMentionDetail *self)
{
  if (self->mention_id != 0)
    load_thread (self);
}

static void
update_actions (CivicMentionDetail *self,
                const CivicWorkflowState *state)
{
  const char *me = civic_context_get_person (self->context);
  gboolean mine = state->claimed_by != NULL && g_strcmp0 (state->claimed_by, me) == 0;
  gboolean theirs = state->claimed_by != NULL && !mine;
  gboolean open = CIVIC_MENTION_STATE_IS_OPEN (state->state);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mention.claim",
                                 open && !theirs && !mine);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mention.release", mine && open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mention.close",
                                 civic_workflow_can (CIVIC_WORKFLOW_CLOSE, state->state) && !theirs);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mention.reopen",
                                 civic_workflow_can (CIVIC_WORKFLOW_REOPEN, state->state));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mention.reassign", TRUE);

  gtk_widget_set_visible (GTK_WIDGET (self->claim_button), !mine && open);
  gtk_widget_set_visible (GTK_WIDGET (self->release_button), mine && open);
  gtk_widget_set_visible (GTK_WIDGET (self->close_button), state->state != CIVIC_MENTION_STATE_CLOSED);
  gtk_widget_set_visible (GTK_WIDGET (self->reopen_button), !open);
}

static void
update_reassign_menu (CivicMentionDetail *self,
                      gint64              current_department)
{
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GMenu) menu = g_menu_new ();

  departments = civic_store_list_departments_brief (civic_context_get_store (self->context), NULL);
  for (guint i = 0; departments != NULL && i < departments->len; i++)
    {
      CivicDepartment *d = g_ptr_array_index (departments, i);
      g_autoptr(GMenuItem) item = NULL;

      if (civic_department_get_id (d) == current_department)
        continue;

      item = g_menu_item_new (civic_department_is_unsorted (d) ? _("Unsorted") : civic_department_get_name (d), NULL);
      g_menu_item_set_action_and_target_value (item, "mention.reassign",
                                               g_variant_new_int64 (civic_department_get_id (d)));
      g_menu_append_item (menu, item);
    }

  gtk_menu_button_set_menu_model (self->reassign_button, G_MENU_MODEL (menu));
}

void
civic_mention_detail_refresh (CivicMentionDetail *self)
{
  g_auto(CivicWorkflowState) state = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicMention) mention = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *when = NULL;
  g_autofree char *acct = NULL;
  CivicStore *store;
  gint64 now_ms;
  double lat, lon;
  const char *name;
  guint n_sent;

  g_return_if_fail (CIVIC_IS_MENTION_DETAIL (self));

  g_clear_handle_id (&self->refresh_source, g_source_remove);

  if (self->mention_id == 0)
    {
      g_clear_object (&self->mention);
      thread_clear (self);
      civic_composer_set_mention (self->composer, NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  store = civic_context_get_store (self->context);
  mention = civic_store_load_mention (store, self->mention_id, &error);
  if (mention == NULL || !civic_workflow_load_state (store, self->mention_id, &state, &error))
    {
      g_clear_object (&self->mention);
      thread_clear (self);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  g_set_object (&self->mention, mention);
  now_ms = civic_context_get_now_ms (self->context);

  name = civic_mention_get_author_name (mention);
  acct = g_strconcat ("@", civic_mention_get_author_acct (mention), NULL);
  gtk_label_set_label (self->author_label, name != NULL && *name != '\0' ? name : acct);
  gtk_label_set_label (self->acct_label, acct);

  gtk_label_set_label (self->state_label, state_text (state.state));
  {
    static const char * const state_classes[] = {
      "civic-state-new", "civic-state-in-progress", "civic-state-answered", "civic-state-closed"
    };

    for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
      {
        if (i == (guint) state.state)
          gtk_widget_add_css_class (GTK_WIDGET (self->state_label), state_classes[i]);
        else
          gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), state_classes[i]);
      }
  }
  gtk_label_set_label (self->visibility_label, visibility_text (civic_mention_get_visibility (mention)));
  when = civic_format_relative_time (civic_mention_get_created_at_ms (mention), now_ms);
  gtk_label_set_label (self->time_label, when);

  if (CIVIC_MENTION_STATE_IS_OPEN (state.state) && state.due_at_ms > 0)
    {
      g_autofree char *countdown = civic_format_countdown (state.due_at_ms, now_ms);

      gtk_label_set_label (self->countdown_label, countdown);
      gtk_widget_set_visible (GTK_WIDGET (self->countdown_label), TRUE);
      if (state.due_at_ms < now_ms)
        gtk_widget_add_css_class (GTK_WIDGET (self->countdown_label), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->countdown_label), "error");
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->countdown_label), FALSE);

  if (state.claimed_by != NULL && CIVIC_MENTION_STATE_IS_OPEN (state.state))
    {
      g_autofree char *since = civic_format_relative_time (state.claimed_at_ms, now_ms);
      g_autofree char *text = NULL;

      if (g_strcmp0 (state.claimed_by, civic_context_get_person (self->context)) == 0)
        text = g_strdup_printf (_("You are answering this (claimed %s)"), since);
      else
        /* Translators: "Ana García at desk 2 is answering this (claimed 3 min ago)" */
        text = g_strdup_printf (_("%s at %s is answering this (claimed %s)"),
                                state.claimed_by, state.claimed_desk != NULL ? state.claimed_desk : "?", since);
      gtk_label_set_label (self->claim_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->claim_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->claim_label), FALSE);

  gtk_widget_set_visible (GTK_WIDGET (self->spoiler_label), *civic_mention_get_spoiler_text (mention) != '\0');
  gtk_label_set_label (self->spoiler_label, civic_mention_get_spoiler_text (mention));

  /* Untrusted HTML: only escaped markup ever reaches the label. */
  markup = civic_html_to_markup (civic_mention_get_html (mention));
  if (*markup == '\0')
    {
      g_free (markup);
      markup = g_strdup_printf ("<i>%s</i>", _("(no text)"));
    }
  gtk_label_set_markup (self->content_label, markup);

  if (civic_mention_get_point (mention, &lat, &lon))
    {
      char lat_text[G_ASCII_DTOSTR_BUF_SIZE];
      char lon_text[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *where = NULL;
      g_autofree char *source = g_strdup_printf (_("Found as: %s"),
                                                 geo_source_text (civic_mention_get_geo_source (mention)));

      /* Always a point: in a decimal-comma locale "%.5f, %.5f" would
       * read as four numbers. */
      where = g_strdup_printf ("%s, %s", g_ascii_formatd (lat_text, sizeof lat_text, "%.5f", lat),
                               g_ascii_formatd (lon_text, sizeof lon_text, "%.5f", lon));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->place_row), where);
      adw_action_row_set_subtitle (self->place_row, source);
      gtk_widget_set_visible (GTK_WIDGET (self->place_row), TRUE);
      show_place (self, lat, lon);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->place_row), FALSE);
      gtk_widget_set_visible (self->place_map_button, FALSE);
    }

  if (civic_mention_get_media_count (mention) > 0)
    {
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u photo", "%u photos",
                                                             civic_mention_get_media_count (mention)),
                                                civic_mention_get_media_count (mention));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->photos_row), title);
      gtk_widget_set_visible (GTK_WIDGET (self->photos_row), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->photos_row), FALSE);

  gtk_widget_set_visible (self->facts_list,
                          gtk_widget_get_visible (GTK_WIDGET (self->place_row)) ||
                          gtk_widget_get_visible (GTK_WIDGET (self->photos_row)));

  g_free (self->signature);
  self->signature = civic_store_dup_mention_signature (store, self->mention_id);

  update_actions (self, &state);
  update_reassign_menu (self, state.department_id);
  n_sent = fill_replies (self);
  fill_notes (self);

  /* A new mention, or a reply of ours that reached the server since the
   * thread was asked for: ask again. */
  if (self->thread_mention_id != self->mention_id || n_sent != self->thread_sent)
    {
      self->thread_sent = n_sent;
      load_thread (self);
    }
  fill_audit (self);

  /* Closed mentions are reopened before anyone answers them again. */
  gtk_widget_set_visible (GTK_WIDGET (self->composer_slot), state.state != CIVIC_MENTION_STATE_CLOSED);
  civic_composer_set_mention (self->composer, mention);

  gtk_stack_set_visible_child_name (self->stack, "detail");
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  CivicMentionDetail *self = user_data;
  g_autofree char *signature = NULL;

  self->refresh_source = 0;

  /* The store changes many times a second while a backfill runs; rebuild
   * only when something about this mention did. */
  signature = civic_store_dup_mention_signature (civic_context_get_store (self->context), self->mention_id);
  if (signature != NULL && g_strcmp0 (signature, self->signature) == 0)
    return G_SOURCE_REMOVE;

  civic_mention_detail_refresh (self);

  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (CivicStore         *store,
                  CivicMentionDetail *self)
{
  if (self->mention_id != 0 && self->refresh_source == 0)
    self->refresh_source = g_timeout_add (REFRESH_DELAY_MS, refresh_timeout_cb, self);
}

/* Actions */

typedef gboolean (*WorkflowFunc) (CivicStore *, gint64, const char *, const char *, gint64, GError **);

static void
run_workflow (CivicMentionDetail *self,
              WorkflowFunc        func)
{
  g_autoptr(GError) error = NULL;

  if (self->mention_id == 0)
    return;

  if (!func (civic_context_get_store (self->context), self->mention_id,
             civic_context_get_person (self->context), civic_context_get_desk_name (self->context),
             civic_context_get_now_ms (self->context), &error))
    toast (self, error->message);

  civic_mention_detail_refresh (self);
}

static void
claim_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  run_workflow (CIVIC_MENTION_DETAIL (widget), civic_workflow_claim);
}

static void
release_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  run_workflow (CIVIC_MENTION_DETAIL (widget), civic_workflow_release);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  run_workflow (CIVIC_MENTION_DETAIL (widget), civic_workflow_close);
}

static void
reopen_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  run_workflow (CIVIC_MENTION_DETAIL (widget), civic_workflow_reopen);
}

static void
reply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CivicMentionDetail *self = CIVIC_MENTION_DETAIL (widget);

  if (self->mention_id != 0 && gtk_widget_get_visible (GTK_WIDGET (self->composer_slot)))
    civic_composer_focus (self->composer);
}

static void
outbox_changed_cb (GObject            *outbox,
                   CivicMentionDetail *self)
{
  if (self->mention_id != 0 && self->refresh_source == 0)
    self->refresh_source = g_timeout_add (REFRESH_DELAY_MS, refresh_timeout_cb, self);
}

static void
reassign_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CivicMentionDetail *self = CIVIC_MENTION_DETAIL (widget);
  g_autoptr(GError) error = NULL;

  if (self->mention_id == 0)
    return;

  if (!civic_workflow_reassign (civic_context_get_store (self->context), self->mention_id,
                                g_variant_get_int64 (parameter),
                                civic_context_get_person (self->context),
                                civic_context_get_desk_name (self->context),
                                civic_context_get_now_ms (self->context), &error))
    toast (self, error->message);

  civic_mention_detail_refresh (self);
}

static void
note_applied_cb (AdwEntryRow        *row,
                 CivicMentionDetail *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*body == '\0' || self->mention_id == 0)
    return;

  if (civic_workflow_add_note (civic_context_get_store (self->context), self->mention_id,
                               civic_context_get_person (self->context),
                               civic_context_get_desk_name (self->context), body,
                               civic_context_get_now_ms (self->context), &error) == 0)
    {
      /* Keep what they typed so nothing is lost. */
      toast (self, error->message);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (row), "");
  civic_mention_detail_refresh (self);
}

static void
civic_mention_detail_constructed (GObject *object)
{
  CivicMentionDetail *self = (CivicMentionDetail *) object;

  G_OBJECT_CLASS (civic_mention_detail_parent_class)->constructed (object);

  self->composer = CIVIC_COMPOSER (civic_composer_new (self->context));
  gtk_box_append (self->composer_slot, GTK_WIDGET (self->composer));

  self->settings = civic_basemap_settings_new ();
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self,
                             G_CONNECT_SWAPPED);

  self->store_changed_id = g_signal_connect (civic_context_get_store (self->context), "changed",
                                             G_CALLBACK (store_changed_cb), self);
  if (civic_context_get_outbox (self->context) != NULL)
    g_signal_connect_object (civic_context_get_outbox (self->context), "changed",
                             G_CALLBACK (outbox_changed_cb), self, 0);
  civic_mention_detail_refresh (self);
}

static void
civic_mention_detail_dispose (GObject *object)
{
  CivicMentionDetail *self = (CivicMentionDetail *) object;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->thread_source, g_source_remove);
  if (self->context != NULL)
    g_clear_signal_handler (&self->store_changed_id, civic_context_get_store (self->context));
  g_cancellable_cancel (self->thread_cancellable);
  g_clear_object (&self->thread_cancellable);
  if (self->place_tiles != NULL)
    g_signal_handlers_disconnect_by_data (self->place_tiles, self);
  self->composer = NULL;
  self->place_map = NULL;
  self->place_tiles_layer = NULL;
  self->place_marker_layer = NULL;
  self->place_marker = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_MENTION_DETAIL);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  g_clear_object (&self->mention);
  g_clear_object (&self->place_tiles);
  g_clear_object (&self->settings);
  g_clear_object (&self->context);
  g_clear_pointer (&self->signature, g_free);

  G_OBJECT_CLASS (civic_mention_detail_parent_class)->dispose (object);
}

static void
civic_mention_detail_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CivicMentionDetail *self = CIVIC_MENTION_DETAIL (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_mention_detail_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  CivicMentionDetail *self = CIVIC_MENTION_DETAIL (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_mention_detail_class_init (CivicMentionDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = civic_mention_detail_constructed;
  object_class->dispose = civic_mention_detail_dispose;
  object_class->get_property = civic_mention_detail_get_property;
  object_class->set_property = civic_mention_detail_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CIVIC_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "mention.claim", NULL, claim_action);
  gtk_widget_class_install_action (widget_class, "mention.release", NULL, release_action);
  gtk_widget_class_install_action (widget_class, "mention.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "mention.reopen", NULL, reopen_action);
  gtk_widget_class_install_action (widget_class, "mention.reassign", "x", reassign_action);
  gtk_widget_class_install_action (widget_class, "mention.reply", NULL, reply_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/civicdesk/CivicDesk/civic-mention-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, author_label);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, acct_label);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, state_label);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, visibility_label);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, time_label);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, claim_label);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, spoiler_label);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, content_label);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, facts_list);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, place_row);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, photos_row);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, claim_button);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, release_button);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, close_button);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, reopen_button);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, reassign_button);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, composer_slot);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, notes_list);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, note_entry);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, audit_list);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, replies_group);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, replies_list);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, place_map_button);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, place_map_overlay);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, place_map_credit);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, place_map_failing);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, thread_group);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, thread_spinner);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, thread_status_box);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, thread_status_label);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, thread_retry_button);
  gtk_widget_class_bind_template_child (widget_class, CivicMentionDetail, thread_list);
  gtk_widget_class_bind_template_callback (widget_class, note_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, thread_retry_clicked_cb);
}

static void
civic_mention_detail_init (CivicMentionDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
civic_mention_detail_new (CivicContext *context)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);

  return g_object_new (CIVIC_TYPE_MENTION_DETAIL, "context", context, NULL);
}

void
civic_mention_detail_set_mention (CivicMentionDetail *self,
                                  gint64              mention_id)
{
  g_return_if_fail (CIVIC_IS_MENTION_DETAIL (self));

  if (self->mention_id == mention_id)
    return;

  self->mention_id = mention_id;
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  civic_mention_detail_refresh (self);
}

gint64
civic_mention_detail_get_mention_id (CivicMentionDetail *self)
{
  g_return_val_if_fail (CIVIC_IS_MENTION_DETAIL (self), 0);
  return self->mention_id;
}

CivicMention *
civic_mention_detail_get_mention (CivicMentionDetail *self)
{
  g_return_val_if_fail (CIVIC_IS_MENTION_DETAIL (self), NULL);
  return self->mention;
}

GtkBox *
civic_mention_detail_get_composer_slot (CivicMentionDetail *self)
{
  g_return_val_if_fail (CIVIC_IS_MENTION_DETAIL (self), NULL);
  return self->composer_slot;
}
