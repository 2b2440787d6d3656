/* civic-composer.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "civic-char-count.h"
#include "civic-composer.h"
#include "civic-drafts.h"
#include "civic-languages.h"
#include "civic-outbox.h"
#include "civic-personal-data.h"
#include "civic-store-sync.h"
#include "civic-templates.h"
#include "civic-workflow.h"

#define DRAFT_DELAY_MS 500
#define DEFAULT_LIMIT 500
#define DEFAULT_URL_WEIGHT 23

struct _CivicComposer
{
  GtkWidget parent_instance;

  /* Template children */
  GtkStack *mode_stack;
  GtkButton *window_button;
  GtkScrolledWindow *text_scroller;
  GtkLabel *claim_warning;
  GtkMenuButton *templates_button;
  GtkDropDown *visibility_dropdown;
  GtkMenuButton *language_button;
  GtkToggleButton *cw_toggle;
  GtkEntry *spoiler_entry;
  GtkTextView *text_view;
  GtkRevealer *privacy_revealer;
  GtkLabel *privacy_label;
  GtkBox *photos_box;
  GtkButton *add_photo_button;
  GtkLabel *status_label;
  GtkLabel *counter_label;
  GtkButton *send_button;

  CivicContext *context;          /* owned */
  CivicMention *mention;          /* owned */
  GPtrArray *photos;              /* owned: char* paths, parallel to the rows */
  GPtrArray *alt_entries;         /* borrowed GtkEntry*, children of photos_box */
  char *department_name;          /* owned */
  char *department_language;      /* owned: what replies default to */
  char *language;                 /* owned: ISO 639-1 of this reply */
  guint sla_minutes;
  guint limit;
  guint url_weight;
  guint max_media;
  guint draft_source;
  gboolean loading;               /* filling the widgets from a draft */
  gboolean privacy_suggested;
  gboolean visibility_chosen;     /* staff picked one: suggestions stop */

  /* The reply moved to a window of its own. In the pane's composer:
   * @window (borrowed; destroyed with us) holds @detached (borrowed), the
   * only editor of @away_mention_id's draft while it is open. In the
   * window's composer, @home (borrowed) is the pane's. */
  GtkWindow *window;
  CivicComposer *detached;
  CivicComposer *home;
  gint64 away_mention_id;
};

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_LANGUAGE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CivicComposer, civic_composer, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

/* The dropdown's order. */
static const char * const visibilities[] = { "public", "unlisted", "private", "direct" };

static guint
visibility_index (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (visibilities); i++)
    if (g_strcmp0 (name, visibilities[i]) == 0)
      return i;
  return 0;
}

const char *
civic_composer_get_visibility (CivicComposer *self)
{
  g_return_val_if_fail (CIVIC_IS_COMPOSER (self), NULL);

  return visibilities[MIN (gtk_drop_down_get_selected (self->visibility_dropdown),
                           G_N_ELEMENTS (visibilities) - 1)];
}

static void
set_visibility (CivicComposer *self,
                const char    *name)
{
  gboolean was_loading = self->loading;

  self->loading = TRUE;
  gtk_drop_down_set_selected (self->visibility_dropdown, visibility_index (name));
  self->loading = was_loading;
}

static void
toast (CivicComposer *self,
       const char    *message)
{
  /* A window of its own has no toasts: the main window shows them. */
  gtk_widget_activate_action (GTK_WIDGET (self->home != NULL ? self->home : self), "win.toast", "s", message);
}

