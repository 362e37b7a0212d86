/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Stock tee (GStreamer 1.26 and newer) with our meta's params aggregator:
 * the branches' constraint sets are merged by our rules, so an allocfilter
 * upstream of a stock tee offers a pool whose layout satisfies every
 * branch. With an older GStreamer the suite skips, saying why: tee drops a
 * meta that two branches give params for. */

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

#include "pipeline.h"
#include "testutil.h"

#if GST_CHECK_VERSION (1, 26, 0)

static GstStructure *
set_structure (const gchar * str, const gchar * origin)
{
  GstAllocConstraints *c = gst_alloc_constraints_from_string (str, origin,
      NULL);
  GstStructure *s;

  fail_unless (c != NULL, "%s", str);
  s = gst_alloc_constraints_to_structure (c);
  gst_alloc_constraints_free (c);
  return s;
}

GST_START_TEST (test_aggregator_merges_by_our_rules)
{
  GstStructure *a = set_structure ("stride-align=48,heaps=system", "left");
  GstStructure *b = set_structure ("stride-align=64,min-buffers=3", "right");
  GstStructure *out = NULL;
  GstAllocConstraints *merged;
  gchar *str;

  fail_unless (gst_meta_api_type_aggregate_params
      (GST_ALLOC_CONSTRAINTS_META_API_TYPE, &out, a, b));
  merged = gst_alloc_constraints_from_structure (out, NULL);
  fail_unless (merged != NULL);
  str = gst_alloc_constraints_to_string (merged);
  /* The least common multiple, not the OR of masks (which gives 64). */
  fail_unless_equals_string (str, "stride-align=192,min-buffers=3,"
      "heaps=system");
  fail_unless_equals_string (gst_alloc_constraints_get_origin (merged,
          GST_ALLOC_FIELD_STRIDE_ALIGN), "left, right");
  g_free (str);
  gst_alloc_constraints_free (merged);
  gst_structure_free (out);
  gst_structure_free (b);
  gst_structure_free (a);
}

GST_END_TEST;

GST_START_TEST (test_aggregator_refuses_a_conflict)
{
  GstStructure *a = set_structure ("memory=dmabuf", "left");
  GstStructure *b = set_structure ("memory=system", "right");
  GstStructure *out = NULL;

  fail_if (gst_meta_api_type_aggregate_params
      (GST_ALLOC_CONSTRAINTS_META_API_TYPE, &out, a, b));
  fail_unless (out == NULL);
  /* A branch without params is the empty set: the other one stands. */
  fail_unless (gst_meta_api_type_aggregate_params
      (GST_ALLOC_CONSTRAINTS_META_API_TYPE, &out, a, NULL));
  fail_unless_equals_string (gst_structure_get_string (out, "memory"),
      "dmabuf");
  gst_structure_free (out);
  gst_structure_free (b);
  gst_structure_free (a);
}

GST_END_TEST;

static GstPadProbeReturn
note_stride (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstVideoMeta *meta = gst_buffer_get_video_meta (GST_PAD_PROBE_INFO_BUFFER
      (info));
  gint *stride = user_data;

  *stride = meta ? meta->stride[0] : -1;
  return GST_PAD_PROBE_OK;
}

/* NV12 at width 1000: 48 and 64 merged by least common multiple give
 * 192, a stride of 1152. Without our aggregator tee drops our sets and
 * ORs the stock "video-meta" masks (47 becomes 15 on the way, a power of
 * two), which asks for 64: a stride of 1024, not a multiple of 48. */
GST_START_TEST (test_stock_tee_branches_get_a_pool_satisfying_both)
{
  GstElement *pipeline = test_launch ("videotestsrc num-buffers=10 ! "
      "video/x-raw,format=NV12,width=1000,height=100 ! allocfilter ! "
      "tee name=t "
      "t. ! queue ! allocchecksink name=a constraints=stride-align=48 "
      "t. ! queue ! allocchecksink name=b constraints=stride-align=64");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "a");
  GstPad *pad = gst_element_get_static_pad (sink, "sink");
  gint stride = 0;

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, note_stride, &stride,
      NULL);
  fail_unless (test_run (pipeline, NULL) == NULL);
  fail_unless_equals_int (stride, 1152);
  fail_unless_equals_uint64 (test_element_uint64 (pipeline, "a", "buffers"),
      10);
  fail_unless_equals_uint64 (test_element_uint64 (pipeline, "a",
          "violations"), 0);
  fail_unless_equals_uint64 (test_element_uint64 (pipeline, "b",
          "violations"), 0);
  gst_object_unref (pad);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
teeaggregator_suite (void)
{
  Suite *s = suite_create ("teeaggregator");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_aggregator_merges_by_our_rules);
  tcase_add_test (tc, test_aggregator_refuses_a_conflict);
  tcase_add_test (tc, test_stock_tee_branches_get_a_pool_satisfying_both);
  return s;
}

GST_CHECK_MAIN (teeaggregator);

#else

TEST_SKIP_MAIN ("'s tee has no params aggregation for allocation "
    "metas (it came with 1.26): tee drops a meta two branches give params "
    "for");

#endif
