/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gstallocelements.h"


G_BEGIN_DECLS
/**
 * GstAllocTeeBranchMode:
 * @GST_ALLOC_TEE_BRANCH_ZERO_COPY: the branch receives the memory of the
 *   buffers pushed into the tee, without a byte copied: the tee's buffers
 *   as they are, or, when its needs differ from the others' only in how a
 *   buffer describes the memory (one memory per plane, the default layout),
 *   views that describe the same memory as it needs.
 * @GST_ALLOC_TEE_BRANCH_CONVERTED: the branch receives copies made into a
 *   pool of its own: its needs conflict with the others', it takes another
 *   format, it cannot read a padded layout, or the producer did not use the
 *   tee's pool and its buffers do not fit the branch.
 * @GST_ALLOC_TEE_BRANCH_REFUSED: the branch would need copies but
 *   allow-copies is false: it receives nothing and an error was posted
 *   for it (from its pad), the other branches go on.
 *
 * How one branch of an alloctee is served: what happens to its buffers,
 * updated when that changes.
 */
typedef enum
{
  GST_ALLOC_TEE_BRANCH_ZERO_COPY,
  GST_ALLOC_TEE_BRANCH_CONVERTED,
  GST_ALLOC_TEE_BRANCH_REFUSED,
} GstAllocTeeBranchMode;

#define GST_TYPE_ALLOC_TEE_BRANCH_MODE (gst_alloc_tee_branch_mode_get_type ())
GType gst_alloc_tee_branch_mode_get_type (void);

/**
 * GstAllocTeePullMode:
 * @GST_ALLOC_TEE_PULL_MODE_NEVER: never activate in pull mode.
 * @GST_ALLOC_TEE_PULL_MODE_SINGLE: one source pad may pull; what it pulls
 *   is pushed to the other branches too.
 *
 * Same meaning as tee's pull-mode.
 */
typedef enum
{
  GST_ALLOC_TEE_PULL_MODE_NEVER,
  GST_ALLOC_TEE_PULL_MODE_SINGLE,
} GstAllocTeePullMode;

#define GST_TYPE_ALLOC_TEE_PULL_MODE (gst_alloc_tee_pull_mode_get_type ())
GType gst_alloc_tee_pull_mode_get_type (void);

/* A source pad of alloctee: one branch, its decision and its counters. */
#define GST_TYPE_ALLOC_TEE_BRANCH (gst_alloc_tee_branch_get_type ())
G_DECLARE_FINAL_TYPE (GstAllocTeeBranch, gst_alloc_tee_branch, GST,
    ALLOC_TEE_BRANCH, GstPad)

#define GST_TYPE_ALLOC_TEE (gst_alloc_tee_get_type ())
G_DECLARE_FINAL_TYPE (GstAllocTee, gst_alloc_tee, GST, ALLOC_TEE, GstElement)

struct _GstAllocTee
{
  GstElement parent;

  GstPad *sinkpad;

  /* Under the object lock. */
  GHashTable *pad_indexes;
  guint next_pad_index;
  gboolean allow_copies;
  gboolean allow_not_linked;
  gboolean silent;
  gboolean has_chain;
  gchar *last_message;
  GstAllocTeePullMode pull_mode;
  GstPad *pull_pad;
  GstPad *alloc_pad;
  guint64 pool_budget;
  GstAllocSolver *solver;
  GstVideoInfo info;
  gboolean have_info;
  GstBufferPool *pool;
  GstAllocConstraints *merged;
  /* Said once per negotiation: the producer pushes buffers of its own
   * (INFO while they fit every branch, WARNING at the first copy). */
  gboolean told_foreign_info;
  gboolean told_foreign_warning;
};

struct _GstAllocTeeBranch
{
  GstPad parent;

  guint index;

  /* Decision, replaced by each negotiation; under the object lock. */
  GstAllocConstraints *constraints;
  gboolean decided;
  /* The negotiation's verdict; mode and reason may move away from it when
   * the producer's buffers do (a pool ignored, then used again). */
  gboolean conflict;
  /* Served through views that describe the shared memory as it needs
   * (gst_alloc_view_plan()), not through the tee's buffers as they are. */
  gboolean view;
  gboolean view_logged;
  gchar *decision_reason;
  GstAllocTeeBranchMode mode;
  gchar *reason;
  GstBufferPool *pool;
  /* Set when the peer takes none of the stream's formats: the branch gets
   * its own caps and every frame converted into them. */
  gboolean converts_format;
  GstVideoInfo out_info;
  gchar *format_reason;
  /* The format above was chosen while linked to the current peer: a
   * branch linked while the stream runs gets it before its first buffer. */
  gboolean format_settled;
  /* Its peer takes no caps the tee can give: it gets no buffer (and the
   * others go on) until caps it takes come. */
  gboolean takes_nothing;
  gboolean released;
  gboolean refusal_posted;
  gboolean renegotiation_asked;    /* linked late, did not fit */

