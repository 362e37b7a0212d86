/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gstalloc-private.h"

G_BEGIN_DECLS

struct _GstAllocPool
{
  GstBufferPool parent;

  GstAllocSolver *solver;
  guint id;                     /* tags the memories this pool made */

  /* Swapped by set_config() and advanced by allocation, under the object
   * lock; allocation works on a snapshot, so the getters, called from any
   * thread, never see a half-replaced state. */
  GstAllocConstraints *constraints;
  GstAllocLayout layout;
  GstAllocSolution *solution;
  guint backend_index;
  gsize granule;
  GString *fallbacks;
  guint64 bytes_allocated;
  guint64 buffers_allocated;
  /* The budget in force, in bytes: the config's, else default_budget,
   * else the library's; the ceiling holds the buffer count it pays for. */
  guint64 budget;
  guint64 default_budget;       /* gst_alloc_pool_set_budget(); 0: none */
  /* Why the last config was refused; kept until the next config, since
   * GstBufferPool takes a refused config set again for accepted. */
  GError *config_error;
  /* The most buffers alive (allocated and not yet freed) at once: the
   * lowest of the budget's, the file descriptors', the config's and the
   * constraints' max-buffers, never below the start count. */
  guint ceiling;
  gchar *ceiling_reason;
  GstClockTime wait_period;
  gboolean growing;             /* past the buffers allocated at start */
  gchar *growth_error;          /* why it could not grow; NULL: it can */

  /* Recycling (gstallocpool-recycle.c), under recycle_lock. */
  GMutex recycle_lock;
  GCond recycle_cond;
  GQueue held;                  /* released, memory still shared elsewhere */
  guint alive;                  /* buffers allocated and not yet freed */
  guint released;               /* release count, to wake waiting acquirers */
  GHashTable *told;             /* causes warned about since start or flush */
};

/* Reads caps, size, counts and video info from @config, and the merged
 * constraints: ours plus the stock entries (allocation params, video
 * alignment). FALSE with @error when the config is unusable. */
G_GNUC_INTERNAL
gboolean gst_alloc_pool_read_config (GstStructure * config, GstCaps ** caps,
    guint * size, guint * min, guint * max, GstVideoInfo * info,
    GstAllocConstraints ** c, GError ** error);

/* Buffers the pool allocates when it starts: what the config and the
 * constraints ask for, at least a few. */
G_GNUC_INTERNAL
guint gst_alloc_pool_start_count (const GstAllocConstraints * c, guint min);

/* The most buffers the pool may hold at once, and what sets it with its
 * numbers (for messages). FALSE with @error when not even @start buffers
 * fit. */
G_GNUC_INTERNAL
gboolean gst_alloc_pool_compute_ceiling (const GstAllocConstraints * c,
    const GstAllocLayout * layout, gsize granule, guint64 budget,
    guint start, guint max, guint * ceiling, gchar ** reason,
    GError ** error);

/* Brings @config to what the pool will do: a larger size or start count is
 * taken as it is (as GstVideoBufferPool takes a larger size); a max-buffers
 * below the start count or a padded layout without the video-meta option
 * must be agreed to by the caller: those return TRUE (changed, refuse). */
G_GNUC_INTERNAL
gboolean gst_alloc_pool_correct_config (GstStructure * config, GstCaps * caps,
    guint size, guint start, guint min, guint max,
    const GstAllocLayout * layout, const GstVideoInfo * info);

G_GNUC_INTERNAL
gboolean gst_alloc_pool_grow_layout (GstAllocLayout * layout, guint size,
    guint32 size_align);

/* What each allocation is rounded to: pages and size-align together. */
G_GNUC_INTERNAL
gsize gst_alloc_pool_allocation_granule (guint32 size_align);

/* How long an empty pool waits before it reports starvation: one frame of
 * @info, within sane bounds. */
G_GNUC_INTERNAL
GstClockTime gst_alloc_pool_wait_period (const GstVideoInfo * info);

/* The GstBufferPool vfuncs that recycle buffers (gstallocpool-recycle.c). */
G_GNUC_INTERNAL
void gst_alloc_pool_install_recycling (GstBufferPoolClass * pool_class);

G_GNUC_INTERNAL
void gst_alloc_pool_init_recycling (GstAllocPool * self);

G_GNUC_INTERNAL
void gst_alloc_pool_clear_recycling (GstAllocPool * self);

/* The ceiling and what the pool says about it (gstallocpool-ceiling.c). */

/* Called by alloc_buffer/free_buffer to keep the count of live buffers;
 * FALSE when the ceiling is reached and no buffer may be added. */
G_GNUC_INTERNAL
gboolean gst_alloc_pool_reserve_buffer (GstAllocPool * self);

G_GNUC_INTERNAL
void gst_alloc_pool_unreserve_buffer (GstAllocPool * self);

/* TRUE the first time since the pool started or flushed that @cause is
 * given: the caller warns then, and only logs the repeats. */
G_GNUC_INTERNAL
gboolean gst_alloc_pool_tell_once (GstAllocPool * self, const gchar * cause);

G_GNUC_INTERNAL
void gst_alloc_pool_forget_told (GstAllocPool * self);

/* An acquire waited a wait period for a buffer in vain. */
G_GNUC_INTERNAL
void gst_alloc_pool_starved (GstAllocPool * self);

/* The pool grew by one buffer, or could not because of @err. */
G_GNUC_INTERNAL
void gst_alloc_pool_grew (GstAllocPool * self);

G_GNUC_INTERNAL
void gst_alloc_pool_cannot_grow (GstAllocPool * self, const GError * err);

/* A buffer of layout @l, every memory from the first of @candidates from
 * the pool's current backend on that can give them all (gstallocpool-buffer.c).
 * NULL with the last backend's error when none can. */
G_GNUC_INTERNAL
GstBuffer *gst_alloc_pool_new_buffer (GstAllocPool * self,
    const GstAllocLayout * l, GPtrArray * candidates, gsize granule,
    GError ** error);

/* The id of the pool that made @mem (0: none of ours). */
G_GNUC_INTERNAL
guint gst_alloc_pool_memory_id (GstMemory * mem);

/* Whether the pool has a state to allocate with: the last config it was
 * asked to take was accepted, or corrected (and the corrections applied).
 * FALSE before any config and after a refused one. */
G_GNUC_INTERNAL
gboolean gst_alloc_pool_is_configured (GstAllocPool * self);

/* Copies into @error the reason the last config was refused, if it was. */
G_GNUC_INTERNAL
gboolean gst_alloc_pool_get_config_error (GstAllocPool * self,
    GError ** error);

/* Signals (gstallocpool.c). */
G_GNUC_INTERNAL
void gst_alloc_pool_emit_starved (GstAllocPool * self, guint alive,
    const gchar * limit);

G_GNUC_INTERNAL
void gst_alloc_pool_emit_allocation_failed (GstAllocPool * self,
    const GError * error);

G_END_DECLS
