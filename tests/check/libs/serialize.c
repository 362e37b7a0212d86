/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The string and GstStructure forms: round trips, the canonical string,
 * origins, and one table of malformed strings. */

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

/* Every field set to something other than its default. */
static GstAllocConstraints *
full_set (void)
{
  GstAllocConstraints *c = gst_alloc_constraints_new ();
  const gchar *heaps[] = { "linux,cma", "system", NULL };

  c->stride_align = 256;
  c->offset_align = 4096;
  c->size_align = 48;
  c->width_align = 16;
  c->height_align = 32;
  c->padding_top = 1;
  c->padding_bottom = 2;
  c->padding_left = 3;
  c->padding_right = 4;
  c->prefix_bytes = 64;
  c->padding_bytes = 128;
  c->min_buffers = 3;
  c->max_buffers = 8;
  c->max_size = G_MAXUINT64;
  c->memory = GST_ALLOC_MEMORY_DMABUF | GST_ALLOC_MEMORY_MEMFD;
  c->contiguous = TRUE;
  c->cpu_access = GST_ALLOC_CPU_ACCESS_READWRITE;
  c->cache = GST_ALLOC_CACHE_UNCACHED;
  c->heaps = g_strdupv ((gchar **) heaps);
  c->planes = GST_ALLOC_PLANES_SEPARATE;
  c->default_layout = TRUE;
  /* Added in reverse order: the set keeps them sorted. */
  gst_alloc_constraints_add_drm_format (c, GST_MAKE_FOURCC ('N', 'V', '1',
          '2'), G_GUINT64_CONSTANT (0x0100000000000002));
  gst_alloc_constraints_add_drm_format (c, GST_MAKE_FOURCC ('N', 'V', '1',
          '2'), GST_ALLOC_DRM_MODIFIER_LINEAR);
  return c;
}

static const gchar *full_string =
    "stride-align=256,offset-align=4096,size-align=48,width-align=16,"
    "height-align=32,padding-top=1,padding-bottom=2,padding-left=3,"
    "padding-right=4,prefix-bytes=64,padding-bytes=128,min-buffers=3,"
    "max-buffers=8,max-size=18446744073709551615,memory=dmabuf|memfd,"
    "contiguous=true,cpu-access=readwrite,cache=uncached,"
    "heaps=\"linux,cma|system\",planes=separate,default-layout=true,"
    "drm-formats=NV12:linear|NV12:0x0100000000000002";

static GstAllocConstraints *
parse_ok (const gchar * str)
{
  GError *error = NULL;
  GstAllocConstraints *c = gst_alloc_constraints_from_string (str, "test",
      &error);

  fail_unless (c != NULL, "'%s' failed: %s", str,
      error ? error->message : "no error");
  return c;
}

static void
assert_string_round_trip (const GstAllocConstraints * c)
{
  gchar *str = gst_alloc_constraints_to_string (c);
  GstAllocConstraints *back = parse_ok (str);

  fail_unless (gst_alloc_constraints_is_equal (back, c), "'%s' changed", str);
  gst_alloc_constraints_free (back);
  g_free (str);
}

GST_START_TEST (test_every_field_is_written_in_field_order)
{
  GstAllocConstraints *c = full_set ();
  gchar *str = gst_alloc_constraints_to_string (c);

  fail_unless_equals_string (str, full_string);
  g_free (str);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_string_round_trip_keeps_every_field)
{
  GstAllocConstraints *c = full_set ();

  assert_string_round_trip (c);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

static const gchar *good_strings[] = {
  "stride-align=64",
  "stride-align=48, offset-align=4096",
  "memory=system|dmabuf",
  "memory=memfd, contiguous=true",
  "cpu-access=read, cache=cached, planes=single",
  "heaps=system",
  "heaps=\"linux,cma\"",
  "heaps=\"linux,cma|reserved\", memory=dmabuf",
  "heaps=\"quote\\\"d|back\\\\slash\"",
  "max-size=1, min-buffers=4294967295",
  "height-align=4294967295",
  "default-layout=true, stride-align=4",
  "default-layout=false",
};

GST_START_TEST (test_string_round_trip_keeps_each_table_entry)
{
  GstAllocConstraints *c;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (good_strings); i++) {
    c = parse_ok (good_strings[i]);
    assert_string_round_trip (c);
    gst_alloc_constraints_free (c);
  }
}

GST_END_TEST;

