/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* allocfilter: its constraints reach the producer merged with downstream's,
 * with our sink and with stock ones; conflicts and unsatisfiable sets fail
 * with an error naming the field; changing the constraints asks upstream to
 * query again; check=true counts buffers that miss them. Bad values of
 * constraints and device are refused loudly; a pool that cannot start says
 * why; pool-budget bounds the pool. */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/alloc/alloc.h>

#include "child.h"
#include "refusals.h"
#include "testutil.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define NO_SUCH_DEVICE "/dev/gst-alloc-no-such-device"

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
  g_object_set (filter, "constraints", "stride-align=", NULL);
  g_object_get (filter, "constraints", &got, NULL);
  fail_unless (strstr (got, "stride-align=64") != NULL, "%s", got);
  g_free (got);
  gst_object_unref (filter);
}

GST_END_TEST;


/* ---- loud refusals ---- */

GST_START_TEST (test_malformed_constraints_fail_the_next_state_change)
{
  GstElement *pipeline = parse_pipeline ("videotestsrc ! "
      "allocfilter name=filter ! fakesink");
  GstElement *filter = by_name (pipeline, "filter");
  const gchar *words[] = { "stride-algn", "unknown field", "Accepted fields",
    "height-align", NULL
  };

  test_assert_refused_when_stopped (pipeline, filter, "constraints",
      "stride-algn=64", "stride-align=64", words);
  gst_object_unref (filter);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_malformed_constraints_while_playing_warn_on_the_bus)
{
  GstElement *pipeline = parse_pipeline ("videotestsrc is-live=true ! "
      "video/x-raw,format=NV12,width=320,height=240,framerate=30/1 ! "
      "allocfilter name=filter constraints=stride-align=64 ! fakesink");
  GstElement *filter = by_name (pipeline, "filter");
  const gchar *words[] = { "stride-align=banana", "stride-align",
    "Accepted fields", NULL
  };

  test_assert_refused_when_playing (pipeline, filter, "constraints",
      "stride-align=banana", words);
  gst_object_unref (filter);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_missing_device_fails_the_next_state_change)
{
  GstElement *pipeline = parse_pipeline ("videotestsrc ! "
      "allocfilter name=filter ! fakesink");
  GstElement *filter = by_name (pipeline, "filter");
  GstBus *bus = gst_element_get_bus (pipeline);
  const gchar *words[] = { NO_SUCH_DEVICE, g_strerror (ENOENT), NULL };
  GstMessage *msg;
  GError *err = NULL;

  g_object_set (filter, "device", NO_SUCH_DEVICE, NULL);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no error posted");
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (filter));
  gst_message_parse_error (msg, &err, NULL);
  test_assert_mentions (err->message, words);
  g_error_free (err);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (filter);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Started by a child that is not root, which would be let through. */
static gchar *
start_with_forbidden_device (gpointer data)
{
  const gchar *device = data;
  GstElement *pipeline = gst_parse_launch ("videotestsrc ! "
      "allocfilter name=filter ! fakesink", NULL);
  GstElement *filter = gst_bin_get_by_name (GST_BIN (pipeline), "filter");
  GstBus *bus = gst_element_get_bus (pipeline);
  GstStateChangeReturn ret;
  GstMessage *msg;
  GError *err = NULL;
  gchar *text;

  g_object_set (filter, "device", device, NULL);
  if (geteuid () == 0 && (setgid (65534) != 0 || setuid (65534) != 0))
    return g_strdup_printf ("cannot drop root: %s", g_strerror (errno));
  ret = gst_element_set_state (pipeline, GST_STATE_READY);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  if (msg)
    gst_message_parse_error (msg, &err, NULL);
  text = g_strdup_printf ("%s; %s", ret == GST_STATE_CHANGE_FAILURE ?
      "failed" : "changed", err ? err->message : "no error");
  g_clear_error (&err);
  if (msg)
    gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (filter);
  gst_object_unref (pipeline);
  return text;
}

/* A V4L2 node (major 81) only root may open, as /dev/dma_heap's and many
 * /dev/video nodes are on a desktop. Where nodes cannot be made (not
 * root), one this user cannot even reach: in a directory without
 * permissions. Either way open() or stat() says EACCES. */
