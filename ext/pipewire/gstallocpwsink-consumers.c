/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* allocpwsink and its consumers: each link from our nodes is judged against
 * the buffers it gets. A consumer the main node's buffers serve shares them
 * (zero-copy). One they do not serve gets a node of its own, laid out for
 * its needs and fed with a copy of every frame, and the session manager is
 * asked to move it there, so nobody else is disturbed. The outcome is
 * posted as an "allocpwsink-decision" element message whenever it changes. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpwsink.h"
#include "gstallocpwdecide.h"

#define GST_CAT_DEFAULT gst_alloc_pw_sink_debug

/* The main node as decisions see it, taken under the object lock. */
typedef struct
{
  guint32 node_id;
  gchar *name;
  GstAllocPwPool *pool;
  GstAllocPool *allocator;
  GstAllocConstraints *merged;
  GstVideoInfo info;
} MainNode;

typedef struct
{
  gchar *consumer;
  guint32 node_id;
  gchar *needs;
  const gchar *mode;
  gchar *reason;
  gchar *node;
} Row;

static void
row_clear (gpointer data)
{
  Row *r = data;

  g_free (r->consumer);
  g_free (r->needs);
  g_free (r->reason);
  g_free (r->node);
}

static void
converted_free (GstAllocPwConverted * c)
{
  gst_alloc_pw_output_free (c->output);
  g_free (c->consumer);
  g_free (c->needs);
  g_free (c->reason);
  g_free (c);
}

static gboolean
main_snapshot (GstAllocPwSink * self, MainNode * m)
{
  GST_OBJECT_LOCK (self);
  if (!self->output
      || gst_alloc_pw_output_get_node_id (self->output) == SPA_ID_INVALID) {
    GST_OBJECT_UNLOCK (self);
    return FALSE;
  }
  m->node_id = gst_alloc_pw_output_get_node_id (self->output);
  m->name = g_strdup (gst_alloc_pw_output_get_name (self->output));
  m->pool = gst_object_ref (gst_alloc_pw_output_get_pool (self->output));
  m->allocator = gst_object_ref (self->allocator);
  m->merged = gst_alloc_constraints_copy (self->merged);
  m->info = self->info;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static void
main_clear (MainNode * m)
{
  g_free (m->name);
  gst_clear_object (&m->pool);
  gst_clear_object (&m->allocator);
  gst_alloc_constraints_free (m->merged);
}

/* Under @lock. */
static GstAllocPwConverted *
find_converted (GstAllocPwSink * self, guint32 consumer_node,
    guint32 output_node)
{
  guint i;

  for (i = 0; i < self->converted->len; i++) {
    GstAllocPwConverted *c = g_ptr_array_index (self->converted, i);

    if (consumer_node != SPA_ID_INVALID && c->consumer_node == consumer_node)
      return c;
    if (output_node != SPA_ID_INVALID
        && gst_alloc_pw_output_get_node_id (c->output) == output_node)
      return c;
  }
  return NULL;
}

/* A node of its own for @needs, published now; its consumer is moved there
 * once it has an id. */
static GstAllocPwConverted *
make_converted (GstAllocPwSink * self, const MainNode * m,
    const GstAllocPwNeeds * needs, guint32 consumer_node, const gchar * why,
    GError ** error)
{
  GstAllocConstraints *c;
  GstAllocPool *allocator;
  GstAllocPwPool *pool;
  GstAllocPwConverted *conv;
  gchar *name, *description;

  if (!(c = gst_alloc_pw_needs_pool_constraints (needs, &m->info, error)))
    return NULL;
  name = g_strdup_printf ("%s.converted-%u", m->name, ++self->n_converted_made);
  pool = gst_alloc_pw_sink_make_pool (self, &m->info, c, name, &allocator,
      error);
  gst_alloc_constraints_free (c);
  if (!pool) {
    g_free (name);
    return NULL;
  }
  description = g_strdup_printf ("%s, converted for %s", m->name,
      needs->consumer);
  conv = g_new0 (GstAllocPwConverted, 1);
  conv->output = gst_alloc_pw_output_new (self->core, pool, name, description,
      m->name, FALSE, gst_alloc_pw_sink_output_notify, self, error);
  g_free (name);
  g_free (description);
  gst_object_unref (pool);
  /* The pool keeps its buffers; the allocator has done its work. */
  gst_object_unref (allocator);
  if (!conv->output) {
    g_free (conv);
    return NULL;
  }
  conv->consumer_node = consumer_node;
  conv->link_to_main = SPA_ID_INVALID;
  conv->consumer = g_strdup (needs->consumer);
  conv->needs = g_strdup (needs->description);
  conv->reason = g_strdup (why);
  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->converted, conv);
  g_mutex_unlock (&self->lock);
  return conv;
}

