/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-allocconvert
 * @title: allocconvert
 * @short_description: Copies a frame only when downstream cannot take it
 *
 * Passes each buffer through untouched when it already satisfies what
 * downstream needs (the constraints read from downstream's ALLOCATION
 * answer, merged with the "constraints" property). When the buffer's
 * memory suits downstream and only its description does not (downstream
 * wants one memory per plane, or reads no GstVideoMeta and the strides are
 * the default ones), it pushes a view: the same memory described as
 * downstream needs, no byte copied ("viewed-buffers"). Otherwise it copies
 * the frame into a buffer from its own pool, laid out to satisfy those
 * constraints, converting the pixel format when the caps on both sides
 * differ. Width, height and framerate never change.
 *
 * Upstream is offered a pool that satisfies downstream's constraints, so in
 * a well-behaved pipeline every buffer passes through and nothing is copied.
 * The element counts what it did ("passthrough-buffers", "copied-buffers",
 * "bytes-copied") and says why the last copy was needed ("last-reason");
 * each copy decision is logged on the GST_PERFORMANCE category.
 *
 * Each pool it makes (the one offered upstream, the one it copies into)
 * may allocate at most #GstAllocConvert:pool-budget bytes; a pool that
 * cannot start posts an ERROR from this element with the cause (backend,
 * call, errno text). A malformed #GstAllocConvert:constraints value set in
 * NULL or READY makes the next state change fail; set while running, it is
 * refused with a WARNING and the previous value stays.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc ! allocconvert constraints=stride-align=256 ! \
 *     video/x-raw,format=NV12 ! fakesink
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocelements.h"
#include "gstallocconvert-caps.h"

#include <gst/base/gstbasetransform.h>
#include <gst/video/video.h>

GST_DEBUG_CATEGORY (gst_alloc_convert_debug);
#define GST_CAT_DEFAULT gst_alloc_convert_debug

#define GST_TYPE_ALLOC_CONVERT (gst_alloc_convert_get_type ())
G_DECLARE_FINAL_TYPE (GstAllocConvert, gst_alloc_convert, GST, ALLOC_CONVERT,
    GstBaseTransform);

struct _GstAllocConvert
{
  GstBaseTransform parent;

  /* Properties and counters, under the object lock. */
  GstAllocConstraints *constraints;
  GstAllocSolver *solver;
  guint64 pool_budget;
  guint64 passthrough_buffers;
  guint64 viewed_buffers;
  guint64 copied_buffers;
  guint64 bytes_copied;
  gchar *last_reason;

  /* Set by set_caps() and decide_allocation(), under the object lock since
   * propose_allocation() may run from another thread. */
  GstVideoInfo in_info;
  GstVideoInfo out_info;
  gboolean same_format;
  GstAllocConstraints *merged;
  gboolean needs_default_layout;
  /* The pool last offered upstream, for the current merged set: its
   * buffers satisfy downstream by construction. Dropped when the set
   * changes. */
  GstBufferPool *upstream_pool;

  /* Streaming thread only. */
  GstVideoConverter *converter;
  gboolean copy_logged;
  gboolean view_logged;
  /* The view prepare_output_buffer() made for the buffer transform() is
   * about to see; compared, never dereferenced. */
  GstBuffer *pending_view;
};

enum
{
  PROP_0,
  PROP_CONSTRAINTS,
  PROP_SOLVER,
  PROP_PASSTHROUGH_BUFFERS,
  PROP_VIEWED_BUFFERS,
  PROP_COPIED_BUFFERS,
  PROP_BYTES_COPIED,
  PROP_LAST_REASON,
  PROP_POOL_BUDGET,
};

#define ALLOC_CONVERT_CAPS \
  GST_VIDEO_CAPS_MAKE (GST_VIDEO_FORMATS_ALL) "; " \
  GST_VIDEO_CAPS_MAKE_WITH_FEATURES ("memory:DMABuf", GST_VIDEO_FORMATS_ALL)

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (ALLOC_CONVERT_CAPS));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (ALLOC_CONVERT_CAPS));

G_DEFINE_TYPE (GstAllocConvert, gst_alloc_convert, GST_TYPE_BASE_TRANSFORM);
GST_ELEMENT_REGISTER_DEFINE (allocconvert, "allocconvert", GST_RANK_NONE,
    GST_TYPE_ALLOC_CONVERT);

/* Caps */

