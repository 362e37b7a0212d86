/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-allocpwsink
 * @title: allocpwsink
 *
 * Publishes its input as a PipeWire Video/Source node whose buffers are a
 * gst-alloc pool: the node allocates (PW_STREAM_FLAG_ALLOC_BUFFERS), every
 * consumer process receives the pool's fds once, and each frame travels as
 * a buffer id. Upstream is offered that same pool, so a producer that takes
 * it writes frames straight into the memory the consumers read; a buffer
 * from anywhere else is copied into the pool, and counted.
 *
 * |[
 * gst-launch-1.0 videotestsrc is-live=true ! video/x-raw,format=NV12,width=1280,height=720 ! \
 *   allocpwsink node-name=camera
 * gst-launch-1.0 pipewiresrc target-object=camera ! video/x-raw ! fakesink
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpwsink.h"

#include <gst/base/gstbasesink.h>
#include <spa/buffer/buffer.h>

GST_DEBUG_CATEGORY (gst_alloc_pw_sink_debug);
#define GST_CAT_DEFAULT gst_alloc_pw_sink_debug

/* PipeWire's own consumers (pipewiresrc) ask for at least 8 buffers, and
 * Debian 12's daemon caps a link at 16 (link.max-buffers). */
#define DEFAULT_BUFFERS 8
#define MAX_BUFFERS 16

enum
{
  PROP_0,
  PROP_NODE_NAME,
  PROP_NODE_DESCRIPTION,
  PROP_CONSTRAINTS,
  PROP_SOLVER,
  PROP_NODE_ID,
  PROP_FRAMES,
  PROP_COPIES,
  PROP_BYTES_COPIED,
  PROP_DROPPED,
  PROP_MEMORY_IDS,
  PROP_BACKEND,
  PROP_MERGED_CONSTRAINTS,
  PROP_CONSUMERS,
  PROP_REPAIRED,
  PROP_BUSY,
  PROP_DROPPED_BUSY,
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS ("video/x-raw"));

G_DEFINE_TYPE (GstAllocPwSink, gst_alloc_pw_sink, GST_TYPE_BASE_SINK);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (allocpwsink, "allocpwsink",
    GST_RANK_NONE, GST_TYPE_ALLOC_PW_SINK, gst_alloc_elements_init ());

static gchar *
get_node_name (GstAllocPwSink * self)
{
  gchar *name;

  GST_OBJECT_LOCK (self);
  name = g_strdup (self->node_name ? self->node_name : GST_OBJECT_NAME (self));
  GST_OBJECT_UNLOCK (self);
  return name;
}

static void
on_core_error (gpointer user_data, const gchar * message)
{
  GstAllocPwSink *self = user_data;

  GST_ELEMENT_ERROR (self, RESOURCE, FAILED, ("%s", message), (NULL));
}

/* On the loop thread, for the main node and the converted ones. A failing
 * converted node only fails its consumer; the main one fails the stream. */
void
gst_alloc_pw_sink_output_notify (gpointer user_data, GstAllocPwOutput * output,
    guint32 node_id, const gchar * error)
{
  GstAllocPwSink *self = user_data;
  gboolean main_node;

  GST_OBJECT_LOCK (self);
  main_node = output == self->output;
  GST_OBJECT_UNLOCK (self);
  if (error && main_node) {
    GST_ELEMENT_ERROR (self, RESOURCE, FAILED,
        ("The PipeWire node %s failed: %s",
            gst_alloc_pw_output_get_name (output), error), (NULL));
    return;
  }
  if (error) {
    GST_ELEMENT_WARNING (self, RESOURCE, FAILED,
        ("The PipeWire node %s failed: %s",
            gst_alloc_pw_output_get_name (output), error), (NULL));
    return;
  }
  GST_INFO_OBJECT (self, "node %s has id %u",
      gst_alloc_pw_output_get_name (output), node_id);
  gst_alloc_pw_sink_node_ready (self, output, node_id);
  if (main_node)
    g_object_notify (G_OBJECT (self), "node-id");
}

/* What every pool of ours needs whoever consumes: memory another process
 * can map. */
static GstAllocConstraints *
local_constraints (GstAllocPwSink * self, GError ** error)
{
  GstAllocConstraints *c, *own;

  c = gst_alloc_constraints_from_string ("memory=dmabuf|memfd",
      "PipeWire (buffers cross processes)", error);
  GST_OBJECT_LOCK (self);
  own = self->constraints ? gst_alloc_constraints_copy (self->constraints)
      : NULL;
  GST_OBJECT_UNLOCK (self);
  if (own && !gst_alloc_constraints_merge_into (c, own, error))
    g_clear_pointer (&c, gst_alloc_constraints_free);
  gst_alloc_constraints_free (own);
  return c;
}

static guint
buffer_count (const GstAllocConstraints * c)
{
  guint n = MAX (DEFAULT_BUFFERS, c->min_buffers);

  if (c->max_buffers)
    n = MIN (n, c->max_buffers);
  return n;
}

/* A configured GstAllocPool of a fixed number of buffers for @c. */
static GstAllocPool *
make_allocator (GstAllocPwSink * self, const GstVideoInfo * info,
    const GstAllocConstraints * c, GError ** error)
{
  GstBufferPool *pool;
  GstStructure *config;
  GstAllocSolver *solver;
  GstCaps *caps = gst_video_info_to_caps (info);
  guint n = buffer_count (c);

  GST_OBJECT_LOCK (self);
  solver = self->solver ? gst_object_ref (self->solver) : NULL;
  GST_OBJECT_UNLOCK (self);
  pool = gst_alloc_pool_new (solver);
  gst_clear_object (&solver);
  config = gst_buffer_pool_get_config (pool);
  gst_buffer_pool_config_set_params (config, caps, info->size, n, n);
  gst_buffer_pool_config_add_option (config, GST_BUFFER_POOL_OPTION_VIDEO_META);
  gst_alloc_pool_config_set_constraints (config, c);
  gst_caps_unref (caps);
  if (!gst_buffer_pool_set_config (pool, config)
      && !gst_buffer_pool_set_config (pool, gst_buffer_pool_get_config (pool))) {
    gchar *str = gst_alloc_constraints_to_string (c);

    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "No pool of %u %s %dx%d buffers satisfies %s (see the allocpool "
        "warnings)", n, gst_video_format_to_string (GST_VIDEO_INFO_FORMAT
            (info)), info->width, info->height, str);
    g_free (str);
    gst_object_unref (pool);
    return NULL;
  }
  return GST_ALLOC_POOL (pool);
}

