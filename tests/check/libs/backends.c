/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The backends that need no device (memfd, system), the capability table of
 * DMA-heap names, and the remembered open failure of an absent heap. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

#include "testutil.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define MISSING_HEAP "/nonexistent/dma_heap/system"

static gsize
page_size (void)
{
  return sysconf (_SC_PAGESIZE);
}

static GstMemory *
backend_alloc (GstAllocator * allocator, gsize size)
{
  GError *error = NULL;
  GstMemory *mem;

  mem = gst_alloc_backend_alloc (GST_ALLOC_BACKEND (allocator), size, "test",
      &error);
  fail_unless (mem != NULL, "allocation failed: %s",
      error ? error->message : "?");
  return mem;
}

static gchar *
capabilities_string (GstAllocator * allocator)
{
  GstAllocCapabilities caps;

  gst_alloc_backend_get_capabilities (GST_ALLOC_BACKEND (allocator), &caps);
  return gst_alloc_capabilities_to_string (&caps);
}

static void
check_size_and_page_rounded_maxsize (GstAllocator * allocator)
{
  GstMemory *mem = backend_alloc (allocator, 1000);

  fail_unless_equals_uint64 (mem->size, 1000);
  fail_unless_equals_uint64 (mem->offset, 0);
  fail_unless_equals_uint64 (mem->maxsize, page_size ());
  gst_memory_unref (mem);
}

static void
check_write_then_read (GstAllocator * allocator)
{
  GstMemory *mem = backend_alloc (allocator, 3 * page_size () + 5);

  fail_unless_equals_uint64 (gst_memory_get_sizes (mem, NULL, NULL),
      3 * page_size () + 5);
  test_memory_write_then_read (mem);
  gst_memory_unref (mem);
}

static void
check_params_prefix_and_padding (GstAllocator * allocator)
{
  GstAllocationParams params;
  GstMemory *mem;

  gst_allocation_params_init (&params);
  params.prefix = 64;
  params.padding = 32;
  params.align = 15;
  mem = gst_allocator_alloc (allocator, 1000, &params);

  fail_unless (mem != NULL);
  fail_unless_equals_uint64 (mem->offset, 64);
  fail_unless_equals_uint64 (mem->size, 1000);
  fail_unless (mem->maxsize >= 64 + 1000 + 32);
  gst_memory_unref (mem);
}

static void
check_no_fd_leak (GstAllocator * allocator, guint cycles)
{
  guint before = test_count_open_fds ();
  guint i;

  for (i = 0; i < cycles; i++)
    gst_memory_unref (gst_allocator_alloc (allocator, 4096, NULL));
  fail_unless_equals_int (test_count_open_fds (), before);
}

