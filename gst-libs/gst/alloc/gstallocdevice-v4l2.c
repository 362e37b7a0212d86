/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Constraints of a V4L2 device, from the kernel's V4L2 API only: QUERYCAP
 * for the queue (capture or output, single- or multi-planar), ENUM_FMT and
 * TRY_FMT for the layout the driver wants at this size, REQBUFS for dma-buf
 * import and the MIN_BUFFERS controls. The device's format is never set. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocdevice-private.h"

#include <errno.h>
#include <string.h>
#include <linux/videodev2.h>

typedef struct
{
  GstVideoFormat format;
  /* Single-memory fourccs, preferred first (a newer name, then an older
   * one some drivers still use), 0 when unused. */
  guint32 fourccs[2];
  /* One memory per plane (multi-planar API only), 0 when none. */
  guint32 mplane_fourcc;
} FormatMap;

static const FormatMap format_map[] = {
  {GST_VIDEO_FORMAT_NV12, {V4L2_PIX_FMT_NV12, 0}, V4L2_PIX_FMT_NV12M},
  {GST_VIDEO_FORMAT_NV21, {V4L2_PIX_FMT_NV21, 0}, V4L2_PIX_FMT_NV21M},
  {GST_VIDEO_FORMAT_NV16, {V4L2_PIX_FMT_NV16, 0}, V4L2_PIX_FMT_NV16M},
  {GST_VIDEO_FORMAT_NV24, {V4L2_PIX_FMT_NV24, 0}, 0},
  {GST_VIDEO_FORMAT_I420, {V4L2_PIX_FMT_YUV420, 0}, V4L2_PIX_FMT_YUV420M},
  {GST_VIDEO_FORMAT_YV12, {V4L2_PIX_FMT_YVU420, 0}, V4L2_PIX_FMT_YVU420M},
  {GST_VIDEO_FORMAT_YUY2, {V4L2_PIX_FMT_YUYV, 0}, 0},
  {GST_VIDEO_FORMAT_UYVY, {V4L2_PIX_FMT_UYVY, 0}, 0},
  {GST_VIDEO_FORMAT_YVYU, {V4L2_PIX_FMT_YVYU, 0}, 0},
  {GST_VIDEO_FORMAT_RGB, {V4L2_PIX_FMT_RGB24, 0}, 0},
  {GST_VIDEO_FORMAT_BGR, {V4L2_PIX_FMT_BGR24, 0}, 0},
  /* V4L2 names 32-bit formats by the little-endian word: XBGR32 is B, G,
   * R, X in memory, GStreamer's BGRx. BGR32/RGB32 are the older names. */
  {GST_VIDEO_FORMAT_BGRx, {V4L2_PIX_FMT_XBGR32, V4L2_PIX_FMT_BGR32}, 0},
  {GST_VIDEO_FORMAT_BGRA, {V4L2_PIX_FMT_ABGR32, 0}, 0},
  {GST_VIDEO_FORMAT_xRGB, {V4L2_PIX_FMT_XRGB32, V4L2_PIX_FMT_RGB32}, 0},
  {GST_VIDEO_FORMAT_ARGB, {V4L2_PIX_FMT_ARGB32, 0}, 0},
  {GST_VIDEO_FORMAT_RGBx, {V4L2_PIX_FMT_RGBX32, 0}, 0},
  {GST_VIDEO_FORMAT_RGBA, {V4L2_PIX_FMT_RGBA32, 0}, 0},
  {GST_VIDEO_FORMAT_GRAY8, {V4L2_PIX_FMT_GREY, 0}, 0},
  {GST_VIDEO_FORMAT_GRAY16_LE, {V4L2_PIX_FMT_Y16, 0}, 0},
};

typedef GstAllocV4l2Queue Queue;

/* The description names this many; drivers such as vivid offer ~90. */
#define MAX_LISTED_FORMATS 12

static gboolean
choose_queue (GstAllocDeviceProbe * probe, guint32 caps, Queue * q,
    GError ** error)
{
  /* A memory-to-memory device (codec, scaler) consumes our buffers on its
   * output queue; a plain capture device writes into them. */
  if (caps & (V4L2_CAP_VIDEO_M2M | V4L2_CAP_VIDEO_M2M_MPLANE)) {
    q->capture = FALSE;
    q->mplane = !(caps & V4L2_CAP_VIDEO_M2M);
  } else if (caps & (V4L2_CAP_VIDEO_OUTPUT | V4L2_CAP_VIDEO_OUTPUT_MPLANE)) {
    q->capture = FALSE;
    q->mplane = !(caps & V4L2_CAP_VIDEO_OUTPUT);
  } else if (caps & (V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_VIDEO_CAPTURE_MPLANE)) {
    q->capture = TRUE;
    q->mplane = !(caps & V4L2_CAP_VIDEO_CAPTURE);
  } else {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_UNSATISFIABLE,
        "%s has no video capture or output queue (device caps 0x%08x)",
        probe->path, caps);
    return FALSE;
  }
  if (q->capture)
    q->type = q->mplane ? V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE :
        V4L2_BUF_TYPE_VIDEO_CAPTURE;
  else
    q->type = q->mplane ? V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE :
        V4L2_BUF_TYPE_VIDEO_OUTPUT;
  gst_alloc_device_note (probe, "queue: video %s, %s API (device caps "
      "0x%08x)", q->capture ? "capture" : "output",
      q->mplane ? "multi-planar" : "single-planar", caps);
  return TRUE;
}

