/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One merge rule per constraint field. A merge builds its result in a local
 * set and hands it out only when every field merged, so a conflict never
 * leaves a half-merged set behind. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"

typedef struct
{
  const GstAllocConstraints *a;
  const GstAllocConstraints *b;
  GstAllocConstraints *out;
} Merge;

/* The origin of a merged value: whichever side the value came from, both
 * when both sides gave it or when it is built from both. */
static void
merge_origin (Merge * m, GstAllocField field, gboolean from_a, gboolean from_b)
{
  const gchar *oa = m->a->origins[field];
  const gchar *ob = m->b->origins[field];
  gboolean set_a = gst_alloc_constraints_field_is_set (m->a, field);
  gboolean set_b = gst_alloc_constraints_field_is_set (m->b, field);

  /* A side that left the field at its default asked for nothing. */
  from_a = from_a && set_a;
  from_b = from_b && set_b;
  if (!from_a && !from_b) {
    from_a = set_a;
    from_b = set_b;
  }
  m->out->origins[field] =
      gst_alloc_origin_union (from_a ? oa : NULL, from_b ? ob : NULL);
}

static const gchar *
origin_or_unknown (const gchar * origin)
{
  return origin ? origin : "an unnamed consumer";
}

static void
set_conflict (Merge * m, GError ** error, GstAllocField field,
    const gchar * why)
{
  gchar *va = gst_alloc_constraints_describe_field (m->a, field);
  gchar *vb = gst_alloc_constraints_describe_field (m->b, field);

  g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_CONFLICT,
      "%s: %s (asked by %s) conflicts with %s (asked by %s): %s",
      gst_alloc_field_get_name (field), va,
      origin_or_unknown (m->a->origins[field]), vb,
      origin_or_unknown (m->b->origins[field]), why);
  g_free (va);
  g_free (vb);
}

/* Alignments: the least common multiple satisfies both sides; OR-ing masks
 * would only work for powers of two (48 and 64 must give 192). */
static gboolean
merge_alignment (Merge * m, GstAllocField field, guint32 a, guint32 b,
    guint32 * out, GError ** error)
{
  if (!gst_alloc_checked_lcm (a, b, out)) {
    set_conflict (m, error, field, "their least common multiple overflows");
    return FALSE;
  }
  merge_origin (m, field, *out == a, *out == b);
  return TRUE;
}

/* Paddings, reserved bytes and buffer counts kept: the larger need covers
 * the smaller one. */
static void
merge_maximum (Merge * m, GstAllocField field, guint32 a, guint32 b,
    guint32 * out)
{
  *out = MAX (a, b);
  merge_origin (m, field, *out == a, *out == b);
}

/* Limits (0 = unlimited): the tighter limit respects both. */
static void
merge_limit (Merge * m, GstAllocField field, guint64 a, guint64 b,
    guint64 * out)
{
  if (a == 0 || b == 0)
    *out = MAX (a, b);
  else
    *out = MIN (a, b);
  merge_origin (m, field, *out == a, *out == b);
}

static gboolean
merge_alignments (Merge * m, GError ** error)
{
  const GstAllocConstraints *a = m->a, *b = m->b;
  GstAllocConstraints *o = m->out;

  return merge_alignment (m, GST_ALLOC_FIELD_STRIDE_ALIGN, a->stride_align,
      b->stride_align, &o->stride_align, error)
      && merge_alignment (m, GST_ALLOC_FIELD_OFFSET_ALIGN, a->offset_align,
      b->offset_align, &o->offset_align, error)
      && merge_alignment (m, GST_ALLOC_FIELD_SIZE_ALIGN, a->size_align,
      b->size_align, &o->size_align, error)
      && merge_alignment (m, GST_ALLOC_FIELD_WIDTH_ALIGN, a->width_align,
      b->width_align, &o->width_align, error)
      && merge_alignment (m, GST_ALLOC_FIELD_HEIGHT_ALIGN, a->height_align,
      b->height_align, &o->height_align, error);
}

static void
merge_paddings (Merge * m)
{
  const GstAllocConstraints *a = m->a, *b = m->b;
  GstAllocConstraints *o = m->out;

  merge_maximum (m, GST_ALLOC_FIELD_PADDING_TOP, a->padding_top,
      b->padding_top, &o->padding_top);
  merge_maximum (m, GST_ALLOC_FIELD_PADDING_BOTTOM, a->padding_bottom,
      b->padding_bottom, &o->padding_bottom);
  merge_maximum (m, GST_ALLOC_FIELD_PADDING_LEFT, a->padding_left,
      b->padding_left, &o->padding_left);
  merge_maximum (m, GST_ALLOC_FIELD_PADDING_RIGHT, a->padding_right,
      b->padding_right, &o->padding_right);
  merge_maximum (m, GST_ALLOC_FIELD_PREFIX_BYTES, a->prefix_bytes,
      b->prefix_bytes, &o->prefix_bytes);
  merge_maximum (m, GST_ALLOC_FIELD_PADDING_BYTES, a->padding_bytes,
      b->padding_bytes, &o->padding_bytes);
}

static void
merge_counts (Merge * m)
{
  const GstAllocConstraints *a = m->a, *b = m->b;
  GstAllocConstraints *o = m->out;
  guint64 max_buffers;

  merge_maximum (m, GST_ALLOC_FIELD_MIN_BUFFERS, a->min_buffers,
      b->min_buffers, &o->min_buffers);
  merge_limit (m, GST_ALLOC_FIELD_MAX_BUFFERS, a->max_buffers, b->max_buffers,
      &max_buffers);
  o->max_buffers = (guint32) max_buffers;
  merge_limit (m, GST_ALLOC_FIELD_MAX_SIZE, a->max_size, b->max_size,
      &o->max_size);
}

