/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Trial import of our buffers into a V4L2 device: the format is set from
 * the buffers' GstVideoMeta (so the device is told our strides), then
 * REQBUFS(DMABUF) and one QBUF per buffer, which makes the kernel attach
 * and map each dma-buf. The buffers are released again at the end. This
 * changes the device's format: it is a trial, for a device not in use. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocdevice-private.h"

#include <gst/allocators/allocators.h>

#include <errno.h>
#include <string.h>
#include <linux/videodev2.h>

#define GST_CAT_DEFAULT gst_alloc_device_debug_category ()

static gboolean
set_format (GstAllocDeviceProbe * probe, const GstAllocV4l2Queue * q,
    guint32 fourcc, GstBuffer * buffer, GError ** error)
{
  GstVideoMeta *meta = gst_buffer_get_video_meta (buffer);
  guint n_mem = gst_buffer_n_memory (buffer), i;
  guint32 bpl;
  struct v4l2_format f;
  int errsv;

  memset (&f, 0, sizeof (f));
  f.type = q->type;
  if (q->mplane) {
    f.fmt.pix_mp.width = GST_VIDEO_INFO_WIDTH (probe->info);
    f.fmt.pix_mp.height = GST_VIDEO_INFO_HEIGHT (probe->info);
    f.fmt.pix_mp.pixelformat = fourcc;
    f.fmt.pix_mp.field = V4L2_FIELD_NONE;
    f.fmt.pix_mp.num_planes = n_mem;
    for (i = 0; i < n_mem && i < VIDEO_MAX_PLANES; i++) {
      f.fmt.pix_mp.plane_fmt[i].bytesperline = meta ? meta->stride[i] : 0;
      f.fmt.pix_mp.plane_fmt[i].sizeimage =
          gst_buffer_peek_memory (buffer, i)->size;
    }
  } else {
    f.fmt.pix.width = GST_VIDEO_INFO_WIDTH (probe->info);
    f.fmt.pix.height = GST_VIDEO_INFO_HEIGHT (probe->info);
    f.fmt.pix.pixelformat = fourcc;
    f.fmt.pix.field = V4L2_FIELD_NONE;
    f.fmt.pix.bytesperline = meta ? meta->stride[0] : 0;
    f.fmt.pix.sizeimage = gst_buffer_get_size (buffer);
  }
  if (gst_alloc_ioctl (probe->fd, VIDIOC_S_FMT, &f) < 0) {
    errsv = errno;
    gst_alloc_set_errno_error (error, errsv, "%s: VIDIOC_S_FMT", probe->path);
    return FALSE;
  }
  bpl = q->mplane ? f.fmt.pix_mp.plane_fmt[0].bytesperline :
      f.fmt.pix.bytesperline;
  gst_alloc_device_note (probe, "VIDIOC_S_FMT %" GST_FOURCC_FORMAT " %ux%u "
      "bytesperline %d: the device set bytesperline %u, sizeimage %u",
      GST_FOURCC_ARGS (fourcc), GST_VIDEO_INFO_WIDTH (probe->info),
      GST_VIDEO_INFO_HEIGHT (probe->info), meta ? meta->stride[0] : 0, bpl,
      q->mplane ? f.fmt.pix_mp.plane_fmt[0].sizeimage : f.fmt.pix.sizeimage);
  if (meta && bpl != (guint32) meta->stride[0]) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
        "%s uses %u bytes per line, the buffers %d: it would misread them",
        probe->path, bpl, meta->stride[0]);
    return FALSE;
  }
  return TRUE;
}

static gboolean
request_buffers (GstAllocDeviceProbe * probe, const GstAllocV4l2Queue * q,
    guint count, GError ** error)
{
  struct v4l2_requestbuffers req;
  int errsv;

  memset (&req, 0, sizeof (req));
  req.count = count;
  req.type = q->type;
  req.memory = V4L2_MEMORY_DMABUF;
  if (gst_alloc_ioctl (probe->fd, VIDIOC_REQBUFS, &req) < 0) {
    errsv = errno;
    gst_alloc_set_errno_error (error, errsv, "%s: VIDIOC_REQBUFS (DMABUF, "
        "%u)", probe->path, count);
    return FALSE;
  }
  if (count && req.count < count) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_UNSATISFIABLE,
        "%s: VIDIOC_REQBUFS gave %u of %u buffers", probe->path, req.count,
        count);
    return FALSE;
  }
  return TRUE;
}

static gboolean
queue_buffer (GstAllocDeviceProbe * probe, const GstAllocV4l2Queue * q,
    guint index, GstBuffer * buffer, GError ** error)
{
  struct v4l2_plane planes[VIDEO_MAX_PLANES];
  struct v4l2_buffer b;
  GstMemory *mem;
  guint i, n_mem = MIN (gst_buffer_n_memory (buffer), VIDEO_MAX_PLANES);
  int errsv;

  memset (&b, 0, sizeof (b));
  memset (planes, 0, sizeof (planes));
  b.index = index;
  b.type = q->type;
  b.memory = V4L2_MEMORY_DMABUF;
  b.field = V4L2_FIELD_NONE;
  mem = gst_buffer_peek_memory (buffer, 0);
  if (q->mplane) {
    b.m.planes = planes;
    b.length = n_mem;
    for (i = 0; i < n_mem; i++) {
      mem = gst_buffer_peek_memory (buffer, i);
      planes[i].m.fd = gst_dmabuf_memory_get_fd (mem);
      planes[i].length = mem->maxsize;
      planes[i].data_offset = mem->offset;
      planes[i].bytesused = mem->offset + mem->size;
    }
  } else {
    b.m.fd = gst_dmabuf_memory_get_fd (mem);
    b.length = mem->maxsize;
    b.bytesused = mem->offset + mem->size;
  }
  if (gst_alloc_ioctl (probe->fd, VIDIOC_QBUF, &b) < 0) {
    errsv = errno;
    gst_alloc_set_errno_error (error, errsv, "%s: VIDIOC_QBUF of buffer %u "
        "(dma-buf fd %d)", probe->path, index, q->mplane ? planes[0].m.fd :
        b.m.fd);
    return FALSE;
  }
  return TRUE;
}

gboolean
gst_alloc_device_import_v4l2 (GstAllocDeviceProbe * probe,
    GstBuffer * const *buffers, guint n_buffers, GError ** error)
{
  GstAllocV4l2Queue q;
  GError *cleanup_err = NULL;
  gboolean ok = TRUE;
  guint32 fourcc;
  guint i;

  if (!gst_alloc_device_v4l2_queue (probe, &q, error)
      || !gst_alloc_device_v4l2_fourcc (probe, &q, &fourcc, error)
      || !set_format (probe, &q, fourcc, buffers[0], error)
      || !request_buffers (probe, &q, n_buffers, error))
    return FALSE;
  for (i = 0; i < n_buffers && ok; i++)
    ok = queue_buffer (probe, &q, i, buffers[i], error);
  if (ok)
    gst_alloc_device_note (probe, "VIDIOC_REQBUFS (DMABUF, %u) and "
        "VIDIOC_QBUF of every buffer: the device imported them", n_buffers);
  /* Releases the queued buffers: the device lets go of the dma-bufs. */
  if (!request_buffers (probe, &q, 0, &cleanup_err)) {
    GST_WARNING ("%s", cleanup_err->message);
    g_clear_error (&cleanup_err);
  }
  return ok;
}
