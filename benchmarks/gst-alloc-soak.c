/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-alloc-soak: a million small frames through alloctee with four
 * branches (three sharing the tee's pool, one converted into a pool of its
 * own), as fast as they go. Every N buffers it samples the process's open
 * file descriptors, its resident memory and the buffers its pools have
 * allocated, prints them, and ends with a verdict: flat or not. A leak of
 * one buffer, one fd or a few bytes per frame shows as a line that climbs.
 * Not a test: nothing in it depends on speed, but it takes a minute. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <gst/alloc/alloc.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

/* What the branches ask: two alignments and memfd merge into the tee's
 * pool; system memory conflicts with memfd, so that branch gets copies
 * from its own pool. Small queues bound the buffers in flight. */
#define QUEUE "queue max-size-buffers=4 max-size-bytes=0 max-size-time=0"
#define PIPELINE \
  "videotestsrc num-buffers=%u ! " \
  "video/x-raw,format=GRAY8,width=64,height=64,framerate=30/1 ! " \
  "alloctee name=t " \
  "t. ! " QUEUE " ! allocchecksink name=b0 constraints=stride-align=64 " \
  "sync=false " \
  "t. ! " QUEUE " ! allocchecksink name=b1 constraints=height-align=16 " \
  "sync=false " \
  "t. ! " QUEUE " ! allocchecksink name=b2 constraints=memory=memfd " \
  "sync=false " \
  "t. ! " QUEUE " ! allocchecksink name=b3 constraints=memory=system " \
  "sync=false"
#define N_BRANCHES 4

typedef struct
{
  guint64 buffers;
  gdouble seconds;
  guint fds;
  guint64 rss_kib;
  guint64 pool_buffers;
  guint pools;
} Sample;

typedef struct
{
  guint every;
  guint leak_every;
  GPtrArray *leaked;            /* streaming thread of branch 0 only */
  gint64 start_us;
  guint64 buffers;              /* seen by branch 0, streaming thread only */
  GMutex lock;
  GArray *samples;              /* Sample, under lock */
  GHashTable *pools;            /* GstAllocPool seen, referenced; under lock */
} Soak;

static guint
count_fds (void)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  if (!dir)
    return 0;
  while (g_dir_read_name (dir))
    n++;
  g_dir_close (dir);
  /* Not the directory's own descriptor. */
  return n - 1;
}

static guint64
rss_kib (void)
{
  gchar *status = NULL, *line;
  guint64 kib = 0;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "\nVmRSS:");
  if (line)
    kib = g_ascii_strtoull (line + strlen ("\nVmRSS:"), NULL, 10);
  g_free (status);
  return kib;
}

/* Called with the lock held. */
static guint64
pool_buffers_locked (Soak * soak)
{
  GHashTableIter iter;
  gpointer pool;
  guint64 total = 0;

  g_hash_table_iter_init (&iter, soak->pools);
  while (g_hash_table_iter_next (&iter, &pool, NULL))
    total += gst_alloc_pool_get_buffers_allocated (pool);
  return total;
}

static void
take_sample (Soak * soak)
{
  Sample s;

  s.buffers = soak->buffers;
  s.seconds = (g_get_monotonic_time () - soak->start_us) / 1e6;
  s.fds = count_fds ();
  s.rss_kib = rss_kib ();
  g_mutex_lock (&soak->lock);
  s.pool_buffers = pool_buffers_locked (soak);
  s.pools = g_hash_table_size (soak->pools);
  g_array_append_val (soak->samples, s);
  g_mutex_unlock (&soak->lock);
  g_print ("%10" G_GUINT64_FORMAT " %9.1f %6u %10" G_GUINT64_FORMAT
      " %8" G_GUINT64_FORMAT " in %u\n", s.buffers, s.seconds, s.fds,
      s.rss_kib, s.pool_buffers, s.pools);
}

/* Remembers the GstAllocPool a buffer came from: the tee's, or the
 * converted branch's. */
static GstPadProbeReturn
note_pool (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Soak *soak = user_data;
  GstBufferPool *pool = GST_PAD_PROBE_INFO_BUFFER (info)->pool;

  if (pool && GST_IS_ALLOC_POOL (pool)) {
    g_mutex_lock (&soak->lock);
    if (!g_hash_table_contains (soak->pools, pool))
      g_hash_table_add (soak->pools, gst_object_ref (pool));
    g_mutex_unlock (&soak->lock);
  }
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
count_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Soak *soak = user_data;

  soak->buffers++;
  if (soak->leak_every && soak->buffers % soak->leak_every == 0)
    g_ptr_array_add (soak->leaked,
        gst_buffer_ref (GST_PAD_PROBE_INFO_BUFFER (info)));
  if (soak->buffers % soak->every == 0)
    take_sample (soak);
  return GST_PAD_PROBE_OK;
}

