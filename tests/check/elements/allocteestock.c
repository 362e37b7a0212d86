/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* alloctee with the stock elements people put in pipelines: a
 * frame-holding encoder at its default settings, playbin, software
 * decoders writing into the shared pool, consumers that read no
 * GstVideoMeta (filesink, appsink) getting exactly what stock tee gives
 * them, a producer that ignores the pool with copies forbidden, videorate,
 * and decodebin with a sink that takes one format only.
 *
 * A test whose stock element is not installed skips and says which. */

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>
#include <gst/app/app.h>
#include <glib/gstdio.h>

#include <string.h>

#include "pipeline.h"

/* alloctee's GstAllocTeeBranchMode value for a converted branch. */
#define GST_ALLOC_TEE_BRANCH_MODE_CONVERTED 1

#define QUEUE "queue max-size-time=5000000000 max-size-bytes=0 " \
  "max-size-buffers=0"

static gchar *media_dir;

/* Skips the test unless every element is installed. */
static gboolean
have (const gchar * const *factories)
{
  GstElementFactory *f;

  for (; *factories; factories++) {
    if (!(f = gst_element_factory_find (*factories))) {
      g_print ("SKIP: %s is not installed\n", *factories);
      return FALSE;
    }
    gst_object_unref (f);
  }
  return TRUE;
}

/* A short clip made with the stock encoder and muxer named in @tail. */
static gchar *
make_clip (const gchar * name, const gchar * tail)
{
  gchar *path = g_build_filename (media_dir, name, NULL);
  gchar *desc;
  GstElement *pipeline;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;
  desc = g_strdup_printf ("videotestsrc num-buffers=40 ! video/x-raw,"
      "format=I420,width=320,height=240,framerate=30/1 ! %s ! filesink "
      "location=%s", tail, path);
  pipeline = test_launch (desc);
  fail_unless (test_run (pipeline, NULL) == NULL, "cannot make %s", name);
  gst_object_unref (pipeline);
  g_free (desc);
  return path;
}

/* x264enc's look-ahead holds dozens of frames: with stock tee the source's
 * own pool grows; the shared pool must grow too, not hang. */
