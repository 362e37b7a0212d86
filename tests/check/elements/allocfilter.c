/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* allocfilter: its constraints reach the producer merged with downstream's,
 * with our sink and with stock ones; conflicts and unsatisfiable sets fail
 * with an error naming the field; changing the constraints asks upstream to
 * query again; check=true counts buffers that miss them. */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/alloc/alloc.h>

#include <errno.h>
#include <string.h>

typedef struct
{
  GstAllocConstraints *constraints;
  guint buffers;
  guint violations;
  gchar *last_violation;
} Probe;

static GstElement *
make_element (const gchar * factory)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  fail_unless (element != NULL, "cannot make %s: is GST_PLUGIN_PATH_1_0 set "
      "to the build's gst/ directory and gst-plugins-base installed?", factory);
  return element;
}

static GstHarness *
harness_filter (void)
{
  GstElement *filter = make_element ("allocfilter");
  GstHarness *h = gst_harness_new_with_element (filter, "sink", "src");

  gst_object_unref (filter);
  return h;
}

static GstElement *
parse_pipeline (const gchar * description)
{
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (description, &err);

  fail_unless (pipeline != NULL, "cannot make \"%s\": %s", description,
      err ? err->message : "?");
  fail_unless (err == NULL, "\"%s\": %s", description, err->message);
  return pipeline;
}

static GstElement *
by_name (GstElement * pipeline, const gchar * name)
{
  GstElement *element = gst_bin_get_by_name (GST_BIN (pipeline), name);

  fail_unless (element != NULL, "no element %s", name);
  return element;
}

/* Checks every buffer reaching @pad against @probe's constraints. */
static GstPadProbeReturn
check_buffer_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Probe *probe = user_data;
  GstCaps *caps = gst_pad_get_current_caps (pad);
  GstVideoInfo vinfo;
  GError *err = NULL;

  fail_unless (caps != NULL && gst_video_info_from_caps (&vinfo, caps));
  gst_caps_unref (caps);
  probe->buffers++;
  if (!gst_alloc_constraints_check_buffer (probe->constraints, &vinfo,
          GST_PAD_PROBE_INFO_BUFFER (info), &err)) {
    probe->violations++;
    g_free (probe->last_violation);
    probe->last_violation = g_strdup (err->message);
    g_clear_error (&err);
  }
  return GST_PAD_PROBE_OK;
}

static void
probe_sink_pad (GstElement * pipeline, const gchar * name,
    const gchar * constraints, Probe * probe)
{
  GstElement *element = by_name (pipeline, name);
  GstPad *pad = gst_element_get_static_pad (element, "sink");

  memset (probe, 0, sizeof (*probe));
  probe->constraints = gst_alloc_constraints_from_string (constraints,
      "test", NULL);
  fail_unless (probe->constraints != NULL);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, check_buffer_probe,
      probe, NULL);
  gst_object_unref (pad);
  gst_object_unref (element);
}

static void
probe_clear (Probe * probe)
{
  gst_alloc_constraints_free (probe->constraints);
  g_free (probe->last_violation);
}

/* Plays @pipeline until EOS or an error; returns the error message, or
 * NULL at EOS. Warnings on the way are counted in @warnings when they
 * mention @word (the bus drops them once the pipeline is stopped). */
static gchar *
play (GstElement * pipeline, gchar ** source, const gchar * word,
    guint * warnings)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GError *err = NULL;
  gchar *message = NULL;
  gboolean done = FALSE;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while (!done) {
    msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING);
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING) {
      gst_message_parse_warning (msg, &err, NULL);
      if (warnings && strstr (err->message, word))
        (*warnings)++;
    } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      gst_message_parse_error (msg, &err, NULL);
      message = g_strdup (err->message);
      if (source)
        *source = gst_object_get_name (GST_MESSAGE_SRC (msg));
      done = TRUE;
    } else {
      done = TRUE;
    }
    g_clear_error (&err);
    gst_message_unref (msg);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  return message;
}

static void
play_to_eos (GstElement * pipeline)
{
  gchar *error = play (pipeline, NULL, NULL, NULL);

  fail_unless (error == NULL, "pipeline error: %s", error);
}

static guint64
get_uint64 (GstElement * pipeline, const gchar * name, const gchar * property)
{
  GstElement *element = by_name (pipeline, name);
  guint64 value = 0;

  g_object_get (element, property, &value, NULL);
  gst_object_unref (element);
  return value;
}

