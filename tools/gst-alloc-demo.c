/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-alloc-demo: a stock pipeline (videotestsrc ! fakesink) whose sink
 * answers the ALLOCATION query with one GstAllocPool satisfying several
 * consumers at once. Prints what was merged, which backend was chosen and
 * why, what was allocated, and checks every frame against every consumer. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <gst/alloc/alloc.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

typedef struct
{
  gchar *name;
  GstAllocConstraints *constraints;
  guint satisfied;
  guint violated;
  gchar *first_violation;
} Consumer;

typedef struct
{
  GPtrArray *consumers;         /* Consumer */
  GstAllocConstraints *merged;
  GstBufferPool *pool;
  GstVideoInfo info;
  GHashTable *memories;         /* distinct memories seen, by fd inode */
  guint frames;
  gboolean failed;
} Demo;

static const gchar *default_consumers[] = {
  "display:stride-align=256,memory=dmabuf|memfd",
  "encoder:stride-align=64,height-align=16",
  "analytics:cpu-access=read,cache=cached",
  "ipc:memory=memfd|dmabuf",
};

static void
consumer_free (gpointer data)
{
  Consumer *consumer = data;

  g_free (consumer->name);
  g_free (consumer->first_violation);
  gst_alloc_constraints_free (consumer->constraints);
  g_free (consumer);
}

/* "name:constraints"; the name is the origin every message will cite. */
static Consumer *
consumer_parse (const gchar * spec, GError ** error)
{
  const gchar *colon = strchr (spec, ':');
  Consumer *consumer;
  gchar *name;
  GstAllocConstraints *c;

  if (!colon || colon == spec) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE,
        "consumer '%s' is not of the form NAME:CONSTRAINTS", spec);
    return NULL;
  }
  name = g_strndup (spec, colon - spec);
  c = gst_alloc_constraints_from_string (colon + 1, name, error);
  if (!c) {
    g_free (name);
    return NULL;
  }
  consumer = g_new0 (Consumer, 1);
  consumer->name = name;
  consumer->constraints = c;
  return consumer;
}

/* Answers the sink's ALLOCATION query for the merged consumers: our pool,
 * and the video-meta params and allocation params stock producers read. */
static gboolean
answer_allocation (Demo * demo, GstQuery * query, GError ** error)
{
  GstCaps *caps;

  gst_query_parse_allocation (query, &caps, NULL);
  if (!caps || !gst_video_info_from_caps (&demo->info, caps)) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE,
        "the ALLOCATION query carries no raw video caps");
    return FALSE;
  }
  g_clear_object (&demo->pool);
  demo->pool = gst_alloc_query_answer (query, demo->merged, NULL, "demo-pool",
      error);
  return demo->pool != NULL;
}

static GstPadProbeReturn
on_query (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Demo *demo = user_data;
  GstQuery *query = GST_PAD_PROBE_INFO_QUERY (info);
  GError *err = NULL;

  if (GST_QUERY_TYPE (query) != GST_QUERY_ALLOCATION)
    return GST_PAD_PROBE_OK;
  if (!answer_allocation (demo, query, &err)) {
    g_printerr ("gst-alloc-demo: %s\n", err->message);
    g_clear_error (&err);
    demo->failed = TRUE;
    return GST_PAD_PROBE_DROP;
  }
  return GST_PAD_PROBE_HANDLED;
}

/* A memory's identity across processes and mappings: the fd's inode for fd
 * memory, its address otherwise. */
static gchar *
memory_identity (GstMemory * mem)
{
  struct stat st;

  if (gst_is_fd_memory (mem) && fstat (gst_fd_memory_get_fd (mem), &st) == 0)
    return g_strdup_printf ("inode %lu", (unsigned long) st.st_ino);
  return g_strdup_printf ("address %p", (gpointer) mem);
}

static GstPadProbeReturn
on_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Demo *demo = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  Consumer *consumer;
  GError *err = NULL;
  guint i;

  demo->frames++;
  for (i = 0; i < gst_buffer_n_memory (buf); i++)
    g_hash_table_add (demo->memories,
        memory_identity (gst_buffer_peek_memory (buf, i)));
  for (i = 0; i < demo->consumers->len; i++) {
    consumer = g_ptr_array_index (demo->consumers, i);
    if (gst_alloc_constraints_check_buffer (consumer->constraints,
            &demo->info, buf, &err)) {
      consumer->satisfied++;
      continue;
    }
    consumer->violated++;
    if (!consumer->first_violation)
      consumer->first_violation = g_strdup (err->message);
    g_clear_error (&err);
  }
  return GST_PAD_PROBE_OK;
}

static gboolean
merge_consumers (Demo * demo)
{
  Consumer *consumer;
  GError *err = NULL;
  gchar *text;
  guint i;

  g_print ("consumers:\n");
  demo->merged = gst_alloc_constraints_new ();
  for (i = 0; i < demo->consumers->len; i++) {
    consumer = g_ptr_array_index (demo->consumers, i);
    text = gst_alloc_constraints_to_string (consumer->constraints);
    g_print ("  %-10s %s\n", consumer->name, text);
    g_free (text);
    if (!gst_alloc_constraints_merge_into (demo->merged,
            consumer->constraints, &err)) {
      g_printerr ("gst-alloc-demo: these consumers cannot share one buffer: "
          "%s\n", err->message);
      g_clear_error (&err);
      return FALSE;
    }
  }
  text = gst_alloc_constraints_to_string (demo->merged);
  g_print ("merged:      %s\n", text);
  g_free (text);
  return TRUE;
}