static void
show_status (CivicComposer *self,
             const char    *message,
             gboolean       error)
{
  gtk_label_set_label (self->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL && *message != '\0');
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

char *
civic_composer_dup_text (CivicComposer *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (CIVIC_IS_COMPOSER (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
civic_composer_set_text (CivicComposer *self,
                         const char    *text)
{
  g_return_if_fail (CIVIC_IS_COMPOSER (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text != NULL ? text : "", -1);
}

static const char *
spoiler_text (CivicComposer *self)
{
  return gtk_toggle_button_get_active (self->cw_toggle)
           ? gtk_editable_get_text (GTK_EDITABLE (self->spoiler_entry)) : "";
}

guint
civic_composer_get_count (CivicComposer *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (CIVIC_IS_COMPOSER (self), 0);

  text = civic_composer_dup_text (self);
  return civic_char_count_status (text, spoiler_text (self), self->url_weight);
}

guint
civic_composer_get_limit (CivicComposer *self)
{
  g_return_val_if_fail (CIVIC_IS_COMPOSER (self), 0);
  return self->limit;
}

gboolean
civic_composer_get_privacy_suggested (CivicComposer *self)
{
  g_return_val_if_fail (CIVIC_IS_COMPOSER (self), FALSE);
  return self->privacy_suggested;
}

static gboolean
alt_texts_complete (CivicComposer *self)
{
  for (guint i = 0; i < self->alt_entries->len; i++)
    {
      g_autofree char *alt = g_strdup (gtk_editable_get_text (GTK_EDITABLE (g_ptr_array_index (self->alt_entries, i))));

      if (*g_strstrip (alt) == '\0')
        return FALSE;
    }
  return TRUE;
}

/* Counter, privacy hint and whether Send may be pressed. */
static void
update_state (CivicComposer *self)
{
  g_autofree char *text = civic_composer_dup_text (self);
  g_autofree char *counter = NULL;
  guint count = civic_char_count_status (text, spoiler_text (self), self->url_weight);
  gboolean over = count > self->limit;
  CivicPersonalDataKind kind = CIVIC_PERSONAL_DATA_NONE;
  gboolean personal = civic_personal_data_find (text, &kind);
  gboolean direct = g_str_equal (civic_composer_get_visibility (self), "direct");
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  counter = g_strdup_printf ("%d", (int) self->limit - (int) count);
  gtk_label_set_label (self->counter_label, counter);
  if (over)
    gtk_widget_add_css_class (GTK_WIDGET (self->counter_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->counter_label), "error");

  {
    g_autofree char *accessible = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d character left",
                                                                "%d characters left",
                                                                ABS ((int) self->limit - (int) count)),
                                                   (int) self->limit - (int) count);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->counter_label),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  }

  self->privacy_suggested = personal && !direct;
  if (self->privacy_suggested)
    {
      g_autofree char *what = NULL;

      switch (kind)
        {
        case CIVIC_PERSONAL_DATA_DNI:
        case CIVIC_PERSONAL_DATA_NIE:
          what = g_strdup (_("The reply contains an identity number. Send it as a private message?"));
          break;
        case CIVIC_PERSONAL_DATA_PHONE:
          what = g_strdup (_("The reply contains a phone number. Send it as a private message?"));
          break;
        case CIVIC_PERSONAL_DATA_EMAIL:
        default:
          what = g_strdup (_("The reply contains an e-mail address. Send it as a private message?"));
          break;
        }
      gtk_label_set_label (self->privacy_label, what);
    }
  gtk_revealer_set_reveal_child (self->privacy_revealer, self->privacy_suggested);

  gtk_widget_set_sensitive (GTK_WIDGET (self->send_button),
                            self->mention != NULL && *stripped != '\0' && !over && alt_texts_complete (self));

  if (over)
    show_status (self, _("Too long for the server: shorten the reply"), TRUE);
  else if (!alt_texts_complete (self))
    show_status (self, _("Describe every photo for people who cannot see it"), FALSE);
  else
    show_status (self, NULL, FALSE);
}

/* Whether the reply to the pane's mention is being written in the
 * window: the window's composer is then its only editor, and the pane's
 * stale copy must neither be saved over the draft nor sent. */
static gboolean
is_away (CivicComposer *self)
{
  return self->window != NULL && self->mention != NULL &&
         civic_mention_get_id (self->mention) == self->away_mention_id;
}

void
civic_composer_save_draft (CivicComposer *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CIVIC_IS_COMPOSER (self));

  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (self->mention == NULL || is_away (self))
    return;

  text = civic_composer_dup_text (self);
  if (!civic_drafts_save (civic_context_get_store (self->context), civic_mention_get_id (self->mention),
                          text, spoiler_text (self), civic_composer_get_visibility (self), self->language,
                          civic_context_get_now_ms (self->context), &error))
    show_status (self, error->message, TRUE);
}

static gboolean
draft_timeout_cb (gpointer user_data)
{
  CivicComposer *self = user_data;

  self->draft_source = 0;
  civic_composer_save_draft (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_draft (CivicComposer *self)
{
  if (self->loading || self->mention == NULL || is_away (self))
    return;

  /* Every pause in typing is a save: a crash loses at most half a second. */
  g_clear_handle_id (&self->draft_source, g_source_remove);
  self->draft_source = g_timeout_add (DRAFT_DELAY_MS, draft_timeout_cb, self);
}

static void
update_language_button (CivicComposer *self)
{
  g_autofree char *code = g_ascii_strup (self->language != NULL ? self->language : "es", -1);
  g_autofree char *what = g_strdup_printf (_("Language of the reply: %s"), civic_language_get_name (self->language));

  gtk_menu_button_set_label (self->language_button, code);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->language_button), what);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->language_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, what, -1);
}

const char *
civic_composer_get_language (CivicComposer *self)
{
  g_return_val_if_fail (CIVIC_IS_COMPOSER (self), NULL);
  return self->language;
}

