/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The alloccopies tracer: copies counted where stock GStreamer makes them,
 * none through alloctee's shared branches, only the conflicting branch's
 * copies, and sources counted as producers. Pipelines run in-process with
 * the tracer enabled from GST_TRACERS; the JSON it writes at EOS is read
 * back. */

#include <gst/check/gstcheck.h>

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES 30
#define CAPS "video/x-raw,format=NV12,width=320,height=240,framerate=30/1"
#define NV12_320x240 (320 * 240 * 3 / 2)

static gchar *json_path;

/* Runs @description to EOS and returns the tracer's JSON. */
static gchar *
run_and_read_report (const gchar * description)
{
  GError *err = NULL;
  GstElement *pipeline;
  GstMessage *msg;
  GstBus *bus;
  gchar *json = NULL;

  g_unlink (json_path);
  pipeline = gst_parse_launch (description, &err);
  fail_unless (pipeline != NULL, "%s: %s", description,
      err ? err->message : "?");
  bus = gst_element_get_bus (pipeline);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PLAYING),
      GST_STATE_CHANGE_ASYNC);
  msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_EOS);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);

  fail_unless (g_file_get_contents (json_path, &json, NULL, NULL),
      "the tracer wrote no %s", json_path);
  return json;
}

/* The integer @key of pad @pad of the element named @element, from the
 * report's layout: one element object, then one line per pad. -1 when
 * absent. */
static gint64
pad_value (const gchar * json, const gchar * element, const gchar * pad,
    const gchar * key)
{
  gchar *needle = g_strdup_printf ("{\"name\": \"%s\", \"path\"", element);
  const gchar *start = strstr (json, needle), *end, *found;
  gint64 value = -1;
  gchar *block;

  g_free (needle);
  if (!start)
    return -1;
  end = strstr (start + 1, "\n    {\"name\"");
  block = end ? g_strndup (start, end - start) : g_strdup (start);
  needle = g_strdup_printf ("{\"name\": \"%s\", \"direction\"", pad);
  found = strstr (block, needle);
  g_free (needle);
  if (found) {
    end = strchr (found, '\n');
    needle = g_strdup_printf ("\"%s\": ", key);
    found = strstr (found, needle);
    if (found && (!end || found < end))
      value = g_ascii_strtoll (found + strlen (needle), NULL, 10);
    g_free (needle);
  }
  g_free (block);
  return value;
}

#define assert_pad(json, element, pad, key, expected) \
  fail_unless_equals_int64 (pad_value (json, element, pad, key), expected)

GST_START_TEST (test_stock_converter_counts_a_copy_per_frame)
{
  gchar *json = run_and_read_report ("videotestsrc name=src num-buffers=30 ! "
      CAPS " ! tee name=t ! queue name=q ! videoconvert name=conv ! "
      "video/x-raw,format=I420 ! fakesink name=sink");

  assert_pad (json, "conv", "src", "buffers", FRAMES);
  assert_pad (json, "conv", "src", "copies", FRAMES);
  assert_pad (json, "conv", "src", "bytes_copied_per_frame", NV12_320x240);
  /* Upstream of the converter every buffer passes through untouched. */
  assert_pad (json, "t", "src_0", "passthrough", FRAMES);
  assert_pad (json, "t", "src_0", "copies", 0);
  assert_pad (json, "q", "src", "copies", 0);
  assert_pad (json, "conv", "sink", "buffers", FRAMES);
  g_free (json);
}

GST_END_TEST;

GST_START_TEST (test_alloctee_compatible_branches_copy_nothing)
{
  gchar *json = run_and_read_report ("videotestsrc name=src num-buffers=30 ! "
      CAPS " ! alloctee name=t "
      "t. ! queue name=q0 ! allocchecksink constraints=stride-align=256 "
      "t. ! queue name=q1 ! allocchecksink constraints=height-align=16 "
      "t. ! queue name=q2 ! allocchecksink constraints=stride-align=64");
  const gchar *pads[] = { "src_0", "src_1", "src_2" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (pads); i++) {
    assert_pad (json, "t", pads[i], "buffers", FRAMES);
    assert_pad (json, "t", pads[i], "copies", 0);
    assert_pad (json, "t", pads[i], "bytes_copied", 0);
    /* The same memories the source pushed, none of the tee's own. */
    assert_pad (json, "t", pads[i], "passthrough", FRAMES);
    assert_pad (json, "t", pads[i], "memories_new", 0);
  }
  assert_pad (json, "q0", "src", "copies", 0);
  assert_pad (json, "src", "src", "produced", FRAMES);
  g_free (json);
}

GST_END_TEST;

GST_START_TEST (test_alloctee_conflicting_branch_alone_copies)
{
  gchar *json = run_and_read_report ("videotestsrc name=src num-buffers=30 ! "
      CAPS " ! alloctee name=t "
      "t. ! queue ! allocchecksink constraints=memory=memfd,stride-align=256 "
      "t. ! queue ! allocchecksink constraints=memory=memfd,height-align=16 "
      "t. ! queue ! allocchecksink constraints=memory=system");

  assert_pad (json, "t", "src_0", "copies", 0);
  assert_pad (json, "t", "src_1", "copies", 0);
  assert_pad (json, "t", "src_2", "copies", FRAMES);
  assert_pad (json, "t", "src_2", "passthrough", 0);
  fail_unless (pad_value (json, "t", "src_2", "bytes_copied_per_frame") >=
      NV12_320x240);
  g_free (json);
}

