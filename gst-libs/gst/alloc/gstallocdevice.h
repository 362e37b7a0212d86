/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/gstallocconstraints.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

GST_ALLOC_API
GstAllocConstraints *gst_alloc_constraints_from_device (const gchar * path,
    const GstVideoInfo * info, GError ** error);

GST_ALLOC_API
gchar *gst_alloc_device_describe (const gchar * path, const GstVideoInfo * info,
    GError ** error);

GST_ALLOC_API
gboolean gst_alloc_device_try_import (const gchar * path,
    const GstVideoInfo * info, GstBuffer * const *buffers, guint n_buffers,
    gchar ** report, GError ** error);

G_END_DECLS
