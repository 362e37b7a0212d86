/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The string form of a constraint set, as typed in a property or on the
 * gst-launch command line:
 *
 *   stride-align=256, memory=dmabuf|memfd, heaps="linux,cma|system"
 *
 * Items are split here; each value is parsed by the shared field table in
 * gstallocconstraints-values.c. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocconstraints-private.h"

#include <string.h>

/* Where the item starting at @p ends: the next ',' outside double quotes,
 * or the end of the string. */
static const gchar *
find_item_end (const gchar * p, gboolean * unterminated)
{
  gboolean quoted = FALSE;

  for (; *p && (quoted || *p != ','); p++) {
    if (*p == '"')
      quoted = !quoted;
    else if (quoted && *p == '\\' && p[1])
      p++;
  }
  *unterminated = quoted;
  return p;
}

/* @raw is the stripped text after '='. Only \" and \\ are escapes, and
 * nothing may follow the closing quote. */
static gchar *
unquote_value (const gchar * raw, const gchar ** problem)
{
  GString *value;
  const gchar *p;

  if (raw[0] != '"') {
    if (strpbrk (raw, "\"\\")) {
      *problem = "quote or backslash in an unquoted value";
      return NULL;
    }
    return g_strdup (raw);
  }
  value = g_string_new (NULL);
  for (p = raw + 1; *p && *p != '"'; p++) {
    if (*p == '\\') {
      p++;
      if (*p != '"' && *p != '\\') {
        *problem = "only \\\" and \\\\ are escapes inside quotes";
        goto free_value;
      }
    }
    g_string_append_c (value, *p);
  }
  if (*p != '"' || p[1] != '\0') {
    *problem = *p ? "characters after the closing quote" : "unterminated quote";
    goto free_value;
  }
  return g_string_free (value, FALSE);

free_value:
  g_string_free (value, TRUE);
  return NULL;
}

/* Checks @raw (the stripped text after '=') against @field and stores it. */
static gboolean
parse_field_value (GstAllocConstraints * c, GstAllocField field,
    const gchar * raw, const gchar * item, GError ** error)
{
  const gchar *problem = NULL;
  gchar *value = NULL;
  gboolean ok = FALSE;

  if (*raw)
    value = unquote_value (raw, &problem);
  if (!value || !*value) {
    gst_alloc_set_parse_error (error, "Constraint item '%s': %s", item,
        problem ? problem : "empty value");
  } else if (!gst_alloc_field_parse_value (c, field, value)) {
    gst_alloc_set_parse_error (error, "Constraint item '%s': expected %s",
        item, gst_alloc_field_get_hint (field));
  } else {
    ok = TRUE;
  }
  g_free (value);
  return ok;
}

static gboolean
parse_item (GstAllocConstraints * c, const gchar * item,
    gboolean seen[GST_ALLOC_N_FIELDS], GError ** error)
{
  const gchar *eq = strchr (item, '='), *problem = NULL;
  gchar *name, *raw;
  GstAllocField field;
  gboolean ok = FALSE;

  if (!eq) {
    gst_alloc_set_parse_error (error, "Constraint item '%s': %s", item,
        *item ? "missing '='" : "empty item (stray ',')");
    return FALSE;
  }
  name = g_strstrip (g_strndup (item, eq - item));
  raw = g_strstrip (g_strdup (eq + 1));
  if (!gst_alloc_field_from_name (name, &field))
    problem = "unknown field";
  else if (seen[field])
    problem = "field given twice";
  else if ((ok = parse_field_value (c, field, raw, item, error)))
    seen[field] = TRUE;

  if (problem)
    gst_alloc_set_parse_error (error, "Constraint item '%s': %s", item,
        problem);
  g_free (name);
  g_free (raw);
  return ok;
}

