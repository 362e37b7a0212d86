/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-allocfilter
 * @title: allocfilter
 * @short_description: A capsfilter for allocation
 *
 * Passes buffers through untouched and adds its #GstAllocConstraints to the
 * ALLOCATION query on the way upstream: it asks downstream first, merges
 * what downstream needs with its own constraints, and answers upstream with
 * a #GstAllocPool satisfying both, in our vocabulary and the stock one (the
 * GstVideoMeta API with "video-meta" params, #GstAllocationParams). A
 * conflict, or constraints no backend can satisfy, fail the query with an
 * error naming the field.
 *
 * With #GstAllocFilter:device set to a V4L2 or DRM device node, the
 * device's own needs for the negotiated format and size are read from the
 * driver (gst_alloc_constraints_from_device()) when the ALLOCATION query
 * arrives, and merged too; a device that is missing, not accessible or
 * in conflict is an error naming it. The node is opened when the element
 * changes state upwards, so a node that is missing or not accessible
 * (EACCES) fails that state change with the errno text; one named while
 * PAUSED or PLAYING is tried at once and, if it cannot be opened, refused
 * with a WARNING, the previous device staying in use. A malformed
 * #GstAllocFilter:constraints value is refused the same way.
 *
 * The pool offered upstream may allocate at most
 * #GstAllocFilter:pool-budget bytes; a pool that cannot start (a backend
 * failing, the fd limit reached) posts an ERROR from this element with the
 * cause.
 *
 * With #GstAllocFilter:check set it also verifies each buffer against its
 * own constraints (not downstream's) and counts the violations: useful
 * behind elements that ignore the pool they are offered.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc ! allocfilter constraints=stride-align=256 ! \
 *     fakesink
 * gst-launch-1.0 videotestsrc ! video/x-raw,format=YUY2 ! \
 *     allocfilter device=/dev/video1 ! v4l2sink device=/dev/video1 \
 *     io-mode=dmabuf-import
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocelements.h"

#include <gst/base/gstbasetransform.h>
#include <gst/video/video.h>

GST_DEBUG_CATEGORY_STATIC (gst_alloc_filter_debug);
#define GST_CAT_DEFAULT gst_alloc_filter_debug

#define GST_TYPE_ALLOC_FILTER (gst_alloc_filter_get_type ())
G_DECLARE_FINAL_TYPE (GstAllocFilter, gst_alloc_filter, GST, ALLOC_FILTER,
    GstBaseTransform);

struct _GstAllocFilter
{
  GstBaseTransform parent;

  /* Properties, under the object lock. */
  GstAllocConstraints *constraints;
  GstAllocSolver *solver;
  gboolean check;
  gchar *device;
  guint64 pool_budget;

  /* Streaming state, under the object lock. */
  GstVideoInfo info;
  gboolean have_info;
  guint64 violations;
  GHashTable *warned;           /* violation messages already posted */
};

enum
{
  PROP_0,
  PROP_CONSTRAINTS,
  PROP_SOLVER,
  PROP_CHECK,
  PROP_VIOLATIONS,
  PROP_DEVICE,
  PROP_POOL_BUDGET,
};

#define DEFAULT_CHECK FALSE

#define ALLOC_FILTER_CAPS \
  GST_VIDEO_CAPS_MAKE_WITH_FEATURES ("ANY", GST_VIDEO_FORMATS_ALL) \
  GST_ALLOC_DMA_DRM_TEMPLATE_CAPS

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (ALLOC_FILTER_CAPS));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (ALLOC_FILTER_CAPS));

G_DEFINE_TYPE (GstAllocFilter, gst_alloc_filter, GST_TYPE_BASE_TRANSFORM);
GST_ELEMENT_REGISTER_DEFINE (allocfilter, "allocfilter", GST_RANK_NONE,
    GST_TYPE_ALLOC_FILTER);

/* ---- ALLOCATION query ---- */

/* Who answered downstream, to name it in conflicts. */
static gchar *
gst_alloc_filter_downstream_name (GstAllocFilter * self)
{
  GstPad *peer = gst_pad_get_peer (GST_BASE_TRANSFORM_SRC_PAD (self));
  GstObject *parent = peer ? gst_object_get_parent (GST_OBJECT (peer)) : NULL;
  gchar *name = parent ? gst_object_get_name (parent) : g_strdup ("downstream");

  gst_clear_object (&parent);
  gst_clear_object (&peer);
  return name;
}

