/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The field table: every field, alone in a set, behaves the same in every
 * operation (parse, print, structure, equality, merge, origins, copy); the
 * enum GTypes speak the words of the string form; docs/constraints.md
 * shows the library's own table. */

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

#include <string.h>

/* A value other than the default, as the string form writes it. */
static gchar *
sample_value (GstAllocField field)
{
  const gchar *syntax = gst_alloc_field_get_syntax (field);
  GstAllocConstraints *empty = gst_alloc_constraints_new ();
  gchar *def = gst_alloc_constraints_describe_field (empty, field);
  gchar **words, *value = NULL;
  guint i;

  if (field == GST_ALLOC_FIELD_HEAPS)
    value = g_strdup ("system");
  else if (field == GST_ALLOC_FIELD_DRM_FORMATS)
    value = g_strdup ("NV12:linear");
  else if (syntax[0] == '<')
    value = g_strdup ("7");
  words = g_strsplit (syntax, "|", -1);
  for (i = 0; words[i] && !value; i++)
    if (!g_str_equal (words[i], def))
      value = g_strdup (words[i]);
  g_strfreev (words);
  g_free (def);
  gst_alloc_constraints_free (empty);
  fail_unless (value != NULL);
  return value;
}

static GstAllocConstraints *
set_with_only (GstAllocField field, const gchar * origin)
{
  gchar *value = sample_value (field);
  gchar *str = g_strdup_printf ("%s=%s", gst_alloc_field_get_name (field),
      value);
  GError *err = NULL;
  GstAllocConstraints *c = gst_alloc_constraints_from_string (str, origin,
      &err);

  fail_unless (c != NULL, "%s: %s", str, err ? err->message : "");
  g_free (str);
  g_free (value);
  return c;
}

GST_START_TEST (test_every_field_has_a_complete_row)
{
  GEnumClass *fields = g_type_class_ref (GST_TYPE_ALLOC_FIELD);
  GEnumClass *rules = g_type_class_ref (GST_TYPE_ALLOC_MERGE_RULE);
  GstAllocField f, back;
  const gchar *name;

  fail_unless_equals_int (fields->n_values, GST_ALLOC_N_FIELDS);
  for (f = 0; f < GST_ALLOC_N_FIELDS; f++) {
    name = gst_alloc_field_get_name (f);
    fail_unless (name != NULL && *name, "field %d has no name", f);
    fail_unless (gst_alloc_field_from_name (name, &back));
    fail_unless_equals_int (back, f);
    /* The GType speaks the words of the string form. */
    fail_unless_equals_string (g_enum_get_value (fields, f)->value_nick, name);
    fail_unless (*gst_alloc_field_get_syntax (f));
    fail_unless (g_str_has_suffix (gst_alloc_field_get_description (f), "."),
        "%s", name);
    fail_unless (g_enum_get_value (rules, gst_alloc_field_get_merge_rule (f)));
  }
  g_type_class_unref (rules);
  g_type_class_unref (fields);
}

GST_END_TEST;

static void
assert_alone (const GstAllocConstraints * c, GstAllocField field,
    const gchar * origin)
{
  GstAllocField f;

  fail_if (gst_alloc_constraints_is_empty (c));
  for (f = 0; f < GST_ALLOC_N_FIELDS; f++) {
    fail_unless_equals_int (gst_alloc_constraints_field_is_set (c, f),
        f == field);
    fail_unless_equals_string (gst_alloc_constraints_get_origin (c, f),
        f == field ? origin : NULL);
  }
}

static void
assert_forms_round_trip (const GstAllocConstraints * c, GstAllocField field)
{
  gchar *value = sample_value (field);
  gchar *expected = g_strdup_printf ("%s=%s",
      gst_alloc_field_get_name (field), value);
  gchar *str = gst_alloc_constraints_to_string (c);
  GstStructure *s = gst_alloc_constraints_to_structure (c);
  GstAllocConstraints *back;

  fail_unless_equals_string (str, expected);
  fail_unless_equals_int (gst_structure_n_fields (s), 2);       /* + origins */
  back = gst_alloc_constraints_from_structure (s, NULL);
  fail_unless (back && gst_alloc_constraints_is_equal (back, c), "%s", str);
  assert_alone (back, field, "only");
  gst_alloc_constraints_free (back);
  gst_structure_free (s);
  g_free (str);
  g_free (expected);
  g_free (value);
}