GST_START_TEST (test_heap_name_with_comma_is_quoted)
{
  GstAllocConstraints *c = parse_ok ("heaps=\"linux,cma\"");
  gchar *str;

  fail_unless_equals_int (g_strv_length (c->heaps), 1);
  fail_unless_equals_string (c->heaps[0], "linux,cma");
  str = gst_alloc_constraints_to_string (c);
  fail_unless_equals_string (str, "heaps=\"linux,cma\"");
  g_free (str);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_plain_heap_names_are_not_quoted)
{
  GstAllocConstraints *c = parse_ok ("heaps=system|reserved");
  gchar *str = gst_alloc_constraints_to_string (c);

  fail_unless_equals_string (str, "heaps=system|reserved");
  g_free (str);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_spaces_around_separators_are_ignored)
{
  GstAllocConstraints *spaced = parse_ok ("  stride-align = 64 ,memory= "
      "dmabuf|memfd ,  heaps = \"linux,cma\"  ");
  GstAllocConstraints *tight = parse_ok ("stride-align=64,memory=dmabuf|memfd,"
      "heaps=\"linux,cma\"");

  fail_unless (gst_alloc_constraints_is_equal (spaced, tight));
  gst_alloc_constraints_free (spaced);
  gst_alloc_constraints_free (tight);
}

GST_END_TEST;

GST_START_TEST (test_empty_set_serialises_to_empty_string)
{
  GstAllocConstraints *c = gst_alloc_constraints_new ();
  gchar *str = gst_alloc_constraints_to_string (c);

  fail_unless_equals_string (str, "");
  g_free (str);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_empty_and_blank_strings_are_the_empty_set)
{
  GstAllocConstraints *empty = parse_ok ("");
  GstAllocConstraints *blank = parse_ok ("   ");

  fail_unless_equals_int (gst_alloc_constraints_is_empty (empty), TRUE);
  fail_unless_equals_int (gst_alloc_constraints_is_empty (blank), TRUE);
  gst_alloc_constraints_free (empty);
  gst_alloc_constraints_free (blank);
}

GST_END_TEST;

GST_START_TEST (test_from_string_sets_origin_of_set_fields)
{
  GstAllocConstraints *c =
      gst_alloc_constraints_from_string ("stride-align=64, memory=dmabuf",
      "kmssink0", NULL);

  fail_unless_equals_string (gst_alloc_constraints_get_origin (c,
          GST_ALLOC_FIELD_STRIDE_ALIGN), "kmssink0");
  fail_unless_equals_string (gst_alloc_constraints_get_origin (c,
          GST_ALLOC_FIELD_MEMORY), "kmssink0");
  fail_unless_equals_string (gst_alloc_constraints_get_origin (c,
          GST_ALLOC_FIELD_HEAPS), NULL);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_accepted_fields_name_every_field)
{
  const gchar *accepted = gst_alloc_constraints_accepted_fields ();
  gchar *item;
  guint f;

  for (f = 0; f < GST_ALLOC_N_FIELDS; f++) {
    item = g_strdup_printf ("%s=", gst_alloc_field_get_name (f));
    fail_unless (strstr (accepted, item) != NULL, "%s missing", item);
    g_free (item);
  }
  fail_unless (strstr (accepted, "memory=dmabuf|memfd|system") != NULL);
}

GST_END_TEST;

/* Each bad string with the item its error message must name. */
static const struct
{
  const gchar *str;
  const gchar *item;
} bad_strings[] = {
  {"stride-alig=64", "stride-alig=64"},
  {"stride-align=64, stride-align=128", "stride-align=128"},
  {"stride-align", "stride-align"},
  {"stride-align=64, memory", "memory"},
  {"stride-align=", "stride-align="},
  {"stride-align=0", "stride-align=0"},
  {"stride-align=-1", "stride-align=-1"},
  {"stride-align=+4", "stride-align=+4"},
  {"stride-align=0x10", "stride-align=0x10"},
  {"stride-align=16k", "stride-align=16k"},
  {"stride-align=99999999999", "stride-align=99999999999"},
  {"max-size=18446744073709551616", "max-size=18446744073709551616"},
  {"memory=", "memory="},
  {"memory=dmabuf|", "memory=dmabuf|"},
  {"memory=gpu", "memory=gpu"},
  {"contiguous=yes", "contiguous=yes"},
  {"cache=maybe", "cache=maybe"},
  {"heaps=", "heaps="},
  {"heaps=\"\"", "heaps=\"\""},
  {"heaps=\"a", "heaps=\"a"},
  {"heaps=\"a\"b", "heaps=\"a\"b"},
  {"heaps=\"a\\n\"", "heaps=\"a\\n\""},
  {"heaps=a\"b\"", "heaps=a\"b\""},
  {"heaps=a/b", "heaps=a/b"},
  {"heaps=a|a", "heaps=a|a"},
  {"heaps=a||b", "heaps=a||b"},
  {"stride-align=64,", "''"},
  {",,", "''"},
  {"planes=both", "planes=both"},
  {"default-layout=yes", "default-layout=yes"},
  {"default-layout=1", "default-layout=1"},
  {"=64", "=64"},
};

