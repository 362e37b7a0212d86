/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One branch of alloctee: a source pad that knows what its peer needs, how
 * it is served (zero-copy or converted), and counts what it did. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloctee.h"

GST_DEBUG_CATEGORY_EXTERN (gst_alloc_tee_debug);
#define GST_CAT_DEFAULT gst_alloc_tee_debug

struct _GstAllocTeeBranch
{
  GstPad parent;

  /* Decision, replaced by each negotiation; under the object lock. */
  GstAllocConstraints *constraints;
  GstAllocTeeBranchMode mode;
  gchar *reason;
  GstBufferPool *pool;
  /* Set when the peer takes none of the stream's formats: the branch gets
   * its own caps and every frame converted into them. */
  gboolean converts_format;
  GstVideoInfo out_info;
  gchar *format_reason;

  /* Streaming thread only. */
  GstVideoConverter *converter;
  GstVideoInfo converter_in;

  /* Counters, only written by the streaming thread. */
  guint64 buffers;
  guint64 copies;
  guint64 bytes_copied;
  gchar *last_copy_reason;
};

enum
{
  PROP_0,
  PROP_MODE,
  PROP_REASON,
  PROP_CONSTRAINTS,
  PROP_BUFFERS,
  PROP_COPIES,
  PROP_BYTES_COPIED,
  PROP_LAST_COPY_REASON,
};

G_DEFINE_TYPE (GstAllocTeeBranch, gst_alloc_tee_branch, GST_TYPE_PAD);

GType
gst_alloc_tee_branch_mode_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_ALLOC_TEE_BRANCH_ZERO_COPY, "Receives the tee's own buffers",
        "zero-copy"},
    {GST_ALLOC_TEE_BRANCH_CONVERTED, "Receives copies from a pool of its own",
        "converted"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type,
        g_enum_register_static ("GstAllocTeeBranchMode", values));
  return type;
}

void
gst_alloc_tee_branch_set_decision (GstAllocTeeBranch * branch,
    const GstAllocConstraints * constraints, GstAllocTeeBranchMode mode,
    const gchar * reason, GstBufferPool * pool)
{
  GstAllocConstraints *old_constraints;
  GstBufferPool *old_pool;
  gchar *old_reason;

  GST_OBJECT_LOCK (branch);
  old_constraints = branch->constraints;
  old_pool = branch->pool;
  old_reason = branch->reason;
  branch->constraints = constraints ? gst_alloc_constraints_copy (constraints)
      : NULL;
  branch->mode = mode;
  branch->reason = g_strdup (reason);
  branch->pool = pool;
  GST_OBJECT_UNLOCK (branch);

  if (old_pool) {
    gst_buffer_pool_set_active (old_pool, FALSE);
    gst_object_unref (old_pool);
  }
  gst_alloc_constraints_free (old_constraints);
  g_free (old_reason);
}

void
gst_alloc_tee_branch_set_format (GstAllocTeeBranch * branch,
    const GstVideoInfo * out_info, const gchar * reason)
{
  GST_OBJECT_LOCK (branch);
  branch->converts_format = out_info != NULL;
  if (out_info)
    branch->out_info = *out_info;
  g_free (branch->format_reason);
  branch->format_reason = g_strdup (reason);
  GST_OBJECT_UNLOCK (branch);
}

gboolean
gst_alloc_tee_branch_get_format (GstAllocTeeBranch * branch,
    GstVideoInfo * out_info, gchar ** reason)
{
  gboolean converts;

  GST_OBJECT_LOCK (branch);
  converts = branch->converts_format;
  if (converts && out_info)
    *out_info = branch->out_info;
  if (converts && reason)
    *reason = g_strdup (branch->format_reason);
  GST_OBJECT_UNLOCK (branch);
  return converts;
}

void
gst_alloc_tee_branch_reset (GstAllocTeeBranch * branch)
{
  gst_alloc_tee_branch_set_decision (branch, NULL,
      GST_ALLOC_TEE_BRANCH_ZERO_COPY, NULL, NULL);
  gst_alloc_tee_branch_set_format (branch, NULL, NULL);
  g_clear_pointer (&branch->converter, gst_video_converter_free);
  branch->buffers = branch->copies = branch->bytes_copied = 0;
  g_clear_pointer (&branch->last_copy_reason, g_free);
}

/* A branch that must copy without a pool of its own (upstream did not use
 * the tee's pool) gets one now, for its own constraints. */
