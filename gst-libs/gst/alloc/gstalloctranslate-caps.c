/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Caps, both ways: the memory kind and the DRM formats with modifiers that
 * caps accept, read as a constraint set; a set's drm-formats written into
 * caps as the narrowing of their DMA_DRM structures; and the video info of
 * caps, DMA_DRM ones included, that a pool lays out.
 *
 * DMA_DRM caps (GStreamer 1.24 and newer):
 *
 *   video/x-raw(memory:DMABuf), format=DMA_DRM,
 *       drm-format={ NV12, NV12:0x0100000000000002 }
 *
 * Linear is the bare fourcc there; a structure without drm-format takes
 * any (the element could not enumerate them). With GStreamer 1.22 there
 * are no such caps: the functions below then only see plain raw video. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocdrmformat-private.h"

#define GST_CAT_DEFAULT gst_alloc_debug

#if GST_CHECK_VERSION (1, 24, 0)

static gboolean
is_dma_drm (const GstStructure * s, const GstCapsFeatures * features)
{
  return gst_structure_has_name (s, "video/x-raw") && features
      && gst_caps_features_contains (features, GST_CAPS_FEATURE_MEMORY_DMABUF)
      && g_strcmp0 (gst_structure_get_string (s, "format"), "DMA_DRM") == 0;
}

/* A drm-format string of caps as a pair; FALSE for what GStreamer reads as
 * none or what the string forms could not carry. */
static gboolean
read_caps_format (const gchar * str, GstAllocDrmFormat * format)
{
  format->fourcc = gst_video_dma_drm_fourcc_from_string (str,
      &format->modifier);
  return format->fourcc != 0 && gst_alloc_drm_format_is_valid (format);
}

/* The drm-format values of @s, one string or a list, added to @set; FALSE
 * when @s has none (it takes any). */
static gboolean
add_structure_formats (GArray * set, const GstStructure * s)
{
  const GValue *value = gst_structure_get_value (s, "drm-format");
  GstAllocDrmFormat format;
  const GValue *item;
  guint i, n;

  if (!value)
    return FALSE;
  n = GST_VALUE_HOLDS_LIST (value) ? gst_value_list_get_size (value) : 1;
  for (i = 0; i < n; i++) {
    item = GST_VALUE_HOLDS_LIST (value) ? gst_value_list_get_value (value, i)
        : value;
    if (G_VALUE_HOLDS_STRING (item) && read_caps_format (g_value_get_string
            (item), &format))
      gst_alloc_drm_formats_insert (set, &format);
    else
      GST_WARNING ("drm-format %" GST_PTR_FORMAT " read as no format", item);
  }
  return TRUE;
}

/* What caps accept, when every structure of them is DMA_DRM with a
 * drm-format: caps that also take plain raw video, or DMA_DRM of any
 * format, constrain nothing. */
static GArray *
dma_drm_formats_from_caps (const GstCaps * caps)
{
  GArray *set = gst_alloc_drm_formats_new ();
  gboolean all = gst_caps_get_size (caps) > 0 && !gst_caps_is_any (caps);
  guint i;

  for (i = 0; all && i < gst_caps_get_size (caps); i++)
    all = is_dma_drm (gst_caps_get_structure (caps, i),
        gst_caps_get_features (caps, i))
        && add_structure_formats (set, gst_caps_get_structure (caps, i));
  if (!all || set->len == 0) {
    if (all)
      GST_WARNING ("no drm-format of %" GST_PTR_FORMAT " could be read: "
          "no drm-formats constraint", caps);
    g_array_unref (set);
    return NULL;
  }
  return set;
}

static void
append_caps_format (GValue * list, const GstAllocDrmFormat * format)
{
  GValue item = G_VALUE_INIT;

  g_value_init (&item, G_TYPE_STRING);
  g_value_take_string (&item, gst_video_dma_drm_fourcc_to_string
      (format->fourcc, format->modifier));
  gst_value_list_append_and_take_value (list, &item);
}

/* The drm-format values of @s that @set holds (all of @set when @s names
 * none), as a list; NULL when none is left. */