GST_START_TEST (test_self_contradicting_strings_are_conflicts)
{
  const gchar *contradictions[] = {
    "min-buffers=6,max-buffers=4",
    "memory=system|memfd,heaps=system",
  };
  GstAllocConstraints *c;
  GError *error = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (contradictions); i++) {
    c = gst_alloc_constraints_from_string (contradictions[i], "appsink0",
        &error);
    fail_unless (c == NULL, "'%s' was accepted", contradictions[i]);
    fail_unless (g_error_matches (error, GST_ALLOC_ERROR,
            GST_ALLOC_ERROR_CONFLICT), "'%s'", contradictions[i]);
    fail_unless (strstr (error->message, "appsink0") != NULL, "%s",
        error->message);
    g_clear_error (&error);
  }
}

GST_END_TEST;

GST_START_TEST (test_bad_strings_are_parse_errors)
{
  const gchar *accepted = gst_alloc_constraints_accepted_fields ();
  GstAllocConstraints *c;
  GError *error = NULL;
  gchar *quoted_item;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad_strings); i++) {
    c = gst_alloc_constraints_from_string (bad_strings[i].str, NULL, &error);
    fail_unless (c == NULL, "'%s' was accepted", bad_strings[i].str);
    fail_unless (g_error_matches (error, GST_ALLOC_ERROR,
            GST_ALLOC_ERROR_PARSE), "'%s'", bad_strings[i].str);
    fail_unless (g_str_has_suffix (error->message, accepted),
        "'%s': %s", bad_strings[i].str, error->message);
    quoted_item = g_str_has_prefix (bad_strings[i].item, "'") ?
        g_strdup (bad_strings[i].item) :
        g_strdup_printf ("'%s'", bad_strings[i].item);
    fail_unless (strstr (error->message, quoted_item) != NULL,
        "'%s' not named in: %s", quoted_item, error->message);
    g_free (quoted_item);
    g_clear_error (&error);
  }
}

GST_END_TEST;

static void
set_origins (GstAllocConstraints * c)
{
  guint f;

  for (f = 0; f < GST_ALLOC_N_FIELDS; f++) {
    if (gst_alloc_constraints_field_is_set (c, f))
      gst_alloc_constraints_set_field_origin (c, f,
          f % 2 ? "kmssink0" : "v4l2h264enc0, /dev/video11");
  }
}

static void
assert_same_origins (const GstAllocConstraints * a,
    const GstAllocConstraints * b)
{
  guint f;

  for (f = 0; f < GST_ALLOC_N_FIELDS; f++)
    fail_unless_equals_string (gst_alloc_constraints_get_origin (a, f),
        gst_alloc_constraints_get_origin (b, f));
}

static GstAllocConstraints *
from_structure_ok (const GstStructure * s)
{
  GError *error = NULL;
  GstAllocConstraints *c = gst_alloc_constraints_from_structure (s, &error);

  fail_unless (c != NULL, "failed: %s", error ? error->message : "no error");
  return c;
}

/* @c as a GstStructure, printed and parsed again: returns what comes back,
 * which must equal @c. */
static GstAllocConstraints *
through_structure_string (const GstAllocConstraints * c)
{
  GstStructure *s = gst_alloc_constraints_to_structure (c), *reparsed;
  gchar *str = gst_structure_to_string (s);
  GstAllocConstraints *back;

  reparsed = gst_structure_from_string (str, NULL);
  fail_unless (reparsed != NULL, "could not reparse %s", str);
  back = from_structure_ok (reparsed);
  fail_unless (gst_alloc_constraints_is_equal (back, c), "%s", str);
  gst_structure_free (reparsed);
  gst_structure_free (s);
  g_free (str);
  return back;
}

