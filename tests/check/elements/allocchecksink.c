/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* allocchecksink: what it declares in ALLOCATION queries (in our vocabulary
 * and the stock one), the buffers it counts and checks, the warnings and
 * errors it posts, what it records about memory, how it refuses
 * malformed constraints (loudly), and what its pool says and may
 * allocate. */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/alloc/alloc.h>

#include "child.h"
#include "refusals.h"

#include <errno.h>
#include <string.h>

#include "testutil.h"

/* NV12 1000x100: a 1000-byte stride is not a multiple of 256. */
#define UNALIGNED_CAPS \
  "video/x-raw,format=NV12,width=1000,height=100,framerate=30/1"

static GstElement *
make_sink (void)
{
  GstElement *sink = gst_element_factory_make ("allocchecksink", NULL);

  fail_unless (sink != NULL, "cannot make allocchecksink: is "
      "GST_PLUGIN_PATH_1_0 set to the build's gst/ directory?");
  return sink;
}

/* A harness around the sink with a bus to collect what it posts. */
static GstHarness *
harness_sink (const gchar * constraints, GstBus ** bus)
{
  GstElement *sink = make_sink ();
  GstHarness *h = gst_harness_new_with_element (sink, "sink", NULL);

  gst_object_unref (sink);
  g_object_set (h->element, "sync", FALSE, "constraints", constraints, NULL);
  *bus = gst_bus_new ();
  gst_element_set_bus (h->element, *bus);
  gst_harness_set_src_caps_str (h, UNALIGNED_CAPS);
  return h;
}

/* Flushing the bus first drops the messages, which hold the element. */
static void
harness_teardown (GstHarness * h, GstBus * bus)
{
  gst_bus_set_flushing (bus, TRUE);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

static GstFlowReturn
push_plain_buffer (GstHarness * h)
{
  GstVideoInfo info;
  GstCaps *caps = gst_caps_from_string (UNALIGNED_CAPS);

  fail_unless (gst_video_info_from_caps (&info, caps));
  gst_caps_unref (caps);
  return gst_harness_push (h, gst_buffer_new_allocate (NULL, info.size, NULL));
}

static guint
count_messages (GstBus * bus, GstMessageType type)
{
  GstMessage *msg;
  guint n = 0;

  while ((msg = gst_bus_pop_filtered (bus, type))) {
    n++;
    gst_message_unref (msg);
  }
  return n;
}

static GstQuery *
nv12_allocation_query (gboolean need_pool)
{
  GstCaps *caps = gst_caps_from_string
      ("video/x-raw,format=NV12,width=320,height=240,framerate=30/1");
  GstQuery *query = gst_query_new_allocation (caps, need_pool);

  gst_caps_unref (caps);
  return query;
}

static gchar *
get_string (GstElement * element, const gchar * property)
{
  gchar *value = NULL;

  g_object_get (element, property, &value, NULL);
  return value;
}

static guint64
get_uint64 (GstElement * element, const gchar * property)
{
  guint64 value = 0;

  g_object_get (element, property, &value, NULL);
  return value;
}

/* Runs @pipeline to EOS; any error fails the test. */
static void
run_to_eos (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GError *err = NULL;

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PLAYING),
      GST_STATE_CHANGE_ASYNC);
  msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gst_message_parse_error (msg, &err, NULL);
    fail ("pipeline error: %s", err->message);
  }
  gst_message_unref (msg);
  gst_object_unref (bus);
}

static GstElement *
videotestsrc_pipeline (const gchar * constraints, GstElement ** sink)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *src = gst_element_factory_make ("videotestsrc", NULL);
  GstElement *filter = gst_element_factory_make ("capsfilter", NULL);
  GstCaps *caps = gst_caps_from_string
      ("video/x-raw,format=NV12,width=1920,height=1080");

  fail_unless (src != NULL && filter != NULL, "gst-plugins-base missing");
  *sink = make_sink ();
  g_object_set (src, "num-buffers", 10, NULL);
  g_object_set (filter, "caps", caps, NULL);
  g_object_set (*sink, "sync", FALSE, "constraints", constraints, NULL);
  gst_caps_unref (caps);
  gst_bin_add_many (GST_BIN (pipeline), src, filter, *sink, NULL);
  fail_unless (gst_element_link_many (src, filter, *sink, NULL));
  return pipeline;
}

