/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/video/video.h>
#include <spa/pod/builder.h>

G_BEGIN_DECLS

/* Raw video formats between GStreamer and SPA, matched by name ("NV12"):
 * SPA_VIDEO_FORMAT_UNKNOWN or GST_VIDEO_FORMAT_UNKNOWN when the other side
 * has no such format. */
uint32_t gst_alloc_pw_video_format_to_spa (GstVideoFormat format);
GstVideoFormat gst_alloc_pw_video_format_from_spa (uint32_t format);

/* One fixed raw video format (@id: SPA_PARAM_EnumFormat or _Format) for
 * @info: format, size and framerate. NULL when SPA has no such format. */
struct spa_pod *gst_alloc_pw_format_build (struct spa_pod_builder *builder,
    uint32_t id, const GstVideoInfo * info);

/* The EnumFormat params that say what @caps accept (raw video; a missing
 * format, size or framerate accepts any). Returns how many were written to
 * @params, at most @max; 0 when @caps has no raw video SPA can carry. */
guint gst_alloc_pw_formats_from_caps (struct spa_pod_builder *builder,
    const GstCaps * caps, const struct spa_pod **params, guint max);

/* A negotiated Format as a GstVideoInfo (default strides and offsets). */
gboolean gst_alloc_pw_format_parse (const struct spa_pod *format,
    GstVideoInfo * info, GError ** error);

G_END_DECLS
