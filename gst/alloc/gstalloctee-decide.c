/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* alloctee's negotiation: ask every branch what it needs, merge what can be
 * merged (most compatible branches first, so a lone outlier is the one
 * converted), count the buffers the branches hold together, and answer
 * upstream with one pool. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloctee.h"

GST_DEBUG_CATEGORY_EXTERN (gst_alloc_tee_debug);
#define GST_CAT_DEFAULT gst_alloc_tee_debug

/* Frames a branch's latency suggests it holds, as a hint for the buffers
 * allocated at start; growth covers the rest. */
#define MAX_LATENCY_FRAMES 32

typedef struct
{
  GstAllocTeeBranch *branch;
  GstQuery *query;              /* the branch's own ALLOCATION answer */
  GstAllocConstraints *wants;   /* NULL: not linked */
  gboolean own_format;          /* takes none of the stream's formats */
  GstVideoInfo out_info;        /* its format when own_format */
  guint latency_frames;
  gboolean was_shared;          /* zero-copy in the decision in force */
  guint compatible;             /* how many other branches it merges with */
  GstAllocTeeBranchMode mode;
  gboolean view;                /* zero-copy through views */
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

/* A consumer that does not list GstVideoMeta in its answer reads frames at
 * GstVideoInfo's default layout (GStreamer's rule), and so does one that
 * answers nothing at all (fakesink, filesink, appsink). */
static gboolean
reads_video_meta (GstQuery * answer, gboolean answered)
{
  return answered && gst_query_find_allocation_meta (answer,
      GST_VIDEO_META_API_TYPE, NULL);
}

GstAllocConstraints *
gst_alloc_tee_ask_branch (GstAllocTeeBranch * branch, GstCaps * caps,
    GstQuery ** answer, GError ** error)
{
  /* No pool wanted from the branch, as tee asks: the tee makes its own. */
  GstQuery *query = gst_query_new_allocation (caps, FALSE);
  GstAllocConstraints *c;
  gchar *origin = gst_alloc_tee_branch_consumer_name (branch);
  gboolean answered;

  answered = gst_pad_peer_query (GST_PAD (branch), query);
  c = answered ? gst_alloc_constraints_from_allocation_query (query, origin,
      error) : gst_alloc_constraints_new ();
  if (c && !reads_video_meta (query, answered)) {
    c->default_layout = TRUE;
    gst_alloc_constraints_set_field_origin (c, GST_ALLOC_FIELD_DEFAULT_LAYOUT,
        origin);
  }
  g_free (origin);
  if (answer)
    *answer = query;
  else
    gst_query_unref (query);
  return c;
}

/* How many frames the branch's latency covers at the stream's rate. */
static guint
latency_frames (GstAllocTeeBranch * branch, const GstVideoInfo * info)
{
  GstQuery *query;
  GstClockTime min = 0, frame;
  gboolean live;
  guint frames = 0;

  if (GST_VIDEO_INFO_FPS_N (info) <= 0 || GST_VIDEO_INFO_FPS_D (info) <= 0)
    return 0;
  frame = gst_util_uint64_scale_int (GST_SECOND, GST_VIDEO_INFO_FPS_D (info),
      GST_VIDEO_INFO_FPS_N (info));
  query = gst_query_new_latency ();
  if (gst_pad_peer_query (GST_PAD (branch), query)) {
    gst_query_parse_latency (query, &live, &min, NULL);
    if (GST_CLOCK_TIME_IS_VALID (min) && frame)
      frames = MIN ((min + frame - 1) / frame, MAX_LATENCY_FRAMES);
  }
  gst_query_unref (query);
  return frames;
}

/* Asks one branch what it needs. An answer that contradicts itself is an
 * error. */
static gboolean
ask_branch (Branch * b, GstCaps * caps, const GstVideoInfo * info,
    GError ** error)
{
  GstCaps *own_caps = NULL;

  if (!gst_pad_is_linked (GST_PAD (b->branch)))
    return TRUE;
  GST_OBJECT_LOCK (b->branch);
  b->was_shared = b->branch->decided && !b->branch->conflict;
  GST_OBJECT_UNLOCK (b->branch);
  b->own_format = gst_alloc_tee_branch_get_format (b->branch, &b->out_info,
      &b->reason);
  if (b->own_format)
    own_caps = gst_video_info_to_caps (&b->out_info);
  b->wants = gst_alloc_tee_ask_branch (b->branch, own_caps ? own_caps : caps,
      &b->query, error);
  gst_clear_caps (&own_caps);
  b->latency_frames = latency_frames (b->branch, info);
  return b->wants != NULL;
}

static void
count_compatible (GArray * branches, const GstVideoInfo * info)
{
  Branch *a, *b;
  guint i, j;

  for (i = 0; i < branches->len; i++) {
    a = &g_array_index (branches, Branch, i);
    for (j = i + 1; a->wants && !a->own_format && j < branches->len; j++) {
      b = &g_array_index (branches, Branch, j);
      if (!b->wants || b->own_format
          || !gst_alloc_tee_can_share (a->wants, b->wants, info))
        continue;
      a->compatible++;
      b->compatible++;
    }
  }
}

/* Most compatible first, so a lone outlier is the branch that gets
 * converted, whatever its pad index; among equals, those already sharing
 * (a newcomer does not displace them), then pad order (a stable sort). */
static gint
compare_compatible (gconstpointer pa, gconstpointer pb)
{
  const Branch *a = *(const Branch * const *) pa;
  const Branch *b = *(const Branch * const *) pb;

  if (a->compatible != b->compatible)
    return a->compatible > b->compatible ? -1 : 1;
  if (a->was_shared != b->was_shared)
    return a->was_shared ? -1 : 1;
  return 0;
}

/* Joins @b to the shared set if the result is still feasible and still
 * serves the branches that joined before (@served: their sets; some may
 * take views), else through views (gstalloctee-view.c), otherwise marks
 * it converted with the reason. FALSE when @b alone is infeasible. */
static gboolean
join_branch (const GstVideoInfo * info, Branch * b,
    GstAllocConstraints ** merged, GstAllocSolver * solver,
    GPtrArray * served, GError ** error)
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
  if (!gst_alloc_constraints_is_feasible (b->wants, info, solver, error))
    return FALSE;
  candidate = gst_alloc_constraints_merge (*merged, b->wants, &why);
  if (candidate && (!gst_alloc_constraints_is_feasible (candidate, info,
              solver, &why) || !gst_alloc_tee_views_serve (candidate, info,
              served, NULL)))
    g_clear_pointer (&candidate, gst_alloc_constraints_free);
  if (!candidate)
    candidate = gst_alloc_tee_view_candidate (*merged, b->wants, info,
        solver, served);
  if (candidate) {
    gst_alloc_constraints_free (*merged);
    *merged = candidate;
    b->mode = GST_ALLOC_TEE_BRANCH_ZERO_COPY;
    g_ptr_array_add (served, b->wants);
    g_clear_error (&why);
    return TRUE;
  }
  b->mode = GST_ALLOC_TEE_BRANCH_CONVERTED;
  /* A direct merge that failed only because it would break a view of
   * another branch has no error of its own. */
  b->reason = g_strdup (why ? why->message : "its needs and those of the "
      "branches sharing the tee's buffers exclude each other's views");
  g_clear_error (&why);
  return TRUE;
}