static void
print_results (Demo * demo)
{
  GstAllocPool *pool = GST_ALLOC_POOL (demo->pool);
  Consumer *consumer;
  gchar *report = gst_alloc_pool_get_report (pool);
  gchar **lines = g_strsplit (report, "\n", -1);
  guint i;

  for (i = 0; lines[i]; i++)
    g_print ("%s\n", lines[i]);
  g_print ("allocated:   %" G_GUINT64_FORMAT " bytes in %u distinct memories,"
      " all while the pool started\n",
      gst_alloc_pool_get_bytes_allocated (pool),
      g_hash_table_size (demo->memories));
  g_print ("frames:      %u, each checked against every consumer:\n",
      demo->frames);
  for (i = 0; i < demo->consumers->len; i++) {
    consumer = g_ptr_array_index (demo->consumers, i);
    g_print ("  %-10s %u satisfied, %u violated%s%s\n", consumer->name,
        consumer->satisfied, consumer->violated,
        consumer->first_violation ? ": " : "",
        consumer->first_violation ? consumer->first_violation : "");
    if (consumer->violated || consumer->satisfied != demo->frames)
      demo->failed = TRUE;
  }
  g_strfreev (lines);
  g_free (report);
}

static gboolean
run_pipeline (Demo * demo, const gchar * description)
{
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (description, &err);
  GstElement *sink;
  GstPad *pad;
  GstMessage *msg;

  if (!pipeline) {
    g_printerr ("gst-alloc-demo: %s\n", err->message);
    g_clear_error (&err);
    return FALSE;
  }
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM, on_query, demo,
      NULL);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_buffer, demo, NULL);
  gst_object_unref (pad);
  gst_object_unref (sink);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipeline),
      GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gchar *debug = NULL;

    gst_message_parse_error (msg, &err, &debug);
    g_printerr ("gst-alloc-demo: pipeline error: %s (%s)\n", err->message,
        debug ? debug : "no details");
    g_clear_error (&err);
    g_free (debug);
    demo->failed = TRUE;
  }
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return !demo->failed;
}

int
main (int argc, char **argv)
{
  gint frames = 60, width = 1920, height = 1080;
  gchar *format = NULL, **specs = NULL, *description;
  GOptionEntry entries[] = {
    {"frames", 'n', 0, G_OPTION_ARG_INT, &frames, "Frames to push (60)", "N"},
    {"width", 'w', 0, G_OPTION_ARG_INT, &width, "Frame width (1920)", "W"},
    {"height", 'h', 0, G_OPTION_ARG_INT, &height, "Frame height (1080)", "H"},
    {"format", 'f', 0, G_OPTION_ARG_STRING, &format,
        "Raw video format (NV12)", "FORMAT"},
    {"consumer", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &specs,
          "A consumer as NAME:CONSTRAINTS, repeatable (default: a display, "
          "an encoder, an analytics CPU reader and another process)",
        "SPEC"},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("- allocate once for several "
      "consumers");
  Demo demo = { 0, };
  GError *err = NULL;
  Consumer *consumer;
  guint i;
  gboolean ok;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  description = g_strdup_printf ("Constraint fields: %s\n\nExample:\n  "
      "gst-alloc-demo -c display:stride-align=256,memory=dmabuf "
      "-c encoder:height-align=16\n", gst_alloc_constraints_accepted_fields ());
  g_option_context_set_description (ctx, description);
  g_free (description);
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("gst-alloc-demo: %s\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);
  gst_alloc_init ();

  demo.consumers = g_ptr_array_new_with_free_func (consumer_free);
  demo.memories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (i = 0; specs ? specs[i] != NULL : i < G_N_ELEMENTS (default_consumers);
      i++) {
    consumer = consumer_parse (specs ? specs[i] : default_consumers[i], &err);
    if (!consumer) {
      g_printerr ("gst-alloc-demo: %s\n", err->message);
      return 2;
    }
    g_ptr_array_add (demo.consumers, consumer);
  }

  description = g_strdup_printf ("videotestsrc num-buffers=%d pattern=ball ! "
      "video/x-raw,format=%s,width=%d,height=%d,framerate=30/1 ! "
      "fakesink name=sink sync=false", frames, format ? format : "NV12", width,
      height);
  g_print ("gst-alloc demo: %s\n", description);
  ok = merge_consumers (&demo) && run_pipeline (&demo, description);
  if (demo.pool)
    print_results (&demo);
  ok = ok && !demo.failed;
  g_print ("result:      %s\n", ok ? "every frame satisfied every consumer, "
      "from one pool" : "FAILED");

  g_free (description);
  g_strfreev (specs);
  g_free (format);
  g_clear_object (&demo.pool);
  gst_alloc_constraints_free (demo.merged);
  g_hash_table_unref (demo.memories);
  g_ptr_array_unref (demo.consumers);
  return ok ? 0 : 1;
}