static gboolean
gst_alloc_convert_set_caps (GstBaseTransform * trans, GstCaps * incaps,
    GstCaps * outcaps)
{
  GstAllocConvert *self = GST_ALLOC_CONVERT (trans);
  GstVideoInfo in_info, out_info;
  GstVideoConverter *converter = NULL;
  gboolean same;

  if (!gst_video_info_from_caps (&in_info, incaps)
      || !gst_video_info_from_caps (&out_info, outcaps)) {
    GST_ERROR_OBJECT (self, "invalid caps %" GST_PTR_FORMAT " -> %"
        GST_PTR_FORMAT, incaps, outcaps);
    return FALSE;
  }
  same = gst_video_info_is_equal (&in_info, &out_info);
  if (!same) {
    converter = gst_video_converter_new (&in_info, &out_info, NULL);
    if (!converter) {
      GST_ERROR_OBJECT (self, "cannot convert %s to %s",
          GST_VIDEO_INFO_NAME (&in_info), GST_VIDEO_INFO_NAME (&out_info));
      return FALSE;
    }
  }
  g_clear_pointer (&self->converter, gst_video_converter_free);
  self->converter = converter;

  GST_OBJECT_LOCK (self);
  self->in_info = in_info;
  self->out_info = out_info;
  self->same_format = same;
  GST_OBJECT_UNLOCK (self);
  GST_INFO_OBJECT (self, "%s", same ? "same format on both sides: buffers "
      "that satisfy downstream pass through" : "format conversion");
  return TRUE;
}

/* Allocation */

/* Who answered the query on @pad's peer, for error messages and origins. */
static gchar *
peer_name (GstPad * pad)
{
  GstPad *peer = gst_pad_get_peer (pad);
  GstObject *parent;
  gchar *name;

  if (!peer)
    return g_strdup ("downstream");
  parent = gst_pad_get_parent (peer);
  name = gst_object_get_name (parent ? parent : GST_OBJECT (peer));
  gst_clear_object (&parent);
  gst_object_unref (peer);
  return name;
}

/* A pool of ours, with the solver and budget set now. */
static GstBufferPool *
new_pool (GstAllocConvert * self, const gchar * role)
{
  GstAllocSolver *solver;
  GstBufferPool *pool;
  guint64 budget;

  GST_OBJECT_LOCK (self);
  solver = self->solver ? gst_object_ref (self->solver) : NULL;
  budget = self->pool_budget;
  GST_OBJECT_UNLOCK (self);
  pool = gst_alloc_element_new_pool (GST_ELEMENT (self), solver, role, budget);
  gst_clear_object (&solver);
  return pool;
}

/* What downstream said in @query, merged with our own property. */
static GstAllocConstraints *
downstream_constraints (GstAllocConvert * self, GstQuery * query,
    GError ** error)
{
  gchar *origin = peer_name (GST_BASE_TRANSFORM_SRC_PAD (self));
  GstAllocConstraints *merged;
  gboolean ok = TRUE;

  merged = gst_alloc_constraints_from_allocation_query (query, origin, error);
  g_free (origin);
  if (!merged)
    return NULL;
  GST_OBJECT_LOCK (self);
  if (self->constraints)
    ok = gst_alloc_constraints_merge_into (merged, self->constraints, error);
  GST_OBJECT_UNLOCK (self);
  if (!ok)
    g_clear_pointer (&merged, gst_alloc_constraints_free);
  return merged;
}

static void
post_allocation_error (GstAllocConvert * self, const GError * err)
{
  if (g_error_matches (err, GST_ALLOC_ERROR, GST_ALLOC_ERROR_CONFLICT)
      || g_error_matches (err, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE))
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("The buffer constraints cannot be met together: %s",
            err->message), ("decide_allocation failed"));
  else if (g_error_matches (err, GST_ALLOC_ERROR, GST_ALLOC_ERROR_BUDGET))
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("The output pool would exceed its budget: %s", err->message),
        ("decide_allocation failed"));
  else
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("No memory satisfies the buffer constraints: %s",
            err->message), ("decide_allocation failed"));
}

/* A consumer that ignores GstVideoMeta reads the default layout. When our
 * pool gives that layout, input with another layout must be copied into it;
 * when it does not, the constraints force a layout the consumer cannot read
 * anyway and copying would not help. Call before answering @query. */
