/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The merge algebra: identity, commutativity, associativity, idempotence,
 * "the merge satisfies both inputs", and one test per conflict. Sets are
 * built field by field so these tests do not depend on the parser. */

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

#define RANDOM_ROUNDS 3000

static const guint32 alignments[] = { 1, 1, 2, 3, 4, 16, 48, 64, 256 };
static const gchar *heap_names[] = { "system", "linux,cma", "reserved" };

static const GstAllocDrmFormat drm_formats[] = {
  {GST_MAKE_FOURCC ('N', 'V', '1', '2'), 0},
  {GST_MAKE_FOURCC ('N', 'V', '1', '2'),
      G_GUINT64_CONSTANT (0x0100000000000002)},
  {GST_MAKE_FOURCC ('Y', 'U', 'Y', 'V'), 0},
};

static GstAllocConstraints *
random_set (GRand * rand, const gchar * origin)
{
  GstAllocConstraints *c = gst_alloc_constraints_new ();
  GPtrArray *heaps;
  guint i;

#define PICK(array) array[g_rand_int_range (rand, 0, G_N_ELEMENTS (array))]
#define MAYBE(n) (g_rand_int_range (rand, 0, n) == 0)
  c->stride_align = PICK (alignments);
  c->offset_align = PICK (alignments);
  c->size_align = PICK (alignments);
  c->width_align = PICK (alignments);
  c->height_align = PICK (alignments);
  c->padding_top = MAYBE (2) ? 0 : g_rand_int_range (rand, 0, 32);
  c->padding_bottom = MAYBE (2) ? 0 : g_rand_int_range (rand, 0, 32);
  c->padding_left = MAYBE (2) ? 0 : g_rand_int_range (rand, 0, 32);
  c->padding_right = MAYBE (2) ? 0 : g_rand_int_range (rand, 0, 32);
  c->prefix_bytes = MAYBE (2) ? 0 : g_rand_int_range (rand, 0, 4096);
  c->padding_bytes = MAYBE (2) ? 0 : g_rand_int_range (rand, 0, 4096);
  c->min_buffers = MAYBE (2) ? 0 : g_rand_int_range (rand, 0, 8);
  /* A single consumer never keeps more buffers than it can take. */
  c->max_buffers = MAYBE (2) ? 0 : c->min_buffers + g_rand_int_range (rand, 0,
      8);
  c->max_size = MAYBE (2) ? 0 : g_rand_int_range (rand, 1, 1 << 30);
  c->memory = g_rand_int_range (rand, 1, GST_ALLOC_MEMORY_ANY + 1);
  c->contiguous = MAYBE (4);
  c->cpu_access = g_rand_int_range (rand, 0, 4);
  c->cache = MAYBE (2) ? GST_ALLOC_CACHE_ANY : g_rand_int_range (rand, 1, 3);
  c->planes = MAYBE (2) ? GST_ALLOC_PLANES_ANY : g_rand_int_range (rand, 1, 3);
  c->default_layout = MAYBE (4);
  if (!MAYBE (3)) {
    heaps = g_ptr_array_new ();
    for (i = 0; i < G_N_ELEMENTS (heap_names); i++)
      if (!MAYBE (2))
        g_ptr_array_add (heaps, g_strdup (heap_names[i]));
    if (heaps->len == 0)
      g_ptr_array_add (heaps, g_strdup ("system"));
    g_ptr_array_add (heaps, NULL);
    c->heaps = (gchar **) g_ptr_array_free (heaps, FALSE);
    /* A consumer naming heaps accepts the dma-bufs they give. */
    c->memory |= GST_ALLOC_MEMORY_DMABUF;
  }
  if (MAYBE (3)) {
    /* The pairs in reverse order: the set sorts them. */
    for (i = G_N_ELEMENTS (drm_formats); i > 0; i--)
      if (!MAYBE (2))
        gst_alloc_constraints_add_drm_format (c, drm_formats[i - 1].fourcc,
            drm_formats[i - 1].modifier);
    if (!c->drm_formats)
      gst_alloc_constraints_add_drm_format (c, drm_formats[0].fourcc, 0);
  }
#undef PICK
#undef MAYBE
  gst_alloc_constraints_set_origin (c, origin);
  return c;
}

