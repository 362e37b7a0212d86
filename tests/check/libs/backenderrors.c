/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How backends fail: a contiguity they cannot give is refused rather than
 * claimed, every runtime error names the backend, the operation and errno's
 * text, an ioctl that keeps answering EAGAIN is given up on, and a backend
 * this build lacks says so. The kernel is faked where a failure cannot be
 * provoked (fakeioctl.c). Only the backend headers are included: what this
 * file calls is declared where its name says. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/alloc/gstallocbackend.h>
#include <gst/alloc/gstallocbackends.h>

#include "fakeioctl.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

/* The kernel UAPI values the fake kernel answers, as linux/dma-heap.h and
 * linux/udmabuf.h define them: the tests must build where the headers (and
 * so the backends) are missing. */
struct fake_dma_heap_allocation_data
{
  guint64 len;
  guint32 fd;
  guint32 fd_flags;
  guint64 heap_flags;
};
#define FAKE_DMA_HEAP_IOCTL_ALLOC \
  _IOWR ('H', 0x0, struct fake_dma_heap_allocation_data)
struct fake_udmabuf_create
{
  guint32 memfd;
  guint32 flags;
  guint64 offset;
  guint64 size;
};
#define FAKE_UDMABUF_CREATE _IOW ('u', 0x42, struct fake_udmabuf_create)

/* A node any user can open read-write; the fake kernel answers its ioctls. */
#define FAKE_NODE "/dev/null"
#define MISSING_HEAP "/nonexistent/dma_heap/system"

static GstMemory *
alloc_with_flags (GstAllocator * allocator, GstMemoryFlags flags)
{
  GstAllocationParams params;

  gst_allocation_params_init (&params);
  params.flags = flags;
  return gst_allocator_alloc (allocator, 4096, &params);
}

static void
check_contiguity_refused (GstAllocator * allocator)
{
  GstMemory *mem;

  mem = alloc_with_flags (allocator, GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS);
  fail_unless (mem == NULL, "%s gave memory flagged physically contiguous",
      GST_OBJECT_NAME (allocator));
  /* The same request without the flag is served. */
  mem = alloc_with_flags (allocator, 0);
  fail_unless (mem != NULL);
  fail_if (GST_MEMORY_FLAG_IS_SET (mem, GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS));
  gst_memory_unref (mem);
}

GST_START_TEST (test_memfd_refuses_a_physically_contiguous_request)
{
  GstAllocator *allocator = gst_alloc_memfd_allocator_new ();

  check_contiguity_refused (allocator);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_system_refuses_a_physically_contiguous_request)
{
  GstAllocator *allocator = gst_alloc_system_allocator_new ();

  check_contiguity_refused (allocator);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_memfd_out_of_fds_names_backend_operation_and_errno)
{
  GstAllocator *allocator = gst_alloc_memfd_allocator_new ();
  GPtrArray *held =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gst_memory_unref);
  struct rlimit limit;
  GError *error = NULL;
  GstMemory *mem;

  /* As with `ulimit -n`: a few more fds than are open now. GstCheck runs
   * each test in its own process, so the limit ends with the test. */
  fail_unless_equals_int (getrlimit (RLIMIT_NOFILE, &limit), 0);
  limit.rlim_cur = 64;
  fail_unless_equals_int (setrlimit (RLIMIT_NOFILE, &limit), 0);
  do {
    mem = gst_alloc_backend_alloc (GST_ALLOC_BACKEND (allocator), 4096, NULL,
        &error);
    if (mem)
      g_ptr_array_add (held, mem);
  } while (mem && held->len < 1000);

  fail_unless (error != NULL, "still allocating after %u memfds", held->len);
  fail_unless_equals_string (error->message,
      "memfd: memfd_create: Too many open files");
  fail_unless (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_MFILE));
  g_error_free (error);
  g_ptr_array_unref (held);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_mismatch_names_the_constraint_and_who_asked)
{
  GstAllocator *allocator = gst_alloc_memfd_allocator_new ();
  GstAllocConstraints *c =
      gst_alloc_constraints_from_string ("contiguous=true", "camera", NULL);
  gchar *why = gst_alloc_backend_mismatch (GST_ALLOC_BACKEND (allocator), c);

  fail_unless_equals_string (why, "is not physically contiguous but "
      "contiguous=true (asked by camera)");
  g_free (why);
  gst_alloc_constraints_free (c);
  gst_object_unref (allocator);
}