static gboolean
needs_default_layout (GstQuery * query, const GstAllocConstraints * merged)
{
  GstAllocLayout layout;
  GstVideoInfo info;
  GstCaps *caps = NULL;

  if (gst_query_find_allocation_meta (query, GST_VIDEO_META_API_TYPE, NULL))
    return FALSE;
  gst_query_parse_allocation (query, &caps, NULL);
  return caps && gst_video_info_from_caps (&info, caps)
      && gst_alloc_layout_compute (&layout, &info, merged, NULL)
      && gst_alloc_layout_is_natural (&layout, &info);
}

/* Our output pool satisfies everything downstream asked for; the base
 * class takes the first pool of the answered query as its output pool. */
static gboolean
gst_alloc_convert_decide_allocation (GstBaseTransform * trans, GstQuery * query)
{
  GstAllocConvert *self = GST_ALLOC_CONVERT (trans);
  GstAllocConstraints *merged;
  GstBufferPool *pool = NULL;
  gboolean default_layout = FALSE;
  GError *err = NULL;

  merged = downstream_constraints (self, query, &err);
  if (merged) {
    default_layout = needs_default_layout (query, merged);
    pool = new_pool (self, "output-pool");
    if (!gst_alloc_query_answer_with_pool (query, merged, pool, &err))
      gst_clear_object (&pool);
  }
  if (!pool) {
    post_allocation_error (self, err);
    g_clear_error (&err);
    gst_alloc_constraints_free (merged);
    return FALSE;
  }
  gst_object_unref (pool);

  GST_OBJECT_LOCK (self);
  gst_alloc_constraints_free (self->merged);
  self->merged = merged;
  gst_clear_object (&self->upstream_pool);
  self->needs_default_layout = default_layout;
  GST_OBJECT_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "answered %" GST_PTR_FORMAT, query);
  return TRUE;
}

/* Offers upstream a pool laid out for downstream, so that its buffers pass
 * through. With a format change we copy anyway and read any layout. */
static gboolean
gst_alloc_convert_propose_allocation (GstBaseTransform * trans,
    GstQuery * decide_query, GstQuery * query)
{
  GstAllocConvert *self = GST_ALLOC_CONVERT (trans);
  GstAllocConstraints *merged = NULL;
  GstBufferPool *pool;
  GError *err = NULL;

  GST_OBJECT_LOCK (self);
  if (self->same_format && self->merged)
    merged = gst_alloc_constraints_copy (self->merged);
  GST_OBJECT_UNLOCK (self);
  if (!merged) {
    gst_query_add_allocation_meta (query, GST_VIDEO_META_API_TYPE, NULL);
    return TRUE;
  }

  pool = new_pool (self, "upstream-pool");
  if (gst_alloc_query_answer_with_pool (query, merged, pool, &err)) {
    GST_OBJECT_LOCK (self);
    if (self->merged && gst_alloc_constraints_is_equal (self->merged, merged))
      gst_object_replace ((GstObject **) & self->upstream_pool,
          GST_OBJECT (pool));
    GST_OBJECT_UNLOCK (self);
  } else {
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS, ("Cannot offer upstream "
            "a pool, so its buffers will be copied: %s", err->message),
        ("propose_allocation"));
    g_clear_error (&err);
    gst_query_add_allocation_meta (query, GST_VIDEO_META_API_TYPE, NULL);
  }
  gst_object_unref (pool);
  gst_alloc_constraints_free (merged);
  return TRUE;
}

/* Buffers */

/* The layout a reader without GstVideoMeta assumes. */
static gboolean
has_default_layout (const GstVideoInfo * info, GstBuffer * buffer)
{
  GstVideoMeta *meta = gst_buffer_get_video_meta (buffer);
  guint p;

  if (!meta)
    return TRUE;
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (info); p++) {
    if (meta->offset[p] != GST_VIDEO_INFO_PLANE_OFFSET (info, p)
        || meta->stride[p] != GST_VIDEO_INFO_PLANE_STRIDE (info, p))
      return FALSE;
  }
  return TRUE;
}

