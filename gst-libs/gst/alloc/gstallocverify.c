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

#include <gst/allocators/allocators.h>
#include <stdio.h>
#include <string.h>

typedef struct
{
  const GstAllocConstraints *c;
  GString *violations;
} Check;

/* *INDENT-OFF* */
static void violation (Check * check, GstAllocField field,
    const gchar * format, ...) G_GNUC_PRINTF (3, 4);
/* *INDENT-ON* */

static void
violation (Check * check, GstAllocField field, const gchar * format, ...)
{
  va_list args;

  if (check->violations->len > 0)
    g_string_append (check->violations, "; ");
  g_string_append_printf (check->violations, "%s (asked by %s): ",
      gst_alloc_field_get_name (field),
      gst_alloc_constraints_asked_by (check->c, field));
  va_start (args, format);
  g_string_append_vprintf (check->violations, format, args);
  va_end (args);
}

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
check_memory (Check * check, GstMemory * mem, guint index)
{
  const GstAllocConstraints *c = check->c;
  GstAllocMemoryFlags kind = gst_alloc_memory_get_kind (mem);
  gchar *exporter;

  if (!(c->memory & kind))
    violation (check, GST_ALLOC_FIELD_MEMORY, "memory %u is %s", index,
        gst_alloc_memory_flags_to_string (kind));
  if (c->contiguous
      && !GST_MEMORY_FLAG_IS_SET (mem, GST_MEMORY_FLAG_PHYSICALLY_CONTIGUOUS))
    violation (check, GST_ALLOC_FIELD_CONTIGUOUS,
        "memory %u is not flagged physically contiguous", index);
  if (mem->maxsize % c->size_align != 0)
    violation (check, GST_ALLOC_FIELD_SIZE_ALIGN,
        "memory %u has %" G_GSIZE_FORMAT " bytes", index, mem->maxsize);
  if (mem->offset < c->prefix_bytes)
    violation (check, GST_ALLOC_FIELD_PREFIX_BYTES,
        "memory %u has %" G_GSIZE_FORMAT " bytes before its data", index,
        mem->offset);
  if (mem->maxsize - mem->offset - mem->size < c->padding_bytes)
    violation (check, GST_ALLOC_FIELD_PADDING_BYTES,
        "memory %u has %" G_GSIZE_FORMAT " bytes after its data", index,
        mem->maxsize - mem->offset - mem->size);
  if (c->heaps && kind == GST_ALLOC_MEMORY_DMABUF) {
    exporter = gst_alloc_dmabuf_get_exporter (gst_dmabuf_memory_get_fd (mem));
    if (exporter && !g_strv_contains ((const gchar * const *) c->heaps,
            exporter))
      violation (check, GST_ALLOC_FIELD_HEAPS,
          "memory %u was exported by %s", index, exporter);
    g_free (exporter);
  }
}

static void
check_paddings (Check * check, const GstVideoInfo * info,
    const GstVideoAlignment * a)
{
  const GstAllocConstraints *c = check->c;
  guint64 padded_w = (guint64) GST_VIDEO_INFO_WIDTH (info) + a->padding_left
      + a->padding_right;
  guint64 padded_h = (guint64) GST_VIDEO_INFO_HEIGHT (info) + a->padding_top
      + a->padding_bottom;

  if (a->padding_top < c->padding_top)
    violation (check, GST_ALLOC_FIELD_PADDING_TOP, "%u rows", a->padding_top);
  if (a->padding_bottom < c->padding_bottom)
    violation (check, GST_ALLOC_FIELD_PADDING_BOTTOM, "%u rows",
        a->padding_bottom);
  if (a->padding_left < c->padding_left)
    violation (check, GST_ALLOC_FIELD_PADDING_LEFT, "%u columns",
        a->padding_left);
  if (a->padding_right < c->padding_right)
    violation (check, GST_ALLOC_FIELD_PADDING_RIGHT, "%u columns",
        a->padding_right);
  if (padded_w % c->width_align != 0)
    violation (check, GST_ALLOC_FIELD_WIDTH_ALIGN, "padded width %"
        G_GUINT64_FORMAT, padded_w);
  if (padded_h % c->height_align != 0)
    violation (check, GST_ALLOC_FIELD_HEIGHT_ALIGN, "padded height %"
        G_GUINT64_FORMAT, padded_h);
}

/* The plane's start is its visible offset less the top and left padding the
 * meta declares; its place in the allocation adds the memory's own offset. */
static void
check_plane (Check * check, GstBuffer * buffer, const GstVideoFormatInfo * f,
    const GstVideoAlignment * a, guint plane, gsize offset, gint stride)
{
  const GstAllocConstraints *c = check->c;
  guint idx, length;
  gsize skip, lead, start;
  GstMemory *mem;

  if (stride <= 0 || stride % c->stride_align != 0)
    violation (check, GST_ALLOC_FIELD_STRIDE_ALIGN, "plane %u stride %d",
        plane, stride);
  if (!gst_buffer_find_memory (buffer, offset, 1, &idx, &length, &skip)) {
    violation (check, GST_ALLOC_FIELD_PLANES, "plane %u offset %" G_GSIZE_FORMAT
        " is outside the buffer", plane, offset);
    return;
  }
  mem = gst_buffer_peek_memory (buffer, idx);
  lead = gst_alloc_plane_lead (f, plane, stride, a);
  start = mem->offset + skip - MIN (lead, mem->offset + skip);
  if (start % c->offset_align != 0)
    violation (check, GST_ALLOC_FIELD_OFFSET_ALIGN,
        "plane %u starts at byte %" G_GSIZE_FORMAT " of memory %u", plane,
        start, idx);
  if (c->planes == GST_ALLOC_PLANES_SEPARATE && idx != plane)
    violation (check, GST_ALLOC_FIELD_PLANES, "plane %u is in memory %u",
        plane, idx);
}

