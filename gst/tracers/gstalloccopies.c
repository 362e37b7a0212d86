/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:tracer-alloccopies
 * @title: alloccopies
 * @short_description: Where a pipeline allocates and copies video memory
 *
 * Watches every buffer pushed between elements, on any pipeline, with or
 * without gst-alloc elements, and reports per element and pad: buffers,
 * memories never seen before, memories recycled from the element's own
 * pool, buffers passed through, copies and produced frames, bytes copied,
 * and where the memory came from (memory kind, allocator, dma-buf exporter
 * or DMA heap, pool).
 *
 * A buffer leaving an element on memory that element never received is a
 * copy when the element receives buffers at all (a converter, a decoder, a
 * tee branch with its own pool) and a produced frame otherwise (a source).
 * Copies made inside a sink that never pushes them on (kmssink's dumb
 * buffers, pipewiresink's own pool) are invisible to pad hooks.
 *
 * A summary is printed to stderr when a top-level pipeline posts EOS and
 * when the tracer is destroyed; with file=PATH the same summary is written
 * there as JSON (see docs/tracer.md), rewritten on each of those events.
 *
 * Parameters, given as `GST_TRACERS="alloccopies(name=value,...)"`, are the
 * tracer's properties: #GstAllocCopiesTracer:file (JSON output, none by
 * default) and #GstAllocCopiesTracer:print (the table on stderr, %TRUE by
 * default). An unknown parameter or a malformed value is reported on
 * stderr and ignored.
 *
 * |[
 * GST_TRACERS="alloccopies(file=/tmp/copies.json)" gst-launch-1.0 \
 *   videotestsrc num-buffers=30 ! tee ! queue ! videoconvert ! \
 *   video/x-raw,format=I420 ! fakesink
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloccopies.h"

#include <gst/alloc/alloc.h>
#include <gst/allocators/allocators.h>

#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_alloc_copies_debug);
#define GST_CAT_DEFAULT gst_alloc_copies_debug

struct _GstAllocCopiesTracer
{
  GstTracer parent;

  gchar *file;                  /* JSON output, NULL for none */
  gboolean print;               /* text summary on stderr */

  GMutex lock;                  /* protects everything below and the
                                 * records attached to memories */
  GPtrArray *elements;          /* GstAllocCopiesElement, owned */
  gboolean dirty;               /* buffers seen since the last report */
  GQuark element_quark;         /* qdata on elements -> their stats */
};

G_DEFINE_TYPE (GstAllocCopiesTracer, gst_alloc_copies_tracer, GST_TYPE_TRACER);

/* The tracer's parameters, set from GST_TRACERS="alloccopies(...)". */
enum
{
  PROP_0,
  PROP_FILE,
  PROP_PRINT,
};

/* What the tracer knows about one memory, attached to it as qdata so it
 * lives exactly as long as the memory: a freed memory whose address is
 * reused comes back without a record, as the new memory it is. */
typedef struct
{
  GPtrArray *receivers;         /* GstAllocCopiesElement that received it */
  GstAllocCopiesElement *origin;        /* the first element that pushed it */
  /* The dma-buf's exporter, read from /proc once, not for every push. */
  gchar *exporter;
} MemRecord;

static GQuark mem_quark;

static void
mem_record_free (gpointer data)
{
  MemRecord *r = data;

  g_ptr_array_free (r->receivers, TRUE);
  g_free (r->exporter);
  g_free (r);
}

static void
pad_stats_free (gpointer data)
{
  GstAllocCopiesPad *p = data;

  g_free (p->name);
  g_hash_table_destroy (p->backends);
  g_hash_table_destroy (p->allocators);
  g_hash_table_destroy (p->heaps);
  g_hash_table_destroy (p->pools);
  g_free (p);
}

static void
element_stats_free (gpointer data)
{
  GstAllocCopiesElement *e = data;

  g_free (e->name);
  g_free (e->path);
  g_free (e->factory);
  g_ptr_array_free (e->pads, TRUE);
  g_free (e);
}

/* "pipeline0/bin0/tee0": the names alone, shorter than the type-qualified
 * gst_object_get_path_string(). */
static gchar *
names_path (GstObject * object)
{
  GString *path = g_string_new (GST_OBJECT_NAME (object));
  GstObject *parent;

  for (parent = GST_OBJECT_PARENT (object); parent;
      parent = GST_OBJECT_PARENT (parent)) {
    g_string_prepend_c (path, '/');
    g_string_prepend (path, GST_OBJECT_NAME (parent));
  }
  return g_string_free (path, FALSE);
}

static GstAllocCopiesElement *
element_stats (GstAllocCopiesTracer * self, GstElement * element)
{
  GstAllocCopiesElement *e;
  GstElementFactory *factory;

  e = g_object_get_qdata (G_OBJECT (element), self->element_quark);
  if (e)
    return e;
  e = g_new0 (GstAllocCopiesElement, 1);
  e->name = g_strdup (GST_OBJECT_NAME (element));
  e->path = names_path (GST_OBJECT (element));
  factory = gst_element_get_factory (element);
  e->factory = g_strdup (factory ?
      gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (factory)) :
      G_OBJECT_TYPE_NAME (element));
  e->pads = g_ptr_array_new_with_free_func (pad_stats_free);
  /* The stats outlive the element: only the tracer frees them. */
  g_object_set_qdata (G_OBJECT (element), self->element_quark, e);
  g_ptr_array_add (self->elements, e);
  return e;
}

