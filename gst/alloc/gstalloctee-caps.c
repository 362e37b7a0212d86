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

/* How many of @branch_caps take @one (a single structure). */
static guint
votes_for (GstCaps * one, GPtrArray * branch_caps)
{
  guint i, votes = 0;

  for (i = 0; i < branch_caps->len; i++)
    if (gst_caps_can_intersect (one, branch_caps->pdata[i]))
      votes++;
  return votes;
}

typedef struct
{
  GstCaps *caps;                /* one structure */
  guint votes;
  guint order;
} Candidate;

static gint
compare_candidates (gconstpointer pa, gconstpointer pb)
{
  const Candidate *a = pa, *b = pb;

  if (a->votes != b->votes)
    return a->votes > b->votes ? -1 : 1;
  return a->order < b->order ? -1 : a->order > b->order;
}

/* Raw video any branch takes, within what upstream can give (@filter):
 * a branch that takes none of the stream's formats gets frames converted,
 * so every format some branch takes will do. Those most branches take
 * come first, then pad order: no branch's preference wins by its place. */
static GstCaps *
voted_caps (GPtrArray * branch_caps)
{
  GArray *candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  GstCaps *result = gst_caps_new_empty ();
  Candidate c;
  guint i, j;

  for (i = 0; i < branch_caps->len; i++) {
    for (j = 0; j < gst_caps_get_size (branch_caps->pdata[i]); j++) {
      c.caps = gst_caps_copy_nth (branch_caps->pdata[i], j);
      c.votes = votes_for (c.caps, branch_caps);
      c.order = candidates->len;
      g_array_append_val (candidates, c);
    }
  }
  g_array_sort (candidates, compare_candidates);
  for (i = 0; i < candidates->len; i++)
    result = gst_caps_merge (result, g_array_index (candidates, Candidate,
            i).caps);
  g_array_free (candidates, TRUE);
  return result;
}

/* What the tee can take: for raw video, the formats the branches take
 * (voted_caps()); otherwise what every branch takes, as tee does. */
static GstCaps *
agreed_caps (GstElement * tee, GstCaps * filter)
{
  GPtrArray *linked = branches (tee, TRUE);
  GPtrArray *branch_caps = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_caps_unref);
  GstCaps *result, *peer;
  gboolean all_raw = TRUE;
  guint i;

  for (i = 0; i < linked->len; i++) {
    peer = gst_pad_peer_query_caps (linked->pdata[i], filter);
    /* A branch that takes none of @filter will have its frames converted:
     * it adds no format, and does not make the stream other than raw. */
    all_raw &= gst_caps_is_empty (peer) || (!gst_caps_is_any (peer)
        && is_raw_video (peer));
    g_ptr_array_add (branch_caps, peer);
  }
  if (linked->len == 0)
    result = filter ? gst_caps_ref (filter) : gst_caps_new_any ();
  else if (all_raw)
    result = voted_caps (branch_caps);
  else {
    result = filter ? gst_caps_ref (filter) : gst_caps_new_any ();
    for (i = 0; i < branch_caps->len; i++) {
      peer = gst_caps_intersect (result, branch_caps->pdata[i]);
      gst_caps_unref (result);
      result = peer;
    }
  }
  g_ptr_array_unref (branch_caps);
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

/* Whether every linked branch can be served @caps: it takes them, or (raw
 * video) some format of the same size and rate it will be converted to. */
static gboolean
every_branch_served (GstElement * tee, GstCaps * caps)
{
  GPtrArray *linked = branches (tee, TRUE);
  gboolean served = TRUE;
  GstCaps *own;
  guint i;

  for (i = 0; served && i < linked->len; i++) {
    if (gst_pad_peer_query_accept_caps (linked->pdata[i], caps))
      continue;
    own = is_raw_video (caps) ? own_caps (linked->pdata[i], caps) : NULL;
    served = own != NULL;
    gst_clear_caps (&own);
  }
  g_ptr_array_unref (linked);
  return served;
}

gboolean
gst_alloc_tee_accept_caps (GstElement * tee, GstPad * sinkpad, GstQuery * query)
{
  GstCaps *caps, *agreed;
  gboolean accepted;

  gst_query_parse_accept_caps (query, &caps);
  agreed = agreed_caps (tee, caps);
  accepted = !gst_caps_is_empty (agreed) && gst_caps_is_subset (caps, agreed)
      && every_branch_served (tee, caps);
  gst_query_set_accept_caps_result (query, accepted);
  gst_caps_unref (agreed);
  return TRUE;
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
  gboolean linked;

  /* The pad is the branch: gst_pad_is_linked() takes the same lock. */
  linked = gst_pad_is_linked (pad);
  GST_OBJECT_LOCK (branch);
  branch->format_settled = linked;
  GST_OBJECT_UNLOCK (branch);
  if (!linked || gst_pad_peer_query_accept_caps (pad,
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