GST_START_TEST (test_filter_and_sink_constraints_both_hold)
{
  GstElement *pipeline = parse_pipeline ("videotestsrc num-buffers=10 ! "
      "video/x-raw,format=NV12,width=1920,height=1080 ! "
      "allocfilter constraints=stride-align=256 ! "
      "allocchecksink name=sink constraints=height-align=16 sync=false");
  Probe probe;

  probe_sink_pad (pipeline, "sink", "stride-align=256,height-align=16", &probe);
  play_to_eos (pipeline);
  fail_unless_equals_int (probe.buffers, 10);
  fail_unless_equals_int (probe.violations, 0);
  fail_unless_equals_uint64 (get_uint64 (pipeline, "sink", "violations"), 0);
  probe_clear (&probe);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_constraints_reach_upstream_past_stock_sink)
{
  GstElement *pipeline = parse_pipeline ("videotestsrc num-buffers=10 ! "
      "video/x-raw,format=NV12,width=1000,height=100 ! "
      "allocfilter constraints=stride-align=256 ! "
      "fakesink name=sink sync=false");
  Probe probe;

  probe_sink_pad (pipeline, "sink", "stride-align=256", &probe);
  play_to_eos (pipeline);
  fail_unless_equals_int (probe.buffers, 10);
  fail_unless_equals_int (probe.violations, 0);
  probe_clear (&probe);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_conflict_with_downstream_is_an_error_naming_field)
{
  GstElement *pipeline = parse_pipeline ("videotestsrc num-buffers=10 ! "
      "video/x-raw,format=NV12,width=320,height=240 ! "
      "allocfilter name=filter constraints=cache=cached ! "
      "allocchecksink constraints=cache=uncached sync=false");
  gchar *source = NULL;
  gchar *error = play (pipeline, &source, NULL, NULL);

  fail_unless (error != NULL, "no error posted");
  fail_unless (strstr (error, "cache") != NULL, "%s", error);
  fail_unless_equals_string (source, "filter");
  g_free (error);
  g_free (source);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_unsatisfiable_constraints_are_an_error_naming_field)
{
  GstElement *pipeline = parse_pipeline ("videotestsrc num-buffers=10 ! "
      "video/x-raw,format=NV12,width=320,height=240 ! "
      "allocfilter name=filter ! fakesink sync=false");
  GstElement *filter = by_name (pipeline, "filter");
  GstAllocSolver *solver = gst_alloc_solver_new ();
  GstAllocator *memfd = gst_alloc_memfd_allocator_new ();
  gchar *source = NULL, *error;

  /* memfd is never physically contiguous. */
  gst_alloc_solver_add_backend (solver, memfd);
  g_object_set (filter, "solver", solver, "constraints", "contiguous=true",
      NULL);
  error = play (pipeline, &source, NULL, NULL);
  fail_unless (error != NULL, "no error posted");
  fail_unless (strstr (error, "contiguous") != NULL, "%s", error);
  fail_unless_equals_string (source, "filter");
  g_free (error);
  g_free (source);
  gst_object_unref (memfd);
  gst_object_unref (solver);
  gst_object_unref (filter);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_missing_device_is_an_error_naming_it)
{
  GstElement *pipeline = parse_pipeline ("videotestsrc num-buffers=10 ! "
      "video/x-raw,format=NV12,width=320,height=240 ! "
      "allocfilter name=filter device=/dev/gst-alloc-no-such-device ! "
      "fakesink sync=false");
  gchar *source = NULL;
  gchar *error = play (pipeline, &source, NULL, NULL);

  fail_unless (error != NULL, "no error posted");
  fail_unless (strstr (error, "/dev/gst-alloc-no-such-device") != NULL, "%s",
      error);
  fail_unless (strstr (error, g_strerror (ENOENT)) != NULL, "%s", error);
  fail_unless_equals_string (source, "filter");
  g_free (error);
  g_free (source);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_check_counts_buffers_missing_its_constraints)
{
  /* tee hands upstream no pool, so videotestsrc lays frames out itself. */
  GstElement *pipeline = parse_pipeline ("videotestsrc num-buffers=10 ! "
      "video/x-raw,format=NV12,width=320,height=240 ! tee ! "
      "allocfilter name=filter check=true constraints=stride-align=4096 ! "
      "fakesink sync=false");
  guint warnings = 0;
  gchar *error = play (pipeline, NULL, "stride-align", &warnings);

  fail_unless (error == NULL, "pipeline error: %s", error);
  fail_unless_equals_uint64 (get_uint64 (pipeline, "filter", "violations"), 10);
  /* Every buffer fails the same way: one warning. */
  fail_unless_equals_int (warnings, 1);
  gst_object_unref (pipeline);
}

GST_END_TEST;

typedef struct
{
  GstElement *filter;
  GstAllocConstraints *constraints;
  guint buffers;
  guint violations_after_change;
} LiveChange;

/* Changes the filter's constraints at the fourth buffer, from the
 * streaming thread, and checks every later buffer against the new ones. */
