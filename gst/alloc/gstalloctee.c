/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-alloctee
 * @title: alloctee
 *
 * A tee that allocates once for all its branches. When upstream asks for an
 * ALLOCATION answer, alloctee asks every branch what it needs, merges the
 * needs that can be merged and answers with one pool that satisfies all
 * those branches; they then receive the very same buffers. A branch whose
 * needs conflict with the others (planes=separate among single-plane
 * consumers, uncached against cached, ...) gets copies made into a pool of
 * its own, and only that branch. A branch that no backend can serve at all
 * is an error, never a silent copy.
 *
 * Each decision is posted as an element message named "alloctee-decision"
 * and each source pad exposes its mode, the reason and counters (buffers,
 * copies, bytes-copied). With allow-copies=false a conflict is an error
 * that names the branches and the fields.
 *
 * |[
 * gst-launch-1.0 videotestsrc ! video/x-raw,format=NV12,width=1920,height=1080 ! \
 *   alloctee name=t \
 *   t. ! queue ! allocchecksink constraints=stride-align=256,memory=dmabuf|memfd \
 *   t. ! queue ! allocchecksink constraints=stride-align=64,height-align=16
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloctee.h"

#include <gst/base/gstflowcombiner.h>

GST_DEBUG_CATEGORY (gst_alloc_tee_debug);
#define GST_CAT_DEFAULT gst_alloc_tee_debug

#define GST_TYPE_ALLOC_TEE (gst_alloc_tee_get_type ())
G_DECLARE_FINAL_TYPE (GstAllocTee, gst_alloc_tee, GST, ALLOC_TEE, GstElement)
     struct _GstAllocTee
     {
       GstElement parent;

       GstPad *sinkpad;
       guint next_pad_index;

       /* Under the object lock. */
       GstFlowCombiner *combiner;
       gboolean allow_copies;
       GstAllocSolver *solver;
       GstVideoInfo info;
       gboolean have_info;
       GstBufferPool *pool;
       GstAllocConstraints *merged;
     };

     enum
     {
       PROP_0,
       PROP_ALLOW_COPIES,
       PROP_SOLVER,
       PROP_MERGED_CONSTRAINTS,
       PROP_BACKEND,
     };

     static GstStaticPadTemplate sink_template =
         GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

     static GstStaticPadTemplate src_template =
         GST_STATIC_PAD_TEMPLATE ("src_%u",
    GST_PAD_SRC, GST_PAD_REQUEST, GST_STATIC_CAPS_ANY);

G_DEFINE_TYPE (GstAllocTee, gst_alloc_tee, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (alloctee, "alloctee", GST_RANK_NONE,
    GST_TYPE_ALLOC_TEE);

     static GPtrArray *branches_snapshot (GstAllocTee * self)
{
  GPtrArray *branches = g_ptr_array_new_with_free_func (gst_object_unref);
  GList *l;

  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT (self)->srcpads; l; l = l->next)
    g_ptr_array_add (branches, gst_object_ref (l->data));
  GST_OBJECT_UNLOCK (self);
  return branches;
}

static GstAllocSolver *
get_solver (GstAllocTee * self)
{
  GstAllocSolver *solver;

  GST_OBJECT_LOCK (self);
  solver = self->solver ? gst_object_ref (self->solver) :
      gst_object_ref (gst_alloc_solver_get_default ());
  GST_OBJECT_UNLOCK (self);
  return solver;
}

/* --- negotiation --- */

typedef struct
{
  GstAllocTeeBranch *branch;
  GstQuery *query;              /* the branch's own ALLOCATION answer */
  GstAllocConstraints *wants;   /* NULL: not linked */
  gboolean own_format;          /* takes none of the stream's formats */
  GstVideoInfo out_info;        /* its format when own_format */
  guint compatible;             /* how many other branches it merges with */
  GstAllocTeeBranchMode mode;
  gchar *reason;
  GstBufferPool *pool;
} Branch;

static void
branch_clear (gpointer data)
{
  Branch *b = data;

  gst_clear_query (&b->query);
  gst_alloc_constraints_free (b->wants);
  g_free (b->reason);
  g_clear_object (&b->pool);
}

/* Asks one branch what it needs. A peer that answers nothing (fakesink)
 * needs nothing; an answer that contradicts itself is an error. */
static gboolean
ask_branch (Branch * b, GstCaps * caps, GError ** error)
{
  GstCaps *own_caps;
  gchar *origin;

  if (!gst_pad_is_linked (GST_PAD (b->branch)))
    return TRUE;
  origin = gst_alloc_tee_branch_consumer_name (b->branch);
  b->own_format = gst_alloc_tee_branch_get_format (b->branch, &b->out_info,
      &b->reason);
  own_caps = b->own_format ? gst_video_info_to_caps (&b->out_info) : NULL;
  b->query = gst_query_new_allocation (own_caps ? own_caps : caps, TRUE);
  gst_clear_caps (&own_caps);
  if (gst_pad_peer_query (GST_PAD (b->branch), b->query))
    b->wants = gst_alloc_constraints_from_allocation_query (b->query, origin,
        error);
  else
    b->wants = gst_alloc_constraints_new ();
  g_free (origin);
  return b->wants != NULL;
}

static void
count_compatible (GArray * branches)
{
  GstAllocConstraints *m;
  Branch *a, *b;
  guint i, j;

  for (i = 0; i < branches->len; i++) {
    a = &g_array_index (branches, Branch, i);
    for (j = i + 1; a->wants && !a->own_format && j < branches->len; j++) {
      b = &g_array_index (branches, Branch, j);
      if (!b->wants || b->own_format
          || !(m = gst_alloc_constraints_merge (a->wants, b->wants, NULL)))
        continue;
      gst_alloc_constraints_free (m);
      a->compatible++;
      b->compatible++;
    }
  }
}

/* Most compatible first, then pad order: a lone outlier is the branch that
 * gets converted, whatever its pad index. */
static gint
compare_compatible (gconstpointer pa, gconstpointer pb)
{
  const Branch *a = *(const Branch * const *) pa;
  const Branch *b = *(const Branch * const *) pb;

  if (a->compatible != b->compatible)
    return a->compatible > b->compatible ? -1 : 1;
  return 0;
}

/* Joins @b to the shared set if the result is still feasible, otherwise
 * marks it converted with the reason. FALSE when @b alone is infeasible. */
static gboolean
join_branch (GstAllocTee * self, Branch * b, GstAllocConstraints ** merged,
    GstAllocSolver * solver, GError ** error)
{
  GstAllocConstraints *candidate;
  GError *why = NULL;

  /* A branch with a format of its own gets converted frames in any case,
   * from a pool for its needs alone. */
  if (b->own_format) {
    b->mode = GST_ALLOC_TEE_BRANCH_CONVERTED;
    return gst_alloc_constraints_is_feasible (b->wants, &b->out_info, solver,
        error);
  }
  if (!gst_alloc_constraints_is_feasible (b->wants, &self->info, solver, error))
    return FALSE;
  candidate = gst_alloc_constraints_merge (*merged, b->wants, &why);
  if (candidate && gst_alloc_constraints_is_feasible (candidate, &self->info,
          solver, &why)) {
    gst_alloc_constraints_free (*merged);
    *merged = candidate;
    b->mode = GST_ALLOC_TEE_BRANCH_ZERO_COPY;
    b->reason = g_strdup ("shares the tee's buffers");
    return TRUE;
  }
  gst_alloc_constraints_free (candidate);
  b->mode = GST_ALLOC_TEE_BRANCH_CONVERTED;
  b->reason = g_strdup (why->message);
  g_error_free (why);
  return TRUE;
}

/* @pool and @c are the decision's own, not read back from the element: a
 * state change may clear those from another thread. */
static void
post_decision (GstAllocTee * self, GArray * branches, GstBufferPool * pool,
    const GstAllocConstraints * c)
{
  GValue list = G_VALUE_INIT, item = G_VALUE_INIT;
  GstAllocator *backend = gst_alloc_pool_get_backend (GST_ALLOC_POOL (pool));
  gchar *merged = gst_alloc_constraints_to_string (c);
  gchar *report = gst_alloc_pool_get_report (GST_ALLOC_POOL (pool));
  GstStructure *s;
  guint i;

  g_value_init (&list, GST_TYPE_ARRAY);
  for (i = 0; i < branches->len; i++) {
    g_value_init (&item, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&item, gst_alloc_tee_branch_describe
        (g_array_index (branches, Branch, i).branch));
    gst_value_array_append_and_take_value (&list, &item);
  }
  s = gst_structure_new ("alloctee-decision",
      "merged", G_TYPE_STRING, merged,
      "backend", G_TYPE_STRING, backend ? GST_OBJECT_NAME (backend) : "",
      "report", G_TYPE_STRING, report, NULL);
  gst_structure_take_value (s, "branches", &list);
  GST_INFO_OBJECT (self, "decision: %" GST_PTR_FORMAT, s);
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), s));
  g_clear_object (&backend);
  g_free (merged);
  g_free (report);
}

