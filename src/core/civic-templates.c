/* civic-templates.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <string.h>

#include "civic-store-private.h"
#include "civic-templates.h"

typedef enum
{
  FIELD_NOMBRE,
  FIELD_CALLE,
  FIELD_DEPARTAMENTO,
  FIELD_PLAZO,
} Field;

static const struct
{
  const char *name;
  Field field;
} placeholders[] = {
  { "nombre", FIELD_NOMBRE },
  { "calle", FIELD_CALLE },
  { "departamento", FIELD_DEPARTAMENTO },
  { "plazo", FIELD_PLAZO },
  { "name", FIELD_NOMBRE },
  { "street", FIELD_CALLE },
  { "department", FIELD_DEPARTAMENTO },
  { "deadline", FIELD_PLAZO },
};

void
civic_template_free (CivicTemplate *tmpl)
{
  if (tmpl == NULL)
    return;

  g_free (tmpl->shortcut);
  g_free (tmpl->title);
  g_free (tmpl->body);
  g_free (tmpl);
}

/* The placeholder named by the @len bytes at @name, or -1. */
static int
lookup_placeholder (const char *name,
                    gsize       len)
{
  for (guint i = 0; i < G_N_ELEMENTS (placeholders); i++)
    if (strlen (placeholders[i].name) == len && strncmp (placeholders[i].name, name, len) == 0)
      return (int) placeholders[i].field;

  return -1;
}

static const char *
value_of (const CivicTemplateValues *values,
          Field                      field)
{
  if (values == NULL)
    return NULL;

  switch (field)
    {
    case FIELD_NOMBRE:
      return values->nombre;
    case FIELD_CALLE:
      return values->calle;
    case FIELD_DEPARTAMENTO:
      return values->departamento;
    case FIELD_PLAZO:
      return values->plazo;
    default:
      return NULL;
    }
}

/* A street as citizens write it: a kind of way ("calle", "avenida", "c/",
 * "plaza"…, any case) and a name of capitalised words, which may be tied
 * by "de", "del", "la"… ("plaza de la Constitución", "paseo de los
 * Álamos"). The name stops at the first word in lower case ("calle Real
 * desde el lunes"). */
#define STREET_KINDS "calle|avenida|avda|plaza|plazuela|paseo|camino|carretera|callej[oó]n|" \
                     "traves[ií]a|ronda|glorieta|cuesta|carrera|pasaje|urbanizaci[oó]n|barrio"
/* Words of a name are on one line: a line break ends it. */
#define STREET_SPACE "[ \\t\\x{00A0}]+"
#define STREET_TIE "(?:(?:de|del|la|las|los|el|y)" STREET_SPACE ")*"
#define STREET_WORD "\\p{Lu}[\\p{L}\\p{N}'’-]*"
#define STREET_PATTERN "(?i:\\b(?:" STREET_KINDS ")\\b\\.?|\\bc/)[ \\t\\x{00A0}]*" \
                       STREET_TIE STREET_WORD "(?:" STREET_SPACE STREET_TIE STREET_WORD ")*"

/**
 * civic_template_find_street:
 * @text: (nullable): a mention's plain text
 *
 * The first street named in @text, as written ("calle Real"), for the
 * `{calle}` placeholder.
 *
 * Returns: (transfer full) (nullable): the street, or %NULL
 */
char *
civic_template_find_street (const char *text)
{
  static GRegex *regex;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *found = NULL;
  g_auto(GStrv) words = NULL;

  if (text == NULL || *text == '\0')
    return NULL;

  if (g_once_init_enter (&regex))
    {
      GRegex *compiled = g_regex_new (STREET_PATTERN, G_REGEX_OPTIMIZE, 0, NULL);

      g_assert (compiled != NULL);
      g_once_init_leave (&regex, compiled);
    }

  if (!g_regex_match (regex, text, 0, &match))
    return NULL;

  /* One space between words, whatever the citizen typed. */
  found = g_match_info_fetch (match, 0);
  words = g_regex_split_simple ("\\s+", found, 0, 0);
  return g_strjoinv (" ", words);
}

