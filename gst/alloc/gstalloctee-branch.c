/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One branch of alloctee: a source pad that knows what its peer needs, how
 * it is served (zero-copy, converted or refused), and counts what it did. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloctee.h"

GST_DEBUG_CATEGORY_EXTERN (gst_alloc_tee_debug);
#define GST_CAT_DEFAULT gst_alloc_tee_debug

enum
{
  PROP_0,
  PROP_MODE,
  PROP_REASON,
  PROP_CONSTRAINTS,
  PROP_BUFFERS,
  PROP_COPIES,
  PROP_VIEWS,
  PROP_BYTES_COPIED,
  PROP_REFUSED,
  PROP_IN_FLIGHT,
  PROP_LAST_COPY_REASON,
};

static GParamSpec *pspec_mode;

G_DEFINE_TYPE (GstAllocTeeBranch, gst_alloc_tee_branch, GST_TYPE_PAD);

GType
gst_alloc_tee_branch_mode_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_ALLOC_TEE_BRANCH_ZERO_COPY, "Receives the memory of the tee's own "
          "buffers", "zero-copy"},
    {GST_ALLOC_TEE_BRANCH_CONVERTED, "Receives copies from a pool of its own",
        "converted"},
    {GST_ALLOC_TEE_BRANCH_REFUSED, "Receives nothing: it would need copies, "
          "which allow-copies forbids, or takes no caps the tee can give",
        "refused"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type,
        g_enum_register_static ("GstAllocTeeBranchMode", values));
  return type;
}

static const gchar *
mode_name (GstAllocTeeBranchMode mode)
{
  GEnumClass *klass = g_type_class_ref (GST_TYPE_ALLOC_TEE_BRANCH_MODE);
  const gchar *name = g_enum_get_value (klass, mode)->value_nick;

  g_type_class_unref (klass);
  return name;
}

void
gst_alloc_tee_branch_set_decision (GstAllocTeeBranch * branch,
    const GstAllocConstraints * constraints, GstAllocTeeBranchMode mode,
    gboolean view, const gchar * reason, GstBufferPool * pool)
{
  GstAllocConstraints *old_constraints;
  GstBufferPool *old_pool, *dropped = NULL;
  gchar *old_reason, *old_decision_reason;
  gboolean changed;

  GST_OBJECT_LOCK (branch);
  old_constraints = branch->constraints;
  old_pool = branch->pool;
  old_reason = branch->reason;
  old_decision_reason = branch->decision_reason;
  changed = branch->mode != mode;
  branch->constraints = constraints ? gst_alloc_constraints_copy (constraints)
      : NULL;
  branch->decided = constraints != NULL;
  branch->mode = mode;
  branch->reason = g_strdup (reason);
  branch->decision_reason = g_strdup (reason);
  branch->conflict = constraints && mode != GST_ALLOC_TEE_BRANCH_ZERO_COPY;
  branch->view = view && mode == GST_ALLOC_TEE_BRANCH_ZERO_COPY;
  branch->view_logged = FALSE;
  /* A negotiation that ran while the branch was being released must not
   * leave it a pool that nobody would deactivate. */
  branch->pool = branch->released ? NULL : pool;
  if (branch->released && pool)
    dropped = pool;
  branch->refusal_posted = FALSE;
  branch->renegotiation_asked = FALSE;
  GST_OBJECT_UNLOCK (branch);

  /* A copy in progress holds its own reference: it sees a flushing pool
   * and gives up on that frame. A pool kept by the new decision stays. */
  if (old_pool && old_pool != pool)
    gst_buffer_pool_set_active (old_pool, FALSE);
  g_clear_object (&old_pool);
  if (dropped) {
    gst_buffer_pool_set_active (dropped, FALSE);
    gst_object_unref (dropped);
  }
  gst_alloc_constraints_free (old_constraints);
  g_free (old_reason);
  g_free (old_decision_reason);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (branch), pspec_mode);
}

void
gst_alloc_tee_branch_set_mode (GstAllocTeeBranch * branch,
    GstAllocTeeBranchMode mode, const gchar * reason)
{
  gboolean changed;

  GST_OBJECT_LOCK (branch);
  changed = branch->mode != mode;
  branch->mode = mode;
  if (g_strcmp0 (branch->reason, reason) != 0) {
    g_free (branch->reason);
    branch->reason = g_strdup (reason);
  }
  GST_OBJECT_UNLOCK (branch);
  if (changed) {
    GST_INFO_OBJECT (branch, "now %s: %s", mode_name (mode), reason);
    g_object_notify_by_pspec (G_OBJECT (branch), pspec_mode);
  }
}

GstAllocTeeBranchMode
gst_alloc_tee_branch_get_mode (GstAllocTeeBranch * branch)
{
  GstAllocTeeBranchMode mode;

  GST_OBJECT_LOCK (branch);
  mode = branch->mode;
  GST_OBJECT_UNLOCK (branch);
  return mode;
}

