/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How alloctee hands one buffer to one branch.
 *
 * A zero-copy branch gets a view: a GstBuffer of its own on the very same
 * memory. Views let the tee count what each branch still holds (the
 * answer to "who holds the buffers" when the pool runs dry), and the pool
 * recycles the parent once every view is gone. A branch whose needs
 * differ only in how a buffer describes its memory gets a view that
 * describes it as it needs (split or joined memories, a GstVideoMeta of
 * its own: gst_alloc_view_new()). A branch that needs other memory gets a
 * copy from a pool of its own; with allow-copies=false it gets nothing and
 * one error naming it, and the others go on.
 *
 * A buffer from the tee's pool fits every branch of the decision by
 * construction. A buffer from elsewhere (the producer ignored the pool)
 * is checked against each branch, and the producer is named once, with
 * the property that fixes it when there is one. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloctee.h"

#include <string.h>

GST_DEBUG_CATEGORY_EXTERN (gst_alloc_tee_debug);
#define GST_CAT_DEFAULT gst_alloc_tee_debug

static void
view_released (gpointer data, GstMiniObject * view)
{
  GstAllocTeeBranch *branch = data;

  g_atomic_int_add (&branch->in_flight, -1);
  gst_object_unref (branch);
}

/* Counts @view as held by @branch until it is freed. */
static GstBuffer *
track_view (GstAllocTeeBranch * branch, GstBuffer * view)
{
  g_atomic_int_inc (&branch->in_flight);
  gst_mini_object_weak_ref (GST_MINI_OBJECT (view), view_released,
      gst_object_ref (branch));
  return view;
}

static GstBuffer *
make_view (GstAllocTeeBranch * branch, GstBuffer * buffer)
{
  return track_view (branch, gst_buffer_copy (buffer));
}

static void
count_view (GstAllocTeeBranch * branch, GstBuffer * view)
{
  gboolean first;

  GST_OBJECT_LOCK (branch);
  branch->views++;
  first = !branch->view_logged;
  branch->view_logged = TRUE;
  GST_OBJECT_UNLOCK (branch);
  if (first)
    GST_CAT_INFO_OBJECT (gst_alloc_elements_performance, branch,
        "serving views of the tee's memory, no byte copied: %"
        GST_PTR_FORMAT, view);
}

/* A branch linked while a decision is in force is asked what it needs
 * with its first buffer: it joins the shared buffers when that changes
 * nothing, otherwise upstream is asked once to negotiate again, and until
 * then its buffers are checked against its needs rather than trusted. */
static GstAllocConstraints *
needs_of (GstAllocTee * self, GstAllocTeeBranch * branch, gboolean * decided)
{
  GstAllocConstraints *c = NULL;
  GError *err = NULL;
  gboolean ask_upstream = FALSE;
  GstCaps *caps;

  GST_OBJECT_LOCK (branch);
  *decided = branch->decided;
  if (branch->constraints)
    c = gst_alloc_constraints_copy (branch->constraints);
  GST_OBJECT_UNLOCK (branch);
  if (c || !gst_pad_is_linked (GST_PAD (branch)))
    return c;
  caps = gst_pad_get_current_caps (self->sinkpad);
  if (caps)
    c = gst_alloc_tee_ask_branch (branch, caps, NULL, &err);
  gst_clear_caps (&caps);
  if (!c) {
    GST_WARNING_OBJECT (branch, "cannot learn its needs yet: %s",
        err ? err->message : "no caps");
    g_clear_error (&err);
    return NULL;
  }
  if (gst_alloc_tee_try_join (self, branch, c)) {
    *decided = TRUE;
    return c;
  }
  GST_OBJECT_LOCK (branch);
  if (!branch->constraints)
    branch->constraints = gst_alloc_constraints_copy (c);
  ask_upstream = !branch->renegotiation_asked;
  branch->renegotiation_asked = TRUE;
  GST_OBJECT_UNLOCK (branch);
  if (ask_upstream) {
    GST_DEBUG_OBJECT (branch, "needs more than the shared buffers give: "
        "asking upstream to negotiate again");
    gst_pad_push_event (self->sinkpad, gst_event_new_reconfigure ());
  }
  return c;
}

