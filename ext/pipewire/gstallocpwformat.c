/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Raw video formats between GStreamer caps and SPA format params. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpwformat.h"

#include <spa/debug/types.h>
#include <spa/param/video/format-utils.h>
#include <spa/param/video/type-info.h>

#include <string.h>

/* Both enums name their formats alike ("NV12", "xRGB", "GRAY16_LE"), so
 * names, not numeric values, are what we match. */
uint32_t
gst_alloc_pw_video_format_to_spa (GstVideoFormat format)
{
  const struct spa_type_info *t;
  const gchar *name;

  if (format == GST_VIDEO_FORMAT_UNKNOWN
      || !(name = gst_video_format_to_string (format)))
    return SPA_VIDEO_FORMAT_UNKNOWN;
  for (t = spa_type_video_format; t->name; t++) {
    if (t->type != SPA_VIDEO_FORMAT_ENCODED
        && strcmp (spa_debug_type_short_name (t->name), name) == 0)
      return t->type;
  }
  return SPA_VIDEO_FORMAT_UNKNOWN;
}

GstVideoFormat
gst_alloc_pw_video_format_from_spa (uint32_t format)
{
  const struct spa_type_info *t;

  for (t = spa_type_video_format; t->name; t++) {
    if (t->type == format && format != SPA_VIDEO_FORMAT_ENCODED)
      return gst_video_format_from_string (spa_debug_type_short_name (t->name));
  }
  return GST_VIDEO_FORMAT_UNKNOWN;
}

struct spa_pod *
gst_alloc_pw_format_build (struct spa_pod_builder *builder, uint32_t id,
    const GstVideoInfo * info)
{
  struct spa_video_info_raw raw = { 0, };

  raw.format = gst_alloc_pw_video_format_to_spa (GST_VIDEO_INFO_FORMAT (info));
  if (raw.format == SPA_VIDEO_FORMAT_UNKNOWN)
    return NULL;
  raw.size = SPA_RECTANGLE (GST_VIDEO_INFO_WIDTH (info),
      GST_VIDEO_INFO_HEIGHT (info));
  /* 0/1 is a variable rate; SPA says it the same way. */
  raw.framerate = SPA_FRACTION (GST_VIDEO_INFO_FPS_N (info),
      MAX (GST_VIDEO_INFO_FPS_D (info), 1));
  return spa_format_video_raw_build (builder, id, &raw);
}

/* The formats a caps structure allows: its one format, its list, or (no
 * field) every format SPA knows that GStreamer does too. */
static void
add_format_choice (struct spa_pod_builder *b, const GstStructure * s)
{
  const GValue *v = gst_structure_get_value (s, "format");
  struct spa_pod_frame f;
  uint32_t spa, first = SPA_VIDEO_FORMAT_UNKNOWN;
  guint i, n = v && GST_VALUE_HOLDS_LIST (v) ? gst_value_list_get_size (v) : 0;
  const struct spa_type_info *t;

  spa_pod_builder_prop (b, SPA_FORMAT_VIDEO_format, 0);
  spa_pod_builder_push_choice (b, &f, SPA_CHOICE_Enum, 0);
  if (v && G_VALUE_HOLDS_STRING (v)) {
    first = gst_alloc_pw_video_format_to_spa (gst_video_format_from_string
        (g_value_get_string (v)));
    spa_pod_builder_id (b, first);
    spa_pod_builder_id (b, first);
  }
  for (i = 0; i < n; i++) {
    const GValue *item = gst_value_list_get_value (v, i);

    if (!G_VALUE_HOLDS_STRING (item))
      continue;
    spa = gst_alloc_pw_video_format_to_spa (gst_video_format_from_string
        (g_value_get_string (item)));
    if (spa == SPA_VIDEO_FORMAT_UNKNOWN)
      continue;
    /* An enum choice starts with its default. */
    if (first == SPA_VIDEO_FORMAT_UNKNOWN)
      spa_pod_builder_id (b, first = spa);
    spa_pod_builder_id (b, spa);
  }
  for (t = spa_type_video_format; !v && t->name; t++) {
    if (gst_alloc_pw_video_format_from_spa (t->type) ==
        GST_VIDEO_FORMAT_UNKNOWN)
      continue;
    if (first == SPA_VIDEO_FORMAT_UNKNOWN)
      spa_pod_builder_id (b, first = t->type);
    spa_pod_builder_id (b, t->type);
  }
  spa_pod_builder_pop (b, &f);
}

static void
int_field_range (const GstStructure * s, const gchar * field, gint * min,
    gint * max)
{
  const GValue *v = gst_structure_get_value (s, field);

  *min = 1;
  *max = G_MAXINT16;
  if (v && G_VALUE_HOLDS_INT (v)) {
    *min = *max = g_value_get_int (v);
  } else if (v && GST_VALUE_HOLDS_INT_RANGE (v)) {
    *min = gst_value_get_int_range_min (v);
    *max = gst_value_get_int_range_max (v);
  }
}

