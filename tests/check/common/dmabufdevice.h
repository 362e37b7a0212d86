/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/alloc.h>

G_BEGIN_DECLS

/* A dma-buf backend on a real device node, and what the kernel must say
 * about the buffers it gives. */
typedef struct
{
  const gchar *name;            /* suite name */
  const gchar *path;            /* device node */
  int open_flags;               /* to check it can be opened */
  const gchar *exporter;        /* fdinfo exp_name of its buffers */
  GstAllocator *(*make) (const gchar * path);
} DmabufDevice;

/* Runs the shared device suite, or exits 77 (meson's skip) printing why
 * when the node cannot be opened. */
int dmabuf_device_main (const DmabufDevice * device, int argc, char **argv);

G_END_DECLS
