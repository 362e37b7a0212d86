/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* alloctee and allocfilter with DMA_DRM caps (GStreamer 1.24 and newer): a
 * producer offering several DRM formats, branches taking overlapping sets
 * of them. The pair every branch takes is chosen and the branches share
 * one linear pool; a branch whose pairs meet no other's is the only one
 * converted, or refused with copies forbidden, and the messages name the
 * pairs; a tiled pair every branch takes passes through untouched. With an
 * older GStreamer the suite skips, saying why. */

#include "config.h"

#include <gst/check/gstcheck.h>
#include <gst/base/gstpushsrc.h>
#include <gst/allocators/allocators.h>
#include <gst/alloc/alloc.h>

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pipeline.h"
#include "testutil.h"

#if GST_CHECK_VERSION (1, 24, 0)

/* alloctee's GstAllocTeeBranchMode values. */
#define MODE_ZERO_COPY 0
#define MODE_CONVERTED 1
#define MODE_REFUSED 2

#define FRAMES 10
#define TILED_X "NV12:0x0800000000000001"
#define TILED_Y "NV12:0x0100000000000002"
#define TILED_Z "NV12:0x0100000000000004"
#define DMA_DRM "video/x-raw(memory:DMABuf),format=DMA_DRM"
#define QUEUE "queue max-size-buffers=0 max-size-bytes=0 max-size-time=0"

/* --- a producer of DMA_DRM frames: it fills the pool it is offered --- */

typedef struct
{
  GstPushSrc parent;
} DmaDrmSrc;

typedef struct
{
  GstPushSrcClass parent_class;
} DmaDrmSrcClass;

static GType dma_drm_src_get_type (void);
G_DEFINE_TYPE (DmaDrmSrc, dma_drm_src, GST_TYPE_PUSH_SRC);

/* The tiled pairs first: choosing the first value offered would pick one
 * that most branches cannot take. */
static GstStaticPadTemplate dma_drm_src_template =
GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("video/x-raw(memory:DMABuf), format=DMA_DRM, "
        "drm-format={ " TILED_X ", " TILED_Y ", " TILED_Z ", NV12 }, "
        "width=320, height=240, framerate=30/1"));

/* Without a pool offered (a tiled pair), frames of the linear size from a
 * plain pool, as a GPU producer would allocate its own. */
static gboolean
dma_drm_src_decide_allocation (GstBaseSrc * src, GstQuery * query)
{
  GstBufferPool *pool;
  GstStructure *config;
  GstCaps *caps;

  if (gst_query_get_n_allocation_pools (query) > 0)
    return GST_BASE_SRC_CLASS (dma_drm_src_parent_class)->decide_allocation
        (src, query);
  gst_query_parse_allocation (query, &caps, NULL);
  pool = gst_buffer_pool_new ();
  config = gst_buffer_pool_get_config (pool);
  gst_buffer_pool_config_set_params (config, caps, 320 * 240 * 3 / 2, 2, 0);
  gst_buffer_pool_set_config (pool, config);
  gst_query_add_allocation_pool (query, pool, 320 * 240 * 3 / 2, 2, 0);
  gst_object_unref (pool);
  return TRUE;
}

static GstFlowReturn
dma_drm_src_fill (GstPushSrc * src, GstBuffer * buffer)
{
  gst_buffer_memset (buffer, 0, 0x80, gst_buffer_get_size (buffer));
  return GST_FLOW_OK;
}

static void
dma_drm_src_class_init (DmaDrmSrcClass * klass)
{
  gst_element_class_add_static_pad_template (GST_ELEMENT_CLASS (klass),
      &dma_drm_src_template);
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass),
      "DMA_DRM test source", "Source/Video", "Offers DMA_DRM caps",
      "gst-alloc tests");
  GST_BASE_SRC_CLASS (klass)->decide_allocation = dma_drm_src_decide_allocation;
  GST_PUSH_SRC_CLASS (klass)->fill = dma_drm_src_fill;
}

static void
dma_drm_src_init (DmaDrmSrc * self)
{
}

/* --- a dma-buf backend for a machine without one --- */

