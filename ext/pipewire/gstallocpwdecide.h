/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gstallocpwgraph.h"
#include "gstallocpwneeds.h"
#include "gstallocpwpool.h"

G_BEGIN_DECLS

/* A consumer's needs: its Buffers param and its gstalloc.constraints, with
 * its node name as origin. */
GstAllocPwNeeds *gst_alloc_pw_needs_from_consumer (const GstAllocPwConsumer *
    consumer, GError ** error);

/* Whether the buffers of @pool, laid out for @pool_constraints, serve
 * @needs as they are. When not, *@why says which need and why, naming who
 * asked. */
gboolean gst_alloc_pw_pool_serves (GstAllocPwPool * pool,
    const GstAllocConstraints * pool_constraints, const GstAllocPwNeeds * needs,
    gchar ** why);

/* The constraints for a pool of its own that serves @needs for frames of
 * @info: its mergeable needs, memory another process can map, and its
 * fixed stride reached as an alignment (the tight stride is the layout of an
 * empty set). NULL with @error when no layout gives that stride. */
GstAllocConstraints *gst_alloc_pw_needs_pool_constraints (const
    GstAllocPwNeeds * needs, const GstVideoInfo * info, GError ** error);

G_END_DECLS
