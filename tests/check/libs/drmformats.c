/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The drm-formats field: one pair's string form, the set in the string and
 * structure forms, the merge (intersection, the conflict naming both sides
 * and what each accepts), and what a set means for the layout, the solver
 * and the buffer check. Needs no GStreamer newer than 1.22. */

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

#include <string.h>

#include "fakebackend.h"

#define NV12 GST_MAKE_FOURCC ('N', 'V', '1', '2')
#define YUYV GST_MAKE_FOURCC ('Y', 'U', 'Y', 'V')
/* AFBC and Intel Y-tiling: real modifiers, tiled layouts. */
#define MOD_X G_GUINT64_CONSTANT (0x0800000000000001)
#define MOD_Y G_GUINT64_CONSTANT (0x0100000000000002)

static GstAllocConstraints *
parse_set (const gchar * str, const gchar * origin)
{
  GError *err = NULL;
  GstAllocConstraints *c = gst_alloc_constraints_from_string (str, origin,
      &err);

  fail_unless (c != NULL, "'%s': %s", str, err ? err->message : "");
  return c;
}

static void
assert_drm_formats (const GstAllocConstraints * c, const gchar * expected)
{
  gchar *got = gst_alloc_constraints_describe_field (c,
      GST_ALLOC_FIELD_DRM_FORMATS);

  fail_unless_equals_string (got, expected);
  g_free (got);
}

/* --- one pair --- */

GST_START_TEST (test_pair_is_written_linear_or_in_16_hex_digits)
{
  GstAllocDrmFormat linear = { NV12, GST_ALLOC_DRM_MODIFIER_LINEAR };
  GstAllocDrmFormat tiled = { YUYV, MOD_Y };
  gchar *str;

  str = gst_alloc_drm_format_to_string (&linear);
  fail_unless_equals_string (str, "NV12:linear");
  g_free (str);
  str = gst_alloc_drm_format_to_string (&tiled);
  fail_unless_equals_string (str, "YUYV:0x0100000000000002");
  g_free (str);
}

GST_END_TEST;

GST_START_TEST (test_pair_is_read_back)
{
  GstAllocDrmFormat f;

  fail_unless (gst_alloc_drm_format_from_string ("NV12:linear", &f));
  fail_unless_equals_int (f.fourcc, NV12);
  fail_unless_equals_uint64 (f.modifier, GST_ALLOC_DRM_MODIFIER_LINEAR);
  fail_unless (gst_alloc_drm_format_from_string ("YUYV:0x0800000000000001",
          &f));
  fail_unless_equals_int (f.fourcc, YUYV);
  fail_unless_equals_uint64 (f.modifier, MOD_X);
  /* Upper-case digits read as the same modifier. */
  fail_unless (gst_alloc_drm_format_from_string ("NV12:0x0A00000000000001",
          &f));
  fail_unless_equals_uint64 (f.modifier, G_GUINT64_CONSTANT
      (0x0a00000000000001));
  /* A fourcc may end in spaces (R8 is "R8  "). */
  fail_unless (gst_alloc_drm_format_from_string ("R8  :linear", &f));
  fail_unless_equals_int (f.fourcc, GST_MAKE_FOURCC ('R', '8', ' ', ' '));
}

GST_END_TEST;

static const gchar *bad_pairs[] = {
  "NV12",                       /* GStreamer's caps spelling of linear */
  "NV12:",
  "NV12:0",
  "NV12:0x0",                   /* not 16 digits */
  "NV12:0x0000000000000000",    /* linear has one spelling */
  "NV12:0x00ffffffffffffff",    /* DRM_FORMAT_MOD_INVALID */
  "NV12:0x01000000000000021",
  "NV12:0x010000000000000g",
  "NV12:LINEAR",
  "NV1:linear",
  "NV123:linear",
  " V12:linear",
  "N|12:linear",
  "N,12:linear",
};

GST_START_TEST (test_malformed_pairs_are_refused)
{
  GstAllocDrmFormat f = { 1, 2 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad_pairs); i++) {
    fail_if (gst_alloc_drm_format_from_string (bad_pairs[i], &f),
        "'%s' was accepted", bad_pairs[i]);
    fail_unless_equals_int (f.fourcc, 1);
    fail_unless_equals_uint64 (f.modifier, 2);
  }
}

GST_END_TEST;

