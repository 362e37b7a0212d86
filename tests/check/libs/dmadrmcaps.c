/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* DMA_DRM caps (GStreamer 1.24 and newer) and the library: our fourcc
 * table against GStreamer's, caps read as drm-formats, a set narrowing
 * caps, the video info of linear DMA_DRM caps, and a pool configured with
 * them. With an older GStreamer the suite skips, saying why. */

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

#include <string.h>

#include "testutil.h"

#if GST_CHECK_VERSION (1, 24, 0)

#define NV12 GST_MAKE_FOURCC ('N', 'V', '1', '2')
#define MOD_X G_GUINT64_CONSTANT (0x0800000000000001)

#define DMA_DRM "video/x-raw(memory:DMABuf), format=DMA_DRM, "

static GstCaps *
caps (const gchar * str)
{
  GstCaps *c = gst_caps_from_string (str);

  fail_unless (c != NULL, "%s", str);
  return c;
}

static gchar *
drm_formats_of (const gchar * caps_str)
{
  GstCaps *c = caps (caps_str);
  GstAllocConstraints *set = gst_alloc_constraints_from_caps (c, "peer");
  gchar *out = gst_alloc_constraints_describe_field (set,
      GST_ALLOC_FIELD_DRM_FORMATS);

  gst_alloc_constraints_free (set);
  gst_caps_unref (c);
  return out;
}

GST_START_TEST (test_fourcc_table_agrees_with_gstreamer)
{
  GstVideoFormat f;
  guint32 ours, theirs;
  guint compared = 0;

  for (f = GST_VIDEO_FORMAT_I420; f <= GST_VIDEO_FORMAT_LAST - 1; f++) {
    ours = gst_alloc_drm_fourcc_from_video_format (f);
    if (!ours)
      continue;
    theirs = gst_video_dma_drm_fourcc_from_format (f);
    fail_unless_equals_int (ours, theirs);
    fail_unless_equals_int (gst_alloc_drm_fourcc_to_video_format (ours), f);
    compared++;
  }
  fail_unless (compared >= 19, "only %u formats compared", compared);
}

GST_END_TEST;

GST_START_TEST (test_dma_drm_caps_give_their_formats)
{
  gchar *got;

  got = drm_formats_of (DMA_DRM "drm-format={ NV12, NV12:0x0800000000000001 }"
      ", width=640, height=480");
  fail_unless_equals_string (got, "NV12:linear|NV12:0x0800000000000001");
  g_free (got);
  /* Two structures: every pair some structure lists. */
  got = drm_formats_of (DMA_DRM "drm-format=YUYV; " DMA_DRM
      "drm-format=NV12:0x0800000000000001");
  fail_unless_equals_string (got, "NV12:0x0800000000000001|YUYV:linear");
  g_free (got);
}

GST_END_TEST;

GST_START_TEST (test_caps_taking_more_give_no_drm_formats)
{
  gchar *got;

  /* Plain raw video taken too: its formats are not DRM pairs to list. */
  got = drm_formats_of (DMA_DRM "drm-format=NV12; video/x-raw, format=NV12");
  fail_unless_equals_string (got, "any");
  g_free (got);
  /* DMA_DRM without drm-format: any format. */
  got = drm_formats_of (DMA_DRM "width=640");
  fail_unless_equals_string (got, "any");
  g_free (got);
  got = drm_formats_of ("video/x-raw, format=NV12");
  fail_unless_equals_string (got, "any");
  g_free (got);
}

GST_END_TEST;

GST_START_TEST (test_memory_is_dmabuf_only_when_every_structure_says_so)
{
  GstCaps *both = caps (DMA_DRM "drm-format=NV12; video/x-raw, format=NV12");
  GstCaps *dma = caps (DMA_DRM "drm-format=NV12");
  GstAllocConstraints *c;

  c = gst_alloc_constraints_from_caps (both, NULL);
  fail_unless_equals_int (c->memory, GST_ALLOC_MEMORY_ANY);
  gst_alloc_constraints_free (c);
  c = gst_alloc_constraints_from_caps (dma, NULL);
  fail_unless_equals_int (c->memory, GST_ALLOC_MEMORY_DMABUF);
  gst_alloc_constraints_free (c);
  gst_caps_unref (dma);
  gst_caps_unref (both);
}

