/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one field list the string and GstStructure forms both read and
 * write: each field's kind, its syntax in the accepted-fields list, and the
 * parsing of a single value. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocconstraints-private.h"

#include <stdarg.h>
#include <string.h>

typedef struct
{
  GstAllocFieldKind kind;
  const gchar *syntax;
} FieldSyntax;

static const FieldSyntax field_syntax[GST_ALLOC_N_FIELDS] = {
  [GST_ALLOC_FIELD_STRIDE_ALIGN] = {GST_ALLOC_FIELD_KIND_ALIGN, "<bytes>"},
  [GST_ALLOC_FIELD_OFFSET_ALIGN] = {GST_ALLOC_FIELD_KIND_ALIGN, "<bytes>"},
  [GST_ALLOC_FIELD_SIZE_ALIGN] = {GST_ALLOC_FIELD_KIND_ALIGN, "<bytes>"},
  [GST_ALLOC_FIELD_WIDTH_ALIGN] = {GST_ALLOC_FIELD_KIND_ALIGN, "<pixels>"},
  [GST_ALLOC_FIELD_HEIGHT_ALIGN] = {GST_ALLOC_FIELD_KIND_ALIGN, "<pixels>"},
  [GST_ALLOC_FIELD_PADDING_TOP] = {GST_ALLOC_FIELD_KIND_UINT, "<rows>"},
  [GST_ALLOC_FIELD_PADDING_BOTTOM] = {GST_ALLOC_FIELD_KIND_UINT, "<rows>"},
  [GST_ALLOC_FIELD_PADDING_LEFT] = {GST_ALLOC_FIELD_KIND_UINT, "<columns>"},
  [GST_ALLOC_FIELD_PADDING_RIGHT] = {GST_ALLOC_FIELD_KIND_UINT, "<columns>"},
  [GST_ALLOC_FIELD_PREFIX_BYTES] = {GST_ALLOC_FIELD_KIND_UINT, "<bytes>"},
  [GST_ALLOC_FIELD_PADDING_BYTES] = {GST_ALLOC_FIELD_KIND_UINT, "<bytes>"},
  [GST_ALLOC_FIELD_MIN_BUFFERS] = {GST_ALLOC_FIELD_KIND_UINT, "<count>"},
  [GST_ALLOC_FIELD_MAX_BUFFERS] = {GST_ALLOC_FIELD_KIND_UINT, "<count>"},
  [GST_ALLOC_FIELD_MAX_SIZE] = {GST_ALLOC_FIELD_KIND_UINT64, "<bytes>"},
  [GST_ALLOC_FIELD_MEMORY] = {GST_ALLOC_FIELD_KIND_MEMORY,
      "dmabuf|memfd|system"},
  [GST_ALLOC_FIELD_CONTIGUOUS] = {GST_ALLOC_FIELD_KIND_BOOLEAN, "true|false"},
  [GST_ALLOC_FIELD_CPU_ACCESS] = {GST_ALLOC_FIELD_KIND_CPU_ACCESS,
      "none|read|write|readwrite"},
  [GST_ALLOC_FIELD_CACHE] = {GST_ALLOC_FIELD_KIND_CACHE,
      "any|cached|uncached"},
  [GST_ALLOC_FIELD_HEAPS] = {GST_ALLOC_FIELD_KIND_HEAPS, "<name>|<name>"},
  [GST_ALLOC_FIELD_PLANES] = {GST_ALLOC_FIELD_KIND_PLANES,
      "any|single|separate"},
};

static const gchar *const kind_hints[] = {
  [GST_ALLOC_FIELD_KIND_ALIGN] = "a decimal integer from 1 to 4294967295",
  [GST_ALLOC_FIELD_KIND_UINT] = "a decimal integer from 0 to 4294967295",
  [GST_ALLOC_FIELD_KIND_UINT64] =
      "a decimal integer from 0 to 18446744073709551615",
  [GST_ALLOC_FIELD_KIND_BOOLEAN] = "true or false",
  [GST_ALLOC_FIELD_KIND_MEMORY] =
      "one or more of dmabuf, memfd, system, separated by '|'",
  [GST_ALLOC_FIELD_KIND_CPU_ACCESS] = "none, read, write or readwrite",
  [GST_ALLOC_FIELD_KIND_CACHE] = "any, cached or uncached",
  [GST_ALLOC_FIELD_KIND_PLANES] = "any, single or separate",
  [GST_ALLOC_FIELD_KIND_HEAPS] = "distinct non-empty heap names without "
      "'/' or '|', separated by '|' (double-quote the value when a name "
      "holds ',')",
};

GstAllocFieldKind
gst_alloc_field_get_kind (GstAllocField field)
{
  g_return_val_if_fail (field < GST_ALLOC_N_FIELDS, GST_ALLOC_FIELD_KIND_UINT);
  return field_syntax[field].kind;
}

const gchar *
gst_alloc_field_get_hint (GstAllocField field)
{
  return kind_hints[gst_alloc_field_get_kind (field)];
}

