/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The field table: one row per constraint field, with everything the rest
 * of the library needs to know about it, and the reading and writing of a
 * single value. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocconstraints-private.h"
#include "gstallocdrmformat-private.h"

#include <stdarg.h>
#include <string.h>

/* Enum fields are read and written through a guint. */
G_STATIC_ASSERT (sizeof (GstAllocMemoryFlags) == sizeof (guint));
G_STATIC_ASSERT (sizeof (GstAllocCpuAccess) == sizeof (guint));
G_STATIC_ASSERT (sizeof (GstAllocCache) == sizeof (guint));
G_STATIC_ASSERT (sizeof (GstAllocPlanes) == sizeof (guint));

#define ROW(id, name, kind, unit, type, def, rule, member, doc) \
  [GST_ALLOC_FIELD_##id] = { name, GST_ALLOC_FIELD_KIND_##kind, unit, type, \
    def, GST_ALLOC_MERGE_##rule, G_STRUCT_OFFSET (GstAllocConstraints, \
        member), doc }

/* Columns: field, name in both forms, kind (how the value is stored and
 * written), unit, GType of the value nicks, default ("no constraint"),
 * merge rule (gstallocconstraints-merge.c), struct member, description.
 * Adding a field is one row here and its member in the public struct. */
/* *INDENT-OFF* */
static const GstAllocFieldInfo fields[GST_ALLOC_N_FIELDS] = {
  ROW (STRIDE_ALIGN, "stride-align", ALIGN, "bytes", NULL, 1, LCM,
      stride_align, "Every plane stride is a multiple of it."),
  ROW (OFFSET_ALIGN, "offset-align", ALIGN, "bytes", NULL, 1, LCM,
      offset_align, "Every plane starts at a multiple of it, counted from "
      "the start of its allocation."),
  ROW (SIZE_ALIGN, "size-align", ALIGN, "bytes", NULL, 1, LCM,
      size_align, "Every memory's full size (maxsize) is a multiple of it."),
  ROW (WIDTH_ALIGN, "width-align", ALIGN, "pixels", NULL, 1, LCM,
      width_align, "The padded plane width is a multiple of it."),
  ROW (HEIGHT_ALIGN, "height-align", ALIGN, "pixels", NULL, 1, LCM,
      height_align, "The padded plane height is a multiple of it."),
  ROW (PADDING_TOP, "padding-top", UINT, "rows", NULL, 0, MAXIMUM,
      padding_top, "Pixel rows reserved above the picture."),
  ROW (PADDING_BOTTOM, "padding-bottom", UINT, "rows", NULL, 0, MAXIMUM,
      padding_bottom, "Pixel rows reserved below the picture."),
  ROW (PADDING_LEFT, "padding-left", UINT, "columns", NULL, 0, MAXIMUM,
      padding_left, "Pixel columns reserved left of the picture."),
  ROW (PADDING_RIGHT, "padding-right", UINT, "columns", NULL, 0, MAXIMUM,
      padding_right, "Pixel columns reserved right of the picture."),
  ROW (PREFIX_BYTES, "prefix-bytes", UINT, "bytes", NULL, 0, MAXIMUM,
      prefix_bytes, "Bytes reserved before each memory's data "
      "(GstAllocationParams.prefix)."),
  ROW (PADDING_BYTES, "padding-bytes", UINT, "bytes", NULL, 0, MAXIMUM,
      padding_bytes, "Bytes reserved after each memory's data "
      "(GstAllocationParams.padding)."),
  ROW (MIN_BUFFERS, "min-buffers", UINT, "count", NULL, 0, MAXIMUM,
      min_buffers, "Buffers the consumer keeps at once."),
  ROW (MAX_BUFFERS, "max-buffers", UINT, "count", NULL, 0, TIGHTER_LIMIT,
      max_buffers, "Most buffers the consumer can take; 0 means "
      "unlimited."),
  ROW (MAX_SIZE, "max-size", UINT64, "bytes", NULL, 0, TIGHTER_LIMIT,
      max_size, "Bytes a buffer may span, each memory counted from the "
      "start of its allocation to the end of its data; 0 means unlimited."),
  ROW (MEMORY, "memory", FLAGS, "memory kind",
      gst_alloc_memory_flags_get_type, GST_ALLOC_MEMORY_ANY, INTERSECTION,
      memory, "Memory kinds the consumer accepts."),
  ROW (CONTIGUOUS, "contiguous", BOOLEAN, NULL, NULL, FALSE, UNION,
      contiguous, "The memory must be physically contiguous."),
  ROW (CPU_ACCESS, "cpu-access", CHOICE, NULL, gst_alloc_cpu_access_get_type,
      GST_ALLOC_CPU_ACCESS_NONE, UNION,
      cpu_access, "How the consumer touches the memory with the CPU."),
  ROW (CACHE, "cache", CHOICE, NULL, gst_alloc_cache_get_type,
      GST_ALLOC_CACHE_ANY, AGREE,
      cache, "Cache policy of CPU mappings: cached for CPU-heavy "
      "consumers, uncached for DMA that does not snoop caches."),
  ROW (HEAPS, "heaps", HEAPS, "name", NULL, 0, HEAP_INTERSECTION,
      heaps, "DMA heaps whose memory the consumer accepts; any heap when "
      "unset."),
  ROW (PLANES, "planes", CHOICE, NULL, gst_alloc_planes_get_type,
      GST_ALLOC_PLANES_ANY, AGREE,
      planes, "How planes map to memories: single puts all planes in one "
      "memory (V4L2 single-planar), separate gives each its own (V4L2 "
      "multi-planar)."),
  ROW (DEFAULT_LAYOUT, "default-layout", BOOLEAN, NULL, NULL, FALSE, UNION,
      default_layout, "The consumer reads frames at GstVideoInfo's default "
      "strides and offsets (it does not read GstVideoMeta)."),
  ROW (DRM_FORMATS, "drm-formats", DRM_FORMATS, "fourcc", NULL, 0,
      DRM_FORMAT_INTERSECTION,
      drm_formats, "DRM formats with modifiers (fourcc:modifier) a dma-buf "
      "consumer accepts, linear being modifier 0; any when unset."),
};
/* *INDENT-ON* */