void
civic_composer_set_language (CivicComposer *self,
                             const char    *language)
{
  g_return_if_fail (CIVIC_IS_COMPOSER (self));

  if (language == NULL || *language == '\0')
    language = self->department_language != NULL ? self->department_language : "es";
  if (g_strcmp0 (self->language, language) == 0)
    return;

  g_free (self->language);
  self->language = g_strdup (language);
  update_language_button (self);
  schedule_draft (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

/* Starting to type claims the mention, so no colleague answers it too. */
static void
claim_on_typing (CivicComposer *self)
{
  g_auto(CivicWorkflowState) state = { 0 };
  CivicStore *store = civic_context_get_store (self->context);
  g_autoptr(GError) error = NULL;

  if (self->loading || self->mention == NULL)
    return;
  if (!civic_workflow_load_state (store, civic_mention_get_id (self->mention), &state, NULL))
    return;
  if (state.state != CIVIC_MENTION_STATE_NEW)
    return;

  if (!civic_workflow_claim (store, civic_mention_get_id (self->mention),
                             civic_context_get_person (self->context),
                             civic_context_get_desk_name (self->context),
                             civic_context_get_now_ms (self->context), &error))
    show_status (self, error->message, TRUE);
}

/* "/shortcut" followed by a space at the start of a line becomes the template. */
static gboolean
expand_shortcut (CivicComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter cursor, line_start;
  g_autofree char *line = NULL;
  g_autoptr(CivicTemplate) tmpl = NULL;
  g_autofree char *expanded = NULL;
  gsize len;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  line_start = cursor;
  gtk_text_iter_set_line_offset (&line_start, 0);
  line = gtk_text_buffer_get_text (buffer, &line_start, &cursor, FALSE);
  len = strlen (line);

  if (len < 3 || line[len - 1] != ' ')
    return FALSE;

  {
    const char *slash = strrchr (line, '/');
    g_autofree char *shortcut = NULL;

    if (slash == NULL || (slash != line && slash[-1] != ' '))
      return FALSE;

    shortcut = g_strndup (slash + 1, line + len - 1 - (slash + 1));
    if (*shortcut == '\0' || strchr (shortcut, ' ') != NULL)
      return FALSE;

    tmpl = civic_templates_lookup_shortcut (civic_context_get_store (self->context),
                                            civic_mention_get_department_id (self->mention), shortcut, NULL);
    if (tmpl == NULL)
      return FALSE;

    {
      g_autofree char *plazo = self->sla_minutes >= 120
                                 ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours",
                                                                 self->sla_minutes / 60), self->sla_minutes / 60)
                                 : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes",
                                                                 self->sla_minutes), self->sla_minutes);
      const char *name = civic_mention_get_author_name (self->mention);
      /* Unknown, {calle} stays for staff to fill in. */
      g_autofree char *street = civic_template_find_street (civic_mention_get_text (self->mention));
      CivicTemplateValues values = {
        .nombre = name != NULL && *name != '\0' ? name : civic_mention_get_author_acct (self->mention),
        .calle = street,
        .departamento = self->department_name,
        .plazo = plazo,
      };
      GtkTextIter from = line_start;

      expanded = civic_template_expand (tmpl->body, &values);
      gtk_text_iter_forward_chars (&from, g_utf8_pointer_to_offset (line, slash));
      gtk_text_buffer_begin_user_action (buffer);
      gtk_text_buffer_delete (buffer, &from, &cursor);
      gtk_text_buffer_insert (buffer, &from, expanded, -1);
      gtk_text_buffer_end_user_action (buffer);
    }
  }

  return TRUE;
}

static void
buffer_changed_cb (GtkTextBuffer *buffer,
                   CivicComposer *self)
{
  if (!self->loading)
    {
      claim_on_typing (self);
      expand_shortcut (self);
    }
  update_state (self);
  schedule_draft (self);
}

static void
spoiler_changed_cb (GtkEditable   *editable,
                    CivicComposer *self)
{
  update_state (self);
  schedule_draft (self);
}

static void
cw_toggled_cb (GtkToggleButton *button,
               CivicComposer   *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spoiler_entry), gtk_toggle_button_get_active (button));
  if (gtk_toggle_button_get_active (button) && !self->loading)
    gtk_widget_grab_focus (GTK_WIDGET (self->spoiler_entry));
  update_state (self);
  schedule_draft (self);
}

static void
visibility_changed_cb (GtkDropDown   *dropdown,
                       GParamSpec    *pspec,
                       CivicComposer *self)
{
  if (!self->loading)
    self->visibility_chosen = TRUE;
  update_state (self);
  schedule_draft (self);
}

static void
make_private_clicked_cb (GtkButton     *button,
                         CivicComposer *self)
{
  set_visibility (self, "direct");
  self->visibility_chosen = TRUE;
  update_state (self);
  schedule_draft (self);
}

/* Photos */

static void
remove_photo_clicked_cb (GtkButton     *button,
                         CivicComposer *self)
{
  GtkWidget *row = gtk_widget_get_parent (GTK_WIDGET (button));
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "civic-index"));

  if (index < self->photos->len)
    {
      g_ptr_array_remove_index (self->photos, index);
      g_ptr_array_remove_index (self->alt_entries, index);
    }
  gtk_box_remove (self->photos_box, row);

  /* Renumber what is left. */
  index = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->photos_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_object_set_data (G_OBJECT (child), "civic-index", GUINT_TO_POINTER (index++));

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_photo_button), self->photos->len < self->max_media);
  update_state (self);
}

static void
alt_changed_cb (GtkEditable   *editable,
                CivicComposer *self)
{
  update_state (self);
}

static void
add_photo (CivicComposer *self,
           const char    *path)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *picture = gtk_picture_new_for_filename (path);
  GtkWidget *alt = gtk_entry_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *remove_name = g_strdup_printf (_("Remove photo %s"), basename);

  gtk_widget_set_size_request (picture, 64, 48);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (alt), _("Describe the photo (required)"));
  gtk_widget_set_hexpand (alt, TRUE);
  gtk_widget_set_valign (alt, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (alt), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Description of the photo"), -1);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, remove_name);
  gtk_widget_add_css_class (remove, "flat");

  gtk_box_append (GTK_BOX (row), picture);
  gtk_box_append (GTK_BOX (row), alt);
  gtk_box_append (GTK_BOX (row), remove);
  g_object_set_data (G_OBJECT (row), "civic-index", GUINT_TO_POINTER (self->photos->len));
  gtk_box_append (self->photos_box, row);

  g_ptr_array_add (self->photos, g_strdup (path));
  g_ptr_array_add (self->alt_entries, alt);
  g_signal_connect (alt, "changed", G_CALLBACK (alt_changed_cb), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_photo_clicked_cb), self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_photo_button), self->photos->len < self->max_media);
  gtk_widget_grab_focus (alt);
  update_state (self);
}

