/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sets of DRM formats with modifiers, the drm-formats field: the set
 * algebra the merge needs, the string form of a set, and what a set means
 * for the layout (a pool lays out linear buffers only) and for the
 * backends (none of them can allocate a tiled layout). Sets are built in
 * a local array and handed out only when complete. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocdrmformat-private.h"

#include <string.h>

/* Fourccs compare as their four characters, so sets list "NV12" before
 * "YUYV" whatever the byte order of the code. */
static gint
compare_formats (const GstAllocDrmFormat * a, const GstAllocDrmFormat * b)
{
  guint i;
  guint32 ca, cb;

  for (i = 0; i < 4; i++) {
    ca = (a->fourcc >> (8 * i)) & 0xff;
    cb = (b->fourcc >> (8 * i)) & 0xff;
    if (ca != cb)
      return ca < cb ? -1 : 1;
  }
  if (a->modifier != b->modifier)
    return a->modifier < b->modifier ? -1 : 1;
  return 0;
}

GArray *
gst_alloc_drm_formats_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (GstAllocDrmFormat));
}

/* The index of @format, or where it would go (*@found FALSE). */
static guint
find_place (const GArray * set, const GstAllocDrmFormat * format,
    gboolean * found)
{
  guint low = 0, high = set->len, mid;
  gint order;

  *found = FALSE;
  while (low < high) {
    mid = low + (high - low) / 2;
    order = compare_formats (&g_array_index (set, GstAllocDrmFormat, mid),
        format);
    if (order == 0) {
      *found = TRUE;
      return mid;
    }
    if (order < 0)
      low = mid + 1;
    else
      high = mid;
  }
  return low;
}

gboolean
gst_alloc_drm_formats_insert (GArray * set, const GstAllocDrmFormat * format)
{
  gboolean found;
  guint place = find_place (set, format, &found);

  if (!found)
    g_array_insert_val (set, place, *format);
  return !found;
}

gboolean
gst_alloc_drm_formats_contains (const GArray * set, guint32 fourcc,
    guint64 modifier)
{
  GstAllocDrmFormat format = { fourcc, modifier };
  gboolean found;

  find_place (set, &format, &found);
  return found;
}

GArray *
gst_alloc_drm_formats_copy (const GArray * set)
{
  GArray *copy;

  if (!set)
    return NULL;
  copy = gst_alloc_drm_formats_new ();
  g_array_append_vals (copy, set->data, set->len);
  return copy;
}

gboolean
gst_alloc_drm_formats_equal (const GArray * a, const GArray * b)
{
  guint i;

  if (!a || !b)
    return a == b;
  if (a->len != b->len)
    return FALSE;
  /* Sorted and distinct: equal sets are equal arrays, compared pair by
   * pair (the struct's padding bytes hold anything). */
  for (i = 0; i < a->len; i++) {
    if (compare_formats (&g_array_index (a, GstAllocDrmFormat, i),
            &g_array_index (b, GstAllocDrmFormat, i)) != 0)
      return FALSE;
  }
  return TRUE;
}

GArray *
gst_alloc_drm_formats_intersect (const GArray * a, const GArray * b)
{
  GArray *common = gst_alloc_drm_formats_new ();
  const GstAllocDrmFormat *f;
  guint i;

  for (i = 0; i < a->len; i++) {
    f = &g_array_index (a, GstAllocDrmFormat, i);
    if (gst_alloc_drm_formats_contains (b, f->fourcc, f->modifier))
      g_array_append_val (common, *f);
  }
  if (common->len == 0) {
    g_array_unref (common);
    return NULL;
  }
  return common;
}

gchar *
gst_alloc_drm_formats_describe (const GArray * set)
{
  GString *out;
  gchar *one;
  guint i;

  if (!set)
    return g_strdup ("any");
  out = g_string_new (NULL);
  for (i = 0; i < set->len; i++) {
    one = gst_alloc_drm_format_to_string (&g_array_index (set,
            GstAllocDrmFormat, i));
    g_string_append_printf (out, "%s%s", i ? "|" : "", one);
    g_free (one);
  }
  return g_string_free (out, FALSE);
}

