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

#include <string.h>

static const gchar *const field_names[GST_ALLOC_N_FIELDS] = {
  [GST_ALLOC_FIELD_STRIDE_ALIGN] = "stride-align",
  [GST_ALLOC_FIELD_OFFSET_ALIGN] = "offset-align",
  [GST_ALLOC_FIELD_SIZE_ALIGN] = "size-align",
  [GST_ALLOC_FIELD_WIDTH_ALIGN] = "width-align",
  [GST_ALLOC_FIELD_HEIGHT_ALIGN] = "height-align",
  [GST_ALLOC_FIELD_PADDING_TOP] = "padding-top",
  [GST_ALLOC_FIELD_PADDING_BOTTOM] = "padding-bottom",
  [GST_ALLOC_FIELD_PADDING_LEFT] = "padding-left",
  [GST_ALLOC_FIELD_PADDING_RIGHT] = "padding-right",
  [GST_ALLOC_FIELD_PREFIX_BYTES] = "prefix-bytes",
  [GST_ALLOC_FIELD_PADDING_BYTES] = "padding-bytes",
  [GST_ALLOC_FIELD_MIN_BUFFERS] = "min-buffers",
  [GST_ALLOC_FIELD_MAX_BUFFERS] = "max-buffers",
  [GST_ALLOC_FIELD_MAX_SIZE] = "max-size",
  [GST_ALLOC_FIELD_MEMORY] = "memory",
  [GST_ALLOC_FIELD_CONTIGUOUS] = "contiguous",
  [GST_ALLOC_FIELD_CPU_ACCESS] = "cpu-access",
  [GST_ALLOC_FIELD_CACHE] = "cache",
  [GST_ALLOC_FIELD_HEAPS] = "heaps",
  [GST_ALLOC_FIELD_PLANES] = "planes",
};

G_DEFINE_BOXED_TYPE (GstAllocConstraints, gst_alloc_constraints,
    gst_alloc_constraints_copy, gst_alloc_constraints_free);

/**
 * gst_alloc_constraints_init:
 * @constraints: set to initialise
 *
 * Sets every field to its "no constraint" default and forgets all origins.
 * Use on an uninitialised stack or embedded set; pair with
 * gst_alloc_constraints_clear().
 */
void
gst_alloc_constraints_init (GstAllocConstraints * constraints)
{
  g_return_if_fail (constraints != NULL);

  memset (constraints, 0, sizeof (*constraints));
  constraints->stride_align = 1;
  constraints->offset_align = 1;
  constraints->size_align = 1;
  constraints->width_align = 1;
  constraints->height_align = 1;
  constraints->memory = GST_ALLOC_MEMORY_ANY;
  constraints->cpu_access = GST_ALLOC_CPU_ACCESS_NONE;
  constraints->cache = GST_ALLOC_CACHE_ANY;
  constraints->planes = GST_ALLOC_PLANES_ANY;
}

/**
 * gst_alloc_constraints_clear:
 * @constraints: an initialised set
 *
 * Frees what the set owns and resets it to the defaults.
 */
void
gst_alloc_constraints_clear (GstAllocConstraints * constraints)
{
  g_return_if_fail (constraints != NULL);

  g_strfreev (constraints->heaps);
  gst_alloc_constraints_init (constraints);
}

/**
 * gst_alloc_constraints_new:
 *
 * Returns: (transfer full): a set with no constraint.
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
 */
GstAllocConstraints *
gst_alloc_constraints_copy (const GstAllocConstraints * constraints)
{
  GstAllocConstraints *copy;

  g_return_val_if_fail (constraints != NULL, NULL);

  copy = g_new (GstAllocConstraints, 1);
  *copy = *constraints;
  copy->heaps = g_strdupv (constraints->heaps);
  return copy;
}

/**
 * gst_alloc_constraints_free:
 * @constraints: (transfer full) (nullable): set to free
 */