/* Our constraints, with the device's merged in when one is named: read
 * now, because the format and size are only known from the query. */
static GstAllocConstraints *
gst_alloc_filter_own_constraints (GstAllocFilter * self, GstQuery * query,
    GError ** error)
{
  GstAllocConstraints *ours, *device_set;
  GstVideoInfo info;
  GstCaps *caps = NULL;
  gchar *device;
  gboolean ok;

  GST_OBJECT_LOCK (self);
  ours = gst_alloc_constraints_copy (self->constraints);
  device = g_strdup (self->device);
  GST_OBJECT_UNLOCK (self);
  if (!device)
    return ours;

  gst_query_parse_allocation (query, &caps, NULL);
  if (!caps || !gst_alloc_video_info_from_caps (&info, caps)) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE,
        "the constraints of %s need raw video caps, not %" GST_PTR_FORMAT,
        device, caps);
    ok = FALSE;
  } else {
    device_set = gst_alloc_constraints_from_device (device, &info, error);
    ok = device_set && gst_alloc_constraints_merge_into (ours, device_set,
        error);
    gst_alloc_constraints_free (device_set);
  }
  g_free (device);
  if (!ok)
    g_clear_pointer (&ours, gst_alloc_constraints_free);
  return ours;
}

/* Asks downstream and merges its answer with our constraints. A
 * downstream that does not answer (stock fakesink) needs nothing. */
static GstAllocConstraints *
gst_alloc_filter_merge_downstream (GstAllocFilter * self,
    GstAllocConstraints * ours, GstQuery * query, GError ** error)
{
  GstAllocConstraints *downstream, *merged = NULL;
  gchar *origin;

  if (!gst_pad_peer_query (GST_BASE_TRANSFORM_SRC_PAD (self), query))
    GST_DEBUG_OBJECT (self, "downstream did not answer the allocation query");

  origin = gst_alloc_filter_downstream_name (self);
  downstream = gst_alloc_constraints_from_allocation_query (query, origin,
      error);
  g_free (origin);
  if (!downstream)
    return NULL;

  merged = gst_alloc_constraints_merge (ours, downstream, error);
  gst_alloc_constraints_free (downstream);
  return merged;
}

/* The device could not be read, or its needs conflict with ours. */
static void
gst_alloc_filter_device_error (GstAllocFilter * self, const GError * err)
{
  if (g_error_matches (err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
        ("Cannot read the device's constraints: %s", err->message), (NULL));
  else if (err->domain == G_FILE_ERROR)
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
        ("Cannot read the device's constraints: %s", err->message), (NULL));
  else
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("Cannot use the device's constraints: %s", err->message), (NULL));
}

static gboolean
gst_alloc_filter_answer_allocation (GstAllocFilter * self, GstQuery * query)
{
  GstAllocConstraints *ours, *merged;
  GstAllocSolver *solver;
  GstBufferPool *pool;
  guint64 budget;
  GError *err = NULL;

  ours = gst_alloc_filter_own_constraints (self, query, &err);
  if (!ours) {
    gst_alloc_filter_device_error (self, err);
    g_clear_error (&err);
    return FALSE;
  }
  merged = gst_alloc_filter_merge_downstream (self, ours, query, &err);
  gst_alloc_constraints_free (ours);
  if (!merged) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("Cannot combine these constraints with downstream's: %s",
            err->message), (NULL));
    g_clear_error (&err);
    return FALSE;
  }

  GST_OBJECT_LOCK (self);
  solver = self->solver ? gst_object_ref (self->solver) : NULL;
  budget = self->pool_budget;
  GST_OBJECT_UNLOCK (self);
  pool = gst_alloc_element_new_pool (GST_ELEMENT (self), solver, "pool",
      budget);
  gst_clear_object (&solver);
  /* A pool is offered even when upstream did not ask for one (tee): that
   * is allowed, and the constraints travel with it. */
  if (!gst_alloc_query_answer_with_pool (query, merged, pool, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Cannot allocate memory satisfying the constraints: %s",
            err->message), (NULL));
    g_clear_error (&err);
    gst_alloc_constraints_free (merged);
    gst_object_unref (pool);
    return FALSE;
  }
  GST_DEBUG_OBJECT (self, "offered %" GST_PTR_FORMAT, pool);
  gst_alloc_constraints_free (merged);
  gst_object_unref (pool);
  return TRUE;
}

