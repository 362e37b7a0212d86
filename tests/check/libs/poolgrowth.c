/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GstAllocPool's buffer counts as stock producers meet them: configs that
 * stock decoders set once and never retry, growth on demand, recycling of
 * buffers whose memory was still shared at release, the budget, starvation
 * reported instead of a silent wait, and a failed start that leaks nothing
 * and says why. */

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

#include <errno.h>
#include <string.h>
#include <sys/resource.h>

#include "fakebackend.h"
#include "testutil.h"

static const GstAllocCapabilities memfd_caps = {
  GST_ALLOC_MEMORY_MEMFD, FALSE, GST_ALLOC_CACHE_CACHED, NULL, FALSE
};

static GstVideoInfo i420_small;

static void
setup (void)
{
  gst_video_info_set_format (&i420_small, GST_VIDEO_FORMAT_I420, 320, 240);
}

static GstBufferPool *
pool_with_fake (FakeBackend ** backend)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  GstAllocator *fake = fake_backend_new ("memfd", &memfd_caps);
  GstBufferPool *pool;

  gst_alloc_solver_add_backend (solver, fake);
  pool = gst_alloc_pool_new (solver);
  *backend = FAKE_BACKEND (fake);
  gst_object_unref (fake);
  gst_object_unref (solver);
  return pool;
}

/* As stock producers configure: with GstVideoMeta. */
static GstStructure *
config_for (GstBufferPool * pool, const gchar * constraints, guint size,
    guint min, guint max)
{
  GstStructure *config = test_pool_config (pool, &i420_small, size,
      constraints, min, max);

  gst_buffer_pool_config_add_option (config, GST_BUFFER_POOL_OPTION_VIDEO_META);
  return config;
}

static guint64
allocations (GstBufferPool * pool)
{
  return gst_alloc_pool_get_buffers_allocated (GST_ALLOC_POOL (pool));
}

/* gst-libav's direct rendering sets its config once, with the size and
 * counts of the query and its own video alignment, and gives up on the
 * pool if that is refused. */
GST_START_TEST (test_config_set_once_by_a_decoder_is_accepted)
{
  FakeBackend *backend;
  GstBufferPool *pool = pool_with_fake (&backend);
  GstStructure *config = config_for (pool, "stride-align=64", 1000, 2, 0);
  GstVideoAlignment align;
  guint size, min, max;

  gst_video_alignment_reset (&align);
  align.padding_right = 16;
  align.padding_bottom = 17;
  align.stride_align[0] = align.stride_align[1] = align.stride_align[2] = 31;
  gst_buffer_pool_config_add_option (config,
      GST_BUFFER_POOL_OPTION_VIDEO_ALIGNMENT);
  gst_buffer_pool_config_set_video_alignment (config, &align);
  fail_unless (gst_buffer_pool_set_config (pool, config));

  config = gst_buffer_pool_get_config (pool);
  fail_unless (gst_buffer_pool_config_get_params (config, NULL, &size, &min,
          &max));
  /* What the pool does, written back: the padded size, four at start,
   * growth unlimited but for the budget. */
  fail_unless (size > i420_small.size);
  fail_unless_equals_int (min, 4);
  fail_unless_equals_int (max, 0);
  gst_structure_free (config);
  gst_object_unref (pool);
}

GST_END_TEST;

GST_START_TEST (test_a_max_below_the_start_count_is_corrected)
{
  FakeBackend *backend;
  GstBufferPool *pool = pool_with_fake (&backend);
  guint min, max;
  GstStructure *config;

  fail_if (gst_buffer_pool_set_config (pool, config_for (pool,
              "min-buffers=6", i420_small.size, 2, 3)));
  config = gst_buffer_pool_get_config (pool);
  gst_buffer_pool_config_get_params (config, NULL, NULL, &min, &max);
  fail_unless_equals_int (min, 6);
  fail_unless_equals_int (max, 6);
  fail_unless (gst_buffer_pool_set_config (pool, config));
  gst_object_unref (pool);
}

