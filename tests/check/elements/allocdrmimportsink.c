/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* allocdrmimportsink follows the rules every element of ours does: a bad
 * constraints value is refused loudly (a failed state change when set in
 * NULL, a bus warning when set while playing, the old value kept), and
 * pool-budget bounds the pool it offers. Needs no DRM device: a faked
 * kernel (fakeioctl.c) answers the capability query for /dev/null. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/alloc/alloc.h>

#include "fakeioctl.h"
#include "refusals.h"

#include <errno.h>
#include <string.h>
#include <xf86drm.h>

#include "testutil.h"

#define FAKE_NODE "/dev/null"

/* A device that imports dma-bufs; every other request reaches /dev/null,
 * which refuses it. */
static gboolean
fake_prime_device (int fd, unsigned long request, void *arg, int *result,
    gpointer data)
{
  struct drm_get_cap *cap = arg;

  if (request != DRM_IOCTL_GET_CAP || cap->capability != DRM_CAP_PRIME)
    return FALSE;
  cap->value = DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT;
  *result = 0;
  return TRUE;
}

static GstElement *
make_sink (void)
{
  GstElement *sink = gst_element_factory_make ("allocdrmimportsink", "sink");

  fail_unless (sink != NULL, "allocdrmimportsink not found");
  g_object_set (sink, "device", FAKE_NODE, NULL);
  return sink;
}

static void
setup (void)
{
  fake_ioctl_set_handler (fake_prime_device, NULL);
}

static void
teardown (void)
{
  fake_ioctl_set_handler (NULL, NULL);
}

GST_START_TEST (test_malformed_constraints_fail_the_next_state_change)
{
  GstElement *sink = make_sink ();
  const gchar *words[] = { "memory=dmabuf|floppy", "memory",
    "Accepted fields", NULL
  };

  test_assert_lone_refused_when_stopped (sink, "constraints",
      "memory=dmabuf|floppy", "memory=dmabuf|memfd", words);
  gst_object_unref (sink);
}

GST_END_TEST;

GST_START_TEST (test_malformed_constraints_while_playing_warn_on_the_bus)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *src = gst_element_factory_make ("appsrc", NULL);
  GstElement *sink = make_sink ();
  const gchar *words[] = { "memory=dmabuf|floppy", "Accepted fields", NULL };

  /* Silent, and a sink that does not wait for a first buffer: PLAYING
   * without a buffer, so no import is tried. */
  fail_unless (src != NULL, "appsrc missing (gst-plugins-base)");
  g_object_set (sink, "async", FALSE, NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, sink, NULL);
  fail_unless (gst_element_link (src, sink));
  test_assert_refused_when_playing (pipeline, sink, "constraints",
      "memory=dmabuf|floppy", words);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_pool_budget_bounds_the_offered_pool)
{
  GstElement *sink = make_sink ();
  GstHarness *h = gst_harness_new_with_element (sink, "sink", NULL);
  GstAllocSolver *solver = test_memfd_solver ();
  GstBus *bus = gst_bus_new ();
  GstCaps *caps = gst_caps_from_string
      ("video/x-raw,format=NV12,width=320,height=240,framerate=30/1");
  GstQuery *query = gst_query_new_allocation (caps, TRUE);
  gchar *budget = g_format_size_full (1048576, G_FORMAT_SIZE_IEC_UNITS);
  const gchar *words[] = { "20 buffers", "budget of", budget, NULL };

  gst_element_set_bus (h->element, bus);
  g_object_set (h->element, "constraints", "min-buffers=20", "solver", solver,
      "pool-budget", (guint64) 1048576, NULL);
  gst_harness_set_src_caps (h, gst_caps_ref (caps));
  fail_unless (gst_pad_peer_query (h->srcpad, query));
  fail_unless_equals_int (gst_query_get_n_allocation_pools (query), 0);
  test_assert_pending_warning_mentions (bus, words);

  g_free (budget);
  gst_query_unref (query);
  gst_caps_unref (caps);
  gst_bus_set_flushing (bus, TRUE);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  gst_object_unref (solver);
  gst_object_unref (sink);
}

GST_END_TEST;

static Suite *
allocdrmimportsink_suite (void)
{
  Suite *s = suite_create ("allocdrmimportsink");
  TCase *tc = tcase_create ("rules");

  suite_add_tcase (s, tc);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_malformed_constraints_fail_the_next_state_change);
  tcase_add_test (tc, test_malformed_constraints_while_playing_warn_on_the_bus);
  tcase_add_test (tc, test_pool_budget_bounds_the_offered_pool);
  return s;
}

TEST_CHECK_MAIN_WITH_DRM_PLUGIN (allocdrmimportsink);