/* How often a consumer is asked to move before we give up on the session
 * manager. */
#define MAX_MOVES 3

/* Moves the consumer of @conv to it: the session manager links it to its
 * target, and its link to the main node goes at once, so that as few of
 * the main node's frames as possible reach a consumer that misreads them.
 * With the core lock; FALSE once it was asked MAX_MOVES times. */
static gboolean
move_consumer (GstAllocPwSink * self, GstAllocPwConverted * conv)
{
  const gchar *name = gst_alloc_pw_output_get_name (conv->output);

  if (gst_alloc_pw_output_get_node_id (conv->output) == SPA_ID_INVALID)
    return TRUE;
  if (conv->moves >= MAX_MOVES)
    return FALSE;
  if (!gst_alloc_pw_graph_set_target (self->graph, conv->consumer_node, name)) {
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("Cannot move %s to %s: no session manager keeps a \"default\" "
            "metadata (target.object)", conv->consumer, name), (NULL));
    conv->moves = MAX_MOVES;
    return FALSE;
  }
  if (conv->link_to_main != SPA_ID_INVALID)
    gst_alloc_pw_graph_destroy_link (self->graph, conv->link_to_main);
  conv->link_to_main = SPA_ID_INVALID;
  conv->moves++;
  GST_INFO_OBJECT (self, "moving %s to %s", conv->consumer, name);
  return TRUE;
}

/* A consumer linked to the main node: shares its buffers when they serve
 * it, otherwise gets (or keeps) a node of its own and is moved there. */
static void
judge_main_consumer (GstAllocPwSink * self, const MainNode * m,
    const GstAllocPwConsumer * c, GstAllocPwNeeds * needs, Row * row,
    GstAllocConstraints * merged)
{
  GstAllocPwConverted *conv;
  GError *err = NULL;
  gchar *why = NULL;

  if (gst_alloc_pw_pool_serves (m->pool, m->merged, needs, &why)) {
    row->mode = "zero-copy";
    row->reason = g_strdup ("shares the node's buffers");
    row->node = g_strdup (m->name);
    gst_alloc_constraints_merge_into (merged, needs->constraints, NULL);
    return;
  }
  /* The session manager does not move such a node, and destroys it when
   * its link goes (stock pipewiresrc is one). */
  if (c->dont_reconnect) {
    row->mode = "unserved";
    row->reason = g_strdup_printf ("%s; it cannot be moved to a node of its "
        "own (node.dont-reconnect)", why);
    row->node = g_strdup (m->name);
    g_free (why);
    return;
  }
  g_mutex_lock (&self->lock);
  conv = find_converted (self, c->node_id, SPA_ID_INVALID);
  g_mutex_unlock (&self->lock);
  if (!conv)
    conv = make_converted (self, m, needs, c->node_id, why, &err);
  if (!conv) {
    row->mode = "unserved";
    row->reason = g_strdup_printf ("%s; no node of its own can serve it: %s",
        why, err->message);
    g_clear_error (&err);
  } else if (conv->link_to_main = c->link_id, !move_consumer (self, conv)) {
    row->mode = "unserved";
    row->reason = g_strdup_printf ("%s; it was not moved to %s", why,
        gst_alloc_pw_output_get_name (conv->output));
  } else {
    row->mode = "converted";
    row->reason = g_strdup_printf ("%s; moving it to a node of its own", why);
    row->node = g_strdup (gst_alloc_pw_output_get_name (conv->output));
  }
  g_free (why);
}