void
gst_alloc_tee_tell_foreign_pool (GstAllocTee * self, GstBuffer * buffer,
    const GstAllocTeeSnapshot * snap)
{
  gboolean copies = snap->foreign_copies > 0, tell;
  gchar *producer, *factory = NULL, *hint;

  if (!snap->tee_pool || snap->from_pool || !snap->have_info)
    return;
  GST_OBJECT_LOCK (self);
  tell = copies ? !self->told_foreign_warning : !self->told_foreign_info;
  self->told_foreign_info = TRUE;
  self->told_foreign_warning |= copies;
  GST_OBJECT_UNLOCK (self);
  if (!tell)
    return;

  producer = gst_alloc_tee_producer_name (self, &factory);
  hint = g_strcmp0 (factory, "v4l2src") == 0 ?
      g_strdup_printf ("; set io-mode=dmabuf-import on %s so that the "
      "camera writes into the shared pool", producer) : g_strdup ("");
  if (copies)
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS, ("%s does not use the pool "
            "%s offered: branches whose needs its buffers miss get "
            "copies%s.", producer ? producer : "The producer",
            GST_OBJECT_NAME (self), hint),
        ("buffers come from %s", buffer->pool ?
            GST_OBJECT_NAME (buffer->pool) : "no pool"));
  else
    GST_ELEMENT_INFO (self, RESOURCE, SETTINGS, ("%s does not use the pool "
            "%s offered; its buffers fit every branch, so nothing is "
            "copied%s.", producer ? producer : "The producer",
            GST_OBJECT_NAME (self), hint), ("buffers come from %s",
            buffer->pool ? GST_OBJECT_NAME (buffer->pool) : "no pool"));
  g_free (producer);
  g_free (factory);
  g_free (hint);
}

/* Why a buffer goes to a branch as a copy: @miss says what it misses. */
static gchar *
copy_why (GstAllocTee * self, gboolean trusted, gboolean foreign,
    const GError * miss)
{
  gchar *producer, *why;

  if (trusted)
    return g_strdup_printf ("the tee's buffer is not laid out as the "
        "decision planned, and no view serves this branch: %s",
        miss ? miss->message : "");
  if (!foreign)
    return g_strdup_printf ("linked after the last negotiation, and the "
        "shared buffers miss its needs: %s", miss->message);
  producer = gst_alloc_tee_producer_name (self, NULL);
  why = g_strdup_printf ("%s did not use the offered pool and its buffers "
      "miss this branch's needs: %s", producer ? producer : "the producer",
      miss->message);
  g_free (producer);
  return why;
}

typedef enum
{
  SERVE_AS_IS,
  SERVE_VIEW,
  SERVE_COPY,
} Serving;

/* How @buffer goes to @branch: as it is, as @view (made here: transfer
 * full), or copied, with @why (transfer full). Sets @foreign when a copy
 * is due to the producer's own buffers. */
static Serving
how_to_serve (GstAllocTee * self, GstAllocTeeBranch * branch,
    GstBuffer * buffer, const GstAllocTeeSnapshot * snap, gboolean * foreign,
    GstBuffer ** view, gchar ** why)
{
  GstAllocConstraints *c = NULL;
  GError *err = NULL, *no_view = NULL;
  gboolean decided, trusted;

  *foreign = FALSE;
  *why = NULL;
  GST_OBJECT_LOCK (branch);
  /* In the decision and from the tee's pool: fits by construction, as it
   * is or through the views the decision planned. */
  trusted = branch->decided && !branch->conflict && !branch->converts_format
      && snap->from_pool;
  if (trusted && branch->view)
    c = gst_alloc_constraints_copy (branch->constraints);
  else if (branch->converts_format)
    *why = g_strdup (branch->format_reason);
  else if (branch->conflict)
    *why = g_strdup (branch->decision_reason);
  GST_OBJECT_UNLOCK (branch);
  if (*why)
    return SERVE_COPY;
  if (trusted && !c)
    return SERVE_AS_IS;

  if (!c) {
    c = needs_of (self, branch, &decided);
    /* In the decision and from its pool: fits by construction. */
    if (!c || (decided && snap->from_pool && !gst_alloc_tee_branch_is_view
            (branch))) {
      gst_alloc_constraints_free (c);
      return SERVE_AS_IS;
    }
    trusted = decided && snap->from_pool;
    if (!trusted && gst_alloc_constraints_check_buffer (c, &snap->info,
            buffer, &err)) {
      gst_alloc_constraints_free (c);
      return SERVE_AS_IS;
    }
  }
  if (trusted || gst_alloc_element_view_spares_pool (buffer))
    *view = gst_alloc_element_view_for (buffer, &snap->info, c, !trusted,
        &no_view);
  if (*view) {
    g_clear_error (&err);
    gst_alloc_constraints_free (c);
    return SERVE_VIEW;
  }
  *foreign = !snap->from_pool;
  *why = copy_why (self, trusted, *foreign, trusted ? no_view : err);
  g_clear_error (&no_view);
  g_clear_error (&err);
  gst_alloc_constraints_free (c);
  return SERVE_COPY;
}

