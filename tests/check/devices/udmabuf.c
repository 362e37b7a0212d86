/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The udmabuf backend against the kernel's udmabuf driver. Skipped (exit 77,
 * with the reason on stdout) when the device cannot be opened. */

#include <fcntl.h>

#include "dmabufdevice.h"

static GstAllocator *
make_udmabuf (const gchar * path)
{
  return gst_alloc_udmabuf_allocator_new (path);
}

static const DmabufDevice udmabuf = {
  "udmabuf", GST_ALLOC_UDMABUF_DEVICE, O_RDWR, "udmabuf", make_udmabuf
};

int
main (int argc, char **argv)
{
  return dmabuf_device_main (&udmabuf, argc, argv);
}