static GValue *
narrowed_formats (const GstStructure * s, const GArray * set)
{
  const GValue *value = gst_structure_get_value (s, "drm-format");
  GValue *list = g_new0 (GValue, 1);
  GstAllocDrmFormat format;
  const GValue *item;
  guint i, n;

  g_value_init (list, GST_TYPE_LIST);
  n = !value ? set->len : GST_VALUE_HOLDS_LIST (value) ?
      gst_value_list_get_size (value) : 1;
  for (i = 0; i < n; i++) {
    if (!value) {
      append_caps_format (list, &g_array_index (set, GstAllocDrmFormat, i));
      continue;
    }
    item = GST_VALUE_HOLDS_LIST (value) ? gst_value_list_get_value (value, i)
        : value;
    if (G_VALUE_HOLDS_STRING (item)
        && read_caps_format (g_value_get_string (item), &format)
        && gst_alloc_drm_formats_contains (set, format.fourcc, format.modifier))
      append_caps_format (list, &format);
  }
  if (gst_value_list_get_size (list) == 0) {
    g_value_unset (list);
    g_clear_pointer (&list, g_free);
  }
  return list;
}

static GstCaps *
filter_dma_drm (const GArray * set, GstCaps * caps)
{
  GstCaps *out = gst_caps_new_empty ();
  GstStructure *s;
  GValue *formats;
  guint i;

  for (i = 0; i < gst_caps_get_size (caps); i++) {
    s = gst_structure_copy (gst_caps_get_structure (caps, i));
    formats = NULL;
    if (is_dma_drm (s, gst_caps_get_features (caps, i))
        && !(formats = narrowed_formats (s, set))) {
      gst_structure_free (s);
      continue;
    }
    if (formats) {
      /* One value stays a plain string, as fixed caps have it. */
      if (gst_value_list_get_size (formats) == 1)
        gst_structure_set_value (s, "drm-format",
            gst_value_list_get_value (formats, 0));
      else
        gst_structure_set_value (s, "drm-format", formats);
      g_value_unset (formats);
      g_free (formats);
    }
    gst_caps_append_structure_full (out, s,
        gst_caps_features_copy (gst_caps_get_features (caps, i)));
  }
  return out;
}

/* By the first structure, as GStreamer's own test does; that one also
 * asks for fixed caps, and pads' caps are not. */
static gboolean
caps_are_dma_drm (const GstCaps * caps)
{
  return gst_caps_get_size (caps) > 0 && !gst_caps_is_any (caps)
      && is_dma_drm (gst_caps_get_structure (caps, 0),
      gst_caps_get_features (caps, 0));
}

static gboolean
video_info_from_dma_drm (GstVideoInfo * info, const GstCaps * caps,
    gboolean * handled)
{
  GstVideoInfoDmaDrm drm;

  *handled = caps_are_dma_drm (caps);
  if (!*handled)
    return FALSE;
  /* A tiled or compressed modifier has no GstVideoInfo of ours: its
   * layout is the hardware's (GStreamer 1.26 converts it all the same,
   * with linear strides). */
  return gst_video_info_dma_drm_from_caps (&drm, caps)
      && drm.drm_modifier == GST_ALLOC_DRM_MODIFIER_LINEAR
      && gst_video_info_dma_drm_to_video_info (&drm, info);
}

#else /* GStreamer 1.22: no DMA_DRM caps. */

static GArray *
dma_drm_formats_from_caps (const GstCaps * caps)
{
  return NULL;
}

static GstCaps *
filter_dma_drm (const GArray * set, GstCaps * caps)
{
  return gst_caps_ref (caps);
}

static gboolean
caps_are_dma_drm (const GstCaps * caps)
{
  return FALSE;
}

static gboolean
video_info_from_dma_drm (GstVideoInfo * info, const GstCaps * caps,
    gboolean * handled)
{
  *handled = FALSE;
  return FALSE;
}

#endif

static gboolean
all_dma_buf (const GstCaps * caps)
{
  GstCapsFeatures *features;
  guint i;

  if (gst_caps_is_any (caps) || gst_caps_get_size (caps) == 0)
    return FALSE;
  for (i = 0; i < gst_caps_get_size (caps); i++) {
    features = gst_caps_get_features (caps, i);
    if (!features || !gst_caps_features_contains (features,
            GST_CAPS_FEATURE_MEMORY_DMABUF))
      return FALSE;
  }
  return TRUE;
}

