/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-alloctee
 * @title: alloctee
 *
 * A tee that allocates once for all its branches, and a drop-in for tee:
 * it has every property of tee with the same meaning (allow-not-linked,
 * num-src-pads, silent and last-message, pull-mode, has-chain, alloc-pad).
 *
 * When upstream asks for an ALLOCATION answer, alloctee asks every branch
 * what it needs, merges the needs that can be merged and answers with one
 * pool that satisfies all those branches; each of them then receives the
 * very same memory (a buffer of its own on it, so that the tee knows what
 * each branch still holds). A branch whose needs differ from the others'
 * only in how the memory is described (planes=separate among single-plane
 * consumers, a consumer that reads no GstVideoMeta beside rows of padding)
 * gets views: the same memory, split into one memory per plane or
 * re-based to the default layout, with a GstVideoMeta of its own, no byte
 * copied. A branch that needs other memory (uncached against cached, plain
 * memory against dma-bufs, another stride) gets copies made into a pool of
 * its own, and only that branch. A branch that no backend can serve at all
 * is an error, never a silent copy.
 *
 * The shared pool grows when every buffer is out (a frame-holding encoder,
 * a long queue), up to its budget (pool-budget); when it may not grow and
 * stays empty, a WARNING names the branch that holds the buffers. When the
 * producer does not use the offered pool (a camera at its default io-mode,
 * a decoder with a pool of its own), every buffer is checked against each
 * branch and copied only where it misses that branch's needs; alloctee
 * says so once, with the property that fixes it when it knows one.
 *
 * Each decision is posted as an element message named "alloctee-decision"
 * and each source pad exposes its mode (what happens to its buffers now),
 * the reason and counters. With allow-copies=false a branch that would
 * need copies receives nothing and gets an error of its own, posted from
 * its pad; the other branches go on. Views are not copies: a branch served
 * through them is never refused.
 *
 * |[
 * gst-launch-1.0 videotestsrc ! video/x-raw,format=NV12,width=1920,height=1080 ! \
 *   alloctee name=t \
 *   t. ! queue ! allocchecksink constraints=stride-align=256,memory=dmabuf|memfd \
 *   t. ! queue ! x264enc ! fakesink
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloctee.h"

#include <stdio.h>

GST_DEBUG_CATEGORY (gst_alloc_tee_debug);
#define GST_CAT_DEFAULT gst_alloc_tee_debug

enum
{
  PROP_0,
  PROP_ALLOW_COPIES,
  PROP_SOLVER,
  PROP_POOL_BUDGET,
  PROP_MERGED_CONSTRAINTS,
  PROP_BACKEND,
  PROP_NUM_SRC_PADS,
  PROP_HAS_CHAIN,
  PROP_SILENT,
  PROP_LAST_MESSAGE,
  PROP_PULL_MODE,
  PROP_ALLOC_PAD,
  PROP_ALLOW_NOT_LINKED,
};

static GParamSpec *pspec_last_message;

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src_%u",
    GST_PAD_SRC, GST_PAD_REQUEST, GST_STATIC_CAPS_ANY);

G_DEFINE_TYPE (GstAllocTee, gst_alloc_tee, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (alloctee, "alloctee", GST_RANK_NONE,
    GST_TYPE_ALLOC_TEE);

GType
gst_alloc_tee_pull_mode_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_ALLOC_TEE_PULL_MODE_NEVER, "Never activate in pull mode", "never"},
    {GST_ALLOC_TEE_PULL_MODE_SINGLE, "Only one src pad can be active in pull "
          "mode", "single"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type,
        g_enum_register_static ("GstAllocTeePullMode", values));
  return type;
}

/* --- streaming --- */

static void
note_last_message (GstAllocTee * self, GstBuffer * buffer)
{
  GST_OBJECT_LOCK (self);
  g_free (self->last_message);
  self->last_message = g_strdup_printf ("chain        ******* (%s:%s) (%"
      G_GSIZE_FORMAT " bytes, %" G_GUINT64_FORMAT ") %p",
      GST_DEBUG_PAD_NAME (self->sinkpad), gst_buffer_get_size (buffer),
      GST_BUFFER_PTS (buffer), buffer);
  GST_OBJECT_UNLOCK (self);
  g_object_notify_by_pspec (G_OBJECT (self), pspec_last_message);
}

