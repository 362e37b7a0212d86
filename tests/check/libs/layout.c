/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Plane layouts: exact figures for known cases, and a sweep over every
 * linear raw format GStreamer knows, odd sizes and seeded random consumer
 * sets, with each pool buffer checked against each consumer's set. */

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

#include <string.h>

#include "testutil.h"

static void
info_for (GstVideoInfo * info, GstVideoFormat format, guint w, guint h)
{
  gst_video_info_init (info);
  fail_unless (gst_video_info_set_format (info, format, w, h));
}

GST_START_TEST (test_nv12_1080p_for_display_and_encoder)
{
  GstAllocConstraints *c =
      test_constraints_parse ("stride-align=256,height-align=16", "t");
  GstAllocLayout l;
  GstVideoInfo info;

  info_for (&info, GST_VIDEO_FORMAT_NV12, 1920, 1080);
  fail_unless (gst_alloc_layout_compute (&l, &info, c, NULL));
  fail_unless_equals_int (l.n_memories, 1);
  fail_unless_equals_int (l.stride[0], 2048);
  fail_unless_equals_int (l.stride[1], 2048);
  fail_unless_equals_int (l.alignment.padding_bottom, 8);
  fail_unless_equals_uint64 (l.offset[0], 0);
  fail_unless_equals_uint64 (l.offset[1], 2048 * 1088);
  fail_unless_equals_uint64 (l.size, 2048 * 1088 * 3 / 2);
  fail_if (gst_alloc_layout_is_natural (&l, &info));
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_subsampled_strides_keep_their_ratio)
{
  GstAllocConstraints *c = test_constraints_parse ("stride-align=256", "t");
  GstAllocLayout l;
  GstVideoInfo info;

  info_for (&info, GST_VIDEO_FORMAT_I420, 1280, 720);
  fail_unless (gst_alloc_layout_compute (&l, &info, c, NULL));
  fail_unless_equals_int (l.stride[0], 1536);
  fail_unless_equals_int (l.stride[1], 768);
  fail_unless_equals_int (l.stride[2], 768);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_non_power_of_two_stride_alignment)
{
  GstAllocConstraints *c = test_constraints_parse ("stride-align=192", "t");
  GstAllocLayout l;
  GstVideoInfo info;

  info_for (&info, GST_VIDEO_FORMAT_RGB, 100, 10);
  fail_unless (gst_alloc_layout_compute (&l, &info, c, NULL));
  fail_unless_equals_int (l.stride[0] % 192, 0);
  fail_unless_equals_int (l.stride[0], 384);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_unconstrained_layout_is_natural)
{
  GstAllocConstraints *c = gst_alloc_constraints_new ();
  GstAllocLayout l;
  GstVideoInfo info;

  info_for (&info, GST_VIDEO_FORMAT_YV12, 641, 481);
  fail_unless (gst_alloc_layout_compute (&l, &info, c, NULL));
  fail_unless (gst_alloc_layout_is_natural (&l, &info));
  fail_unless_equals_uint64 (l.size, GST_VIDEO_INFO_SIZE (&info));
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_separate_planes_get_one_memory_each)
{
  GstAllocConstraints *c =
      test_constraints_parse ("planes=separate,offset-align=4096", "t");
  GstAllocLayout l;
  GstVideoInfo info;

  info_for (&info, GST_VIDEO_FORMAT_I420, 320, 240);
  fail_unless (gst_alloc_layout_compute (&l, &info, c, NULL));
  fail_unless_equals_int (l.n_memories, 3);
  fail_unless_equals_int (l.plane_memory[2], 2);
  fail_unless_equals_uint64 (l.offset[1], l.memory_size[0]);
  fail_unless_equals_uint64 (l.size, l.memory_size[0] + l.memory_size[1]
      + l.memory_size[2]);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_frame_larger_than_max_size_is_refused)
{
  GstAllocConstraints *c =
      test_constraints_parse ("max-size=1000000", "small-sink");
  GstAllocLayout l;
  GstVideoInfo info;
  GError *err = NULL;

  info_for (&info, GST_VIDEO_FORMAT_NV12, 1920, 1080);
  fail_if (gst_alloc_layout_compute (&l, &info, c, &err));
  fail_unless_equals_int (err->code, GST_ALLOC_ERROR_LAYOUT);
  fail_unless (strstr (err->message, "max-size") != NULL, "%s", err->message);
  fail_unless (strstr (err->message, "small-sink") != NULL, "%s", err->message);
  g_error_free (err);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_tiled_format_is_refused)
{
  GstAllocConstraints *c = gst_alloc_constraints_new ();
  GstAllocLayout l;
  GstVideoInfo info;
  GError *err = NULL;

  info_for (&info, GST_VIDEO_FORMAT_NV12_64Z32, 128, 64);
  fail_if (gst_alloc_layout_compute (&l, &info, c, &err));
  fail_unless_equals_int (err->code, GST_ALLOC_ERROR_LAYOUT);
  g_error_free (err);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_verify_catches_a_natural_buffer_missing_alignment)
{
  GstAllocConstraints *c =
      test_constraints_parse ("stride-align=256,padding-top=2",
      "display");
  GstVideoInfo info;
  GstBuffer *buf;
  GError *err = NULL;

  info_for (&info, GST_VIDEO_FORMAT_NV12, 1000, 100);
  buf = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&info), NULL);
  fail_if (gst_alloc_constraints_check_buffer (c, &info, buf, &err));
  fail_unless_equals_int (err->code, GST_ALLOC_ERROR_VIOLATION);
  fail_unless (strstr (err->message, "stride-align (asked by display)"),
      "%s", err->message);
  fail_unless (strstr (err->message, "padding-top"), "%s", err->message);
  g_error_free (err);
  gst_buffer_unref (buf);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