/* DMA_DRM caps ask for dma-bufs, which this machine's kernel cannot make
 * (no DMA heap, no udmabuf; tests/kernel runs the real ones). This backend
 * hands out memfd memory wrapped as GstDmaBufMemory: mappable, an fd, and
 * a dma-buf to every check that looks at the memory type, which is all the
 * negotiation tested here looks at. */
typedef struct
{
  GstAllocator parent;
  GstAllocator *dmabuf;
} LabelBackend;

typedef struct
{
  GstAllocatorClass parent_class;
} LabelBackendClass;

static GType label_backend_get_type (void);
static void label_backend_iface_init (GstAllocBackendInterface * iface);
G_DEFINE_TYPE_WITH_CODE (LabelBackend, label_backend, GST_TYPE_ALLOCATOR,
    G_IMPLEMENT_INTERFACE (GST_TYPE_ALLOC_BACKEND, label_backend_iface_init));

static void
label_get_capabilities (GstAllocBackend * backend, GstAllocCapabilities * caps)
{
  caps->memory = GST_ALLOC_MEMORY_DMABUF;
  caps->cache = GST_ALLOC_CACHE_CACHED;
}

static GstMemory *
label_alloc (GstAllocBackend * backend, gsize size, const gchar * name,
    GError ** error)
{
  LabelBackend *self = (LabelBackend *) backend;
  gsize page = sysconf (_SC_PAGESIZE), rounded = (size + page - 1) / page *
      page;
  GstMemory *mem;
  int fd = memfd_create ("dmadrm-test", MFD_CLOEXEC);

  fail_unless (fd >= 0 && ftruncate (fd, rounded) == 0);
  mem = gst_dmabuf_allocator_alloc (self->dmabuf, fd, rounded);
  gst_memory_resize (mem, 0, size);
  return mem;
}

static void
label_backend_iface_init (GstAllocBackendInterface * iface)
{
  iface->get_capabilities = label_get_capabilities;
  iface->alloc = label_alloc;
}

static void
label_backend_finalize (GObject * object)
{
  gst_object_unref (((LabelBackend *) object)->dmabuf);
  G_OBJECT_CLASS (label_backend_parent_class)->finalize (object);
}

static void
label_backend_class_init (LabelBackendClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = label_backend_finalize;
}

static void
label_backend_init (LabelBackend * self)
{
  self->dmabuf = gst_dmabuf_allocator_new ();
}

static GstAllocSolver *
labelled_dmabuf_solver (void)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  GstAllocator *backend = g_object_new (label_backend_get_type (), "name",
      "labelled-dmabuf", NULL);

  gst_object_ref_sink (backend);
  gst_alloc_solver_add_backend (solver, backend);
  gst_object_unref (backend);
  return solver;
}

/* --- helpers --- */

/* The stream's drm-format, as the tee received it. */
static GstPadProbeReturn
note_stream_format (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  gchar **format = user_data;
  GstCaps *caps;

  if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS) {
    gst_event_parse_caps (event, &caps);
    g_free (*format);
    *format = g_strdup (gst_structure_get_string (gst_caps_get_structure
            (caps, 0), "drm-format"));
  }
  return GST_PAD_PROBE_OK;
}

/* Every element of ours allocates from @solver. */
static void
use_solver (GstElement * pipeline, GstAllocSolver * solver)
{
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (pipeline));
  GValue item = G_VALUE_INIT;
  GObject *e;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    e = g_value_get_object (&item);
    if (g_object_class_find_property (G_OBJECT_GET_CLASS (e), "solver"))
      g_object_set (e, "solver", solver, NULL);
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
}

static gchar *stream_format;

static GstElement *
launch (const gchar * tee_options, const gchar * branches)
{
  gchar *desc = g_strdup_printf ("dmadrmsrc num-buffers=%d ! "
      "alloctee name=t %s %s", FRAMES, tee_options, branches);
  GstElement *pipeline = test_launch (desc);
  GstElement *tee = gst_bin_get_by_name (GST_BIN (pipeline), "t");
  GstPad *pad = gst_element_get_static_pad (tee, "sink");
  GstAllocSolver *solver = labelled_dmabuf_solver ();

  g_clear_pointer (&stream_format, g_free);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      note_stream_format, &stream_format, NULL);
  use_solver (pipeline, solver);
  gst_object_unref (solver);
  gst_object_unref (pad);
  gst_object_unref (tee);
  g_free (desc);
  return pipeline;
}

