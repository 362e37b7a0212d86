/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The GstStructure form of a constraint set, for allocation queries and
 * element properties. Values are typed (guint, guint64, gboolean, strings
 * as in the string form, an array of heap names) and an "origins"
 * sub-structure keeps who asked for each field, so a set travels through a
 * query without losing what a later conflict message needs:
 *
 *   gst-alloc-constraints, stride-align=(uint)256,
 *       heaps=(string)< "linux\,cma", system >,
 *       origins=(structure)"origins\,\ stride-align\=\(string\)kmssink0..."
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocconstraints-private.h"
#include "gstallocdrmformat-private.h"

#define ORIGINS_FIELD "origins"

static GType
kind_get_gtype (GstAllocFieldKind kind)
{
  switch (kind) {
    case GST_ALLOC_FIELD_KIND_ALIGN:
    case GST_ALLOC_FIELD_KIND_UINT:
      return G_TYPE_UINT;
    case GST_ALLOC_FIELD_KIND_UINT64:
      return G_TYPE_UINT64;
    case GST_ALLOC_FIELD_KIND_BOOLEAN:
      return G_TYPE_BOOLEAN;
    case GST_ALLOC_FIELD_KIND_HEAPS:
    case GST_ALLOC_FIELD_KIND_DRM_FORMATS:
      return GST_TYPE_ARRAY;
    default:
      return G_TYPE_STRING;
  }
}

static void
append_string (GValue * array, const gchar * str)
{
  GValue item = G_VALUE_INIT;

  g_value_init (&item, G_TYPE_STRING);
  g_value_set_string (&item, str);
  gst_value_array_append_and_take_value (array, &item);
}

static void
take_heaps (GstStructure * s, const gchar * name, gchar ** heaps)
{
  GValue array = G_VALUE_INIT;
  guint i;

  g_value_init (&array, GST_TYPE_ARRAY);
  for (i = 0; heaps[i]; i++)
    append_string (&array, heaps[i]);
  gst_structure_take_value (s, name, &array);
}

/* Each pair as the string form writes it: "NV12:linear". */
static void
take_drm_formats (GstStructure * s, const gchar * name, GArray * formats)
{
  GValue array = G_VALUE_INIT;
  gchar *one;
  guint i;

  g_value_init (&array, GST_TYPE_ARRAY);
  for (i = 0; i < formats->len; i++) {
    one = gst_alloc_drm_format_to_string (&g_array_index (formats,
            GstAllocDrmFormat, i));
    append_string (&array, one);
    g_free (one);
  }
  gst_structure_take_value (s, name, &array);
}

static void
write_field (GstStructure * s, const GstAllocConstraints * c,
    GstAllocField field)
{
  const gchar *name = gst_alloc_field_get_name (field);
  guint64 number;
  gchar *value;

  switch (gst_alloc_field_get_info (field)->kind) {
    case GST_ALLOC_FIELD_KIND_HEAPS:
      take_heaps (s, name, gst_alloc_constraints_get_heaps (c, field));
      return;
    case GST_ALLOC_FIELD_KIND_DRM_FORMATS:
      take_drm_formats (s, name, gst_alloc_constraints_get_drm_formats (c,
              field));
      return;
    case GST_ALLOC_FIELD_KIND_CHOICE:
    case GST_ALLOC_FIELD_KIND_FLAGS:
      value = gst_alloc_constraints_describe_field (c, field);
      gst_structure_set (s, name, G_TYPE_STRING, value, NULL);
      g_free (value);
      return;
    default:
      break;
  }
  number = gst_alloc_constraints_get_number (c, field);
  switch (gst_alloc_field_get_info (field)->kind) {
    case GST_ALLOC_FIELD_KIND_UINT64:
      gst_structure_set (s, name, G_TYPE_UINT64, number, NULL);
      break;
    case GST_ALLOC_FIELD_KIND_BOOLEAN:
      gst_structure_set (s, name, G_TYPE_BOOLEAN, (gboolean) number, NULL);
      break;
    default:
      gst_structure_set (s, name, G_TYPE_UINT, (guint) number, NULL);
      break;
  }
}

