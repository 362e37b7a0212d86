/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small helpers shared by the library: enum names, checked arithmetic and
 * origin lists. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"

#include <string.h>

/* *INDENT-OFF* */
G_DEFINE_QUARK (gst-alloc-error-quark, gst_alloc_error);
/* *INDENT-ON* */

/* Indexed by the mask value; the order of names inside an entry is the order
 * of the flags, so serialisation is canonical. */
static const gchar *const memory_names[] = {
  "", "dmabuf", "memfd", "dmabuf|memfd", "system", "dmabuf|system",
  "memfd|system", "dmabuf|memfd|system",
};

static const gchar *const cpu_access_names[] = {
  "none", "read", "write", "readwrite",
};

static const gchar *const cache_names[] = { "any", "cached", "uncached" };

static const gchar *const planes_names[] = { "any", "single", "separate" };

const gchar *
gst_alloc_memory_flags_to_string (GstAllocMemoryFlags flags)
{
  g_return_val_if_fail (flags <= GST_ALLOC_MEMORY_ANY, NULL);
  return memory_names[flags];
}

const gchar *
gst_alloc_cpu_access_to_string (GstAllocCpuAccess access)
{
  g_return_val_if_fail (access <= GST_ALLOC_CPU_ACCESS_READWRITE, NULL);
  return cpu_access_names[access];
}

const gchar *
gst_alloc_cache_to_string (GstAllocCache cache)
{
  g_return_val_if_fail (cache <= GST_ALLOC_CACHE_UNCACHED, NULL);
  return cache_names[cache];
}

const gchar *
gst_alloc_planes_to_string (GstAllocPlanes planes)
{
  g_return_val_if_fail (planes <= GST_ALLOC_PLANES_SEPARATE, NULL);
  return planes_names[planes];
}

static gboolean
index_of (const gchar * const *names, guint n_names, const gchar * str,
    guint * index)
{
  guint i;

  for (i = 0; i < n_names; i++) {
    if (strcmp (names[i], str) == 0) {
      *index = i;
      return TRUE;
    }
  }
  return FALSE;
}

gboolean
gst_alloc_memory_flags_from_string (const gchar * str,
    GstAllocMemoryFlags * flags)
{
  gchar **kinds = g_strsplit (str, "|", -1);
  GstAllocMemoryFlags result = 0;
  gboolean ok = kinds[0] != NULL;
  guint i, index;

  for (i = 0; ok && kinds[i]; i++) {
    /* Only single-kind names ("dmabuf", "memfd", "system") are accepted per
     * element; entries 1, 2 and 4 of the table are exactly those. */
    ok = index_of (memory_names, G_N_ELEMENTS (memory_names), kinds[i], &index)
        && (index == 1 || index == 2 || index == 4);
    if (ok)
      result |= index;
  }
  g_strfreev (kinds);
  if (ok)
    *flags = result;
  return ok;
}

gboolean
gst_alloc_cpu_access_from_string (const gchar * str, GstAllocCpuAccess * access)
{
  guint index;

  if (!index_of (cpu_access_names, G_N_ELEMENTS (cpu_access_names), str,
          &index))
    return FALSE;
  *access = index;
  return TRUE;
}

gboolean
gst_alloc_cache_from_string (const gchar * str, GstAllocCache * cache)
{
  guint index;

  if (!index_of (cache_names, G_N_ELEMENTS (cache_names), str, &index))
    return FALSE;
  *cache = index;
  return TRUE;
}

gboolean
gst_alloc_planes_from_string (const gchar * str, GstAllocPlanes * planes)
{
  guint index;

  if (!index_of (planes_names, G_N_ELEMENTS (planes_names), str, &index))
    return FALSE;
  *planes = index;
  return TRUE;
}

static guint32
gcd32 (guint32 a, guint32 b)
{
  while (b) {
    guint32 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

gboolean
gst_alloc_checked_lcm (guint32 a, guint32 b, guint32 * out)
{
  guint64 lcm;

  g_return_val_if_fail (a > 0 && b > 0, FALSE);

  /* Divide first so the product only overflows when the result does. */
  lcm = (guint64) (a / gcd32 (a, b)) * b;
  if (lcm > G_MAXUINT32)
    return FALSE;
  *out = (guint32) lcm;
  return TRUE;
}

gboolean
gst_alloc_checked_round_up (gsize value, gsize multiple, gsize * out)
{
  gsize rem;

  g_return_val_if_fail (multiple > 0, FALSE);

  rem = value % multiple;
  if (rem == 0) {
    *out = value;
    return TRUE;
  }
  if (value > G_MAXSIZE - (multiple - rem))
    return FALSE;
  *out = value + (multiple - rem);
  return TRUE;
}

static gboolean
origin_list_contains (const gchar * list, const gchar * item)
{
  gchar **items = g_strsplit (list, ", ", -1);
  gboolean found = g_strv_contains ((const gchar * const *) items, item);

  g_strfreev (items);
  return found;
}

const gchar *
gst_alloc_origin_union (const gchar * a, const gchar * b)
{
  gchar **items;
  GString *joined;
  const gchar *result;
  guint i;

  if (!b || !*b || (a && g_str_equal (a, b)))
    return a && *a ? g_intern_string (a) : NULL;
  if (!a || !*a)
    return g_intern_string (b);

  joined = g_string_new (a);
  items = g_strsplit (b, ", ", -1);
  for (i = 0; items[i]; i++) {
    if (!origin_list_contains (joined->str, items[i]))
      g_string_append_printf (joined, ", %s", items[i]);
  }
  g_strfreev (items);
  result = g_intern_string (joined->str);
  g_string_free (joined, TRUE);
  return result;
}
