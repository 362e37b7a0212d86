/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whether a consumer's needs are served by a pool as it is, and what a pool
 * of its own must satisfy when they are not. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpwdecide.h"

#include <spa/buffer/buffer.h>

GstAllocPwNeeds *
gst_alloc_pw_needs_from_consumer (const GstAllocPwConsumer * consumer,
    GError ** error)
{
  GstAllocPwNeeds *needs;
  gchar *fallback = NULL;
  gboolean ok = TRUE;

  if (!consumer->node_name)
    fallback = g_strdup_printf ("node %u", consumer->node_id);
  needs = gst_alloc_pw_needs_new (consumer->node_name ? consumer->node_name
      : fallback);
  g_free (fallback);
  if (consumer->buffers)
    ok = gst_alloc_pw_needs_add_buffers_param (needs,
        g_bytes_get_data (consumer->buffers, NULL), error);
  if (ok && consumer->constraints)
    ok = gst_alloc_pw_needs_add_constraints_string (needs,
        consumer->constraints, error);
  if (!ok)
    g_clear_pointer (&needs, gst_alloc_pw_needs_free);
  return needs;
}

static const gchar *
data_type_name (guint32 type)
{
  switch (type) {
    case SPA_DATA_DmaBuf:
      return "DmaBuf";
    case SPA_DATA_MemFd:
      return "MemFd";
    default:
      return "MemPtr";
  }
}

/* The data type the buffers go out as: fixed once PipeWire has them,
 * otherwise the best one for this consumer. */
static gboolean
serves_data_type (GstAllocPwPool * pool, const GstAllocPwNeeds * needs,
    gchar ** why)
{
  guint32 type = gst_alloc_pw_pool_get_data_type (pool);
  guint32 can = 1 << SPA_DATA_MemFd;
  gchar *accepts;

  if (!needs->data_types)
    return TRUE;
  if (gst_alloc_pw_pool_get_memory_kind (pool) == GST_ALLOC_MEMORY_DMABUF)
    can |= 1 << SPA_DATA_DmaBuf;
  if (type != SPA_ID_INVALID ? (needs->data_types & (1u << type)) != 0
      : (needs->data_types & can) != 0)
    return TRUE;
  accepts = gst_alloc_pw_data_types_to_string (needs->data_types);
  *why = g_strdup_printf ("dataType: the buffers are %s, %s accepts %s",
      type != SPA_ID_INVALID ? data_type_name (type) :
      (can & (1 << SPA_DATA_DmaBuf) ? "DmaBuf or MemFd" : "MemFd"),
      needs->consumer, accepts);
  g_free (accepts);
  return FALSE;
}

static gboolean
serves_layout (GstAllocPwPool * pool, const GstAllocPwNeeds * needs,
    gchar ** why)
{
  const GstAllocPwBlocks *blocks = gst_alloc_pw_pool_get_blocks (pool);
  const GstVideoInfo *info = gst_alloc_pw_pool_get_info (pool);
  gint tight = GST_VIDEO_INFO_PLANE_STRIDE (info, 0);

  if (needs->blocks && needs->blocks != blocks->n_blocks) {
    *why = g_strdup_printf ("blocks: the buffers have %u data blocks, %s "
        "takes exactly %u", blocks->n_blocks, needs->consumer, needs->blocks);
    return FALSE;
  }
  if (needs->exact_stride && needs->exact_stride != blocks->block[0].stride) {
    *why = g_strdup_printf ("stride: the buffers' rows are %d bytes apart, %s "
        "reads them exactly %d apart%s", blocks->block[0].stride,
        needs->consumer, needs->exact_stride, needs->exact_stride == tight ?
        " (the tight stride)" : "");
    return FALSE;
  }
  return TRUE;
}

static gboolean
serves_count (GstAllocPwPool * pool, const GstAllocPwNeeds * needs,
    gchar ** why)
{
  const GstAllocConstraints *c = needs->constraints;
  guint n = gst_alloc_pw_pool_get_n_buffers (pool);

  if (c->min_buffers > n || (c->max_buffers && c->max_buffers < n)) {
    *why = g_strdup_printf ("buffers: the node has %u buffers, %s takes "
        "%u to %u", n, needs->consumer, c->min_buffers, c->max_buffers);
    return FALSE;
  }
  return TRUE;
}

gboolean
gst_alloc_pw_pool_serves (GstAllocPwPool * pool,
    const GstAllocConstraints * pool_constraints, const GstAllocPwNeeds * needs,
    gchar ** why)
{
  GstAllocConstraints *merged;
  GError *err = NULL;

  if (!serves_data_type (pool, needs, why) || !serves_layout (pool, needs, why)
      || !serves_count (pool, needs, why))
    return FALSE;
  /* What cannot be seen on a buffer (cache, CPU access) must merge with
   * what the pool was made for; what can is checked on a buffer. */
  merged = gst_alloc_constraints_merge (pool_constraints, needs->constraints,
      &err);
  gst_alloc_constraints_free (merged);
  if (!err)
    gst_alloc_constraints_check_buffer (needs->constraints,
        gst_alloc_pw_pool_get_info (pool), gst_alloc_pw_pool_peek_buffer (pool),
        &err);
  if (err) {
    *why = g_strdup (err->message);
    g_clear_error (&err);
    return FALSE;
  }
  return TRUE;
}

GstAllocConstraints *
gst_alloc_pw_needs_pool_constraints (const GstAllocPwNeeds * needs,
    const GstVideoInfo * info, GError ** error)
{
  GstAllocConstraints *c = gst_alloc_constraints_copy (needs->constraints);
  GstAllocConstraints *shareable;
  GstAllocLayout layout;
  gint tight = GST_VIDEO_INFO_PLANE_STRIDE (info, 0);

  shareable = gst_alloc_constraints_from_string ("memory=dmabuf|memfd",
      "PipeWire (buffers cross processes)", NULL);
  if (!gst_alloc_constraints_merge_into (c, shareable, error))
    goto refused;
  /* The tight stride is the default layout (gst_alloc_pw_needs_apply_format
   * said so); another fixed stride is reached as an alignment. */
  if (needs->exact_stride && needs->exact_stride != tight && !c->default_layout) {
    c->stride_align = needs->exact_stride;
    gst_alloc_constraints_set_field_origin (c, GST_ALLOC_FIELD_STRIDE_ALIGN,
        needs->consumer);
  }
  if (!gst_alloc_layout_compute (&layout, info, c, error))
    goto refused;
  if (needs->exact_stride && layout.stride[0] != needs->exact_stride) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
        "stride: %s reads rows exactly %d bytes apart, but a %s %dx%d frame "
        "laid out for %s has rows %d apart", needs->consumer,
        needs->exact_stride, gst_video_format_to_string
        (GST_VIDEO_INFO_FORMAT (info)), info->width, info->height,
        needs->description, layout.stride[0]);
    goto refused;
  }
  gst_alloc_constraints_free (shareable);
  return c;

refused:
  gst_alloc_constraints_free (shareable);
  gst_alloc_constraints_free (c);
  return NULL;
}
