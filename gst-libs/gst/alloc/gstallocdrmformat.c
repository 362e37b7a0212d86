/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:gstallocdrmformat
 * @title: GstAllocDrmFormat
 * @short_description: DRM formats and modifiers a consumer accepts
 *
 * Displays, GPUs and codecs say how they read a dma-buf with a DRM fourcc
 * and a format modifier: linear (rows one after the other) or a tiled or
 * compressed layout of the hardware's own. A constraint set lists the
 * pairs a consumer accepts in its drm-formats field; merging two sets
 * keeps the pairs both accept. A #GstAllocPool lays out linear buffers
 * only, so a set that leaves no linear modifier for the stream's format
 * cannot be served by it, and the layout and the solver say so.
 *
 * The fourccs are DRM's, written as their four characters: `NV12`, `YU12`
 * (I420), `XR24` (XRGB8888, GStreamer's BGRx). GStreamer 1.24 and newer
 * carry the same pairs in DMA_DRM caps (`drm-format=NV12:0x0100000000000002`,
 * linear written as the bare fourcc).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstallocdrmformat-private.h"

#include <string.h>

/* The fourcc of DRM's drm_fourcc.h: the four characters, first in the
 * lowest byte. */
#define DRM_FOURCC(s) GST_MAKE_FOURCC ((s)[0], (s)[1], (s)[2], (s)[3])

typedef struct
{
  GstVideoFormat format;
  const gchar *fourcc;
} FormatFourcc;

/* DRM fourccs name the little-endian word: XRGB8888 is B, G, R, X in
 * memory (GStreamer's BGRx), BGR888 is R, G, B (GStreamer's RGB). The
 * formats V4L2 and DRM discovery know, with the same names GStreamer's
 * gst_video_dma_drm_fourcc_from_format() gives (1.24 and newer; the tests
 * compare the two). */
static const FormatFourcc format_fourccs[] = {
  {GST_VIDEO_FORMAT_NV12, "NV12"},
  {GST_VIDEO_FORMAT_NV21, "NV21"},
  {GST_VIDEO_FORMAT_NV16, "NV16"},
  {GST_VIDEO_FORMAT_NV61, "NV61"},
  {GST_VIDEO_FORMAT_NV24, "NV24"},
  {GST_VIDEO_FORMAT_I420, "YU12"},
  {GST_VIDEO_FORMAT_YV12, "YV12"},
  {GST_VIDEO_FORMAT_Y42B, "YU16"},
  {GST_VIDEO_FORMAT_Y444, "YU24"},
  {GST_VIDEO_FORMAT_YUY2, "YUYV"},
  {GST_VIDEO_FORMAT_UYVY, "UYVY"},
  {GST_VIDEO_FORMAT_YVYU, "YVYU"},
  {GST_VIDEO_FORMAT_RGB, "BG24"},
  {GST_VIDEO_FORMAT_BGR, "RG24"},
  {GST_VIDEO_FORMAT_BGRx, "XR24"},
  {GST_VIDEO_FORMAT_BGRA, "AR24"},
  {GST_VIDEO_FORMAT_xRGB, "BX24"},
  {GST_VIDEO_FORMAT_ARGB, "BA24"},
  {GST_VIDEO_FORMAT_RGBx, "XB24"},
  {GST_VIDEO_FORMAT_RGBA, "AB24"},
  {GST_VIDEO_FORMAT_GRAY8, "R8  "},
  {GST_VIDEO_FORMAT_GRAY16_LE, "R16 "},
};

/**
 * gst_alloc_drm_fourcc_from_video_format:
 * @format: a GStreamer video format
 *
 * Returns: the DRM fourcc of @format's memory layout, or 0 when this
 * library knows none for it.
 *
 * Since: 1.0
 */
guint32
gst_alloc_drm_fourcc_from_video_format (GstVideoFormat format)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (format_fourccs); i++) {
    if (format_fourccs[i].format == format)
      return DRM_FOURCC (format_fourccs[i].fourcc);
  }
  return 0;
}

/**
 * gst_alloc_drm_fourcc_to_video_format:
 * @fourcc: a DRM fourcc
 *
 * Returns: the GStreamer format laid out as @fourcc, or
 * %GST_VIDEO_FORMAT_UNKNOWN.
 *
 * Since: 1.0
 */
GstVideoFormat
gst_alloc_drm_fourcc_to_video_format (guint32 fourcc)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (format_fourccs); i++) {
    if (DRM_FOURCC (format_fourccs[i].fourcc) == fourcc)
      return format_fourccs[i].format;
  }
  return GST_VIDEO_FORMAT_UNKNOWN;
}

/* Characters the string forms carry unquoted and unambiguously. */
static gboolean
fourcc_char_is_valid (guchar c)
{
  return c >= 0x20 && c < 0x7f && !strchr (":|,\"\\", c);
}

