/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/gstallocbackend.h>

G_BEGIN_DECLS

#define GST_TYPE_ALLOC_SOLVER (gst_alloc_solver_get_type ())
GST_ALLOC_API
G_DECLARE_FINAL_TYPE (GstAllocSolver, gst_alloc_solver, GST, ALLOC_SOLVER, GstObject)

typedef struct _GstAllocSolution GstAllocSolution;

/**
 * GstAllocSolution:
 * @candidates: (element-type GstAllocator): backends able to satisfy the
 *   constraints, best first; the first is the choice, the rest are the
 *   fallbacks in order.
 * @explanation: human-readable account of the choice: the backend chosen and
 *   why, and why each other backend was passed over.
 *
 * The answer of gst_alloc_solver_solve().
 *
 * Since: 1.0
 */
struct _GstAllocSolution
{
  GPtrArray *candidates;
  gchar *explanation;
};

#define GST_TYPE_ALLOC_SOLUTION (gst_alloc_solution_get_type ())
GST_ALLOC_API
GType gst_alloc_solution_get_type (void);

GST_ALLOC_API
GstAllocSolution *gst_alloc_solution_copy (const GstAllocSolution * solution);

GST_ALLOC_API
void gst_alloc_solution_free (GstAllocSolution * solution);

GST_ALLOC_API
GstAllocSolver *gst_alloc_solver_new (void);

GST_ALLOC_API
GstAllocSolver *gst_alloc_solver_get_default (void);

GST_ALLOC_API
void gst_alloc_solver_add_backend (GstAllocSolver * solver, GstAllocator * backend);

GST_ALLOC_API
GPtrArray *gst_alloc_solver_get_backends (GstAllocSolver * solver);

GST_ALLOC_API
GstAllocSolution *gst_alloc_solver_solve (GstAllocSolver * solver,
    const GstAllocConstraints * constraints, GError ** error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstAllocSolution, gst_alloc_solution_free)

G_END_DECLS
