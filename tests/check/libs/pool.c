/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GstAllocPool: the set_config contract, config round trip, allocation only
 * while starting, fallback when a backend runs out of memory, and the stock
 * config entries (video alignment, allocation params) read as constraints. */

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

#include <errno.h>
#include <string.h>

#include "fakebackend.h"
#include "testutil.h"

static const GstAllocCapabilities heap_caps = {
  GST_ALLOC_MEMORY_DMABUF, FALSE, GST_ALLOC_CACHE_CACHED, "system", FALSE
};

static const GstAllocCapabilities cma_caps = {
  GST_ALLOC_MEMORY_DMABUF, TRUE, GST_ALLOC_CACHE_CACHED, "linux,cma", FALSE
};

static const GstAllocCapabilities memfd_caps = {
  GST_ALLOC_MEMORY_MEMFD, FALSE, GST_ALLOC_CACHE_CACHED, NULL, FALSE
};

static GstVideoInfo nv12_1080p;

static GstStructure *
config_for (GstBufferPool * pool, const GstVideoInfo * info,
    const gchar * constraints, guint min, guint max)
{
  return test_pool_config (pool, info, info->size, constraints, min, max);
}

/* The usual caller dance: set, and if refused with corrections, accept the
 * corrections and set again. */
static void
configure (GstBufferPool * pool, GstStructure * config)
{
  if (!gst_buffer_pool_set_config (pool, config)) {
    config = gst_buffer_pool_get_config (pool);
    fail_unless (gst_buffer_pool_set_config (pool, config),
        "corrected config refused");
  }
}

/* A pool over test_memfd_solver(), which the pool holds. */
static GstBufferPool *
memfd_pool (void)
{
  GstAllocSolver *solver = test_memfd_solver ();
  GstBufferPool *pool = gst_alloc_pool_new (solver);

  gst_object_unref (solver);
  return pool;
}

static void
setup (void)
{
  gst_video_info_set_format (&nv12_1080p, GST_VIDEO_FORMAT_NV12, 1920, 1080);
}

static void
count_critical (const gchar * domain, GLogLevelFlags level,
    const gchar * message, gpointer user_data)
{
  guint *criticals = user_data;

  (*criticals)++;
}

/* API misuse gets a critical and NULL, and nothing made: a GstBufferPool
 * holds file descriptors (its GstPoll), so a leaked pool shows there.
 * GstCheck's ASSERT_CRITICAL watches GStreamer's and GLib's log domains,
 * not the library's. */
GST_START_TEST (test_new_with_something_else_than_a_solver_leaks_nothing)
{
  GstAllocator *not_a_solver = fake_backend_new ("memfd", &memfd_caps);
  guint fds = test_count_open_fds ();
  GstBufferPool *pool;
  guint criticals = 0, handler;

  handler = g_log_set_handler ("GstAlloc", G_LOG_LEVEL_CRITICAL,
      count_critical, &criticals);
  pool = gst_alloc_pool_new ((GstAllocSolver *) not_a_solver);
  g_log_remove_handler ("GstAlloc", handler);
  fail_unless_equals_int (criticals, 1);
  fail_unless (pool == NULL);
  fail_unless_equals_int (test_count_open_fds (), fds);
  gst_object_unref (not_a_solver);
}

GST_END_TEST;

GST_START_TEST (test_config_is_corrected_then_accepted)
{
  GstBufferPool *pool = memfd_pool ();
  GstStructure *config;
  GstCaps *caps;
  guint size, min, max;

  config = config_for (pool, &nv12_1080p, "stride-align=256,height-align=16",
      2, 0);
  fail_if (gst_buffer_pool_set_config (pool, config));

  config = gst_buffer_pool_get_config (pool);
  fail_unless (gst_buffer_pool_config_get_params (config, &caps, &size, &min,
          &max));
  fail_unless_equals_int (size, 2048 * 1088 * 3 / 2);
  /* Four buffers at start; an unlimited max stays unlimited: the pool
   * grows on demand up to its budget. */
  fail_unless_equals_int (min, 4);
  fail_unless_equals_int (max, 0);
  fail_unless (gst_buffer_pool_config_has_option (config,
          GST_BUFFER_POOL_OPTION_VIDEO_META));
  fail_unless (gst_buffer_pool_set_config (pool, config));
  gst_object_unref (pool);
}