static GstBufferPool *
ensure_pool (GstAllocTeeBranch * branch, const GstAllocConstraints * c,
    const GstVideoInfo * info, GstAllocSolver * solver, GError ** error)
{
  GstCaps *caps = gst_video_info_to_caps (info);
  GstQuery *query = gst_query_new_allocation (caps, TRUE);
  GstBufferPool *pool;
  gchar *name = g_strdup_printf ("%s-pool", GST_OBJECT_NAME (branch));

  pool = gst_alloc_query_answer (query, c, solver, name, error);
  g_free (name);
  gst_query_unref (query);
  gst_caps_unref (caps);
  return pool;
}

/* The converter from the stream's format to the branch's, made again when
 * the stream's format changes. */
static GstVideoConverter *
converter_for (GstAllocTeeBranch * branch, const GstVideoInfo * in,
    const GstVideoInfo * out)
{
  if (branch->converter && gst_video_info_is_equal (&branch->converter_in, in))
    return branch->converter;
  g_clear_pointer (&branch->converter, gst_video_converter_free);
  branch->converter = gst_video_converter_new ((GstVideoInfo *) in,
      (GstVideoInfo *) out, NULL);
  branch->converter_in = *in;
  return branch->converter;
}

/* Copies @in into a buffer from @pool, converting the format when
 * @converter is given. */
static GstBuffer *
copy_frame (GstBufferPool * pool, GstBuffer * in, const GstVideoInfo * info,
    const GstVideoInfo * out_info, GstVideoConverter * converter,
    GError ** error)
{
  GstVideoFrame src, dst;
  GstBuffer *out = NULL;
  gboolean copied = TRUE;

  if (!gst_buffer_pool_is_active (pool)
      && !gst_buffer_pool_set_active (pool, TRUE)) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_UNSATISFIABLE,
        "the branch's pool could not allocate its buffers");
    return NULL;
  }
  if (gst_buffer_pool_acquire_buffer (pool, &out, NULL) != GST_FLOW_OK) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_UNSATISFIABLE,
        "no buffer from the branch's pool");
    return NULL;
  }
  if (!gst_video_frame_map (&src, info, in, GST_MAP_READ)) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
        "the incoming buffer does not map as %s", GST_VIDEO_INFO_NAME (info));
    gst_buffer_unref (out);
    return NULL;
  }
  if (!gst_video_frame_map (&dst, out_info, out, GST_MAP_WRITE)) {
    gst_video_frame_unmap (&src);
    gst_buffer_unref (out);
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
        "the branch's buffer does not map for writing");
    return NULL;
  }
  if (converter)
    gst_video_converter_frame (converter, &src, &dst);
  else
    copied = gst_video_frame_copy (&dst, &src);
  gst_video_frame_unmap (&dst);
  gst_video_frame_unmap (&src);
  if (!copied) {
    gst_buffer_unref (out);
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
        "the frame could not be copied");
    return NULL;
  }
  /* Not the metas: the source's GstVideoMeta describes another layout. */
  gst_buffer_copy_into (out, in, GST_BUFFER_COPY_FLAGS |
      GST_BUFFER_COPY_TIMESTAMPS, 0, -1);
  return out;
}

/* Why @buffer cannot go to this branch as it is, or NULL if it can. */
static gchar *
copy_reason (GstAllocTeeBranch * branch, GstBuffer * buffer,
    const GstVideoInfo * info, GstBufferPool * tee_pool)
{
  GError *err = NULL;
  gchar *why;

  if (branch->converts_format)
    return g_strdup (branch->format_reason);
  if (branch->mode == GST_ALLOC_TEE_BRANCH_CONVERTED)
    return g_strdup (branch->reason);
  /* Buffers from the tee's own pool satisfy every zero-copy branch by
   * construction; others (upstream kept its own pool) are checked. */
  if (!branch->constraints || (tee_pool && buffer->pool == tee_pool))
    return NULL;
  if (gst_alloc_constraints_check_buffer (branch->constraints, info, buffer,
          &err))
    return NULL;
  why = g_strdup_printf ("upstream did not use the offered pool and the "
      "buffer does not fit: %s", err->message);
  g_error_free (err);
  return why;
}

