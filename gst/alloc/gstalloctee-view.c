/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* alloctee's views at negotiation: which shared set serves a branch whose
 * needs differ from the others' only in how a buffer describes the memory
 * (planes, default-layout: gst_alloc_field_is_structural()), and what the
 * decision says about it.
 *
 * Such a branch first tries to bring only its needs on the memory
 * (gst_alloc_constraints_without_structure()) into the shared set and to
 * take the shared buffers through a view. Failing that, the branches
 * already sharing are the ones to take views: the shared set keeps their
 * needs on the memory and takes the newcomer's whole set. One memory per
 * plane splits for free, but separate allocations never join, so a
 * single-plane consumer joining three multi-planar ones turns the shared
 * buffers into one memory and gives the other three split views. Either
 * way every branch admitted so far must still be served. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloctee.h"

GST_DEBUG_CATEGORY_EXTERN (gst_alloc_tee_debug);
#define GST_CAT_DEFAULT gst_alloc_tee_debug

static gboolean
serves (const GstAllocLayout * layout, const GstAllocConstraints * wants,
    GError ** why)
{
  GstAllocView view;

  return gst_alloc_view_plan (&view, layout, wants, why);
}

static gboolean
views_serve (const GstAllocConstraints * shared, const GstVideoInfo * info,
    GPtrArray * served, const GstAllocConstraints * also, GError ** why)
{
  GstAllocLayout layout;
  guint i;

  if (!gst_alloc_layout_compute (&layout, info, shared, why))
    return FALSE;
  for (i = 0; i < served->len; i++) {
    if (!serves (&layout, served->pdata[i], why))
      return FALSE;
  }
  return !also || serves (&layout, also, why);
}

gboolean
gst_alloc_tee_views_serve (const GstAllocConstraints * shared,
    const GstVideoInfo * info, GPtrArray * served, GError ** why)
{
  return views_serve (shared, info, served, NULL, why);
}

/* Whether buffers laid out for @shared (taken, nullable) serve @a and @b,
 * as they are or through views. */
static gboolean
both_served (GstAllocConstraints * shared, const GstAllocConstraints * a,
    const GstAllocConstraints * b, const GstVideoInfo * info)
{
  GPtrArray *served = g_ptr_array_new ();
  gboolean ok;

  g_ptr_array_add (served, (gpointer) a);
  ok = shared && views_serve (shared, info, served, b, NULL);
  g_ptr_array_unref (served);
  gst_alloc_constraints_free (shared);
  return ok;
}

gboolean
gst_alloc_tee_can_share (const GstAllocConstraints * a,
    const GstAllocConstraints * b, const GstVideoInfo * info)
{
  GstAllocConstraints *pa, *pb;
  gboolean ok;

  if (both_served (gst_alloc_constraints_merge (a, b, NULL), a, b, info))
    return TRUE;
  pa = gst_alloc_constraints_without_structure (a);
  pb = gst_alloc_constraints_without_structure (b);
  ok = both_served (gst_alloc_constraints_merge (pa, pb, NULL), a, b, info);
  gst_alloc_constraints_free (pa);
  gst_alloc_constraints_free (pb);
  return ok;
}

/* @candidate (taken, nullable) when it is feasible and serves everybody. */
static GstAllocConstraints *
keep_if_it_serves (GstAllocConstraints * candidate,
    const GstAllocConstraints * wants, const GstVideoInfo * info,
    GstAllocSolver * solver, GPtrArray * served)
{
  GError *why = NULL;
  gchar *text;

  if (candidate && gst_alloc_constraints_is_feasible (candidate, info,
          solver, &why) && views_serve (candidate, info, served, wants, &why))
    return candidate;
  if (candidate && why) {
    text = gst_alloc_constraints_to_string (candidate);
    GST_DEBUG ("no view with %s: %s", text, why->message);
    g_free (text);
  }
  g_clear_error (&why);
  gst_alloc_constraints_free (candidate);
  return NULL;
}

GstAllocConstraints *
gst_alloc_tee_view_candidate (const GstAllocConstraints * shared,
    const GstAllocConstraints * wants, const GstVideoInfo * info,
    GstAllocSolver * solver, GPtrArray * served)
{
  GstAllocConstraints *physical, *candidate;

  physical = gst_alloc_constraints_without_structure (wants);
  candidate = keep_if_it_serves (gst_alloc_constraints_merge (shared,
          physical, NULL), wants, info, solver, served);
  gst_alloc_constraints_free (physical);
  if (candidate)
    return candidate;

  physical = gst_alloc_constraints_without_structure (shared);
  candidate = keep_if_it_serves (gst_alloc_constraints_merge (physical,
          wants, NULL), wants, info, solver, served);
  gst_alloc_constraints_free (physical);
  return candidate;
}

/* Why @wants does not take the shared buffers as they are: the conflict
 * its whole set has with the shared one. */
static gchar *
conflict_of (const GstAllocConstraints * shared,
    const GstAllocConstraints * wants, const GstVideoInfo * info,
    GstAllocSolver * solver)
{
  GstAllocConstraints *merged;
  GError *why = NULL;
  gchar *text;

  merged = gst_alloc_constraints_merge (shared, wants, &why);
  if (merged)
    gst_alloc_constraints_is_feasible (merged, info, solver, &why);
  gst_alloc_constraints_free (merged);
  if (!why)
    return g_strdup ("the shared buffers are laid out for the other "
        "branches");
  text = g_strdup (why->message);
  g_error_free (why);
  return text;
}

gboolean
gst_alloc_tee_view_reason (const GstAllocConstraints * shared,
    const GstAllocConstraints * wants, const GstVideoInfo * info,
    GstAllocSolver * solver, gchar ** reason)
{
  GstAllocLayout layout;
  GstAllocView view;
  gchar *conflict, *what;

  *reason = NULL;
  if (!gst_alloc_layout_compute (&layout, info, shared, NULL)
      || !gst_alloc_view_plan (&view, &layout, wants, NULL) || view.as_is)
    return FALSE;
  conflict = conflict_of (shared, wants, info, solver);
  what = gst_alloc_view_describe (&view);
  *reason = g_strdup_printf ("zero-copy (view): %s; served as views of the "
      "shared memory (%s), no byte copied", conflict, what);
  g_free (what);
  g_free (conflict);
  return TRUE;
}
