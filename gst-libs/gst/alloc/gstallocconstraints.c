/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:gstallocconstraints
 * @title: GstAllocConstraints
 * @short_description: What a consumer needs from a buffer
 *
 * A #GstAllocConstraints is a plain set of fields, each with a default that
 * means "no constraint". Sets from several consumers are combined with
 * gst_alloc_constraints_merge(); the result satisfies every input or the
 * merge fails naming the field and who asked for each value.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocconstraints-private.h"
#include "gstallocdrmformat-private.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (GstAllocConstraints, gst_alloc_constraints,
    gst_alloc_constraints_copy, gst_alloc_constraints_free);

/**
 * gst_alloc_constraints_init:
 * @constraints: set to initialise
 *
 * Sets every field to its "no constraint" default, with no origin. Use on
 * an uninitialised stack or embedded set; pair with
 * gst_alloc_constraints_clear(), which frees what the set came to own
 * (heap names, origins).
 *
 * Since: 1.0
 */
void
gst_alloc_constraints_init (GstAllocConstraints * constraints)
{
  const GstAllocFieldInfo *info;
  guint f;

  g_return_if_fail (constraints != NULL);

  memset (constraints, 0, sizeof (*constraints));
  for (f = 0; f < GST_ALLOC_N_FIELDS; f++) {
    info = gst_alloc_field_get_info (f);
    if (!gst_alloc_field_is_owned (f))
      gst_alloc_constraints_set_number (constraints, f, info->default_value);
  }
}

static void
free_owned (GstAllocConstraints * constraints)
{
  guint f;

  for (f = 0; f < GST_ALLOC_N_FIELDS; f++) {
    if (gst_alloc_field_get_info (f)->kind == GST_ALLOC_FIELD_KIND_HEAPS)
      gst_alloc_constraints_take_heaps (constraints, f, NULL);
    else if (gst_alloc_field_get_info (f)->kind ==
        GST_ALLOC_FIELD_KIND_DRM_FORMATS)
      gst_alloc_constraints_take_drm_formats (constraints, f, NULL);
  }
  g_clear_pointer (&constraints->priv, g_free);
}

/**
 * gst_alloc_constraints_clear:
 * @constraints: an initialised set
 *
 * Frees what the set owns and resets it to the defaults.
 *
 * Since: 1.0
 */
void
gst_alloc_constraints_clear (GstAllocConstraints * constraints)
{
  g_return_if_fail (constraints != NULL);

  free_owned (constraints);
  gst_alloc_constraints_init (constraints);
}

/**
 * gst_alloc_constraints_new:
 *
 * Returns: (transfer full): a set with no constraint.
 *
 * Since: 1.0
 */
GstAllocConstraints *
gst_alloc_constraints_new (void)
{
  GstAllocConstraints *constraints = g_new (GstAllocConstraints, 1);

  gst_alloc_constraints_init (constraints);
  return constraints;
}

/**
 * gst_alloc_constraints_copy:
 * @constraints: set to copy
 *
 * Returns: (transfer full): a deep copy, origins included.
 *
 * Since: 1.0
 */
GstAllocConstraints *
gst_alloc_constraints_copy (const GstAllocConstraints * constraints)
{
  GstAllocConstraints *copy;
  guint f;

  g_return_val_if_fail (constraints != NULL, NULL);

  copy = g_memdup2 (constraints, sizeof (*constraints));
  for (f = 0; f < GST_ALLOC_N_FIELDS; f++) {
    if (gst_alloc_field_get_info (f)->kind == GST_ALLOC_FIELD_KIND_HEAPS)
      G_STRUCT_MEMBER (gchar **, copy, gst_alloc_field_get_info (f)->offset) =
          g_strdupv (gst_alloc_constraints_get_heaps (constraints, f));
    else if (gst_alloc_field_get_info (f)->kind ==
        GST_ALLOC_FIELD_KIND_DRM_FORMATS)
      G_STRUCT_MEMBER (GArray *, copy, gst_alloc_field_get_info (f)->offset) =
          gst_alloc_drm_formats_copy (gst_alloc_constraints_get_drm_formats
          (constraints, f));
  }
  if (constraints->priv)
    copy->priv = g_memdup2 (constraints->priv, sizeof (*constraints->priv));
  return copy;
}

