/* civic-stats-view.c
 *
 * The statistics page: the figures a town publishes about its answers,
 * per department, for a period; as a table, as a chart, and as CSV. The
 * store computes them (civic_stats_compute); this page only shows them,
 * again after the store changes while it is on screen.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-stats.h"
#include "civic-stats-chart.h"
#include "civic-stats-view.h"

#define REFRESH_DELAY_MS 1000
#define DAY_MS (G_GINT64_CONSTANT (24) * 60 * 60 * 1000)

struct _CivicStatsView
{
  GtkWidget parent_instance;

  /* Template children */
  GtkDropDown *period_dropdown;
  GtkMenuButton *from_button;
  GtkLabel *range_dash;
  GtkMenuButton *to_button;
  GtkCalendar *from_calendar;
  GtkCalendar *to_calendar;
  GtkButton *export_button;
  GtkLabel *status_label;
  GtkLabel *period_label;
  CivicStatsChart *chart;
  GtkGrid *table_grid;

  CivicContext *context;          /* owned */
  GPtrArray *stats;               /* owned: CivicDepartmentStats, as shown */
  GtkFileChooserNative *chooser;  /* owned, while choosing */
  GCancellable *cancellable;      /* owned */
  gint64 from_ms;
  gint64 to_ms;
  guint refresh_source;
  gboolean dirty;
  gboolean loading;
};

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CivicStatsView, civic_stats_view, GTK_TYPE_WIDGET)

static char *
format_duration (gint64 ms)
{
  gint64 minutes;

  if (ms < 0)
    return g_strdup ("—");

  minutes = (ms + 30000) / 60000;
  if (minutes < 1)
    return g_strdup (_("under 1 min"));
  if (minutes < 60)
    /* Translators: a time to answer in minutes, e.g. "20 min" */
    return g_strdup_printf (_("%d min"), (int) minutes);
  /* Translators: a time to answer in hours and minutes, e.g. "1 h 16 min" */
  return g_strdup_printf (_("%d h %02d min"), (int) (minutes / 60), (int) (minutes % 60));
}

static char *
format_share (double share)
{
  if (share < 0)
    return g_strdup ("—");
  /* Translators: a share in percent, e.g. "67 %" */
  return g_strdup_printf (_("%d %%"), (int) (share * 100 + 0.5));
}

static char *
format_sla (guint minutes)
{
  if (minutes % 60 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", minutes / 60), minutes / 60);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", minutes), minutes);
}

static GDateTime *
local_midnight (GDateTime *day)
{
  return g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                g_date_time_get_day_of_month (day), 0, 0, 0);
}

static GDateTime *
calendar_day (GtkCalendar *calendar)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (calendar);

  return local_midnight (date);
}

static void
compute_range (CivicStatsView *self)
{
  gint64 now_ms = civic_context_get_now_ms (self->context);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (now_ms / 1000);

  switch (gtk_drop_down_get_selected (self->period_dropdown))
    {
    case CIVIC_STATS_PERIOD_THIS_WEEK:
      {
        g_autoptr(GDateTime) today = local_midnight (now);
        g_autoptr(GDateTime) monday = g_date_time_add_days (today, 1 - g_date_time_get_day_of_week (now));

        self->from_ms = g_date_time_to_unix (monday) * 1000;
        self->to_ms = now_ms + 1;
      }
      break;

    case CIVIC_STATS_PERIOD_CUSTOM:
      {
        g_autoptr(GDateTime) first = calendar_day (self->from_calendar);
        g_autoptr(GDateTime) last = calendar_day (self->to_calendar);
        g_autoptr(GDateTime) after = NULL;

        if (g_date_time_compare (first, last) > 0)
          {
            GDateTime *swap = first;

            first = last;
            last = swap;
          }
        after = g_date_time_add_days (last, 1);
        self->from_ms = g_date_time_to_unix (first) * 1000;
        self->to_ms = g_date_time_to_unix (after) * 1000;
      }
      break;

    case CIVIC_STATS_PERIOD_LAST_30_DAYS:
    default:
      self->from_ms = now_ms - 30 * DAY_MS;
      self->to_ms = now_ms + 1;
      break;
    }
}

static char *
format_day (gint64 ms)
{
  g_autoptr(GDateTime) day = g_date_time_new_from_unix_local (ms / 1000);

  /* Translators: a day in the statistics' period, see strftime */
  return g_date_time_format (day, _("%-d %b %Y"));
}