GST_START_TEST (test_video_formats_map_to_drm_fourccs_both_ways)
{
  fail_unless_equals_int (gst_alloc_drm_fourcc_from_video_format
      (GST_VIDEO_FORMAT_NV12), NV12);
  fail_unless_equals_int (gst_alloc_drm_fourcc_from_video_format
      (GST_VIDEO_FORMAT_I420), GST_MAKE_FOURCC ('Y', 'U', '1', '2'));
  /* DRM names the little-endian word: GStreamer's BGRx is XRGB8888. */
  fail_unless_equals_int (gst_alloc_drm_fourcc_from_video_format
      (GST_VIDEO_FORMAT_BGRx), GST_MAKE_FOURCC ('X', 'R', '2', '4'));
  fail_unless_equals_int (gst_alloc_drm_fourcc_to_video_format (YUYV),
      GST_VIDEO_FORMAT_YUY2);
  fail_unless_equals_int (gst_alloc_drm_fourcc_from_video_format
      (GST_VIDEO_FORMAT_v210), 0);
  fail_unless_equals_int (gst_alloc_drm_fourcc_to_video_format
      (GST_MAKE_FOURCC ('Q', 'Q', 'Q', 'Q')), GST_VIDEO_FORMAT_UNKNOWN);
}

GST_END_TEST;

/* --- the set in both forms --- */

GST_START_TEST (test_set_is_sorted_and_round_trips)
{
  GstAllocConstraints *c = parse_set ("drm-formats=YUYV:linear|"
      "NV12:0x0800000000000001|NV12:linear", "t"), *back;
  GstStructure *s;
  gchar *str;

  assert_drm_formats (c, "NV12:linear|NV12:0x0800000000000001|YUYV:linear");
  str = gst_alloc_constraints_to_string (c);
  fail_unless_equals_string (str, "drm-formats=NV12:linear|"
      "NV12:0x0800000000000001|YUYV:linear");
  back = parse_set (str, "t");
  fail_unless (gst_alloc_constraints_is_equal (back, c));
  gst_alloc_constraints_free (back);
  g_free (str);

  s = gst_alloc_constraints_to_structure (c);
  str = gst_structure_to_string (s);
  gst_structure_free (s);
  s = gst_structure_from_string (str, NULL);
  back = gst_alloc_constraints_from_structure (s, NULL);
  fail_unless (back != NULL, "%s", str);
  fail_unless (gst_alloc_constraints_is_equal (back, c), "%s", str);
  fail_unless_equals_string (gst_alloc_constraints_get_origin (back,
          GST_ALLOC_FIELD_DRM_FORMATS), "t");
  gst_alloc_constraints_free (back);
  gst_structure_free (s);
  g_free (str);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_add_keeps_the_set_sorted_and_refuses_invalid)
{
  GstAllocConstraints *c = gst_alloc_constraints_new ();

  fail_unless (gst_alloc_constraints_accepts_drm_format (c, NV12, MOD_X));
  fail_unless (gst_alloc_constraints_add_drm_format (c, YUYV, 0));
  fail_unless (gst_alloc_constraints_add_drm_format (c, NV12, MOD_X));
  fail_unless (gst_alloc_constraints_add_drm_format (c, NV12, MOD_X));
  fail_unless (gst_alloc_constraints_add_drm_format (c, NV12, 0));
  fail_if (gst_alloc_constraints_add_drm_format (c, NV12,
          GST_ALLOC_DRM_MODIFIER_INVALID));
  assert_drm_formats (c, "NV12:linear|NV12:0x0800000000000001|YUYV:linear");
  fail_unless (gst_alloc_constraints_accepts_drm_format (c, NV12, MOD_X));
  fail_if (gst_alloc_constraints_accepts_drm_format (c, NV12, MOD_Y));
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

static const gchar *bad_strings[] = {
  "drm-formats=NV12",
  "drm-formats=NV12:linear|NV12:linear",
  "drm-formats=NV12:linear|",
  "drm-formats=|NV12:linear",
  "drm-formats=NV12:0x00ffffffffffffff",
  "drm-formats=any",
};

GST_START_TEST (test_malformed_sets_are_parse_errors_naming_the_item)
{
  GError *err = NULL;
  gchar *quoted;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad_strings); i++) {
    fail_if (gst_alloc_constraints_from_string (bad_strings[i], NULL, &err),
        "'%s' was accepted", bad_strings[i]);
    fail_unless (g_error_matches (err, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE));
    quoted = g_strdup_printf ("'%s'", bad_strings[i]);
    fail_unless (strstr (err->message, quoted), "%s", err->message);
    fail_unless (strstr (err->message, "expected distinct FOURCC:MODIFIER "
            "pairs"), "%s", err->message);
    g_free (quoted);
    g_clear_error (&err);
  }
}

