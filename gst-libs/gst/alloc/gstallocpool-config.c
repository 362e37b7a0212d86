/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pool's side of the GstBufferPool config: our constraints stored in it,
 * the stock entries read as constraints, and the corrections set_config()
 * writes back. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpool-private.h"

#include <unistd.h>

#define GST_CAT_DEFAULT gst_alloc_pool_debug

#define CONFIG_FIELD "gst-alloc-constraints"
#define DEFAULT_BUFFERS 4

/**
 * gst_alloc_pool_config_set_constraints:
 * @config: a buffer pool config
 * @constraints: the merged constraints the buffers must satisfy
 */
void
gst_alloc_pool_config_set_constraints (GstStructure * config,
    const GstAllocConstraints * constraints)
{
  GstStructure *s;

  g_return_if_fail (config != NULL && constraints != NULL);

  s = gst_alloc_constraints_to_structure (constraints);
  gst_structure_set (config, CONFIG_FIELD, GST_TYPE_STRUCTURE, s, NULL);
  gst_structure_free (s);
}

/**
 * gst_alloc_pool_config_get_constraints:
 * @config: a buffer pool config
 * @error: (nullable): where to say why the stored constraints are invalid
 *
 * Returns: (transfer full) (nullable): the constraints in @config, an empty
 * set when it has none, or %NULL if they cannot be read.
 */
GstAllocConstraints *
gst_alloc_pool_config_get_constraints (GstStructure * config, GError ** error)
{
  const GValue *value;

  g_return_val_if_fail (config != NULL, NULL);

  value = gst_structure_get_value (config, CONFIG_FIELD);
  if (!value)
    return gst_alloc_constraints_new ();
  if (!GST_VALUE_HOLDS_STRUCTURE (value)) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE,
        "the pool config field %s is not a structure", CONFIG_FIELD);
    return NULL;
  }
  return gst_alloc_constraints_from_structure (gst_value_get_structure (value),
      error);
}

/* What stock code says in the config (GstAllocationParams, the
 * GstVideoAlignment option) is a constraint like any other. */
static gboolean
merge_stock_config (GstStructure * config, GstAllocConstraints * c,
    GError ** error)
{
  GstAllocationParams params;
  GstVideoAlignment align;
  GstAllocConstraints *stock;
  gboolean ok = TRUE;

  if (gst_buffer_pool_config_get_allocator (config, NULL, &params)) {
    stock = gst_alloc_constraints_from_allocation_params (&params,
        "pool config allocation params");
    ok = gst_alloc_constraints_merge_into (c, stock, error);
    gst_alloc_constraints_free (stock);
  }
  if (ok && gst_buffer_pool_config_has_option (config,
          GST_BUFFER_POOL_OPTION_VIDEO_ALIGNMENT)
      && gst_buffer_pool_config_get_video_alignment (config, &align)) {
    stock = gst_alloc_constraints_from_video_alignment (&align,
        "pool config video alignment");
    ok = gst_alloc_constraints_merge_into (c, stock, error);
    gst_alloc_constraints_free (stock);
  }
  return ok;
}

/* A config asking for bigger buffers than the layout gets them: the extra
 * bytes go to the end of the last memory. */
gboolean
gst_alloc_pool_grow_layout (GstAllocLayout * layout, guint size,
    guint32 size_align)
{
  guint last = layout->n_memories - 1;
  gsize extra;

  if (size <= layout->size)
    return TRUE;
  extra = size - layout->size;
  if (!gst_alloc_checked_round_up (layout->alloc_size[last] + extra,
          size_align, &layout->alloc_size[last]))
    return FALSE;
  layout->memory_size[last] += extra;
  layout->size = size;
  GST_VIDEO_INFO_SIZE (&layout->info) = size;
  return TRUE;
}

/* Fixed-size pool: returns the buffer count, or 0 when the constraints'
 * max-buffers cannot hold what is needed at minimum. A max is a ceiling,
 * not a target: a consumer that allows 32 buffers (v4l2sink) does not
 * make the pool allocate 32. */
guint
gst_alloc_pool_buffer_count (const GstAllocConstraints * c, guint min,
    guint max)
{
  guint want = MAX (min, c->min_buffers);
  guint n = MAX (want, DEFAULT_BUFFERS);

  if (max && max < n)
    n = MAX (want, max);
  if (c->max_buffers && n > c->max_buffers)
    n = want <= c->max_buffers ? c->max_buffers : 0;
  return n;
}

/* Rewrites what the caller must change; TRUE if it changed anything. */
gboolean
gst_alloc_pool_correct_config (GstStructure * config, GstCaps * caps,
    guint size, guint n, guint min, guint max, const GstAllocLayout * layout,
    const GstVideoInfo * info)
{
  gboolean changed = FALSE;

  if (size < layout->size || min != n || max != n) {
    gst_buffer_pool_config_set_params (config, caps, MAX (size, layout->size),
        n, n);
    changed = TRUE;
  }
  /* A padded or split layout is only readable through GstVideoMeta. */
  if (!gst_alloc_layout_is_natural (layout, info)
      && !gst_buffer_pool_config_has_option (config,
          GST_BUFFER_POOL_OPTION_VIDEO_META)) {
    gst_buffer_pool_config_add_option (config,
        GST_BUFFER_POOL_OPTION_VIDEO_META);
    changed = TRUE;
  }
  return changed;
}

gsize
gst_alloc_pool_allocation_granule (guint32 size_align)
{
  guint32 granule;

  /* Backends round to pages; rounding to a common multiple keeps the
   * memory's true size a multiple of size-align as well. */
  if (!gst_alloc_checked_lcm (size_align, (guint32) sysconf (_SC_PAGESIZE),
          &granule))
    return size_align;
  return granule;
}

gboolean
gst_alloc_pool_read_config (GstStructure * config, GstCaps ** caps,
    guint * size, guint * min, guint * max, GstVideoInfo * info,
    GstAllocConstraints ** c)
{
  GError *err = NULL;

  if (!gst_buffer_pool_config_get_params (config, caps, size, min, max)
      || !*caps) {
    GST_WARNING ("pool config has no caps");
    return FALSE;
  }
  if (!gst_video_info_from_caps (info, *caps)) {
    GST_WARNING ("caps %" GST_PTR_FORMAT " are not raw video", *caps);
    return FALSE;
  }
  *c = gst_alloc_pool_config_get_constraints (config, &err);
  if (*c && !merge_stock_config (config, *c, &err)) {
    g_clear_pointer (c, gst_alloc_constraints_free);
  }
  if (!*c) {
    GST_WARNING ("unusable constraints in pool config: %s", err->message);
    g_clear_error (&err);
    return FALSE;
  }
  return TRUE;
}
