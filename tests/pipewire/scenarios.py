#!/usr/bin/env python3
"""The PipeWire scenarios of issue 11, run inside tests/pipewire/pw-session:

  scenarios.py BUILD_DIR multiplex|stock|late-tight|sigkill

Each prints "ok: ..." or "not ok: ..." per assertion and a GstCheck-style
"Checks:" line, and exits 1 when an assertion failed. docs/pipewire.md
describes what each one proves."""

import os
import re
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pwtest import (Checks, Proc, c_frames, c_inodes, gaps, gst_frames,  # noqa
                    open_fds, tracer_pad, wait_node)

FRAMES = 60
# A consumer process that starts slowly can miss a frame while it links: a
# PipeWire follower that has not run before the next cycle misses that
# cycle. Frames are checked for gaps from this one on (of each consumer).
SETTLE = 10
CAPS = "video/x-raw,format=NV12,width=640,height=480,framerate=30/1"
SOURCE = "videotestsrc is-live=true pattern=smpte75 ! " + CAPS


class Env:
    def __init__(self, build):
        self.build = os.path.abspath(build)
        self.tools = os.path.join(self.build, "tests", "pipewire")
        self.work = os.environ.get("XDG_RUNTIME_DIR", "/tmp")
        env = dict(os.environ)
        env["GST_PLUGIN_PATH_1_0"] = "%s/gst:%s/ext" % (self.build,
                                                        self.build)
        env["GST_REGISTRY"] = os.path.join(self.work, "registry.bin")
        self.env = env
        # One registry scan before several processes would race for it.
        subprocess.run(["gst-inspect-1.0", "allocpwsink"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def gst(self, name, pipeline, *options, tracer=None):
        env = dict(self.env)
        if tracer:
            env["GST_TRACERS"] = "alloccopies(file=%s,print=false)" % tracer
        argv = [os.path.join(self.tools, "gst-run")] + list(options) + \
            pipeline.split()
        return Proc(name, argv, env)

    def consumer(self, name, *options):
        argv = [os.path.join(self.tools, "pw-consumer"), "--name", name] + \
            list(options)
        return Proc(name, argv, self.env)


def start_consumers(env, node, frames):
    """The three consumers of scenario 1: a plain pw_stream asking for
    DmaBuf|MemFd with 256-byte alignment, stock pipewiresrc, allocpwsrc."""
    size = "640x480"
    return {
        "pw-consumer": env.consumer(
            "pw-consumer", "--target", node, "--size", size, "--types",
            "dmabuf,memfd", "--align", "256", "--check-rows", "--frames",
            str(frames)),
        "pipewiresrc": env.gst(
            "pipewiresrc", "pipewiresrc target-object=%s ! video/x-raw ! "
            "fakesink name=out sync=false" % node, "--probe", "out",
            "--rows", "--frames", str(frames)),
    }


def consumer_frames(name, proc):
    if name == "pw-consumer":
        ids = c_inodes(proc)
        return [(s, ids.get(b), r) for s, b, r in c_frames(proc)]
    return [(s, i, r) for s, i, r, _ in gst_frames(proc)]


def check_consumers(checks, consumers, frames, memory):
    """Every consumer got @frames frames in a row, read right, in memory
    from @memory (inodes); the same frame is the same memory everywhere."""
    by_seq = {}
    for name, proc in consumers.items():
        got = consumer_frames(name, proc)
        seqs = [s for s, _, _ in got]
        checks.check(len(got) == frames and gaps(seqs[SETTLE:]) == 0,
                     "%s received %d frames, %d missing after its first %d "
                     "(%s..%s; %d missing while it linked)"
                     % (name, len(got), gaps(seqs[SETTLE:]), SETTLE,
                        seqs[0] if seqs else "-", seqs[-1] if seqs else "-",
                        gaps(seqs[:SETTLE + 1])))
        bad = [s for s, _, r in got if r != "ok"]
        checks.check(got and not bad, "%s read every frame right (rows of "
                     "vertical bars; %d bad)" % (name, len(bad)))
        inodes = {i for _, i, _ in got}
        checks.check(inodes and inodes <= memory,
                     "%s received only the producer's buffers (%d distinct "
                     "inodes, %d not the producer's)"
                     % (name, len(inodes), len(inodes - memory)))
        for s, i, _ in got:
            by_seq.setdefault(s, {})[name] = i
    shared = [m for m in by_seq.values() if len(m) == len(consumers)]
    same = [m for m in shared if len(set(m.values())) == 1]
    checks.check(shared and len(same) == len(shared),
                 "the same frame is the same memory in every consumer "
                 "process: %d of %d frames all consumers saw" % (len(same),
                                                                 len(shared)))


def finish(procs, bound=120):
    for proc in procs:
        if proc.wait(bound) is None:
            print("%s did not finish within %d s" % (proc.name, bound))
            proc.stop()


def multiplex(env, checks):
    trace = os.path.join(env.work, "producer.json")
    producer = env.gst(
        "producer", SOURCE + " ! allocpwsink name=sink node-name=cam",
        "--seconds", "120", "--report", "sink.memory-ids", "--report",
        "sink.copies", "--report", "sink.bytes-copied", "--report",
        "sink.frames", "--report", "sink.backend", tracer=trace)
    node = wait_node("cam")
    checks.check(node is not None, "allocpwsink published node cam (id %s)"
                 % node)
    consumers = start_consumers(env, "cam", FRAMES)
    finish(consumers.values())
    producer.stop()
    props = producer.props()
    memory = {int(m) for m in re.findall(r"inode (\d+)",
                                         props.get("sink.memory-ids", ""))}
    checks.check(len(memory) == 8, "the node publishes 8 buffers (%s, "
                 "backend %s)" % (sorted(memory), props.get("sink.backend")))
    check_consumers(checks, consumers, FRAMES, memory)
    checks.check(props.get("sink.copies") == "0"
                 and props.get("sink.bytes-copied") == "0",
                 "the producer copied nothing (copies %s, bytes-copied %s, "
                 "frames %s)" % (props.get("sink.copies"),
                                 props.get("sink.bytes-copied"),
                                 props.get("sink.frames")))
    src = tracer_pad(trace, "videotestsrc0", "src")
    checks.check(src.get("pools") == {"sink-pool": src.get("buffers")}
                 and src.get("buffers", 0) > 0,
                 "tracer: the source wrote every frame into the node's pool "
                 "(%s of %s buffers)" % (src.get("pools"), src.get("buffers")))
    for p in [producer] + list(consumers.values()):
        if checks.failures:
            p.dump()


SCENARIOS = {"multiplex": multiplex}


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in SCENARIOS:
        print("usage: %s BUILD_DIR %s" % (sys.argv[0], "|".join(SCENARIOS)))
        return 2
    checks = Checks()
    SCENARIOS[sys.argv[2]](Env(sys.argv[1]), checks)
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