/**
 * gst_alloc_constraints_free:
 * @constraints: (transfer full) (nullable): set to free
 *
 * Since: 1.0
 */
void
gst_alloc_constraints_free (GstAllocConstraints * constraints)
{
  if (!constraints)
    return;

  free_owned (constraints);
  g_free (constraints);
}

static gboolean
heaps_equal (gchar ** a, gchar ** b)
{
  guint i;

  if (!a || !b)
    return a == b;
  /* Heap lists are sets: order does not matter, and checking inclusion both
   * ways keeps a list with a repeated name from equalling another list. */
  for (i = 0; a[i]; i++)
    if (!g_strv_contains ((const gchar * const *) b, a[i]))
      return FALSE;
  for (i = 0; b[i]; i++)
    if (!g_strv_contains ((const gchar * const *) a, b[i]))
      return FALSE;
  return TRUE;
}

static gboolean
field_is_equal (const GstAllocConstraints * a, const GstAllocConstraints * b,
    GstAllocField field)
{
  if (gst_alloc_field_get_info (field)->kind == GST_ALLOC_FIELD_KIND_HEAPS)
    return heaps_equal (gst_alloc_constraints_get_heaps (a, field),
        gst_alloc_constraints_get_heaps (b, field));
  if (gst_alloc_field_get_info (field)->kind ==
      GST_ALLOC_FIELD_KIND_DRM_FORMATS)
    return gst_alloc_drm_formats_equal (gst_alloc_constraints_get_drm_formats
        (a, field), gst_alloc_constraints_get_drm_formats (b, field));
  return gst_alloc_constraints_get_number (a, field)
      == gst_alloc_constraints_get_number (b, field);
}

/**
 * gst_alloc_constraints_is_equal:
 * @a: a set
 * @b: another set
 *
 * Compares values only; origins are not part of the comparison.
 *
 * Returns: %TRUE if both sets ask for the same thing.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_constraints_is_equal (const GstAllocConstraints * a,
    const GstAllocConstraints * b)
{
  guint f;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  for (f = 0; f < GST_ALLOC_N_FIELDS; f++)
    if (!field_is_equal (a, b, f))
      return FALSE;
  return TRUE;
}

/**
 * gst_alloc_constraints_field_is_set:
 * @constraints: a set
 * @field: the field to look at
 *
 * Returns: %TRUE if @field holds something other than its "no constraint"
 * default.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_constraints_field_is_set (const GstAllocConstraints * constraints,
    GstAllocField field)
{
  const GstAllocFieldInfo *info;

  g_return_val_if_fail (constraints != NULL, FALSE);
  g_return_val_if_fail (field < GST_ALLOC_N_FIELDS, FALSE);

  info = gst_alloc_field_get_info (field);
  if (info->kind == GST_ALLOC_FIELD_KIND_HEAPS)
    return gst_alloc_constraints_get_heaps (constraints, field) != NULL;
  if (info->kind == GST_ALLOC_FIELD_KIND_DRM_FORMATS)
    return gst_alloc_constraints_get_drm_formats (constraints, field) != NULL;
  return gst_alloc_constraints_get_number (constraints, field)
      != info->default_value;
}

/**
 * gst_alloc_constraints_is_empty:
 * @constraints: a set
 *
 * Returns: %TRUE if no field constrains anything.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_constraints_is_empty (const GstAllocConstraints * constraints)
{
  guint f;

  for (f = 0; f < GST_ALLOC_N_FIELDS; f++)
    if (gst_alloc_constraints_field_is_set (constraints, f))
      return FALSE;
  return TRUE;
}

/**
 * gst_alloc_constraints_set_origin:
 * @constraints: a set
 * @origin: (nullable): who asks: an element name, a device path
 *
 * Records @origin for every field that is set, so later conflicts can name
 * it. Origins are interned; the caller keeps ownership of @origin.
 *
 * Since: 1.0
 */
void
gst_alloc_constraints_set_origin (GstAllocConstraints * constraints,
    const gchar * origin)
{
  guint f;

  g_return_if_fail (constraints != NULL);

  for (f = 0; f < GST_ALLOC_N_FIELDS; f++) {
    if (gst_alloc_constraints_field_is_set (constraints, f))
      gst_alloc_constraints_set_field_origin (constraints, f, origin);
  }
}