/* Names each listed branch and its reason, one per line. */
static gchar *
describe_branches (GArray * branches, GstAllocTeeBranchMode mode)
{
  GString *text = g_string_new (NULL);
  gchar *peer;
  Branch *b;
  guint i;

  for (i = 0; i < branches->len; i++) {
    b = &g_array_index (branches, Branch, i);
    if (!b->wants || b->mode != mode)
      continue;
    peer = gst_alloc_tee_branch_consumer_name (b->branch);
    g_string_append_printf (text, "%s%s (%s): %s", text->len ? "\n" : "",
        GST_OBJECT_NAME (b->branch), peer, b->reason);
    g_free (peer);
  }
  return g_string_free (text, FALSE);
}

/* Decides every branch's mode and the shared set; FALSE (error posted) when
 * a branch is infeasible on its own or copies are forbidden. */
static gboolean
decide (GstAllocTee * self, GArray * branches, GstCaps * caps,
    GstAllocSolver * solver, GstAllocConstraints ** merged)
{
  GPtrArray *order = g_ptr_array_new ();
  GError *err = NULL;
  gboolean ok = TRUE, allow_copies;
  gchar *peer, *conflicts;
  Branch *b = NULL;
  guint i;

  for (i = 0; ok && i < branches->len; i++) {
    b = &g_array_index (branches, Branch, i);
    ok = ask_branch (b, caps, &err);
    if (b->wants)
      g_ptr_array_add (order, b);
  }
  if (!ok) {
    peer = gst_alloc_tee_branch_consumer_name (b->branch);
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("Branch %s (%s) gave an "
            "ALLOCATION answer that cannot be read: %s",
            GST_OBJECT_NAME (b->branch), peer, err->message), (NULL));
    g_free (peer);
    g_error_free (err);
    g_ptr_array_free (order, TRUE);
    return FALSE;
  }
  count_compatible (branches);
  g_ptr_array_sort (order, compare_compatible);
  for (i = 0; ok && i < order->len; i++) {
    b = order->pdata[i];
    ok = join_branch (self, b, merged, solver, &err);
  }
  g_ptr_array_free (order, TRUE);

  if (!ok) {
    peer = gst_alloc_tee_branch_consumer_name (b->branch);
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("Branch %s (%s) cannot be "
            "served by any backend: %s", GST_OBJECT_NAME (b->branch), peer,
            err->message), (NULL));
    g_free (peer);
    g_error_free (err);
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  allow_copies = self->allow_copies;
  GST_OBJECT_UNLOCK (self);
  conflicts = describe_branches (branches, GST_ALLOC_TEE_BRANCH_CONVERTED);
  if (*conflicts && !allow_copies) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("The branches of %s need "
            "buffers that cannot be shared, and allow-copies is false:\n%s",
            GST_OBJECT_NAME (self), conflicts), (NULL));
    ok = FALSE;
  }
  g_free (conflicts);
  return ok;
}