/* DMA_DRM caps with a tiled or compressed modifier: the layout is the
 * hardware's, no pool of ours can hold it, so downstream answers alone. */
static gboolean
is_tiled_allocation (GstQuery * query)
{
  GstVideoInfo info;
  GstCaps *caps = NULL;

  gst_query_parse_allocation (query, &caps, NULL);
  return caps && gst_alloc_caps_are_dma_drm (caps)
      && !gst_alloc_video_info_from_caps (&info, caps);
}

static gboolean
gst_alloc_filter_query (GstBaseTransform * trans, GstPadDirection direction,
    GstQuery * query)
{
  GstAllocFilter *self = GST_ALLOC_FILTER (trans);

  if (direction == GST_PAD_SINK && GST_QUERY_TYPE (query) ==
      GST_QUERY_ALLOCATION && is_tiled_allocation (query)) {
    GST_INFO_OBJECT (self, "tiled DMA_DRM caps: downstream answers alone");
    return gst_pad_peer_query (GST_BASE_TRANSFORM_SRC_PAD (self), query);
  }
  if (direction == GST_PAD_SINK && GST_QUERY_TYPE (query) ==
      GST_QUERY_ALLOCATION)
    return gst_alloc_filter_answer_allocation (self, query);

  return GST_BASE_TRANSFORM_CLASS (gst_alloc_filter_parent_class)->query
      (trans, direction, query);
}

/* ---- caps: the drm-formats of the constraints narrow DMA_DRM caps ---- */

/* Passes caps through, the DMA_DRM ones narrowed to the drm-formats of the
 * constraints, both ways: what this filter lets through is what its
 * constraints accept. Plain raw video is untouched. */
static GstCaps *
gst_alloc_filter_transform_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter)
{
  GstAllocFilter *self = GST_ALLOC_FILTER (trans);
  GstAllocConstraints *c;
  GstCaps *narrowed, *result;

  GST_OBJECT_LOCK (self);
  c = gst_alloc_constraints_copy (self->constraints);
  GST_OBJECT_UNLOCK (self);
  narrowed = gst_alloc_constraints_filter_caps (c, caps);
  gst_alloc_constraints_free (c);
  if (!filter)
    return narrowed;
  result = gst_caps_intersect_full (filter, narrowed, GST_CAPS_INTERSECT_FIRST);
  gst_caps_unref (narrowed);
  return result;
}

/* ---- checking buffers ---- */