gboolean
gst_alloc_device_v4l2_queue (GstAllocDeviceProbe * probe, Queue * q,
    GError ** error)
{
  struct v4l2_capability cap;
  guint32 caps;
  int errsv;

  memset (&cap, 0, sizeof (cap));
  if (gst_alloc_ioctl (probe->fd, VIDIOC_QUERYCAP, &cap) < 0) {
    errsv = errno;
    gst_alloc_set_errno_error (error, errsv, "%s: VIDIOC_QUERYCAP",
        probe->path);
    return FALSE;
  }
  caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps :
      cap.capabilities;
  gst_alloc_device_note (probe, "V4L2 device: driver %.16s, card %.32s, "
      "bus %.32s, version %u.%u.%u", cap.driver, cap.card, cap.bus_info,
      (cap.version >> 16) & 0xff, (cap.version >> 8) & 0xff,
      cap.version & 0xff);
  return choose_queue (probe, caps, q, error);
}

/* The fourccs the queue offers (VIDIOC_ENUM_FMT), in the driver's order. */
static GArray *
offered_fourccs (GstAllocDeviceProbe * probe, const Queue * q)
{
  GArray *fourccs = g_array_new (FALSE, FALSE, sizeof (guint32));
  GString *list = g_string_new (NULL);
  struct v4l2_fmtdesc desc;
  guint32 i;

  for (i = 0;; i++) {
    memset (&desc, 0, sizeof (desc));
    desc.index = i;
    desc.type = q->type;
    if (gst_alloc_ioctl (probe->fd, VIDIOC_ENUM_FMT, &desc) < 0)
      break;
    g_array_append_val (fourccs, desc.pixelformat);
    if (i < MAX_LISTED_FORMATS)
      g_string_append_printf (list, " %" GST_FOURCC_FORMAT,
          GST_FOURCC_ARGS (desc.pixelformat));
  }
  gst_alloc_device_note (probe, "formats offered: %u%s%s%s", fourccs->len,
      fourccs->len ? " (" : "", list->str + (list->len ? 1 : 0),
      fourccs->len > MAX_LISTED_FORMATS ? " ...)" : fourccs->len ? ")" : "");
  g_string_free (list, TRUE);
  return fourccs;
}

static gboolean
is_offered (GArray * fourccs, guint32 fourcc)
{
  guint i;

  for (i = 0; fourcc && i < fourccs->len; i++) {
    if (g_array_index (fourccs, guint32, i) == fourcc)
      return TRUE;
  }
  return FALSE;
}

/* The fourcc for our format among those offered: one memory if the device
 * takes it, else one memory per plane (multi-planar API only). */
gboolean
gst_alloc_device_v4l2_fourcc (GstAllocDeviceProbe * probe, const Queue * q,
    guint32 * fourcc, GError ** error)
{
  GstVideoFormat format = GST_VIDEO_INFO_FORMAT (probe->info);
  const FormatMap *map = NULL;
  GArray *offered = offered_fourccs (probe, q);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (format_map) && !map; i++) {
    if (format_map[i].format == format)
      map = &format_map[i];
  }
  *fourcc = 0;
  if (map) {
    for (i = 0; i < G_N_ELEMENTS (map->fourccs) && !*fourcc; i++) {
      if (is_offered (offered, map->fourccs[i]))
        *fourcc = map->fourccs[i];
    }
    if (!*fourcc && q->mplane && is_offered (offered, map->mplane_fourcc))
      *fourcc = map->mplane_fourcc;
  }
  g_array_unref (offered);
  if (!*fourcc) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_UNSATISFIABLE,
        "%s does not offer %s on its %s queue%s", probe->path,
        gst_video_format_to_string (format), q->capture ? "capture" : "output",
        map ? "" : " (no V4L2 pixel format is known for it)");
    return FALSE;
  }
  return TRUE;
}

/* Natural size of each plane of @info when each lives in its own memory. */
static void
natural_plane_sizes (const GstVideoInfo * info, gsize sizes[])
{
  GstVideoInfo copy = *info;
  GstVideoAlignment none;

  gst_video_alignment_reset (&none);
  gst_video_info_align_full (&copy, &none, sizes);
}