static GPtrArray *
branches_snapshot (GstAllocTee * self)
{
  GPtrArray *branches = g_ptr_array_new_with_free_func (gst_object_unref);
  GList *l;

  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT (self)->srcpads; l; l = l->next)
    if (l->data != self->pull_pad)
      g_ptr_array_add (branches, gst_object_ref (l->data));
  GST_OBJECT_UNLOCK (self);
  return branches;
}

/* Serves @buffer (taken) to every branch with tee's flow rules: the
 * first flow other than ok and not-linked (an error, flushing, EOS) stops
 * the rest and goes upstream; otherwise a not-linked branch does not
 * count unless all are. Only this buffer's flows count: a branch that
 * failed before is tried again. */
static GstFlowReturn
handle_buffer (GstAllocTee * self, GstBuffer * buffer)
{
  GPtrArray *branches = branches_snapshot (self);
  GstFlowReturn ret = GST_FLOW_NOT_LINKED, pad_ret;
  gboolean silent, allow_not_linked;
  GstAllocTeeSnapshot snap;
  guint i;

  GST_OBJECT_LOCK (self);
  silent = self->silent;
  allow_not_linked = self->allow_not_linked;
  GST_OBJECT_UNLOCK (self);
  if (!silent)
    note_last_message (self, buffer);

  gst_alloc_tee_snapshot_take (self, &snap, buffer);
  for (i = 0; i < branches->len; i++) {
    pad_ret = gst_alloc_tee_serve (self, branches->pdata[i],
        gst_buffer_ref (buffer), &snap);
    if (pad_ret != GST_FLOW_NOT_LINKED)
      ret = pad_ret;
    if (ret != GST_FLOW_OK && ret != GST_FLOW_NOT_LINKED)
      break;
  }
  gst_alloc_tee_tell_foreign_pool (self, buffer, &snap);
  gst_alloc_tee_snapshot_clear (&snap);
  if (ret == GST_FLOW_NOT_LINKED && allow_not_linked)
    ret = GST_FLOW_OK;
  gst_buffer_unref (buffer);
  g_ptr_array_unref (branches);
  return ret;
}

static GstFlowReturn
gst_alloc_tee_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  return handle_buffer (GST_ALLOC_TEE (parent), buffer);
}

static gboolean
gst_alloc_tee_sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstAllocTee *self = GST_ALLOC_TEE (parent);
  GstVideoInfo info;
  GstCaps *caps;

  if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS) {
    gst_event_parse_caps (event, &caps);
    GST_OBJECT_LOCK (self);
    self->have_info = gst_alloc_video_info_from_caps (&info, caps);
    if (self->have_info)
      self->info = info;
    GST_OBJECT_UNLOCK (self);
    return gst_alloc_tee_push_caps (GST_ELEMENT (self), event);
  }
  return gst_pad_event_default (pad, parent, event);
}

static gboolean
gst_alloc_tee_sink_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_ALLOCATION:
      return gst_alloc_tee_answer_allocation (GST_ALLOC_TEE (parent), query);
    case GST_QUERY_CAPS:
      return gst_alloc_tee_query_caps (GST_ELEMENT (parent), pad, query);
    case GST_QUERY_ACCEPT_CAPS:
      return gst_alloc_tee_accept_caps (GST_ELEMENT (parent), pad, query);
    default:
      return gst_pad_query_default (pad, parent, query);
  }
}

static gboolean
gst_alloc_tee_sink_activate_mode (GstPad * pad, GstObject * parent,
    GstPadMode mode, gboolean active)
{
  GstAllocTee *self = GST_ALLOC_TEE (parent);
  gboolean ok = TRUE;

  /* Pull mode is activated by the pulling branch (src_activate_mode). */
  if (mode != GST_PAD_MODE_PUSH)
    return mode == GST_PAD_MODE_PULL;
  GST_OBJECT_LOCK (self);
  if (active && !self->has_chain) {
    GST_INFO_OBJECT (self, "cannot work in push mode with has-chain=false");
    ok = FALSE;
  }
  GST_OBJECT_UNLOCK (self);
  return ok;
}

