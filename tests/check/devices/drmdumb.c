/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The DRM dumb-buffer backend on vgem: chosen only when a consumer names
 * heaps=drm:card0, gives dma-bufs exported by the device, CPU access works,
 * no fd leaks. Skipped (exit 77, with the reason on stdout) without
 * /dev/dri/card0. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>
#include <gst/alloc/gstallocdrm.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define CARD_PATH "/dev/dri/card0"
#define HEAP_NAME "drm:card0"

/* A started GstAllocPool (default solver) for NV12 640x480 with @set. */
static GstBufferPool *
start_pool (const gchar * set)
{
  GstAllocConstraints *c = gst_alloc_constraints_from_string (set, "test",
      NULL);
  GstBufferPool *pool = gst_alloc_pool_new (NULL);
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstVideoInfo info;
  GstCaps *caps;

  fail_unless (c != NULL);
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_NV12, 640, 480);
  caps = gst_video_info_to_caps (&info);
  gst_buffer_pool_config_set_params (config, caps, info.size, 3, 3);
  gst_alloc_pool_config_set_constraints (config, c);
  if (!gst_buffer_pool_set_config (pool, config))
    fail_unless (gst_buffer_pool_set_config (pool,
            gst_buffer_pool_get_config (pool)));
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  gst_caps_unref (caps);
  gst_alloc_constraints_free (c);
  return pool;
}

static void
stop_pool (GstBufferPool * pool)
{
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
}

GST_START_TEST (test_pool_naming_the_card_gives_its_dmabufs)
{
  GstBufferPool *pool = start_pool ("heaps=" HEAP_NAME);
  GstBuffer *buffer = NULL;
  GstMemory *mem;

  fail_unless_equals_string (GST_OBJECT_NAME (gst_alloc_pool_get_backend
          (GST_ALLOC_POOL (pool))), HEAP_NAME);
  fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buffer,
          NULL), GST_FLOW_OK);
  mem = gst_buffer_peek_memory (buffer, 0);
  fail_unless (gst_is_dmabuf_memory (mem));
  fail_unless_equals_string (GST_OBJECT_NAME (mem->allocator), HEAP_NAME);
  gst_buffer_unref (buffer);
  stop_pool (pool);
}

GST_END_TEST;

GST_START_TEST (test_unnamed_card_is_not_chosen)
{
  GstBufferPool *pool = start_pool ("memory=dmabuf");

  /* Opaque: a consumer asking only for dma-bufs gets a heap or udmabuf. */
  fail_if (g_str_has_prefix (GST_OBJECT_NAME (gst_alloc_pool_get_backend
              (GST_ALLOC_POOL (pool))), "drm:"));
  stop_pool (pool);
}

GST_END_TEST;

GST_START_TEST (test_exporter_is_drm_prime)
{
  GstAllocator *allocator = gst_alloc_drm_dumb_allocator_new (CARD_PATH);
  GstMemory *mem;
  gchar *exporter;

  mem = gst_alloc_backend_alloc (GST_ALLOC_BACKEND (allocator), 100000,
      "drmdumb-test", NULL);
  fail_unless (mem != NULL);
  /* DRM's generic PRIME export (drm_gem_prime_export(), which vgem uses)
   * names the exporter after the DRM core module, not the driver. */
  exporter = gst_alloc_dmabuf_get_exporter (gst_dmabuf_memory_get_fd (mem));
  fail_unless_equals_string (exporter, "drm");
  g_free (exporter);
  gst_memory_unref (mem);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_memory_is_writable_and_readable)
{
  GstAllocator *allocator = gst_alloc_drm_dumb_allocator_new (CARD_PATH);
  GstMemory *mem;

  mem = gst_allocator_alloc (allocator, 3 * 4096 + 5, NULL);
  fail_unless (mem != NULL);
  fail_unless_equals_uint64 (mem->size, 3 * 4096 + 5);
  fail_unless (mem->maxsize >= mem->size);
  test_memory_write_then_read (mem);
  fail_unless_equals_int (fcntl (gst_dmabuf_memory_get_fd (mem), F_GETFD) &
      FD_CLOEXEC, FD_CLOEXEC);
  gst_memory_unref (mem);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_does_not_leak_fds)
{
  GstAllocator *allocator = gst_alloc_drm_dumb_allocator_new (CARD_PATH);
  guint before, i;

  /* The card node stays open for the allocator's life. */
  gst_memory_unref (gst_allocator_alloc (allocator, 4096, NULL));
  before = test_count_open_fds ();
  for (i = 0; i < 500; i++)
    gst_memory_unref (gst_allocator_alloc (allocator, 65536, NULL));
  fail_unless_equals_int (test_count_open_fds (), before);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_capabilities_are_opaque_with_the_card_name)
{
  GstAllocator *allocator = gst_alloc_drm_dumb_allocator_new (CARD_PATH);
  GstAllocCapabilities caps;

  fail_unless_equals_string (GST_OBJECT_NAME (allocator), HEAP_NAME);
  gst_alloc_backend_get_capabilities (GST_ALLOC_BACKEND (allocator), &caps);
  fail_unless_equals_int (caps.memory, GST_ALLOC_MEMORY_DMABUF);
  fail_unless_equals_string (caps.heap, HEAP_NAME);
  fail_unless (caps.opaque);
  fail_unless (gst_allocator_find ("gstalloc-drm-card0") != NULL);
  gst_object_unref (gst_allocator_find ("gstalloc-drm-card0"));
  gst_object_unref (allocator);
}

GST_END_TEST;

static Suite *
drmdumb_suite (void)
{
  Suite *s = suite_create ("drmdumb");
  TCase *tc = tcase_create ("vgem");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_pool_naming_the_card_gives_its_dmabufs);
  tcase_add_test (tc, test_unnamed_card_is_not_chosen);
  tcase_add_test (tc, test_exporter_is_drm_prime);
  tcase_add_test (tc, test_memory_is_writable_and_readable);
  tcase_add_test (tc, test_does_not_leak_fds);
  tcase_add_test (tc, test_capabilities_are_opaque_with_the_card_name);
  return s;
}

int
main (int argc, char **argv)
{
  if (access (CARD_PATH, F_OK) < 0) {
    printf ("SKIP: %s: %s\n", CARD_PATH, g_strerror (errno));
    return 77;
  }
  gst_check_init (&argc, &argv);
  gst_alloc_init ();
  /* Registers the default solver's backends, gstalloc-drm-card0 among them. */
  gst_alloc_solver_get_default ();
  return gst_check_run_suite (drmdumb_suite (), "drmdumb", __FILE__);
}