GST_END_TEST;

static const gchar *bad_structures[] = {
  "gst-alloc-constraints, drm-formats=(string)NV12:linear",
  "gst-alloc-constraints, drm-formats=(int)< 1 >",
  "gst-alloc-constraints, drm-formats=(string)< NV12 >",
  "gst-alloc-constraints, drm-formats=(string)< NV12:linear, NV12:linear >",
};

GST_START_TEST (test_malformed_structures_are_parse_errors)
{
  GstStructure *s;
  GError *err = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad_structures); i++) {
    s = gst_structure_from_string (bad_structures[i], NULL);
    fail_unless (s != NULL, "%s", bad_structures[i]);
    fail_if (gst_alloc_constraints_from_structure (s, &err), "%s accepted",
        bad_structures[i]);
    fail_unless (strstr (err->message, "'drm-formats'"), "%s", err->message);
    g_clear_error (&err);
    gst_structure_free (s);
  }
  /* An empty array says nothing about the formats either. */
  s = gst_structure_new_empty (GST_ALLOC_CONSTRAINTS_STRUCTURE_NAME);
  {
    GValue empty = G_VALUE_INIT;

    g_value_init (&empty, GST_TYPE_ARRAY);
    gst_structure_take_value (s, "drm-formats", &empty);
  }
  fail_if (gst_alloc_constraints_from_structure (s, &err));
  g_clear_error (&err);
  gst_structure_free (s);
}

GST_END_TEST;

/* --- the merge --- */

GST_START_TEST (test_merge_keeps_the_pairs_both_accept)
{
  GstAllocConstraints *a = parse_set ("drm-formats=NV12:linear|"
      "NV12:0x0800000000000001", "display");
  GstAllocConstraints *b = parse_set ("drm-formats=NV12:linear|"
      "NV12:0x0100000000000002|YUYV:linear", "encoder");
  GstAllocConstraints *none = parse_set ("stride-align=64", "reader");
  GstAllocConstraints *m, *n;

  m = gst_alloc_constraints_merge (a, b, NULL);
  fail_unless (m != NULL);
  assert_drm_formats (m, "NV12:linear");
  fail_unless_equals_string (gst_alloc_constraints_get_origin (m,
          GST_ALLOC_FIELD_DRM_FORMATS), "display, encoder");
  /* A set that names none accepts any: the identity of the merge. */
  n = gst_alloc_constraints_merge (none, a, NULL);
  assert_drm_formats (n, "NV12:linear|NV12:0x0800000000000001");
  fail_unless_equals_string (gst_alloc_constraints_get_origin (n,
          GST_ALLOC_FIELD_DRM_FORMATS), "display");
  gst_alloc_constraints_free (n);
  gst_alloc_constraints_free (m);
  gst_alloc_constraints_free (none);
  gst_alloc_constraints_free (b);
  gst_alloc_constraints_free (a);
}

GST_END_TEST;

GST_START_TEST (test_conflict_names_both_sides_and_what_each_accepts)
{
  GstAllocConstraints *a = parse_set ("drm-formats=NV12:linear|"
      "NV12:0x0800000000000001", "kmssink0");
  GstAllocConstraints *b = parse_set ("drm-formats=NV12:0x0100000000000002",
      "glimagesink0");
  GstAllocConstraints *dest = gst_alloc_constraints_copy (a);
  GError *err = NULL;

  fail_if (gst_alloc_constraints_merge (a, b, &err));
  fail_unless (g_error_matches (err, GST_ALLOC_ERROR,
          GST_ALLOC_ERROR_CONFLICT));
  fail_unless_equals_string (err->message, "drm-formats: "
      "NV12:linear|NV12:0x0800000000000001 (asked by kmssink0) conflicts "
      "with NV12:0x0100000000000002 (asked by glimagesink0): no DRM format "
      "and modifier is accepted by both");
  g_clear_error (&err);
  /* A failed merge leaves the destination as it was. */
  fail_if (gst_alloc_constraints_merge_into (dest, b, &err));
  g_clear_error (&err);
  fail_unless (gst_alloc_constraints_is_equal (dest, a));
  gst_alloc_constraints_free (dest);
  gst_alloc_constraints_free (b);
  gst_alloc_constraints_free (a);
}

