/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* benchsink: a stock-style constrained consumer that copies what does not
 * fit, as kmssink (into dumb buffers), v4l2sink (into its own pool) and
 * pipewiresink (any buffer not from its pool) do. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "bench.h"

#include <gst/video/video.h>
#include <string.h>

struct _BenchSink
{
  GstBaseSink parent;

  /* Set before PLAYING. */
  GstAllocConstraints *constraints;     /* NULL: accepts anything */

  /* Streaming thread; read after EOS. */
  GstVideoInfo info;
  GstBufferPool *pool;          /* own compliant pool */
  GstBufferPool *last_seen;
  GHashTable *seen;             /* pools buffers arrived from, refs */
  BenchSinkStats stats;
};

enum
{
  PROP_0,
  PROP_CONSTRAINTS,
};

G_DEFINE_TYPE (BenchSink, bench_sink, GST_TYPE_BASE_SINK);

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS ("video/x-raw"));

void
bench_sink_get_stats (BenchSink * sink, BenchSinkStats * stats)
{
  *stats = sink->stats;
}

void
bench_sink_collect_pools (BenchSink * sink, GHashTable * pools)
{
  GHashTableIter iter;
  gpointer pool;

  if (sink->pool)
    g_hash_table_add (pools, gst_object_ref (sink->pool));
  g_hash_table_iter_init (&iter, sink->seen);
  while (g_hash_table_iter_next (&iter, &pool, NULL))
    if (!g_hash_table_contains (pools, pool))
      g_hash_table_add (pools, gst_object_ref (pool));
}

static gboolean
bench_sink_set_caps (GstBaseSink * base, GstCaps * caps)
{
  return gst_video_info_from_caps (&BENCH_SINK (base)->info, caps);
}

/* Like kmssink, propose a pool that satisfies us; our answer also carries
 * the constraint set, which stock elements ignore and alloctee reads. */
static gboolean
bench_sink_propose_allocation (GstBaseSink * base, GstQuery * query)
{
  BenchSink *self = BENCH_SINK (base);
  GstBufferPool *pool;
  GError *err = NULL;

  if (!self->constraints)
    return TRUE;
  pool = gst_alloc_query_answer (query, self->constraints, NULL,
      GST_OBJECT_NAME (self), &err);
  if (!pool) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("Cannot propose a pool."),
        ("%s", err->message));
    g_error_free (err);
    return FALSE;
  }
  if (self->pool)
    gst_buffer_pool_set_active (self->pool, FALSE);
  gst_object_replace ((GstObject **) & self->pool, GST_OBJECT (pool));
  gst_object_unref (pool);
  return TRUE;
}

/* The pool to copy into: the one proposed, or one made now when nobody
 * asked (a stock tee asks each branch but keeps no pool). */
static gboolean
ensure_pool (BenchSink * self)
{
  GstCaps *caps;
  GstQuery *query;
  gboolean ok;

  if (!self->pool) {
    caps = gst_video_info_to_caps (&self->info);
    query = gst_query_new_allocation (caps, TRUE);
    ok = bench_sink_propose_allocation (GST_BASE_SINK (self), query);
    gst_query_unref (query);
    gst_caps_unref (caps);
    if (!ok)
      return FALSE;
  }
  return gst_buffer_pool_is_active (self->pool)
      || gst_buffer_pool_set_active (self->pool, TRUE);
}