GST_START_TEST (test_frame_holding_encoder_reaches_eos)
{
  const gchar *needs[] = { "x264enc", NULL };
  GstElement *pipeline;

  if (!have (needs))
    return;
  pipeline = test_launch ("videotestsrc num-buffers=90 ! video/x-raw,"
      "format=I420,width=640,height=360,framerate=30/1 ! alloctee name=t "
      "t. ! " QUEUE " ! x264enc ! fakesink t. ! " QUEUE " ! fakesink");
  fail_unless (test_run (pipeline, NULL) == NULL);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_0", "copies"),
      0);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_1", "copies"),
      0);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_frame_holding_encoder_reaches_eos_live)
{
  const gchar *needs[] = { "x264enc", NULL };
  GstElement *pipeline;

  if (!have (needs))
    return;
  pipeline = test_launch ("videotestsrc is-live=true num-buffers=60 ! "
      "video/x-raw,format=I420,width=640,height=360,framerate=30/1 ! "
      "alloctee name=t t. ! " QUEUE " ! x264enc ! fakesink t. ! " QUEUE
      " ! fakesink");
  fail_unless (test_run (pipeline, NULL) == NULL);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* A slow branch (100 ms a frame, three frame periods) behind an unlimited
 * queue holds every buffer the budget allows (the sinks do not preroll,
 * so that the fast branch never waits for the slow one to hold buffers): the source waits, and the tee says which branch holds them
 * rather than wait in silence; once the branch catches up, the stream
 * goes on to its end. (An encoder whose declared minimum exceeds the
 * budget is refused at negotiation instead, with the numbers.) */
GST_START_TEST (test_exhausted_budget_names_the_branch_holding_buffers)
{
  GstElement *pipeline;
  GstBus *bus;
  GstMessage *msg;
  GError *err = NULL;

  /* 640x360 I420 frames are 345600 bytes: room for 8. */
  pipeline = test_launch ("videotestsrc num-buffers=20 ! video/x-raw,"
      "format=I420,width=640,height=360,framerate=30/1 ! alloctee name=t "
      "pool-budget=2900000 t. ! queue ! fakesink sync=false async=false t. ! "
      QUEUE " ! identity sleep-time=100000 ! fakesink async=false");
  bus = gst_element_get_bus (pipeline);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_WARNING | GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  fail_unless (msg != NULL, "silent: no warning in a minute");
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_WARNING);
  gst_message_parse_warning (msg, &err, NULL);
  fail_unless (strstr (err->message, "src_1") != NULL, "%s", err->message);
  fail_unless (strstr (err->message, "budget") != NULL, "%s", err->message);
  g_error_free (err);
  gst_message_unref (msg);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  fail_unless (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_playbin_with_an_alloctee_video_sink)
{
  const gchar *needs[] = { "x264enc", "mp4mux", "qtdemux", "avdec_h264",
    NULL
  };
  GstElement *playbin, *sink;
  gchar *clip, *uri;
  GError *err = NULL;

  if (!have (needs))
    return;
  clip = make_clip ("h264.mp4", "x264enc ! mp4mux");
  uri = gst_filename_to_uri (clip, NULL);
  sink = gst_parse_bin_from_description ("alloctee name=t t. ! " QUEUE
      " ! x264enc ! fakesink t. ! " QUEUE " ! fakesink", TRUE, &err);
  fail_unless (sink != NULL, "%s", err ? err->message : "");
  playbin = gst_element_factory_make ("playbin", NULL);
  g_object_set (playbin, "uri", uri, "video-sink", sink, "audio-sink",
      gst_element_factory_make ("fakesink", NULL), NULL);
  fail_unless (test_run (playbin, NULL) == NULL);
  gst_object_unref (playbin);
  g_free (uri);
  g_free (clip);
}

GST_END_TEST;

typedef struct
{
  guint frames;
  guint shared_memory;
} PoolSeen;

/* The decoder's frames are on the shared pool's memory (memfd or dma-buf,
 * as branch b asks; the decoders' own pools give system memory): in that
 * pool's buffers, or, with gst-libav's direct rendering, in buffers of the
 * decoder's own that wrap that memory. */
static GstPadProbeReturn
note_pool (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  PoolSeen *seen = data;
  GstMemory *mem = gst_buffer_peek_memory (GST_PAD_PROBE_INFO_BUFFER (info),
      0);

  seen->frames++;
  if (gst_alloc_memory_get_kind (mem) != GST_ALLOC_MEMORY_SYSTEM)
    seen->shared_memory++;
  return GST_PAD_PROBE_OK;
}

/* A decoder writes into the pool alloctee offers, so that branches with
 * needs of their own get its frames without a copy. */
static void
decode_into_the_shared_pool (const gchar * clip_tail, const gchar * demux,
    const gchar * decoder)
{
  gchar *clip = make_clip (decoder, clip_tail), *desc;
  GstElement *pipeline, *dec;
  PoolSeen seen = { 0, };
  GstPad *pad;

  desc = g_strdup_printf ("filesrc location=%s ! %s ! %s name=dec ! "
      "alloctee name=t t. ! queue ! allocchecksink name=a sync=false "
      "constraints=stride-align=64,height-align=16 t. ! queue ! "
      "allocchecksink name=b sync=false constraints=memory=memfd|dmabuf",
      clip, demux, decoder);
  pipeline = test_launch (desc);
  dec = gst_bin_get_by_name (GST_BIN (pipeline), "dec");
  pad = gst_element_get_static_pad (dec, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, note_pool, &seen, NULL);
  fail_unless (test_run (pipeline, NULL) == NULL);
  fail_unless_equals_int (seen.frames, 40);
  fail_unless_equals_int (seen.shared_memory, seen.frames);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_0", "copies"),
      0);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline, "src_1", "copies"),
      0);
  fail_unless_equals_uint64 (test_element_uint64 (pipeline, "a", "violations"),
      0);
  fail_unless_equals_uint64 (test_element_uint64 (pipeline, "b", "violations"),
      0);
  gst_object_unref (pad);
  gst_object_unref (dec);
  gst_object_unref (pipeline);
  g_free (desc);
  g_free (clip);
}