/* --- pull mode: one branch pulls, the others get what it pulled --- */

static gboolean
gst_alloc_tee_src_activate_mode (GstPad * pad, GstObject * parent,
    GstPadMode mode, gboolean active)
{
  GstAllocTee *self = GST_ALLOC_TEE (parent);
  gboolean ok;

  if (mode != GST_PAD_MODE_PULL)
    return TRUE;
  GST_OBJECT_LOCK (self);
  if (self->pull_mode == GST_ALLOC_TEE_PULL_MODE_NEVER
      || (active && self->pull_pad)) {
    GST_OBJECT_UNLOCK (self);
    GST_INFO_OBJECT (pad, "cannot pull: pull-mode is never, or another pad "
        "already pulls");
    return FALSE;
  }
  GST_OBJECT_UNLOCK (self);
  ok = gst_pad_activate_mode (self->sinkpad, GST_PAD_MODE_PULL, active);
  if (!ok)
    return FALSE;
  GST_OBJECT_LOCK (self);
  self->pull_pad = active ? pad : NULL;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static void
push_eos_to_others (GstAllocTee * self)
{
  GPtrArray *branches = branches_snapshot (self);
  guint i;

  for (i = 0; i < branches->len; i++)
    gst_pad_push_event (branches->pdata[i], gst_event_new_eos ());
  g_ptr_array_unref (branches);
}

static GstFlowReturn
gst_alloc_tee_src_get_range (GstPad * pad, GstObject * parent,
    guint64 offset, guint length, GstBuffer ** buffer)
{
  GstAllocTee *self = GST_ALLOC_TEE (parent);
  GstFlowReturn ret = gst_pad_pull_range (self->sinkpad, offset, length,
      buffer);

  if (ret == GST_FLOW_OK)
    ret = handle_buffer (self, gst_buffer_ref (*buffer));
  else if (ret == GST_FLOW_EOS)
    push_eos_to_others (self);
  /* The puller has its buffer whatever the other branches said. */
  if (ret == GST_FLOW_NOT_LINKED)
    ret = GST_FLOW_OK;
  /* A puller given a flow error does not take the buffer. */
  if (ret != GST_FLOW_OK && *buffer)
    gst_clear_buffer (buffer);
  return ret;
}

static gboolean
gst_alloc_tee_src_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstAllocTee *self = GST_ALLOC_TEE (parent);
  gboolean can_pull;

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_CAPS:
      return gst_alloc_tee_src_query_caps (GST_ELEMENT (parent),
          self->sinkpad, query);
    case GST_QUERY_SCHEDULING:
      GST_OBJECT_LOCK (self);
      can_pull = self->pull_mode == GST_ALLOC_TEE_PULL_MODE_SINGLE
          && !self->pull_pad;
      GST_OBJECT_UNLOCK (self);
      return can_pull ? gst_pad_peer_query (self->sinkpad, query) : TRUE;
    default:
      return gst_pad_query_default (pad, parent, query);
  }
}

/* --- branches coming and going --- */

static gboolean
store_sticky_event (GstPad * pad, GstEvent ** event, gpointer user_data)
{
  /* A new branch starts with the stream's current state (stream-start,
   * caps, segment), as if it had been there from the start. */
  gst_pad_store_sticky_event (GST_PAD (user_data), *event);
  return TRUE;
}

/* A branch linked while the stream runs sends a reconfigure event; its
 * format is settled here first, as upstream will not resend equal caps.
 * While a decision is in force the event stops here: the streaming thread
 * asks the new branch what it needs, lets it join when that changes
 * nothing, and only otherwise asks upstream to negotiate again, so that a
 * joining branch does not make the producer allocate anew. */
