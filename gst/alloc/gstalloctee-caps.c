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
  gboolean tiled;               /* DMA_DRM with a modifier other than linear */
  guint order;
} Candidate;

static gint
compare_candidates (gconstpointer pa, gconstpointer pb)
{
  const Candidate *a = pa, *b = pb;

  if (a->votes != b->votes)
    return a->votes > b->votes ? -1 : 1;
  /* Among equals, what a pool of ours can lay out, and a branch left out
   * can be converted from. */
  if (a->tiled != b->tiled)
    return a->tiled ? 1 : -1;
  return a->order < b->order ? -1 : a->order > b->order;
}

#if GST_CHECK_VERSION (1, 24, 0)

/* @one (a single structure) as DMA_DRM with one drm-format other than
 * linear. */
static gboolean
is_tiled (GstCaps * one)
{
  const gchar *format;
  guint64 modifier = 0;

  if (!gst_alloc_caps_are_dma_drm (one))
    return FALSE;
  format = gst_structure_get_string (gst_caps_get_structure (one, 0),
      "drm-format");
  return format && gst_video_dma_drm_fourcc_from_string (format, &modifier)
      && modifier != GST_ALLOC_DRM_MODIFIER_LINEAR;
}

/* Structure @index of @caps, one structure per drm-format value when it is
 * DMA_DRM with a list of them: branches then vote on each DRM format, so
 * the one most branches take comes first, not the first of one branch's
 * list. */
static GstCaps *
nth_split (GstCaps * caps, guint index)
{
  GstStructure *s = gst_caps_get_structure (caps, index);
  const GValue *formats = gst_structure_get_value (s, "drm-format");
  GstCaps *one = gst_caps_copy_nth (caps, index), *split;
  guint i;

  if (!gst_alloc_caps_are_dma_drm (one) || !formats
      || !GST_VALUE_HOLDS_LIST (formats))
    return one;
  split = gst_caps_new_empty ();
  for (i = 0; i < gst_value_list_get_size (formats); i++) {
    GstCaps *single = gst_caps_copy (one);

    gst_structure_set_value (gst_caps_get_structure (single, 0), "drm-format",
        gst_value_list_get_value (formats, i));
    gst_caps_append (split, single);
  }
  gst_caps_unref (one);
  return split;
}

#else /* GStreamer 1.22: no DMA_DRM caps. */

static gboolean
is_tiled (GstCaps * one)
{
  return FALSE;
}

static GstCaps *
nth_split (GstCaps * caps, guint index)
{
  return gst_caps_copy_nth (caps, index);
}

#endif

/* Each structure of @structures (taken) as a candidate. */
static void
add_candidates (GArray * candidates, GstCaps * structures,
    GPtrArray * branch_caps)
{
  Candidate c;
  guint i;

  for (i = 0; i < gst_caps_get_size (structures); i++) {
    c.caps = gst_caps_copy_nth (structures, i);
    c.votes = votes_for (c.caps, branch_caps);
    c.tiled = is_tiled (c.caps);
    c.order = candidates->len;
    g_array_append_val (candidates, c);
  }
  gst_caps_unref (structures);
}

/* Raw video any branch takes, within what upstream can give (@filter):
 * a branch that takes none of the stream's formats gets frames converted,
 * so every format some branch takes will do. Those most branches take
 * come first (each DRM format of DMA_DRM caps on its own), then linear
 * before tiled, then pad order: no branch's preference wins by its
 * place. */