GST_END_TEST;

GST_START_TEST (test_config_round_trips)
{
  GstBufferPool *pool = memfd_pool ();
  GstAllocConstraints *set, *got;
  GstStructure *config;

  config = config_for (pool, &nv12_1080p,
      "stride-align=64,padding-left=16,memory=memfd|dmabuf,min-buffers=3", 3,
      5);
  set = gst_alloc_pool_config_get_constraints (config, NULL);
  configure (pool, config);

  config = gst_buffer_pool_get_config (pool);
  got = gst_alloc_pool_config_get_constraints (config, NULL);
  fail_unless (gst_alloc_constraints_is_equal (set, got));
  fail_unless_equals_string (gst_alloc_constraints_get_origin (got,
          GST_ALLOC_FIELD_STRIDE_ALIGN), "test-consumer");
  /* The accepted config reads back exactly as it was set. */
  fail_unless (gst_buffer_pool_set_config (pool, config));
  gst_alloc_constraints_free (set);
  gst_alloc_constraints_free (got);
  gst_object_unref (pool);
}

GST_END_TEST;

GST_START_TEST (test_allocates_only_while_starting)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  FakeBackend *backend = fake_backend_add (solver, "memfd", &memfd_caps);
  GstBufferPool *pool = gst_alloc_pool_new (solver);
  GstBuffer *bufs[3];
  guint64 allocated;
  guint i, j;

  configure (pool, config_for (pool, &nv12_1080p, "stride-align=256", 6, 6));
  fail_unless_equals_int (fake_backend_get_allocations (backend), 0);
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  fail_unless_equals_int (fake_backend_get_allocations (backend), 6);
  allocated = gst_alloc_pool_get_bytes_allocated (GST_ALLOC_POOL (pool));
  fail_unless (allocated >= 6 * (guint64) 2048 * 1080 * 3 / 2);

  for (i = 0; i < 500; i++) {
    for (j = 0; j < G_N_ELEMENTS (bufs); j++)
      fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &bufs[j],
              NULL), GST_FLOW_OK);
    for (j = 0; j < G_N_ELEMENTS (bufs); j++)
      gst_buffer_unref (bufs[j]);
  }
  fail_unless_equals_int (fake_backend_get_allocations (backend), 6);
  fail_unless_equals_uint64 (gst_alloc_pool_get_bytes_allocated
      (GST_ALLOC_POOL (pool)), allocated);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_out_of_memory_falls_back_to_the_next_backend)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  FakeBackend *heap = fake_backend_add (solver, "dmaheap:system", &heap_caps);
  FakeBackend *memfd = fake_backend_add (solver, "memfd", &memfd_caps);
  GstBufferPool *pool = gst_alloc_pool_new (solver);
  GstAllocator *backend;
  gchar *report;

  fake_backend_fail_alloc_after (heap, 2, ENOMEM);
  configure (pool, config_for (pool, &nv12_1080p, "", 5, 5));
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  fail_unless_equals_int (fake_backend_get_allocations (heap), 2);
  fail_unless_equals_int (fake_backend_get_allocations (memfd), 3);

  backend = gst_alloc_pool_get_backend (GST_ALLOC_POOL (pool));
  fail_unless_equals_string (GST_OBJECT_NAME (backend), "memfd");
  report = gst_alloc_pool_get_report (GST_ALLOC_POOL (pool));
  fail_unless (strstr (report, "dmaheap:system failed: fake dmaheap:system: "
          "Cannot allocate memory") != NULL, "%s", report);
  g_free (report);
  gst_object_unref (backend);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
  gst_object_unref (solver);
}

GST_END_TEST;

static guint pool_warnings;