GST_END_TEST;

GST_START_TEST (test_grows_when_every_buffer_is_out)
{
  FakeBackend *backend;
  GstBufferPool *pool = pool_with_fake (&backend);
  GstBuffer *bufs[10];
  guint i, round;

  fail_unless (gst_buffer_pool_set_config (pool, config_for (pool, "",
              i420_small.size, 4, 0)));
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  fail_unless_equals_int (allocations (pool), 4);
  for (round = 0; round < 3; round++) {
    for (i = 0; i < G_N_ELEMENTS (bufs); i++)
      fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &bufs[i],
              NULL), GST_FLOW_OK);
    for (i = 0; i < G_N_ELEMENTS (bufs); i++)
      gst_buffer_unref (bufs[i]);
  }
  /* Grown once to ten, then every round reuses them. */
  fail_unless_equals_int (allocations (pool), 10);
  fail_unless_equals_int (fake_backend_get_allocations (backend), 10);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
}

GST_END_TEST;

/* videorate and queues keep shallow copies: the pool buffer comes back
 * while another buffer still holds its memory. */
GST_START_TEST (test_buffer_released_while_shared_is_recycled)
{
  FakeBackend *backend;
  GstBufferPool *pool = pool_with_fake (&backend);
  GstBuffer *buf, *copy, *previous = NULL;
  guint i;

  fail_unless (gst_buffer_pool_set_config (pool, config_for (pool, "",
              i420_small.size, 4, 0)));
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  for (i = 0; i < 200; i++) {
    fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buf, NULL),
        GST_FLOW_OK);
    copy = gst_buffer_copy (buf);
    gst_buffer_unref (buf);
    /* Like videorate: the copy of the previous frame lives one frame on. */
    if (previous)
      gst_buffer_unref (previous);
    previous = copy;
  }
  gst_buffer_unref (previous);
  fail_unless (allocations (pool) <= 5, "%" G_GUINT64_FORMAT " allocations "
      "for 200 frames", allocations (pool));
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
}

GST_END_TEST;

static void
on_failure (GstAllocPool * pool, const GError * error, GError ** out)
{
  g_clear_error (out);
  *out = g_error_copy (error);
}

GST_START_TEST (test_start_count_over_budget_is_refused_with_numbers)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  GstAllocator *fake = fake_backend_new ("memfd", &memfd_caps);
  GstBufferPool *pool;
  GstCaps *caps = gst_video_info_to_caps (&i420_small);
  GstQuery *query = gst_query_new_allocation (caps, TRUE);
  GstAllocConstraints *c = gst_alloc_constraints_from_string
      ("min-buffers=100000", "test-consumer", NULL);
  GError *err = NULL;

  gst_alloc_solver_add_backend (solver, fake);
  pool = gst_alloc_pool_new (solver);
  gst_alloc_pool_set_budget (GST_ALLOC_POOL (pool), 64 * 1024 * 1024);
  fail_if (gst_alloc_query_answer_with_pool (query, c, pool, &err));
  fail_unless (g_error_matches (err, GST_ALLOC_ERROR, GST_ALLOC_ERROR_BUDGET),
      "%s", err->message);
  fail_unless (strstr (err->message, "100000 buffers") != NULL, "%s",
      err->message);
  fail_unless (strstr (err->message, "test-consumer") != NULL, "%s",
      err->message);
  /* g_format_size() puts a no-break space before the unit. */
  fail_unless (strstr (err->message, "budget of 64.0") != NULL, "%s",
      err->message);
  fail_unless_equals_int (fake_backend_get_allocations (FAKE_BACKEND (fake)),
      0);
  fail_unless_equals_int (gst_query_get_n_allocation_pools (query), 0);
  g_error_free (err);
  gst_alloc_constraints_free (c);
  gst_query_unref (query);
  gst_caps_unref (caps);
  gst_object_unref (pool);
  gst_object_unref (fake);
  gst_object_unref (solver);
}

GST_END_TEST;