static GstCaps *
voted_caps (GPtrArray * branch_caps)
{
  GArray *candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  GstCaps *result = gst_caps_new_empty ();
  guint i, j;

  for (i = 0; i < branch_caps->len; i++) {
    for (j = 0; j < gst_caps_get_size (branch_caps->pdata[i]); j++)
      add_candidates (candidates, nth_split (branch_caps->pdata[i], j),
          branch_caps);
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

/* @caps with what a format conversion changes left open. Frames of DMA_DRM
 * caps are converted into system memory: the converter writes plain
 * linear frames, and a branch that rejected the stream's DRM format takes
 * none of ours as a DMA_DRM import. */
static GstCaps *
any_format (GstCaps * caps)
{
  GstCaps *open = gst_caps_copy (caps);
  guint i;

  for (i = 0; i < gst_caps_get_size (open); i++) {
    if (gst_alloc_caps_are_dma_drm (caps))
      gst_caps_set_features (open, i, NULL);
    gst_structure_remove_fields (gst_caps_get_structure (open, i), "format",
        "colorimetry", "chroma-site", "drm-format", NULL);
  }
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
 * the stream's size and rate. A branch that rejected a DMA_DRM stream gets
 * its frames in system memory, in the same format when it takes that:
 * a copy, no conversion. */
static GstCaps *
own_caps (GstPad * branch, GstCaps * stream_caps)
{
  GstCaps *wanted, *peer, *result;
  GstVideoInfo info;

  if (gst_alloc_caps_are_dma_drm (stream_caps)
      && gst_alloc_video_info_from_caps (&info, stream_caps)) {
    wanted = gst_video_info_to_caps (&info);
    if (gst_pad_peer_query_accept_caps (branch, wanted))
      return wanted;
    gst_caps_unref (wanted);
  }
  wanted = any_format (stream_caps);

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
 * video) some format of the same size and rate it will be converted to.
 * Under DMA_DRM caps a branch is not asked: one left without frames is
 * then refused when the caps arrive, with an error naming it and the DRM
 * formats on both sides, rather than with an unexplained not-negotiated. */
static gboolean
every_branch_served (GstElement * tee, GstCaps * caps)
{
  GPtrArray *linked = branches (tee, TRUE);
  gboolean served = TRUE;
  GstCaps *own;
  guint i;

  if (gst_alloc_caps_are_dma_drm (caps)) {
    g_ptr_array_unref (linked);
    return TRUE;
  }
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

/* What the peer's DMA_DRM caps take ("NV12:0x0800000000000001"), "none"
 * when it takes no DMA_DRM caps at all. */
static gchar *
peer_drm_formats (GstPad * pad)
{
  GstCaps *peer = gst_pad_peer_query_caps (pad, NULL), *drm;
  GstAllocConstraints *c;
  gchar *described;
  guint i;

  drm = gst_caps_new_empty ();
  for (i = 0; i < gst_caps_get_size (peer); i++) {
    GstCaps *one = gst_caps_copy_nth (peer, i);

    if (gst_alloc_caps_are_dma_drm (one))
      gst_caps_append (drm, one);
    else
      gst_caps_unref (one);
  }
  c = gst_alloc_constraints_from_caps (drm, NULL);
  described = gst_caps_is_empty (drm) ? g_strdup ("none") :
      gst_alloc_constraints_describe_field (c, GST_ALLOC_FIELD_DRM_FORMATS);
  gst_alloc_constraints_free (c);
  gst_caps_unref (drm);
  gst_caps_unref (peer);
  return described;
}

/* Why the branch gets a format of its own: the stream's format it does not
 * take, and for DMA_DRM caps the DRM formats it does take. */
static gchar *
own_format_reason (GstPad * pad, GstCaps * stream_caps, const gchar * consumer,
    const GstVideoInfo * out_info)
{
  GstAllocConstraints *stream;
  gchar *pair, *takes, *reason;

  if (!gst_alloc_caps_are_dma_drm (stream_caps))
    return g_strdup_printf ("caps: %s takes no %s; frames are converted to "
        "%s for this branch only", consumer,
        gst_structure_get_string (gst_caps_get_structure (stream_caps, 0),
            "format"), GST_VIDEO_INFO_NAME (out_info));
  stream = gst_alloc_constraints_from_caps (stream_caps, NULL);
  pair = gst_alloc_constraints_describe_field (stream,
      GST_ALLOC_FIELD_DRM_FORMATS);
  takes = peer_drm_formats (pad);
  reason = g_strdup_printf ("caps: %s takes no DMA_DRM %s, the stream's "
      "(its DMA_DRM caps take %s); frames are converted to %s in system "
      "memory for this branch only", consumer, pair, takes,
      GST_VIDEO_INFO_NAME (out_info));
  g_free (takes);
  g_free (pair);
  gst_alloc_constraints_free (stream);
  return reason;
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
  /* A tiled or compressed layout is the hardware's: nothing converts from
   * it. */
  if (gst_alloc_caps_are_dma_drm (stream_caps)
      && !gst_alloc_video_info_from_caps (&info, stream_caps))
    return NULL;
  caps = own_caps (pad, stream_caps);
  if (!caps || !gst_alloc_video_info_from_caps (&info, caps)) {
    gst_clear_caps (&caps);
    return NULL;
  }
  consumer = gst_alloc_tee_branch_consumer_name (branch);
  reason = own_format_reason (pad, stream_caps, consumer, &info);
  GST_INFO_OBJECT (branch, "%s", reason);
  gst_alloc_tee_branch_set_format (branch, &info, reason);
  g_free (reason);
  g_free (consumer);
  return caps;
}

/* Why a branch takes nothing we can give under DMA_DRM caps, said with
 * the DRM formats on both sides: the tiled layouts it takes are the
 * hardware's own, which no converter of ours writes. */
static gchar *
dma_drm_unservable (GstAllocTeeBranch * branch, GstCaps * stream_caps)
{
  GstAllocConstraints *stream = gst_alloc_constraints_from_caps (stream_caps,
      NULL);
  gchar *pair = gst_alloc_constraints_describe_field (stream,
      GST_ALLOC_FIELD_DRM_FORMATS);
  gchar *takes = peer_drm_formats (GST_PAD (branch));
  gchar *consumer = gst_alloc_tee_branch_consumer_name (branch);
  GstVideoInfo info;
  gboolean linear = gst_alloc_video_info_from_caps (&info, stream_caps);
  gchar *text = g_strdup_printf ("Branch %s (%s) takes nothing the tee can "
      "give: the stream is DMA_DRM %s, its DMA_DRM caps take %s; %s",
      GST_OBJECT_NAME (branch), consumer, pair, takes, linear ?
      "a tiled or compressed layout is the hardware's own, which no "
      "converter writes, and it takes no system memory of this size" :
      "the stream's layout is tiled or compressed, the hardware's own, which "
      "no converter reads");

  g_free (consumer);
  g_free (takes);
  g_free (pair);
  gst_alloc_constraints_free (stream);
  return text;
}

/* Marks @branch as taking nothing the tee can give for @stream_caps, or
 * (with no @stream_caps) as served again; said once per new caps. */
static void
set_takes_nothing (GstElement * tee, GstAllocTeeBranch * branch,
    GstCaps * stream_caps)
{
  gchar *consumer, *text;

  GST_OBJECT_LOCK (branch);
  branch->takes_nothing = stream_caps != NULL;
  GST_OBJECT_UNLOCK (branch);
  if (!stream_caps)
    return;
  if (gst_alloc_caps_are_dma_drm (stream_caps)) {
    text = dma_drm_unservable (branch, stream_caps);
  } else {
    consumer = gst_alloc_tee_branch_consumer_name (branch);
    text = g_strdup_printf ("Branch %s (%s) takes no format the tee can "
        "convert %" GST_PTR_FORMAT " to", GST_OBJECT_NAME (branch), consumer,
        stream_caps);
    g_free (consumer);
  }
  gst_alloc_tee_branch_set_mode (branch, GST_ALLOC_TEE_BRANCH_REFUSED, text);
  gst_alloc_tee_post_branch_error (GST_ALLOC_TEE (tee), branch, text);
  g_free (text);
}

gboolean
gst_alloc_tee_push_caps (GstElement * tee, GstEvent * event)
{
  /* Unlinked pads too: the caps stay on them for when they are linked. */
  GPtrArray *all = branches (tee, FALSE);
  GstCaps *stream_caps, *caps;
  gboolean ok = all->len == 0;
  guint i;

  /* As for any event: taken when one branch takes it. A branch that takes
   * none of the caps the tee can give is refused alone. */
  gst_event_parse_caps (event, &stream_caps);
  for (i = 0; i < all->len; i++) {
    caps = branch_caps (all->pdata[i], stream_caps);
    set_takes_nothing (tee, all->pdata[i], caps ? NULL : stream_caps);
    if (!caps)
      continue;
    ok |= gst_pad_push_event (all->pdata[i],
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
gst_alloc_tee_branch_check_format (GstElement * tee,
    GstAllocTeeBranch * branch, GstCaps * stream_caps)
{
  GstCaps *caps = branch_caps (branch, stream_caps);
  GstEvent *event;

  set_takes_nothing (tee, branch, caps ? NULL : stream_caps);
  if (!caps)
    return;
  event = gst_event_new_caps (caps);
  gst_pad_store_sticky_event (GST_PAD (branch), event);
  gst_event_unref (event);
  gst_caps_unref (caps);
}