GST_END_TEST;

/* The fake kernel: @request fails with errno @errsv the first @times calls
 * (all of them when @times is 0), everything else reaches the kernel. */
typedef struct
{
  unsigned long request;
  int errsv;
  guint times;
  guint seen;
} Refusal;

G_GNUC_UNUSED static gboolean
refuse (int fd, unsigned long request, void *arg, int *result, gpointer data)
{
  Refusal *r = data;

  if (request != r->request)
    return FALSE;
  r->seen++;
  if (r->times && r->seen > r->times) {
    errno = ENOTTY;
  } else {
    errno = r->errsv;
  }
  *result = -1;
  return TRUE;
}

G_GNUC_UNUSED static GError *
alloc_error (GstAllocator * allocator)
{
  GError *error = NULL;

  fail_unless (gst_alloc_backend_alloc (GST_ALLOC_BACKEND (allocator), 4096,
          NULL, &error) == NULL);
  fail_unless (error != NULL);
  return error;
}

/* Opening a backend this build lacks fails with NOSYS, saying what. */
G_GNUC_UNUSED static void
check_unbuilt (GstAllocator * allocator, const gchar * missing)
{
  GError *error = NULL;
  gchar *expected = g_strdup_printf ("%s: built without %s",
      GST_OBJECT_NAME (allocator), missing);

  fail_if (gst_alloc_backend_open (GST_ALLOC_BACKEND (allocator), &error));
  fail_unless (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOSYS));
  fail_unless_equals_string (error->message, expected);
  fail_unless (gst_allocator_alloc (allocator, 4096, NULL) == NULL);
  g_error_free (error);
  g_free (expected);
  gst_object_unref (allocator);
}

/* ---- the DMA-heap backend, or its stub ---- */

#if GST_ALLOC_DMA_HEAP_BUILT
/* The fake kernel's DMA heap: every allocation is a memfd of that size. */
static gboolean
heap_of_memfds (int fd, unsigned long request, void *arg, int *result,
    gpointer data)
{
  struct fake_dma_heap_allocation_data *alloc = arg;
  int memfd;

  if (request != FAKE_DMA_HEAP_IOCTL_ALLOC)
    return FALSE;
  memfd = memfd_create ("fake-heap", MFD_CLOEXEC);
  fail_unless (memfd >= 0 && ftruncate (memfd, alloc->len) == 0);
  alloc->fd = memfd;
  *result = 0;
  return TRUE;
}

GST_START_TEST (test_contiguous_heap_memory_carries_the_flag)
{
  gchar *dir = g_dir_make_tmp ("gst-alloc-XXXXXX", NULL);
  gchar *node = g_build_filename (dir, "linux,cma", NULL);
  GstAllocator *allocator;
  GstMemory *mem;

  /* A CMA heap by its name (the node is /dev/null, the kernel faked). */
  fail_unless_equals_int (symlink (FAKE_NODE, node), 0);
  allocator = gst_alloc_dma_heap_allocator_new (node);
  fake_ioctl_set_handler (heap_of_memfds, NULL);
  mem = alloc_with_flags (allocator, GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS);
  fake_ioctl_set_handler (NULL, NULL);

  fail_unless (mem != NULL);
  fail_unless (GST_MEMORY_FLAG_IS_SET (mem,
          GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS));
  gst_memory_unref (mem);
  gst_object_unref (allocator);
  unlink (node);
  rmdir (dir);
  g_free (node);
  g_free (dir);
}

GST_END_TEST;

GST_START_TEST (test_missing_heap_open_names_backend_operation_and_errno)
{
  GstAllocator *allocator = gst_alloc_dma_heap_allocator_new (MISSING_HEAP);
  GError *error = NULL;

  fail_if (gst_alloc_backend_open (GST_ALLOC_BACKEND (allocator), &error));
  fail_unless_equals_string (error->message,
      "dmaheap:system: open " MISSING_HEAP ": No such file or directory");
  g_error_free (error);
  gst_object_unref (allocator);
}

GST_END_TEST;

