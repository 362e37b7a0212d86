/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs a pipeline for the PipeWire tests and prints what they check, one
 * fact a line:
 *
 *   gst-run [--seconds S] [--frames N] [--probe ELEMENT [--rows]]
 *           [--report ELEMENT.PROPERTY]... PIPELINE...
 *
 *   playing                               (the pipeline reached PLAYING)
 *   frame SEQ inode I[,I...] stride S rows ok|bad|unchecked pool P
 *                                         (each buffer reaching ELEMENT)
 *   message: ELEMENT: STRUCTURE           (element messages, decisions)
 *   consumer: NAME | MODE | NODE | NEEDS | REASON
 *                                         (each consumer of a decision)
 *   warning|error: ELEMENT: MESSAGE | DEBUG
 *   result: eos|error|frames|timeout|signal after S s
 *   prop: ELEMENT.PROPERTY=VALUE          (read before stopping)
 *
 * --frames stops at the first frame after N probed ones (dropped: by then
 * ELEMENT has finished with the N-th, so a sink's counters include it).
 * SIGTERM and SIGINT end the stream (an EOS, so tracers write their
 * report) as the time limit does, report included. "rows" checks a frame of vertical bars
 * (videotestsrc pattern=smpte75): every row of every plane equals its
 * first row, read through the buffer's GstVideoMeta when it has one. */

#include <gst/gst.h>
#include <gst/video/video.h>
#include <gst/allocators/allocators.h>
#include <glib-unix.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct
{
  GMainLoop *loop;
  GstElement *pipeline;
  const gchar *result;
  guint64 frames, frame_limit;
  gboolean rows;
  gint64 start;
} Run;

static gchar *
memory_ids (GstBuffer * buffer)
{
  GString *s = g_string_new (NULL);
  struct stat st;
  guint i;

  for (i = 0; i < gst_buffer_n_memory (buffer); i++) {
    GstMemory *mem = gst_buffer_peek_memory (buffer, i);

    if (gst_is_fd_memory (mem) && fstat (gst_fd_memory_get_fd (mem), &st) == 0)
      g_string_append_printf (s, "%s%" G_GUINT64_FORMAT, s->len ? "," : "",
          (guint64) st.st_ino);
    else
      g_string_append_printf (s, "%ssystem", s->len ? "," : "");
  }
  return g_string_free (s, FALSE);
}

static const gchar *
check_rows (GstBuffer * buffer, GstCaps * caps, gint * stride)
{
  GstVideoInfo info;
  GstVideoFrame frame;
  gboolean ok = TRUE;
  guint p, r, len;

  if (!caps || !gst_video_info_from_caps (&info, caps)
      || !gst_video_frame_map (&frame, &info, buffer, GST_MAP_READ))
    return "unmappable";
  *stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);
  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (&frame); p++) {
    const guint8 *base = GST_VIDEO_FRAME_PLANE_DATA (&frame, p);
    gint s = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, p);

    len = GST_VIDEO_FRAME_COMP_WIDTH (&frame, p) *
        GST_VIDEO_FRAME_COMP_PSTRIDE (&frame, p);
    for (r = 1; ok && r < (guint) GST_VIDEO_FRAME_COMP_HEIGHT (&frame, p); r++)
      ok = memcmp (base + (gsize) r * s, base, len) == 0;
  }
  gst_video_frame_unmap (&frame);
  return ok ? "ok" : "bad";
}

static GstPadProbeReturn
on_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Run *run = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstVideoMeta *meta = gst_buffer_get_video_meta (buffer);
  GstCaps *caps = gst_pad_get_current_caps (pad);
  gint stride = meta ? meta->stride[0] : 0;
  const gchar *rows = "unchecked";
  gchar *ids;

  /* The first frame past the limit ends the run, dropped and not
   * reported: the streaming thread has finished with the last one then, so
   * the element's counters read next (a sink's imports) include it. */
  if (run->frame_limit && run->frames >= run->frame_limit) {
    if (!run->result) {
      run->result = "frames";
      g_main_loop_quit (run->loop);
    }
    gst_clear_caps (&caps);
    return GST_PAD_PROBE_DROP;
  }
  ids = memory_ids (buffer);
  if (run->rows)
    rows = check_rows (buffer, caps, &stride);
  g_print ("frame %" G_GUINT64_FORMAT " inode %s stride %d rows %s pool %s\n",
      GST_BUFFER_OFFSET (buffer), ids, stride, rows, buffer->pool ?
      GST_OBJECT_NAME (buffer->pool) : "none");
  g_free (ids);
  gst_clear_caps (&caps);
  run->frames++;
  return GST_PAD_PROBE_OK;
}