static GstAllocCopiesPad *
pad_stats (GstAllocCopiesElement * e, GstPad * pad)
{
  GstAllocCopiesPad *p;
  guint i;

  for (i = 0; i < e->pads->len; i++) {
    p = e->pads->pdata[i];
    if (strcmp (p->name, GST_OBJECT_NAME (pad)) == 0)
      return p;
  }
  p = g_new0 (GstAllocCopiesPad, 1);
  p->name = g_strdup (GST_OBJECT_NAME (pad));
  p->is_src = GST_PAD_IS_SRC (pad);
  p->backends = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  p->allocators = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  p->heaps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  p->pools = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_ptr_array_add (e->pads, p);
  return p;
}

static void
count (GHashTable * table, const gchar * key)
{
  gpointer n = g_hash_table_lookup (table, key);

  if (n)
    g_hash_table_insert (table, g_strdup (key),
        GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + 1));
  else
    g_hash_table_insert (table, g_strdup (key), GUINT_TO_POINTER (1));
}

/* The element that owns @pad, or NULL for ghost and proxy pads: those only
 * forward what a real element pushed or will receive. */
static GstElement *
pad_element (GstPad * pad)
{
  GstObject *parent;

  if (!pad || GST_IS_GHOST_PAD (pad))
    return NULL;
  parent = GST_OBJECT_PARENT (pad);
  return GST_IS_ELEMENT (parent) ? GST_ELEMENT_CAST (parent) : NULL;
}

/* Sub-memories share their parent's storage: identity is the root. */
static GstMemory *
memory_root (GstMemory * mem)
{
  while (mem->parent)
    mem = mem->parent;
  return mem;
}

static const gchar *
kind_name (GstMemory * mem)
{
  switch (gst_alloc_memory_get_kind (mem)) {
    case GST_ALLOC_MEMORY_DMABUF:
      return "dmabuf";
    case GST_ALLOC_MEMORY_MEMFD:
      return "memfd";
    default:
      return "system";
  }
}

/* Where a memory came from, counted on the pad it left by. */
static void
count_origin (GstAllocCopiesPad * p, GstMemory * mem, MemRecord * r)
{
  gchar *allocator;

  count (p->backends, kind_name (mem));
  if (mem->allocator) {
    /* "fd/memfd0": the memory type, then which allocator made it. */
    allocator = g_strdup_printf ("%s/%s", mem->allocator->mem_type,
        GST_OBJECT_NAME (mem->allocator));
    count (p->allocators, allocator);
    g_free (allocator);
  }
  if (gst_is_dmabuf_memory (mem)) {
    if (!r->exporter) {
      r->exporter =
          gst_alloc_dmabuf_get_exporter (gst_dmabuf_memory_get_fd (mem));
      if (!r->exporter)
        r->exporter = g_strdup ("unknown");
    }
    count (p->heaps, r->exporter);
  }
}