static gboolean
gst_alloc_filter_set_caps (GstBaseTransform * trans, GstCaps * incaps,
    GstCaps * outcaps)
{
  GstAllocFilter *self = GST_ALLOC_FILTER (trans);
  GstVideoInfo info;
  gboolean have_info;

  have_info = gst_alloc_video_info_from_caps (&info, incaps);
  if (!have_info && !gst_alloc_caps_are_dma_drm (incaps)) {
    GST_ERROR_OBJECT (self, "not raw video caps: %" GST_PTR_FORMAT, incaps);
    return FALSE;
  }
  /* A tiled DMA_DRM stream passes, unchecked: its layout is the
   * hardware's. */
  if (!have_info)
    GST_INFO_OBJECT (self, "%" GST_PTR_FORMAT " has no linear layout to "
        "check buffers against", incaps);
  GST_OBJECT_LOCK (self);
  self->info = info;
  self->have_info = have_info;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

/* Counts a violation; TRUE when @message was not seen before. */
static gboolean
gst_alloc_filter_count_violation (GstAllocFilter * self, const gchar * message)
{
  gboolean first;

  GST_OBJECT_LOCK (self);
  self->violations++;
  first = g_hash_table_add (self->warned, g_strdup (message));
  GST_OBJECT_UNLOCK (self);
  return first;
}

static GstFlowReturn
gst_alloc_filter_transform_ip (GstBaseTransform * trans, GstBuffer * buffer)
{
  GstAllocFilter *self = GST_ALLOC_FILTER (trans);
  GstAllocConstraints *c = NULL;
  GstVideoInfo info;
  GError *err = NULL;

  GST_OBJECT_LOCK (self);
  if (self->check && self->have_info) {
    c = gst_alloc_constraints_copy (self->constraints);
    info = self->info;
  }
  GST_OBJECT_UNLOCK (self);
  if (!c)
    return GST_FLOW_OK;

  if (!gst_alloc_constraints_check_buffer (c, &info, buffer, &err)) {
    GST_INFO_OBJECT (self, "%" GST_PTR_FORMAT " violates the constraints: %s",
        buffer, err->message);
    if (gst_alloc_filter_count_violation (self, err->message))
      GST_ELEMENT_WARNING (self, STREAM, FAILED,
          ("Buffer violates the constraints: %s", err->message),
          ("%" GST_PTR_FORMAT "; warned once per distinct violation", buffer));
    g_clear_error (&err);
  }
  gst_alloc_constraints_free (c);
  return GST_FLOW_OK;
}

static gboolean
gst_alloc_filter_start (GstBaseTransform * trans)
{
  GstAllocFilter *self = GST_ALLOC_FILTER (trans);

  GST_OBJECT_LOCK (self);
  self->violations = 0;
  self->have_info = FALSE;
  g_hash_table_remove_all (self->warned);
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

/* ---- states ---- */

/* Whether the node opens: a missing one (ENOENT) or one this user may not
 * open (EACCES, as /dev/dma_heap and many /dev/video nodes are on a
 * desktop) is said with the errno text. The format is not known yet, so
 * only the device itself is read. */
static gboolean
gst_alloc_filter_device_opens (const gchar * device, GError ** error)
{
  gchar *description = gst_alloc_device_describe (device, NULL, error);

  g_free (description);
  return description != NULL;
}

static gboolean
gst_alloc_filter_check_device (GstAllocFilter * self)
{
  GError *err = NULL;
  gchar *device;
  gboolean ok;

  GST_OBJECT_LOCK (self);
  device = g_strdup (self->device);
  GST_OBJECT_UNLOCK (self);
  ok = !device || gst_alloc_filter_device_opens (device, &err);
  if (!ok) {
    gst_alloc_filter_device_error (self, err);
    g_clear_error (&err);
  }
  g_free (device);
  return ok;
}

static GstStateChangeReturn
gst_alloc_filter_change_state (GstElement * element, GstStateChange transition)
{
  GstAllocFilter *self = GST_ALLOC_FILTER (element);

  if (!gst_alloc_element_check_refusals (element, transition))
    return GST_STATE_CHANGE_FAILURE;
  /* Both ways up, since the device may be named in NULL or in READY. */
  if ((transition == GST_STATE_CHANGE_NULL_TO_READY
          || transition == GST_STATE_CHANGE_READY_TO_PAUSED)
      && !gst_alloc_filter_check_device (self))
    return GST_STATE_CHANGE_FAILURE;
  return GST_ELEMENT_CLASS (gst_alloc_filter_parent_class)->change_state
      (element, transition);
}

/* ---- properties ---- */

/* Stopped, the node is tried on the next state change (it may appear by
 * then); running, it is tried now, since the next ALLOCATION query would
 * otherwise fail mid-stream. */
static void
gst_alloc_filter_set_device (GstAllocFilter * self, const gchar * device)
{
  gboolean running;
  GError *err = NULL;

  if (device && !*device)
    device = NULL;
  GST_OBJECT_LOCK (self);
  running = GST_STATE (self) > GST_STATE_READY;
  GST_OBJECT_UNLOCK (self);
  if (running && device && !gst_alloc_filter_device_opens (device, &err)) {
    gst_alloc_element_refuse (GST_ELEMENT (self), "device", device, err);
    g_clear_error (&err);
    return;
  }
  gst_alloc_element_accept (GST_ELEMENT (self), "device");
  GST_OBJECT_LOCK (self);
  g_free (self->device);
  self->device = g_strdup (device);
  GST_OBJECT_UNLOCK (self);
  gst_alloc_transform_renegotiate (GST_BASE_TRANSFORM (self));
}

static void
gst_alloc_filter_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstAllocFilter *self = GST_ALLOC_FILTER (object);
  switch (prop_id) {
    case PROP_CONSTRAINTS:
      if (gst_alloc_element_set_constraints (GST_ELEMENT (self), value,
              &self->constraints))
        gst_alloc_transform_renegotiate (GST_BASE_TRANSFORM (self));
      break;
    case PROP_SOLVER:
      gst_alloc_element_set_solver (GST_ELEMENT (self), value, &self->solver);
      break;
    case PROP_CHECK:
      GST_OBJECT_LOCK (self);
      self->check = g_value_get_boolean (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_DEVICE:
      gst_alloc_filter_set_device (self, g_value_get_string (value));
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
gst_alloc_filter_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstAllocFilter *self = GST_ALLOC_FILTER (object);

  switch (prop_id) {
    case PROP_CONSTRAINTS:
      gst_alloc_element_get_constraints (GST_ELEMENT (self),
          self->constraints, value);
      break;
    case PROP_SOLVER:
      GST_OBJECT_LOCK (self);
      g_value_set_object (value, self->solver);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_CHECK:
      GST_OBJECT_LOCK (self);
      g_value_set_boolean (value, self->check);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_VIOLATIONS:
      GST_OBJECT_LOCK (self);
      g_value_set_uint64 (value, self->violations);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_DEVICE:
      GST_OBJECT_LOCK (self);
      g_value_set_string (value, self->device);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_POOL_BUDGET:
      GST_OBJECT_LOCK (self);
      g_value_set_uint64 (value, self->pool_budget);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_alloc_filter_finalize (GObject * object)
{
  GstAllocFilter *self = GST_ALLOC_FILTER (object);

  gst_alloc_constraints_free (self->constraints);
  gst_clear_object (&self->solver);
  g_free (self->device);
  g_hash_table_unref (self->warned);

  G_OBJECT_CLASS (gst_alloc_filter_parent_class)->finalize (object);
}

static void
gst_alloc_filter_install_properties (GObjectClass * gobject_class)
{
  g_object_class_install_property (gobject_class, PROP_CONSTRAINTS,
      gst_alloc_element_constraints_pspec ("What this element adds to the "
          "ALLOCATION query, merged with downstream's; changing it makes "
          "upstream ask again"));
  g_object_class_install_property (gobject_class, PROP_SOLVER,
      gst_alloc_element_solver_pspec ());
  g_object_class_install_property (gobject_class, PROP_CHECK,
      g_param_spec_boolean ("check", "Check",
          "Verify each buffer against this element's own constraints, "
          "counting violations and warning once per distinct violation",
          DEFAULT_CHECK, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_DEVICE,
      g_param_spec_string ("device", "Device",
          "A V4L2 or DRM device node (/dev/video1, /dev/dri/card0) whose "
          "needs for the negotiated format and size are read from its "
          "driver and merged with the constraints; NULL for none. Opened "
          "on the way to READY and PAUSED: a node that is missing or not "
          "accessible fails that state change",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_POOL_BUDGET,
      gst_alloc_element_pool_budget_pspec ());
  g_object_class_install_property (gobject_class, PROP_VIOLATIONS,
      g_param_spec_uint64 ("violations", "Violations",
          "Buffers that violated this element's constraints since it "
          "started (counted only while check is set)", 0, G_MAXUINT64, 0,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void
gst_alloc_filter_class_init (GstAllocFilterClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);

  gst_alloc_elements_init ();
  GST_DEBUG_CATEGORY_INIT (gst_alloc_filter_debug, "allocfilter", 0,
      "Constraint filter for ALLOCATION queries");

  gobject_class->set_property = gst_alloc_filter_set_property;
  gobject_class->get_property = gst_alloc_filter_get_property;
  gobject_class->finalize = gst_alloc_filter_finalize;
  gst_alloc_filter_install_properties (gobject_class);
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_alloc_filter_change_state);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Allocation filter", "Filter/Video",
      "Adds constraints to ALLOCATION queries (a capsfilter for allocation) "
      "and offers a pool satisfying them merged with downstream's",
      "gst-alloc developers");

  trans_class->query = GST_DEBUG_FUNCPTR (gst_alloc_filter_query);
  trans_class->transform_caps =
      GST_DEBUG_FUNCPTR (gst_alloc_filter_transform_caps);
  trans_class->set_caps = GST_DEBUG_FUNCPTR (gst_alloc_filter_set_caps);
  trans_class->transform_ip = GST_DEBUG_FUNCPTR (gst_alloc_filter_transform_ip);
  trans_class->transform_ip_on_passthrough = TRUE;
  trans_class->start = GST_DEBUG_FUNCPTR (gst_alloc_filter_start);
}

static void
gst_alloc_filter_init (GstAllocFilter * self)
{
  GstBaseTransform *trans = GST_BASE_TRANSFORM (self);

  self->constraints = gst_alloc_constraints_new ();
  self->check = DEFAULT_CHECK;
  self->warned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gst_video_info_init (&self->info);
  gst_base_transform_set_passthrough (trans, TRUE);
  gst_base_transform_set_in_place (trans, TRUE);
}
