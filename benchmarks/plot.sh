#!/usr/bin/env bash
# Turns gst-alloc-bench's JSON into an SVG: CPU time per frame against the
# number of consumers (left) and against resolution at four consumers
# (right), ours, stock and the zero-copy floor, on a log scale.
#
#   benchmarks/plot.sh [RESULTS.json [OUT.svg]]
#
# Defaults: build/benchmarks/benchmarks-results.json -> docs/benchmark.svg.
# Needs gnuplot (Debian: gnuplot-nox, installed by scripts/setup) and python3.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
json=${1:-$root/build/benchmarks/benchmarks-results.json}
out=${2:-$root/docs/benchmark.svg}

command -v gnuplot >/dev/null ||
  { echo "plot.sh: gnuplot not found (apt-get install gnuplot-nox)" >&2; exit 1; }
[ -r "$json" ] || { echo "plot.sh: cannot read $json" >&2; exit 1; }

data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

# One file per (height, variant) for the N plot: "N cpu_us_per_frame";
# one file per variant for the resolution plot: "megapixels cpu label".
python3 - "$json" "$data" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))
out = sys.argv[2]
by_n, by_res = {}, {}
for s in results["scenarios"]:
    if s["kind"] != "multiplex":
        continue
    for variant, run in s["runs"].items():
        if not run.get("ok"):
            continue
        by_n.setdefault((s["height"], variant), []).append(
            (s["branches"], run["cpu_us_per_frame"]))
        if s["branches"] == 4:
            by_res.setdefault(variant, []).append(
                (s["width"] * s["height"] / 1e6, run["cpu_us_per_frame"],
                 "%sp" % s["height"]))
for (height, variant), rows in by_n.items():
    with open("%s/n-%d-%s.dat" % (out, height, variant), "w") as f:
        for n, cpu in sorted(rows):
            f.write("%d %.3f\n" % (n, cpu))
for variant, rows in by_res.items():
    with open("%s/res-%s.dat" % (out, variant), "w") as f:
        for mp, cpu, label in sorted(rows):
            f.write("%.3f %.3f %s\n" % (mp, cpu, label))
PY

plots=()
for h in 720 1080 2160; do
  for v in ours stock floor; do
    f="$data/n-$h-$v.dat"
    [ -s "$f" ] || continue
    case $v in ours) dt=1 ;; stock) dt=2 ;; *) dt=3 ;; esac
    case $h in 720) lc='#1b9e77' ;; 1080) lc='#d95f02' ;; *) lc='#7570b3' ;; esac
    plots+=("'$f' using 1:2 with linespoints dt $dt lc rgb '$lc' pt 7 title '${h}p $v'")
  done
done
res=()
for v in ours stock floor; do
  f="$data/res-$v.dat"
  [ -s "$f" ] || continue
  res+=("'$f' using 1:2:xtic(3) with linespoints pt 7 title '$v'")
done

join () { local IFS=,; echo "$*"; }

gnuplot <<GP
set terminal svg size 1100,480 font 'sans,11' background '#ffffff'
set output '$out'
set multiplot layout 1,2 title 'gst-alloc-bench: CPU time per frame, NV12 (log scale; lower is better)'
set logscale y
set grid
set key top left font ',9'
set ylabel 'CPU us per frame'
set xlabel 'constrained consumers (N)'
set logscale x 2
set xtics (1, 2, 4, 8, 16)
plot $(join "${plots[@]}")
unset logscale x
set xtics auto
set xlabel 'resolution, 4 consumers'
set xrange [0:*]
plot $(join "${res[@]}")
unset multiplot
GP
echo "plot.sh: wrote $out"