GST_END_TEST;

/* A branch served through views (one memory per plane, shared from the
 * tee's): the tracer counts a share as its parent, so nothing is new. */
GST_START_TEST (test_alloctee_view_branch_copies_nothing)
{
  gchar *json = run_and_read_report ("videotestsrc name=src num-buffers=30 ! "
      CAPS " ! alloctee name=t "
      "t. ! queue ! allocchecksink constraints=planes=single,stride-align=256 "
      "t. ! queue ! allocchecksink constraints=planes=single,height-align=16 "
      "t. ! queue ! allocchecksink constraints=planes=separate");
  const gchar *pads[] = { "src_0", "src_1", "src_2" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (pads); i++) {
    assert_pad (json, "t", pads[i], "copies", 0);
    assert_pad (json, "t", pads[i], "bytes_copied", 0);
    assert_pad (json, "t", pads[i], "passthrough", FRAMES);
    assert_pad (json, "t", pads[i], "memories_new", 0);
  }
  g_free (json);
}

GST_END_TEST;

GST_START_TEST (test_source_frames_are_produced_not_copied)
{
  gchar *json = run_and_read_report ("videotestsrc name=src num-buffers=30 ! "
      "fakesink name=sink");

  assert_pad (json, "src", "src", "buffers", FRAMES);
  assert_pad (json, "src", "src", "produced", FRAMES);
  assert_pad (json, "src", "src", "copies", 0);
  assert_pad (json, "src", "src", "bytes_copied", 0);
  /* A pool allocates a few memories and recycles them. */
  fail_unless (pad_value (json, "src", "src", "memories_new") < FRAMES);
  fail_unless (pad_value (json, "src", "src", "recycled") > 0);
  assert_pad (json, "sink", "sink", "buffers", FRAMES);
  g_free (json);
}

GST_END_TEST;

/* A tracer made from "params" as GST_TRACERS would: the parameters land in
 * the properties gst-inspect-1.0 shows; unknown or malformed ones are
 * reported and ignored. */
static GstTracer *
new_tracer_with_params (const gchar * params)
{
  GstPluginFeature *feature;
  GstTracer *tracer;

  feature = gst_registry_find_feature (gst_registry_get (), "alloccopies",
      GST_TYPE_TRACER_FACTORY);
  fail_unless (feature != NULL, "the alloccopies tracer is not registered");
  tracer = g_object_new (gst_tracer_factory_get_tracer_type
      (GST_TRACER_FACTORY (feature)), "params", params, NULL);
  gst_object_unref (feature);
  return tracer;
}

GST_START_TEST (test_params_set_the_properties)
{
  GstTracer *tracer = new_tracer_with_params ("file=/tmp/x.json,print=false");
  gchar *file = NULL;
  gboolean print = TRUE;

  g_object_get (tracer, "file", &file, "print", &print, NULL);
  fail_unless_equals_string (file, "/tmp/x.json");
  fail_unless (!print);
  g_free (file);
  gst_object_unref (tracer);
}

GST_END_TEST;

GST_START_TEST (test_bad_params_are_ignored)
{
  GstTracer *tracer = new_tracer_with_params ("print=maybe,bogus=1");
  gchar *file = NULL;
  gboolean print = FALSE;

  g_object_get (tracer, "file", &file, "print", &print, NULL);
  fail_unless (file == NULL);
  fail_unless (print, "a malformed print= must leave the default (true)");
  gst_object_unref (tracer);
}

GST_END_TEST;

static Suite *
alloccopies_suite (void)
{
  Suite *s = suite_create ("alloccopies");
  TCase *tc = tcase_create ("copies");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_stock_converter_counts_a_copy_per_frame);
  tcase_add_test (tc, test_alloctee_compatible_branches_copy_nothing);
  tcase_add_test (tc, test_alloctee_conflicting_branch_alone_copies);
  tcase_add_test (tc, test_alloctee_view_branch_copies_nothing);
  tcase_add_test (tc, test_source_frames_are_produced_not_copied);
  tcase_add_test (tc, test_params_set_the_properties);
  tcase_add_test (tc, test_bad_params_are_ignored);
  return s;
}

/* The tracer is created by gst_init() from GST_TRACERS, so the variable is
 * set before GstCheck initialises GStreamer. */
int
main (int argc, char **argv)
{
  gchar *tracers;
  int failed;

  json_path = g_build_filename (g_get_tmp_dir (), "alloccopies-XXXXXX.json",
      NULL);
  g_close (g_mkstemp (json_path), NULL);
  tracers = g_strdup_printf ("alloccopies(file=%s,print=false)", json_path);
  g_setenv ("GST_TRACERS", tracers, TRUE);
  g_free (tracers);

  gst_check_init (&argc, &argv);
  failed = gst_check_run_suite (alloccopies_suite (), "alloccopies", __FILE__);
  g_unlink (json_path);
  g_free (json_path);
  return failed;
}
