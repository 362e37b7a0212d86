/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Caps for alloctee: the stream's format is what the branches can agree on;
 * a branch whose peer takes none of those formats is left out of the
 * agreement and gets a format of its own, into which its frames are
 * converted. The other branches are not affected. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloctee.h"

GST_DEBUG_CATEGORY_EXTERN (gst_alloc_tee_debug);
#define GST_CAT_DEFAULT gst_alloc_tee_debug

static GstCaps *raw_video_caps;

static gboolean
is_raw_video (GstCaps * caps)
{
  if (g_once_init_enter (&raw_video_caps))
    g_once_init_leave (&raw_video_caps,
        gst_caps_from_string ("video/x-raw(ANY)"));
  return gst_caps_can_intersect (caps, raw_video_caps);
}

static GPtrArray *
branches (GstElement * tee, gboolean linked_only)
{
  GPtrArray *pads = g_ptr_array_new_with_free_func (gst_object_unref);
  GList *l;

  GST_OBJECT_LOCK (tee);
  for (l = tee->srcpads; l; l = l->next) {
    if (!linked_only || gst_pad_is_linked (l->data))
      g_ptr_array_add (pads, gst_object_ref (l->data));
  }
  GST_OBJECT_UNLOCK (tee);
  return pads;
}

/* The intersection of what the branches take, in pad order; a branch that
 * would empty it, while both sides are raw video, is left out: it will get
 * a format of its own. */
static GstCaps *
agreed_caps (GstElement * tee, GstCaps * filter)
{
  GPtrArray *linked = branches (tee, TRUE);
  GstCaps *result = filter ? gst_caps_ref (filter) : gst_caps_new_any ();
  GstCaps *peer, *joined;
  guint i;

  for (i = 0; i < linked->len; i++) {
    peer = gst_pad_peer_query_caps (linked->pdata[i], NULL);
    joined = gst_caps_intersect (result, peer);
    if (gst_caps_is_empty (joined) && is_raw_video (result)
        && is_raw_video (peer)) {
      GST_DEBUG_OBJECT (linked->pdata[i], "takes none of %" GST_PTR_FORMAT
          ": left out, it will convert", result);
      gst_caps_unref (joined);
    } else {
      gst_caps_replace (&result, joined);
      gst_caps_unref (joined);
    }
    gst_caps_unref (peer);
  }
  g_ptr_array_unref (linked);
  return result;
}

gboolean
gst_alloc_tee_query_caps (GstElement * tee, GstPad * sinkpad, GstQuery * query)
{
  GstCaps *filter, *result;

  gst_query_parse_caps (query, &filter);
  result = agreed_caps (tee, filter);
  gst_query_set_caps_result (query, result);
  gst_caps_unref (result);
  return TRUE;
}

gboolean
gst_alloc_tee_accept_caps (GstElement * tee, GstPad * sinkpad, GstQuery * query)
{
  GstCaps *caps, *agreed;

  gst_query_parse_accept_caps (query, &caps);
  agreed = agreed_caps (tee, caps);
  gst_query_set_accept_caps_result (query, !gst_caps_is_empty (agreed)
      && gst_caps_is_subset (caps, agreed));
  gst_caps_unref (agreed);
  return TRUE;
}

/* @caps with what a format conversion changes left open. */
static GstCaps *
any_format (GstCaps * caps)
{
  GstCaps *open = gst_caps_copy (caps);
  guint i;

  for (i = 0; i < gst_caps_get_size (open); i++)
    gst_structure_remove_fields (gst_caps_get_structure (open, i), "format",
        "colorimetry", "chroma-site", NULL);
  return open;
}

/* What a branch can take: upstream's formats first, then any raw video
 * format of the same size and rate, which the branch would convert to. */
