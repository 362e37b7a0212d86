/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* alloctee's views: a branch whose needs differ from the others' only in
 * how a buffer describes the memory (one memory per plane, the default
 * layout) gets views of the shared memory, not copies: the same fd inode
 * and allocation on every branch, no byte copied, a decision that says
 * "zero-copy (view)" and why, and nothing refused with allow-copies=false.
 * A difference in the memory itself still copies (alloctee.c). */

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>
#include <gst/app/gstappsrc.h>

#include <string.h>
#include <sys/stat.h>

#include "pipeline.h"

#define FRAMES 20

/* What one branch's sink saw: per frame, the allocation behind memory 0
 * (the memory that owns it, shares counted as their parent), its fd's
 * inode, and the number of memories. */
typedef struct
{
  GPtrArray *allocations;
  GArray *inodes;
  GArray *n_memories;
} Seen;

static void
seen_free (Seen * seen)
{
  g_ptr_array_unref (seen->allocations);
  g_array_unref (seen->inodes);
  g_array_unref (seen->n_memories);
  g_free (seen);
}

static GstPadProbeReturn
record (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstMemory *mem = gst_buffer_peek_memory (buf, 0);
  guint n = gst_buffer_n_memory (buf);
  Seen *seen = user_data;
  struct stat st = { 0, };

  if (gst_is_fd_memory (mem))
    fstat (gst_fd_memory_get_fd (mem), &st);
  /* Pointers are compared, never dereferenced after the frame. */
  g_ptr_array_add (seen->allocations, mem->parent ? mem->parent : mem);
  g_array_append_val (seen->inodes, st.st_ino);
  g_array_append_val (seen->n_memories, n);
  return GST_PAD_PROBE_OK;
}

static Seen *
watch (GstElement * pipeline, const gchar * name)
{
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), name);
  Seen *seen = g_new0 (Seen, 1);
  GstPad *pad;

  fail_unless (sink != NULL, "no element %s", name);
  seen->allocations = g_ptr_array_new ();
  seen->inodes = g_array_new (FALSE, FALSE, sizeof (ino_t));
  seen->n_memories = g_array_new (FALSE, FALSE, sizeof (guint));
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, record, seen, NULL);
  gst_object_unref (pad);
  gst_object_unref (sink);
  return seen;
}

/* videotestsrc into alloctee, one allocchecksink per constraint set. */
static GstElement *
tee_pipeline (const gchar * caps, const gchar * const *wants, guint n,
    const gchar * tee)
{
  GString *desc = g_string_new (NULL);
  GstElement *pipeline;
  guint i;

  g_string_append_printf (desc, "videotestsrc num-buffers=%d ! %s ! %s name=t",
      FRAMES, caps, tee);
  for (i = 0; i < n; i++)
    g_string_append_printf (desc, " t. ! queue ! allocchecksink name=sink%u "
        "sync=false constraints=\"%s\"", i, wants[i]);
  pipeline = test_launch (desc->str);
  g_string_free (desc, TRUE);
  return pipeline;
}

/* Every branch received the very same allocations, frame by frame. */
static void
assert_same_memory (Seen ** seen, guint n)
{
  guint i, f;

  for (i = 0; i < n; i++)
    fail_unless_equals_int (seen[i]->allocations->len, FRAMES);
  for (f = 0; f < FRAMES; f++) {
    fail_unless (g_array_index (seen[0]->inodes, ino_t, f) != 0,
        "frame %u is not fd memory", f);
    for (i = 1; i < n; i++) {
      fail_unless (seen[i]->allocations->pdata[f] ==
          seen[0]->allocations->pdata[f], "branch %u, frame %u: other "
          "memory", i, f);
      fail_unless_equals_uint64 (g_array_index (seen[i]->inodes, ino_t, f),
          g_array_index (seen[0]->inodes, ino_t, f));
    }
  }
}

static void
assert_no_copy_no_violation (GstElement * pipeline, guint n)
{
  gchar *pad, *sink;
  guint i;

  for (i = 0; i < n; i++) {
    pad = g_strdup_printf ("src_%u", i);
    sink = g_strdup_printf ("sink%u", i);
    fail_unless_equals_uint64 (test_branch_uint64 (pipeline, pad, "copies"), 0);
    fail_unless_equals_uint64 (test_branch_uint64 (pipeline, pad,
            "bytes-copied"), 0);
    fail_unless_equals_uint64 (test_element_uint64 (pipeline, sink, "buffers"),
        FRAMES);
    fail_unless_equals_uint64 (test_element_uint64 (pipeline, sink,
            "violations"), 0);
    g_free (sink);
    g_free (pad);
  }
}

