/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for the string and GstStructure parsers and the merge.
 *
 * An input is up to three constraint strings, one per line; the whole
 * input is also read as GstStructure text. On everything that parses, the
 * properties below must hold; any violation aborts, which libFuzzer (and
 * the replay test) report as a crash:
 *
 * - a failure is a GST_ALLOC_ERROR (PARSE or CONFLICT; LAYOUT for the
 *   layout) with a non-empty, valid UTF-8 message;
 * - string round trip: parse, print, parse gives an equal set and the same
 *   string; the printed form is valid UTF-8;
 * - structure round trip: to_structure, from_structure gives an equal set
 *   with the same origins, also through gst_structure_to_string() and
 *   gst_structure_from_string();
 * - merge algebra: the empty set is the identity, the merge is idempotent,
 *   commutative (values, and origins as sets of names) and associative,
 *   a failed merge has a CONFLICT error, and merge_into() leaves its
 *   destination unchanged on failure;
 * - a merged set lays out without crashing, and a layout keeps the
 *   alignments it promises. */

#include <gst/alloc/alloc.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SETS 3

#define CHECK(cond, ...) G_STMT_START {                          \
    if (G_UNLIKELY (!(cond))) {                                   \
      fprintf (stderr, "property violated: %s\n  ", #cond);      \
      fprintf (stderr, __VA_ARGS__);                              \
      fprintf (stderr, "\n");                                     \
      abort ();                                                   \
    }                                                             \
  } G_STMT_END

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

/* Set around gst_structure_from_string() on fuzzed text: GStreamer 1.22
 * itself raises criticals on some malformed text (a structure name it
 * accepted and then refuses), which is not the library's doing. */
static gboolean in_gstreamer_parser = FALSE;

/* A critical or a warning is API misuse, in the library or by it: a crash
 * for the fuzzer. abort() rather than GLib's fatal breakpoint, whose
 * SIGTRAP libFuzzer does not catch. */
static void
abort_on_warning (const gchar * domain, GLogLevelFlags level,
    const gchar * message, gpointer user_data)
{
  g_log_default_handler (domain, level, message, user_data);
  if (in_gstreamer_parser && g_strcmp0 (domain, "GStreamer") == 0)
    return;
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* Nothing here needs plugins; scanning them under sanitizers would only
   * cost time. */
  g_setenv ("GST_REGISTRY_DISABLE", "yes", TRUE);
  g_log_set_default_handler (abort_on_warning, NULL);
  gst_init (NULL, NULL);
  return 0;
}

static void
check_error (const GError * error, gint code_a, gint code_b, const gchar * in)
{
  CHECK (error != NULL, "no error for '%s'", in);
  CHECK (error->domain == GST_ALLOC_ERROR, "domain %s for '%s'",
      g_quark_to_string (error->domain), in);
  CHECK (error->code == code_a || error->code == code_b, "code %d: %s",
      error->code, error->message);
  CHECK (error->message && *error->message, "empty message for '%s'", in);
  CHECK (g_utf8_validate (error->message, -1, NULL), "message not UTF-8");
}

static void
check_same_origins (const GstAllocConstraints * a,
    const GstAllocConstraints * b)
{
  guint f;

  for (f = 0; f < GST_ALLOC_N_FIELDS; f++)
    CHECK (g_strcmp0 (gst_alloc_constraints_get_origin (a, f),
            gst_alloc_constraints_get_origin (b, f)) == 0, "origin of %s: "
        "%s against %s", gst_alloc_field_get_name (f),
        gst_alloc_constraints_get_origin (a, f),
        gst_alloc_constraints_get_origin (b, f));
}

static void
check_string_round_trip (const GstAllocConstraints * c)
{
  gchar *str = gst_alloc_constraints_to_string (c), *again;
  GError *error = NULL;
  GstAllocConstraints *back;

  CHECK (g_utf8_validate (str, -1, NULL), "printed form not UTF-8");
  back = gst_alloc_constraints_from_string (str, NULL, &error);
  CHECK (back != NULL, "'%s' does not parse back: %s", str,
      error ? error->message : "");
  CHECK (gst_alloc_constraints_is_equal (back, c), "'%s' changed", str);
  again = gst_alloc_constraints_to_string (back);
  CHECK (g_str_equal (again, str), "'%s' printed again as '%s'", str, again);
  g_free (again);
  gst_alloc_constraints_free (back);
  g_free (str);
}