/* Once the shared set is final, each zero-copy branch takes the shared
 * buffers as they are or through views, and says which. */
static void
settle_views (GArray * branches, const GstAllocConstraints * merged,
    const GstVideoInfo * info, GstAllocSolver * solver)
{
  Branch *b;
  guint i;

  for (i = 0; i < branches->len; i++) {
    b = &g_array_index (branches, Branch, i);
    if (!b->wants || b->mode != GST_ALLOC_TEE_BRANCH_ZERO_COPY || b->own_format)
      continue;
    g_free (b->reason);
    b->view = gst_alloc_tee_view_reason (merged, b->wants, info, solver,
        &b->reason);
    if (!b->view)
      b->reason = g_strdup ("shares the tee's buffers");
  }
}

/* Branches hold buffers at the same time: the shared pool starts with the
 * sum of what each must keep (its min-buffers) plus the one being filled.
 * What their latency says they hold is a hint on top, kept within half of
 * the budget: the pool grows on demand anyway, a hint must not refuse it. */
static void
count_buffers (GArray * branches, GstAllocConstraints * merged,
    const GstVideoInfo * info, guint64 budget)
{
  GString *who = g_string_new ("the branches together (");
  guint i, needed = 1, hinted = 0;
  const gchar *asker;
  guint64 room;
  Branch *b;

  for (i = 0; i < branches->len; i++) {
    b = &g_array_index (branches, Branch, i);
    if (!b->wants || b->mode != GST_ALLOC_TEE_BRANCH_ZERO_COPY)
      continue;
    needed += b->wants->min_buffers;
    if (b->wants->min_buffers) {
      asker = gst_alloc_constraints_get_origin (b->wants,
          GST_ALLOC_FIELD_MIN_BUFFERS);
      g_string_append_printf (who, "%s%s %u", needed > 1 + b->wants->min_buffers
          ? ", " : "", asker ? asker : GST_OBJECT_NAME (b->branch),
          b->wants->min_buffers);
    }
    if (b->latency_frames > b->wants->min_buffers)
      hinted += b->latency_frames - b->wants->min_buffers;
  }
  g_string_append_printf (who, "%s1 being filled)", needed > 1 ? ", " : "");
  room = GST_VIDEO_INFO_SIZE (info) ? budget / 2 / GST_VIDEO_INFO_SIZE (info)
      : 0;
  hinted = room > needed ? MIN (hinted, room - needed) : 0;
  if (needed + hinted > merged->min_buffers) {
    merged->min_buffers = needed + hinted;
    gst_alloc_constraints_set_field_origin (merged,
        GST_ALLOC_FIELD_MIN_BUFFERS, who->str);
  }
  g_string_free (who, TRUE);
}

