/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Sets of DRM formats with modifiers (gstallocdrmformats.c), the value of
 * the drm-formats field. A set is a GArray of GstAllocDrmFormat, sorted by
 * fourcc (compared as its four characters) then modifier, each pair once:
 * equal sets are equal arrays and the string form is canonical. NULL
 * stands for "any format"; a set is never empty. */

#include <gst/alloc/alloc.h>

G_BEGIN_DECLS

/* Four printable ASCII characters that the string forms can carry (no ':',
 * '|', ',', quote or backslash, not starting with a space), and a modifier
 * other than DRM_FORMAT_MOD_INVALID. */
G_GNUC_INTERNAL
gboolean gst_alloc_drm_format_is_valid (const GstAllocDrmFormat * format);

G_GNUC_INTERNAL
GArray *gst_alloc_drm_formats_new (void);

/* Adds @format in its place; FALSE when it was already there. */
G_GNUC_INTERNAL
gboolean gst_alloc_drm_formats_insert (GArray * set,
    const GstAllocDrmFormat * format);

G_GNUC_INTERNAL
gboolean gst_alloc_drm_formats_contains (const GArray * set,
    guint32 fourcc, guint64 modifier);

/* NULL for NULL. */
G_GNUC_INTERNAL
GArray *gst_alloc_drm_formats_copy (const GArray * set);

/* NULL (any) equals only NULL. */
G_GNUC_INTERNAL
gboolean gst_alloc_drm_formats_equal (const GArray * a, const GArray * b);

/* The pairs in both sets (neither NULL); NULL when none is. */
G_GNUC_INTERNAL
GArray *gst_alloc_drm_formats_intersect (const GArray * a, const GArray * b);

/* The string form, "NV12:linear|NV12:0x0100000000000002"; "any" for NULL. */
G_GNUC_INTERNAL
gchar *gst_alloc_drm_formats_describe (const GArray * set);

/* Distinct valid pairs separated by '|'; NULL when @str is anything else. */
G_GNUC_INTERNAL
GArray *gst_alloc_drm_formats_parse (const gchar * str);

/* The layout a pool gives @info (linear, in its DRM fourcc) is in the
 * set's drm-formats, or the set has none; FALSE with a
 * GST_ALLOC_ERROR_LAYOUT error saying which part is missing and who asked. */
G_GNUC_INTERNAL
gboolean gst_alloc_drm_formats_check_layout (const GstAllocConstraints * c,
    const GstVideoInfo * info, GError ** error);

/* Why @backend, which lays out linear buffers only, cannot serve a set
 * whose drm-formats hold no linear modifier at all; NULL when it can. */
G_GNUC_INTERNAL
gchar *gst_alloc_drm_formats_backend_mismatch (GstAllocBackend * backend,
    const GstAllocConstraints * c);

G_END_DECLS