/**
 * gst_alloc_constraints_to_structure:
 * @constraints: a set
 *
 * Writes the fields that are set, in #GstAllocField order, with the names of
 * the string form: 32-bit fields as guint, max-size as guint64, contiguous
 * and default-layout as gboolean, memory, cpu-access, cache and planes as
 * the strings of the string form, heaps and drm-formats as a
 * #GST_TYPE_ARRAY of strings (drm-formats as "NV12:linear"). Known origins go into
 * an "origins" sub-structure mapping field names to origin strings.
 * gst_alloc_constraints_from_structure() reads it back with values and
 * origins, also after gst_structure_to_string() and
 * gst_structure_from_string().
 *
 * Returns: (transfer full): a structure named
 * %GST_ALLOC_CONSTRAINTS_STRUCTURE_NAME.
 *
 * Since: 1.0
 */
GstStructure *
gst_alloc_constraints_to_structure (const GstAllocConstraints * constraints)
{
  GstStructure *s, *origins;
  const gchar *origin;
  guint f;

  g_return_val_if_fail (constraints != NULL, NULL);

  s = gst_structure_new_empty (GST_ALLOC_CONSTRAINTS_STRUCTURE_NAME);
  origins = gst_structure_new_empty (ORIGINS_FIELD);
  for (f = 0; f < GST_ALLOC_N_FIELDS; f++) {
    if (gst_alloc_constraints_field_is_set (constraints, f))
      write_field (s, constraints, f);
    origin = gst_alloc_constraints_get_origin (constraints, f);
    if (origin)
      gst_structure_set (origins, gst_alloc_field_get_name (f), G_TYPE_STRING,
          origin, NULL);
  }
  if (gst_structure_n_fields (origins) > 0)
    gst_structure_set (s, ORIGINS_FIELD, GST_TYPE_STRUCTURE, origins, NULL);
  gst_structure_free (origins);
  return s;
}

typedef struct
{
  GstAllocConstraints *constraints;
  GError **error;
} ReadContext;

static gboolean
read_heaps (GstAllocConstraints * c, GstAllocField field, const GValue * array)
{
  guint i, n = gst_value_array_get_size (array);
  gchar **heaps = g_new0 (gchar *, n + 1);

  for (i = 0; i < n; i++) {
    const GValue *heap = gst_value_array_get_value (array, i);

    if (!G_VALUE_HOLDS_STRING (heap) || !g_value_get_string (heap))
      break;
    heaps[i] = g_value_dup_string (heap);
  }
  if (i < n || !gst_alloc_heaps_are_valid ((const gchar * const *) heaps)) {
    g_strfreev (heaps);
    return FALSE;
  }
  gst_alloc_constraints_take_heaps (c, field, heaps);
  return TRUE;
}

/* Distinct valid pairs; the order does not matter. */
static gboolean
read_drm_formats (GstAllocConstraints * c, GstAllocField field,
    const GValue * array)
{
  guint i, n = gst_value_array_get_size (array);
  GArray *formats = gst_alloc_drm_formats_new ();
  GstAllocDrmFormat format;
  const GValue *item;
  gboolean ok = n > 0;

  for (i = 0; ok && i < n; i++) {
    item = gst_value_array_get_value (array, i);
    ok = G_VALUE_HOLDS_STRING (item) && g_value_get_string (item)
        && gst_alloc_drm_format_from_string (g_value_get_string (item),
        &format) && gst_alloc_drm_formats_insert (formats, &format);
  }
  if (!ok) {
    g_array_unref (formats);
    return FALSE;
  }
  gst_alloc_constraints_take_drm_formats (c, field, formats);
  return TRUE;
}

/* @value already has the field's type; checks its range and stores it. */
static gboolean
read_typed_value (GstAllocConstraints * c, GstAllocField field,
    const GValue * value)
{
  const gchar *str;

  switch (gst_alloc_field_get_info (field)->kind) {
    case GST_ALLOC_FIELD_KIND_ALIGN:
      if (g_value_get_uint (value) == 0)
        return FALSE;
      /* fall through */
    case GST_ALLOC_FIELD_KIND_UINT:
      gst_alloc_constraints_set_number (c, field, g_value_get_uint (value));
      return TRUE;
    case GST_ALLOC_FIELD_KIND_UINT64:
      gst_alloc_constraints_set_number (c, field, g_value_get_uint64 (value));
      return TRUE;
    case GST_ALLOC_FIELD_KIND_BOOLEAN:
      gst_alloc_constraints_set_number (c, field, g_value_get_boolean (value));
      return TRUE;
    case GST_ALLOC_FIELD_KIND_HEAPS:
      return read_heaps (c, field, value);
    case GST_ALLOC_FIELD_KIND_DRM_FORMATS:
      return read_drm_formats (c, field, value);
    default:
      str = g_value_get_string (value);
      return str && *str && gst_alloc_field_parse_value (c, field, str);
  }
}

