/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-alloc-demo --pipewire: one source published once through PipeWire,
 * three consumer processes reading it. The demo is the producer; each
 * consumer is the demo again (--pw-consume) running allocpwsrc into an
 * allocchecksink with that consumer's needs, and printing the identity of
 * the memory of every frame, so that the producer can show the very same
 * memory arrived in every process. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gst-alloc-demo-pipewire.h"

#include <gio/gio.h>
#include <gst/allocators/allocators.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define NODE_NAME "gst-alloc-demo"

static const gchar *default_consumers[] = {
  "recorder:memory=dmabuf|memfd",
  "videocall:cpu-access=read",
  "analytics:cpu-access=read,cache=cached",
  NULL
};

/* --- the consumer process --- */

static GstPadProbeReturn
print_frame (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstMemory *mem = gst_buffer_peek_memory (buffer, 0);
  struct stat st = { 0, };
  gint *left = user_data;

  if (*left <= 0)
    return GST_PAD_PROBE_OK;
  if (gst_is_fd_memory (mem))
    fstat (gst_fd_memory_get_fd (mem), &st);
  g_print ("frame %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
      GST_BUFFER_OFFSET (buffer), (guint64) st.st_ino);
  if (--*left == 0)
    gst_element_post_message (GST_ELEMENT (GST_PAD_PARENT (pad)),
        gst_message_new_application (GST_OBJECT (GST_PAD_PARENT (pad)),
            gst_structure_new_empty ("enough")));
  return GST_PAD_PROBE_OK;
}

static gboolean
has_element (const gchar * name)
{
  GstElementFactory *factory = gst_element_factory_find (name);

  if (factory)
    gst_object_unref (factory);
  return factory != NULL;
}

/* The pipeline @desc, or NULL after saying why as @who. Never a partial
 * pipeline: an element that is missing is an error. */
static GstElement *
launch (const gchar * who, const gchar * desc)
{
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch_full (desc, NULL,
      GST_PARSE_FLAG_FATAL_ERRORS, &err);

  if (!pipeline) {
    g_printerr ("%s: %s\n", who, err->message);
    g_error_free (err);
  }
  return pipeline;
}

gint
gst_alloc_demo_pipewire_consume (const gchar * spec, const gchar * target,
    gint frames)
{
  const gchar *colon = strchr (spec, ':');
  gchar *name =
      g_strndup (spec, colon ? (gsize) (colon - spec) : strlen (spec));
  gchar *desc, *kinds = NULL;
  GstElement *pipeline, *check, *src;
  GstMessage *msg;
  GError *err = NULL;
  guint64 copies = 0, violations = 0;
  GstPad *pad;
  gint left = frames, status = 0;

  desc = g_strdup_printf ("allocpwsrc name=src target-object=%s node-name=%s "
      "! video/x-raw ! allocchecksink name=check sync=false constraints=\"%s\"",
      target, name, colon ? colon + 1 : "");
  pipeline = launch (name, desc);
  g_free (desc);
  if (!pipeline) {
    g_free (name);
    return 2;
  }
  check = gst_bin_get_by_name (GST_BIN (pipeline), "check");
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  pad = gst_element_get_static_pad (check, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, print_frame, &left, NULL);
  gst_object_unref (pad);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipeline), 60 * GST_SECOND,
      GST_MESSAGE_ERROR | GST_MESSAGE_APPLICATION);
  if (!msg || GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    if (msg)
      gst_message_parse_error (msg, &err, NULL);
    g_printerr ("%s: %s\n", name, err ? err->message : "no frame in 60 s");
    g_clear_error (&err);
    status = 1;
  }
  g_clear_pointer (&msg, gst_message_unref);
  g_object_get (src, "copies", &copies, NULL);
  g_object_get (check, "violations", &violations, "memory-kinds", &kinds, NULL);
  g_print ("done %d %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %s\n",
      frames - left, copies, violations, kinds ? kinds : "-");
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_free (kinds);
  g_free (name);
  gst_object_unref (check);
  gst_object_unref (src);
  gst_object_unref (pipeline);
  return status;
}

/* --- the producer and its consumer processes --- */

typedef struct
{
  gchar *name;
  gchar *pid;
  GSubprocess *proc;
  GDataInputStream *out;
  GHashTable *inodes;           /* frame number -> inode */
  gchar *summary;
} Consumer;

typedef struct
{
  GMainLoop *loop;
  const gchar *self;
  gchar **specs;
  gint frames;
  GPtrArray *consumers;
  guint running;
  GstElement *sink;
  GstStructure *decision;
  gboolean failed;
} Demo;

static void
consumer_free (gpointer data)
{
  Consumer *c = data;

  g_free (c->name);
  g_free (c->pid);
  g_clear_object (&c->out);
  g_clear_object (&c->proc);
  g_hash_table_unref (c->inodes);
  g_free (c->summary);
  g_free (c);
}

