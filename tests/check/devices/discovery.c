/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Device constraint discovery on real devices: vivid (V4L2 capture and
 * output) and vgem (DRM without KMS). Values the library derives are
 * checked against what the test reads from the kernel itself. Skipped
 * (exit 77, with the reason on stdout) without /dev/video0 and
 * /dev/dri/card0. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/videodev2.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#define VGEM_PATH "/dev/dri/card0"
/* A size vivid's default (webcam) input offers. */
#define WIDTH 640
#define HEIGHT 480

/* The first vivid node with a video capture (or output) queue. */
static gchar *
vivid_node (gboolean capture)
{
  guint32 want = capture ? V4L2_CAP_VIDEO_CAPTURE : V4L2_CAP_VIDEO_OUTPUT;
  struct v4l2_capability cap;
  gchar *path;
  gint i, fd;

  for (i = 0; i < 16; i++) {
    path = g_strdup_printf ("/dev/video%d", i);
    fd = open (path, O_RDWR | O_CLOEXEC);
    memset (&cap, 0, sizeof (cap));
    if (fd >= 0 && ioctl (fd, VIDIOC_QUERYCAP, &cap) == 0
        && strcmp ((const char *) cap.driver, "vivid") == 0
        && (cap.device_caps & want)) {
      close (fd);
      return path;
    }
    if (fd >= 0)
      close (fd);
    g_free (path);
  }
  fail ("no vivid %s node", capture ? "capture" : "output");
  return NULL;
}

/* bytesperline the device gives @fourcc at our size (VIDIOC_TRY_FMT). */
static guint32
try_bytesperline (const gchar * path, gboolean capture, guint32 fourcc)
{
  struct v4l2_format f;
  int fd = open (path, O_RDWR | O_CLOEXEC);

  fail_unless (fd >= 0);
  memset (&f, 0, sizeof (f));
  f.type = capture ? V4L2_BUF_TYPE_VIDEO_CAPTURE : V4L2_BUF_TYPE_VIDEO_OUTPUT;
  f.fmt.pix.width = WIDTH;
  f.fmt.pix.height = HEIGHT;
  f.fmt.pix.pixelformat = fourcc;
  fail_unless (ioctl (fd, VIDIOC_TRY_FMT, &f) == 0);
  close (fd);
  return f.fmt.pix.bytesperline;
}

static GstAllocConstraints *
derive (const gchar * path, GstVideoFormat format)
{
  GstAllocConstraints *c;
  GstVideoInfo info;
  GError *err = NULL;

  gst_video_info_set_format (&info, format, WIDTH, HEIGHT);
  c = gst_alloc_constraints_from_device (path, &info, &err);
  fail_unless (c != NULL, "%s: %s", path, err ? err->message : "?");
  return c;
}

static gchar *
describe (const gchar * path)
{
  GError *err = NULL;
  gchar *text = gst_alloc_device_describe (path, NULL, &err);

  fail_unless (text != NULL, "%s: %s", path, err ? err->message : "?");
  return text;
}

/* Plane 0's stride in a buffer of a GstAllocPool for @c. */
static gint
pool_stride (const GstAllocConstraints * c, GstVideoFormat format)
{
  GstBufferPool *pool = gst_alloc_pool_new (NULL);
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstBuffer *buffer = NULL;
  GstVideoMeta *meta;
  GstVideoInfo info;
  GstCaps *caps;
  gint stride;

  gst_video_info_set_format (&info, format, WIDTH, HEIGHT);
  caps = gst_video_info_to_caps (&info);
  gst_buffer_pool_config_set_params (config, caps, info.size, 2, 2);
  gst_alloc_pool_config_set_constraints (config, c);
  if (!gst_buffer_pool_set_config (pool, config))
    fail_unless (gst_buffer_pool_set_config (pool,
            gst_buffer_pool_get_config (pool)));
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buffer,
          NULL), GST_FLOW_OK);
  fail_unless (gst_is_dmabuf_memory (gst_buffer_peek_memory (buffer, 0)));
  meta = gst_buffer_get_video_meta (buffer);
  fail_unless (meta != NULL);
  stride = meta->stride[0];
  gst_buffer_unref (buffer);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
  gst_caps_unref (caps);
  return stride;
}

