/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gstallocpwcore.h"
#include "gstallocpwpool.h"

G_BEGIN_DECLS

/* One published Video/Source node: a pw_stream that allocates its buffers
 * from a GstAllocPwPool (PW_STREAM_FLAG_ALLOC_BUFFERS) and drives its own
 * graph, one cycle per frame pushed. */
typedef struct _GstAllocPwOutput GstAllocPwOutput;

/* On the loop thread: the node got its id (@node_id), or failed (@error
 * set, a human sentence). */
typedef void (*GstAllocPwOutputNotify) (gpointer user_data,
    GstAllocPwOutput * output, guint32 node_id, const gchar * error);

/* @group: the node.group every node of one producer shares, so they are
 * scheduled by the same driver; @driver: this node drives that group (the
 * main node), otherwise it follows (the converted ones). */
GstAllocPwOutput *gst_alloc_pw_output_new (GstAllocPwCore * core,
    GstAllocPwPool * pool, const gchar * node_name, const gchar * description,
    const gchar * group, gboolean driver, GstAllocPwOutputNotify notify,
    gpointer user_data, GError ** error);
void gst_alloc_pw_output_free (GstAllocPwOutput * output);

guint32 gst_alloc_pw_output_get_node_id (GstAllocPwOutput * output);
const gchar *gst_alloc_pw_output_get_name (GstAllocPwOutput * output);
GstAllocPwPool *gst_alloc_pw_output_get_pool (GstAllocPwOutput * output);

/* @seq: the frame's number in the stream, the same on every node that
 * carries the frame, so consumers of different nodes can be compared. */
GstAllocPwPush gst_alloc_pw_output_push (GstAllocPwOutput * output,
    GstBuffer * buffer, const GstVideoInfo * info, guint64 seq,
    GError ** error);

G_END_DECLS
