/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-alloc-demo: one camera, many consumers. A source (the embedded test
 * source, or a V4L2 camera when one is there) feeds alloctee, whose
 * branches each end in an allocchecksink declaring one consumer's needs.
 * Prints the negotiation decision, then what every branch received. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <gst/alloc/alloc.h>

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static const gchar *default_consumers[] = {
  "display:stride-align=256,memory=dmabuf|memfd",
  "encoder:stride-align=64,height-align=16",
  "analytics:cpu-access=read,cache=cached",
  "ipc:memory=memfd|dmabuf",
};

typedef struct
{
  gint frames;
  gint width, height;
  gchar *format;
  gchar *source;
  gchar **consumers;
} Options;

/* The first V4L2 device that opens, for the "auto" source. */
static gchar *
find_camera (void)
{
  gchar *path;
  gint i, fd;

  for (i = 0; i < 64; i++) {
    path = g_strdup_printf ("/dev/video%d", i);
    fd = open (path, O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
      close (fd);
      return path;
    }
    g_free (path);
  }
  return NULL;
}

static gchar *
source_description (const Options * o)
{
  gchar *camera = NULL, *desc;

  if (g_strcmp0 (o->source, "test") != 0)
    camera = g_strcmp0 (o->source, "auto") == 0 ? find_camera () :
        g_strdup (o->source);
  if (camera) {
    desc = g_strdup_printf ("v4l2src device=%s num-buffers=%d", camera,
        o->frames);
    g_free (camera);
    return desc;
  }
  return g_strdup_printf ("videotestsrc num-buffers=%d pattern=ball ! "
      "video/x-raw,format=%s,width=%d,height=%d,framerate=30/1", o->frames,
      o->format, o->width, o->height);
}

/* "name:constraints" checked here so a typo is reported before the
 * pipeline is built, with the list of accepted fields. */
static gboolean
check_consumer (const gchar * spec, GError ** error)
{
  const gchar *colon = strchr (spec, ':');
  GstAllocConstraints *c;

  if (!colon || colon == spec) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE,
        "consumer '%s' is not of the form NAME:CONSTRAINTS", spec);
    return FALSE;
  }
  c = gst_alloc_constraints_from_string (colon + 1, "--consumer", error);
  gst_alloc_constraints_free (c);
  return c != NULL;
}

static gchar *
pipeline_description (const Options * o, GError ** error)
{
  GString *desc = g_string_new (NULL);
  gchar *source = source_description (o), *name;
  guint i;

  g_string_append_printf (desc, "%s ! alloctee name=tee", source);
  g_free (source);
  for (i = 0; o->consumers[i]; i++) {
    if (!check_consumer (o->consumers[i], error)) {
      g_string_free (desc, TRUE);
      return NULL;
    }
    name = g_strndup (o->consumers[i], strchr (o->consumers[i], ':') -
        o->consumers[i]);
    g_string_append_printf (desc, " tee. ! queue ! allocchecksink name=%s "
        "sync=false constraints=\"%s\"", name,
        strchr (o->consumers[i], ':') + 1);
    g_free (name);
  }
  return g_string_free (desc, FALSE);
}

static void
print_decision (const GstStructure * s)
{
  const GValue *branches = gst_structure_get_value (s, "branches");
  const GstStructure *b;
  gchar **report;
  guint i;

  g_print ("\nnegotiation (alloctee-decision):\n");
  report = g_strsplit (gst_structure_get_string (s, "report"), "\n", -1);
  for (i = 0; report[i]; i++)
    g_print ("  %s\n", report[i]);
  g_strfreev (report);
  for (i = 0; i < gst_value_array_get_size (branches); i++) {
    b = gst_value_get_structure (gst_value_array_get_value (branches, i));
    g_print ("  %-6s -> %-10s %-9s %s\n", gst_structure_get_string (b, "pad"),
        gst_structure_get_string (b, "consumer"),
        gst_structure_get_string (b, "mode"),
        gst_structure_get_string (b, "reason"));
  }
}

/* The first memory of every frame each sink received, to show that the
 * zero-copy branches got the very same memory. */
static GstPadProbeReturn
record_memory (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GPtrArray *seen = user_data;

  g_ptr_array_add (seen, gst_buffer_peek_memory (GST_PAD_PROBE_INFO_BUFFER
          (info), 0));
  return GST_PAD_PROBE_OK;
}

static GPtrArray *
watch (GstElement * sink)
{
  GstPad *pad = gst_element_get_static_pad (sink, "sink");
  GPtrArray *seen = g_ptr_array_new ();

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, record_memory, seen,
      (GDestroyNotify) g_ptr_array_unref);
  gst_object_unref (pad);
  return g_ptr_array_ref (seen);
}

