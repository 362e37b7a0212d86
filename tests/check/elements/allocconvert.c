/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* allocconvert: passes compliant buffers through, copies the others into
 * compliant buffers (converting when the caps change), counts both, and
 * refuses constraints it cannot satisfy or parse, loudly. A pool that
 * cannot start says why; pool-budget bounds its pools. */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/alloc/alloc.h>

#include "fakebackend.h"
#include "refusals.h"

#include <errno.h>
#include <string.h>

#include "testutil.h"

#define NV12_CAPS "video/x-raw,format=NV12,width=1000,height=100," \
  "framerate=30/1"
#define N_BUFFERS 5

static GstVideoInfo
video_info (GstVideoFormat format, guint width, guint height)
{
  GstVideoInfo info;

  gst_video_info_set_format (&info, format, width, height);
  return info;
}

static GstHarness *
convert_harness (const gchar * in_caps, const gchar * out_caps,
    const gchar * constraints)
{
  GstHarness *h = gst_harness_new ("allocconvert");
  GstAllocSolver *solver = test_memfd_solver ();

  g_object_set (h->element, "constraints", constraints, "solver", solver, NULL);
  gst_object_unref (solver);
  gst_harness_set_src_caps_str (h, in_caps);
  gst_harness_set_sink_caps_str (h, out_caps);
  return h;
}

static guint64
get_counter (GstElement * element, const gchar * name)
{
  guint64 value = 0;

  g_object_get (element, name, &value, NULL);
  return value;
}

/* A tightly packed frame without GstVideoMeta; each byte depends on its
 * plane, row and column so misplaced rows show. */
static GstBuffer *
patterned_frame (const GstVideoInfo * info)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, info->size, NULL);
  GstVideoFrame frame;
  guint p, row, col;
  guint8 *line;

  fail_unless (gst_video_frame_map (&frame, info, buf, GST_MAP_WRITE));
  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (&frame); p++) {
    for (row = 0; row < (guint) GST_VIDEO_FRAME_COMP_HEIGHT (&frame, p); row++) {
      line = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, p)
          + row * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, p);
      for (col = 0; col < (guint) GST_VIDEO_FRAME_PLANE_STRIDE (&frame, p);
          col++)
        line[col] = (guint8) (p * 97 + row * 7 + col);
    }
  }
  gst_video_frame_unmap (&frame);
  return buf;
}

/* Compares the visible bytes of every row of every plane. */
/* Pushes a packed, patterned NV12 1000x100 frame (1000-byte strides);
 * returns the input (still referenced) and the output. */
static void
push_packed_frame (GstHarness * h, GstBuffer ** in, GstBuffer ** out)
{
  GstVideoInfo info = video_info (GST_VIDEO_FORMAT_NV12, 1000, 100);

  *in = patterned_frame (&info);
  fail_unless_equals_int (gst_harness_push (h, gst_buffer_ref (*in)),
      GST_FLOW_OK);
  *out = gst_harness_pull (h);
  fail_unless (*out != NULL);
}