static gboolean
heaps_subset (gchar ** sub, gchar ** super)
{
  guint i;

  if (!super)
    return TRUE;
  if (!sub)
    return FALSE;
  for (i = 0; sub[i]; i++)
    if (!g_strv_contains ((const gchar * const *) super, sub[i]))
      return FALSE;
  return TRUE;
}

static gboolean
drm_formats_subset (const GstAllocConstraints * sub,
    const GstAllocConstraints * super)
{
  const GstAllocDrmFormat *f;
  guint i;

  if (!super->drm_formats)
    return TRUE;
  if (!sub->drm_formats)
    return FALSE;
  for (i = 0; i < sub->drm_formats->len; i++) {
    f = &g_array_index (sub->drm_formats, GstAllocDrmFormat, i);
    if (!gst_alloc_constraints_accepts_drm_format (super, f->fourcc,
            f->modifier))
      return FALSE;
  }
  return TRUE;
}

/* Does @m ask for at least everything @c asks for? */
static void
assert_satisfies (const GstAllocConstraints * m, const GstAllocConstraints * c)
{
  fail_unless_equals_int (m->stride_align % c->stride_align, 0);
  fail_unless_equals_int (m->offset_align % c->offset_align, 0);
  fail_unless_equals_int (m->size_align % c->size_align, 0);
  fail_unless_equals_int (m->width_align % c->width_align, 0);
  fail_unless_equals_int (m->height_align % c->height_align, 0);
  fail_unless (m->padding_top >= c->padding_top);
  fail_unless (m->padding_bottom >= c->padding_bottom);
  fail_unless (m->padding_left >= c->padding_left);
  fail_unless (m->padding_right >= c->padding_right);
  fail_unless (m->prefix_bytes >= c->prefix_bytes);
  fail_unless (m->padding_bytes >= c->padding_bytes);
  fail_unless (m->min_buffers >= c->min_buffers);
  fail_unless (c->max_buffers == 0 || (m->max_buffers != 0
          && m->max_buffers <= c->max_buffers));
  fail_unless (c->max_size == 0 || (m->max_size != 0
          && m->max_size <= c->max_size));
  fail_unless_equals_int (m->memory & ~c->memory, 0);
  fail_unless (!c->contiguous || m->contiguous);
  fail_unless_equals_int (c->cpu_access & ~m->cpu_access, 0);
  fail_unless (c->cache == GST_ALLOC_CACHE_ANY || m->cache == c->cache);
  fail_unless (c->planes == GST_ALLOC_PLANES_ANY || m->planes == c->planes);
  fail_unless (heaps_subset (m->heaps, c->heaps));
  fail_unless (!c->default_layout || m->default_layout);
  fail_unless (drm_formats_subset (m, c));
}

GST_START_TEST (test_empty_set_is_the_identity)
{
  GRand *rand = g_rand_new_with_seed (1);
  GstAllocConstraints *empty = gst_alloc_constraints_new ();
  GstAllocConstraints *a, *left, *right;
  guint i;

  fail_unless (gst_alloc_constraints_is_empty (empty));
  for (i = 0; i < RANDOM_ROUNDS; i++) {
    a = random_set (rand, "a");
    left = gst_alloc_constraints_merge (empty, a, NULL);
    right = gst_alloc_constraints_merge (a, empty, NULL);
    fail_unless (left && right);
    fail_unless (gst_alloc_constraints_is_equal (left, a));
    fail_unless (gst_alloc_constraints_is_equal (right, a));
    gst_alloc_constraints_free (left);
    gst_alloc_constraints_free (right);
    gst_alloc_constraints_free (a);
  }
  gst_alloc_constraints_free (empty);
  g_rand_free (rand);
}

