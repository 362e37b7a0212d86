/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pool's side of the GstBufferPool config: our constraints stored in it,
 * the stock entries read as constraints, and the corrections set_config()
 * writes back. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpool-private.h"

#include <sys/resource.h>
#include <unistd.h>

#define GST_CAT_DEFAULT gst_alloc_pool_debug

#define CONFIG_FIELD "gst-alloc-constraints"
#define BUDGET_FIELD "gst-alloc-budget"
/* Buffers allocated at start when nobody asks for more: one being filled,
 * one in flight, one being read and one spare. */
#define DEFAULT_BUFFERS 4
#define DEFAULT_BUDGET (G_GUINT64_CONSTANT (1) << 30)

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

guint
gst_alloc_pool_start_count (const GstAllocConstraints * c, guint min)
{
  return MAX (MAX (min, c->min_buffers), DEFAULT_BUFFERS);
}

/* Bytes one buffer takes: each memory rounded as it is allocated. */
static gboolean
buffer_footprint (const GstAllocLayout * layout, gsize granule, guint64 * out)
{
  guint64 total = 0;
  gsize size;
  guint i;

  for (i = 0; i < layout->n_memories; i++) {
    if (!gst_alloc_checked_round_up (layout->alloc_size[i], granule, &size))
      return FALSE;
    total += size;
  }
  *out = total;
  return TRUE;
}

/* A quarter of the file descriptors the process may open: every memory is
 * one, and the rest of the process needs its own. 0 when unlimited. */
static guint
fd_ceiling (const GstAllocLayout * layout, gchar ** why)
{
  struct rlimit limit;
  guint64 buffers;

  *why = NULL;
  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return 0;
  buffers = MAX (limit.rlim_cur / 4 / layout->n_memories, 1);
  *why = g_strdup_printf ("a quarter of the process's limit of %"
      G_GUINT64_FORMAT " file descriptors is used (%u per buffer)",
      (guint64) limit.rlim_cur, layout->n_memories);
  return MIN (buffers, G_MAXUINT);
}

static void
budget_error (const GstAllocConstraints * c, guint start, guint64 footprint,
    guint64 budget, GError ** error)
{
  const gchar *who = gst_alloc_constraints_get_origin (c,
      GST_ALLOC_FIELD_MIN_BUFFERS);
  gchar *size_text = g_format_size_full (footprint, G_FORMAT_SIZE_IEC_UNITS);
  gchar *need_text = g_format_size_full (footprint * start,
      G_FORMAT_SIZE_IEC_UNITS);
  gchar *budget_text = g_format_size_full (budget, G_FORMAT_SIZE_IEC_UNITS);

  g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_BUDGET,
      "%u buffers of %s (%s in all, min-buffers asked by %s) exceed the "
      "pool's budget of %s: ask for fewer buffers or raise the budget "
      "(pool-budget property)", start, size_text, need_text,
      c->min_buffers && who ? who : "the pool's user", budget_text);
  g_free (size_text);
  g_free (need_text);
  g_free (budget_text);
}

static void
lower_ceiling (guint * ceiling, gchar ** reason, guint value, gchar * why)
{
  if (value && (*ceiling == 0 || value < *ceiling)) {
    *ceiling = value;
    g_free (*reason);
    *reason = why;
  } else {
    g_free (why);
  }
}

gboolean
gst_alloc_pool_compute_ceiling (const GstAllocConstraints * c,
    const GstAllocLayout * layout, gsize granule, guint64 budget,
    guint start, guint max, guint * ceiling, gchar ** reason, GError ** error)
{
  const gchar *who = gst_alloc_constraints_get_origin (c,
      GST_ALLOC_FIELD_MAX_BUFFERS);
  guint64 footprint, fit;
  gchar *budget_text, *fds_text;
  guint fds;

  *ceiling = 0;
  *reason = NULL;
  if (!buffer_footprint (layout, granule, &footprint) || footprint == 0) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
        "a buffer's size overflows");
    return FALSE;
  }
  fit = budget / footprint;
  if (fit < start) {
    budget_error (c, start, footprint, budget, error);
    return FALSE;
  }
  budget_text = g_format_size_full (budget, G_FORMAT_SIZE_IEC_UNITS);
  lower_ceiling (ceiling, reason, MIN (fit, G_MAXUINT),
      g_strdup_printf ("its budget of %s is used up", budget_text));
  g_free (budget_text);
  fds = fd_ceiling (layout, &fds_text);
  lower_ceiling (ceiling, reason, fds, fds_text);
  lower_ceiling (ceiling, reason, max,
      g_strdup_printf ("the pool's config sets max-buffers to %u", max));
  lower_ceiling (ceiling, reason, c->max_buffers,
      g_strdup_printf ("max-buffers is %u (asked by %s)", c->max_buffers,
          who ? who : "an unnamed consumer"));
  if (c->max_buffers && c->max_buffers < start) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_CONFLICT,
        "%u buffers are needed but max-buffers is %u (asked by %s)", start,
        c->max_buffers, who ? who : "an unnamed consumer");
    g_clear_pointer (reason, g_free);
    return FALSE;
  }
  /* Never below what must exist at start, whatever the fds say. */
  if (*ceiling < start)
    *ceiling = start;
  return TRUE;
}

