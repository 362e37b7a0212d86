/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Solver choices for injected backend sets: preference order, capability
 * matching, and falling back when a device is refused or missing. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

#include <errno.h>
#include <string.h>

#include "fakebackend.h"

static const GstAllocCapabilities system_heap = {
  GST_ALLOC_MEMORY_DMABUF, FALSE, GST_ALLOC_CACHE_CACHED, "system", FALSE
};

static const GstAllocCapabilities cma_heap = {
  GST_ALLOC_MEMORY_DMABUF, TRUE, GST_ALLOC_CACHE_CACHED, "linux,cma", FALSE
};

static const GstAllocCapabilities uncached_heap = {
  GST_ALLOC_MEMORY_DMABUF, FALSE, GST_ALLOC_CACHE_UNCACHED, "system-uncached",
  FALSE
};

static const GstAllocCapabilities opaque_heap = {
  GST_ALLOC_MEMORY_DMABUF, FALSE, GST_ALLOC_CACHE_ANY, "vendor,secure", TRUE
};

static const GstAllocCapabilities udmabuf = {
  GST_ALLOC_MEMORY_DMABUF, FALSE, GST_ALLOC_CACHE_CACHED, NULL, FALSE
};

static const GstAllocCapabilities memfd = {
  GST_ALLOC_MEMORY_MEMFD, FALSE, GST_ALLOC_CACHE_CACHED, NULL, FALSE
};

static const GstAllocCapabilities sysmem = {
  GST_ALLOC_MEMORY_SYSTEM, FALSE, GST_ALLOC_CACHE_CACHED, NULL, FALSE
};

/* A solver holding one of each, deliberately added worst first so the
 * ranking, not the insertion order, decides. */
static GstAllocSolver *
full_solver (void)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();

  fake_backend_add (solver, "system", &sysmem);
  fake_backend_add (solver, "memfd", &memfd);
  fake_backend_add (solver, "udmabuf", &udmabuf);
  fake_backend_add (solver, "dmaheap:linux,cma", &cma_heap);
  fake_backend_add (solver, "dmaheap:system-uncached", &uncached_heap);
  fake_backend_add (solver, "dmaheap:system", &system_heap);
  fake_backend_add (solver, "dmaheap:vendor,secure", &opaque_heap);
  return solver;
}

static GstAllocSolution *
solve (GstAllocSolver * solver, const gchar * wanted)
{
  GstAllocConstraints *c = gst_alloc_constraints_from_string (wanted, "test",
      NULL);
  GstAllocSolution *solution;
  GError *err = NULL;

  fail_unless (c != NULL, "bad test constraints %s", wanted);
  solution = gst_alloc_solver_solve (solver, c, &err);
  fail_unless (solution != NULL, "%s: %s", wanted, err ? err->message : "");
  gst_alloc_constraints_free (c);
  return solution;
}

static const gchar *
chosen (GstAllocSolution * solution)
{
  return GST_OBJECT_NAME (g_ptr_array_index (solution->candidates, 0));
}

static void
assert_choice (GstAllocSolver * solver, const gchar * wanted,
    const gchar * expected)
{
  GstAllocSolution *solution = solve (solver, wanted);

  fail_unless_equals_string (chosen (solution), expected);
  fail_unless (g_str_has_prefix (solution->explanation, "chosen "));
  gst_alloc_solution_free (solution);
}

