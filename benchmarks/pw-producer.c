/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The producer of the PipeWire benchmark (pw-bench.py): benchsrc, a camera
 * that never draws, into the sink given on the command line, until SIGTERM
 * or the time limit. Prints, one fact a line:
 *
 *   first-frame, second-frame      (frames reached the sink)
 *   frames N                       (frames the source pushed)
 *   foreign N                      (frames reaching the sink in a buffer
 *                                   that is not from the sink's own pool:
 *                                   pipewiresink and allocpwsink copy those)
 *   bytes-copied N                 (the sink's own count, when it has one)
 *
 *   pw-producer CAPS SECONDS SINK-DESCRIPTION...
 *
 * The sink must be named "sink". */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "bench.h"

#include <glib-unix.h>
#include <string.h>

typedef struct
{
  GMainLoop *loop;
  GstBufferPool *own_pool;
  guint64 arrived, foreign;
} Producer;

static GstPadProbeReturn
on_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Producer *p = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  const gchar *pool = buffer->pool ? GST_OBJECT_NAME (buffer->pool) : "";

  /* pipewiresink's pool is "pipewirepool*", allocpwsink's "sink-pool". */
  if (!g_str_has_prefix (pool, "pipewirepool") && strcmp (pool, "sink-pool"))
    p->foreign++;
  if (p->arrived++ == 0)
    g_print ("first-frame\n");
  else if (p->arrived == 2)
    g_print ("second-frame\n");
  return GST_PAD_PROBE_OK;
}

static gboolean
on_message (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  Producer *p = user_data;
  GError *err = NULL;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gst_message_parse_error (msg, &err, NULL);
    g_print ("error: %s\n", err->message);
    g_clear_error (&err);
    g_main_loop_quit (p->loop);
  } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
    g_main_loop_quit (p->loop);
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_stop (gpointer user_data)
{
  g_main_loop_quit (((Producer *) user_data)->loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  Producer p = { 0 };
  GstElement *pipeline, *src, *sink;
  GstCaps *caps;
  GstPad *pad;
  GstClock *clock;
  GError *err = NULL;
  guint64 copied = 0;
  gchar *desc, *rest;

  gst_init (&argc, &argv);
  if (argc < 4) {
    g_printerr ("usage: %s CAPS SECONDS SINK-DESCRIPTION...\n", argv[0]);
    return 2;
  }
  gst_alloc_init ();
  bench_register_elements ();
  rest = g_strjoinv (" ", argv + 3);
  desc = g_strdup_printf ("benchsrc name=src ! %s", rest);
  g_free (rest);
  pipeline = gst_parse_launch (desc, &err);
  g_free (desc);
  if (!pipeline) {
    g_printerr ("cannot parse the pipeline: %s\n", err->message);
    return 2;
  }
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  if (!sink) {
    g_printerr ("the description needs an element named sink\n");
    return 2;
  }
  caps = gst_caps_from_string (argv[1]);
  bench_src_set_limits (BENCH_SRC (src), caps, G_MAXUINT64, 0,
      g_ascii_strtod (argv[2], NULL));
  gst_caps_unref (caps);
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_buffer, &p, NULL);
  gst_object_unref (pad);
  /* pipewiresink 1.4 offers a clock that stands still until a consumer
   * links; both producers run on the system clock, as allocpwsink's does. */
  clock = gst_system_clock_obtain ();
  gst_pipeline_use_clock (GST_PIPELINE (pipeline), clock);
  gst_object_unref (clock);
  p.loop = g_main_loop_new (NULL, FALSE);
  gst_bus_add_watch (GST_ELEMENT_BUS (pipeline), on_message, &p);
  g_unix_signal_add (SIGTERM, on_stop, &p);
  g_unix_signal_add (SIGINT, on_stop, &p);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  g_main_loop_run (p.loop);
  g_print ("frames %" G_GUINT64_FORMAT "\n",
      bench_src_get_frames (BENCH_SRC (src)));
  g_print ("foreign %" G_GUINT64_FORMAT "\n", p.foreign);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (sink), "bytes-copied")) {
    g_object_get (sink, "bytes-copied", &copied, NULL);
    g_print ("bytes-copied %" G_GUINT64_FORMAT "\n", copied);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (src);
  gst_object_unref (pipeline);
  return 0;
}
