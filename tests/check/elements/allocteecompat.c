/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* alloctee as a drop-in for tee: the same properties with the same types,
 * defaults and meaning, and request pads named as tee names them. */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/alloc/alloc.h>
#include <glib/gstdio.h>

#include <string.h>

#include "pipeline.h"

/* Every property of tee exists on alloctee with the same type, default
 * and access. */
GST_START_TEST (test_every_tee_property_is_there)
{
  GstElement *tee = gst_element_factory_make ("tee", NULL);
  GstElement *ours = gst_element_factory_make ("alloctee", NULL);
  GParamSpec **specs, *mine;
  GValue a = G_VALUE_INIT, b = G_VALUE_INIT;
  guint n, i;

  specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (tee), &n);
  for (i = 0; i < n; i++) {
    if (specs[i]->owner_type != G_TYPE_FROM_INSTANCE (tee))
      continue;
    mine = g_object_class_find_property (G_OBJECT_GET_CLASS (ours),
        specs[i]->name);
    fail_unless (mine != NULL, "alloctee has no %s", specs[i]->name);
    /* Same kind of value; enums are compared by value below, as tee's
     * GstTeePullMode is not ours. */
    fail_unless_equals_int (G_TYPE_FUNDAMENTAL (mine->value_type),
        G_TYPE_FUNDAMENTAL (specs[i]->value_type));
    fail_unless_equals_int (mine->flags & G_PARAM_READWRITE,
        specs[i]->flags & G_PARAM_READWRITE);
    g_value_init (&a, specs[i]->value_type);
    g_value_init (&b, mine->value_type);
    g_param_value_set_default (specs[i], &a);
    g_param_value_set_default (mine, &b);
    /* Enums differ in GType (GstTeePullMode): compare their values. */
    if (G_VALUE_HOLDS_ENUM (&a)) {
      fail_unless_equals_int (g_value_get_enum (&a), g_value_get_enum (&b));
    } else {
      fail_unless (gst_value_compare (&a, &b) == GST_VALUE_EQUAL,
          "default of %s differs", specs[i]->name);
    }
    g_value_unset (&a);
    g_value_unset (&b);
  }
  g_free (specs);
  gst_object_unref (tee);
  gst_object_unref (ours);
}

GST_END_TEST;

GST_START_TEST (test_request_pads_are_named_as_tee_names_them)
{
  GstElement *tee = gst_element_factory_make ("alloctee", NULL);
  GstPad *named, *next, *again, *dup;
  gint n;

  named = gst_element_request_pad_simple (tee, "src_0");
  next = gst_element_request_pad_simple (tee, "src_%u");
  fail_unless_equals_string (GST_OBJECT_NAME (named), "src_0");
  fail_unless_equals_string (GST_OBJECT_NAME (next), "src_1");
  /* A name in use is refused, and nothing is lost or freed twice. */
  /* GStreamer itself cries out (a critical), as it does for tee. */
  ASSERT_CRITICAL (dup = gst_element_request_pad_simple (tee, "src_1"));
  fail_unless (dup == NULL);
  g_object_get (tee, "num-src-pads", &n, NULL);
  fail_unless_equals_int (n, 2);
  /* A released index is free again. */
  gst_element_release_request_pad (tee, named);
  gst_object_unref (named);
  again = gst_element_request_pad_simple (tee, "src_0");
  fail_unless_equals_string (GST_OBJECT_NAME (again), "src_0");
  gst_object_unref (again);
  gst_object_unref (next);
  gst_object_unref (tee);
}

GST_END_TEST;

/* What the tee returns upstream for a buffer when no branch is linked. */
static GstFlowReturn
flow_when_unlinked (gboolean allow)
{
  GstHarness *h = gst_harness_new_with_padnames ("alloctee", "sink", NULL);
  GstPad *unlinked = gst_element_request_pad_simple (h->element, "src_%u");
  GstFlowReturn ret;

  g_object_set (h->element, "allow-not-linked", allow, NULL);
  gst_harness_set_src_caps_str (h, "video/x-raw,format=NV12,width=64,"
      "height=64,framerate=30/1");
  ret = gst_harness_push (h, gst_buffer_new_allocate (NULL, 64 * 64 * 3 / 2,
          NULL));
  gst_element_release_request_pad (h->element, unlinked);
  gst_object_unref (unlinked);
  gst_harness_teardown (h);
  return ret;
}

GST_START_TEST (test_allow_not_linked_means_what_it_means_in_tee)
{
  fail_unless_equals_int (flow_when_unlinked (TRUE), GST_FLOW_OK);
  fail_unless_equals_int (flow_when_unlinked (FALSE), GST_FLOW_NOT_LINKED);
}

GST_END_TEST;

