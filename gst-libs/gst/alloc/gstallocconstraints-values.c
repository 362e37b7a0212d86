/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One field's value in the string form, both ways, by the field's kind in
 * the table. Enum and flags values are written as their GType nicks, so
 * the string form and GObject properties use the same words. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocconstraints-private.h"
#include "gstallocdrmformat-private.h"

#include <string.h>

static gboolean
is_single_bit (guint value)
{
  return value != 0 && (value & (value - 1)) == 0;
}

/* The enum or flags value whose nick is @nick, exactly. */
static gboolean
value_from_nick (GType type, const gchar * nick, guint * value)
{
  GTypeClass *klass = g_type_class_ref (type);
  gboolean found = FALSE;

  if (G_IS_ENUM_CLASS (klass)) {
    GEnumValue *v = g_enum_get_value_by_nick (G_ENUM_CLASS (klass), nick);

    if ((found = v != NULL))
      *value = v->value;
  } else {
    GFlagsValue *v = g_flags_get_value_by_nick (G_FLAGS_CLASS (klass), nick);

    if ((found = v != NULL))
      *value = v->value;
  }
  g_type_class_unref (klass);
  return found;
}

/* The nick of the enum or flags value exactly equal to @value, or NULL. */
static const gchar *
value_nick (GType type, guint value)
{
  GTypeClass *klass = g_type_class_ref (type);
  const gchar *nick = NULL;
  guint i;

  if (G_IS_ENUM_CLASS (klass)) {
    GEnumValue *v = g_enum_get_value (G_ENUM_CLASS (klass), value);

    nick = v ? v->value_nick : NULL;
  } else {
    GFlagsClass *flags = G_FLAGS_CLASS (klass);

    for (i = 0; i < flags->n_values && !nick; i++)
      if (flags->values[i].value == value)
        nick = flags->values[i].value_nick;
  }
  g_type_class_unref (klass);
  return nick;
}

gchar *
gst_alloc_join_nicks (GType type, gboolean single_bits,
    const gchar * separator, const gchar * last_separator)
{
  GTypeClass *klass = g_type_class_ref (type);
  GPtrArray *nicks = g_ptr_array_new ();
  GString *out = g_string_new (NULL);
  guint i;

  if (G_IS_ENUM_CLASS (klass)) {
    for (i = 0; i < G_ENUM_CLASS (klass)->n_values; i++)
      g_ptr_array_add (nicks,
          (gpointer) G_ENUM_CLASS (klass)->values[i].value_nick);
  } else {
    for (i = 0; i < G_FLAGS_CLASS (klass)->n_values; i++) {
      if (!single_bits
          || is_single_bit (G_FLAGS_CLASS (klass)->values[i].value))
        g_ptr_array_add (nicks,
            (gpointer) G_FLAGS_CLASS (klass)->values[i].value_nick);
    }
  }
  for (i = 0; i < nicks->len; i++) {
    if (i > 0)
      g_string_append (out, i + 1 == nicks->len ? last_separator : separator);
    g_string_append (out, g_ptr_array_index (nicks, i));
  }
  g_ptr_array_free (nicks, TRUE);
  g_type_class_unref (klass);
  return g_string_free (out, FALSE);
}

/* Flags in bit order, so the written form is canonical. */
static gchar *
describe_flags (GType type, guint value)
{
  GString *out = g_string_new (NULL);
  const gchar *nick;
  guint bit;

  for (bit = 1; bit != 0 && bit <= value; bit <<= 1) {
    if (!(value & bit))
      continue;
    nick = value_nick (type, bit);
    g_return_val_if_fail (nick != NULL, g_string_free (out, FALSE));
    g_string_append_printf (out, "%s%s", out->len ? "|" : "", nick);
  }
  return g_string_free (out, FALSE);
}

/**
 * gst_alloc_constraints_describe_field:
 * @constraints: a set
 * @field: the field
 *
 * Returns: (transfer full): the field's value as the string form writes it
 * (without quoting), e.g. "256", "dmabuf|memfd", "linux,cma|system",
 * "NV12:linear|NV12:0x0100000000000002"; "any" for heaps and drm-formats
 * when unset.
 *
 * Since: 1.0
 */
gchar *
gst_alloc_constraints_describe_field (const GstAllocConstraints * constraints,
    GstAllocField field)
{
  const GstAllocFieldInfo *info;
  const gchar *nick;
  gchar **heaps;
  guint64 value;

  g_return_val_if_fail (constraints != NULL, NULL);
  g_return_val_if_fail (field < GST_ALLOC_N_FIELDS, NULL);

  info = gst_alloc_field_get_info (field);
  if (info->kind == GST_ALLOC_FIELD_KIND_HEAPS) {
    heaps = gst_alloc_constraints_get_heaps (constraints, field);
    return heaps ? g_strjoinv ("|", heaps) : g_strdup ("any");
  }
  if (info->kind == GST_ALLOC_FIELD_KIND_DRM_FORMATS)
    return gst_alloc_drm_formats_describe
        (gst_alloc_constraints_get_drm_formats (constraints, field));
  value = gst_alloc_constraints_get_number (constraints, field);
  switch (info->kind) {
    case GST_ALLOC_FIELD_KIND_BOOLEAN:
      return g_strdup (value ? "true" : "false");
    case GST_ALLOC_FIELD_KIND_CHOICE:
      nick = value_nick (info->get_type (), value);
      g_return_val_if_fail (nick != NULL, g_strdup (""));
      return g_strdup (nick);
    case GST_ALLOC_FIELD_KIND_FLAGS:
      return describe_flags (info->get_type (), value);
    default:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, value);
  }
}

