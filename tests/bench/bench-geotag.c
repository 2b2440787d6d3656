/* bench-geotag.c
 *
 * Time per status of civic_geotag_find_best() on realistic mentions
 * (~300 characters of text and their content HTML, most without a place),
 * as the ingest path calls it.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "civic-geotag.h"
#include "civic-html.h"

static const char * const statuses[] = {
  "<p><span class=\"h-card\"><a href=\"https://jun.example/@limpieza\" class=\"u-url mention\">@<span>limpieza</span></a></span> "
  "Buenos días, hay bolsas de basura y un colchón tirados junto a los contenedores de la Calle Real desde el lunes "
  "por la tarde. Huele fatal y ya hay gatos rompiendo las bolsas. ¿Podéis pasar hoy? Gracias "
  "<a href=\"https://jun.example/tags/basura\" class=\"mention hashtag\" rel=\"tag\">#<span>basura</span></a></p>",

  "<p><span class=\"h-card\"><a href=\"https://jun.example/@tecnicos\" class=\"u-url mention\">@<span>tecnicos</span></a></span> "
  "La farola de la esquina lleva tres noches apagada, está aquí: <a href=\"https://www.openstreetmap.org/?mlat=37.2203&amp;"
  "mlon=-3.5951#map=19/37.2203/-3.5951\" rel=\"nofollow noopener noreferrer\" target=\"_blank\"><span class=\"invisible\">"
  "https://www.</span><span class=\"ellipsis\">openstreetmap.org/?mlat=37.22</span><span class=\"invisible\">03&amp;"
  "mlon=-3.5951#map=19/37.2203/-3.5951</span></a> Los niños vuelven del colegio a oscuras.</p>",

  "<p><span class=\"h-card\"><a href=\"https://jun.example/@alcaldia\" class=\"u-url mention\">@<span>alcaldia</span></a></span> "
  "Señor alcalde, el pleno del 12/03/2026 a las 10:30 ¿será público? Me cobraron 37,5 € por el vado y en la "
  "oficina me dijeron que llamara al 958 123 456, pero nadie contesta. Mi DNI es 12345678Z por si lo necesitan.</p>",

  "<p><span class=\"h-card\"><a href=\"https://jun.example/@policia\" class=\"u-url mention\">@<span>policia</span></a></span> "
  "Coche mal aparcado bloqueando el paso de peatones en 37.22031, -3.59512 desde hace una hora. Matrícula 1234 ABC. "
  "Es la tercera vez esta semana, entre las 8.30 y las 9.15 es imposible pasar con el carrito.</p>",

  "<p><span class=\"h-card\"><a href=\"https://jun.example/@comedor\" class=\"u-url mention\">@<span>comedor</span></a></span> "
  "¿El menú de mañana lleva frutos secos? Mi hija es alérgica y no lo pone en la hoja. Gracias por avisar, "
  "y enhorabuena por las lentejas de ayer, le encantaron. Saludos desde el barrio alto.</p>",

  "<p><span class=\"h-card\"><a href=\"https://jun.example/@tecnicos\" class=\"u-url mention\">@<span>tecnicos</span></a></span> "
  "Socavón en la calzada geo:37.2210,-3.5960;u=15 — peligroso para las motos, ya se ha caído uno esta mañana. "
  "Tiene unos 40 cm de ancho y 10 de profundidad.</p>",
};

int
main (int   argc,
      char *argv[])
{
  char *texts[G_N_ELEMENTS (statuses)];
  guint iterations = 20000;
  guint found = 0;
  gint64 start, elapsed;
  gsize total_chars = 0;

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      texts[i] = civic_html_to_text (statuses[i]);
      total_chars += strlen (texts[i]);
    }

  start = g_get_monotonic_time ();
  for (guint n = 0; n < iterations; n++)
    for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
      {
        CivicGeoPoint point;

        found += civic_geotag_find_best (texts[i], statuses[i], &point);
      }
  elapsed = g_get_monotonic_time () - start;

  g_print ("# %u statuses of %" G_GSIZE_FORMAT " characters on average, %u with a place\n",
           (guint) G_N_ELEMENTS (statuses), total_chars / G_N_ELEMENTS (statuses),
           found / iterations);
  g_print ("bench: geotag_find_best %.2f us\n",
           (double) elapsed / ((double) iterations * G_N_ELEMENTS (statuses)));

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    g_free (texts[i]);

  return found / iterations == 3 ? 0 : 1;
}