void
gst_alloc_constraints_free (GstAllocConstraints * constraints)
{
  if (!constraints)
    return;

  g_strfreev (constraints->heaps);
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

/**
 * gst_alloc_constraints_is_equal:
 * @a: a set
 * @b: another set
 *
 * Compares values only; origins are not part of the comparison.
 *
 * Returns: %TRUE if both sets ask for the same thing.
 */
gboolean
gst_alloc_constraints_is_equal (const GstAllocConstraints * a,
    const GstAllocConstraints * b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->stride_align == b->stride_align
      && a->offset_align == b->offset_align
      && a->size_align == b->size_align
      && a->width_align == b->width_align
      && a->height_align == b->height_align
      && a->padding_top == b->padding_top
      && a->padding_bottom == b->padding_bottom
      && a->padding_left == b->padding_left
      && a->padding_right == b->padding_right
      && a->prefix_bytes == b->prefix_bytes
      && a->padding_bytes == b->padding_bytes
      && a->min_buffers == b->min_buffers
      && a->max_buffers == b->max_buffers
      && a->max_size == b->max_size
      && a->memory == b->memory
      && a->contiguous == b->contiguous
      && a->cpu_access == b->cpu_access
      && a->cache == b->cache && heaps_equal (a->heaps, b->heaps)
      && a->planes == b->planes;
}

/**
 * gst_alloc_constraints_field_is_set:
 * @constraints: a set
 * @field: the field to look at
 *
 * Returns: %TRUE if @field holds something other than its "no constraint"
 * default.
 */
gboolean
gst_alloc_constraints_field_is_set (const GstAllocConstraints * constraints,
    GstAllocField field)
{
  const GstAllocConstraints *c = constraints;

  g_return_val_if_fail (c != NULL, FALSE);

  switch (field) {
    case GST_ALLOC_FIELD_STRIDE_ALIGN:
      return c->stride_align > 1;
    case GST_ALLOC_FIELD_OFFSET_ALIGN:
      return c->offset_align > 1;
    case GST_ALLOC_FIELD_SIZE_ALIGN:
      return c->size_align > 1;
    case GST_ALLOC_FIELD_WIDTH_ALIGN:
      return c->width_align > 1;
    case GST_ALLOC_FIELD_HEIGHT_ALIGN:
      return c->height_align > 1;
    case GST_ALLOC_FIELD_PADDING_TOP:
      return c->padding_top != 0;
    case GST_ALLOC_FIELD_PADDING_BOTTOM:
      return c->padding_bottom != 0;
    case GST_ALLOC_FIELD_PADDING_LEFT:
      return c->padding_left != 0;
    case GST_ALLOC_FIELD_PADDING_RIGHT:
      return c->padding_right != 0;
    case GST_ALLOC_FIELD_PREFIX_BYTES:
      return c->prefix_bytes != 0;
    case GST_ALLOC_FIELD_PADDING_BYTES:
      return c->padding_bytes != 0;
    case GST_ALLOC_FIELD_MIN_BUFFERS:
      return c->min_buffers != 0;
    case GST_ALLOC_FIELD_MAX_BUFFERS:
      return c->max_buffers != 0;
    case GST_ALLOC_FIELD_MAX_SIZE:
      return c->max_size != 0;
    case GST_ALLOC_FIELD_MEMORY:
      return c->memory != GST_ALLOC_MEMORY_ANY;
    case GST_ALLOC_FIELD_CONTIGUOUS:
      return c->contiguous;
    case GST_ALLOC_FIELD_CPU_ACCESS:
      return c->cpu_access != GST_ALLOC_CPU_ACCESS_NONE;
    case GST_ALLOC_FIELD_CACHE:
      return c->cache != GST_ALLOC_CACHE_ANY;
    case GST_ALLOC_FIELD_HEAPS:
      return c->heaps != NULL;
    case GST_ALLOC_FIELD_PLANES:
      return c->planes != GST_ALLOC_PLANES_ANY;
    case GST_ALLOC_N_FIELDS:
      break;
  }
  g_return_val_if_reached (FALSE);
}

/**
 * gst_alloc_constraints_is_empty:
 * @constraints: a set
 *
 * Returns: %TRUE if no field constrains anything.
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
 */
void
gst_alloc_constraints_set_origin (GstAllocConstraints * constraints,
    const gchar * origin)
{
  guint f;

  g_return_if_fail (constraints != NULL);

  for (f = 0; f < GST_ALLOC_N_FIELDS; f++) {
    if (gst_alloc_constraints_field_is_set (constraints, f))
      constraints->origins[f] = g_intern_string (origin);
  }
}

/**
 * gst_alloc_constraints_set_field_origin:
 * @constraints: a set
 * @field: the field
 * @origin: (nullable): who asks for it
 */
void
gst_alloc_constraints_set_field_origin (GstAllocConstraints * constraints,
    GstAllocField field, const gchar * origin)
{
  g_return_if_fail (constraints != NULL);
  g_return_if_fail (field < GST_ALLOC_N_FIELDS);

  constraints->origins[field] = g_intern_string (origin);
}

/**
 * gst_alloc_constraints_get_origin:
 * @constraints: a set
 * @field: the field
 *
 * Returns: (nullable): who asked for @field, as a comma-separated list when
 * several inputs shaped the merged value, or %NULL when unknown.
 */
const gchar *
gst_alloc_constraints_get_origin (const GstAllocConstraints * constraints,
    GstAllocField field)
{
  g_return_val_if_fail (constraints != NULL, NULL);
  g_return_val_if_fail (field < GST_ALLOC_N_FIELDS, NULL);

  return constraints->origins[field];
}

/**
 * gst_alloc_field_get_name:
 * @field: a field
 *
 * Returns: the field's name in the string and structure forms.
 */
const gchar *
gst_alloc_field_get_name (GstAllocField field)
{
  g_return_val_if_fail (field < GST_ALLOC_N_FIELDS, NULL);

  return field_names[field];
}

/**
 * gst_alloc_field_from_name:
 * @name: a field name such as "stride-align"
 * @field: (out): the field
 *
 * Returns: %TRUE if @name is a field name.
 */
gboolean
gst_alloc_field_from_name (const gchar * name, GstAllocField * field)
{
  guint f;

  g_return_val_if_fail (name != NULL, FALSE);

  for (f = 0; f < GST_ALLOC_N_FIELDS; f++) {
    if (strcmp (field_names[f], name) == 0) {
      if (field)
        *field = f;
      return TRUE;
    }
  }
  return FALSE;
}

/**
 * gst_alloc_constraints_describe_field:
 * @constraints: a set
 * @field: the field
 *
 * Returns: (transfer full): the field's value as the string form writes it
 * (without quoting), e.g. "256", "dmabuf|memfd", "linux,cma|system".
 */
gchar *
gst_alloc_constraints_describe_field (const GstAllocConstraints * constraints,
    GstAllocField field)
{
  const GstAllocConstraints *c = constraints;
  const guint32 *u32[] = {
    [GST_ALLOC_FIELD_STRIDE_ALIGN] = &c->stride_align,
    [GST_ALLOC_FIELD_OFFSET_ALIGN] = &c->offset_align,
    [GST_ALLOC_FIELD_SIZE_ALIGN] = &c->size_align,
    [GST_ALLOC_FIELD_WIDTH_ALIGN] = &c->width_align,
    [GST_ALLOC_FIELD_HEIGHT_ALIGN] = &c->height_align,
    [GST_ALLOC_FIELD_PADDING_TOP] = &c->padding_top,
    [GST_ALLOC_FIELD_PADDING_BOTTOM] = &c->padding_bottom,
    [GST_ALLOC_FIELD_PADDING_LEFT] = &c->padding_left,
    [GST_ALLOC_FIELD_PADDING_RIGHT] = &c->padding_right,
    [GST_ALLOC_FIELD_PREFIX_BYTES] = &c->prefix_bytes,
    [GST_ALLOC_FIELD_PADDING_BYTES] = &c->padding_bytes,
    [GST_ALLOC_FIELD_MIN_BUFFERS] = &c->min_buffers,
    [GST_ALLOC_FIELD_MAX_BUFFERS] = &c->max_buffers,
  };

  g_return_val_if_fail (c != NULL, NULL);
  g_return_val_if_fail (field < GST_ALLOC_N_FIELDS, NULL);

  switch (field) {
    case GST_ALLOC_FIELD_MAX_SIZE:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, c->max_size);
    case GST_ALLOC_FIELD_MEMORY:
      return g_strdup (gst_alloc_memory_flags_to_string (c->memory));
    case GST_ALLOC_FIELD_CONTIGUOUS:
      return g_strdup (c->contiguous ? "true" : "false");
    case GST_ALLOC_FIELD_CPU_ACCESS:
      return g_strdup (gst_alloc_cpu_access_to_string (c->cpu_access));
    case GST_ALLOC_FIELD_CACHE:
      return g_strdup (gst_alloc_cache_to_string (c->cache));
    case GST_ALLOC_FIELD_HEAPS:
      return c->heaps ? g_strjoinv ("|", c->heaps) : g_strdup ("any");
    case GST_ALLOC_FIELD_PLANES:
      return g_strdup (gst_alloc_planes_to_string (c->planes));
    default:
      return g_strdup_printf ("%u", *u32[field]);
  }
}

static const gchar *
asked_by (const GstAllocConstraints * c, GstAllocField field)
{
  return c->origins[field] ? c->origins[field] : "an unnamed consumer";
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
        c->min_buffers, asked_by (c, GST_ALLOC_FIELD_MIN_BUFFERS),
        c->max_buffers, asked_by (c, GST_ALLOC_FIELD_MAX_BUFFERS));
    return FALSE;
  }
  /* DMA heaps only give dma-bufs. */
  if (c->heaps && !(c->memory & GST_ALLOC_MEMORY_DMABUF)) {
    heaps = g_strjoinv ("|", c->heaps);
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_CONFLICT,
        "heaps: %s (asked by %s) names DMA heaps, which give dma-bufs, but "
        "memory=%s (asked by %s) excludes dmabuf", heaps,
        asked_by (c, GST_ALLOC_FIELD_HEAPS),
        gst_alloc_memory_flags_to_string (c->memory),
        asked_by (c, GST_ALLOC_FIELD_MEMORY));
    g_free (heaps);
    return FALSE;
  }
  return TRUE;
}