static gint
pad_mode (GstElement * pipeline, const gchar * pad)
{
  gint mode;

  g_object_get (test_element_pad (pipeline, "t", pad), "mode", &mode, NULL);
  return mode;
}

static gchar *
pad_reason (GstElement * pipeline, const gchar * pad)
{
  gchar *reason;

  g_object_get (test_element_pad (pipeline, "t", pad), "reason", &reason, NULL);
  return reason;
}

static gchar *
element_string (GstElement * pipeline, const gchar * name,
    const gchar * property)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), name);
  gchar *value;

  fail_unless (e != NULL, "no element %s", name);
  g_object_get (e, property, &value, NULL);
  gst_object_unref (e);
  return value;
}

/* Branch a lists a tiled pair first (a capsfilter keeps the order); b and
 * c state theirs as allocfilter constraints. */
#define THREE_BRANCHES \
  " t. ! " QUEUE " ! capsfilter caps=\"" DMA_DRM ",drm-format={" TILED_X \
  ",NV12}\" ! allocchecksink name=a" \
  " t. ! " QUEUE " ! allocfilter constraints=drm-formats=NV12:linear ! " \
  "allocchecksink name=b" \
  " t. ! " QUEUE " ! allocfilter constraints=\"drm-formats=NV12:linear|" \
  TILED_Y "\" ! allocchecksink name=c"

#define LONE_BRANCH \
  " t. ! " QUEUE " ! allocfilter constraints=drm-formats=" TILED_Z " ! " \
  "allocchecksink name=d"

static void
assert_three_share_the_pool (GstElement * pipeline)
{
  const gchar *sinks[] = { "a", "b", "c" };
  const gchar *pads[] = { "src_0", "src_1", "src_2" };
  gchar *first_id, *id;
  guint i;

  fail_unless_equals_string (stream_format, "NV12");
  first_id = element_string (pipeline, "a", "last-memory-id");
  for (i = 0; i < G_N_ELEMENTS (sinks); i++) {
    fail_unless_equals_uint64 (test_element_uint64 (pipeline, sinks[i],
            "buffers"), FRAMES);
    fail_unless_equals_uint64 (test_element_uint64 (pipeline, sinks[i],
            "violations"), 0);
    fail_unless_equals_int (pad_mode (pipeline, pads[i]), MODE_ZERO_COPY);
    fail_unless_equals_uint64 (test_branch_uint64 (pipeline, pads[i], "copies"),
        0);
    /* The same memory in every branch: no copy anywhere. */
    id = element_string (pipeline, sinks[i], "last-memory-id");
    fail_unless_equals_string (id, first_id);
    g_free (id);
  }
  g_free (first_id);
}

/* --- the tests --- */