static gchar *
constraints_in_query (GstQuery * query)
{
  const GstStructure *params = NULL;
  GstAllocConstraints *c;
  gchar *str;
  guint index;

  fail_unless (gst_query_find_allocation_meta (query,
          GST_ALLOC_CONSTRAINTS_META_API_TYPE, &index),
      "no constraint meta in the answer");
  gst_query_parse_nth_allocation_meta (query, index, &params);
  fail_unless (params != NULL);
  c = gst_alloc_constraints_from_structure (params, NULL);
  fail_unless (c != NULL);
  str = gst_alloc_constraints_to_string (c);
  gst_alloc_constraints_free (c);
  return str;
}

static guint
video_meta_param (GstQuery * query, const gchar * field)
{
  const GstStructure *params = NULL;
  guint index, value = 0;

  fail_unless (gst_query_find_allocation_meta (query, GST_VIDEO_META_API_TYPE,
          &index), "no GstVideoMeta API in the answer");
  gst_query_parse_nth_allocation_meta (query, index, &params);
  fail_unless (params != NULL, "no video-meta params");
  fail_unless (gst_structure_get_uint (params, field, &value), "no %s", field);
  return value;
}

static gchar *
canonical (const gchar * constraints)
{
  GstAllocConstraints *c = gst_alloc_constraints_from_string (constraints,
      NULL, NULL);
  gchar *str;

  fail_unless (c != NULL);
  str = gst_alloc_constraints_to_string (c);
  gst_alloc_constraints_free (c);
  return str;
}

GST_START_TEST (test_answer_carries_its_constraints)
{
  GstBus *bus;
  GstHarness *h = harness_sink ("stride-align=256,height-align=16", &bus);
  GstQuery *query = nv12_allocation_query (TRUE);
  gchar *got, *want = canonical ("stride-align=256,height-align=16");

  fail_unless (gst_pad_peer_query (h->srcpad, query));
  got = constraints_in_query (query);
  fail_unless_equals_string (got, want);
  g_free (got);
  g_free (want);
  gst_query_unref (query);
  harness_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_answer_carries_video_meta_params)
{
  GstBus *bus;
  GstHarness *h = harness_sink ("stride-align=256,height-align=16", &bus);
  GstQuery *query = nv12_allocation_query (TRUE);

  fail_unless (gst_pad_peer_query (h->srcpad, query));
  /* stride-align is a mask in the stock vocabulary. */
  fail_unless_equals_int (video_meta_param (query, "stride-align0"), 255);
  fail_unless_equals_int (video_meta_param (query, "stride-align1"), 255);
  /* 240 rows padded to 240: already a multiple of 16. */
  fail_unless_equals_int (video_meta_param (query, "padding-bottom"), 0);
  fail_unless_equals_int (video_meta_param (query, "padding-top"), 0);
  gst_query_unref (query);
  harness_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_answer_offers_alloc_pool_when_asked)
{
  GstBus *bus;
  GstHarness *h = harness_sink ("stride-align=256", &bus);
  GstQuery *query = nv12_allocation_query (TRUE);
  GstBufferPool *pool = NULL;

  fail_unless (gst_pad_peer_query (h->srcpad, query));
  fail_unless_equals_int (gst_query_get_n_allocation_pools (query), 1);
  gst_query_parse_nth_allocation_pool (query, 0, &pool, NULL, NULL, NULL);
  fail_unless (pool != NULL);
  fail_unless_equals_string (G_OBJECT_TYPE_NAME (pool), "GstAllocPool");
  gst_object_unref (pool);
  gst_query_unref (query);
  harness_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_answer_without_pool_still_carries_constraints)
{
  GstBus *bus;
  GstHarness *h = harness_sink ("stride-align=256,offset-align=64", &bus);
  GstQuery *query = nv12_allocation_query (FALSE);
  GstAllocationParams params;
  gchar *got, *want = canonical ("stride-align=256,offset-align=64");

  fail_unless (gst_pad_peer_query (h->srcpad, query));
  fail_unless_equals_int (gst_query_get_n_allocation_pools (query), 0);
  got = constraints_in_query (query);
  fail_unless_equals_string (got, want);
  fail_unless_equals_int (video_meta_param (query, "stride-align0"), 255);
  fail_unless_equals_int (gst_query_get_n_allocation_params (query), 1);
  gst_query_parse_nth_allocation_param (query, 0, NULL, &params);
  fail_unless_equals_int (params.align, 63);
  g_free (got);
  g_free (want);
  gst_query_unref (query);
  harness_teardown (h, bus);
}

GST_END_TEST;

/* Asks @h's sink for a pool it cannot give and asserts its answer: no
 * pool, its constraints (@constraints) all the same, and a warning on @bus
 * that mentions every one of @words. */
