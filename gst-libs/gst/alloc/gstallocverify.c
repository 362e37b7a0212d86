/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:gstallocverify
 * @title: Buffer verification
 * @short_description: Does a buffer satisfy a constraint set?
 *
 * Checks a buffer as a consumer would see it, from its memories and its
 * #GstVideoMeta alone, independently of how it was laid out. Fields that a
 * buffer cannot show (buffer counts, CPU access, cache policy) are not
 * checked here.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloc-private.h"
#include "gstalloclayout.h"
#include "gstallocviolations-private.h"

#include <gst/allocators/allocators.h>
#include <stdio.h>
#include <string.h>

/**
 * gst_alloc_memory_get_kind:
 * @memory: a memory
 *
 * Returns: the kind of @memory: dma-buf, other fd memory (memfd, shm) or
 * plain system memory.
 *
 * Since: 1.0
 */
GstAllocMemoryFlags
gst_alloc_memory_get_kind (GstMemory * memory)
{
  g_return_val_if_fail (memory != NULL, 0);

  if (gst_is_dmabuf_memory (memory))
    return GST_ALLOC_MEMORY_DMABUF;
  if (gst_is_fd_memory (memory))
    return GST_ALLOC_MEMORY_MEMFD;
  return GST_ALLOC_MEMORY_SYSTEM;
}

/**
 * gst_alloc_dmabuf_get_exporter:
 * @fd: a dma-buf file descriptor of this process
 *
 * Returns: (transfer full) (nullable): the dma-buf's exporter as the kernel
 * reports it in /proc/self/fdinfo ("system" for the system DMA heap,
 * "udmabuf"), or %NULL when the kernel does not show it (before 5.3).
 *
 * Since: 1.0
 */
gchar *
gst_alloc_dmabuf_get_exporter (gint fd)
{
  gchar *path = g_strdup_printf ("/proc/self/fdinfo/%d", fd);
  gchar *contents = NULL, *exporter = NULL;
  gchar **lines;
  guint i;

  if (g_file_get_contents (path, &contents, NULL, NULL)) {
    lines = g_strsplit (contents, "\n", -1);
    for (i = 0; lines[i] && !exporter; i++) {
      if (g_str_has_prefix (lines[i], "exp_name:"))
        exporter = g_strstrip (g_strdup (lines[i] + strlen ("exp_name:")));
    }
    g_strfreev (lines);
  }
  g_free (contents);
  g_free (path);
  return exporter;
}

static void
check_memory (GstAllocViolations * check, GstMemory * mem, guint index)
{
  const GstAllocConstraints *c = check->c;
  GstAllocMemoryFlags kind = gst_alloc_memory_get_kind (mem);
  gchar *exporter;

  if (!(c->memory & kind))
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_MEMORY, "memory %u is %s",
        index, gst_alloc_memory_flags_to_string (kind));
  if (c->contiguous
      && !GST_MEMORY_FLAG_IS_SET (mem, GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS))
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_CONTIGUOUS,
        "memory %u is not flagged physically contiguous", index);
  gst_alloc_violations_check_room (check, index, mem->maxsize, mem->offset,
      mem->maxsize - mem->offset - mem->size);
  if (c->heaps && kind == GST_ALLOC_MEMORY_DMABUF) {
    exporter = gst_alloc_dmabuf_get_exporter (gst_dmabuf_memory_get_fd (mem));
    if (exporter && !g_strv_contains ((const gchar * const *) c->heaps,
            exporter))
      gst_alloc_violations_add (check, GST_ALLOC_FIELD_HEAPS,
          "memory %u was exported by %s", index, exporter);
    g_free (exporter);
  }
}

/* The plane's start is its visible offset less the top and left padding the
 * meta declares; its place in the allocation adds the memory's own offset. */
