/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a PipeWire consumer needs: its SPA_PARAM_Buffers read as a
 * constraint set plus the hard needs PipeWire's vocabulary has and ours
 * lacks (a fixed stride, a fixed block count), and the reverse: the Buffers
 * param a gst-alloc consumer announces for its constraints. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocpwneeds.h"

#include <spa/buffer/buffer.h>
#include <spa/param/buffers.h>
#include <spa/pod/iter.h>

/* Counts at or above this are PipeWire's way of saying "no limit". */
#define UNLIMITED_COUNT (G_MAXINT32 / 2)

GstAllocPwNeeds *
gst_alloc_pw_needs_new (const gchar * consumer)
{
  GstAllocPwNeeds *needs = g_new0 (GstAllocPwNeeds, 1);

  needs->consumer = g_strdup (consumer ? consumer : "unnamed consumer");
  needs->constraints = gst_alloc_constraints_new ();
  needs->description = g_strdup ("");
  return needs;
}

void
gst_alloc_pw_needs_free (GstAllocPwNeeds * needs)
{
  if (!needs)
    return;
  g_free (needs->consumer);
  gst_alloc_constraints_free (needs->constraints);
  g_free (needs->description);
  g_free (needs);
}

GstAllocMemoryFlags
gst_alloc_pw_memory_from_data_types (guint32 data_types)
{
  GstAllocMemoryFlags memory = 0;

  if (data_types & (1 << SPA_DATA_DmaBuf))
    memory |= GST_ALLOC_MEMORY_DMABUF;
  /* A MemFd or MemPtr consumer maps what it receives: a memfd, or a
   * mappable dma-buf given under the MemFd label (as PipeWire's own V4L2
   * source does). Across processes MemPtr is always carried as an fd. */
  if (data_types & ((1 << SPA_DATA_MemFd) | (1 << SPA_DATA_MemPtr)))
    memory |= GST_ALLOC_MEMORY_MEMFD | GST_ALLOC_MEMORY_DMABUF;
  return memory;
}

gchar *
gst_alloc_pw_data_types_to_string (guint32 data_types)
{
  static const struct
  {
    guint32 type;
    const gchar *name;
  } names[] = {
    {SPA_DATA_MemPtr, "MemPtr"}, {SPA_DATA_MemFd, "MemFd"},
    {SPA_DATA_DmaBuf, "DmaBuf"}, {SPA_DATA_MemId, "MemId"},
  };
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    if (data_types & (1u << names[i].type))
      g_string_append_printf (s, "%s%s", s->len ? "|" : "", names[i].name);
  }
  return g_string_free (s, FALSE);
}

/* One Int property of a param: its default, its bounds and whether it is
 * a fixed value (a Flags choice gives the OR of its masks as default). */
typedef struct
{
  gint32 def, min, max;
  gboolean fixed;
} IntProp;

static gboolean
read_int_prop (const struct spa_pod_prop *prop, IntProp * out)
{
  uint32_t n, choice, i;
  const struct spa_pod *v = spa_pod_get_values (&prop->value, &n, &choice);
  const gint32 *vals = SPA_POD_BODY (v);

  if (v->type != SPA_TYPE_Int || n == 0)
    return FALSE;
  out->def = out->min = out->max = vals[0];
  out->fixed = choice == SPA_CHOICE_None;
  if ((choice == SPA_CHOICE_Range || choice == SPA_CHOICE_Step) && n >= 3) {
    out->min = vals[1];
    out->max = vals[2];
  } else if (choice == SPA_CHOICE_Enum) {
    for (i = 1; i < n; i++) {
      out->min = MIN (out->min, vals[i]);
      out->max = MAX (out->max, vals[i]);
    }
  } else if (choice == SPA_CHOICE_Flags) {
    for (i = 1; i < n; i++)
      out->def |= vals[i];
    out->fixed = TRUE;
  }
  return TRUE;
}

static void
describe_int (GString * s, const gchar * name, const IntProp * p)
{
  if (p->fixed || p->min == p->max)
    g_string_append_printf (s, "%s%s=%d", s->len ? " " : "", name, p->def);
  else if (p->max >= UNLIMITED_COUNT)
    g_string_append_printf (s, "%s%s>=%d", s->len ? " " : "", name, p->min);
  else
    g_string_append_printf (s, "%s%s=%d..%d", s->len ? " " : "", name,
        p->min, p->max);
}

/* Reads one Buffers property into @needs and @c. FALSE for a value that
 * cannot be a need (a negative alignment, a zero count). */
static gboolean
apply_buffers_prop (GstAllocPwNeeds * needs, GstAllocConstraints * c,
    guint32 key, const IntProp * p, GString * desc)
{
  switch (key) {
    case SPA_PARAM_BUFFERS_buffers:
      if (p->min < 1)
        return FALSE;
      describe_int (desc, "buffers", p);
      /* A fixed count is an exact need: the pool must have that many. */
      c->min_buffers = p->fixed ? p->def : p->min;
      c->max_buffers = p->fixed ? p->def
          : (p->max >= UNLIMITED_COUNT ? 0 : p->max);
      return TRUE;
    case SPA_PARAM_BUFFERS_blocks:
      describe_int (desc, "blocks", p);
      needs->blocks = p->fixed && p->def > 0 ? p->def : 0;
      return TRUE;
    case SPA_PARAM_BUFFERS_size:
      describe_int (desc, "size", p);
      return TRUE;
    case SPA_PARAM_BUFFERS_stride:
      describe_int (desc, "stride", p);
      needs->exact_stride = p->fixed && p->def > 0 ? p->def : 0;
      return TRUE;
    case SPA_PARAM_BUFFERS_align:
      if (p->def < 0)
        return FALSE;
      describe_int (desc, "align", p);
      /* The bytes each block's data starts on: our plane offset alignment
       * (our memory itself is page aligned). */
      c->offset_align = MAX (p->fixed ? p->def : p->min, 1);
      return TRUE;
    case SPA_PARAM_BUFFERS_dataType:{
      gchar *types = gst_alloc_pw_data_types_to_string (p->def);

      g_string_append_printf (desc, "%sdataType=%s", desc->len ? " " : "",
          types);
      g_free (types);
      needs->data_types = p->def;
      c->memory = gst_alloc_pw_memory_from_data_types (p->def);
      return c->memory != 0;
    }
    default:
      return TRUE;
  }
}

