/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared by the string and GstStructure forms so both read and write the
 * same field list, with the same value ranges and the same error text.
 * Implemented in gstallocconstraints-fields.c. */

#include <gst/alloc/alloc.h>

G_BEGIN_DECLS

typedef enum
{
  GST_ALLOC_FIELD_KIND_ALIGN,   /* guint32, at least 1 */
  GST_ALLOC_FIELD_KIND_UINT,    /* guint32 */
  GST_ALLOC_FIELD_KIND_UINT64,  /* guint64 */
  GST_ALLOC_FIELD_KIND_BOOLEAN,
  GST_ALLOC_FIELD_KIND_MEMORY,
  GST_ALLOC_FIELD_KIND_CPU_ACCESS,
  GST_ALLOC_FIELD_KIND_CACHE,
  GST_ALLOC_FIELD_KIND_PLANES,
  GST_ALLOC_FIELD_KIND_HEAPS,
} GstAllocFieldKind;

G_GNUC_INTERNAL
GstAllocFieldKind gst_alloc_field_get_kind (GstAllocField field);

/* What a valid value looks like, for error messages ("a decimal integer
 * from 1 to 4294967295"). */
G_GNUC_INTERNAL
const gchar *gst_alloc_field_get_hint (GstAllocField field);

/* The guint32 behind an ALIGN or UINT field. */
G_GNUC_INTERNAL
guint32 *gst_alloc_constraints_u32_field (GstAllocConstraints * constraints,
    GstAllocField field);

G_GNUC_INTERNAL
guint32 gst_alloc_constraints_get_u32 (const GstAllocConstraints * constraints,
    GstAllocField field);

/* Parses @value (unquoted, non-empty) as the string form of @field and
 * stores it; FALSE, leaving @constraints untouched, when it is invalid. */
G_GNUC_INTERNAL
gboolean gst_alloc_field_parse_value (GstAllocConstraints * constraints,
    GstAllocField field, const gchar * value);

/* A non-empty list of distinct, non-empty heap names without '/' or '|'. */
G_GNUC_INTERNAL
gboolean gst_alloc_heaps_are_valid (const gchar * const *heaps);

/* A GST_ALLOC_ERROR_PARSE error whose message ends with the accepted
 * fields. */
G_GNUC_INTERNAL
void gst_alloc_set_parse_error (GError ** error, const gchar * format, ...)
    G_GNUC_PRINTF (2, 3);

G_END_DECLS