  /* Streaming thread only. */
  GstVideoConverter *converter;
  GstVideoInfo converter_in, converter_out;

  /* Views of the tee's buffers this branch still holds (atomic). */
  gint in_flight;

  /* Counters, written by the streaming thread under the object lock. */
  guint64 buffers;
  guint64 copies;
  guint64 views;
  guint64 bytes_copied;
  guint64 refused;
  gchar *last_copy_reason;
};

/* --- the branch pad (gstalloctee-branch.c) --- */

/* What the last negotiation decided for a branch: its needs (as its peer
 * answered), the mode, whether a zero-copy branch is served through views
 * (@view), why, and for a converted branch the pool its copies come from
 * (taken; NULL otherwise). */
void gst_alloc_tee_branch_set_decision (GstAllocTeeBranch * branch,
    const GstAllocConstraints * constraints, GstAllocTeeBranchMode mode,
    gboolean view, const gchar * reason, GstBufferPool * pool);

/* Changes the mode and reason alone (a producer that stopped using the
 * tee's pool, a refusal); notifies "mode" when it changed. */
void gst_alloc_tee_branch_set_mode (GstAllocTeeBranch * branch,
    GstAllocTeeBranchMode mode, const gchar * reason);

GstAllocTeeBranchMode gst_alloc_tee_branch_get_mode
    (GstAllocTeeBranch * branch);

/* Whether the decision serves the branch through views. */
gboolean gst_alloc_tee_branch_is_view (GstAllocTeeBranch * branch);

/* A branch whose peer takes none of the stream's formats gets its own
 * format (@out_info), and every frame converted into it; NULL clears. */
void gst_alloc_tee_branch_set_format (GstAllocTeeBranch * branch,
    const GstVideoInfo * out_info, const gchar * reason);

gboolean gst_alloc_tee_branch_get_format (GstAllocTeeBranch * branch,
    GstVideoInfo * out_info, gchar ** reason);

/* Marks the branch released: no buffer is served to it any more, and its
 * flow no longer counts. */
void gst_alloc_tee_branch_release (GstAllocTeeBranch * branch);

/* Once the pad is deactivated: waits for a buffer still on its way and
 * drops the branch's pool; its counters stay readable. */
void gst_alloc_tee_branch_finish_release (GstAllocTeeBranch * branch);

gboolean gst_alloc_tee_branch_is_released (GstAllocTeeBranch * branch);

/* How many of the tee's buffers the branch holds right now. */
guint gst_alloc_tee_branch_get_in_flight (GstAllocTeeBranch * branch);

/* The element that consumes the branch: the peer, or past simple filters
 * such as queues, the element they lead to. */
gchar *gst_alloc_tee_branch_consumer_name (GstAllocTeeBranch * branch);

/* A GstStructure describing the branch for the decision message. */
GstStructure *gst_alloc_tee_branch_describe (GstAllocTeeBranch * branch);

/* Drops what the branch knows of the stream (decision, copy pool, format)
 * and keeps its counters, mode and reason. */
void gst_alloc_tee_branch_forget_stream (GstAllocTeeBranch * branch);

void gst_alloc_tee_branch_reset (GstAllocTeeBranch * branch);

/* --- views (gstalloctee-view.c) --- */

/* Whether every branch of @served can take buffers laid out for @shared,
 * as they are or through a view; @why says which one cannot. */
gboolean gst_alloc_tee_views_serve (const GstAllocConstraints * shared,
    const GstVideoInfo * info, GPtrArray * served, GError ** why);

/* Whether two branches can share one memory, as it is or through views:
 * what ranks branches (a lone outlier is the one converted). Layouts only,
 * no backend is asked. */
gboolean gst_alloc_tee_can_share (const GstAllocConstraints * a,
    const GstAllocConstraints * b, const GstVideoInfo * info);

/* A shared set that serves @wants through a view, the branches of @served
 * still served (as they are or through views): @shared with @wants' needs
 * on the memory, or, failing that, @wants with the others' needs on the
 * memory. NULL when none is feasible. */
GstAllocConstraints *gst_alloc_tee_view_candidate (const GstAllocConstraints
    * shared, const GstAllocConstraints * wants, const GstVideoInfo * info,
    GstAllocSolver * solver, GPtrArray * served);