GST_START_TEST (test_memfd_size_is_requested_and_maxsize_page_rounded)
{
  GstAllocator *allocator = gst_alloc_memfd_allocator_new ();

  check_size_and_page_rounded_maxsize (allocator);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_memfd_memory_is_writable_and_readable)
{
  GstAllocator *allocator = gst_alloc_memfd_allocator_new ();

  check_write_then_read (allocator);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_memfd_fd_is_cloexec)
{
  GstAllocator *allocator = gst_alloc_memfd_allocator_new ();
  GstMemory *mem = backend_alloc (allocator, 100);
  int fd;

  fail_unless (gst_is_fd_memory (mem));
  fd = gst_fd_memory_get_fd (mem);
  fail_unless_equals_int (fcntl (fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  gst_memory_unref (mem);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_memfd_is_sealed_against_shrink_and_grow)
{
  GstAllocator *allocator = gst_alloc_memfd_allocator_new ();
  GstMemory *mem = backend_alloc (allocator, 100);
  int seals = fcntl (gst_fd_memory_get_fd (mem), F_GET_SEALS);

  fail_unless_equals_int (seals & (F_SEAL_SHRINK | F_SEAL_GROW),
      F_SEAL_SHRINK | F_SEAL_GROW);
  gst_memory_unref (mem);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_memfd_allocation_params_prefix_and_padding)
{
  GstAllocator *allocator = gst_alloc_memfd_allocator_new ();

  check_params_prefix_and_padding (allocator);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_memfd_does_not_leak_fds)
{
  GstAllocator *allocator = gst_alloc_memfd_allocator_new ();

  check_no_fd_leak (allocator, 10000);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_system_size_is_requested_and_maxsize_page_rounded)
{
  GstAllocator *allocator = gst_alloc_system_allocator_new ();

  check_size_and_page_rounded_maxsize (allocator);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_system_memory_is_writable_and_readable)
{
  GstAllocator *allocator = gst_alloc_system_allocator_new ();

  check_write_then_read (allocator);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_system_memory_is_page_aligned)
{
  GstAllocator *allocator = gst_alloc_system_allocator_new ();
  GstMemory *mem = backend_alloc (allocator, 100);
  GstMapInfo map;

  fail_unless (gst_memory_map (mem, &map, GST_MAP_READ));
  fail_unless_equals_uint64 ((guintptr) map.data % page_size (), 0);
  gst_memory_unmap (mem, &map);
  gst_memory_unref (mem);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_system_allocation_params_prefix_and_padding)
{
  GstAllocator *allocator = gst_alloc_system_allocator_new ();

  check_params_prefix_and_padding (allocator);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_system_zero_prefixed_and_padded_when_asked)
{
  GstAllocator *allocator = gst_alloc_system_allocator_new ();
  GstAllocationParams params;
  GstMapInfo map;
  GstMemory *mem;
  gsize i;

  gst_allocation_params_init (&params);
  params.prefix = 16;
  params.padding = 16;
  params.flags = GST_MEMORY_FLAG_ZERO_PREFIXED | GST_MEMORY_FLAG_ZERO_PADDED;
  mem = gst_allocator_alloc (allocator, 100, &params);

  fail_unless (GST_MEMORY_IS_ZERO_PREFIXED (mem));
  fail_unless (GST_MEMORY_IS_ZERO_PADDED (mem));
  gst_memory_resize (mem, -16, 132);
  fail_unless (gst_memory_map (mem, &map, GST_MAP_READ));
  for (i = 0; i < 16; i++) {
    fail_unless_equals_int (map.data[i], 0);
    fail_unless_equals_int (map.data[116 + i], 0);
  }
  gst_memory_unmap (mem, &map);
  gst_memory_unref (mem);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_system_does_not_leak_fds)
{
  GstAllocator *allocator = gst_alloc_system_allocator_new ();

  check_no_fd_leak (allocator, 10000);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_alignment_beyond_a_page_fails)
{
  GstAllocator *allocator = gst_alloc_memfd_allocator_new ();
  GstAllocationParams params;

  gst_allocation_params_init (&params);
  params.align = 2 * page_size () - 1;
  fail_unless (gst_allocator_alloc (allocator, 100, &params) == NULL);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_zero_size_fails_with_inval)
{
  GstAllocator *allocator = gst_alloc_memfd_allocator_new ();
  GError *error = NULL;

  fail_unless (gst_alloc_backend_alloc (GST_ALLOC_BACKEND (allocator), 0,
          NULL, &error) == NULL);
  fail_unless (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_INVAL));
  g_error_free (error);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_names_of_the_backends)
{
  GstAllocator *memfd = gst_alloc_memfd_allocator_new ();
  GstAllocator *system = gst_alloc_system_allocator_new ();
  GstAllocator *udmabuf = gst_alloc_udmabuf_allocator_new (NULL);
  GstAllocator *heap = gst_alloc_dma_heap_allocator_new ("/dev/dma_heap/foo");

  fail_unless_equals_string (GST_OBJECT_NAME (memfd), "memfd");
  fail_unless_equals_string (GST_OBJECT_NAME (system), "system");
  fail_unless_equals_string (GST_OBJECT_NAME (udmabuf), "udmabuf");
  fail_unless_equals_string (GST_OBJECT_NAME (heap), "dmaheap:foo");
  gst_object_unref (memfd);
  gst_object_unref (system);
  gst_object_unref (udmabuf);
  gst_object_unref (heap);
}

GST_END_TEST;

GST_START_TEST (test_capabilities_string_of_memfd)
{
  GstAllocator *allocator = gst_alloc_memfd_allocator_new ();
  gchar *str = capabilities_string (allocator);

  fail_unless_equals_string (str, "memfd, cached, not contiguous");
  g_free (str);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_capabilities_string_of_system)
{
  GstAllocator *allocator = gst_alloc_system_allocator_new ();
  gchar *str = capabilities_string (allocator);

  fail_unless_equals_string (str, "system, cached, not contiguous");
  g_free (str);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_capabilities_string_of_udmabuf)
{
  GstAllocator *allocator = gst_alloc_udmabuf_allocator_new (NULL);
  gchar *str = capabilities_string (allocator);

  fail_unless_equals_string (str, "dmabuf, cached, not contiguous");
  g_free (str);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_capabilities_string_of_system_heap)
{
  GstAllocator *allocator =
      gst_alloc_dma_heap_allocator_new ("/dev/dma_heap/system");
  gchar *str = capabilities_string (allocator);

  fail_unless_equals_string (str, "dmabuf, cached, not contiguous, "
      "heap system");
  g_free (str);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_capabilities_string_of_unknown_heap)
{
  GstAllocator *allocator =
      gst_alloc_dma_heap_allocator_new ("/dev/dma_heap/foo");
  gchar *str = capabilities_string (allocator);

  fail_unless_equals_string (str, "opaque heap foo");
  g_free (str);
  gst_object_unref (allocator);
}

GST_END_TEST;

static gchar *
heap_capabilities_string (const gchar * name)
{
  GstAllocCapabilities caps;

  gst_alloc_dma_heap_capabilities_for_name (name, &caps);
  fail_unless_equals_string (caps.heap, name);
  return gst_alloc_capabilities_to_string (&caps);
}

#define HEAP_CASE(test_name, heap, expected)                   \
GST_START_TEST (test_name)                                     \
{                                                              \
  gchar *str = heap_capabilities_string (heap);                \
                                                               \
  fail_unless_equals_string (str, expected);                   \
  g_free (str);                                                \
}                                                              \
GST_END_TEST

HEAP_CASE (test_heap_system_is_cached_not_contiguous, "system",
    "dmabuf, cached, not contiguous, heap system");
HEAP_CASE (test_heap_linux_cma_is_contiguous, "linux,cma",
    "dmabuf, cached, contiguous, heap linux,cma");
HEAP_CASE (test_heap_reserved_is_contiguous, "reserved",
    "dmabuf, cached, contiguous, heap reserved");
HEAP_CASE (test_heap_default_cma_region_is_contiguous, "default_cma_region",
    "dmabuf, cached, contiguous, heap default_cma_region");
HEAP_CASE (test_heap_default_pool_is_contiguous, "default-pool",
    "dmabuf, cached, contiguous, heap default-pool");
HEAP_CASE (test_heap_system_uncached_is_uncached, "system-uncached",
    "dmabuf, uncached, not contiguous, heap system-uncached");
HEAP_CASE (test_heap_unknown_name_is_opaque, "vendor-secure",
    "opaque heap vendor-secure");

/* What opening an absent heap does; a build without the DMA-heap backend
 * has a stub instead (libs/backenderrors tests it). */
#if GST_ALLOC_DMA_HEAP_BUILT
GST_START_TEST (test_missing_heap_fails_open_with_noent)
{
  GstAllocator *allocator = gst_alloc_dma_heap_allocator_new (MISSING_HEAP);
  GError *error = NULL;

  fail_if (gst_alloc_backend_open (GST_ALLOC_BACKEND (allocator), &error));
  fail_unless (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT));
  fail_unless (strstr (error->message, MISSING_HEAP) != NULL);
  g_error_free (error);
  gst_object_unref (allocator);
}

