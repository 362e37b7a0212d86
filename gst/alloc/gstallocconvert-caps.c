/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Caps for allocconvert: which raw formats it offers on the other side, and
 * which one it picks, so that it converts only when it must. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocconvert-caps.h"

#include <gst/video/video.h>

GST_DEBUG_CATEGORY_EXTERN (gst_alloc_convert_debug);
#define GST_CAT_DEFAULT gst_alloc_convert_debug

/* Like videoconvert: the other side may carry any raw format, with its own
 * colour description. The unchanged caps come first so that the input
 * format is tried before any conversion. */
GstCaps *
gst_alloc_convert_transform_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter)
{
  GstCaps *result = gst_caps_copy (caps);
  GstCaps *any_format = gst_caps_new_empty ();
  GstCaps *filtered;
  GstStructure *s;
  guint i, n = gst_caps_get_size (caps);

  for (i = 0; i < n; i++) {
    s = gst_structure_copy (gst_caps_get_structure (caps, i));
    gst_structure_remove_fields (s, "format", "colorimetry", "chroma-site",
        NULL);
    gst_caps_append_structure_full (any_format, s,
        gst_caps_features_copy (gst_caps_get_features (caps, i)));
  }
  result = gst_caps_merge (result, any_format);
  if (filter) {
    filtered = gst_caps_intersect_full (filter, result,
        GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref (result);
    result = filtered;
  }
  GST_DEBUG_OBJECT (trans, "%" GST_PTR_FORMAT " -> %" GST_PTR_FORMAT, caps,
      result);
  return result;
}

static GstVideoFormatFlags
colour_family (const GstStructure * s)
{
  const gchar *name = gst_structure_get_string (s, "format");
  GstVideoFormat format = name ? gst_video_format_from_string (name) :
      GST_VIDEO_FORMAT_UNKNOWN;

  if (format == GST_VIDEO_FORMAT_UNKNOWN)
    return 0;
  return GST_VIDEO_FORMAT_INFO_FLAGS (gst_video_format_get_info (format)) &
      (GST_VIDEO_FORMAT_FLAG_YUV | GST_VIDEO_FORMAT_FLAG_RGB |
      GST_VIDEO_FORMAT_FLAG_GRAY);
}

/* Keeps the input's colour description where the output allows it, so a
 * format change does not also change colours. */
static void
keep_field (GstStructure * out, const GstStructure * in, const gchar * field)
{
  const gchar *want = gst_structure_get_string (in, field);

  if (!want)
    return;
  if (!gst_structure_has_field (out, field))
    gst_structure_set (out, field, G_TYPE_STRING, want, NULL);
  else
    gst_structure_fixate_field_string (out, field, want);
}

/* Prefers the input caps unchanged: no conversion when the other side
 * accepts them. */
GstCaps *
gst_alloc_convert_fixate_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * othercaps)
{
  GstCaps *same = gst_caps_intersect (othercaps, caps);
  const GstStructure *in;
  GstStructure *out;

  if (!gst_caps_is_empty (same)) {
    gst_caps_unref (othercaps);
    return gst_caps_fixate (same);
  }
  gst_caps_unref (same);

  othercaps = gst_caps_truncate (othercaps);
  othercaps = gst_caps_make_writable (othercaps);
  in = gst_caps_get_structure (caps, 0);
  out = gst_caps_get_structure (othercaps, 0);
  if (gst_structure_has_field (in, "format"))
    gst_structure_fixate_field_string (out, "format",
        gst_structure_get_string (in, "format"));
  if (colour_family (in) != 0 && colour_family (in) == colour_family (out)) {
    keep_field (out, in, "colorimetry");
    keep_field (out, in, "chroma-site");
  }
  othercaps = gst_caps_fixate (othercaps);
  GST_DEBUG_OBJECT (trans, "converting %" GST_PTR_FORMAT " to %"
      GST_PTR_FORMAT, caps, othercaps);
  return othercaps;
}
