/* civic-mbtiles.c
 *
 * Offline tiles for the map, read from an MBTiles file.
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#include "civic-mbtiles.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

struct _CivicMbtiles
{
  sqlite3 *db;            /* owned */
  sqlite3_stmt *read;     /* owned; guarded by lock */
  GMutex lock;
  char *path;             /* owned */
  int min_zoom;
  int max_zoom;
  gboolean writing;         /* inside civic_mbtiles_create()'s transaction */
};

G_DEFINE_QUARK (civic-mbtiles-error-quark, civic_mbtiles_error)

static gboolean
fail (CivicMbtiles  *self,
      const char    *what,
      GError       **error)
{
  g_set_error (error, CIVIC_MBTILES_ERROR, CIVIC_MBTILES_ERROR_FAILED,
               "%s in the map file “%s”: %s", what, self->path,
               self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
  return FALSE;
}

void
civic_mbtiles_free (CivicMbtiles *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->read, sqlite3_finalize);
  if (self->writing)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_mutex_clear (&self->lock);
  g_free (self->path);
  g_free (self);
}

static CivicMbtiles *
open_db (const char  *path,
         int          flags,
         GError     **error)
{
  g_autoptr(CivicMbtiles) self = g_new0 (CivicMbtiles, 1);

  g_mutex_init (&self->lock);
  self->path = g_strdup (path);
  self->max_zoom = -1;

  if (sqlite3_open_v2 (path, &self->db, flags | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, CIVIC_MBTILES_ERROR, CIVIC_MBTILES_ERROR_OPEN,
                   _("Could not open the map file “%s”: %s"), path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 2000);

  return g_steal_pointer (&self);
}

static int
metadata_int (CivicMbtiles *self,
              const char   *key,
              int           fallback)
{
  g_autofree char *value = civic_mbtiles_dup_metadata (self, key);
  char *end;
  gint64 n;

  if (value == NULL)
    return fallback;
  n = g_ascii_strtoll (value, &end, 10);
  return *end == '\0' && n >= 0 && n <= 30 ? (int) n : fallback;
}

CivicMbtiles *
civic_mbtiles_open (const char  *path,
                    GError     **error)
{
  g_autoptr(CivicMbtiles) self = NULL;
  g_autoptr(sqlite3_stmt) check = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, CIVIC_MBTILES_ERROR, CIVIC_MBTILES_ERROR_OPEN,
                   _("The map file “%s” does not exist"), path);
      return NULL;
    }

  self = open_db (path, SQLITE_OPEN_READONLY, error);
  if (self == NULL)
    return NULL;

  /* "tiles" may be a table or a view (deduplicated tile sets). */
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT tile_data FROM tiles"
                          " WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
                          -1, &self->read, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db, "SELECT value FROM metadata LIMIT 1", -1, &check, NULL) != SQLITE_OK)
    {
      g_set_error (error, CIVIC_MBTILES_ERROR, CIVIC_MBTILES_ERROR_INVALID,
                   _("“%s” is not an MBTiles map file (%s)"), path, sqlite3_errmsg (self->db));
      return NULL;
    }

  self->min_zoom = metadata_int (self, "minzoom", 0);
  self->max_zoom = metadata_int (self, "maxzoom", 22);

  return g_steal_pointer (&self);
}

