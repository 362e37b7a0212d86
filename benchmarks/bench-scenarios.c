/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The scenarios, the pipelines each variant runs, and one timed run. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "bench.h"

#include <string.h>

/* Enough frames for a steady state, few enough that a 4K stock run with
 * sixteen copies per frame ends in about the time asked. */
#define MIN_FRAMES 10

/* Consumers that can all share one pool, modelled on a display, an encoder,
 * another process and an analytics reader. Each wants dma-buf or memfd
 * memory, which a stock source behind a stock tee never gives. */
static const gchar *compatible[] = {
  "stride-align=256,memory=dmabuf|memfd",
  "stride-align=64,height-align=16,memory=dmabuf|memfd",
  "memory=dmabuf|memfd,cpu-access=read",
  "stride-align=32,memory=dmabuf|memfd",
};

const gchar *
bench_kind_name (BenchKind kind)
{
  static const gchar *names[] = { "single", "multiplex",
    "conflict-structural", "conflict-physical", "passthrough", "decode",
    "v4l2sink"
  };
  return names[kind];
}

const gchar *
bench_variant_name (BenchVariant variant)
{
  static const gchar *names[] = { "ours", "stock", "floor" };
  return names[variant];
}

static BenchScenario *
scenario_new (BenchKind kind, guint width, guint height, guint branches)
{
  BenchScenario *s = g_new0 (BenchScenario, 1);

  s->kind = kind;
  s->width = width;
  s->height = height;
  s->branches = branches;
  if (kind == BENCH_MULTIPLEX)
    s->name = g_strdup_printf ("%s-N%u-%up", bench_kind_name (kind),
        branches, height);
  else
    s->name = g_strdup_printf ("%s-%up", bench_kind_name (kind), height);
  return s;
}

void
bench_scenario_free (gpointer data)
{
  BenchScenario *s = data;
  guint v;

  for (v = 0; v < BENCH_N_VARIANTS; v++)
    bench_result_clear (&s->runs[v]);
  g_free (s->name);
  g_free (s);
}

void
bench_result_clear (BenchResult * r)
{
  g_free (r->error);
  g_free (r->pipeline);
  memset (r, 0, sizeof (*r));
}

GPtrArray *
bench_scenarios_new (void)
{
  static const guint sizes[][2] = { {1280, 720}, {1920, 1080}, {3840, 2160} };
  static const guint ns[] = { 1, 2, 4, 8, 16 };
  GPtrArray *all = g_ptr_array_new_with_free_func (bench_scenario_free);
  guint r, n;

  for (r = 0; r < G_N_ELEMENTS (sizes); r++)
    g_ptr_array_add (all, scenario_new (BENCH_SINGLE, sizes[r][0],
            sizes[r][1], 1));
  for (r = 0; r < G_N_ELEMENTS (sizes); r++)
    for (n = 0; n < G_N_ELEMENTS (ns); n++)
      g_ptr_array_add (all, scenario_new (BENCH_MULTIPLEX, sizes[r][0],
              sizes[r][1], ns[n]));
  for (r = 0; r < G_N_ELEMENTS (sizes); r++)
    g_ptr_array_add (all, scenario_new (BENCH_CONFLICT_STRUCTURAL,
            sizes[r][0], sizes[r][1], BENCH_CONFLICT_BRANCHES));
  for (r = 0; r < G_N_ELEMENTS (sizes); r++)
    g_ptr_array_add (all, scenario_new (BENCH_CONFLICT_PHYSICAL, sizes[r][0],
            sizes[r][1], BENCH_CONFLICT_BRANCHES));
  for (r = 0; r < G_N_ELEMENTS (sizes); r++)
    g_ptr_array_add (all, scenario_new (BENCH_PASSTHROUGH, sizes[r][0],
            sizes[r][1], 1));
  bench_real_add_scenarios (all);
  return all;
}

gboolean
bench_scenario_has_variant (const BenchScenario * s, BenchVariant variant)
{
  if (s->kind == BENCH_DECODE || s->kind == BENCH_V4L2SINK)
    return bench_real_has_variant (s, variant);
  return variant != BENCH_FLOOR || s->kind == BENCH_MULTIPLEX
      || bench_kind_is_conflict (s->kind);
}

void
bench_append_branches (GString * d, const BenchScenario * s,
    BenchVariant variant)
{
  const gchar *c;
  guint i;

  g_string_append (d, variant == BENCH_OURS ? " ! alloctee name=t" :
      " ! tee name=t");
  for (i = 0; i < s->branches; i++) {
    c = bench_kind_is_conflict (s->kind) ? bench_conflict_constraints
        (s->kind, i) : compatible[i % G_N_ELEMENTS (compatible)];
    g_string_append_printf (d, " t. ! " BENCH_QUEUE " ! benchsink name=sink%u",
        i);
    if (variant != BENCH_FLOOR)
      g_string_append_printf (d, " constraints=\"%s\"", c);
  }
}