GST_END_TEST;

GST_START_TEST (test_merge_is_commutative)
{
  GRand *rand = g_rand_new_with_seed (2);
  GstAllocConstraints *a, *b, *ab, *ba;
  GError *err_ab = NULL, *err_ba = NULL;
  guint i, merged = 0;

  for (i = 0; i < RANDOM_ROUNDS; i++) {
    a = random_set (rand, "a");
    b = random_set (rand, "b");
    ab = gst_alloc_constraints_merge (a, b, &err_ab);
    ba = gst_alloc_constraints_merge (b, a, &err_ba);
    fail_unless_equals_int (ab != NULL, ba != NULL);
    if (ab) {
      fail_unless (gst_alloc_constraints_is_equal (ab, ba));
      merged++;
    } else {
      fail_unless_equals_int (err_ab->code, GST_ALLOC_ERROR_CONFLICT);
      fail_unless_equals_int (err_ba->code, GST_ALLOC_ERROR_CONFLICT);
    }
    g_clear_error (&err_ab);
    g_clear_error (&err_ba);
    gst_alloc_constraints_free (ab);
    gst_alloc_constraints_free (ba);
    gst_alloc_constraints_free (a);
    gst_alloc_constraints_free (b);
  }
  /* Both outcomes must really have been exercised. */
  fail_unless (merged > RANDOM_ROUNDS / 10);
  fail_unless (merged < RANDOM_ROUNDS);
  g_rand_free (rand);
}

GST_END_TEST;

static GstAllocConstraints *
merge3 (const GstAllocConstraints * x, const GstAllocConstraints * y,
    const GstAllocConstraints * z, gboolean left_first)
{
  GstAllocConstraints *inner, *outer;

  inner = left_first ? gst_alloc_constraints_merge (x, y, NULL)
      : gst_alloc_constraints_merge (y, z, NULL);
  if (!inner)
    return NULL;
  outer = left_first ? gst_alloc_constraints_merge (inner, z, NULL)
      : gst_alloc_constraints_merge (x, inner, NULL);
  gst_alloc_constraints_free (inner);
  return outer;
}

GST_START_TEST (test_merge_is_associative)
{
  GRand *rand = g_rand_new_with_seed (3);
  GstAllocConstraints *a, *b, *c, *l, *r;
  guint i, merged = 0;

  for (i = 0; i < RANDOM_ROUNDS; i++) {
    a = random_set (rand, "a");
    b = random_set (rand, "b");
    c = random_set (rand, "c");
    l = merge3 (a, b, c, TRUE);
    r = merge3 (a, b, c, FALSE);
    fail_unless_equals_int (l != NULL, r != NULL);
    if (l) {
      fail_unless (gst_alloc_constraints_is_equal (l, r));
      merged++;
    }
    gst_alloc_constraints_free (l);
    gst_alloc_constraints_free (r);
    gst_alloc_constraints_free (a);
    gst_alloc_constraints_free (b);
    gst_alloc_constraints_free (c);
  }
  fail_unless (merged > 0);
  g_rand_free (rand);
}

GST_END_TEST;

GST_START_TEST (test_merge_is_idempotent)
{
  GRand *rand = g_rand_new_with_seed (4);
  GstAllocConstraints *a, *aa;
  guint i;

  for (i = 0; i < RANDOM_ROUNDS; i++) {
    a = random_set (rand, "a");
    aa = gst_alloc_constraints_merge (a, a, NULL);
    fail_unless (aa != NULL);
    fail_unless (gst_alloc_constraints_is_equal (aa, a));
    fail_unless_equals_string (gst_alloc_constraints_get_origin (aa,
            GST_ALLOC_FIELD_MEMORY),
        gst_alloc_constraints_get_origin (a, GST_ALLOC_FIELD_MEMORY));
    gst_alloc_constraints_free (aa);
    gst_alloc_constraints_free (a);
  }
  g_rand_free (rand);
}