static void
assert_merges_as_itself (const GstAllocConstraints * c, GstAllocField field)
{
  GstAllocConstraints *empty = gst_alloc_constraints_new ();
  GstAllocConstraints *with_empty = gst_alloc_constraints_merge (c, empty,
      NULL);
  GstAllocConstraints *with_itself = gst_alloc_constraints_merge (c, c, NULL);

  fail_unless (with_empty && with_itself);
  fail_unless (gst_alloc_constraints_is_equal (with_empty, c));
  fail_unless (gst_alloc_constraints_is_equal (with_itself, c));
  fail_if (gst_alloc_constraints_is_equal (empty, c));
  assert_alone (with_empty, field, "only");
  assert_alone (with_itself, field, "only");
  gst_alloc_constraints_free (with_itself);
  gst_alloc_constraints_free (with_empty);
  gst_alloc_constraints_free (empty);
}

GST_START_TEST (test_each_field_alone_behaves_the_same_everywhere)
{
  GstAllocConstraints *c, *copy;
  GstAllocField f;

  for (f = 0; f < GST_ALLOC_N_FIELDS; f++) {
    c = set_with_only (f, "only");
    assert_alone (c, f, "only");
    assert_forms_round_trip (c, f);
    assert_merges_as_itself (c, f);
    copy = gst_alloc_constraints_copy (c);
    assert_alone (copy, f, "only");
    gst_alloc_constraints_clear (copy);
    fail_unless (gst_alloc_constraints_is_empty (copy));
    fail_unless_equals_string (gst_alloc_constraints_get_origin (copy, f),
        NULL);
    gst_alloc_constraints_free (copy);
    gst_alloc_constraints_free (c);
  }
}

GST_END_TEST;

GST_START_TEST (test_a_copy_owns_its_origins)
{
  GstAllocConstraints *c = set_with_only (GST_ALLOC_FIELD_CACHE, "display");
  GstAllocConstraints *copy = gst_alloc_constraints_copy (c);

  gst_alloc_constraints_set_field_origin (copy, GST_ALLOC_FIELD_CACHE,
      "encoder");
  fail_unless_equals_string (gst_alloc_constraints_get_origin (c,
          GST_ALLOC_FIELD_CACHE), "display");
  gst_alloc_constraints_free (c);
  fail_unless_equals_string (gst_alloc_constraints_get_origin (copy,
          GST_ALLOC_FIELD_CACHE), "encoder");
  gst_alloc_constraints_free (copy);
}

GST_END_TEST;

GST_START_TEST (test_stack_set_is_cleared_without_leaks)
{
  GstAllocConstraints c;

  gst_alloc_constraints_init (&c);
  c.heaps = g_strsplit ("system", "|", -1);
  gst_alloc_constraints_set_origin (&c, "app");
  fail_unless_equals_string (gst_alloc_constraints_get_origin (&c,
          GST_ALLOC_FIELD_HEAPS), "app");
  /* valgrind and ASan see anything clear() leaves behind. */
  gst_alloc_constraints_clear (&c);
  fail_unless (gst_alloc_constraints_is_empty (&c));
  fail_unless_equals_string (gst_alloc_constraints_get_origin (&c,
          GST_ALLOC_FIELD_HEAPS), NULL);
}

GST_END_TEST;