CivicMbtiles *
civic_mbtiles_create (const char  *path,
                      const char  *name,
                      const char  *format,
                      GError     **error)
{
  g_autoptr(CivicMbtiles) self = NULL;
  g_autoptr(sqlite3_stmt) meta = NULL;
  const char *rows[][2] = {
    { "name", name },
    { "format", format },
    { "type", "baselayer" },
    { "version", "1" },
  };

  g_return_val_if_fail (path != NULL && name != NULL && format != NULL, NULL);

  self = open_db (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error);
  if (self == NULL)
    return NULL;

  if (sqlite3_exec (self->db,
                    "DROP TABLE IF EXISTS tiles; DROP TABLE IF EXISTS metadata;"
                    "CREATE TABLE metadata (name TEXT, value TEXT);"
                    "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER,"
                    "                    tile_row INTEGER, tile_data BLOB);"
                    "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);",
                    NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db, "INSERT INTO metadata (name, value) VALUES (?1, ?2)", -1,
                          &meta, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db,
                          "SELECT tile_data FROM tiles"
                          " WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
                          -1, &self->read, NULL) != SQLITE_OK)
    {
      fail (self, "Could not create the tables", error);
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      sqlite3_reset (meta);
      sqlite3_bind_text (meta, 1, rows[i][0], -1, SQLITE_STATIC);
      sqlite3_bind_text (meta, 2, rows[i][1], -1, SQLITE_STATIC);
      if (sqlite3_step (meta) != SQLITE_DONE)
        {
          fail (self, "Could not write the metadata", error);
          return NULL;
        }
    }

  /* One transaction for all the tiles, committed by civic_mbtiles_finish(). */
  if (sqlite3_exec (self->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    {
      fail (self, "Could not start writing", error);
      return NULL;
    }

  self->writing = TRUE;
  self->min_zoom = 0;
  self->max_zoom = -1;
  return g_steal_pointer (&self);
}

char *
civic_mbtiles_dup_metadata (CivicMbtiles *self,
                            const char   *key)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  char *value = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (sqlite3_prepare_v2 (self->db, "SELECT value FROM metadata WHERE name = ?1", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  return value;
}

int
civic_mbtiles_get_min_zoom (CivicMbtiles *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->min_zoom;
}

int
civic_mbtiles_get_max_zoom (CivicMbtiles *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->max_zoom;
}

GBytes *
civic_mbtiles_read_tile (CivicMbtiles  *self,
                         int            x,
                         int            y,
                         int            zoom,
                         GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GBytes *bytes = NULL;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);

  if (zoom < 0 || zoom > 30 || x < 0 || y < 0 || x >= (1 << zoom) || y >= (1 << zoom))
    {
      g_set_error (error, CIVIC_MBTILES_ERROR, CIVIC_MBTILES_ERROR_NO_TILE,
                   "There is no tile %d/%d/%d", zoom, x, y);
      return NULL;
    }

  locker = g_mutex_locker_new (&self->lock);
  sqlite3_reset (self->read);
  sqlite3_bind_int (self->read, 1, zoom);
  sqlite3_bind_int (self->read, 2, x);
  /* MBTiles rows count from the south (TMS). */
  sqlite3_bind_int (self->read, 3, (1 << zoom) - 1 - y);

  rc = sqlite3_step (self->read);
  if (rc == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (self->read, 0), sqlite3_column_bytes (self->read, 0));
  else if (rc == SQLITE_DONE)
    g_set_error (error, CIVIC_MBTILES_ERROR, CIVIC_MBTILES_ERROR_NO_TILE,
                 "The map file has no tile %d/%d/%d", zoom, x, y);
  else
    fail (self, "Could not read a tile", error);
  sqlite3_reset (self->read);

  return bytes;
}

gboolean
civic_mbtiles_write_tile (CivicMbtiles  *self,
                          int            x,
                          int            y,
                          int            zoom,
                          GBytes        *data,
                          GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gsize size;
  gconstpointer bytes;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (zoom >= 0 && zoom <= 30 && x >= 0 && y >= 0 &&
                        x < (1 << zoom) && y < (1 << zoom), FALSE);

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT OR REPLACE INTO tiles (zoom_level, tile_column, tile_row, tile_data)"
                          " VALUES (?1, ?2, ?3, ?4)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return fail (self, "Could not write a tile", error);

  bytes = g_bytes_get_data (data, &size);
  sqlite3_bind_int (stmt, 1, zoom);
  sqlite3_bind_int (stmt, 2, x);
  sqlite3_bind_int (stmt, 3, (1 << zoom) - 1 - y);
  sqlite3_bind_blob (stmt, 4, bytes, (int) size, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return fail (self, "Could not write a tile", error);

  if (self->max_zoom < 0)
    self->min_zoom = self->max_zoom = zoom;
  self->min_zoom = MIN (self->min_zoom, zoom);
  self->max_zoom = MAX (self->max_zoom, zoom);
  return TRUE;
}

gboolean
civic_mbtiles_finish (CivicMbtiles  *self,
                      GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  char min_zoom[16], max_zoom[16];
  const char *rows[][2] = { { "minzoom", min_zoom }, { "maxzoom", max_zoom } };

  g_return_val_if_fail (self != NULL, FALSE);

  g_snprintf (min_zoom, sizeof min_zoom, "%d", self->min_zoom);
  g_snprintf (max_zoom, sizeof max_zoom, "%d", MAX (self->max_zoom, self->min_zoom));

  if (sqlite3_prepare_v2 (self->db, "INSERT INTO metadata (name, value) VALUES (?1, ?2)", -1, &stmt, NULL) != SQLITE_OK)
    return fail (self, "Could not write the metadata", error);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, rows[i][0], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, rows[i][1], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return fail (self, "Could not write the metadata", error);
    }

  if (self->writing && sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return fail (self, "Could not save the tiles", error);
  self->writing = FALSE;

  return TRUE;
}