GST_START_TEST (test_forbidden_device_fails_the_next_state_change)
{
  gchar *dir = g_dir_make_tmp ("gst-alloc-XXXXXX", NULL);
  gchar *device = g_build_filename (dir, "video0", NULL);
  const gchar *words[] = { "failed; ", device, g_strerror (EACCES), NULL };
  gboolean node;
  gchar *text;

  fail_unless (dir != NULL);
  fail_unless (chmod (dir, 0755) == 0);
  node = mknod (device, S_IFCHR | 0600, makedev (81, 255)) == 0;
  if (!node)
    fail_unless (chmod (dir, 0) == 0);
  text = test_in_child (start_with_forbidden_device, device);
  test_assert_mentions (text, words);
  fail_unless (chmod (dir, 0700) == 0);
  fail_unless (!node || unlink (device) == 0);
  fail_unless (rmdir (dir) == 0);
  g_free (text);
  g_free (device);
  g_free (dir);
}

GST_END_TEST;

GST_START_TEST (test_missing_device_while_playing_warns_and_keeps_none)
{
  GstElement *pipeline = parse_pipeline ("videotestsrc is-live=true ! "
      "video/x-raw,format=NV12,width=320,height=240,framerate=30/1 ! "
      "allocfilter name=filter ! fakesink");
  GstElement *filter = by_name (pipeline, "filter");
  const gchar *words[] = { NO_SUCH_DEVICE, g_strerror (ENOENT), NULL };
  gchar *device = NULL;

  test_assert_refused_when_playing (pipeline, filter, "device",
      NO_SUCH_DEVICE, words);
  g_object_get (filter, "device", &device, NULL);
  fail_unless (device == NULL, "device is %s", device);
  gst_object_unref (filter);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* ---- what goes wrong in the pool ---- */

/* Out of file descriptors while the pool starts: memfd only, so no other
 * backend takes over. */
GST_START_TEST (test_pool_that_cannot_start_gives_its_cause)
{
  const gchar *words[] = { "memfd", "memfd_create", g_strerror (EMFILE),
    NULL
  };

  test_assert_first_error_with_few_fds ("videotestsrc num-buffers=3 ! "
      "video/x-raw,format=NV12,width=320,height=240 ! "
      "allocfilter name=filter constraints=memory=memfd ! fakesink", "filter",
      words);
}

GST_END_TEST;

/* Memory file descriptors open in this process. */
static guint
count_memfds (void)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const gchar *name;
  gchar *path, *target;
  guint n = 0;

  fail_unless (dir != NULL);
  while ((name = g_dir_read_name (dir))) {
    path = g_build_filename ("/proc/self/fd", name, NULL);
    target = g_file_read_link (path, NULL);
    if (target && g_str_has_prefix (target, "/memfd:"))
      n++;
    g_free (target);
    g_free (path);
  }
  g_dir_close (dir);
  return n;
}

/* Plays @description, its "filter" given memfd only, to EOS or the first
 * error; returns the error, the memfds open when it came, and the fds open
 * before playing and after stopping. */
static gchar *
play_filter (const gchar * description, guint * memfds, guint * fds_before,
    guint * fds_after)
{
  GstElement *pipeline = parse_pipeline (description);
  GstElement *filter = by_name (pipeline, "filter");
  GstAllocSolver *solver = test_memfd_solver ();
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GError *err = NULL;
  gchar *text = NULL;

  g_object_set (filter, "solver", solver, NULL);
  *fds_before = test_count_open_fds ();
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "the pipeline hung");
  *memfds = count_memfds ();
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (filter));
    gst_message_parse_error (msg, &err, NULL);
    text = g_strdup (err->message);
    g_error_free (err);
  }
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  *fds_after = test_count_open_fds ();
  gst_object_unref (bus);
  gst_object_unref (solver);
  gst_object_unref (filter);
  gst_object_unref (pipeline);
  return text;
}

