#!/usr/bin/env python3
"""Cross-process PipeWire benchmark: one producer, 1, 2 and 4 consumer
processes, 1080p and 4K NV12 at 30 fps, allocpwsink against stock
pipewiresink in the same run. Runs inside tests/pipewire/pw-session, as
scripts/bench does.

The producer is benchsrc (a camera that never draws) whose frames are in
buffers padded to 256-byte rows: with stock pipewiresink they come from a
pool of their own (allocfilter), as a camera's own buffers do, and the sink
copies each one into its PipeWire buffers; allocpwsink is given the same
need (constraints=stride-align=256) and the source writes into the
published buffers. The consumers are pw_stream processes that take every
frame and touch no pixel, so what differs is the cost of getting frames to
them. CPU per frame is the CPU time (every thread: producer, consumers,
the pipewire daemon and wireplumber) over a window in which every consumer
receives frames, from one second after the last one joined, divided by
the frames the first consumer received there; PW_BENCH_BREAKDOWN=1 prints
it per process and thread, PW_BENCH_ONLY=4K/4 runs one case. Nothing is
asserted: this is a measurement."""

import argparse
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "pipewire"))
from pwtest import Proc, wait_node  # noqa: E402

SIZES = {"1080p": (1920, 1080), "4K": (3840, 2160)}
COUNTS = (1, 2, 4)
SETTLE_SECONDS = 1.0
SINKS = {
    "stock": "allocfilter constraints=stride-align=256 ! pipewiresink "
             "name=sink sync=true mode=provide stream-properties=p,"
             "media.class=Video/Source,node.name=bench",
    "ours": "allocpwsink name=sink sync=true node-name=bench "
            "constraints=stride-align=256",
}


def thread_cpu_ns(pid):
    """CPU time of each thread of @pid so far (ns), from schedstat, keyed
    by (thread id, thread name)."""
    times = {}
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return times
    for tid in tasks:
        try:
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                name = f.read().strip()
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                times[(tid, name)] = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return times


def spent_ns(before, after):
    """CPU time each thread alive at the end spent in the window (ns). A
    thread that ended inside it is left out: schedstat is gone with it."""
    return {key: ns - before.get(key, 0) for key, ns in after.items()}


def print_breakdown(label, roles, spent, frames):
    """Each process's CPU per frame, and its threads' (PW_BENCH_BREAKDOWN):
    where a variant spends what the total shows."""
    lines = []
    for role, threads in zip(roles, spent):
        shares = ["%s %.0f" % (key[1], ns / 1000.0 / frames)
                  for key, ns in sorted(threads.items())
                  if ns / 1000.0 / frames >= 1]
        lines.append("  %-12s %6.0f  (%s)" % (
            role, sum(threads.values()) / 1000.0 / frames, ", ".join(shares)))
    print("%s, us per frame:\n%s" % (label, "\n".join(lines)),
          file=sys.stderr)