gchar *
gst_alloc_constraints_describe_asked (const GstAllocConstraints * c,
    GstAllocField field)
{
  gchar *value = gst_alloc_constraints_describe_field (c, field);
  gchar *asked = g_strdup_printf ("%s %s (asked by %s)",
      gst_alloc_field_get_name (field), value,
      gst_alloc_constraints_asked_by (c, field));

  g_free (value);
  return asked;
}

gchar *
gst_alloc_constraints_describe_fields (const GstAllocConstraints * c,
    const GstAllocField * fields, guint n_fields)
{
  GString *out = g_string_new (NULL);
  gchar *asked;
  guint i;

  for (i = 0; i < n_fields; i++) {
    if (!gst_alloc_constraints_field_is_set (c, fields[i]))
      continue;
    asked = gst_alloc_constraints_describe_asked (c, fields[i]);
    g_string_append_printf (out, "%s%s", out->len ? ", " : "", asked);
    g_free (asked);
  }
  return g_string_free (out, FALSE);
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

static gboolean
parse_boolean (const gchar * value, guint64 * out)
{
  if (g_str_equal (value, "true"))
    *out = TRUE;
  else if (g_str_equal (value, "false"))
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

/* Single-bit nicks joined by '|', at least one. */
static gboolean
parse_flags (GType type, const gchar * str, guint64 * out)
{
  gchar **nicks = g_strsplit (str, "|", -1);
  gboolean ok = nicks[0] != NULL;
  guint i, value, result = 0;

  for (i = 0; ok && nicks[i]; i++) {
    ok = value_from_nick (type, nicks[i], &value) && is_single_bit (value);
    result |= value;
  }
  g_strfreev (nicks);
  if (ok)
    *out = result;
  return ok;
}

gboolean
gst_alloc_heaps_are_valid (const gchar * const *heaps)
{
  guint i, j;

  if (!heaps || !heaps[0])
    return FALSE;
  for (i = 0; heaps[i]; i++) {
    /* A name that is not UTF-8 could not be read back from the
     * GstStructure text form. */
    if (!*heaps[i] || strpbrk (heaps[i], "/|")
        || !g_utf8_validate (heaps[i], -1, NULL))
      return FALSE;
    /* A repeated name would make two different lists look like one set. */
    for (j = 0; j < i; j++)
      if (g_str_equal (heaps[i], heaps[j]))
        return FALSE;
  }
  return TRUE;
}

static gboolean
parse_heaps (GstAllocConstraints * c, GstAllocField field, const gchar * str)
{
  gchar **names = g_strsplit (str, "|", -1);

  if (!gst_alloc_heaps_are_valid ((const gchar * const *) names)) {
    g_strfreev (names);
    return FALSE;
  }
  gst_alloc_constraints_take_heaps (c, field, names);
  return TRUE;
}

static gboolean
parse_drm_formats (GstAllocConstraints * c, GstAllocField field,
    const gchar * str)
{
  GArray *formats = gst_alloc_drm_formats_parse (str);

  if (!formats)
    return FALSE;
  gst_alloc_constraints_take_drm_formats (c, field, formats);
  return TRUE;
}

gboolean
gst_alloc_field_parse_value (GstAllocConstraints * c, GstAllocField field,
    const gchar * str)
{
  const GstAllocFieldInfo *info = gst_alloc_field_get_info (field);
  guint64 number = 0;
  guint value = 0;
  gboolean ok;

  switch (info->kind) {
    case GST_ALLOC_FIELD_KIND_ALIGN:
      ok = parse_decimal (str, G_MAXUINT32, &number) && number > 0;
      break;
    case GST_ALLOC_FIELD_KIND_UINT:
      ok = parse_decimal (str, G_MAXUINT32, &number);
      break;
    case GST_ALLOC_FIELD_KIND_UINT64:
      ok = parse_decimal (str, G_MAXUINT64, &number);
      break;
    case GST_ALLOC_FIELD_KIND_BOOLEAN:
      ok = parse_boolean (str, &number);
      break;
    case GST_ALLOC_FIELD_KIND_CHOICE:
      ok = value_from_nick (info->get_type (), str, &value);
      number = value;
      break;
    case GST_ALLOC_FIELD_KIND_FLAGS:
      ok = parse_flags (info->get_type (), str, &number);
      break;
    case GST_ALLOC_FIELD_KIND_HEAPS:
      return parse_heaps (c, field, str);
    case GST_ALLOC_FIELD_KIND_DRM_FORMATS:
      return parse_drm_formats (c, field, str);
    default:
      g_return_val_if_reached (FALSE);
  }
  if (ok)
    gst_alloc_constraints_set_number (c, field, number);
  return ok;
}