/* Whether @pool makes buffers of @info's format and size. */
static gboolean
pool_makes (GstBufferPool * pool, const GstVideoInfo * info)
{
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstCaps *caps = NULL;
  GstVideoInfo made;
  gboolean same;

  gst_buffer_pool_config_get_params (config, &caps, NULL, NULL, NULL);
  same = caps && gst_video_info_from_caps (&made, caps)
      && GST_VIDEO_INFO_FORMAT (&made) == GST_VIDEO_INFO_FORMAT (info)
      && GST_VIDEO_INFO_WIDTH (&made) == GST_VIDEO_INFO_WIDTH (info)
      && GST_VIDEO_INFO_HEIGHT (&made) == GST_VIDEO_INFO_HEIGHT (info);
  gst_structure_free (config);
  return same;
}

/* Drops the branch's @pool, made for a format the branch no longer takes
 * (it copied before its caps were settled). */
static void
drop_stale_pool (GstAllocTeeBranch * branch, GstBufferPool * pool)
{
  gboolean dropped = FALSE;

  GST_OBJECT_LOCK (branch);
  if (branch->pool == pool) {
    branch->pool = NULL;
    dropped = TRUE;
  }
  GST_OBJECT_UNLOCK (branch);
  GST_DEBUG_OBJECT (branch, "the format changed: a new pool for the copies");
  gst_buffer_pool_set_active (pool, FALSE);
  if (dropped)
    gst_object_unref (pool);
  gst_object_unref (pool);
}

/* A branch that must copy without a pool of its own (the producer did not
 * use the tee's pool, or it joined late) gets one now, for its needs. */
static GstBufferPool *
ensure_pool (GstAllocTee * self, GstAllocTeeBranch * branch,
    const GstVideoInfo * info, GstAllocSolver * solver, GError ** error)
{
  GstAllocConstraints *c;
  GstBufferPool *pool;
  GstCaps *caps;
  GstQuery *query;
  gchar *name;

  GST_OBJECT_LOCK (branch);
  pool = branch->pool ? gst_object_ref (branch->pool) : NULL;
  c = branch->constraints ? gst_alloc_constraints_copy (branch->constraints) :
      gst_alloc_constraints_new ();
  GST_OBJECT_UNLOCK (branch);
  if (pool && !pool_makes (pool, info))
    drop_stale_pool (branch, g_steal_pointer (&pool));
  if (pool) {
    gst_alloc_constraints_free (c);
    return pool;
  }
  caps = gst_video_info_to_caps (info);
  query = gst_query_new_allocation (caps, TRUE);
  name = g_strdup_printf ("%s-pool", GST_OBJECT_NAME (branch));
  pool = gst_alloc_tee_new_pool (self, solver, name, branch);
  g_free (name);
  if (!gst_alloc_query_answer_with_pool (query, c, pool, error))
    gst_clear_object (&pool);
  gst_query_unref (query);
  gst_caps_unref (caps);
  gst_alloc_constraints_free (c);
  if (pool) {
    GST_OBJECT_LOCK (branch);
    if (!branch->pool && !branch->released)
      branch->pool = gst_object_ref (pool);
    GST_OBJECT_UNLOCK (branch);
  }
  return pool;
}