GST_START_TEST (test_heap_eagain_is_retried_a_bounded_number_of_times)
{
  GstAllocator *allocator = gst_alloc_dma_heap_allocator_new (FAKE_NODE);
  Refusal refusal = { FAKE_DMA_HEAP_IOCTL_ALLOC, EAGAIN, 1000, 0 };
  GError *error;
  guint calls;

  fake_ioctl_set_handler (refuse, &refusal);
  error = alloc_error (allocator);
  calls = fake_ioctl_get_calls (FAKE_DMA_HEAP_IOCTL_ALLOC);
  fake_ioctl_set_handler (NULL, NULL);

  /* Retried, but given up on long before the kernel would have relented. */
  fail_unless (calls > 1, "EAGAIN was not retried");
  fail_unless (calls <= 10, "%u calls for one allocation", calls);
  fail_unless (strstr (error->message, g_strerror (EAGAIN)) != NULL,
      "%s", error->message);
  fail_unless (g_str_has_prefix (error->message,
          "dmaheap:null: DMA_HEAP_IOCTL_ALLOC"), "%s", error->message);
  g_error_free (error);
  gst_object_unref (allocator);
}

GST_END_TEST;
#else
GST_START_TEST (test_unbuilt_dma_heap_says_what_the_build_lacks)
{
  check_unbuilt (gst_alloc_dma_heap_allocator_new (FAKE_NODE),
      GST_ALLOC_DMA_HEAP_MISSING);
}

GST_END_TEST;
#endif

/* ---- the udmabuf backend, or its stub ---- */

#if GST_ALLOC_UDMABUF_BUILT
GST_START_TEST (test_udmabuf_create_failure_names_backend_operation_and_errno)
{
  GstAllocator *allocator = gst_alloc_udmabuf_allocator_new (FAKE_NODE);
  Refusal refusal = { FAKE_UDMABUF_CREATE, ENOMEM, 0, 0 };
  GError *error;

  fake_ioctl_set_handler (refuse, &refusal);
  error = alloc_error (allocator);
  fake_ioctl_set_handler (NULL, NULL);

  fail_unless_equals_string (error->message,
      "udmabuf: UDMABUF_CREATE of 4096 bytes: Cannot allocate memory");
  fail_unless (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOMEM));
  g_error_free (error);
  gst_object_unref (allocator);
}

GST_END_TEST;
#else
GST_START_TEST (test_unbuilt_udmabuf_says_what_the_build_lacks)
{
  check_unbuilt (gst_alloc_udmabuf_allocator_new (FAKE_NODE),
      GST_ALLOC_UDMABUF_MISSING);
}

GST_END_TEST;
#endif

static Suite *
backend_errors_suite (void)
{
  Suite *s = suite_create ("backenderrors");
  TCase *contiguity = tcase_create ("contiguity");
  TCase *errors = tcase_create ("errors");
  TCase *unbuilt = tcase_create ("unbuilt");

  suite_add_tcase (s, contiguity);
  tcase_add_test (contiguity,
      test_memfd_refuses_a_physically_contiguous_request);
  tcase_add_test (contiguity,
      test_system_refuses_a_physically_contiguous_request);

  suite_add_tcase (s, errors);
  tcase_add_test (errors,
      test_memfd_out_of_fds_names_backend_operation_and_errno);
  tcase_add_test (errors, test_mismatch_names_the_constraint_and_who_asked);

  /* A backend this build lacks is a stub: its own test instead. */
  suite_add_tcase (s, unbuilt);
#if GST_ALLOC_DMA_HEAP_BUILT
  tcase_add_test (contiguity, test_contiguous_heap_memory_carries_the_flag);
  tcase_add_test (errors,
      test_missing_heap_open_names_backend_operation_and_errno);
  tcase_add_test (errors,
      test_heap_eagain_is_retried_a_bounded_number_of_times);
#else
  tcase_add_test (unbuilt, test_unbuilt_dma_heap_says_what_the_build_lacks);
#endif
#if GST_ALLOC_UDMABUF_BUILT
  tcase_add_test (errors,
      test_udmabuf_create_failure_names_backend_operation_and_errno);
#else
  tcase_add_test (unbuilt, test_unbuilt_udmabuf_says_what_the_build_lacks);
#endif
  return s;
}

int
main (int argc, char **argv)
{
  /* No gst_alloc_init(): the backends need none. */
  gst_check_init (&argc, &argv);
  return gst_check_run_suite (backend_errors_suite (), "backenderrors",
      __FILE__);
}