static void
add_probe (GstElement * pipeline, const gchar * element, const gchar * pad,
    GstPadProbeCallback callback, Soak * soak)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), element);
  GstPad *p = gst_element_get_static_pad (e, pad);

  gst_pad_add_probe (p, GST_PAD_PROBE_TYPE_BUFFER, callback, soak, NULL);
  gst_object_unref (p);
  gst_object_unref (e);
}

/* Runs to EOS; FALSE after printing the error. */
static gboolean
run (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GError *err = NULL;
  gboolean ok;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  ok = GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;
  if (!ok) {
    gst_message_parse_error (msg, &err, NULL);
    g_printerr ("gst-alloc-soak: error from %s: %s\n",
        GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), err->message);
    g_error_free (err);
  }
  gst_message_unref (msg);
  gst_object_unref (bus);
  return ok;
}

/* How each branch was served and what it received. */
static gboolean
report_branches (GstElement * pipeline, guint expected)
{
  GstElement *tee = gst_bin_get_by_name (GST_BIN (pipeline), "t");
  GstElement *sink;
  GstPad *pad;
  gchar name[8], *wants, *reason;
  guint64 received, violations;
  gboolean all = TRUE;
  guint i;

  for (i = 0; i < N_BRANCHES; i++) {
    g_snprintf (name, sizeof (name), "src_%u", i);
    pad = gst_element_get_static_pad (tee, name);
    g_snprintf (name, sizeof (name), "b%u", i);
    sink = gst_bin_get_by_name (GST_BIN (pipeline), name);
    g_object_get (sink, "buffers", &received, "violations", &violations, NULL);
    reason = NULL;
    if (pad)
      g_object_get (pad, "reason", &reason, NULL);
    g_object_get (sink, "constraints", &wants, NULL);
    g_print ("  %s %-22s %8" G_GUINT64_FORMAT " buffers, %" G_GUINT64_FORMAT
        " violations; %s\n", name, wants, received, violations,
        reason ? reason : "?");
    all = all && received == expected;
    g_free (wants);
    g_free (reason);
    gst_clear_object (&pad);
    gst_object_unref (sink);
  }
  gst_object_unref (tee);
  return all;
}

/* The growth of each measure from sample @from to the end. */
static void
growth (GArray * samples, guint from, guint * fds, guint64 * rss_kib,
    guint64 * pool_buffers)
{
  const Sample *base = &g_array_index (samples, Sample, from), *s;
  guint i;

  *fds = 0;
  *rss_kib = *pool_buffers = 0;
  for (i = from + 1; i < samples->len; i++) {
    s = &g_array_index (samples, Sample, i);
    *fds = MAX (*fds, s->fds > base->fds ? s->fds - base->fds : 0);
    *rss_kib = MAX (*rss_kib, s->rss_kib > base->rss_kib ?
        s->rss_kib - base->rss_kib : 0);
    *pool_buffers = MAX (*pool_buffers, s->pool_buffers - base->pool_buffers);
  }
}

/* Flat: a leak grows without end, a pool filling to its working set (it
 * grows whenever every buffer is out, which can first happen late) grows a
 * little and stops. So after the first sample fds and pool buffers may
 * grow by @slack and RSS by @rss_slack_kib; over the second half of the
 * run nothing may grow but RSS, by a quarter of @rss_slack_kib. */
static gboolean
verdict (GArray * samples, guint slack, guint64 rss_slack_kib)
{
  guint fds, late_fds, half;
  guint64 rss, late_rss, pool, late_pool;
  gboolean flat;

  if (samples->len < 4) {
    g_print ("verdict: too few samples (%u) to judge\n", samples->len);
    return FALSE;
  }
  half = samples->len / 2;
  growth (samples, 0, &fds, &rss, &pool);
  growth (samples, half - 1, &late_fds, &late_rss, &late_pool);
  flat = fds <= slack && pool <= slack && rss <= rss_slack_kib
      && late_fds == 0 && late_pool == 0 && late_rss <= rss_slack_kib / 4;
  g_print ("verdict: %s\n"
      "  after the first sample: fds +%u, pool buffers +%" G_GUINT64_FORMAT
      " (tolerance +%u each), RSS +%" G_GUINT64_FORMAT " KiB (tolerance +%"
      G_GUINT64_FORMAT ")\n"
      "  from sample %u on (the second half): fds +%u, pool buffers +%"
      G_GUINT64_FORMAT " (tolerance +0), RSS +%" G_GUINT64_FORMAT
      " KiB (tolerance +%" G_GUINT64_FORMAT ")\n", flat ? "FLAT" : "NOT FLAT",
      fds, pool, slack, rss, rss_slack_kib, half, late_fds, late_pool,
      late_rss, rss_slack_kib / 4);
  return flat;
}

