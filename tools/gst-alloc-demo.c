/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-alloc-demo: one camera, many consumers. A source (the embedded test
 * source, or a V4L2 camera when one is there) feeds alloctee, whose
 * branches each end in an allocchecksink declaring one consumer's needs.
 * Prints the negotiation decision, then what really happened: which pool
 * each frame came from and which memory each branch received. The verdict
 * comes from those observations, not from the decision. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <gst/alloc/alloc.h>

#include "gst-alloc-demo-origins.h"
#include "gst-alloc-demo-pipewire.h"

#include <gst/allocators/allocators.h>

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const gchar *default_consumers[] = {
  "display:stride-align=256,memory=dmabuf|memfd",
  "encoder:stride-align=64,height-align=16",
  "analytics:cpu-access=read,cache=cached",
  "ipc:memory=memfd|dmabuf",
  NULL
};

typedef struct
{
  gint frames;
  gint width, height;
  gchar *format;
  gchar *source;
  gchar *io_mode;
  gchar **consumers;
  gboolean pipewire;
  gchar *pw_consume, *pw_target;
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
    /* At its default io-mode v4l2src pushes buffers of its own and ignores
     * the pool alloctee offers; dmabuf-import makes the camera write into
     * the shared pool's dma-bufs. */
    desc = g_strdup_printf ("v4l2src device=%s io-mode=%s num-buffers=%d",
        camera, o->io_mode ? o->io_mode : "dmabuf-import",
        o->pipewire ? -1 : o->frames);
    g_free (camera);
    return desc;
  }
  if (o->io_mode)
    g_printerr ("gst-alloc-demo: no V4L2 source, so --io-mode=%s is not "
        "used\n", o->io_mode);
  /* Through PipeWire the source runs until the consumers are done, live,
   * as a camera is. */
  return g_strdup_printf ("videotestsrc num-buffers=%d is-live=%s "
      "pattern=ball ! video/x-raw,format=%s,width=%d,height=%d,"
      "framerate=30/1", o->pipewire ? -1 : o->frames,
      o->pipewire ? "true" : "false", o->format, o->width, o->height);
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

/* The tee's source pad that feeds @sink (sink <- queue <- tee pad). */
static GstPad *
branch_pad (GstElement * sink)
{
  GstPad *pad = gst_element_get_static_pad (sink, "sink");
  GstPad *peer = gst_pad_get_peer (pad);

  gst_object_unref (pad);
  pad = gst_element_get_static_pad (GST_PAD_PARENT (peer), "sink");
  gst_object_unref (peer);
  peer = gst_pad_get_peer (pad);
  gst_object_unref (pad);
  return peer;
}

/* Per branch: what the tee pushed and copied, what the sink checked, the
 * mode alloctee ends with and how many frames the sink received in the very
 * memory the source pushed. Sets @zero_copy[i] for the branches alloctee
 * calls zero-copy; returns the buffers that violated their consumer's
 * constraints plus the frames a consumer never received. */
static guint64
print_counters (GPtrArray * sinks, const DemoOrigins * origins,
    gboolean * zero_copy)
{
  guint64 frames = demo_origins_frames (origins), missing = 0, received;
  GEnumValue *value;
  GstElement *sink;
  GstPad *pad;
  gchar *kinds;
  gint mode;
  guint i;

  g_print ("\nper branch (source's memory: frames received in the very "
      "memory the source pushed):\n  %-10s %7s %6s %12s %10s  %-7s %-9s %s\n",
      "consumer", "buffers", "copies", "bytes copied", "violations",
      "memory", "mode", "source's memory");
  for (i = 0; i < sinks->len; i++) {
    sink = sinks->pdata[i];
    pad = branch_pad (sink);
    g_object_get (sink, "memory-kinds", &kinds, NULL);
    g_object_get (pad, "mode", &mode, NULL);
    value = g_enum_get_value (g_type_class_peek (G_PARAM_SPEC_VALUE_TYPE
            (g_object_class_find_property (G_OBJECT_GET_CLASS (pad),
                    "mode"))), mode);
    received = get_u64 (sink, "buffers");
    g_print ("  %-10s %7" G_GUINT64_FORMAT " %6" G_GUINT64_FORMAT " %12"
        G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT "  %-7s %-9s %u of %"
        G_GUINT64_FORMAT "\n", GST_OBJECT_NAME (sink), received,
        get_u64 (pad, "copies"), get_u64 (pad, "bytes-copied"),
        get_u64 (sink, "violations"), kinds, value ? value->value_nick : "?",
        demo_origins_source_memory (origins, i), frames);
    missing += get_u64 (sink, "violations") + (received < frames ?
        frames - received : 0);
    zero_copy[i] = value && g_str_equal (value->value_nick, "zero-copy");
    g_free (kinds);
    gst_object_unref (pad);
  }
  return missing;
}