/* Whether @inbuf can go downstream as it is; if not, @reason says why. */
static gboolean
can_pass_through (GstAllocConvert * self, GstBuffer * inbuf, gchar ** reason)
{
  gboolean ok = FALSE;
  GError *err = NULL;

  GST_OBJECT_LOCK (self);
  if (!self->same_format) {
    *reason = g_strdup_printf ("converting %s to %s",
        GST_VIDEO_INFO_NAME (&self->in_info),
        GST_VIDEO_INFO_NAME (&self->out_info));
  } else if (!self->merged) {
    *reason = g_strdup ("downstream's constraints are not known yet");
  } else if (self->upstream_pool && inbuf->pool == self->upstream_pool
      && !self->needs_default_layout) {
    /* Laid out for downstream by our own offer: nothing to check. */
    ok = TRUE;
  } else if (!gst_alloc_constraints_check_buffer (self->merged,
          &self->in_info, inbuf, &err)) {
    *reason = g_strdup (err->message);
    g_clear_error (&err);
  } else if (self->needs_default_layout
      && !has_default_layout (&self->in_info, inbuf)) {
    *reason = g_strdup ("downstream does not read GstVideoMeta and the "
        "buffer's layout is not the default one");
  } else {
    ok = TRUE;
  }
  GST_OBJECT_UNLOCK (self);
  return ok;
}

static void
note_copy (GstAllocConvert * self, GstBuffer * inbuf, gchar * reason)
{
  if (!self->copy_logged)
    GST_CAT_INFO_OBJECT (gst_alloc_elements_performance, self,
        "copying %" GST_PTR_FORMAT ": %s", inbuf, reason);
  else
    GST_CAT_LOG_OBJECT (gst_alloc_elements_performance, self,
        "copying %" GST_PTR_FORMAT ": %s", inbuf, reason);
  self->copy_logged = TRUE;

  GST_OBJECT_LOCK (self);
  g_free (self->last_reason);
  self->last_reason = reason;
  GST_OBJECT_UNLOCK (self);
}

/* The input's memory described as downstream needs it, when that is all
 * it misses: downstream's merged set, with the default layout when it
 * reads no GstVideoMeta. None with a format change. */
static GstBuffer *
try_view (GstAllocConvert * self, GstBuffer * inbuf)
{
  GstAllocConstraints *wants = NULL;
  GstVideoInfo info;
  GstBuffer *view;

  GST_OBJECT_LOCK (self);
  if (self->same_format && self->merged) {
    wants = gst_alloc_constraints_copy (self->merged);
    wants->default_layout |= self->needs_default_layout;
    info = self->in_info;
  }
  GST_OBJECT_UNLOCK (self);
  view = wants ? gst_alloc_element_view_downstream (GST_ELEMENT (self), inbuf,
      &info, wants, &self->view_logged) : NULL;
  gst_alloc_constraints_free (wants);
  return view;
}

/* "Copy only when needed": the input itself when it satisfies downstream,
 * a view of its memory when only the description differs, else a buffer
 * from the output pool (the base class acquires it), which transform()
 * fills. */
static GstFlowReturn
gst_alloc_convert_prepare_output_buffer (GstBaseTransform * trans,
    GstBuffer * inbuf, GstBuffer ** outbuf)
{
  GstAllocConvert *self = GST_ALLOC_CONVERT (trans);
  gchar *reason = NULL;

  self->pending_view = NULL;
  if (can_pass_through (self, inbuf, &reason)) {
    *outbuf = inbuf;
    return GST_FLOW_OK;
  }
  if ((*outbuf = try_view (self, inbuf))) {
    self->pending_view = *outbuf;
    g_free (reason);
    return GST_FLOW_OK;
  }
  note_copy (self, inbuf, reason);
  return
      GST_BASE_TRANSFORM_CLASS
      (gst_alloc_convert_parent_class)->prepare_output_buffer (trans, inbuf,
      outbuf);
}