/* Replaces the published node; the property getters read it under the
 * object lock from any thread. */
static void
swap_output (GstAllocPwSink * self, GstAllocPwOutput * output,
    GstAllocPool * allocator, GstAllocConstraints * merged)
{
  GstAllocPwOutput *old_output;
  GstAllocPool *old_allocator;
  GstAllocConstraints *old_merged;

  GST_OBJECT_LOCK (self);
  old_output = self->output;
  old_allocator = self->allocator;
  old_merged = self->merged;
  self->output = output;
  self->allocator = allocator;
  self->merged = merged;
  GST_OBJECT_UNLOCK (self);
  if (old_output)
    gst_alloc_pw_output_free (old_output);
  gst_clear_object (&old_allocator);
  gst_alloc_constraints_free (old_merged);
}

static void
clear_output (GstAllocPwSink * self)
{
  swap_output (self, NULL, NULL, NULL);
}

/* A pool of our own for @c: the library's GstAllocPool allocates, ours
 * keeps the buffers and hands them to PipeWire. */
GstAllocPwPool *
gst_alloc_pw_sink_make_pool (GstAllocPwSink * self, const GstVideoInfo * info,
    const GstAllocConstraints * c, const gchar * name,
    GstAllocPool ** allocator, GError ** error)
{
  GstAllocPwPool *pool;

  *allocator = make_allocator (self, info, c, error);
  if (!*allocator)
    return NULL;
  pool = gst_alloc_pw_pool_new (GST_BUFFER_POOL (*allocator), name, error);
  if (!pool)
    gst_clear_object (allocator);
  return pool;
}

