/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Translation to and from what stock GStreamer says: allocation params,
 * "video-meta" params, video alignment, pool entries, caps features and
 * whole ALLOCATION queries, including our own set inside a query. */

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>
#include <gst/allocators/allocators.h>

#include "testutil.h"

static GstVideoInfo
nv12_1080p (void)
{
  GstVideoInfo info;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_NV12, 1920, 1080);
  return info;
}

GST_START_TEST (test_allocation_params_align_mask_becomes_offset_align)
{
  GstAllocationParams params;
  GstAllocConstraints *c;

  gst_allocation_params_init (&params);
  params.align = 63;
  params.prefix = 16;
  params.padding = 32;
  params.flags = GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS;
  c = gst_alloc_constraints_from_allocation_params (&params, "v4l2src0");
  fail_unless_equals_int (c->offset_align, 64);
  fail_unless_equals_int (c->prefix_bytes, 16);
  fail_unless_equals_int (c->padding_bytes, 32);
  fail_unless_equals_int (c->contiguous, TRUE);
  fail_unless_equals_string (gst_alloc_constraints_get_origin (c,
          GST_ALLOC_FIELD_OFFSET_ALIGN), "v4l2src0");
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_null_allocation_params_give_empty_set)
{
  GstAllocConstraints *c =
      gst_alloc_constraints_from_allocation_params (NULL, NULL);

  fail_unless_equals_int (gst_alloc_constraints_is_empty (c), TRUE);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_allocation_params_round_trip_exactly)
{
  GstAllocConstraints *c =
      test_constraints_parse ("offset-align=256, prefix-bytes=8, "
      "padding-bytes=64, contiguous=true", NULL), *back;
  GstAllocationParams params;

  gst_allocation_params_init (&params);
  fail_unless_equals_int (gst_alloc_constraints_to_allocation_params (c,
          &params), TRUE);
  fail_unless_equals_uint64 (params.align, 255);
  fail_unless_equals_uint64 (params.prefix, 8);
  fail_unless_equals_uint64 (params.padding, 64);
  fail_unless_equals_int (params.flags, GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS);
  back = gst_alloc_constraints_from_allocation_params (&params, NULL);
  fail_unless (gst_alloc_constraints_is_equal (back, c));
  gst_alloc_constraints_free (back);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_non_power_of_two_offset_align_is_inexact)
{
  GstAllocConstraints *c = test_constraints_parse ("offset-align=48", NULL);
  GstAllocationParams params;

  gst_allocation_params_init (&params);
  fail_unless_equals_int (gst_alloc_constraints_to_allocation_params (c,
          &params), FALSE);
  fail_unless_equals_uint64 (params.align, 15);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_video_meta_stride_masks_merge_by_lcm)
{
  GstStructure *params = gst_structure_new ("video-meta",
      "stride-align0", G_TYPE_UINT, 63, "stride-align1", G_TYPE_UINT, 47,
      "padding-bottom", G_TYPE_UINT, 8, "padding-right", G_TYPE_UINT, 32,
      NULL);
  GstAllocConstraints *c =
      gst_alloc_constraints_from_video_meta_params (params, "v4l2h264enc0",
      NULL);

  fail_unless (c != NULL);
  fail_unless_equals_int (c->stride_align, 192);
  fail_unless_equals_int (c->padding_bottom, 8);
  fail_unless_equals_int (c->padding_right, 32);
  fail_unless_equals_int (c->padding_top, 0);
  fail_unless_equals_string (gst_alloc_constraints_get_origin (c,
          GST_ALLOC_FIELD_STRIDE_ALIGN), "v4l2h264enc0");
  gst_alloc_constraints_free (c);
  gst_structure_free (params);
}

GST_END_TEST;

GST_START_TEST (test_video_meta_params_tolerate_vendor_fields)
{
  GstStructure *params = gst_structure_new ("video-meta",
      "padding-top", G_TYPE_UINT, 2, "vendor-tiling", G_TYPE_STRING, "4x4",
      NULL);
  GstAllocConstraints *c =
      gst_alloc_constraints_from_video_meta_params (params, NULL, NULL);

  fail_unless (c != NULL);
  fail_unless_equals_int (c->padding_top, 2);
  gst_alloc_constraints_free (c);
  gst_structure_free (params);
}

GST_END_TEST;