GST_START_TEST (test_buffers_from_proposed_pool_pass_through)
{
  GstElement *pipeline, *convert, *sink;
  GstMessage *msg;

  pipeline = gst_parse_launch ("videotestsrc num-buffers=5 ! " NV12_CAPS
      " ! allocconvert name=convert ! allocchecksink name=sink sync=false "
      "constraints=stride-align=256", NULL);
  fail_unless (pipeline != NULL);
  convert = gst_bin_get_by_name (GST_BIN (pipeline), "convert");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PLAYING),
      GST_STATE_CHANGE_ASYNC);
  /* No limit here: the GstCheck timeout catches a pipeline that hangs. */
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipeline),
      GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  fail_unless_equals_string (GST_MESSAGE_TYPE_NAME (msg), "eos");
  gst_message_unref (msg);

  fail_unless_equals_uint64 (get_counter (convert, "copied-buffers"), 0);
  fail_unless_equals_uint64 (get_counter (convert, "passthrough-buffers"),
      N_BUFFERS);
  fail_unless_equals_uint64 (get_counter (sink, "buffers"), N_BUFFERS);
  fail_unless_equals_uint64 (get_counter (sink, "violations"), 0);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (convert);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_compliant_buffer_is_the_output)
{
  GstHarness *h = convert_harness (NV12_CAPS, NV12_CAPS, "stride-align=4");
  GstBuffer *in, *out;

  /* NV12 1000 pixels wide has 1000-byte strides: already 4-aligned. */
  push_packed_frame (h, &in, &out);
  fail_unless (out == in);
  fail_unless_equals_uint64 (get_counter (h->element, "passthrough-buffers"),
      1);
  fail_unless_equals_uint64 (get_counter (h->element, "copied-buffers"), 0);

  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_copy_satisfies_downstream_constraints)
{
  GstHarness *h = convert_harness (NV12_CAPS, NV12_CAPS, "stride-align=256");
  GstVideoInfo info = video_info (GST_VIDEO_FORMAT_NV12, 1000, 100);
  GstAllocConstraints *c = test_constraints_parse ("stride-align=256", "test");
  GstBuffer *in, *out;
  GError *err = NULL;

  push_packed_frame (h, &in, &out);
  fail_if (gst_alloc_constraints_check_buffer (c, &info, in, NULL));
  fail_if (out == in);
  fail_unless (gst_alloc_constraints_check_buffer (c, &info, out, &err),
      "%s", err ? err->message : "");

  gst_alloc_constraints_free (c);
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_copy_preserves_every_visible_row)
{
  GstHarness *h = convert_harness (NV12_CAPS, NV12_CAPS, "stride-align=256");
  GstVideoInfo info = video_info (GST_VIDEO_FORMAT_NV12, 1000, 100);
  GstBuffer *in, *out;
  GstVideoMeta *meta;

  push_packed_frame (h, &in, &out);
  meta = gst_buffer_get_video_meta (out);
  fail_unless (meta != NULL);
  fail_unless_equals_int (meta->stride[0], 1024);
  fail_unless_equals_int (meta->stride[1], 1024);
  test_assert_same_visible_rows (&info, in, out);

  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_copies_are_counted_with_their_reason)
{
  GstHarness *h = convert_harness (NV12_CAPS, NV12_CAPS, "stride-align=256");
  GstVideoInfo info = video_info (GST_VIDEO_FORMAT_NV12, 1000, 100);
  GstBuffer *in, *out;
  gchar *reason = NULL;
  guint i;

  for (i = 0; i < N_BUFFERS; i++) {
    push_packed_frame (h, &in, &out);
    gst_buffer_unref (out);
    gst_buffer_unref (in);
  }
  fail_unless_equals_uint64 (get_counter (h->element, "copied-buffers"),
      N_BUFFERS);
  fail_unless_equals_uint64 (get_counter (h->element, "bytes-copied"),
      N_BUFFERS * (guint64) GST_VIDEO_INFO_SIZE (&info));
  fail_unless_equals_uint64 (get_counter (h->element, "passthrough-buffers"),
      0);
  g_object_get (h->element, "last-reason", &reason, NULL);
  fail_unless (reason && g_str_has_prefix (reason, "stride-align"),
      "last-reason: %s", reason);

  g_free (reason);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* The patterned frame again, with 1024-byte strides declared in a
 * GstVideoMeta. */
static GstBuffer *
padded_frame (const GstVideoInfo * info)
{
  GstVideoInfo padded = *info;
  GstBuffer *packed = patterned_frame (info), *buf;
  GstVideoFrame src, dest;

  padded.stride[0] = padded.stride[1] = 1024;
  padded.offset[1] = 1024 * GST_VIDEO_INFO_HEIGHT (info);
  padded.size = padded.offset[1] + 1024 * GST_VIDEO_INFO_HEIGHT (info) / 2;
  buf = gst_buffer_new_allocate (NULL, padded.size, NULL);
  gst_buffer_add_video_meta_full (buf, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_INFO_FORMAT (info), GST_VIDEO_INFO_WIDTH (info),
      GST_VIDEO_INFO_HEIGHT (info), 2, padded.offset, padded.stride);
  fail_unless (gst_video_frame_map (&src, info, packed, GST_MAP_READ));
  fail_unless (gst_video_frame_map (&dest, info, buf, GST_MAP_WRITE));
  fail_unless (gst_video_frame_copy (&dest, &src));
  gst_video_frame_unmap (&dest);
  gst_video_frame_unmap (&src);
  gst_buffer_unref (packed);
  return buf;
}

GST_START_TEST (test_padded_buffer_is_copied_for_reader_without_video_meta)
{
  GstHarness *h = convert_harness (NV12_CAPS, NV12_CAPS, "");
  GstVideoInfo info = video_info (GST_VIDEO_FORMAT_NV12, 1000, 100);
  GstBuffer *in = padded_frame (&info), *out;
  GstVideoMeta *meta;

  /* The harness does not announce GstVideoMeta, so it reads 1000-byte
   * strides whatever a meta says. */
  out = gst_harness_push_and_pull (h, gst_buffer_ref (in));
  fail_if (out == in);
  meta = gst_buffer_get_video_meta (out);
  fail_unless_equals_int (meta ? meta->stride[0] : 1000, 1000);
  fail_unless_equals_int (meta ? meta->stride[1] : 1000, 1000);
  test_assert_same_visible_rows (&info, in, out);

  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_harness_teardown (h);
}

GST_END_TEST;

static GstBuffer *
flat_i420_frame (const GstVideoInfo * info, guint8 y, guint8 u, guint8 v)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, info->size, NULL);
  GstVideoFrame frame;
  const guint8 values[] = { y, u, v };
  guint p, row;

  fail_unless (gst_video_frame_map (&frame, info, buf, GST_MAP_WRITE));
  for (p = 0; p < 3; p++) {
    for (row = 0; row < (guint) GST_VIDEO_FRAME_COMP_HEIGHT (&frame, p); row++)
      memset ((guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, p)
          + row * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, p), values[p],
          GST_VIDEO_FRAME_COMP_WIDTH (&frame, p));
  }
  gst_video_frame_unmap (&frame);
  return buf;
}

