/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The benchmark's table on stdout and its JSON file. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "bench.h"

static gdouble
ratio (gdouble a, gdouble b)
{
  return b > 0 ? a / b : 0;
}

static void
print_run (const BenchScenario * s, BenchVariant v)
{
  const BenchResult *r = &s->runs[v];

  if (!r->ran)
    return;
  if (!r->ok) {
    g_print ("%-26s %-6s %s: %s\n", s->name, bench_variant_name (v),
        r->skipped ? "skipped" : "failed", r->error ? r->error : "?");
    return;
  }
  g_print ("%-26s %-6s %9.1f %11.1f %13.0f ", s->name,
      bench_variant_name (v), r->fps, r->cpu_us_per_frame,
      r->bytes_copied_per_frame);
  if (r->allocation_unknown)
    g_print ("%10s", "n/a");
  else
    g_print ("%10.1f", r->bytes_allocated / 1048576.0);
  g_print (" %9.1f\n", r->first_buffer_ms);
}

void
bench_report_print (GPtrArray * scenarios)
{
  const BenchResult *ours, *stock, *floor_;
  BenchScenario *s;
  guint i, v;

  g_print ("%-26s %-6s %9s %11s %13s %10s %9s\n", "scenario", "run",
      "frames/s", "CPU us/fr", "copied B/fr", "alloc MiB", "1st ms");
  for (i = 0; i < scenarios->len; i++) {
    s = scenarios->pdata[i];
    for (v = 0; v < BENCH_N_VARIANTS; v++)
      print_run (s, v);
    ours = &s->runs[BENCH_OURS];
    stock = &s->runs[BENCH_STOCK];
    floor_ = &s->runs[BENCH_FLOOR];
    if (ours->ok && stock->ok)
      g_print ("%-26s ours/stock: throughput x%.2f, CPU per frame x%.3f, "
          "copied B/frame %.0f/%.0f%s", "", ratio (ours->fps, stock->fps),
          ratio (ours->cpu_us_per_frame, stock->cpu_us_per_frame),
          ours->bytes_copied_per_frame, stock->bytes_copied_per_frame,
          floor_->ok ? "" : "\n");
    if (ours->ok && floor_->ok)
      g_print ("; ours/floor CPU per frame x%.2f\n",
          ratio (ours->cpu_us_per_frame, floor_->cpu_us_per_frame));
  }
}

static void
append_run (GString * out, const BenchResult * r)
{
  gchar *escaped = g_strescape (r->ok ? r->pipeline : (r->error ? r->error :
          "?"), NULL);

  if (!r->ok) {
    g_string_append_printf (out, "{\"ok\": false, \"skipped\": %s, "
        "\"error\": \"%s\"}", r->skipped ? "true" : "false", escaped);
    g_free (escaped);
    return;
  }
  g_string_append_printf (out, "{\"ok\": true, \"frames\": %" G_GUINT64_FORMAT
      ", \"fps\": %.2f, \"cpu_us_per_frame\": %.2f, "
      "\"bytes_copied_per_frame\": %.0f, ", r->frames, r->fps,
      r->cpu_us_per_frame, r->bytes_copied_per_frame);
  if (r->allocation_unknown)
    g_string_append (out, "\"bytes_allocated\": null, ");
  else
    g_string_append_printf (out, "\"bytes_allocated\": %" G_GUINT64_FORMAT
        ", ", r->bytes_allocated);
  g_string_append_printf (out, "\"first_buffer_ms\": %.2f, "
      "\"pipeline\": \"%s\"}", r->first_buffer_ms, escaped);
  g_free (escaped);
}

/* Numbers are written with '.' whatever the locale. */
static gchar *
json_number (gdouble value)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof (buf), "%.4f", value));
}

gboolean
bench_report_write_json (GPtrArray * scenarios, gdouble seconds,
    guint repeat, const gchar * path, GError ** error)
{
  GString *out = g_string_new ("{\n");
  const BenchResult *ours, *stock;
  BenchScenario *s;
  gboolean ok, first;
  gchar *num;
  guint i, v;

  num = json_number (seconds);
  g_string_append_printf (out, "  \"seconds_per_run\": %s,\n"
      "  \"repeat\": %u,\n  \"cpus\": %u,\n  \"scenarios\": [\n", num,
      repeat, g_get_num_processors ());
  g_free (num);
  for (i = 0; i < scenarios->len; i++) {
    s = scenarios->pdata[i];
    g_string_append_printf (out, "    {\"name\": \"%s\", \"kind\": \"%s\", "
        "\"width\": %u, \"height\": %u, \"branches\": %u, \"runs\": {",
        s->name, bench_kind_name (s->kind), s->width, s->height, s->branches);
    first = TRUE;
    for (v = 0; v < BENCH_N_VARIANTS; v++) {
      if (!s->runs[v].ran)
        continue;
      g_string_append_printf (out, "%s\n      \"%s\": ", first ? "" : ",",
          bench_variant_name (v));
      append_run (out, &s->runs[v]);
      first = FALSE;
    }
    ours = &s->runs[BENCH_OURS];
    stock = &s->runs[BENCH_STOCK];
    num = json_number (ours->ok && stock->ok ? ratio (ours->fps,
            stock->fps) : 0);
    g_string_append_printf (out, "},\n      \"throughput_ours_over_stock\": "
        "%s", num);
    g_free (num);
    num = json_number (ours->ok && stock->ok ?
        ratio (ours->cpu_us_per_frame, stock->cpu_us_per_frame) : 0);
    g_string_append_printf (out, ", \"cpu_per_frame_ours_over_stock\": %s}%s\n",
        num, i + 1 < scenarios->len ? "," : "");
    g_free (num);
  }
  g_string_append (out, "  ]\n}\n");
  ok = g_file_set_contents (path, out->str, out->len, error);
  g_string_free (out, TRUE);
  return ok;
}