/* The gst-launch description of @variant of @s. */
static gchar *
describe (const BenchScenario * s, BenchVariant variant)
{
  GString *d = g_string_new ("benchsrc name=src");

  switch (s->kind) {
    case BENCH_SINGLE:
      /* Stock handles this case already: the sink's pool reaches the
       * source. Ours adds allocfilter, which must cost nothing. */
      g_string_append_printf (d, "%s ! " BENCH_QUEUE " ! benchsink name=sink0 "
          "constraints=\"%s\"", variant == BENCH_OURS ? " ! allocfilter" : "",
          compatible[0]);
      break;
    case BENCH_PASSTHROUGH:
      g_string_append_printf (d, "%s ! " BENCH_QUEUE " ! benchsink name=sink0",
          variant == BENCH_OURS ? " ! allocfilter ! allocconvert" : "");
      break;
    case BENCH_MULTIPLEX:
    case BENCH_CONFLICT_STRUCTURAL:
    case BENCH_CONFLICT_PHYSICAL:
      bench_append_branches (d, s, variant);
      break;
    case BENCH_DECODE:
    case BENCH_V4L2SINK:
      /* Described and run by bench-real.c. */
      g_assert_not_reached ();
      break;
  }
  return g_string_free (d, FALSE);
}

guint64
bench_tee_bytes_copied (GstElement * pipeline)
{
  GstElement *tee = gst_bin_get_by_name (GST_BIN (pipeline), "t");
  guint64 total = 0, bytes;
  GList *l;

  if (!tee)
    return 0;
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (tee), "backend")) {
    GST_OBJECT_LOCK (tee);
    for (l = tee->srcpads; l; l = l->next) {
      g_object_get (l->data, "bytes-copied", &bytes, NULL);
      total += bytes;
    }
    GST_OBJECT_UNLOCK (tee);
  }
  gst_object_unref (tee);
  return total;
}

/* Copies, first buffers and pools, read from the sinks after EOS. */
static void
collect (GstElement * pipeline, const BenchScenario * s, BenchResult * r,
    gint64 t_play)
{
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src"), *sink;
  GHashTable *pools = g_hash_table_new_full (NULL, NULL, gst_object_unref,
      NULL);
  GstBufferPool *pool = bench_src_get_pool (BENCH_SRC (src));
  guint64 copied = bench_tee_bytes_copied (pipeline);
  gint64 last_first = 0;
  BenchSinkStats st;
  GHashTableIter iter;
  gpointer key;
  gchar *name;
  guint i;

  if (pool)
    g_hash_table_add (pools, pool);
  for (i = 0; i < s->branches; i++) {
    name = g_strdup_printf ("sink%u", i);
    sink = gst_bin_get_by_name (GST_BIN (pipeline), name);
    g_free (name);
    bench_sink_get_stats (BENCH_SINK (sink), &st);
    copied += st.bytes_copied;
    last_first = MAX (last_first, st.first_buffer);
    bench_sink_collect_pools (BENCH_SINK (sink), pools);
    gst_object_unref (sink);
  }
  g_hash_table_iter_init (&iter, pools);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    r->bytes_allocated += bench_pool_bytes_allocated (key);
  r->bytes_copied_per_frame = r->frames ? (gdouble) copied / r->frames : 0;
  r->first_buffer_ms = (last_first - t_play) / 1000.0;
  g_hash_table_destroy (pools);
  gst_object_unref (src);
}

/* Runs @variant of @s for about @seconds after its first frame. */
void
bench_scenario_run (const BenchScenario * s, BenchVariant variant,
    gdouble seconds, BenchResult * r)
{
  GstElement *pipeline, *src;
  gint64 t_play, t_end, cpu_end, start_wall, start_cpu;
  GError *err = NULL;
  GstMessage *msg;
  GstCaps *caps;
  GstBus *bus;

  if (s->kind == BENCH_DECODE || s->kind == BENCH_V4L2SINK) {
    bench_real_run (s, variant, seconds, r);
    return;
  }
  r->ran = TRUE;
  r->pipeline = describe (s, variant);
  pipeline = gst_parse_launch (r->pipeline, &err);
  if (!pipeline) {
    r->error = g_strdup (err->message);
    g_error_free (err);
    return;
  }
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "NV12",
      "width", G_TYPE_INT, s->width, "height", G_TYPE_INT, s->height,
      "framerate", GST_TYPE_FRACTION, 30, 1, NULL);
  bench_src_set_limits (BENCH_SRC (src), caps, G_MAXUINT64, MIN_FRAMES,
      seconds);
  gst_caps_unref (caps);

  bus = gst_element_get_bus (pipeline);
  t_play = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  t_end = g_get_monotonic_time ();
  cpu_end = bench_cpu_time_us ();

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gst_message_parse_error (msg, &err, NULL);
    r->error = g_strdup (err->message);
    g_error_free (err);
  } else {
    bench_src_get_start (BENCH_SRC (src), &start_wall, &start_cpu);
    r->frames = bench_src_get_frames (BENCH_SRC (src));
    r->fps = r->frames * (gdouble) G_USEC_PER_SEC / MAX (1, t_end - start_wall);
    r->cpu_us_per_frame = (cpu_end - start_cpu) / (gdouble) MAX (1, r->frames);
    collect (pipeline, s, r, t_play);
    r->ok = TRUE;
  }
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (pipeline);
}