/* Converted branches get a pool of their own now, so a failure shows at
 * negotiation rather than on the first frame. */
static gboolean
make_branch_pools (GstAllocTee * self, GArray * branches,
    GstAllocSolver * solver)
{
  GError *err = NULL;
  gchar *name;
  Branch *b;
  guint i;

  for (i = 0; i < branches->len; i++) {
    b = &g_array_index (branches, Branch, i);
    if (!b->wants || b->mode != GST_ALLOC_TEE_BRANCH_CONVERTED)
      continue;
    name = g_strdup_printf ("%s-pool", GST_OBJECT_NAME (b->branch));
    b->pool = gst_alloc_query_answer (b->query, b->wants, solver, name, &err);
    g_free (name);
    if (!b->pool) {
      GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("Cannot allocate for "
              "branch %s.", GST_OBJECT_NAME (b->branch)), ("%s", err->message));
      g_error_free (err);
      return FALSE;
    }
  }
  return TRUE;
}

static void
apply_decision (GstAllocTee * self, GArray * branches, GstBufferPool * pool,
    GstAllocConstraints * merged)
{
  GstBufferPool *old_pool;
  GstAllocConstraints *old_merged;
  Branch *b;
  guint i;

  for (i = 0; i < branches->len; i++) {
    b = &g_array_index (branches, Branch, i);
    gst_alloc_tee_branch_set_decision (b->branch, b->wants, b->mode,
        b->wants ? b->reason : "not linked", g_steal_pointer (&b->pool));
  }
  GST_OBJECT_LOCK (self);
  old_pool = self->pool;
  old_merged = self->merged;
  self->pool = pool;
  self->merged = merged;
  GST_OBJECT_UNLOCK (self);
  g_clear_object (&old_pool);
  gst_alloc_constraints_free (old_merged);
}

