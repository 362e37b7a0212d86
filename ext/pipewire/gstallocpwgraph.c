/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The consumers of our nodes, watched through the registry: each Link from a
 * watched node binds the link (its state), the consumer node (its name and
 * gstalloc.constraints) and the consumer's input port (its Buffers param,
 * kept up to date by a subscription). A round trip after binding tells when
 * what the consumer says has arrived. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpwgraph.h"
#include "gstallocpwneeds.h"

#include <pipewire/extensions/metadata.h>
#include <spa/param/param.h>
#include <spa/utils/dict.h>

#include <stdlib.h>

GST_DEBUG_CATEGORY_STATIC (gst_alloc_pw_graph_debug);
#define GST_CAT_DEFAULT gst_alloc_pw_graph_debug

typedef struct _Link Link;

struct _GstAllocPwGraph
{
  GstAllocPwCore *core;
  struct pw_registry *registry;
  struct spa_hook registry_hook;
  GHashTable *links;            /* global id -> Link */
  GHashTable *nodes;            /* global ids of every node */
  GArray *watched;              /* node ids */
  struct pw_metadata *metadata;
  guint32 metadata_id;
  GstAllocPwGraphChanged changed;
  gpointer user_data;
};

/* A proxy with its object listener and its proxy listener (round trips). */
typedef struct
{
  struct pw_proxy *proxy;
  struct spa_hook object_hook;
  struct spa_hook proxy_hook;
  gboolean synced;
} Bound;

struct _Link
{
  GstAllocPwGraph *graph;
  guint32 id, out_node, out_port, in_node, in_port;
  Bound link, node, port;
  gchar *node_name;
  gchar *constraints;
  gboolean dont_reconnect;
  gboolean anchor;
  GBytes *buffers;
  GBytes *pending_buffers;
  gint buffers_seq;
  guint32 port_requests, port_pending;
  gboolean has_format;
  gboolean failed;
  gchar *error;
};

static void
notify (GstAllocPwGraph * self)
{
  if (self->changed)
    self->changed (self->user_data);
}

static void
unbind (Bound * b)
{
  if (!b->proxy)
    return;
  spa_hook_remove (&b->object_hook);
  spa_hook_remove (&b->proxy_hook);
  pw_proxy_destroy (b->proxy);
  b->proxy = NULL;
  b->synced = FALSE;
}

static void
link_free (gpointer data)
{
  Link *l = data;

  unbind (&l->link);
  unbind (&l->node);
  unbind (&l->port);
  g_free (l->node_name);
  g_free (l->constraints);
  g_clear_pointer (&l->buffers, g_bytes_unref);
  g_clear_pointer (&l->pending_buffers, g_bytes_unref);
  g_free (l->error);
  g_free (l);
}

static gboolean
is_watched (GstAllocPwGraph * self, guint32 node_id)
{
  guint i;

  for (i = 0; i < self->watched->len; i++) {
    if (g_array_index (self->watched, guint32, i) == node_id)
      return TRUE;
  }
  return FALSE;
}

/* --- what the bound objects say --- */

static void
on_link_info (void *data, const struct pw_link_info *info)
{
  Link *l = data;

  if (!(info->change_mask & PW_LINK_CHANGE_MASK_STATE))
    return;
  l->failed = info->state == PW_LINK_STATE_ERROR;
  g_free (l->error);
  l->error = g_strdup (info->error);
  notify (l->graph);
}

static const struct pw_link_events link_events = {
  PW_VERSION_LINK_EVENTS,
  .info = on_link_info,
};

static void
on_node_info (void *data, const struct pw_node_info *info)
{
  Link *l = data;
  const gchar *name, *constraints, *dont_reconnect;

  if (!(info->change_mask & PW_NODE_CHANGE_MASK_PROPS) || !info->props)
    return;
  name = spa_dict_lookup (info->props, PW_KEY_NODE_NAME);
  constraints = spa_dict_lookup (info->props, GST_ALLOC_PW_KEY_CONSTRAINTS);
  dont_reconnect = spa_dict_lookup (info->props, PW_KEY_NODE_DONT_RECONNECT);
  l->anchor = spa_dict_lookup (info->props, GST_ALLOC_PW_KEY_ANCHOR) != NULL;
  l->dont_reconnect = dont_reconnect
      && (g_strcmp0 (dont_reconnect, "true") == 0
      || g_strcmp0 (dont_reconnect, "1") == 0);
  if (g_strcmp0 (name, l->node_name) == 0
      && g_strcmp0 (constraints, l->constraints) == 0)
    return;
  g_free (l->node_name);
  l->node_name = g_strdup (name);
  g_free (l->constraints);
  l->constraints = g_strdup (constraints);
  if (l->node.synced)
    notify (l->graph);
}

