/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Scenarios with real stock elements instead of the model source and sink:
 *
 *   decode    a stock software decoder (avdec_h264, vp8dec) feeding four
 *             constrained consumers (benchsink); the stream is encoded
 *             once per run of the benchmark into a temporary file.
 *   v4l2sink  vivid's camera into vivid's output through stock v4l2sink,
 *             beside a reader. Stock: every io-mode at its default, where
 *             v4l2sink copies every frame into its own buffers. Ours:
 *             alloctee, with io-mode=dmabuf-import on both V4L2 elements.
 *             Floor: stock tee with the camera exporting its own dma-bufs
 *             (io-mode=dmabuf) and v4l2sink importing them, the zero copy
 *             stock reaches when the camera's memory suits every consumer.
 *             v4l2sink-default-io: ours at the default io-modes too.
 *
 * Copies inside v4l2sink happen after the last pad, so they are counted
 * from its pool's GST_PERFORMANCE "slow copy" messages. Timing runs from
 * the first frame entering the tee to EOS, like benchsrc's. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "bench.h"

#include <gst/video/video.h>
#include <glib/gstdio.h>
#include <string.h>

#define DECODE_FRAMES 150
#define CAMERA_FPS 25           /* vivid's S-Video input is PAL */
#define CAMERA_MIN_FRAMES 50
#define RUN_TIMEOUT (120 * GST_SECOND)

typedef struct
{
  const gchar *name;
  const gchar *encoder;         /* its factory is the first word */
  const gchar *decoder;
  const gchar *package;         /* Debian's, for the skip message */
} BenchCodec;

static const BenchCodec codecs[] = {
  {"h264", "x264enc speed-preset=veryfast", "avdec_h264",
      "gstreamer1.0-libav and gstreamer1.0-plugins-ugly"},
  {"vp8", "vp8enc deadline=1 cpu-used=8 target-bitrate=6000000", "vp8dec",
      "gstreamer1.0-plugins-good"},
};

static gchar *stream_dir;       /* temporary, made on first use */

static BenchScenario *
real_scenario (BenchKind kind, const gchar * name, guint width, guint height,
    guint branches)
{
  BenchScenario *s = g_new0 (BenchScenario, 1);

  s->kind = kind;
  s->name = g_strdup (name);
  s->width = width;
  s->height = height;
  s->branches = branches;
  return s;
}

void
bench_real_add_scenarios (GPtrArray * all)
{
  BenchScenario *s;
  gchar *name;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (codecs); i++) {
    name = g_strdup_printf ("decode-%s-N4-1080p", codecs[i].name);
    s = real_scenario (BENCH_DECODE, name, 1920, 1080, 4);
    s->codec = codecs[i].name;
    g_ptr_array_add (all, s);
    g_free (name);
  }
  g_ptr_array_add (all, real_scenario (BENCH_V4L2SINK, "v4l2sink-480p", 640,
          480, 2));
  s = real_scenario (BENCH_V4L2SINK, "v4l2sink-default-io-480p", 640, 480, 2);
  s->default_io = TRUE;
  g_ptr_array_add (all, s);
}

gboolean
bench_real_has_variant (const BenchScenario * s, BenchVariant variant)
{
  return variant != BENCH_FLOOR || !s->default_io;
}

void
bench_real_cleanup (void)
{
  GDir *dir;
  const gchar *entry;
  gchar *path;

  if (!stream_dir)
    return;
  dir = g_dir_open (stream_dir, 0, NULL);
  while (dir && (entry = g_dir_read_name (dir))) {
    path = g_build_filename (stream_dir, entry, NULL);
    g_unlink (path);
    g_free (path);
  }
  if (dir)
    g_dir_close (dir);
  g_rmdir (stream_dir);
  g_clear_pointer (&stream_dir, g_free);
}

/* FALSE, with @reason set, when one of @factories is not installed (Debian's
 * @package has it). */
static gboolean
have_elements (const gchar * const *factories, const gchar * package,
    gchar ** reason)
{
  GstElementFactory *f;
  guint i;

  for (i = 0; factories[i]; i++) {
    if (!(f = gst_element_factory_find (factories[i]))) {
      *reason = g_strdup_printf ("no element %s (install %s; scripts/setup "
          "does)", factories[i], package);
      return FALSE;
    }
    gst_object_unref (f);
  }
  return TRUE;
}

/* Plays @pipeline to EOS; FALSE with @error on an error or a time out. */
static gboolean
play_to_eos (GstElement * pipeline, GError ** error)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  gboolean ok;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, RUN_TIMEOUT,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  ok = msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;
  if (!msg)
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED,
        "no EOS within %" GST_TIME_FORMAT, GST_TIME_ARGS (RUN_TIMEOUT));
  else if (!ok)
    gst_message_parse_error (msg, error, NULL);
  gst_clear_message (&msg);
  gst_object_unref (bus);
  return ok;
}