static gboolean
gst_alloc_tee_branch_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstAllocTee *self = GST_ALLOC_TEE (parent);
  GstAllocTeeBranch *branch = GST_ALLOC_TEE_BRANCH (pad);
  gboolean in_force, decided;
  GstCaps *caps;

  if (GST_EVENT_TYPE (event) != GST_EVENT_RECONFIGURE)
    return gst_pad_event_default (pad, parent, event);
  if ((caps = gst_pad_get_current_caps (self->sinkpad))) {
    gst_alloc_tee_branch_check_format (GST_ELEMENT (self), branch, caps);
    gst_caps_unref (caps);
  }
  GST_OBJECT_LOCK (self);
  in_force = self->merged != NULL;
  GST_OBJECT_UNLOCK (self);
  GST_OBJECT_LOCK (branch);
  decided = branch->decided;
  GST_OBJECT_UNLOCK (branch);
  if (in_force && !decided && !gst_alloc_tee_branch_get_format (branch, NULL,
          NULL)) {
    GST_DEBUG_OBJECT (branch, "linked: its needs are asked with its first "
        "buffer");
    gst_event_unref (event);
    return TRUE;
  }
  return gst_pad_event_default (pad, parent, event);
}

/* The shared buffers still satisfy every branch that stays; a departure
 * is worth a new negotiation only when a converted branch could then
 * share them. */
static void
branch_unlinked (GstPad * pad, GstPad * peer, gpointer user_data)
{
  GstAllocTee *self = GST_ALLOC_TEE (user_data);

  GST_OBJECT_LOCK (pad);
  GST_ALLOC_TEE_BRANCH (pad)->format_settled = FALSE;
  GST_OBJECT_UNLOCK (pad);
  if (!gst_alloc_tee_leaving_frees_a_branch (self, GST_ALLOC_TEE_BRANCH (pad))) {
    GST_DEBUG_OBJECT (self, "%s unlinked: the others are served as before",
        GST_OBJECT_NAME (pad));
    return;
  }
  GST_DEBUG_OBJECT (self, "%s unlinked: a converted branch may share now, "
      "asking upstream to renegotiate", GST_OBJECT_NAME (pad));
  gst_pad_push_event (self->sinkpad, gst_event_new_reconfigure ());
}

/* Picks the pad's index as tee does: a name asked for keeps its index
 * (and later automatic names go past it); otherwise the next free one. */
static gboolean
reserve_index (GstAllocTee * self, const gchar * name, guint * index)
{
  gboolean ok = TRUE;

  GST_OBJECT_LOCK (self);
  if (name && sscanf (name, "src_%u", index) == 1) {
    ok = !g_hash_table_contains (self->pad_indexes, GUINT_TO_POINTER (*index));
    if (ok && *index >= self->next_pad_index)
      self->next_pad_index = *index + 1;
  } else {
    *index = self->next_pad_index;
    while (g_hash_table_contains (self->pad_indexes, GUINT_TO_POINTER (*index)))
      (*index)++;
    self->next_pad_index = *index + 1;
  }
  if (ok)
    g_hash_table_add (self->pad_indexes, GUINT_TO_POINTER (*index));
  GST_OBJECT_UNLOCK (self);
  return ok;
}

static void
free_index (GstAllocTee * self, guint index)
{
  GST_OBJECT_LOCK (self);
  g_hash_table_remove (self->pad_indexes, GUINT_TO_POINTER (index));
  GST_OBJECT_UNLOCK (self);
}