static void
clear_photos (CivicComposer *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->photos_box))) != NULL)
    gtk_box_remove (self->photos_box, child);
  g_ptr_array_set_size (self->photos, 0);
  g_ptr_array_set_size (self->alt_entries, 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_photo_button), TRUE);
}

static void
photo_chosen_cb (GtkNativeDialog *dialog,
                 int              response,
                 CivicComposer   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL && self->photos->len < self->max_media)
        add_photo (self, path);
    }

  g_object_unref (dialog);
}

static void
add_photo_clicked_cb (GtkButton     *button,
                      CivicComposer *self)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  /* GTK 4.8 has no GtkFileDialog. */
  dialog = gtk_file_chooser_native_new (_("Add a Photo"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_mime_type (filter, "image/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_signal_connect (dialog, "response", G_CALLBACK (photo_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Templates menu */

static void
insert_template_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CivicComposer *self = CIVIC_COMPOSER (widget);
  g_autoptr(GPtrArray) templates = NULL;
  gint64 id = g_variant_get_int64 (parameter);

  if (self->mention == NULL)
    return;

  templates = civic_templates_list (civic_context_get_store (self->context),
                                    civic_mention_get_department_id (self->mention), NULL);
  for (guint i = 0; templates != NULL && i < templates->len; i++)
    {
      CivicTemplate *tmpl = g_ptr_array_index (templates, i);

      if (tmpl->id == id)
        {
          GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
          g_autofree char *plazo = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes",
                                                                 self->sla_minutes), self->sla_minutes);
          const char *name = civic_mention_get_author_name (self->mention);
          CivicTemplateValues values = {
            .nombre = name != NULL && *name != '\0' ? name : civic_mention_get_author_acct (self->mention),
            .departamento = self->department_name,
            .plazo = plazo,
          };
          g_autofree char *expanded = civic_template_expand (tmpl->body, &values);

          gtk_text_buffer_insert_at_cursor (buffer, expanded, -1);
          gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
          break;
        }
    }
}

static void
update_templates_menu (CivicComposer *self)
{
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GMenu) menu = g_menu_new ();

  if (self->mention != NULL)
    templates = civic_templates_list (civic_context_get_store (self->context),
                                      civic_mention_get_department_id (self->mention), NULL);

  for (guint i = 0; templates != NULL && i < templates->len; i++)
    {
      CivicTemplate *tmpl = g_ptr_array_index (templates, i);
      g_autoptr(GMenuItem) item = NULL;
      g_autofree char *label = tmpl->shortcut != NULL && *tmpl->shortcut != '\0'
                                 ? g_strdup_printf ("%s  /%s", tmpl->title, tmpl->shortcut)
                                 : g_strdup (tmpl->title);

      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "composer.insert-template", g_variant_new_int64 (tmpl->id));
      g_menu_append_item (menu, item);
    }

  gtk_menu_button_set_menu_model (self->templates_button, G_MENU_MODEL (menu));
  gtk_widget_set_sensitive (GTK_WIDGET (self->templates_button), templates != NULL && templates->len > 0);
}

/* Where the reply goes from: limits of the department's server. */
static void
read_limits (CivicComposer *self)
{
  CivicStore *store = civic_context_get_store (self->context);
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  const char *slug = NULL;

  self->limit = DEFAULT_LIMIT;
  self->url_weight = DEFAULT_URL_WEIGHT;
  self->max_media = 4;
  self->sla_minutes = 60;
  g_clear_pointer (&self->department_name, g_free);
  g_clear_pointer (&self->department_language, g_free);

  if (self->mention == NULL)
    return;

  departments = civic_store_list_departments_brief (store, NULL);
  for (guint i = 0; departments != NULL && i < departments->len; i++)
    {
      CivicDepartment *d = g_ptr_array_index (departments, i);

      if (civic_department_get_id (d) == civic_mention_get_department_id (self->mention))
        {
          slug = civic_department_get_slug (d);
          self->department_name = g_strdup (civic_department_get_name (d));
          self->sla_minutes = civic_department_get_sla_minutes (d);
          self->department_language = g_strdup (civic_department_get_language (d));
          break;
        }
    }

  accounts = civic_store_list_bound_accounts (store, NULL);
  for (guint i = 0; slug != NULL && accounts != NULL && i < accounts->len; i++)
    {
      CivicBoundAccount *account = g_ptr_array_index (accounts, i);
      g_auto(GStrv) slugs = g_strsplit (account->departments, ",", -1);

      if (g_strv_contains ((const char * const *) slugs, slug))
        {
          g_autoptr(CivicInstance) instance = civic_store_load_instance (store, account->server_id, NULL, NULL, NULL);

          if (instance != NULL)
            {
              self->limit = (guint) CLAMP (instance->max_characters, 1, 100000);
              self->url_weight = (guint) CLAMP (instance->characters_reserved_per_url, 0, 1000);
              self->max_media = (guint) CLAMP (instance->max_media_attachments, 0, 20);
            }
          break;
        }
    }
}