char *
civic_template_expand (const char                *body,
                       const CivicTemplateValues *values)
{
  GString *out;
  const char *p;

  g_return_val_if_fail (body != NULL, NULL);

  out = g_string_sized_new (strlen (body) + 64);
  for (p = body; *p != '\0';)
    {
      const char *close;
      int field;

      if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}'))
        {
          g_string_append_c (out, p[0]);
          p += 2;
          continue;
        }

      if (p[0] != '{' || (close = strchr (p + 1, '}')) == NULL ||
          (field = lookup_placeholder (p + 1, close - p - 1)) < 0 ||
          value_of (values, (Field) field) == NULL)
        {
          /* Plain text, an unknown name or a missing value: as written. */
          const char *next = p[0] == '{' || p[0] == '}' ? p + 1 : p + strcspn (p, "{}");

          g_string_append_len (out, p, next - p);
          p = next;
          continue;
        }

      g_string_append (out, value_of (values, (Field) field));
      p = close + 1;
    }

  return g_string_free (out, FALSE);
}

gboolean
civic_template_validate (const char  *title,
                         const char  *body,
                         GError     **error)
{
  g_autofree char *trimmed_title = g_strstrip (g_strdup (title != NULL ? title : ""));
  g_autofree char *trimmed_body = g_strstrip (g_strdup (body != NULL ? body : ""));

  if (*trimmed_title == '\0')
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID, _("A template needs a title"));
      return FALSE;
    }
  if (*trimmed_body == '\0')
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID, _("A template needs some text"));
      return FALSE;
    }
  if (!g_utf8_validate (body, -1, NULL) || !g_utf8_validate (title, -1, NULL))
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   _("The template is not valid UTF-8 text"));
      return FALSE;
    }

  for (const char *p = body; *p != '\0'; p++)
    {
      const char *close;

      if (p[0] == '{' && p[1] == '{')
        {
          p++;
          continue;
        }
      if (p[0] != '{')
        continue;

      close = strpbrk (p + 1, "{}");
      if (close == NULL || *close == '{')
        {
          g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                       _("A “{” is never closed; write “{{” for a brace of its own"));
          return FALSE;
        }
      if (lookup_placeholder (p + 1, close - p - 1) < 0)
        {
          g_autofree char *name = g_strndup (p, close - p + 1);

          g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                       /* Translators: keep the {placeholders} as they are */
                       _("The template uses %s, which the desk does not know: use {nombre}, "
                         "{calle}, {departamento} or {plazo}"), name);
          return FALSE;
        }
      p = close;
    }

  return TRUE;
}

static char *
clean_shortcut (const char *shortcut)
{
  char *s;

  if (shortcut == NULL)
    return NULL;

  s = g_strstrip (g_strdup (shortcut));
  if (*s == '\0')
    g_clear_pointer (&s, g_free);

  return s;
}

static gboolean
check_template (CivicStore  *store,
                gint64       template_id,
                gint64       department_id,
                const char  *shortcut,
                const char  *title,
                const char  *body,
                GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!civic_template_validate (title, body, error))
    return FALSE;

  if (department_id != 0)
    {
      stmt = _civic_store_prepare (store, "SELECT 1 FROM departments WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, department_id);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        {
          g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                       _("There is no department %lld"), (long long) department_id);
          return FALSE;
        }
      if (rc != SQLITE_ROW)
        return _civic_store_fail (store, rc, _("Could not read the departments"), error);
    }

  if (shortcut == NULL)
    return TRUE;

  if (strpbrk (shortcut, " \t\n") != NULL)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   _("A shortcut is one word: “%s” has spaces"), shortcut);
      return FALSE;
    }

  /* One meaning per shortcut where staff type it. */
  stmt = _civic_store_prepare (store,
                               "SELECT title FROM templates WHERE shortcut = ?1 COLLATE NOCASE "
                               "AND department_id IS ?2 AND id != ?3",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, shortcut, -1, SQLITE_STATIC);
  _civic_bind_opt_int64 (stmt, 2, department_id);
  sqlite3_bind_int64 (stmt, 3, template_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_INVALID,
                   _("The shortcut “%s” already inserts “%s”"), shortcut,
                   (const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _civic_store_fail (store, rc, _("Could not read the templates"), error);

  return TRUE;
}

gint64
civic_templates_add (CivicStore  *store,
                     gint64       department_id,
                     const char  *shortcut,
                     const char  *title,
                     const char  *body,
                     GError     **error)
{
  g_autofree char *clean = clean_shortcut (shortcut);
  g_autofree char *clean_title = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), 0);

  if (!check_template (store, 0, department_id, clean, title, body, error))
    return 0;
  clean_title = g_strstrip (g_strdup (title));

  stmt = _civic_store_prepare (store,
                               "INSERT INTO templates (department_id, shortcut, title, body) "
                               "VALUES (?1, ?2, ?3, ?4) RETURNING id",
                               error);
  if (stmt == NULL)
    return 0;

  _civic_bind_opt_int64 (stmt, 1, department_id);
  _civic_bind_text (stmt, 2, clean);
  sqlite3_bind_text (stmt, 3, clean_title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, body, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (id == 0)
    {
      _civic_store_fail (store, rc, _("Could not save the template"), error);
      return 0;
    }

  _civic_store_mark_changed (store);
  return id;
}