def run(build, env, variant, size, count, seconds):
    width, height = SIZES[size]
    caps = ("video/x-raw,format=NV12,width=%d,height=%d,framerate=30/1"
            % (width, height))
    result = {"variant": variant, "size": size, "consumers": count}
    # pipewiresink 0.3.65 sometimes breaks on its first frame and renders
    # no second one: such a start is retried.
    for attempt in range(3):
        producer = Proc("producer", [os.path.join(build, "benchmarks",
                                                  "pw-producer"),
                                     caps, str(seconds + 30)]
                        + SINKS[variant].split(), env)
        if wait_node("bench") is not None and producer.wait_line(
                "^second-frame", 15):
            break
        producer.stop()
        print("%s did not render a second frame, starting it again"
              % variant, file=sys.stderr)
    else:
        result["error"] = "the producer did not start: " + producer.text()
        return result
    consumers = []
    for i in range(count):
        consumers.append(Proc("c%d" % i, [
            os.path.join(build, "tests", "pipewire", "pw-consumer"),
            "--name", "c%d" % i, "--target", "bench", "--size",
            "%dx%d" % (width, height)], env))
        consumers[-1].wait_line(r"^frame \d+", 60)
    # The session manager and the daemon react to every new link for a
    # while (up to tens of ms of CPU, more with more nodes): a cost per
    # consumer joining, not per frame, kept out of the window.
    time.sleep(SETTLE_SECONDS)
    roles = ["producer"] + ["consumer c%d" % i for i in range(count)]
    pids = [producer.pid] + [c.pid for c in consumers]
    for role, key in (("pipewire", "PW_SESSION_PIPEWIRE_PID"),
                      ("wireplumber", "PW_SESSION_WIREPLUMBER_PID")):
        if os.environ.get(key):
            roles.append(role)
            pids.append(int(os.environ[key]))
    frames0 = consumers[0].count(r"^frame ")
    before = [thread_cpu_ns(p) for p in pids]
    time.sleep(seconds)
    after = [thread_cpu_ns(p) for p in pids]
    frames1 = consumers[0].count(r"^frame ")
    spent = [spent_ns(b, a) for b, a in zip(before, after)]
    cpu_window = sum(sum(t.values()) for t in spent)
    if os.environ.get("PW_BENCH_BREAKDOWN"):
        print_breakdown("%s %s %d" % (variant, size, count), roles, spent,
                        max(frames1 - frames0, 1))
    for c in consumers:
        c.stop()
    producer.stop()
    facts = dict(re.findall(r"^(frames|foreign|bytes-copied) (\d+)$",
                            producer.text(), re.M))
    frames = frames1 - frames0
    pushed = int(facts.get("frames", 0))
    foreign = int(facts.get("foreign", 0))
    frame_bytes = width * height * 3 // 2
    if variant == "ours":
        copied = int(facts.get("bytes-copied", 0))
    else:
        # pipewiresink counts nothing: it copies every frame not from its
        # own pool, each one frame's worth of bytes.
        copied = foreign * frame_bytes
    if frames <= 0:
        result["error"] = ("the first consumer received no frame in the "
                           "window: " + consumers[0].text()[-300:])
        return result
    result.update({
        "frames_measured": frames,
        "cpu_us_per_frame": cpu_window / 1000.0 / max(frames, 1),
        "bytes_copied_per_frame": copied / max(pushed, 1),
        "frames_pushed": pushed, "frames_foreign": foreign,
    })
    return result


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build", help="the meson build directory")
    parser.add_argument("--seconds", type=float, default=3.0,
                        help="length of each measuring window (default 3)")
    parser.add_argument("--json", help="where to write the results (default "
                        "BUILD/benchmarks/pipewire-results.json)")
    args = parser.parse_args()
    producer = os.path.join(args.build, "benchmarks", "pw-producer")
    if not os.access(producer, os.X_OK):
        parser.error("%s is not built (ext/pipewire needs libpipewire-0.3-dev"
                     "; run scripts/setup)" % producer)
    if args.seconds <= 0:
        parser.error("--seconds must be positive, not %g" % args.seconds)
    return args


def main():
    args = parse_args()
    build = os.path.abspath(args.build)
    seconds = args.seconds
    out = args.json or os.path.join(build, "benchmarks",
                                    "pipewire-results.json")
    env = dict(os.environ)
    env["GST_PLUGIN_PATH_1_0"] = "%s/gst:%s/ext" % (build, build)
    env["GST_REGISTRY"] = os.path.join(os.environ.get("XDG_RUNTIME_DIR",
                                                      "/tmp"), "registry.bin")
    results = []
    only = os.environ.get("PW_BENCH_ONLY")
    for size in SIZES:
        for count in COUNTS:
            if only and only != "%s/%d" % (size, count):
                continue
            for variant in ("ours", "stock"):
                print("running %s, %d consumers, %s" % (size, count,
                                                        variant),
                      file=sys.stderr, flush=True)
                results.append(run(build, env, variant, size, count,
                                   seconds))
    print_table(results)
    with open(out, "w") as f:
        json.dump({"benchmark": "pipewire", "seconds": seconds,
                   "results": results}, f, indent=1)
    print("results: %s" % out)
    return 0


def print_table(results):
    print("PipeWire, cross-process: CPU per frame summed over producer, "
          "consumers, pipewire and wireplumber")
    print("%-6s %9s  %12s %12s  %7s  %14s %14s" % (
        "size", "consumers", "ours us/fr", "stock us/fr", "ratio",
        "ours B-cp/fr", "stock B-cp/fr"))
    by = {(r["size"], r["consumers"], r["variant"]): r for r in results}
    for size in SIZES:
        for count in COUNTS:
            ours = by.get((size, count, "ours"), {})
            stock = by.get((size, count, "stock"), {})
            if not ours or not stock:
                continue
            if "error" in ours or "error" in stock:
                print("%-6s %9d  failed: %s" % (size, count, (
                    ours.get("error") or stock.get("error"))[:100]))
                continue
            ratio = stock["cpu_us_per_frame"] / max(ours["cpu_us_per_frame"],
                                                   1e-9)
            print("%-6s %9d  %12.1f %12.1f  %6.1fx  %14.0f %14.0f" % (
                size, count, ours["cpu_us_per_frame"],
                stock["cpu_us_per_frame"], ratio,
                ours["bytes_copied_per_frame"],
                stock["bytes_copied_per_frame"]))


if __name__ == "__main__":
    sys.exit(main())