/* @pool and @c are the decision's own, not read back from the element: a
 * state change may clear those from another thread. */
static void
post_decision (GstAllocTee * self, GstBufferPool * pool,
    const GstAllocConstraints * c)
{
  GValue list = G_VALUE_INIT, item = G_VALUE_INIT;
  GstAllocator *backend = gst_alloc_pool_get_backend (GST_ALLOC_POOL (pool));
  gchar *merged = gst_alloc_constraints_to_string (c);
  gchar *report = gst_alloc_pool_get_report (GST_ALLOC_POOL (pool));
  GPtrArray *pads = g_ptr_array_new_with_free_func (gst_object_unref);
  GstStructure *s;
  GList *l;
  guint i;

  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT (self)->srcpads; l; l = l->next)
    g_ptr_array_add (pads, gst_object_ref (l->data));
  GST_OBJECT_UNLOCK (self);
  g_value_init (&list, GST_TYPE_ARRAY);
  for (i = 0; i < pads->len; i++) {
    g_value_init (&item, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&item, gst_alloc_tee_branch_describe (pads->pdata[i]));
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
  g_ptr_array_unref (pads);
  g_clear_object (&backend);
  g_free (merged);
  g_free (report);
}

static void
fail_branch (GstAllocTee * self, Branch * b, const gchar * what, GError * err)
{
  gchar *peer = gst_alloc_tee_branch_consumer_name (b->branch);

  GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("Branch %s (%s) %s: %s",
          GST_OBJECT_NAME (b->branch), peer, what, err->message), (NULL));
  g_free (peer);
  g_error_free (err);
}

/* Decides every branch's mode and the shared set; FALSE (error posted) when
 * a branch cannot be read or cannot be served by any backend. */
static gboolean
decide (GstAllocTee * self, GArray * branches, GstCaps * caps,
    const GstVideoInfo * info, GstAllocSolver * solver,
    GstAllocConstraints ** merged)
{
  GPtrArray *order = g_ptr_array_new (), *served;
  GError *err = NULL;
  gboolean ok = TRUE;
  Branch *b = NULL;
  guint64 budget;
  guint i;

  for (i = 0; ok && i < branches->len; i++) {
    b = &g_array_index (branches, Branch, i);
    ok = ask_branch (b, caps, info, &err);
    if (b->wants)
      g_ptr_array_add (order, b);
  }
  if (!ok) {
    fail_branch (self, b, "gave an ALLOCATION answer that cannot be read", err);
    g_ptr_array_free (order, TRUE);
    return FALSE;
  }
  count_compatible (branches, info);
  g_ptr_array_sort (order, compare_compatible);
  served = g_ptr_array_new ();
  for (i = 0; ok && i < order->len; i++) {
    b = order->pdata[i];
    ok = join_branch (info, b, merged, solver, served, &err);
  }
  g_ptr_array_free (served, TRUE);
  g_ptr_array_free (order, TRUE);
  if (!ok) {
    fail_branch (self, b, "cannot be served by any backend", err);
    return FALSE;
  }
  settle_views (branches, *merged, info, solver);
  GST_OBJECT_LOCK (self);
  budget = self->pool_budget ? self->pool_budget :
      gst_alloc_pool_get_default_budget ();
  GST_OBJECT_UNLOCK (self);
  count_buffers (branches, *merged, info, budget);
  return TRUE;
}

