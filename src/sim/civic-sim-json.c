/* civic-sim-json.c
 *
 * civic-sim's own JSON writer, time formats and request parameters.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "civic-sim-private.h"

void
sim_json_init (SimJson *j,
               gboolean numeric_ids)
{
  memset (j, 0, sizeof *j);
  j->out = g_string_sized_new (4096);
  j->numeric_ids = numeric_ids;
}

void
sim_json_clear (SimJson *j)
{
  if (j->out != NULL)
    g_string_free (j->out, TRUE);
  j->out = NULL;
}

char *
sim_json_steal (SimJson *j,
                gsize   *length)
{
  if (length != NULL)
    *length = j->out->len;
  return g_string_free (g_steal_pointer (&j->out), FALSE);
}

/* Writes the comma that separates this value from the previous one. */
static void
separate (SimJson *j)
{
  guint64 bit = G_GUINT64_CONSTANT (1) << MIN (j->depth, 63);

  if (j->after_key)
    {
      j->after_key = FALSE;
      return;
    }
  if (j->need_comma & bit)
    g_string_append_c (j->out, ',');
  j->need_comma |= bit;
}

static void
open_level (SimJson *j,
            char     c)
{
  separate (j);
  g_string_append_c (j->out, c);
  j->depth++;
  j->need_comma &= ~(G_GUINT64_CONSTANT (1) << MIN (j->depth, 63));
}

static void
close_level (SimJson *j,
             char     c)
{
  g_assert (j->depth > 0);
  j->depth--;
  g_string_append_c (j->out, c);
}

void
sim_json_begin_object (SimJson *j)
{
  open_level (j, '{');
}

void
sim_json_end_object (SimJson *j)
{
  close_level (j, '}');
}

void
sim_json_begin_array (SimJson *j)
{
  open_level (j, '[');
}

void
sim_json_end_array (SimJson *j)
{
  close_level (j, ']');
}

void
sim_json_escape (GString    *out,
                 const char *s)
{
  const guchar *p = (const guchar *) s;
  const guchar *run = p;

  g_string_append_c (out, '"');
  for (;; p++)
    {
      guchar c = *p;

      /* Most bytes are copied as they are, a run at a time. */
      if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' && c != 0xe2)
        continue;
      if (p > run)
        g_string_append_len (out, (const char *) run, p - run);
      run = p + 1;
      switch (c)
        {
        case '\0':
          g_string_append_c (out, '"');
          return;
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        /* As Rails does, so that JSON inside HTML stays inert. */
        case '<': g_string_append (out, "\\u003c"); break;
        case '>': g_string_append (out, "\\u003e"); break;
        case '&': g_string_append (out, "\\u0026"); break;
        case 0xe2:
          if (p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
            {
              /* U+2028 and U+2029 break JavaScript string literals. */
              g_string_append (out, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
              p += 2;
              run = p + 1;
            }
          else
            run = p;
          break;
        default:
          g_string_append_printf (out, "\\u%04x", c);
        }
    }
}

void
sim_json_key (SimJson    *j,
              const char *key)
{
  separate (j);
  sim_json_escape (j->out, key);
  g_string_append_c (j->out, ':');
  j->after_key = TRUE;
}

void
sim_json_string (SimJson    *j,
                 const char *value)
{
  separate (j);
  if (value == NULL)
    g_string_append (j->out, "null");
  else
    sim_json_escape (j->out, value);
}

void
sim_json_int (SimJson *j,
              gint64   value)
{
  separate (j);
  g_string_append_printf (j->out, "%" G_GINT64_FORMAT, value);
}

void
sim_json_double (SimJson *j,
                 double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  separate (j);
  g_ascii_formatd (buf, sizeof buf, "%.17g", value);
  /* Shortest form that reads back the same, like Ruby's Float#to_s. */
  for (int prec = 1; prec <= 17; prec++)
    {
      char tmp[G_ASCII_DTOSTR_BUF_SIZE];
      char fmt[8];

      g_snprintf (fmt, sizeof fmt, "%%.%dg", prec);
      g_ascii_formatd (tmp, sizeof tmp, fmt, value);
      if (g_ascii_strtod (tmp, NULL) == value)
        {
          memcpy (buf, tmp, sizeof tmp);
          break;
        }
    }
  g_string_append (j->out, buf);
  if (strpbrk (buf, ".eEn") == NULL)
    g_string_append (j->out, ".0");
}

void
sim_json_bool (SimJson *j,
               gboolean value)
{
  separate (j);
  g_string_append (j->out, value ? "true" : "false");
}

void
sim_json_null (SimJson *j)
{
  separate (j);
  g_string_append (j->out, "null");
}

void
sim_json_id (SimJson *j,
             gint64   id)
{
  separate (j);
  if (id <= 0)
    g_string_append (j->out, "null");
  else if (j->numeric_ids)
    g_string_append_printf (j->out, "%" G_GINT64_FORMAT, id);
  else
    g_string_append_printf (j->out, "\"%" G_GINT64_FORMAT "\"", id);
}

void
sim_json_time (SimJson *j,
               gint64   ms)
{
  g_autofree char *s = NULL;

  if (ms <= 0)
    {
      sim_json_null (j);
      return;
    }
  s = sim_format_time (ms);
  sim_json_string (j, s);
}

void
sim_json_raw (SimJson    *j,
              const char *raw)
{
  separate (j);
  g_string_append (j->out, raw);
}

char *
sim_format_time (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                          g_date_time_get_year (dt), g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt), g_date_time_get_second (dt),
                          (int) (ms % 1000));
}

