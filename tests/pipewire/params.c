/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ext/pipewire without a daemon: formats between caps and SPA, a
 * consumer's Buffers param read as needs and the param written back, and
 * whether a published pool serves a consumer. */

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

#include "gstallocpwdecide.h"
#include "gstallocpwformat.h"
#include "gstallocpwneeds.h"
#include "gstallocpwpool.h"

#include <spa/buffer/buffer.h>
#include <spa/param/buffers.h>
#include <spa/param/video/format-utils.h>

#include <string.h>

static GstVideoInfo
nv12 (gint width, gint height)
{
  GstVideoInfo info;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_NV12, width, height);
  GST_VIDEO_INFO_FPS_N (&info) = 30;
  GST_VIDEO_INFO_FPS_D (&info) = 1;
  return info;
}

GST_START_TEST (test_formats_match_by_name)
{
  GstVideoFormat formats[] = { GST_VIDEO_FORMAT_NV12, GST_VIDEO_FORMAT_I420,
    GST_VIDEO_FORMAT_YUY2, GST_VIDEO_FORMAT_BGRx, GST_VIDEO_FORMAT_GRAY16_LE
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++)
    fail_unless_equals_int (gst_alloc_pw_video_format_from_spa
        (gst_alloc_pw_video_format_to_spa (formats[i])), formats[i]);
  fail_unless_equals_int (gst_alloc_pw_video_format_to_spa
      (GST_VIDEO_FORMAT_NV12), SPA_VIDEO_FORMAT_NV12);
  fail_unless_equals_int (gst_alloc_pw_video_format_to_spa
      (GST_VIDEO_FORMAT_UNKNOWN), SPA_VIDEO_FORMAT_UNKNOWN);
}

GST_END_TEST;

GST_START_TEST (test_format_round_trip)
{
  guint8 storage[512];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  GstVideoInfo info = nv12 (1280, 720), back;
  struct spa_pod *pod = gst_alloc_pw_format_build (&b, SPA_PARAM_Format,
      &info);

  fail_unless (pod != NULL);
  fail_unless (gst_alloc_pw_format_parse (pod, &back, NULL));
  fail_unless_equals_int (GST_VIDEO_INFO_FORMAT (&back), GST_VIDEO_FORMAT_NV12);
  fail_unless_equals_int (back.width, 1280);
  fail_unless_equals_int (back.height, 720);
  fail_unless_equals_int (back.fps_n, 30);
}

GST_END_TEST;

GST_START_TEST (test_formats_from_caps_one_per_structure)
{
  guint8 storage[4096];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  const struct spa_pod *params[4];
  GstCaps *caps = gst_caps_from_string ("video/x-raw,format={NV12,I420},"
      "width=[1,4096],height=[1,4096]; video/x-raw,format=YUY2; "
      "audio/x-raw");

  fail_unless_equals_int (gst_alloc_pw_formats_from_caps (&b, caps, params,
          4), 2);
  gst_caps_unref (caps);
  caps = gst_caps_from_string ("audio/x-raw");
  fail_unless_equals_int (gst_alloc_pw_formats_from_caps (&b, caps, params,
          4), 0);
  gst_caps_unref (caps);
}

GST_END_TEST;

/* What a browser-like consumer says: any count from 2 to 64, dma-buf or
 * memfd, 256-byte aligned data, rows exactly @stride apart. */
static const struct spa_pod *
consumer_buffers (struct spa_pod_builder *b, gint stride, guint32 types,
    gint count)
{
  struct spa_pod_frame f;

  spa_pod_builder_push_object (b, &f, SPA_TYPE_OBJECT_ParamBuffers,
      SPA_PARAM_Buffers);
  if (count)
    spa_pod_builder_add (b, SPA_PARAM_BUFFERS_buffers, SPA_POD_Int (count), 0);
  else
    spa_pod_builder_add (b, SPA_PARAM_BUFFERS_buffers,
        SPA_POD_CHOICE_RANGE_Int (8, 2, 64), 0);
  spa_pod_builder_add (b, SPA_PARAM_BUFFERS_dataType,
      SPA_POD_CHOICE_FLAGS_Int ((gint32) types),
      SPA_PARAM_BUFFERS_align, SPA_POD_Int (256), 0);
  if (stride)
    spa_pod_builder_add (b, SPA_PARAM_BUFFERS_stride, SPA_POD_Int (stride), 0);
  return spa_pod_builder_pop (b, &f);
}

