/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Views: one memory described as each consumer needs it. For every linear
 * format the pool lays out, a one-memory buffer split into one memory per
 * plane (with and without paddings) and joined back, each memory's place
 * and size checked against GstVideoInfo and the pixels read through the
 * view compared with those read through the buffer; the default layout of
 * a padded buffer; what only a copy can give, refused by name; the parent
 * kept until the last view is freed; a dma-buf view's CPU access
 * bracketed by DMA_BUF_IOCTL_SYNC on the parent's fd. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

#include "fakeioctl.h"

#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* linux/dma-buf.h's values: the tests build where the header is missing. */
struct fake_dma_buf_sync
{
  guint64 flags;
};
#define FAKE_DMA_BUF_IOCTL_SYNC _IOW ('b', 0, struct fake_dma_buf_sync)
#define FAKE_DMA_BUF_SYNC_READ (1 << 0)
#define FAKE_DMA_BUF_SYNC_END (1 << 2)

static const guint sizes[][2] = { {64, 48}, {17, 9}, {641, 361} };

static GstAllocConstraints *
parse (const gchar * str, const gchar * origin)
{
  GError *err = NULL;
  GstAllocConstraints *c = gst_alloc_constraints_from_string (str, origin,
      &err);

  fail_unless (c != NULL, "%s: %s", str, err ? err->message : "?");
  return c;
}

static GstAllocSolver *
memfd_solver (void)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  GstAllocator *memfd = gst_alloc_memfd_allocator_new ();

  gst_alloc_solver_add_backend (solver, memfd);
  gst_object_unref (memfd);
  return solver;
}

/* An active pool of @count buffers at most, for @constraints. */
static GstBufferPool *
pool_for (GstAllocSolver * solver, const GstVideoInfo * info,
    const gchar * constraints, guint count)
{
  GstBufferPool *pool = gst_alloc_pool_new (solver);
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstCaps *caps = gst_video_info_to_caps (info);
  GstAllocConstraints *c = parse (constraints, "pool");

  gst_buffer_pool_config_set_params (config, caps, info->size, count, count);
  gst_alloc_pool_config_set_constraints (config, c);
  if (!gst_buffer_pool_set_config (pool, config))
    fail_unless (gst_buffer_pool_set_config (pool,
            gst_buffer_pool_get_config (pool)));
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  gst_alloc_constraints_free (c);
  gst_caps_unref (caps);
  return pool;
}

static GstBuffer *
acquire (GstBufferPool * pool)
{
  GstBuffer *buf = NULL;

  fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buf, NULL),
      GST_FLOW_OK);
  return buf;
}

/* Every byte of every memory, padding included, from a seeded generator:
 * a view that points one byte off reads other pixels. */
static void
fill_memory (GstBuffer * buf, guint32 seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  GstMapInfo map;
  GstMemory *mem;
  guint i;
  gsize b;

  for (i = 0; i < gst_buffer_n_memory (buf); i++) {
    mem = gst_buffer_peek_memory (buf, i);
    fail_unless (gst_memory_map (mem, &map, GST_MAP_WRITE));
    for (b = 0; b < map.size; b++)
      map.data[b] = g_rand_int (rand) & 0xff;
    gst_memory_unmap (mem, &map);
  }
  g_rand_free (rand);
}

/* The visible pixels, as gst_video_frame_copy() reads them through the
 * buffer's GstVideoMeta, in a tight buffer of the default layout. */
static GstBuffer *
visible_pixels (GstBuffer * buf, const GstVideoInfo * info)
{
  GstBuffer *out = gst_buffer_new_allocate (NULL, info->size, NULL);
  GstVideoFrame src, dst;

  gst_buffer_memset (out, 0, 0, info->size);
  fail_unless (gst_video_frame_map (&src, (GstVideoInfo *) info, buf,
          GST_MAP_READ));
  fail_unless (gst_video_frame_map (&dst, (GstVideoInfo *) info, out,
          GST_MAP_WRITE));
  fail_unless (gst_video_frame_copy (&dst, &src));
  gst_video_frame_unmap (&dst);
  gst_video_frame_unmap (&src);
  return out;
}

