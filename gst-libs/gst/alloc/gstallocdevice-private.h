/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The device layer. gstallocdevice.c dispatches on the node's kind to a
 * reader (gstallocdevice-v4l2*.c, gstallocdevice-drm.c); the readers share
 * the helpers of gstallocdevice-probe.c, a leaf that calls back into
 * nothing. Only what the layer needs is included: nothing of the backends,
 * the pool or alloc.h. */

#include <gst/video/video.h>
#include <gst/alloc/gstallocconstraints.h>
#include <gst/alloc/gstallocdrmformat.h>
#include <gst/alloc/gstallocerror.h>

#include "gstallocsyscall-private.h"

G_BEGIN_DECLS

/* One probe of an open device node, shared by the V4L2 and DRM readers.
 * @info may be NULL: then only the device is described and nothing is
 * derived. @constraints (when @info is set) receives what the device needs;
 * @text receives one line per fact, each saying where it came from. */
typedef struct
{
  const gchar *path;
  int fd;
  const GstVideoInfo *info;
  GstAllocConstraints *constraints;
  GString *text;
} GstAllocDeviceProbe;

/* ---- gstallocdevice-probe.c: the shared helpers ---- */

/* The "allocdevice" debug category, created on first use. */
G_GNUC_INTERNAL
GstDebugCategory *gst_alloc_device_debug_category (void);

/* Appends one line to the probe's description. */
G_GNUC_INTERNAL
void gst_alloc_device_note (GstAllocDeviceProbe * probe,
    const gchar * format, ...) G_GNUC_PRINTF (2, 3);

/* Sets the stride constraints for a device whose rows are @device_stride
 * bytes apart in plane 0: stride-align is the largest power of two up to
 * @max_align dividing @device_stride (only when the device pads beyond the
 * natural stride, unless @always), plus padding-right when rounding the
 * natural stride up to that alignment still falls short. */
G_GNUC_INTERNAL
void gst_alloc_device_derive_stride (GstAllocDeviceProbe * probe,
    guint32 device_stride, guint32 max_align, gboolean always);

/* ---- the readers, called by the dispatcher ---- */

G_GNUC_INTERNAL
gboolean gst_alloc_device_probe_v4l2 (GstAllocDeviceProbe * probe,
    GError ** error);

/* In gstallocdevice-drm.c with libdrm, else a stub saying it is not built. */
G_GNUC_INTERNAL
gboolean gst_alloc_device_probe_drm (GstAllocDeviceProbe * probe,
    GError ** error);

/* Trial imports of @buffers (all of one layout): V4L2 sets the format from
 * their GstVideoMeta, REQBUFS(DMABUF) and QBUFs each; DRM PRIME-imports
 * every memory. Each step is noted in the probe's text. */
G_GNUC_INTERNAL
gboolean gst_alloc_device_import_v4l2 (GstAllocDeviceProbe * probe,
    GstBuffer * const *buffers, guint n_buffers, GError ** error);

G_GNUC_INTERNAL
gboolean gst_alloc_device_import_drm (GstAllocDeviceProbe * probe,
    GstBuffer * const *buffers, guint n_buffers, GError ** error);

/* ---- shared by the two V4L2 files ---- */

/* The V4L2 queue our buffers would go to. */
typedef struct
{
  guint32 type;
  gboolean capture;
  gboolean mplane;
} GstAllocV4l2Queue;

/* VIDIOC_QUERYCAP and the choice of queue. */
G_GNUC_INTERNAL
gboolean gst_alloc_device_v4l2_queue (GstAllocDeviceProbe * probe,
    GstAllocV4l2Queue * q, GError ** error);

/* The fourcc for the probe's format among those the queue offers. */
G_GNUC_INTERNAL
gboolean gst_alloc_device_v4l2_fourcc (GstAllocDeviceProbe * probe,
    const GstAllocV4l2Queue * q, guint32 * fourcc, GError ** error);

G_END_DECLS