static void
check_vivid (gboolean capture)
{
  gchar *path = vivid_node (capture);
  gchar *text = describe (path);
  GstAllocConstraints *c = derive (path, GST_VIDEO_FORMAT_YUY2);
  guint32 bpl = try_bytesperline (path, capture, V4L2_PIX_FMT_YUYV);
  gchar *drm;

  fail_unless (strstr (text, "driver vivid") != NULL, "%s", text);
  fail_unless (strstr (text, capture ? "video capture" : "video output"),
      "%s", text);
  /* vivid is a vb2 driver with dma-buf import on both queues. */
  fail_unless_equals_int (c->memory, GST_ALLOC_MEMORY_DMABUF);
  fail_unless_equals_string (gst_alloc_constraints_get_origin (c,
          GST_ALLOC_FIELD_MEMORY), path);
  fail_unless_equals_int (c->planes, GST_ALLOC_PLANES_SINGLE);
  /* V4L2 has no modifiers: it imports the format's linear layout alone. */
  drm = gst_alloc_constraints_describe_field (c, GST_ALLOC_FIELD_DRM_FORMATS);
  fail_unless_equals_string (drm, "YUYV:linear");
  fail_unless (pool_stride (c, GST_VIDEO_FORMAT_YUY2) >= (gint) bpl);
  g_free (drm);
  gst_alloc_constraints_free (c);
  g_free (text);
  g_free (path);
}

GST_START_TEST (test_vivid_capture_imports_dmabufs)
{
  check_vivid (TRUE);
}

GST_END_TEST;

GST_START_TEST (test_vivid_output_imports_dmabufs)
{
  check_vivid (FALSE);
}

GST_END_TEST;

GST_START_TEST (test_vivid_format_not_offered_is_an_error)
{
  gchar *path = vivid_node (TRUE);
  GstVideoInfo info;
  GError *err = NULL;

  /* No V4L2 pixel format is known for v210 in our table. */
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_v210, WIDTH, HEIGHT);
  fail_unless (gst_alloc_constraints_from_device (path, &info, &err) == NULL);
  fail_unless (g_error_matches (err, GST_ALLOC_ERROR,
          GST_ALLOC_ERROR_UNSATISFIABLE));
  fail_unless (strstr (err->message, path) != NULL, "%s", err->message);
  g_clear_error (&err);
  g_free (path);
}

GST_END_TEST;

/* The pitch vgem gives a dumb buffer of plane 0 (8 bpp for NV12). */
static guint32
vgem_pitch (void)
{
  guint32 handle, pitch;
  guint64 size;
  int fd = open (VGEM_PATH, O_RDWR | O_CLOEXEC);

  fail_unless (fd >= 0);
  fail_unless_equals_int (drmModeCreateDumbBuffer (fd, WIDTH, HEIGHT, 8, 0,
          &handle, &pitch, &size), 0);
  drmModeDestroyDumbBuffer (fd, handle);
  close (fd);
  return pitch;
}

GST_START_TEST (test_vgem_is_a_prime_importer)
{
  gchar *text = describe (VGEM_PATH);
  GstAllocConstraints *c = derive (VGEM_PATH, GST_VIDEO_FORMAT_NV12);

  fail_unless (strstr (text, "driver vgem") != NULL, "%s", text);
  fail_unless (strstr (text, "import yes") != NULL, "%s", text);
  fail_unless_equals_int (c->memory, GST_ALLOC_MEMORY_DMABUF);
  fail_unless_equals_string (gst_alloc_constraints_get_origin (c,
          GST_ALLOC_FIELD_MEMORY), VGEM_PATH);
  /* Without KMS no plane lists the modifiers it takes. */
  fail_unless (c->drm_formats == NULL);
  gst_alloc_constraints_free (c);
  g_free (text);
}

GST_END_TEST;

