/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* An unprivileged user's fallback from a root-only DMA heap to udmabuf, as
 * distributions ship the devices: /dev/dma_heap/system 0600 root, /dev/udmabuf
 * opened to the seat user. Runs only where that holds for the calling user
 * (tests/kernel/ sets it up in a VM); otherwise exits 77 and says why. Root
 * ignores file modes, so running this as root would prove nothing. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

#include "testutil.h"
#include <gst/video/video.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define HEAP_PATH GST_ALLOC_DMA_HEAP_DIR "/system"
#define HEAP_BACKEND "dmaheap:system"
#define DMABUF_CONSTRAINTS "memory=dmabuf"

/* Warnings of the backends' category, counted from the first solve on. */
static gint backend_warnings;
static gchar *last_backend_warning;

static void
count_backend_warnings (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  if (level != GST_LEVEL_WARNING
      || strcmp (gst_debug_category_get_name (category), "allocbackend") != 0)
    return;
  g_atomic_int_inc (&backend_warnings);
  g_free (last_backend_warning);
  last_backend_warning = g_strdup (gst_debug_message_get (message));
}

/* Warnings must reach the hook whatever GST_DEBUG says. The category exists
 * once a backend class does. */
static gboolean
raise_backend_threshold (void)
{
  GSList *categories = gst_debug_get_all_categories (), *l;
  GstDebugCategory *backend = NULL;

  for (l = categories; l; l = l->next) {
    if (strcmp (gst_debug_category_get_name (l->data), "allocbackend") == 0)
      backend = l->data;
  }
  g_slist_free (categories);
  if (!backend)
    return FALSE;
  if (gst_debug_category_get_threshold (backend) < GST_LEVEL_WARNING)
    gst_debug_category_set_threshold (backend, GST_LEVEL_WARNING);
  return TRUE;
}

static GstAllocConstraints *
dmabuf_constraints (void)
{
  GstAllocConstraints *c;
  GError *error = NULL;

  c = gst_alloc_constraints_from_string (DMABUF_CONSTRAINTS, "test-consumer",
      &error);
  fail_unless (c != NULL, "%s", error ? error->message : "?");
  return c;
}

static GstAllocSolution *
solve_default (void)
{
  GstAllocConstraints *c = dmabuf_constraints ();
  GstAllocSolution *solution;
  GError *error = NULL;

  solution = gst_alloc_solver_solve (gst_alloc_solver_get_default (), c,
      &error);
  fail_unless (solution != NULL, "no solution: %s",
      error ? error->message : "?");
  gst_alloc_constraints_free (c);
  return solution;
}

/* A started GstAllocPool for NV12 640x480 with DMABUF_CONSTRAINTS. */
static GstBufferPool *
started_pool (void)
{
  GstBufferPool *pool = gst_alloc_pool_new (gst_alloc_solver_get_default ());
  GstAllocConstraints *c = dmabuf_constraints ();
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstVideoInfo info;
  GstCaps *caps;

  fail_unless (gst_video_info_set_format (&info, GST_VIDEO_FORMAT_NV12, 640,
          480));
  caps = gst_video_info_to_caps (&info);
  gst_buffer_pool_config_set_params (config, caps, info.size, 2, 0);
  gst_alloc_pool_config_set_constraints (config, c);
  if (!gst_buffer_pool_set_config (pool, config)) {
    /* Refused with corrections: accept them. */
    config = gst_buffer_pool_get_config (pool);
    fail_unless (gst_buffer_pool_set_config (pool, config),
        "corrected config refused");
  }
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  gst_caps_unref (caps);
  gst_alloc_constraints_free (c);
  return pool;
}

GST_START_TEST (test_default_solver_chooses_udmabuf)
{
  GstAllocSolution *solution = solve_default ();
  GstAllocator *chosen = g_ptr_array_index (solution->candidates, 0);

  fail_unless (GST_IS_ALLOC_UDMABUF_ALLOCATOR (chosen),
      "chose %s: %s", GST_OBJECT_NAME (chosen), solution->explanation);
  gst_alloc_solution_free (solution);
}

GST_END_TEST;

GST_START_TEST (test_explanation_names_heap_permission_denied)
{
  GstAllocSolution *solution = solve_default ();
  const gchar *heap_reason;

  heap_reason = strstr (solution->explanation, HEAP_BACKEND ": cannot be used");
  fail_unless (heap_reason != NULL, "%s not passed over: %s", HEAP_BACKEND,
      solution->explanation);
  fail_unless (strstr (heap_reason, g_strerror (EACCES)) != NULL,
      "no \"%s\" in: %s", g_strerror (EACCES), solution->explanation);
  gst_alloc_solution_free (solution);
}