static void
count_pool_warnings (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  const gchar *wanted = user_data;

  if (level == GST_LEVEL_WARNING
      && g_str_equal (gst_debug_category_get_name (category), "allocpool")
      && strstr (gst_debug_message_get (message), wanted))
    pool_warnings++;
}

/* Counts from now on the pool's warnings that contain @wanted. */
static void
count_warnings_saying (const gchar * wanted)
{
  gst_debug_set_threshold_for_name ("allocpool", GST_LEVEL_WARNING);
  gst_debug_add_log_function (count_pool_warnings, (gpointer) wanted, NULL);
  pool_warnings = 0;
}

/* Each fake backend hands out memory of an allocator of its own. */
static void
assert_one_backend_per_buffer (GstBuffer * buf)
{
  GstAllocator *first = gst_buffer_peek_memory (buf, 0)->allocator;
  guint i;

  for (i = 1; i < gst_buffer_n_memory (buf); i++)
    fail_unless (gst_buffer_peek_memory (buf, i)->allocator == first,
        "memory %u comes from another backend than memory 0", i);
}

GST_START_TEST (test_fallback_in_the_middle_of_a_buffer_makes_it_again)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  FakeBackend *heap = fake_backend_add (solver, "dmaheap:system", &heap_caps);
  FakeBackend *memfd = fake_backend_add (solver, "memfd", &memfd_caps);
  GstBufferPool *pool = gst_alloc_pool_new (solver);
  GstBuffer *bufs[4];
  guint i;

  count_warnings_saying ("falling back");
  /* Two memories a buffer: the second buffer's second one fails. */
  fake_backend_fail_alloc_after (heap, 3, EMFILE);
  configure (pool, config_for (pool, &nv12_1080p, "planes=separate", 4, 4));
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  fail_unless_equals_int (fake_backend_get_allocations (heap), 3);
  fail_unless_equals_int (fake_backend_get_allocations (memfd), 6);
  for (i = 0; i < G_N_ELEMENTS (bufs); i++) {
    fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &bufs[i],
            NULL), GST_FLOW_OK);
    fail_unless_equals_int (gst_buffer_n_memory (bufs[i]), 2);
    assert_one_backend_per_buffer (bufs[i]);
  }
  fail_unless_equals_int (pool_warnings, 1);
  gst_debug_remove_log_function (count_pool_warnings);
  for (i = 0; i < G_N_ELEMENTS (bufs); i++)
    gst_buffer_unref (bufs[i]);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_every_backend_out_of_memory_fails_to_start)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  FakeBackend *heap = fake_backend_add (solver, "dmaheap:system", &heap_caps);
  GstBufferPool *pool = gst_alloc_pool_new (solver);

  fake_backend_fail_alloc_after (heap, 1, ENOMEM);
  configure (pool, config_for (pool, &nv12_1080p, "", 3, 3));
  fail_if (gst_buffer_pool_set_active (pool, TRUE));
  gst_object_unref (pool);
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_unsatisfiable_constraints_are_refused)
{
  GstBufferPool *pool = memfd_pool ();
  GstStructure *config;
  guint size;

  config = config_for (pool, &nv12_1080p, "contiguous=true", 2, 2);
  fail_if (gst_buffer_pool_set_config (pool, config));
  /* Nothing to correct: the config comes back as it was given. */
  config = gst_buffer_pool_get_config (pool);
  gst_buffer_pool_config_get_params (config, NULL, &size, NULL, NULL);
  fail_unless_equals_int (size, nv12_1080p.size);
  fail_if (gst_buffer_pool_set_config (pool, config));
  fail_if (gst_buffer_pool_set_active (pool, TRUE));
  gst_object_unref (pool);
}

GST_END_TEST;

GST_START_TEST (test_more_buffers_than_max_buffers_is_refused)
{
  GstBufferPool *pool = memfd_pool ();

  fail_if (gst_buffer_pool_set_config (pool, config_for (pool, &nv12_1080p,
              "max-buffers=4", 8, 8)));
  fail_if (gst_buffer_pool_set_config (pool,
          gst_buffer_pool_get_config (pool)));
  gst_object_unref (pool);
}

