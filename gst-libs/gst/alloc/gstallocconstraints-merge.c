/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The merge: each field is merged by the rule its row of the field table
 * names (gstallocconstraints-fields.c), one function per rule with the
 * reason for it. A merge builds its result in a local set and hands it out
 * only when every field merged, so a conflict never leaves a half-merged
 * set behind. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocconstraints-private.h"
#include "gstallocdrmformat-private.h"

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
  const gchar *oa = gst_alloc_constraints_get_origin (m->a, field);
  const gchar *ob = gst_alloc_constraints_get_origin (m->b, field);
  gboolean set_a = gst_alloc_constraints_field_is_set (m->a, field);
  gboolean set_b = gst_alloc_constraints_field_is_set (m->b, field);

  /* A side that left the field at its default asked for nothing. */
  from_a = from_a && set_a;
  from_b = from_b && set_b;
  if (!from_a && !from_b) {
    from_a = set_a;
    from_b = set_b;
  }
  gst_alloc_constraints_set_field_origin (m->out, field,
      gst_alloc_origin_union (from_a ? oa : NULL, from_b ? ob : NULL));
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
      gst_alloc_constraints_asked_by (m->a, field), vb,
      gst_alloc_constraints_asked_by (m->b, field), why);
  g_free (va);
  g_free (vb);
}

/* One merge rule on the values of a field that is not a heap list. */
typedef gboolean (*NumberRule) (Merge * m, GstAllocField field, guint64 a,
    guint64 b, guint64 * out, GError ** error);

/* Alignments: the least common multiple satisfies both sides; OR-ing masks
 * would only work for powers of two (48 and 64 must give 192). */
static gboolean
merge_lcm (Merge * m, GstAllocField field, guint64 a, guint64 b,
    guint64 * out, GError ** error)
{
  guint32 lcm;

  if (!gst_alloc_checked_lcm (a, b, &lcm)) {
    set_conflict (m, error, field, "their least common multiple overflows");
    return FALSE;
  }
  *out = lcm;
  return TRUE;
}

/* Paddings, reserved bytes and buffer counts kept: the larger need covers
 * the smaller one. */
static gboolean
merge_maximum (Merge * m, GstAllocField field, guint64 a, guint64 b,
    guint64 * out, GError ** error)
{
  *out = MAX (a, b);
  return TRUE;
}

/* Limits (0 = unlimited): the tighter limit respects both. */
static gboolean
merge_tighter_limit (Merge * m, GstAllocField field, guint64 a, guint64 b,
    guint64 * out, GError ** error)
{
  *out = a == 0 || b == 0 ? MAX (a, b) : MIN (a, b);
  return TRUE;
}

/* Sets of accepted values (memory kinds): only a value every consumer
 * accepts will do. */
static gboolean
merge_intersection (Merge * m, GstAllocField field, guint64 a, guint64 b,
    guint64 * out, GError ** error)
{
  gchar *why;

  *out = a & b;
  if (*out != 0)
    return TRUE;
  why = g_strdup_printf ("no %s is accepted by both",
      gst_alloc_field_get_info (field)->unit);
  set_conflict (m, error, field, why);
  g_free (why);
  return FALSE;
}

/* Needs that only add up (contiguity, CPU access, the default layout):
 * what meets the union serves each side, as contiguous memory serves a
 * consumer that does not care, and a consumer that cannot read GstVideoMeta
 * binds the whole set to the default layout. */
static gboolean
merge_union (Merge * m, GstAllocField field, guint64 a, guint64 b,
    guint64 * out, GError ** error)
{
  *out = a | b;
  return TRUE;
}

/* Alternatives (cache, planes): the default "any" yields to the other
 * side, two different concrete values cannot both hold. */
static gboolean
merge_agree (Merge * m, GstAllocField field, guint64 a, guint64 b,
    guint64 * out, GError ** error)
{
  guint64 any = gst_alloc_field_get_info (field)->default_value;

  if (a != any && b != any && a != b) {
    set_conflict (m, error, field, "a buffer can only be one of them");
    return FALSE;
  }
  *out = a != any ? a : b;
  return TRUE;
}