static gboolean
read_field (GstAllocConstraints * c, const gchar * name, const GValue * value,
    GError ** error)
{
  GstAllocField field;
  GType expected;

  if (!gst_alloc_field_from_name (name, &field)) {
    gst_alloc_set_parse_error (error, "Constraint field '%s': unknown field",
        name);
    return FALSE;
  }
  expected = kind_get_gtype (gst_alloc_field_get_info (field)->kind);
  if (G_VALUE_TYPE (value) != expected) {
    gst_alloc_set_parse_error (error, "Constraint field '%s': has type %s, "
        "expected %s", name, G_VALUE_TYPE_NAME (value), g_type_name (expected));
    return FALSE;
  }
  if (!read_typed_value (c, field, value)) {
    gst_alloc_set_parse_error (error, "Constraint field '%s': expected %s",
        name, gst_alloc_field_get_hint (field));
    return FALSE;
  }
  return TRUE;
}

static gboolean
read_origin (GQuark field_id, const GValue * value, gpointer user_data)
{
  ReadContext *ctx = user_data;
  const gchar *name = g_quark_to_string (field_id);
  GstAllocField field;

  if (!gst_alloc_field_from_name (name, &field)) {
    gst_alloc_set_parse_error (ctx->error, "Constraint origin '%s': unknown "
        "field", name);
    return FALSE;
  }
  if (!G_VALUE_HOLDS_STRING (value) || !g_value_get_string (value)) {
    gst_alloc_set_parse_error (ctx->error, "Constraint origin '%s': "
        "expected a string", name);
    return FALSE;
  }
  gst_alloc_constraints_set_field_origin (ctx->constraints, field,
      g_value_get_string (value));
  return TRUE;
}

static gboolean
read_member (GQuark field_id, const GValue * value, gpointer user_data)
{
  ReadContext *ctx = user_data;
  const gchar *name = g_quark_to_string (field_id);
  const GstStructure *origins;

  if (!g_str_equal (name, ORIGINS_FIELD))
    return read_field (ctx->constraints, name, value, ctx->error);

  if (!GST_VALUE_HOLDS_STRUCTURE (value)) {
    gst_alloc_set_parse_error (ctx->error, "Constraint field '%s': has type "
        "%s, expected a structure", name, G_VALUE_TYPE_NAME (value));
    return FALSE;
  }
  origins = gst_value_get_structure (value);
  return origins == NULL || gst_structure_foreach (origins, read_origin, ctx);
}

/**
 * gst_alloc_constraints_from_structure:
 * @structure: a structure made by gst_alloc_constraints_to_structure()
 * @error: return location for a %GST_ALLOC_ERROR_PARSE error, or a
 *   %GST_ALLOC_ERROR_CONFLICT error when two fields of the set exclude each
 *   other
 *
 * Reads a set back, origins included. Strict: a wrong structure name, an
 * unknown field, a value of the wrong type or out of range fails with a
 * message naming the field and listing the accepted fields.
 *
 * Returns: (transfer full) (nullable): the set, or %NULL on error.
 *
 * Since: 1.0
 */
GstAllocConstraints *
gst_alloc_constraints_from_structure (const GstStructure * structure,
    GError ** error)
{
  ReadContext ctx;

  g_return_val_if_fail (structure != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!gst_structure_has_name (structure, GST_ALLOC_CONSTRAINTS_STRUCTURE_NAME)) {
    gst_alloc_set_parse_error (error, "Constraint structure is named '%s', "
        "expected '%s'", gst_structure_get_name (structure),
        GST_ALLOC_CONSTRAINTS_STRUCTURE_NAME);
    return NULL;
  }
  ctx.constraints = gst_alloc_constraints_new ();
  ctx.error = error;
  if (!gst_structure_foreach (structure, read_member, &ctx)
      || !gst_alloc_constraints_validate (ctx.constraints, error)) {
    gst_alloc_constraints_free (ctx.constraints);
    return NULL;
  }
  return ctx.constraints;
}