GST_START_TEST (test_video_meta_params_of_wrong_type_are_parse_errors)
{
  GstStructure *params = gst_structure_new ("video-meta",
      "padding-top", G_TYPE_INT, 2, NULL);
  GError *error = NULL;
  GstAllocConstraints *c =
      gst_alloc_constraints_from_video_meta_params (params, NULL, &error);

  fail_unless (c == NULL);
  fail_unless (g_error_matches (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE));
  fail_unless (strstr (error->message, "padding-top") != NULL);
  g_clear_error (&error);
  gst_structure_free (params);
}

GST_END_TEST;

GST_START_TEST (test_video_meta_stride_overflow_is_parse_error)
{
  GstStructure *params = gst_structure_new ("video-meta",
      "stride-align0", G_TYPE_UINT, 0x7fffffff, "stride-align1", G_TYPE_UINT,
      0x7ffffffe, NULL);
  GError *error = NULL;
  GstAllocConstraints *c =
      gst_alloc_constraints_from_video_meta_params (params, NULL, &error);

  fail_unless (c == NULL);
  fail_unless (g_error_matches (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE));
  g_clear_error (&error);
  gst_structure_free (params);
}

GST_END_TEST;

GST_START_TEST (test_null_video_meta_params_give_empty_set)
{
  GstAllocConstraints *c =
      gst_alloc_constraints_from_video_meta_params (NULL, NULL, NULL);

  fail_unless_equals_int (gst_alloc_constraints_is_empty (c), TRUE);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_height_align_becomes_bottom_padding_for_nv12)
{
  GstVideoInfo info = nv12_1080p ();
  GstAllocConstraints *c =
      test_constraints_parse ("height-align=16, stride-align=256", NULL);
  GstVideoAlignment align;

  fail_unless_equals_int (gst_alloc_constraints_to_video_alignment (c, &info,
          &align), TRUE);
  fail_unless_equals_int (align.padding_bottom, 8);
  fail_unless_equals_int (align.padding_right, 0);
  fail_unless_equals_int (align.stride_align[0], 255);
  fail_unless_equals_int (align.stride_align[1], 255);
  fail_unless_equals_int (align.stride_align[2], 0);
  fail_unless (gst_video_info_align (&info, &align));
  fail_unless_equals_int (GST_VIDEO_INFO_PLANE_STRIDE (&info, 0) % 256, 0);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_video_alignment_round_trip_for_nv12)
{
  GstVideoInfo info = nv12_1080p ();
  GstAllocConstraints *c =
      test_constraints_parse ("stride-align=64, padding-top=2, "
      "padding-bottom=6, padding-left=16, padding-right=16", NULL), *back;
  GstVideoAlignment align;

  fail_unless_equals_int (gst_alloc_constraints_to_video_alignment (c, &info,
          &align), TRUE);
  back = gst_alloc_constraints_from_video_alignment (&align, NULL);
  fail_unless (gst_alloc_constraints_is_equal (back, c));
  gst_alloc_constraints_free (back);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_width_align_without_video_info_is_inexact)
{
  GstAllocConstraints *c = test_constraints_parse ("width-align=64", NULL);
  GstVideoAlignment align;

  fail_unless_equals_int (gst_alloc_constraints_to_video_alignment (c, NULL,
          &align), FALSE);
  fail_unless_equals_int (align.padding_right, 0);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_non_power_of_two_stride_align_is_inexact)
{
  GstAllocConstraints *c = test_constraints_parse ("stride-align=192", NULL);
  GstVideoAlignment align;

  fail_unless_equals_int (gst_alloc_constraints_to_video_alignment (c, NULL,
          &align), FALSE);
  fail_unless_equals_int (align.stride_align[0], 63);
  fail_unless_equals_int (align.stride_align[3], 63);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_video_meta_params_carry_paddings_and_stride_masks)
{
  GstVideoInfo info = nv12_1080p ();
  GstAllocConstraints *c =
      test_constraints_parse ("height-align=16, stride-align=128, "
      "padding-left=4", NULL);
  GstStructure *s = gst_alloc_constraints_to_video_meta_params (c, &info);
  guint value = 0;

  fail_unless_equals_string (gst_structure_get_name (s), "video-meta");
  fail_unless (gst_structure_get_uint (s, "padding-bottom", &value));
  fail_unless_equals_int (value, 8);
  fail_unless (gst_structure_get_uint (s, "padding-left", &value));
  fail_unless_equals_int (value, 4);
  fail_unless (gst_structure_get_uint (s, "stride-align1", &value));
  fail_unless_equals_int (value, 127);
  fail_unless (gst_structure_get_uint (s, "stride-align2", &value));
  fail_unless_equals_int (value, 0);
  gst_structure_free (s);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_bigger_pool_size_becomes_padding_bytes)
{
  GstVideoInfo info = nv12_1080p ();
  GstAllocConstraints *c =
      gst_alloc_constraints_from_pool_params (&info, info.size + 4096, 3, 8,
      "v4l2h264enc0");

  fail_unless_equals_int (c->padding_bytes, 4096);
  fail_unless_equals_int (c->min_buffers, 3);
  fail_unless_equals_int (c->max_buffers, 8);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_pool_size_without_video_info_is_ignored)
{
  GstAllocConstraints *c =
      gst_alloc_constraints_from_pool_params (NULL, 4096, 0, 0, NULL);

  fail_unless_equals_int (gst_alloc_constraints_is_empty (c), TRUE);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_dmabuf_caps_feature_requires_dmabuf)
{
  GstCaps *caps = gst_caps_from_string ("video/x-raw(memory:DMABuf), "
      "format=NV12, width=64, height=64");
  GstAllocConstraints *c = gst_alloc_constraints_from_caps (caps, "sink");

  fail_unless_equals_int (c->memory, GST_ALLOC_MEMORY_DMABUF);
  fail_unless_equals_string (gst_alloc_constraints_get_origin (c,
          GST_ALLOC_FIELD_MEMORY), "sink");
  gst_alloc_constraints_free (c);
  gst_caps_unref (caps);
}