GST_END_TEST;

static GstCaps *
filtered (const gchar * set_str, const gchar * caps_str)
{
  GstAllocConstraints *set = gst_alloc_constraints_from_string (set_str,
      "filter", NULL);
  GstCaps *in = caps (caps_str), *out;

  fail_unless (set != NULL);
  out = gst_alloc_constraints_filter_caps (set, in);
  gst_caps_unref (in);
  gst_alloc_constraints_free (set);
  return out;
}

static void
assert_caps_equal (GstCaps * got, const gchar * expected)
{
  GstCaps *want = caps (expected);

  fail_unless (gst_caps_is_strictly_equal (got, want), "got %" GST_PTR_FORMAT
      ", expected %" GST_PTR_FORMAT, got, want);
  gst_caps_unref (want);
  gst_caps_unref (got);
}

GST_START_TEST (test_set_narrows_dma_drm_caps_only)
{
  assert_caps_equal (filtered ("drm-formats=NV12:linear|"
          "NV12:0x0800000000000001", DMA_DRM "drm-format={ NV12, "
          "NV12:0x0100000000000002, NV12:0x0800000000000001 }; "
          "video/x-raw, format=YUY2"), DMA_DRM "drm-format={ NV12, "
      "NV12:0x0800000000000001 }; video/x-raw, format=YUY2");
  /* One value left is a plain string; a structure left with none goes. */
  assert_caps_equal (filtered ("drm-formats=NV12:linear", DMA_DRM
          "drm-format={ NV12, YUYV }; " DMA_DRM "drm-format=YUYV"),
      DMA_DRM "drm-format=NV12");
  /* A structure that takes any format gets the set's. */
  assert_caps_equal (filtered ("drm-formats=NV12:linear|"
          "NV12:0x0800000000000001", DMA_DRM "width=640"), DMA_DRM
      "width=640, drm-format={ NV12, NV12:0x0800000000000001 }");
  /* No drm-formats: the caps as they are. */
  assert_caps_equal (filtered ("stride-align=64", DMA_DRM "drm-format=YUYV"),
      DMA_DRM "drm-format=YUYV");
}

GST_END_TEST;

GST_START_TEST (test_linear_dma_drm_caps_have_the_format_s_video_info)
{
  GstCaps *linear = caps (DMA_DRM "drm-format=NV12, width=320, height=240, "
      "framerate=30/1");
  GstCaps *tiled = caps (DMA_DRM "drm-format=NV12:0x0800000000000001, "
      "width=320, height=240, framerate=30/1");
  GstVideoInfo info, plain;

  fail_unless (gst_alloc_video_info_from_caps (&info, linear));
  gst_video_info_set_format (&plain, GST_VIDEO_FORMAT_NV12, 320, 240);
  fail_unless_equals_int (GST_VIDEO_INFO_FORMAT (&info), GST_VIDEO_FORMAT_NV12);
  fail_unless_equals_int (GST_VIDEO_INFO_PLANE_STRIDE (&info, 0), 320);
  fail_unless_equals_uint64 (GST_VIDEO_INFO_SIZE (&info),
      GST_VIDEO_INFO_SIZE (&plain));
  fail_if (gst_alloc_video_info_from_caps (&info, tiled));
  gst_caps_unref (tiled);
  gst_caps_unref (linear);
}

GST_END_TEST;