const GstAllocFieldInfo *
gst_alloc_field_get_info (GstAllocField field)
{
  g_return_val_if_fail (field < GST_ALLOC_N_FIELDS, &fields[0]);
  return &fields[field];
}

guint64
gst_alloc_constraints_get_number (const GstAllocConstraints * c,
    GstAllocField field)
{
  const GstAllocFieldInfo *info = gst_alloc_field_get_info (field);
  gconstpointer p = G_STRUCT_MEMBER_P (c, info->offset);

  switch (info->kind) {
    case GST_ALLOC_FIELD_KIND_UINT64:
      return *(const guint64 *) p;
    case GST_ALLOC_FIELD_KIND_BOOLEAN:
      return *(const gboolean *) p != FALSE;
    case GST_ALLOC_FIELD_KIND_HEAPS:
    case GST_ALLOC_FIELD_KIND_DRM_FORMATS:
      g_return_val_if_reached (0);
    default:
      return *(const guint32 *) p;
  }
}

void
gst_alloc_constraints_set_number (GstAllocConstraints * c,
    GstAllocField field, guint64 value)
{
  const GstAllocFieldInfo *info = gst_alloc_field_get_info (field);
  gpointer p = G_STRUCT_MEMBER_P (c, info->offset);

  switch (info->kind) {
    case GST_ALLOC_FIELD_KIND_UINT64:
      *(guint64 *) p = value;
      break;
    case GST_ALLOC_FIELD_KIND_BOOLEAN:
      *(gboolean *) p = value != 0;
      break;
    case GST_ALLOC_FIELD_KIND_HEAPS:
    case GST_ALLOC_FIELD_KIND_DRM_FORMATS:
      g_return_if_reached ();
    default:
      *(guint32 *) p = (guint32) value;
      break;
  }
}

gchar **
gst_alloc_constraints_get_heaps (const GstAllocConstraints * c,
    GstAllocField field)
{
  const GstAllocFieldInfo *info = gst_alloc_field_get_info (field);

  g_return_val_if_fail (info->kind == GST_ALLOC_FIELD_KIND_HEAPS, NULL);
  return G_STRUCT_MEMBER (gchar **, c, info->offset);
}