static void
assert_same_pixels (GstBuffer * a, GstBuffer * b, const GstVideoInfo * info,
    const gchar * what)
{
  GstBuffer *pa = visible_pixels (a, info), *pb = visible_pixels (b, info);
  GstMapInfo ma, mb;

  fail_unless (gst_buffer_map (pa, &ma, GST_MAP_READ));
  fail_unless (gst_buffer_map (pb, &mb, GST_MAP_READ));
  fail_unless_equals_uint64 (ma.size, mb.size);
  fail_unless (memcmp (ma.data, mb.data, ma.size) == 0,
      "%s: the view shows other pixels than the buffer", what);
  gst_buffer_unmap (pb, &mb);
  gst_buffer_unmap (pa, &ma);
  gst_buffer_unref (pa);
  gst_buffer_unref (pb);
}

static GstMemory *
root_of (GstMemory * mem)
{
  return mem->parent ? mem->parent : mem;
}

/* Bytes from a plane's padded top-left corner to its first visible pixel,
 * as GstVideoInfo pads a plane: by its first component's subsampling. */
static gsize
lead_of (const GstVideoInfo * info, guint p, gint stride,
    const GstVideoAlignment * a)
{
  const GstVideoFormatInfo *f = info->finfo;
  gint comp[GST_VIDEO_MAX_COMPONENTS];

  if (p >= gst_alloc_video_info_n_image_planes (info))
    return 0;
  gst_video_format_info_component (f, p, comp);
  return (gsize) GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (f, comp[0],
      a->padding_top) * stride + (gsize) GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (f,
      comp[0], a->padding_left) * GST_VIDEO_FORMAT_INFO_PSTRIDE (f, comp[0]);
}

/* Memory i of @view holds plane i: it starts at the plane's padded corner
 * in the same allocation as @buf's one memory, holds the whole padded
 * plane as GstVideoInfo sizes it, and its meta finds the first visible
 * pixel where @buf's meta does. */
static void
assert_split (GstBuffer * view, GstBuffer * buf, const GstVideoInfo * info,
    const gchar * what)
{
  GstVideoMeta *vmeta = gst_buffer_get_video_meta (view);
  GstVideoMeta *pmeta = gst_buffer_get_video_meta (buf);
  GstMemory *parent = gst_buffer_peek_memory (buf, 0), *mem;
  gsize plane_size[GST_VIDEO_MAX_PLANES] = { 0, }, before = 0, lead;
  GstVideoAlignment align = pmeta->alignment;
  GstVideoInfo padded = *info;
  guint p, n_planes = GST_VIDEO_INFO_N_PLANES (info);

  fail_unless (gst_video_info_align_full (&padded, &align, plane_size));
  /* GstVideoInfo sizes a palette by the rows of the picture; it is 256
   * colours of 4 bytes. */
  if (GST_VIDEO_FORMAT_INFO_HAS_PALETTE (info->finfo))
    plane_size[n_planes - 1] = 256 * 4;
  fail_unless_equals_int (gst_buffer_n_memory (view), n_planes);
  fail_unless_equals_int (vmeta->n_planes, n_planes);
  for (p = 0; p < n_planes; p++) {
    mem = gst_buffer_peek_memory (view, p);
    fail_unless (root_of (mem) == root_of (parent), "%s: plane %u", what, p);
    fail_unless_equals_int (gst_fd_memory_get_fd (mem),
        gst_fd_memory_get_fd (parent));
    fail_unless_equals_int (vmeta->stride[p], pmeta->stride[p]);
    if (p < gst_alloc_video_info_n_image_planes (info))
      fail_unless_equals_int (vmeta->stride[p],
          GST_VIDEO_INFO_PLANE_STRIDE (&padded, p));
    lead = lead_of (info, p, vmeta->stride[p], &vmeta->alignment);
    fail_unless_equals_uint64 (vmeta->offset[p] - before, lead);
    fail_unless_equals_uint64 (mem->offset + lead,
        parent->offset + pmeta->offset[p]);
    fail_unless (mem->size >= plane_size[p], "%s: memory %u has %"
        G_GSIZE_FORMAT " bytes, plane %u takes %" G_GSIZE_FORMAT, what, p,
        mem->size, p, plane_size[p]);
    before += mem->size;
  }
}