GArray *
gst_alloc_drm_formats_parse (const gchar * str)
{
  gchar **items = g_strsplit (str, "|", -1);
  GArray *set = gst_alloc_drm_formats_new ();
  GstAllocDrmFormat format;
  gboolean ok = items[0] != NULL;
  guint i;

  /* A repeated pair is refused: it would make two spellings of one set. */
  for (i = 0; ok && items[i]; i++)
    ok = gst_alloc_drm_format_from_string (items[i], &format)
        && gst_alloc_drm_formats_insert (set, &format);
  g_strfreev (items);
  if (!ok) {
    g_array_unref (set);
    return NULL;
  }
  return set;
}

/* "0x0100000000000002, 0x0100000000000004": the modifiers @set lists for
 * @fourcc. */
static gchar *
modifiers_of (const GArray * set, guint32 fourcc)
{
  GString *out = g_string_new (NULL);
  const GstAllocDrmFormat *f;
  guint i;

  for (i = 0; i < set->len; i++) {
    f = &g_array_index (set, GstAllocDrmFormat, i);
    if (f->fourcc == fourcc)
      g_string_append_printf (out, "%s0x%016" G_GINT64_MODIFIER "x",
          out->len ? ", " : "", f->modifier);
  }
  return g_string_free (out, FALSE);
}

gboolean
gst_alloc_drm_formats_check_layout (const GstAllocConstraints * c,
    const GstVideoInfo * info, GError ** error)
{
  guint32 fourcc = gst_alloc_drm_fourcc_from_video_format
      (GST_VIDEO_INFO_FORMAT (info));
  gchar *asked, *modifiers;

  if (!c->drm_formats || (fourcc && gst_alloc_drm_formats_contains
          (c->drm_formats, fourcc, GST_ALLOC_DRM_MODIFIER_LINEAR)))
    return TRUE;

  asked = gst_alloc_constraints_describe_asked (c, GST_ALLOC_FIELD_DRM_FORMATS);
  modifiers = fourcc ? modifiers_of (c->drm_formats, fourcc) : NULL;
  if (!fourcc)
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
        "%s %dx%d: %s, but %s has no DRM fourcc known to gst-alloc",
        GST_VIDEO_INFO_NAME (info), GST_VIDEO_INFO_WIDTH (info),
        GST_VIDEO_INFO_HEIGHT (info), asked, GST_VIDEO_INFO_NAME (info));
  else if (!*modifiers)
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
        "%s %dx%d: %s does not list %" GST_FOURCC_FORMAT " (%s) at all",
        GST_VIDEO_INFO_NAME (info), GST_VIDEO_INFO_WIDTH (info),
        GST_VIDEO_INFO_HEIGHT (info), asked, GST_FOURCC_ARGS (fourcc),
        GST_VIDEO_INFO_NAME (info));
  else
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
        "%s %dx%d: %s accepts %" GST_FOURCC_FORMAT " only with the modifiers "
        "%s, tiled or compressed layouts of the hardware's own; a pool lays "
        "out linear buffers only", GST_VIDEO_INFO_NAME (info),
        GST_VIDEO_INFO_WIDTH (info), GST_VIDEO_INFO_HEIGHT (info), asked,
        GST_FOURCC_ARGS (fourcc), modifiers);
  g_free (modifiers);
  g_free (asked);
  return FALSE;
}

static gboolean
has_linear (const GArray * set)
{
  guint i;

  for (i = 0; i < set->len; i++) {
    if (g_array_index (set, GstAllocDrmFormat, i).modifier ==
        GST_ALLOC_DRM_MODIFIER_LINEAR)
      return TRUE;
  }
  return FALSE;
}

gchar *
gst_alloc_drm_formats_backend_mismatch (GstAllocBackend * backend,
    const GstAllocConstraints * c)
{
  gchar *asked, *why;

  if (!c->drm_formats || has_linear (c->drm_formats))
    return NULL;
  asked = gst_alloc_constraints_describe_asked (c, GST_ALLOC_FIELD_DRM_FORMATS);
  /* Tiled and compressed layouts are the GPU driver's own; only its own
   * allocator (GBM, Vulkan) makes them, from its own memory. */
  if (GST_IS_ALLOC_DRM_DUMB_ALLOCATOR (backend))
    why = g_strdup_printf ("gives linear buffers only: DRM dumb buffers "
        "have no modifier (DRM_IOCTL_MODE_CREATE_DUMB takes none, and libdrm "
        "has no call that tiles one), but %s accepts no linear modifier",
        asked);
  else
    why = g_strdup_printf ("gives linear buffers only: a tiled or compressed "
        "modifier is the GPU driver's own layout, made by its own allocator, "
        "but %s accepts no linear modifier", asked);
  g_free (asked);
  return why;
}