/* The converter from the stream's format to the branch's, made again when
 * either changes. Streaming thread only. */
static GstVideoConverter *
converter_for (GstAllocTeeBranch * branch, const GstVideoInfo * in,
    const GstVideoInfo * out)
{
  if (branch->converter && gst_video_info_is_equal (&branch->converter_in, in)
      && gst_video_info_is_equal (&branch->converter_out, out))
    return branch->converter;
  g_clear_pointer (&branch->converter, gst_video_converter_free);
  branch->converter = gst_video_converter_new ((GstVideoInfo *) in,
      (GstVideoInfo *) out, NULL);
  branch->converter_in = *in;
  branch->converter_out = *out;
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
  GstFlowReturn ret;

  if (!gst_buffer_pool_is_active (pool)
      && !gst_buffer_pool_set_active (pool, TRUE)) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_UNSATISFIABLE,
        "the branch's pool could not allocate its buffers");
    return NULL;
  }
  if ((ret = gst_buffer_pool_acquire_buffer (pool, &out, NULL)) != GST_FLOW_OK) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_UNSATISFIABLE,
        "no buffer from the branch's pool (%s)", gst_flow_get_name (ret));
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
  /* The metas go with a copy as with the shared buffer (timecode, region
   * of interest, crop...); without GST_BUFFER_COPY_MEMORY GStreamer leaves
   * out those about the memory, GstVideoMeta among them: the source's
   * describes another layout. */
  gst_buffer_copy_into (out, in, GST_BUFFER_COPY_FLAGS |
      GST_BUFFER_COPY_TIMESTAMPS | GST_BUFFER_COPY_META, 0, -1);
  return out;
}

static void
count_copy (GstAllocTeeBranch * branch, gsize bytes, gchar * why)
{
  gboolean new_reason;

  GST_OBJECT_LOCK (branch);
  branch->copies++;
  branch->bytes_copied += bytes;
  new_reason = g_strcmp0 (why, branch->last_copy_reason) != 0;
  if (new_reason) {
    g_free (branch->last_copy_reason);
    branch->last_copy_reason = g_strdup (why);
  }
  GST_OBJECT_UNLOCK (branch);
  if (new_reason)
    GST_CAT_INFO_OBJECT (gst_alloc_elements_performance, branch,
        "copying %" G_GSIZE_FORMAT " bytes per frame: %s", bytes, why);
  g_free (why);
}

/* Whether @pool is still the one the branch copies into (a new decision or
 * a release may have replaced or dropped it during the copy). */
static gboolean
pool_still_in_use (GstAllocTeeBranch * branch, GstBufferPool * pool)
{
  gboolean same;

  GST_OBJECT_LOCK (branch);
  same = branch->pool == pool && !branch->released;
  GST_OBJECT_UNLOCK (branch);
  return same;
}

/* Copies into the branch's pool; once more into the pool that replaced it
 * when a new decision came during the copy. */
static GstBuffer *
copy_for_branch (GstAllocTee * self, GstAllocTeeBranch * branch,
    GstBuffer * buffer, const GstAllocTeeSnapshot * snap,
    const GstVideoInfo * out_info, GstVideoConverter * converter,
    GError ** error)
{
  GstBufferPool *pool;
  GstBuffer *copy = NULL;
  guint attempt;

  for (attempt = 0; !copy && attempt < 2; attempt++) {
    g_clear_error (error);
    pool = ensure_pool (self, branch, out_info, snap->solver, error);
    if (!pool)
      break;
    copy = copy_frame (pool, buffer, &snap->info, out_info, converter, error);
    if (!copy && pool_still_in_use (branch, pool))
      attempt++;
    gst_object_unref (pool);
  }
  return copy;
}