static void
fail_unless_satisfies (const gchar * wants, const GstVideoInfo * info,
    GstBuffer * buf, const gchar * what)
{
  GstAllocConstraints *c = parse (wants, "consumer");
  GError *err = NULL;

  fail_unless (gst_alloc_constraints_check_buffer (c, info, buf, &err),
      "%s, %s: %s", what, wants, err ? err->message : "");
  gst_alloc_constraints_free (c);
}

/* A buffer of a one-memory pool laid out for @pool_wants, split for a
 * consumer wanting planes=separate (and the rest of @pool_wants, which the
 * split memories still meet), then joined for one wanting planes=single. */
static void
split_and_join (GstAllocSolver * solver, const GstVideoInfo * info,
    const gchar * pool_wants, const gchar * what)
{
  GstBufferPool *pool = pool_for (solver, info, pool_wants, 1);
  GstAllocConstraints *separate = parse ("planes=separate", "v4l2");
  GstAllocConstraints *single = parse ("planes=single", "display");
  GstBuffer *buf = acquire (pool), *split, *joined;
  GstMemory *parent = gst_buffer_peek_memory (buf, 0), *mem;
  gchar **parts = g_strsplit (pool_wants, "planes=single", -1);
  gchar *as_separate = g_strjoinv ("planes=separate", parts);
  GstAllocLayout layout;
  GstAllocView view;
  GError *err = NULL;

  fill_memory (buf, GST_VIDEO_INFO_FORMAT (info));
  fail_unless (gst_alloc_pool_get_layout (GST_ALLOC_POOL (pool), &layout));
  fail_unless (gst_alloc_view_plan (&view, &layout, separate, &err), "%s: %s",
      what, err ? err->message : "");
  fail_unless_equals_int (view.as_is, GST_VIDEO_INFO_N_PLANES (info) == 1);
  split = gst_alloc_view_make (&view, buf, &err);
  fail_unless (split != NULL, "%s: %s", what, err ? err->message : "");
  assert_split (split, buf, info, what);
  fail_unless_satisfies (as_separate, info, split, what);
  assert_same_pixels (buf, split, info, what);

  joined = gst_alloc_view_new (split, info, single, &err);
  fail_unless (joined != NULL, "%s: %s", what, err ? err->message : "");
  fail_unless_equals_int (gst_buffer_n_memory (joined), 1);
  mem = gst_buffer_peek_memory (joined, 0);
  fail_unless (root_of (mem) == root_of (parent));
  fail_unless_equals_uint64 (mem->offset, parent->offset);
  fail_unless_equals_uint64 (mem->size, parent->size);
  fail_unless_satisfies ("planes=single", info, joined, what);
  assert_same_pixels (buf, joined, info, what);

  gst_buffer_unref (joined);
  gst_buffer_unref (split);
  gst_buffer_unref (buf);
  g_free (as_separate);
  g_strfreev (parts);
  gst_alloc_constraints_free (single);
  gst_alloc_constraints_free (separate);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
}

/* split_and_join() for each linear format at each size; the cases run. */
static guint
for_every_linear_format (GstAllocSolver * solver, const gchar * pool_wants)
{
  const GstVideoFormat *formats;
  GstVideoInfo info;
  guint n_formats, f, s, checked = 0;
  gchar *what;

  formats = gst_video_formats_raw (&n_formats);
  for (f = 0; f < n_formats; f++) {
    if (GST_VIDEO_FORMAT_INFO_IS_TILED (gst_video_format_get_info (formats[f])))
      continue;
    for (s = 0; s < G_N_ELEMENTS (sizes); s++) {
      gst_video_info_init (&info);
      if (!gst_video_info_set_format (&info, formats[f], sizes[s][0],
              sizes[s][1]))
        continue;
      what = g_strdup_printf ("%s %ux%u", gst_video_format_to_string
          (formats[f]), sizes[s][0], sizes[s][1]);
      split_and_join (solver, &info, pool_wants, what);
      g_free (what);
      checked++;
    }
  }
  return checked;
}

