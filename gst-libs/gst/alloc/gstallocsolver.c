/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:gstallocsolver
 * @title: GstAllocSolver
 * @short_description: Picks the backend that satisfies a constraint set
 *
 * A solver holds an ordered set of backends. gst_alloc_solver_solve() keeps
 * the backends whose capabilities satisfy a (merged) constraint set and that
 * can be opened, ranks them and explains the choice. The default solver
 * holds every DMA heap found in /dev/dma_heap, udmabuf, memfd and system
 * memory; tests and applications can build their own with
 * gst_alloc_solver_new() and gst_alloc_solver_add_backend().
 *
 * Preference, first criterion first: dma-buf memory (devices can import
 * it), then memfd (other processes can map it), then system memory; among
 * dma-bufs a DMA heap before udmabuf; contiguous heaps only when contiguity
 * is asked for, since CMA is scarce; cached before uncached unless uncached
 * is asked for; finally the order in which backends were added.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"

#include <string.h>

#define GST_CAT_DEFAULT gst_alloc_solver_debug

struct _GstAllocSolver
{
  GstObject parent;

  GPtrArray *backends;          /* GstAllocator implementing GstAllocBackend */
};

G_DEFINE_TYPE_WITH_CODE (GstAllocSolver, gst_alloc_solver, GST_TYPE_OBJECT,
    gst_alloc_debug_init ());

G_DEFINE_BOXED_TYPE (GstAllocSolution, gst_alloc_solution,
    gst_alloc_solution_copy, gst_alloc_solution_free);

/**
 * gst_alloc_solution_copy:
 * @solution: a solution
 *
 * Returns: (transfer full): a copy holding its own references.
 *
 * Since: 1.0
 */
GstAllocSolution *
gst_alloc_solution_copy (const GstAllocSolution * solution)
{
  GstAllocSolution *copy = g_new0 (GstAllocSolution, 1);
  guint i;

  copy->candidates = g_ptr_array_new_with_free_func (gst_object_unref);
  for (i = 0; i < solution->candidates->len; i++)
    g_ptr_array_add (copy->candidates,
        gst_object_ref (g_ptr_array_index (solution->candidates, i)));
  copy->explanation = g_strdup (solution->explanation);
  return copy;
}

/**
 * gst_alloc_solution_free:
 * @solution: (transfer full) (nullable): a solution
 *
 * Since: 1.0
 */
void
gst_alloc_solution_free (GstAllocSolution * solution)
{
  if (!solution)
    return;
  g_ptr_array_unref (solution->candidates);
  g_free (solution->explanation);
  g_free (solution);
}

static void
gst_alloc_solver_finalize (GObject * object)
{
  GstAllocSolver *self = GST_ALLOC_SOLVER (object);

  g_ptr_array_unref (self->backends);
  G_OBJECT_CLASS (gst_alloc_solver_parent_class)->finalize (object);
}

static void
gst_alloc_solver_class_init (GstAllocSolverClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = gst_alloc_solver_finalize;
}

static void
gst_alloc_solver_init (GstAllocSolver * self)
{
  self->backends = g_ptr_array_new_with_free_func (gst_object_unref);
}

/**
 * gst_alloc_solver_new:
 *
 * Returns: (transfer full): a solver with no backend; add them with
 * gst_alloc_solver_add_backend().
 *
 * Since: 1.0
 */
GstAllocSolver *
gst_alloc_solver_new (void)
{
  return g_object_ref_sink (g_object_new (GST_TYPE_ALLOC_SOLVER, NULL));
}

/**
 * gst_alloc_solver_add_backend:
 * @solver: a solver
 * @backend: (transfer none): a #GstAllocator implementing #GstAllocBackend
 *
 * Adds @backend after the ones already there; among equally suitable
 * backends the earlier one wins.
 *
 * Since: 1.0
 */
void
gst_alloc_solver_add_backend (GstAllocSolver * solver, GstAllocator * backend)
{
  g_return_if_fail (GST_IS_ALLOC_SOLVER (solver));
  g_return_if_fail (GST_IS_ALLOC_BACKEND (backend));

  GST_OBJECT_LOCK (solver);
  g_ptr_array_add (solver->backends, gst_object_ref (backend));
  GST_OBJECT_UNLOCK (solver);
}

/**
 * gst_alloc_solver_get_backends:
 * @solver: a solver
 *
 * Returns: (transfer container) (element-type GstAllocator): the backends,
 * in the order they were added.
 *
 * Since: 1.0
 */
GPtrArray *
gst_alloc_solver_get_backends (GstAllocSolver * solver)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func (gst_object_unref);
  guint i;

  g_return_val_if_fail (GST_IS_ALLOC_SOLVER (solver), copy);

  GST_OBJECT_LOCK (solver);
  for (i = 0; i < solver->backends->len; i++)
    g_ptr_array_add (copy, gst_object_ref (solver->backends->pdata[i]));
  GST_OBJECT_UNLOCK (solver);
  return copy;
}

/* Smaller is better; see the preference order in the section doc. */
static guint
backend_rank (GstAllocBackend * backend, const GstAllocConstraints * c)
{
  GstAllocCapabilities caps;
  guint rank = 0;

  gst_alloc_backend_get_capabilities (backend, &caps);
  if (caps.memory == GST_ALLOC_MEMORY_MEMFD)
    rank += 1000;
  else if (caps.memory == GST_ALLOC_MEMORY_SYSTEM)
    rank += 2000;
  if (caps.memory == GST_ALLOC_MEMORY_DMABUF && !caps.heap)
    rank += 100;
  if (caps.contiguous && !c->contiguous)
    rank += 10;
  if (caps.cache == GST_ALLOC_CACHE_UNCACHED
      && c->cache != GST_ALLOC_CACHE_UNCACHED)
    rank += 1;
  return rank;
}