/* "@author " and the other citizens the mention names (not our accounts). */
static char *
addressees (CivicComposer *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) accounts = civic_store_list_bound_accounts (civic_context_get_store (self->context), NULL);
  g_auto(GStrv) words = g_strsplit_set (civic_mention_get_text (self->mention), " \n\t", -1);

  g_string_append_printf (out, "@%s ", civic_mention_get_author_acct (self->mention));

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];
      gboolean ours = FALSE;
      gsize len;

      if (word[0] != '@' || word[1] == '\0')
        continue;

      /* Trailing punctuation is not part of the name. */
      len = strlen (word);
      while (len > 1 && g_ascii_ispunct (word[len - 1]) && word[len - 1] != '_')
        len--;

      for (guint a = 0; accounts != NULL && a < accounts->len && !ours; a++)
        {
          const char *acct = ((CivicBoundAccount *) g_ptr_array_index (accounts, a))->acct;

          ours = strlen (acct) == len - 1 && strncmp (word + 1, acct, len - 1) == 0;
        }
      if (ours || strncmp (word + 1, civic_mention_get_author_acct (self->mention), len - 1) == 0)
        continue;

      {
        g_autofree char *name = g_strndup (word, len);
        g_autofree char *spaced = g_strconcat (name, " ", NULL);

        if (strstr (out->str, spaced) == NULL)
          g_string_append (out, spaced);
      }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
update_claim_warning (CivicComposer *self)
{
  g_auto(CivicWorkflowState) state = { 0 };
  gboolean theirs = FALSE;

  if (self->mention != NULL &&
      civic_workflow_load_state (civic_context_get_store (self->context), civic_mention_get_id (self->mention),
                                 &state, NULL))
    theirs = state.claimed_by != NULL && CIVIC_MENTION_STATE_IS_OPEN (state.state) &&
             g_strcmp0 (state.claimed_by, civic_context_get_person (self->context)) != 0;

  if (theirs)
    {
      g_autofree char *text = g_strdup_printf (_("%s is answering this. Release it to them or ask before you reply."),
                                               state.claimed_by);

      gtk_label_set_label (self->claim_warning, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->claim_warning), theirs);
}

static void
show_draft (CivicComposer    *self,
            const CivicDraft *draft)
{
  gboolean was_loading = self->loading;

  self->loading = TRUE;
  civic_composer_set_text (self, draft->body);
  gtk_editable_set_text (GTK_EDITABLE (self->spoiler_entry), draft->spoiler_text != NULL ? draft->spoiler_text : "");
  gtk_toggle_button_set_active (self->cw_toggle, draft->spoiler_text != NULL && *draft->spoiler_text != '\0');
  set_visibility (self, draft->visibility);
  self->visibility_chosen = TRUE;
  civic_composer_set_language (self, draft->language);
  self->loading = was_loading;
}

/* The pane shows the editor, or says where the reply is being written. */
static void
update_mode (CivicComposer *self)
{
  gboolean away = is_away (self);

  gtk_stack_set_visible_child_name (self->mode_stack, away ? "away" : "editor");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.open-window",
                                 self->home == NULL && self->mention != NULL && self->window == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.show-window", self->window != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.bring-back", self->window != NULL);
}

/* Everything staff set for the reply, photos included, from one
 * composer to the other (the pane's and its window's). */
static void
copy_reply (CivicComposer *from,
            CivicComposer *to)
{
  g_autofree char *text = civic_composer_dup_text (from);

  to->loading = TRUE;
  civic_composer_set_text (to, text);
  gtk_editable_set_text (GTK_EDITABLE (to->spoiler_entry), gtk_editable_get_text (GTK_EDITABLE (from->spoiler_entry)));
  gtk_toggle_button_set_active (to->cw_toggle, gtk_toggle_button_get_active (from->cw_toggle));
  set_visibility (to, civic_composer_get_visibility (from));
  to->visibility_chosen = from->visibility_chosen;
  civic_composer_set_language (to, from->language);
  clear_photos (to);
  for (guint i = 0; i < from->photos->len && i < to->max_media; i++)
    {
      GtkEditable *alt = g_ptr_array_index (from->alt_entries, i);

      add_photo (to, g_ptr_array_index (from->photos, i));
      gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (to->alt_entries, i)), gtk_editable_get_text (alt));
    }
  to->loading = FALSE;
  update_state (to);
}

/* The window is going (closed, or destroyed with its parent): the pane
 * is the editor again, with the window's text when it is the same
 * mention's. Returns the window, for the caller to destroy or not. */