GST_START_TEST (test_every_linear_format_splits_and_joins)
{
  GstAllocSolver *solver = memfd_solver ();
  guint checked = for_every_linear_format (solver, "planes=single");

  /* GStreamer 1.22 knows over 90 linear raw formats. */
  fail_unless (checked > 90 * 2, "only %u cases", checked);
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_every_padded_linear_format_splits_and_joins)
{
  GstAllocSolver *solver = memfd_solver ();
  guint checked = for_every_linear_format (solver, "planes=single,"
      "padding-top=2,padding-bottom=3,padding-left=6,padding-right=1,"
      "stride-align=64,offset-align=256,prefix-bytes=128,padding-bytes=40");

  fail_unless (checked > 90 * 2, "only %u cases", checked);
  gst_object_unref (solver);
}

GST_END_TEST;

/* Single-plane formats padded only above and below keep GstVideoInfo's
 * default stride: a reader without GstVideoMeta gets one memory starting
 * at the first visible row, exactly the default frame. */
GST_START_TEST (test_padded_rows_are_trimmed_for_a_default_reader)
{
  GstAllocSolver *solver = memfd_solver ();
  GstAllocConstraints *reader = parse ("default-layout=true", "appsink");
  const GstVideoFormat *formats;
  GstVideoInfo info;
  GstBufferPool *pool;
  GstBuffer *buf, *view;
  GstMemory *mem, *parent;
  GstVideoMeta *pmeta;
  GError *err = NULL;
  guint n_formats, f, checked = 0;
  const gchar *what;

  formats = gst_video_formats_raw (&n_formats);
  for (f = 0; f < n_formats; f++) {
    gst_video_info_init (&info);
    if (GST_VIDEO_FORMAT_INFO_IS_TILED (gst_video_format_get_info
            (formats[f])) || !gst_video_info_set_format (&info, formats[f],
            64, 45) || GST_VIDEO_INFO_N_PLANES (&info) != 1)
      continue;
    what = gst_video_format_to_string (formats[f]);
    pool = pool_for (solver, &info, "padding-top=4,padding-bottom=2,"
        "height-align=16,prefix-bytes=64", 1);
    buf = acquire (pool);
    fill_memory (buf, formats[f]);
    view = gst_alloc_view_new (buf, &info, reader, &err);
    fail_unless (view != NULL, "%s: %s", what, err ? err->message : "");
    fail_unless_equals_int (gst_buffer_n_memory (view), 1);
    mem = gst_buffer_peek_memory (view, 0);
    parent = gst_buffer_peek_memory (buf, 0);
    pmeta = gst_buffer_get_video_meta (buf);
    fail_unless (root_of (mem) == root_of (parent));
    fail_unless_equals_uint64 (mem->offset, parent->offset + pmeta->offset[0]);
    fail_unless_equals_uint64 (mem->size, GST_VIDEO_INFO_SIZE (&info));
    fail_unless_equals_int (pmeta->stride[0],
        GST_VIDEO_INFO_PLANE_STRIDE (&info, 0));
    fail_unless (pmeta->offset[0] > 0, "%s: the pool did not pad", what);
    fail_unless_satisfies ("default-layout=true", &info, view, what);
    assert_same_pixels (buf, view, &info, what);
    gst_buffer_unref (view);
    gst_buffer_unref (buf);
    gst_buffer_pool_set_active (pool, FALSE);
    gst_object_unref (pool);
    checked++;
  }
  fail_unless (checked > 20, "only %u single-plane formats", checked);
  gst_alloc_constraints_free (reader);
  gst_object_unref (solver);
}

GST_END_TEST;

static gchar *
plan_error (const gchar * format_name, guint width, guint height,
    const gchar * shared, const gchar * wants)
{
  GstAllocConstraints *s = parse (shared, "shared");
  GstAllocConstraints *w = parse (wants, "consumer");
  GstAllocLayout layout;
  GstAllocView view;
  GstVideoInfo info;
  GError *err = NULL;
  gchar *message;

  gst_video_info_set_format (&info, gst_video_format_from_string
      (format_name), width, height);
  fail_unless (gst_alloc_layout_compute (&layout, &info, s, NULL));
  fail_if (gst_alloc_view_plan (&view, &layout, w, &err));
  fail_unless (g_error_matches (err, GST_ALLOC_ERROR,
          GST_ALLOC_ERROR_VIOLATION));
  message = g_strdup (err->message);
  g_error_free (err);
  gst_alloc_constraints_free (s);
  gst_alloc_constraints_free (w);
  return message;
}