static void
judge_consumer (GstAllocPwSink * self, const MainNode * m,
    const GstAllocPwConsumer * c, Row * row, GstAllocConstraints * merged)
{
  GstAllocPwConverted *conv;
  GstAllocPwNeeds *needs;
  GError *err = NULL;

  row->consumer = c->node_name ? g_strdup (c->node_name) :
      g_strdup_printf ("node %u", c->node_id);
  row->node_id = c->node_id;
  if (!c->known) {
    row->mode = "pending";
    row->reason = g_strdup ("its needs have not arrived yet");
    return;
  }
  if (!(needs = gst_alloc_pw_needs_from_consumer (c, &err))) {
    row->mode = "unserved";
    row->reason = g_strdup_printf ("its needs cannot be read: %s",
        err->message);
    g_clear_error (&err);
    return;
  }
  gst_alloc_pw_needs_apply_format (needs, &m->info);
  row->needs = g_strdup (needs->description);
  if (c->output_node == m->node_id) {
    judge_main_consumer (self, m, c, needs, row, merged);
  } else {
    g_mutex_lock (&self->lock);
    conv = find_converted (self, SPA_ID_INVALID, c->output_node);
    row->mode = "converted";
    row->reason = g_strdup (conv ? conv->reason : "served by a node of its "
        "own");
    row->node = g_strdup (conv ? gst_alloc_pw_output_get_name (conv->output)
        : NULL);
    if (conv)
      conv->linked = TRUE;
    g_mutex_unlock (&self->lock);
  }
  if (c->failed) {
    gchar *reason = row->reason;

    row->reason = g_strdup_printf ("%s (its link failed: %s)", reason,
        c->error ? c->error : "no reason given");
    g_free (reason);
  }
  gst_alloc_pw_needs_free (needs);
}

/* Converted nodes whose consumer went away (it was linked and no longer
 * is, or its node is gone) are unpublished, and the move forgotten. */
static void
drop_unused_converted (GstAllocPwSink * self, GPtrArray * consumers)
{
  GPtrArray *gone = g_ptr_array_new_with_free_func ((GDestroyNotify)
      converted_free);
  guint i, j;

  g_mutex_lock (&self->lock);
  for (i = 0; i < self->converted->len; i++) {
    GstAllocPwConverted *conv = g_ptr_array_index (self->converted, i);
    guint32 id = gst_alloc_pw_output_get_node_id (conv->output);
    gboolean linked = FALSE;

    for (j = 0; j < consumers->len && id != SPA_ID_INVALID; j++)
      linked |= ((GstAllocPwConsumer *) g_ptr_array_index (consumers,
              j))->output_node == id;
    if ((conv->linked && !linked)
        || !gst_alloc_pw_graph_has_node (self->graph, conv->consumer_node)) {
      g_ptr_array_add (gone, g_ptr_array_steal_index (self->converted, i--));
    }
  }
  g_mutex_unlock (&self->lock);
  for (i = 0; i < gone->len; i++) {
    GstAllocPwConverted *conv = g_ptr_array_index (gone, i);

    GST_INFO_OBJECT (self, "unpublishing %s: %s left",
        gst_alloc_pw_output_get_name (conv->output), conv->consumer);
    gst_alloc_pw_graph_unwatch_node (self->graph,
        gst_alloc_pw_output_get_node_id (conv->output));
    if (gst_alloc_pw_graph_has_node (self->graph, conv->consumer_node))
      gst_alloc_pw_graph_set_target (self->graph, conv->consumer_node, NULL);
  }
  g_ptr_array_unref (gone);
}

static GstStructure *
describe_row (const Row * r)
{
  return gst_structure_new ("consumer",
      "consumer", G_TYPE_STRING, r->consumer,
      "node-id", G_TYPE_UINT, r->node_id,
      "needs", G_TYPE_STRING, r->needs ? r->needs : "",
      "mode", G_TYPE_STRING, r->mode,
      "reason", G_TYPE_STRING, r->reason,
      "node", G_TYPE_STRING, r->node ? r->node : "", NULL);
}