/* The verdict, from what was observed: every frame from the shared pool,
 * every consumer satisfied, and the branches alloctee calls zero-copy
 * really given the source's memory. */
static gboolean
print_verdict (gboolean ran, guint64 unsatisfied, const DemoOrigins * origins,
    const gboolean * zero_copy, guint n_branches)
{
  guint n = demo_origins_frames (origins), shared = n, i;
  gchar *foreign = demo_origins_describe_foreign (origins);
  gboolean any = FALSE;

  for (i = 0; i < n_branches; i++)
    any = any || zero_copy[i];
  if (any) {
    shared = demo_origins_shared_by (origins, zero_copy);
    g_print ("\nsame memory on every zero-copy branch: %u of %u frames\n",
        shared, n);
  } else {
    g_print ("\nno branch is zero-copy\n");
  }
  if (!ran)
    g_print ("result: FAILED: the pipeline stopped with an error\n");
  else if (n == 0)
    g_print ("result: FAILED: no frame reached the tee\n");
  else if (unsatisfied)
    g_print ("result: FAILED: %" G_GUINT64_FORMAT " frames violated their "
        "consumer's constraints or never reached it\n", unsatisfied);
  else if (foreign)
    g_print ("result: FAILED: the source did not write into the shared pool, "
        "its frames came from %s; the consumers were satisfied, by copies "
        "where those buffers missed their needs. A V4L2 camera writes into "
        "the shared pool with io-mode=dmabuf-import, the demo's default\n",
        foreign);
  else if (shared != n)
    g_print ("result: FAILED: a branch alloctee calls zero-copy received "
        "other memory than the source pushed on %u of %u frames\n",
        n - shared, n);
  else
    g_print ("result: every frame came from the shared pool and satisfied "
        "every consumer\n");
  g_free (foreign);
  return ran && n > 0 && !unsatisfied && !foreign && shared == n;
}