/* The stream the decoder scenario reads, encoded on first use: moving
 * SMPTE bars, I420 at the scenario's size, 30 fps, in Matroska. */
static gchar *
encoded_stream (const BenchScenario * s, const BenchCodec * codec,
    gchar ** reason)
{
  GstElement *pipeline;
  GError *err = NULL;
  gchar *path, *desc, *file;

  if (!stream_dir && !(stream_dir = g_dir_make_tmp ("gst-alloc-bench-XXXXXX",
              &err))) {
    *reason = g_strdup_printf ("cannot make a temporary directory: %s",
        err->message);
    g_error_free (err);
    return NULL;
  }
  file = g_strdup_printf ("%s-%ux%u.mkv", codec->name, s->width, s->height);
  path = g_build_filename (stream_dir, file, NULL);
  g_free (file);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;
  desc = g_strdup_printf ("videotestsrc num-buffers=%u pattern=smpte "
      "horizontal-speed=4 ! video/x-raw,format=I420,width=%u,height=%u,"
      "framerate=30/1 ! %s ! matroskamux ! filesink location=\"%s\"",
      DECODE_FRAMES, s->width, s->height, codec->encoder, path);
  pipeline = gst_parse_launch (desc, &err);
  g_free (desc);
  if (!pipeline || !play_to_eos (pipeline, &err)) {
    *reason = g_strdup_printf ("cannot encode the %s stream: %s",
        codec->name, err ? err->message : "?");
    g_clear_error (&err);
    g_unlink (path);
    g_clear_pointer (&path, g_free);
  }
  if (pipeline) {
    gst_element_set_state (pipeline, GST_STATE_NULL);
    gst_object_unref (pipeline);
  }
  return path;
}

static const BenchCodec *
codec_named (const gchar * name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (codecs); i++)
    if (g_str_equal (codecs[i].name, name))
      return &codecs[i];
  g_assert_not_reached ();
  return NULL;
}

static gchar *
describe_decode (const BenchScenario * s, BenchVariant v, gchar ** reason)
{
  const BenchCodec *codec = codec_named (s->codec);
  gchar *encoder = g_strndup (codec->encoder, strcspn (codec->encoder, " "));
  const gchar *factories[] = { encoder, codec->decoder, "matroskamux",
    "matroskademux", NULL
  };
  GString *d;
  gchar *path = NULL;

  if (have_elements (factories, codec->package, reason))
    path = encoded_stream (s, codec, reason);
  g_free (encoder);
  if (!path)
    return NULL;
  d = g_string_new (NULL);
  g_string_append_printf (d, "filesrc location=\"%s\" ! matroskademux ! %s",
      path, codec->decoder);
  bench_append_branches (d, s, v);
  g_free (path);
  return g_string_free (d, FALSE);
}

static gchar *
describe_v4l2sink (const BenchScenario * s, BenchVariant v,
    const BenchVivid * vivid, guint frames)
{
  gboolean hint = v == BENCH_OURS && !s->default_io;

  return g_strdup_printf ("v4l2src device=%s%s num-buffers=%u ! "
      "video/x-raw,format=YUY2,width=%u,height=%u ! %s name=t "
      "t. ! " BENCH_QUEUE " ! v4l2sink name=out device=%s%s sync=false "
      "t. ! " BENCH_QUEUE " ! benchsink name=sink0", vivid->capture,
      hint ? " io-mode=dmabuf-import" : v == BENCH_FLOOR ? " io-mode=dmabuf" :
      "", frames, s->width, s->height, v == BENCH_OURS ? "alloctee" : "tee",
      vivid->output, hint || v == BENCH_FLOOR ? " io-mode=dmabuf-import" : "");
}

/* --- one run --- */

typedef struct
{
  guint64 frames;               /* entering the tee */
  gint64 first_wall, first_cpu; /* at the first of them */
} BenchClock;

static GstPadProbeReturn
count_frame (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  BenchClock *clock = user_data;

  if (clock->frames++ == 0) {
    clock->first_wall = g_get_monotonic_time ();
    clock->first_cpu = bench_cpu_time_us ();
  }
  return GST_PAD_PROBE_OK;
}

static gint v4l2sink_copies;
static GstDebugCategory *performance;   /* GST_PERFORMANCE */

/* v4l2sink's pool says "slow copy into buffer" (GST_PERFORMANCE, LOG) for
 * each frame it copies into its own buffers; the pool is named after the
 * element ("out:pool0:sink"). */
static void
count_v4l2sink_copy (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  if (level == GST_LEVEL_LOG && object && GST_IS_OBJECT (object)
      && category == performance
      && g_str_has_prefix (GST_OBJECT_NAME (object), "out:")
      && g_str_has_prefix (gst_debug_message_get (message), "slow copy"))
    g_atomic_int_inc (&v4l2sink_copies);
}

