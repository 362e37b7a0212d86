/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-alloc-bench: every scenario of issue 5 with the model source and
 * sink, and those of issue 8 with real stock elements (software decoders,
 * v4l2sink on vivid), once with our elements and once with stock ones
 * (plus the zero-copy floor where it applies), in one process. Prints a
 * table, writes JSON. Not a test: nothing is asserted. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "bench.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

static int
compare_cpu (const void *a, const void *b)
{
  const BenchResult *ra = a, *rb = b;

  /* Failed runs last, so the median is taken over runs that finished. */
  if (ra->ok != rb->ok)
    return ra->ok ? -1 : 1;
  return (ra->cpu_us_per_frame > rb->cpu_us_per_frame) -
      (ra->cpu_us_per_frame < rb->cpu_us_per_frame);
}

/* Runs @v of @s @repeat times and keeps the run of median CPU per frame:
 * a frame costs microseconds, so one run is at the mercy of the scheduler. */
static void
run_median (BenchScenario * s, BenchVariant v, gdouble seconds, guint repeat)
{
  BenchResult *runs = g_new0 (BenchResult, repeat);
  guint i, ok = 0;

  for (i = 0; i < repeat; i++) {
    bench_scenario_run (s, v, seconds, &runs[i]);
    ok += runs[i].ok;
    /* What is missing here stays missing. */
    if (runs[i].skipped) {
      repeat = i + 1;
      break;
    }
  }
  qsort (runs, repeat, sizeof (BenchResult), compare_cpu);
  i = ok ? (ok - 1) / 2 : 0;
  s->runs[v] = runs[i];
  memset (&runs[i], 0, sizeof (BenchResult));
  for (i = 0; i < repeat; i++)
    bench_result_clear (&runs[i]);
  g_free (runs);
}

int
main (int argc, char **argv)
{
  gchar *json = NULL, *only = NULL;
  gdouble seconds = 0.5;
  gint repeat = 3;
  GOptionEntry entries[] = {
    {"json", 'j', 0, G_OPTION_ARG_FILENAME, &json,
        "Write results to FILE (benchmarks-results.json)", "FILE"},
    {"seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds,
        "Time each run for about S seconds after its first frame (0.5)", "S"},
    {"repeat", 'r', 0, G_OPTION_ARG_INT, &repeat,
        "Run each variant N times and keep the median (3)", "N"},
    {"only", 'o', 0, G_OPTION_ARG_STRING, &only,
        "Run only scenarios whose name contains TEXT", "TEXT"},
    {NULL},
  };
  GOptionContext *ctx = g_option_context_new ("- gst-alloc against stock "
      "GStreamer");
  GError *err = NULL;
  GPtrArray *scenarios;
  BenchScenario *s;
  guint i, v;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("gst-alloc-bench: %s\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);
  if (repeat < 1 || seconds <= 0) {
    g_printerr ("gst-alloc-bench: --repeat must be at least 1 and --seconds "
        "positive\n");
    return 2;
  }
  gst_alloc_init ();
  bench_register_elements ();
  if (!json)
    json = g_strdup ("benchmarks-results.json");

  scenarios = bench_scenarios_new ();
  for (i = 0; i < scenarios->len; i++) {
    s = scenarios->pdata[i];
    if (only && !strstr (s->name, only)) {
      g_ptr_array_remove_index (scenarios, i--);
      continue;
    }
    for (v = 0; v < BENCH_N_VARIANTS; v++) {
      if (!bench_scenario_has_variant (s, v))
        continue;
      g_printerr ("running %s (%s)\n", s->name, bench_variant_name (v));
      run_median (s, v, seconds, repeat);
    }
  }
  bench_report_print (scenarios);
  if (!bench_report_write_json (scenarios, seconds, repeat, json, &err)) {
    g_printerr ("gst-alloc-bench: cannot write %s: %s\n", json, err->message);
    bench_real_cleanup ();
    return 1;
  }
  g_print ("results: %s\n", json);
  g_ptr_array_free (scenarios, TRUE);
  bench_real_cleanup ();
  g_free (json);
  g_free (only);
  return 0;
}