static void write_every_row (GstBuffer * buf, const GstVideoInfo * info);

/* --- values near 2^32 --- */

/* Each value is refused with a LAYOUT error naming the field, the value
 * and the origin (NV12 640x480). */
static const gchar *too_large[] = {
  "padding-top=4294967295",
  "padding-left=4294967295",
  "padding-bottom=4294967295",
  "padding-right=4294967295",
  "height-align=4294967295",
  "width-align=4294967295",
  "height-align=2147483648",
  "size-align=1048577",
  "size-align=4294967295",
  "offset-align=4294967295",
};

GST_START_TEST (test_values_near_2_32_are_refused_by_name)
{
  GstAllocConstraints *c;
  GstAllocLayout l;
  GstVideoInfo info;
  GError *err = NULL;
  gchar **named;
  guint i;

  info_for (&info, GST_VIDEO_FORMAT_NV12, 640, 480);
  for (i = 0; i < G_N_ELEMENTS (too_large); i++) {
    c = test_constraints_parse (too_large[i], "sink7");
    named = g_strsplit (too_large[i], "=", 2);
    fail_if (gst_alloc_layout_compute (&l, &info, c, &err), "%s laid out "
        "with paddings %u %u %u %u", too_large[i], l.alignment.padding_top,
        l.alignment.padding_bottom, l.alignment.padding_left,
        l.alignment.padding_right);
    fail_unless (err != NULL, "%s: no error", too_large[i]);
    fail_unless_equals_int (err->code, GST_ALLOC_ERROR_LAYOUT);
    fail_unless (strstr (err->message, named[0]) && strstr (err->message,
            named[1]) && strstr (err->message, "(asked by sink7)"), "%s",
        err->message);
    g_clear_error (&err);
    g_strfreev (named);
    gst_alloc_constraints_free (c);
  }
}

GST_END_TEST;

