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

void gst_alloc_elements_init (void);

/* The "constraints" property every element shares: the string form, checked
 * when set. A malformed or self-contradicting value is refused with a
 * g_warning that lists the accepted fields, and the old value stays. The
 * parsed set carries the element's name as its origin. Returns TRUE when
 * *slot was replaced (under the object lock). */
gboolean gst_alloc_element_set_constraints (GstElement * element,
    const GValue * value, GstAllocConstraints ** slot);

void gst_alloc_element_get_constraints (GstElement * element,
    GstAllocConstraints * constraints, GValue * value);

GParamSpec *gst_alloc_element_constraints_pspec (const gchar * blurb);

/* The "solver" property: which backends to allocate from (tests and
 * applications inject their own; NULL means the machine's default). */
GParamSpec *gst_alloc_element_solver_pspec (void);

/* The "pool-budget" property: the most memory a pool the element makes may
 * allocate (0: the library's default). */
GParamSpec *gst_alloc_element_pool_budget_pspec (void);

/* After new constraints or backends: our output is redecided, and upstream
 * is asked to query allocation again so its buffers follow. */
void gst_alloc_transform_renegotiate (GstBaseTransform * trans);

/* Replaces *@slot with the solver in @value, under the object lock. */
void gst_alloc_element_set_solver (GstElement * element, const GValue * value,
    GstAllocSolver ** slot);

G_END_DECLS