/* Counting needs GST_PERFORMANCE at LOG; without GST_DEBUG_FILE the
 * default log function would print those lines on stderr, so it is set
 * aside meanwhile (with a file it keeps writing there). */
static void
watch_v4l2sink_copies (gboolean watch)
{
  static GstDebugLevel saved;
  static gboolean removed;

  if (watch) {
    GST_DEBUG_CATEGORY_GET (performance, "GST_PERFORMANCE");
    g_atomic_int_set (&v4l2sink_copies, 0);
    saved = gst_debug_category_get_threshold (performance);
    removed = !g_getenv ("GST_DEBUG_FILE")
        && gst_debug_remove_log_function (gst_debug_log_default) > 0;
    gst_debug_add_log_function (count_v4l2sink_copy, NULL, NULL);
    gst_debug_category_set_threshold (performance, GST_LEVEL_LOG);
  } else {
    gst_debug_category_set_threshold (performance, saved);
    gst_debug_remove_log_function (count_v4l2sink_copy);
    if (removed)
      gst_debug_add_log_function (gst_debug_log_default, NULL, NULL);
    removed = FALSE;
  }
}

/* Bytes the benchsinks copied plus alloctee's converted branches. */
static guint64
consumers_bytes_copied (GstElement * pipeline)
{
  guint64 copied = bench_tee_bytes_copied (pipeline);
  BenchSinkStats st;
  GstIterator *it = gst_bin_iterate_elements (GST_BIN (pipeline));
  GValue item = G_VALUE_INIT;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    if (BENCH_IS_SINK (g_value_get_object (&item))) {
      bench_sink_get_stats (g_value_get_object (&item), &st);
      copied += st.bytes_copied;
    }
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  return copied;
}

static void
measure (GstElement * pipeline, const BenchScenario * s, BenchResult * r)
{
  GstElement *tee = gst_bin_get_by_name (GST_BIN (pipeline), "t");
  GstPad *pad = gst_element_get_static_pad (tee, "sink");
  BenchClock clock = { 0 };
  GError *err = NULL;
  gint64 t_play = g_get_monotonic_time (), t_end, cpu_end;
  guint64 copied;

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_frame, &clock, NULL);
  gst_object_unref (pad);
  gst_object_unref (tee);
  r->ok = play_to_eos (pipeline, &err);
  t_end = g_get_monotonic_time ();
  cpu_end = bench_cpu_time_us ();
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (!r->ok) {
    r->error = g_strdup (err ? err->message : "?");
    g_clear_error (&err);
    return;
  }
  copied = consumers_bytes_copied (pipeline) + (guint64)
      g_atomic_int_get (&v4l2sink_copies) * s->width * s->height * 2;
  r->frames = clock.frames;
  r->fps = clock.frames * (gdouble) G_USEC_PER_SEC / MAX (1,
      t_end - clock.first_wall);
  r->cpu_us_per_frame = (cpu_end - clock.first_cpu) / (gdouble) MAX (1,
      clock.frames);
  r->bytes_copied_per_frame = clock.frames ? (gdouble) copied / clock.frames :
      0;
  r->first_buffer_ms = (clock.first_wall - t_play) / 1000.0;
  r->allocation_unknown = TRUE;
}

static void
skip (BenchResult * r, gchar * reason)
{
  r->skipped = TRUE;
  r->error = reason;
}

void
bench_real_run (const BenchScenario * s, BenchVariant v, gdouble seconds,
    BenchResult * r)
{
  const gchar *factories[] = { "v4l2src", "v4l2sink", NULL };
  GstElement *pipeline;
  BenchVivid vivid = { 0 };
  GError *err = NULL;
  gchar *reason = NULL;

  r->ran = TRUE;
  if (s->kind == BENCH_DECODE) {
    r->pipeline = describe_decode (s, v, &reason);
  } else if (have_elements (factories, "gstreamer1.0-plugins-good", &reason)
      && bench_vivid_open (&vivid, &err)) {
    /* v4l2sink-*: YUY2, 2 bytes per pixel (counted copies times size). */
    r->pipeline = describe_v4l2sink (s, v, &vivid, MAX (CAMERA_MIN_FRAMES,
            (guint) (seconds * CAMERA_FPS)));
  } else if (err) {
    reason = g_strdup (err->message);
    g_error_free (err);
  }
  if (!r->pipeline) {
    skip (r, reason);
    return;
  }
  pipeline = gst_parse_launch (r->pipeline, &err);
  if (pipeline) {
    if (s->kind == BENCH_V4L2SINK)
      watch_v4l2sink_copies (TRUE);
    measure (pipeline, s, r);
    if (s->kind == BENCH_V4L2SINK)
      watch_v4l2sink_copies (FALSE);
    gst_object_unref (pipeline);
  } else {
    r->error = g_strdup (err->message);
    g_error_free (err);
  }
  bench_vivid_close (&vivid);
}
