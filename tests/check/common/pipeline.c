/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "pipeline.h"

#include <gst/check/gstcheck.h>
#include <string.h>

GstElement *
test_launch (const gchar * description)
{
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (description, &err);

  fail_unless (pipeline != NULL, "%s: %s", description,
      err ? err->message : "");
  g_clear_error (&err);
  return pipeline;
}

GstMessage *
test_run (GstElement * pipeline, GPtrArray * messages)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg, *error = NULL;
  gboolean eos = FALSE;

  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  while (!error && !eos) {
    /* No limit here: the GstCheck timeout catches a pipeline that hangs. */
    msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      error = msg;
    } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT && messages) {
      g_ptr_array_add (messages, msg);
    } else {
      eos = GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;
      gst_message_unref (msg);
    }
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  return error;
}

guint64
test_element_uint64 (GstElement * pipeline, const gchar * name,
    const gchar * property)
{
  GstElement *element = gst_bin_get_by_name (GST_BIN (pipeline), name);
  guint64 value;

  fail_unless (element != NULL, "no element %s", name);
  g_object_get (element, property, &value, NULL);
  gst_object_unref (element);
  return value;
}

GObject *
test_element_pad (GstElement * pipeline, const gchar * element,
    const gchar * pad_name)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), element);
  GstPad *pad;

  fail_unless (e != NULL, "no element %s", element);
  pad = gst_element_get_static_pad (e, pad_name);
  fail_unless (pad != NULL, "no pad %s on %s", pad_name, element);
  gst_object_unref (e);
  /* Owned by the element, which the pipeline keeps alive. */
  gst_object_unref (pad);
  return G_OBJECT (pad);
}

guint64
test_branch_uint64 (GstElement * pipeline, const gchar * pad_name,
    const gchar * property)
{
  guint64 value;

  g_object_get (test_element_pad (pipeline, "t", pad_name), property, &value,
      NULL);
  return value;
}

const GstStructure *
test_decision (GPtrArray * messages)
{
  const GstStructure *s = NULL;
  guint i;

  for (i = 0; i < messages->len; i++) {
    if (gst_message_has_name (messages->pdata[i], "alloctee-decision"))
      s = gst_message_get_structure (messages->pdata[i]);
  }
  fail_unless (s != NULL, "no alloctee-decision message");
  return s;
}

const GstStructure *
test_decision_branch (const GstStructure * decision, guint index)
{
  const GValue *branches = gst_structure_get_value (decision, "branches");

  fail_unless (branches != NULL && index < gst_value_array_get_size (branches),
      "no branch %u in the decision", index);
  return gst_value_get_structure (gst_value_array_get_value (branches, index));
}

void
test_assert_error_mentions (GstMessage * message, const gchar * const *words)
{
  GError *err = NULL;
  gchar *debug = NULL, *all;

  fail_unless (message != NULL, "expected an error");
  gst_message_parse_error (message, &err, &debug);
  all = g_strdup_printf ("%s %s", err->message, debug ? debug : "");
  for (; *words; words++)
    fail_unless (strstr (all, *words) != NULL, "'%s' not in: %s", *words, all);
  g_free (all);
  g_free (debug);
  g_error_free (err);
  gst_message_unref (message);
}