/* Whether @pool was configured for @caps (the same format and size). */
static gboolean
pool_configured_for (GstBufferPool * pool, GstCaps * caps)
{
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstCaps *configured = NULL;
  gboolean same;

  gst_buffer_pool_config_get_params (config, &configured, NULL, NULL, NULL);
  same = configured && gst_caps_is_equal (configured, caps);
  gst_structure_free (config);
  return same;
}

/* The pool in force serves a new decision for the same caps that asks for
 * the same memory and layout: kept, so that a branch coming or going does
 * not make the producer allocate again. A different start count does not
 * matter, the pool grows on demand. Returns it and the set it was made
 * for. */
static GstBufferPool *
reusable_pool (GstAllocTee * self, GstCaps * caps,
    const GstAllocConstraints * merged, GstAllocConstraints ** made_for)
{
  GstAllocConstraints *old = NULL, *counted;
  GstBufferPool *pool = NULL;
  gboolean same;

  GST_OBJECT_LOCK (self);
  if (self->pool && self->merged) {
    pool = gst_object_ref (self->pool);
    old = gst_alloc_constraints_copy (self->merged);
  }
  GST_OBJECT_UNLOCK (self);
  if (!pool)
    return NULL;
  counted = gst_alloc_constraints_copy (merged);
  counted->min_buffers = old->min_buffers;
  same = gst_alloc_constraints_is_equal (counted, old)
      && pool_configured_for (pool, caps);
  gst_alloc_constraints_free (counted);
  if (!same) {
    gst_alloc_constraints_free (old);
    gst_object_unref (pool);
    return NULL;
  }
  *made_for = old;
  return pool;
}

GstBufferPool *
gst_alloc_tee_new_pool (GstAllocTee * self, GstAllocSolver * solver,
    const gchar * name, GstAllocTeeBranch * owner)
{
  GstBufferPool *pool = gst_alloc_pool_new (solver);
  guint64 budget;

  gst_object_set_name (GST_OBJECT (pool), name);
  GST_OBJECT_LOCK (self);
  budget = self->pool_budget;
  GST_OBJECT_UNLOCK (self);
  gst_alloc_pool_set_budget (GST_ALLOC_POOL (pool), budget);
  gst_alloc_tee_watch_pool (self, pool, owner);
  return pool;
}

/* The pool a converted branch already copies into, when it still fits:
 * fresh memory costs page faults (and with a DMA heap, an ioctl and page
 * clearing per buffer) on every frame until it is warm. */
static GstBufferPool *
reuse_branch_pool (Branch * b)
{
  GstBufferPool *pool;
  GstCaps *caps;

  GST_OBJECT_LOCK (b->branch);
  pool = b->branch->pool ? gst_object_ref (b->branch->pool) : NULL;
  GST_OBJECT_UNLOCK (b->branch);
  gst_query_parse_allocation (b->query, &caps, NULL);
  if (pool && (!caps || !pool_configured_for (pool, caps)
          || !gst_alloc_query_answer_with_pool (b->query, b->wants, pool,
              NULL)))
    gst_clear_object (&pool);
  return pool;
}

/* Converted branches get a pool of their own now, so a failure shows at
 * negotiation rather than on the first frame. With copies forbidden they
 * get none: they are refused. */
static gboolean
make_branch_pools (GstAllocTee * self, GArray * branches,
    GstAllocSolver * solver, gboolean allow_copies)
{
  GError *err = NULL;
  gchar *name;
  Branch *b;
  guint i;

  for (i = 0; i < branches->len; i++) {
    b = &g_array_index (branches, Branch, i);
    if (!b->wants || b->mode != GST_ALLOC_TEE_BRANCH_CONVERTED)
      continue;
    if (!allow_copies) {
      b->mode = GST_ALLOC_TEE_BRANCH_REFUSED;
      continue;
    }
    if ((b->pool = reuse_branch_pool (b)))
      continue;
    name = g_strdup_printf ("%s-pool", GST_OBJECT_NAME (b->branch));
    b->pool = gst_alloc_tee_new_pool (self, solver, name, b->branch);
    g_free (name);
    if (!gst_alloc_query_answer_with_pool (b->query, b->wants, b->pool, &err)) {
      fail_branch (self, b, "cannot get a pool for its copies", err);
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
        b->view, b->wants ? b->reason : "not linked",
        g_steal_pointer (&b->pool));
  }
  GST_OBJECT_LOCK (self);
  old_pool = self->pool;
  old_merged = self->merged;
  self->pool = pool;
  self->merged = merged;
  self->told_foreign_info = self->told_foreign_warning = FALSE;
  GST_OBJECT_UNLOCK (self);
  g_clear_object (&old_pool);
  gst_alloc_constraints_free (old_merged);
}