static void
check_structure_round_trip (const GstAllocConstraints * c)
{
  GstStructure *s = gst_alloc_constraints_to_structure (c), *reparsed;
  gchar *text = gst_structure_to_string (s), *end = NULL;
  GstAllocConstraints *back;
  GError *error = NULL;

  back = gst_alloc_constraints_from_structure (s, &error);
  CHECK (back != NULL, "%s does not read back: %s", text,
      error ? error->message : "");
  CHECK (gst_alloc_constraints_is_equal (back, c), "%s changed", text);
  check_same_origins (back, c);
  gst_alloc_constraints_free (back);

  reparsed = gst_structure_from_string (text, &end);
  CHECK (reparsed != NULL && *end == '\0', "GStreamer cannot read back %s",
      text);
  back = gst_alloc_constraints_from_structure (reparsed, &error);
  CHECK (back != NULL, "%s does not read back from text: %s", text,
      error ? error->message : "");
  CHECK (gst_alloc_constraints_is_equal (back, c), "%s changed as text", text);
  check_same_origins (back, c);
  gst_alloc_constraints_free (back);
  gst_structure_free (reparsed);
  g_free (text);
  gst_structure_free (s);
}

static void
check_round_trips (const GstAllocConstraints * c)
{
  CHECK (gst_alloc_constraints_validate (c, NULL), "a parsed set is invalid");
  check_string_round_trip (c);
  check_structure_round_trip (c);
}

/* Origins as sets of names: "a, b" and "b, a" are the same origin. */
static gboolean
same_names (const gchar * a, const gchar * b)
{
  gchar **na = g_strsplit (a ? a : "", ", ", -1);
  gchar **nb = g_strsplit (b ? b : "", ", ", -1);
  gboolean same = g_strv_length (na) == g_strv_length (nb);
  guint i;

  for (i = 0; same && na[i]; i++)
    same = g_strv_contains ((const gchar * const *) nb, na[i]);
  g_strfreev (na);
  g_strfreev (nb);
  return same;
}

static GstAllocConstraints *
merge_checked (const GstAllocConstraints * a, const GstAllocConstraints * b)
{
  GError *error = NULL;
  GstAllocConstraints *m = gst_alloc_constraints_merge (a, b, &error);

  if (!m) {
    check_error (error, GST_ALLOC_ERROR_CONFLICT, GST_ALLOC_ERROR_CONFLICT,
        "a merge");
    g_error_free (error);
  } else {
    CHECK (error == NULL, "a merge succeeded with an error");
    CHECK (gst_alloc_constraints_validate (m, NULL), "a merge is invalid");
  }
  return m;
}

static void
check_identity_and_idempotence (const GstAllocConstraints * a)
{
  GstAllocConstraints *empty = gst_alloc_constraints_new ();
  GstAllocConstraints *left = merge_checked (empty, a);
  GstAllocConstraints *right = merge_checked (a, empty);
  GstAllocConstraints *twice = merge_checked (a, a);

  CHECK (left && right && twice, "merging with itself or nothing failed");
  CHECK (gst_alloc_constraints_is_equal (left, a), "empty + a != a");
  CHECK (gst_alloc_constraints_is_equal (right, a), "a + empty != a");
  CHECK (gst_alloc_constraints_is_equal (twice, a), "a + a != a");
  check_same_origins (left, a);
  check_same_origins (right, a);
  check_same_origins (twice, a);
  gst_alloc_constraints_free (twice);
  gst_alloc_constraints_free (right);
  gst_alloc_constraints_free (left);
  gst_alloc_constraints_free (empty);
}

static void
check_commutative (const GstAllocConstraints * a, const GstAllocConstraints * b)
{
  GstAllocConstraints *ab = merge_checked (a, b);
  GstAllocConstraints *ba = merge_checked (b, a);
  GstAllocConstraints *dest = gst_alloc_constraints_copy (a);
  guint f;

  CHECK ((ab == NULL) == (ba == NULL), "a + b and b + a disagree on "
      "success");
  if (ab) {
    CHECK (gst_alloc_constraints_is_equal (ab, ba), "a + b != b + a");
    for (f = 0; f < GST_ALLOC_N_FIELDS; f++)
      CHECK (same_names (gst_alloc_constraints_get_origin (ab, f),
              gst_alloc_constraints_get_origin (ba, f)), "origins of %s",
          gst_alloc_field_get_name (f));
  } else {
    /* A failed merge_into() leaves its destination as it was. */
    CHECK (!gst_alloc_constraints_merge_into (dest, b, NULL), "merge_into "
        "succeeded where merge failed");
    CHECK (gst_alloc_constraints_is_equal (dest, a), "merge_into changed "
        "its destination");
    check_same_origins (dest, a);
  }
  gst_alloc_constraints_free (dest);
  gst_alloc_constraints_free (ab);
  gst_alloc_constraints_free (ba);
}

static GstAllocConstraints *
merge3 (const GstAllocConstraints * a, const GstAllocConstraints * b,
    const GstAllocConstraints * c, gboolean left_first)
{
  GstAllocConstraints *inner, *outer;

  inner = left_first ? merge_checked (a, b) : merge_checked (b, c);
  if (!inner)
    return NULL;
  outer = left_first ? merge_checked (inner, c) : merge_checked (a, inner);
  gst_alloc_constraints_free (inner);
  return outer;
}