/* How a branch asking @wants is served from buffers laid out for @shared:
 * FALSE as they are; TRUE through views, with @reason (transfer full)
 * saying why and what the view gives. */
gboolean gst_alloc_tee_view_reason (const GstAllocConstraints * shared,
    const GstAllocConstraints * wants, const GstVideoInfo * info,
    GstAllocSolver * solver, gchar ** reason);

/* --- serving buffers (gstalloctee-serve.c) --- */

/* What serving one buffer needs of the element, read once per buffer. */
typedef struct
{
  GstBufferPool *tee_pool;
  GstVideoInfo info;
  gboolean have_info;
  gboolean allow_copies;
  GstAllocSolver *solver;
  /* The buffer's memory is the tee pool's (its buffer, or a wrapper of
   * it): it fits every branch of the decision. */
  gboolean from_pool;
  /* Branches this buffer was copied for because it missed their needs
   * (set by gst_alloc_tee_serve()). */
  guint foreign_copies;
} GstAllocTeeSnapshot;

void gst_alloc_tee_snapshot_take (GstAllocTee * self,
    GstAllocTeeSnapshot * snap, GstBuffer * buffer);

void gst_alloc_tee_snapshot_clear (GstAllocTeeSnapshot * snap);

/* Hands @buffer (taken) to @branch: a view of the same memory when the
 * branch is zero-copy and the buffer fits it, a copy from the branch's
 * pool otherwise, nothing when the branch is refused. */
GstFlowReturn gst_alloc_tee_serve (GstAllocTee * self,
    GstAllocTeeBranch * branch, GstBuffer * buffer,
    GstAllocTeeSnapshot * snap);

/* After every branch had @buffer: says once when the producer does not
 * use the tee's pool, and what that cost. */
void gst_alloc_tee_tell_foreign_pool (GstAllocTee * self, GstBuffer * buffer,
    const GstAllocTeeSnapshot * snap);

/* --- negotiation (gstalloctee-decide.c) --- */

gboolean gst_alloc_tee_answer_allocation (GstAllocTee * self,
    GstQuery * query);

/* A branch linked while a decision is in force: joins it when its @needs
 * change nothing in the shared set (TRUE); otherwise the caller asks for a
 * new negotiation. */
gboolean gst_alloc_tee_try_join (GstAllocTee * self,
    GstAllocTeeBranch * branch, const GstAllocConstraints * needs);

/* Whether a branch in conflict would join the shared set once @leaving is
 * gone: the one case where a departure is worth a new negotiation. */
gboolean gst_alloc_tee_leaving_frees_a_branch (GstAllocTee * self,
    GstAllocTeeBranch * leaving);

/* A pool of the tee's: named @name, within pool-budget, its messages
 * watched for @owner (NULL: the shared pool). */
GstBufferPool *gst_alloc_tee_new_pool (GstAllocTee * self,
    GstAllocSolver * solver, const gchar * name, GstAllocTeeBranch * owner);

/* Asks one linked branch what it needs, for @caps; NULL with @error when
 * its answer cannot be read. *@answer, when not NULL, gets the query as
 * the branch answered it. */
GstAllocConstraints *gst_alloc_tee_ask_branch (GstAllocTeeBranch * branch,
    GstCaps * caps, GstQuery ** answer, GError ** error);

/* Posts an error about one branch only, from its pad: the application can
 * drop that branch and keep the others. */
void gst_alloc_tee_post_branch_error (GstAllocTee * self,
    GstAllocTeeBranch * branch, const gchar * text);

/* Connects the pool's starvation and failure signals to messages naming
 * who holds the buffers and what failed. */
void gst_alloc_tee_watch_pool (GstAllocTee * self, GstBufferPool * pool,
    GstAllocTeeBranch * owner);

/* The name of the element that produces what the tee receives (past
 * queues and capsfilters), or NULL. */
gchar *gst_alloc_tee_producer_name (GstAllocTee * self, gchar ** factory);

/* --- caps (gstalloctee-caps.c) --- */

gboolean gst_alloc_tee_query_caps (GstElement * tee, GstPad * sinkpad,
    GstQuery * query);

gboolean gst_alloc_tee_accept_caps (GstElement * tee, GstPad * sinkpad,
    GstQuery * query);

gboolean gst_alloc_tee_src_query_caps (GstElement * tee, GstPad * sinkpad,
    GstQuery * query);

gboolean gst_alloc_tee_push_caps (GstElement * tee, GstEvent * event);

void gst_alloc_tee_branch_check_format (GstElement * tee,
    GstAllocTeeBranch * branch,
    GstCaps * stream_caps);

G_END_DECLS
