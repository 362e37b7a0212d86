/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The checks a buffer (gstallocverify.c) and a planned layout
 * (gstallocview-check.c) share: each violation is appended to one list,
 * "<field> (asked by <who>): <what was found>", separated by "; ", so a
 * rejected buffer and a rejected view name things alike. */

#include <gst/alloc/alloc.h>

G_BEGIN_DECLS

typedef struct
{
  const GstAllocConstraints *c;
  GString *violations;
} GstAllocViolations;

G_GNUC_INTERNAL
void gst_alloc_violations_init (GstAllocViolations * check,
    const GstAllocConstraints * c);

/* Appends one violation of @field, with what was found as @format says. */
G_GNUC_INTERNAL
void gst_alloc_violations_add (GstAllocViolations * check,
    GstAllocField field, const gchar * format, ...) G_GNUC_PRINTF (3, 4);

/* Size alignment, prefix and padding bytes of memory @memory: @alloc_size
 * bytes in all, @before of them before its data and @after after it. */
G_GNUC_INTERNAL
void gst_alloc_violations_check_room (GstAllocViolations * check,
    guint memory, gsize alloc_size, gsize before, gsize after);

/* max-size against the @used bytes the buffer spans. */
G_GNUC_INTERNAL
void gst_alloc_violations_check_span (GstAllocViolations * check,
    guint64 used);

/* Row and column paddings, and the padded width and height's alignment. */
G_GNUC_INTERNAL
void gst_alloc_violations_check_paddings (GstAllocViolations * check,
    const GstVideoInfo * info, const GstVideoAlignment * a);

G_GNUC_INTERNAL
void gst_alloc_violations_check_stride (GstAllocViolations * check,
    guint plane, gint stride);

/* Offset alignment of a plane that starts at byte @start of memory
 * @memory, and whether it is in its own memory where planes are separate. */
G_GNUC_INTERNAL
void gst_alloc_violations_check_start (GstAllocViolations * check,
    guint plane, gsize start, guint memory);

/* Single or separate planes against how many memories hold the frame. */
G_GNUC_INTERNAL
void gst_alloc_violations_check_memories (GstAllocViolations * check,
    guint n_memories, guint n_planes);

/* Planes at @offset and @stride and @size bytes against the default layout
 * of @info; with no @offset and @stride (no meta describes the planes) only
 * the size. Returns %TRUE when the default layout is known and nothing
 * differs from it. */
G_GNUC_INTERNAL
gboolean gst_alloc_violations_check_default (GstAllocViolations * check,
    const GstVideoInfo * info, const gsize * offset, const gint * stride,
    gsize size);

/* Frees the list; returns %TRUE when it is empty, else sets @error to
 * GST_ALLOC_ERROR_VIOLATION with every violation in it. */
G_GNUC_INTERNAL
gboolean gst_alloc_violations_finish (GstAllocViolations * check,
    GError ** error);

G_END_DECLS