GST_END_TEST;

static GstBuffer *
acquire_one (GstBufferPool * pool)
{
  GstBuffer *buf = NULL;

  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buf, NULL),
      GST_FLOW_OK);
  return buf;
}

static void
assert_satisfies (GstBuffer * buf, const GstVideoInfo * info,
    const gchar * wanted)
{
  GstAllocConstraints *c = gst_alloc_constraints_from_string (wanted, "test",
      NULL);
  GError *err = NULL;

  fail_unless (gst_alloc_constraints_check_buffer (c, info, buf, &err), "%s",
      err ? err->message : "");
  gst_alloc_constraints_free (c);
}

static GstVideoInfo *
video_info (GstVideoFormat format, guint width, guint height)
{
  GstVideoInfo *info = gst_video_info_new ();

  gst_video_info_set_format (info, format, width, height);
  return info;
}

/* GstBufferPool keeps the corrected config of a pool an earlier config
 * configured, so setting the corrections again returns TRUE without asking
 * the pool: the pool must then already do what the corrections say. */
GST_START_TEST (test_corrected_config_on_a_configured_pool_takes_effect)
{
  GstBufferPool *pool = memfd_pool ();
  GstVideoInfo *vga = video_info (GST_VIDEO_FORMAT_NV12, 640, 480);
  GstAllocLayout layout;
  GstBuffer *buf;

  configure (pool, config_for (pool, &nv12_1080p, "stride-align=256", 4, 0));
  /* A max-buffers below the four at start is corrected, not taken. */
  fail_if (gst_buffer_pool_set_config (pool, config_for (pool, vga,
              "stride-align=256", 1, 2)));
  fail_unless (gst_buffer_pool_set_config (pool,
          gst_buffer_pool_get_config (pool)));
  fail_unless (gst_alloc_pool_get_layout (GST_ALLOC_POOL (pool), &layout));
  fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (&layout.info), 640);
  buf = acquire_one (pool);
  assert_satisfies (buf, vga, "stride-align=256");
  fail_unless_equals_int (gst_buffer_get_size (buf), 768 * 480 * 3 / 2);
  gst_buffer_unref (buf);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_video_info_free (vga);
  gst_object_unref (pool);
}

GST_END_TEST;

/* A refused config is kept by GstBufferPool too, and setting it again
 * returns TRUE without asking the pool; the pool configured before must
 * not start with its earlier layout. */
GST_START_TEST (test_refused_config_on_a_configured_pool_does_not_start)
{
  GstBufferPool *pool = memfd_pool ();
  GstAllocLayout layout;
  GstStructure *config;

  configure (pool, config_for (pool, &nv12_1080p, "", 2, 2));
  config = config_for (pool, &nv12_1080p, "contiguous=true", 2, 2);
  fail_if (gst_buffer_pool_set_config (pool, config));
  gst_buffer_pool_set_config (pool, gst_buffer_pool_get_config (pool));
  fail_if (gst_buffer_pool_set_active (pool, TRUE));
  fail_if (gst_alloc_pool_get_layout (GST_ALLOC_POOL (pool), &layout));
  gst_object_unref (pool);
}

GST_END_TEST;

/* Answers @query for @info's caps with @pool and the constraints @str;
 * returns what the answer said and the error, if any, in @err. */
static gboolean
answer (GstBufferPool * pool, const GstVideoInfo * info, const gchar * str,
    GError ** err)
{
  GstCaps *caps = gst_video_info_to_caps (info);
  GstQuery *query = gst_query_new_allocation (caps, TRUE);
  GstAllocConstraints *c = test_constraints_parse (str, "test-consumer");
  gboolean ok;

  ok = gst_alloc_query_answer_with_pool (query, c, pool, err);
  fail_unless_equals_int (gst_query_get_n_allocation_pools (query), ok);
  gst_alloc_constraints_free (c);
  gst_query_unref (query);
  gst_caps_unref (caps);
  return ok;
}