static GstStructure *
describe_decision (const MainNode * m, GArray * rows,
    const GstAllocConstraints * merged)
{
  GstAllocator *backend = gst_alloc_pool_get_backend (m->allocator);
  gchar *merged_str = gst_alloc_constraints_to_string (merged);
  gchar *report = gst_alloc_pool_get_report (m->allocator);
  GValue list = G_VALUE_INIT, item = G_VALUE_INIT;
  GstStructure *s;
  guint i;

  s = gst_structure_new ("allocpwsink-decision",
      "node", G_TYPE_STRING, m->name, "node-id", G_TYPE_UINT, m->node_id,
      "merged", G_TYPE_STRING, merged_str,
      "backend", G_TYPE_STRING, backend ? GST_OBJECT_NAME (backend) : "",
      "report", G_TYPE_STRING, report, NULL);
  g_value_init (&list, GST_TYPE_ARRAY);
  for (i = 0; i < rows->len; i++) {
    GstStructure *row = describe_row (&g_array_index (rows, Row, i));

    g_value_init (&item, GST_TYPE_STRUCTURE);
    gst_value_set_structure (&item, row);
    gst_structure_free (row);
    gst_value_array_append_and_take_value (&list, &item);
  }
  gst_structure_take_value (s, "consumers", &list);
  g_free (merged_str);
  g_free (report);
  return s;
}

/* Posts the decision when it differs from the last one posted. */
static void
post_if_changed (GstAllocPwSink * self, GstStructure * s)
{
  gchar *str = gst_structure_to_string (s);
  gboolean changed;

  GST_OBJECT_LOCK (self);
  changed = g_strcmp0 (str, self->decision) != 0;
  if (changed) {
    g_free (self->decision);
    self->decision = g_strdup (str);
  }
  GST_OBJECT_UNLOCK (self);
  if (changed) {
    GST_INFO_OBJECT (self, "decision: %s", str);
    gst_element_post_message (GST_ELEMENT (self),
        gst_message_new_element (GST_OBJECT (self), s));
  } else {
    gst_structure_free (s);
  }
  g_free (str);
}

/* A consumer that leaves the main node (killed, or closed while it read a
 * frame) may leave buffers marked busy; the pool repairs what stays so. */
static void
note_departures (GstAllocPwSink * self, const MainNode * m,
    GPtrArray * consumers)
{
  GHashTable *now = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer id;
  gboolean left = FALSE;
  guint i;

  for (i = 0; i < consumers->len; i++) {
    GstAllocPwConsumer *c = g_ptr_array_index (consumers, i);

    if (c->output_node == m->node_id)
      g_hash_table_add (now, GUINT_TO_POINTER (c->link_id));
  }
  g_hash_table_iter_init (&iter, self->main_links);
  while (!left && g_hash_table_iter_next (&iter, &id, NULL))
    left = !g_hash_table_contains (now, id);
  g_hash_table_unref (self->main_links);
  self->main_links = now;
  if (left)
    gst_alloc_pw_pool_consumer_left (m->pool);
}

/* On the loop thread, whenever the graph around our nodes changed. */
static void
decide (gpointer user_data)
{
  GstAllocPwSink *self = user_data;
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (Row));
  GstAllocConstraints *merged;
  GPtrArray *consumers;
  MainNode m = { 0, };
  guint i;

  g_array_set_clear_func (rows, row_clear);
  if (!self->graph || !main_snapshot (self, &m)) {
    g_array_unref (rows);
    return;
  }
  merged = gst_alloc_constraints_copy (m.merged);
  consumers = gst_alloc_pw_graph_get_consumers (self->graph);
  g_array_set_size (rows, consumers->len);
  for (i = 0; i < consumers->len; i++)
    judge_consumer (self, &m, g_ptr_array_index (consumers, i),
        &g_array_index (rows, Row, i), merged);
  note_departures (self, &m, consumers);
  drop_unused_converted (self, consumers);
  post_if_changed (self, describe_decision (&m, rows, merged));
  g_ptr_array_unref (consumers);
  gst_alloc_constraints_free (merged);
  g_array_unref (rows);
  main_clear (&m);
}