static GstFlowReturn
gst_alloc_convert_transform (GstBaseTransform * trans, GstBuffer * inbuf,
    GstBuffer * outbuf)
{
  GstAllocConvert *self = GST_ALLOC_CONVERT (trans);
  GstVideoFrame in_frame, out_frame;
  GstVideoInfo in_info, out_info;
  gboolean copied = TRUE;

  if (outbuf == inbuf) {
    GST_OBJECT_LOCK (self);
    self->passthrough_buffers++;
    GST_OBJECT_UNLOCK (self);
    return GST_FLOW_OK;
  }
  if (outbuf == self->pending_view) {
    self->pending_view = NULL;
    GST_OBJECT_LOCK (self);
    self->viewed_buffers++;
    GST_OBJECT_UNLOCK (self);
    return GST_FLOW_OK;
  }

  GST_OBJECT_LOCK (self);
  in_info = self->in_info;
  out_info = self->out_info;
  GST_OBJECT_UNLOCK (self);
  if (!gst_video_frame_map (&in_frame, &in_info, inbuf, GST_MAP_READ))
    goto map_failed;
  if (!gst_video_frame_map (&out_frame, &out_info, outbuf, GST_MAP_WRITE)) {
    gst_video_frame_unmap (&in_frame);
    goto map_failed;
  }
  if (self->converter)
    gst_video_converter_frame (self->converter, &in_frame, &out_frame);
  else
    copied = gst_video_frame_copy (&out_frame, &in_frame);
  gst_video_frame_unmap (&out_frame);
  gst_video_frame_unmap (&in_frame);
  if (!copied) {
    GST_ELEMENT_ERROR (self, STREAM, FAILED, ("Could not copy a frame."),
        ("gst_video_frame_copy failed for %" GST_PTR_FORMAT, inbuf));
    return GST_FLOW_ERROR;
  }

  GST_OBJECT_LOCK (self);
  self->copied_buffers++;
  self->bytes_copied += GST_VIDEO_INFO_SIZE (&out_info);
  GST_OBJECT_UNLOCK (self);
  return GST_FLOW_OK;

map_failed:
  GST_ELEMENT_ERROR (self, STREAM, FAILED, ("Could not map a frame."),
      ("mapping %" GST_PTR_FORMAT " or %" GST_PTR_FORMAT " as %s failed",
          inbuf, outbuf, GST_VIDEO_INFO_NAME (&in_info)));
  return GST_FLOW_ERROR;
}

/* State */

static gboolean
gst_alloc_convert_start (GstBaseTransform * trans)
{
  GstAllocConvert *self = GST_ALLOC_CONVERT (trans);

  GST_OBJECT_LOCK (self);
  self->passthrough_buffers = 0;
  self->viewed_buffers = 0;
  self->copied_buffers = 0;
  self->bytes_copied = 0;
  g_clear_pointer (&self->last_reason, g_free);
  GST_OBJECT_UNLOCK (self);
  self->copy_logged = FALSE;
  self->view_logged = FALSE;
  return TRUE;
}

static gboolean
gst_alloc_convert_stop (GstBaseTransform * trans)
{
  GstAllocConvert *self = GST_ALLOC_CONVERT (trans);

  GST_OBJECT_LOCK (self);
  g_clear_pointer (&self->merged, gst_alloc_constraints_free);
  self->same_format = FALSE;
  GST_OBJECT_UNLOCK (self);
  g_clear_pointer (&self->converter, gst_video_converter_free);
  return TRUE;
}

static GstStateChangeReturn
gst_alloc_convert_change_state (GstElement * element, GstStateChange transition)
{
  if (!gst_alloc_element_check_refusals (element, transition))
    return GST_STATE_CHANGE_FAILURE;
  return GST_ELEMENT_CLASS (gst_alloc_convert_parent_class)->change_state
      (element, transition);
}

/* Properties */