static void
update_period_label (CivicStatsView *self)
{
  g_autofree char *first = format_day (self->from_ms);
  g_autofree char *last = format_day (self->to_ms - 1);
  g_autofree char *text = NULL;

  if (g_strcmp0 (first, last) == 0)
    text = g_strdup (first);
  else
    /* Translators: the statistics' period, e.g. "27 Oct 2026 – 26 Nov 2026" */
    text = g_strdup_printf (_("%s – %s"), first, last);
  gtk_label_set_label (self->period_label, text);

  {
    g_autofree char *from_text = format_day (self->from_ms);
    g_autofree char *to_text = format_day (self->to_ms - 1);

    gtk_menu_button_set_label (self->from_button, from_text);
    gtk_menu_button_set_label (self->to_button, to_text);
  }
}

static GtkWidget *
cell (GtkGrid    *grid,
      const char *text,
      int         column,
      int         row,
      gboolean    number)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), number ? 1.0f : 0.0f);
  if (number)
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (grid, label, column, row, 1, 1);
  return label;
}

static void
fill_table (CivicStatsView *self)
{
  static const char *headers[] = {
    N_("Department"), N_("Received"), N_("Answered"), N_("Median Time"), N_("90% Within"),
    N_("In Time"), N_("Closed Unanswered"), N_("Open"), N_("Overdue"),
  };
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->table_grid))) != NULL)
    gtk_grid_remove (self->table_grid, child);

  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    {
      GtkWidget *header = cell (self->table_grid, _(headers[c]), c, 0, c > 0);

      /* Headers take two lines rather than widen the table past the page. */
      gtk_label_set_wrap (GTK_LABEL (header), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (header), 10);
      gtk_label_set_justify (GTK_LABEL (header), c > 0 ? GTK_JUSTIFY_RIGHT : GTK_JUSTIFY_LEFT);
      gtk_widget_set_valign (header, GTK_ALIGN_END);
      gtk_widget_add_css_class (header, "heading");
    }

  for (guint i = 0; i < self->stats->len; i++)
    {
      CivicDepartmentStats *stats = g_ptr_array_index (self->stats, i);
      g_autofree char *received = g_strdup_printf ("%u", stats->received);
      g_autofree char *answered = g_strdup_printf ("%u", stats->answered);
      g_autofree char *median = format_duration (stats->median_ms);
      g_autofree char *p90 = format_duration (stats->p90_ms);
      g_autofree char *share = format_share (stats->share_within_sla);
      g_autofree char *closed = g_strdup_printf ("%u", stats->closed_unanswered);
      g_autofree char *open = g_strdup_printf ("%u", stats->open_now);
      g_autofree char *overdue = g_strdup_printf ("%u", stats->overdue_now);
      const char *name = g_strcmp0 (stats->slug, "unsorted") == 0 ? _("Unsorted") : stats->name;
      int row = i + 1;

      cell (self->table_grid, name, 0, row, FALSE);
      cell (self->table_grid, received, 1, row, TRUE);
      cell (self->table_grid, answered, 2, row, TRUE);
      cell (self->table_grid, median, 3, row, TRUE);
      cell (self->table_grid, p90, 4, row, TRUE);
      cell (self->table_grid, share, 5, row, TRUE);
      cell (self->table_grid, closed, 6, row, TRUE);
      cell (self->table_grid, open, 7, row, TRUE);
      if (stats->overdue_now > 0)
        gtk_widget_add_css_class (cell (self->table_grid, overdue, 8, row, TRUE), "error");
      else
        cell (self->table_grid, overdue, 8, row, TRUE);
    }
}

static void
fill_chart (CivicStatsView *self)
{
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GArray) bars = g_array_new (FALSE, TRUE, sizeof (CivicStatsBar));
  g_autoptr(GPtrArray) captions = g_ptr_array_new_with_free_func (g_free);

  departments = civic_store_list_departments_brief (civic_context_get_store (self->context), NULL);

  for (guint i = 0; i < self->stats->len; i++)
    {
      CivicDepartmentStats *stats = g_ptr_array_index (self->stats, i);
      CivicStatsBar bar = { 0 };
      g_autofree char *sla = format_sla (stats->sla_minutes);
      char *caption;

      /* A department with nothing received and nothing due says nothing. */
      if (stats->received == 0 && stats->sla_due == 0)
        continue;

      gdk_rgba_parse (&bar.colour, "#77767b");
      for (guint j = 0; departments != NULL && j < departments->len; j++)
        {
          CivicDepartment *department = g_ptr_array_index (departments, j);

          if (civic_department_get_id (department) == stats->department_id)
            gdk_rgba_parse (&bar.colour, civic_department_get_colour (department));
        }

      if (stats->sla_due == 0)
        caption = g_strdup (_("none due yet"));
      else
        /* Translators: e.g. "2 of 3 within 1 hour" */
        caption = g_strdup_printf (_("%u of %u within %s"), stats->answered_within_sla, stats->sla_due, sla);
      g_ptr_array_add (captions, caption);

      bar.name = g_strcmp0 (stats->slug, "unsorted") == 0 ? _("Unsorted") : stats->name;
      bar.total = stats->sla_due;
      bar.part = stats->answered_within_sla;
      bar.caption = caption;
      g_array_append_val (bars, bar);
    }

  civic_stats_chart_set_bars (self->chart, (const CivicStatsBar *) (gpointer) bars->data, bars->len);
}