/* Whether @pool takes a config of four buffers with budget field @field
 * set to @config_budget (no field when @field is FALSE). */
static gboolean
takes_budget (GstBufferPool * pool, gboolean field, guint64 config_budget)
{
  GstStructure *config = config_for (pool, "", i420_small.size, 4, 0);

  if (field)
    gst_alloc_pool_config_set_budget (config, config_budget);
  return gst_buffer_pool_set_config (pool, config);
}

/* What the budget comments say: the config's budget wins, else the pool's,
 * and 0 in a config is the library's default even so. */
GST_START_TEST (test_budget_comes_from_the_config_else_the_pool)
{
  FakeBackend *backend;
  GstBufferPool *pool = pool_with_fake (&backend);

  /* Pays for one buffer of 116 KiB, not the four at start. */
  gst_alloc_pool_set_budget (GST_ALLOC_POOL (pool), 120 * 1024);
  fail_if (takes_budget (pool, FALSE, 0));
  fail_unless (takes_budget (pool, TRUE, 64 * 1024 * 1024));
  fail_unless (takes_budget (pool, TRUE, 0));
  fail_if (takes_budget (pool, TRUE, 120 * 1024));
  gst_object_unref (pool);
}

GST_END_TEST;

typedef struct
{
  GstBufferPool *pool;
  GMutex lock;
  GCond cond;
  guint starved;
  guint said_already;           /* starvations the pool did not tell again */
  guint buffers;
  gchar *limit;
  GstBuffer *got;
  GstFlowReturn ret;
} Waiter;

static void
on_starved (GstAllocPool * pool, guint n_buffers, const gchar * limit,
    Waiter * w)
{
  g_mutex_lock (&w->lock);
  w->starved++;
  w->buffers = n_buffers;
  g_free (w->limit);
  w->limit = g_strdup (limit);
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);
}

static gpointer
acquire_thread (gpointer data)
{
  Waiter *w = data;
  GstBuffer *buf = NULL;
  GstFlowReturn ret = gst_buffer_pool_acquire_buffer (w->pool, &buf, NULL);

  g_mutex_lock (&w->lock);
  w->got = buf;
  w->ret = ret;
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);
  return NULL;
}

/* The pool logs a starvation it does not tell again: the sign that an
 * acquire waited a wait period without a "starved" signal. */
static void
count_said_already (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  Waiter *w = user_data;

  if (!g_str_equal (gst_debug_category_get_name (category), "allocpool")
      || !strstr (gst_debug_message_get (message), "said already"))
    return;
  g_mutex_lock (&w->lock);
  w->said_already++;
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);
}

static void
watch_said_already (Waiter * w)
{
  gst_debug_set_threshold_for_name ("allocpool", GST_LEVEL_DEBUG);
  gst_debug_add_log_function (count_said_already, w, NULL);
}

/* Waits (for minutes at most, never as a verdict) until @done says so. */
static void
wait_until (Waiter * w, gboolean (*done) (Waiter *))
{
  gint64 end = g_get_monotonic_time () + 120 * G_TIME_SPAN_SECOND;

  g_mutex_lock (&w->lock);
  while (!done (w))
    fail_unless (g_cond_wait_until (&w->cond, &w->lock, end) || done (w),
        "gave up waiting");
  g_mutex_unlock (&w->lock);
}

static gboolean
has_starved (Waiter * w)
{
  return w->starved > 0;
}

/* A second starvation: told, or logged as said already. */
static gboolean
has_starved_again (Waiter * w)
{
  return w->starved > 1 || w->said_already > 0;
}

static gboolean
has_buffer (Waiter * w)
{
  return w->got != NULL || w->ret != GST_FLOW_OK;
}

/* Activates @pool with @config, takes @n_held buffers out of it and starts
 * a thread that acquires one more; returns that thread once the pool
 * reported it starved. */