static void
derive_padding_bytes (GstAllocDeviceProbe * probe, const struct v4l2_format *f,
    const Queue * q)
{
  gsize plane_sizes[GST_VIDEO_MAX_PLANES] = { 0 };
  guint32 i, n, extra = 0, sizeimage;
  gsize natural;

  n = q->mplane ? f->fmt.pix_mp.num_planes : 1;
  if (n > 1)
    natural_plane_sizes (probe->info, plane_sizes);
  for (i = 0; i < n && i < GST_VIDEO_MAX_PLANES; i++) {
    sizeimage = q->mplane ? f->fmt.pix_mp.plane_fmt[i].sizeimage :
        f->fmt.pix.sizeimage;
    natural = n > 1 ? plane_sizes[i] : GST_VIDEO_INFO_SIZE (probe->info);
    if (sizeimage > natural)
      extra = MAX (extra, sizeimage - natural);
  }
  if (extra) {
    probe->constraints->padding_bytes = extra;
    gst_alloc_device_note (probe, "padding-bytes=%u: the device's sizeimage "
        "exceeds the natural %s size by that much", extra,
        n > 1 ? "plane" : "frame");
  }
}

static gboolean
try_format (GstAllocDeviceProbe * probe, const Queue * q, guint32 fourcc,
    struct v4l2_format *f, GError ** error)
{
  guint32 width, height;
  int errsv;

  memset (f, 0, sizeof (*f));
  f->type = q->type;
  if (q->mplane) {
    f->fmt.pix_mp.width = GST_VIDEO_INFO_WIDTH (probe->info);
    f->fmt.pix_mp.height = GST_VIDEO_INFO_HEIGHT (probe->info);
    f->fmt.pix_mp.pixelformat = fourcc;
    f->fmt.pix_mp.field = V4L2_FIELD_NONE;
  } else {
    f->fmt.pix.width = GST_VIDEO_INFO_WIDTH (probe->info);
    f->fmt.pix.height = GST_VIDEO_INFO_HEIGHT (probe->info);
    f->fmt.pix.pixelformat = fourcc;
    f->fmt.pix.field = V4L2_FIELD_NONE;
  }
  if (gst_alloc_ioctl (probe->fd, VIDIOC_TRY_FMT, f) < 0) {
    errsv = errno;
    gst_alloc_set_errno_error (error, errsv, "%s: VIDIOC_TRY_FMT %"
        GST_FOURCC_FORMAT " %ux%u", probe->path, GST_FOURCC_ARGS (fourcc),
        GST_VIDEO_INFO_WIDTH (probe->info),
        GST_VIDEO_INFO_HEIGHT (probe->info));
    return FALSE;
  }
  width = q->mplane ? f->fmt.pix_mp.width : f->fmt.pix.width;
  height = q->mplane ? f->fmt.pix_mp.height : f->fmt.pix.height;
  /* A larger frame only means the device touches more memory, which
   * sizeimage (padding-bytes) covers; a smaller one is a refusal. */
  if (width < (guint32) GST_VIDEO_INFO_WIDTH (probe->info)
      || height < (guint32) GST_VIDEO_INFO_HEIGHT (probe->info)) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_UNSATISFIABLE,
        "%s cannot take %ux%u %" GST_FOURCC_FORMAT ": VIDIOC_TRY_FMT gives "
        "%ux%u", probe->path, GST_VIDEO_INFO_WIDTH (probe->info),
        GST_VIDEO_INFO_HEIGHT (probe->info), GST_FOURCC_ARGS (fourcc),
        width, height);
    return FALSE;
  }
  gst_alloc_device_note (probe, "VIDIOC_TRY_FMT %" GST_FOURCC_FORMAT
      " %ux%u: %ux%u, bytesperline %u, sizeimage %u, %u memor%s",
      GST_FOURCC_ARGS (fourcc), GST_VIDEO_INFO_WIDTH (probe->info),
      GST_VIDEO_INFO_HEIGHT (probe->info), width, height,
      q->mplane ? f->fmt.pix_mp.plane_fmt[0].bytesperline :
      f->fmt.pix.bytesperline,
      q->mplane ? f->fmt.pix_mp.plane_fmt[0].sizeimage : f->fmt.pix.sizeimage,
      q->mplane ? f->fmt.pix_mp.num_planes : 1,
      (q->mplane ? f->fmt.pix_mp.num_planes : 1) == 1 ? "y" : "ies");
  return TRUE;
}

