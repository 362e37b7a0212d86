/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The udmabuf backend against the kernel's udmabuf driver. Skipped (exit 77,
 * with the reason on stdout) when the device cannot be opened. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define DEVICE_PATH GST_ALLOC_UDMABUF_DEVICE
#define BUFFER_NAME "gst-alloc-test"

static GstAllocator *
udmabuf_new (void)
{
  return gst_alloc_udmabuf_allocator_new (DEVICE_PATH);
}

static GstMemory *
udmabuf_alloc (GstAllocator * allocator, gsize size)
{
  GError *error = NULL;
  GstMemory *mem;

  mem = gst_alloc_backend_alloc (GST_ALLOC_BACKEND (allocator), size,
      BUFFER_NAME, &error);
  fail_unless (mem != NULL, "allocation failed: %s",
      error ? error->message : "?");
  return mem;
}

/* The value of "@key:" in /proc/self/fdinfo/<fd>, or NULL if absent. */
static gchar *
fdinfo_value (int fd, const gchar * key)
{
  gchar *path = g_strdup_printf ("/proc/self/fdinfo/%d", fd);
  gchar *contents = NULL, *value = NULL;
  gchar **lines;
  gsize key_len = strlen (key);
  guint i;

  fail_unless (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i] && !value; i++) {
    if (strncmp (lines[i], key, key_len) == 0 && lines[i][key_len] == ':')
      value = g_strstrip (g_strdup (lines[i] + key_len + 1));
  }
  g_strfreev (lines);
  g_free (contents);
  g_free (path);
  return value;
}

static guint
count_open_fds (void)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  fail_unless (dir != NULL);
  while (g_dir_read_name (dir))
    n++;
  g_dir_close (dir);
  return n;
}

GST_START_TEST (test_udmabuf_memory_is_dmabuf)
{
  GstAllocator *allocator = udmabuf_new ();
  GstMemory *mem = udmabuf_alloc (allocator, 1000);

  fail_unless (gst_is_dmabuf_memory (mem));
  fail_unless_equals_uint64 (mem->size, 1000);
  fail_unless_equals_uint64 (mem->maxsize, sysconf (_SC_PAGESIZE));
  gst_memory_unref (mem);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_udmabuf_exporter_is_udmabuf)
{
  GstAllocator *allocator = udmabuf_new ();
  GstMemory *mem = udmabuf_alloc (allocator, 4096);
  gchar *exporter = fdinfo_value (gst_dmabuf_memory_get_fd (mem), "exp_name");

  fail_unless_equals_string (exporter, "udmabuf");
  g_free (exporter);
  gst_memory_unref (mem);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_udmabuf_buffer_carries_its_name)
{
  GstAllocator *allocator = udmabuf_new ();
  GstMemory *mem = udmabuf_alloc (allocator, 4096);
  gchar *name = fdinfo_value (gst_dmabuf_memory_get_fd (mem), "name");

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

GST_START_TEST (test_udmabuf_memory_is_writable_and_readable)
{
  GstAllocator *allocator = udmabuf_new ();
  GstMemory *mem = udmabuf_alloc (allocator, 3 * 4096 + 5);
  GstMapInfo map;
  gsize i;

  fail_unless (gst_memory_map (mem, &map, GST_MAP_WRITE));
  for (i = 0; i < map.size; i++)
    map.data[i] = i % 251;
  gst_memory_unmap (mem, &map);

  fail_unless (gst_memory_map (mem, &map, GST_MAP_READ));
  for (i = 0; i < map.size; i++)
    fail_unless_equals_int (map.data[i], i % 251);
  gst_memory_unmap (mem, &map);
  gst_memory_unref (mem);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_udmabuf_fd_is_cloexec)
{
  GstAllocator *allocator = udmabuf_new ();
  GstMemory *mem = udmabuf_alloc (allocator, 4096);
  int fd = gst_dmabuf_memory_get_fd (mem);

  fail_unless_equals_int (fcntl (fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  gst_memory_unref (mem);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_udmabuf_does_not_leak_fds)
{
  GstAllocator *allocator = udmabuf_new ();
  guint before, i;

  /* Open the device first: it stays open for the allocator's life. */
  gst_memory_unref (udmabuf_alloc (allocator, 4096));
  before = count_open_fds ();
  for (i = 0; i < 1000; i++)
    gst_memory_unref (gst_allocator_alloc (allocator, 4096, NULL));
  fail_unless_equals_int (count_open_fds (), before);
  gst_object_unref (allocator);
}

GST_END_TEST;

static Suite *
udmabuf_suite (void)
{
  Suite *s = suite_create ("udmabuf");
  TCase *tc = tcase_create ("udmabuf");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_udmabuf_memory_is_dmabuf);
  tcase_add_test (tc, test_udmabuf_exporter_is_udmabuf);
  tcase_add_test (tc, test_udmabuf_buffer_carries_its_name);
  tcase_add_test (tc, test_udmabuf_memory_is_writable_and_readable);
  tcase_add_test (tc, test_udmabuf_fd_is_cloexec);
  tcase_add_test (tc, test_udmabuf_does_not_leak_fds);
  return s;
}

int
main (int argc, char **argv)
{
  int fd, errsv;

  fd = open (DEVICE_PATH, O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    errsv = errno;
    printf ("SKIP: %s: %s\n", DEVICE_PATH, g_strerror (errsv));
    return 77;
  }
  close (fd);

  gst_check_init (&argc, &argv);
  gst_alloc_init ();
  return gst_check_run_suite (udmabuf_suite (), "udmabuf", __FILE__);
}