static const gchar *nv12_1080p =
    "video/x-raw,format=NV12,width=1920,height=1080,framerate=30/1";

/* The scenario: a V4L2 multi-planar consumer among single-plane
 * ones, put first so that the pad order does not decide. */
static const gchar *one_separate[] = {
  "planes=separate",
  "planes=single,stride-align=256",
  "planes=single,height-align=16",
  "planes=single",
};

static void
run_one_separate (const gchar * tee)
{
  GstElement *pipeline = tee_pipeline (nv12_1080p, one_separate, 4, tee);
  GPtrArray *messages = g_ptr_array_new_with_free_func (
      (GDestroyNotify) gst_message_unref);
  const GstStructure *branch;
  Seen *seen[4];
  const gchar *reason;
  gboolean view;
  gchar *name, *pad_reason;
  guint i, f;

  for (i = 0; i < 4; i++) {
    name = g_strdup_printf ("sink%u", i);
    seen[i] = watch (pipeline, name);
    g_free (name);
  }
  fail_unless (test_run (pipeline, messages) == NULL, "unexpected error");

  assert_same_memory (seen, 4);
  assert_no_copy_no_violation (pipeline, 4);
  for (f = 0; f < FRAMES; f++) {
    fail_unless_equals_int (g_array_index (seen[0]->n_memories, guint, f), 2);
    fail_unless_equals_int (g_array_index (seen[1]->n_memories, guint, f), 1);
  }
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_0", "views"),
      FRAMES);
  for (i = 1; i < 4; i++) {
    name = g_strdup_printf ("src_%u", i);
    fail_unless_equals_uint64 (test_branch_uint64 (pipeline, name, "views"), 0);
    g_free (name);
  }

  branch = test_decision_branch (test_decision (messages), 0);
  fail_unless_equals_string (gst_structure_get_string (branch, "mode"),
      "zero-copy");
  fail_unless (gst_structure_get_boolean (branch, "view", &view) && view);
  reason = gst_structure_get_string (branch, "reason");
  fail_unless (g_str_has_prefix (reason, "zero-copy (view): planes: single"),
      "%s", reason);
  fail_unless (strstr (reason, "sink0") && strstr (reason, "sink1")
      && strstr (reason, "one memory per plane"), "%s", reason);
  g_object_get (test_element_pad (pipeline, "t", "src_0"), "reason",
      &pad_reason, NULL);
  fail_unless_equals_string (pad_reason, reason);
  g_free (pad_reason);
  for (i = 1; i < 4; i++) {
    branch = test_decision_branch (test_decision (messages), i);
    fail_unless (gst_structure_get_boolean (branch, "view", &view) && !view);
    fail_unless_equals_string (gst_structure_get_string (branch, "reason"),
        "shares the tee's buffers");
  }
  for (i = 0; i < 4; i++)
    seen_free (seen[i]);
  g_ptr_array_unref (messages);
  gst_object_unref (pipeline);
}

GST_START_TEST (test_separate_planes_branch_gets_views_of_the_same_memory)
{
  run_one_separate ("alloctee");
}

GST_END_TEST;

/* Views copy nothing: forbidding copies refuses nobody. */
GST_START_TEST (test_views_are_served_when_copies_are_forbidden)
{
  run_one_separate ("alloctee allow-copies=false");
}

GST_END_TEST;

/* Three multi-planar consumers and one single-plane one: separate
 * allocations cannot be joined, so the shared buffers are one memory and
 * the three take split views. */
