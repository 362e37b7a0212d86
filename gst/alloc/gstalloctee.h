/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gstallocelements.h"

G_BEGIN_DECLS

/**
 * GstAllocTeeBranchMode:
 * @GST_ALLOC_TEE_BRANCH_ZERO_COPY: the branch receives the very buffers
 *   pushed into the tee.
 * @GST_ALLOC_TEE_BRANCH_CONVERTED: the branch's needs conflict with the
 *   others'; it receives copies made into a pool of its own.
 *
 * How one branch of an alloctee is served.
 */
typedef enum
{
  GST_ALLOC_TEE_BRANCH_ZERO_COPY,
  GST_ALLOC_TEE_BRANCH_CONVERTED,
} GstAllocTeeBranchMode;

#define GST_TYPE_ALLOC_TEE_BRANCH_MODE (gst_alloc_tee_branch_mode_get_type ())
GType gst_alloc_tee_branch_mode_get_type (void);

/* A source pad of alloctee: one branch, its decision and its counters. */
#define GST_TYPE_ALLOC_TEE_BRANCH (gst_alloc_tee_branch_get_type ())
G_DECLARE_FINAL_TYPE (GstAllocTeeBranch, gst_alloc_tee_branch, GST,
    ALLOC_TEE_BRANCH, GstPad)

/* Records what the last negotiation decided for this branch: its own
 * constraints (as its peer answered), the mode, why, and for a converted
 * branch the pool its copies come from (taken over; may be NULL for a
 * zero-copy branch). */
void gst_alloc_tee_branch_set_decision (GstAllocTeeBranch * branch,
    const GstAllocConstraints * constraints, GstAllocTeeBranchMode mode,
    const gchar * reason, GstBufferPool * pool);

/* A branch whose peer takes none of the stream's formats gets its own
 * format (@out_info), and every frame converted into it; NULL clears. */
void gst_alloc_tee_branch_set_format (GstAllocTeeBranch * branch,
    const GstVideoInfo * out_info, const gchar * reason);

gboolean gst_alloc_tee_branch_get_format (GstAllocTeeBranch * branch,
    GstVideoInfo * out_info, gchar ** reason);

/* Pushes @buffer (taken) on the branch: as is when the branch is zero-copy
 * and @buffer satisfies it, otherwise as a copy from the branch's pool. */
GstFlowReturn gst_alloc_tee_branch_push (GstAllocTeeBranch * branch,
    GstBuffer * buffer, const GstVideoInfo * info, GstBufferPool * tee_pool,
    GstAllocSolver * solver);

/* The element that consumes the branch: the peer, or past simple filters
 * such as queues, the element they lead to. */
gchar *gst_alloc_tee_branch_consumer_name (GstAllocTeeBranch * branch);

/* A GstStructure describing the branch for the decision message. */
GstStructure *gst_alloc_tee_branch_describe (GstAllocTeeBranch * branch);

void gst_alloc_tee_branch_reset (GstAllocTeeBranch * branch);

/* Caps handling (gstalloctee-caps.c): which branches take the stream's
 * format, and for the others, which format they get. */
gboolean gst_alloc_tee_query_caps (GstElement * tee, GstPad * sinkpad,
    GstQuery * query);

gboolean gst_alloc_tee_accept_caps (GstElement * tee, GstPad * sinkpad,
    GstQuery * query);

gboolean gst_alloc_tee_src_query_caps (GstElement * tee, GstPad * sinkpad,
    GstQuery * query);

gboolean gst_alloc_tee_push_caps (GstElement * tee, GstEvent * event);

void gst_alloc_tee_branch_check_format (GstAllocTeeBranch * branch,
    GstCaps * stream_caps);

G_END_DECLS
