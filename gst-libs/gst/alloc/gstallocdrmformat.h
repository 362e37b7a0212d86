/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/gstallocconstraints.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

/**
 * GstAllocDrmFormat:
 * @fourcc: a DRM fourcc (drm_fourcc.h), such as DRM_FORMAT_NV12 ("NV12").
 * @modifier: a DRM format modifier; %GST_ALLOC_DRM_MODIFIER_LINEAR (0) is
 *   the plain row-after-row layout. DRM_FORMAT_MOD_INVALID (an implicit,
 *   driver-chosen layout) is never one: GStreamer's DMA_DRM caps exclude it
 *   too, and nothing could say what it means to another device.
 *
 * One DRM format with one modifier: how a dma-buf's pixels are laid out.
 * The string form is `FOURCC:linear` or `FOURCC:0x` followed by 16
 * hexadecimal digits, for example `NV12:linear` or
 * `NV12:0x0100000000000002`.
 *
 * Since: 1.0
 */
typedef struct
{
  guint32 fourcc;
  guint64 modifier;
} GstAllocDrmFormat;

/**
 * GST_ALLOC_DRM_MODIFIER_LINEAR:
 *
 * DRM_FORMAT_MOD_LINEAR: rows one after the other, as GstVideoInfo lays
 * them out. The only modifier a #GstAllocPool lays out itself.
 *
 * Since: 1.0
 */
#define GST_ALLOC_DRM_MODIFIER_LINEAR G_GUINT64_CONSTANT (0)

/**
 * GST_ALLOC_DRM_MODIFIER_INVALID:
 *
 * DRM_FORMAT_MOD_INVALID: "no modifier, the driver knows". Refused
 * everywhere a modifier is read.
 *
 * Since: 1.0
 */
#define GST_ALLOC_DRM_MODIFIER_INVALID G_GUINT64_CONSTANT (0x00ffffffffffffff)

GST_ALLOC_API
gchar *gst_alloc_drm_format_to_string (const GstAllocDrmFormat * format);

GST_ALLOC_API
gboolean gst_alloc_drm_format_from_string (const gchar * str,
    GstAllocDrmFormat * format);

GST_ALLOC_API
guint32 gst_alloc_drm_fourcc_from_video_format (GstVideoFormat format);

GST_ALLOC_API
GstVideoFormat gst_alloc_drm_fourcc_to_video_format (guint32 fourcc);

GST_ALLOC_API
gboolean gst_alloc_constraints_add_drm_format (GstAllocConstraints * constraints,
    guint32 fourcc, guint64 modifier);

GST_ALLOC_API
gboolean gst_alloc_constraints_accepts_drm_format (const GstAllocConstraints * constraints,
    guint32 fourcc, guint64 modifier);

G_END_DECLS