static gboolean
gst_alloc_tee_answer_allocation (GstAllocTee * self, GstQuery * query)
{
  GstAllocSolver *solver = get_solver (self);
  GstAllocConstraints *merged = gst_alloc_constraints_new ();
  GPtrArray *pads = branches_snapshot (self);
  GArray *branches = g_array_sized_new (FALSE, TRUE, sizeof (Branch),
      pads->len);
  GstBufferPool *pool = NULL;
  GstAllocConstraints *post_merged;
  GError *err = NULL;
  gboolean answered = FALSE;
  GstVideoInfo info;
  GstCaps *caps;
  guint i;

  g_array_set_clear_func (branches, branch_clear);
  g_array_set_size (branches, pads->len);
  for (i = 0; i < pads->len; i++)
    g_array_index (branches, Branch, i).branch = pads->pdata[i];

  gst_query_parse_allocation (query, &caps, NULL);
  if (!caps || !gst_video_info_from_caps (&info, caps)) {
    GST_DEBUG_OBJECT (self, "not raw video: upstream allocates on its own");
    answered = TRUE;
    goto done;
  }
  GST_OBJECT_LOCK (self);
  self->info = info;
  self->have_info = TRUE;
  GST_OBJECT_UNLOCK (self);
  if (!decide (self, branches, caps, solver, &merged)
      || !make_branch_pools (self, branches, solver))
    goto done;
  pool = gst_alloc_query_answer (query, merged, solver,
      GST_OBJECT_NAME (self), &err);
  if (!pool) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("Cannot allocate for the "
            "branches of %s.", GST_OBJECT_NAME (self)), ("%s", err->message));
    g_error_free (err);
    goto done;
  }
  post_merged = gst_alloc_constraints_copy (merged);
  apply_decision (self, branches, gst_object_ref (pool),
      g_steal_pointer (&merged));
  post_decision (self, branches, pool, post_merged);
  gst_alloc_constraints_free (post_merged);
  gst_clear_object (&pool);
  answered = TRUE;

done:
  gst_alloc_constraints_free (merged);
  g_array_unref (branches);
  g_ptr_array_unref (pads);
  gst_object_unref (solver);
  return answered;
}

/* --- streaming --- */

static GstFlowReturn
gst_alloc_tee_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstAllocTee *self = GST_ALLOC_TEE (parent);
  GPtrArray *branches = branches_snapshot (self);
  GstAllocSolver *solver = get_solver (self);
  GstFlowReturn ret = GST_FLOW_NOT_LINKED, pad_ret;
  GstBufferPool *pool;
  GstVideoInfo info;
  gboolean have_info;
  guint i;

  GST_OBJECT_LOCK (self);
  pool = self->pool ? gst_object_ref (self->pool) : NULL;
  info = self->info;
  have_info = self->have_info;
  GST_OBJECT_UNLOCK (self);

  for (i = 0; i < branches->len; i++) {
    pad_ret = gst_alloc_tee_branch_push (branches->pdata[i],
        gst_buffer_ref (buffer), have_info ? &info : NULL, pool, solver);
    GST_OBJECT_LOCK (self);
    ret = gst_flow_combiner_update_pad_flow (self->combiner,
        branches->pdata[i], pad_ret);
    GST_OBJECT_UNLOCK (self);
  }
  gst_buffer_unref (buffer);
  g_clear_object (&pool);
  gst_object_unref (solver);
  g_ptr_array_unref (branches);
  return ret;
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
    self->have_info = gst_video_info_from_caps (&info, caps);
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