/* Publishes the node for frames of @info, with a pool laid out for the
 * producer's needs. Nothing changes when it is published already. */
static gboolean
ensure_output (GstAllocPwSink * self, const GstVideoInfo * info,
    GError ** error)
{
  GstAllocConstraints *c;
  GstAllocPool *allocator;
  GstAllocPwPool *pool;
  GstAllocPwOutput *output;
  gchar *name, *pool_name, *description;

  if (self->output && gst_video_info_is_equal (info, &self->info))
    return TRUE;
  clear_output (self);
  if (!(c = local_constraints (self, error)))
    return FALSE;
  pool_name = g_strdup_printf ("%s-pool", GST_OBJECT_NAME (self));
  pool = gst_alloc_pw_sink_make_pool (self, info, c, pool_name, &allocator,
      error);
  g_free (pool_name);
  if (!pool) {
    gst_alloc_constraints_free (c);
    return FALSE;
  }
  name = get_node_name (self);
  GST_OBJECT_LOCK (self);
  description = g_strdup (self->node_description);
  GST_OBJECT_UNLOCK (self);
  output = gst_alloc_pw_output_new (self->core, pool, name, description,
      name, TRUE, gst_alloc_pw_sink_output_notify, self, error);
  g_free (name);
  g_free (description);
  gst_object_unref (pool);
  if (!output) {
    gst_object_unref (allocator);
    gst_alloc_constraints_free (c);
    return FALSE;
  }
  self->info = *info;
  swap_output (self, output, allocator, c);
  /* The id may have come before the node was ours to report. */
  if (gst_alloc_pw_output_get_node_id (output) != SPA_ID_INVALID)
    g_object_notify (G_OBJECT (self), "node-id");
  return TRUE;
}

/* The node for @caps, published (or kept when @caps do not change it);
 * FALSE with an element error when it cannot be. */
static gboolean
publish_for_caps (GstAllocPwSink * self, GstCaps * caps, GstVideoInfo * info)
{
  GError *err = NULL;

  if (!caps || !gst_video_info_from_caps (info, caps)) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("Cannot publish %" GST_PTR_FORMAT ": not raw video", caps), (NULL));
    return FALSE;
  }
  if (!ensure_output (self, info, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Cannot publish the PipeWire node: %s", err->message), (NULL));
    g_clear_error (&err);
    return FALSE;
  }
  return TRUE;
}

static gboolean
gst_alloc_pw_sink_set_caps (GstBaseSink * sink, GstCaps * caps)
{
  GstVideoInfo info;

  return publish_for_caps (GST_ALLOC_PW_SINK (sink), caps, &info);
}

/* Upstream gets the node's own pool, so what it writes is what the
 * consumers read; and our needs in both vocabularies, for producers that
 * make their own pool. */
static gboolean
gst_alloc_pw_sink_propose_allocation (GstBaseSink * sink, GstQuery * query)
{
  GstAllocPwSink *self = GST_ALLOC_PW_SINK (sink);
  GstAllocPwPool *pool;
  GstStructure *params;
  GstAllocationParams alloc_params;
  GstVideoInfo info;
  GstCaps *caps;
  guint n;

  gst_query_parse_allocation (query, &caps, NULL);
  if (!publish_for_caps (self, caps, &info))
    return FALSE;
  pool = gst_alloc_pw_output_get_pool (self->output);
  n = gst_alloc_pw_pool_get_n_buffers (pool);
  gst_query_add_allocation_pool (query, GST_BUFFER_POOL (pool),
      gst_buffer_get_size (gst_alloc_pw_pool_peek_buffer (pool)), n, n);
  params = gst_alloc_constraints_to_video_meta_params (self->merged, &info);
  gst_query_add_allocation_meta (query, GST_VIDEO_META_API_TYPE, params);
  gst_structure_free (params);
  gst_alloc_constraints_add_to_query (query, self->merged, NULL);
  gst_allocation_params_init (&alloc_params);
  gst_alloc_constraints_to_allocation_params (self->merged, &alloc_params);
  gst_query_add_allocation_param (query, NULL, &alloc_params);
  return TRUE;
}

