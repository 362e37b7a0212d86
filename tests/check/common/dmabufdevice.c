/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The tests every dma-buf backend must pass on its real device: dma-buf
 * memory, the exporter the kernel names, the buffer's name, CPU access
 * through DMA_BUF_IOCTL_SYNC, O_CLOEXEC, no fd leak, and no contiguity
 * claimed that the memory does not have. */

#include "dmabufdevice.h"
#include "testutil.h"

#include <gst/check/gstcheck.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#define BUFFER_NAME "gst-alloc-test"

/* GstCheck tests take no arguments: the device under test is set once by
 * dmabuf_device_main() before the suite runs. */
static const DmabufDevice *device;

static GstMemory *
device_alloc (GstAllocator * allocator, gsize size)
{
  GError *error = NULL;
  GstMemory *mem;

  mem = gst_alloc_backend_alloc (GST_ALLOC_BACKEND (allocator), size,
      BUFFER_NAME, &error);
  fail_unless (mem != NULL, "allocation failed: %s",
      error ? error->message : "?");
  return mem;
}

GST_START_TEST (test_device_memory_is_dmabuf)
{
  GstAllocator *allocator = device->make (device->path);
  GstMemory *mem = device_alloc (allocator, 1000);

  fail_unless (gst_is_dmabuf_memory (mem));
  fail_unless_equals_uint64 (mem->size, 1000);
  fail_unless_equals_uint64 (mem->maxsize, sysconf (_SC_PAGESIZE));
  gst_memory_unref (mem);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_device_exporter_is_the_kernel_driver)
{
  GstAllocator *allocator = device->make (device->path);
  GstMemory *mem = device_alloc (allocator, 4096);
  gchar *exporter =
      test_fdinfo_value (gst_dmabuf_memory_get_fd (mem), "exp_name");

  fail_unless_equals_string (exporter, device->exporter);
  g_free (exporter);
  gst_memory_unref (mem);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_device_buffer_carries_its_name)
{
  GstAllocator *allocator = device->make (device->path);
  GstMemory *mem = device_alloc (allocator, 4096);
  gchar *name = test_fdinfo_value (gst_dmabuf_memory_get_fd (mem), "name");

  /* Kernels before 5.16 do not show buffer names in fdinfo. */
  if (name) {
    fail_unless_equals_string (name, BUFFER_NAME);
  } else {
    GST_INFO ("kernel does not show dma-buf names in fdinfo");
  }
  g_free (name);
  gst_memory_unref (mem);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_device_memory_is_writable_and_readable)
{
  GstAllocator *allocator = device->make (device->path);
  GstMemory *mem = device_alloc (allocator, 3 * 4096 + 5);

  test_memory_write_then_read (mem);
  gst_memory_unref (mem);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_device_fd_is_cloexec)
{
  GstAllocator *allocator = device->make (device->path);
  GstMemory *mem = device_alloc (allocator, 4096);
  int fd = gst_dmabuf_memory_get_fd (mem);

  fail_unless_equals_int (fcntl (fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  gst_memory_unref (mem);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_device_does_not_leak_fds)
{
  GstAllocator *allocator = device->make (device->path);
  guint before, i;

  /* Open the node first: it stays open for the allocator's life. */
  gst_memory_unref (device_alloc (allocator, 4096));
  before = test_count_open_fds ();
  for (i = 0; i < 1000; i++)
    gst_memory_unref (gst_allocator_alloc (allocator, 4096, NULL));
  fail_unless_equals_int (test_count_open_fds (), before);
  gst_object_unref (allocator);
}

GST_END_TEST;

/* Physically contiguous memory is given, flagged, only by a backend whose
 * memory is (a CMA heap); any other refuses the request. */
GST_START_TEST (test_device_flags_contiguity_only_when_true)
{
  GstAllocator *allocator = device->make (device->path);
  GstAllocationParams params;
  GstAllocCapabilities caps;
  GstMemory *mem;

  gst_alloc_backend_get_capabilities (GST_ALLOC_BACKEND (allocator), &caps);
  gst_allocation_params_init (&params);
  params.flags = GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS;
  mem = gst_allocator_alloc (allocator, 4096, &params);
  if (caps.contiguous) {
    fail_unless (mem != NULL);
    fail_unless (GST_MEMORY_FLAG_IS_SET (mem,
            GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS));
    gst_memory_unref (mem);
  } else {
    fail_unless (mem == NULL, "%s is not contiguous, yet gave memory for a "
        "contiguous request", GST_OBJECT_NAME (allocator));
  }
  gst_object_unref (allocator);
}

GST_END_TEST;

static Suite *
device_suite (void)
{
  Suite *s = suite_create (device->name);
  TCase *tc = tcase_create (device->name);

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_device_memory_is_dmabuf);
  tcase_add_test (tc, test_device_exporter_is_the_kernel_driver);
  tcase_add_test (tc, test_device_buffer_carries_its_name);
  tcase_add_test (tc, test_device_memory_is_writable_and_readable);
  tcase_add_test (tc, test_device_fd_is_cloexec);
  tcase_add_test (tc, test_device_does_not_leak_fds);
  tcase_add_test (tc, test_device_flags_contiguity_only_when_true);
  return s;
}

int
dmabuf_device_main (const DmabufDevice * dev, int argc, char **argv)
{
  int fd, errsv;

  fd = open (dev->path, dev->open_flags | O_CLOEXEC);
  if (fd < 0) {
    errsv = errno;
    printf ("SKIP: %s: %s\n", dev->path, g_strerror (errsv));
    return 77;
  }
  close (fd);

  device = dev;
  gst_check_init (&argc, &argv);
  gst_alloc_init ();
  return gst_check_run_suite (device_suite (), device->name, __FILE__);
}