static gboolean
run (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  gboolean ok = TRUE, done = FALSE;
  GstMessage *msg;
  GError *err;
  gchar *debug;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while (!done) {
    msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      gst_message_parse_error (msg, &err, &debug);
      g_printerr ("\ngst-alloc-demo: error from %s: %s\n%s\n",
          GST_OBJECT_NAME (msg->src), err->message, debug ? debug : "");
      g_error_free (err);
      g_free (debug);
      ok = FALSE;
      done = TRUE;
    } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
      done = TRUE;
    } else if (gst_message_has_name (msg, "alloctee-decision")) {
      print_decision (gst_message_get_structure (msg));
    }
    gst_message_unref (msg);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  return ok;
}

static guint64
get_u64 (gpointer object, const gchar * property)
{
  guint64 value = 0;

  g_object_get (object, property, &value, NULL);
  return value;
}

/* Per branch: what the tee pushed and copied, what the sink checked. */
static gboolean
print_counters (GPtrArray * sinks, GArray * zero_copy)
{
  GstElement *sink;
  GstPad *pad, *peer;
  gchar *kinds;
  gboolean ok = TRUE;
  gint mode;
  guint i;

  g_print ("\nper branch:\n  %-10s %8s %7s %14s %10s  %s\n", "consumer",
      "buffers", "copies", "bytes copied", "violations", "memory");
  for (i = 0; i < sinks->len; i++) {
    sink = sinks->pdata[i];
    pad = gst_element_get_static_pad (sink, "sink");
    peer = gst_pad_get_peer (pad);
    gst_object_unref (pad);
    /* sink <- queue <- tee pad */
    pad = gst_element_get_static_pad (GST_PAD_PARENT (peer), "sink");
    gst_object_unref (peer);
    peer = gst_pad_get_peer (pad);
    gst_object_unref (pad);
    g_object_get (sink, "memory-kinds", &kinds, NULL);
    g_print ("  %-10s %8" G_GUINT64_FORMAT " %7" G_GUINT64_FORMAT " %14"
        G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT "  %s\n",
        GST_OBJECT_NAME (sink), get_u64 (sink, "buffers"),
        get_u64 (peer, "copies"), get_u64 (peer, "bytes-copied"),
        get_u64 (sink, "violations"), kinds);
    ok = ok && get_u64 (sink, "violations") == 0;
    g_object_get (peer, "mode", &mode, NULL);
    g_array_append_val (zero_copy, mode);
    g_free (kinds);
    gst_object_unref (peer);
  }
  return ok;
}

/* Frames that reached every zero-copy branch as the very same memory;
 * @modes holds each branch's mode (0 = zero-copy). */
static guint
shared_frames (GPtrArray * seen, GArray * modes, guint * n_frames)
{
  GPtrArray *reference = NULL, *other;
  guint f, i, shared = 0;
  gboolean same;

  for (i = 0; i < seen->len && !reference; i++)
    if (g_array_index (modes, gint, i) == 0)
      reference = seen->pdata[i];
  *n_frames = reference ? reference->len : 0;
  for (f = 0; f < *n_frames; f++) {
    same = TRUE;
    for (i = 0; i < seen->len; i++) {
      other = seen->pdata[i];
      if (g_array_index (modes, gint, i) == 0
          && (f >= other->len || other->pdata[f] != reference->pdata[f]))
        same = FALSE;
    }
    shared += same;
  }
  return shared;
}

static const gchar help_text[] =
    "Builds SOURCE ! alloctee with one branch per consumer, each ending in\n"
    "an allocchecksink that declares the consumer's constraints and checks\n"
    "every buffer it receives. Prints the pipeline, alloctee's decision (the\n"
    "merged constraints, the layout, the backend chosen and why the others\n"
    "were passed over, each branch's mode), then per consumer the buffers,\n"
    "copies, bytes copied, violations and memory kinds, and how many frames\n"
    "every zero-copy branch received in the same memory.\n"
    "\n"
    "Elements come from the installed alloc plugin or GST_PLUGIN_PATH_1_0\n"
    "(scripts/demo sets it to the build tree).\n"
    "\n"
    "Exit status: 0 when every frame satisfied every consumer, 1 when a\n"
    "consumer received a buffer that violates its constraints or the\n"
    "pipeline failed, 2 on bad usage or a missing plugin.\n"
    "\n"
    "Examples:\n"
    "  gst-alloc-demo --source=test --frames=30\n"
    "  gst-alloc-demo -c display:planes=single,stride-align=256 \\\n"
    "      -c v4l2:planes=separate -c encoder:planes=single,height-align=16\n"
    "\n" "Constraint fields: %s\n";