GST_END_TEST;

GST_START_TEST (test_system_memory_caps_constrain_nothing)
{
  GstCaps *caps = gst_caps_from_string ("video/x-raw, format=NV12");
  GstAllocConstraints *c = gst_alloc_constraints_from_caps (caps, NULL);

  fail_unless_equals_int (gst_alloc_constraints_is_empty (c), TRUE);
  gst_alloc_constraints_free (c);
  gst_caps_unref (caps);
}

GST_END_TEST;

/* A query as a V4L2 encoder behind a dma-buf sink could answer it. */
static GstQuery *
answered_query (GstVideoInfo * info)
{
  GstCaps *caps = gst_video_info_to_caps (info);
  GstQuery *query;
  GstAllocationParams params;
  GstStructure *meta_params;

  gst_caps_set_features (caps, 0,
      gst_caps_features_new (GST_CAPS_FEATURE_MEMORY_DMABUF, NULL));
  query = gst_query_new_allocation (caps, TRUE);
  gst_caps_unref (caps);

  gst_allocation_params_init (&params);
  params.align = 63;
  gst_query_add_allocation_param (query, NULL, &params);
  meta_params = gst_structure_new ("video-meta", "stride-align0", G_TYPE_UINT,
      47, "padding-bottom", G_TYPE_UINT, 8, NULL);
  gst_query_add_allocation_meta (query, GST_VIDEO_META_API_TYPE, meta_params);
  gst_structure_free (meta_params);
  gst_query_add_allocation_pool (query, NULL, info->size + 4096, 3, 0);
  return query;
}

GST_START_TEST (test_stock_allocation_query_merges_every_part)
{
  GstVideoInfo info = nv12_1080p ();
  GstQuery *query = answered_query (&info);
  GstAllocConstraints *c;
  GError *error = NULL;

  c = gst_alloc_constraints_from_allocation_query (query, "downstream", &error);
  fail_unless (c != NULL, "%s", error ? error->message : "");
  fail_unless_equals_int (c->offset_align, 64);
  fail_unless_equals_int (c->stride_align, 48);
  fail_unless_equals_int (c->padding_bottom, 8);
  fail_unless_equals_int (c->padding_bytes, 4096);
  fail_unless_equals_int (c->min_buffers, 3);
  fail_unless_equals_int (c->memory, GST_ALLOC_MEMORY_DMABUF);
  fail_unless_equals_string (gst_alloc_constraints_get_origin (c,
          GST_ALLOC_FIELD_STRIDE_ALIGN), "downstream");
  gst_alloc_constraints_free (c);
  gst_query_unref (query);
}

GST_END_TEST;

/* Our set is the whole statement: the pool, params and video-meta params
 * next to it are derived from it, so they are not read back as needs. */