static void
show_status (CivicStatsView *self,
             const char     *message,
             gboolean        error)
{
  gtk_label_set_label (self->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
refresh (CivicStatsView *self)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *stats;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  self->dirty = FALSE;

  compute_range (self);
  update_period_label (self);

  stats = civic_stats_compute (civic_context_get_store (self->context), self->from_ms, self->to_ms,
                               civic_context_get_now_ms (self->context), &error);
  if (stats == NULL)
    {
      show_status (self, error->message, TRUE);
      return;
    }

  g_clear_pointer (&self->stats, g_ptr_array_unref);
  self->stats = stats;
  fill_table (self);
  fill_chart (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), TRUE);
}

static gboolean
refresh_cb (gpointer user_data)
{
  CivicStatsView *self = user_data;

  self->refresh_source = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (CivicStatsView *self)
{
  /* Off screen, computing is wasted: do it when shown again. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (REFRESH_DELAY_MS, refresh_cb, self);
}

static void
period_changed_cb (CivicStatsView *self)
{
  gboolean custom = gtk_drop_down_get_selected (self->period_dropdown) == CIVIC_STATS_PERIOD_CUSTOM;

  if (custom && !self->loading)
    {
      /* Start from the period shown until now. */
      g_autoptr(GDateTime) first = g_date_time_new_from_unix_local (self->from_ms / 1000);
      g_autoptr(GDateTime) last = g_date_time_new_from_unix_local ((self->to_ms - 1) / 1000);

      self->loading = TRUE;
      gtk_calendar_select_day (self->from_calendar, first);
      gtk_calendar_select_day (self->to_calendar, last);
      self->loading = FALSE;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->from_button), custom);
  gtk_widget_set_visible (GTK_WIDGET (self->range_dash), custom);
  gtk_widget_set_visible (GTK_WIDGET (self->to_button), custom);
  show_status (self, NULL, FALSE);
  refresh (self);
}

static void
range_changed_cb (CivicStatsView *self)
{
  if (self->loading)
    return;

  gtk_popover_popdown (gtk_menu_button_get_popover (self->from_button));
  gtk_popover_popdown (gtk_menu_button_get_popover (self->to_button));
  refresh (self);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  CivicStatsView *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      {
        /* Translators: %s says why the file could not be written */
        g_autofree char *message = g_strdup_printf (_("The statistics could not be saved: %s"), error->message);

        show_status (self, message, TRUE);
      }
      return;
    }

  {
    g_autofree char *name = g_file_get_parse_name (G_FILE (source));
    /* Translators: %s is a file */
    g_autofree char *message = g_strdup_printf (_("Saved to %s"), name);

    show_status (self, message, FALSE);
  }
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     CivicStatsView  *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *csv;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file == NULL || self->stats == NULL)
    return;

  csv = civic_stats_to_csv (self->stats);
  bytes = g_bytes_new_take (csv, strlen (csv));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, saved_cb, self);
}