gboolean
gst_alloc_drm_format_is_valid (const GstAllocDrmFormat * format)
{
  guint i;

  /* A leading space would vanish when the string form strips values. */
  if ((format->fourcc & 0xff) == ' ')
    return FALSE;
  for (i = 0; i < 4; i++) {
    if (!fourcc_char_is_valid ((format->fourcc >> (8 * i)) & 0xff))
      return FALSE;
  }
  return format->modifier != GST_ALLOC_DRM_MODIFIER_INVALID;
}

/**
 * gst_alloc_drm_format_to_string:
 * @format: a DRM format with its modifier
 *
 * Returns: (transfer full): `FOURCC:linear` for the linear modifier,
 * otherwise `FOURCC:0x` and the modifier in 16 lowercase hexadecimal
 * digits; gst_alloc_drm_format_from_string() reads it back.
 *
 * Since: 1.0
 */
gchar *
gst_alloc_drm_format_to_string (const GstAllocDrmFormat * format)
{
  g_return_val_if_fail (format != NULL, NULL);

  if (format->modifier == GST_ALLOC_DRM_MODIFIER_LINEAR)
    return g_strdup_printf ("%" GST_FOURCC_FORMAT ":linear",
        GST_FOURCC_ARGS (format->fourcc));
  return g_strdup_printf ("%" GST_FOURCC_FORMAT ":0x%016" G_GINT64_MODIFIER
      "x", GST_FOURCC_ARGS (format->fourcc), format->modifier);
}

/* "linear" or "0x" and exactly 16 hexadecimal digits of a non-zero value:
 * one spelling per modifier. */
static gboolean
parse_modifier (const gchar * str, guint64 * modifier)
{
  guint64 value = 0;
  guint i;

  if (g_str_equal (str, "linear")) {
    *modifier = GST_ALLOC_DRM_MODIFIER_LINEAR;
    return TRUE;
  }
  if (strncmp (str, "0x", 2) != 0 || strlen (str) != 18)
    return FALSE;
  for (i = 2; i < 18; i++) {
    if (!g_ascii_isxdigit (str[i]))
      return FALSE;
    value = value << 4 | g_ascii_xdigit_value (str[i]);
  }
  *modifier = value;
  return value != GST_ALLOC_DRM_MODIFIER_LINEAR;
}

/**
 * gst_alloc_drm_format_from_string:
 * @str: `FOURCC:linear` or `FOURCC:0x` and 16 hexadecimal digits, as
 *   gst_alloc_drm_format_to_string() writes them
 * @format: (out caller-allocates): the pair read
 *
 * Strict: the fourcc is four printable characters other than `:`, `|`,
 * `,`, quotes and backslash, not starting with a space; the linear
 * modifier is written `linear` only; DRM_FORMAT_MOD_INVALID is refused.
 *
 * Returns: %TRUE when @str is a valid pair; @format is untouched otherwise.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_drm_format_from_string (const gchar * str, GstAllocDrmFormat * format)
{
  GstAllocDrmFormat read;

  g_return_val_if_fail (str != NULL, FALSE);
  g_return_val_if_fail (format != NULL, FALSE);

  if (strlen (str) < 6 || str[4] != ':')
    return FALSE;
  read.fourcc = DRM_FOURCC (str);
  if (!parse_modifier (str + 5, &read.modifier)
      || !gst_alloc_drm_format_is_valid (&read))
    return FALSE;
  *format = read;
  return TRUE;
}

/**
 * gst_alloc_constraints_add_drm_format:
 * @constraints: a set
 * @fourcc: a DRM fourcc
 * @modifier: its modifier
 *
 * Adds the pair to the set's drm-formats, making the field set if it was
 * not (it then accepts that pair alone). The origin is left as it is.
 *
 * Returns: %TRUE when the pair is valid (see
 * gst_alloc_drm_format_from_string()), %FALSE otherwise, leaving the set
 * unchanged.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_constraints_add_drm_format (GstAllocConstraints * constraints,
    guint32 fourcc, guint64 modifier)
{
  GstAllocDrmFormat format = { fourcc, modifier };

  g_return_val_if_fail (constraints != NULL, FALSE);

  if (!gst_alloc_drm_format_is_valid (&format))
    return FALSE;
  if (!constraints->drm_formats)
    constraints->drm_formats = gst_alloc_drm_formats_new ();
  gst_alloc_drm_formats_insert (constraints->drm_formats, &format);
  return TRUE;
}

/**
 * gst_alloc_constraints_accepts_drm_format:
 * @constraints: a set
 * @fourcc: a DRM fourcc
 * @modifier: its modifier
 *
 * Returns: %TRUE when the set's drm-formats list the pair, or are unset
 * (any format).
 *
 * Since: 1.0
 */
gboolean
gst_alloc_constraints_accepts_drm_format (const GstAllocConstraints *
    constraints, guint32 fourcc, guint64 modifier)
{
  g_return_val_if_fail (constraints != NULL, FALSE);

  return !constraints->drm_formats
      || gst_alloc_drm_formats_contains (constraints->drm_formats, fourcc,
      modifier);
}