gboolean
gst_alloc_pool_correct_config (GstStructure * config, GstCaps * caps,
    guint size, guint start, guint min, guint max,
    const GstAllocLayout * layout, const GstVideoInfo * info)
{
  gboolean refuse = FALSE;

  /* A max-buffers the pool cannot start within is the caller's to agree to;
   * a larger size or start count is simply what the pool will do. */
  if (max && max < start) {
    max = start;
    refuse = TRUE;
  }
  gst_buffer_pool_config_set_params (config, caps, MAX (size, layout->size),
      start, max);
  /* A padded or split layout is only readable through GstVideoMeta. */
  if (!gst_alloc_layout_is_natural (layout, info)
      && !gst_buffer_pool_config_has_option (config,
          GST_BUFFER_POOL_OPTION_VIDEO_META)) {
    gst_buffer_pool_config_add_option (config,
        GST_BUFFER_POOL_OPTION_VIDEO_META);
    refuse = TRUE;
  }
  return refuse;
}

GstClockTime
gst_alloc_pool_wait_period (const GstVideoInfo * info)
{
  GstClockTime frame;

  if (GST_VIDEO_INFO_FPS_N (info) <= 0 || GST_VIDEO_INFO_FPS_D (info) <= 0)
    return 100 * GST_MSECOND;
  frame = gst_util_uint64_scale_int (GST_SECOND, GST_VIDEO_INFO_FPS_D (info),
      GST_VIDEO_INFO_FPS_N (info));
  return CLAMP (frame, 10 * GST_MSECOND, GST_SECOND);
}

/**
 * gst_alloc_pool_config_set_budget:
 * @config: a buffer pool config
 * @bytes: the most memory the buffers of the pool may take at once; 0 for
 *   gst_alloc_pool_get_default_budget(), also on a pool given a budget of
 *   its own with gst_alloc_pool_set_budget()
 *
 * Since: 1.0
 */
void
gst_alloc_pool_config_set_budget (GstStructure * config, guint64 bytes)
{
  g_return_if_fail (config != NULL);

  gst_structure_set (config, BUDGET_FIELD, G_TYPE_UINT64, bytes, NULL);
}

/**
 * gst_alloc_pool_config_get_budget:
 * @config: a buffer pool config
 *
 * Returns: the budget in @config, or gst_alloc_pool_get_default_budget()
 * when it has none (or 0).
 *
 * Since: 1.0
 */
guint64
gst_alloc_pool_config_get_budget (GstStructure * config)
{
  guint64 bytes = 0;

  g_return_val_if_fail (config != NULL, 0);

  if (!gst_structure_get_uint64 (config, BUDGET_FIELD, &bytes) || bytes == 0)
    bytes = gst_alloc_pool_get_default_budget ();
  return bytes;
}

/**
 * gst_alloc_pool_get_default_budget:
 *
 * The budget of a #GstAllocPool told no other, the most memory its buffers
 * may take at once: 1 GiB, or a quarter of the machine's memory when that
 * is less. A pool grows on demand while one more buffer fits in its budget
 * and refuses a config whose start count alone exceeds it.
 *
 * Returns: the default budget in bytes.
 *
 * Since: 1.0
 */
guint64
gst_alloc_pool_get_default_budget (void)
{
  long pages = sysconf (_SC_PHYS_PAGES), page = sysconf (_SC_PAGESIZE);
  guint64 quarter;

  if (pages <= 0 || page <= 0)
    return DEFAULT_BUDGET;
  quarter = (guint64) pages *(guint64) page / 4;
  return MIN (quarter, DEFAULT_BUDGET);
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
    GstAllocConstraints ** c, GError ** error)
{
  gchar *text;

  if (!gst_buffer_pool_config_get_params (config, caps, size, min, max)
      || !*caps) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
        "the pool config has no caps");
    return FALSE;
  }
  if (!gst_alloc_video_info_from_caps (info, *caps)) {
    text = gst_caps_to_string (*caps);
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_LAYOUT,
        "the pool config's caps are not raw video: %s", text);
    g_free (text);
    return FALSE;
  }
  *c = gst_alloc_pool_config_get_constraints (config, error);
  if (*c && !merge_stock_config (config, *c, error))
    g_clear_pointer (c, gst_alloc_constraints_free);
  return *c != NULL;
}