GST_START_TEST (test_structure_round_trip_keeps_values_and_origins)
{
  GstAllocConstraints *c = full_set (), *back;
  GstStructure *s;

  set_origins (c);
  s = gst_alloc_constraints_to_structure (c);
  back = from_structure_ok (s);
  fail_unless (gst_alloc_constraints_is_equal (back, c));
  assert_same_origins (back, c);
  gst_structure_free (s);
  gst_alloc_constraints_free (back);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_structure_survives_string_serialisation)
{
  GstAllocConstraints *c = full_set (), *back;

  set_origins (c);
  back = through_structure_string (c);
  assert_same_origins (back, c);
  gst_alloc_constraints_free (back);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_structure_values_are_typed)
{
  GstAllocConstraints *c = full_set ();
  GstStructure *s = gst_alloc_constraints_to_structure (c);
  const GValue *heaps, *drm;

  fail_unless_equals_string (gst_structure_get_name (s),
      GST_ALLOC_CONSTRAINTS_STRUCTURE_NAME);
  fail_unless_equals_int (gst_structure_get_field_type (s, "stride-align"),
      G_TYPE_UINT);
  fail_unless_equals_int (gst_structure_get_field_type (s, "max-size"),
      G_TYPE_UINT64);
  fail_unless_equals_int (gst_structure_get_field_type (s, "contiguous"),
      G_TYPE_BOOLEAN);
  fail_unless_equals_int (gst_structure_get_field_type (s, "default-layout"),
      G_TYPE_BOOLEAN);
  fail_unless_equals_string (gst_structure_get_string (s, "memory"),
      "dmabuf|memfd");
  heaps = gst_structure_get_value (s, "heaps");
  fail_unless_equals_int (G_VALUE_TYPE (heaps), GST_TYPE_ARRAY);
  fail_unless_equals_string (g_value_get_string (gst_value_array_get_value
          (heaps, 0)), "linux,cma");
  drm = gst_structure_get_value (s, "drm-formats");
  fail_unless_equals_int (G_VALUE_TYPE (drm), GST_TYPE_ARRAY);
  fail_unless_equals_string (g_value_get_string (gst_value_array_get_value
          (drm, 1)), "NV12:0x0100000000000002");
  gst_structure_free (s);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_empty_set_structure_has_no_fields)
{
  GstAllocConstraints *c = gst_alloc_constraints_new ();
  GstStructure *s = gst_alloc_constraints_to_structure (c);

  fail_unless_equals_int (gst_structure_n_fields (s), 0);
  gst_structure_free (s);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

/* Each malformed structure with the field its error message must name. */
static const struct
{
  const gchar *str;
  const gchar *field;
} bad_structures[] = {
  {"video-meta, stride-align=(uint)64", "video-meta"},
  {"gst-alloc-constraints, stride-alig=(uint)64", "stride-alig"},
  {"gst-alloc-constraints, stride-align=(int)64", "stride-align"},
  {"gst-alloc-constraints, stride-align=(uint)0", "stride-align"},
  {"gst-alloc-constraints, max-size=(uint)1", "max-size"},
  {"gst-alloc-constraints, memory=(string)gpu", "memory"},
  {"gst-alloc-constraints, contiguous=(string)true", "contiguous"},
  {"gst-alloc-constraints, default-layout=(uint)1", "default-layout"},
  {"gst-alloc-constraints, heaps=(string)system", "heaps"},
  {"gst-alloc-constraints, heaps=(string)<\"a/b\">", "heaps"},
  {"gst-alloc-constraints, heaps=(int)<1>", "heaps"},
  {"gst-alloc-constraints, origins=(string)x", "origins"},
  {"gst-alloc-constraints, origins=[origins, stride-alig=x]", "stride-alig"},
};

GST_START_TEST (test_bad_structures_are_parse_errors)
{
  const gchar *accepted = gst_alloc_constraints_accepted_fields ();
  GstAllocConstraints *c;
  GstStructure *s;
  GError *error = NULL;
  gchar *quoted;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad_structures); i++) {
    s = gst_structure_from_string (bad_structures[i].str, NULL);
    fail_unless (s != NULL, "'%s' does not parse", bad_structures[i].str);
    c = gst_alloc_constraints_from_structure (s, &error);
    fail_unless (c == NULL, "'%s' was accepted", bad_structures[i].str);
    fail_unless (g_error_matches (error, GST_ALLOC_ERROR,
            GST_ALLOC_ERROR_PARSE));
    fail_unless (g_str_has_suffix (error->message, accepted), "%s",
        error->message);
    quoted = g_strdup_printf ("'%s'", bad_structures[i].field);
    fail_unless (strstr (error->message, quoted) != NULL, "%s", error->message);
    g_free (quoted);
    g_clear_error (&error);
    gst_structure_free (s);
  }
}