static void read_next (Demo * demo, Consumer * c);

static void
on_line (GObject * stream, GAsyncResult * res, gpointer user_data)
{
  Demo *demo = user_data;
  Consumer *c = NULL;
  guint64 seq, inode;
  gchar *line;
  guint i;

  for (i = 0; i < demo->consumers->len && !c; i++)
    if (G_OBJECT (((Consumer *) demo->consumers->pdata[i])->out) == stream)
      c = demo->consumers->pdata[i];
  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (stream),
      res, NULL, NULL);
  if (!line) {
    if (--demo->running == 0)
      g_main_loop_quit (demo->loop);
    return;
  }
  if (sscanf (line, "frame %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &seq,
          &inode) == 2)
    g_hash_table_insert (c->inodes, GSIZE_TO_POINTER (seq + 1),
        GSIZE_TO_POINTER (inode));
  else if (g_str_has_prefix (line, "done "))
    c->summary = g_strdup (line + 5);
  g_free (line);
  read_next (demo, c);
}

static void
read_next (Demo * demo, Consumer * c)
{
  g_data_input_stream_read_line_async (c->out, G_PRIORITY_DEFAULT, NULL,
      on_line, demo);
}

/* Once the node exists, each consumer is started as a process of its own. */
static gboolean
start_consumers (gpointer user_data)
{
  Demo *demo = user_data;
  gchar *frames = g_strdup_printf ("%d", demo->frames);
  GError *err = NULL;
  guint i;

  for (i = 0; demo->specs[i]; i++) {
    Consumer *c = g_new0 (Consumer, 1);
    const gchar *colon = strchr (demo->specs[i], ':');

    c->name = g_strndup (demo->specs[i], colon ? (gsize) (colon -
            demo->specs[i]) : strlen (demo->specs[i]));
    c->inodes = g_hash_table_new (NULL, NULL);
    c->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &err,
        demo->self, "--pw-consume", demo->specs[i], "--pw-target", NODE_NAME,
        "--frames", frames, NULL);
    if (!c->proc) {
      g_printerr ("gst-alloc-demo: cannot start %s: %s\n", c->name,
          err->message);
      g_clear_error (&err);
      consumer_free (c);
      demo->failed = TRUE;
      continue;
    }
    c->pid = g_strdup (g_subprocess_get_identifier (c->proc));
    c->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (c->proc));
    g_ptr_array_add (demo->consumers, c);
    demo->running++;
    read_next (demo, c);
  }
  g_free (frames);
  if (demo->running == 0)
    g_main_loop_quit (demo->loop);
  return G_SOURCE_REMOVE;
}

static void
on_node_id (GObject * sink, GParamSpec * pspec, gpointer user_data)
{
  static gsize started = 0;

  if (g_once_init_enter (&started)) {
    g_idle_add (start_consumers, user_data);
    g_once_init_leave (&started, 1);
  }
}

/* Consumers a decision says how to serve (none pending). */
static guint
settled (const GstStructure * decision)
{
  const GValue *list = decision ?
      gst_structure_get_value (decision, "consumers") : NULL;
  guint i, n = 0;

  for (i = 0; list && i < gst_value_array_get_size (list); i++) {
    const GstStructure *c =
        gst_value_get_structure (gst_value_array_get_value (list, i));

    if (g_strcmp0 (gst_structure_get_string (c, "mode"), "pending") == 0)
      return 0;
    n++;
  }
  return n;
}

static gboolean
on_message (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  Demo *demo = user_data;
  GError *err = NULL;
  gchar *debug = NULL;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gst_message_parse_error (msg, &err, &debug);
    g_printerr ("\ngst-alloc-demo: error from %s: %s\n%s\n",
        GST_OBJECT_NAME (msg->src), err->message, debug ? debug : "");
    g_clear_error (&err);
    g_free (debug);
    demo->failed = TRUE;
    g_main_loop_quit (demo->loop);
  } else if (gst_message_has_name (msg, "allocpwsink-decision")
      && settled (gst_message_get_structure (msg)) >= settled (demo->decision)) {
    /* The decision that served the most consumers, all known. */
    g_clear_pointer (&demo->decision, gst_structure_free);
    demo->decision = gst_structure_copy (gst_message_get_structure (msg));
  }
  return G_SOURCE_CONTINUE;
}