static GstFlowReturn
push_copy (GstAllocTeeBranch * branch, GstBuffer * buffer,
    const GstVideoInfo * info, GstAllocSolver * solver, gchar * why)
{
  GstBufferPool *pool;
  GstAllocConstraints *c;
  GstVideoInfo out_info;
  GstVideoConverter *converter = NULL;
  GstBuffer *copy = NULL;
  GError *err = NULL;

  GST_OBJECT_LOCK (branch);
  pool = branch->pool ? gst_object_ref (branch->pool) : NULL;
  c = branch->constraints ? gst_alloc_constraints_copy (branch->constraints) :
      gst_alloc_constraints_new ();
  out_info = branch->converts_format ? branch->out_info : *info;
  GST_OBJECT_UNLOCK (branch);
  if (!gst_video_info_is_equal (&out_info, info)
      && !(converter = converter_for (branch, info, &out_info))) {
    GST_ERROR_OBJECT (branch, "no converter from %s to %s",
        GST_VIDEO_INFO_NAME (info), GST_VIDEO_INFO_NAME (&out_info));
    gst_alloc_constraints_free (c);
    g_clear_object (&pool);
    gst_buffer_unref (buffer);
    g_free (why);
    return GST_FLOW_NOT_NEGOTIATED;
  }
  if (!pool && (pool = ensure_pool (branch, c, &out_info, solver, &err))) {
    GST_OBJECT_LOCK (branch);
    if (!branch->pool)
      branch->pool = gst_object_ref (pool);
    GST_OBJECT_UNLOCK (branch);
  }
  if (pool)
    copy = copy_frame (pool, buffer, info, &out_info, converter, &err);
  gst_alloc_constraints_free (c);
  g_clear_object (&pool);
  gst_buffer_unref (buffer);
  if (!copy) {
    GST_ERROR_OBJECT (branch, "cannot copy for this branch: %s", err->message);
    g_error_free (err);
    g_free (why);
    return GST_FLOW_ERROR;
  }
  GST_OBJECT_LOCK (branch);
  branch->copies++;
  branch->bytes_copied += GST_VIDEO_INFO_SIZE (&out_info);
  GST_OBJECT_UNLOCK (branch);
  if (g_strcmp0 (why, branch->last_copy_reason) != 0) {
    GST_CAT_INFO_OBJECT (gst_alloc_elements_performance, branch,
        "copying %" G_GSIZE_FORMAT " bytes per frame: %s",
        GST_VIDEO_INFO_SIZE (info), why);
    GST_OBJECT_LOCK (branch);
    g_free (branch->last_copy_reason);
    branch->last_copy_reason = why;
    GST_OBJECT_UNLOCK (branch);
  } else {
    g_free (why);
  }
  return gst_pad_push (GST_PAD (branch), copy);
}

GstFlowReturn
gst_alloc_tee_branch_push (GstAllocTeeBranch * branch, GstBuffer * buffer,
    const GstVideoInfo * info, GstBufferPool * tee_pool,
    GstAllocSolver * solver)
{
  gchar *why;

  GST_OBJECT_LOCK (branch);
  branch->buffers++;
  why = info ? copy_reason (branch, buffer, info, tee_pool) : NULL;
  GST_OBJECT_UNLOCK (branch);
  if (!why)
    return gst_pad_push (GST_PAD (branch), buffer);
  return push_copy (branch, buffer, info, solver, why);
}

/* Follows @element downstream while it is a simple filter (one sink pad,
 * one linked source pad), like a queue. */
static GstElement *
follow_filters (GstElement * element)
{
  GstPad *src, *peer;
  GstElement *next;

  while (element->numsinkpads == 1 && element->numsrcpads == 1) {
    src = gst_element_get_static_pad (element, "src");
    peer = src ? gst_pad_get_peer (src) : NULL;
    next = peer ? gst_pad_get_parent_element (peer) : NULL;
    g_clear_object (&peer);
    g_clear_object (&src);
    if (!next)
      break;
    gst_object_unref (element);
    element = next;
  }
  return element;
}

gchar *
gst_alloc_tee_branch_consumer_name (GstAllocTeeBranch * branch)
{
  GstPad *peer = gst_pad_get_peer (GST_PAD (branch));
  GstElement *element = peer ? gst_pad_get_parent_element (peer) : NULL;
  gchar *name;

  g_clear_object (&peer);
  if (!element)
    return gst_object_get_name (GST_OBJECT (branch));
  element = follow_filters (element);
  name = gst_object_get_name (GST_OBJECT (element));
  gst_object_unref (element);
  return name;
}