GST_START_TEST (test_buffers_param_read_as_needs)
{
  guint8 storage[512];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  g_autoptr (GstAllocPwNeeds) needs = gst_alloc_pw_needs_new ("browser");

  fail_unless (gst_alloc_pw_needs_add_buffers_param (needs,
          consumer_buffers (&b, 1920, (1 << SPA_DATA_DmaBuf) |
              (1 << SPA_DATA_MemFd), 0), NULL));
  fail_unless_equals_int (needs->constraints->min_buffers, 2);
  fail_unless_equals_int (needs->constraints->max_buffers, 64);
  fail_unless_equals_int (needs->constraints->offset_align, 256);
  fail_unless_equals_int (needs->constraints->memory,
      GST_ALLOC_MEMORY_DMABUF | GST_ALLOC_MEMORY_MEMFD);
  fail_unless_equals_int (needs->exact_stride, 1920);
  fail_unless_equals_string (gst_alloc_constraints_get_origin
      (needs->constraints, GST_ALLOC_FIELD_OFFSET_ALIGN), "browser");
  fail_unless (strstr (needs->description, "stride=1920") != NULL);
}

GST_END_TEST;

GST_START_TEST (test_fixed_count_is_exact_and_dmabuf_only_is_dmabuf)
{
  guint8 storage[512];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  g_autoptr (GstAllocPwNeeds) needs = gst_alloc_pw_needs_new ("importer");

  fail_unless (gst_alloc_pw_needs_add_buffers_param (needs,
          consumer_buffers (&b, 0, 1 << SPA_DATA_DmaBuf, 4), NULL));
  fail_unless_equals_int (needs->constraints->min_buffers, 4);
  fail_unless_equals_int (needs->constraints->max_buffers, 4);
  fail_unless_equals_int (needs->constraints->memory, GST_ALLOC_MEMORY_DMABUF);
  fail_unless_equals_int (needs->exact_stride, 0);
}

GST_END_TEST;

GST_START_TEST (test_constraints_property_merges)
{
  g_autoptr (GstAllocPwNeeds) needs = gst_alloc_pw_needs_new ("src");
  GError *err = NULL;

  fail_unless (gst_alloc_pw_needs_add_constraints_string (needs,
          "stride-align=64,cache=cached", NULL));
  fail_unless_equals_int (needs->constraints->stride_align, 64);
  fail_if (gst_alloc_pw_needs_add_constraints_string (needs, "cache=uncached",
          &err));
  fail_unless (g_error_matches (err, GST_ALLOC_ERROR,
          GST_ALLOC_ERROR_CONFLICT));
  g_clear_error (&err);
  fail_if (gst_alloc_pw_needs_add_constraints_string (needs, "stride=3", &err));
  fail_unless (g_error_matches (err, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE));
  g_clear_error (&err);
}

GST_END_TEST;

GST_START_TEST (test_announced_param_reads_back)
{
  guint8 storage[512];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  GstAllocConstraints *c = gst_alloc_constraints_from_string
      ("min-buffers=3,offset-align=64,memory=dmabuf,default-layout=true",
      "src", NULL);
  GstVideoInfo info = nv12 (1920, 1080);
  g_autoptr (GstAllocPwNeeds) needs = gst_alloc_pw_needs_new ("src");

  fail_unless (gst_alloc_pw_needs_add_buffers_param (needs,
          gst_alloc_pw_needs_build_buffers_param (&b, c, &info), NULL));
  fail_unless_equals_int (needs->constraints->min_buffers, 3);
  fail_unless_equals_int (needs->constraints->offset_align, 64);
  fail_unless_equals_int (needs->constraints->memory, GST_ALLOC_MEMORY_DMABUF);
  fail_unless_equals_int (needs->exact_stride, 1920);
  /* And a producer reads the fixed default stride as default-layout. */
  gst_alloc_pw_needs_apply_format (needs, &info);
  fail_unless (needs->constraints->default_layout);
  fail_unless_equals_string (gst_alloc_constraints_get_origin
      (needs->constraints, GST_ALLOC_FIELD_DEFAULT_LAYOUT), "src");
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_other_fixed_stride_is_not_default_layout)
{
  guint8 storage[512];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  g_autoptr (GstAllocPwNeeds) needs = gst_alloc_pw_needs_new ("scanout");
  GstVideoInfo info = nv12 (1920, 1080);

  fail_unless (gst_alloc_pw_needs_add_buffers_param (needs,
          consumer_buffers (&b, 2048, 1 << SPA_DATA_MemFd, 0), NULL));
  gst_alloc_pw_needs_apply_format (needs, &info);
  fail_if (needs->constraints->default_layout);
  fail_unless_equals_int (needs->exact_stride, 2048);
}