GST_START_TEST (test_format_change_converts_pixels)
{
  GstHarness *h = convert_harness ("video/x-raw,format=I420,width=320,"
      "height=240,framerate=30/1", "video/x-raw,format=NV12,width=320,"
      "height=240,framerate=30/1", "stride-align=256");
  GstVideoInfo in_info = video_info (GST_VIDEO_FORMAT_I420, 320, 240);
  GstVideoInfo out_info = video_info (GST_VIDEO_FORMAT_NV12, 320, 240);
  GstVideoFrame frame;
  GstBuffer *out;
  const guint8 *line;
  guint row, col;

  out = gst_harness_push_and_pull (h, flat_i420_frame (&in_info, 100, 60, 180));
  fail_unless (gst_video_frame_map (&frame, &out_info, out, GST_MAP_READ));
  for (row = 0; row < 240; row++) {
    line = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0)
        + row * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);
    for (col = 0; col < 320; col++)
      fail_unless_equals_int (line[col], 100);
  }
  for (row = 0; row < 120; row++) {
    line = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 1)
        + row * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 1);
    for (col = 0; col < 320; col += 2) {
      fail_unless_equals_int (line[col], 60);
      fail_unless_equals_int (line[col + 1], 180);
    }
  }
  gst_video_frame_unmap (&frame);
  fail_unless_equals_uint64 (get_counter (h->element, "copied-buffers"), 1);

  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Runs @description until the first error and returns it. */
static GError *
first_error (const gchar * description, GstAllocSolver * solver)
{
  GstElement *pipeline = gst_parse_launch (description, NULL);
  GstElement *convert;
  GstMessage *msg;
  GError *err = NULL;

  fail_unless (pipeline != NULL);
  convert = gst_bin_get_by_name (GST_BIN (pipeline), "convert");
  g_object_set (convert, "solver", solver, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  /* No limit here: the GstCheck timeout catches a pipeline that hangs. */
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipeline),
      GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  fail_unless_equals_string (GST_MESSAGE_TYPE_NAME (msg), "error");
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (convert));
  gst_message_parse_error (msg, &err, NULL);

  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (convert);
  gst_object_unref (pipeline);
  return err;
}

GST_START_TEST (test_contiguous_without_contiguous_backend_is_an_error)
{
  GstAllocSolver *solver = test_memfd_solver ();
  GError *err;

  err = first_error ("videotestsrc num-buffers=1 ! allocconvert name=convert "
      "constraints=contiguous=true ! fakesink", solver);
  fail_unless_equals_int (err->domain, GST_RESOURCE_ERROR);
  fail_unless_equals_int (err->code, GST_RESOURCE_ERROR_SETTINGS);
  fail_unless (strstr (err->message, "contiguous") != NULL, "%s", err->message);

  g_error_free (err);
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_conflict_with_downstream_is_an_error)
{
  GstAllocSolver *solver = test_memfd_solver ();
  GError *err;

  err = first_error ("videotestsrc num-buffers=1 ! allocconvert name=convert "
      "constraints=cache=cached ! allocchecksink constraints=cache=uncached",
      solver);
  fail_unless_equals_int (err->domain, GST_CORE_ERROR);
  fail_unless_equals_int (err->code, GST_CORE_ERROR_NEGOTIATION);
  fail_unless (strstr (err->message, "cache") != NULL, "%s", err->message);

  g_error_free (err);
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_malformed_constraints_keep_previous_value)
{
  GstElement *convert = gst_element_factory_make ("allocconvert", NULL);
  gchar *value = NULL;

  fail_unless (convert != NULL);
  g_object_set (convert, "constraints", "stride-align=256", NULL);
  g_object_set (convert, "constraints", "stride-align=banana", NULL);
  g_object_get (convert, "constraints", &value, NULL);
  fail_unless_equals_string (value, "stride-align=256");

  g_free (value);
  gst_object_unref (convert);
}