static const NumberRule number_rules[] = {
  [GST_ALLOC_MERGE_LCM] = merge_lcm,
  [GST_ALLOC_MERGE_MAXIMUM] = merge_maximum,
  [GST_ALLOC_MERGE_TIGHTER_LIMIT] = merge_tighter_limit,
  [GST_ALLOC_MERGE_INTERSECTION] = merge_intersection,
  [GST_ALLOC_MERGE_UNION] = merge_union,
  [GST_ALLOC_MERGE_AGREE] = merge_agree,
};

/* Heap names: only a heap both lists name will do; an unset list means
 * any heap, the identity of the intersection. */
static gboolean
merge_heap_intersection (Merge * m, GstAllocField field, GError ** error)
{
  gchar **a = gst_alloc_constraints_get_heaps (m->a, field);
  gchar **b = gst_alloc_constraints_get_heaps (m->b, field);
  GPtrArray *common;
  guint i;

  if (!a || !b) {
    gst_alloc_constraints_take_heaps (m->out, field, g_strdupv (a ? a : b));
    merge_origin (m, field, a != NULL, b != NULL);
    return TRUE;
  }

  common = g_ptr_array_new ();
  for (i = 0; a[i]; i++) {
    if (g_strv_contains ((const gchar * const *) b, a[i]))
      g_ptr_array_add (common, g_strdup (a[i]));
  }
  if (common->len == 0) {
    g_ptr_array_free (common, TRUE);
    set_conflict (m, error, field, "no heap is in both lists");
    return FALSE;
  }
  g_ptr_array_add (common, NULL);
  gst_alloc_constraints_take_heaps (m->out, field,
      (gchar **) g_ptr_array_free (common, FALSE));
  merge_origin (m, field, TRUE, TRUE);
  return TRUE;
}

/* DRM formats with modifiers: a buffer has one layout, which every
 * consumer must be able to read, so only a pair both sets list will do; an
 * unset set means any pair. */
static gboolean
merge_drm_format_intersection (Merge * m, GstAllocField field, GError ** error)
{
  GArray *a = gst_alloc_constraints_get_drm_formats (m->a, field);
  GArray *b = gst_alloc_constraints_get_drm_formats (m->b, field);
  GArray *common;

  if (!a || !b) {
    gst_alloc_constraints_take_drm_formats (m->out, field,
        gst_alloc_drm_formats_copy (a ? a : b));
    merge_origin (m, field, a != NULL, b != NULL);
    return TRUE;
  }
  common = gst_alloc_drm_formats_intersect (a, b);
  if (!common) {
    set_conflict (m, error, field, "no DRM format and modifier is accepted "
        "by both");
    return FALSE;
  }
  gst_alloc_constraints_take_drm_formats (m->out, field, common);
  merge_origin (m, field, TRUE, TRUE);
  return TRUE;
}

static gboolean
merge_field (Merge * m, GstAllocField field, GError ** error)
{
  GstAllocMergeRule rule = gst_alloc_field_get_merge_rule (field);
  guint64 a, b, out;

  if (rule == GST_ALLOC_MERGE_HEAP_INTERSECTION)
    return merge_heap_intersection (m, field, error);
  if (rule == GST_ALLOC_MERGE_DRM_FORMAT_INTERSECTION)
    return merge_drm_format_intersection (m, field, error);

  g_return_val_if_fail (rule < G_N_ELEMENTS (number_rules), FALSE);
  a = gst_alloc_constraints_get_number (m->a, field);
  b = gst_alloc_constraints_get_number (m->b, field);
  if (!number_rules[rule] (m, field, a, b, &out, error))
    return FALSE;
  gst_alloc_constraints_set_number (m->out, field, out);
  merge_origin (m, field, out == a, out == b);
  return TRUE;
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
 *
 * Since: 1.0
 */
GstAllocConstraints *
gst_alloc_constraints_merge (const GstAllocConstraints * a,
    const GstAllocConstraints * b, GError ** error)
{
  GstAllocConstraints out;
  Merge m = { a, b, &out };
  gboolean ok = TRUE;
  guint f;

  g_return_val_if_fail (a != NULL && b != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  gst_alloc_constraints_init (&out);
  for (f = 0; f < GST_ALLOC_N_FIELDS && ok; f++)
    ok = merge_field (&m, f, error);
  /* Fields that constrain each other (min and max buffers, heaps and memory
   * kinds) may each merge fine and still exclude one another. */
  if (!ok || !gst_alloc_constraints_validate (&out, error)) {
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
 *
 * Since: 1.0
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