static void
count_push (GstAllocPwSink * self, GstAllocPwPush res, GstBuffer * buffer,
    const GError * err)
{
  const gchar *drop = NULL;

  GST_OBJECT_LOCK (self);
  switch (res) {
    case GST_ALLOC_PW_PUSH_COPIED:
      /* A copy moves the frame's visible pixels, whatever the padding. */
      self->copies++;
      self->bytes_copied += GST_VIDEO_INFO_SIZE (&self->info);
      /* fall through */
    case GST_ALLOC_PW_PUSH_SHARED:
      self->frames++;
      break;
    case GST_ALLOC_PW_PUSH_NO_CONSUMER:
      drop = "no consumer is linked";
      break;
    case GST_ALLOC_PW_PUSH_NO_BUFFER:
      drop = "every buffer is still with a consumer";
      self->dropped_busy++;
      break;
    case GST_ALLOC_PW_PUSH_FAILED:
      drop = err ? err->message : "the frame could not be copied";
      break;
  }
  if (drop) {
    self->dropped++;
    if (g_strcmp0 (drop, self->last_drop) != 0) {
      GST_INFO_OBJECT (self, "dropping frames: %s", drop);
      g_free (self->last_drop);
      self->last_drop = g_strdup (drop);
    }
  }
  GST_OBJECT_UNLOCK (self);
}

static GstFlowReturn
gst_alloc_pw_sink_render (GstBaseSink * sink, GstBuffer * buffer)
{
  GstAllocPwSink *self = GST_ALLOC_PW_SINK (sink);
  GError *err = NULL;
  GstAllocPwPush res;

  if (!self->output)
    return GST_FLOW_NOT_NEGOTIATED;
  res = gst_alloc_pw_output_push (self->output, buffer, &self->info,
      self->seq, &err);
  if (res == GST_ALLOC_PW_PUSH_COPIED)
    GST_CAT_LOG_OBJECT (gst_alloc_elements_performance, self,
        "copied a frame that is not from our pool into it");
  count_push (self, res, buffer, err);
  g_clear_error (&err);
  gst_alloc_pw_sink_feed_converted (self, buffer, self->seq++);
  return GST_FLOW_OK;
}

static gboolean
gst_alloc_pw_sink_start (GstBaseSink * sink)
{
  GstAllocPwSink *self = GST_ALLOC_PW_SINK (sink);
  GError *err = NULL;

  self->core = gst_alloc_pw_core_new (GST_OBJECT_NAME (self), on_core_error,
      self, &err);
  if (!self->core) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE, ("%s", err->message),
        ("PipeWire %s", gst_alloc_pw_version_string ()));
    g_clear_error (&err);
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  self->frames = self->copies = self->bytes_copied = self->dropped = 0;
  self->dropped_busy = 0;
  g_clear_pointer (&self->last_drop, g_free);
  g_clear_pointer (&self->decision, g_free);
  self->seq = 0;
  GST_OBJECT_UNLOCK (self);
  gst_alloc_pw_sink_consumers_start (self);
  return TRUE;
}

static gboolean
gst_alloc_pw_sink_stop (GstBaseSink * sink)
{
  GstAllocPwSink *self = GST_ALLOC_PW_SINK (sink);

  gst_alloc_pw_sink_consumers_stop (self);
  clear_output (self);
  g_clear_pointer (&self->core, gst_alloc_pw_core_free);
  return TRUE;
}

