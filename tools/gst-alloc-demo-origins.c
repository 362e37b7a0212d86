/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where the demo's frames came from and which memory each branch received
 * (gst-alloc-demo-origins.h). Each list is written by one streaming thread
 * (the source's for the tee's input, each branch's queue for its sink) and
 * read only after the pipeline stopped. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gst-alloc-demo-origins.h"

#include <gst/alloc/alloc.h>
#include <gst/allocators/allocators.h>

#include <sys/stat.h>

typedef struct
{
  DemoOrigins *origins;
  GPtrArray *memories;          /* identity of each frame's first memory */
} Watch;

struct _DemoOrigins
{
  gchar *tee_name;
  guint from_shared;
  /* Per frame entering the tee: the name of the pool it came from, NULL
   * for the shared pool. */
  GPtrArray *pools;
  Watch *source;
  GPtrArray *sinks;             /* of Watch */
};

/* A memory is its root (a shared sub-memory is its parent's); an fd memory
 * is its file, so that two GstMemory wrapping one dma-buf are the same
 * memory, and a freed address reused later is not. */
static gchar *
memory_identity (GstBuffer * buffer)
{
  GstMemory *mem = gst_buffer_peek_memory (buffer, 0);
  struct stat st;

  while (mem->parent)
    mem = mem->parent;
  if (gst_is_fd_memory (mem) && fstat (gst_fd_memory_get_fd (mem), &st) == 0)
    return g_strdup_printf ("file %" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT,
        (guint64) st.st_dev, (guint64) st.st_ino);
  return g_strdup_printf ("memory %p", mem);
}

static GstPadProbeReturn
record_memory (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Watch *watch = user_data;

  g_ptr_array_add (watch->memories,
      memory_identity (GST_PAD_PROBE_INFO_BUFFER (info)));
  return GST_PAD_PROBE_OK;
}

/* On the tee's input: the pool as well as the memory. */
static GstPadProbeReturn
record_origin (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Watch *watch = user_data;
  DemoOrigins *origins = watch->origins;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstBufferPool *pool = buffer->pool;

  /* alloctee names its shared pool after itself; the pools of converted
   * branches never reach its input. */
  if (pool && GST_IS_ALLOC_POOL (pool)
      && g_strcmp0 (GST_OBJECT_NAME (pool), origins->tee_name) == 0) {
    origins->from_shared++;
    g_ptr_array_add (origins->pools, NULL);
  } else {
    g_ptr_array_add (origins->pools, g_strdup (pool ? GST_OBJECT_NAME (pool) :
            "no pool"));
  }
  return record_memory (pad, info, user_data);
}

static Watch *
watch_pad (DemoOrigins * origins, GstElement * element, const gchar * pad_name,
    GstPadProbeCallback callback)
{
  GstPad *pad = gst_element_get_static_pad (element, pad_name);
  Watch *watch = g_new0 (Watch, 1);

  watch->origins = origins;
  watch->memories = g_ptr_array_new_with_free_func (g_free);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, callback, watch, NULL);
  gst_object_unref (pad);
  return watch;
}

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  g_ptr_array_unref (watch->memories);
  g_free (watch);
}

DemoOrigins *
demo_origins_watch (GstElement * tee, GPtrArray * sinks)
{
  DemoOrigins *origins = g_new0 (DemoOrigins, 1);
  guint i;

  origins->tee_name = gst_object_get_name (GST_OBJECT (tee));
  origins->pools = g_ptr_array_new_with_free_func (g_free);
  origins->source = watch_pad (origins, tee, "sink", record_origin);
  origins->sinks = g_ptr_array_new_with_free_func (watch_free);
  for (i = 0; i < sinks->len; i++)
    g_ptr_array_add (origins->sinks, watch_pad (origins, sinks->pdata[i],
            "sink", record_memory));
  return origins;
}

void
demo_origins_free (DemoOrigins * origins)
{
  g_ptr_array_unref (origins->sinks);
  watch_free (origins->source);
  g_ptr_array_unref (origins->pools);
  g_free (origins->tee_name);
  g_free (origins);
}

guint
demo_origins_frames (const DemoOrigins * origins)
{
  return origins->pools->len;
}

/* Frames per pool name other than the shared pool's, in order of first
 * appearance. */
static GPtrArray *
count_foreign (const DemoOrigins * origins, GHashTable * counts)
{
  GPtrArray *order = g_ptr_array_new ();
  const gchar *name;
  guint i, n;

  for (i = 0; i < origins->pools->len; i++) {
    name = origins->pools->pdata[i];
    if (!name)
      continue;
    n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
    if (n == 0)
      g_ptr_array_add (order, (gpointer) name);
    g_hash_table_insert (counts, (gpointer) name, GUINT_TO_POINTER (n + 1));
  }
  return order;
}

gchar *
demo_origins_describe_foreign (const DemoOrigins * origins)
{
  GHashTable *counts = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *order = count_foreign (origins, counts);
  GString *text = g_string_new (NULL);
  guint i;

  for (i = 0; i < order->len; i++)
    g_string_append_printf (text, "%s%s (%u of %u frames)", i ? ", " : "",
        (const gchar *) order->pdata[i],
        GPOINTER_TO_UINT (g_hash_table_lookup (counts, order->pdata[i])),
        origins->pools->len);
  g_ptr_array_unref (order);
  g_hash_table_unref (counts);
  return g_string_free (text, text->len == 0);
}

void
demo_origins_print (const DemoOrigins * origins)
{
  guint n = demo_origins_frames (origins), shared = origins->from_shared;
  gchar *foreign = demo_origins_describe_foreign (origins);

  g_print ("\nwhere the frames came from (each buffer the source pushed):\n");
  g_print ("  %u of %u from %s, the shared pool\n", shared, n,
      origins->tee_name);
  if (foreign)
    g_print ("  not from the shared pool: %s\n", foreign);
  g_free (foreign);
}

guint
demo_origins_source_memory (const DemoOrigins * origins, guint index)
{
  GPtrArray *source = origins->source->memories;
  GPtrArray *got = ((Watch *) origins->sinks->pdata[index])->memories;
  guint f, same = 0;

  for (f = 0; f < MIN (source->len, got->len); f++)
    same += g_strcmp0 (source->pdata[f], got->pdata[f]) == 0;
  return same;
}

guint
demo_origins_shared_by (const DemoOrigins * origins, const gboolean * selected)
{
  GPtrArray *source = origins->source->memories, *got;
  guint f, i, shared = 0, any = 0;
  gboolean same;

  for (i = 0; i < origins->sinks->len; i++)
    any += selected[i];
  for (f = 0; any && f < source->len; f++) {
    same = TRUE;
    for (i = 0; i < origins->sinks->len && same; i++) {
      got = ((Watch *) origins->sinks->pdata[i])->memories;
      if (selected[i])
        same = f < got->len && g_strcmp0 (source->pdata[f], got->pdata[f]) == 0;
    }
    shared += same;
  }
  return shared;
}
