/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs a gst-launch pipeline description to EOS, an error or a time limit,
 * and prints what the tests in the VM check, one fact a line:
 *
 *   launch-report SECONDS 'PIPELINE' [ELEMENT.PROPERTY...]
 *
 *   info: ELEMENT: MESSAGE | DEBUG
 *   warning: ELEMENT: MESSAGE | DEBUG
 *   error: ELEMENT: MESSAGE | DEBUG
 *   decision: ELEMENT: STRUCTURE          (alloctee-decision messages)
 *   result: eos|error|timeout after S s
 *   prop: ELEMENT.PROPERTY=VALUE          (read before stopping;
 *         ELEMENT.PAD.PROPERTY for a pad's)
 *
 * Exits 0 on EOS, 1 on an error, 124 on the time limit, 2 when the
 * description does not parse or a property does not exist. */

#include <gst/gst.h>

#include <stdlib.h>

/* ELEMENT.PROPERTY, or ELEMENT.PAD.PROPERTY for a pad's property. */
static GObject *
find_object (GstBin * bin, gchar ** parts, const gchar ** property)
{
  GstElement *element = parts[1] ? gst_bin_get_by_name (bin, parts[0]) : NULL;
  GstPad *pad;

  *property = parts[1];
  if (!element || !parts[2])
    return G_OBJECT (element);
  *property = parts[2];
  pad = gst_element_get_static_pad (element, parts[1]);
  gst_object_unref (element);
  return G_OBJECT (pad);
}

static void
print_property (GstBin * bin, const gchar * spec)
{
  gchar **parts = g_strsplit (spec, ".", 3);
  const gchar *property;
  GObject *object = find_object (bin, parts, &property);
  GParamSpec *pspec;
  GValue value = G_VALUE_INIT;
  gchar *text;

  pspec = object ? g_object_class_find_property (G_OBJECT_GET_CLASS
      (object), property) : NULL;
  if (!pspec) {
    g_print ("prop: %s: no such element, pad or property\n", spec);
    g_clear_object (&object);
    g_strfreev (parts);
    exit (2);
  }
  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, property, &value);
  text = G_VALUE_HOLDS_STRING (&value) ? g_value_dup_string (&value) :
      gst_value_serialize (&value);
  g_print ("prop: %s=%s\n", spec, text ? text : "(null)");
  g_free (text);
  g_value_unset (&value);
  g_object_unref (object);
  g_strfreev (parts);
}

static void
print_message (GstMessage * msg)
{
  const GstStructure *s = gst_message_get_structure (msg);
  const gchar *src = GST_MESSAGE_SRC_NAME (msg);
  GError *err = NULL;
  gchar *debug = NULL, *str;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_INFO:
      gst_message_parse_info (msg, &err, &debug);
      g_print ("info: %s: %s | %s\n", src, err->message, debug ? debug : "");
      break;
    case GST_MESSAGE_WARNING:
      gst_message_parse_warning (msg, &err, &debug);
      g_print ("warning: %s: %s | %s\n", src, err->message, debug ? debug : "");
      break;
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (msg, &err, &debug);
      g_print ("error: %s: %s | %s\n", src, err->message, debug ? debug : "");
      break;
    case GST_MESSAGE_ELEMENT:
      if (s && gst_structure_has_name (s, "alloctee-decision")) {
        str = gst_structure_to_string (s);
        g_print ("decision: %s: %s\n", src, str);
        g_free (str);
      }
      break;
    default:
      break;
  }
  g_clear_error (&err);
  g_free (debug);
}

int
main (int argc, char **argv)
{
  GstElement *pipeline;
  GstBus *bus;
  GstMessage *msg;
  GError *err = NULL;
  gint64 start, deadline, now;
  const gchar *result = "timeout";
  gint status = 124, i;

  gst_init (&argc, &argv);
  if (argc < 3) {
    g_printerr ("usage: %s SECONDS PIPELINE [ELEMENT.PROPERTY...]\n", argv[0]);
    return 2;
  }
  pipeline = gst_parse_launch (argv[2], &err);
  if (!pipeline) {
    g_print ("error: parse: %s\n", err->message);
    return 2;
  }

  bus = gst_element_get_bus (pipeline);
  start = g_get_monotonic_time ();
  deadline = start + g_ascii_strtoll (argv[1], NULL, 10) * G_USEC_PER_SEC;
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while ((now = g_get_monotonic_time ()) < deadline) {
    msg = gst_bus_timed_pop (bus, (deadline - now) * GST_USECOND);
    if (!msg)
      continue;
    print_message (msg);
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS
        && GST_MESSAGE_SRC (msg) == GST_OBJECT (pipeline)) {
      result = "eos";
      status = 0;
    } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      result = "error";
      status = 1;
    }
    gst_message_unref (msg);
    if (status != 124)
      break;
  }
  g_print ("result: %s after %.2f s\n", result,
      (g_get_monotonic_time () - start) / (gdouble) G_USEC_PER_SEC);

  for (i = 3; i < argc; i++)
    print_property (GST_BIN (pipeline), argv[i]);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  /* Tracers write their final report when destroyed. */
  gst_deinit ();
  return status;
}