/* The consumers of an allocpwsink-decision, one readable line each. */
static void
print_consumers (const GstStructure * s)
{
  const GValue *list = gst_structure_get_value (s, "consumers");
  guint i;

  for (i = 0; list && GST_VALUE_HOLDS_ARRAY (list)
      && i < gst_value_array_get_size (list); i++) {
    const GstStructure *c =
        gst_value_get_structure (gst_value_array_get_value (list, i));

    g_print ("consumer: %s | %s | %s | %s | %s\n",
        gst_structure_get_string (c, "consumer"),
        gst_structure_get_string (c, "mode"),
        gst_structure_get_string (c, "node"),
        gst_structure_get_string (c, "needs"),
        gst_structure_get_string (c, "reason"));
  }
}

static gboolean
on_message (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  Run *run = user_data;
  const GstStructure *s = gst_message_get_structure (msg);
  const gchar *src = GST_MESSAGE_SRC_NAME (msg);
  GError *err = NULL;
  gchar *debug = NULL, *str;
  GstState state;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_WARNING:
    case GST_MESSAGE_ERROR:
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
        gst_message_parse_error (msg, &err, &debug);
      else
        gst_message_parse_warning (msg, &err, &debug);
      g_print ("%s: %s: %s | %s\n", GST_MESSAGE_TYPE (msg) ==
          GST_MESSAGE_ERROR ? "error" : "warning", src, err->message,
          debug ? debug : "");
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
        run->result = "error";
        g_main_loop_quit (run->loop);
      }
      break;
    case GST_MESSAGE_EOS:
      if (!run->result)
        run->result = "eos";
      g_main_loop_quit (run->loop);
      break;
    case GST_MESSAGE_ELEMENT:
      str = s ? gst_structure_to_string (s) : NULL;
      g_print ("message: %s: %s\n", src, str ? str : "(none)");
      g_free (str);
      if (s && gst_structure_has_field (s, "consumers"))
        print_consumers (s);
      break;
    case GST_MESSAGE_STATE_CHANGED:
      gst_message_parse_state_changed (msg, NULL, &state, NULL);
      if (GST_MESSAGE_SRC (msg) == GST_OBJECT (run->pipeline)
          && state == GST_STATE_PLAYING)
        g_print ("playing\n");
      break;
    default:
      break;
  }
  g_clear_error (&err);
  g_free (debug);
  return G_SOURCE_CONTINUE;
}

static gboolean
print_property (GstBin * bin, const gchar * spec)
{
  gchar **parts = g_strsplit (spec, ".", 2);
  GstElement *element = parts[1] ? gst_bin_get_by_name (bin, parts[0]) : NULL;
  GParamSpec *pspec = element ? g_object_class_find_property
      (G_OBJECT_GET_CLASS (element), parts[1]) : NULL;
  GValue value = G_VALUE_INIT;
  gchar *text;

  if (!pspec) {
    g_print ("prop: %s: no such element or property\n", spec);
    gst_clear_object (&element);
    g_strfreev (parts);
    return FALSE;
  }
  g_value_init (&value, pspec->value_type);
  g_object_get_property (G_OBJECT (element), parts[1], &value);
  text = G_VALUE_HOLDS_STRING (&value) ? g_value_dup_string (&value) :
      gst_value_serialize (&value);
  g_print ("prop: %s=%s\n", spec, text ? text : "(null)");
  g_free (text);
  g_value_unset (&value);
  gst_object_unref (element);
  g_strfreev (parts);
  return TRUE;
}

static gboolean
on_eos_overdue (gpointer user_data)
{
  Run *run = user_data;

  g_print ("the pipeline did not reach EOS 5 s after it was sent\n");
  g_main_loop_quit (run->loop);
  return G_SOURCE_REMOVE;
}

/* Ends the stream rather than tearing it down, so that what counts at EOS
 * (the alloccopies tracer) does; gives up on EOS after 5 s. */