static GThread *
start_starved_acquire (GstBufferPool * pool, GstStructure * config,
    Waiter * w, GstBuffer ** held, guint n_held)
{
  GThread *thread;
  guint i;

  g_mutex_init (&w->lock);
  g_cond_init (&w->cond);
  fail_unless (gst_buffer_pool_set_config (pool, config));
  g_signal_connect (pool, "starved", G_CALLBACK (on_starved), w);
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  for (i = 0; i < n_held; i++)
    fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &held[i],
            NULL), GST_FLOW_OK);
  w->pool = pool;
  thread = g_thread_new ("acquire", acquire_thread, w);
  wait_until (w, has_starved);
  return thread;
}

/* Releases the @n_held buffers in @held, deactivates and drops @pool and
 * frees what start_starved_acquire() set up in @w. */
static void
stop_starved_pool (GstBufferPool * pool, Waiter * w, GstBuffer ** held,
    guint n_held)
{
  guint i;

  for (i = 0; i < n_held; i++)
    gst_buffer_unref (held[i]);
  gst_debug_remove_log_function (count_said_already);
  gst_buffer_pool_set_active (pool, FALSE);
  g_free (w->limit);
  g_mutex_clear (&w->lock);
  g_cond_clear (&w->cond);
  gst_object_unref (pool);
}

/* Gives @buf back to the pool and waits until the acquire on @thread,
 * starved, has returned. */
static void
release_to_starved (GstBuffer * buf, Waiter * w, GThread * thread)
{
  gst_buffer_unref (buf);
  wait_until (w, has_buffer);
  g_thread_join (thread);
}

/* Starts one more acquire on @w's pool, counting the starvations it logs
 * as said already; returns its thread once it starved again. */
static GThread *
start_starving_again (Waiter * w)
{
  GThread *thread;

  watch_said_already (w);
  thread = g_thread_new ("acquire", acquire_thread, w);
  wait_until (w, has_starved_again);
  return thread;
}

GST_START_TEST (test_exhausted_pool_at_its_budget_reports_starvation)
{
  FakeBackend *backend;
  GstBufferPool *pool = pool_with_fake (&backend);
  GstStructure *config = config_for (pool, "", i420_small.size, 4, 0);
  Waiter w = { 0, };
  GstBuffer *bufs[5];
  GThread *thread;

  /* Room for five buffers of 116 KiB (each rounded to pages). */
  gst_alloc_pool_config_set_budget (config, 5 * 118784 + 1000);
  thread = start_starved_acquire (pool, config, &w, bufs, G_N_ELEMENTS (bufs));
  fail_unless_equals_int (w.buffers, 5);
  fail_unless (strstr (w.limit, "budget") != NULL, "%s", w.limit);
  fail_if (has_buffer (&w));

  release_to_starved (bufs[0], &w, thread);
  fail_unless_equals_int (w.ret, GST_FLOW_OK);
  fail_unless_equals_int (w.starved, 1);
  fail_unless_equals_int (allocations (pool), 5);

  bufs[0] = g_steal_pointer (&w.got);
  stop_starved_pool (pool, &w, bufs, G_N_ELEMENTS (bufs));
}

GST_END_TEST;

/* Ends the acquire @thread waits in by flushing @pool, and the flush. */
static void
flush_out (GstBufferPool * pool, Waiter * w, GThread * thread)
{
  gst_buffer_pool_set_flushing (pool, TRUE);
  wait_until (w, has_buffer);
  g_thread_join (thread);
  fail_unless_equals_int (w->ret, GST_FLOW_FLUSHING);
  w->ret = GST_FLOW_OK;
  gst_buffer_pool_set_flushing (pool, FALSE);
}

GST_START_TEST (test_flushing_wakes_a_starved_acquire)
{
  FakeBackend *backend;
  GstBufferPool *pool = pool_with_fake (&backend);
  Waiter w = { 0, };
  GstBuffer *bufs[4];
  GThread *thread;

  thread = start_starved_acquire (pool, config_for (pool, "",
          i420_small.size, 4, 4), &w, bufs, G_N_ELEMENTS (bufs));
  fail_unless (strstr (w.limit, "max-buffers") != NULL, "%s", w.limit);

  flush_out (pool, &w, thread);
  stop_starved_pool (pool, &w, bufs, G_N_ELEMENTS (bufs));
}

