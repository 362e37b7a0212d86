/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/base/gstbasesink.h>

G_BEGIN_DECLS
#define GST_TYPE_ALLOC_DRM_IMPORT_SINK (gst_alloc_drm_import_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstAllocDrmImportSink, gst_alloc_drm_import_sink, GST,
    ALLOC_DRM_IMPORT_SINK, GstBaseSink);

GST_ELEMENT_REGISTER_DECLARE (allocdrmimportsink);

G_END_DECLS