static void
assert_answer_without_pool_warns (GstHarness * h, GstBus * bus,
    const gchar * constraints, const gchar * const *words)
{
  GstQuery *query = nv12_allocation_query (TRUE);
  gchar *got;

  fail_unless (gst_pad_peer_query (h->srcpad, query));
  fail_unless_equals_int (gst_query_get_n_allocation_pools (query), 0);
  got = constraints_in_query (query);
  fail_unless_equals_string (got, constraints);
  test_assert_pending_warning_mentions (bus, words);
  g_free (got);
  gst_query_unref (query);
}

GST_START_TEST (test_unsatisfiable_pool_warns_and_still_answers)
{
  GstBus *bus;
  GstHarness *h = harness_sink ("contiguous=true", &bus);
  GstAllocSolver *solver = test_memfd_solver ();
  const gchar *contiguous[] = { "contiguous", NULL };

  /* memfd is never physically contiguous. */
  g_object_set (h->element, "solver", solver, NULL);
  assert_answer_without_pool_warns (h, bus, "contiguous=true", contiguous);
  gst_object_unref (solver);
  harness_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_videotestsrc_buffers_satisfy_the_constraints)
{
  GstElement *sink;
  GstElement *pipeline = videotestsrc_pipeline
      ("stride-align=256,height-align=16", &sink);

  run_to_eos (pipeline);
  fail_unless_equals_uint64 (get_uint64 (sink, "buffers"), 10);
  fail_unless_equals_uint64 (get_uint64 (sink, "violations"), 0);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_violations_are_counted_per_buffer)
{
  GstBus *bus;
  GstHarness *h = harness_sink ("stride-align=256", &bus);
  gchar *last;
  guint i;

  for (i = 0; i < 3; i++)
    fail_unless_equals_int (push_plain_buffer (h), GST_FLOW_OK);
  fail_unless_equals_uint64 (get_uint64 (h->element, "buffers"), 3);
  fail_unless_equals_uint64 (get_uint64 (h->element, "violations"), 3);
  last = get_string (h->element, "last-violation");
  fail_unless (last && strstr (last, "stride-align") != NULL, "%s", last);
  g_free (last);
  harness_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_same_violation_warns_once)
{
  GstBus *bus;
  GstHarness *h = harness_sink ("stride-align=256", &bus);
  guint i;

  for (i = 0; i < 3; i++)
    fail_unless_equals_int (push_plain_buffer (h), GST_FLOW_OK);
  fail_unless_equals_int (count_messages (bus, GST_MESSAGE_WARNING), 1);
  harness_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_fail_on_violation_stops_at_first_buffer)
{
  GstBus *bus;
  GstHarness *h = harness_sink ("stride-align=256", &bus);
  GstMessage *msg;
  GError *err = NULL;

  g_object_set (h->element, "fail-on-violation", TRUE, NULL);
  fail_unless_equals_int (push_plain_buffer (h), GST_FLOW_ERROR);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no error posted");
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (strstr (err->message, "stride-align") != NULL, "%s",
      err->message);
  g_clear_error (&err);
  gst_message_unref (msg);
  harness_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_plain_buffers_are_system_memory)
{
  GstBus *bus;
  GstHarness *h = harness_sink ("", &bus);
  gchar *kinds, *id;

  fail_unless_equals_int (push_plain_buffer (h), GST_FLOW_OK);
  kinds = get_string (h->element, "memory-kinds");
  fail_unless_equals_string (kinds, "system");
  id = get_string (h->element, "last-memory-id");
  fail_unless (g_str_has_prefix (id, "address 0x"), "%s", id);
  g_free (kinds);
  g_free (id);
  harness_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_memfd_pool_buffers_are_memfd_memory)
{
  GstElement *sink;
  GstElement *pipeline = videotestsrc_pipeline ("stride-align=256", &sink);
  GstAllocSolver *solver = test_memfd_solver ();
  gchar *kinds, *exporters, *id;

  g_object_set (sink, "solver", solver, NULL);
  run_to_eos (pipeline);
  kinds = get_string (sink, "memory-kinds");
  fail_unless_equals_string (kinds, "memfd");
  exporters = get_string (sink, "exporters");
  fail_unless_equals_string (exporters, "");
  id = get_string (sink, "last-memory-id");
  fail_unless (g_str_has_prefix (id, "inode "), "%s", id);
  fail_unless_equals_uint64 (get_uint64 (sink, "violations"), 0);
  g_free (kinds);
  g_free (exporters);
  g_free (id);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_malformed_constraints_are_refused)
{
  GstElement *sink = make_sink ();
  gchar *got, *want = canonical ("stride-align=256");

  g_object_set (sink, "constraints", "stride-align=256", NULL);
  g_object_set (sink, "constraints", "stride-align=banana", NULL);
  got = get_string (sink, "constraints");
  fail_unless_equals_string (got, want);
  g_free (got);
  g_free (want);
  gst_object_unref (sink);
}

