/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gstallocpwcore.h"

G_BEGIN_DECLS

/* Who consumes our nodes, read from the PipeWire graph: every Link whose
 * output node is one we watch, its input node's properties and its input
 * port's Buffers param. All calls and callbacks with the core lock held
 * (callbacks run on the core's loop thread). */
typedef struct _GstAllocPwGraph GstAllocPwGraph;

/* One consumer link, as a snapshot.
 * @known: its node properties and port params have arrived (until then
 *   nothing can be said about its needs).
 * @buffers: its input port's first SPA_PARAM_Buffers, NULL if it has none.
 * @constraints: its gstalloc.constraints node property, NULL if none.
 * @dont_reconnect: its node.dont-reconnect property: the session manager
 *   neither moves it nor links it again. */
typedef struct
{
  guint32 link_id;
  guint32 output_node;
  guint32 node_id;
  guint32 port_id;
  gchar *node_name;
  gchar *constraints;
  GBytes *buffers;
  gboolean dont_reconnect;
  gboolean known;
  gboolean failed;
  gchar *error;
} GstAllocPwConsumer;

void gst_alloc_pw_consumer_free (GstAllocPwConsumer * consumer);

typedef void (*GstAllocPwGraphChanged) (gpointer user_data);

GstAllocPwGraph *gst_alloc_pw_graph_new (GstAllocPwCore * core,
    GstAllocPwGraphChanged changed, gpointer user_data);
void gst_alloc_pw_graph_free (GstAllocPwGraph * graph);

void gst_alloc_pw_graph_watch_node (GstAllocPwGraph * graph, guint32 node_id);
void gst_alloc_pw_graph_unwatch_node (GstAllocPwGraph * graph,
    guint32 node_id);

/* Whether the node with this global id still exists. */
gboolean gst_alloc_pw_graph_has_node (GstAllocPwGraph * graph, guint32 node_id);

/* (element-type GstAllocPwConsumer) (transfer full) */
GPtrArray *gst_alloc_pw_graph_get_consumers (GstAllocPwGraph * graph);

/* Asks the session manager to link @node_id to the node named @target
 * instead (the "default" metadata's target.object, as pw-metadata and
 * pavucontrol do); @target NULL forgets the request. FALSE when there is no
 * such metadata (no session manager that honours it). */
gboolean gst_alloc_pw_graph_set_target (GstAllocPwGraph * graph,
    guint32 node_id, const gchar * target);

/* Asks the daemon to destroy a link (the consumer is then linked again by
 * the session manager, to its target). */
void gst_alloc_pw_graph_destroy_link (GstAllocPwGraph * graph,
    guint32 link_id);

G_END_DECLS