GST_START_TEST (test_dma_heap_first_when_dmabuf_is_acceptable)
{
  GstAllocSolver *solver = full_solver ();

  assert_choice (solver, "", "dmaheap:system");
  assert_choice (solver, "memory=dmabuf|memfd", "dmaheap:system");
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_memory_kind_restricts_the_choice)
{
  GstAllocSolver *solver = full_solver ();

  assert_choice (solver, "memory=memfd|system", "memfd");
  assert_choice (solver, "memory=system", "system");
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_cma_only_when_contiguity_is_asked_for)
{
  GstAllocSolver *solver = full_solver ();
  GstAllocSolution *solution = solve (solver, "contiguous=true");

  fail_unless_equals_string (chosen (solution), "dmaheap:linux,cma");
  /* No other backend is contiguous, so there is nothing to fall back to. */
  fail_unless_equals_int (solution->candidates->len, 1);
  gst_alloc_solution_free (solution);
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_uncached_heap_only_when_uncached_is_asked_for)
{
  GstAllocSolver *solver = full_solver ();

  assert_choice (solver, "cache=uncached", "dmaheap:system-uncached");
  assert_choice (solver, "cache=cached,memory=dmabuf", "dmaheap:system");
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_unknown_heap_only_when_named)
{
  GstAllocSolver *solver = full_solver ();
  GstAllocSolution *solution = solve (solver, "");

  assert_choice (solver, "heaps=\"vendor,secure\"", "dmaheap:vendor,secure");
  fail_unless (strstr (solution->explanation,
          "heap vendor,secure is unknown") != NULL, "%s",
      solution->explanation);
  gst_alloc_solution_free (solution);
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_earlier_backend_wins_a_tie)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();

  fake_backend_add (solver, "first", &memfd);
  fake_backend_add (solver, "second", &memfd);
  assert_choice (solver, "", "first");
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_refused_heap_falls_back_and_is_opened_once)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  FakeBackend *heap = fake_backend_add (solver, "dmaheap:system", &system_heap);
  GstAllocSolution *solution;
  guint i;

  fake_backend_add (solver, "udmabuf", &udmabuf);
  fake_backend_add (solver, "memfd", &memfd);
  fake_backend_fail_open (heap, EACCES);
  for (i = 0; i < 3; i++) {
    solution = solve (solver, "memory=dmabuf|memfd");
    fail_unless_equals_string (chosen (solution), "udmabuf");
    fail_unless_equals_int (solution->candidates->len, 2);
    fail_unless (strstr (solution->explanation, "Permission denied") != NULL,
        "%s", solution->explanation);
    gst_alloc_solution_free (solution);
  }
  /* The refusal is remembered, not retried (and logged) on every solve. */
  fail_unless_equals_int (fake_backend_get_open_calls (heap), 1);
  gst_object_unref (solver);
}

GST_END_TEST;

#if GST_ALLOC_DMA_HEAP_BUILT
#define MISSING_HEAP_REASON \
  "open /nonexistent/dma_heap/system: No such file or directory"
#else
#define MISSING_HEAP_REASON "built without " GST_ALLOC_DMA_HEAP_MISSING
#endif

GST_START_TEST (test_missing_heap_node_falls_back)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  GstAllocator *missing =
      gst_alloc_dma_heap_allocator_new ("/nonexistent/dma_heap/system");
  GstAllocSolution *solution;

  gst_alloc_solver_add_backend (solver, missing);
  fake_backend_add (solver, "memfd", &memfd);
  solution = solve (solver, "");
  fail_unless_equals_string (chosen (solution), "memfd");
  /* Once under the backend's name; a build without the DMA-heap backend
   * says that instead. */
  fail_unless (strstr (solution->explanation, "passed over: dmaheap:system: "
          "cannot be used: " MISSING_HEAP_REASON) != NULL, "%s",
      solution->explanation);
  gst_alloc_solution_free (solution);
  gst_object_unref (missing);
  gst_object_unref (solver);
}

GST_END_TEST;

static void
assert_unsatisfiable (GstAllocSolver * solver, const gchar * wanted,
    const gchar * why)
{
  GstAllocConstraints *c = gst_alloc_constraints_from_string (wanted,
      "picky-sink", NULL);
  GError *err = NULL;

  fail_unless (gst_alloc_solver_solve (solver, c, &err) == NULL);
  fail_unless_equals_int (err->code, GST_ALLOC_ERROR_UNSATISFIABLE);
  fail_unless (strstr (err->message, why) != NULL, "%s", err->message);
  fail_unless (strstr (err->message, "picky-sink") != NULL, "%s", err->message);
  g_error_free (err);
  gst_alloc_constraints_free (c);
}