static void
check_plane (GstAllocViolations * check, GstBuffer * buffer,
    const GstVideoFormatInfo * f, const GstVideoAlignment * a, guint plane,
    gsize offset, gint stride)
{
  guint idx, length;
  gsize skip, lead, start;
  GstMemory *mem;

  gst_alloc_violations_check_stride (check, plane, stride);
  if (!gst_buffer_find_memory (buffer, offset, 1, &idx, &length, &skip)) {
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_PLANES, "plane %u offset %"
        G_GSIZE_FORMAT " is outside the buffer", plane, offset);
    return;
  }
  mem = gst_buffer_peek_memory (buffer, idx);
  lead = gst_alloc_plane_lead (f, plane, stride, a);
  start = mem->offset + skip - MIN (lead, mem->offset + skip);
  gst_alloc_violations_check_start (check, plane, start, idx);
}

static void
check_layout (GstAllocViolations * check, const GstVideoInfo * info,
    GstBuffer * buffer, GstVideoMeta * meta)
{
  GstVideoAlignment none;
  const GstVideoAlignment *a = &none;
  guint p, n_image_planes = gst_alloc_video_info_n_image_planes (info);

  gst_video_alignment_reset (&none);
  if (meta)
    a = &meta->alignment;
  gst_alloc_violations_check_paddings (check, info, a);
  for (p = 0; p < n_image_planes; p++) {
    check_plane (check, buffer, info->finfo, a, p,
        meta ? meta->offset[p] : GST_VIDEO_INFO_PLANE_OFFSET (info, p),
        meta ? meta->stride[p] : GST_VIDEO_INFO_PLANE_STRIDE (info, p));
  }
  gst_alloc_violations_check_memories (check, gst_buffer_n_memory (buffer),
      GST_VIDEO_INFO_N_PLANES (info));
}

/* Frames whose caps give a video info are linear (GStreamer reads a tiled
 * DMA_DRM buffer into no GstVideoInfo): the format's linear layout must be
 * one the consumer reads. */
static void
check_drm_format (GstAllocViolations * check, const GstVideoInfo * info)
{
  guint32 fourcc = gst_alloc_drm_fourcc_from_video_format
      (GST_VIDEO_INFO_FORMAT (info));

  if (gst_alloc_constraints_accepts_drm_format (check->c, fourcc,
          GST_ALLOC_DRM_MODIFIER_LINEAR) && fourcc)
    return;
  if (fourcc)
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_DRM_FORMATS,
        "the buffer is %" GST_FOURCC_FORMAT ":linear (%s), not among them",
        GST_FOURCC_ARGS (fourcc), GST_VIDEO_INFO_NAME (info));
  else
    gst_alloc_violations_add (check, GST_ALLOC_FIELD_DRM_FORMATS,
        "the buffer is %s, which " "has no DRM fourcc",
        GST_VIDEO_INFO_NAME (info));
}

/**
 * gst_alloc_constraints_check_buffer:
 * @constraints: what the consumer needs
 * @info: the negotiated video info
 * @buffer: the buffer to check
 * @error: (nullable): receives every violation, each naming its field
 *
 * Returns: %TRUE if @buffer satisfies every constraint a buffer can show.
 *
 * Since: 1.0
 */
gboolean
gst_alloc_constraints_check_buffer (const GstAllocConstraints * constraints,
    const GstVideoInfo * info, GstBuffer * buffer, GError ** error)
{
  GstAllocViolations check;
  GstVideoMeta *meta;
  guint64 used = 0;
  guint i;
  GstMemory *mem;

  g_return_val_if_fail (constraints != NULL, FALSE);
  g_return_val_if_fail (info != NULL && GST_IS_BUFFER (buffer), FALSE);

  gst_alloc_violations_init (&check, constraints);
  for (i = 0; i < gst_buffer_n_memory (buffer); i++) {
    mem = gst_buffer_peek_memory (buffer, i);
    check_memory (&check, mem, i);
    used += mem->offset + mem->size;
  }
  gst_alloc_violations_check_span (&check, used);
  meta = gst_buffer_get_video_meta (buffer);
  check_layout (&check, info, buffer, meta);
  if (constraints->default_layout)
    gst_alloc_violations_check_default (&check, info,
        meta ? meta->offset : NULL, meta ? meta->stride : NULL,
        gst_buffer_get_size (buffer));
  if (constraints->drm_formats)
    check_drm_format (&check, info);
  return gst_alloc_violations_finish (&check, error);
}