static GstPad *
gst_alloc_tee_request_new_pad (GstElement * element, GstPadTemplate * templ,
    const gchar * name, const GstCaps * caps)
{
  GstAllocTee *self = GST_ALLOC_TEE (element);
  GstAllocTeeBranch *branch;
  GstPad *pad;
  gchar *pad_name;
  guint index;

  if (!reserve_index (self, name, &index)) {
    GST_WARNING_OBJECT (self, "pad name %s is already in use", name);
    return NULL;
  }
  pad_name = g_strdup_printf ("src_%u", index);
  pad = g_object_new (GST_TYPE_ALLOC_TEE_BRANCH, "name", pad_name,
      "direction", GST_PAD_SRC, "template", templ, NULL);
  g_free (pad_name);
  branch = GST_ALLOC_TEE_BRANCH (pad);
  branch->index = index;
  GST_PAD_SET_PROXY_CAPS (pad);
  gst_pad_set_event_function (pad, gst_alloc_tee_branch_event);
  gst_pad_set_query_function (pad, gst_alloc_tee_src_query);
  gst_pad_set_activatemode_function (pad, gst_alloc_tee_src_activate_mode);
  gst_pad_set_getrange_function (pad, gst_alloc_tee_src_get_range);
  g_signal_connect_object (pad, "unlinked", G_CALLBACK (branch_unlinked),
      self, 0);

  if (GST_STATE (self) > GST_STATE_READY
      && !gst_pad_activate_mode (pad, GST_PAD_MODE_PUSH, TRUE)) {
    GST_WARNING_OBJECT (self, "cannot activate %s", GST_OBJECT_NAME (pad));
    gst_object_unref (gst_object_ref_sink (pad));
    free_index (self, index);
    return NULL;
  }
  gst_pad_sticky_events_foreach (self->sinkpad, store_sticky_event, pad);
  /* gst_element_add_pad() takes the floating reference, also when it
   * fails (then the pad is gone). */
  if (!gst_element_add_pad (element, pad)) {
    free_index (self, index);
    return NULL;
  }
  return pad;
}

static void
gst_alloc_tee_release_pad (GstElement * element, GstPad * pad)
{
  GstAllocTee *self = GST_ALLOC_TEE (element);
  GstAllocTeeBranch *branch = GST_ALLOC_TEE_BRANCH (pad);
  /* Read now: removing the pad may free it, the branch with it. */
  guint index = branch->index;
  gboolean was_alloc_pad;

  GST_OBJECT_LOCK (self);
  was_alloc_pad = self->alloc_pad == pad;
  if (was_alloc_pad)
    self->alloc_pad = NULL;
  GST_OBJECT_UNLOCK (self);
  /* No buffer is served to it from now on; deactivating it wakes a push
   * held in a blocking probe. */
  gst_alloc_tee_branch_release (branch);
  gst_pad_set_active (pad, FALSE);
  gst_alloc_tee_branch_finish_release (branch);
  /* Unlinking inside remove_pad renegotiates when the departure lets a
   * converted branch share. */
  gst_element_remove_pad (element, pad);
  free_index (self, index);
  if (was_alloc_pad)
    g_object_notify (G_OBJECT (self), "alloc-pad");
}

static GstStateChangeReturn
gst_alloc_tee_change_state (GstElement * element, GstStateChange transition)
{
  GstAllocTee *self = GST_ALLOC_TEE (element);
  GstStateChangeReturn ret;
  GstBufferPool *pool;
  GstAllocConstraints *merged;
  GPtrArray *branches;
  guint i;

  ret = GST_ELEMENT_CLASS (gst_alloc_tee_parent_class)->change_state (element,
      transition);
  if (transition != GST_STATE_CHANGE_PAUSED_TO_READY)
    return ret;

  GST_OBJECT_LOCK (self);
  pool = g_steal_pointer (&self->pool);
  merged = g_steal_pointer (&self->merged);
  self->have_info = FALSE;
  GST_OBJECT_UNLOCK (self);
  g_clear_object (&pool);
  gst_alloc_constraints_free (merged);
  /* The copy pools' memory goes with the stream; the counters stay, for
   * the application to read after the run. */
  branches = branches_snapshot (self);
  for (i = 0; i < branches->len; i++)
    gst_alloc_tee_branch_forget_stream (branches->pdata[i]);
  g_ptr_array_unref (branches);
  return ret;
}

static void
set_alloc_pad (GstAllocTee * self, GstPad * pad)
{
  /* tee kept it for compatibility and it has no effect there either: the
   * ALLOCATION answer is always the merge of every branch. */
  GST_OBJECT_LOCK (self);
  if (!pad || GST_OBJECT_PARENT (pad) == GST_OBJECT (self))
    self->alloc_pad = pad;
  else
    GST_WARNING_OBJECT (self, "alloc-pad %s is not one of my pads",
        GST_OBJECT_NAME (pad));
  GST_OBJECT_UNLOCK (self);
}