GST_END_TEST;

/* A published pool of memfds for NV12 @width x 480 laid out for @c. */
static GstAllocPwPool *
published_pool (gint width, const gchar * c, GstAllocConstraints ** set)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  GstAllocator *memfd = gst_alloc_memfd_allocator_new ();
  GstBufferPool *allocator;
  GstStructure *config;
  GstVideoInfo info = nv12 (width, 480);
  GstCaps *caps = gst_video_info_to_caps (&info);
  GstAllocPwPool *pool;

  gst_alloc_solver_add_backend (solver, memfd);
  gst_object_unref (memfd);
  *set = gst_alloc_constraints_from_string (c, "camera", NULL);
  allocator = gst_alloc_pool_new (solver);
  config = gst_buffer_pool_get_config (allocator);
  gst_buffer_pool_config_set_params (config, caps, info.size, 8, 8);
  gst_buffer_pool_config_add_option (config, GST_BUFFER_POOL_OPTION_VIDEO_META);
  gst_alloc_pool_config_set_constraints (config, *set);
  if (!gst_buffer_pool_set_config (allocator, config))
    fail_unless (gst_buffer_pool_set_config (allocator,
            gst_buffer_pool_get_config (allocator)));
  pool = gst_alloc_pw_pool_new (allocator, "test-pool", NULL);
  fail_unless (pool != NULL);
  gst_object_unref (allocator);
  gst_object_unref (solver);
  gst_caps_unref (caps);
  return pool;
}

static gboolean
serves (GstAllocPwPool * pool, const GstAllocConstraints * set,
    const struct spa_pod *param, const gchar * c, gchar ** why)
{
  g_autoptr (GstAllocPwNeeds) needs = gst_alloc_pw_needs_new ("consumer");

  if (param)
    fail_unless (gst_alloc_pw_needs_add_buffers_param (needs, param, NULL));
  if (c)
    fail_unless (gst_alloc_pw_needs_add_constraints_string (needs, c, NULL));
  gst_alloc_pw_needs_apply_format (needs, gst_alloc_pw_pool_get_info (pool));
  return gst_alloc_pw_pool_serves (pool, set, needs, why);
}

GST_START_TEST (test_pool_owns_its_buffers_for_good)
{
  GstAllocConstraints *set;
  GstAllocPwPool *pool = published_pool (640, "", &set);
  GstBuffer *buffer = NULL;
  gchar *ids = gst_alloc_pw_pool_get_memory_ids (pool);
  guint n = 0;
  gchar **each = g_strsplit (ids, ",", -1);

  fail_unless_equals_int (gst_alloc_pw_pool_get_n_buffers (pool), 8);
  fail_unless_equals_int (g_strv_length (each), 8);
  fail_unless_equals_int (gst_alloc_pw_pool_get_memory_kind (pool),
      GST_ALLOC_MEMORY_MEMFD);
  /* Natural NV12: one block, rows at the default stride. */
  fail_unless_equals_int (gst_alloc_pw_pool_get_blocks (pool)->n_blocks, 1);
  fail_unless_equals_int (gst_alloc_pw_pool_get_blocks (pool)->block[0].stride,
      640);
  fail_unless (gst_buffer_pool_set_active (GST_BUFFER_POOL (pool), TRUE));
  /* Without PipeWire buffers every slot can be handed out, then no more. */
  while (gst_buffer_pool_acquire_buffer (GST_BUFFER_POOL (pool), &buffer,
          &(GstBufferPoolAcquireParams) {
          .flags = GST_BUFFER_POOL_ACQUIRE_FLAG_DONTWAIT}
      ) == GST_FLOW_OK) {
    fail_unless (gst_buffer_is_all_memory_writable (buffer));
    fail_unless (gst_buffer_get_video_meta (buffer) != NULL);
    gst_buffer_unref (buffer);
    if (++n > 16)
      break;
  }
  fail_unless (n > 16, "released slots are handed out again");
  fail_unless_equals_int (gst_alloc_pw_pool_push (pool, buffer, NULL, 0,
          NULL), GST_ALLOC_PW_PUSH_NO_CONSUMER);
  fail_unless (gst_buffer_pool_set_active (GST_BUFFER_POOL (pool), FALSE));
  g_strfreev (each);
  g_free (ids);
  gst_alloc_constraints_free (set);
  gst_object_unref (pool);
}

GST_END_TEST;

