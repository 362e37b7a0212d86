/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/gst.h>

/**
 * GST_ALLOC_API:
 *
 * Marks the library's public functions: exported while the library is
 * built (BUILDING_GST_ALLOC), imported otherwise, as GST_API does for
 * GStreamer's own libraries.
 *
 * Since: 1.0
 */
#ifdef BUILDING_GST_ALLOC
#define GST_ALLOC_API GST_API_EXPORT
#else
#define GST_ALLOC_API GST_API_IMPORT
#endif