static void
check_layout (Check * check, const GstVideoInfo * info, GstBuffer * buffer)
{
  const GstAllocConstraints *c = check->c;
  GstVideoMeta *meta = gst_buffer_get_video_meta (buffer);
  GstVideoAlignment none;
  const GstVideoAlignment *a = &none;
  guint p, n_planes = GST_VIDEO_INFO_N_PLANES (info);
  guint n_image_planes = gst_alloc_video_info_n_image_planes (info);
  guint n_mem = gst_buffer_n_memory (buffer);

  gst_video_alignment_reset (&none);
  if (meta)
    a = &meta->alignment;
  check_paddings (check, info, a);
  for (p = 0; p < n_image_planes; p++) {
    check_plane (check, buffer, info->finfo, a, p,
        meta ? meta->offset[p] : GST_VIDEO_INFO_PLANE_OFFSET (info, p),
        meta ? meta->stride[p] : GST_VIDEO_INFO_PLANE_STRIDE (info, p));
  }
  if (c->planes == GST_ALLOC_PLANES_SINGLE && n_mem != 1)
    violation (check, GST_ALLOC_FIELD_PLANES, "%u memories", n_mem);
  if (c->planes == GST_ALLOC_PLANES_SEPARATE && n_mem != n_planes)
    violation (check, GST_ALLOC_FIELD_PLANES, "%u memories for %u planes",
        n_mem, n_planes);
}

/* A consumer that does not read GstVideoMeta finds the planes at
 * GstVideoInfo's default strides and offsets, whatever a meta says. */
static void
check_default_layout (Check * check, const GstVideoInfo * info,
    GstBuffer * buffer)
{
  GstVideoMeta *meta = gst_buffer_get_video_meta (buffer);
  GstVideoInfo natural = *info;
  GstVideoAlignment none;
  gsize size = gst_buffer_get_size (buffer);
  guint p;

  gst_video_alignment_reset (&none);
  if (!gst_video_info_align (&natural, &none))
    return;
  for (p = 0; meta && p < GST_VIDEO_INFO_N_PLANES (&natural); p++) {
    if (meta->offset[p] != GST_VIDEO_INFO_PLANE_OFFSET (&natural, p)
        || meta->stride[p] != GST_VIDEO_INFO_PLANE_STRIDE (&natural, p)) {
      violation (check, GST_ALLOC_FIELD_DEFAULT_LAYOUT, "plane %u is at "
          "offset %" G_GSIZE_FORMAT " with stride %d, the default is %"
          G_GSIZE_FORMAT " and %d", p, meta->offset[p], meta->stride[p],
          GST_VIDEO_INFO_PLANE_OFFSET (&natural, p),
          GST_VIDEO_INFO_PLANE_STRIDE (&natural, p));
      return;
    }
  }
  if (size < GST_VIDEO_INFO_SIZE (&natural))
    violation (check, GST_ALLOC_FIELD_DEFAULT_LAYOUT, "the buffer holds %"
        G_GSIZE_FORMAT " bytes, the default layout %" G_GSIZE_FORMAT, size,
        GST_VIDEO_INFO_SIZE (&natural));
}

/* Frames whose caps give a video info are linear (GStreamer reads a tiled
 * DMA_DRM buffer into no GstVideoInfo): the format's linear layout must be
 * one the consumer reads. */
static void
check_drm_format (Check * check, const GstVideoInfo * info)
{
  guint32 fourcc = gst_alloc_drm_fourcc_from_video_format
      (GST_VIDEO_INFO_FORMAT (info));

  if (gst_alloc_constraints_accepts_drm_format (check->c, fourcc,
          GST_ALLOC_DRM_MODIFIER_LINEAR) && fourcc)
    return;
  if (fourcc)
    violation (check, GST_ALLOC_FIELD_DRM_FORMATS, "the buffer is %"
        GST_FOURCC_FORMAT ":linear (%s), not among them",
        GST_FOURCC_ARGS (fourcc), GST_VIDEO_INFO_NAME (info));
  else
    violation (check, GST_ALLOC_FIELD_DRM_FORMATS, "the buffer is %s, which "
        "has no DRM fourcc", GST_VIDEO_INFO_NAME (info));
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
  Check check = { constraints, NULL };
  guint64 used = 0;
  guint i;
  GstMemory *mem;

  g_return_val_if_fail (constraints != NULL, FALSE);
  g_return_val_if_fail (info != NULL && GST_IS_BUFFER (buffer), FALSE);

  check.violations = g_string_new (NULL);
  for (i = 0; i < gst_buffer_n_memory (buffer); i++) {
    mem = gst_buffer_peek_memory (buffer, i);
    check_memory (&check, mem, i);
    used += mem->offset + mem->size;
  }
  if (constraints->max_size && used > constraints->max_size)
    violation (&check, GST_ALLOC_FIELD_MAX_SIZE,
        "the buffer spans %" G_GUINT64_FORMAT " bytes", used);
  check_layout (&check, info, buffer);
  if (constraints->default_layout)
    check_default_layout (&check, info, buffer);
  if (constraints->drm_formats)
    check_drm_format (&check, info);

  if (check.violations->len == 0) {
    g_string_free (check.violations, TRUE);
    return TRUE;
  }
  g_set_error_literal (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_VIOLATION,
      check.violations->str);
  g_string_free (check.violations, TRUE);
  return FALSE;
}