gboolean
gst_alloc_pw_needs_add_buffers_param (GstAllocPwNeeds * needs,
    const struct spa_pod *param, GError ** error)
{
  const struct spa_pod_object *obj = (const struct spa_pod_object *) param;
  const struct spa_pod_prop *prop;
  GstAllocConstraints *c = gst_alloc_constraints_new ();
  GString *desc = g_string_new (NULL);
  gboolean ok = TRUE;
  IntProp p;

  if (!spa_pod_is_object_type (param, SPA_TYPE_OBJECT_ParamBuffers)) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE,
        "%s: the param is not a Buffers object", needs->consumer);
    ok = FALSE;
  }
  SPA_POD_OBJECT_FOREACH (obj, prop) {
    if (!ok || !read_int_prop (prop, &p))
      continue;
    if (!apply_buffers_prop (needs, c, prop->key, &p, desc)) {
      g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE,
          "%s: Buffers param key %u has a value that is not a need (%d)",
          needs->consumer, prop->key, p.def);
      ok = FALSE;
    }
  }
  gst_alloc_constraints_set_origin (c, needs->consumer);
  ok = ok && gst_alloc_constraints_merge_into (needs->constraints, c, error);
  if (ok) {
    g_free (needs->description);
    needs->description = g_string_free (desc, FALSE);
  } else {
    g_string_free (desc, TRUE);
  }
  gst_alloc_constraints_free (c);
  return ok;
}

gboolean
gst_alloc_pw_needs_add_constraints_string (GstAllocPwNeeds * needs,
    const gchar * str, GError ** error)
{
  GstAllocConstraints *c;
  gchar *desc;
  gboolean ok;

  c = gst_alloc_constraints_from_string (str, needs->consumer, error);
  if (!c)
    return FALSE;
  ok = gst_alloc_constraints_merge_into (needs->constraints, c, error);
  if (ok && !gst_alloc_constraints_is_empty (c)) {
    desc = g_strdup_printf ("%s%s%s", needs->description,
        needs->description[0] ? "; " : "", str);
    g_free (needs->description);
    needs->description = desc;
  }
  gst_alloc_constraints_free (c);
  return ok;
}

static guint32
data_types_from_memory (GstAllocMemoryFlags memory)
{
  guint32 types = 0;

  if (memory & GST_ALLOC_MEMORY_DMABUF)
    types |= 1 << SPA_DATA_DmaBuf;
  if (memory & GST_ALLOC_MEMORY_MEMFD)
    types |= 1 << SPA_DATA_MemFd;
  if (memory & GST_ALLOC_MEMORY_SYSTEM)
    types |= 1 << SPA_DATA_MemPtr;
  return types;
}

void
gst_alloc_pw_needs_apply_format (GstAllocPwNeeds * needs,
    const GstVideoInfo * info)
{
  if (needs->exact_stride == 0
      || needs->exact_stride != GST_VIDEO_INFO_PLANE_STRIDE (info, 0))
    return;
  needs->constraints->default_layout = TRUE;
  gst_alloc_constraints_set_field_origin (needs->constraints,
      GST_ALLOC_FIELD_DEFAULT_LAYOUT, needs->consumer);
}

struct spa_pod *
gst_alloc_pw_needs_build_buffers_param (struct spa_pod_builder *builder,
    const GstAllocConstraints * constraints, const GstVideoInfo * info)
{
  const GstAllocConstraints *c = constraints;
  struct spa_pod_frame f;
  gint32 min = MAX (c->min_buffers, 1);
  gint32 max = c->max_buffers ? (gint32) c->max_buffers : G_MAXINT32;

  spa_pod_builder_push_object (builder, &f, SPA_TYPE_OBJECT_ParamBuffers,
      SPA_PARAM_Buffers);
  spa_pod_builder_add (builder,
      SPA_PARAM_BUFFERS_buffers, SPA_POD_CHOICE_RANGE_Int (CLAMP (8, min, max),
          min, max),
      SPA_PARAM_BUFFERS_blocks, SPA_POD_CHOICE_RANGE_Int (1, 1,
          GST_VIDEO_MAX_PLANES),
      SPA_PARAM_BUFFERS_size, SPA_POD_CHOICE_RANGE_Int ((gint32) info->size, 1,
          G_MAXINT32),
      SPA_PARAM_BUFFERS_dataType,
      SPA_POD_CHOICE_FLAGS_Int (data_types_from_memory (c->memory)), 0);
  if (c->default_layout)
    spa_pod_builder_add (builder, SPA_PARAM_BUFFERS_stride,
        SPA_POD_Int (GST_VIDEO_INFO_PLANE_STRIDE (info, 0)), 0);
  if (c->offset_align > 1)
    spa_pod_builder_add (builder, SPA_PARAM_BUFFERS_align,
        SPA_POD_Int ((gint32) c->offset_align), 0);
  return spa_pod_builder_pop (builder, &f);
}