/* Values as large as a frame can take are laid out, not refused. */
GST_START_TEST (test_large_values_that_fit_are_laid_out)
{
  GstAllocConstraints *c = test_constraints_parse ("padding-top=100000,"
      "prefix-bytes=4294967295,padding-bytes=4294967295,size-align=1048573",
      "t");
  GstAllocLayout l;
  GstVideoInfo info;
  GError *err = NULL;

  info_for (&info, GST_VIDEO_FORMAT_NV12, 64, 64);
  fail_unless (gst_alloc_layout_compute (&l, &info, c, &err), "%s",
      err ? err->message : "");
  fail_unless_equals_int (l.alignment.padding_top, 100000);
  fail_unless_equals_uint64 (l.memory_offset[0], 4294967295u);
  fail_unless_equals_uint64 (l.alloc_size[0] % 1048573, 0);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

static GstBufferPool *
started_pool (GstAllocSolver * solver, const GstVideoInfo * info,
    const GstAllocConstraints * c, guint n_buffers)
{
  GstBufferPool *pool = gst_alloc_pool_new (solver);
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstCaps *caps = gst_video_info_to_caps (info);

  gst_buffer_pool_config_set_params (config, caps, info->size, n_buffers,
      n_buffers);
  gst_alloc_pool_config_set_constraints (config, c);
  /* A 4 GiB prefix is what is tested, not the budget; memfds are sparse. */
  gst_alloc_pool_config_set_budget (config, G_MAXUINT64);
  if (!gst_buffer_pool_set_config (pool, config))
    fail_unless (gst_buffer_pool_set_config (pool,
            gst_buffer_pool_get_config (pool)));
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  gst_caps_unref (caps);
  return pool;
}

#define RECYCLE_ROUNDS 8

/* A buffer that went back to the pool and came out again still satisfies
 * the set: GstBufferPool's own reset moves the data to the start of the
 * first memory, which drops prefix-bytes and the offset-align gap. */
GST_START_TEST (test_recycled_buffers_keep_their_layout)
{
  static const gchar *sets[] = {
    "prefix-bytes=4294967295",
    "prefix-bytes=64",
    "prefix-bytes=100,offset-align=4096,padding-bytes=10",
    "planes=separate,prefix-bytes=16,offset-align=256",
  };
  GstAllocSolver *solver = gst_alloc_solver_new ();
  GstAllocator *memfd = gst_alloc_memfd_allocator_new ();
  GstAllocConstraints *c;
  GstBufferPool *pool;
  GstVideoInfo info;
  GstBuffer *buf;
  GError *err = NULL;
  guint i, round;

  gst_alloc_solver_add_backend (solver, memfd);
  info_for (&info, GST_VIDEO_FORMAT_NV12, 320, 240);
  for (i = 0; i < G_N_ELEMENTS (sets); i++) {
    c = test_constraints_parse (sets[i], "sink");
    pool = started_pool (solver, &info, c, 1);
    for (round = 0; round < RECYCLE_ROUNDS; round++) {
      fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buf,
              NULL), GST_FLOW_OK);
      fail_unless (gst_alloc_constraints_check_buffer (c, &info, buf, &err),
          "%s, round %u: %s", sets[i], round, err ? err->message : "");
      write_every_row (buf, &info);
      gst_buffer_unref (buf);
    }
    /* Some rounds really had a buffer that came back. */
    fail_unless (gst_alloc_pool_get_buffers_allocated (GST_ALLOC_POOL (pool))
        < RECYCLE_ROUNDS);
    fail_unless (gst_buffer_pool_set_active (pool, FALSE));
    gst_object_unref (pool);
    gst_alloc_constraints_free (c);
  }
  gst_object_unref (memfd);
  gst_object_unref (solver);
}

GST_END_TEST;

/* --- default-layout --- */

/* @l is exactly gst_video_info_set_format()'s layout, in one memory. */
static void
assert_default_layout (const GstAllocLayout * l, GstVideoFormat format,
    guint w, guint h)
{
  GstVideoInfo def;
  guint p;

  info_for (&def, format, w, h);
  fail_unless_equals_int (l->n_memories, 1);
  fail_unless_equals_uint64 (l->size, GST_VIDEO_INFO_SIZE (&def));
  fail_unless_equals_uint64 (GST_VIDEO_INFO_SIZE (&l->info),
      GST_VIDEO_INFO_SIZE (&def));
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (&def); p++) {
    fail_unless_equals_uint64 (l->offset[p],
        GST_VIDEO_INFO_PLANE_OFFSET (&def, p));
    fail_unless_equals_int (l->stride[p], GST_VIDEO_INFO_PLANE_STRIDE (&def,
            p));
  }
  fail_unless_equals_int (l->alignment.padding_right, 0);
  fail_unless_equals_int (l->alignment.padding_bottom, 0);
  fail_unless (gst_alloc_layout_is_natural (l, &def));
}