static const struct pw_node_events node_events = {
  PW_VERSION_NODE_EVENTS,
  .info = on_node_info,
};

/* Each time the port says its params changed, its first Buffers param is
 * asked for again (one param: the one PipeWire tries first) and a round
 * trip marks the answer complete: no reply means it has none. */
static void
request_buffers (Link * l)
{
  /* Replies carry the sequence number the call returns. */
  l->buffers_seq = pw_port_enum_params ((struct pw_port *) l->port.proxy,
      ++l->port_requests, SPA_PARAM_Buffers, 0, 1, NULL);
  g_clear_pointer (&l->pending_buffers, g_bytes_unref);
  l->port_pending++;
  pw_proxy_sync (l->port.proxy, 0);
}

static void
on_port_info (void *data, const struct pw_port_info *info)
{
  Link *l = data;
  guint i;

  if (!(info->change_mask & PW_PORT_CHANGE_MASK_PARAMS))
    return;
  /* A consumer says what it needs when its format is set: until then it
   * is not known. */
  for (i = 0; i < info->n_params; i++) {
    if (info->params[i].id == SPA_PARAM_Format)
      l->has_format = (info->params[i].flags & SPA_PARAM_INFO_READ) != 0;
  }
  for (i = 0; i < info->n_params; i++) {
    if (info->params[i].id == SPA_PARAM_Buffers) {
      request_buffers (l);
      return;
    }
  }
  /* A port without Buffers params says nothing about buffers. */
  if (l->port_pending == 0 && !l->port.synced) {
    l->port.synced = TRUE;
    notify (l->graph);
  }
}

static void
on_port_param (void *data, int seq, uint32_t id, uint32_t index,
    uint32_t next, const struct spa_pod *param)
{
  Link *l = data;

  GST_LOG ("link %u: port %u param %u index %u seq %d", l->id, l->in_port,
      id, index, seq);
  if (id != SPA_PARAM_Buffers || seq != l->buffers_seq || !param
      || l->pending_buffers)
    return;
  l->pending_buffers = g_bytes_new (param, SPA_POD_SIZE (param));
}

static const struct pw_port_events port_events = {
  PW_VERSION_PORT_EVENTS,
  .info = on_port_info,
  .param = on_port_param,
};

static void
on_node_synced (void *data, int seq)
{
  Link *l = data;

  l->node.synced = TRUE;
  notify (l->graph);
}

/* The round trip after a request: what arrived is the answer, and the
 * port is known once every request was answered. */
static void
on_port_synced (void *data, int seq)
{
  Link *l = data;

  if (l->port_pending == 0 || --l->port_pending > 0)
    return;
  g_clear_pointer (&l->buffers, g_bytes_unref);
  l->buffers = g_steal_pointer (&l->pending_buffers);
  GST_DEBUG ("link %u: port %u Buffers %s", l->id, l->in_port,
      l->buffers ? "known" : "not given");
  l->port.synced = TRUE;
  notify (l->graph);
}

static const struct pw_proxy_events node_proxy_events = {
  PW_VERSION_PROXY_EVENTS,
  .done = on_node_synced,
};

static const struct pw_proxy_events port_proxy_events = {
  PW_VERSION_PROXY_EVENTS,
  .done = on_port_synced,
};

static const struct pw_proxy_events link_proxy_events = {
  PW_VERSION_PROXY_EVENTS,
};

static void
bind_proxy (Link * l, Bound * b, guint32 id, const gchar * type,
    guint32 version, const void *events,
    const struct pw_proxy_events *proxy_events)
{
  b->proxy = pw_registry_bind (l->graph->registry, id, type, version, 0);
  if (!b->proxy)
    return;
  pw_proxy_add_object_listener (b->proxy, &b->object_hook, events, l);
  pw_proxy_add_listener (b->proxy, &b->proxy_hook, proxy_events, l);
}