static GstFlowReturn
copy_into_own_buffer (BenchSink * self, GstBuffer * buffer)
{
  GstVideoFrame in, out;
  GstBuffer *copy = NULL;
  GstFlowReturn ret;

  if (!ensure_pool (self))
    return GST_FLOW_ERROR;
  ret = gst_buffer_pool_acquire_buffer (self->pool, &copy, NULL);
  if (ret != GST_FLOW_OK)
    return ret;
  if (!gst_video_frame_map (&in, &self->info, buffer, GST_MAP_READ)) {
    gst_buffer_unref (copy);
    return GST_FLOW_ERROR;
  }
  if (!gst_video_frame_map (&out, &self->info, copy, GST_MAP_WRITE)) {
    gst_video_frame_unmap (&in);
    gst_buffer_unref (copy);
    return GST_FLOW_ERROR;
  }
  gst_video_frame_copy (&out, &in);
  gst_video_frame_unmap (&out);
  gst_video_frame_unmap (&in);
  gst_buffer_unref (copy);
  self->stats.copies++;
  self->stats.bytes_copied += GST_VIDEO_INFO_SIZE (&self->info);
  return GST_FLOW_OK;
}

static GstFlowReturn
bench_sink_render (GstBaseSink * base, GstBuffer * buffer)
{
  BenchSink *self = BENCH_SINK (base);

  if (self->stats.buffers++ == 0)
    self->stats.first_buffer = g_get_monotonic_time ();
  if (buffer->pool && buffer->pool != self->last_seen) {
    self->last_seen = buffer->pool;
    if (!g_hash_table_contains (self->seen, buffer->pool))
      g_hash_table_add (self->seen, gst_object_ref (buffer->pool));
  }
  if (!self->constraints || gst_alloc_constraints_check_buffer
      (self->constraints, &self->info, buffer, NULL))
    return GST_FLOW_OK;
  return copy_into_own_buffer (self, buffer);
}

static gboolean
bench_sink_start (GstBaseSink * base)
{
  BenchSink *self = BENCH_SINK (base);

  memset (&self->stats, 0, sizeof (self->stats));
  return TRUE;
}

static void
bench_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  BenchSink *self = BENCH_SINK (object);
  GError *err = NULL;
  const gchar *str;

  switch (prop_id) {
    case PROP_CONSTRAINTS:
      str = g_value_get_string (value);
      gst_alloc_constraints_free (self->constraints);
      self->constraints = str && *str ? gst_alloc_constraints_from_string (str,
          GST_OBJECT_NAME (self), &err) : NULL;
      if (err) {
        g_warning ("%s: %s", GST_OBJECT_NAME (self), err->message);
        g_error_free (err);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
bench_sink_finalize (GObject * object)
{
  BenchSink *self = BENCH_SINK (object);

  if (self->pool)
    gst_buffer_pool_set_active (self->pool, FALSE);
  gst_clear_object (&self->pool);
  g_hash_table_destroy (self->seen);
  gst_alloc_constraints_free (self->constraints);
  G_OBJECT_CLASS (bench_sink_parent_class)->finalize (object);
}

static void
bench_sink_class_init (BenchSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *base_class = GST_BASE_SINK_CLASS (klass);

  gobject_class->set_property = bench_sink_set_property;
  gobject_class->finalize = bench_sink_finalize;
  g_object_class_install_property (gobject_class, PROP_CONSTRAINTS,
      g_param_spec_string ("constraints", "Constraints",
          "What this consumer needs (string form); empty accepts anything",
          NULL, G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));
  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class, "Benchmark sink",
      "Sink/Video", "A constrained consumer that copies what does not fit",
      "gst-alloc");
  base_class->set_caps = bench_sink_set_caps;
  base_class->propose_allocation = bench_sink_propose_allocation;
  base_class->render = bench_sink_render;
  base_class->start = bench_sink_start;
}

static void
bench_sink_init (BenchSink * self)
{
  self->seen = g_hash_table_new_full (NULL, NULL, gst_object_unref, NULL);
  gst_base_sink_set_sync (GST_BASE_SINK (self), FALSE);
  /* A stock sink keeps no extra frame alive. */
  gst_base_sink_set_last_sample_enabled (GST_BASE_SINK (self), FALSE);
}

void
bench_register_elements (void)
{
  gst_element_register (NULL, "benchsrc", GST_RANK_NONE, BENCH_TYPE_SRC);
  gst_element_register (NULL, "benchsink", GST_RANK_NONE, BENCH_TYPE_SINK);
}