/* The retry of a refused config on a pool configured before returns TRUE
 * without asking the pool: the answer must not take that for success,
 * neither then nor when asked the same again. */
GST_START_TEST (test_answer_with_a_configured_pool_reports_its_refusal)
{
  GstBufferPool *pool = memfd_pool ();
  GError *err = NULL;
  guint i;

  gst_alloc_pool_set_budget (GST_ALLOC_POOL (pool), 64 * 1024 * 1024);
  fail_unless (answer (pool, &nv12_1080p, "", &err));
  for (i = 0; i < 2; i++) {
    fail_if (answer (pool, &nv12_1080p, "min-buffers=1000", &err));
    fail_unless (g_error_matches (err, GST_ALLOC_ERROR,
            GST_ALLOC_ERROR_BUDGET), "%s", err->message);
    g_clear_error (&err);
  }
  fail_if (gst_buffer_pool_set_active (pool, TRUE));
  gst_object_unref (pool);
}

GST_END_TEST;

/* GstBufferPool refuses a config for a pool with buffers out without
 * asking it (1.22 for any active pool; later ones deactivate it first),
 * and setting the config it kept again returns TRUE. */
GST_START_TEST (test_answer_with_a_pool_in_use_reports_it_kept_its_config)
{
  GstBufferPool *pool = memfd_pool ();
  GstVideoInfo *vga = video_info (GST_VIDEO_FORMAT_NV12, 640, 480);
  GstAllocLayout layout;
  GError *err = NULL;
  GstBuffer *buf;

  fail_unless (answer (pool, &nv12_1080p, "", &err));
  buf = acquire_one (pool);
  fail_if (answer (pool, vga, "", &err));
  fail_unless (g_error_matches (err, GST_ALLOC_ERROR,
          GST_ALLOC_ERROR_UNSATISFIABLE));
  fail_unless (strstr (err->message, "earlier config") != NULL, "%s",
      err->message);
  g_clear_error (&err);
  fail_unless (gst_alloc_pool_get_layout (GST_ALLOC_POOL (pool), &layout));
  fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (&layout.info), 1920);
  gst_buffer_unref (buf);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_video_info_free (vga);
  gst_object_unref (pool);
}

GST_END_TEST;

/* A producer's refused config (its own video alignment) stays in the pool:
 * the next answer must configure the pool for itself, not for that. */
GST_START_TEST (test_answer_after_a_producers_refused_config_configures_pool)
{
  GstBufferPool *pool = memfd_pool ();
  GstVideoAlignment align;
  GstStructure *config;
  GError *err = NULL;
  GstBuffer *buf;

  fail_unless (answer (pool, &nv12_1080p, "default-layout=true", &err));
  config = gst_buffer_pool_get_config (pool);
  gst_video_alignment_reset (&align);
  align.padding_bottom = 8;
  gst_buffer_pool_config_add_option (config,
      GST_BUFFER_POOL_OPTION_VIDEO_ALIGNMENT);
  gst_buffer_pool_config_set_video_alignment (config, &align);
  fail_if (gst_buffer_pool_set_config (pool, config));

  fail_unless (answer (pool, &nv12_1080p, "default-layout=true", &err), "%s",
      err->message);
  buf = acquire_one (pool);
  fail_unless_equals_int (gst_buffer_get_size (buf), nv12_1080p.size);
  gst_buffer_unref (buf);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
}

GST_END_TEST;

GST_START_TEST (test_stock_video_alignment_option_is_honoured)
{
  GstBufferPool *pool = memfd_pool ();
  GstStructure *config = config_for (pool, &nv12_1080p, "", 2, 2);
  GstVideoAlignment align;
  GstBuffer *buf;

  gst_video_alignment_reset (&align);
  align.padding_top = 4;
  align.stride_align[0] = align.stride_align[1] = 127;
  gst_buffer_pool_config_add_option (config,
      GST_BUFFER_POOL_OPTION_VIDEO_ALIGNMENT);
  gst_buffer_pool_config_set_video_alignment (config, &align);
  configure (pool, config);
  buf = acquire_one (pool);
  assert_satisfies (buf, &nv12_1080p, "padding-top=4,stride-align=128");
  gst_buffer_unref (buf);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
}