static void
gst_alloc_convert_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstAllocConvert *self = GST_ALLOC_CONVERT (object);

  switch (prop_id) {
    case PROP_CONSTRAINTS:
      if (gst_alloc_element_set_constraints (GST_ELEMENT (self), value,
              &self->constraints))
        gst_alloc_transform_renegotiate (GST_BASE_TRANSFORM (self));
      break;
    case PROP_SOLVER:
      gst_alloc_element_set_solver (GST_ELEMENT (self), value, &self->solver);
      gst_alloc_transform_renegotiate (GST_BASE_TRANSFORM (self));
      break;
    case PROP_POOL_BUDGET:
      GST_OBJECT_LOCK (self);
      self->pool_budget = g_value_get_uint64 (value);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_alloc_convert_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstAllocConvert *self = GST_ALLOC_CONVERT (object);

  if (prop_id == PROP_CONSTRAINTS) {
    gst_alloc_element_get_constraints (GST_ELEMENT (self), self->constraints,
        value);
    return;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_SOLVER:
      g_value_set_object (value, self->solver);
      break;
    case PROP_POOL_BUDGET:
      g_value_set_uint64 (value, self->pool_budget);
      break;
    case PROP_PASSTHROUGH_BUFFERS:
      g_value_set_uint64 (value, self->passthrough_buffers);
      break;
    case PROP_VIEWED_BUFFERS:
      g_value_set_uint64 (value, self->viewed_buffers);
      break;
    case PROP_COPIED_BUFFERS:
      g_value_set_uint64 (value, self->copied_buffers);
      break;
    case PROP_BYTES_COPIED:
      g_value_set_uint64 (value, self->bytes_copied);
      break;
    case PROP_LAST_REASON:
      g_value_set_string (value, self->last_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_alloc_convert_finalize (GObject * object)
{
  GstAllocConvert *self = GST_ALLOC_CONVERT (object);

  gst_alloc_constraints_free (self->constraints);
  gst_alloc_constraints_free (self->merged);
  gst_clear_object (&self->upstream_pool);
  gst_clear_object (&self->solver);
  g_free (self->last_reason);
  g_clear_pointer (&self->converter, gst_video_converter_free);
  G_OBJECT_CLASS (gst_alloc_convert_parent_class)->finalize (object);
}

static GParamSpec *
counter_pspec (const gchar * name, const gchar * nick, const gchar * blurb)
{
  return g_param_spec_uint64 (name, nick, blurb, 0, G_MAXUINT64, 0,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
install_properties (GObjectClass * gobject_class)
{
  g_object_class_install_property (gobject_class, PROP_CONSTRAINTS,
      gst_alloc_element_constraints_pspec ("Constraints merged with "
          "downstream's before deciding whether a buffer must be copied"));
  g_object_class_install_property (gobject_class, PROP_SOLVER,
      gst_alloc_element_solver_pspec ());
  g_object_class_install_property (gobject_class, PROP_POOL_BUDGET,
      gst_alloc_element_pool_budget_pspec ());
  g_object_class_install_property (gobject_class, PROP_PASSTHROUGH_BUFFERS,
      counter_pspec ("passthrough-buffers", "Passthrough buffers",
          "Buffers passed downstream without a copy"));
  g_object_class_install_property (gobject_class, PROP_VIEWED_BUFFERS,
      counter_pspec ("viewed-buffers", "Viewed buffers",
          "Buffers passed downstream as views: their memory described as "
          "downstream needs it (one memory per plane, the default layout), "
          "no byte copied"));
  g_object_class_install_property (gobject_class, PROP_COPIED_BUFFERS,
      counter_pspec ("copied-buffers", "Copied buffers",
          "Buffers copied or converted into a compliant buffer"));
  g_object_class_install_property (gobject_class, PROP_BYTES_COPIED,
      counter_pspec ("bytes-copied", "Bytes copied",
          "Bytes of input frames copied or converted"));
  g_object_class_install_property (gobject_class, PROP_LAST_REASON,
      g_param_spec_string ("last-reason", "Last reason",
          "Why the last copy was needed (NULL before any copy)", NULL,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void
gst_alloc_convert_class_init (GstAllocConvertClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);

  gst_alloc_elements_init ();
  GST_DEBUG_CATEGORY_INIT (gst_alloc_convert_debug, "allocconvert", 0,
      "Copy into compliant buffers only when needed");

  gobject_class->set_property = gst_alloc_convert_set_property;
  gobject_class->get_property = gst_alloc_convert_get_property;
  gobject_class->finalize = gst_alloc_convert_finalize;
  install_properties (gobject_class);
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_alloc_convert_change_state);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Allocation-aware converter", "Filter/Converter/Video",
      "Passthrough when the incoming buffer satisfies downstream's "
      "constraints, otherwise a copy into a compliant buffer from its own "
      "pool (and format conversion when caps demand it); counts what it did",
      "gst-alloc developers");

  trans_class->transform_caps =
      GST_DEBUG_FUNCPTR (gst_alloc_convert_transform_caps);
  trans_class->fixate_caps = GST_DEBUG_FUNCPTR (gst_alloc_convert_fixate_caps);
  trans_class->set_caps = GST_DEBUG_FUNCPTR (gst_alloc_convert_set_caps);
  trans_class->decide_allocation =
      GST_DEBUG_FUNCPTR (gst_alloc_convert_decide_allocation);
  trans_class->propose_allocation =
      GST_DEBUG_FUNCPTR (gst_alloc_convert_propose_allocation);
  trans_class->prepare_output_buffer =
      GST_DEBUG_FUNCPTR (gst_alloc_convert_prepare_output_buffer);
  trans_class->transform = GST_DEBUG_FUNCPTR (gst_alloc_convert_transform);
  trans_class->start = GST_DEBUG_FUNCPTR (gst_alloc_convert_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_alloc_convert_stop);
}

static void
gst_alloc_convert_init (GstAllocConvert * self)
{
  gst_video_info_init (&self->in_info);
  gst_video_info_init (&self->out_info);
}