void
gst_alloc_constraints_take_heaps (GstAllocConstraints * c,
    GstAllocField field, gchar ** heaps)
{
  const GstAllocFieldInfo *info = gst_alloc_field_get_info (field);

  g_return_if_fail (info->kind == GST_ALLOC_FIELD_KIND_HEAPS);
  g_strfreev (G_STRUCT_MEMBER (gchar **, c, info->offset));
  G_STRUCT_MEMBER (gchar **, c, info->offset) = heaps;
}

gboolean
gst_alloc_field_is_owned (GstAllocField field)
{
  GstAllocFieldKind kind = gst_alloc_field_get_info (field)->kind;

  return kind == GST_ALLOC_FIELD_KIND_HEAPS
      || kind == GST_ALLOC_FIELD_KIND_DRM_FORMATS;
}

GArray *
gst_alloc_constraints_get_drm_formats (const GstAllocConstraints * c,
    GstAllocField field)
{
  const GstAllocFieldInfo *info = gst_alloc_field_get_info (field);

  g_return_val_if_fail (info->kind == GST_ALLOC_FIELD_KIND_DRM_FORMATS, NULL);
  return G_STRUCT_MEMBER (GArray *, c, info->offset);
}

void
gst_alloc_constraints_take_drm_formats (GstAllocConstraints * c,
    GstAllocField field, GArray * formats)
{
  const GstAllocFieldInfo *info = gst_alloc_field_get_info (field);
  GArray **member;

  g_return_if_fail (info->kind == GST_ALLOC_FIELD_KIND_DRM_FORMATS);
  member = &G_STRUCT_MEMBER (GArray *, c, info->offset);
  if (*member)
    g_array_unref (*member);
  *member = formats;
}

static gchar *
make_syntax (const GstAllocFieldInfo * info)
{
  switch (info->kind) {
    case GST_ALLOC_FIELD_KIND_BOOLEAN:
      return g_strdup ("true|false");
    case GST_ALLOC_FIELD_KIND_CHOICE:
      return gst_alloc_join_nicks (info->get_type (), FALSE, "|", "|");
    case GST_ALLOC_FIELD_KIND_FLAGS:
      return gst_alloc_join_nicks (info->get_type (), TRUE, "|", "|");
    case GST_ALLOC_FIELD_KIND_HEAPS:
      return g_strdup_printf ("<%s>|<%s>", info->unit, info->unit);
    case GST_ALLOC_FIELD_KIND_DRM_FORMATS:
      return g_strdup ("<fourcc>:<modifier>|<fourcc>:<modifier>");
    default:
      return g_strdup_printf ("<%s>", info->unit);
  }
}

static gchar *
make_hint (const GstAllocFieldInfo * info)
{
  gchar *values, *hint;

  switch (info->kind) {
    case GST_ALLOC_FIELD_KIND_ALIGN:
      return g_strdup ("a decimal integer from 1 to 4294967295");
    case GST_ALLOC_FIELD_KIND_UINT:
      return g_strdup ("a decimal integer from 0 to 4294967295");
    case GST_ALLOC_FIELD_KIND_UINT64:
      return g_strdup ("a decimal integer from 0 to 18446744073709551615");
    case GST_ALLOC_FIELD_KIND_BOOLEAN:
      return g_strdup ("true or false");
    case GST_ALLOC_FIELD_KIND_CHOICE:
      return gst_alloc_join_nicks (info->get_type (), FALSE, ", ", " or ");
    case GST_ALLOC_FIELD_KIND_FLAGS:
      values = gst_alloc_join_nicks (info->get_type (), TRUE, ", ", ", ");
      hint = g_strdup_printf ("one or more of %s, separated by '|'", values);
      g_free (values);
      return hint;
    case GST_ALLOC_FIELD_KIND_HEAPS:
      return g_strdup ("distinct non-empty UTF-8 heap names without '/' or "
          "'|', separated by '|' (double-quote the value when a name holds "
          "',')");
    case GST_ALLOC_FIELD_KIND_DRM_FORMATS:
      return g_strdup ("distinct FOURCC:MODIFIER pairs separated by '|': a "
          "DRM fourcc of four characters (NV12, XR24) and 'linear' or '0x' "
          "with 16 hexadecimal digits (not DRM_FORMAT_MOD_INVALID, "
          "0x00ffffffffffffff)");
  }
  g_return_val_if_reached (NULL);
}

