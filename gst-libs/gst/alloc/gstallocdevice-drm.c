/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Constraints of a DRM device, through libdrm: the driver's name, PRIME
 * import and export, the pitch the driver gives a trial dumb buffer of the
 * frame's size, and where KMS exists the plane formats and modifiers.
 * Built only when libdrm is found (meson decides the whole file). The
 * capability, dumb-buffer and PRIME ioctls are issued directly, with the
 * library's bounded EAGAIN retries, not through libdrm's drmIoctl(), which
 * retries EAGAIN without end; the KMS queries go through libdrm. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocdevice-private.h"

#include <gst/allocators/allocators.h>

#include <errno.h>
#include <string.h>
#include <xf86drm.h>
#include <xf86drmMode.h>
#include <drm_fourcc.h>

typedef struct
{
  GstVideoFormat format;
  guint32 fourcc;
} DrmFormat;

/* DRM fourccs name the little-endian word: XRGB8888 is B, G, R, X in
 * memory (GStreamer's BGRx), BGR888 is R, G, B (GStreamer's RGB). */
static const DrmFormat drm_formats[] = {
  {GST_VIDEO_FORMAT_NV12, DRM_FORMAT_NV12},
  {GST_VIDEO_FORMAT_NV21, DRM_FORMAT_NV21},
  {GST_VIDEO_FORMAT_NV16, DRM_FORMAT_NV16},
  {GST_VIDEO_FORMAT_NV24, DRM_FORMAT_NV24},
  {GST_VIDEO_FORMAT_I420, DRM_FORMAT_YUV420},
  {GST_VIDEO_FORMAT_YV12, DRM_FORMAT_YVU420},
  {GST_VIDEO_FORMAT_YUY2, DRM_FORMAT_YUYV},
  {GST_VIDEO_FORMAT_UYVY, DRM_FORMAT_UYVY},
  {GST_VIDEO_FORMAT_YVYU, DRM_FORMAT_YVYU},
  {GST_VIDEO_FORMAT_RGB, DRM_FORMAT_BGR888},
  {GST_VIDEO_FORMAT_BGR, DRM_FORMAT_RGB888},
  {GST_VIDEO_FORMAT_BGRx, DRM_FORMAT_XRGB8888},
  {GST_VIDEO_FORMAT_BGRA, DRM_FORMAT_ARGB8888},
  {GST_VIDEO_FORMAT_xRGB, DRM_FORMAT_BGRX8888},
  {GST_VIDEO_FORMAT_ARGB, DRM_FORMAT_BGRA8888},
  {GST_VIDEO_FORMAT_RGBx, DRM_FORMAT_XBGR8888},
  {GST_VIDEO_FORMAT_RGBA, DRM_FORMAT_ABGR8888},
  {GST_VIDEO_FORMAT_GRAY8, DRM_FORMAT_R8},
  {GST_VIDEO_FORMAT_GRAY16_LE, DRM_FORMAT_R16},
};

static guint32
drm_fourcc_for (GstVideoFormat format)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (drm_formats); i++) {
    if (drm_formats[i].format == format)
      return drm_formats[i].fourcc;
  }
  return 0;
}

/* FALSE with errno set when the device does not answer. */
static gboolean
query_cap (GstAllocDeviceProbe * probe, guint64 capability, guint64 * value)
{
  struct drm_get_cap cap = { 0 };

  cap.capability = capability;
  if (gst_alloc_ioctl (probe->fd, DRM_IOCTL_GET_CAP, &cap) < 0)
    return FALSE;
  *value = cap.value;
  return TRUE;
}

/* Only the probe's trial objects are closed here: a failure leaves one
 * handle until the node is closed, moments later. */
static void
close_handle (GstAllocDeviceProbe * probe, guint32 handle)
{
  struct drm_gem_close close_arg = { 0 };
  int errsv;

  close_arg.handle = handle;
  if (gst_alloc_ioctl (probe->fd, DRM_IOCTL_GEM_CLOSE, &close_arg) < 0) {
    errsv = errno;
    GST_CAT_WARNING (gst_alloc_device_debug_category (), "%s: "
        "DRM_IOCTL_GEM_CLOSE of handle %u: %s", probe->path, handle,
        g_strerror (errsv));
  }
}