static void
derive_layout (GstAllocDeviceProbe * probe, const Queue * q,
    const struct v4l2_format *f)
{
  guint32 bpl = q->mplane ? f->fmt.pix_mp.plane_fmt[0].bytesperline :
      f->fmt.pix.bytesperline;
  gboolean separate = q->mplane && f->fmt.pix_mp.num_planes > 1;

  gst_alloc_device_derive_stride (probe, bpl, 4096, FALSE);
  derive_padding_bytes (probe, f, q);
  /* The single-planar API takes one memory per buffer; so does a
   * multi-planar format with one plane. */
  probe->constraints->planes = separate ? GST_ALLOC_PLANES_SEPARATE :
      GST_ALLOC_PLANES_SINGLE;
  gst_alloc_device_note (probe, "planes=%s: %s", separate ? "separate" :
      "single", separate ? "a multi-planar format, one memory per plane" :
      "the format takes all planes in one memory");
}

/* V4L2 reads an imported dma-buf row after row at its bytesperline: its
 * API has no format modifiers, so the one DRM layout it imports is the
 * format's linear one. */
static void
derive_drm_format (GstAllocDeviceProbe * probe)
{
  GstVideoFormat format;
  guint32 fourcc;

  if (!probe->constraints)
    return;
  format = GST_VIDEO_INFO_FORMAT (probe->info);
  fourcc = gst_alloc_drm_fourcc_from_video_format (format);
  if (!fourcc) {
    gst_alloc_device_note (probe, "drm-formats: %s has no DRM fourcc, no "
        "drm-formats constraint", gst_video_format_to_string (format));
    return;
  }
  gst_alloc_constraints_add_drm_format (probe->constraints, fourcc,
      GST_ALLOC_DRM_MODIFIER_LINEAR);
  gst_alloc_device_note (probe, "drm-formats=%" GST_FOURCC_FORMAT ":linear: "
      "V4L2 has no format modifiers, it imports dma-bufs row after row",
      GST_FOURCC_ARGS (fourcc));
}

static void
derive_memory (GstAllocDeviceProbe * probe, const Queue * q)
{
  struct v4l2_requestbuffers req;
  int errsv;

  memset (&req, 0, sizeof (req));
  req.count = 0;
  req.type = q->type;
  req.memory = V4L2_MEMORY_DMABUF;
  if (gst_alloc_ioctl (probe->fd, VIDIOC_REQBUFS, &req) < 0) {
    errsv = errno;
    gst_alloc_device_note (probe, "memory: VIDIOC_REQBUFS (DMABUF, count 0) "
        "failed (%s): the device cannot import dma-bufs, no memory "
        "constraint", g_strerror (errsv));
    return;
  }
  if (!(req.capabilities & V4L2_BUF_CAP_SUPPORTS_DMABUF)) {
    gst_alloc_device_note (probe, "memory: buffer capabilities 0x%08x lack "
        "SUPPORTS_DMABUF: no memory constraint", req.capabilities);
    return;
  }
  if (probe->constraints)
    probe->constraints->memory = GST_ALLOC_MEMORY_DMABUF;
  gst_alloc_device_note (probe, "memory=dmabuf: VIDIOC_REQBUFS reports "
      "SUPPORTS_DMABUF (buffer capabilities 0x%08x), the device imports "
      "dma-bufs", req.capabilities);
  derive_drm_format (probe);
}

static void
derive_min_buffers (GstAllocDeviceProbe * probe, const Queue * q)
{
  struct v4l2_control ctrl;
  const gchar *name = q->capture ? "MIN_BUFFERS_FOR_CAPTURE" :
      "MIN_BUFFERS_FOR_OUTPUT";
  int errsv;

  memset (&ctrl, 0, sizeof (ctrl));
  ctrl.id = q->capture ? V4L2_CID_MIN_BUFFERS_FOR_CAPTURE :
      V4L2_CID_MIN_BUFFERS_FOR_OUTPUT;
  if (gst_alloc_ioctl (probe->fd, VIDIOC_G_CTRL, &ctrl) < 0) {
    errsv = errno;
    gst_alloc_device_note (probe, "min-buffers: no %s control (%s)", name,
        g_strerror (errsv));
    return;
  }
  if (ctrl.value > 0) {
    probe->constraints->min_buffers = ctrl.value;
    gst_alloc_device_note (probe, "min-buffers=%d: the %s control", ctrl.value,
        name);
  }
}

gboolean
gst_alloc_device_probe_v4l2 (GstAllocDeviceProbe * probe, GError ** error)
{
  struct v4l2_format f;
  guint32 fourcc;
  Queue q;

  if (!gst_alloc_device_v4l2_queue (probe, &q, error))
    return FALSE;
  if (!probe->info) {
    g_array_unref (offered_fourccs (probe, &q));
    derive_memory (probe, &q);
    return TRUE;
  }
  if (!gst_alloc_device_v4l2_fourcc (probe, &q, &fourcc, error)
      || !try_format (probe, &q, fourcc, &f, error))
    return FALSE;
  derive_layout (probe, &q, &f);
  derive_memory (probe, &q);
  derive_min_buffers (probe, &q);
  return TRUE;
}
