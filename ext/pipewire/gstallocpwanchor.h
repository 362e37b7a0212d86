/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gstallocpwcore.h"

#include <gst/video/video.h>

G_BEGIN_DECLS

/* A consumer of our own, linked to a published node as soon as it exists
 * and for as long, that reads nothing and gives every buffer straight back.
 *
 * Why: PipeWire 0.3.65 can hand the consumer whose link allocates a
 * producer-allocated node's buffers (PW_STREAM_FLAG_ALLOC_BUFFERS) the
 * empty skeletons it asked the producer to fill: the link's wait for the
 * producer completes early when another client enumerates the port's
 * params at that moment ("invalid memory type" in the daemon's log), and
 * that consumer never gets memory. Every later link reuses the filled
 * buffers. The anchor is the link that allocates, so real consumers, later,
 * all get complete buffers; and the buffers stay while consumers come and
 * go. */
typedef struct _GstAllocPwAnchor GstAllocPwAnchor;

GstAllocPwAnchor *gst_alloc_pw_anchor_new (GstAllocPwCore * core,
    const gchar * node_name, const GstVideoInfo * info, GError ** error);
void gst_alloc_pw_anchor_free (GstAllocPwAnchor * anchor);

G_END_DECLS
