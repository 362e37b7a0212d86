/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/gst.h>
#include <pipewire/pipewire.h>

G_BEGIN_DECLS

/* One connection to the PipeWire daemon with its own thread loop: the
 * callbacks of every proxy and stream made on it run on that thread, with
 * the loop's lock held. Call PipeWire with gst_alloc_pw_core_lock() held. */
typedef struct _GstAllocPwCore GstAllocPwCore;

/* Called on the loop thread when the connection fails for good (the daemon
 * went away): @message is a human sentence. */
typedef void (*GstAllocPwCoreErrorFunc) (gpointer user_data,
    const gchar * message);

GstAllocPwCore *gst_alloc_pw_core_new (const gchar * thread_name,
    GstAllocPwCoreErrorFunc on_error, gpointer user_data, GError ** error);
void gst_alloc_pw_core_free (GstAllocPwCore * core);

void gst_alloc_pw_core_lock (GstAllocPwCore * core);
void gst_alloc_pw_core_unlock (GstAllocPwCore * core);
struct pw_core *gst_alloc_pw_core_get_core (GstAllocPwCore * core);
struct pw_thread_loop *gst_alloc_pw_core_get_loop (GstAllocPwCore * core);

/* Waits (lock held) until the daemon has processed everything sent so far,
 * so events it answers with have arrived. FALSE after @timeout_ms or when
 * the connection failed. */
gboolean gst_alloc_pw_core_sync (GstAllocPwCore * core, guint timeout_ms);

/* Replaces the string property @field of @object with @value's, under
 * the object lock, as the elements' set_property does. */
void gst_alloc_pw_set_string_property (GstObject * object, gchar ** field,
    const GValue * value);

/* "0.3.65 (library), 0.3.65 (headers)" */
const gchar *gst_alloc_pw_version_string (void);

G_END_DECLS