static GtkWindow *
take_back (CivicComposer *self)
{
  GtkWindow *window = self->window;
  CivicComposer *detached = self->detached;
  gint64 away_id = self->away_mention_id;

  if (window == NULL)
    return NULL;

  self->window = NULL;
  self->detached = NULL;
  self->away_mention_id = 0;
  g_signal_handlers_disconnect_by_data (window, self);

  /* Saved first: if the pane moved on to another mention, the window's
   * text is that mention's draft (photos are not kept in drafts). */
  /* A composer already disposed (its window destroyed first) saved its
   * draft itself and has nothing left to give. */
  if (detached != NULL && detached->context != NULL && detached->mention != NULL)
    {
      detached->home = NULL;
      civic_composer_save_draft (detached);
      if (self->mention != NULL && civic_mention_get_id (self->mention) == away_id)
        {
          copy_reply (detached, self);
          civic_composer_save_draft (self);
        }
    }

  update_mode (self);
  return window;
}

static void
bring_back (CivicComposer *self)
{
  GtkWindow *window = take_back (self);

  if (window == NULL)
    return;

  gtk_window_destroy (window);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && self->mention != NULL)
    civic_composer_focus (self);
}

static void
window_destroy_cb (GtkWindow     *window,
                   CivicComposer *self)
{
  /* Destroyed without a close request (with its parent, say): nothing
   * may point at it afterwards. */
  if (window == self->window)
    take_back (self);
}

static gboolean
window_close_request_cb (GtkWindow     *window,
                         CivicComposer *self)
{
  bring_back (self);
  return TRUE;
}

GtkWindow *
civic_composer_open_window (CivicComposer *self)
{
  GtkRoot *root;
  GtkWidget *box, *header, *title, *scroller;
  g_autofree char *title_text = NULL;

  g_return_val_if_fail (CIVIC_IS_COMPOSER (self), NULL);

  if (self->window != NULL)
    {
      gtk_window_present (self->window);
      return self->window;
    }
  if (self->mention == NULL || self->home != NULL)
    return NULL;

  /* The draft is in the store before the other editor reads it. */
  civic_composer_save_draft (self);

  title_text = g_strdup_printf (_("Reply to @%s"), civic_mention_get_author_acct (self->mention));
  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_title (self->window, title_text);
  gtk_window_set_default_size (self->window, 640, 520);
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (self->window, GTK_WINDOW (root));
      gtk_window_set_destroy_with_parent (self->window, TRUE);
    }

  self->detached = CIVIC_COMPOSER (civic_composer_new (self->context));
  self->detached->home = self;
  self->away_mention_id = civic_mention_get_id (self->mention);
  civic_composer_set_mention (self->detached, self->mention);
  copy_reply (self, self->detached);

  /* Room for a long answer: the text grows with the window. */
  gtk_widget_set_visible (GTK_WIDGET (self->detached->window_button), FALSE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->detached), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->detached->text_scroller), TRUE);
  gtk_scrolled_window_set_propagate_natural_height (self->detached->text_scroller, FALSE);
  gtk_scrolled_window_set_max_content_height (self->detached->text_scroller, -1);
  gtk_widget_set_margin_top (GTK_WIDGET (self->detached), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->detached), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->detached), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->detached), 12);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  title = adw_window_title_new (title_text, self->department_name != NULL ? self->department_name : "");
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  gtk_box_append (GTK_BOX (box), header);
  /* Scrolls when the window is made smaller than the composer. */
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->detached));
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (self->window), box);

  g_signal_connect (self->window, "close-request", G_CALLBACK (window_close_request_cb), self);
  g_signal_connect (self->window, "destroy", G_CALLBACK (window_destroy_cb), self);
  update_mode (self);

  gtk_window_present (self->window);
  civic_composer_focus (self->detached);

  return self->window;
}

GtkWindow *
civic_composer_get_window (CivicComposer *self)
{
  g_return_val_if_fail (CIVIC_IS_COMPOSER (self), NULL);
  return self->window;
}

CivicComposer *
civic_composer_get_detached (CivicComposer *self)
{
  g_return_val_if_fail (CIVIC_IS_COMPOSER (self), NULL);
  return self->detached;
}

static void
open_window_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  civic_composer_open_window (CIVIC_COMPOSER (widget));
}

static void
show_window_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CivicComposer *self = CIVIC_COMPOSER (widget);

  if (self->window != NULL)
    {
      gtk_window_present (self->window);
      civic_composer_focus (self->detached);
    }
}

static void
bring_back_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  bring_back (CIVIC_COMPOSER (widget));
}

/* A reply taken back from the outbox (here or from the header bar) puts
 * its text in the draft: show it, unless staff are typing. */
static void
outbox_changed_cb (GObject       *outbox,
                   CivicComposer *self)
{
  g_autoptr(CivicDraft) draft = NULL;
  g_autofree char *text = NULL;

  if (self->mention == NULL || self->draft_source != 0 || self->window != NULL || self->loading)
    return;

  draft = civic_drafts_load (civic_context_get_store (self->context), civic_mention_get_id (self->mention), NULL);
  if (draft == NULL)
    return;
  text = civic_composer_dup_text (self);
  if (g_strcmp0 (draft->body, text) == 0)
    return;

  show_draft (self, draft);
  update_state (self);
}

