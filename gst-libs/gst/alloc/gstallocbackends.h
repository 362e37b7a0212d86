/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/gstallocbackend.h>
#include <gst/allocators/allocators.h>

G_BEGIN_DECLS

/* The concrete backends, one source file each. All of them are #GstAllocator
 * subclasses implementing #GstAllocBackend; their memories are page-aligned
 * and their fds are O_CLOEXEC. */

/**
 * GST_ALLOC_DMA_HEAP_DIR:
 *
 * Where the kernel exposes DMA heaps.
 *
 * Since: 1.0
 */
#define GST_ALLOC_DMA_HEAP_DIR "/dev/dma_heap"

/**
 * GST_ALLOC_UDMABUF_DEVICE:
 *
 * The udmabuf device node.
 *
 * Since: 1.0
 */
#define GST_ALLOC_UDMABUF_DEVICE "/dev/udmabuf"

#define GST_TYPE_ALLOC_DMABUF_ALLOCATOR (gst_alloc_dmabuf_allocator_get_type ())
GST_ALLOC_API
G_DECLARE_DERIVABLE_TYPE (GstAllocDmabufAllocator, gst_alloc_dmabuf_allocator,
    GST, ALLOC_DMABUF_ALLOCATOR, GstDmaBufAllocator)

/**
 * GstAllocDmabufAllocatorClass:
 *
 * Base of the dma-buf backends: wraps dma-buf fds as #GstDmaBufAllocator
 * memory whose CPU map and unmap are bracketed with DMA_BUF_IOCTL_SYNC,
 * retried on EINTR and (a few times) on EAGAIN. It owns the device node
 * each backend allocates through.
 *
 * Since: 1.0
 */
struct _GstAllocDmabufAllocatorClass
{
  GstDmaBufAllocatorClass parent_class;

  /*< private >*/
  gpointer _gst_reserved[GST_PADDING];
};

#define GST_TYPE_ALLOC_DMA_HEAP_ALLOCATOR (gst_alloc_dma_heap_allocator_get_type ())
GST_ALLOC_API
G_DECLARE_FINAL_TYPE (GstAllocDmaHeapAllocator, gst_alloc_dma_heap_allocator,
    GST, ALLOC_DMA_HEAP_ALLOCATOR, GstAllocDmabufAllocator)

GST_ALLOC_API
GstAllocator *gst_alloc_dma_heap_allocator_new (const gchar * path);

GST_ALLOC_API
void gst_alloc_dma_heap_capabilities_for_name (const gchar * heap_name,
    GstAllocCapabilities * caps);

#define GST_TYPE_ALLOC_UDMABUF_ALLOCATOR (gst_alloc_udmabuf_allocator_get_type ())
GST_ALLOC_API
G_DECLARE_FINAL_TYPE (GstAllocUdmabufAllocator, gst_alloc_udmabuf_allocator,
    GST, ALLOC_UDMABUF_ALLOCATOR, GstAllocDmabufAllocator)

GST_ALLOC_API
GstAllocator *gst_alloc_udmabuf_allocator_new (const gchar * device_path);

#define GST_TYPE_ALLOC_MEMFD_ALLOCATOR (gst_alloc_memfd_allocator_get_type ())
GST_ALLOC_API
G_DECLARE_FINAL_TYPE (GstAllocMemfdAllocator, gst_alloc_memfd_allocator,
    GST, ALLOC_MEMFD_ALLOCATOR, GstFdAllocator)

GST_ALLOC_API
GstAllocator *gst_alloc_memfd_allocator_new (void);

#define GST_TYPE_ALLOC_SYSTEM_ALLOCATOR (gst_alloc_system_allocator_get_type ())
GST_ALLOC_API
G_DECLARE_FINAL_TYPE (GstAllocSystemAllocator, gst_alloc_system_allocator,
    GST, ALLOC_SYSTEM_ALLOCATOR, GstAllocator)

GST_ALLOC_API
GstAllocator *gst_alloc_system_allocator_new (void);

G_END_DECLS