void
gst_alloc_pw_sink_consumers_start (GstAllocPwSink * self)
{
  gst_alloc_pw_core_lock (self->core);
  self->main_links = g_hash_table_new (NULL, NULL);
  self->graph = gst_alloc_pw_graph_new (self->core, decide, self);
  gst_alloc_pw_core_unlock (self->core);
}

void
gst_alloc_pw_sink_consumers_stop (GstAllocPwSink * self)
{
  GPtrArray *converted;

  g_mutex_lock (&self->lock);
  converted = g_steal_pointer (&self->converted);
  self->converted = g_ptr_array_new ();
  g_mutex_unlock (&self->lock);
  g_ptr_array_set_free_func (converted, (GDestroyNotify) converted_free);
  g_ptr_array_unref (converted);
  if (self->core) {
    gst_alloc_pw_core_lock (self->core);
    g_clear_pointer (&self->graph, gst_alloc_pw_graph_free);
    g_clear_pointer (&self->main_links, g_hash_table_unref);
    gst_alloc_pw_core_unlock (self->core);
  }
}

/* A node of ours got its id: its links are consumers to watch; a
 * converted node's consumer can now be moved to it. */
void
gst_alloc_pw_sink_node_ready (GstAllocPwSink * self, GstAllocPwOutput * output,
    guint32 node_id)
{
  GstAllocPwConverted *conv;

  if (!self->graph)
    return;
  gst_alloc_pw_graph_watch_node (self->graph, node_id);
  g_mutex_lock (&self->lock);
  conv = find_converted (self, SPA_ID_INVALID, node_id);
  g_mutex_unlock (&self->lock);
  /* The conversions are only removed on this thread: @conv stays. */
  if (conv)
    move_consumer (self, conv);
}

/* Streaming thread: every converted node with a consumer gets a copy. */
void
gst_alloc_pw_sink_feed_converted (GstAllocPwSink * self, GstBuffer * buffer,
    guint64 seq)
{
  GstAllocPwPush res;
  GError *err = NULL;
  guint64 copied = 0, n = 0;
  guint i;

  g_mutex_lock (&self->lock);
  for (i = 0; i < self->converted->len; i++) {
    GstAllocPwConverted *conv = g_ptr_array_index (self->converted, i);

    res = gst_alloc_pw_output_push (conv->output, buffer, &self->info, seq,
        &err);
    /* A copy moves the frame's visible pixels, whatever the padding. */
    if (res == GST_ALLOC_PW_PUSH_COPIED) {
      conv->frames++;
      conv->bytes_copied += GST_VIDEO_INFO_SIZE (&self->info);
      copied += GST_VIDEO_INFO_SIZE (&self->info);
      n++;
    } else if (res == GST_ALLOC_PW_PUSH_FAILED) {
      GST_WARNING_OBJECT (self, "cannot copy a frame for %s: %s",
          conv->consumer, err->message);
    }
    g_clear_error (&err);
  }
  g_mutex_unlock (&self->lock);
  if (n) {
    GST_OBJECT_LOCK (self);
    self->copies += n;
    self->bytes_copied += copied;
    GST_OBJECT_UNLOCK (self);
  }
}

/* "consumer: mode (reason); ..." from the last decision. */
gchar *
gst_alloc_pw_sink_describe_consumers (GstAllocPwSink * self)
{
  GString *out = g_string_new (NULL);
  GstStructure *s = NULL;
  const GValue *list;
  guint i;

  GST_OBJECT_LOCK (self);
  if (self->decision)
    s = gst_structure_from_string (self->decision, NULL);
  GST_OBJECT_UNLOCK (self);
  list = s ? gst_structure_get_value (s, "consumers") : NULL;
  for (i = 0; list && i < gst_value_array_get_size (list); i++) {
    const GstStructure *r =
        gst_value_get_structure (gst_value_array_get_value (list, i));

    g_string_append_printf (out, "%s%s: %s (%s)", out->len ? "; " : "",
        gst_structure_get_string (r, "consumer"),
        gst_structure_get_string (r, "mode"),
        gst_structure_get_string (r, "reason"));
  }
  g_clear_pointer (&s, gst_structure_free);
  return g_string_free (out, FALSE);
}