GST_START_TEST (test_too_many_buffers_are_refused_opening_no_fd)
{
  guint memfds, before, after;
  gchar *text = play_filter ("videotestsrc num-buffers=1 ! "
      "video/x-raw,format=NV12,width=3840,height=2160 ! "
      "allocfilter name=filter constraints=min-buffers=100000 ! fakesink",
      &memfds, &before, &after);
  const gchar *words[] = { "100000 buffers of", "in all",
    "min-buffers asked by filter", "budget of", "pool-budget", NULL
  };

  fail_unless (text != NULL, "no error");
  test_assert_mentions (text, words);
  fail_unless_equals_int (memfds, 0);
  fail_unless_equals_int (after, before);
  g_free (text);
}

GST_END_TEST;

GST_START_TEST (test_pool_budget_bounds_the_pool)
{
  guint memfds, before, after;
  gchar *text = play_filter ("videotestsrc num-buffers=1 ! "
      "video/x-raw,format=NV12,width=320,height=240 ! "
      "allocfilter name=filter constraints=min-buffers=20 "
      "pool-budget=1048576 ! fakesink", &memfds, &before, &after);
  gchar *budget = g_format_size_full (1048576, G_FORMAT_SIZE_IEC_UNITS);
  const gchar *words[] = { "20 buffers", "budget of", budget, NULL };

  fail_unless (text != NULL, "no error");
  test_assert_mentions (text, words);
  g_free (budget);
  g_free (text);
}

GST_END_TEST;

/* More buffers at 4K than the default budget holds: refused without the
 * property, taken with it raised. The memfds are only sized, not touched
 * beyond the frames played. */
GST_START_TEST (test_raised_pool_budget_admits_a_bigger_pool)
{
  GstVideoInfo info;
  guint64 budget = gst_alloc_pool_get_default_budget ();
  guint n_buffers, memfds, before, after;
  gchar *description, *text;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_NV12, 3840, 2160);
  n_buffers = budget / GST_VIDEO_INFO_SIZE (&info) + 1;
  description = g_strdup_printf ("videotestsrc num-buffers=2 ! "
      "video/x-raw,format=NV12,width=3840,height=2160 ! "
      "allocfilter name=filter constraints=min-buffers=%u "
      "pool-budget=%" G_GUINT64_FORMAT " ! fakesink", n_buffers, 2 * budget);
  text = play_filter (description, &memfds, &before, &after);
  fail_unless (text == NULL, "%s", text);
  g_free (description);

  description = g_strdup_printf ("videotestsrc num-buffers=2 ! "
      "video/x-raw,format=NV12,width=3840,height=2160 ! "
      "allocfilter name=filter constraints=min-buffers=%u ! fakesink",
      n_buffers);
  text = play_filter (description, &memfds, &before, &after);
  fail_unless (text != NULL && strstr (text, "budget") != NULL, "%s", text);
  g_free (text);
  g_free (description);
}

GST_END_TEST;

static Suite *
allocfilter_suite (void)
{
  Suite *s = suite_create ("allocfilter");
  TCase *pipelines = tcase_create ("pipelines");
  TCase *query = tcase_create ("query");
  TCase *refusals = tcase_create ("refusals");
  TCase *pools = tcase_create ("pools");

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

  suite_add_tcase (s, refusals);
  tcase_add_test (refusals,
      test_malformed_constraints_fail_the_next_state_change);
  tcase_add_test (refusals,
      test_malformed_constraints_while_playing_warn_on_the_bus);
  tcase_add_test (refusals, test_missing_device_fails_the_next_state_change);
  tcase_add_test (refusals, test_forbidden_device_fails_the_next_state_change);
  tcase_add_test (refusals,
      test_missing_device_while_playing_warns_and_keeps_none);

  suite_add_tcase (s, pools);
  tcase_add_test (pools, test_pool_that_cannot_start_gives_its_cause);
  tcase_add_test (pools, test_too_many_buffers_are_refused_opening_no_fd);
  tcase_add_test (pools, test_pool_budget_bounds_the_pool);
  tcase_add_test (pools, test_raised_pool_budget_admits_a_bigger_pool);
  return s;
}

GST_CHECK_MAIN (allocfilter);
