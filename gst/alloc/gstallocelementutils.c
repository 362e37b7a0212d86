/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the elements share: the constraints and solver properties, and
 * refusing a property value loudly. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocelements.h"

GST_DEBUG_CATEGORY (gst_alloc_elements_performance);

/* Values refused while the element was stopped: a GHashTable from the
 * property name to why, on the element, under its object lock. */
static GQuark refusals_quark;

void
gst_alloc_elements_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    gst_alloc_init ();
    GST_DEBUG_CATEGORY_GET (gst_alloc_elements_performance, "GST_PERFORMANCE");
    refusals_quark = g_quark_from_static_string ("gst-alloc-refusals");
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

/* Called with the object lock held. */
static GHashTable *
refusals_locked (GstElement * element, gboolean create)
{
  GHashTable *refusals = g_object_get_qdata (G_OBJECT (element),
      refusals_quark);

  if (!refusals && create) {
    refusals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    g_object_set_qdata_full (G_OBJECT (element), refusals_quark, refusals,
        (GDestroyNotify) g_hash_table_unref);
  }
  return refusals;
}

void
gst_alloc_element_refuse (GstElement * element, const gchar * property,
    const gchar * value, const GError * reason)
{
  gchar *text = g_strdup_printf ("Refusing %s \"%s\": %s", property, value,
      reason->message);
  GstState state;
  gboolean stopped;
  GstBus *bus;

  GST_OBJECT_LOCK (element);
  state = GST_STATE (element);
  stopped = state <= GST_STATE_READY;
  if (stopped)
    g_hash_table_replace (refusals_locked (element, TRUE),
        g_strdup (property), g_strdup (text));
  GST_OBJECT_UNLOCK (element);

  if (stopped) {
    GST_WARNING_OBJECT (element, "%s; the next state change will fail", text);
  } else if ((bus = gst_element_get_bus (element))) {
    GST_ELEMENT_WARNING (element, RESOURCE, SETTINGS, ("%s. The previous "
            "value stays in use.", text), ("set while %s",
            gst_element_state_get_name (state)));
    gst_object_unref (bus);
  } else {
    g_warning ("%s: %s; keeping the previous value", GST_OBJECT_NAME (element),
        text);
  }
  g_free (text);
}

void
gst_alloc_element_accept (GstElement * element, const gchar * property)
{
  GHashTable *refusals;

  GST_OBJECT_LOCK (element);
  refusals = refusals_locked (element, FALSE);
  if (refusals)
    g_hash_table_remove (refusals, property);
  GST_OBJECT_UNLOCK (element);
}

gboolean
gst_alloc_element_check_refusals (GstElement * element,
    GstStateChange transition)
{
  GHashTable *refusals;
  GString *text = NULL;
  GHashTableIter iter;
  gpointer why;

  if (GST_STATE_TRANSITION_NEXT (transition) <=
      GST_STATE_TRANSITION_CURRENT (transition))
    return TRUE;

  GST_OBJECT_LOCK (element);
  refusals = refusals_locked (element, FALSE);
  if (refusals && g_hash_table_size (refusals) > 0) {
    text = g_string_new (NULL);
    g_hash_table_iter_init (&iter, refusals);
    while (g_hash_table_iter_next (&iter, NULL, &why))
      g_string_append_printf (text, "%s%s", text->len ? "; " : "",
          (const gchar *) why);
  }
  GST_OBJECT_UNLOCK (element);
  if (!text)
    return TRUE;

  GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS, ("%s.", text->str),
      ("refused before %s; set a valid value, and the state can change",
          gst_state_change_get_name (transition)));
  g_string_free (text, TRUE);
  return FALSE;
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
    gst_alloc_element_refuse (element, "constraints", str ? str : "", err);
    g_clear_error (&err);
    return FALSE;
  }
  gst_alloc_element_accept (element, "constraints");
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