GST_START_TEST (test_avdec_h264_decodes_into_the_shared_pool)
{
  const gchar *needs[] = { "x264enc", "mp4mux", "qtdemux", "avdec_h264",
    NULL
  };

  if (have (needs))
    decode_into_the_shared_pool ("x264enc ! mp4mux", "qtdemux", "avdec_h264");
}

GST_END_TEST;

GST_START_TEST (test_vp8dec_decodes_into_the_shared_pool)
{
  const gchar *needs[] = { "vp8enc", "webmmux", "matroskademux", "vp8dec",
    NULL
  };

  if (have (needs))
    decode_into_the_shared_pool ("vp8enc ! webmmux", "matroskademux", "vp8dec");
}

GST_END_TEST;

/* --- consumers that read no GstVideoMeta --- */

#define TIGHT_CAPS "video/x-raw,format=NV12,width=1000,height=100," \
  "framerate=30/1"
#define TIGHT_FRAMES 10

static gchar *
checksum_file (const gchar * path, gsize * length)
{
  gchar *contents, *sum;

  fail_unless (g_file_get_contents (path, &contents, length, NULL));
  sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents,
      *length);
  g_free (contents);
  return sum;
}

/* Runs the padded branch beside a filesink branch through @tee and returns
 * the checksum of what the file got. */
static gchar *
filesink_branch (const gchar * tee, gsize * length)
{
  gchar *path = g_build_filename (media_dir, "frames.nv12", NULL);
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=%d pattern=ball ! "
      TIGHT_CAPS " ! %s name=t t. ! queue ! allocchecksink sync=false "
      "constraints=stride-align=256,padding-top=4 t. ! queue ! filesink "
      "location=%s", TIGHT_FRAMES, tee, path);
  GstElement *pipeline = test_launch (desc);
  gchar *sum;

  fail_unless (test_run (pipeline, NULL) == NULL);
  gst_object_unref (pipeline);
  sum = checksum_file (path, length);
  g_unlink (path);
  g_free (path);
  g_free (desc);
  return sum;
}

GST_START_TEST (test_filesink_branch_gets_what_stock_tee_gives)
{
  gsize ours_length, stock_length;
  gchar *ours = filesink_branch ("alloctee", &ours_length);
  gchar *stock = filesink_branch ("tee", &stock_length);

  /* NV12 1000x100: 150000 bytes a frame, tightly packed. */
  fail_unless_equals_int (stock_length, TIGHT_FRAMES * 150000);
  fail_unless_equals_int (ours_length, stock_length);
  fail_unless_equals_string (ours, stock);
  g_free (ours);
  g_free (stock);
}

GST_END_TEST;

/* An application that maps the whole buffer, as one that knows nothing of
 * GstVideoMeta does. */
static gchar *
appsink_branch (const gchar * tee)
{
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=%d pattern=ball ! "
      TIGHT_CAPS " ! %s name=t t. ! queue ! allocchecksink sync=false "
      "constraints=stride-align=256,padding-top=4 t. ! queue ! appsink "
      "name=app sync=false", TIGHT_FRAMES, tee);
  GstElement *pipeline = test_launch (desc);
  GstElement *app = gst_bin_get_by_name (GST_BIN (pipeline), "app");
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  GstSample *sample;
  GstMapInfo map;
  gchar *result;
  guint frames = 0;

  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (app),
              30 * GST_SECOND))) {
    fail_unless (gst_buffer_map (gst_sample_get_buffer (sample), &map,
            GST_MAP_READ));
    fail_unless_equals_int (map.size, 150000);
    g_checksum_update (sum, map.data, map.size);
    gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
    gst_sample_unref (sample);
    frames++;
  }
  fail_unless_equals_int (frames, TIGHT_FRAMES);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  result = g_strdup (g_checksum_get_string (sum));
  g_checksum_free (sum);
  gst_object_unref (app);
  gst_object_unref (pipeline);
  g_free (desc);
  return result;
}

GST_START_TEST (test_appsink_branch_reads_what_stock_tee_gives)
{
  gchar *ours = appsink_branch ("alloctee");
  gchar *stock = appsink_branch ("tee");

  fail_unless_equals_string (ours, stock);
  g_free (ours);
  g_free (stock);
}

