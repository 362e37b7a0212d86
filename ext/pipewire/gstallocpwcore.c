/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A connection to PipeWire on a thread loop of its own. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpwcore.h"

#include <spa/utils/result.h>

#include <errno.h>
#include <string.h>

struct _GstAllocPwCore
{
  struct pw_thread_loop *loop;
  struct pw_context *context;
  struct pw_core *core;
  struct spa_hook core_listener;
  GstAllocPwCoreErrorFunc on_error;
  gpointer user_data;
  gint pending_seq;
  gboolean synced;
  gboolean failed;
};

static void
on_core_done (void *data, uint32_t id, int seq)
{
  GstAllocPwCore *self = data;

  if (id == PW_ID_CORE && seq == self->pending_seq) {
    self->synced = TRUE;
    pw_thread_loop_signal (self->loop, FALSE);
  }
}

/* Only a broken connection (EPIPE on the core) is the end. Other errors on
 * the core are answers to calls on objects that went away meanwhile (a
 * consumer's port destroyed while we subscribed to it); errors about other
 * objects belong to whoever made them and arrive there too. */
static void
on_core_error (void *data, uint32_t id, int seq, int res, const char *message)
{
  GstAllocPwCore *self = data;
  gchar *text;

  pw_log_info ("error id:%u seq:%d res:%d (%s): %s", id, seq, res,
      spa_strerror (res), message);
  if (id != PW_ID_CORE || res != -EPIPE || self->failed)
    return;
  self->failed = TRUE;
  pw_thread_loop_signal (self->loop, FALSE);
  text = g_strdup_printf ("The connection to PipeWire failed: %s (%s)",
      message ? message : "no reason given", spa_strerror (res));
  if (self->on_error)
    self->on_error (self->user_data, text);
  g_free (text);
}

static const struct pw_core_events core_events = {
  PW_VERSION_CORE_EVENTS,
  .done = on_core_done,
  .error = on_core_error,
};

GstAllocPwCore *
gst_alloc_pw_core_new (const gchar * thread_name,
    GstAllocPwCoreErrorFunc on_error, gpointer user_data, GError ** error)
{
  GstAllocPwCore *self = g_new0 (GstAllocPwCore, 1);
  gint err;

  pw_init (NULL, NULL);
  self->on_error = on_error;
  self->user_data = user_data;
  self->loop = pw_thread_loop_new (thread_name, NULL);
  self->context = self->loop ?
      pw_context_new (pw_thread_loop_get_loop (self->loop), NULL, 0) : NULL;
  if (!self->context || pw_thread_loop_start (self->loop) < 0) {
    err = errno;
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_FAILED,
        "Could not start a PipeWire loop: %s", g_strerror (err));
    gst_alloc_pw_core_free (self);
    return NULL;
  }
  pw_thread_loop_lock (self->loop);
  self->core = pw_context_connect (self->context, NULL, 0);
  err = errno;
  if (self->core)
    pw_core_add_listener (self->core, &self->core_listener, &core_events, self);
  pw_thread_loop_unlock (self->loop);
  if (!self->core) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
        "Could not connect to the PipeWire daemon (XDG_RUNTIME_DIR=%s): %s",
        g_getenv ("XDG_RUNTIME_DIR") ? g_getenv ("XDG_RUNTIME_DIR") : "unset",
        g_strerror (err));
    gst_alloc_pw_core_free (self);
    return NULL;
  }
  return self;
}

void
gst_alloc_pw_core_free (GstAllocPwCore * self)
{
  if (!self)
    return;
  if (self->core) {
    pw_thread_loop_lock (self->loop);
    spa_hook_remove (&self->core_listener);
    pw_core_disconnect (self->core);
    pw_thread_loop_unlock (self->loop);
  }
  if (self->loop)
    pw_thread_loop_stop (self->loop);
  if (self->context)
    pw_context_destroy (self->context);
  if (self->loop)
    pw_thread_loop_destroy (self->loop);
  g_free (self);
}

void
gst_alloc_pw_core_lock (GstAllocPwCore * core)
{
  pw_thread_loop_lock (core->loop);
}

void
gst_alloc_pw_core_unlock (GstAllocPwCore * core)
{
  pw_thread_loop_unlock (core->loop);
}

struct pw_core *
gst_alloc_pw_core_get_core (GstAllocPwCore * core)
{
  return core->core;
}

struct pw_thread_loop *
gst_alloc_pw_core_get_loop (GstAllocPwCore * core)
{
  return core->loop;
}

gboolean
gst_alloc_pw_core_sync (GstAllocPwCore * core, guint timeout_ms)
{
  struct timespec abstime;

  core->synced = FALSE;
  core->pending_seq = pw_core_sync (core->core, PW_ID_CORE, core->pending_seq);
  pw_thread_loop_get_time (core->loop, &abstime,
      (gint64) timeout_ms * SPA_NSEC_PER_MSEC);
  while (!core->synced && !core->failed) {
    if (pw_thread_loop_timed_wait_full (core->loop, &abstime) < 0)
      return FALSE;
  }
  return core->synced;
}

const gchar *
gst_alloc_pw_version_string (void)
{
  static gchar *version;

  if (g_once_init_enter (&version)) {
    gchar *v = g_strdup_printf ("%s (library), %s (headers)",
        pw_get_library_version (), pw_get_headers_version ());

    g_once_init_leave (&version, v);
  }
  return version;
}

void
gst_alloc_pw_set_string_property (GstObject * object, gchar ** field,
    const GValue * value)
{
  GST_OBJECT_LOCK (object);
  g_free (*field);
  *field = g_value_dup_string (value);
  GST_OBJECT_UNLOCK (object);
}