GST_START_TEST (test_pool_configured_with_dma_drm_caps_lays_out_the_format)
{
  GstCaps *c = caps (DMA_DRM "drm-format=NV12, width=320, height=240, "
      "framerate=30/1");
  GstAllocConstraints *set = gst_alloc_constraints_from_string
      ("stride-align=256", "display", NULL);
  GstBufferPool *pool = gst_alloc_pool_new (NULL);
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstBuffer *buffer = NULL;
  GstVideoMeta *meta;

  gst_buffer_pool_config_set_params (config, c, 320 * 240 * 3 / 2, 2, 0);
  gst_alloc_pool_config_set_constraints (config, set);
  if (!gst_buffer_pool_set_config (pool, config))
    fail_unless (gst_buffer_pool_set_config (pool,
            gst_buffer_pool_get_config (pool)));
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buffer,
          NULL), GST_FLOW_OK);
  meta = gst_buffer_get_video_meta (buffer);
  fail_unless (meta != NULL);
  fail_unless_equals_int (meta->format, GST_VIDEO_FORMAT_NV12);
  fail_unless_equals_int (meta->stride[0], 512);
  gst_buffer_unref (buffer);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
  gst_alloc_constraints_free (set);
  gst_caps_unref (c);
}

GST_END_TEST;

GST_START_TEST (test_query_with_dma_drm_caps_reads_the_chosen_pair)
{
  GstCaps *c = caps (DMA_DRM "drm-format=NV12, width=320, height=240, "
      "framerate=30/1");
  GstQuery *query = gst_query_new_allocation (c, TRUE);
  GstAllocConstraints *read;
  gchar *str;

  read = gst_alloc_constraints_from_allocation_query (query, "sink", NULL);
  fail_unless (read != NULL);
  str = gst_alloc_constraints_to_string (read);
  fail_unless_equals_string (str, "memory=dmabuf,drm-formats=NV12:linear");
  g_free (str);
  gst_alloc_constraints_free (read);
  gst_query_unref (query);
  gst_caps_unref (c);
}

GST_END_TEST;

GST_START_TEST (test_dma_drm_query_answer_honours_drm_formats)
{
  GstCaps *c = caps (DMA_DRM "drm-format=NV12, width=320, height=240, "
      "framerate=30/1");
  GstAllocConstraints *yuyv = gst_alloc_constraints_from_string
      ("drm-formats=YUYV:linear", "v4l2sink0", NULL);
  GstQuery *query = gst_query_new_allocation (c, TRUE);
  GError *err = NULL;

  fail_if (gst_alloc_query_answer (query, yuyv, NULL, "pool", &err));
  fail_unless (g_error_matches (err, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT));
  fail_unless (strstr (err->message, "drm-formats YUYV:linear (asked by "
          "v4l2sink0) does not list NV12"), "%s", err->message);
  g_clear_error (&err);
  gst_query_unref (query);
  gst_alloc_constraints_free (yuyv);
  gst_caps_unref (c);
}

GST_END_TEST;

static Suite *
dmadrmcaps_suite (void)
{
  Suite *s = suite_create ("alloc-dmadrmcaps");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_fourcc_table_agrees_with_gstreamer);
  tcase_add_test (tc, test_dma_drm_caps_give_their_formats);
  tcase_add_test (tc, test_caps_taking_more_give_no_drm_formats);
  tcase_add_test (tc, test_memory_is_dmabuf_only_when_every_structure_says_so);
  tcase_add_test (tc, test_set_narrows_dma_drm_caps_only);
  tcase_add_test (tc, test_linear_dma_drm_caps_have_the_format_s_video_info);
  tcase_add_test (tc,
      test_pool_configured_with_dma_drm_caps_lays_out_the_format);
  tcase_add_test (tc, test_query_with_dma_drm_caps_reads_the_chosen_pair);
  tcase_add_test (tc, test_dma_drm_query_answer_honours_drm_formats);
  return s;
}

GST_CHECK_MAIN (dmadrmcaps);

#else

TEST_SKIP_MAIN (" has no DMA_DRM caps (they came with 1.24)");

#endif