GST_END_TEST;

GST_START_TEST (test_merged_set_satisfies_both_inputs)
{
  GRand *rand = g_rand_new_with_seed (5);
  GstAllocConstraints *a, *b, *m;
  guint i, checked = 0;

  for (i = 0; i < RANDOM_ROUNDS; i++) {
    a = random_set (rand, "a");
    b = random_set (rand, "b");
    m = gst_alloc_constraints_merge (a, b, NULL);
    if (m) {
      assert_satisfies (m, a);
      assert_satisfies (m, b);
      checked++;
    }
    gst_alloc_constraints_free (m);
    gst_alloc_constraints_free (a);
    gst_alloc_constraints_free (b);
  }
  fail_unless (checked > RANDOM_ROUNDS / 10);
  g_rand_free (rand);
}

GST_END_TEST;

static void
name (GstAllocConstraints * c, const gchar * origin)
{
  gst_alloc_constraints_set_origin (c, origin);
}

GST_START_TEST (test_alignments_merge_by_lcm_not_by_mask)
{
  GstAllocConstraints *a = gst_alloc_constraints_new ();
  GstAllocConstraints *b = gst_alloc_constraints_new ();
  GstAllocConstraints *m;

  a->stride_align = 48;
  b->stride_align = 64;
  a->offset_align = 3;
  b->offset_align = 5;
  name (a, "display");
  name (b, "encoder");
  m = gst_alloc_constraints_merge (a, b, NULL);
  fail_unless (m != NULL);
  fail_unless_equals_int (m->stride_align, 192);
  fail_unless_equals_int (m->offset_align, 15);
  /* A value built from both sides is credited to both. */
  fail_unless_equals_string (gst_alloc_constraints_get_origin (m,
          GST_ALLOC_FIELD_STRIDE_ALIGN), "display, encoder");
  gst_alloc_constraints_free (m);

  b->stride_align = 16;
  m = gst_alloc_constraints_merge (a, b, NULL);
  fail_unless_equals_int (m->stride_align, 48);
  fail_unless_equals_string (gst_alloc_constraints_get_origin (m,
          GST_ALLOC_FIELD_STRIDE_ALIGN), "display");
  gst_alloc_constraints_free (m);
  gst_alloc_constraints_free (a);
  gst_alloc_constraints_free (b);
}

GST_END_TEST;

GST_START_TEST (test_alignment_overflow_is_a_conflict)
{
  GstAllocConstraints *a = gst_alloc_constraints_new ();
  GstAllocConstraints *b = gst_alloc_constraints_new ();
  GError *err = NULL;

  a->stride_align = 1u << 31;
  b->stride_align = 3;
  name (a, "a");
  name (b, "b");
  fail_unless (gst_alloc_constraints_merge (a, b, &err) == NULL);
  fail_unless_equals_int (err->code, GST_ALLOC_ERROR_CONFLICT);
  fail_unless (strstr (err->message, "stride-align") != NULL, "%s",
      err->message);
  fail_unless (strstr (err->message, "overflows") != NULL, "%s", err->message);
  g_error_free (err);
  gst_alloc_constraints_free (a);
  gst_alloc_constraints_free (b);
}

GST_END_TEST;

GST_START_TEST (test_limits_take_the_tighter_and_zero_means_unlimited)
{
  GstAllocConstraints *a = gst_alloc_constraints_new ();
  GstAllocConstraints *b = gst_alloc_constraints_new ();
  GstAllocConstraints *m;

  a->min_buffers = 2;
  b->min_buffers = 5;
  a->max_buffers = 0;
  b->max_buffers = 8;
  a->max_size = 1000000;
  b->max_size = 0;
  m = gst_alloc_constraints_merge (a, b, NULL);
  fail_unless_equals_int (m->min_buffers, 5);
  fail_unless_equals_int (m->max_buffers, 8);
  fail_unless_equals_uint64 (m->max_size, 1000000);
  gst_alloc_constraints_free (m);

  a->max_buffers = 6;
  a->max_size = 9;
  b->max_size = 7;
  m = gst_alloc_constraints_merge (a, b, NULL);
  fail_unless_equals_int (m->max_buffers, 6);
  fail_unless_equals_uint64 (m->max_size, 7);
  gst_alloc_constraints_free (m);
  gst_alloc_constraints_free (a);
  gst_alloc_constraints_free (b);
}

