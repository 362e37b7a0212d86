/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Busy counts a consumer that died left behind.
 *
 * A consumer marks a buffer busy (SPA_META_Busy, in memory every process
 * shares) while it reads it, and PipeWire refuses us a busy buffer. A
 * consumer killed while reading never clears its mark, and the buffer is
 * lost to us until PipeWire reallocates, which on 0.3.65 it does not while
 * other consumers stay linked. So when a consumer leaves, every busy buffer
 * becomes a suspect; living consumers release theirs within a few frames,
 * and a suspect still busy after GST_ALLOC_PW_BUSY_REPAIR_US has its count
 * lowered by the least it was seen at meanwhile. That is exactly what the
 * dead consumer held, unless a living consumer held the same buffer the
 * whole time (a paused one): then that consumer's frame may be overwritten,
 * which beats a producer that stalls. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpwpool-private.h"

#include <spa/buffer/meta.h>

#define GST_CAT_DEFAULT gst_alloc_pw_pool_debug

static struct spa_meta_busy *
busy_of (GstAllocPwSlot * slot)
{
  return slot->pw ? spa_buffer_find_meta_data (slot->pw->buffer, SPA_META_Busy,
      sizeof (struct spa_meta_busy)) : NULL;
}

/* Consumers' marks only: a buffer we dequeued carries our own mark too. */
static guint32
consumer_count (GstAllocPwSlot * slot, struct spa_meta_busy *busy)
{
  guint32 count = (guint32) g_atomic_int_get ((gint *) & busy->count);

  if (slot->pw_ours && count > 0)
    count--;
  /* A count lowered under a consumer that then released wraps around. */
  return count > G_MAXINT32 ? 0 : count;
}

void
gst_alloc_pw_pool_consumer_left (GstAllocPwPool * pool)
{
  struct spa_meta_busy *busy;
  gint64 now = g_get_monotonic_time ();
  guint i;

  g_mutex_lock (&pool->lock);
  for (i = 0; i < pool->n_slots; i++) {
    GstAllocPwSlot *slot = &pool->slots[i];
    guint32 count;

    if (!(busy = busy_of (slot)) || !(count = consumer_count (slot, busy)))
      continue;
    if (!slot->suspect_since) {
      slot->suspect_since = now;
      slot->suspect_min = count;
    }
  }
  g_mutex_unlock (&pool->lock);
}

/* Lowers @busy by @by, never below zero, against concurrent marks. */
static void
lower_count (struct spa_meta_busy *busy, guint32 by)
{
  gint old, new;

  do {
    old = g_atomic_int_get ((gint *) & busy->count);
    new = (guint32) old > by ? (gint) ((guint32) old - by) : 0;
  } while (!g_atomic_int_compare_and_exchange ((gint *) & busy->count, old,
          new));
}

/* With the lock, at every reclaim: suspects that came free are cleared,
 * the others followed, and repaired once overdue. */
void
gst_alloc_pw_pool_repair_busy_locked (GstAllocPwPool * pool)
{
  struct spa_meta_busy *busy;
  gint64 now = g_get_monotonic_time ();
  guint i;

  for (i = 0; i < pool->n_slots; i++) {
    GstAllocPwSlot *slot = &pool->slots[i];
    guint32 count;

    if (!slot->suspect_since)
      continue;
    if (!(busy = busy_of (slot)) || !(count = consumer_count (slot, busy))) {
      slot->suspect_since = 0;
      continue;
    }
    slot->suspect_min = MIN (slot->suspect_min, count);
    if (now - slot->suspect_since < GST_ALLOC_PW_BUSY_REPAIR_US)
      continue;
    GST_INFO_OBJECT (pool, "buffer %u busy for %u consumers since one left "
        "%" G_GINT64_FORMAT " ms ago: releasing it", i, slot->suspect_min,
        (now - slot->suspect_since) / 1000);
    lower_count (busy, slot->suspect_min);
    slot->suspect_since = 0;
    pool->repaired++;
  }
}

guint64
gst_alloc_pw_pool_get_repaired (GstAllocPwPool * pool)
{
  guint64 n;

  g_mutex_lock (&pool->lock);
  n = pool->repaired;
  g_mutex_unlock (&pool->lock);
  return n;
}

guint
gst_alloc_pw_pool_count_busy (GstAllocPwPool * pool)
{
  struct spa_meta_busy *busy;
  guint i, n = 0;

  g_mutex_lock (&pool->lock);
  for (i = 0; i < pool->n_slots; i++) {
    if ((busy = busy_of (&pool->slots[i])))
      n += consumer_count (&pool->slots[i], busy) > 0;
  }
  g_mutex_unlock (&pool->lock);
  return n;
}