GST_START_TEST (test_default_layout_is_gstvideoinfo_s_when_constraints_hold)
{
  GstAllocConstraints *nv12 =
      test_constraints_parse ("default-layout=true,stride-align=4,"
      "size-align=4096,prefix-bytes=64,padding-bytes=256,memory=memfd", "t");
  GstAllocConstraints *i420 =
      test_constraints_parse ("default-layout=true,stride-align=64,"
      "width-align=8,height-align=8,offset-align=64,planes=single", "t");
  GstAllocLayout l;
  GstVideoInfo info;

  info_for (&info, GST_VIDEO_FORMAT_NV12, 1000, 100);
  fail_unless (gst_alloc_layout_compute (&l, &info, nv12, NULL));
  assert_default_layout (&l, GST_VIDEO_FORMAT_NV12, 1000, 100);
  /* What acts around the data still applies. */
  fail_unless_equals_uint64 (l.memory_offset[0], 64);
  fail_unless_equals_uint64 (l.alloc_size[0] % 4096, 0);
  fail_unless (l.alloc_size[0] >= 64 + l.size + 256);

  info_for (&info, GST_VIDEO_FORMAT_I420, 1280, 720);
  fail_unless (gst_alloc_layout_compute (&l, &info, i420, NULL));
  assert_default_layout (&l, GST_VIDEO_FORMAT_I420, 1280, 720);
  gst_alloc_constraints_free (i420);
  gst_alloc_constraints_free (nv12);
}

GST_END_TEST;

static GstAllocConstraints *
merge_two (const gchar * a, const gchar * origin_a, const gchar * b,
    const gchar * origin_b)
{
  GstAllocConstraints *ca = test_constraints_parse (a, origin_a), *cb =
      test_constraints_parse (b, origin_b);
  GstAllocConstraints *m = gst_alloc_constraints_merge (ca, cb, NULL);

  fail_unless (m != NULL);
  gst_alloc_constraints_free (ca);
  gst_alloc_constraints_free (cb);
  return m;
}