GST_START_TEST (test_silent_false_updates_last_message)
{
  GstElement *pipeline = test_launch ("videotestsrc num-buffers=3 ! "
      "alloctee name=t silent=false t. ! queue ! fakesink");
  GstElement *tee = gst_bin_get_by_name (GST_BIN (pipeline), "t");
  gchar *message = NULL;

  fail_unless (test_run (pipeline, NULL) == NULL);
  g_object_get (tee, "last-message", &message, NULL);
  fail_unless (message != NULL);
  fail_unless (strstr (message, "chain") != NULL, "%s", message);
  g_free (message);
  gst_object_unref (tee);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_without_chain_push_mode_fails)
{
  GstElement *pipeline = test_launch ("videotestsrc num-buffers=3 ! "
      "alloctee has-chain=false name=t t. ! queue ! fakesink");

  fail_unless_equals_int (gst_element_set_state (pipeline,
          GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* pull-mode=single: a demuxer pulls through the tee from upstream (it
 * would fall back to being pushed to); with pull-mode=never (the default)
 * it is pushed to, as with tee. */
static GstPadMode
branch_mode_with_a_demuxer (const gchar * pull_mode)
{
  gchar *dir = g_dir_make_tmp ("allocteecompat-XXXXXX", NULL);
  gchar *file = g_build_filename (dir, "clip.mkv", NULL);
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=10 ! jpegenc ! "
      "matroskamux ! filesink location=%s", file);
  GstElement *pipeline = test_launch (desc);
  GstPadMode mode;

  fail_unless (test_run (pipeline, NULL) == NULL);
  gst_object_unref (pipeline);
  g_free (desc);
  desc = g_strdup_printf ("filesrc location=%s ! alloctee name=t "
      "pull-mode=%s t. ! matroskademux ! fakesink", file, pull_mode);
  pipeline = test_launch (desc);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PAUSED) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless (gst_element_get_state (pipeline, NULL, NULL,
          GST_CLOCK_TIME_NONE) == GST_STATE_CHANGE_SUCCESS);
  mode = GST_PAD_MODE (test_element_pad (pipeline, "t", "src_0"));
  fail_unless (test_run (pipeline, NULL) == NULL);
  gst_object_unref (pipeline);
  g_unlink (file);
  g_rmdir (dir);
  g_free (desc);
  g_free (file);
  g_free (dir);
  return mode;
}

GST_START_TEST (test_pull_mode_single_lets_a_branch_pull)
{
  fail_unless_equals_int (branch_mode_with_a_demuxer ("single"),
      GST_PAD_MODE_PULL);
  fail_unless_equals_int (branch_mode_with_a_demuxer ("never"),
      GST_PAD_MODE_PUSH);
}

GST_END_TEST;

/* A branch that ends (EOS) ends the stream, as with tee: its flow goes
 * upstream, and the source stops after as many buffers with both. No
 * queues and no preroll, so that the count does not depend on timing. */
static guint64
frames_other_branch_got (const gchar * tee)
{
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=300 ! "
      "video/x-raw,width=64,height=48 ! %s name=t "
      "t. ! identity eos-after=5 ! fakesink sync=false async=false "
      "t. ! allocchecksink name=other sync=false async=false", tee);
  GstElement *pipeline = test_launch (desc);
  GstMessage *error = test_run (pipeline, NULL);
  guint64 frames;

  fail_unless (error == NULL, "%s: the stream failed", tee);
  frames = test_element_uint64 (pipeline, "other", "buffers");
  gst_object_unref (pipeline);
  g_free (desc);
  return frames;
}

GST_START_TEST (test_a_branch_at_eos_ends_the_stream_as_with_tee)
{
  guint64 stock = frames_other_branch_got ("tee");

  fail_unless (stock < 300, "stock tee went on to %" G_GUINT64_FORMAT, stock);
  fail_unless_equals_uint64 (frames_other_branch_got ("alloctee"), stock);
}

GST_END_TEST;

/* Releasing a branch whose push is blocked downstream (a full queue in
 * front of a paused sink) returns at once, as with tee: the branch may be
 * going because it is stuck. A hang fails the test by its timeout. */
typedef struct
{
  GMutex lock;
  GCond cond;
  guint arrived;
} Arrivals;

static GstPadProbeReturn
note_arrival (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Arrivals *a = data;

  g_mutex_lock (&a->lock);
  a->arrived++;
  g_cond_broadcast (&a->cond);
  g_mutex_unlock (&a->lock);
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_releasing_a_blocked_branch_returns)
{
  GstElement *pipeline = test_launch ("videotestsrc ! "
      "video/x-raw,width=64,height=48 ! alloctee name=t "
      "t. ! queue name=full max-size-buffers=1 ! fakesink "
      "t. ! queue ! fakesink");
  GstElement *tee = gst_bin_get_by_name (GST_BIN (pipeline), "t");
  GstPad *pad = gst_element_get_static_pad (tee, "src_0");
  GstPad *queue_pad = GST_PAD (test_element_pad (pipeline, "full", "sink"));
  Arrivals a = { 0, };

  gst_pad_add_probe (queue_pad, GST_PAD_PROBE_TYPE_BUFFER, note_arrival, &a,
      NULL);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PAUSED) !=
      GST_STATE_CHANGE_FAILURE);
  /* The sink prerolls on the first buffer and the queue holds the second:
   * the third stays inside the tee's push on src_0. */
  g_mutex_lock (&a.lock);
  while (a.arrived < 3)
    g_cond_wait (&a.cond, &a.lock);
  g_mutex_unlock (&a.lock);

  gst_element_release_request_pad (tee, pad);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pad);
  gst_object_unref (tee);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
allocteecompat_suite (void)
{
  Suite *s = suite_create ("alloctee-compat");
  TCase *props = tcase_create ("properties");
  TCase *pads = tcase_create ("pads");

  suite_add_tcase (s, props);
  tcase_add_test (props, test_every_tee_property_is_there);
  tcase_add_test (props, test_allow_not_linked_means_what_it_means_in_tee);
  tcase_add_test (props, test_silent_false_updates_last_message);
  tcase_add_test (props, test_without_chain_push_mode_fails);
  tcase_add_test (props, test_pull_mode_single_lets_a_branch_pull);
  tcase_add_test (props, test_a_branch_at_eos_ends_the_stream_as_with_tee);

  suite_add_tcase (s, pads);
  tcase_add_test (pads, test_request_pads_are_named_as_tee_names_them);
  tcase_add_test (pads, test_releasing_a_blocked_branch_returns);
  return s;
}

GST_CHECK_MAIN (allocteecompat);