GST_START_TEST (test_what_only_a_copy_can_give_is_refused_by_name)
{
  gchar *m;

  m = plan_error ("NV12", 1920, 1080, "stride-align=256",
      "default-layout=true");
  fail_unless_equals_string (m,
      "default-layout (asked by consumer) reads "
      "plane 0 with stride 1920; the buffer's is 2048");
  g_free (m);
  /* Rows added below the luma plane move the chroma plane. */
  m = plan_error ("NV12", 1920, 1080, "height-align=16", "default-layout=true");
  fail_unless_equals_string (m, "default-layout (asked by consumer) reads "
      "plane 1 2073600 bytes after plane 0; in the buffer it is 2088960 "
      "bytes after");
  g_free (m);
  m = plan_error ("NV12", 64, 48, "planes=separate", "planes=single");
  fail_unless_equals_string (m, "planes (asked by consumer): the planes are "
      "in 2 separate allocations, which one memory cannot span without a "
      "copy");
  g_free (m);
  /* Nothing a description changes: the stride is the memory's. */
  m = plan_error ("NV12", 1000, 100, "planes=single", "planes=separate,"
      "stride-align=256");
  fail_unless (g_str_has_prefix (m, "stride-align (asked by consumer): plane "
          "0 stride 1000"), "%s", m);
  g_free (m);
}

GST_END_TEST;