GST_START_TEST (test_default_layout_conflict_names_both_sides)
{
  GstAllocConstraints *c = merge_two ("default-layout=true", "filesink0",
      "stride-align=256", "display");
  GstAllocLayout l;
  GstVideoInfo info;
  GError *err = NULL;

  info_for (&info, GST_VIDEO_FORMAT_NV12, 1000, 100);
  fail_if (gst_alloc_layout_compute (&l, &info, c, &err));
  fail_unless_equals_int (err->code, GST_ALLOC_ERROR_LAYOUT);
  fail_unless (strstr (err->message, "default-layout (asked by filesink0) "
          "gives stride 1000, not a multiple of stride-align 256 (asked by "
          "display)") != NULL, "%s", err->message);
  g_error_free (err);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

/* Each set conflicts with default-layout at NV12 1000x100 and the message
 * must name that field with its value. */
static const struct
{
  const gchar *set;
  const gchar *named;
} default_layout_conflicts[] = {
  {"padding-top=2", "padding-top 2 (asked by consumer)"},
  {"padding-bottom=1", "padding-bottom 1 (asked by consumer)"},
  {"padding-left=4", "padding-left 4 (asked by consumer)"},
  {"padding-right=4294967295", "padding-right 4294967295 (asked by consumer)"},
  {"width-align=64", "width-align 64 (asked by consumer)"},
  {"height-align=16", "height-align 16 (asked by consumer)"},
  {"offset-align=4096", "offset-align 4096 (asked by consumer)"},
  {"planes=separate", "planes separate (asked by consumer)"},
  {"stride-align=3", "stride-align 3 (asked by consumer)"},
};

GST_START_TEST (test_default_layout_refuses_what_would_move_pixels)
{
  GstAllocConstraints *c;
  GstAllocLayout l;
  GstVideoInfo info;
  GError *err = NULL;
  guint i;

  info_for (&info, GST_VIDEO_FORMAT_NV12, 1000, 100);
  for (i = 0; i < G_N_ELEMENTS (default_layout_conflicts); i++) {
    c = merge_two ("default-layout=true", "reader",
        default_layout_conflicts[i].set, "consumer");
    fail_if (gst_alloc_layout_compute (&l, &info, c, &err), "%s accepted",
        default_layout_conflicts[i].set);
    fail_unless_equals_int (err->code, GST_ALLOC_ERROR_LAYOUT);
    fail_unless (strstr (err->message, "default-layout (asked by reader)"),
        "%s", err->message);
    fail_unless (strstr (err->message, default_layout_conflicts[i].named),
        "%s", err->message);
    g_clear_error (&err);
    gst_alloc_constraints_free (c);
  }
}

GST_END_TEST;

GST_START_TEST (test_default_layout_names_every_conflict_at_once)
{
  GstAllocConstraints *c = merge_two ("default-layout=true", "reader",
      "padding-top=2,stride-align=256,planes=separate", "display");
  GstAllocLayout l;
  GstVideoInfo info;
  GError *err = NULL;

  info_for (&info, GST_VIDEO_FORMAT_NV12, 1000, 100);
  fail_if (gst_alloc_layout_compute (&l, &info, c, &err));
  fail_unless (strstr (err->message, "stride-align 256"), "%s", err->message);
  fail_unless (strstr (err->message, "padding-top 2"), "%s", err->message);
  fail_unless (strstr (err->message, "planes separate"), "%s", err->message);
  g_error_free (err);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

/* The largest power of two up to 256 dividing every image plane's default
 * stride: a stride-align the default layout meets. */
static guint32
stride_align_met_by (const GstVideoInfo * info)
{
  guint32 align = 256;
  guint p;

  for (p = 0; p < gst_alloc_video_info_n_image_planes (info); p++)
    while (GST_VIDEO_INFO_PLANE_STRIDE (info, p) % align != 0)
      align /= 2;
  return align;
}

static GstBuffer *buffer_from_pool (GstAllocSolver * solver,
    const GstVideoInfo * info, const GstAllocConstraints * merged);

GST_START_TEST (test_default_layout_of_every_linear_format)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  GstAllocator *memfd = gst_alloc_memfd_allocator_new ();
  static const guint dims[][2] = { {2, 2}, {17, 9}, {641, 361}, {1920, 1080} };
  const GstVideoFormat *formats;
  GstAllocConstraints *c;
  GstAllocLayout l;
  GstVideoInfo info;
  GstBuffer *buf;
  GError *err = NULL;
  guint n_formats, f, d, checked = 0;

  gst_alloc_solver_add_backend (solver, memfd);
  formats = gst_video_formats_raw (&n_formats);
  for (f = 0; f < n_formats; f++) {
    if (GST_VIDEO_FORMAT_INFO_IS_TILED (gst_video_format_get_info (formats[f])))
      continue;
    for (d = 0; d < G_N_ELEMENTS (dims); d++) {
      gst_video_info_init (&info);
      if (!gst_video_info_set_format (&info, formats[f], dims[d][0],
              dims[d][1]))
        continue;
      c = test_constraints_parse
          ("default-layout=true,size-align=48,prefix-bytes=100,"
          "padding-bytes=7", "reader");
      c->stride_align = stride_align_met_by (&info);
      fail_unless (gst_alloc_layout_compute (&l, &info, c, &err), "%s: %s",
          gst_video_format_to_string (formats[f]), err ? err->message : "");
      assert_default_layout (&l, formats[f], dims[d][0], dims[d][1]);
      buf = buffer_from_pool (solver, &info, c);
      fail_unless (gst_alloc_constraints_check_buffer (c, &info, buf, &err),
          "%s: %s", gst_video_format_to_string (formats[f]),
          err ? err->message : "");
      gst_buffer_unref (buf);
      gst_alloc_constraints_free (c);
      checked++;
    }
  }
  fail_unless (checked > 90 * 3, "only %u cases", checked);
  gst_object_unref (memfd);
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_verify_catches_a_padded_buffer_for_a_default_reader)
{
  GstAllocConstraints *reader =
      test_constraints_parse ("default-layout=true", "filesink0");
  GstAllocConstraints *padded =
      test_constraints_parse ("stride-align=256", "display");
  GstAllocSolver *solver = gst_alloc_solver_new ();
  GstAllocator *memfd = gst_alloc_memfd_allocator_new ();
  GstVideoInfo info;
  GstBuffer *buf;
  GError *err = NULL;

  gst_alloc_solver_add_backend (solver, memfd);
  info_for (&info, GST_VIDEO_FORMAT_NV12, 1000, 100);
  buf = buffer_from_pool (solver, &info, padded);
  fail_if (gst_alloc_constraints_check_buffer (reader, &info, buf, &err));
  fail_unless (strstr (err->message, "default-layout (asked by filesink0): "
          "plane 0 is at offset 0 with stride 1024, the default is 0 and "
          "1000"), "%s", err->message);
  g_error_free (err);
  gst_buffer_unref (buf);
  gst_object_unref (memfd);
  gst_object_unref (solver);
  gst_alloc_constraints_free (padded);
  gst_alloc_constraints_free (reader);
}

GST_END_TEST;

/* --- the sweep --- */

static const guint32 sweep_alignments[] = { 1, 2, 3, 4, 16, 32, 48, 64, 256 };

static const guint sizes[][2] = {
  {2, 2}, {17, 9}, {33, 1}, {320, 240}, {641, 361}, {1920, 1080},
};

#define SETS_PER_CASE 3
#define ROUNDS 3

static GstAllocConstraints *
random_consumer (GRand * rand, guint index)
{
  GstAllocConstraints *c = gst_alloc_constraints_new ();
  gchar *origin = g_strdup_printf ("consumer%u", index);

#define PICK(a) a[g_rand_int_range (rand, 0, G_N_ELEMENTS (a))]
#define SMALL(n) (g_rand_boolean (rand) ? 0 : g_rand_int_range (rand, 0, n))
  c->stride_align = PICK (sweep_alignments);
  c->offset_align = PICK (sweep_alignments);
  c->size_align = PICK (sweep_alignments);
  c->width_align = g_rand_boolean (rand) ? 1 : PICK (sweep_alignments);
  c->height_align = g_rand_boolean (rand) ? 1 : PICK (sweep_alignments);
  c->padding_top = SMALL (9);
  c->padding_bottom = SMALL (9);
  c->padding_left = SMALL (9);
  c->padding_right = SMALL (9);
  c->prefix_bytes = SMALL (300);
  c->padding_bytes = SMALL (300);
  c->memory = g_rand_boolean (rand) ? GST_ALLOC_MEMORY_ANY :
      GST_ALLOC_MEMORY_MEMFD | GST_ALLOC_MEMORY_DMABUF;
  /* Every consumer of one frame shares one planes choice or none. */
  c->planes = index == 0 && g_rand_int_range (rand, 0, 3) == 0 ?
      GST_ALLOC_PLANES_SEPARATE : GST_ALLOC_PLANES_ANY;
#undef PICK
#undef SMALL
  gst_alloc_constraints_set_origin (c, origin);
  g_free (origin);
  return c;
}

static GstBuffer *
buffer_from_pool (GstAllocSolver * solver, const GstVideoInfo * info,
    const GstAllocConstraints * merged)
{
  GstBufferPool *pool = gst_alloc_pool_new (solver);
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstCaps *caps = gst_video_info_to_caps (info);
  GstBuffer *buf = NULL;

  gst_buffer_pool_config_set_params (config, caps, info->size, 1, 1);
  gst_alloc_pool_config_set_constraints (config, merged);
  if (!gst_buffer_pool_set_config (pool, config))
    fail_unless (gst_buffer_pool_set_config (pool,
            gst_buffer_pool_get_config (pool)));
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buf, NULL),
      GST_FLOW_OK);
  /* The buffer outlives the pool's activation: take it out of the pool. */
  gst_buffer_pool_set_active (pool, FALSE);
  gst_caps_unref (caps);
  gst_object_unref (pool);
  return buf;
}