static gboolean
read_driver (GstAllocDeviceProbe * probe, GError ** error)
{
  drmVersionPtr version = drmGetVersion (probe->fd);
  int errsv;

  if (!version) {
    errsv = errno;
    gst_alloc_set_errno_error (error, errsv, "%s: drmGetVersion", probe->path);
    return FALSE;
  }
  gst_alloc_device_note (probe, "DRM device: driver %s (%s), version "
      "%d.%d.%d", version->name, version->desc, version->version_major,
      version->version_minor, version->version_patchlevel);
  drmFreeVersion (version);
  return TRUE;
}

static guint64
get_cap (GstAllocDeviceProbe * probe, guint64 cap)
{
  guint64 value = 0;

  if (!query_cap (probe, cap, &value))
    return 0;
  return value;
}

static void
derive_memory (GstAllocDeviceProbe * probe)
{
  guint64 prime = get_cap (probe, DRM_CAP_PRIME);

  gst_alloc_device_note (probe, "PRIME: import %s, export %s",
      (prime & DRM_PRIME_CAP_IMPORT) ? "yes" : "no",
      (prime & DRM_PRIME_CAP_EXPORT) ? "yes" : "no");
  if (!(prime & DRM_PRIME_CAP_IMPORT)) {
    gst_alloc_device_note (probe, "memory: no PRIME import, the device "
        "cannot take our dma-bufs: no memory constraint");
    return;
  }
  if (probe->constraints)
    probe->constraints->memory = GST_ALLOC_MEMORY_DMABUF;
  gst_alloc_device_note (probe, "memory=dmabuf: DRM_CAP_PRIME has "
      "DRM_PRIME_CAP_IMPORT");
}

/* The pitch the driver gives a dumb buffer of plane 0's size and depth. */
static void
derive_pitch (GstAllocDeviceProbe * probe)
{
  const GstVideoInfo *info = probe->info;
  struct drm_mode_create_dumb create = { 0 };
  guint64 dumb = 0;
  int errsv;

  /* Drivers without KMS (vgem) refuse the capability query with
   * EOPNOTSUPP yet create dumb buffers, so only a 0 answer is final. */
  if (query_cap (probe, DRM_CAP_DUMB_BUFFER, &dumb) && !dumb) {
    gst_alloc_device_note (probe, "stride: no dumb buffers "
        "(DRM_CAP_DUMB_BUFFER is 0), no stride constraint");
    return;
  }
  create.width = GST_VIDEO_INFO_WIDTH (info);
  create.height = GST_VIDEO_INFO_HEIGHT (info);
  create.bpp = GST_VIDEO_FORMAT_INFO_PSTRIDE (info->finfo, 0) * 8;
  if (gst_alloc_ioctl (probe->fd, DRM_IOCTL_MODE_CREATE_DUMB, &create) < 0) {
    errsv = errno;
    gst_alloc_device_note (probe, "stride: a %ux%u dumb buffer at %u bpp "
        "failed (%s), no stride constraint", create.width, create.height,
        create.bpp, g_strerror (errsv));
    return;
  }
  close_handle (probe, create.handle);
  gst_alloc_device_note (probe, "dumb buffer %ux%u at %u bpp: pitch %u, "
      "size %" G_GUINT64_FORMAT, create.width, create.height, create.bpp,
      create.pitch, (guint64) create.size);
  /* A conservative reading: the driver's own pitch rule is not exposed, so
   * the power-of-two part of the pitch it chose, capped at 256, stands for
   * it. */
  gst_alloc_device_derive_stride (probe, create.pitch, 256, TRUE);
}

/* Modifiers the plane's IN_FORMATS blob lists for @fourcc, appended. */
static void
plane_modifiers (GstAllocDeviceProbe * probe, guint32 plane_id,
    guint32 fourcc, GString * out)
{
  drmModeObjectPropertiesPtr props;
  drmModePropertyPtr prop;
  drmModePropertyBlobPtr blob = NULL;
  drmModeFormatModifierIterator iter = { 0 };
  guint32 i;

  props = drmModeObjectGetProperties (probe->fd, plane_id,
      DRM_MODE_OBJECT_PLANE);
  for (i = 0; props && i < props->count_props && !blob; i++) {
    prop = drmModeGetProperty (probe->fd, props->props[i]);
    if (prop && strcmp (prop->name, "IN_FORMATS") == 0)
      blob = drmModeGetPropertyBlob (probe->fd, props->prop_values[i]);
    drmModeFreeProperty (prop);
  }
  drmModeFreeObjectProperties (props);
  if (!blob)
    return;
  while (drmModeFormatModifierBlobIterNext (blob, &iter)) {
    if (iter.fmt == fourcc)
      g_string_append_printf (out, " 0x%016" G_GINT64_MODIFIER "x",
          (guint64) iter.mod);
  }
  drmModeFreePropertyBlob (blob);
}