static GArray *
branch_records (GstAllocTee * self)
{
  GArray *branches = g_array_new (FALSE, TRUE, sizeof (Branch));
  Branch b = { 0, };
  GList *l;

  g_array_set_clear_func (branches, branch_clear);
  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT (self)->srcpads; l; l = l->next) {
    b.branch = gst_object_ref (l->data);
    g_array_append_val (branches, b);
  }
  GST_OBJECT_UNLOCK (self);
  return branches;
}

static void
unref_branch_pads (GArray * branches)
{
  guint i;

  for (i = 0; i < branches->len; i++)
    gst_object_unref (g_array_index (branches, Branch, i).branch);
}

gboolean
gst_alloc_tee_answer_allocation (GstAllocTee * self, GstQuery * query)
{
  GstAllocSolver *solver;
  GstAllocConstraints *merged = gst_alloc_constraints_new ();
  GArray *branches = branch_records (self);
  GstBufferPool *pool = NULL;
  GstAllocConstraints *post_merged, *made_for = NULL;
  GError *err = NULL;
  gboolean answered = FALSE, allow_copies;
  GstVideoInfo info;
  GstCaps *caps;

  GST_OBJECT_LOCK (self);
  solver = self->solver ? gst_object_ref (self->solver) :
      gst_object_ref (gst_alloc_solver_get_default ());
  allow_copies = self->allow_copies;
  GST_OBJECT_UNLOCK (self);

  gst_query_parse_allocation (query, &caps, NULL);
  if (!caps || !gst_alloc_video_info_from_caps (&info, caps)) {
    GST_DEBUG_OBJECT (self, "not raw video with a linear layout: upstream "
        "allocates on its own");
    answered = TRUE;
    goto done;
  }
  GST_OBJECT_LOCK (self);
  self->info = info;
  self->have_info = TRUE;
  GST_OBJECT_UNLOCK (self);
  if (!decide (self, branches, caps, &info, solver, &merged)
      || !make_branch_pools (self, branches, solver, allow_copies))
    goto done;
  if ((pool = reusable_pool (self, caps, merged, &made_for))) {
    GST_DEBUG_OBJECT (self, "the pool in force still serves every branch");
    gst_alloc_constraints_free (merged);
    merged = made_for;
  } else {
    pool = gst_alloc_tee_new_pool (self, solver, GST_OBJECT_NAME (self), NULL);
  }
  if (!gst_alloc_query_answer_with_pool (query, merged, pool, &err)) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("Cannot allocate for the "
            "branches of %s: %s", GST_OBJECT_NAME (self), err->message),
        (NULL));
    g_error_free (err);
    goto done;
  }
  post_merged = gst_alloc_constraints_copy (merged);
  apply_decision (self, branches, gst_object_ref (pool),
      g_steal_pointer (&merged));
  post_decision (self, pool, post_merged);
  gst_alloc_constraints_free (post_merged);
  answered = TRUE;

done:
  g_clear_object (&pool);
  gst_alloc_constraints_free (merged);
  unref_branch_pads (branches);
  g_array_unref (branches);
  gst_object_unref (solver);
  return answered;
}

/* --- branches joining and leaving while the decision is in force --- */

/* Whether @a and @b ask for the same memory and layout; buffer counts
 * aside, as the pool grows on demand. */
static gboolean
same_but_counts (const GstAllocConstraints * a, const GstAllocConstraints * b)
{
  GstAllocConstraints *counted = gst_alloc_constraints_copy (a);
  gboolean same;

  counted->min_buffers = b->min_buffers;
  same = gst_alloc_constraints_is_equal (counted, b);
  gst_alloc_constraints_free (counted);
  return same;
}

/* Whether @needs joins @merged changing nothing, through views: only its
 * structure differs, and a view of the shared layout serves it. */