GST_END_TEST;


GST_START_TEST (test_malformed_constraints_fail_the_next_state_change)
{
  GstElement *pipeline = gst_parse_launch ("videotestsrc ! "
      "allocconvert name=convert ! fakesink", NULL);
  GstElement *convert = gst_bin_get_by_name (GST_BIN (pipeline), "convert");
  const gchar *words[] = { "stride-align=banana", "stride-align",
    "Accepted fields", NULL
  };

  test_assert_refused_when_stopped (pipeline, convert, "constraints",
      "stride-align=banana", "stride-align=64", words);
  gst_object_unref (convert);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_malformed_constraints_while_playing_warn_on_the_bus)
{
  GstElement *pipeline = gst_parse_launch ("videotestsrc is-live=true ! "
      NV12_CAPS " ! allocconvert name=convert constraints=stride-align=64 ! "
      "fakesink", NULL);
  GstElement *convert = gst_bin_get_by_name (GST_BIN (pipeline), "convert");
  const gchar *words[] = { "min-buffers=8,max-buffers=2", "max-buffers",
    NULL
  };

  /* Self-contradicting rather than malformed: refused the same way. */
  test_assert_refused_when_playing (pipeline, convert, "constraints",
      "min-buffers=8,max-buffers=2", words);
  gst_object_unref (convert);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* The output pool cannot allocate when it starts (a conversion, so that
 * pool is used): its only backend runs out of file descriptors. A faked
 * backend says so at once; a real fd limit depends on how many fds the
 * GStreamer version's own objects take (allocfilter's test uses one). */
static const GstAllocCapabilities memfd_like = {
  GST_ALLOC_MEMORY_MEMFD, FALSE, GST_ALLOC_CACHE_CACHED, NULL, FALSE
};

GST_START_TEST (test_pool_that_cannot_start_gives_its_cause)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  FakeBackend *memfd = fake_backend_add (solver, "memfd", &memfd_like);
  const gchar *words[] = { "convert-output-pool", g_strerror (EMFILE), NULL };
  GError *err;

  fake_backend_fail_alloc_after (memfd, 0, EMFILE);
  err = first_error ("videotestsrc num-buffers=3 ! "
      "video/x-raw,format=I420,width=320,height=240 ! "
      "allocconvert name=convert ! video/x-raw,format=NV12 ! fakesink", solver);
  test_assert_mentions (err->message, words);
  g_error_free (err);
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_pool_budget_bounds_the_output_pool)
{
  GstAllocSolver *solver = test_memfd_solver ();
  gchar *budget = g_format_size_full (1048576, G_FORMAT_SIZE_IEC_UNITS);
  const gchar *words[] = { "output pool", "20 buffers", "budget of", budget,
    NULL
  };
  GError *err;

  err = first_error ("videotestsrc num-buffers=1 ! "
      "video/x-raw,format=I420,width=320,height=240 ! "
      "allocconvert name=convert constraints=min-buffers=20 "
      "pool-budget=1048576 ! video/x-raw,format=NV12 ! fakesink", solver);
  test_assert_mentions (err->message, words);
  g_error_free (err);
  g_free (budget);
  gst_object_unref (solver);
}

GST_END_TEST;

static Suite *
allocconvert_suite (void)
{
  Suite *s = suite_create ("allocconvert");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_buffers_from_proposed_pool_pass_through);
  tcase_add_test (tc, test_compliant_buffer_is_the_output);
  tcase_add_test (tc, test_copy_satisfies_downstream_constraints);
  tcase_add_test (tc, test_copy_preserves_every_visible_row);
  tcase_add_test (tc, test_copies_are_counted_with_their_reason);
  tcase_add_test (tc,
      test_padded_buffer_is_copied_for_reader_without_video_meta);
  tcase_add_test (tc, test_format_change_converts_pixels);
  tcase_add_test (tc, test_contiguous_without_contiguous_backend_is_an_error);
  tcase_add_test (tc, test_conflict_with_downstream_is_an_error);
  tcase_add_test (tc, test_malformed_constraints_keep_previous_value);
  tcase_add_test (tc, test_malformed_constraints_fail_the_next_state_change);
  tcase_add_test (tc, test_malformed_constraints_while_playing_warn_on_the_bus);
  tcase_add_test (tc, test_pool_that_cannot_start_gives_its_cause);
  tcase_add_test (tc, test_pool_budget_bounds_the_output_pool);
  return s;
}

int
main (int argc, char **argv)
{
  Suite *s;

  gst_check_init (&argc, &argv);
  gst_alloc_init ();
  s = allocconvert_suite ();
  return gst_check_run_suite (s, "allocconvert", __FILE__);
}