/* A link from a watched node: what its consumer says, from now on. */
static void
bind_link (Link * l)
{
  if (l->link.proxy)
    return;
  GST_DEBUG ("link %u: %u.%u -> %u.%u, binding", l->id, l->out_node,
      l->out_port, l->in_node, l->in_port);
  bind_proxy (l, &l->link, l->id, PW_TYPE_INTERFACE_Link, PW_VERSION_LINK,
      &link_events, &link_proxy_events);
  bind_proxy (l, &l->node, l->in_node, PW_TYPE_INTERFACE_Node, PW_VERSION_NODE,
      &node_events, &node_proxy_events);
  bind_proxy (l, &l->port, l->in_port, PW_TYPE_INTERFACE_Port, PW_VERSION_PORT,
      &port_events, &port_proxy_events);
  if (l->node.proxy)
    pw_proxy_sync (l->node.proxy, 0);
  /* The port's info (on binding, and at each change) asks for its
   * Buffers param. */
}

/* --- the registry --- */

static guint32
dict_id (const struct spa_dict *props, const gchar * key)
{
  const gchar *v = props ? spa_dict_lookup (props, key) : NULL;

  return v ? (guint32) strtoul (v, NULL, 10) : SPA_ID_INVALID;
}

static void
add_link (GstAllocPwGraph * self, guint32 id, const struct spa_dict *props)
{
  Link *l = g_new0 (Link, 1);

  l->graph = self;
  l->id = id;
  l->out_node = dict_id (props, PW_KEY_LINK_OUTPUT_NODE);
  l->out_port = dict_id (props, PW_KEY_LINK_OUTPUT_PORT);
  l->in_node = dict_id (props, PW_KEY_LINK_INPUT_NODE);
  l->in_port = dict_id (props, PW_KEY_LINK_INPUT_PORT);
  g_hash_table_insert (self->links, GUINT_TO_POINTER (id), l);
  if (is_watched (self, l->out_node)) {
    bind_link (l);
    notify (self);
  }
}

static void
on_global (void *data, uint32_t id, uint32_t permissions, const char *type,
    uint32_t version, const struct spa_dict *props)
{
  GstAllocPwGraph *self = data;
  const gchar *name;

  if (g_strcmp0 (type, PW_TYPE_INTERFACE_Link) == 0) {
    add_link (self, id, props);
  } else if (g_strcmp0 (type, PW_TYPE_INTERFACE_Node) == 0) {
    g_hash_table_add (self->nodes, GUINT_TO_POINTER (id));
  } else if (g_strcmp0 (type, PW_TYPE_INTERFACE_Metadata) == 0
      && !self->metadata && props
      && (name = spa_dict_lookup (props, PW_KEY_METADATA_NAME))
      && g_strcmp0 (name, "default") == 0) {
    self->metadata = pw_registry_bind (self->registry, id,
        PW_TYPE_INTERFACE_Metadata, PW_VERSION_METADATA, 0);
    self->metadata_id = id;
  }
}

static void
on_global_remove (void *data, uint32_t id)
{
  GstAllocPwGraph *self = data;
  Link *l = g_hash_table_lookup (self->links, GUINT_TO_POINTER (id));
  gboolean watched = l && is_watched (self, l->out_node);

  if (g_hash_table_remove (self->nodes, GUINT_TO_POINTER (id)))
    notify (self);
  if (self->metadata && id == self->metadata_id) {
    pw_proxy_destroy ((struct pw_proxy *) self->metadata);
    self->metadata = NULL;
  }
  if (l)
    g_hash_table_remove (self->links, GUINT_TO_POINTER (id));
  if (watched)
    notify (self);
}

static const struct pw_registry_events registry_events = {
  PW_VERSION_REGISTRY_EVENTS,
.global = on_global,.global_remove = on_global_remove,};

GstAllocPwGraph *
gst_alloc_pw_graph_new (GstAllocPwCore * core, GstAllocPwGraphChanged changed,
    gpointer user_data)
{
  GstAllocPwGraph *self = g_new0 (GstAllocPwGraph, 1);

  GST_DEBUG_CATEGORY_INIT (gst_alloc_pw_graph_debug, "allocpwgraph", 0,
      "consumers of our PipeWire nodes");
  self->core = core;
  self->changed = changed;
  self->user_data = user_data;
  self->links = g_hash_table_new_full (NULL, NULL, NULL, link_free);
  self->nodes = g_hash_table_new (NULL, NULL);
  self->watched = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->registry = pw_core_get_registry (gst_alloc_pw_core_get_core (core),
      PW_VERSION_REGISTRY, 0);
  pw_registry_add_listener (self->registry, &self->registry_hook,
      &registry_events, self);
  return self;
}