static void
end_stream (Run * run, const gchar * why)
{
  if (run->result)
    return;
  run->result = why;
  gst_element_send_event (run->pipeline, gst_event_new_eos ());
  g_timeout_add (5000, on_eos_overdue, run);
}

static gboolean
on_stop (gpointer user_data)
{
  end_stream (user_data, "signal");
  return G_SOURCE_REMOVE;
}

static gboolean
on_timeout (gpointer user_data)
{
  end_stream (user_data, "timeout");
  return G_SOURCE_REMOVE;
}

static gboolean
add_probe (Run * run, const gchar * name)
{
  GstElement *element = gst_bin_get_by_name (GST_BIN (run->pipeline), name);
  GstPad *pad = element ? gst_element_get_static_pad (element, "sink") : NULL;

  if (!pad) {
    g_printerr ("no element %s with a sink pad to probe\n", name);
    gst_clear_object (&element);
    return FALSE;
  }
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_buffer, run, NULL);
  gst_object_unref (pad);
  gst_object_unref (element);
  return TRUE;
}

int
main (int argc, char **argv)
{
  Run run = { 0 };
  gdouble seconds = 30;
  gboolean system_clock = FALSE;
  gint64 frames = 0;
  gchar *probe = NULL, **reports = NULL, **rest = NULL, *desc;
  GOptionEntry entries[] = {
    {"seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Time limit", "S"},
    {"frames", 0, 0, G_OPTION_ARG_INT64, &frames, "Stop after N probed "
          "frames", "N"},
    {"probe", 0, 0, G_OPTION_ARG_STRING, &probe, "Print each buffer reaching "
          "this element", "ELEMENT"},
    {"rows", 0, 0, G_OPTION_ARG_NONE, &run.rows, "Check the rows of probed "
          "frames", NULL},
    {"report", 0, 0, G_OPTION_ARG_STRING_ARRAY, &reports, "Print a property "
          "at the end", "ELEMENT.PROPERTY"},
    {"system-clock", 0, 0, G_OPTION_ARG_NONE, &system_clock, "Run on the "
          "system clock, not one an element offers", NULL},
    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("PIPELINE...");
  GError *err = NULL;
  gboolean props_ok = TRUE;
  gchar **r;
  GstBus *bus;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err) || !rest) {
    g_printerr ("%s\n", err ? err->message : "no pipeline given");
    return 2;
  }
  g_option_context_free (ctx);
  desc = g_strjoinv (" ", rest);
  run.pipeline = gst_parse_launch (desc, &err);
  if (!run.pipeline) {
    g_printerr ("cannot parse the pipeline: %s\n", err->message);
    return 2;
  }
  if (system_clock && GST_IS_PIPELINE (run.pipeline)) {
    GstClock *clock = gst_system_clock_obtain ();

    gst_pipeline_use_clock (GST_PIPELINE (run.pipeline), clock);
    gst_object_unref (clock);
  }
  run.loop = g_main_loop_new (NULL, FALSE);
  run.frame_limit = frames;
  if (probe && !add_probe (&run, probe))
    return 2;
  bus = gst_element_get_bus (run.pipeline);
  gst_bus_add_watch (bus, on_message, &run);
  g_unix_signal_add (SIGTERM, on_stop, &run);
  g_unix_signal_add (SIGINT, on_stop, &run);
  g_timeout_add ((guint) (seconds * 1000), on_timeout, &run);
  g_print ("pid %d\n", (gint) getpid ());
  run.start = g_get_monotonic_time ();
  gst_element_set_state (run.pipeline, GST_STATE_PLAYING);
  g_main_loop_run (run.loop);
  g_print ("result: %s after %.1f s\n", run.result,
      (g_get_monotonic_time () - run.start) / 1e6);
  for (r = reports; r && *r; r++)
    props_ok &= print_property (GST_BIN (run.pipeline), *r);
  gst_element_set_state (run.pipeline, GST_STATE_NULL);
  gst_bus_remove_watch (bus);
  gst_object_unref (bus);
  gst_object_unref (run.pipeline);
  g_main_loop_unref (run.loop);
  g_free (desc);
  /* Tracers write their last report when GStreamer shuts down. */
  gst_deinit ();
  if (!props_ok)
    return 2;
  return g_strcmp0 (run.result, "error") == 0 ? 1 : 0;
}