GST_END_TEST;

static guint open_warnings;
static gchar *open_warning;

static void
count_open_warnings (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  if (level != GST_LEVEL_WARNING
      || !g_str_equal (gst_debug_category_get_name (category), "allocbackend"))
    return;
  open_warnings++;
  g_free (open_warning);
  open_warning = g_strdup (gst_debug_message_get (message));
}

GST_START_TEST (test_missing_heap_open_error_is_remembered_and_logged_once)
{
  GstAllocator *allocator = gst_alloc_dma_heap_allocator_new (MISSING_HEAP);
  GstAllocBackend *backend = GST_ALLOC_BACKEND (allocator);
  GError *error1 = NULL, *error2 = NULL;

  gst_debug_set_threshold_for_name ("allocbackend", GST_LEVEL_WARNING);
  gst_debug_add_log_function (count_open_warnings, NULL, NULL);
  open_warnings = 0;

  fail_if (gst_alloc_backend_open (backend, &error1));
  fail_if (gst_alloc_backend_open (backend, &error2));
  fail_unless_equals_int (error2->domain, error1->domain);
  fail_unless_equals_int (error2->code, error1->code);
  fail_unless_equals_string (error2->message, error1->message);
  fail_unless_equals_int (open_warnings, 1);
  /* With the advice for a missing node. */
  fail_unless (strstr (open_warning, "its driver is not built or not "
          "loaded") != NULL, "%s", open_warning);

  gst_debug_remove_log_function (count_open_warnings);
  g_error_free (error1);
  g_error_free (error2);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_missing_heap_alloc_fails_with_open_error)
{
  GstAllocator *allocator = gst_alloc_dma_heap_allocator_new (MISSING_HEAP);
  GError *error = NULL;

  fail_unless (gst_alloc_backend_alloc (GST_ALLOC_BACKEND (allocator), 4096,
          NULL, &error) == NULL);
  fail_unless (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT));
  fail_unless (gst_allocator_alloc (allocator, 4096, NULL) == NULL);
  g_error_free (error);
  gst_object_unref (allocator);
}