GST_END_TEST;

/* Heap names are UTF-8: others could not be read back from the
 * GstStructure text form. */
GST_START_TEST (test_heap_names_that_are_not_utf8_are_refused)
{
  GstAllocConstraints *c;
  GstStructure *s;
  GValue array = G_VALUE_INIT, heap = G_VALUE_INIT;
  GError *error = NULL;

  c = gst_alloc_constraints_from_string ("heaps=\"cam\xff\xfe,0\"", "t",
      &error);
  fail_unless (c == NULL);
  fail_unless (g_error_matches (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE));
  fail_unless (g_utf8_validate (error->message, -1, NULL));
  fail_unless (strstr (error->message, "UTF-8") != NULL, "%s", error->message);
  fail_unless (strstr (error->message, "'heaps=") != NULL, "%s",
      error->message);
  g_clear_error (&error);

  g_value_init (&array, GST_TYPE_ARRAY);
  g_value_init (&heap, G_TYPE_STRING);
  g_value_set_string (&heap, "cam\xff");
  gst_value_array_append_and_take_value (&array, &heap);
  s = gst_structure_new_empty (GST_ALLOC_CONSTRAINTS_STRUCTURE_NAME);
  gst_structure_take_value (s, "heaps", &array);
  c = gst_alloc_constraints_from_structure (s, &error);
  fail_unless (c == NULL);
  fail_unless (g_error_matches (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE));
  fail_unless (strstr (error->message, "'heaps'") != NULL, "%s",
      error->message);
  fail_unless (strstr (error->message, "UTF-8") != NULL, "%s", error->message);
  g_clear_error (&error);
  gst_structure_free (s);
}

GST_END_TEST;

GST_START_TEST (test_utf8_heap_names_round_trip_in_both_forms)
{
  GstAllocConstraints *c = parse_ok ("heaps=\"caméra,0|système\"");
  GstAllocConstraints *back;

  assert_string_round_trip (c);
  back = through_structure_string (c);
  fail_unless_equals_string (back->heaps[0], "caméra,0");
  gst_alloc_constraints_free (back);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

static Suite *
serialize_suite (void)
{
  Suite *s = suite_create ("serialize");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_every_field_is_written_in_field_order);
  tcase_add_test (tc, test_string_round_trip_keeps_every_field);
  tcase_add_test (tc, test_string_round_trip_keeps_each_table_entry);
  tcase_add_test (tc, test_heap_name_with_comma_is_quoted);
  tcase_add_test (tc, test_plain_heap_names_are_not_quoted);
  tcase_add_test (tc, test_spaces_around_separators_are_ignored);
  tcase_add_test (tc, test_empty_set_serialises_to_empty_string);
  tcase_add_test (tc, test_empty_and_blank_strings_are_the_empty_set);
  tcase_add_test (tc, test_from_string_sets_origin_of_set_fields);
  tcase_add_test (tc, test_accepted_fields_name_every_field);
  tcase_add_test (tc, test_bad_strings_are_parse_errors);
  tcase_add_test (tc, test_self_contradicting_strings_are_conflicts);
  tcase_add_test (tc, test_structure_round_trip_keeps_values_and_origins);
  tcase_add_test (tc, test_structure_survives_string_serialisation);
  tcase_add_test (tc, test_structure_values_are_typed);
  tcase_add_test (tc, test_empty_set_structure_has_no_fields);
  tcase_add_test (tc, test_bad_structures_are_parse_errors);
  tcase_add_test (tc, test_heap_names_that_are_not_utf8_are_refused);
  tcase_add_test (tc, test_utf8_heap_names_round_trip_in_both_forms);
  return s;
}

int
main (int argc, char **argv)
{
  Suite *s;

  gst_check_init (&argc, &argv);
  gst_alloc_init ();
  s = serialize_suite ();
  return gst_check_run_suite (s, "serialize", __FILE__);
}