GST_START_TEST (test_our_set_in_a_query_is_the_whole_statement)
{
  GstVideoInfo info = nv12_1080p ();
  GstQuery *query = answered_query (&info);
  GstAllocConstraints *own =
      test_constraints_parse ("heaps=\"linux,cma\",stride-align=16",
      "kmssink0"), *c;
  GError *error = NULL;

  fail_unless (gst_alloc_constraints_add_to_query (query, own, NULL));
  c = gst_alloc_constraints_from_allocation_query (query, "downstream", &error);
  fail_unless (c != NULL, "%s", error ? error->message : "");
  fail_unless_equals_int (c->stride_align, 16);
  fail_unless_equals_int (c->offset_align, 1);
  fail_unless_equals_int (c->padding_bytes, 0);
  fail_unless_equals_int (c->min_buffers, 0);
  /* The caps feature is not part of the answer but of the question. */
  fail_unless_equals_int (c->memory, GST_ALLOC_MEMORY_DMABUF);
  fail_unless_equals_string (c->heaps[0], "linux,cma");
  fail_unless_equals_string (gst_alloc_constraints_get_origin (c,
          GST_ALLOC_FIELD_HEAPS), "kmssink0");
  gst_alloc_constraints_free (c);
  gst_alloc_constraints_free (own);
  gst_query_unref (query);
}

GST_END_TEST;

GST_START_TEST (test_empty_allocation_query_gives_empty_set)
{
  GstQuery *query = gst_query_new_allocation (NULL, FALSE);
  GstAllocConstraints *c =
      gst_alloc_constraints_from_allocation_query (query, NULL, NULL);

  fail_unless (c != NULL);
  fail_unless_equals_int (gst_alloc_constraints_is_empty (c), TRUE);
  gst_alloc_constraints_free (c);
  gst_query_unref (query);
}

GST_END_TEST;

GST_START_TEST (test_malformed_own_set_in_query_is_parse_error)
{
  GstQuery *query = gst_query_new_allocation (NULL, FALSE);
  GstStructure *bad = gst_structure_new (GST_ALLOC_CONSTRAINTS_STRUCTURE_NAME,
      "stride-align", G_TYPE_INT, 64, NULL);
  GError *error = NULL;
  GstAllocConstraints *c;

  gst_query_add_allocation_meta (query, GST_ALLOC_CONSTRAINTS_META_API_TYPE,
      bad);
  c = gst_alloc_constraints_from_allocation_query (query, NULL, &error);
  fail_unless (c == NULL);
  fail_unless (g_error_matches (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE));
  g_clear_error (&error);
  gst_structure_free (bad);
  gst_query_unref (query);
}

GST_END_TEST;

static GstAllocConstraints *
own_set_of (GstQuery * query)
{
  const GstStructure *params = NULL;
  guint index;

  fail_unless_equals_int (gst_query_get_n_allocation_metas (query), 1);
  fail_unless (gst_query_find_allocation_meta (query,
          GST_ALLOC_CONSTRAINTS_META_API_TYPE, &index));
  gst_query_parse_nth_allocation_meta (query, index, &params);
  return gst_alloc_constraints_from_structure (params, NULL);
}

GST_START_TEST (test_add_to_query_merges_with_existing_set)
{
  GstQuery *query = gst_query_new_allocation (NULL, FALSE);
  GstAllocConstraints *a =
      test_constraints_parse ("stride-align=64", "kmssink0");
  GstAllocConstraints *b =
      test_constraints_parse ("stride-align=48, memory=dmabuf", "enc0");
  GstAllocConstraints *in_query;

  fail_unless (gst_alloc_constraints_add_to_query (query, a, NULL));
  fail_unless (gst_alloc_constraints_add_to_query (query, b, NULL));
  in_query = own_set_of (query);
  fail_unless_equals_int (in_query->stride_align, 192);
  fail_unless_equals_int (in_query->memory, GST_ALLOC_MEMORY_DMABUF);
  fail_unless_equals_string (gst_alloc_constraints_get_origin (in_query,
          GST_ALLOC_FIELD_MEMORY), "enc0");
  gst_alloc_constraints_free (in_query);
  gst_alloc_constraints_free (a);
  gst_alloc_constraints_free (b);
  gst_query_unref (query);
}

GST_END_TEST;

/* default-layout travels in our set; the stock "video-meta" params have no
 * word for it, and need none: a consumer without GstVideoMeta does not
 * answer with them. */
