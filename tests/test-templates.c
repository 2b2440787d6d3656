/* test-templates.c
 *
 * Placeholder expansion and validation, and the templates table.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "civic-templates.h"
#include "civic-test-util.h"

static void
test_expand (void)
{
  CivicTemplateValues all = {
    .nombre = "Carmen",
    .calle = "calle Real",
    .departamento = "Servicios técnicos",
    .plazo = "48 horas",
  };
  CivicTemplateValues partial = { .nombre = "Carmen" };
  const struct
  {
    const char *body;
    const CivicTemplateValues *values;
    const char *out;
  } cases[] = {
    { "Hola {nombre}, {departamento} revisará la farola de {calle} en {plazo}.", &all,
      "Hola Carmen, Servicios técnicos revisará la farola de calle Real en 48 horas." },
    /* English names too. */
    { "{name}/{street}/{department}/{deadline}", &all, "Carmen/calle Real/Servicios técnicos/48 horas" },
    /* Missing values stay visible, to be filled in by hand. */
    { "Hola {nombre}, en {calle}", &partial, "Hola Carmen, en {calle}" },
    { "Hola {nombre}", NULL, "Hola {nombre}" },
    /* Braces of one's own, unknown names, unclosed ones: as written. */
    { "{{nombre}} y }} y {otro} y { y }", &all, "{nombre} y } y {otro} y { y }" },
    { "{nombre}{nombre}", &partial, "CarmenCarmen" },
    { "", &all, "" },
    { "مرحبا {nombre} 👋", &partial, "مرحبا Carmen 👋" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = civic_template_expand (cases[i].body, cases[i].values);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_validate (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (civic_template_validate ("Saludo", "Hola {nombre}, {{gracias}}", &error));
  g_assert_no_error (error);

  g_assert_false (civic_template_validate ("Saludo", "Hola {nombe}", &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "{nombe}"));
  g_clear_error (&error);
  g_assert_false (civic_template_validate ("Saludo", "Hola {nombre", &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (civic_template_validate ("  ", "Hola", &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (civic_template_validate ("Saludo", "\n", &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
}

static void
test_crud (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CivicStore) store = civic_store_new (":memory:", &error);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(CivicTemplate) found = NULL;
  gint64 mayor, police, shared, own, police_own;

  g_assert_no_error (error);
  mayor = civic_store_ensure_department (store, "alcaldia", "Alcaldía", NULL, 60, &error);
  police = civic_store_ensure_department (store, "policia", "Policía Local", NULL, 15, &error);

  shared = civic_templates_add (store, 0, "gracias", "Gracias", "Gracias, {nombre}.", &error);
  g_assert_no_error (error);
  own = civic_templates_add (store, mayor, " recibido ", " Recibido ", "La alcaldía responde en {plazo}.", &error);
  g_assert_no_error (error);
  police_own = civic_templates_add (store, police, "gracias", "Gracias (policía)", "Gracias, {nombre}; patrulla en camino.", &error);
  g_assert_no_error (error);

  /* Refusals: bad placeholder, shortcut taken in the same place, spaces. */
  g_assert_cmpint (civic_templates_add (store, mayor, NULL, "Mal", "{nombe}", &error), ==, 0);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (civic_templates_add (store, mayor, "RECIBIDO", "Otro", "x", &error), ==, 0);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (civic_templates_add (store, mayor, "dos palabras", "Otro", "x", &error), ==, 0);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (civic_templates_add (store, 4242, NULL, "Otro", "x", &error), ==, 0);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The mayor's office sees its own, then the shared ones. */
  list = civic_templates_list (store, mayor, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (((CivicTemplate *) list->pdata[0])->id, ==, own);
  g_assert_cmpstr (((CivicTemplate *) list->pdata[0])->title, ==, "Recibido");
  g_assert_cmpstr (((CivicTemplate *) list->pdata[0])->shortcut, ==, "recibido");
  g_assert_cmpint (((CivicTemplate *) list->pdata[1])->id, ==, shared);
  g_assert_cmpint (((CivicTemplate *) list->pdata[1])->department_id, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = civic_templates_list (store, 0, &error);
  g_assert_cmpuint (list->len, ==, 3);

  /* A department's shortcut shadows the shared one. */
  found = civic_templates_lookup_shortcut (store, police, "Gracias", &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, police_own);
  g_clear_pointer (&found, civic_template_free);
  found = civic_templates_lookup_shortcut (store, mayor, "gracias", &error);
  g_assert_cmpint (found->id, ==, shared);
  g_clear_pointer (&found, civic_template_free);
  found = civic_templates_lookup_shortcut (store, mayor, "nada", &error);
  g_assert_null (found);
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Update and remove. */
  g_assert_true (civic_templates_update (store, own, mayor, "recibido", "Recibido", "Recibido, {nombre}.", &error));
  g_assert_no_error (error);
  found = civic_templates_lookup_shortcut (store, mayor, "recibido", &error);
  g_assert_cmpstr (found->body, ==, "Recibido, {nombre}.");
  g_assert_true (civic_templates_remove (store, own, &error));
  g_assert_false (civic_templates_remove (store, own, &error));
  g_assert_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND);
}

/* {calle} from what citizens write; nothing where no street is named. */
static void
test_find_street (void)
{
  const struct
  {
    const char *text;
    const char *street;
  } cases[] = {
    { "Hay bolsas de basura en la Calle Real desde el lunes", "Calle Real" },
    { "¡Accidente en el cruce de la calle Granada con la avenida de Andalucía!", "calle Granada" },
    { "Farola rota en la Plaza de la Constitución, frente al 12", "Plaza de la Constitución" },
    { "Hay una fuga de agua en el paseo de los Álamos: sale agua", "paseo de los Álamos" },
    { "Bache enorme en c/ Horno 3", "c/ Horno" },
    { "Coche mal aparcado en la Avda. de Andalucía", "Avda. de Andalucía" },
    { "Ruido en el callejón   del   Agua por la noche", "callejón del Agua" },
    /* A name ends with its line. */
    { "Contenedor desbordado en la Calle Real\nAquí: 37.2203, -3.5951", "Calle Real" },
    /* A way without a name, or no way at all. */
    { "La calle está muy sucia", NULL },
    { "¿A qué hora abre el registro mañana?", NULL },
    { "Callejeando por el centro vi una farola rota", NULL },
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *street = civic_template_find_street (cases[i].text);

      g_test_message ("%s -> %s", cases[i].text, street);
      g_assert_cmpstr (street, ==, cases[i].street);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/templates/expand", test_expand);
  g_test_add_func ("/templates/find-street", test_find_street);
  g_test_add_func ("/templates/validate", test_validate);
  g_test_add_func ("/templates/crud", test_crud);

  return g_test_run ();
}