GST_START_TEST (test_three_branches_share_one_linear_pool)
{
  GstElement *pipeline = launch ("", THREE_BRANCHES);

  fail_unless (test_run (pipeline, NULL) == NULL);
  assert_three_share_the_pool (pipeline);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_branch_meeting_no_other_is_the_only_one_converted)
{
  GstElement *pipeline = launch ("", THREE_BRANCHES LONE_BRANCH);
  gchar *reason, *kinds;

  fail_unless (test_run (pipeline, NULL) == NULL);
  assert_three_share_the_pool (pipeline);
  fail_unless_equals_int (pad_mode (pipeline, "src_3"), MODE_CONVERTED);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_3", "copies"),
      FRAMES);
  fail_unless_equals_uint64 (test_element_uint64 (pipeline, "d", "violations"),
      0);
  reason = pad_reason (pipeline, "src_3");
  fail_unless (strstr (reason, "takes no DMA_DRM NV12:linear, the stream's "
          "(its DMA_DRM caps take " TILED_Z "); frames are converted to NV12 "
          "in system memory"), "%s", reason);
  /* Plain system memory caps, whatever memory the pool gives. */
  kinds = element_string (pipeline, "d", "memory-kinds");
  GST_INFO ("branch d saw %s: %s", kinds, reason);
  g_free (kinds);
  g_free (reason);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_branch_meeting_no_other_is_refused_naming_the_pairs)
{
  const gchar *words[] = { "src_3", "allow-copies is false",
    "takes no DMA_DRM NV12:linear", TILED_Z, NULL
  };
  GstElement *pipeline = launch ("allow-copies=false",
      THREE_BRANCHES LONE_BRANCH);

  test_assert_error_mentions (test_run (pipeline, NULL), words);
  fail_unless_equals_int (pad_mode (pipeline, "src_3"), MODE_REFUSED);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_3", "copies"),
      0);
  fail_unless_equals_uint64 (test_element_uint64 (pipeline, "d", "buffers"), 0);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_branch_taking_only_a_tiled_pair_is_an_error_naming_it)
{
  const gchar *words[] = { "src_1", "takes nothing the tee can give",
    "DMA_DRM NV12:linear", TILED_Z, NULL
  };
  GstElement *pipeline = launch ("", " t. ! " QUEUE " ! allocfilter "
      "constraints=drm-formats=NV12:linear ! allocchecksink name=a "
      "t. ! " QUEUE " ! capsfilter caps=\"" DMA_DRM ",drm-format=" TILED_Z
      "\" ! fakesink name=tiled");

  test_assert_error_mentions (test_run (pipeline, NULL), words);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Every branch takes the same tiled pair: the producer's own buffers go to
 * each of them untouched, since no pool of ours can lay it out. */
GST_START_TEST (test_tiled_pair_every_branch_takes_passes_untouched)
{
  GstElement *pipeline = launch ("",
      " t. ! " QUEUE " ! allocfilter constraints=drm-formats=" TILED_X
      " ! fakesink name=a"
      " t. ! " QUEUE " ! allocfilter constraints=\"drm-formats=NV12:linear|"
      TILED_X "\" ! fakesink name=b");
  fail_unless (test_run (pipeline, NULL) == NULL);
  fail_unless_equals_string (stream_format, TILED_X);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_0", "copies"),
      0);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_1", "copies"),
      0);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_0", "buffers"),
      FRAMES);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* allocfilter says which pairs pass, in both directions. */
GST_START_TEST (test_allocfilter_narrows_dma_drm_caps_to_its_pairs)
{
  GstElement *filter = gst_element_factory_make ("allocfilter", NULL);
  GstPad *sink = gst_element_get_static_pad (filter, "sink");
  GstCaps *caps, *expected;

  g_object_set (filter, "constraints", "drm-formats=NV12:linear|" TILED_Y,
      NULL);
  caps = gst_pad_query_caps (sink, NULL);
  expected = gst_caps_from_string ("video/x-raw(memory:DMABuf), "
      "format=DMA_DRM, drm-format={ NV12, " TILED_Y " }");
  fail_unless (gst_caps_can_intersect (caps, expected));
  gst_caps_unref (expected);
  expected = gst_caps_from_string ("video/x-raw(memory:DMABuf), "
      "format=DMA_DRM, drm-format=" TILED_X);
  fail_if (gst_caps_can_intersect (caps, expected), "%" GST_PTR_FORMAT, caps);
  gst_caps_unref (expected);
  /* Plain raw video passes as it is. */
  expected = gst_caps_from_string ("video/x-raw, format=YUY2");
  fail_unless (gst_caps_can_intersect (caps, expected));
  gst_caps_unref (expected);
  gst_caps_unref (caps);
  gst_object_unref (sink);
  gst_object_unref (filter);
}

GST_END_TEST;

static Suite *
dmadrm_suite (void)
{
  Suite *s = suite_create ("dmadrm");
  TCase *tc = tcase_create ("general");

  gst_element_register (NULL, "dmadrmsrc", GST_RANK_NONE,
      dma_drm_src_get_type ());
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_three_branches_share_one_linear_pool);
  tcase_add_test (tc, test_branch_meeting_no_other_is_the_only_one_converted);
  tcase_add_test (tc, test_branch_meeting_no_other_is_refused_naming_the_pairs);
  tcase_add_test (tc,
      test_branch_taking_only_a_tiled_pair_is_an_error_naming_it);
  tcase_add_test (tc, test_tiled_pair_every_branch_takes_passes_untouched);
  tcase_add_test (tc, test_allocfilter_narrows_dma_drm_caps_to_its_pairs);
  return s;
}

GST_CHECK_MAIN (dmadrm);

#else

TEST_SKIP_MAIN (" has no DMA_DRM caps (they came with 1.24)");

#endif