GST_START_TEST (test_structural_fields_are_the_description_s)
{
  GstAllocConstraints *c = parse ("stride-align=64,planes=separate,"
      "default-layout=true,memory=dmabuf,padding-top=2", "v4l2");
  GstAllocConstraints *physical = gst_alloc_constraints_without_structure (c);
  gchar *s = gst_alloc_constraints_to_string (physical);
  guint f, structural = 0;

  for (f = 0; f < GST_ALLOC_N_FIELDS; f++)
    structural += gst_alloc_field_is_structural (f);
  fail_unless_equals_int (structural, 2);
  fail_unless (gst_alloc_field_is_structural (GST_ALLOC_FIELD_PLANES));
  fail_unless (gst_alloc_field_is_structural (GST_ALLOC_FIELD_DEFAULT_LAYOUT));
  fail_if (gst_alloc_field_is_structural (GST_ALLOC_FIELD_STRIDE_ALIGN));
  fail_unless_equals_string (s, "stride-align=64,padding-top=2,memory=dmabuf");
  fail_unless (gst_alloc_constraints_get_origin (physical,
          GST_ALLOC_FIELD_PLANES) == NULL);
  fail_unless_equals_string (gst_alloc_constraints_get_origin (physical,
          GST_ALLOC_FIELD_MEMORY), "v4l2");
  g_free (s);
  gst_alloc_constraints_free (physical);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

static GstFlowReturn
try_acquire (GstBufferPool * pool, GstBuffer ** buf)
{
  GstBufferPoolAcquireParams params = { 0, };

  params.flags = GST_BUFFER_POOL_ACQUIRE_FLAG_DONTWAIT;
  *buf = NULL;
  return gst_buffer_pool_acquire_buffer (pool, buf, &params);
}

/* The pool's buffers all out but one, whose memory only views hold: that
 * one comes back, and no other is allocated, only once the last view is
 * gone; meanwhile the views still read the frame. */
/* A view carries the parent's metas about the picture (a region of
 * interest here) and one GstVideoMeta, its own. */
GST_START_TEST (test_a_view_keeps_the_metas_about_the_picture)
{
  GstAllocSolver *solver = memfd_solver ();
  GstAllocConstraints *separate = parse ("planes=separate", "v4l2");
  GstVideoRegionOfInterestMeta *roi;
  GstVideoInfo info;
  GstBufferPool *pool;
  GstBuffer *parent, *view;
  gpointer state = NULL;
  guint video_metas = 0;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_NV12, 320, 240);
  pool = pool_for (solver, &info, "planes=single", 2);
  parent = acquire (pool);
  gst_buffer_add_video_region_of_interest_meta (parent, "face", 1, 2, 3, 4);
  view = gst_alloc_view_new (parent, &info, separate, NULL);
  fail_unless (view != NULL);

  roi = gst_buffer_get_video_region_of_interest_meta_id (view, 0);
  fail_unless (roi != NULL && roi->x == 1 && roi->y == 2 && roi->w == 3
      && roi->h == 4, "the view lost the region of interest");
  while (gst_buffer_iterate_meta_filtered (view, &state,
          GST_VIDEO_META_API_TYPE))
    video_metas++;
  fail_unless_equals_int (video_metas, 1);
  fail_unless_equals_int (gst_buffer_get_video_meta (view)->n_planes, 2);

  gst_buffer_unref (view);
  gst_buffer_unref (parent);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
  gst_alloc_constraints_free (separate);
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_parent_returns_to_the_pool_after_the_last_view)
{
  GstAllocSolver *solver = memfd_solver ();
  GstAllocConstraints *separate = parse ("planes=separate", "v4l2");
  GstAllocConstraints *reader = parse ("default-layout=true", "appsink");
  GstVideoInfo info;
  GstBufferPool *pool;
  GstBuffer *held[4], *parent, *split, *trimmed, *frame, *again;
  GstMemory *memory;
  guint i, allocated;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_NV12, 320, 240);
  pool = pool_for (solver, &info, "planes=single", 4);
  for (i = 0; i < 4; i++)
    held[i] = acquire (pool);
  allocated = gst_alloc_pool_get_buffers_allocated (GST_ALLOC_POOL (pool));
  parent = held[0];
  memory = gst_buffer_peek_memory (parent, 0);
  fill_memory (parent, 7);
  frame = visible_pixels (parent, &info);
  split = gst_alloc_view_new (parent, &info, separate, NULL);
  trimmed = gst_alloc_view_new (parent, &info, reader, NULL);
  fail_unless (split != NULL && trimmed != NULL);
  gst_buffer_unref (parent);

  fail_unless_equals_int (try_acquire (pool, &again), GST_FLOW_EOS);
  gst_buffer_unref (split);
  fail_unless_equals_int (try_acquire (pool, &again), GST_FLOW_EOS);
  /* The parent's memory is alive: the view still shows the frame. */
  assert_same_pixels (frame, trimmed, &info, "after the parent's release");
  gst_buffer_unref (trimmed);
  fail_unless_equals_int (try_acquire (pool, &again), GST_FLOW_OK);
  fail_unless (gst_buffer_peek_memory (again, 0) == memory,
      "another buffer came back");
  fail_unless_equals_int (gst_alloc_pool_get_buffers_allocated (GST_ALLOC_POOL
          (pool)), allocated);

  gst_buffer_unref (again);
  for (i = 1; i < 4; i++)
    gst_buffer_unref (held[i]);
  gst_buffer_unref (frame);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
  gst_alloc_constraints_free (reader);
  gst_alloc_constraints_free (separate);
  gst_object_unref (solver);
}

GST_END_TEST;

#if GST_ALLOC_DMA_HEAP_BUILT
/* The fake kernel: a DMA heap whose buffers are memfds, and every
 * DMA_BUF_IOCTL_SYNC recorded. */
typedef struct
{
  GArray *fds;
  GArray *flags;
} Syncs;

static gboolean
fake_heap (int fd, unsigned long request, void *arg, int *result, gpointer data)
{
  struct
  {
    guint64 len;
    guint32 fd;
    guint32 fd_flags;
    guint64 heap_flags;
  } *alloc = arg;
  Syncs *syncs = data;
  guint64 flags;

  if (request == FAKE_DMA_BUF_IOCTL_SYNC) {
    flags = ((struct fake_dma_buf_sync *) arg)->flags;
    g_array_append_val (syncs->fds, fd);
    g_array_append_val (syncs->flags, flags);
    *result = 0;
    return TRUE;
  }
  if (_IOC_TYPE (request) != 'H')
    return FALSE;
  alloc->fd = memfd_create ("fake-heap", MFD_CLOEXEC);
  fail_unless ((int) alloc->fd >= 0 && ftruncate (alloc->fd, alloc->len) == 0);
  *result = 0;
  return TRUE;
}

