/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Built instead of gstallocdmabufallocator.c without linux/dma-buf.h: the
 * base type alone, so the API stays the same. Every dma-buf backend is then
 * a stub whose open says what the build lacked, so nothing ever allocates
 * through this class. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocbackend-private.h"

G_DEFINE_ABSTRACT_TYPE (GstAllocDmabufAllocator, gst_alloc_dmabuf_allocator,
    GST_TYPE_DMABUF_ALLOCATOR);

static void
gst_alloc_dmabuf_allocator_class_init (GstAllocDmabufAllocatorClass * klass)
{
  GST_ALLOCATOR_CLASS (klass)->alloc = gst_alloc_backend_allocator_alloc;
}

static void
gst_alloc_dmabuf_allocator_init (GstAllocDmabufAllocator * self)
{
}

/* Kept so the backends' type files, built everywhere, can name their node;
 * without dma-buf support it is never opened. */
void
gst_alloc_dmabuf_allocator_set_node (GstAllocDmabufAllocator * self,
    const gchar * path, int open_flags)
{
}