GST_END_TEST;

/* --- layout, solver, buffer check --- */

static void
info_for (GstVideoInfo * info, GstVideoFormat format)
{
  fail_unless (gst_video_info_set_format (info, format, 320, 240));
}

GST_START_TEST (test_layout_is_linear_when_the_set_lists_linear)
{
  GstAllocConstraints *c = parse_set ("drm-formats=NV12:0x0800000000000001|"
      "NV12:linear,stride-align=256", "display");
  GstAllocLayout l;
  GstVideoInfo info;

  info_for (&info, GST_VIDEO_FORMAT_NV12);
  fail_unless (gst_alloc_layout_compute (&l, &info, c, NULL));
  fail_unless_equals_int (l.stride[0], 512);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

static gchar *
layout_error (const gchar * set, GstVideoFormat format)
{
  GstAllocConstraints *c = parse_set (set, "display");
  GstAllocLayout l;
  GstVideoInfo info;
  GError *err = NULL;
  gchar *message;

  info_for (&info, format);
  fail_if (gst_alloc_layout_compute (&l, &info, c, &err), "%s laid out", set);
  fail_unless (g_error_matches (err, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT));
  message = g_strdup (err->message);
  g_error_free (err);
  gst_alloc_constraints_free (c);
  return message;
}

GST_START_TEST (test_layout_refuses_a_set_without_the_linear_format)
{
  gchar *msg;

  msg = layout_error ("drm-formats=NV12:0x0800000000000001|"
      "NV12:0x0100000000000002", GST_VIDEO_FORMAT_NV12);
  fail_unless_equals_string (msg, "NV12 320x240: drm-formats "
      "NV12:0x0100000000000002|NV12:0x0800000000000001 (asked by display) "
      "accepts NV12 only with the modifiers 0x0100000000000002, "
      "0x0800000000000001, tiled or compressed layouts of the hardware's "
      "own; a pool lays out linear buffers only");
  g_free (msg);

  msg = layout_error ("drm-formats=YUYV:linear", GST_VIDEO_FORMAT_NV12);
  fail_unless_equals_string (msg, "NV12 320x240: drm-formats YUYV:linear "
      "(asked by display) does not list NV12 (NV12) at all");
  g_free (msg);

  msg = layout_error ("drm-formats=NV12:linear", GST_VIDEO_FORMAT_v308);
  fail_unless (strstr (msg, "v308 has no DRM fourcc"), "%s", msg);
  g_free (msg);
}

GST_END_TEST;

static GstAllocSolver *
solver_with_memfd_and_drm_dumb (void)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  GstAllocCapabilities caps = { GST_ALLOC_MEMORY_MEMFD, FALSE,
    GST_ALLOC_CACHE_CACHED, NULL, FALSE,
  };
  GstAllocator *memfd = fake_backend_new ("memfd", &caps);
  /* Never opened: the mismatch is found from its capabilities. */
  GstAllocator *dumb = gst_alloc_drm_dumb_allocator_new ("/dev/dri/card9");

  gst_alloc_solver_add_backend (solver, memfd);
  gst_alloc_solver_add_backend (solver, dumb);
  gst_object_unref (dumb);
  gst_object_unref (memfd);
  return solver;
}