GST_START_TEST (test_mapping_a_dmabuf_view_syncs_the_parent_fd)
{
  GstAllocator *heap = gst_alloc_dma_heap_allocator_new ("/dev/null");
  GstAllocConstraints *separate = parse ("planes=separate", "v4l2");
  Syncs syncs = { g_array_new (FALSE, FALSE, sizeof (int)),
    g_array_new (FALSE, FALSE, sizeof (guint64))
  };
  GstVideoInfo info;
  GstBuffer *buf, *view;
  GstMemory *mem;
  GstMapInfo map;
  int fd;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_NV12, 64, 48);
  fake_ioctl_set_handler (fake_heap, &syncs);
  mem = gst_allocator_alloc (heap, info.size, NULL);
  fail_unless (mem != NULL && gst_is_dmabuf_memory (mem));
  fd = gst_dmabuf_memory_get_fd (mem);
  buf = gst_buffer_new ();
  gst_buffer_append_memory (buf, mem);
  gst_buffer_add_video_meta_full (buf, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_FORMAT_NV12, 64, 48, 2, info.offset, info.stride);
  view = gst_alloc_view_new (buf, &info, separate, NULL);
  fail_unless (view != NULL);
  g_array_set_size (syncs.fds, 0);
  g_array_set_size (syncs.flags, 0);

  /* The chroma plane's memory: mapped through the parent's fd. */
  mem = gst_buffer_peek_memory (view, 1);
  fail_unless (gst_is_dmabuf_memory (mem));
  fail_unless_equals_int (gst_dmabuf_memory_get_fd (mem), fd);
  fail_unless (gst_memory_map (mem, &map, GST_MAP_READ));
  fail_unless_equals_int (syncs.fds->len, 1);
  gst_memory_unmap (mem, &map);
  fake_ioctl_set_handler (NULL, NULL);

  fail_unless_equals_int (syncs.fds->len, 2);
  fail_unless_equals_int (g_array_index (syncs.fds, int, 0), fd);
  fail_unless_equals_int (g_array_index (syncs.fds, int, 1), fd);
  fail_unless_equals_uint64 (g_array_index (syncs.flags, guint64, 0),
      FAKE_DMA_BUF_SYNC_READ);
  fail_unless_equals_uint64 (g_array_index (syncs.flags, guint64, 1),
      FAKE_DMA_BUF_SYNC_READ | FAKE_DMA_BUF_SYNC_END);
  g_array_unref (syncs.fds);
  g_array_unref (syncs.flags);
  gst_buffer_unref (view);
  gst_buffer_unref (buf);
  gst_alloc_constraints_free (separate);
  gst_object_unref (heap);
}

GST_END_TEST;
#endif

static Suite *
views_suite (void)
{
  Suite *s = suite_create ("alloc-views");
  TCase *cases = tcase_create ("cases");
  TCase *sweep = tcase_create ("sweep");

  suite_add_tcase (s, cases);
  tcase_add_test (cases, test_padded_rows_are_trimmed_for_a_default_reader);
  tcase_add_test (cases, test_what_only_a_copy_can_give_is_refused_by_name);
  tcase_add_test (cases, test_structural_fields_are_the_description_s);
  tcase_add_test (cases, test_a_view_keeps_the_metas_about_the_picture);
  tcase_add_test (cases, test_parent_returns_to_the_pool_after_the_last_view);
#if GST_ALLOC_DMA_HEAP_BUILT
  tcase_add_test (cases, test_mapping_a_dmabuf_view_syncs_the_parent_fd);
#endif

  suite_add_tcase (s, sweep);
  tcase_set_timeout (sweep, 240);
  tcase_add_test (sweep, test_every_linear_format_splits_and_joins);
  tcase_add_test (sweep, test_every_padded_linear_format_splits_and_joins);
  return s;
}

GST_CHECK_MAIN (views);