gboolean
gst_alloc_tee_src_query_caps (GstElement * tee, GstPad * sinkpad,
    GstQuery * query)
{
  GstCaps *filter, *upstream, *result;

  gst_query_parse_caps (query, &filter);
  upstream = gst_pad_peer_query_caps (sinkpad, NULL);
  result = is_raw_video (upstream) ?
      gst_caps_merge (gst_caps_ref (upstream), any_format (upstream)) :
      gst_caps_ref (upstream);
  if (filter) {
    gst_caps_unref (upstream);
    upstream = result;
    result = gst_caps_intersect_full (filter, upstream,
        GST_CAPS_INTERSECT_FIRST);
  }
  gst_query_set_caps_result (query, result);
  gst_caps_unref (result);
  gst_caps_unref (upstream);
  return TRUE;
}

/* The stream's caps without what a format conversion changes, fixated
 * against what the peer takes; NULL when the peer takes no raw video of
 * the stream's size and rate. */
static GstCaps *
own_caps (GstPad * branch, GstCaps * stream_caps)
{
  GstCaps *wanted = any_format (stream_caps), *peer, *result;

  peer = gst_pad_peer_query_caps (branch, wanted);
  result = gst_caps_intersect (peer, wanted);
  gst_caps_unref (peer);
  gst_caps_unref (wanted);
  if (gst_caps_is_empty (result)) {
    gst_caps_unref (result);
    return NULL;
  }
  return gst_caps_fixate (result);
}

/* Decides whether @branch takes @stream_caps or needs its own format, and
 * returns the caps it is to receive (NULL: it takes none we can give). */
static GstCaps *
branch_caps (GstAllocTeeBranch * branch, GstCaps * stream_caps)
{
  GstPad *pad = GST_PAD (branch);
  GstVideoInfo info;
  GstCaps *caps;
  gchar *consumer, *reason;

  if (!gst_pad_is_linked (pad) || gst_pad_peer_query_accept_caps (pad,
          stream_caps) || !is_raw_video (stream_caps)) {
    gst_alloc_tee_branch_set_format (branch, NULL, NULL);
    return gst_caps_ref (stream_caps);
  }
  caps = own_caps (pad, stream_caps);
  if (!caps || !gst_video_info_from_caps (&info, caps)) {
    gst_clear_caps (&caps);
    return NULL;
  }
  consumer = gst_alloc_tee_branch_consumer_name (branch);
  reason = g_strdup_printf ("caps: %s takes no %s; frames are converted to "
      "%s for this branch only", consumer,
      gst_structure_get_string (gst_caps_get_structure (stream_caps, 0),
          "format"), GST_VIDEO_INFO_NAME (&info));
  GST_INFO_OBJECT (branch, "%s", reason);
  gst_alloc_tee_branch_set_format (branch, &info, reason);
  g_free (reason);
  g_free (consumer);
  return caps;
}

gboolean
gst_alloc_tee_push_caps (GstElement * tee, GstEvent * event)
{
  /* Unlinked pads too: the caps stay on them for when they are linked. */
  GPtrArray *all = branches (tee, FALSE);
  GstCaps *stream_caps, *caps;
  gboolean ok = TRUE;
  guint i;

  gst_event_parse_caps (event, &stream_caps);
  for (i = 0; i < all->len; i++) {
    caps = branch_caps (all->pdata[i], stream_caps);
    if (!caps) {
      ok = FALSE;
      continue;
    }
    ok &= gst_pad_push_event (all->pdata[i],
        caps == stream_caps ? gst_event_ref (event) :
        gst_event_new_caps (caps));
    gst_caps_unref (caps);
  }
  g_ptr_array_unref (all);
  gst_event_unref (event);
  return ok;
}

/* A branch linked while the stream runs: upstream does not send unchanged
 * caps again, so the branch's own caps are stored on its pad here, to go
 * out before its next buffer. */
void
gst_alloc_tee_branch_check_format (GstAllocTeeBranch * branch,
    GstCaps * stream_caps)
{
  GstCaps *caps = branch_caps (branch, stream_caps);
  GstEvent *event;

  if (!caps)
    return;
  event = gst_event_new_caps (caps);
  gst_pad_store_sticky_event (GST_PAD (branch), event);
  gst_event_unref (event);
  gst_caps_unref (caps);
}