/* Writing every visible row of every plane proves the meta describes memory
 * that really exists (valgrind and ASan see any overrun). */
static void
write_every_row (GstBuffer * buf, const GstVideoInfo * info)
{
  GstVideoFrame frame;
  guint p, row, rows, width;
  guint8 *data;

  fail_unless (gst_video_frame_map (&frame, (GstVideoInfo *) info, buf,
          GST_MAP_WRITE));
  if (GST_VIDEO_FORMAT_INFO_HAS_PALETTE (info->finfo))
    memset (GST_VIDEO_FRAME_PLANE_DATA (&frame, 1), 0x5a, 256 * 4);
  for (p = 0; p < gst_alloc_video_info_n_image_planes (info); p++) {
    data = GST_VIDEO_FRAME_PLANE_DATA (&frame, p);
    rows = GST_VIDEO_FRAME_COMP_HEIGHT (&frame, p);
    width = MIN ((guint) GST_VIDEO_FRAME_PLANE_STRIDE (&frame, p),
        (guint) GST_VIDEO_FRAME_COMP_WIDTH (&frame, p) *
        MAX (GST_VIDEO_FRAME_COMP_PSTRIDE (&frame, p), 1));
    for (row = 0; row < rows; row++)
      memset (data + (gsize) row * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, p),
          0x5a, width);
  }
  gst_video_frame_unmap (&frame);
}