static GstPadProbeReturn
change_constraints_probe (GstPad * pad, GstPadProbeInfo * info,
    gpointer user_data)
{
  LiveChange *change = user_data;
  GstCaps *caps = gst_pad_get_current_caps (pad);
  GstVideoInfo vinfo;

  fail_unless (caps != NULL && gst_video_info_from_caps (&vinfo, caps));
  gst_caps_unref (caps);
  if (change->buffers > 3 && !gst_alloc_constraints_check_buffer
      (change->constraints, &vinfo, GST_PAD_PROBE_INFO_BUFFER (info), NULL))
    change->violations_after_change++;
  if (change->buffers == 3)
    g_object_set (change->filter, "constraints", "stride-align=256", NULL);
  change->buffers++;
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_new_constraints_apply_to_later_buffers)
{
  GstElement *pipeline = parse_pipeline ("videotestsrc num-buffers=10 ! "
      "video/x-raw,format=NV12,width=1000,height=100 ! "
      "allocfilter name=filter ! fakesink name=sink sync=false");
  GstElement *sink = by_name (pipeline, "sink");
  GstPad *pad = gst_element_get_static_pad (sink, "sink");
  LiveChange change = { by_name (pipeline, "filter"),
    gst_alloc_constraints_from_string ("stride-align=256", "test", NULL),
    0, 0
  };

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, change_constraints_probe,
      &change, NULL);
  play_to_eos (pipeline);
  fail_unless_equals_int (change.buffers, 10);
  fail_unless_equals_int (change.violations_after_change, 0);
  gst_alloc_constraints_free (change.constraints);
  gst_object_unref (change.filter);
  gst_object_unref (pad);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_answer_merges_downstream_constraints)
{
  GstHarness *h = harness_filter ();
  GstCaps *caps = gst_caps_from_string
      ("video/x-raw,format=NV12,width=320,height=240,framerate=30/1");
  GstQuery *query = gst_query_new_allocation (caps, TRUE);
  GstAllocConstraints *c;
  const GstStructure *params = NULL;
  guint index;
  gchar *got;

  g_object_set (h->element, "constraints", "stride-align=256", NULL);
  gst_harness_add_sink_parse (h,
      "allocchecksink constraints=height-align=16 sync=false");
  gst_harness_set_src_caps (h, gst_caps_ref (caps));
  fail_unless (gst_pad_peer_query (h->srcpad, query));
  fail_unless (gst_query_find_allocation_meta (query,
          GST_ALLOC_CONSTRAINTS_META_API_TYPE, &index));
  gst_query_parse_nth_allocation_meta (query, index, &params);
  c = gst_alloc_constraints_from_structure (params, NULL);
  fail_unless (c != NULL);
  got = gst_alloc_constraints_to_string (c);
  fail_unless (strstr (got, "stride-align=256") != NULL, "%s", got);
  fail_unless (strstr (got, "height-align=16") != NULL, "%s", got);
  g_free (got);
  gst_alloc_constraints_free (c);
  gst_query_unref (query);
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_new_constraints_ask_upstream_to_query_again)
{
  GstHarness *h = harness_filter ();

  gst_harness_set_src_caps_str (h,
      "video/x-raw,format=NV12,width=320,height=240,framerate=30/1");
  /* Clear what setting up the harness raised. */
  gst_pad_check_reconfigure (h->srcpad);
  g_object_set (h->element, "constraints", "stride-align=64", NULL);
  fail_unless_equals_int (gst_pad_check_reconfigure (h->srcpad), TRUE);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_malformed_constraints_keep_the_old_value)
{
  GstElement *filter = make_element ("allocfilter");
  gchar *got = NULL;

  g_object_set (filter, "constraints", "stride-align=64", NULL);
  ASSERT_WARNING (g_object_set (filter, "constraints", "stride-align=", NULL));
  g_object_get (filter, "constraints", &got, NULL);
  fail_unless (strstr (got, "stride-align=64") != NULL, "%s", got);
  g_free (got);
  gst_object_unref (filter);
}

GST_END_TEST;

static Suite *
allocfilter_suite (void)
{
  Suite *s = suite_create ("allocfilter");
  TCase *pipelines = tcase_create ("pipelines");
  TCase *query = tcase_create ("query");

  suite_add_tcase (s, pipelines);
  tcase_add_test (pipelines, test_filter_and_sink_constraints_both_hold);
  tcase_add_test (pipelines, test_constraints_reach_upstream_past_stock_sink);
  tcase_add_test (pipelines,
      test_conflict_with_downstream_is_an_error_naming_field);
  tcase_add_test (pipelines,
      test_unsatisfiable_constraints_are_an_error_naming_field);
  tcase_add_test (pipelines, test_missing_device_is_an_error_naming_it);
  tcase_add_test (pipelines, test_check_counts_buffers_missing_its_constraints);
  tcase_add_test (pipelines, test_new_constraints_apply_to_later_buffers);

  suite_add_tcase (s, query);
  tcase_add_test (query, test_answer_merges_downstream_constraints);
  tcase_add_test (query, test_new_constraints_ask_upstream_to_query_again);
  tcase_add_test (query, test_malformed_constraints_keep_the_old_value);
  return s;
}

GST_CHECK_MAIN (allocfilter);
