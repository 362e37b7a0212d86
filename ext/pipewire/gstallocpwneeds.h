/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/alloc.h>
#include <spa/pod/pod.h>
#include <spa/pod/builder.h>

G_BEGIN_DECLS
/**
 * GST_ALLOC_PW_KEY_CONSTRAINTS:
 *
 * The node property in which a gst-alloc consumer (allocpwsrc) publishes its
 * whole constraint set, in the string form of gst_alloc_constraints_to_string().
 * A producer reads it from the registry and merges it like the needs it
 * reads from the consumer's Buffers param.
 */
#define GST_ALLOC_PW_KEY_CONSTRAINTS "gstalloc.constraints"
/**
 * GST_ALLOC_PW_KEY_ANCHOR:
 *
 * Set on the consumer a published node links to itself ("true"): it holds
 * the node's buffers so that every real consumer joins buffers that are
 * complete. Not a consumer to serve.
 */
#define GST_ALLOC_PW_KEY_ANCHOR "gstalloc.anchor"
/* What one consumer of a PipeWire node needs, read from its input port's
 * SPA_PARAM_Buffers and its node properties.
 *
 * constraints: the mergeable part (alignment, counts, memory kinds), with
 *   the consumer's node name as origin.
 * exact_stride: a fixed stride of the Buffers param (0: none). PipeWire has
 *   no way to say "a multiple of"; a consumer that fixes the stride reads
 *   every row at exactly that pitch.
 * data_types: the SPA dataType mask it accepts (bits 1 << SPA_DATA_*), 0
 *   when it said nothing.
 * blocks: a fixed number of data blocks (0: any).
 * description: the needs as the consumer said them, for the decision. */
    typedef struct
{
  gchar *consumer;
  GstAllocConstraints *constraints;
  gint32 exact_stride;
  guint32 data_types;
  guint32 blocks;
  gchar *description;
} GstAllocPwNeeds;

GstAllocPwNeeds *gst_alloc_pw_needs_new (const gchar * consumer);
void gst_alloc_pw_needs_free (GstAllocPwNeeds * needs);

gboolean gst_alloc_pw_needs_add_buffers_param (GstAllocPwNeeds * needs,
    const struct spa_pod *param, GError ** error);
gboolean gst_alloc_pw_needs_add_constraints_string (GstAllocPwNeeds * needs,
    const gchar * str, GError ** error);

/* Once the format is known: a fixed stride that is GStreamer's default one
 * is the library's default-layout need (the consumer reads the whole frame
 * at the default strides and offsets, as browser camera capture does). */
void gst_alloc_pw_needs_apply_format (GstAllocPwNeeds * needs,
    const GstVideoInfo * info);

/* The memory kinds a dataType mask lets us give. A MemFd consumer mmaps
 * what it gets, so a mappable dma-buf labelled MemFd serves it too. */
GstAllocMemoryFlags gst_alloc_pw_memory_from_data_types (guint32 data_types);

/* "DmaBuf|MemFd" */
gchar *gst_alloc_pw_data_types_to_string (guint32 data_types);

/* The SPA_PARAM_Buffers a gst-alloc consumer announces for @constraints on
 * frames of @info: the buffer count range, the memory alignment, the data
 * types, and for default-layout the default stride, fixed. */
struct spa_pod *gst_alloc_pw_needs_build_buffers_param (struct spa_pod_builder
    *builder, const GstAllocConstraints * constraints,
    const GstVideoInfo * info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstAllocPwNeeds, gst_alloc_pw_needs_free)
    G_END_DECLS