/* --- branches coming and going --- */

static gboolean
store_sticky_event (GstPad * pad, GstEvent ** event, gpointer user_data)
{
  GstPad *branch = user_data;

  /* A new branch starts with the stream's current state (stream-start,
   * caps, segment), as if it had been there from the start. */
  gst_pad_store_sticky_event (branch, *event);
  return TRUE;
}

static void
ask_upstream_to_renegotiate (GstAllocTee * self)
{
  GST_DEBUG_OBJECT (self, "branches changed: asking upstream to renegotiate");
  gst_pad_push_event (self->sinkpad, gst_event_new_reconfigure ());
}

/* A branch linked while the stream runs asks upstream to reconfigure; its
 * format is settled here first, as upstream will not resend equal caps. */
static gboolean
gst_alloc_tee_branch_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstAllocTee *self = GST_ALLOC_TEE (parent);
  GstCaps *caps;

  if (GST_EVENT_TYPE (event) == GST_EVENT_RECONFIGURE
      && (caps = gst_pad_get_current_caps (self->sinkpad))) {
    gst_alloc_tee_branch_check_format (GST_ALLOC_TEE_BRANCH (pad), caps);
    gst_caps_unref (caps);
  }
  return gst_pad_event_default (pad, parent, event);
}

static gboolean
gst_alloc_tee_branch_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  if (GST_QUERY_TYPE (query) == GST_QUERY_CAPS)
    return gst_alloc_tee_src_query_caps (GST_ELEMENT (parent),
        GST_ALLOC_TEE (parent)->sinkpad, query);
  return gst_pad_query_default (pad, parent, query);
}

/* Linking already asks upstream to renegotiate (gst_pad_link() sends a
 * reconfigure event); unlinking does not, so the tee does. */
static void
branch_unlinked (GstPad * pad, GstPad * peer, gpointer user_data)
{
  ask_upstream_to_renegotiate (GST_ALLOC_TEE (user_data));
}

static GstPad *
gst_alloc_tee_request_new_pad (GstElement * element, GstPadTemplate * templ,
    const gchar * name, const GstCaps * caps)
{
  GstAllocTee *self = GST_ALLOC_TEE (element);
  GstPad *pad;
  gchar *pad_name;

  GST_OBJECT_LOCK (self);
  pad_name = name ? g_strdup (name) :
      g_strdup_printf ("src_%u", self->next_pad_index++);
  GST_OBJECT_UNLOCK (self);
  pad = g_object_new (GST_TYPE_ALLOC_TEE_BRANCH, "name", pad_name,
      "direction", GST_PAD_SRC, "template", templ, NULL);
  g_free (pad_name);
  GST_PAD_SET_PROXY_CAPS (pad);
  gst_pad_set_event_function (pad, gst_alloc_tee_branch_event);
  gst_pad_set_query_function (pad, gst_alloc_tee_branch_query);
  g_signal_connect_object (pad, "unlinked", G_CALLBACK (branch_unlinked),
      self, 0);

  if (GST_STATE (self) > GST_STATE_READY)
    gst_pad_set_active (pad, TRUE);
  gst_pad_sticky_events_foreach (self->sinkpad, store_sticky_event, pad);
  if (!gst_element_add_pad (element, pad)) {
    gst_object_unref (pad);
    return NULL;
  }
  GST_OBJECT_LOCK (self);
  gst_flow_combiner_add_pad (self->combiner, pad);
  GST_OBJECT_UNLOCK (self);
  return pad;
}