static void
export_clicked_cb (CivicStatsView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GDateTime) first = g_date_time_new_from_unix_local (self->from_ms / 1000);
  g_autoptr(GDateTime) last = g_date_time_new_from_unix_local ((self->to_ms - 1) / 1000);
  g_autofree char *first_text = g_date_time_format (first, "%Y-%m-%d");
  g_autofree char *last_text = g_date_time_format (last, "%Y-%m-%d");
  g_autofree char *name = NULL;

  if (self->chooser != NULL || self->stats == NULL)
    return;

  /* Translators: the suggested file name of exported statistics; keep the two %s (dates) */
  name = g_strdup_printf (_("statistics-%s-%s.csv"), first_text, last_text);
  self->chooser = gtk_file_chooser_native_new (_("Export Statistics"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_file_filter_set_name (filter, _("Spreadsheet (CSV)"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
civic_stats_view_map (GtkWidget *widget)
{
  CivicStatsView *self = CIVIC_STATS_VIEW (widget);

  GTK_WIDGET_CLASS (civic_stats_view_parent_class)->map (widget);

  if (self->dirty || self->stats == NULL)
    refresh (self);
}

static void
civic_stats_view_constructed (GObject *object)
{
  CivicStatsView *self = (CivicStatsView *) object;

  G_OBJECT_CLASS (civic_stats_view_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  g_signal_connect_object (civic_context_get_store (self->context), "changed",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  refresh (self);
}

static void
civic_stats_view_dispose (GObject *object)
{
  CivicStatsView *self = (CivicStatsView *) object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);

  gtk_widget_dispose_template (GTK_WIDGET (self), CIVIC_TYPE_STATS_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (civic_stats_view_parent_class)->dispose (object);
}

static void
civic_stats_view_finalize (GObject *object)
{
  CivicStatsView *self = (CivicStatsView *) object;

  g_clear_pointer (&self->stats, g_ptr_array_unref);

  G_OBJECT_CLASS (civic_stats_view_parent_class)->finalize (object);
}

static void
civic_stats_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CivicStatsView *self = CIVIC_STATS_VIEW (object);

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
civic_stats_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CivicStatsView *self = CIVIC_STATS_VIEW (object);

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
civic_stats_view_class_init (CivicStatsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = civic_stats_view_constructed;
  object_class->dispose = civic_stats_view_dispose;
  object_class->finalize = civic_stats_view_finalize;
  object_class->get_property = civic_stats_view_get_property;
  object_class->set_property = civic_stats_view_set_property;
  widget_class->map = civic_stats_view_map;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CIVIC_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CIVIC_TYPE_STATS_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/civicdesk/CivicDesk/civic-stats-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CivicStatsView, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CivicStatsView, from_button);
  gtk_widget_class_bind_template_child (widget_class, CivicStatsView, range_dash);
  gtk_widget_class_bind_template_child (widget_class, CivicStatsView, to_button);
  gtk_widget_class_bind_template_child (widget_class, CivicStatsView, from_calendar);
  gtk_widget_class_bind_template_child (widget_class, CivicStatsView, to_calendar);
  gtk_widget_class_bind_template_child (widget_class, CivicStatsView, export_button);
  gtk_widget_class_bind_template_child (widget_class, CivicStatsView, status_label);
  gtk_widget_class_bind_template_child (widget_class, CivicStatsView, period_label);
  gtk_widget_class_bind_template_child (widget_class, CivicStatsView, chart);
  gtk_widget_class_bind_template_child (widget_class, CivicStatsView, table_grid);
  gtk_widget_class_bind_template_callback (widget_class, period_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, range_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
}

static void
civic_stats_view_init (CivicStatsView *self)
{
  self->cancellable = g_cancellable_new ();
  /* The dropdown's initial selection is not a change. */
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = FALSE;
}

GtkWidget *
civic_stats_view_new (CivicContext *context)
{
  g_return_val_if_fail (CIVIC_IS_CONTEXT (context), NULL);

  return g_object_new (CIVIC_TYPE_STATS_VIEW, "context", context, NULL);
}

void
civic_stats_view_set_period (CivicStatsView   *self,
                             CivicStatsPeriod  period)
{
  g_return_if_fail (CIVIC_IS_STATS_VIEW (self));
  g_return_if_fail (period <= CIVIC_STATS_PERIOD_CUSTOM);

  gtk_drop_down_set_selected (self->period_dropdown, period);
}

CivicStatsPeriod
civic_stats_view_get_period (CivicStatsView *self)
{
  g_return_val_if_fail (CIVIC_IS_STATS_VIEW (self), CIVIC_STATS_PERIOD_LAST_30_DAYS);

  return gtk_drop_down_get_selected (self->period_dropdown);
}

void
civic_stats_view_set_custom_range (CivicStatsView *self,
                                   GDateTime      *first_day,
                                   GDateTime      *last_day)
{
  g_return_if_fail (CIVIC_IS_STATS_VIEW (self));
  g_return_if_fail (first_day != NULL && last_day != NULL);

  self->loading = TRUE;
  gtk_drop_down_set_selected (self->period_dropdown, CIVIC_STATS_PERIOD_CUSTOM);
  gtk_calendar_select_day (self->from_calendar, first_day);
  gtk_calendar_select_day (self->to_calendar, last_day);
  self->loading = FALSE;
  refresh (self);
}

void
civic_stats_view_refresh (CivicStatsView *self)
{
  g_return_if_fail (CIVIC_IS_STATS_VIEW (self));

  refresh (self);
}

GPtrArray *
civic_stats_view_get_stats (CivicStatsView *self)
{
  g_return_val_if_fail (CIVIC_IS_STATS_VIEW (self), NULL);

  return self->stats;
}

void
civic_stats_view_get_range (CivicStatsView *self,
                            gint64         *from_ms,
                            gint64         *to_ms)
{
  g_return_if_fail (CIVIC_IS_STATS_VIEW (self));

  if (from_ms != NULL)
    *from_ms = self->from_ms;
  if (to_ms != NULL)
    *to_ms = self->to_ms;
}