static GstFlowReturn
push_copy (GstAllocTee * self, GstAllocTeeBranch * branch, GstBuffer * buffer,
    const GstAllocTeeSnapshot * snap, gchar * why)
{
  GstVideoConverter *converter = NULL;
  GstVideoInfo out_info;
  GstBuffer *copy;
  GError *err = NULL;

  if (!gst_alloc_tee_branch_get_format (branch, &out_info, NULL))
    out_info = snap->info;
  if (!gst_video_info_is_equal (&out_info, &snap->info)
      && !(converter = converter_for (branch, &snap->info, &out_info))) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("No converter from %s to %s "
            "for branch %s.", GST_VIDEO_INFO_NAME (&snap->info),
            GST_VIDEO_INFO_NAME (&out_info), GST_OBJECT_NAME (branch)), (NULL));
    gst_buffer_unref (buffer);
    g_free (why);
    return GST_FLOW_NOT_NEGOTIATED;
  }
  copy = copy_for_branch (self, branch, buffer, snap, &out_info, converter,
      &err);
  gst_buffer_unref (buffer);
  if (!copy) {
    g_free (why);
    if (gst_alloc_tee_branch_is_released (branch)) {
      g_clear_error (&err);
      return GST_FLOW_NOT_LINKED;
    }
    GST_ELEMENT_ERROR (self, RESOURCE, NO_SPACE_LEFT, ("Cannot copy frames "
            "for branch %s: %s", GST_OBJECT_NAME (branch), err->message),
        (NULL));
    g_error_free (err);
    return GST_FLOW_ERROR;
  }
  count_copy (branch, GST_VIDEO_INFO_SIZE (&out_info), why);
  return gst_pad_push (GST_PAD (branch), copy);
}

static GstFlowReturn
refuse (GstAllocTee * self, GstAllocTeeBranch * branch, GstBuffer * buffer,
    gchar * why)
{
  gboolean first;
  gchar *text;

  gst_buffer_unref (buffer);
  GST_OBJECT_LOCK (branch);
  branch->refused++;
  first = !branch->refusal_posted;
  branch->refusal_posted = TRUE;
  GST_OBJECT_UNLOCK (branch);
  gst_alloc_tee_branch_set_mode (branch, GST_ALLOC_TEE_BRANCH_REFUSED, why);
  if (first) {
    text = g_strdup_printf ("Branch %s would need copies, and allow-copies "
        "is false: %s", GST_OBJECT_NAME (branch), why);
    gst_alloc_tee_post_branch_error (self, branch, text);
    g_free (text);
  }
  g_free (why);
  return GST_FLOW_NOT_LINKED;
}

/* A branch made converted by a producer's own buffers is zero-copy again
 * as soon as the buffers fit it. */
static void
back_to_zero_copy (GstAllocTeeBranch * branch)
{
  gchar *reason = NULL;

  GST_OBJECT_LOCK (branch);
  if (branch->mode != GST_ALLOC_TEE_BRANCH_ZERO_COPY && !branch->conflict)
    reason = g_strdup (branch->decision_reason ? branch->decision_reason :
        "shares the tee's buffers");
  GST_OBJECT_UNLOCK (branch);
  if (reason)
    gst_alloc_tee_branch_set_mode (branch, GST_ALLOC_TEE_BRANCH_ZERO_COPY,
        reason);
  g_free (reason);
}

void
gst_alloc_tee_snapshot_take (GstAllocTee * self, GstAllocTeeSnapshot * snap,
    GstBuffer * buffer)
{
  GST_OBJECT_LOCK (self);
  snap->tee_pool = self->pool ? gst_object_ref (self->pool) : NULL;
  snap->info = self->info;
  snap->have_info = self->have_info;
  snap->allow_copies = self->allow_copies;
  snap->solver = self->solver ? gst_object_ref (self->solver) :
      gst_object_ref (gst_alloc_solver_get_default ());
  GST_OBJECT_UNLOCK (self);
  snap->from_pool = snap->tee_pool
      && gst_alloc_pool_made_buffer (GST_ALLOC_POOL (snap->tee_pool), buffer);
}

void
gst_alloc_tee_snapshot_clear (GstAllocTeeSnapshot * snap)
{
  g_clear_object (&snap->tee_pool);
  g_clear_object (&snap->solver);
}

