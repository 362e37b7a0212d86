/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* allocpwsrc's state. */
#pragma once

#include "gstallocpw.h"
#include "gstallocpwcore.h"
#include "gstallocpwframes.h"
#include "gstallocelements.h"

#include <gst/base/gstpushsrc.h>

G_BEGIN_DECLS
#define GST_TYPE_ALLOC_PW_SRC (gst_alloc_pw_src_get_type ())
G_DECLARE_FINAL_TYPE (GstAllocPwSrc, gst_alloc_pw_src, GST, ALLOC_PW_SRC,
    GstPushSrc)
     struct _GstAllocPwSrc
     {
       GstPushSrc parent;

       /* Properties, under the object lock. */
       gchar *target_object;
       gchar *node_name;
       GstAllocConstraints *constraints;

       /* From start() to stop(); the stream is used with the core lock. */
       GstAllocPwCore *core;
       struct pw_stream *stream;
       struct spa_hook listener;
       GstAllocPwFrames *frames;

       /* Under @lock, signalled on @cond: the negotiated format, a buffer to
        * take, an error, unlock(). */
       GMutex lock;
       GCond cond;
       GstVideoInfo info;
       gboolean have_format;
       gchar *error;
       gboolean flushing;
       guint64 format_serial;
       guint reconnects;

       /* What downstream needs (streaming thread), and what we announced (the
        * loop thread reads it when the format changes; under @lock). */
       GstAllocConstraints *downstream;
       GstAllocConstraints *announced;

       /* Counters, under the object lock. */
       guint64 frames_out;
       guint64 copies;
       guint64 bytes_copied;
       gchar *last_copy_reason;
     };

G_END_DECLS