static void
gst_alloc_tee_release_pad (GstElement * element, GstPad * pad)
{
  GstAllocTee *self = GST_ALLOC_TEE (element);

  GST_OBJECT_LOCK (self);
  gst_flow_combiner_remove_pad (self->combiner, pad);
  GST_OBJECT_UNLOCK (self);
  /* Nothing of the branch is freed here: the streaming thread may still be
   * pushing through it from its snapshot; its pool and converter go when
   * the last reference does. */
  gst_pad_set_active (pad, FALSE);
  /* Unlinking inside remove_pad renegotiates: the departed branch's needs
   * no longer bind the others. */
  gst_element_remove_pad (element, pad);
}

static GstStateChangeReturn
gst_alloc_tee_change_state (GstElement * element, GstStateChange transition)
{
  GstAllocTee *self = GST_ALLOC_TEE (element);
  GstStateChangeReturn ret;
  GstBufferPool *pool;
  GstAllocConstraints *merged;

  ret = GST_ELEMENT_CLASS (gst_alloc_tee_parent_class)->change_state (element,
      transition);
  if (transition != GST_STATE_CHANGE_PAUSED_TO_READY)
    return ret;

  GST_OBJECT_LOCK (self);
  pool = g_steal_pointer (&self->pool);
  merged = g_steal_pointer (&self->merged);
  self->have_info = FALSE;
  gst_flow_combiner_reset (self->combiner);
  GST_OBJECT_UNLOCK (self);
  g_clear_object (&pool);
  gst_alloc_constraints_free (merged);
  return ret;
}

static void
gst_alloc_tee_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstAllocTee *self = GST_ALLOC_TEE (object);

  switch (prop_id) {
    case PROP_ALLOW_COPIES:
      GST_OBJECT_LOCK (self);
      self->allow_copies = g_value_get_boolean (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_SOLVER:
      gst_alloc_element_set_solver (GST_ELEMENT (self), value, &self->solver);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
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
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_alloc_tee_finalize (GObject * object)
{
  GstAllocTee *self = GST_ALLOC_TEE (object);

  gst_flow_combiner_free (self->combiner);
  g_clear_object (&self->solver);
  g_clear_object (&self->pool);
  gst_alloc_constraints_free (self->merged);
  G_OBJECT_CLASS (gst_alloc_tee_parent_class)->finalize (object);
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
  gobject_class->finalize = gst_alloc_tee_finalize;

  g_object_class_install_property (gobject_class, PROP_ALLOW_COPIES,
      g_param_spec_boolean ("allow-copies", "Allow copies",
          "Serve a branch whose needs conflict with the others' with copies "
          "into a pool of its own; when false such a conflict is an error "
          "naming the branches and the fields", TRUE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_SOLVER,
      gst_alloc_element_solver_pspec ());
  g_object_class_install_property (gobject_class, PROP_MERGED_CONSTRAINTS,
      g_param_spec_string ("merged-constraints", "Merged constraints",
          "What the shared buffers satisfy: the merge of every zero-copy "
          "branch's needs", NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_BACKEND,
      g_param_spec_string ("backend", "Backend",
          "The backend the shared buffers come from", NULL,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &src_template, GST_TYPE_ALLOC_TEE_BRANCH);
  gst_element_class_set_static_metadata (element_class,
      "Allocate-once tee", "Generic",
      "Sends its input to every branch from one pool that satisfies all "
      "compatible branches; copies only for branches whose needs conflict, "
      "and says why", "gst-alloc developers");
  element_class->change_state = gst_alloc_tee_change_state;
  element_class->request_new_pad = gst_alloc_tee_request_new_pad;
  element_class->release_pad = gst_alloc_tee_release_pad;

  gst_type_mark_as_plugin_api (GST_TYPE_ALLOC_TEE_BRANCH, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_ALLOC_TEE_BRANCH_MODE, 0);
}

static void
gst_alloc_tee_init (GstAllocTee * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad, gst_alloc_tee_chain);
  gst_pad_set_event_function (self->sinkpad, gst_alloc_tee_sink_event);
  gst_pad_set_query_function (self->sinkpad, gst_alloc_tee_sink_query);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
  self->combiner = gst_flow_combiner_new ();
  self->allow_copies = TRUE;
}