/**
 * gst_alloc_constraints_set_field_origin:
 * @constraints: a set
 * @field: the field
 * @origin: (nullable): who asks for it; bytes that are not UTF-8 are
 *   replaced
 *
 * Since: 1.0
 */
void
gst_alloc_constraints_set_field_origin (GstAllocConstraints * constraints,
    GstAllocField field, const gchar * origin)
{
  g_return_if_fail (constraints != NULL);
  g_return_if_fail (field < GST_ALLOC_N_FIELDS);

  /* Made on the first origin, so a set without origins owns nothing. */
  if (!constraints->priv) {
    if (!origin)
      return;
    constraints->priv = g_new0 (GstAllocConstraintsPrivate, 1);
  }
  if (origin && !g_utf8_validate (origin, -1, NULL)) {
    /* Origins are written into the structure form, whose text form only
     * reads UTF-8 back. */
    gchar *valid = g_utf8_make_valid (origin, -1);

    constraints->priv->origins[field] = g_intern_string (valid);
    g_free (valid);
    return;
  }
  constraints->priv->origins[field] = g_intern_string (origin);
}

/**
 * gst_alloc_constraints_get_origin:
 * @constraints: a set
 * @field: the field
 *
 * Returns: (nullable): who asked for @field, as a comma-separated list when
 * several inputs shaped the merged value, or %NULL when unknown.
 *
 * Since: 1.0
 */
const gchar *
gst_alloc_constraints_get_origin (const GstAllocConstraints * constraints,
    GstAllocField field)
{
  g_return_val_if_fail (constraints != NULL, NULL);
  g_return_val_if_fail (field < GST_ALLOC_N_FIELDS, NULL);

  return constraints->priv ? constraints->priv->origins[field] : NULL;
}

const gchar *
gst_alloc_constraints_asked_by (const GstAllocConstraints * constraints,
    GstAllocField field)
{
  const gchar *origin = gst_alloc_constraints_get_origin (constraints, field);

  return origin ? origin : "an unnamed consumer";
}

/**
 * gst_alloc_constraints_validate:
 * @constraints: a set
 * @error: (nullable): where to say how the set contradicts itself
 *
 * Checks that no two fields of one set exclude each other: min-buffers
 * above max-buffers, or DMA heaps named while dma-buf memory is excluded.
 * Parsing and merging validate their results, so every set they hand out
 * is consistent.
 *
 * Returns: %TRUE if the set can be satisfied as far as the set alone can
 * tell, %FALSE with %GST_ALLOC_ERROR_CONFLICT otherwise.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_constraints_validate (const GstAllocConstraints * constraints,
    GError ** error)
{
  const GstAllocConstraints *c = constraints;
  gchar *heaps;

  g_return_val_if_fail (c != NULL, FALSE);

  /* A pool cannot hold fewer buffers than some consumer keeps at once. */
  if (c->max_buffers != 0 && c->min_buffers > c->max_buffers) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_CONFLICT,
        "min-buffers: %u (asked by %s) exceeds max-buffers %u (asked by %s)",
        c->min_buffers,
        gst_alloc_constraints_asked_by (c, GST_ALLOC_FIELD_MIN_BUFFERS),
        c->max_buffers,
        gst_alloc_constraints_asked_by (c, GST_ALLOC_FIELD_MAX_BUFFERS));
    return FALSE;
  }
  /* DMA heaps only give dma-bufs. */
  if (c->heaps && !(c->memory & GST_ALLOC_MEMORY_DMABUF)) {
    heaps = g_strjoinv ("|", c->heaps);
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_CONFLICT,
        "heaps: %s (asked by %s) names DMA heaps, which give dma-bufs, but "
        "memory=%s (asked by %s) excludes dmabuf", heaps,
        gst_alloc_constraints_asked_by (c, GST_ALLOC_FIELD_HEAPS),
        gst_alloc_memory_flags_to_string (c->memory),
        gst_alloc_constraints_asked_by (c, GST_ALLOC_FIELD_MEMORY));
    g_free (heaps);
    return FALSE;
  }
  return TRUE;
}