static void
print_decision (const GstStructure * s)
{
  const GValue *list = gst_structure_get_value (s, "consumers");
  gchar **report;
  guint i;

  g_print ("\nnegotiation (allocpwsink-decision), node %s:\n",
      gst_structure_get_string (s, "node"));
  report = g_strsplit (gst_structure_get_string (s, "report"), "\n", -1);
  for (i = 0; report[i]; i++)
    g_print ("  %s\n", report[i]);
  g_strfreev (report);
  for (i = 0; i < gst_value_array_get_size (list); i++) {
    const GstStructure *c =
        gst_value_get_structure (gst_value_array_get_value (list, i));

    g_print ("  %-10s %-9s %-28s %s\n", gst_structure_get_string (c,
            "consumer"), gst_structure_get_string (c, "mode"),
        gst_structure_get_string (c, "node"), gst_structure_get_string (c,
            "reason"));
  }
}

/* Frames every consumer received, and of those, the ones that were the
 * very same memory (inode) in every process. */
static guint
same_memory (GPtrArray * consumers, guint * common)
{
  Consumer *first = consumers->len ? consumers->pdata[0] : NULL;
  GHashTableIter iter;
  gpointer seq, inode;
  guint i, same = 0;
  gboolean all, equal;

  *common = 0;
  if (!first)
    return 0;
  g_hash_table_iter_init (&iter, first->inodes);
  while (g_hash_table_iter_next (&iter, &seq, &inode)) {
    all = equal = TRUE;
    for (i = 1; i < consumers->len; i++) {
      Consumer *c = consumers->pdata[i];

      all &= g_hash_table_contains (c->inodes, seq);
      equal &= g_hash_table_lookup (c->inodes, seq) == inode;
    }
    *common += all;
    same += all && equal && GPOINTER_TO_SIZE (inode) != 0;
  }
  return same;
}

static gboolean
print_consumers (Demo * demo)
{
  guint64 copies = 0;
  guint i, common, same;
  gboolean ok = !demo->failed;

  g_print ("\nper consumer process:\n  %-10s %7s %7s %7s %10s  %s\n",
      "consumer", "pid", "frames", "copies", "violations", "memory");
  for (i = 0; i < demo->consumers->len; i++) {
    Consumer *c = demo->consumers->pdata[i];
    gint frames = 0;
    guint64 cp = 0, violations = 0;
    gchar kinds[64] = "-";

    if (!c->summary || sscanf (c->summary, "%d %" G_GUINT64_FORMAT " %"
            G_GUINT64_FORMAT " %63s", &frames, &cp, &violations, kinds) < 3)
      ok = FALSE;
    g_print ("  %-10s %7s %7d %7" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT
        "  %s\n", c->name, c->pid, frames, cp, violations, kinds);
    ok = ok && violations == 0 && frames == demo->frames;
  }
  g_object_get (demo->sink, "copies", &copies, NULL);
  same = same_memory (demo->consumers, &common);
  g_print ("\nsame memory in every consumer process: %u of %u frames they "
      "all received\nproducer: %" G_GUINT64_FORMAT " copies\n", same,
      common, copies);
  return ok;
}

gint
gst_alloc_demo_pipewire (const gchar * self, const gchar * source,
    gchar ** consumers, gint frames)
{
  Demo demo = { 0, };
  GstElement *pipeline;
  gchar *desc;
  gboolean ok;

  if (!has_element ("allocpwsink") || !has_element ("allocpwsrc")) {
    g_printerr ("gst-alloc-demo: --pipewire needs the allocpipewire plugin "
        "(allocpwsink, allocpwsrc), which is not installed: it is built "
        "when libpipewire-0.3 is found, and packaged as "
        "gstreamer1.0-alloc-pipewire\n");
    return 2;
  }
  desc = g_strdup_printf ("%s ! allocpwsink name=sink node-name=" NODE_NAME,
      source);
  g_print ("pipeline: %s\n", desc);
  pipeline = launch ("gst-alloc-demo", desc);
  g_free (desc);
  if (!pipeline)
    return 2;
  demo.loop = g_main_loop_new (NULL, FALSE);
  demo.self = self;
  demo.specs = consumers ? consumers : (gchar **) default_consumers;
  demo.frames = frames;
  demo.consumers = g_ptr_array_new_with_free_func (consumer_free);
  demo.sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_signal_connect (demo.sink, "notify::node-id", G_CALLBACK (on_node_id),
      &demo);
  gst_bus_add_watch (GST_ELEMENT_BUS (pipeline), on_message, &demo);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  g_main_loop_run (demo.loop);
  if (demo.decision)
    print_decision (demo.decision);
  ok = print_consumers (&demo);
  g_print ("result: %s\n", ok ? "every process got every frame, as it "
      "needs it" : "FAILED");
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_bus_remove_watch (GST_ELEMENT_BUS (pipeline));
  g_clear_pointer (&demo.decision, gst_structure_free);
  g_ptr_array_unref (demo.consumers);
  gst_object_unref (demo.sink);
  gst_object_unref (pipeline);
  g_main_loop_unref (demo.loop);
  return ok ? 0 : 1;
}
