/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* benchsrc, and the counting system-memory pool it falls back to. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "bench.h"

#include <gst/video/video.h>
#include <sys/resource.h>

/* --- a stock video pool that counts what it allocates --- */

#define BENCH_TYPE_COUNTING_POOL (bench_counting_pool_get_type ())
G_DECLARE_FINAL_TYPE (BenchCountingPool, bench_counting_pool, BENCH,
    COUNTING_POOL, GstVideoBufferPool);

struct _BenchCountingPool
{
  GstVideoBufferPool parent;
  guint64 bytes;                /* written by whoever holds the pool's
                                 * allocation (one streaming thread), read
                                 * after EOS */
};

G_DEFINE_TYPE (BenchCountingPool, bench_counting_pool,
    GST_TYPE_VIDEO_BUFFER_POOL);

static GstFlowReturn
counting_alloc_buffer (GstBufferPool * pool, GstBuffer ** buffer,
    GstBufferPoolAcquireParams * params)
{
  BenchCountingPool *self = BENCH_COUNTING_POOL (pool);
  GstFlowReturn ret;
  guint i;

  ret = GST_BUFFER_POOL_CLASS (bench_counting_pool_parent_class)->alloc_buffer
      (pool, buffer, params);
  if (ret == GST_FLOW_OK)
    for (i = 0; i < gst_buffer_n_memory (*buffer); i++)
      self->bytes += gst_buffer_peek_memory (*buffer, i)->maxsize;
  return ret;
}

static void
bench_counting_pool_class_init (BenchCountingPoolClass * klass)
{
  GST_BUFFER_POOL_CLASS (klass)->alloc_buffer = counting_alloc_buffer;
}

static void
bench_counting_pool_init (BenchCountingPool * self)
{
}

guint64
bench_pool_bytes_allocated (GstBufferPool * pool)
{
  if (GST_IS_ALLOC_POOL (pool))
    return gst_alloc_pool_get_bytes_allocated (GST_ALLOC_POOL (pool));
  if (BENCH_IS_COUNTING_POOL (pool))
    return BENCH_COUNTING_POOL (pool)->bytes;
  return 0;
}

gint64
bench_cpu_time_us (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return (gint64) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * G_USEC_PER_SEC
      + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

/* --- benchsrc --- */

struct _BenchSrc
{
  GstBaseSrc parent;

  /* Set before PLAYING, read by the streaming thread. */
  GstCaps *caps;
  guint64 max_frames, min_frames;
  gint64 max_us;
  GstClockTime frame_duration;

  /* Streaming thread only, read after EOS. */
  guint64 frames;
  gint64 start_wall, start_cpu;
  GstBufferPool *pool;
};

G_DEFINE_TYPE (BenchSrc, bench_src, GST_TYPE_BASE_SRC);

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS ("video/x-raw"));

void
bench_src_set_limits (BenchSrc * src, const GstCaps * caps, guint64 frames,
    guint64 min_frames, gdouble seconds)
{
  gst_caps_replace (&src->caps, (GstCaps *) caps);
  src->max_frames = frames;
  src->min_frames = min_frames;
  src->max_us = (gint64) (seconds * G_USEC_PER_SEC);
}

guint64
bench_src_get_frames (BenchSrc * src)
{
  return src->frames;
}

void
bench_src_get_start (BenchSrc * src, gint64 * wall, gint64 * cpu)
{
  *wall = src->start_wall;
  *cpu = src->start_cpu;
}

GstBufferPool *
bench_src_get_pool (BenchSrc * src)
{
  return src->pool ? gst_object_ref (src->pool) : NULL;
}

static GstCaps *
bench_src_get_caps (GstBaseSrc * base, GstCaps * filter)
{
  BenchSrc *self = BENCH_SRC (base);

  if (filter)
    return gst_caps_intersect_full (filter, self->caps,
        GST_CAPS_INTERSECT_FIRST);
  return gst_caps_ref (self->caps);
}

/* Downstream's pool when it offers one (alloctee, allocfilter, a sink
 * linked directly); otherwise a system-memory video pool, which is what a
 * stock source allocates behind a stock tee. */
static gboolean
bench_src_decide_allocation (GstBaseSrc * base, GstQuery * query)
{
  BenchSrc *self = BENCH_SRC (base);
  GstBufferPool *pool = NULL;
  guint size = 0, min = 0, max = 0;
  GstVideoInfo info;
  GstCaps *caps;

  gst_query_parse_allocation (query, &caps, NULL);
  if (!caps || !gst_video_info_from_caps (&info, caps))
    return FALSE;
  if (gst_query_get_n_allocation_pools (query) > 0)
    gst_query_parse_nth_allocation_pool (query, 0, &pool, &size, &min, &max);
  if (!pool) {
    pool = g_object_new (BENCH_TYPE_COUNTING_POOL, NULL);
    gst_object_ref_sink (pool);
    size = MAX (size, info.size);
    if (gst_query_get_n_allocation_pools (query) > 0)
      gst_query_set_nth_allocation_pool (query, 0, pool, size, min, max);
    else
      gst_query_add_allocation_pool (query, pool, size, min, max);
  }
  gst_object_replace ((GstObject **) & self->pool, GST_OBJECT (pool));
  gst_object_unref (pool);
  return GST_BASE_SRC_CLASS (bench_src_parent_class)->decide_allocation (base,
      query);
}

static GstFlowReturn
bench_src_fill (GstBaseSrc * base, guint64 offset, guint length,
    GstBuffer * buffer)
{
  BenchSrc *self = BENCH_SRC (base);
  gint64 now = g_get_monotonic_time ();

  if (self->frames == 0) {
    self->start_wall = now;
    self->start_cpu = bench_cpu_time_us ();
  } else if (self->frames >= self->max_frames ||
      (self->frames >= self->min_frames
          && now - self->start_wall >= self->max_us)) {
    return GST_FLOW_EOS;
  }
  /* Timestamps only: the pixels are whatever the pool holds. */
  GST_BUFFER_PTS (buffer) = self->frames * self->frame_duration;
  GST_BUFFER_DURATION (buffer) = self->frame_duration;
  self->frames++;
  return GST_FLOW_OK;
}

static gboolean
bench_src_start (GstBaseSrc * base)
{
  BenchSrc *self = BENCH_SRC (base);

  self->frames = 0;
  self->start_wall = self->start_cpu = 0;
  return TRUE;
}

static void
bench_src_finalize (GObject * object)
{
  BenchSrc *self = BENCH_SRC (object);

  gst_caps_replace (&self->caps, NULL);
  gst_clear_object (&self->pool);
  G_OBJECT_CLASS (bench_src_parent_class)->finalize (object);
}

static void
bench_src_class_init (BenchSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *base_class = GST_BASE_SRC_CLASS (klass);

  gobject_class->finalize = bench_src_finalize;
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Benchmark source",
      "Source/Video", "Pushes pool buffers without drawing", "gst-alloc");
  base_class->get_caps = bench_src_get_caps;
  base_class->decide_allocation = bench_src_decide_allocation;
  base_class->fill = bench_src_fill;
  base_class->start = bench_src_start;
}

static void
bench_src_init (BenchSrc * self)
{
  self->caps = gst_caps_new_empty_simple ("video/x-raw");
  self->max_frames = G_MAXUINT64;
  self->frame_duration = GST_SECOND / 30;
  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);
}