guint32 *
gst_alloc_constraints_u32_field (GstAllocConstraints * c, GstAllocField field)
{
  switch (field) {
    case GST_ALLOC_FIELD_STRIDE_ALIGN:
      return &c->stride_align;
    case GST_ALLOC_FIELD_OFFSET_ALIGN:
      return &c->offset_align;
    case GST_ALLOC_FIELD_SIZE_ALIGN:
      return &c->size_align;
    case GST_ALLOC_FIELD_WIDTH_ALIGN:
      return &c->width_align;
    case GST_ALLOC_FIELD_HEIGHT_ALIGN:
      return &c->height_align;
    case GST_ALLOC_FIELD_PADDING_TOP:
      return &c->padding_top;
    case GST_ALLOC_FIELD_PADDING_BOTTOM:
      return &c->padding_bottom;
    case GST_ALLOC_FIELD_PADDING_LEFT:
      return &c->padding_left;
    case GST_ALLOC_FIELD_PADDING_RIGHT:
      return &c->padding_right;
    case GST_ALLOC_FIELD_PREFIX_BYTES:
      return &c->prefix_bytes;
    case GST_ALLOC_FIELD_PADDING_BYTES:
      return &c->padding_bytes;
    case GST_ALLOC_FIELD_MIN_BUFFERS:
      return &c->min_buffers;
    case GST_ALLOC_FIELD_MAX_BUFFERS:
      return &c->max_buffers;
    default:
      break;
  }
  g_return_val_if_reached (NULL);
}

guint32
gst_alloc_constraints_get_u32 (const GstAllocConstraints * c,
    GstAllocField field)
{
  /* Read-only use of the one accessor, so the field list stays in one
   * switch. */
  return *gst_alloc_constraints_u32_field ((GstAllocConstraints *) c, field);
}

/**
 * gst_alloc_constraints_accepted_fields:
 *
 * Every field of the string form with what its value looks like, e.g.
 * "stride-align=<bytes>, …, planes=any|single|separate". Parse errors end
 * with this list.
 *
 * Returns: (transfer none): a static string.
 */
const gchar *
gst_alloc_constraints_accepted_fields (void)
{
  static gchar *accepted = NULL;

  if (g_once_init_enter (&accepted)) {
    GString *list = g_string_new (NULL);
    guint f;

    for (f = 0; f < GST_ALLOC_N_FIELDS; f++)
      g_string_append_printf (list, "%s%s=%s", f ? ", " : "",
          gst_alloc_field_get_name (f), field_syntax[f].syntax);
    g_once_init_leave (&accepted, g_string_free (list, FALSE));
  }
  return accepted;
}

void
gst_alloc_set_parse_error (GError ** error, const gchar * format, ...)
{
  va_list args;
  gchar *what;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE,
      "%s. Accepted fields: %s", what,
      gst_alloc_constraints_accepted_fields ());
  g_free (what);
}

/* Digits only: no sign, no hex, no suffix, so every value has one
 * spelling. */
static gboolean
parse_decimal (const gchar * str, guint64 max, guint64 * out)
{
  guint64 value = 0;
  const gchar *p;

  if (!*str)
    return FALSE;
  for (p = str; *p; p++) {
    guint digit = *p - '0';

    if (!g_ascii_isdigit (*p) || value > (max - digit) / 10)
      return FALSE;
    value = value * 10 + digit;
  }
  *out = value;
  return TRUE;
}

gboolean
gst_alloc_heaps_are_valid (const gchar * const *heaps)
{
  guint i, j;

  if (!heaps || !heaps[0])
    return FALSE;
  for (i = 0; heaps[i]; i++) {
    if (!*heaps[i] || strpbrk (heaps[i], "/|"))
      return FALSE;
    /* A repeated name would make two different lists look like one set. */
    for (j = 0; j < i; j++)
      if (g_str_equal (heaps[i], heaps[j]))
        return FALSE;
  }
  return TRUE;
}

static gboolean
parse_heaps (const gchar * value, gchar *** heaps)
{
  gchar **names = g_strsplit (value, "|", -1);

  if (!gst_alloc_heaps_are_valid ((const gchar * const *) names)) {
    g_strfreev (names);
    return FALSE;
  }
  g_strfreev (*heaps);
  *heaps = names;
  return TRUE;
}

static gboolean
parse_boolean (const gchar * value, gboolean * out)
{
  if (g_str_equal (value, "true"))
    *out = TRUE;
  else if (g_str_equal (value, "false"))
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

gboolean
gst_alloc_field_parse_value (GstAllocConstraints * c, GstAllocField field,
    const gchar * value)
{
  guint64 number;

  switch (gst_alloc_field_get_kind (field)) {
    case GST_ALLOC_FIELD_KIND_ALIGN:
      if (!parse_decimal (value, G_MAXUINT32, &number) || number == 0)
        return FALSE;
      *gst_alloc_constraints_u32_field (c, field) = number;
      return TRUE;
    case GST_ALLOC_FIELD_KIND_UINT:
      if (!parse_decimal (value, G_MAXUINT32, &number))
        return FALSE;
      *gst_alloc_constraints_u32_field (c, field) = number;
      return TRUE;
    case GST_ALLOC_FIELD_KIND_UINT64:
      return parse_decimal (value, G_MAXUINT64, &c->max_size);
    case GST_ALLOC_FIELD_KIND_BOOLEAN:
      return parse_boolean (value, &c->contiguous);
    case GST_ALLOC_FIELD_KIND_MEMORY:
      return gst_alloc_memory_flags_from_string (value, &c->memory);
    case GST_ALLOC_FIELD_KIND_CPU_ACCESS:
      return gst_alloc_cpu_access_from_string (value, &c->cpu_access);
    case GST_ALLOC_FIELD_KIND_CACHE:
      return gst_alloc_cache_from_string (value, &c->cache);
    case GST_ALLOC_FIELD_KIND_PLANES:
      return gst_alloc_planes_from_string (value, &c->planes);
    case GST_ALLOC_FIELD_KIND_HEAPS:
      return parse_heaps (value, &c->heaps);
  }
  g_return_val_if_reached (FALSE);
}