static MemRecord *
mem_record (GstMemory * root, gboolean * is_new)
{
  MemRecord *r = gst_mini_object_get_qdata (GST_MINI_OBJECT (root),
      mem_quark);

  *is_new = r == NULL;
  if (!r) {
    r = g_new0 (MemRecord, 1);
    r->receivers = g_ptr_array_new ();
    gst_mini_object_set_qdata (GST_MINI_OBJECT (root), mem_quark, r,
        mem_record_free);
  }
  return r;
}

static gboolean
has_received (MemRecord * r, GstAllocCopiesElement * e)
{
  guint i;

  for (i = 0; i < r->receivers->len; i++)
    if (r->receivers->pdata[i] == e)
      return TRUE;
  return FALSE;
}

/* Classifies one buffer leaving @e by @p. Lock held. */
static void
account_send (GstAllocCopiesElement * e, GstAllocCopiesPad * p,
    GstBuffer * buffer)
{
  guint i, n = gst_buffer_n_memory (buffer), received = 0;
  gsize copied = 0;
  GstMemory *mem, *root;
  MemRecord *r;
  gboolean is_new;

  p->buffers++;
  if (buffer->pool)
    count (p->pools, GST_OBJECT_NAME (buffer->pool));
  for (i = 0; i < n; i++) {
    mem = gst_buffer_peek_memory (buffer, i);
    root = memory_root (mem);
    r = mem_record (root, &is_new);
    if (is_new) {
      p->memories_new++;
      p->bytes_new += root->maxsize;
      r->origin = e;
    } else if (r->origin == e && !has_received (r, e)) {
      p->recycled++;
    }
    count_origin (p, root, r);
    if (has_received (r, e))
      received++;
    else
      copied += mem->size;
  }
  if (n > 0 && received == n)
    p->passthrough++;
  else if (e->received > 0) {
    p->copies++;
    p->bytes_copied += copied;
  } else
    p->produced++;
}

static void
account_receive (GstAllocCopiesElement * e, GstAllocCopiesPad * p,
    GstBuffer * buffer)
{
  guint i, n = gst_buffer_n_memory (buffer);
  MemRecord *r;
  gboolean is_new;

  p->buffers++;
  e->received++;
  for (i = 0; i < n; i++) {
    r = mem_record (memory_root (gst_buffer_peek_memory (buffer, i)), &is_new);
    if (!has_received (r, e))
      g_ptr_array_add (r->receivers, e);
  }
}

/* @pad hands @buffer to its peer: the sender's side first, so that an
 * element never counts as having received what it is sending now. */
static void
on_buffer (GstAllocCopiesTracer * self, GstPad * pad, GstBuffer * buffer)
{
  GstPad *peer = GST_PAD_PEER (pad);
  GstElement *sender = pad_element (pad), *receiver = pad_element (peer);
  GstAllocCopiesElement *e;

  if (!sender && !receiver)
    return;
  g_mutex_lock (&self->lock);
  self->dirty = TRUE;
  if (sender) {
    e = element_stats (self, sender);
    account_send (e, pad_stats (e, pad), buffer);
  }
  if (receiver) {
    e = element_stats (self, receiver);
    account_receive (e, pad_stats (e, peer), buffer);
  }
  g_mutex_unlock (&self->lock);
}

static void
do_push_buffer_pre (GstTracer * tracer, guint64 ts, GstPad * pad,
    GstBuffer * buffer)
{
  on_buffer (GST_ALLOC_COPIES_TRACER (tracer), pad, buffer);
}

static void
do_push_buffer_list_pre (GstTracer * tracer, guint64 ts, GstPad * pad,
    GstBufferList * list)
{
  guint i, n = gst_buffer_list_length (list);

  for (i = 0; i < n; i++)
    on_buffer (GST_ALLOC_COPIES_TRACER (tracer), pad,
        gst_buffer_list_get (list, i));
}

/* In pull mode @pad is the sink pad that pulled; the sender is its peer. */
static void
do_pull_range_post (GstTracer * tracer, guint64 ts, GstPad * pad,
    GstBuffer * buffer, GstFlowReturn res)
{
  GstPad *peer = GST_PAD_PEER (pad);

  if (res == GST_FLOW_OK && buffer && peer)
    on_buffer (GST_ALLOC_COPIES_TRACER (tracer), peer, buffer);
}