GST_END_TEST;
#endif

static Suite *
backends_suite (void)
{
  Suite *s = suite_create ("backends");
  TCase *memfd = tcase_create ("memfd");
  TCase *system = tcase_create ("system");
  TCase *general = tcase_create ("general");
  TCase *heaps = tcase_create ("heaps");

  suite_add_tcase (s, memfd);
  tcase_add_test (memfd, test_memfd_size_is_requested_and_maxsize_page_rounded);
  tcase_add_test (memfd, test_memfd_memory_is_writable_and_readable);
  tcase_add_test (memfd, test_memfd_fd_is_cloexec);
  tcase_add_test (memfd, test_memfd_is_sealed_against_shrink_and_grow);
  tcase_add_test (memfd, test_memfd_allocation_params_prefix_and_padding);
  tcase_add_test (memfd, test_memfd_does_not_leak_fds);

  suite_add_tcase (s, system);
  tcase_add_test (system,
      test_system_size_is_requested_and_maxsize_page_rounded);
  tcase_add_test (system, test_system_memory_is_writable_and_readable);
  tcase_add_test (system, test_system_memory_is_page_aligned);
  tcase_add_test (system, test_system_allocation_params_prefix_and_padding);
  tcase_add_test (system, test_system_zero_prefixed_and_padded_when_asked);
  tcase_add_test (system, test_system_does_not_leak_fds);

  suite_add_tcase (s, general);
  tcase_add_test (general, test_alignment_beyond_a_page_fails);
  tcase_add_test (general, test_zero_size_fails_with_inval);
  tcase_add_test (general, test_names_of_the_backends);
  tcase_add_test (general, test_capabilities_string_of_memfd);
  tcase_add_test (general, test_capabilities_string_of_system);
  tcase_add_test (general, test_capabilities_string_of_udmabuf);
  tcase_add_test (general, test_capabilities_string_of_system_heap);
  tcase_add_test (general, test_capabilities_string_of_unknown_heap);

  suite_add_tcase (s, heaps);
  tcase_add_test (heaps, test_heap_system_is_cached_not_contiguous);
  tcase_add_test (heaps, test_heap_linux_cma_is_contiguous);
  tcase_add_test (heaps, test_heap_reserved_is_contiguous);
  tcase_add_test (heaps, test_heap_default_cma_region_is_contiguous);
  tcase_add_test (heaps, test_heap_default_pool_is_contiguous);
  tcase_add_test (heaps, test_heap_system_uncached_is_uncached);
  tcase_add_test (heaps, test_heap_unknown_name_is_opaque);
#if GST_ALLOC_DMA_HEAP_BUILT
  tcase_add_test (heaps, test_missing_heap_fails_open_with_noent);
  tcase_add_test (heaps,
      test_missing_heap_open_error_is_remembered_and_logged_once);
  tcase_add_test (heaps, test_missing_heap_alloc_fails_with_open_error);
#endif
  return s;
}

int
main (int argc, char **argv)
{
  gst_check_init (&argc, &argv);
  gst_alloc_init ();
  return gst_check_run_suite (backends_suite (), "backends", __FILE__);
}