void
civic_composer_set_mention (CivicComposer *self,
                            CivicMention  *mention)
{
  g_autoptr(CivicDraft) draft = NULL;

  g_return_if_fail (CIVIC_IS_COMPOSER (self));

  if (self->mention != NULL && mention != NULL &&
      civic_mention_get_id (self->mention) == civic_mention_get_id (mention))
    {
      update_claim_warning (self);
      update_mode (self);
      return;
    }

  /* Whatever was typed for the previous mention is kept. */
  if (self->draft_source != 0)
    civic_composer_save_draft (self);

  g_set_object (&self->mention, mention);
  read_limits (self);
  update_templates_menu (self);
  clear_photos (self);
  self->visibility_chosen = FALSE;

  self->loading = TRUE;
  if (mention != NULL)
    draft = civic_drafts_load (civic_context_get_store (self->context), civic_mention_get_id (mention), NULL);

  if (draft != NULL)
    show_draft (self, draft);
  else
    {
      g_autofree char *prefill = mention != NULL ? addressees (self) : g_strdup ("");

      civic_composer_set_text (self, prefill);
      gtk_editable_set_text (GTK_EDITABLE (self->spoiler_entry), "");
      gtk_toggle_button_set_active (self->cw_toggle, FALSE);

      /* Private messages are answered privately; the health centre always
       * answers privately: personal data. */
      if (mention != NULL &&
          (civic_mention_get_visibility (mention) == CIVIC_VISIBILITY_DIRECT ||
           g_strcmp0 (self->department_name, "Centro de Salud") == 0))
        set_visibility (self, "direct");
      else
        set_visibility (self, "public");
      civic_composer_set_language (self, NULL);
    }
  self->loading = FALSE;

  update_claim_warning (self);
  update_state (self);
  update_mode (self);
}

void
civic_composer_focus (CivicComposer *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter end;

  g_return_if_fail (CIVIC_IS_COMPOSER (self));

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static char *
signed_text (CivicComposer *self,
             const char    *text)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source != NULL
                                        ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *initials = NULL;

  if (schema == NULL)
    return g_strdup (text);

  settings = g_settings_new (APP_ID);
  initials = g_strstrip (g_settings_get_string (settings, "signature-initials"));
  if (*initials == '\0')
    return g_strdup (text);

  /* Several staff share one account: the town sees who answered. */
  return g_strdup_printf ("%s\n— %s", text, initials);
}

gboolean
civic_composer_send (CivicComposer *self)
{
  g_autofree char *text = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  CivicOutbox *outbox;
  CivicOutboxReply reply = { 0 };
  gint64 outbox_id = 0;

  g_return_val_if_fail (CIVIC_IS_COMPOSER (self), FALSE);

  if (self->mention == NULL || !gtk_widget_get_sensitive (GTK_WIDGET (self->send_button)))
    return FALSE;

  /* Ctrl+Enter on the pane while the window holds the reply: the window's
   * text is the one to send, from the window. */
  if (is_away (self))
    {
      gtk_window_present (self->window);
      return FALSE;
    }

  outbox = civic_context_get_outbox (self->context);
  if (outbox == NULL)
    {
      show_status (self, _("This desk is not connected: the reply cannot be sent"), TRUE);
      return FALSE;
    }

  text = civic_composer_dup_text (self);
  body = signed_text (self, g_strstrip (text));

  for (guint i = 0; i < self->photos->len; i++)
    {
      g_ptr_array_add (paths, g_ptr_array_index (self->photos, i));
      g_ptr_array_add (alts, g_strdup (gtk_editable_get_text (GTK_EDITABLE (g_ptr_array_index (self->alt_entries, i)))));
    }
  g_ptr_array_add (paths, NULL);
  g_ptr_array_add (alts, NULL);

  reply.mention_id = civic_mention_get_id (self->mention);
  reply.body = body;
  reply.spoiler_text = spoiler_text (self);
  reply.visibility = civic_composer_get_visibility (self);
  reply.language = self->language;
  reply.media_paths = self->photos->len > 0 ? (const char * const *) paths->pdata : NULL;
  reply.media_descriptions = self->photos->len > 0 ? (const char * const *) alts->pdata : NULL;

  /* The draft stays until the outbox row exists: written in one
   * transaction that also deletes it. */
  civic_composer_save_draft (self);
  if (!civic_outbox_queue (outbox, &reply, civic_context_get_person (self->context),
                           civic_context_get_desk_name (self->context),
                           civic_context_get_now_ms (self->context), &outbox_id, &error))
    {
      show_status (self, error->message, TRUE);
      return FALSE;
    }

  self->loading = TRUE;
  civic_composer_set_text (self, "");
  gtk_editable_set_text (GTK_EDITABLE (self->spoiler_entry), "");
  gtk_toggle_button_set_active (self->cw_toggle, FALSE);
  clear_photos (self);
  self->loading = FALSE;
  update_state (self);

  toast (self, _("Reply queued; it goes out as soon as the server takes it"));

  /* Sent from its own window: back to the pane, which is empty again. */
  if (self->home != NULL)
    gtk_window_close (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));

  return TRUE;
}

static void
send_clicked_cb (GtkButton     *button,
                 CivicComposer *self)
{
  civic_composer_send (self);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  civic_composer_send (CIVIC_COMPOSER (widget));
}

static void
civic_composer_constructed (GObject *object)
{
  CivicComposer *self = (CivicComposer *) object;
  GObject *outbox;

  G_OBJECT_CLASS (civic_composer_parent_class)->constructed (object);

  outbox = self->context != NULL ? civic_context_get_outbox (self->context) : NULL;
  if (outbox != NULL)
    g_signal_connect_object (outbox, "changed", G_CALLBACK (outbox_changed_cb), self, 0);
}

