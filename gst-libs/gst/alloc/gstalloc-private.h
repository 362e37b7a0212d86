/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/alloc.h>

#include <stdarg.h>

G_BEGIN_DECLS

/* The library's debug categories, made on first use (as video-info.c's
 * ensure_debug_category() does) so that no call needs gst_alloc_init()
 * first. The names stay those of variables, so `#define GST_CAT_DEFAULT
 * gst_alloc_pool_debug` reads as before. */
typedef enum
{
  GST_ALLOC_DEBUG_MODEL,
  GST_ALLOC_DEBUG_BACKEND,
  GST_ALLOC_DEBUG_SOLVER,
  GST_ALLOC_DEBUG_POOL,
  GST_ALLOC_DEBUG_PERFORMANCE,
  GST_ALLOC_DEBUG_N_CATEGORIES,
} GstAllocDebugCategory;

G_GNUC_INTERNAL
GstDebugCategory *gst_alloc_debug_get_category (GstAllocDebugCategory which);

#define gst_alloc_debug \
  gst_alloc_debug_get_category (GST_ALLOC_DEBUG_MODEL)
#define gst_alloc_backend_debug \
  gst_alloc_debug_get_category (GST_ALLOC_DEBUG_BACKEND)
#define gst_alloc_solver_debug \
  gst_alloc_debug_get_category (GST_ALLOC_DEBUG_SOLVER)
#define gst_alloc_pool_debug \
  gst_alloc_debug_get_category (GST_ALLOC_DEBUG_POOL)
#define gst_alloc_performance_debug \
  gst_alloc_debug_get_category (GST_ALLOC_DEBUG_PERFORMANCE)

/* Makes every category; cheap after the first call. */
G_GNUC_INTERNAL
void gst_alloc_debug_init (void);

/* Who asked for @field: its origin, or "an unnamed consumer". */
G_GNUC_INTERNAL
const gchar *gst_alloc_constraints_asked_by (const GstAllocConstraints * constraints,
    GstAllocField field);

/* "stride-align 256 (asked by display)". */
G_GNUC_INTERNAL
gchar *gst_alloc_constraints_describe_asked (const GstAllocConstraints * constraints,
    GstAllocField field);

/* gst_alloc_constraints_describe_asked() of each of @fields that is set,
 * joined by ", "; "" when none is. */
G_GNUC_INTERNAL
gchar *gst_alloc_constraints_describe_fields (const GstAllocConstraints * constraints,
    const GstAllocField * fields, guint n_fields);

/* The paddings of a layout: each at least what @c asks, rounded to whole
 * chroma samples, the padded width and height multiples of width-align and
 * height-align; FALSE with a GST_ALLOC_ERROR_LAYOUT error naming the fields
 * when the padded picture would be too large to lay out. */
G_GNUC_INTERNAL
gboolean gst_alloc_layout_padding (GstVideoAlignment * align,
    const GstVideoInfo * info, const GstAllocConstraints * c, GError ** error);

/* @info aligned with @align, widened on the right until every stride is a
 * multiple of stride-align. */
G_GNUC_INTERNAL
gboolean gst_alloc_layout_align_strides (GstVideoInfo * aligned,
    const GstVideoInfo * info, GstVideoAlignment * align,
    const GstAllocConstraints * c, GError ** error);

/* For a set with default-layout: @aligned becomes @info at GstVideoInfo's
 * default strides and offsets; FALSE, with a GST_ALLOC_ERROR_LAYOUT error
 * naming every field of @c that layout does not meet, who asked for it and
 * who asked for default-layout. */
G_GNUC_INTERNAL
gboolean gst_alloc_layout_default_info (GstVideoInfo * aligned,
    const GstVideoInfo * info, const GstAllocConstraints * c, GError ** error);

/* Bytes from the start of plane @plane's area (its padded top-left corner)
 * to its first visible pixel, for @stride and the paddings of @align. */
G_GNUC_INTERNAL
gsize gst_alloc_plane_lead (const GstVideoFormatInfo * finfo, guint plane,
    gint stride, const GstVideoAlignment * align);

/* A copy of @c for frames negotiated with @caps: drm-formats set aside
 * unless @caps are DMA_DRM (GStreamer 1.24 and newer), since plain raw
 * video is read through GstVideoMeta, not imported as a DRM format. */
G_GNUC_INTERNAL
GstAllocConstraints *gst_alloc_constraints_copy_for_caps (const GstAllocConstraints * c,
    const GstCaps * caps);

/* Interned union of two origin lists ("a, b"), without duplicates; NULL and
 * empty strings count as "unknown" and vanish when the other side is known. */
G_GNUC_INTERNAL
const gchar *gst_alloc_origin_union (const gchar * a, const gchar * b);

/* Least common multiple of two positive alignments; FALSE on overflow. */
G_GNUC_INTERNAL
gboolean gst_alloc_checked_lcm (guint32 a, guint32 b, guint32 * out);

/* Round @value up to a multiple of @multiple (> 0); FALSE on overflow. */
G_GNUC_INTERNAL
gboolean gst_alloc_checked_round_up (gsize value, gsize multiple, gsize * out);

G_GNUC_INTERNAL
const gchar *gst_alloc_memory_flags_to_string (GstAllocMemoryFlags flags);

G_GNUC_INTERNAL
const gchar *gst_alloc_cpu_access_to_string (GstAllocCpuAccess access);

G_GNUC_INTERNAL
const gchar *gst_alloc_cache_to_string (GstAllocCache cache);

G_GNUC_INTERNAL
const gchar *gst_alloc_planes_to_string (GstAllocPlanes planes);

/* The inverse of the four functions above: exact names, FALSE otherwise.
 * Memory kinds are '|'-separated and must not be empty. */
G_GNUC_INTERNAL
gboolean gst_alloc_memory_flags_from_string (const gchar * str,
    GstAllocMemoryFlags * flags);

G_GNUC_INTERNAL
gboolean gst_alloc_cpu_access_from_string (const gchar * str,
    GstAllocCpuAccess * access);

G_GNUC_INTERNAL
gboolean gst_alloc_cache_from_string (const gchar * str, GstAllocCache * cache);

G_GNUC_INTERNAL
gboolean gst_alloc_planes_from_string (const gchar * str, GstAllocPlanes * planes);

G_END_DECLS