static void
check_associative (const GstAllocConstraints * a,
    const GstAllocConstraints * b, const GstAllocConstraints * c)
{
  GstAllocConstraints *l = merge3 (a, b, c, TRUE);
  GstAllocConstraints *r = merge3 (a, b, c, FALSE);

  CHECK ((l == NULL) == (r == NULL), "(a + b) + c and a + (b + c) disagree "
      "on success");
  CHECK (!l || gst_alloc_constraints_is_equal (l, r), "(a + b) + c != "
      "a + (b + c)");
  gst_alloc_constraints_free (l);
  gst_alloc_constraints_free (r);
}

/* Large stride alignments make the layout search long; the fuzzer wants
 * many inputs per second, and libs/layout covers those. */
#define LAYOUT_MAX_STRIDE_ALIGN 4096

static void
check_layout (const GstAllocConstraints * c, GstVideoFormat format,
    guint width, guint height)
{
  GstAllocLayout l;
  GstVideoInfo info;
  GError *error = NULL;
  guint p;

  if (c->stride_align > LAYOUT_MAX_STRIDE_ALIGN)
    return;
  gst_video_info_set_format (&info, format, width, height);
  if (!gst_alloc_layout_compute (&l, &info, c, &error)) {
    check_error (error, GST_ALLOC_ERROR_LAYOUT, GST_ALLOC_ERROR_LAYOUT,
        "a layout");
    g_error_free (error);
    return;
  }
  CHECK (l.size <= G_MAXUINT32, "a layout of %" G_GSIZE_FORMAT " bytes",
      l.size);
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (&info); p++)
    CHECK (l.stride[p] > 0 && l.stride[p] % c->stride_align == 0, "stride "
        "%d for stride-align %u", l.stride[p], c->stride_align);
  for (p = 0; p < l.n_memories; p++) {
    CHECK (l.memory_offset[p] >= c->prefix_bytes, "prefix lost");
    CHECK (l.alloc_size[p] % c->size_align == 0, "alloc size %"
        G_GSIZE_FORMAT " for size-align %u", l.alloc_size[p], c->size_align);
  }
}

static void
check_merges (GstAllocConstraints ** sets, guint n)
{
  GstAllocConstraints *all;
  guint i, j;

  for (i = 0; i < n; i++) {
    check_identity_and_idempotence (sets[i]);
    for (j = i + 1; j < n; j++)
      check_commutative (sets[i], sets[j]);
  }
  if (n == 3)
    check_associative (sets[0], sets[1], sets[2]);

  all = gst_alloc_constraints_new ();
  for (i = 0; i < n && all; i++)
    if (!gst_alloc_constraints_merge_into (all, sets[i], NULL))
      g_clear_pointer (&all, gst_alloc_constraints_free);
  if (all) {
    check_round_trips (all);
    check_layout (all, GST_VIDEO_FORMAT_NV12, 64, 48);
    check_layout (all, GST_VIDEO_FORMAT_I420, 33, 17);
    gst_alloc_constraints_free (all);
  }
}

static void
check_structure_text (const gchar * text)
{
  gchar *end = NULL;
  GstStructure *s;
  GstAllocConstraints *c;
  GError *error = NULL;

  in_gstreamer_parser = TRUE;
  s = gst_structure_from_string (text, &end);
  in_gstreamer_parser = FALSE;

  /* Text after the structure makes it no structure text. */
  if (s && *end != '\0')
    g_clear_pointer (&s, gst_structure_free);
  if (!s)
    return;
  c = gst_alloc_constraints_from_structure (s, &error);
  if (c) {
    check_round_trips (c);
    gst_alloc_constraints_free (c);
  } else {
    check_error (error, GST_ALLOC_ERROR_PARSE, GST_ALLOC_ERROR_CONFLICT, text);
    g_error_free (error);
  }
  gst_structure_free (s);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  static const gchar *origins[MAX_SETS] = { "a", "b", "c" };
  gchar *text = g_strndup ((const gchar *) data, size);
  gchar **lines = g_strsplit (text, "\n", MAX_SETS);
  GstAllocConstraints *sets[MAX_SETS];
  GError *error = NULL;
  guint i, n = 0;

  for (i = 0; lines[i]; i++) {
    sets[n] = gst_alloc_constraints_from_string (lines[i], origins[i], &error);
    if (sets[n]) {
      check_round_trips (sets[n]);
      n++;
    } else {
      check_error (error, GST_ALLOC_ERROR_PARSE, GST_ALLOC_ERROR_CONFLICT,
          lines[i]);
      g_clear_error (&error);
    }
  }
  check_merges (sets, n);
  check_structure_text (text);

  for (i = 0; i < n; i++)
    gst_alloc_constraints_free (sets[i]);
  g_strfreev (lines);
  g_free (text);
  return 0;
}