/**
 * gst_alloc_constraints_from_caps:
 * @caps: (nullable): negotiated caps, or what a pad accepts
 * @origin: (nullable): who asks
 *
 * Caps whose every structure has the memory:DMABuf feature ask for
 * memory=dmabuf; system memory constrains nothing. With GStreamer 1.24
 * and newer, caps made only of DMA_DRM structures that each list their
 * drm-format values also give drm-formats: every pair some structure
 * lists (GStreamer writes linear as the bare fourcc). Caps that take plain
 * raw video too, or a DMA_DRM structure without drm-format (any format),
 * give no drm-formats.
 *
 * Returns: (transfer full): the set.
 *
 * Since: 1.0
 */
GstAllocConstraints *
gst_alloc_constraints_from_caps (const GstCaps * caps, const gchar * origin)
{
  GstAllocConstraints *c = gst_alloc_constraints_new ();

  if (caps && all_dma_buf (caps))
    c->memory = GST_ALLOC_MEMORY_DMABUF;
  if (caps)
    c->drm_formats = dma_drm_formats_from_caps (caps);
  gst_alloc_constraints_set_origin (c, origin);
  return c;
}

/**
 * gst_alloc_constraints_filter_caps:
 * @constraints: a set
 * @caps: caps, such as what a peer accepts
 *
 * Narrows the DMA_DRM structures of @caps (GStreamer 1.24 and newer) to
 * the set's drm-formats: each keeps the drm-format values the set lists, a
 * structure without drm-format gets the set's pairs, one left with none is
 * dropped. Other structures, plain raw video among them, are kept as they
 * are, and so is every structure when the set has no drm-formats.
 *
 * Returns: (transfer full): the narrowed caps (@caps itself, with a new
 * reference, when nothing narrows them).
 *
 * Since: 1.0
 */
GstCaps *
gst_alloc_constraints_filter_caps (const GstAllocConstraints * constraints,
    GstCaps * caps)
{
  g_return_val_if_fail (constraints != NULL, NULL);
  g_return_val_if_fail (GST_IS_CAPS (caps), NULL);

  if (!constraints->drm_formats || gst_caps_is_any (caps))
    return gst_caps_ref (caps);
  return filter_dma_drm (constraints->drm_formats, caps);
}

/**
 * gst_alloc_video_info_from_caps:
 * @info: (out caller-allocates): the video info
 * @caps: fixed raw video caps
 *
 * Like gst_video_info_from_caps(), and for DMA_DRM caps with the linear
 * modifier (GStreamer 1.24 and newer) the info of their format, as a pool
 * lays it out: `drm-format=NV12` gives NV12 at the caps' size.
 *
 * Returns: %TRUE when @caps describe frames with a #GstVideoInfo; %FALSE
 * for other caps and for a tiled or compressed modifier.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_video_info_from_caps (GstVideoInfo * info, const GstCaps * caps)
{
  gboolean handled, ok;

  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (GST_IS_CAPS (caps), FALSE);

  ok = video_info_from_dma_drm (info, caps, &handled);
  return handled ? ok : gst_video_info_from_caps (info, caps);
}

/**
 * gst_alloc_caps_are_dma_drm:
 * @caps: caps
 *
 * Returns: %TRUE for DMA_DRM caps (video/x-raw(memory:DMABuf),
 * format=DMA_DRM; GStreamer 1.24 and newer), %FALSE otherwise and always
 * with GStreamer 1.22.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_caps_are_dma_drm (const GstCaps * caps)
{
  g_return_val_if_fail (GST_IS_CAPS (caps), FALSE);

  return caps_are_dma_drm (caps);
}

GstAllocConstraints *
gst_alloc_constraints_copy_for_caps (const GstAllocConstraints * c,
    const GstCaps * caps)
{
  GstAllocConstraints *copy = gst_alloc_constraints_copy (c);

  /* Frames under plain raw video caps are read through GstVideoMeta, not
   * imported as a DRM format: what a consumer says about those does not
   * apply to them. */
  if (copy->drm_formats && !(caps && caps_are_dma_drm (caps))) {
    g_clear_pointer (&copy->drm_formats, g_array_unref);
    gst_alloc_constraints_set_field_origin (copy, GST_ALLOC_FIELD_DRM_FORMATS,
        NULL);
  }
  return copy;
}