typedef struct
{
  gchar *syntax[GST_ALLOC_N_FIELDS];
  gchar *hint[GST_ALLOC_N_FIELDS];
  gchar *accepted;
} FieldTexts;

/* Made once from the table and kept for the life of the process. */
static const FieldTexts *
field_texts (void)
{
  static FieldTexts *texts = NULL;

  if (g_once_init_enter (&texts)) {
    FieldTexts *made = g_new0 (FieldTexts, 1);
    GString *accepted = g_string_new (NULL);
    guint f;

    for (f = 0; f < GST_ALLOC_N_FIELDS; f++) {
      made->syntax[f] = make_syntax (&fields[f]);
      made->hint[f] = make_hint (&fields[f]);
      g_string_append_printf (accepted, "%s%s=%s", f ? ", " : "",
          fields[f].name, made->syntax[f]);
    }
    made->accepted = g_string_free (accepted, FALSE);
    g_once_init_leave (&texts, made);
  }
  return texts;
}

const gchar *
gst_alloc_field_get_hint (GstAllocField field)
{
  g_return_val_if_fail (field < GST_ALLOC_N_FIELDS, NULL);
  return field_texts ()->hint[field];
}

/**
 * gst_alloc_field_get_syntax:
 * @field: a field
 *
 * Returns: what the field's value looks like in the string form, as the
 * accepted-fields list shows it: `<bytes>`, `true|false`,
 * `dmabuf|memfd|system`…
 *
 * Since: 1.0
 */
const gchar *
gst_alloc_field_get_syntax (GstAllocField field)
{
  g_return_val_if_fail (field < GST_ALLOC_N_FIELDS, NULL);
  return field_texts ()->syntax[field];
}

/**
 * gst_alloc_constraints_accepted_fields:
 *
 * Every field of the string form with what its value looks like, e.g.
 * `stride-align=<bytes>, …, planes=any|single|separate`. Parse errors end
 * with this list.
 *
 * Returns: (transfer none): a static string.
 *
 * Since: 1.0
 */
const gchar *
gst_alloc_constraints_accepted_fields (void)
{
  return field_texts ()->accepted;
}

/**
 * gst_alloc_field_get_name:
 * @field: a field
 *
 * Returns: the field's name in the string and structure forms.
 *
 * Since: 1.0
 */
const gchar *
gst_alloc_field_get_name (GstAllocField field)
{
  g_return_val_if_fail (field < GST_ALLOC_N_FIELDS, NULL);
  return fields[field].name;
}

/**
 * gst_alloc_field_get_description:
 * @field: a field
 *
 * Returns: one sentence saying what the field asks for.
 *
 * Since: 1.0
 */
const gchar *
gst_alloc_field_get_description (GstAllocField field)
{
  g_return_val_if_fail (field < GST_ALLOC_N_FIELDS, NULL);
  return fields[field].description;
}

/**
 * gst_alloc_field_get_merge_rule:
 * @field: a field
 *
 * Returns: how gst_alloc_constraints_merge() combines two values of @field.
 *
 * Since: 1.0
 */
GstAllocMergeRule
gst_alloc_field_get_merge_rule (GstAllocField field)
{
  g_return_val_if_fail (field < GST_ALLOC_N_FIELDS, GST_ALLOC_MERGE_AGREE);
  return fields[field].merge;
}

/**
 * gst_alloc_field_from_name:
 * @name: a field name such as "stride-align"
 * @field: (out) (optional): the field
 *
 * Returns: %TRUE if @name is a field name.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_field_from_name (const gchar * name, GstAllocField * field)
{
  guint f;

  g_return_val_if_fail (name != NULL, FALSE);

  for (f = 0; f < GST_ALLOC_N_FIELDS; f++) {
    if (strcmp (fields[f].name, name) == 0) {
      if (field)
        *field = f;
      return TRUE;
    }
  }
  return FALSE;
}

void
gst_alloc_set_parse_error (GError ** error, const gchar * format, ...)
{
  va_list args;
  gchar *what, *valid;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  /* The message quotes the input, which may hold any bytes. */
  valid = g_utf8_make_valid (what, -1);
  g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE,
      "%s. Accepted fields: %s", valid,
      gst_alloc_constraints_accepted_fields ());
  g_free (valid);
  g_free (what);
}