GST_START_TEST (test_solver_says_why_no_backend_tiles)
{
  GstAllocSolver *solver = solver_with_memfd_and_drm_dumb ();
  GstAllocConstraints *c = parse_set ("drm-formats=NV12:0x0800000000000001,"
      "heaps=drm:card9", "glimagesink0");
  GstAllocConstraints *linear = parse_set ("drm-formats=NV12:linear", "kms");
  GstAllocSolution *solution;
  GError *err = NULL;

  fail_if (gst_alloc_solver_solve (solver, c, &err));
  fail_unless (g_error_matches (err, GST_ALLOC_ERROR,
          GST_ALLOC_ERROR_UNSATISFIABLE));
  GST_INFO ("%s", err->message);
  fail_unless (strstr (err->message, "drm:card9: gives linear buffers only: "
          "DRM dumb buffers have no modifier (DRM_IOCTL_MODE_CREATE_DUMB "
          "takes none, and libdrm has no call that tiles one), but "
          "drm-formats NV12:0x0800000000000001 (asked by glimagesink0) "
          "accepts no linear modifier"), "%s", err->message);
  g_clear_error (&err);

  /* A linear modifier among them: the memfd backend serves it. */
  solution = gst_alloc_solver_solve (solver, linear, &err);
  fail_unless (solution != NULL, "%s", err ? err->message : "");
  fail_unless (g_str_has_prefix (solution->explanation, "chosen memfd"));
  gst_alloc_solution_free (solution);
  gst_alloc_constraints_free (linear);
  gst_alloc_constraints_free (c);
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_buffer_check_flags_a_format_the_set_lacks)
{
  GstAllocConstraints *c = parse_set ("drm-formats=YUYV:linear", "v4l2sink0");
  GstBuffer *buffer;
  GstVideoInfo info;
  GError *err = NULL;

  info_for (&info, GST_VIDEO_FORMAT_NV12);
  buffer = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&info), NULL);
  fail_if (gst_alloc_constraints_check_buffer (c, &info, buffer, &err));
  fail_unless (strstr (err->message, "drm-formats (asked by v4l2sink0): the "
          "buffer is NV12:linear (NV12), not among them"), "%s", err->message);
  g_clear_error (&err);
  gst_alloc_constraints_free (c);

  c = parse_set ("drm-formats=NV12:linear", "kmssink0");
  fail_unless (gst_alloc_constraints_check_buffer (c, &info, buffer, NULL));
  gst_alloc_constraints_free (c);
  gst_buffer_unref (buffer);
}

GST_END_TEST;

/* --- queries: frames under plain raw video caps are no DRM import --- */

GST_START_TEST (test_plain_raw_video_queries_set_drm_formats_aside)
{
  GstAllocConstraints *sink = parse_set ("drm-formats=YUYV:linear,"
      "stride-align=64", "sink"), *read;
  GstVideoInfo info;
  GstCaps *caps;
  GstQuery *query;
  GstBufferPool *pool;
  GError *err = NULL;
  gchar *str;

  info_for (&info, GST_VIDEO_FORMAT_NV12);
  caps = gst_video_info_to_caps (&info);
  query = gst_query_new_allocation (caps, TRUE);
  fail_unless (gst_alloc_constraints_add_to_query (query, sink, NULL));
  read = gst_alloc_constraints_from_allocation_query (query, "reader", NULL);
  str = gst_alloc_constraints_to_string (read);
  fail_unless_equals_string (str, "stride-align=64");
  g_free (str);
  /* NV12 is not among the pairs, yet the answer lays it out. */
  pool = gst_alloc_query_answer (query, sink, NULL, "pool", &err);
  fail_unless (pool != NULL, "%s", err ? err->message : "");
  gst_object_unref (pool);
  gst_alloc_constraints_free (read);
  gst_query_unref (query);
  gst_caps_unref (caps);
  gst_alloc_constraints_free (sink);
}

GST_END_TEST;

static Suite *
drmformats_suite (void)
{
  Suite *s = suite_create ("alloc-drmformats");
  TCase *pair = tcase_create ("pair");
  TCase *set = tcase_create ("set");
  TCase *merge = tcase_create ("merge");
  TCase *use = tcase_create ("use");

  suite_add_tcase (s, pair);
  tcase_add_test (pair, test_pair_is_written_linear_or_in_16_hex_digits);
  tcase_add_test (pair, test_pair_is_read_back);
  tcase_add_test (pair, test_malformed_pairs_are_refused);
  tcase_add_test (pair, test_video_formats_map_to_drm_fourccs_both_ways);
  suite_add_tcase (s, set);
  tcase_add_test (set, test_set_is_sorted_and_round_trips);
  tcase_add_test (set, test_add_keeps_the_set_sorted_and_refuses_invalid);
  tcase_add_test (set, test_malformed_sets_are_parse_errors_naming_the_item);
  tcase_add_test (set, test_malformed_structures_are_parse_errors);
  suite_add_tcase (s, merge);
  tcase_add_test (merge, test_merge_keeps_the_pairs_both_accept);
  tcase_add_test (merge, test_conflict_names_both_sides_and_what_each_accepts);
  suite_add_tcase (s, use);
  tcase_add_test (use, test_layout_is_linear_when_the_set_lists_linear);
  tcase_add_test (use, test_layout_refuses_a_set_without_the_linear_format);
  tcase_add_test (use, test_solver_says_why_no_backend_tiles);
  tcase_add_test (use, test_buffer_check_flags_a_format_the_set_lacks);
  tcase_add_test (use, test_plain_raw_video_queries_set_drm_formats_aside);
  return s;
}

GST_CHECK_MAIN (drmformats);