GST_END_TEST;

GST_START_TEST (test_counters_reset_on_start)
{
  GstBus *bus;
  GstHarness *h = harness_sink ("stride-align=256", &bus);

  fail_unless_equals_int (push_plain_buffer (h), GST_FLOW_OK);
  gst_element_set_state (h->element, GST_STATE_NULL);
  gst_element_set_state (h->element, GST_STATE_PLAYING);
  fail_unless_equals_uint64 (get_uint64 (h->element, "buffers"), 0);
  fail_unless_equals_uint64 (get_uint64 (h->element, "violations"), 0);
  harness_teardown (h, bus);
}

GST_END_TEST;


GST_START_TEST (test_malformed_constraints_fail_the_next_state_change)
{
  GstElement *sink = make_sink ();
  const gchar *words[] = { "stride-align=banana", "stride-align",
    "Accepted fields", NULL
  };

  test_assert_lone_refused_when_stopped (sink, "constraints",
      "stride-align=banana", "stride-align=64", words);
  gst_object_unref (sink);
}

GST_END_TEST;

GST_START_TEST (test_malformed_constraints_while_playing_warn_on_the_bus)
{
  GstElement *pipeline = gst_parse_launch ("videotestsrc is-live=true ! "
      UNALIGNED_CAPS " ! allocchecksink name=sink "
      "constraints=stride-align=64", NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  const gchar *words[] = { "stride-align=banana", "Accepted fields", NULL };

  test_assert_refused_when_playing (pipeline, sink, "constraints",
      "stride-align=banana", words);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Out of file descriptors while the sink's pool starts in videotestsrc:
 * memfd only, so no other backend takes over. */
GST_START_TEST (test_pool_that_cannot_start_gives_its_cause)
{
  const gchar *words[] = { "sink-pool", "memfd_create", g_strerror (EMFILE),
    NULL
  };

  test_assert_first_error_with_few_fds ("videotestsrc num-buffers=3 ! "
      "video/x-raw,format=NV12,width=320,height=240 ! "
      "allocchecksink name=sink constraints=memory=memfd", "sink", words);
}

GST_END_TEST;

GST_START_TEST (test_pool_budget_bounds_the_offered_pool)
{
  GstBus *bus;
  GstHarness *h = harness_sink ("min-buffers=20", &bus);
  gchar *budget = g_format_size_full (1048576, G_FORMAT_SIZE_IEC_UNITS);
  const gchar *words[] = { "20 buffers", "budget of", budget, NULL };

  g_object_set (h->element, "pool-budget", (guint64) 1048576, NULL);
  /* Without a pool the needs still travel. */
  assert_answer_without_pool_warns (h, bus, "min-buffers=20", words);
  g_free (budget);
  harness_teardown (h, bus);
}

GST_END_TEST;

static Suite *
allocchecksink_suite (void)
{
  Suite *s = suite_create ("allocchecksink");
  TCase *query = tcase_create ("query");
  TCase *check = tcase_create ("check");
  TCase *props = tcase_create ("properties");

  suite_add_tcase (s, query);
  tcase_add_test (query, test_answer_carries_its_constraints);
  tcase_add_test (query, test_answer_carries_video_meta_params);
  tcase_add_test (query, test_answer_offers_alloc_pool_when_asked);
  tcase_add_test (query, test_answer_without_pool_still_carries_constraints);
  tcase_add_test (query, test_unsatisfiable_pool_warns_and_still_answers);

  suite_add_tcase (s, check);
  tcase_add_test (check, test_videotestsrc_buffers_satisfy_the_constraints);
  tcase_add_test (check, test_violations_are_counted_per_buffer);
  tcase_add_test (check, test_same_violation_warns_once);
  tcase_add_test (check, test_fail_on_violation_stops_at_first_buffer);
  tcase_add_test (check, test_plain_buffers_are_system_memory);
  tcase_add_test (check, test_memfd_pool_buffers_are_memfd_memory);

  suite_add_tcase (s, props);
  tcase_add_test (props, test_malformed_constraints_are_refused);
  tcase_add_test (props, test_counters_reset_on_start);
  tcase_add_test (props, test_malformed_constraints_fail_the_next_state_change);
  tcase_add_test (props,
      test_malformed_constraints_while_playing_warn_on_the_bus);
  tcase_add_test (query, test_pool_that_cannot_start_gives_its_cause);
  tcase_add_test (query, test_pool_budget_bounds_the_offered_pool);
  return s;
}

GST_CHECK_MAIN (allocchecksink);