GST_START_TEST (test_single_plane_minority_makes_the_memory_one)
{
  static const gchar *wants[] = {
    "planes=separate", "planes=separate,stride-align=64", "planes=separate",
    "planes=single,memory=memfd|dmabuf",
  };
  GstElement *pipeline = tee_pipeline (nv12_1080p, wants, 4, "alloctee");
  GPtrArray *messages = g_ptr_array_new_with_free_func (
      (GDestroyNotify) gst_message_unref);
  const GstStructure *decision;
  Seen *seen[4];
  gchar *name;
  gboolean view;
  guint i;

  for (i = 0; i < 4; i++) {
    name = g_strdup_printf ("sink%u", i);
    seen[i] = watch (pipeline, name);
    g_free (name);
  }
  fail_unless (test_run (pipeline, messages) == NULL);
  assert_same_memory (seen, 4);
  assert_no_copy_no_violation (pipeline, 4);
  decision = test_decision (messages);
  fail_unless (strstr (gst_structure_get_string (decision, "merged"),
          "planes=single") != NULL, "%s",
      gst_structure_get_string (decision, "merged"));
  for (i = 0; i < 4; i++) {
    fail_unless (gst_structure_get_boolean (test_decision_branch (decision, i),
            "view", &view));
    fail_unless_equals_int (view, i < 3);
    seen_free (seen[i]);
  }
  g_ptr_array_unref (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Branches that can share through views count as compatible when the
 * outlier is chosen: the one that needs other memory is converted, not
 * the single-plane one that a multi-planar consumer differs from. */
GST_START_TEST (test_the_physical_outlier_is_the_one_converted)
{
  static const gchar *wants[] = {
    "planes=single,memory=memfd|dmabuf", "planes=separate", "memory=system",
  };
  GstElement *pipeline = tee_pipeline (nv12_1080p, wants, 3, "alloctee");
  GPtrArray *messages = g_ptr_array_new_with_free_func (
      (GDestroyNotify) gst_message_unref);
  const GstStructure *decision;
  gboolean view;

  fail_unless (test_run (pipeline, messages) == NULL);
  decision = test_decision (messages);
  fail_unless_equals_string (gst_structure_get_string (test_decision_branch
          (decision, 2), "mode"), "converted");
  fail_unless (gst_structure_get_boolean (test_decision_branch (decision, 1),
          "view", &view) && view);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_0", "copies"),
      0);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_1", "copies"),
      0);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_1", "views"),
      FRAMES);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_2", "copies"),
      FRAMES);
  g_ptr_array_unref (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* A reader without GstVideoMeta beside a consumer that wants rows of
 * padding: for a one-plane format the strides agree, so the reader gets
 * one memory from the first visible row, at the default layout. */
GST_START_TEST (test_default_reader_beside_padded_rows_gets_trimmed_views)
{
  static const gchar *wants[] = {
    "padding-top=8,height-align=16", "default-layout=true",
  };
  GstElement *pipeline = tee_pipeline ("video/x-raw,format=YUY2,width=320,"
      "height=180,framerate=30/1", wants, 2, "alloctee");
  GPtrArray *messages = g_ptr_array_new_with_free_func (
      (GDestroyNotify) gst_message_unref);
  const GstStructure *branch;
  Seen *seen[2] = { watch (pipeline, "sink0"), watch (pipeline, "sink1") };
  const gchar *reason;

  fail_unless (test_run (pipeline, messages) == NULL);
  assert_same_memory (seen, 2);
  assert_no_copy_no_violation (pipeline, 2);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_1", "views"),
      FRAMES);
  branch = test_decision_branch (test_decision (messages), 1);
  reason = gst_structure_get_string (branch, "reason");
  fail_unless (g_str_has_prefix (reason, "zero-copy (view): "), "%s", reason);
  fail_unless (strstr (reason, "default layout") != NULL, "%s", reason);
  seen_free (seen[0]);
  seen_free (seen[1]);
  g_ptr_array_unref (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* When GstVideoInfo's default stride is already a multiple of every
 * stride-align, the layout is the default one and a reader without
 * GstVideoMeta shares it as it is: no view, no copy. */
GST_START_TEST (test_default_reader_shares_a_tight_layout_as_it_is)
{
  static const gchar *wants[] = {
    "default-layout=true", "stride-align=128", "stride-align=64,"
        "memory=memfd|dmabuf",
  };
  GstElement *pipeline = tee_pipeline (nv12_1080p, wants, 3, "alloctee");
  GPtrArray *messages = g_ptr_array_new_with_free_func (
      (GDestroyNotify) gst_message_unref);
  Seen *seen[3] = { watch (pipeline, "sink0"), watch (pipeline, "sink1"),
    watch (pipeline, "sink2")
  };
  gboolean view;
  guint i;

  fail_unless (test_run (pipeline, messages) == NULL);
  assert_same_memory (seen, 3);
  assert_no_copy_no_violation (pipeline, 3);
  for (i = 0; i < 3; i++) {
    fail_unless (gst_structure_get_boolean (test_decision_branch
            (test_decision (messages), i), "view", &view) && !view);
    seen_free (seen[i]);
  }
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_0", "views"),
      0);
  g_ptr_array_unref (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Where the stride itself differs, a view cannot help: the reader without
 * GstVideoMeta is the one converted, the majority keeps its stride. */
GST_START_TEST (test_default_reader_with_another_stride_is_converted)
{
  static const gchar *wants[] = {
    "default-layout=true", "stride-align=256", "stride-align=256,"
        "cpu-access=read", "memory=memfd|dmabuf",
  };
  GstElement *pipeline = tee_pipeline ("video/x-raw,format=NV12,width=1000,"
      "height=100,framerate=30/1", wants, 4, "alloctee");
  GPtrArray *messages = g_ptr_array_new_with_free_func (
      (GDestroyNotify) gst_message_unref);
  const GstStructure *branch;
  const gchar *reason;
  guint i;

  fail_unless (test_run (pipeline, messages) == NULL);
  branch = test_decision_branch (test_decision (messages), 0);
  fail_unless_equals_string (gst_structure_get_string (branch, "mode"),
      "converted");
  reason = gst_structure_get_string (branch, "reason");
  fail_unless (strstr (reason, "stride") != NULL, "%s", reason);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_0", "copies"),
      FRAMES);
  for (i = 1; i < 4; i++)
    fail_unless_equals_string (gst_structure_get_string
        (test_decision_branch (test_decision (messages), i), "mode"),
        "zero-copy");
  g_ptr_array_unref (messages);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Behind a stock tee the producer allocates from a stock pool of its own:
 * a view would hold its memory and make that pool drop the buffer when it
 * comes back, so the multi-planar branch gets copies, with the reason. */
GST_START_TEST (test_producer_s_pooled_buffers_are_copied_not_viewed)
{
  GstElement *pipeline = test_launch ("videotestsrc num-buffers=20 ! "
      "video/x-raw,format=NV12,width=640,height=480 ! tee ! alloctee name=t "
      "t. ! queue ! allocchecksink name=sink0 sync=false "
      "constraints=planes=separate "
      "t. ! queue ! allocchecksink name=sink1 sync=false "
      "constraints=planes=single");
  gchar *why;

  fail_unless (test_run (pipeline, NULL) == NULL);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_0", "copies"),
      FRAMES);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_0", "views"),
      0);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_1", "copies"),
      0);
  g_object_get (test_element_pad (pipeline, "t", "src_0"), "last-copy-reason",
      &why, NULL);
  fail_unless (strstr (why, "did not use the offered pool"), "%s", why);
  g_free (why);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Buffers of no pool (an application's, through appsrc): nothing to
 * return them to, so the multi-planar branch gets views of them, checked
 * in full, and the other branch the buffers as they are. */
GST_START_TEST (test_pool_less_buffers_are_viewed)
{
  GstElement *pipeline = test_launch ("appsrc name=src format=time "
      "caps=video/x-raw,format=NV12,width=640,height=480,framerate=30/1 ! "
      "alloctee name=t "
      "t. ! queue ! allocchecksink name=sink0 sync=false "
      "constraints=planes=separate "
      "t. ! queue ! allocchecksink name=sink1 sync=false "
      "constraints=planes=single");
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  Seen *seen[2] = { watch (pipeline, "sink0"), watch (pipeline, "sink1") };
  GstBuffer *buf;
  guint f;

  for (f = 0; f < FRAMES; f++) {
    buf = gst_buffer_new_allocate (NULL, 640 * 480 * 3 / 2, NULL);
    gst_buffer_memset (buf, 0, f, 640 * 480 * 3 / 2);
    GST_BUFFER_PTS (buf) = f * GST_SECOND / 30;
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (src), buf),
        GST_FLOW_OK);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  fail_unless (test_run (pipeline, NULL) == NULL);
  assert_no_copy_no_violation (pipeline, 2);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_0", "views"),
      FRAMES);
  for (f = 0; f < FRAMES; f++) {
    fail_unless (seen[0]->allocations->pdata[f] ==
        seen[1]->allocations->pdata[f]);
    fail_unless_equals_int (g_array_index (seen[0]->n_memories, guint, f), 2);
  }
  seen_free (seen[0]);
  seen_free (seen[1]);
  gst_object_unref (src);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Links a planes=separate branch to @pipeline's tee once its first branch
 * got 10 frames; returns the new tee pad. */
static GstPad *
link_late_branch (GstElement * pipeline, GstElement * tee)
{
  GstElement *queue = gst_element_factory_make ("queue", NULL);
  GstElement *sink = gst_element_factory_make ("allocchecksink", "late");
  GstPad *pad, *sinkpad;
  gint64 end = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  while (test_element_uint64 (pipeline, "sink0", "buffers") < 10
      && g_get_monotonic_time () < end)
    g_usleep (5000);
  fail_unless (test_element_uint64 (pipeline, "sink0", "buffers") >= 10);
  g_object_set (sink, "sync", FALSE, "async", FALSE, "constraints",
      "planes=separate", NULL);
  gst_bin_add_many (GST_BIN (pipeline), queue, sink, NULL);
  fail_unless (gst_element_link (queue, sink));
  gst_element_sync_state_with_parent (sink);
  gst_element_sync_state_with_parent (queue);
  pad = gst_element_request_pad_simple (tee, "src_%u");
  sinkpad = gst_element_get_static_pad (queue, "sink");
  fail_unless_equals_int (gst_pad_link (pad, sinkpad), GST_PAD_LINK_OK);
  gst_object_unref (sinkpad);
  return pad;
}

/* Linked while frames flow, a branch that only needs another description
 * joins as the shared buffers are, through views: no copy, no refusal. */
GST_START_TEST (test_late_separate_branch_joins_through_views)
{
  GstElement *pipeline = test_launch ("videotestsrc is-live=true "
      "num-buffers=60 ! video/x-raw,format=NV12,width=320,height=240,"
      "framerate=100/1 ! alloctee name=t allow-copies=false t. ! queue ! "
      "allocchecksink name=sink0 sync=false constraints=planes=single");
  GstElement *tee = gst_bin_get_by_name (GST_BIN (pipeline), "t");
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GstPad *late;
  gchar *reason;
  guint64 views, copies;

  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  late = link_late_branch (pipeline, tee);
  msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND, GST_MESSAGE_EOS |
      GST_MESSAGE_ERROR);
  fail_unless (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  g_object_get (late, "views", &views, "copies", &copies, "reason", &reason,
      NULL);
  fail_unless (views > 0, "no view reached the late branch");
  fail_unless_equals_uint64 (copies, 0);
  fail_unless (g_str_has_prefix (reason, "zero-copy (view): planes"), "%s",
      reason);
  fail_unless_equals_uint64 (test_element_uint64 (pipeline, "late",
          "buffers"), views);
  fail_unless_equals_uint64 (test_element_uint64 (pipeline, "late",
          "violations"), 0);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_free (reason);
  gst_object_unref (late);
  gst_object_unref (bus);
  gst_object_unref (tee);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
allocteeviews_suite (void)
{
  Suite *s = suite_create ("allocteeviews");
  TCase *views = tcase_create ("views");

  suite_add_tcase (s, views);
  tcase_add_test (views,
      test_separate_planes_branch_gets_views_of_the_same_memory);
  tcase_add_test (views, test_views_are_served_when_copies_are_forbidden);
  tcase_add_test (views, test_single_plane_minority_makes_the_memory_one);
  tcase_add_test (views, test_the_physical_outlier_is_the_one_converted);
  tcase_add_test (views,
      test_default_reader_beside_padded_rows_gets_trimmed_views);
  tcase_add_test (views, test_default_reader_shares_a_tight_layout_as_it_is);
  tcase_add_test (views, test_default_reader_with_another_stride_is_converted);
  tcase_add_test (views, test_producer_s_pooled_buffers_are_copied_not_viewed);
  tcase_add_test (views, test_pool_less_buffers_are_viewed);
  tcase_add_test (views, test_late_separate_branch_joins_through_views);
  return s;
}

GST_CHECK_MAIN (allocteeviews);