GST_START_TEST (test_no_contiguous_backend_is_an_error_naming_the_constraint)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();

  fake_backend_add (solver, "dmaheap:system", &system_heap);
  fake_backend_add (solver, "memfd", &memfd);
  assert_unsatisfiable (solver, "contiguous=true", "contiguous=true");
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_every_capable_backend_refused_is_an_error)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();

  fake_backend_fail_open (fake_backend_add (solver, "dmaheap:system",
          &system_heap), EACCES);
  fake_backend_fail_open (fake_backend_add (solver, "udmabuf", &udmabuf),
      ENOENT);
  fake_backend_add (solver, "memfd", &memfd);
  assert_unsatisfiable (solver, "memory=dmabuf", "Permission denied");
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_empty_solver_says_so)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  GstAllocConstraints *c = gst_alloc_constraints_new ();
  GError *err = NULL;

  fail_unless (gst_alloc_solver_solve (solver, c, &err) == NULL);
  fail_unless (strstr (err->message, "no backend") != NULL, "%s", err->message);
  g_error_free (err);
  gst_alloc_constraints_free (c);
  gst_object_unref (solver);
}

GST_END_TEST;

/* On any machine the default solver can at least give memfd and system
 * memory, and it lists every DMA heap the kernel exposes. */
GST_START_TEST (test_default_solver_covers_this_machine)
{
  GstAllocSolver *solver = gst_alloc_solver_get_default ();
  GPtrArray *backends = gst_alloc_solver_get_backends (solver);
  GstAllocSolution *solution;
  GDir *heaps = g_dir_open ("/dev/dma_heap", 0, NULL);
  guint n_heaps = 0;

  if (heaps) {
    while (g_dir_read_name (heaps))
      n_heaps++;
    g_dir_close (heaps);
  }
  fail_unless_equals_int (backends->len, n_heaps + 3);
  assert_choice (solver, "memory=memfd", "memfd");
  assert_choice (solver, "memory=system", "system");
  solution = solve (solver, "");
  GST_INFO ("on this machine: %s", solution->explanation);
  gst_alloc_solution_free (solution);
  fail_unless (gst_allocator_find ("gstalloc-memfd") != NULL);
  gst_object_unref (gst_allocator_find ("gstalloc-memfd"));
  g_ptr_array_unref (backends);
}

GST_END_TEST;

static Suite *
solver_suite (void)
{
  Suite *s = suite_create ("alloc-solver");
  TCase *prefs = tcase_create ("preferences");
  TCase *fallback = tcase_create ("fallback");

  suite_add_tcase (s, prefs);
  tcase_add_test (prefs, test_dma_heap_first_when_dmabuf_is_acceptable);
  tcase_add_test (prefs, test_memory_kind_restricts_the_choice);
  tcase_add_test (prefs, test_cma_only_when_contiguity_is_asked_for);
  tcase_add_test (prefs, test_uncached_heap_only_when_uncached_is_asked_for);
  tcase_add_test (prefs, test_unknown_heap_only_when_named);
  tcase_add_test (prefs, test_earlier_backend_wins_a_tie);
  tcase_add_test (prefs, test_default_solver_covers_this_machine);

  suite_add_tcase (s, fallback);
  tcase_add_test (fallback, test_refused_heap_falls_back_and_is_opened_once);
  tcase_add_test (fallback, test_missing_heap_node_falls_back);
  tcase_add_test (fallback,
      test_no_contiguous_backend_is_an_error_naming_the_constraint);
  tcase_add_test (fallback, test_every_capable_backend_refused_is_an_error);
  tcase_add_test (fallback, test_empty_solver_says_so);
  return s;
}

GST_CHECK_MAIN (solver);
