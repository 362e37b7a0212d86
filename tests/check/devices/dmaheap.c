/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The DMA-heap backend against the kernel's system heap. Skipped (exit 77,
 * with the reason on stdout) when the heap cannot be opened. */

#include <fcntl.h>

#include "dmabufdevice.h"

static GstAllocator *
make_heap (const gchar * path)
{
  return gst_alloc_dma_heap_allocator_new (path);
}

static const DmabufDevice system_heap = {
  "dmaheap", GST_ALLOC_DMA_HEAP_DIR "/system", O_RDONLY, "system", make_heap
};

int
main (int argc, char **argv)
{
  return dmabuf_device_main (&system_heap, argc, argv);
}
