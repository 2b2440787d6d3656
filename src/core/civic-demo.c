/* civic-demo.c
 *
 * Copyright 2026 The Civic Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "civic-demo.h"
#include "civic-login.h"
#include "civic-outbox.h"
#include "civic-templates.h"

struct _CivicDemo
{
  GObject parent_instance;

  GSubprocess *sim;          /* owned */
  GDataInputStream *lines;   /* owned: the sim's stdout */
  char *data_dir;            /* owned: the sim's throwaway state */
  char *url;                 /* owned */
  GPtrArray *tokens;         /* owned: "acct token" pairs as printed */
  CivicSync *sync;           /* owned while starting */
  CivicStore *store;         /* owned while starting */
  CivicOutbox *outbox;       /* owned, nullable */
  guint pending_logins;
};

G_DEFINE_FINAL_TYPE (CivicDemo, civic_demo, G_TYPE_OBJECT)

/* In the child before exec: the demo town stops with the desk, even when
 * the desk is killed and cannot stop it itself. */
static void
sim_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

char *
civic_demo_find_sim (void)
{
  const char *env = g_getenv ("CIVIC_SIM");
  g_autofree char *installed = NULL;

  if (env != NULL && g_file_test (env, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (env);
  if (g_file_test (BUILD_SIM_PATH, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (BUILD_SIM_PATH);

  installed = g_find_program_in_path ("civic-sim");
  return g_steal_pointer (&installed);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

void
civic_demo_stop (CivicDemo *self)
{
  g_return_if_fail (CIVIC_IS_DEMO (self));

  if (self->sim != NULL)
    {
      g_subprocess_send_signal (self->sim, SIGTERM);
      /* It stops cleanly on SIGTERM; do not leave a zombie behind. */
      g_subprocess_wait (self->sim, NULL, NULL);
      g_clear_object (&self->sim);
    }
  g_clear_object (&self->lines);

  if (self->data_dir != NULL)
    {
      remove_tree (self->data_dir);
      g_clear_pointer (&self->data_dir, g_free);
    }
}

static void
civic_demo_dispose (GObject *object)
{
  CivicDemo *self = (CivicDemo *) object;

  civic_demo_stop (self);
  g_clear_object (&self->sync);
  g_clear_object (&self->store);
  g_clear_object (&self->outbox);

  G_OBJECT_CLASS (civic_demo_parent_class)->dispose (object);
}

static void
civic_demo_finalize (GObject *object)
{
  CivicDemo *self = (CivicDemo *) object;

  g_free (self->url);
  g_clear_pointer (&self->tokens, g_ptr_array_unref);

  G_OBJECT_CLASS (civic_demo_parent_class)->finalize (object);
}

static void
civic_demo_class_init (CivicDemoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = civic_demo_dispose;
  object_class->finalize = civic_demo_finalize;
}

static void
civic_demo_init (CivicDemo *self)
{
  self->tokens = g_ptr_array_new_with_free_func (g_free);
}

CivicDemo *
civic_demo_new (void)
{
  return g_object_new (CIVIC_TYPE_DEMO, NULL);
}

void
civic_demo_set_outbox (CivicDemo *self,
                       gpointer   outbox)
{
  g_return_if_fail (CIVIC_IS_DEMO (self));
  g_return_if_fail (outbox == NULL || CIVIC_IS_OUTBOX (outbox));

  g_set_object (&self->outbox, outbox);
}

const char *
civic_demo_get_url (CivicDemo *self)
{
  g_return_val_if_fail (CIVIC_IS_DEMO (self), NULL);
  return self->url;
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CivicDemo *self = g_task_get_source_object (task);
  g_autoptr(CivicAccount) account = NULL;
  GError *error = NULL;

  account = civic_login_with_token_finish (result, NULL, &error);
  if (account == NULL)
    {
      if (!g_task_had_error (task))
        g_task_return_error (task, error);
      else
        g_error_free (error);
      return;
    }

  if (--self->pending_logins == 0 && !g_task_had_error (task))
    g_task_return_boolean (task, TRUE);
}

/* A few answers a town would keep ready, so the demo shows templates. */
static void
add_demo_templates (CivicDemo  *self,
                    const char *slug,
                    gint64      department_id)
{
  static const struct { const char *slug, *shortcut, *title, *body; } templates[] = {
    { "limpieza", "recogida", "Recogida programada",
      "Hola {nombre}, gracias por avisar. El equipo de limpieza pasará por la zona en las próximas {plazo}. Un saludo." },
    { "tecnicos", "farola", "Farola averiada",
      "Hola {nombre}, gracias por el aviso. Hemos abierto una orden de trabajo y un electricista la revisará en las próximas {plazo}." },
    { "policia", "patrulla", "Patrulla en camino",
      "Hola {nombre}, una patrulla de la Policía Local va de camino. Si hay heridos, llame también al 112." },
    { "salud", "cita", "Cita solicitada",
      "Hola {nombre}, hemos recibido su petición de cita. Le escribimos por mensaje privado con el día y la hora." },
    { "alcaldia", "gracias", "Agradecimiento",
      "Gracias, {nombre}, por escribir a la Alcaldía. Lo estudiamos y le respondemos en {plazo}." },
    { "comedor", "menu", "Menú del día",
      "Hola {nombre}, el menú de hoy está publicado en la cuenta del comedor. Cualquier alergia, díganoslo por mensaje privado." },
  };
  g_autoptr(GPtrArray) existing = civic_templates_list (self->store, department_id, NULL);

  if (existing != NULL && existing->len > 0)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    if (g_str_equal (templates[i].slug, slug))
      civic_templates_add (self->store, department_id, templates[i].shortcut, templates[i].title,
                           templates[i].body, NULL);
}

static void
log_in_departments (CivicDemo *self,
                    GTask     *task)
{
  SoupSession *session = civic_sync_get_session (self->sync);

  if (self->tokens->len == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The demo town started without any department account"));
      return;
    }

  self->pending_logins = self->tokens->len;
  for (guint i = 0; i < self->tokens->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (self->tokens, i), " ", 2);
      const char *name = parts[0], *colour = NULL;
      guint sla = 1440;
      g_autoptr(GError) error = NULL;
      gint64 department_id;

      civic_department_lookup_defaults (parts[0], &name, &colour, &sla);
      department_id = civic_store_ensure_department (self->store, parts[0], name, colour, sla, &error);
      if (department_id == 0)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      add_demo_templates (self, parts[0], department_id);
      civic_sync_set_token (self->sync, self->url, parts[0], parts[1]);
      if (self->outbox != NULL)
        civic_outbox_set_token (self->outbox, self->url, parts[0], parts[1]);
      civic_login_with_token_async (session, self->store, self->url, parts[1], department_id,
                                    CIVIC_LOGIN_FLAGS_NO_KEYRING, g_task_get_cancellable (task),
                                    login_cb, g_object_ref (task));
    }
}

static void
line_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CivicDemo *self = g_task_get_source_object (task);
  g_autofree char *line = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &error);
  if (line == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                     _("The demo town stopped before it was ready"));
      g_task_return_error (task, error);
      return;
    }

  g_strstrip (line);
  if (self->url == NULL)
    self->url = g_steal_pointer (&line);
  else if (g_str_has_prefix (line, "token "))
    {
      g_auto(GStrv) parts = g_strsplit (line + 6, " ", 2);

      if (parts[0] != NULL && parts[1] != NULL)
        g_ptr_array_add (self->tokens, g_strdup_printf ("%s %s", parts[0], parts[1]));
    }
  else
    {
      /* The token lines are over: sign the departments in. */
      log_in_departments (self, task);
      return;
    }

  /* The sim prints its URL, then the tokens, then a blank-or-other line or
   * nothing more: stop waiting once six tokens are in. */
  if (self->tokens->len >= 6)
    {
      log_in_departments (self, task);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  g_data_input_stream_read_line_async (self->lines, G_PRIORITY_DEFAULT, cancellable,
                                       line_cb, g_steal_pointer (&task));
}

void
civic_demo_start_async (CivicDemo           *self,
                        CivicSync           *sync,
                        CivicStore          *store,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *sim = NULL;
  GError *error = NULL;

  g_return_if_fail (CIVIC_IS_DEMO (self));
  g_return_if_fail (CIVIC_IS_SYNC (sync));
  g_return_if_fail (self->sim == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, civic_demo_start_async);
  self->sync = g_object_ref (sync);
  self->store = g_object_ref (store);

  sim = civic_demo_find_sim ();
  if (sim == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The demo town (civic-sim) is not installed"));
      return;
    }

  self->data_dir = g_dir_make_tmp ("civic-demo-XXXXXX", &error);
  if (self->data_dir == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  {
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

    g_subprocess_launcher_set_child_setup (launcher, sim_child_setup, NULL, NULL);
    self->sim = g_subprocess_launcher_spawn (launcher, &error, sim, "--port", "0", "--data", self->data_dir,
                                             "--seed", "1", "--live", NULL);
  }
  if (self->sim == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  self->lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->sim));
  g_data_input_stream_read_line_async (self->lines, G_PRIORITY_DEFAULT, cancellable, line_cb,
                                       g_steal_pointer (&task));
}

gboolean
civic_demo_start_finish (CivicDemo     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (CIVIC_IS_DEMO (self), FALSE);

  g_clear_object (&self->sync);
  g_clear_object (&self->store);
  return g_task_propagate_boolean (G_TASK (result), error);
}