static guint
sweep_format (GstAllocSolver * solver, GRand * rand, GstVideoFormat format)
{
  GstAllocConstraints *sets[SETS_PER_CASE], *merged;
  GstVideoInfo info;
  GstBuffer *buf;
  GError *err = NULL;
  gchar *wanted;
  guint s, i, checked = 0;

  for (s = 0; s < G_N_ELEMENTS (sizes) * ROUNDS; s++) {
    gst_video_info_init (&info);
    if (!gst_video_info_set_format (&info, format,
            sizes[s % G_N_ELEMENTS (sizes)][0],
            sizes[s % G_N_ELEMENTS (sizes)][1]))
      continue;
    merged = gst_alloc_constraints_new ();
    for (i = 0; i < SETS_PER_CASE; i++) {
      sets[i] = random_consumer (rand, i);
      fail_unless (gst_alloc_constraints_merge_into (merged, sets[i], NULL));
    }
    buf = buffer_from_pool (solver, &info, merged);
    wanted = gst_alloc_constraints_to_string (merged);
    for (i = 0; i < SETS_PER_CASE; i++) {
      fail_unless (gst_alloc_constraints_check_buffer (sets[i], &info, buf,
              &err), "%s %ux%u with %s: %s",
          gst_video_format_to_string (format),
          sizes[s % G_N_ELEMENTS (sizes)][0],
          sizes[s % G_N_ELEMENTS (sizes)][1], wanted, err ? err->message : "");
      gst_alloc_constraints_free (sets[i]);
      checked++;
    }
    write_every_row (buf, &info);
    g_free (wanted);
    gst_buffer_unref (buf);
    gst_alloc_constraints_free (merged);
  }
  return checked;
}

GST_START_TEST (test_every_linear_format_satisfies_every_consumer)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  GstAllocator *memfd = gst_alloc_memfd_allocator_new ();
  GRand *rand = g_rand_new_with_seed (20261125);
  const GstVideoFormat *formats;
  const GstVideoFormatInfo *finfo;
  guint n_formats, f, n_linear = 0, checked = 0;

  gst_alloc_solver_add_backend (solver, memfd);
  formats = gst_video_formats_raw (&n_formats);
  for (f = 0; f < n_formats; f++) {
    finfo = gst_video_format_get_info (formats[f]);
    if (GST_VIDEO_FORMAT_INFO_IS_TILED (finfo))
      continue;
    n_linear++;
    checked += sweep_format (solver, rand, formats[f]);
  }
  GST_INFO ("%u linear formats, %u (buffer, consumer) pairs checked",
      n_linear, checked);
  /* GStreamer 1.22 knows over 90 linear raw formats. */
  fail_unless (n_linear > 90, "only %u linear formats", n_linear);
  fail_unless (checked > n_linear * SETS_PER_CASE * ROUNDS * 3);
  g_rand_free (rand);
  gst_object_unref (memfd);
  gst_object_unref (solver);
}

GST_END_TEST;

static Suite *
layout_suite (void)
{
  Suite *s = suite_create ("alloc-layout");
  TCase *cases = tcase_create ("cases");
  TCase *sweep = tcase_create ("sweep");

  suite_add_tcase (s, cases);
  tcase_add_test (cases, test_nv12_1080p_for_display_and_encoder);
  tcase_add_test (cases, test_subsampled_strides_keep_their_ratio);
  tcase_add_test (cases, test_non_power_of_two_stride_alignment);
  tcase_add_test (cases, test_unconstrained_layout_is_natural);
  tcase_add_test (cases, test_separate_planes_get_one_memory_each);
  tcase_add_test (cases, test_frame_larger_than_max_size_is_refused);
  tcase_add_test (cases, test_tiled_format_is_refused);
  tcase_add_test (cases,
      test_verify_catches_a_natural_buffer_missing_alignment);

  tcase_add_test (cases, test_values_near_2_32_are_refused_by_name);
  tcase_add_test (cases, test_large_values_that_fit_are_laid_out);
  tcase_add_test (cases, test_recycled_buffers_keep_their_layout);
  tcase_add_test (cases,
      test_default_layout_is_gstvideoinfo_s_when_constraints_hold);
  tcase_add_test (cases, test_default_layout_conflict_names_both_sides);
  tcase_add_test (cases, test_default_layout_refuses_what_would_move_pixels);
  tcase_add_test (cases, test_default_layout_names_every_conflict_at_once);
  tcase_add_test (cases,
      test_verify_catches_a_padded_buffer_for_a_default_reader);

  suite_add_tcase (s, sweep);
  tcase_add_test (sweep, test_default_layout_of_every_linear_format);
  tcase_set_timeout (sweep, 240);
  tcase_add_test (sweep, test_every_linear_format_satisfies_every_consumer);
  return s;
}

GST_CHECK_MAIN (layout);