GST_END_TEST;

GST_START_TEST (test_placement_fields_merge)
{
  GstAllocConstraints *a = gst_alloc_constraints_new ();
  GstAllocConstraints *b = gst_alloc_constraints_new ();
  GstAllocConstraints *m;
  gchar *heaps_a[] = { (gchar *) "system", (gchar *) "linux,cma", NULL };
  gchar *heaps_b[] = { (gchar *) "linux,cma", (gchar *) "reserved", NULL };

  a->memory = GST_ALLOC_MEMORY_DMABUF | GST_ALLOC_MEMORY_MEMFD;
  b->memory = GST_ALLOC_MEMORY_DMABUF | GST_ALLOC_MEMORY_SYSTEM;
  a->contiguous = TRUE;
  a->cpu_access = GST_ALLOC_CPU_ACCESS_READ;
  b->cpu_access = GST_ALLOC_CPU_ACCESS_WRITE;
  b->cache = GST_ALLOC_CACHE_CACHED;
  a->planes = GST_ALLOC_PLANES_SEPARATE;
  a->heaps = g_strdupv (heaps_a);
  b->heaps = g_strdupv (heaps_b);
  name (a, "a");
  name (b, "b");
  m = gst_alloc_constraints_merge (a, b, NULL);
  fail_unless (m != NULL);
  fail_unless_equals_int (m->memory, GST_ALLOC_MEMORY_DMABUF);
  fail_unless_equals_int (m->contiguous, TRUE);
  fail_unless_equals_int (m->cpu_access, GST_ALLOC_CPU_ACCESS_READWRITE);
  fail_unless_equals_int (m->cache, GST_ALLOC_CACHE_CACHED);
  fail_unless_equals_int (m->planes, GST_ALLOC_PLANES_SEPARATE);
  fail_unless_equals_int (g_strv_length (m->heaps), 1);
  fail_unless_equals_string (m->heaps[0], "linux,cma");
  fail_unless_equals_string (gst_alloc_constraints_get_origin (m,
          GST_ALLOC_FIELD_CACHE), "b");
  fail_unless_equals_string (gst_alloc_constraints_get_origin (m,
          GST_ALLOC_FIELD_CONTIGUOUS), "a");
  gst_alloc_constraints_free (m);
  gst_alloc_constraints_free (a);
  gst_alloc_constraints_free (b);
}

GST_END_TEST;

/* A consumer that cannot read GstVideoMeta binds the whole set. */
GST_START_TEST (test_default_layout_merges_by_or)
{
  GstAllocConstraints *a = gst_alloc_constraints_new ();
  GstAllocConstraints *b = gst_alloc_constraints_new ();
  GstAllocConstraints *m;

  a->default_layout = TRUE;
  b->stride_align = 4;
  name (a, "filesink0");
  name (b, "display");
  m = gst_alloc_constraints_merge (a, b, NULL);
  fail_unless (m != NULL);
  fail_unless_equals_int (m->default_layout, TRUE);
  fail_unless_equals_int (m->stride_align, 4);
  fail_unless_equals_string (gst_alloc_constraints_get_origin (m,
          GST_ALLOC_FIELD_DEFAULT_LAYOUT), "filesink0");
  gst_alloc_constraints_free (m);

  b->default_layout = TRUE;
  name (b, "display");
  m = gst_alloc_constraints_merge (a, b, NULL);
  fail_unless_equals_string (gst_alloc_constraints_get_origin (m,
          GST_ALLOC_FIELD_DEFAULT_LAYOUT), "filesink0, display");
  gst_alloc_constraints_free (m);
  gst_alloc_constraints_free (a);
  gst_alloc_constraints_free (b);
}

