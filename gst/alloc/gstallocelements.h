/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstbasetransform.h>
#include <gst/alloc/alloc.h>

G_BEGIN_DECLS GST_ELEMENT_REGISTER_DECLARE (allocfilter);
GST_ELEMENT_REGISTER_DECLARE (alloctee);
GST_ELEMENT_REGISTER_DECLARE (allocconvert);
GST_ELEMENT_REGISTER_DECLARE (allocchecksink);

GST_DEBUG_CATEGORY_EXTERN (gst_alloc_elements_performance);

/* Pad template caps for DMA_DRM (GStreamer 1.24 and newer, any
 * drm-format), to append after raw video caps; nothing before 1.24. */
#if GST_CHECK_VERSION (1, 24, 0)
#define GST_ALLOC_DMA_DRM_TEMPLATE_CAPS "; " GST_VIDEO_DMA_DRM_CAPS_MAKE
#else
#define GST_ALLOC_DMA_DRM_TEMPLATE_CAPS ""
#endif

void gst_alloc_elements_init (void);

/* The "constraints" property every element shares: the string form, checked
 * when set. A malformed or self-contradicting value is refused with
 * gst_alloc_element_refuse(), naming the field and listing the accepted
 * ones, and the old value stays. The parsed set carries the element's name
 * as its origin. Returns TRUE when *slot was replaced (under the object
 * lock). */
gboolean gst_alloc_element_set_constraints (GstElement * element,
    const GValue * value, GstAllocConstraints ** slot);

/* Refusing a property value, loudly: the old value stays in every case.
 * Refused while the element is in NULL or READY, the value is remembered
 * and the next state change upwards fails with an error saying why
 * (gst_alloc_element_check_refusals()), so a script or an application
 * cannot miss it; refused while PAUSED or PLAYING, a WARNING is posted on
 * the bus (a g_warning when the element has no bus). A later valid value
 * of the property withdraws its refusal (gst_alloc_element_accept()). */
void gst_alloc_element_refuse (GstElement * element, const gchar * property,
    const gchar * value, const GError * reason);

void gst_alloc_element_accept (GstElement * element, const gchar * property);

/* For change_state(), before chaining up: FALSE, after posting an ERROR
 * that gives every pending refusal, when @transition goes upwards and a
 * value was refused; the element then returns GST_STATE_CHANGE_FAILURE.
 * Going down never fails. */
gboolean gst_alloc_element_check_refusals (GstElement * element,
    GstStateChange transition);

void gst_alloc_element_get_constraints (GstElement * element,
    GstAllocConstraints * constraints, GValue * value);

GParamSpec *gst_alloc_element_constraints_pspec (const gchar * blurb);

/* The "solver" property: which backends to allocate from (tests and
 * applications inject their own; NULL means the machine's default). */
GParamSpec *gst_alloc_element_solver_pspec (void);

/* The "pool-budget" property: the most memory a pool the element makes may
 * allocate (0: the library's default). */
GParamSpec *gst_alloc_element_pool_budget_pspec (void);

/* A pool the element makes for an ALLOCATION answer: named
 * "<element>-<role>", with @solver's backends (NULL: the default), held to
 * @budget bytes (0: the library's default), and watched: when it cannot
 * allocate what it needs to start, an ERROR is posted on @element with the
 * cause (backend, call, errno text) before the producer's own
 * "not-negotiated"; when it starves, a WARNING. */
GstBufferPool *gst_alloc_element_new_pool (GstElement * element,
    GstAllocSolver * solver, const gchar * role, guint64 budget);

/* A sink's answer: gst_alloc_query_propose() with a pool from
 * gst_alloc_element_new_pool() when the query asks for one. Returns that
 * pool, or NULL when none was asked for or none can be made (then @error
 * says why; the needs still travel in the query). */
GstBufferPool *gst_alloc_element_propose (GstElement * element,
    GstQuery * query, const GstAllocConstraints * constraints,
    GstAllocSolver * solver, guint64 budget, GError ** error);

/* After new constraints or backends: our output is redecided, and upstream
 * is asked to query allocation again so its buffers follow. */
void gst_alloc_transform_renegotiate (GstBaseTransform * trans);

/* A buffer on @buffer's memory described as @wants needs (one memory per
 * plane, the default layout...), no byte copied; with @check, checked
 * against @wants in full (memory kind included). NULL with @error when
 * only a copy can serve. */
GstBuffer *gst_alloc_element_view_for (GstBuffer * buffer,
    const GstVideoInfo * info, const GstAllocConstraints * wants,
    gboolean check, GError ** error);

/* Whether a view of @buffer leaves its pool alone: a view holds the
 * buffer's memory, so a stock pool (GstBufferPool, v4l2's) would find it
 * shared when the buffer comes back and drop it, allocating anew for the
 * next frame. Our pools hold such a buffer until the view is gone; a
 * buffer of no pool has nothing to return to. */
gboolean gst_alloc_element_view_spares_pool (GstBuffer * buffer);

/* For a transform: a view of @buffer as downstream needs it (@wants),
 * checked in full, when it spares the buffer's pool; NULL otherwise, said
 * at LOG. The first view is logged on GST_PERFORMANCE, once per *@logged. */
GstBuffer *gst_alloc_element_view_downstream (GstElement * element,
    GstBuffer * buffer, const GstVideoInfo * info,
    const GstAllocConstraints * wants, gboolean * logged);

/* Replaces *@slot with the solver in @value, under the object lock. */
void gst_alloc_element_set_solver (GstElement * element, const GValue * value,
    GstAllocSolver ** slot);

G_END_DECLS