static void
civic_composer_dispose (GObject *object)
{
  CivicComposer *self = (CivicComposer *) object;

  /* Nothing typed is lost when the window closes. */
  if (self->draft_source != 0 && self->context != NULL)
    civic_composer_save_draft (self);
  g_clear_handle_id (&self->draft_source, g_source_remove);

  /* The window's composer saves its own draft as it goes. */
  if (self->window != NULL)
    {
      GtkWindow *window = g_steal_pointer (&self->window);

      self->detached->home = NULL;
      self->detached = NULL;
      g_signal_handlers_disconnect_by_data (window, self);
      gtk_window_destroy (window);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_COMPOSER);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  g_clear_object (&self->mention);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (civic_composer_parent_class)->dispose (object);
}

static void
civic_composer_finalize (GObject *object)
{
  CivicComposer *self = (CivicComposer *) object;

  g_clear_pointer (&self->photos, g_ptr_array_unref);
  g_clear_pointer (&self->alt_entries, g_ptr_array_unref);
  g_free (self->department_name);
  g_free (self->department_language);
  g_free (self->language);

  G_OBJECT_CLASS (civic_composer_parent_class)->finalize (object);
}

static void
civic_composer_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CivicComposer *self = CIVIC_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_LANGUAGE:
      civic_composer_set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_composer_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CivicComposer *self = CIVIC_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
civic_composer_class_init (CivicComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = civic_composer_constructed;
  object_class->dispose = civic_composer_dispose;
  object_class->finalize = civic_composer_finalize;
  object_class->get_property = civic_composer_get_property;
  object_class->set_property = civic_composer_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CIVIC_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, "es",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "composer.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "composer.insert-template", "x", insert_template_action);
  gtk_widget_class_install_property_action (widget_class, "composer.language", "language");
  gtk_widget_class_install_action (widget_class, "composer.open-window", NULL, open_window_action);
  gtk_widget_class_install_action (widget_class, "composer.show-window", NULL, show_window_action);
  gtk_widget_class_install_action (widget_class, "composer.bring-back", NULL, bring_back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "composer.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "composer.send", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "civiccomposer");
  gtk_widget_class_set_template_from_resource (widget_class, "/org/civicdesk/CivicDesk/civic-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicComposer, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, CivicComposer, window_button);
  gtk_widget_class_bind_template_child (widget_class, CivicComposer, text_scroller);
  gtk_widget_class_bind_template_child (widget_class, CivicComposer, claim_warning);
  gtk_widget_class_bind_template_child (widget_class, CivicComposer, templates_button);
  gtk_widget_class_bind_template_child (widget_class, CivicComposer, visibility_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CivicComposer, language_button);
  gtk_widget_class_bind_template_child (widget_class, CivicComposer, cw_toggle);
  gtk_widget_class_bind_template_child (widget_class, CivicComposer, spoiler_entry);
  gtk_widget_class_bind_template_child (widget_class, CivicComposer, text_view);
  gtk_widget_class_bind_template_child (widget_class, CivicComposer, privacy_revealer);
  gtk_widget_class_bind_template_child (widget_class, CivicComposer, privacy_label);
  gtk_widget_class_bind_template_child (widget_class, CivicComposer, photos_box);
  gtk_widget_class_bind_template_child (widget_class, CivicComposer, add_photo_button);
  gtk_widget_class_bind_template_child (widget_class, CivicComposer, status_label);
  gtk_widget_class_bind_template_child (widget_class, CivicComposer, counter_label);
  gtk_widget_class_bind_template_child (widget_class, CivicComposer, send_button);
  gtk_widget_class_bind_template_callback (widget_class, spoiler_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cw_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, visibility_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, make_private_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_photo_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, send_clicked_cb);
}

static void
civic_composer_init (CivicComposer *self)
{
  self->photos = g_ptr_array_new_with_free_func (g_free);
  self->alt_entries = g_ptr_array_new ();
  self->limit = DEFAULT_LIMIT;
  self->url_weight = DEFAULT_URL_WEIGHT;
  self->max_media = 4;
  /* Before the template: the language action reads the property. */
  self->language = g_strdup ("es");

  gtk_widget_init_template (GTK_WIDGET (self));

  {
    g_autoptr(GMenu) menu = g_menu_new ();
    guint n_languages;
    const CivicLanguage *languages = civic_languages_get (&n_languages);

    for (guint i = 0; i < n_languages; i++)
      {
        g_autoptr(GMenuItem) item = g_menu_item_new (languages[i].name, NULL);

        g_menu_item_set_action_and_target_value (item, "composer.language",
                                                 g_variant_new_string (languages[i].code));
        g_menu_append_item (menu, item);
      }
    gtk_menu_button_set_menu_model (self->language_button, G_MENU_MODEL (menu));
  }
  update_language_button (self);

  g_signal_connect (gtk_text_view_get_buffer (self->text_view), "changed",
                    G_CALLBACK (buffer_changed_cb), self);
  update_state (self);
  update_mode (self);
}

GtkWidget *
civic_composer_new (CivicContext *context)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);

  return g_object_new (CIVIC_TYPE_COMPOSER, "context", context, NULL);
}
