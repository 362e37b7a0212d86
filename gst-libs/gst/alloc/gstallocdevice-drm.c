/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Constraints of a DRM device, through libdrm: the driver's name, PRIME
 * import and export, the pitch the driver gives a trial dumb buffer of the
 * frame's size, and where KMS exists the plane formats and the modifiers
 * they take (drm-formats).
 * Built only when libdrm is found (meson decides the whole file). The
 * capability, dumb-buffer and PRIME ioctls are issued directly, with the
 * library's bounded EAGAIN retries, not through libdrm's drmIoctl(), which
 * retries EAGAIN without end; the KMS queries go through libdrm. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocdevice-private.h"
#include "gstallocdrmioctl-private.h"

#include <gst/allocators/allocators.h>

#include <errno.h>
#include <string.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

/* Only the probe's trial objects are closed here: a failure leaves one
 * handle until the node is closed, moments later. */
static void
close_handle (GstAllocDeviceProbe * probe, guint32 handle)
{
  int errsv;

  if (!gst_alloc_drm_close_handle (probe->fd, handle)) {
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

  if (!gst_alloc_drm_get_cap (probe->fd, cap, &value))
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
  if (gst_alloc_drm_get_cap (probe->fd, DRM_CAP_DUMB_BUFFER, &dumb) && !dumb) {
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

/* The modifiers the plane's IN_FORMATS blob lists for @fourcc, added to
 * @set (DRM_FORMAT_MOD_INVALID left out: no layout anyone can name). FALSE
 * when the plane has no such blob: a driver without modifiers. */
static gboolean
plane_modifiers (GstAllocDeviceProbe * probe, guint32 plane_id,
    guint32 fourcc, GstAllocConstraints * set)
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
    return FALSE;
  while (drmModeFormatModifierBlobIterNext (blob, &iter)) {
    if (iter.fmt == fourcc)
      gst_alloc_constraints_add_drm_format (set, fourcc, iter.mod);
  }
  drmModeFreePropertyBlob (blob);
  return TRUE;
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

/* drm-formats: what the planes that scan the format out list in
 * IN_FORMATS; a plane without that blob takes buffers without modifiers,
 * which for ours is linear. */
static void
derive_drm_formats (GstAllocDeviceProbe * probe, GstAllocConstraints * set,
    guint n_without_blob)
{
  gchar *described = gst_alloc_constraints_describe_field (set,
      GST_ALLOC_FIELD_DRM_FORMATS);

  gst_alloc_device_note (probe, "drm-formats=%s: the modifiers the planes' "
      "IN_FORMATS list%s", described, n_without_blob ? " (linear for the "
      "planes without IN_FORMATS)" : "");
  if (probe->constraints) {
    g_clear_pointer (&probe->constraints->drm_formats, g_array_unref);
    probe->constraints->drm_formats = g_steal_pointer (&set->drm_formats);
  }
  g_free (described);
}

/* Where KMS exists, the format must be one some plane scans out, with the
 * modifiers those planes take. */
static gboolean
check_planes (GstAllocDeviceProbe * probe, GError ** error)
{
  GstVideoFormat format = GST_VIDEO_INFO_FORMAT (probe->info);
  guint32 fourcc = gst_alloc_drm_fourcc_from_video_format (format), i;
  guint n_planes = 0, n_without_blob = 0;
  GstAllocConstraints *set = gst_alloc_constraints_new ();
  drmModePlaneResPtr res;
  drmModePlanePtr plane;
  int errsv;

  drmSetClientCap (probe->fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
  res = drmModeGetPlaneResources (probe->fd);
  if (!res) {
    errsv = errno;
    gst_alloc_device_note (probe, "KMS: none (drmModeGetPlaneResources: "
        "%s), no scan-out format to check", g_strerror (errsv));
    gst_alloc_constraints_free (set);
    return TRUE;
  }
  for (i = 0; i < res->count_planes; i++) {
    plane = drmModeGetPlane (probe->fd, res->planes[i]);
    if (plane && fourcc && plane_has_format (plane, fourcc)) {
      n_planes++;
      if (!plane_modifiers (probe, plane->plane_id, fourcc, set)) {
        n_without_blob++;
        gst_alloc_constraints_add_drm_format (set, fourcc,
            GST_ALLOC_DRM_MODIFIER_LINEAR);
      }
    }
    drmModeFreePlane (plane);
  }
  gst_alloc_device_note (probe, "KMS: %u of %u planes scan out %s", n_planes,
      res->count_planes, gst_video_format_to_string (format));
  drmModeFreePlaneResources (res);
  if (n_planes == 0) {
    gst_alloc_constraints_free (set);
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_UNSATISFIABLE,
        "%s: no KMS plane scans out %s", probe->path,
        gst_video_format_to_string (format));
    return FALSE;
  }
  if (set->drm_formats)
    derive_drm_formats (probe, set, n_without_blob);
  gst_alloc_constraints_free (set);
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
    if (gst_alloc_drm_get_cap (probe->fd, DRM_CAP_DUMB_BUFFER, &dumb)) {
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
