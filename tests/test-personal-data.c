/* test-personal-data.c
 *
 * DNI/NIE, phone and e-mail detection, and the look-alikes that must not
 * raise the hint.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "civic-personal-data.h"
#include "civic-test-util.h"

typedef struct
{
  const char *text;
  CivicPersonalDataKind kind;
  const char *found;   /* the text of the span; NULL for none */
} Case;

static void
check_cases (const Case *cases,
             guint       n_cases)
{
  for (guint i = 0; i < n_cases; i++)
    {
      CivicPersonalDataKind kind = 99;
      gsize start = 0, end = 0;
      gboolean found = civic_personal_data_find_span (cases[i].text, &kind, &start, &end);

      if (kind != cases[i].kind)
        g_error ("“%s”: found %s, expected %s", cases[i].text, civic_personal_data_kind_to_string (kind),
                 civic_personal_data_kind_to_string (cases[i].kind));
      g_assert_cmpint (found, ==, cases[i].kind != CIVIC_PERSONAL_DATA_NONE);
      g_assert_cmpint (civic_personal_data_find (cases[i].text, NULL), ==, found);
      if (found)
        {
          g_autofree char *span = g_strndup (cases[i].text + start, end - start);

          g_assert_cmpstr (span, ==, cases[i].found);
        }
    }
}

static void
test_identity (void)
{
  const Case cases[] = {
    { "Mi DNI es 12345678Z, gracias", CIVIC_PERSONAL_DATA_DNI, "12345678Z" },
    { "dni 12345678z", CIVIC_PERSONAL_DATA_DNI, "12345678z" },
    { "DNI: 12.345.678-Z", CIVIC_PERSONAL_DATA_DNI, "12.345.678-Z" },
    { "87654321 X.", CIVIC_PERSONAL_DATA_DNI, "87654321 X" },
    { "00000000T", CIVIC_PERSONAL_DATA_DNI, "00000000T" },
    { "NIE X1234567L", CIVIC_PERSONAL_DATA_NIE, "X1234567L" },
    { "nie y-1234567-x", CIVIC_PERSONAL_DATA_NIE, "y-1234567-x" },
    { "(Z1234567R)", CIVIC_PERSONAL_DATA_NIE, "Z1234567R" },
    /* Wrong check letters. */
    { "DNI 12345678A", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "NIE X1234567A", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "X7654321L", CIVIC_PERSONAL_DATA_NONE, NULL },
    /* Eight digits and no letter: an order or file number. */
    { "Expediente 12345678", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "Pedido nº 40012345 recibido", CIVIC_PERSONAL_DATA_NONE, NULL },
    /* Part of a longer code. */
    { "REF12345678Z", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "12345678ZA", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "112345678Z", CIVIC_PERSONAL_DATA_NONE, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_phone (void)
{
  const Case cases[] = {
    { "Llame al 600123456", CIVIC_PERSONAL_DATA_PHONE, "600123456" },
    { "Tel. 600 123 456.", CIVIC_PERSONAL_DATA_PHONE, "600 123 456" },
    { "móvil 600-12-34-56", CIVIC_PERSONAL_DATA_PHONE, "600-12-34-56" },
    { "fijo 958.123.456", CIVIC_PERSONAL_DATA_PHONE, "958.123.456" },
    { "+34 600123456", CIVIC_PERSONAL_DATA_PHONE, "+34 600123456" },
    { "+34600 12 34 56", CIVIC_PERSONAL_DATA_PHONE, "+34600 12 34 56" },
    { "0034 700 123 456", CIVIC_PERSONAL_DATA_PHONE, "0034 700 123 456" },
    { "(+34) 912 345 678", CIVIC_PERSONAL_DATA_PHONE, "(+34) 912 345 678" },
    { "Llámenos: 812345678, de 9 a 14", CIVIC_PERSONAL_DATA_PHONE, "812345678" },
    /* Prices. */
    { "El presupuesto es de 600.000.000 €", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "Cuesta 612345678 euros", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "Son € 700 000 000", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "1.250,00 € de multa", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "Total 600.123.456,50", CIVIC_PERSONAL_DATA_NONE, NULL },
    /* Dates and times. */
    { "El 12/05/2024 a las 10:30", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "12-05-2024", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "2024-05-12 10:30:00", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "de 9:00 a 14:00", CIVIC_PERSONAL_DATA_NONE, NULL },
    /* Postcodes, order numbers, other lengths and prefixes. */
    { "CP 18000 Granada", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "Jun, 18213", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "Pedido 123456", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "Nº 500123456", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "6001234567", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "60012345", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "600 123 456 789", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "ref. 600123456-2", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "A600123456", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "1,600123456", CIVIC_PERSONAL_DATA_NONE, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_email (void)
{
  const Case cases[] = {
    { "Escriba a ana.garcia@jun.es", CIVIC_PERSONAL_DATA_EMAIL, "ana.garcia@jun.es" },
    { "correo: vecina+avisos@correo.example.com.", CIVIC_PERSONAL_DATA_EMAIL, "vecina+avisos@correo.example.com" },
    { "<pepe_99@mail.example.org>", CIVIC_PERSONAL_DATA_EMAIL, "pepe_99@mail.example.org" },
    /* Mentions of people on other servers look like addresses. */
    { "@vecina@vecinos.jun.example gracias", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "Hola @ana@jun.es y @luis", CIVIC_PERSONAL_DATA_NONE, NULL },
    /* Not addresses. */
    { "a@b", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "user@localhost", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "ana@jun.e", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "5@2.3", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "@ hola", CIVIC_PERSONAL_DATA_NONE, NULL },
    { "nos vemos @ las 10", CIVIC_PERSONAL_DATA_NONE, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_first_and_empty (void)
{
  CivicPersonalDataKind kind = CIVIC_PERSONAL_DATA_NONE;

  /* The first finding wins. */
  g_assert_true (civic_personal_data_find ("Tel 600123456, DNI 12345678Z", &kind));
  g_assert_cmpint (kind, ==, CIVIC_PERSONAL_DATA_PHONE);
  g_assert_true (civic_personal_data_find ("ana@jun.es o 600123456", &kind));
  g_assert_cmpint (kind, ==, CIVIC_PERSONAL_DATA_EMAIL);

  g_assert_false (civic_personal_data_find ("", &kind));
  g_assert_cmpint (kind, ==, CIVIC_PERSONAL_DATA_NONE);
  g_assert_false (civic_personal_data_find (NULL, &kind));
  g_assert_false (civic_personal_data_find ("La farola de la calle Real ya funciona. ¡Gracias! 👍", &kind));
  g_assert_false (civic_personal_data_find ("ñandú 12345678 años", &kind));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/personal-data/identity", test_identity);
  g_test_add_func ("/personal-data/phone", test_phone);
  g_test_add_func ("/personal-data/email", test_email);
  g_test_add_func ("/personal-data/first-and-empty", test_first_and_empty);

  return g_test_run ();
}