GST_START_TEST (test_origins_that_are_not_utf8_are_made_valid)
{
  GstAllocConstraints *c = set_with_only (GST_ALLOC_FIELD_STRIDE_ALIGN,
      "cam\xff");
  const gchar *origin = gst_alloc_constraints_get_origin (c,
      GST_ALLOC_FIELD_STRIDE_ALIGN);

  fail_unless (g_utf8_validate (origin, -1, NULL));
  fail_unless (g_str_has_prefix (origin, "cam"));
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

/* The words of the string form are the nicks of the public GTypes, so a
 * GObject property of these types takes the same words. */
static void
assert_nicks_are_the_syntax (GType type, GstAllocField field)
{
  gchar **words = g_strsplit (gst_alloc_field_get_syntax (field), "|", -1);
  GTypeClass *klass = g_type_class_ref (type);
  guint i;

  for (i = 0; words[i]; i++) {
    if (G_IS_ENUM_CLASS (klass))
      fail_unless (g_enum_get_value_by_nick (G_ENUM_CLASS (klass), words[i]),
          "%s", words[i]);
    else
      fail_unless (g_flags_get_value_by_nick (G_FLAGS_CLASS (klass),
              words[i]), "%s", words[i]);
  }
  g_type_class_unref (klass);
  g_strfreev (words);
}

GST_START_TEST (test_enum_types_use_the_words_of_the_string_form)
{
  GEnumClass *errors = g_type_class_ref (GST_TYPE_ALLOC_ERROR);

  assert_nicks_are_the_syntax (GST_TYPE_ALLOC_MEMORY_FLAGS,
      GST_ALLOC_FIELD_MEMORY);
  assert_nicks_are_the_syntax (GST_TYPE_ALLOC_CPU_ACCESS,
      GST_ALLOC_FIELD_CPU_ACCESS);
  assert_nicks_are_the_syntax (GST_TYPE_ALLOC_CACHE, GST_ALLOC_FIELD_CACHE);
  assert_nicks_are_the_syntax (GST_TYPE_ALLOC_PLANES, GST_ALLOC_FIELD_PLANES);
  fail_unless (G_TYPE_IS_FLAGS (GST_TYPE_ALLOC_MEMORY_FLAGS));
  fail_unless (G_TYPE_IS_ENUM (GST_TYPE_ALLOC_ERROR));
  fail_unless_equals_string (g_enum_get_value (errors,
          GST_ALLOC_ERROR_LAYOUT)->value_nick, "layout");
  g_type_class_unref (errors);
}

GST_END_TEST;

/* @text as a markdown table cell: '|' escaped. */
static gchar *
md_cell (const gchar * text)
{
  gchar **parts = g_strsplit (text, "|", -1);
  gchar *cell = g_strjoinv ("\\|", parts);

  g_strfreev (parts);
  return cell;
}

/* The row docs/constraints.md must show for @field. */
static gchar *
expected_docs_row (GstAllocField field)
{
  GstAllocConstraints *empty = gst_alloc_constraints_new ();
  GEnumClass *rules = g_type_class_ref (GST_TYPE_ALLOC_MERGE_RULE);
  gchar *def = gst_alloc_constraints_describe_field (empty, field);
  gchar *syntax = md_cell (gst_alloc_field_get_syntax (field));
  gchar *def_cell = md_cell (def);
  gchar *row = g_strdup_printf ("| `%s` | `%s` | `%s` | %s | %s |",
      gst_alloc_field_get_name (field), syntax, def_cell,
      g_enum_get_value (rules,
          gst_alloc_field_get_merge_rule (field))->value_nick,
      gst_alloc_field_get_description (field));

  g_free (def_cell);
  g_free (syntax);
  g_free (def);
  g_type_class_unref (rules);
  gst_alloc_constraints_free (empty);
  return row;
}

GST_START_TEST (test_docs_show_the_field_table)
{
  gchar *path = g_build_filename (GST_ALLOC_SOURCE_DIR, "docs",
      "constraints.md", NULL);
  gchar *docs = NULL, *row;
  GstAllocField f;

  fail_unless (g_file_get_contents (path, &docs, NULL, NULL), "%s", path);
  for (f = 0; f < GST_ALLOC_N_FIELDS; f++) {
    row = expected_docs_row (f);
    fail_unless (strstr (docs, row) != NULL, "%s lacks the row\n%s", path, row);
    g_free (row);
  }
  g_free (docs);
  g_free (path);
}

GST_END_TEST;

static Suite *
fields_suite (void)
{
  Suite *s = suite_create ("alloc-fields");
  TCase *tc = tcase_create ("table");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_every_field_has_a_complete_row);
  tcase_add_test (tc, test_each_field_alone_behaves_the_same_everywhere);
  tcase_add_test (tc, test_a_copy_owns_its_origins);
  tcase_add_test (tc, test_stack_set_is_cleared_without_leaks);
  tcase_add_test (tc, test_origins_that_are_not_utf8_are_made_valid);
  tcase_add_test (tc, test_enum_types_use_the_words_of_the_string_form);
  tcase_add_test (tc, test_docs_show_the_field_table);
  return s;
}

GST_CHECK_MAIN (fields);