typedef struct
{
  GstAllocBackend *backend;
  guint rank;
  guint order;
} Ranked;

static gint
compare_ranked (gconstpointer a, gconstpointer b)
{
  const Ranked *ra = a, *rb = b;

  if (ra->rank != rb->rank)
    return ra->rank < rb->rank ? -1 : 1;
  return ra->order < rb->order ? -1 : (ra->order > rb->order);
}

/* Backend errors start with the backend's name, which the reason is
 * already listed under. */
static const gchar *
without_name (GstAllocBackend * backend, const gchar * message)
{
  const gchar *name = GST_OBJECT_NAME (backend);
  gsize len = strlen (name);

  if (strncmp (message, name, len) == 0 && strncmp (message + len, ": ",
          2) == 0)
    return message + len + 2;
  return message;
}

static void
append_reason (GString * reasons, GstAllocBackend * backend, const gchar * why)
{
  g_string_append_printf (reasons, "%s%s: %s", reasons->len ? "; " : "",
      GST_OBJECT_NAME (backend), why);
}

/* Capable backends, best first; @passed_over collects why the others are
 * not. Opening happens in rank order so a refused device (EACCES is the
 * normal case for /dev/dma_heap on desktops) falls back to the next. */
static GPtrArray *
capable_backends (GPtrArray * backends, const GstAllocConstraints * c,
    GString * passed_over)
{
  GPtrArray *candidates = g_ptr_array_new_with_free_func (gst_object_unref);
  GArray *ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));
  GError *err = NULL;
  gchar *why;
  Ranked r;
  guint i;

  for (i = 0; i < backends->len; i++) {
    r.backend = g_ptr_array_index (backends, i);
    why = gst_alloc_backend_mismatch (r.backend, c);
    if (why) {
      append_reason (passed_over, r.backend, why);
      g_free (why);
      continue;
    }
    r.rank = backend_rank (r.backend, c);
    r.order = i;
    g_array_append_val (ranked, r);
  }
  g_array_sort (ranked, compare_ranked);

  for (i = 0; i < ranked->len; i++) {
    r = g_array_index (ranked, Ranked, i);
    if (!gst_alloc_backend_open (r.backend, &err)) {
      why = g_strdup_printf ("cannot be used: %s",
          without_name (r.backend, err->message));
      append_reason (passed_over, r.backend, why);
      g_free (why);
      g_clear_error (&err);
      continue;
    }
    g_ptr_array_add (candidates, gst_object_ref (r.backend));
  }
  g_array_unref (ranked);
  return candidates;
}

static gchar *
explain (GPtrArray * candidates, const gchar * passed_over)
{
  GString *text = g_string_new (NULL);
  GstAllocCapabilities caps;
  gchar *described;
  guint i;

  gst_alloc_backend_get_capabilities (candidates->pdata[0], &caps);
  described = gst_alloc_capabilities_to_string (&caps);
  g_string_append_printf (text, "chosen %s (%s)",
      GST_OBJECT_NAME (candidates->pdata[0]), described);
  g_free (described);
  if (candidates->len > 1) {
    g_string_append (text, "; fallbacks in order:");
    for (i = 1; i < candidates->len; i++)
      g_string_append_printf (text, " %s",
          GST_OBJECT_NAME (candidates->pdata[i]));
  }
  if (*passed_over)
    g_string_append_printf (text, "; passed over: %s", passed_over);
  return g_string_free (text, FALSE);
}

/**
 * gst_alloc_solver_solve:
 * @solver: a solver
 * @constraints: the merged constraints of every consumer
 * @error: (nullable): where to say why no backend fits
 *
 * Chooses the backends that can satisfy @constraints, best first. Backends
 * are opened here; one that cannot be opened (missing node, EACCES) is
 * passed over, logged once, and the next capable one is used.
 *
 * Returns: (transfer full) (nullable): the solution, or %NULL with
 * %GST_ALLOC_ERROR_UNSATISFIABLE listing why each backend was rejected.
 *
 * Since: 1.0
 */
GstAllocSolution *
gst_alloc_solver_solve (GstAllocSolver * solver,
    const GstAllocConstraints * constraints, GError ** error)
{
  GstAllocSolution *solution;
  GPtrArray *backends, *candidates;
  GString *passed_over;
  gchar *wanted;

  g_return_val_if_fail (GST_IS_ALLOC_SOLVER (solver), NULL);
  g_return_val_if_fail (constraints != NULL, NULL);

  backends = gst_alloc_solver_get_backends (solver);
  passed_over = g_string_new (NULL);
  candidates = capable_backends (backends, constraints, passed_over);
  g_ptr_array_unref (backends);

  if (candidates->len == 0) {
    wanted = gst_alloc_constraints_to_string (constraints);
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_UNSATISFIABLE,
        "no backend can satisfy \"%s\": %s", wanted,
        passed_over->len ? passed_over->str : "the solver has no backend");
    g_free (wanted);
    g_string_free (passed_over, TRUE);
    g_ptr_array_unref (candidates);
    return NULL;
  }

  solution = g_new0 (GstAllocSolution, 1);
  solution->candidates = candidates;
  solution->explanation = explain (candidates, passed_over->str);
  g_string_free (passed_over, TRUE);
  GST_DEBUG_OBJECT (solver, "%s", solution->explanation);
  return solution;
}