GST_START_TEST (test_default_layout_travels_in_our_set_only)
{
  GstVideoInfo info = nv12_1080p ();
  GstQuery *query = gst_query_new_allocation (NULL, FALSE);
  GstAllocConstraints *a =
      test_constraints_parse ("default-layout=true", "filesink0");
  GstAllocConstraints *in_query;
  GstStructure *params;

  fail_unless (gst_alloc_constraints_add_to_query (query, a, NULL));
  in_query = own_set_of (query);
  fail_unless_equals_int (in_query->default_layout, TRUE);
  fail_unless_equals_string (gst_alloc_constraints_get_origin (in_query,
          GST_ALLOC_FIELD_DEFAULT_LAYOUT), "filesink0");
  params = gst_alloc_constraints_to_video_meta_params (a, &info);
  fail_unless_equals_int (gst_structure_n_fields (params), 8);
  fail_if (gst_structure_has_field (params, "default-layout"));
  gst_structure_free (params);
  gst_alloc_constraints_free (in_query);
  gst_alloc_constraints_free (a);
  gst_query_unref (query);
}

GST_END_TEST;

GST_START_TEST (test_add_to_query_conflict_fails_and_keeps_query)
{
  GstQuery *query = gst_query_new_allocation (NULL, FALSE);
  GstAllocConstraints *a =
      test_constraints_parse ("cache=cached", "glimagesink0");
  GstAllocConstraints *b = test_constraints_parse ("cache=uncached", "enc0");
  GstAllocConstraints *in_query;
  GError *error = NULL;

  fail_unless (gst_alloc_constraints_add_to_query (query, a, NULL));
  fail_unless_equals_int (gst_alloc_constraints_add_to_query (query, b,
          &error), FALSE);
  fail_unless (g_error_matches (error, GST_ALLOC_ERROR,
          GST_ALLOC_ERROR_CONFLICT));
  in_query = own_set_of (query);
  fail_unless (gst_alloc_constraints_is_equal (in_query, a));
  g_clear_error (&error);
  gst_alloc_constraints_free (in_query);
  gst_alloc_constraints_free (a);
  gst_alloc_constraints_free (b);
  gst_query_unref (query);
}

GST_END_TEST;

static Suite *
translate_suite (void)
{
  Suite *s = suite_create ("translate");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_allocation_params_align_mask_becomes_offset_align);
  tcase_add_test (tc, test_null_allocation_params_give_empty_set);
  tcase_add_test (tc, test_allocation_params_round_trip_exactly);
  tcase_add_test (tc, test_non_power_of_two_offset_align_is_inexact);
  tcase_add_test (tc, test_video_meta_stride_masks_merge_by_lcm);
  tcase_add_test (tc, test_video_meta_params_tolerate_vendor_fields);
  tcase_add_test (tc, test_video_meta_params_of_wrong_type_are_parse_errors);
  tcase_add_test (tc, test_video_meta_stride_overflow_is_parse_error);
  tcase_add_test (tc, test_null_video_meta_params_give_empty_set);
  tcase_add_test (tc, test_height_align_becomes_bottom_padding_for_nv12);
  tcase_add_test (tc, test_video_alignment_round_trip_for_nv12);
  tcase_add_test (tc, test_width_align_without_video_info_is_inexact);
  tcase_add_test (tc, test_non_power_of_two_stride_align_is_inexact);
  tcase_add_test (tc, test_video_meta_params_carry_paddings_and_stride_masks);
  tcase_add_test (tc, test_bigger_pool_size_becomes_padding_bytes);
  tcase_add_test (tc, test_pool_size_without_video_info_is_ignored);
  tcase_add_test (tc, test_dmabuf_caps_feature_requires_dmabuf);
  tcase_add_test (tc, test_system_memory_caps_constrain_nothing);
  tcase_add_test (tc, test_stock_allocation_query_merges_every_part);
  tcase_add_test (tc, test_our_set_in_a_query_is_the_whole_statement);
  tcase_add_test (tc, test_empty_allocation_query_gives_empty_set);
  tcase_add_test (tc, test_malformed_own_set_in_query_is_parse_error);
  tcase_add_test (tc, test_add_to_query_merges_with_existing_set);
  tcase_add_test (tc, test_add_to_query_conflict_fails_and_keeps_query);
  tcase_add_test (tc, test_default_layout_travels_in_our_set_only);
  return s;
}

int
main (int argc, char **argv)
{
  Suite *s;

  gst_check_init (&argc, &argv);
  gst_alloc_init ();
  s = translate_suite ();
  return gst_check_run_suite (s, "translate", __FILE__);
}