GST_START_TEST (test_vgem_stride_from_dumb_pitch)
{
  GstAllocConstraints *c = derive (VGEM_PATH, GST_VIDEO_FORMAT_NV12);
  guint32 pitch = vgem_pitch (), align = 1;

  while (align < 256 && pitch % (align * 2) == 0)
    align *= 2;
  fail_unless_equals_int (c->stride_align, align);
  fail_unless_equals_string (gst_alloc_constraints_get_origin (c,
          GST_ALLOC_FIELD_STRIDE_ALIGN), VGEM_PATH);
  fail_unless (pool_stride (c, GST_VIDEO_FORMAT_NV12) >= (gint) pitch);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_vivid_and_vgem_merge)
{
  gchar *path = vivid_node (FALSE);
  GstAllocConstraints *a = derive (path, GST_VIDEO_FORMAT_NV12);
  GstAllocConstraints *b = derive (VGEM_PATH, GST_VIDEO_FORMAT_NV12);
  GstAllocConstraints *merged = gst_alloc_constraints_merge (a, b, NULL);
  gchar *origin;

  fail_unless (merged != NULL);
  origin = g_strdup_printf ("%s, %s", path, VGEM_PATH);
  fail_unless_equals_string (gst_alloc_constraints_get_origin (merged,
          GST_ALLOC_FIELD_MEMORY), origin);
  g_free (origin);
  gst_alloc_constraints_free (merged);
  gst_alloc_constraints_free (b);
  gst_alloc_constraints_free (a);
  g_free (path);
}

GST_END_TEST;

GST_START_TEST (test_not_a_device_node_is_refused)
{
  GstVideoInfo info;
  GError *err = NULL;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_NV12, WIDTH, HEIGHT);
  fail_unless (gst_alloc_constraints_from_device ("/dev/null", &info,
          &err) == NULL);
  fail_unless (g_error_matches (err, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE));
  fail_unless (strstr (err->message, "/dev/null") != NULL);
  g_clear_error (&err);
}

GST_END_TEST;

/* allocfilter device=<vivid output>: the producer gets dma-bufs. */
static GstPadProbeReturn
count_dmabufs (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  if (gst_is_dmabuf_memory (gst_buffer_peek_memory (buffer, 0)))
    g_atomic_int_inc ((gint *) user_data);
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_allocfilter_device_gives_dmabufs)
{
  gchar *path = vivid_node (FALSE);
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=5 ! "
      "video/x-raw,format=YUY2,width=%d,height=%d ! allocfilter device=%s ! "
      "fakesink name=sink", WIDTH, HEIGHT, path);
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *sink;
  GstPad *pad;
  GstMessage *msg;
  gint dmabufs = 0;

  fail_unless (pipeline != NULL);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_dmabufs, &dmabufs,
      NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipeline),
      GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_EOS);
  fail_unless_equals_int (dmabufs, 5);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pad);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_free (desc);
  g_free (path);
}

GST_END_TEST;

static Suite *
discovery_suite (void)
{
  Suite *s = suite_create ("discovery");
  TCase *v4l2 = tcase_create ("v4l2");
  TCase *drm = tcase_create ("drm");
  TCase *both = tcase_create ("both");

  suite_add_tcase (s, v4l2);
  tcase_add_test (v4l2, test_vivid_capture_imports_dmabufs);
  tcase_add_test (v4l2, test_vivid_output_imports_dmabufs);
  tcase_add_test (v4l2, test_vivid_format_not_offered_is_an_error);
  suite_add_tcase (s, drm);
  tcase_add_test (drm, test_vgem_is_a_prime_importer);
  tcase_add_test (drm, test_vgem_stride_from_dumb_pitch);
  suite_add_tcase (s, both);
  tcase_add_test (both, test_vivid_and_vgem_merge);
  tcase_add_test (both, test_not_a_device_node_is_refused);
  tcase_add_test (both, test_allocfilter_device_gives_dmabufs);
  return s;
}

int
main (int argc, char **argv)
{
  const gchar *paths[] = { "/dev/video0", VGEM_PATH };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (paths); i++) {
    if (access (paths[i], F_OK) < 0) {
      printf ("SKIP: %s: %s\n", paths[i], g_strerror (errno));
      return 77;
    }
  }
  gst_check_init (&argc, &argv);
  gst_alloc_init ();
  return gst_check_run_suite (discovery_suite (), "discovery", __FILE__);
}