GST_END_TEST;

GST_START_TEST (test_stock_allocation_params_are_honoured)
{
  GstBufferPool *pool = memfd_pool ();
  GstStructure *config = config_for (pool, &nv12_1080p, "", 2, 2);
  GstAllocationParams params;
  GstBuffer *buf;

  gst_allocation_params_init (&params);
  params.align = 1023;
  params.prefix = 100;
  params.padding = 5000;
  gst_buffer_pool_config_set_allocator (config, NULL, &params);
  configure (pool, config);
  buf = acquire_one (pool);
  assert_satisfies (buf, &nv12_1080p,
      "offset-align=1024,prefix-bytes=100,padding-bytes=5000");
  gst_buffer_unref (buf);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
}

GST_END_TEST;

GST_START_TEST (test_separate_planes_give_one_memory_per_plane)
{
  GstBufferPool *pool = memfd_pool ();
  GstVideoInfo info;
  GstVideoFrame frame;
  GstBuffer *buf;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 640, 480);
  configure (pool, config_for (pool, &info, "planes=separate", 2, 2));
  buf = acquire_one (pool);
  fail_unless_equals_int (gst_buffer_n_memory (buf), 3);
  assert_satisfies (buf, &info, "planes=separate,memory=memfd");
  fail_unless (gst_video_frame_map (&frame, &info, buf, GST_MAP_WRITE));
  memset (GST_VIDEO_FRAME_PLANE_DATA (&frame, 2), 0x80,
      GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 2) * 240);
  gst_video_frame_unmap (&frame);
  gst_buffer_unref (buf);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
}

GST_END_TEST;

GST_START_TEST (test_contiguous_backend_flags_its_memory)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  GstBufferPool *pool;
  GstBuffer *buf;

  fake_backend_add (solver, "dmaheap:system", &heap_caps);
  fake_backend_add (solver, "dmaheap:linux,cma", &cma_caps);
  pool = gst_alloc_pool_new (solver);
  configure (pool, config_for (pool, &nv12_1080p, "contiguous=true", 2, 2));
  buf = acquire_one (pool);
  fail_unless (GST_MEMORY_FLAG_IS_SET (gst_buffer_peek_memory (buf, 0),
          GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS));
  gst_buffer_unref (buf);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
  gst_object_unref (solver);
}

GST_END_TEST;

GST_START_TEST (test_bigger_requested_size_is_given)
{
  GstBufferPool *pool = memfd_pool ();
  GstStructure *config = config_for (pool, &nv12_1080p, "", 2, 2);
  GstCaps *caps = gst_video_info_to_caps (&nv12_1080p);
  GstBuffer *buf;

  gst_buffer_pool_config_set_params (config, caps, nv12_1080p.size + 12345,
      2, 2);
  configure (pool, config);
  buf = acquire_one (pool);
  fail_unless_equals_int (gst_buffer_get_size (buf), nv12_1080p.size + 12345);
  gst_buffer_unref (buf);
  /* Recycled buffers keep their size (the pool resets them to it). */
  buf = NULL;
  fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buf, NULL),
      GST_FLOW_OK);
  fail_unless_equals_int (gst_buffer_get_size (buf), nv12_1080p.size + 12345);
  gst_buffer_unref (buf);
  gst_caps_unref (caps);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
}

GST_END_TEST;

GST_START_TEST (test_report_names_layout_and_backend)
{
  GstBufferPool *pool = memfd_pool ();
  gchar *report;

  configure (pool, config_for (pool, &nv12_1080p, "stride-align=256", 2, 2));
  report = gst_alloc_pool_get_report (GST_ALLOC_POOL (pool));
  fail_unless (strstr (report, "constraints: stride-align=256") != NULL, "%s",
      report);
  fail_unless (strstr (report, "layout: NV12 1920x1080") != NULL, "%s", report);
  fail_unless (strstr (report, "strides 2048 2048") != NULL, "%s", report);
  fail_unless (strstr (report, "backend: chosen memfd") != NULL, "%s", report);
  g_free (report);
  gst_object_unref (pool);
}