GST_END_TEST;

/* --- a producer that ignores the pool, with copies forbidden --- */

static void
push_own_frames (GstElement * appsrc)
{
  GstVideoInfo info;
  GstBuffer *buffer;
  guint i;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_NV12, 1000, 100);
  for (i = 0; i < 5; i++) {
    /* Plain system memory of the default layout: not the tee's. */
    buffer = gst_buffer_new_allocate (NULL, info.size, NULL);
    gst_buffer_memset (buffer, 0, 0x80, info.size);
    GST_BUFFER_PTS (buffer) = i * GST_SECOND / 30;
    gst_app_src_push_buffer (GST_APP_SRC (appsrc), buffer);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (appsrc));
}

GST_START_TEST (test_copies_forbidden_with_a_producer_ignoring_the_pool)
{
  GstElement *pipeline = test_launch ("appsrc name=src format=time caps="
      TIGHT_CAPS " ! alloctee name=t allow-copies=false t. ! queue ! "
      "allocchecksink sync=false constraints=stride-align=256");
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  const gchar *words[] = { "src_0", "allow-copies", "src did not use the "
        "offered pool", "stride-align", NULL
  };
  GstMessage *error;

  push_own_frames (src);
  error = test_run (pipeline, NULL);
  fail_unless (error != NULL, "no error with copies forbidden");
  test_assert_error_mentions (error, words);
  gst_object_unref (src);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* videorate repeats frames by keeping shallow copies: their buffers come
 * back to the pool while the copies still hold the memory. Stock
 * GstBufferPool discards such a buffer and the next acquire allocates
 * anew (65 allocations for 150 frames were seen); the pool must keep it
 * and recycle it once the copies are gone: no memory of the pool is freed
 * while the stream runs. (How far the pool grows depends on how far the
 * consumers fall behind; that is not the point here.) */
typedef struct
{
  GHashTable *memories;
  gint frames;
  gint freed_while_streaming;
} MemorySeen;

static void
memory_freed (gpointer data, GstMiniObject * mem)
{
  MemorySeen *seen = data;

  if (g_atomic_int_get (&seen->frames) < 150)
    g_atomic_int_inc (&seen->freed_while_streaming);
}

static GstPadProbeReturn
note_memory (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  MemorySeen *seen = data;
  GstMemory *mem = gst_buffer_peek_memory (GST_PAD_PROBE_INFO_BUFFER (info),
      0);

  g_atomic_int_inc (&seen->frames);
  if (g_hash_table_add (seen->memories, mem))
    gst_mini_object_weak_ref (GST_MINI_OBJECT (mem), memory_freed, seen);
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_videorate_branch_does_not_make_the_pool_allocate)
{
  GstElement *pipeline = test_launch ("videotestsrc name=src num-buffers=150 "
      "! video/x-raw,format=NV12,width=320,height=240,framerate=30/1 ! "
      "alloctee name=t t. ! queue ! videorate ! video/x-raw,framerate=45/1 ! "
      "fakesink t. ! queue ! allocchecksink sync=false "
      "constraints=stride-align=64");
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstPad *pad = gst_element_get_static_pad (src, "src");
  MemorySeen seen = { g_hash_table_new (NULL, NULL), 0, 0 };

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, note_memory, &seen, NULL);
  fail_unless (test_run (pipeline, NULL) == NULL);
  GST_INFO ("%u allocations for %d frames, %d memories freed while "
      "streaming", g_hash_table_size (seen.memories), seen.frames,
      seen.freed_while_streaming);
  fail_unless_equals_int (seen.frames, 150);
  fail_unless_equals_int (seen.freed_while_streaming, 0);
  gst_object_unref (pad);
  gst_object_unref (src);
  gst_object_unref (pipeline);
  g_hash_table_unref (seen.memories);
}

GST_END_TEST;

/* A sink that takes one format and has no converter in front of it (as
 * ximagesink), linked first or second: the stream keeps the decoder's
 * format and only that branch is converted, whatever the pad order. */