static gboolean
plane_has_format (drmModePlanePtr plane, guint32 fourcc)
{
  guint32 i;

  for (i = 0; i < plane->count_formats; i++) {
    if (plane->formats[i] == fourcc)
      return TRUE;
  }
  return FALSE;
}

/* Where KMS exists, the format must be one some plane scans out. Only
 * linear buffers are allocated, so modifiers are reported, not derived. */
static gboolean
check_planes (GstAllocDeviceProbe * probe, GError ** error)
{
  GstVideoFormat format = GST_VIDEO_INFO_FORMAT (probe->info);
  guint32 fourcc = drm_fourcc_for (format), i, n_planes = 0;
  drmModePlaneResPtr res;
  drmModePlanePtr plane;
  GString *modifiers = g_string_new (NULL);
  int errsv;

  drmSetClientCap (probe->fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
  res = drmModeGetPlaneResources (probe->fd);
  if (!res) {
    errsv = errno;
    gst_alloc_device_note (probe, "KMS: none (drmModeGetPlaneResources: "
        "%s), no scan-out format to check", g_strerror (errsv));
    g_string_free (modifiers, TRUE);
    return TRUE;
  }
  for (i = 0; i < res->count_planes; i++) {
    plane = drmModeGetPlane (probe->fd, res->planes[i]);
    if (plane && fourcc && plane_has_format (plane, fourcc)) {
      n_planes++;
      plane_modifiers (probe, plane->plane_id, fourcc, modifiers);
    }
    drmModeFreePlane (plane);
  }
  gst_alloc_device_note (probe, "KMS: %u of %u planes scan out %s%s%s",
      n_planes, res->count_planes, gst_video_format_to_string (format),
      modifiers->len ? "; modifiers (linear is used):" : "", modifiers->str);
  drmModeFreePlaneResources (res);
  g_string_free (modifiers, TRUE);
  if (n_planes == 0) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_UNSATISFIABLE,
        "%s: no KMS plane scans out %s", probe->path,
        gst_video_format_to_string (format));
    return FALSE;
  }
  return TRUE;
}

gboolean
gst_alloc_device_probe_drm (GstAllocDeviceProbe * probe, GError ** error)
{
  guint64 dumb = 0;
  int errsv;

  if (!read_driver (probe, error))
    return FALSE;
  derive_memory (probe);
  if (!probe->info) {
    if (query_cap (probe, DRM_CAP_DUMB_BUFFER, &dumb)) {
      gst_alloc_device_note (probe, "DRM_CAP_DUMB_BUFFER: %s",
          dumb ? "yes" : "no");
    } else {
      errsv = errno;
      gst_alloc_device_note (probe, "DRM_CAP_DUMB_BUFFER: %s",
          g_strerror (errsv));
    }
    return TRUE;
  }
  derive_pitch (probe);
  return check_planes (probe, error);
}

gboolean
gst_alloc_device_import_drm (GstAllocDeviceProbe * probe,
    GstBuffer * const *buffers, guint n_buffers, GError ** error)
{
  struct drm_prime_handle prime;
  guint i, j, imported = 0;
  GstMemory *mem;
  int errsv;

  if (!read_driver (probe, error))
    return FALSE;
  for (i = 0; i < n_buffers; i++) {
    for (j = 0; j < gst_buffer_n_memory (buffers[i]); j++) {
      mem = gst_buffer_peek_memory (buffers[i], j);
      if (!gst_is_dmabuf_memory (mem)) {
        g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
            "%s: buffer %u memory %u is not a dma-buf, a DRM device can only "
            "import dma-bufs", probe->path, i, j);
        return FALSE;
      }
      memset (&prime, 0, sizeof (prime));
      prime.fd = gst_dmabuf_memory_get_fd (mem);
      if (gst_alloc_ioctl (probe->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &prime) < 0) {
        errsv = errno;
        gst_alloc_set_errno_error (error, errsv, "%s: "
            "DRM_IOCTL_PRIME_FD_TO_HANDLE of buffer %u memory %u (dma-buf fd "
            "%d)", probe->path, i, j, prime.fd);
        return FALSE;
      }
      close_handle (probe, prime.handle);
      imported++;
    }
  }
  gst_alloc_device_note (probe, "DRM_IOCTL_PRIME_FD_TO_HANDLE of %u "
      "dma-buf%s: the device imported them", imported,
      imported == 1 ? "" : "s");
  return TRUE;
}