/**
 * gst_alloc_constraints_from_string:
 * @str: comma-separated `field=value` items, e.g.
 *   "stride-align=256, memory=dmabuf"; "" means no constraint
 * @origin: (nullable): who asks, recorded as the origin of every set field
 * @error: return location for a %GST_ALLOC_ERROR_PARSE error, or a
 *   %GST_ALLOC_ERROR_CONFLICT error when two fields of the set exclude each
 *   other
 *
 * Parses the string form. Spaces around ',' and '=' are ignored. Integers
 * are decimal digits only. A value may be double-quoted, with \" and \\ as
 * the only escapes; heap names holding ',' (such as "linux,cma") need it:
 * `heaps="linux,cma|system"`. An unknown or repeated field, a missing '=',
 * an empty item or value, or a value out of range fails, and the message
 * names the item and lists gst_alloc_constraints_accepted_fields().
 *
 * Returns: (transfer full) (nullable): the set, or %NULL on error.
 *
 * Since: 1.0
 */
GstAllocConstraints *
gst_alloc_constraints_from_string (const gchar * str, const gchar * origin,
    GError ** error)
{
  GstAllocConstraints *c;
  const gchar *p, *end;
  gboolean seen[GST_ALLOC_N_FIELDS] = { FALSE, };
  gboolean unterminated, ok = TRUE;
  gchar *item;

  g_return_val_if_fail (str != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  c = gst_alloc_constraints_new ();
  p = str;
  do {
    end = find_item_end (p, &unterminated);
    item = g_strstrip (g_strndup (p, end - p));
    if (unterminated) {
      gst_alloc_set_parse_error (error, "Constraint item '%s': %s", item,
          "unterminated quote");
      ok = FALSE;
    } else if (*item || *end || p != str) {
      /* Only a string of nothing but spaces is the empty set; an empty
       * item anywhere else comes from a stray ','. */
      ok = parse_item (c, item, seen, error);
    }
    g_free (item);
    p = end + 1;
  } while (ok && *end);
  if (!ok) {
    gst_alloc_constraints_free (c);
    return NULL;
  }
  gst_alloc_constraints_set_origin (c, origin);
  if (!gst_alloc_constraints_validate (c, error)) {
    gst_alloc_constraints_free (c);
    return NULL;
  }
  return c;
}

/* Heap names may hold anything but '/' and '|'; quote when the plain form
 * would not read back (',' ends an item, spaces at the ends are
 * stripped). */
static gboolean
needs_quotes (const gchar * value)
{
  gsize len = strlen (value);

  return strpbrk (value, ",\"\\") || g_ascii_isspace (value[0])
      || (len > 0 && g_ascii_isspace (value[len - 1]));
}

static void
append_value (GString * out, const gchar * value)
{
  const gchar *p;

  if (!needs_quotes (value)) {
    g_string_append (out, value);
    return;
  }
  g_string_append_c (out, '"');
  for (p = value; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_c (out, '\\');
    g_string_append_c (out, *p);
  }
  g_string_append_c (out, '"');
}

/**
 * gst_alloc_constraints_to_string:
 * @constraints: a set
 *
 * Writes the fields that are set, in #GstAllocField order, as
 * gst_alloc_constraints_from_string() reads them; heaps are double-quoted
 * only when a name needs it. gst_alloc_constraints_from_string() of the
 * result is equal to @constraints. Origins are not written.
 *
 * Returns: (transfer full): the string form; "" for a set with no
 * constraint.
 *
 * Since: 1.0
 */
gchar *
gst_alloc_constraints_to_string (const GstAllocConstraints * constraints)
{
  GString *out;
  gchar *value;
  guint f;

  g_return_val_if_fail (constraints != NULL, NULL);

  out = g_string_new (NULL);
  for (f = 0; f < GST_ALLOC_N_FIELDS; f++) {
    if (!gst_alloc_constraints_field_is_set (constraints, f))
      continue;
    value = gst_alloc_constraints_describe_field (constraints, f);
    g_string_append_printf (out, "%s%s=", out->len ? "," : "",
        gst_alloc_field_get_name (f));
    append_value (out, value);
    g_free (value);
  }
  return g_string_free (out, FALSE);
}