static void
gst_alloc_tee_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstAllocTee *self = GST_ALLOC_TEE (object);

  switch (prop_id) {
    case PROP_SOLVER:
      gst_alloc_element_set_solver (GST_ELEMENT (self), value, &self->solver);
      return;
    case PROP_ALLOC_PAD:
      set_alloc_pad (self, g_value_get_object (value));
      return;
    default:
      break;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_ALLOW_COPIES:
      self->allow_copies = g_value_get_boolean (value);
      break;
    case PROP_POOL_BUDGET:
      self->pool_budget = g_value_get_uint64 (value);
      break;
    case PROP_HAS_CHAIN:
      self->has_chain = g_value_get_boolean (value);
      break;
    case PROP_SILENT:
      self->silent = g_value_get_boolean (value);
      break;
    case PROP_PULL_MODE:
      self->pull_mode = g_value_get_enum (value);
      break;
    case PROP_ALLOW_NOT_LINKED:
      self->allow_not_linked = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_alloc_tee_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstAllocTee *self = GST_ALLOC_TEE (object);
  GstAllocator *backend;

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_ALLOW_COPIES:
      g_value_set_boolean (value, self->allow_copies);
      break;
    case PROP_SOLVER:
      g_value_set_object (value, self->solver);
      break;
    case PROP_POOL_BUDGET:
      g_value_set_uint64 (value, self->pool_budget);
      break;
    case PROP_MERGED_CONSTRAINTS:
      g_value_take_string (value, self->merged ?
          gst_alloc_constraints_to_string (self->merged) : NULL);
      break;
    case PROP_BACKEND:
      backend = self->pool ?
          gst_alloc_pool_get_backend (GST_ALLOC_POOL (self->pool)) : NULL;
      g_value_set_string (value, backend ? GST_OBJECT_NAME (backend) : NULL);
      g_clear_object (&backend);
      break;
    case PROP_NUM_SRC_PADS:
      g_value_set_int (value, GST_ELEMENT (self)->numsrcpads);
      break;
    case PROP_HAS_CHAIN:
      g_value_set_boolean (value, self->has_chain);
      break;
    case PROP_SILENT:
      g_value_set_boolean (value, self->silent);
      break;
    case PROP_LAST_MESSAGE:
      g_value_set_string (value, self->last_message);
      break;
    case PROP_PULL_MODE:
      g_value_set_enum (value, self->pull_mode);
      break;
    case PROP_ALLOC_PAD:
      g_value_set_object (value, self->alloc_pad);
      break;
    case PROP_ALLOW_NOT_LINKED:
      g_value_set_boolean (value, self->allow_not_linked);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_alloc_tee_dispose (GObject * object)
{
  GstElement *element = GST_ELEMENT (object);

  /* As tee: the request pads go with the element. */
  while (element->srcpads)
    gst_element_release_request_pad (element, element->srcpads->data);
  G_OBJECT_CLASS (gst_alloc_tee_parent_class)->dispose (object);
}

static void
gst_alloc_tee_finalize (GObject * object)
{
  GstAllocTee *self = GST_ALLOC_TEE (object);

  g_hash_table_unref (self->pad_indexes);
  g_free (self->last_message);
  g_clear_object (&self->solver);
  g_clear_object (&self->pool);
  gst_alloc_constraints_free (self->merged);
  G_OBJECT_CLASS (gst_alloc_tee_parent_class)->finalize (object);
}

static void
install_tee_properties (GObjectClass * gobject_class)
{
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  g_object_class_install_property (gobject_class, PROP_NUM_SRC_PADS,
      g_param_spec_int ("num-src-pads", "Num Src Pads",
          "The number of source pads", 0, G_MAXINT, 0,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_HAS_CHAIN,
      g_param_spec_boolean ("has-chain", "Has Chain",
          "If the element can operate in push mode", TRUE, rw));
  g_object_class_install_property (gobject_class, PROP_SILENT,
      g_param_spec_boolean ("silent", "Silent",
          "Don't produce last_message events", TRUE, rw));
  pspec_last_message = g_param_spec_string ("last-message", "Last Message",
      "The message describing current status", NULL,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (gobject_class, PROP_LAST_MESSAGE,
      pspec_last_message);
  g_object_class_install_property (gobject_class, PROP_PULL_MODE,
      g_param_spec_enum ("pull-mode", "Pull mode",
          "Behavior of the tee in pull mode", GST_TYPE_ALLOC_TEE_PULL_MODE,
          GST_ALLOC_TEE_PULL_MODE_NEVER, rw));
  g_object_class_install_property (gobject_class, PROP_ALLOC_PAD,
      g_param_spec_object ("alloc-pad", "Allocation Src Pad",
          "Kept from tee, where it is deprecated and has no effect: the "
          "ALLOCATION answer is always the merge of every branch",
          GST_TYPE_PAD, rw | G_PARAM_DEPRECATED));
  g_object_class_install_property (gobject_class, PROP_ALLOW_NOT_LINKED,
      g_param_spec_boolean ("allow-not-linked", "Allow not linked",
          "Return GST_FLOW_OK even if there are no source pads or they are "
          "all unlinked", FALSE, rw));
}

static void
install_alloc_properties (GObjectClass * gobject_class)
{
  g_object_class_install_property (gobject_class, PROP_ALLOW_COPIES,
      g_param_spec_boolean ("allow-copies", "Allow copies",
          "Serve a branch that needs other memory than the others with "
          "copies into a pool of its own; when false such a branch gets "
          "nothing and an error of its own, naming the fields or the "
          "producer", TRUE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_SOLVER,
      gst_alloc_element_solver_pspec ());
  g_object_class_install_property (gobject_class, PROP_POOL_BUDGET,
      gst_alloc_element_pool_budget_pspec ());
  g_object_class_install_property (gobject_class, PROP_MERGED_CONSTRAINTS,
      g_param_spec_string ("merged-constraints", "Merged constraints",
          "What the shared buffers satisfy: the merge of every zero-copy "
          "branch's needs", NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_BACKEND,
      g_param_spec_string ("backend", "Backend",
          "The backend the shared buffers come from", NULL,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void
gst_alloc_tee_class_init (GstAllocTeeClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gst_alloc_elements_init ();
  GST_DEBUG_CATEGORY_INIT (gst_alloc_tee_debug, "alloctee", 0,
      "tee that allocates once for every branch");

  gobject_class->set_property = gst_alloc_tee_set_property;
  gobject_class->get_property = gst_alloc_tee_get_property;
  gobject_class->dispose = gst_alloc_tee_dispose;
  gobject_class->finalize = gst_alloc_tee_finalize;
  install_alloc_properties (gobject_class);
  install_tee_properties (gobject_class);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &src_template, GST_TYPE_ALLOC_TEE_BRANCH);
  gst_element_class_set_static_metadata (element_class,
      "Allocate-once tee", "Generic",
      "1-to-N pipe fitting that answers upstream with one pool satisfying "
      "every compatible branch; copies only for branches that need other "
      "memory, and says why", "gst-alloc developers");
  element_class->change_state = gst_alloc_tee_change_state;
  element_class->request_new_pad = gst_alloc_tee_request_new_pad;
  element_class->release_pad = gst_alloc_tee_release_pad;

  gst_type_mark_as_plugin_api (GST_TYPE_ALLOC_TEE_BRANCH, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_ALLOC_TEE_BRANCH_MODE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_ALLOC_TEE_PULL_MODE, 0);
}

static void
gst_alloc_tee_init (GstAllocTee * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad, gst_alloc_tee_chain);
  gst_pad_set_event_function (self->sinkpad, gst_alloc_tee_sink_event);
  gst_pad_set_query_function (self->sinkpad, gst_alloc_tee_sink_query);
  gst_pad_set_activatemode_function (self->sinkpad,
      gst_alloc_tee_sink_activate_mode);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
  self->pad_indexes = g_hash_table_new (NULL, NULL);
  self->allow_copies = TRUE;
  self->has_chain = TRUE;
  self->silent = TRUE;
}