gboolean
civic_templates_update (CivicStore  *store,
                        gint64       template_id,
                        gint64       department_id,
                        const char  *shortcut,
                        const char  *title,
                        const char  *body,
                        GError     **error)
{
  g_autofree char *clean = clean_shortcut (shortcut);
  g_autofree char *clean_title = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);

  if (!check_template (store, template_id, department_id, clean, title, body, error))
    return FALSE;
  clean_title = g_strstrip (g_strdup (title));

  stmt = _civic_store_prepare (store,
                               "UPDATE templates SET department_id = ?2, shortcut = ?3, title = ?4,"
                               "  body = ?5 WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, template_id);
  _civic_bind_opt_int64 (stmt, 2, department_id);
  _civic_bind_text (stmt, 3, clean);
  sqlite3_bind_text (stmt, 4, clean_title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, body, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _civic_store_fail (store, rc, _("Could not save the template"), error);
  if (sqlite3_changes (_civic_store_get_db (store)) == 0)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                   _("There is no template %lld"), (long long) template_id);
      return FALSE;
    }

  _civic_store_mark_changed (store);
  return TRUE;
}

gboolean
civic_templates_remove (CivicStore  *store,
                        gint64       template_id,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), FALSE);

  stmt = _civic_store_prepare (store, "DELETE FROM templates WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, template_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _civic_store_fail (store, rc, _("Could not remove the template"), error);
  if (sqlite3_changes (_civic_store_get_db (store)) == 0)
    {
      g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                   _("There is no template %lld"), (long long) template_id);
      return FALSE;
    }

  _civic_store_mark_changed (store);
  return TRUE;
}

static CivicTemplate *
template_from_row (sqlite3_stmt *stmt)
{
  CivicTemplate *tmpl = g_new0 (CivicTemplate, 1);

  tmpl->id = sqlite3_column_int64 (stmt, 0);
  tmpl->department_id = sqlite3_column_int64 (stmt, 1);
  tmpl->shortcut = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  tmpl->title = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  tmpl->body = g_strdup ((const char *) sqlite3_column_text (stmt, 4));

  return tmpl;
}

GPtrArray *
civic_templates_list (CivicStore  *store,
                      gint64       department_id,
                      GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) civic_template_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);

  stmt = _civic_store_prepare (store,
                               "SELECT id, department_id, shortcut, title, body FROM templates "
                               "WHERE ?1 = 0 OR department_id = ?1 OR department_id IS NULL "
                               "ORDER BY department_id IS NULL, department_id,"
                               "  title COLLATE NOCASE, id",
                               error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, department_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, template_from_row (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _civic_store_fail (store, rc, _("Could not read the templates"), error);
      return NULL;
    }

  return g_steal_pointer (&list);
}

CivicTemplate *
civic_templates_lookup_shortcut (CivicStore  *store,
                                 gint64       department_id,
                                 const char  *shortcut,
                                 GError     **error)
{
  CivicTemplate *tmpl = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CIVIC_IS_STORE (store), NULL);
  g_return_val_if_fail (shortcut != NULL, NULL);

  stmt = _civic_store_prepare (store,
                               "SELECT id, department_id, shortcut, title, body FROM templates "
                               "WHERE shortcut = ?2 COLLATE NOCASE "
                               "  AND (department_id = ?1 OR department_id IS NULL) "
                               "ORDER BY department_id IS NULL, id LIMIT 1",
                               error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, department_id);
  sqlite3_bind_text (stmt, 2, shortcut, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    tmpl = template_from_row (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, CIVIC_STORE_ERROR, CIVIC_STORE_ERROR_NOT_FOUND,
                 _("No template has the shortcut “%s”"), shortcut);
  else if (rc != SQLITE_ROW)
    _civic_store_fail (store, rc, _("Could not read the templates"), error);

  return tmpl;
}