GST_END_TEST;

/* Acquires from @pool until @wanted comes back (each other buffer goes
 * straight back); fails if it never does. */
static GstBuffer *
acquire_until (GstBufferPool * pool, GstBuffer * wanted)
{
  GstBuffer *buf = NULL;
  guint i;

  for (i = 0; i < 100; i++) {
    fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buf, NULL),
        GST_FLOW_OK);
    if (buf == wanted)
      return buf;
    gst_buffer_unref (buf);
  }
  fail ("the buffer never came back from the pool");
  return NULL;
}

GST_START_TEST (test_recycled_buffer_keeps_only_the_pools_metas)
{
  GstBufferPool *pool = memfd_pool ();
  GstVideoMeta *vmeta;
  GstBuffer *buf, *again;

  configure (pool, config_for (pool, &nv12_1080p, "stride-align=256", 4, 4));
  buf = acquire_one (pool);
  vmeta = gst_buffer_get_video_meta (buf);
  fail_unless (vmeta != NULL);
  fail_unless (GST_META_FLAG_IS_SET (vmeta, GST_META_FLAG_POOLED));
  /* What downstream adds to one frame. */
  fail_unless (gst_buffer_add_video_crop_meta (buf) != NULL);
  gst_buffer_unref (buf);

  again = acquire_until (pool, buf);
  fail_unless (gst_buffer_get_video_crop_meta (again) == NULL);
  fail_unless (gst_buffer_get_video_meta (again) == vmeta);
  fail_unless_equals_int (vmeta->stride[0], 2048);
  gst_buffer_unref (again);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
}

GST_END_TEST;

static Suite *
pool_suite (void)
{
  Suite *s = suite_create ("alloc-pool");
  TCase *config = tcase_create ("config");
  TCase *alloc = tcase_create ("allocation");

  suite_add_tcase (s, config);
  tcase_add_checked_fixture (config, setup, NULL);
  tcase_add_test (config, test_config_is_corrected_then_accepted);
  tcase_add_test (config,
      test_new_with_something_else_than_a_solver_leaks_nothing);
  tcase_add_test (config, test_config_round_trips);
  tcase_add_test (config, test_unsatisfiable_constraints_are_refused);
  tcase_add_test (config, test_more_buffers_than_max_buffers_is_refused);
  tcase_add_test (config, test_stock_video_alignment_option_is_honoured);
  tcase_add_test (config, test_stock_allocation_params_are_honoured);
  tcase_add_test (config, test_report_names_layout_and_backend);
  tcase_add_test (config,
      test_corrected_config_on_a_configured_pool_takes_effect);
  tcase_add_test (config,
      test_refused_config_on_a_configured_pool_does_not_start);
  tcase_add_test (config,
      test_answer_with_a_configured_pool_reports_its_refusal);
  tcase_add_test (config,
      test_answer_with_a_pool_in_use_reports_it_kept_its_config);
  tcase_add_test (config,
      test_answer_after_a_producers_refused_config_configures_pool);

  suite_add_tcase (s, alloc);
  tcase_add_checked_fixture (alloc, setup, NULL);
  tcase_add_test (alloc, test_allocates_only_while_starting);
  tcase_add_test (alloc, test_out_of_memory_falls_back_to_the_next_backend);
  tcase_add_test (alloc,
      test_fallback_in_the_middle_of_a_buffer_makes_it_again);
  tcase_add_test (alloc, test_every_backend_out_of_memory_fails_to_start);
  tcase_add_test (alloc, test_separate_planes_give_one_memory_per_plane);
  tcase_add_test (alloc, test_contiguous_backend_flags_its_memory);
  tcase_add_test (alloc, test_bigger_requested_size_is_given);
  tcase_add_test (alloc, test_recycled_buffer_keeps_only_the_pools_metas);
  return s;
}

GST_CHECK_MAIN (pool);