/* A branch linked while the stream runs has its format settled when its
 * reconfigure event comes up, which can be after the streaming thread
 * sees the link: settled here first, its first buffer would otherwise go
 * out with the stream's caps, or be copied for the wrong format. */
static void
settle_format (GstAllocTee * self, GstAllocTeeBranch * branch)
{
  GstCaps *caps = gst_pad_get_current_caps (self->sinkpad);

  if (caps) {
    gst_alloc_tee_branch_check_format (GST_ELEMENT (self), branch, caps);
    gst_caps_unref (caps);
  }
}

/* Whether @branch is to get buffers at all: not once released, nor
 * while its peer takes none of the caps the tee can give. Settles the
 * format of a branch linked since the last caps first. */
static gboolean
takes_buffers (GstAllocTee * self, GstAllocTeeBranch * branch)
{
  gboolean settled, takes;

  GST_OBJECT_LOCK (branch);
  settled = branch->format_settled;
  if (branch->released) {
    GST_OBJECT_UNLOCK (branch);
    return FALSE;
  }
  GST_OBJECT_UNLOCK (branch);
  if (!settled && gst_pad_is_linked (GST_PAD (branch)))
    settle_format (self, branch);
  GST_OBJECT_LOCK (branch);
  branch->buffers++;
  takes = !branch->takes_nothing;
  if (!takes)
    branch->refused++;
  GST_OBJECT_UNLOCK (branch);
  return takes;
}

static GstFlowReturn
hand_over (GstAllocTee * self, GstAllocTeeBranch * branch, GstBuffer * buffer,
    GstAllocTeeSnapshot * snap)
{
  GstBuffer *view = NULL;
  Serving serving;
  gboolean foreign = FALSE;
  gchar *why = NULL;

  serving = snap->have_info ? how_to_serve (self, branch, buffer, snap,
      &foreign, &view, &why) : SERVE_AS_IS;
  if (foreign && serving == SERVE_COPY)
    snap->foreign_copies++;
  if (serving == SERVE_AS_IS && !snap->from_pool) {
    /* The producer's own buffer, as tee passes it: a view would keep its
     * memory shared when it comes back, and a pool such as v4l2's drops a
     * buffer whose memory is not writable then (a new GstMemory per frame,
     * imported anew by every importer). Views count what the branches hold
     * of the tee's pool; this buffer is not the tee's. */
    back_to_zero_copy (branch);
    return gst_pad_push (GST_PAD (branch), buffer);
  }
  if (serving == SERVE_AS_IS) {
    back_to_zero_copy (branch);
    view = make_view (branch, buffer);
  } else if (serving == SERVE_VIEW) {
    back_to_zero_copy (branch);
    count_view (branch, view);
    view = track_view (branch, view);
  } else if (!snap->allow_copies) {
    return refuse (self, branch, buffer, why);
  } else {
    /* The mode says what happens: a producer's own buffers that miss the
     * branch's needs, or copies allowed again after a refusal, make it a
     * converted branch. */
    gst_alloc_tee_branch_set_mode (branch, GST_ALLOC_TEE_BRANCH_CONVERTED, why);
    return push_copy (self, branch, buffer, snap, why);
  }
  gst_buffer_unref (buffer);
  return gst_pad_push (GST_PAD (branch), view);
}

GstFlowReturn
gst_alloc_tee_serve (GstAllocTee * self, GstAllocTeeBranch * branch,
    GstBuffer * buffer, GstAllocTeeSnapshot * snap)
{
  GstFlowReturn ret;

  if (!takes_buffers (self, branch)) {
    gst_buffer_unref (buffer);
    return GST_FLOW_NOT_LINKED;
  }
  ret = hand_over (self, branch, buffer, snap);
  GST_OBJECT_LOCK (branch);
  /* A branch released while its buffer was on the way: as tee does, its
   * flow (flushing, from the deactivated pad) no longer counts. */
  if (ret != GST_FLOW_OK && branch->released)
    ret = GST_FLOW_NOT_LINKED;
  GST_OBJECT_UNLOCK (branch);
  return ret;
}
