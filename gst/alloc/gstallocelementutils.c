/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the elements share: the constraints and solver properties. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocelements.h"

GST_DEBUG_CATEGORY (gst_alloc_elements_performance);

void
gst_alloc_elements_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    gst_alloc_init ();
    GST_DEBUG_CATEGORY_GET (gst_alloc_elements_performance, "GST_PERFORMANCE");
    g_once_init_leave (&done, 1);
  }
}

GParamSpec *
gst_alloc_element_constraints_pspec (const gchar * blurb)
{
  gchar *full = g_strdup_printf ("%s. Comma-separated field=value items; "
      "fields: %s", blurb, gst_alloc_constraints_accepted_fields ());
  GParamSpec *pspec = g_param_spec_string ("constraints", "Constraints", full,
      "", G_PARAM_READWRITE | G_PARAM_STATIC_NAME | G_PARAM_STATIC_NICK |
      GST_PARAM_MUTABLE_PLAYING);

  g_free (full);
  return pspec;
}

GParamSpec *
gst_alloc_element_solver_pspec (void)
{
  return g_param_spec_object ("solver", "Solver",
      "The backends to allocate from (NULL: every DMA heap, udmabuf, memfd "
      "and system memory this machine offers)", GST_TYPE_ALLOC_SOLVER,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
}

GParamSpec *
gst_alloc_element_pool_budget_pspec (void)
{
  gchar *blurb = g_strdup_printf ("The most memory, in bytes, that a pool "
      "this element makes may allocate; it grows on demand up to it "
      "(0: the default, %" G_GUINT64_FORMAT " on this machine: 1 GiB or a "
      "quarter of RAM)", gst_alloc_pool_get_default_budget ());
  GParamSpec *pspec = g_param_spec_uint64 ("pool-budget", "Pool budget",
      blurb, 0, G_MAXUINT64, 0, G_PARAM_READWRITE | G_PARAM_STATIC_NAME |
      G_PARAM_STATIC_NICK | GST_PARAM_MUTABLE_READY);

  g_free (blurb);
  return pspec;
}

gboolean
gst_alloc_element_set_constraints (GstElement * element, const GValue * value,
    GstAllocConstraints ** slot)
{
  const gchar *str = g_value_get_string (value);
  GstAllocConstraints *parsed, *old;
  GError *err = NULL;

  parsed = gst_alloc_constraints_from_string (str ? str : "",
      GST_OBJECT_NAME (element), &err);
  if (!parsed) {
    g_warning ("%s: refusing constraints \"%s\", keeping the previous "
        "value: %s", GST_OBJECT_NAME (element), str ? str : "", err->message);
    g_clear_error (&err);
    return FALSE;
  }
  GST_OBJECT_LOCK (element);
  old = *slot;
  *slot = parsed;
  GST_OBJECT_UNLOCK (element);
  gst_alloc_constraints_free (old);
  return TRUE;
}

void
gst_alloc_element_get_constraints (GstElement * element,
    GstAllocConstraints * constraints, GValue * value)
{
  GST_OBJECT_LOCK (element);
  g_value_take_string (value, constraints ?
      gst_alloc_constraints_to_string (constraints) : g_strdup (""));
  GST_OBJECT_UNLOCK (element);
}

void
gst_alloc_element_set_solver (GstElement * element, const GValue * value,
    GstAllocSolver ** slot)
{
  GstAllocSolver *old;

  GST_OBJECT_LOCK (element);
  old = *slot;
  *slot = g_value_dup_object (value);
  GST_OBJECT_UNLOCK (element);
  gst_clear_object (&old);
}

void
gst_alloc_transform_renegotiate (GstBaseTransform * trans)
{
  gst_base_transform_reconfigure_src (trans);
  gst_pad_push_event (GST_BASE_TRANSFORM_SINK_PAD (trans),
      gst_event_new_reconfigure ());
}