static gboolean
joins_through_views (GstAllocTee * self, const GstAllocConstraints * merged,
    const GstAllocConstraints * needs, gchar ** reason)
{
  GstAllocConstraints *physical, *candidate;
  GstAllocSolver *solver;
  GstVideoInfo info;
  gboolean have_info, fits;

  GST_OBJECT_LOCK (self);
  info = self->info;
  have_info = self->have_info;
  solver = self->solver ? gst_object_ref (self->solver) :
      gst_object_ref (gst_alloc_solver_get_default ());
  GST_OBJECT_UNLOCK (self);
  physical = gst_alloc_constraints_without_structure (needs);
  candidate = gst_alloc_constraints_merge (merged, physical, NULL);
  fits = have_info && candidate && same_but_counts (candidate, merged)
      && gst_alloc_tee_view_reason (merged, needs, &info, solver, reason);
  gst_alloc_constraints_free (candidate);
  gst_alloc_constraints_free (physical);
  gst_object_unref (solver);
  return fits;
}

gboolean
gst_alloc_tee_try_join (GstAllocTee * self, GstAllocTeeBranch * branch,
    const GstAllocConstraints * needs)
{
  GstAllocConstraints *merged = NULL, *candidate;
  GstBufferPool *pool = NULL;
  gboolean fits = FALSE, view = FALSE;
  gchar *reason = NULL;

  GST_OBJECT_LOCK (self);
  if (self->merged && self->pool) {
    merged = gst_alloc_constraints_copy (self->merged);
    pool = gst_object_ref (self->pool);
  }
  GST_OBJECT_UNLOCK (self);
  if (!merged)
    return FALSE;
  candidate = gst_alloc_constraints_merge (merged, needs, NULL);
  fits = candidate && same_but_counts (candidate, merged);
  gst_alloc_constraints_free (candidate);
  if (!fits)
    fits = view = joins_through_views (self, merged, needs, &reason);
  if (fits) {
    GST_INFO_OBJECT (branch, "joins the shared pool as it is%s",
        view ? ", through views" : "");
    gst_alloc_tee_branch_set_decision (branch, needs,
        GST_ALLOC_TEE_BRANCH_ZERO_COPY, view, view ? reason :
        "joined the tee's buffers as they are", NULL);
    post_decision (self, pool, merged);
  }
  g_free (reason);
  gst_alloc_constraints_free (merged);
  gst_object_unref (pool);
  return fits;
}

/* A branch served through views shares only its needs on the memory. */
static void
merge_physical (GstAllocConstraints * shared, const GstAllocConstraints * c)
{
  GstAllocConstraints *physical = gst_alloc_constraints_without_structure (c);

  gst_alloc_constraints_merge_into (shared, physical, NULL);
  gst_alloc_constraints_free (physical);
}

/* Whether a converted branch would now merge with the zero-copy ones,
 * @leaving gone: only then is a new negotiation worth its cost, since the
 * shared buffers still satisfy every branch that stays. */
gboolean
gst_alloc_tee_leaving_frees_a_branch (GstAllocTee * self,
    GstAllocTeeBranch * leaving)
{
  GstAllocConstraints *shared = gst_alloc_constraints_new (), *m, *physical;
  GPtrArray *outliers = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_alloc_constraints_free);
  GArray *branches = branch_records (self);
  gboolean frees = FALSE;
  GstAllocTeeBranch *b;
  guint i;

  for (i = 0; i < branches->len; i++) {
    b = g_array_index (branches, Branch, i).branch;
    /* A decision may replace the branch's needs meanwhile: read under its
     * lock, where it is swapped. */
    GST_OBJECT_LOCK (b);
    if (b != leaving && b->constraints && !b->converts_format) {
      if (b->view)
        merge_physical (shared, b->constraints);
      else if (!b->conflict)
        gst_alloc_constraints_merge_into (shared, b->constraints, NULL);
      else
        g_ptr_array_add (outliers, gst_alloc_constraints_copy (b->constraints));
    }
    GST_OBJECT_UNLOCK (b);
  }
  for (i = 0; !frees && i < outliers->len; i++) {
    m = gst_alloc_constraints_merge (shared, outliers->pdata[i], NULL);
    if (!m) {
      /* Its needs on the memory alone: views may serve the rest. */
      physical = gst_alloc_constraints_without_structure (outliers->pdata[i]);
      m = gst_alloc_constraints_merge (shared, physical, NULL);
      gst_alloc_constraints_free (physical);
    }
    frees = m != NULL;
    gst_alloc_constraints_free (m);
  }
  unref_branch_pads (branches);
  g_array_unref (branches);
  g_ptr_array_unref (outliers);
  gst_alloc_constraints_free (shared);
  return frees;
}