static const gchar help_text[] =
    "Builds SOURCE ! alloctee with one branch per consumer, each ending in\n"
    "an allocchecksink that declares the consumer's constraints and checks\n"
    "every buffer it receives. Prints the pipeline, alloctee's decision (the\n"
    "merged constraints, the layout, the backend chosen and why the others\n"
    "were passed over, each branch's mode), then what really happened:\n"
    "which pool each frame the source pushed came from (the shared pool, or\n"
    "the source's own when it ignores the pool), per consumer the buffers,\n"
    "copies, bytes copied, violations, memory kinds, mode and how many frames\n"
    "it received in the very memory the source pushed, and how many frames\n"
    "every zero-copy branch received in that memory.\n"
    "\n"
    "A V4L2 source runs with io-mode=dmabuf-import, so that the camera\n"
    "writes into the shared pool; --io-mode=auto shows what v4l2src does by\n"
    "default (it pushes buffers of its own).\n"
    "\n"
    "Elements come from the installed alloc plugin or GST_PLUGIN_PATH_1_0\n"
    "(scripts/demo sets it to the build tree).\n"
    "\n"
    "Exit status: 0 when every frame came from the shared pool, satisfied\n"
    "every consumer and reached every zero-copy branch as the source's\n"
    "memory; 1 when the source did not use the shared pool, a consumer\n"
    "received a buffer that violates its constraints (or none), or the\n"
    "pipeline failed; 2 on bad usage or a missing plugin.\n"
    "\n"
    "Examples:\n"
    "  gst-alloc-demo --source=test --frames=30\n"
    "  gst-alloc-demo --source=/dev/video0 --io-mode=auto\n"
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
    {"io-mode", 'i', 0, G_OPTION_ARG_STRING, &o->io_mode,
        "v4l2src's io-mode for a V4L2 source (default dmabuf-import)", "MODE"},
    {"consumer", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &o->consumers,
        "A consumer as NAME:CONSTRAINTS, repeatable (default: a display, "
          "an encoder, an analytics CPU reader and another process)", "SPEC"},
    {"pipewire", 'p', 0, G_OPTION_ARG_NONE, &o->pipewire,
        "Publish the source through PipeWire (allocpwsink) and read it in "
          "one process per consumer (default: a recorder, a video call and "
          "analytics)", NULL},
    {"pw-consume", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING,
        &o->pw_consume, NULL, NULL},
    {"pw-target", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING,
        &o->pw_target, NULL, NULL},
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
  Options o = { 60, 1920, 1080, NULL, NULL, NULL, NULL };
  GstElementFactory *factory;
  GstElement *pipeline = NULL, *tee;
  DemoOrigins *origins;
  GPtrArray *sinks;
  GError *err = NULL;
  gboolean ran, ok, *zero_copy;
  guint64 unsatisfied;
  gchar *desc;
  GList *l;

  if (!parse_options (&argc, &argv, &o))
    return 2;
  gst_alloc_init ();
  if (!o.format)
    o.format = g_strdup ("NV12");
  if (!o.source)
    o.source = g_strdup ("auto");
  if (o.pw_consume)
    return gst_alloc_demo_pipewire_consume (o.pw_consume, o.pw_target,
        o.frames);
  if (o.pipewire) {
    gchar *source = source_description (&o);
    gint status = gst_alloc_demo_pipewire (argv[0], source, o.consumers,
        o.frames);

    g_free (source);
    return status;
  }
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
  /* Fatal errors: a value a property refuses (--io-mode=bogus) is an error,
   * not a warning and a pipeline built without it. */
  desc = pipeline_description (&o, &err);
  if (desc)
    pipeline = gst_parse_launch_full (desc, NULL, GST_PARSE_FLAG_FATAL_ERRORS,
        &err);
  if (!pipeline) {
    g_printerr ("gst-alloc-demo: %s\n", err->message);
    return 2;
  }
  g_print ("pipeline: %s\n", desc);

  sinks = g_ptr_array_new ();
  for (l = GST_BIN_CHILDREN (pipeline); l; l = l->next) {
    if (g_str_has_prefix (G_OBJECT_TYPE_NAME (l->data), "GstAllocCheckSink"))
      g_ptr_array_insert (sinks, 0, l->data);
  }
  tee = gst_bin_get_by_name (GST_BIN (pipeline), "tee");
  origins = demo_origins_watch (tee, sinks);
  gst_object_unref (tee);

  ran = run (pipeline);
  demo_origins_print (origins);
  zero_copy = g_new0 (gboolean, sinks->len);
  unsatisfied = print_counters (sinks, origins, zero_copy);
  ok = print_verdict (ran, unsatisfied, origins, zero_copy, sinks->len);

  g_free (zero_copy);
  demo_origins_free (origins);
  g_ptr_array_unref (sinks);
  gst_object_unref (pipeline);
  g_free (desc);
  g_free (o.format);
  g_free (o.source);
  g_free (o.io_mode);
  g_strfreev (o.consumers);
  return ok ? 0 : 1;
}
