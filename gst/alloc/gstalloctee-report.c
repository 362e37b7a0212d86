/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What alloctee tells the application beyond its decision: an error about
 * one branch (from that branch's pad, so the others can go on), who holds
 * the buffers when a pool runs dry, and why a pool could not start. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloctee.h"

GST_DEBUG_CATEGORY_EXTERN (gst_alloc_tee_debug);
#define GST_CAT_DEFAULT gst_alloc_tee_debug

void
gst_alloc_tee_post_branch_error (GstAllocTee * self,
    GstAllocTeeBranch * branch, const gchar * text)
{
  GError *err = g_error_new_literal (GST_CORE_ERROR,
      GST_CORE_ERROR_NEGOTIATION, text);
  gchar *debug = g_strdup_printf ("%s: only this branch is affected; the "
      "others go on", GST_OBJECT_NAME (self));

  GST_WARNING_OBJECT (branch, "%s", text);
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_error (GST_OBJECT (branch), err, debug));
  g_error_free (err);
  g_free (debug);
}

/* Elements that pass buffers through untouched, on the way up to the
 * element that makes them. */
static gboolean
passes_buffers_through (GstElement * element)
{
  GstElementFactory *factory = gst_element_get_factory (element);
  const gchar *name = factory ? GST_OBJECT_NAME (factory) : "";

  return g_str_equal (name, "queue") || g_str_equal (name, "queue2")
      || g_str_equal (name, "capsfilter") || g_str_equal (name, "identity")
      || g_str_equal (name, "allocfilter");
}

/* The real pad behind @pad: a bin's ghost pad leads to the pad of the
 * element inside that makes the data. */
static GstPad *
through_ghosts (GstPad * pad)
{
  GstPad *target;

  while (GST_IS_GHOST_PAD (pad)
      && (target = gst_ghost_pad_get_target (GST_GHOST_PAD (pad)))) {
    gst_object_unref (pad);
    pad = target;
  }
  return pad;
}

gchar *
gst_alloc_tee_producer_name (GstAllocTee * self, gchar ** factory)
{
  GstPad *pad = gst_object_ref (self->sinkpad), *peer, *sink;
  GstElement *element = NULL;
  GstElementFactory *f;
  gchar *name = NULL;

  while ((peer = gst_pad_get_peer (pad))) {
    gst_object_unref (pad);
    peer = through_ghosts (peer);
    g_clear_object (&element);
    element = gst_pad_get_parent_element (peer);
    gst_object_unref (peer);
    sink = element && passes_buffers_through (element) ?
        gst_element_get_static_pad (element, "sink") : NULL;
    if (!sink) {
      pad = NULL;
      break;
    }
    pad = sink;
  }
  g_clear_object (&pad);
  if (element) {
    name = gst_object_get_name (GST_OBJECT (element));
    f = gst_element_get_factory (element);
    if (factory)
      *factory = f ? g_strdup (GST_OBJECT_NAME (f)) : NULL;
    gst_object_unref (element);
  }
  return name;
}

/* The branch that holds the most of the tee's buffers. */
static GstAllocTeeBranch *
biggest_holder (GstAllocTee * self, guint * held, guint * total)
{
  GstAllocTeeBranch *best = NULL, *branch;
  guint n;
  GList *l;

  *held = *total = 0;
  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT (self)->srcpads; l; l = l->next) {
    branch = l->data;
    n = gst_alloc_tee_branch_get_in_flight (branch);
    GST_DEBUG_OBJECT (branch, "holds %u of the tee's buffers", n);
    *total += n;
    if (n > *held) {
      *held = n;
      gst_object_replace ((GstObject **) & best, GST_OBJECT (branch));
    }
  }
  GST_OBJECT_UNLOCK (self);
  return best;
}

static void
pool_starved (GstAllocPool * pool, guint buffers, const gchar * limit,
    GstAllocTee * self)
{
  const gchar *owner_name = g_object_get_data (G_OBJECT (pool),
      "alloctee-branch");
  GstPad *owner = owner_name ? gst_element_get_static_pad (GST_ELEMENT (self),
      owner_name) : NULL;
  GstAllocTeeBranch *holder;
  guint held, total;
  gchar *consumer, *who;

  if (owner) {
    consumer = gst_alloc_tee_branch_consumer_name (GST_ALLOC_TEE_BRANCH
        (owner));
    GST_ELEMENT_WARNING (self, RESOURCE, BUSY, ("The %u copies of branch %s "
            "are all held by %s and its pool may not grow (%s): that branch "
            "waits.", buffers, owner_name, consumer, limit),
        ("pool %s", GST_OBJECT_NAME (pool)));
    g_free (consumer);
    gst_object_unref (owner);
    return;
  }
  holder = biggest_holder (self, &held, &total);
  consumer = holder ? gst_alloc_tee_branch_consumer_name (holder) : NULL;
  who = holder ? g_strdup_printf ("branch %s (%s) holds %u of them",
      GST_OBJECT_NAME (holder), consumer, held) :
      g_strdup ("no branch holds any of them");
  GST_ELEMENT_WARNING (self, RESOURCE, BUSY, ("All %u buffers of %s are out "
          "and the pool may not grow (%s); %s, the producer the other %u. "
          "Raise pool-budget, or let that branch hold fewer frames.", buffers,
          GST_OBJECT_NAME (self), limit, who, buffers > total ?
          buffers - total : 0), ("pool %s", GST_OBJECT_NAME (pool)));
  g_free (who);
  g_free (consumer);
  gst_clear_object (&holder);
}

static void
pool_failed (GstAllocPool * pool, const GError * error, GstAllocTee * self)
{
  GST_ELEMENT_ERROR (self, RESOURCE, NO_SPACE_LEFT, ("Cannot allocate the "
          "buffers of pool %s: %s", GST_OBJECT_NAME (pool), error->message),
      (NULL));
}

void
gst_alloc_tee_watch_pool (GstAllocTee * self, GstBufferPool * pool,
    GstAllocTeeBranch * owner)
{
  /* By name: the branch holds its pool, the pool must not hold it. */
  if (owner)
    g_object_set_data_full (G_OBJECT (pool), "alloctee-branch",
        gst_object_get_name (GST_OBJECT (owner)), g_free);
  g_signal_connect_object (pool, "starved", G_CALLBACK (pool_starved), self, 0);
  g_signal_connect_object (pool, "allocation-failed", G_CALLBACK (pool_failed),
      self, 0);
}