static void
gst_alloc_pw_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstAllocPwSink *self = GST_ALLOC_PW_SINK (object);

  switch (prop_id) {
    case PROP_NODE_NAME:
      gst_alloc_pw_set_string_property (GST_OBJECT (self), &self->node_name,
          value);
      break;
    case PROP_NODE_DESCRIPTION:
      gst_alloc_pw_set_string_property (GST_OBJECT (self),
          &self->node_description, value);
      break;
    case PROP_CONSTRAINTS:
      gst_alloc_element_set_constraints (GST_ELEMENT (self), value,
          &self->constraints);
      break;
    case PROP_SOLVER:
      gst_alloc_element_set_solver (GST_ELEMENT (self), value, &self->solver);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

/* Under the object lock. */
static gchar *
describe_output (GstAllocPwSink * self, guint prop_id)
{
  GstAllocPwPool *pool;
  GstAllocator *backend;

  if (!self->output)
    return NULL;
  pool = gst_alloc_pw_output_get_pool (self->output);
  switch (prop_id) {
    case PROP_MEMORY_IDS:
      return gst_alloc_pw_pool_get_memory_ids (pool);
    case PROP_BACKEND:
      backend = gst_alloc_pool_get_backend (self->allocator);
      return backend ? g_strdup (GST_OBJECT_NAME (backend)) : NULL;
    case PROP_MERGED_CONSTRAINTS:
      return gst_alloc_constraints_to_string (self->merged);
    default:
      return NULL;
  }
}

static void
gst_alloc_pw_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstAllocPwSink *self = GST_ALLOC_PW_SINK (object);

  switch (prop_id) {
    case PROP_CONSTRAINTS:
      gst_alloc_element_get_constraints (GST_ELEMENT (self), self->constraints,
          value);
      return;
    case PROP_NODE_NAME:
      g_value_take_string (value, get_node_name (self));
      return;
    case PROP_CONSUMERS:
      g_value_take_string (value, gst_alloc_pw_sink_describe_consumers (self));
      return;
    default:
      break;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_NODE_DESCRIPTION:
      g_value_set_string (value, self->node_description);
      break;
    case PROP_SOLVER:
      g_value_set_object (value, self->solver);
      break;
    case PROP_NODE_ID:
      g_value_set_uint (value, self->output ?
          gst_alloc_pw_output_get_node_id (self->output) : SPA_ID_INVALID);
      break;
    case PROP_FRAMES:
      g_value_set_uint64 (value, self->frames);
      break;
    case PROP_COPIES:
      g_value_set_uint64 (value, self->copies);
      break;
    case PROP_BYTES_COPIED:
      g_value_set_uint64 (value, self->bytes_copied);
      break;
    case PROP_DROPPED:
      g_value_set_uint64 (value, self->dropped);
      break;
    case PROP_DROPPED_BUSY:
      g_value_set_uint64 (value, self->dropped_busy);
      break;
    case PROP_MEMORY_IDS:
    case PROP_BACKEND:
    case PROP_MERGED_CONSTRAINTS:
      g_value_take_string (value, describe_output (self, prop_id));
      break;
    case PROP_BUSY:
      g_value_set_uint (value, self->output ?
          gst_alloc_pw_pool_count_busy (gst_alloc_pw_output_get_pool
              (self->output)) : 0);
      break;
    case PROP_REPAIRED:
      g_value_set_uint64 (value, self->output ?
          gst_alloc_pw_pool_get_repaired (gst_alloc_pw_output_get_pool
              (self->output)) : 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_alloc_pw_sink_finalize (GObject * object)
{
  GstAllocPwSink *self = GST_ALLOC_PW_SINK (object);

  g_free (self->node_name);
  g_free (self->node_description);
  g_free (self->last_drop);
  g_free (self->decision);
  g_ptr_array_unref (self->converted);
  g_mutex_clear (&self->lock);
  gst_alloc_constraints_free (self->constraints);
  gst_clear_object (&self->solver);
  G_OBJECT_CLASS (gst_alloc_pw_sink_parent_class)->finalize (object);
}

static void
install_counter (GObjectClass * gobject_class, guint id, const gchar * name,
    const gchar * blurb)
{
  g_object_class_install_property (gobject_class, id,
      g_param_spec_uint64 (name, name, blurb, 0, G_MAXUINT64, 0,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void
install_string (GObjectClass * gobject_class, guint id, const gchar * name,
    const gchar * blurb, GParamFlags flags)
{
  g_object_class_install_property (gobject_class, id,
      g_param_spec_string (name, name, blurb, NULL,
          flags | G_PARAM_STATIC_STRINGS));
}

static void
install_properties (GObjectClass * gobject_class)
{
  install_string (gobject_class, PROP_NODE_NAME, "node-name",
      "The PipeWire node's name, which consumers target (NULL: the element "
      "name)", G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY);
  install_string (gobject_class, PROP_NODE_DESCRIPTION, "node-description",
      "The node's human-readable description (NULL: its name)",
      G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY);
  g_object_class_install_property (gobject_class, PROP_CONSTRAINTS,
      gst_alloc_element_constraints_pspec ("What the producer side needs "
          "from the published buffers, merged with every consumer's needs"));
  g_object_class_install_property (gobject_class, PROP_SOLVER,
      gst_alloc_element_solver_pspec ());
  g_object_class_install_property (gobject_class, PROP_NODE_ID,
      g_param_spec_uint ("node-id", "node-id", "The published node's id "
          "(SPA_ID_INVALID until PipeWire gives it)", 0, G_MAXUINT32,
          SPA_ID_INVALID, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  install_counter (gobject_class, PROP_FRAMES, "frames",
      "Frames handed to PipeWire since start");
  install_counter (gobject_class, PROP_COPIES, "copies",
      "Frames that arrived in a buffer not from our pool and were copied");
  install_counter (gobject_class, PROP_BYTES_COPIED, "bytes-copied",
      "Bytes of the frames copied");
  install_counter (gobject_class, PROP_DROPPED, "dropped",
      "Frames not published: no consumer linked, or every buffer still "
      "with a consumer");
  install_counter (gobject_class, PROP_DROPPED_BUSY, "dropped-busy",
      "Of the frames dropped, those dropped because every buffer was still "
      "with a consumer");
  install_string (gobject_class, PROP_MEMORY_IDS, "memory-ids",
      "Identity of each published buffer's memory (inode N, comma "
      "separated): what consumers see with fstat()", G_PARAM_READABLE);
  install_string (gobject_class, PROP_BACKEND, "backend",
      "The backend the published buffers come from", G_PARAM_READABLE);
  install_string (gobject_class, PROP_MERGED_CONSTRAINTS,
      "merged-constraints", "The constraints the published pool was made "
      "for (the producer's)", G_PARAM_READABLE);
  install_counter (gobject_class, PROP_REPAIRED, "repaired-buffers",
      "Buffers a departed consumer left marked busy, released again");
  g_object_class_install_property (gobject_class, PROP_BUSY,
      g_param_spec_uint ("busy-buffers", "busy-buffers", "Published buffers "
          "a consumer marks busy now", 0, G_MAXUINT, 0,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  install_string (gobject_class, PROP_CONSUMERS, "consumers",
      "The consumers of the last decision: name, mode and why",
      G_PARAM_READABLE);
}

static void
gst_alloc_pw_sink_class_init (GstAllocPwSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *sink_class = GST_BASE_SINK_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_alloc_pw_sink_debug, "allocpwsink", 0,
      "gst-alloc PipeWire sink");
  gobject_class->set_property = gst_alloc_pw_sink_set_property;
  gobject_class->get_property = gst_alloc_pw_sink_get_property;
  gobject_class->finalize = gst_alloc_pw_sink_finalize;
  install_properties (gobject_class);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class,
      "PipeWire video source node from a gst-alloc pool", "Sink/Video",
      "Publishes frames as a PipeWire Video/Source node whose buffers are a "
      "pool satisfying every consumer's needs; upstream writes into them",
      "gst-alloc");
  sink_class->start = gst_alloc_pw_sink_start;
  sink_class->stop = gst_alloc_pw_sink_stop;
  sink_class->set_caps = gst_alloc_pw_sink_set_caps;
  sink_class->propose_allocation = gst_alloc_pw_sink_propose_allocation;
  sink_class->render = gst_alloc_pw_sink_render;
}

static void
gst_alloc_pw_sink_init (GstAllocPwSink * self)
{
  g_mutex_init (&self->lock);
  self->converted = g_ptr_array_new ();
}
