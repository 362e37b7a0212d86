/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS
#define GST_TYPE_ALLOC_COPIES_TRACER (gst_alloc_copies_tracer_get_type ())
G_DECLARE_FINAL_TYPE (GstAllocCopiesTracer, gst_alloc_copies_tracer, GST,
    ALLOC_COPIES_TRACER, GstTracer);

/* What one pad did. Source pads classify every buffer they push; sink pads
 * only count what they received. */
typedef struct
{
  gchar *name;
  gboolean is_src;
  guint64 buffers;
  guint64 memories_new;         /* memories the tracer had never seen */
  guint64 recycled;             /* memories this element had pushed before */
  guint64 passthrough;          /* buffers entirely on received memory */
  guint64 copies;               /* buffers on memory the element did not receive */
  guint64 produced;             /* buffers of an element that receives nothing */
  guint64 bytes_copied;
  guint64 bytes_new;
  GHashTable *backends;         /* kind name -> count (GUINT_TO_POINTER) */
  GHashTable *allocators;       /* allocator mem_type -> count */
  GHashTable *heaps;            /* dma-buf exporter -> count */
  GHashTable *pools;            /* pool name -> count */
} GstAllocCopiesPad;

typedef struct
{
  gchar *name;
  gchar *path;                  /* names from the top-level bin down */
  gchar *factory;
  guint64 received;             /* buffers received on its sink pads */
  GPtrArray *pads;              /* GstAllocCopiesPad, in first-seen order */
} GstAllocCopiesElement;

/* Reporting, in gstalloccopies-report.c; called with the tracer's lock held.
 * @elements holds GstAllocCopiesElement in first-seen order. */
gchar *gst_alloc_copies_report_text (GPtrArray * elements);
gchar *gst_alloc_copies_report_json (GPtrArray * elements);

G_END_DECLS