gboolean
gst_alloc_tee_branch_is_view (GstAllocTeeBranch * branch)
{
  gboolean view;

  GST_OBJECT_LOCK (branch);
  view = branch->view;
  GST_OBJECT_UNLOCK (branch);
  return view;
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
gst_alloc_tee_branch_release (GstAllocTeeBranch * branch)
{
  GST_OBJECT_LOCK (branch);
  branch->released = TRUE;
  GST_OBJECT_UNLOCK (branch);
}

void
gst_alloc_tee_branch_finish_release (GstAllocTeeBranch * branch)
{
  GstBufferPool *pool;

  /* As with tee, a push already under way is not waited for: it may be
   * blocked downstream, which is often why the branch goes. It holds its
   * own references; a copy into the pool dropped here sees it flushing. */
  GST_OBJECT_LOCK (branch);
  pool = g_steal_pointer (&branch->pool);
  GST_OBJECT_UNLOCK (branch);
  /* Its copies' memory goes now, not when the last reference to the pad
   * does (an application may keep the pad for its counters). */
  if (pool) {
    gst_buffer_pool_set_active (pool, FALSE);
    gst_object_unref (pool);
  }
}

gboolean
gst_alloc_tee_branch_is_released (GstAllocTeeBranch * branch)
{
  gboolean released;

  GST_OBJECT_LOCK (branch);
  released = branch->released;
  GST_OBJECT_UNLOCK (branch);
  return released;
}

guint
gst_alloc_tee_branch_get_in_flight (GstAllocTeeBranch * branch)
{
  return MAX (g_atomic_int_get (&branch->in_flight), 0);
}

void
gst_alloc_tee_branch_forget_stream (GstAllocTeeBranch * branch)
{
  GstAllocTeeBranchMode mode;
  gchar *reason;

  /* The mode and its reason stay readable after the stream stopped: an
   * application asks how its run went once it is over. */
  GST_OBJECT_LOCK (branch);
  mode = branch->mode;
  reason = g_strdup (branch->reason);
  GST_OBJECT_UNLOCK (branch);
  gst_alloc_tee_branch_set_decision (branch, NULL, mode, FALSE, reason, NULL);
  g_free (reason);
  gst_alloc_tee_branch_set_format (branch, NULL, NULL);
  GST_OBJECT_LOCK (branch);
  branch->format_settled = FALSE;
  branch->takes_nothing = FALSE;
  GST_OBJECT_UNLOCK (branch);
}

void
gst_alloc_tee_branch_reset (GstAllocTeeBranch * branch)
{
  gst_alloc_tee_branch_set_decision (branch, NULL,
      GST_ALLOC_TEE_BRANCH_ZERO_COPY, FALSE, NULL, NULL);
  gst_alloc_tee_branch_forget_stream (branch);
  g_clear_pointer (&branch->converter, gst_video_converter_free);
  GST_OBJECT_LOCK (branch);
  branch->buffers = branch->copies = branch->views = 0;
  branch->bytes_copied = 0;
  branch->refused = 0;
  g_clear_pointer (&branch->last_copy_reason, g_free);
  GST_OBJECT_UNLOCK (branch);
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
      "mode", G_TYPE_STRING, mode_name (branch->mode),
      "view", G_TYPE_BOOLEAN, branch->view,
      "reason", G_TYPE_STRING, branch->reason ? branch->reason : "",
      "constraints", G_TYPE_STRING, wanted, NULL);
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
    case PROP_VIEWS:
      g_value_set_uint64 (value, branch->views);
      break;
    case PROP_BYTES_COPIED:
      g_value_set_uint64 (value, branch->bytes_copied);
      break;
    case PROP_REFUSED:
      g_value_set_uint64 (value, branch->refused);
      break;
    case PROP_IN_FLIGHT:
      g_value_set_uint (value, gst_alloc_tee_branch_get_in_flight (branch));
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

  pspec_mode = g_param_spec_enum ("mode", "Mode", "How the branch is served "
      "now (notified when it changes)", GST_TYPE_ALLOC_TEE_BRANCH_MODE,
      GST_ALLOC_TEE_BRANCH_ZERO_COPY, ro);
  g_object_class_install_property (gobject_class, PROP_MODE, pspec_mode);
  g_object_class_install_property (gobject_class, PROP_REASON,
      g_param_spec_string ("reason", "Reason",
          "Why the branch is served as it is (for a converted branch: the "
          "conflict, naming the field and who asked, or the producer that "
          "ignored the tee's pool; for a branch served through views, "
          "\"zero-copy (view): \", the conflict and what the view gives)",
          NULL, ro));
  g_object_class_install_property (gobject_class, PROP_CONSTRAINTS,
      g_param_spec_string ("constraints", "Constraints",
          "What the branch's peer asked for in the ALLOCATION query", NULL,
          ro));
  g_object_class_install_property (gobject_class, PROP_BUFFERS,
      g_param_spec_uint64 ("buffers", "Buffers", "Buffers that came to "
          "the branch: handed over (as they are, as views or as copies) or "
          "refused", 0, G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_COPIES,
      g_param_spec_uint64 ("copies", "Copies", "Buffers the branch received "
          "as copies", 0, G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_VIEWS,
      g_param_spec_uint64 ("views", "Views", "Buffers the branch received "
          "as views: the tee's memory described as it needs (one memory "
          "per plane, the default layout), no byte copied; not counted in "
          "copies", 0, G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_BYTES_COPIED,
      g_param_spec_uint64 ("bytes-copied", "Bytes copied", "Bytes copied "
          "for the branch", 0, G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_REFUSED,
      g_param_spec_uint64 ("refused", "Refused", "Buffers not given to the "
          "branch: it would have needed a copy and allow-copies is false, "
          "or it takes none of the stream's formats", 0, G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_IN_FLIGHT,
      g_param_spec_uint ("in-flight", "In flight", "Buffers of the tee the "
          "branch holds right now (queued, or kept by its consumer)", 0,
          G_MAXUINT, 0, ro));
  g_object_class_install_property (gobject_class, PROP_LAST_COPY_REASON,
      g_param_spec_string ("last-copy-reason", "Last copy reason",
          "Why the branch last received a copy: its conflict, or a buffer "
          "from a producer that ignored the offered pool and does not fit",
          NULL, ro));
}

static void
gst_alloc_tee_branch_init (GstAllocTeeBranch * branch)
{
  branch->mode = GST_ALLOC_TEE_BRANCH_ZERO_COPY;
}
