/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The field table (gstallocconstraints-fields.c): one row per constraint
 * field, read by everything that goes over the fields: parsing and
 * printing in both forms, equality, field_is_set, describe, the merge and
 * the accepted-fields message. Adding a field is adding a row (and the
 * public struct member it points at). */

#include <gst/alloc/alloc.h>

G_BEGIN_DECLS

/* How a field's value is stored and written. */
typedef enum
{
  GST_ALLOC_FIELD_KIND_ALIGN,   /* guint32, at least 1 */
  GST_ALLOC_FIELD_KIND_UINT,    /* guint32 */
  GST_ALLOC_FIELD_KIND_UINT64,  /* guint64 */
  GST_ALLOC_FIELD_KIND_BOOLEAN, /* gboolean, written true or false */
  GST_ALLOC_FIELD_KIND_CHOICE,  /* one value of an enum or flags GType, by nick */
  GST_ALLOC_FIELD_KIND_FLAGS,   /* single-bit flags of a GType, nicks joined by '|' */
  GST_ALLOC_FIELD_KIND_HEAPS,   /* gchar **, NULL for any heap */
  GST_ALLOC_FIELD_KIND_DRM_FORMATS,     /* GArray of GstAllocDrmFormat, NULL for any */
} GstAllocFieldKind;

typedef struct
{
  const gchar *name;
  GstAllocFieldKind kind;
  /* Numbers: what one unit is, shown as "<unit>" in the syntax. Flags: what
   * one value is, named when no value is left after a merge. */
  const gchar *unit;
  /* CHOICE and FLAGS: the GType whose value nicks are the string form. */
  GType (*get_type) (void);
  guint64 default_value;
  GstAllocMergeRule merge;
  gsize offset;
  const gchar *description;
} GstAllocFieldInfo;

struct _GstAllocConstraintsPrivate
{
  /* Interned strings. */
  const gchar *origins[GST_ALLOC_N_FIELDS];
};

G_GNUC_INTERNAL
const GstAllocFieldInfo *gst_alloc_field_get_info (GstAllocField field);

/* The value of any field but heaps, widened; booleans read as 0 or 1. */
G_GNUC_INTERNAL
guint64 gst_alloc_constraints_get_number (const GstAllocConstraints * constraints,
    GstAllocField field);

G_GNUC_INTERNAL
void gst_alloc_constraints_set_number (GstAllocConstraints * constraints,
    GstAllocField field, guint64 value);

/* The heap list field, for reading and for taking ownership of a list. */
G_GNUC_INTERNAL
gchar **gst_alloc_constraints_get_heaps (const GstAllocConstraints * constraints,
    GstAllocField field);

G_GNUC_INTERNAL
void gst_alloc_constraints_take_heaps (GstAllocConstraints * constraints,
    GstAllocField field, gchar ** heaps);

/* The fields that own what they point at (heap names, DRM formats): set
 * when not NULL, copied and freed with the set. */
G_GNUC_INTERNAL
gboolean gst_alloc_field_is_owned (GstAllocField field);

/* The DRM formats field, for reading and for taking ownership of a set. */
G_GNUC_INTERNAL
GArray *gst_alloc_constraints_get_drm_formats (const GstAllocConstraints * constraints,
    GstAllocField field);

G_GNUC_INTERNAL
void gst_alloc_constraints_take_drm_formats (GstAllocConstraints * constraints,
    GstAllocField field, GArray * formats);

/* The nicks of an enum or flags @type (single-bit flags only for
 * @single_bits) in declaration order, joined by @separator and, before the
 * last, by @last_separator. */
G_GNUC_INTERNAL
gchar *gst_alloc_join_nicks (GType type, gboolean single_bits,
    const gchar * separator, const gchar * last_separator);

/* What a valid value looks like, for error messages ("a decimal integer
 * from 1 to 4294967295"). */
G_GNUC_INTERNAL
const gchar *gst_alloc_field_get_hint (GstAllocField field);

/* Parses @value (unquoted, non-empty) as the string form of @field and
 * stores it; FALSE, leaving @constraints untouched, when it is invalid. */
G_GNUC_INTERNAL
gboolean gst_alloc_field_parse_value (GstAllocConstraints * constraints,
    GstAllocField field, const gchar * value);

/* A non-empty list of distinct, non-empty UTF-8 heap names without '/' or
 * '|'. */
G_GNUC_INTERNAL
gboolean gst_alloc_heaps_are_valid (const gchar * const *heaps);

/* A GST_ALLOC_ERROR_PARSE error whose message ends with the accepted
 * fields. Bytes that are not UTF-8 are replaced, so the message always is. */
G_GNUC_INTERNAL
void gst_alloc_set_parse_error (GError ** error, const gchar * format, ...)
    G_GNUC_PRINTF (2, 3);

G_END_DECLS