GstStructure *
gst_alloc_tee_branch_describe (GstAllocTeeBranch * branch)
{
  gchar *consumer = gst_alloc_tee_branch_consumer_name (branch);
  GstStructure *s;
  gchar *wanted;

  GST_OBJECT_LOCK (branch);
  wanted = branch->constraints ?
      gst_alloc_constraints_to_string (branch->constraints) : g_strdup ("");
  s = gst_structure_new ("branch",
      "pad", G_TYPE_STRING, GST_OBJECT_NAME (branch),
      "consumer", G_TYPE_STRING, consumer,
      "mode", G_TYPE_STRING,
      branch->mode == GST_ALLOC_TEE_BRANCH_ZERO_COPY ? "zero-copy" :
      "converted", "reason", G_TYPE_STRING, branch->reason ? branch->reason :
      "", "constraints", G_TYPE_STRING, wanted, NULL);
  GST_OBJECT_UNLOCK (branch);
  g_free (wanted);
  g_free (consumer);
  return s;
}

static void
gst_alloc_tee_branch_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstAllocTeeBranch *branch = GST_ALLOC_TEE_BRANCH (object);

  GST_OBJECT_LOCK (branch);
  switch (prop_id) {
    case PROP_MODE:
      g_value_set_enum (value, branch->mode);
      break;
    case PROP_REASON:
      g_value_set_string (value, branch->reason);
      break;
    case PROP_CONSTRAINTS:
      g_value_take_string (value, branch->constraints ?
          gst_alloc_constraints_to_string (branch->constraints) : NULL);
      break;
    case PROP_BUFFERS:
      g_value_set_uint64 (value, branch->buffers);
      break;
    case PROP_COPIES:
      g_value_set_uint64 (value, branch->copies);
      break;
    case PROP_BYTES_COPIED:
      g_value_set_uint64 (value, branch->bytes_copied);
      break;
    case PROP_LAST_COPY_REASON:
      g_value_set_string (value, branch->last_copy_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (branch);
}

static void
gst_alloc_tee_branch_finalize (GObject * object)
{
  GstAllocTeeBranch *branch = GST_ALLOC_TEE_BRANCH (object);

  gst_alloc_tee_branch_reset (branch);
  g_free (branch->format_reason);
  G_OBJECT_CLASS (gst_alloc_tee_branch_parent_class)->finalize (object);
}

static void
gst_alloc_tee_branch_class_init (GstAllocTeeBranchClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  gobject_class->get_property = gst_alloc_tee_branch_get_property;
  gobject_class->finalize = gst_alloc_tee_branch_finalize;

  g_object_class_install_property (gobject_class, PROP_MODE,
      g_param_spec_enum ("mode", "Mode", "How the branch is served",
          GST_TYPE_ALLOC_TEE_BRANCH_MODE, GST_ALLOC_TEE_BRANCH_ZERO_COPY, ro));
  g_object_class_install_property (gobject_class, PROP_REASON,
      g_param_spec_string ("reason", "Reason",
          "Why the branch is served as it is (for a converted branch: the "
          "conflict, naming the field and who asked)", NULL, ro));
  g_object_class_install_property (gobject_class, PROP_CONSTRAINTS,
      g_param_spec_string ("constraints", "Constraints",
          "What the branch's peer asked for in the ALLOCATION query", NULL,
          ro));
  g_object_class_install_property (gobject_class, PROP_BUFFERS,
      g_param_spec_uint64 ("buffers", "Buffers", "Buffers handed to the "
          "branch (pushed as they are or as copies)", 0, G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_COPIES,
      g_param_spec_uint64 ("copies", "Copies", "Buffers the branch received "
          "as copies", 0, G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_BYTES_COPIED,
      g_param_spec_uint64 ("bytes-copied", "Bytes copied", "Bytes copied "
          "for the branch", 0, G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_LAST_COPY_REASON,
      g_param_spec_string ("last-copy-reason", "Last copy reason",
          "Why the branch last received a copy: its conflict, or for a "
          "zero-copy branch a buffer from a producer that ignored the "
          "offered pool and does not fit", NULL, ro));
}

static void
gst_alloc_tee_branch_init (GstAllocTeeBranch * branch)
{
  branch->mode = GST_ALLOC_TEE_BRANCH_ZERO_COPY;
}