static void
add_size_and_rate (struct spa_pod_builder *b, const GstStructure * s)
{
  const GValue *rate = gst_structure_get_value (s, "framerate");
  struct spa_rectangle def, min, max;
  struct spa_fraction rmin = SPA_FRACTION (0, 1), rmax = SPA_FRACTION (1000, 1);
  gint wmin, wmax, hmin, hmax;

  int_field_range (s, "width", &wmin, &wmax);
  int_field_range (s, "height", &hmin, &hmax);
  min = SPA_RECTANGLE (wmin, hmin);
  max = SPA_RECTANGLE (wmax, hmax);
  def = SPA_RECTANGLE (CLAMP (1920, wmin, wmax), CLAMP (1080, hmin, hmax));
  spa_pod_builder_add (b, SPA_FORMAT_VIDEO_size,
      SPA_POD_CHOICE_RANGE_Rectangle (&def, &min, &max), 0);

  if (rate && GST_VALUE_HOLDS_FRACTION (rate)) {
    rmin = rmax = SPA_FRACTION (gst_value_get_fraction_numerator (rate),
        gst_value_get_fraction_denominator (rate));
  } else if (rate && GST_VALUE_HOLDS_FRACTION_RANGE (rate)) {
    const GValue *lo = gst_value_get_fraction_range_min (rate);
    const GValue *hi = gst_value_get_fraction_range_max (rate);

    rmin = SPA_FRACTION (gst_value_get_fraction_numerator (lo),
        gst_value_get_fraction_denominator (lo));
    rmax = SPA_FRACTION (gst_value_get_fraction_numerator (hi),
        gst_value_get_fraction_denominator (hi));
  }
  if (rmin.num == rmax.num && rmin.denom == rmax.denom)
    spa_pod_builder_add (b, SPA_FORMAT_VIDEO_framerate,
        SPA_POD_Fraction (&rmin), 0);
  else
    spa_pod_builder_add (b, SPA_FORMAT_VIDEO_framerate,
        SPA_POD_CHOICE_RANGE_Fraction (&SPA_FRACTION (30, 1), &rmin, &rmax), 0);
}

guint
gst_alloc_pw_formats_from_caps (struct spa_pod_builder *builder,
    const GstCaps * caps, const struct spa_pod **params, guint max)
{
  struct spa_pod_frame f;
  guint i, n = 0;

  for (i = 0; i < gst_caps_get_size (caps) && n < max; i++) {
    const GstStructure *s = gst_caps_get_structure (caps, i);

    if (!gst_structure_has_name (s, "video/x-raw"))
      continue;
    spa_pod_builder_push_object (builder, &f, SPA_TYPE_OBJECT_Format,
        SPA_PARAM_EnumFormat);
    spa_pod_builder_add (builder,
        SPA_FORMAT_mediaType, SPA_POD_Id (SPA_MEDIA_TYPE_video),
        SPA_FORMAT_mediaSubtype, SPA_POD_Id (SPA_MEDIA_SUBTYPE_raw), 0);
    add_format_choice (builder, s);
    add_size_and_rate (builder, s);
    params[n++] = spa_pod_builder_pop (builder, &f);
  }
  return n;
}

gboolean
gst_alloc_pw_format_parse (const struct spa_pod *format, GstVideoInfo * info,
    GError ** error)
{
  struct spa_video_info_raw raw = { 0, };
  uint32_t media_type, media_subtype;
  GstVideoFormat gst_format;

  if (spa_format_parse (format, &media_type, &media_subtype) < 0
      || media_type != SPA_MEDIA_TYPE_video
      || media_subtype != SPA_MEDIA_SUBTYPE_raw
      || spa_format_video_raw_parse (format, &raw) < 0) {
    g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT,
        "the negotiated format is not raw video");
    return FALSE;
  }
  gst_format = gst_alloc_pw_video_format_from_spa (raw.format);
  if (gst_format == GST_VIDEO_FORMAT_UNKNOWN) {
    g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT,
        "the negotiated video format %u has no GStreamer equivalent",
        raw.format);
    return FALSE;
  }
  if (!gst_video_info_set_format (info, gst_format, raw.size.width,
          raw.size.height)) {
    g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT,
        "the negotiated size %ux%u is not valid", raw.size.width,
        raw.size.height);
    return FALSE;
  }
  GST_VIDEO_INFO_FPS_N (info) = raw.framerate.num;
  GST_VIDEO_INFO_FPS_D (info) = MAX (raw.framerate.denom, 1);
  return TRUE;
}
