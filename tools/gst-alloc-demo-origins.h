/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What really happened in the demo's pipeline, observed frame by frame with
 * the notions of the alloccopies tracer: the pool each buffer entering the
 * tee came from (buffer->pool), and each memory known by its root (an fd
 * memory by its file), so that two wrappers of one dma-buf are the same
 * memory and a copy is not. */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _DemoOrigins DemoOrigins;

/* Watches what enters @tee (an alloctee) and what each of @sinks receives,
 * from now on. Read it once the pipeline has stopped. */
DemoOrigins *demo_origins_watch (GstElement * tee, GPtrArray * sinks);
void demo_origins_free (DemoOrigins * origins);

/* Frames that entered the tee. */
guint demo_origins_frames (const DemoOrigins * origins);

/* The pools the other frames came from, "NAME (N of M frames)" joined by
 * ", ";
 * NULL when every frame came from the shared pool. */
gchar *demo_origins_describe_foreign (const DemoOrigins * origins);

/* Prints which pools the frames entering the tee came from. */
void demo_origins_print (const DemoOrigins * origins);

/* Frames sink @index received in the very memory the source pushed. */
guint demo_origins_source_memory (const DemoOrigins * origins, guint index);

/* Frames that every sink whose entry in @selected is TRUE received in the
 * very memory the source pushed; 0 when none is selected. */
guint demo_origins_shared_by (const DemoOrigins * origins,
    const gboolean * selected);

G_END_DECLS