GST_END_TEST;

GST_START_TEST (test_pool_memory_is_exported_by_udmabuf)
{
  GstBufferPool *pool = started_pool ();
  GstBuffer *buffer = NULL;
  GstMemory *mem;
  gchar *exporter;

  fail_unless (GST_IS_ALLOC_UDMABUF_ALLOCATOR (gst_alloc_pool_get_backend
          (GST_ALLOC_POOL (pool))));
  fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buffer,
          NULL), GST_FLOW_OK);
  mem = gst_buffer_peek_memory (buffer, 0);
  fail_unless (gst_is_dmabuf_memory (mem));
  exporter = test_fdinfo_value (gst_dmabuf_memory_get_fd (mem), "exp_name");
  fail_unless_equals_string (exporter, "udmabuf");

  g_free (exporter);
  gst_buffer_unref (buffer);
  fail_unless (gst_buffer_pool_set_active (pool, FALSE));
  gst_object_unref (pool);
}

GST_END_TEST;

GST_START_TEST (test_refusal_is_logged_once)
{
  GstBufferPool *pool;
  guint i;

  for (i = 0; i < 5; i++)
    gst_alloc_solution_free (solve_default ());
  pool = started_pool ();
  fail_unless (gst_buffer_pool_set_active (pool, FALSE));
  gst_object_unref (pool);

  fail_unless_equals_int (g_atomic_int_get (&backend_warnings), 1);
  fail_unless (strstr (last_backend_warning, HEAP_PATH) != NULL,
      "warning does not name %s: %s", HEAP_PATH, last_backend_warning);
  fail_unless (strstr (last_backend_warning, g_strerror (EACCES)) != NULL,
      "warning does not say \"%s\": %s", g_strerror (EACCES),
      last_backend_warning);
  /* With the advice: who may open the node, and how to change it. */
  fail_unless (strstr (last_backend_warning, "mode 0600") != NULL
      && strstr (last_backend_warning, "udev rule") != NULL,
      "warning gives no advice: %s", last_backend_warning);
}

GST_END_TEST;

static Suite *
fallback_suite (void)
{
  Suite *s = suite_create ("fallback");
  TCase *tc = tcase_create ("heap-refused");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_default_solver_chooses_udmabuf);
  tcase_add_test (tc, test_explanation_names_heap_permission_denied);
  tcase_add_test (tc, test_pool_memory_is_exported_by_udmabuf);
  tcase_add_test (tc, test_refusal_is_logged_once);
  return s;
}

/* NULL when this user sees the devices as a distribution's seat user does,
 * otherwise why not. */
static gchar *
precondition_failure (void)
{
  int fd, errsv;

  if (access (HEAP_PATH, F_OK) != 0)
    return g_strdup_printf ("%s: %s", HEAP_PATH, g_strerror (errno));
  if (geteuid () == 0)
    return g_strdup ("running as root, which ignores the DMA heap's file "
        "mode; run as an unprivileged user (tests/kernel/ does)");
  fd = open (HEAP_PATH, O_RDONLY | O_CLOEXEC);
  errsv = errno;
  if (fd >= 0) {
    close (fd);
    return g_strdup_printf ("%s can be opened by this user, so nothing "
        "falls back", HEAP_PATH);
  }
  if (errsv != EACCES)
    return g_strdup_printf ("%s: %s (want %s)", HEAP_PATH,
        g_strerror (errsv), g_strerror (EACCES));
  fd = open (GST_ALLOC_UDMABUF_DEVICE, O_RDWR | O_CLOEXEC);
  if (fd < 0)
    return g_strdup_printf ("%s: %s", GST_ALLOC_UDMABUF_DEVICE,
        g_strerror (errno));
  close (fd);
  return NULL;
}

int
main (int argc, char **argv)
{
  gchar *why = precondition_failure ();

  if (why) {
    printf ("SKIP: %s\n", why);
    g_free (why);
    return 77;
  }

  gst_check_init (&argc, &argv);
  gst_alloc_init ();
  /* Creates the backends (nothing is opened before the first solve). */
  gst_alloc_solver_get_default ();
  if (!raise_backend_threshold ()) {
    printf ("no \"allocbackend\" debug category after creating the backends\n");
    return 1;
  }
  gst_debug_add_log_function (count_backend_warnings, NULL, NULL);
  return gst_check_run_suite (fallback_suite (), "fallback", __FILE__);
}