GST_END_TEST;

/* Each conflict: the message names the field, both values and both sides. */
static void
assert_conflict (GstAllocConstraints * a, GstAllocConstraints * b,
    const gchar * field, const gchar * value_a, const gchar * value_b)
{
  GError *err = NULL;

  name (a, "sink-a");
  name (b, "sink-b");
  fail_unless (gst_alloc_constraints_merge (a, b, &err) == NULL);
  fail_unless_equals_int (err->code, GST_ALLOC_ERROR_CONFLICT);
  GST_INFO ("%s", err->message);
  fail_unless (g_str_has_prefix (err->message, field), "%s", err->message);
  fail_unless (strstr (err->message, value_a) != NULL, "%s", err->message);
  fail_unless (strstr (err->message, value_b) != NULL, "%s", err->message);
  fail_unless (strstr (err->message, "sink-a") != NULL, "%s", err->message);
  fail_unless (strstr (err->message, "sink-b") != NULL, "%s", err->message);
  g_error_free (err);
  gst_alloc_constraints_free (a);
  gst_alloc_constraints_free (b);
}

GST_START_TEST (test_conflict_memory_kinds_disjoint)
{
  GstAllocConstraints *a = gst_alloc_constraints_new ();
  GstAllocConstraints *b = gst_alloc_constraints_new ();

  a->memory = GST_ALLOC_MEMORY_DMABUF;
  b->memory = GST_ALLOC_MEMORY_MEMFD | GST_ALLOC_MEMORY_SYSTEM;
  assert_conflict (a, b, "memory", "dmabuf", "memfd|system");
}

GST_END_TEST;

GST_START_TEST (test_conflict_cached_against_uncached)
{
  GstAllocConstraints *a = gst_alloc_constraints_new ();
  GstAllocConstraints *b = gst_alloc_constraints_new ();

  a->cache = GST_ALLOC_CACHE_CACHED;
  b->cache = GST_ALLOC_CACHE_UNCACHED;
  assert_conflict (a, b, "cache", "cached", "uncached");
}

GST_END_TEST;

GST_START_TEST (test_conflict_single_against_separate_planes)
{
  GstAllocConstraints *a = gst_alloc_constraints_new ();
  GstAllocConstraints *b = gst_alloc_constraints_new ();

  a->planes = GST_ALLOC_PLANES_SINGLE;
  b->planes = GST_ALLOC_PLANES_SEPARATE;
  assert_conflict (a, b, "planes", "single", "separate");
}

GST_END_TEST;

GST_START_TEST (test_conflict_heaps_disjoint)
{
  GstAllocConstraints *a = gst_alloc_constraints_new ();
  GstAllocConstraints *b = gst_alloc_constraints_new ();
  gchar *heaps_a[] = { (gchar *) "system", NULL };
  gchar *heaps_b[] = { (gchar *) "linux,cma", NULL };

  a->heaps = g_strdupv (heaps_a);
  b->heaps = g_strdupv (heaps_b);
  assert_conflict (a, b, "heaps", "system", "linux,cma");
}

GST_END_TEST;

GST_START_TEST (test_conflict_min_buffers_above_max_buffers)
{
  GstAllocConstraints *a = gst_alloc_constraints_new ();
  GstAllocConstraints *b = gst_alloc_constraints_new ();

  a->min_buffers = 6;
  b->max_buffers = 4;
  assert_conflict (a, b, "min-buffers", "6", "4");
}

GST_END_TEST;

