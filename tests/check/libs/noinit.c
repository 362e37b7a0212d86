/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The library without gst_alloc_init(): every call logs into a debug
 * category that exists, so no GStreamer-CRITICAL is raised (GstCheck fails
 * the test on any critical). This binary's main() deliberately never calls
 * gst_alloc_init(). */

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

#include "testutil.h"

static gboolean
debug_category_exists (const gchar * name)
{
  GSList *all = gst_debug_get_all_categories (), *l;
  gboolean found = FALSE;

  for (l = all; l && !found; l = l->next)
    found = g_str_equal (gst_debug_category_get_name (l->data), name);
  g_slist_free (all);
  return found;
}

/* Logging reaches gst_debug_log() only when some category's threshold lets
 * it through; raise one so the library's log calls are really made. */
static void
let_every_log_call_through (void)
{
  static GstDebugCategory *probe = NULL;

  if (!probe)
    probe = _gst_debug_category_new ("noinit-probe", 0, "raises the "
        "global debug threshold for the no-init test");
  gst_debug_category_set_threshold (probe, GST_LEVEL_LOG);
}

/* The translation of an overflowing stride mask logs a warning: the first
 * log call a fresh process makes through the library. */
static void
translate_overflowing_alignment (void)
{
  GstVideoAlignment align;
  GstAllocConstraints *c;

  gst_video_alignment_reset (&align);
  align.stride_align[0] = G_MAXUINT32;
  c = gst_alloc_constraints_from_video_alignment (&align, "stock");
  fail_unless (c != NULL);
  gst_alloc_constraints_free (c);
}

static void
parse_merge_and_lay_out (void)
{
  GstAllocConstraints *a =
      test_constraints_parse ("stride-align=256,memory=memfd", "a");
  GstAllocConstraints *b = test_constraints_parse ("height-align=16", "b");
  GstAllocConstraints *m = gst_alloc_constraints_merge (a, b, NULL);
  GstAllocLayout layout;
  GstVideoInfo info;

  fail_unless (m != NULL);
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_NV12, 640, 480);
  fail_unless (gst_alloc_layout_compute (&layout, &info, m, NULL));
  fail_unless_equals_int (layout.stride[0], 768);
  gst_alloc_constraints_free (m);
  gst_alloc_constraints_free (b);
  gst_alloc_constraints_free (a);
}

static void
answer_a_query_and_use_its_pool (void)
{
  GstAllocConstraints *c = test_constraints_parse ("stride-align=64", "sink");
  GstVideoInfo info;
  GstCaps *caps;
  GstQuery *query;
  GstBufferPool *pool;
  GstBuffer *buf = NULL;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_NV12, 320, 240);
  caps = gst_video_info_to_caps (&info);
  query = gst_query_new_allocation (caps, TRUE);
  pool = gst_alloc_query_answer (query, c, NULL, "noinit-pool", NULL);
  fail_unless (pool != NULL);
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buf, NULL),
      GST_FLOW_OK);
  fail_unless (gst_alloc_constraints_check_buffer (c, &info, buf, NULL));
  gst_buffer_unref (buf);
  fail_unless (gst_buffer_pool_set_active (pool, FALSE));
  gst_object_unref (pool);
  gst_query_unref (query);
  gst_caps_unref (caps);
  gst_alloc_constraints_free (c);
}

GST_START_TEST (test_library_calls_need_no_init)
{
  /* Otherwise this test would prove nothing. */
  fail_if (debug_category_exists ("alloc"),
      "something initialised the library before the test");
  let_every_log_call_through ();

  translate_overflowing_alignment ();
  parse_merge_and_lay_out ();
  answer_a_query_and_use_its_pool ();
  /* The categories keep their names, so GST_DEBUG=alloc*:6 still works. */
  fail_unless (debug_category_exists ("alloc"));
  fail_unless (debug_category_exists ("allocpool"));
}

GST_END_TEST;

static Suite *
noinit_suite (void)
{
  Suite *s = suite_create ("alloc-noinit");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_library_calls_need_no_init);
  return s;
}

GST_CHECK_MAIN (noinit);