GST_END_TEST;

/* The acquires that starved returned FLUSHING: a pool that starves after
 * the flush is in a new episode and says so. */
GST_START_TEST (test_starvation_after_a_flush_is_reported_again)
{
  FakeBackend *backend;
  GstBufferPool *pool = pool_with_fake (&backend);
  Waiter w = { 0, };
  GstBuffer *bufs[4];
  GThread *thread;

  thread = start_starved_acquire (pool, config_for (pool, "",
          i420_small.size, 4, 4), &w, bufs, G_N_ELEMENTS (bufs));
  flush_out (pool, &w, thread);

  thread = start_starving_again (&w);
  fail_unless_equals_int (w.starved, 2);
  fail_unless_equals_int (w.said_already, 0);
  flush_out (pool, &w, thread);

  stop_starved_pool (pool, &w, bufs, G_N_ELEMENTS (bufs));
}

GST_END_TEST;

/* An acquire at the ceiling after one that starved and got its buffer:
 * the same cause, told once, not once per acquire. */
GST_START_TEST (test_starvation_is_told_once_per_cause)
{
  FakeBackend *backend;
  GstBufferPool *pool = pool_with_fake (&backend);
  GstStructure *config = config_for (pool, "", i420_small.size, 4, 0);
  Waiter w = { 0, };
  GstBuffer *bufs[5];
  GThread *thread;

  gst_alloc_pool_config_set_budget (config, 5 * 118784 + 1000);
  thread = start_starved_acquire (pool, config, &w, bufs, G_N_ELEMENTS (bufs));
  fail_unless (strstr (w.limit, "budget of 581") != NULL, "%s", w.limit);
  release_to_starved (bufs[0], &w, thread);
  bufs[0] = g_steal_pointer (&w.got);

  thread = start_starving_again (&w);
  fail_unless_equals_int (w.starved, 1);
  flush_out (pool, &w, thread);

  stop_starved_pool (pool, &w, bufs, G_N_ELEMENTS (bufs));
}

GST_END_TEST;

/* Every memory is a file descriptor: with 64 of them a quarter pays for 16
 * buffers of one memory, and the pool says so with the numbers. */
GST_START_TEST (test_file_descriptor_ceiling_is_told_with_its_numbers)
{
  FakeBackend *backend;
  GstBufferPool *pool;
  struct rlimit limit;
  Waiter w = { 0, };
  GstBuffer *bufs[16];
  GThread *thread;

  /* GstCheck runs each test in its own process: the limit ends with it. */
  fail_unless_equals_int (getrlimit (RLIMIT_NOFILE, &limit), 0);
  limit.rlim_cur = 64;
  fail_unless_equals_int (setrlimit (RLIMIT_NOFILE, &limit), 0);
  pool = pool_with_fake (&backend);
  thread = start_starved_acquire (pool, config_for (pool, "",
          i420_small.size, 4, 0), &w, bufs, G_N_ELEMENTS (bufs));
  fail_unless_equals_int (w.buffers, 16);
  fail_unless (strstr (w.limit, "file descriptor") != NULL, "%s", w.limit);
  fail_unless (strstr (w.limit, "64") != NULL, "%s", w.limit);
  flush_out (pool, &w, thread);
  stop_starved_pool (pool, &w, bufs, G_N_ELEMENTS (bufs));
}

GST_END_TEST;

static guint growth_warnings;

static void
count_growth_warnings (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  if (level == GST_LEVEL_WARNING
      && g_str_equal (gst_debug_category_get_name (category), "allocpool")
      && strstr (gst_debug_message_get (message), "Too many open files"))
    growth_warnings++;
}

/* Each acquire that finds every buffer out tries to grow again: a backend
 * that keeps refusing is warned about once, with its reason. */