void
gst_alloc_pw_graph_free (GstAllocPwGraph * self)
{
  if (!self)
    return;
  self->changed = NULL;
  g_hash_table_destroy (self->links);
  g_hash_table_destroy (self->nodes);
  g_array_free (self->watched, TRUE);
  if (self->metadata)
    pw_proxy_destroy ((struct pw_proxy *) self->metadata);
  spa_hook_remove (&self->registry_hook);
  pw_proxy_destroy ((struct pw_proxy *) self->registry);
  g_free (self);
}

void
gst_alloc_pw_graph_watch_node (GstAllocPwGraph * self, guint32 node_id)
{
  GHashTableIter iter;
  Link *l;

  if (node_id == SPA_ID_INVALID || is_watched (self, node_id))
    return;
  g_array_append_val (self->watched, node_id);
  g_hash_table_iter_init (&iter, self->links);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) & l)) {
    if (l->out_node == node_id)
      bind_link (l);
  }
  notify (self);
}

void
gst_alloc_pw_graph_unwatch_node (GstAllocPwGraph * self, guint32 node_id)
{
  GHashTableIter iter;
  Link *l;
  guint i;

  for (i = 0; i < self->watched->len; i++) {
    if (g_array_index (self->watched, guint32, i) == node_id)
      g_array_remove_index_fast (self->watched, i--);
  }
  g_hash_table_iter_init (&iter, self->links);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) & l)) {
    if (l->out_node == node_id) {
      unbind (&l->link);
      unbind (&l->node);
      unbind (&l->port);
    }
  }
}

gboolean
gst_alloc_pw_graph_has_node (GstAllocPwGraph * self, guint32 node_id)
{
  return g_hash_table_contains (self->nodes, GUINT_TO_POINTER (node_id));
}

void
gst_alloc_pw_consumer_free (GstAllocPwConsumer * c)
{
  g_free (c->node_name);
  g_free (c->constraints);
  g_clear_pointer (&c->buffers, g_bytes_unref);
  g_free (c->error);
  g_free (c);
}

static gint
compare_link_id (gconstpointer a, gconstpointer b)
{
  const GstAllocPwConsumer *ca = *(const GstAllocPwConsumer * const *) a;
  const GstAllocPwConsumer *cb = *(const GstAllocPwConsumer * const *) b;

  return ca->link_id < cb->link_id ? -1 : ca->link_id > cb->link_id;
}

GPtrArray *
gst_alloc_pw_graph_get_consumers (GstAllocPwGraph * self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_alloc_pw_consumer_free);
  GHashTableIter iter;
  Link *l;

  g_hash_table_iter_init (&iter, self->links);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) & l)) {
    GstAllocPwConsumer *c;

    /* Our own anchors hold buffers, they consume nothing. */
    if (!is_watched (self, l->out_node) || l->anchor)
      continue;
    c = g_new0 (GstAllocPwConsumer, 1);
    c->link_id = l->id;
    c->output_node = l->out_node;
    c->node_id = l->in_node;
    c->port_id = l->in_port;
    c->node_name = g_strdup (l->node_name);
    c->constraints = g_strdup (l->constraints);
    c->dont_reconnect = l->dont_reconnect;
    c->buffers = l->buffers ? g_bytes_ref (l->buffers) : NULL;
    c->known = l->node.synced && l->port.synced && (l->has_format || l->failed);
    c->failed = l->failed;
    c->error = g_strdup (l->error);
    g_ptr_array_add (out, c);
  }
  /* Links in the order they were made. */
  g_ptr_array_sort (out, compare_link_id);
  return out;
}

gboolean
gst_alloc_pw_graph_set_target (GstAllocPwGraph * self, guint32 node_id,
    const gchar * target)
{
  if (!self->metadata)
    return FALSE;
  pw_metadata_set_property (self->metadata, node_id, "target.object",
      target ? "Spa:String" : NULL, target);
  return TRUE;
}

void
gst_alloc_pw_graph_destroy_link (GstAllocPwGraph * self, guint32 link_id)
{
  pw_registry_destroy (self->registry, link_id);
}