static void
decodebin_with_single_format_sink (gboolean sink_first)
{
  const gchar *bgrx = "t. ! queue ! appsink name=bgrx sync=false "
      "wait-on-eos=false max-buffers=1 drop=true "
      "caps=video/x-raw,format=BGRx ";
  const gchar *other = "t. ! queue ! fakesink ";
  gchar *clip = make_clip ("h264.mp4", "x264enc ! mp4mux"), *desc;
  GstElement *pipeline;
  gint mode;

  desc = g_strdup_printf ("filesrc location=%s ! decodebin ! alloctee name=t "
      "%s %s", clip, sink_first ? bgrx : other, sink_first ? other : bgrx);
  pipeline = test_launch (desc);
  fail_unless (test_run (pipeline, NULL) == NULL);
  g_object_get (test_element_pad (pipeline, "t", sink_first ? "src_0" :
          "src_1"), "mode", &mode, NULL);
  fail_unless_equals_int (mode, GST_ALLOC_TEE_BRANCH_MODE_CONVERTED);
  fail_unless_equals_uint64 (test_branch_uint64 (pipeline,
          sink_first ? "src_0" : "src_1", "copies"), 40);
  gst_object_unref (pipeline);
  g_free (desc);
  g_free (clip);
}

GST_START_TEST (test_decodebin_with_a_single_format_sink_first)
{
  const gchar *needs[] = { "x264enc", "mp4mux", "qtdemux", "avdec_h264",
    NULL
  };

  if (!have (needs))
    return;
  decodebin_with_single_format_sink (TRUE);
  decodebin_with_single_format_sink (FALSE);
}

GST_END_TEST;

static void
make_media_dir (void)
{
  media_dir = g_dir_make_tmp ("allocteestock-XXXXXX", NULL);
  fail_unless (media_dir != NULL);
}

static void
remove_media_dir (void)
{
  GDir *dir = g_dir_open (media_dir, 0, NULL);
  const gchar *name;
  gchar *path;

  while (dir && (name = g_dir_read_name (dir))) {
    path = g_build_filename (media_dir, name, NULL);
    g_unlink (path);
    g_free (path);
  }
  if (dir)
    g_dir_close (dir);
  g_rmdir (media_dir);
  g_clear_pointer (&media_dir, g_free);
}

static Suite *
allocteestock_suite (void)
{
  Suite *s = suite_create ("alloctee-stock");
  TCase *holders = tcase_create ("frame-holders");
  TCase *decoders = tcase_create ("decoders");
  TCase *layout = tcase_create ("default-layout");
  TCase *producers = tcase_create ("producers");

  tcase_set_timeout (holders, 120);
  tcase_set_timeout (decoders, 120);
  tcase_add_unchecked_fixture (holders, make_media_dir, remove_media_dir);
  tcase_add_unchecked_fixture (decoders, make_media_dir, remove_media_dir);
  tcase_add_unchecked_fixture (layout, make_media_dir, remove_media_dir);

  suite_add_tcase (s, holders);
  tcase_add_test (holders, test_frame_holding_encoder_reaches_eos);
  tcase_add_test (holders, test_frame_holding_encoder_reaches_eos_live);
  tcase_add_test (holders,
      test_exhausted_budget_names_the_branch_holding_buffers);
  tcase_add_test (holders, test_playbin_with_an_alloctee_video_sink);

  suite_add_tcase (s, decoders);
  tcase_add_test (decoders, test_avdec_h264_decodes_into_the_shared_pool);
  tcase_add_test (decoders, test_vp8dec_decodes_into_the_shared_pool);
  tcase_add_test (decoders, test_decodebin_with_a_single_format_sink_first);

  suite_add_tcase (s, layout);
  tcase_add_test (layout, test_filesink_branch_gets_what_stock_tee_gives);
  tcase_add_test (layout, test_appsink_branch_reads_what_stock_tee_gives);

  suite_add_tcase (s, producers);
  tcase_add_test (producers,
      test_copies_forbidden_with_a_producer_ignoring_the_pool);
  tcase_add_test (producers,
      test_videorate_branch_does_not_make_the_pool_allocate);
  return s;
}

GST_CHECK_MAIN (allocteestock);