static gboolean
merge_heaps (Merge * m, GError ** error)
{
  GPtrArray *common;
  guint i;

  /* NULL means any heap, the identity of the intersection. */
  if (!m->a->heaps || !m->b->heaps) {
    m->out->heaps = g_strdupv (m->a->heaps ? m->a->heaps : m->b->heaps);
    merge_origin (m, GST_ALLOC_FIELD_HEAPS, m->a->heaps != NULL,
        m->b->heaps != NULL);
    return TRUE;
  }

  common = g_ptr_array_new ();
  for (i = 0; m->a->heaps[i]; i++) {
    if (g_strv_contains ((const gchar * const *) m->b->heaps, m->a->heaps[i]))
      g_ptr_array_add (common, g_strdup (m->a->heaps[i]));
  }
  if (common->len == 0) {
    g_ptr_array_free (common, TRUE);
    set_conflict (m, error, GST_ALLOC_FIELD_HEAPS, "no heap is in both lists");
    return FALSE;
  }
  g_ptr_array_add (common, NULL);
  m->out->heaps = (gchar **) g_ptr_array_free (common, FALSE);
  merge_origin (m, GST_ALLOC_FIELD_HEAPS, TRUE, TRUE);
  return TRUE;
}

/* For enums whose values are alternatives (cache, planes): "any" yields to
 * the other side, two different concrete values cannot both hold. */
static gboolean
merge_agreement (Merge * m, GstAllocField field, guint a, guint b, guint any,
    guint * out, GError ** error)
{
  if (a != any && b != any && a != b) {
    set_conflict (m, error, field, "a buffer can only be one of them");
    return FALSE;
  }
  *out = a != any ? a : b;
  merge_origin (m, field, *out == a, *out == b);
  return TRUE;
}

static gboolean
merge_placement (Merge * m, GError ** error)
{
  const GstAllocConstraints *a = m->a, *b = m->b;
  GstAllocConstraints *o = m->out;
  guint value;

  /* Memory kinds: only a kind every consumer accepts will do. */
  o->memory = a->memory & b->memory;
  if (o->memory == 0) {
    set_conflict (m, error, GST_ALLOC_FIELD_MEMORY,
        "no memory kind is accepted by both");
    return FALSE;
  }
  merge_origin (m, GST_ALLOC_FIELD_MEMORY, o->memory == a->memory,
      o->memory == b->memory);

  /* Contiguity: contiguous memory also serves a consumer that does not care. */
  o->contiguous = a->contiguous || b->contiguous;
  merge_origin (m, GST_ALLOC_FIELD_CONTIGUOUS, a->contiguous, b->contiguous);

  /* CPU access: the memory must allow every access some consumer makes. */
  o->cpu_access = a->cpu_access | b->cpu_access;
  merge_origin (m, GST_ALLOC_FIELD_CPU_ACCESS, o->cpu_access == a->cpu_access,
      o->cpu_access == b->cpu_access);

  if (!merge_agreement (m, GST_ALLOC_FIELD_CACHE, a->cache, b->cache,
          GST_ALLOC_CACHE_ANY, &value, error))
    return FALSE;
  o->cache = value;

  if (!merge_agreement (m, GST_ALLOC_FIELD_PLANES, a->planes, b->planes,
          GST_ALLOC_PLANES_ANY, &value, error))
    return FALSE;
  o->planes = value;

  return merge_heaps (m, error);
}

/**
 * gst_alloc_constraints_merge:
 * @a: a set
 * @b: another set
 * @error: (nullable): where to report a conflict
 *
 * Combines two sets into one that satisfies both. The merge is commutative,
 * associative and idempotent on values, and the empty set is its identity.
 * Each field's origin in the result names the input(s) it came from.
 *
 * Returns: (transfer full) (nullable): the merged set, or %NULL with
 * %GST_ALLOC_ERROR_CONFLICT naming the field, both values and who asked.
 */
GstAllocConstraints *
gst_alloc_constraints_merge (const GstAllocConstraints * a,
    const GstAllocConstraints * b, GError ** error)
{
  GstAllocConstraints out;
  Merge m = { a, b, &out };

  g_return_val_if_fail (a != NULL && b != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  gst_alloc_constraints_init (&out);
  merge_paddings (&m);
  merge_counts (&m);
  /* Fields that constrain each other (min and max buffers, heaps and memory
   * kinds) may each merge fine and still exclude one another. */
  if (!merge_alignments (&m, error) || !merge_placement (&m, error)
      || !gst_alloc_constraints_validate (&out, error)) {
    gst_alloc_constraints_clear (&out);
    return NULL;
  }
  return g_memdup2 (&out, sizeof (out));
}

/**
 * gst_alloc_constraints_merge_into:
 * @dest: a set, replaced by the merge on success
 * @other: the set to add
 * @error: (nullable): where to report a conflict
 *
 * Like gst_alloc_constraints_merge() but in place; @dest is unchanged on
 * failure.
 *
 * Returns: %TRUE on success.
 */
gboolean
gst_alloc_constraints_merge_into (GstAllocConstraints * dest,
    const GstAllocConstraints * other, GError ** error)
{
  GstAllocConstraints *merged;

  g_return_val_if_fail (dest != NULL && other != NULL, FALSE);

  merged = gst_alloc_constraints_merge (dest, other, error);
  if (!merged)
    return FALSE;
  gst_alloc_constraints_clear (dest);
  *dest = *merged;
  g_free (merged);
  return TRUE;
}