char *
sim_format_date (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);

  return g_date_time_format (dt, "%Y-%m-%d");
}

gboolean
sim_parse_time (const char *iso,
                gint64     *ms)
{
  g_autoptr(GDateTime) dt = NULL;

  if (iso == NULL)
    return FALSE;
  dt = g_date_time_new_from_iso8601 (iso, g_time_zone_new_utc ());
  if (dt == NULL)
    return FALSE;
  *ms = g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
  return TRUE;
}

/* ------------------------------------------------------------------ */

static void
sim_file_free (gpointer data)
{
  SimFile *f = data;

  g_free (f->filename);
  g_free (f->content_type);
  g_clear_pointer (&f->data, g_bytes_unref);
  g_free (f);
}

SimParams *
sim_params_new (void)
{
  SimParams *p = g_new0 (SimParams, 1);

  p->keys = g_ptr_array_new_with_free_func (g_free);
  p->values = g_ptr_array_new_with_free_func (g_free);
  p->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, sim_file_free);
  return p;
}

void
sim_params_free (SimParams *p)
{
  if (p == NULL)
    return;
  g_ptr_array_unref (p->keys);
  g_ptr_array_unref (p->values);
  g_hash_table_unref (p->files);
  g_free (p);
}

/* `types[]` and `types` are the same parameter to Rails. */
static char *
normalize_key (const char *key)
{
  gsize len = strlen (key);

  if (len > 2 && g_str_has_suffix (key, "[]"))
    return g_strndup (key, len - 2);
  return g_strdup (key);
}

void
sim_params_add (SimParams  *p,
                const char *key,
                const char *value)
{
  g_ptr_array_add (p->keys, normalize_key (key));
  g_ptr_array_add (p->values, g_strdup (value));
}

static char *
form_decode (const char *s,
             gsize       len)
{
  g_autofree char *copy = g_strndup (s, len);
  char *plus;

  for (plus = copy; *plus != '\0'; plus++)
    if (*plus == '+')
      *plus = ' ';
  return g_uri_unescape_string (copy, NULL);
}

void
sim_params_parse_urlencoded (SimParams  *p,
                             const char *data,
                             gssize      length)
{
  const char *end, *pos;

  if (data == NULL)
    return;
  end = data + (length < 0 ? (gssize) strlen (data) : length);
  pos = data;
  while (pos < end)
    {
      const char *amp = memchr (pos, '&', end - pos);
      const char *pair_end = amp != NULL ? amp : end;
      const char *eq = memchr (pos, '=', pair_end - pos);
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (pair_end > pos)
        {
          if (eq != NULL)
            {
              key = form_decode (pos, eq - pos);
              value = form_decode (eq + 1, pair_end - eq - 1);
            }
          else
            {
              key = form_decode (pos, pair_end - pos);
              value = g_strdup ("");
            }
          /* Invalid percent escapes give NULL: skip the pair. */
          if (key != NULL && value != NULL && *key != '\0')
            sim_params_add (p, key, value);
        }
      pos = pair_end + 1;
    }
}