GST_START_TEST (test_tight_consumer_is_not_served_by_padded_rows)
{
  guint8 storage[512];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  GstAllocConstraints *set;
  GstAllocPwPool *pool = published_pool (640, "stride-align=1024", &set);
  gchar *why = NULL;

  fail_unless_equals_int (gst_alloc_pw_pool_get_blocks (pool)->block[0].stride,
      1024);
  fail_if (serves (pool, set, consumer_buffers (&b, 640, 1 << SPA_DATA_MemFd,
              0), NULL, &why));
  fail_unless (strstr (why, "stride") && strstr (why, "tight"), "%s", why);
  g_free (why);
  fail_unless (serves (pool, set, consumer_buffers (&b, 0, 1 << SPA_DATA_MemFd,
              0), NULL, NULL));
  gst_alloc_constraints_free (set);
  gst_object_unref (pool);
}

GST_END_TEST;

GST_START_TEST (test_memfd_pool_does_not_serve_dmabuf_only)
{
  guint8 storage[512];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  GstAllocConstraints *set;
  GstAllocPwPool *pool = published_pool (640, "", &set);
  gchar *why = NULL;

  fail_if (serves (pool, set, consumer_buffers (&b, 0, 1 << SPA_DATA_DmaBuf,
              0), NULL, &why));
  fail_unless (g_str_has_prefix (why, "dataType"), "%s", why);
  g_free (why);
  gst_alloc_constraints_free (set);
  gst_object_unref (pool);
}

GST_END_TEST;

GST_START_TEST (test_counts_and_constraints_are_checked)
{
  guint8 storage[512];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  GstAllocConstraints *set;
  GstAllocPwPool *pool = published_pool (640, "cache=cached", &set);
  gchar *why = NULL;

  fail_if (serves (pool, set, consumer_buffers (&b, 0, 1 << SPA_DATA_MemFd,
              4), NULL, &why));
  fail_unless (g_str_has_prefix (why, "buffers"), "%s", why);
  g_clear_pointer (&why, g_free);
  fail_if (serves (pool, set, NULL, "cache=uncached", &why));
  fail_unless (strstr (why, "cache") != NULL, "%s", why);
  g_clear_pointer (&why, g_free);
  fail_if (serves (pool, set, NULL, "stride-align=4096", &why));
  fail_unless (strstr (why, "stride-align") != NULL, "%s", why);
  g_clear_pointer (&why, g_free);
  fail_unless (serves (pool, set, NULL, "offset-align=256,cpu-access=read",
          NULL));
  gst_alloc_constraints_free (set);
  gst_object_unref (pool);
}

GST_END_TEST;

GST_START_TEST (test_own_pool_for_tight_needs_is_natural)
{
  guint8 storage[512];
  struct spa_pod_builder b = SPA_POD_BUILDER_INIT (storage, sizeof (storage));
  g_autoptr (GstAllocPwNeeds) needs = gst_alloc_pw_needs_new ("browser");
  GstVideoInfo info = nv12 (1920, 1080);
  GstAllocConstraints *c;
  GstAllocLayout layout;

  fail_unless (gst_alloc_pw_needs_add_buffers_param (needs,
          consumer_buffers (&b, 1920, 1 << SPA_DATA_MemFd, 0), NULL));
  gst_alloc_pw_needs_apply_format (needs, &info);
  c = gst_alloc_pw_needs_pool_constraints (needs, &info, NULL);
  fail_unless (c->default_layout);
  fail_unless (c != NULL);
  fail_unless (gst_alloc_layout_compute (&layout, &info, c, NULL));
  fail_unless_equals_int (layout.stride[0], 1920);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

static Suite *
pipewire_params_suite (void)
{
  Suite *s = suite_create ("pipewire-params");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_formats_match_by_name);
  tcase_add_test (tc, test_format_round_trip);
  tcase_add_test (tc, test_formats_from_caps_one_per_structure);
  tcase_add_test (tc, test_buffers_param_read_as_needs);
  tcase_add_test (tc, test_fixed_count_is_exact_and_dmabuf_only_is_dmabuf);
  tcase_add_test (tc, test_constraints_property_merges);
  tcase_add_test (tc, test_announced_param_reads_back);
  tcase_add_test (tc, test_other_fixed_stride_is_not_default_layout);
  tcase_add_test (tc, test_pool_owns_its_buffers_for_good);
  tcase_add_test (tc, test_tight_consumer_is_not_served_by_padded_rows);
  tcase_add_test (tc, test_memfd_pool_does_not_serve_dmabuf_only);
  tcase_add_test (tc, test_counts_and_constraints_are_checked);
  tcase_add_test (tc, test_own_pool_for_tight_needs_is_natural);
  return s;
}

GST_CHECK_MAIN (pipewire_params);