typedef struct
{
  gint buffers, every, slack, rss_slack, leak_every;
} Options;

static gboolean
parse_options (int *argc, char ***argv, Options * o)
{
  GOptionEntry entries[] = {
    {"buffers", 'n', 0, G_OPTION_ARG_INT, &o->buffers,
        "Frames to push through the tee (1000000)", "N"},
    {"every", 'e', 0, G_OPTION_ARG_INT, &o->every,
        "Sample every N frames of branch 0 (100000)", "N"},
    {"tolerance", 0, 0, G_OPTION_ARG_INT, &o->slack,
        "File descriptors and pool buffers the process may gain after the "
          "first sample, none in the second half (8)", "N"},
    {"rss-tolerance", 0, 0, G_OPTION_ARG_INT, &o->rss_slack,
        "KiB of resident memory it may gain after the first sample, a "
          "quarter of it in the second half (4096)", "KIB"},
    {"leak-every", 0, 0, G_OPTION_ARG_INT, &o->leak_every,
        "Hold on to every Nth frame of branch 0 until the end, to see the "
          "verdict catch a leak (0: none)", "N"},
    {NULL}
  };
  GOptionContext *context = g_option_context_new ("- soak alloctee");
  GError *err = NULL;
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  ok = g_option_context_parse (context, argc, argv, &err) && o->buffers > 0
      && o->every > 0 && o->slack >= 0 && o->rss_slack >= 0
      && o->leak_every >= 0;
  if (!ok)
    g_printerr ("gst-alloc-soak: %s\n", err ? err->message :
        "counts must be positive, tolerances not negative");
  g_clear_error (&err);
  g_option_context_free (context);
  return ok;
}

static void
soak_init (Soak * soak, GstElement * pipeline, const Options * o)
{
  soak->every = o->every;
  soak->leak_every = o->leak_every;
  soak->leaked = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  soak->samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  soak->pools = g_hash_table_new_full (NULL, NULL, gst_object_unref, NULL);
  g_mutex_init (&soak->lock);
  add_probe (pipeline, "t", "sink", note_pool, soak);
  add_probe (pipeline, "b3", "sink", note_pool, soak);
  add_probe (pipeline, "b2", "sink", note_pool, soak);
  add_probe (pipeline, "b0", "sink", count_buffer, soak);
}

static void
soak_clear (Soak * soak)
{
  g_ptr_array_unref (soak->leaked);
  g_hash_table_unref (soak->pools);
  g_array_unref (soak->samples);
  g_mutex_clear (&soak->lock);
}

int
main (int argc, char **argv)
{
  Options o = { 1000000, 100000, 8, 4096, 0 };
  GError *err = NULL;
  GstElement *pipeline;
  gchar *description;
  Soak soak = { 0, };
  gboolean ok, all, flat;

  setlocale (LC_ALL, "");
  if (!parse_options (&argc, &argv, &o))
    return 2;
  gst_alloc_init ();

  description = g_strdup_printf (PIPELINE, o.buffers);
  pipeline = gst_parse_launch (description, &err);
  if (!pipeline || err) {
    g_printerr ("gst-alloc-soak: %s (is GST_PLUGIN_PATH_1_0 set to the "
        "build's gst/?)\n", err ? err->message : "no pipeline");
    return 2;
  }
  soak_init (&soak, pipeline, &o);

  g_print ("gst-alloc-soak: %d frames of GRAY8 64x64 through alloctee, 4 "
      "branches\n%s\n\n%10s %9s %6s %10s %8s\n", o.buffers, description,
      "buffers", "seconds", "fds", "RSS KiB", "pool buffers");
  soak.start_us = g_get_monotonic_time ();
  ok = run (pipeline);
  g_print ("\nbranches:\n");
  all = report_branches (pipeline, o.buffers);
  g_print ("every branch received all %d frames: %s\n", o.buffers,
      all ? "yes" : "NO");
  flat = verdict (soak.samples, o.slack, o.rss_slack);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  soak_clear (&soak);
  gst_object_unref (pipeline);
  g_free (description);
  return ok && all && flat ? 0 : 1;
}
