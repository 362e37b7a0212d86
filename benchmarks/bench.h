/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-alloc-bench: ours against stock GStreamer, scenario by scenario. */
#pragma once

#include <gst/gst.h>
#include <gst/alloc/alloc.h>
#include <gst/base/base.h>

G_BEGIN_DECLS
/* benchsrc: a camera that never draws. It pushes buffers acquired from the
 * pool downstream offers (or, when none is offered, from a system-memory
 * video pool of its own, as a stock source does) without touching their
 * pixels, so the pipeline's cost is what gets measured. */
#define BENCH_TYPE_SRC (bench_src_get_type ())
G_DECLARE_FINAL_TYPE (BenchSrc, bench_src, BENCH, SRC, GstBaseSrc);

/* Sends EOS after @frames frames, or once @seconds have passed since the
 * first frame and at least @min_frames were pushed. */
void bench_src_set_limits (BenchSrc * src, const GstCaps * caps,
    guint64 frames, guint64 min_frames, gdouble seconds);
guint64 bench_src_get_frames (BenchSrc * src);
/* Monotonic time (µs) and CPU time (µs, user + system, whole process) when
 * the first frame was pushed. */
void bench_src_get_start (BenchSrc * src, gint64 * wall, gint64 * cpu);
/* The pool the source allocated from (transfer full, nullable). */
GstBufferPool *bench_src_get_pool (BenchSrc * src);

/* benchsink: a consumer declaring constraints the way kmssink, v4l2sink or
 * pipewiresink do (it proposes a compliant pool of its own), and copying
 * each buffer that does not satisfy them into a buffer of that pool, as
 * those sinks do internally. Without constraints it is a fakesink. */
#define BENCH_TYPE_SINK (bench_sink_get_type ())
G_DECLARE_FINAL_TYPE (BenchSink, bench_sink, BENCH, SINK, GstBaseSink);

typedef struct
{
  guint64 buffers;
  guint64 copies;
  guint64 bytes_copied;
  gint64 first_buffer;          /* monotonic µs, 0 before the first */
} BenchSinkStats;

void bench_sink_get_stats (BenchSink * sink, BenchSinkStats * stats);
/* Adds every pool this sink used or saw buffers from to @pools (a set of
 * GstBufferPool, refs taken). */
void bench_sink_collect_pools (BenchSink * sink, GHashTable * pools);

/* Bytes a pool allocated: GstAllocPool counts its own; the source's stock
 * fallback pool counts too; 0 for pools the benchmark cannot see into. */
guint64 bench_pool_bytes_allocated (GstBufferPool * pool);

gint64 bench_cpu_time_us (void);

void bench_register_elements (void);

/* --- scenarios (bench-scenarios.c) --- */

#define BENCH_QUEUE \
  "queue max-size-buffers=2 max-size-bytes=0 max-size-time=0"

typedef enum
{
  BENCH_SINGLE,                 /* one constrained consumer, linked directly */
  BENCH_MULTIPLEX,              /* one camera, N constrained consumers */
  BENCH_CONFLICT_STRUCTURAL,    /* four consumers, one wanting its planes apart */
  BENCH_CONFLICT_PHYSICAL,      /* four consumers, one wanting other memory */
  BENCH_PASSTHROUGH,            /* our elements with nothing to do */
  BENCH_DECODE,                 /* a stock software decoder, N constrained
                                 * consumers (bench-real.c) */
  BENCH_V4L2SINK,               /* a camera into v4l2sink and a reader, on
                                 * vivid (bench-real.c) */
} BenchKind;

typedef enum
{
  BENCH_OURS,
  BENCH_STOCK,
  BENCH_FLOOR,                  /* same topology, fakesinks, no constraints */
  BENCH_N_VARIANTS,
} BenchVariant;

typedef struct
{
  gboolean ran, ok;
  gboolean skipped;             /* not run here: @error says why */
  gboolean allocation_unknown;  /* real producers' pools are not counted */
  gchar *error;
  gchar *pipeline;
  guint64 frames;
  gdouble fps;
  gdouble cpu_us_per_frame;
  gdouble bytes_copied_per_frame;
  guint64 bytes_allocated;
  gdouble first_buffer_ms;
} BenchResult;

typedef struct
{
  gchar *name;
  BenchKind kind;
  guint width, height, branches;
  const gchar *codec;           /* BENCH_DECODE: "h264" or "vp8" */
  gboolean default_io;          /* BENCH_V4L2SINK: ours at v4l2's default
                                 * io-modes, without the hint */
  BenchResult runs[BENCH_N_VARIANTS];
} BenchScenario;

const gchar *bench_kind_name (BenchKind kind);
const gchar *bench_variant_name (BenchVariant variant);

/* Every scenario of the issue, in report order. */
GPtrArray *bench_scenarios_new (void);
void bench_scenario_free (gpointer scenario);
gboolean bench_scenario_has_variant (const BenchScenario * s,
    BenchVariant variant);
/* One run of @variant of @s into @r (zeroed by the caller). */
void bench_scenario_run (const BenchScenario * s, BenchVariant variant,
    gdouble seconds, BenchResult * r);
void bench_result_clear (BenchResult * r);
/* " ! alloctee name=t" (ours) or " ! tee name=t", then s->branches
 * branches "t. ! queue ! benchsink name=sinkN" with the constraints of the
 * scenario's kind (none for the floor). */
void bench_append_branches (GString * d, const BenchScenario * s,
    BenchVariant variant);
/* Bytes alloctee copied for its converted branches (0 for a stock tee). */
guint64 bench_tee_bytes_copied (GstElement * pipeline);

/* --- real producers and consumers (bench-real.c, bench-v4l2.c) --- */

/* The decoder and v4l2sink scenarios, appended to @all. */
void bench_real_add_scenarios (GPtrArray * all);
gboolean bench_real_has_variant (const BenchScenario * s,
    BenchVariant variant);
/* One run; skipped (with the reason) when the machine lacks the decoder,
 * the encoder that makes its stream, or vivid. */
void bench_real_run (const BenchScenario * s, BenchVariant variant,
    gdouble seconds, BenchResult * r);
/* Removes the streams encoded for the decoder scenarios. */
void bench_real_cleanup (void);

typedef struct
{
  gchar *capture, *output;      /* /dev/videoN */
  gint capture_input, output_output;    /* connectors before */
  gboolean routed;
} BenchVivid;

/* Finds vivid's capture and output nodes and routes both to S-Video. */
gboolean bench_vivid_open (BenchVivid * vivid, GError ** error);
/* Puts the previous connectors back. */
void bench_vivid_close (BenchVivid * vivid);

/* --- the conflict scenarios (bench-conflict.c) --- */

#define BENCH_CONFLICT_BRANCHES 4

gboolean bench_kind_is_conflict (BenchKind kind);
/* What consumer @branch of a conflict scenario declares. */
const gchar *bench_conflict_constraints (BenchKind kind, guint branch);

/* --- report (bench-report.c) --- */

void bench_report_print (GPtrArray * scenarios);
gboolean bench_report_write_json (GPtrArray * scenarios, gdouble seconds,
    guint repeat, const gchar * path, GError ** error);

G_END_DECLS