static void
write_report (GstAllocCopiesTracer * self)
{
  gchar *text = NULL, *json = NULL;
  GError *err = NULL;

  g_mutex_lock (&self->lock);
  self->dirty = FALSE;
  if (self->print)
    text = gst_alloc_copies_report_text (self->elements);
  if (self->file)
    json = gst_alloc_copies_report_json (self->elements);
  g_mutex_unlock (&self->lock);

  if (text)
    g_printerr ("%s", text);
  if (json && !g_file_set_contents (self->file, json, -1, &err)) {
    GST_WARNING_OBJECT (self, "cannot write %s: %s", self->file, err->message);
    g_printerr ("alloccopies: cannot write %s: %s\n", self->file, err->message);
    g_error_free (err);
  }
  g_free (text);
  g_free (json);
}

static void
do_post_message_pre (GstTracer * tracer, guint64 ts, GstElement * element,
    GstMessage * message)
{
  /* Only the top-level EOS: every sink of that pipeline is done by then. */
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS
      && GST_OBJECT_PARENT (element) == NULL)
    write_report (GST_ALLOC_COPIES_TRACER (tracer));
}

static const gchar *
value_hint (GType type)
{
  if (type == G_TYPE_BOOLEAN)
    return "true|false";
  if (type == G_TYPE_STRING)
    return "TEXT";
  return g_type_name (type);
}

/* The parameters are the tracer's properties, "params" aside. */
static gchar *
accepted_params (GObjectClass * klass)
{
  GParamSpec **specs;
  GString *text = g_string_new (NULL);
  guint i, n;

  specs = g_object_class_list_properties (klass, &n);
  for (i = 0; i < n; i++) {
    if (specs[i]->owner_type != GST_TYPE_ALLOC_COPIES_TRACER)
      continue;
    g_string_append_printf (text, "%s%s=%s", text->len ? ", " : "",
        specs[i]->name, value_hint (specs[i]->value_type));
  }
  g_free (specs);
  return g_string_free (text, FALSE);
}

/* One "name=value" of the params onto the property of that name: a value
 * that parsed as another type (a file named "1") is read again as text. */
static gboolean
set_param (GQuark field, const GValue * value, gpointer user_data)
{
  GObject *self = user_data;
  const gchar *name = g_quark_to_string (field);
  GParamSpec *spec = g_object_class_find_property (G_OBJECT_GET_CLASS (self),
      name);
  GValue converted = G_VALUE_INIT;
  gchar *text, *accepted;
  gboolean ok;

  if (!spec || spec->owner_type != GST_TYPE_ALLOC_COPIES_TRACER) {
    accepted = accepted_params (G_OBJECT_GET_CLASS (self));
    g_printerr ("alloccopies: unknown parameter \"%s\", ignored "
        "(accepted: %s)\n", name, accepted);
    g_free (accepted);
    return TRUE;
  }
  g_value_init (&converted, spec->value_type);
  if (G_VALUE_TYPE (value) == G_TYPE_STRING)
    text = g_value_dup_string (value);
  else
    text = gst_value_serialize (value);
  ok = text && gst_value_deserialize (&converted, text);
  if (ok)
    g_object_set_property (self, name, &converted);
  else
    g_printerr ("alloccopies: parameter %s=%s is not %s, ignored\n", name,
        GST_STR_NULL (text), value_hint (spec->value_type));
  g_free (text);
  g_value_unset (&converted);
  return TRUE;
}

/* GStreamer 1.22 hands a tracer its parameters as one string,
 * "file=PATH,print=BOOL", in the "params" property. */
static void
parse_params (GstAllocCopiesTracer * self)
{
  gchar *params = NULL, *text, *accepted;
  GstStructure *s;

  g_object_get (self, "params", &params, NULL);
  if (!params)
    return;
  text = g_strdup_printf ("alloccopies,%s", params);
  s = gst_structure_from_string (text, NULL);
  if (!s) {
    accepted = accepted_params (G_OBJECT_GET_CLASS (self));
    g_printerr ("alloccopies: cannot parse parameters \"%s\", ignored "
        "(accepted: %s)\n", params, accepted);
    g_free (accepted);
  } else {
    gst_structure_foreach (s, set_param, self);
    gst_structure_free (s);
  }
  g_free (text);
  g_free (params);
}

