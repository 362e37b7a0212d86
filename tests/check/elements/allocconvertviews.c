/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* allocconvert before a consumer whose needs are structural only: the
 * input's memory goes downstream described as the consumer needs it (one
 * memory per plane; the default layout for a reader of no GstVideoMeta),
 * counted in viewed-buffers, no byte copied; a stride that differs is
 * still copied. */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/alloc/alloc.h>

#include <string.h>

#include "testutil.h"

static GstHarness *
convert_harness (const gchar * caps, const gchar * constraints,
    gboolean downstream_reads_meta)
{
  GstHarness *h = gst_harness_new ("allocconvert");
  GstAllocSolver *solver = gst_alloc_solver_new ();
  GstAllocator *memfd = gst_alloc_memfd_allocator_new ();

  gst_alloc_solver_add_backend (solver, memfd);
  g_object_set (h->element, "constraints", constraints, "solver", solver, NULL);
  if (downstream_reads_meta)
    gst_harness_add_propose_allocation_meta (h, GST_VIDEO_META_API_TYPE, NULL);
  gst_harness_set_src_caps_str (h, caps);
  gst_harness_set_sink_caps_str (h, caps);
  gst_object_unref (memfd);
  gst_object_unref (solver);
  return h;
}

static guint64
counter (GstHarness * h, const gchar * name)
{
  guint64 value = 0;

  g_object_get (h->element, name, &value, NULL);
  return value;
}

/* A frame of @info (offsets, strides and size as given) in one memory
 * with @rows_above rows of the first plane before it, every byte set from
 * a seeded generator, with a GstVideoMeta. */
static GstBuffer *
frame_with_rows_above (const GstVideoInfo * info, guint rows_above)
{
  gsize above = (gsize) rows_above * GST_VIDEO_INFO_PLANE_STRIDE (info, 0);
  GstBuffer *buf = gst_buffer_new_allocate (NULL, above + info->size, NULL);
  GRand *rand = g_rand_new_with_seed (rows_above + 1);
  gsize offset[GST_VIDEO_MAX_PLANES], b;
  GstVideoMeta *meta;
  GstMapInfo map;
  guint p;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_WRITE));
  for (b = 0; b < map.size; b++)
    map.data[b] = g_rand_int (rand) & 0xff;
  gst_buffer_unmap (buf, &map);
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (info); p++)
    offset[p] = above + GST_VIDEO_INFO_PLANE_OFFSET (info, p);
  meta = gst_buffer_add_video_meta_full (buf, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_INFO_FORMAT (info), GST_VIDEO_INFO_WIDTH (info),
      GST_VIDEO_INFO_HEIGHT (info), GST_VIDEO_INFO_N_PLANES (info), offset,
      (gint *) info->stride);
  meta->alignment.padding_top = rows_above;
  g_rand_free (rand);
  return buf;
}

static GstMemory *
root_of (GstMemory * mem)
{
  return mem->parent ? mem->parent : mem;
}

GST_START_TEST (test_one_memory_per_plane_is_a_view)
{
  GstHarness *h = convert_harness ("video/x-raw,format=NV12,width=640,"
      "height=480,framerate=30/1", "planes=separate", TRUE);
  GstVideoInfo info;
  GstBuffer *in, *out;
  GstAllocConstraints *separate = gst_alloc_constraints_from_string
      ("planes=separate", "sink", NULL);

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_NV12, 640, 480);
  in = frame_with_rows_above (&info, 0);
  out = gst_harness_push_and_pull (h, gst_buffer_ref (in));
  fail_unless (out != NULL);
  fail_unless_equals_int (gst_buffer_n_memory (out), 2);
  fail_unless (root_of (gst_buffer_peek_memory (out, 0)) ==
      gst_buffer_peek_memory (in, 0));
  fail_unless (root_of (gst_buffer_peek_memory (out, 1)) ==
      gst_buffer_peek_memory (in, 0));
  fail_unless (gst_alloc_constraints_check_buffer (separate, &info, out, NULL));
  test_assert_same_visible_rows (&info, in, out);
  fail_unless_equals_uint64 (counter (h, "viewed-buffers"), 1);
  fail_unless_equals_uint64 (counter (h, "copied-buffers"), 0);
  fail_unless_equals_uint64 (counter (h, "bytes-copied"), 0);
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_alloc_constraints_free (separate);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Rows of padding above the picture, for a downstream that reads no
 * GstVideoMeta: one memory from the first visible row, the default frame. */
GST_START_TEST (test_default_reader_gets_the_padded_frame_trimmed)
{
  GstHarness *h = convert_harness ("video/x-raw,format=YUY2,width=320,"
      "height=180,framerate=30/1", "", FALSE);
  GstVideoInfo info;
  GstBuffer *in, *out;
  GstMemory *mem;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_YUY2, 320, 180);
  in = frame_with_rows_above (&info, 8);
  out = gst_harness_push_and_pull (h, gst_buffer_ref (in));
  fail_unless (out != NULL);
  fail_unless_equals_int (gst_buffer_n_memory (out), 1);
  mem = gst_buffer_peek_memory (out, 0);
  fail_unless (root_of (mem) == gst_buffer_peek_memory (in, 0));
  fail_unless_equals_uint64 (mem->offset, 8 * 640);
  fail_unless_equals_uint64 (mem->size, info.size);
  test_assert_same_visible_rows (&info, in, out);
  fail_unless_equals_uint64 (counter (h, "viewed-buffers"), 1);
  fail_unless_equals_uint64 (counter (h, "copied-buffers"), 0);
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A stride is the memory's: no view gives another one. */
GST_START_TEST (test_another_stride_is_still_copied)
{
  GstHarness *h = convert_harness ("video/x-raw,format=NV12,width=1000,"
      "height=100,framerate=30/1", "planes=separate,stride-align=256", TRUE);
  GstVideoInfo info;
  GstBuffer *in, *out;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_NV12, 1000, 100);
  in = frame_with_rows_above (&info, 0);
  out = gst_harness_push_and_pull (h, gst_buffer_ref (in));
  fail_unless (out != NULL);
  fail_unless (root_of (gst_buffer_peek_memory (out, 0)) !=
      gst_buffer_peek_memory (in, 0));
  test_assert_same_visible_rows (&info, in, out);
  fail_unless_equals_uint64 (counter (h, "viewed-buffers"), 0);
  fail_unless_equals_uint64 (counter (h, "copied-buffers"), 1);
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
allocconvertviews_suite (void)
{
  Suite *s = suite_create ("allocconvertviews");
  TCase *views = tcase_create ("views");

  suite_add_tcase (s, views);
  tcase_add_test (views, test_one_memory_per_plane_is_a_view);
  tcase_add_test (views, test_default_reader_gets_the_padded_frame_trimmed);
  tcase_add_test (views, test_another_stride_is_still_copied);
  return s;
}

GST_CHECK_MAIN (allocconvertviews);