GST_START_TEST (test_backend_refusing_growth_is_warned_once)
{
  FakeBackend *backend;
  GstBufferPool *pool = pool_with_fake (&backend);
  GstBufferPoolAcquireParams dontwait = { 0, };
  GstBuffer *bufs[4], *buf = NULL;
  guint i;

  dontwait.flags = GST_BUFFER_POOL_ACQUIRE_FLAG_DONTWAIT;
  gst_debug_set_threshold_for_name ("allocpool", GST_LEVEL_WARNING);
  gst_debug_add_log_function (count_growth_warnings, NULL, NULL);
  growth_warnings = 0;
  fail_unless (gst_buffer_pool_set_config (pool, config_for (pool, "",
              i420_small.size, 4, 0)));
  fake_backend_fail_alloc_after (backend, 4, EMFILE);
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  for (i = 0; i < G_N_ELEMENTS (bufs); i++)
    fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &bufs[i],
            NULL), GST_FLOW_OK);
  for (i = 0; i < 3; i++)
    fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buf,
            &dontwait), GST_FLOW_EOS);
  gst_debug_remove_log_function (count_growth_warnings);
  fail_unless_equals_int (growth_warnings, 1);

  for (i = 0; i < G_N_ELEMENTS (bufs); i++)
    gst_buffer_unref (bufs[i]);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
}

GST_END_TEST;

GST_START_TEST (test_failed_start_frees_what_it_allocated_and_says_why)
{
  FakeBackend *backend;
  GstBufferPool *pool = pool_with_fake (&backend);
  GError *err = NULL;
  guint fds;

  fail_unless (gst_buffer_pool_set_config (pool, config_for (pool, "",
              i420_small.size, 6, 0)));
  g_signal_connect (pool, "allocation-failed", G_CALLBACK (on_failure), &err);
  fake_backend_fail_alloc_after (backend, 3, EMFILE);
  fds = test_count_open_fds ();
  fail_if (gst_buffer_pool_set_active (pool, TRUE));
  fail_unless_equals_int (fake_backend_get_allocations (backend), 3);
  /* The three memfds made before the failure are closed again. */
  fail_unless_equals_int (test_count_open_fds (), fds);
  fail_unless (err != NULL);
  fail_unless (strstr (err->message, "Too many open files") != NULL, "%s",
      err->message);
  g_error_free (err);
  gst_object_unref (pool);
}

GST_END_TEST;

static Suite *
poolgrowth_suite (void)
{
  Suite *s = suite_create ("alloc-pool-growth");
  TCase *config = tcase_create ("config");
  TCase *counts = tcase_create ("counts");

  suite_add_tcase (s, config);
  tcase_add_checked_fixture (config, setup, NULL);
  tcase_add_test (config, test_config_set_once_by_a_decoder_is_accepted);
  tcase_add_test (config, test_a_max_below_the_start_count_is_corrected);
  tcase_add_test (config, test_start_count_over_budget_is_refused_with_numbers);
  tcase_add_test (config, test_budget_comes_from_the_config_else_the_pool);

  suite_add_tcase (s, counts);
  tcase_add_checked_fixture (counts, setup, NULL);
  tcase_add_test (counts, test_grows_when_every_buffer_is_out);
  tcase_add_test (counts, test_buffer_released_while_shared_is_recycled);
  tcase_add_test (counts, test_exhausted_pool_at_its_budget_reports_starvation);
  tcase_add_test (counts, test_flushing_wakes_a_starved_acquire);
  tcase_add_test (counts, test_starvation_after_a_flush_is_reported_again);
  tcase_add_test (counts, test_starvation_is_told_once_per_cause);
  tcase_add_test (counts,
      test_file_descriptor_ceiling_is_told_with_its_numbers);
  tcase_add_test (counts, test_backend_refusing_growth_is_warned_once);
  tcase_add_test (counts,
      test_failed_start_frees_what_it_allocated_and_says_why);
  return s;
}

GST_CHECK_MAIN (poolgrowth);