static void
gst_alloc_copies_tracer_constructed (GObject * object)
{
  GstAllocCopiesTracer *self = GST_ALLOC_COPIES_TRACER (object);
  GstTracer *tracer = GST_TRACER (object);

  G_OBJECT_CLASS (gst_alloc_copies_tracer_parent_class)->constructed (object);
  parse_params (self);
  gst_tracing_register_hook (tracer, "pad-push-pre",
      G_CALLBACK (do_push_buffer_pre));
  gst_tracing_register_hook (tracer, "pad-push-list-pre",
      G_CALLBACK (do_push_buffer_list_pre));
  gst_tracing_register_hook (tracer, "pad-pull-range-post",
      G_CALLBACK (do_pull_range_post));
  gst_tracing_register_hook (tracer, "element-post-message-pre",
      G_CALLBACK (do_post_message_pre));
}

static void
gst_alloc_copies_tracer_finalize (GObject * object)
{
  GstAllocCopiesTracer *self = GST_ALLOC_COPIES_TRACER (object);

  /* Already reported at EOS unless buffers flowed since. */
  if (self->dirty)
    write_report (self);
  g_ptr_array_free (self->elements, TRUE);
  g_free (self->file);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (gst_alloc_copies_tracer_parent_class)->finalize (object);
}

static void
gst_alloc_copies_tracer_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstAllocCopiesTracer *self = GST_ALLOC_COPIES_TRACER (object);

  switch (prop_id) {
    case PROP_FILE:
      g_free (self->file);
      self->file = g_value_dup_string (value);
      break;
    case PROP_PRINT:
      self->print = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_alloc_copies_tracer_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstAllocCopiesTracer *self = GST_ALLOC_COPIES_TRACER (object);

  switch (prop_id) {
    case PROP_FILE:
      g_value_set_string (value, self->file);
      break;
    case PROP_PRINT:
      g_value_set_boolean (value, self->print);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_alloc_copies_tracer_class_init (GstAllocCopiesTracerClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->constructed = gst_alloc_copies_tracer_constructed;
  gobject_class->finalize = gst_alloc_copies_tracer_finalize;
  gobject_class->set_property = gst_alloc_copies_tracer_set_property;
  gobject_class->get_property = gst_alloc_copies_tracer_get_property;

  /**
   * GstAllocCopiesTracer:file:
   *
   * Where to write the summary as JSON, rewritten at each EOS of a
   * top-level pipeline and when the tracer is destroyed. Not set: no file.
   * Given as a parameter: `GST_TRACERS="alloccopies(file=/tmp/copies.json)"`.
   */
  g_object_class_install_property (gobject_class, PROP_FILE,
      g_param_spec_string ("file", "JSON file",
          "Write the summary as JSON to this path at each EOS and at "
          "shutdown (parameter file=PATH)", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  /**
   * GstAllocCopiesTracer:print:
   *
   * Whether to print the summary table on stderr.
   * `GST_TRACERS="alloccopies(file=/tmp/copies.json,print=false)"` writes
   * the file only.
   */
  g_object_class_install_property (gobject_class, PROP_PRINT,
      g_param_spec_boolean ("print", "Print",
          "Print the summary table on stderr (parameter print=false to "
          "silence it)", TRUE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  mem_quark = g_quark_from_static_string ("GstAllocCopiesTracer.memory");
  GST_DEBUG_CATEGORY_INIT (gst_alloc_copies_debug, "alloccopies", 0,
      "alloccopies tracer");
}

static void
gst_alloc_copies_tracer_init (GstAllocCopiesTracer * self)
{
  gchar *name;

  g_mutex_init (&self->lock);
  self->print = TRUE;
  self->elements = g_ptr_array_new_with_free_func (element_stats_free);
  /* One quark per tracer instance: two instances keep separate stats. */
  name = g_strdup_printf ("GstAllocCopiesTracer.element.%p", self);
  self->element_quark = g_quark_from_string (name);
  g_free (name);
}
