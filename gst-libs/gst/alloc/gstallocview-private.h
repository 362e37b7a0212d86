/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the view files share (gstallocview.c, gstallocview-check.c,
 * gstallocview-buffer.c). */

#include <gst/alloc/alloc.h>

G_BEGIN_DECLS

/* Whether a buffer laid out as @layout shows what @c asks of a layout: the
 * checks of gst_alloc_constraints_check_buffer() that depend on numbers
 * alone (strides, plane starts, paddings, bytes around each memory's data,
 * memory sizes, plane to memory mapping, max-size, the default layout).
 * Memory kinds, contiguity and heaps belong to the memory, not to how it
 * is described, and are not checked. A default-layout consumer also needs
 * one memory: gst_buffer_map() would merge several by copying them. */
G_GNUC_INTERNAL
gboolean gst_alloc_layout_check (const GstAllocLayout * layout,
    const GstAllocConstraints * c, GError ** error);

/* Where the data of memory @memory starts among the data of all memories
 * of @layout, one after the other (GstVideoMeta offsets count that way). */
G_GNUC_INTERNAL
gsize gst_alloc_layout_data_before (const GstAllocLayout * layout,
    guint memory);

G_END_DECLS