GST_START_TEST (test_conflict_heaps_against_memory_without_dmabuf)
{
  GstAllocConstraints *a = gst_alloc_constraints_new ();
  GstAllocConstraints *b = gst_alloc_constraints_new ();
  gchar *heaps[] = { (gchar *) "system", NULL };

  a->heaps = g_strdupv (heaps);
  b->memory = GST_ALLOC_MEMORY_MEMFD;
  assert_conflict (a, b, "heaps", "system", "memfd");
}

GST_END_TEST;

GST_START_TEST (test_self_contradicting_set_is_invalid)
{
  GstAllocConstraints *c = gst_alloc_constraints_new ();
  GError *err = NULL;

  fail_unless (gst_alloc_constraints_validate (c, NULL));
  c->min_buffers = 6;
  c->max_buffers = 4;
  gst_alloc_constraints_set_origin (c, "v4l2sink0");
  fail_if (gst_alloc_constraints_validate (c, &err));
  fail_unless_equals_string (err->message, "min-buffers: 6 (asked by "
      "v4l2sink0) exceeds max-buffers 4 (asked by v4l2sink0)");
  g_error_free (err);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_failed_merge_into_leaves_destination_unchanged)
{
  GstAllocConstraints *dest = gst_alloc_constraints_new ();
  GstAllocConstraints *other = gst_alloc_constraints_new ();
  GstAllocConstraints *before;
  GError *err = NULL;

  dest->stride_align = 64;
  dest->cache = GST_ALLOC_CACHE_CACHED;
  name (dest, "a");
  other->stride_align = 48;
  other->cache = GST_ALLOC_CACHE_UNCACHED;
  name (other, "b");
  before = gst_alloc_constraints_copy (dest);
  fail_if (gst_alloc_constraints_merge_into (dest, other, &err));
  fail_unless (err != NULL);
  fail_unless (gst_alloc_constraints_is_equal (dest, before));
  fail_unless_equals_string (gst_alloc_constraints_get_origin (dest,
          GST_ALLOC_FIELD_STRIDE_ALIGN), "a");
  g_error_free (err);
  gst_alloc_constraints_free (before);
  gst_alloc_constraints_free (dest);
  gst_alloc_constraints_free (other);
}

GST_END_TEST;

static Suite *
merge_suite (void)
{
  Suite *s = suite_create ("alloc-merge");
  TCase *algebra = tcase_create ("algebra");
  TCase *rules = tcase_create ("rules");
  TCase *conflicts = tcase_create ("conflicts");

  suite_add_tcase (s, algebra);
  tcase_add_test (algebra, test_empty_set_is_the_identity);
  tcase_add_test (algebra, test_merge_is_commutative);
  tcase_add_test (algebra, test_merge_is_associative);
  tcase_add_test (algebra, test_merge_is_idempotent);
  tcase_add_test (algebra, test_merged_set_satisfies_both_inputs);

  suite_add_tcase (s, rules);
  tcase_add_test (rules, test_alignments_merge_by_lcm_not_by_mask);
  tcase_add_test (rules, test_alignment_overflow_is_a_conflict);
  tcase_add_test (rules, test_limits_take_the_tighter_and_zero_means_unlimited);
  tcase_add_test (rules, test_placement_fields_merge);
  tcase_add_test (rules, test_default_layout_merges_by_or);
  tcase_add_test (rules, test_failed_merge_into_leaves_destination_unchanged);

  suite_add_tcase (s, conflicts);
  tcase_add_test (conflicts, test_conflict_memory_kinds_disjoint);
  tcase_add_test (conflicts, test_conflict_cached_against_uncached);
  tcase_add_test (conflicts, test_conflict_single_against_separate_planes);
  tcase_add_test (conflicts, test_conflict_heaps_disjoint);
  tcase_add_test (conflicts, test_conflict_min_buffers_above_max_buffers);
  tcase_add_test (conflicts, test_conflict_heaps_against_memory_without_dmabuf);
  tcase_add_test (conflicts, test_self_contradicting_set_is_invalid);
  return s;
}

GST_CHECK_MAIN (merge);