static void
add_json_node (SimParams  *p,
               const char *key,
               JsonNode   *node);

static void
add_json_member (JsonObject  *object,
                 const char  *member,
                 JsonNode    *node,
                 gpointer     user_data)
{
  gpointer *args = user_data;
  SimParams *p = args[0];
  const char *prefix = args[1];
  g_autofree char *key = NULL;

  key = prefix != NULL ? g_strdup_printf ("%s[%s]", prefix, member) : g_strdup (member);
  add_json_node (p, key, node);
}

static void
add_json_node (SimParams  *p,
               const char *key,
               JsonNode   *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      break;
    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_STRING)
          sim_params_add (p, key, json_node_get_string (node));
        else if (type == G_TYPE_BOOLEAN)
          sim_params_add (p, key, json_node_get_boolean (node) ? "true" : "false");
        else if (type == G_TYPE_INT64)
          {
            char buf[32];

            g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, json_node_get_int (node));
            sim_params_add (p, key, buf);
          }
        else if (type == G_TYPE_DOUBLE)
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            sim_params_add (p, key, g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
          }
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          add_json_node (p, key, json_array_get_element (array, i));
      }
      break;
    case JSON_NODE_OBJECT:
      {
        gpointer args[2] = { p, (gpointer) key };

        json_object_foreach_member (json_node_get_object (node), add_json_member, args);
      }
      break;
    default:
      break;
    }
}

gboolean
sim_params_parse_json (SimParams  *p,
                       const char *data,
                       gsize       length,
                       GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, length, error))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "the JSON body is not an object");
      return FALSE;
    }
  add_json_node (p, NULL, root);
  return TRUE;
}

void
sim_params_parse_multipart (SimParams *p,
                            gpointer   soup_headers,
                            GBytes    *body)
{
  g_autoptr(SoupMultipart) multipart = NULL;

  multipart = soup_multipart_new_from_message (soup_headers, body);
  if (multipart == NULL)
    return;

  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *headers = NULL;
      GBytes *part = NULL;
      g_autoptr(GHashTable) disposition_params = NULL;
      const char *name, *filename;

      if (!soup_multipart_get_part (multipart, i, &headers, &part))
        continue;
      if (!soup_message_headers_get_content_disposition (headers, NULL, &disposition_params))
        continue;
      name = g_hash_table_lookup (disposition_params, "name");
      filename = g_hash_table_lookup (disposition_params, "filename");
      if (name == NULL)
        continue;
      if (filename != NULL)
        {
          SimFile *f = g_new0 (SimFile, 1);
          const char *type = soup_message_headers_get_content_type (headers, NULL);

          f->filename = g_strdup (filename);
          f->content_type = g_strdup (type != NULL ? type : "application/octet-stream");
          f->data = g_bytes_ref (part);
          g_hash_table_replace (p->files, normalize_key (name), f);
        }
      else
        {
          gsize len = 0;
          const char *data = g_bytes_get_data (part, &len);
          g_autofree char *value = g_strndup (data, len);

          sim_params_add (p, name, value);
        }
    }
}

const char *
sim_params_get (SimParams  *p,
                const char *key)
{
  for (guint i = 0; i < p->keys->len; i++)
    if (g_str_equal (g_ptr_array_index (p->keys, i), key))
      return g_ptr_array_index (p->values, i);
  return NULL;
}

GPtrArray *
sim_params_get_all (SimParams  *p,
                    const char *key)
{
  GPtrArray *all = g_ptr_array_new ();

  for (guint i = 0; i < p->keys->len; i++)
    if (g_str_equal (g_ptr_array_index (p->keys, i), key))
      g_ptr_array_add (all, g_ptr_array_index (p->values, i));
  return all;
}

gboolean
sim_params_has (SimParams  *p,
                const char *key)
{
  return sim_params_get (p, key) != NULL;
}

SimFile *
sim_params_get_file (SimParams  *p,
                     const char *key)
{
  return g_hash_table_lookup (p->files, key);
}