/* Fills @o from the command line; FALSE (with the message printed) on bad
 * usage. */
static gboolean
parse_options (int *argc, char ***argv, Options * o)
{
  GOptionEntry entries[] = {
    {"frames", 'n', 0, G_OPTION_ARG_INT, &o->frames,
        "Frames to push (default 60)", "N"},
    {"width", 'W', 0, G_OPTION_ARG_INT, &o->width,
        "Test source width in pixels (default 1920)", "PIXELS"},
    {"height", 'H', 0, G_OPTION_ARG_INT, &o->height,
        "Test source height in pixels (default 1080)", "PIXELS"},
    {"format", 'f', 0, G_OPTION_ARG_STRING, &o->format,
        "Test source format (default NV12)", "FORMAT"},
    {"source", 's', 0, G_OPTION_ARG_STRING, &o->source,
        "auto (a V4L2 camera if one opens, else the test source), test, "
          "or a device path (default auto)", "SOURCE"},
    {"consumer", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &o->consumers,
        "A consumer as NAME:CONSTRAINTS, repeatable (default: a display, "
          "an encoder, an analytics CPU reader and another process)", "SPEC"},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("- one source, many consumers, "
      "one allocation");
  GError *err = NULL;
  gchar *help;
  gboolean ok;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  help = g_strdup_printf (help_text, gst_alloc_constraints_accepted_fields ());
  g_option_context_set_description (ctx, help);
  g_free (help);
  ok = g_option_context_parse (ctx, argc, argv, &err);
  g_option_context_free (ctx);
  if (!ok) {
    g_printerr ("gst-alloc-demo: %s (see --help)\n", err->message);
    g_error_free (err);
    return FALSE;
  }
  if (*argc > 1) {
    g_printerr ("gst-alloc-demo: unexpected argument '%s' (see --help)\n",
        (*argv)[1]);
    return FALSE;
  }
  if (o->frames <= 0 || o->width <= 0 || o->height <= 0) {
    g_printerr ("gst-alloc-demo: --frames, --width and --height must be "
        "positive (got %d, %d, %d)\n", o->frames, o->width, o->height);
    return FALSE;
  }
  return TRUE;
}

int
main (int argc, char **argv)
{
  Options o = { 60, 1920, 1080, NULL, NULL, NULL };
  GstElementFactory *factory;
  GstElement *pipeline;
  GPtrArray *sinks, *seen;
  GArray *modes;
  guint i, shared, n_frames;
  GError *err = NULL;
  gchar *desc;
  GList *l;
  gboolean ok;

  if (!parse_options (&argc, &argv, &o))
    return 2;
  gst_alloc_init ();
  if (!o.format)
    o.format = g_strdup ("NV12");
  if (!o.source)
    o.source = g_strdup ("auto");
  if (!o.consumers)
    o.consumers = g_strdupv ((gchar **) default_consumers);

  factory = gst_element_factory_find ("alloctee");
  if (!factory) {
    g_printerr ("gst-alloc-demo: the alloc plugin (alloctee) is not found: "
        "run scripts/demo, set GST_PLUGIN_PATH_1_0 to the build's gst/ "
        "directory, or install gst-alloc\n");
    return 2;
  }
  gst_object_unref (factory);
  desc = pipeline_description (&o, &err);
  if (!desc || !(pipeline = gst_parse_launch (desc, &err))) {
    g_printerr ("gst-alloc-demo: %s\n", err->message);
    return 2;
  }
  g_print ("pipeline: %s\n", desc);

  sinks = g_ptr_array_new ();
  seen = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (l = GST_BIN_CHILDREN (pipeline); l; l = l->next) {
    if (g_str_has_prefix (G_OBJECT_TYPE_NAME (l->data), "GstAllocCheckSink"))
      g_ptr_array_insert (sinks, 0, l->data);
  }
  for (i = 0; i < sinks->len; i++)
    g_ptr_array_add (seen, watch (sinks->pdata[i]));

  ok = run (pipeline);
  modes = g_array_new (FALSE, FALSE, sizeof (gint));
  ok = print_counters (sinks, modes) && ok;
  shared = shared_frames (seen, modes, &n_frames);
  g_print ("\nsame memory on every zero-copy branch: %u of %u frames\n",
      shared, n_frames);
  g_array_unref (modes);
  g_print ("result: %s\n", ok ? "every frame satisfied every consumer" :
      "FAILED");

  g_ptr_array_unref (seen);
  g_ptr_array_unref (sinks);
  gst_object_unref (pipeline);
  g_free (desc);
  g_free (o.format);
  g_free (o.source);
  g_strfreev (o.consumers);
  return ok ? 0 : 1;
}
