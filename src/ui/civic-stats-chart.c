/* civic-stats-chart.c
 *
 * The statistics' picture: per department, how many answers were due and
 * how many of them came within the answer time. Drawn straight into the
 * snapshot (no web view, no chart library); the same figures are the
 * accessible description, so the picture hides nothing from a screen
 * reader.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "civic-stats-chart.h"

#define ROW_HEIGHT 30
#define BAR_HEIGHT 14
#define GAP 12
#define MIN_BAR_WIDTH 160

typedef struct
{
  char *name;
  GdkRGBA colour;
  guint total;
  guint part;
  char *caption;
} Bar;

struct _CivicStatsChart
{
  GtkWidget parent_instance;

  GArray *bars;        /* owned: Bar */
  char *description;   /* owned */
};

G_DEFINE_FINAL_TYPE (CivicStatsChart, civic_stats_chart, GTK_TYPE_WIDGET)

static void
bar_clear (Bar *bar)
{
  g_free (bar->name);
  g_free (bar->caption);
}

static int
text_width (GtkWidget  *widget,
            const char *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static void
widest_texts (CivicStatsChart *self,
              int             *name_width,
              int             *caption_width)
{
  *name_width = 0;
  *caption_width = 0;
  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);

      *name_width = MAX (*name_width, text_width (GTK_WIDGET (self), bar->name));
      *caption_width = MAX (*caption_width, text_width (GTK_WIDGET (self), bar->caption));
    }
}

static void
civic_stats_chart_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  CivicStatsChart *self = CIVIC_STATS_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int name_width, caption_width;

      widest_texts (self, &name_width, &caption_width);
      *minimum = name_width + caption_width + 2 * GAP + MIN_BAR_WIDTH;
      *natural = *minimum + 200;
    }
  else
    {
      *minimum = *natural = MAX (1, (int) self->bars->len) * ROW_HEIGHT;
    }
}

static void
append_text (GtkSnapshot *snapshot,
             GtkWidget   *widget,
             const char  *text,
             float        x,
             float        row_y,
             GdkRGBA     *colour)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, row_y + (ROW_HEIGHT - height) / 2.f));
  gtk_snapshot_append_layout (snapshot, layout, colour);
  gtk_snapshot_restore (snapshot);
}

static void
civic_stats_chart_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  CivicStatsChart *self = CIVIC_STATS_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int name_width, caption_width, bar_width;
  guint max_total = 1;
  GdkRGBA fg;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  widest_texts (self, &name_width, &caption_width);
  bar_width = MAX (MIN_BAR_WIDTH / 2, width - name_width - caption_width - 2 * GAP);

  for (guint i = 0; i < self->bars->len; i++)
    max_total = MAX (max_total, g_array_index (self->bars, Bar, i).total);

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      float y = i * ROW_HEIGHT;
      float bar_y = y + (ROW_HEIGHT - BAR_HEIGHT) / 2.f;
      float x = name_width + GAP;
      float full = bar_width * (float) bar->total / max_total;
      float part = bar->total > 0 ? full * (float) bar->part / bar->total : 0;
      GdkRGBA track = fg;
      GdkRGBA rest = bar->colour;

      append_text (snapshot, widget, bar->name, 0, y, &fg);

      /* The scale's track, then the due answers (light), then those in
       * time (full colour). */
      track.alpha = 0.08f;
      gtk_snapshot_append_color (snapshot, &track, &GRAPHENE_RECT_INIT (x, bar_y, bar_width, BAR_HEIGHT));
      rest.alpha = 0.3f;
      if (full > 0)
        gtk_snapshot_append_color (snapshot, &rest, &GRAPHENE_RECT_INIT (x, bar_y, MAX (full, 2), BAR_HEIGHT));
      if (part > 0)
        gtk_snapshot_append_color (snapshot, &bar->colour, &GRAPHENE_RECT_INIT (x, bar_y, MAX (part, 2), BAR_HEIGHT));

      append_text (snapshot, widget, bar->caption, x + bar_width + GAP, y, &fg);
    }
}

static void
civic_stats_chart_finalize (GObject *object)
{
  CivicStatsChart *self = (CivicStatsChart *) object;

  g_array_unref (self->bars);
  g_free (self->description);

  G_OBJECT_CLASS (civic_stats_chart_parent_class)->finalize (object);
}

static void
civic_stats_chart_class_init (CivicStatsChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = civic_stats_chart_finalize;
  widget_class->measure = civic_stats_chart_measure;
  widget_class->snapshot = civic_stats_chart_snapshot;

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "civic-stats-chart");
}

static void
civic_stats_chart_init (CivicStatsChart *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  g_array_set_clear_func (self->bars, (GDestroyNotify) bar_clear);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Answers within the answer time, per department"),
                                  -1);
}

GtkWidget *
civic_stats_chart_new (void)
{
  return g_object_new (CIVIC_TYPE_STATS_CHART, NULL);
}

void
civic_stats_chart_set_bars (CivicStatsChart     *self,
                            const CivicStatsBar *bars,
                            guint                n_bars)
{
  GString *description = g_string_new (NULL);

  g_return_if_fail (CIVIC_IS_STATS_CHART (self));
  g_return_if_fail (bars != NULL || n_bars == 0);

  g_array_set_size (self->bars, 0);
  for (guint i = 0; i < n_bars; i++)
    {
      Bar bar = {
        g_strdup (bars[i].name), bars[i].colour, bars[i].total, bars[i].part, g_strdup (bars[i].caption)
      };

      g_array_append_val (self->bars, bar);
      if (description->len > 0)
        g_string_append (description, "; ");
      /* Translators: one bar of the chart read aloud, e.g. "Alcaldía: 12 of 15 in time" */
      g_string_append_printf (description, _("%s: %s"), bars[i].name, bars[i].caption);
    }

  g_free (self->description);
  self->description = g_string_free (description, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);

  gtk_widget_queue_resize (GTK_WIDGET (self));
}

const char *
civic_stats_chart_get_description (CivicStatsChart *self)
{
  g_return_val_if_fail (CIVIC_IS_STATS_CHART (self), NULL);

  return self->description;
}
