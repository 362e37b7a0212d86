/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* allocpwsink's state, shared by the element (gstallocpwsink.c) and its
 * consumer decisions (gstallocpwsink-consumers.c). */
#pragma once

#include "gstallocpw.h"
#include "gstallocpwcore.h"
#include "gstallocpwgraph.h"
#include "gstallocpwoutput.h"
#include "gstallocelements.h"

#include <gst/base/gstbasesink.h>

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (gst_alloc_pw_sink_debug);

#define GST_TYPE_ALLOC_PW_SINK (gst_alloc_pw_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstAllocPwSink, gst_alloc_pw_sink, GST, ALLOC_PW_SINK,
    GstBaseSink)

/* A node of its own for one consumer whose needs the main node's buffers do
 * not serve: every frame is copied into its buffers. @link_to_main: the
 * consumer's link to the main node, destroyed when it is moved; @moves: how
 * often it was asked to move (it gives up after a few: no session manager
 * honours the request). */
typedef struct
{
  GstAllocPwOutput *output;
  guint32 consumer_node;
  gchar *consumer;
  gchar *needs;
  gchar *reason;
  gboolean linked;
  guint moves;
  guint32 link_to_main;
  guint64 frames;
  guint64 bytes_copied;
} GstAllocPwConverted;

struct _GstAllocPwSink
{
  GstBaseSink parent;

  /* Properties, under the object lock. */
  gchar *node_name;
  gchar *node_description;
  GstAllocConstraints *constraints;
  GstAllocSolver *solver;

  /* From start() to stop(). The graph is used with the core lock held. */
  GstAllocPwCore *core;
  GstAllocPwGraph *graph;

  /* The main node; replaced with the caps in the streaming thread, read
   * elsewhere under the object lock. */
  GstVideoInfo info;
  GstAllocPwOutput *output;
  GstAllocPool *allocator;
  GstAllocConstraints *merged;
  /* Frames rendered, the streaming thread's own. */
  guint64 seq;

  /* Converted nodes (GstAllocPwConverted), under @lock: the streaming
   * thread feeds them, decisions (on the loop thread) add and remove. */
  GMutex lock;
  GPtrArray *converted;
  guint n_converted_made;
  /* Links leaving the main node at the last decision (loop thread). */
  GHashTable *main_links;

  /* Counters and the last decision, under the object lock. */
  guint64 frames;
  guint64 copies;
  guint64 bytes_copied;
  guint64 dropped;
  guint64 dropped_busy;
  gchar *last_drop;
  gchar *decision;
};

/* gstallocpwsink.c */
GstAllocPwPool *gst_alloc_pw_sink_make_pool (GstAllocPwSink * sink,
    const GstVideoInfo * info, const GstAllocConstraints * constraints,
    const gchar * name, GstAllocPool ** allocator, GError ** error);
void gst_alloc_pw_sink_output_notify (gpointer user_data,
    GstAllocPwOutput * output, guint32 node_id, const gchar * error);

/* gstallocpwsink-consumers.c */
void gst_alloc_pw_sink_consumers_start (GstAllocPwSink * sink);
void gst_alloc_pw_sink_consumers_stop (GstAllocPwSink * sink);
void gst_alloc_pw_sink_node_ready (GstAllocPwSink * sink,
    GstAllocPwOutput * output, guint32 node_id);
void gst_alloc_pw_sink_feed_converted (GstAllocPwSink * sink,
    GstBuffer * buffer, guint64 seq);
gchar *gst_alloc_pw_sink_describe_consumers (GstAllocPwSink * sink);

G_END_DECLS
