#!/usr/bin/env python3
"""The PipeWire scenarios of issue 11, run inside tests/pipewire/pw-session:

  scenarios.py BUILD_DIR multiplex|stock|late-tight|sigkill

Each prints "ok: ..." or "not ok: ..." per assertion and a GstCheck-style
"Checks:" line, and exits 1 when an assertion failed. docs/pipewire.md
describes what each one proves."""

from collections import Counter
import os
import re
import signal
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
# The "ok:" lines, the total and the tracer's report are read as the
# kernel VM's scripts read them.
sys.path[:0] = [here, os.path.join(here, "..", "kernel")]
import verdict  # noqa: E402
from verdict import check  # noqa: E402
from pwtest import (Proc, c_frames, c_inodes, decisions, gaps,  # noqa: E402
                    gap_list, gst_frames, link, open_fds, wait_node, xruns)

FRAMES = 60
# A PipeWire follower that has not run before the driver's next cycle
# misses that cycle's frame ("graph not finished" in the daemon's log). A
# consumer process that is starting, or a loaded machine, can be that slow,
# so how many frames a consumer missed depends on the machine's load, and
# is reported, not asserted. What is asserted does not depend on timing:
# the producer handed PipeWire every frame (dropped-busy 0), and every
# consumer received its frames in order, right, in the producer's memory.
# The rate leaves 100 ms per cycle.
SETTLE = 10
RATE = "10/1"
CAPS = "video/x-raw,format=NV12,width=640,height=480,framerate=" + RATE
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


def start_consumers(env, node, frames, size="640x480"):
    """The three consumers of scenario 1: a plain pw_stream asking for
    DmaBuf|MemFd with 256-byte alignment, stock pipewiresrc, and allocpwsrc
    whose downstream declares constraints. Each starts once the one before
    receives frames: stock pipewiresink can stall for good when several
    consumers link to it at the same moment."""
    consumers = {}
    for name, make in consumer_makers(env, node, frames, size):
        consumers[name] = make()
        consumers[name].wait_line(r"^frame \d+", 60)
    return consumers


def consumer_makers(env, node, frames, size):
    return [
        ("pw-consumer", lambda: env.consumer(
            "pw-consumer", "--target", node, "--size", size, "--types",
            "dmabuf,memfd", "--align", "256", "--check-rows", "--frames",
            str(frames))),
        ("pipewiresrc", lambda: env.gst(
            "pipewiresrc", "pipewiresrc target-object=%s ! video/x-raw ! "
            "fakesink name=out sync=false" % node, "--probe", "out",
            "--rows", "--frames", str(frames))),
        ("allocpwsrc", lambda: env.gst(
            "allocpwsrc", "allocpwsrc name=src target-object=%s ! video/x-raw "
            "! allocchecksink name=out sync=false constraints=cpu-access=read,"
            "memory=dmabuf|memfd,offset-align=64" % node, "--probe", "out",
            "--rows", "--frames", str(frames), "--report", "src.copies",
            "--report", "out.violations")),
    ]


def in_order(seqs):
    return all(b > a for a, b in zip(seqs, seqs[1:]))


def report_missing(name, seqs):
    print("info: %s missed %d frames after its first %d (%s); the daemon "
          "reported %d cycles not finished in time" % (
              name, gaps(seqs[SETTLE:]), SETTLE, gap_list(seqs), xruns()))


def consumer_frames(name, proc):
    if name == "pw-consumer":
        ids = c_inodes(proc)
        return [(s, ids.get(b), r) for s, b, r in c_frames(proc)]
    return [(s, i, r) for s, i, r, _ in gst_frames(proc)]


def check_consumers(consumers, frames, memory):
    """Every consumer got @frames frames in a row, read right, in memory
    from @memory (inodes); the same frame is the same memory everywhere."""
    by_seq = {}
    for name, proc in consumers.items():
        got = consumer_frames(name, proc)
        seqs = [s for s, _, _ in got]
        check(len(got) == frames and in_order(seqs),
                     "%s received %d frames, in order (%s..%s)"
                     % (name, len(got), seqs[0] if seqs else "-",
                        seqs[-1] if seqs else "-"))
        report_missing(name, seqs)
        bad = [s for s, _, r in got if r != "ok"]
        check(got and not bad, "%s read every frame right (rows of "
                     "vertical bars; %d bad)" % (name, len(bad)))
        inodes = {i for _, i, _ in got}
        check(inodes and inodes <= memory,
                     "%s received only the producer's buffers (%d distinct "
                     "inodes, %d not the producer's)"
                     % (name, len(inodes), len(inodes - memory)))
        for s, i, _ in got:
            by_seq.setdefault(s, {})[name] = i
    shared = [m for m in by_seq.values() if len(m) == len(consumers)]
    same = [m for m in shared if len(set(m.values())) == 1]
    check(shared and len(same) == len(shared),
                 "the same frame is the same memory in every consumer "
                 "process: %d of %d frames all consumers saw" % (len(same),
                                                                 len(shared)))
    if "allocpwsrc" in consumers:
        props = consumers["allocpwsrc"].props()
        check(props.get("src.copies") == "0"
                     and props.get("out.violations") == "0",
                     "allocpwsrc copied nothing and its downstream saw no "
                     "violation (copies %s, violations %s)"
                     % (props.get("src.copies"), props.get("out.violations")))


def finish(procs, bound=120):
    for proc in procs:
        if proc.wait(bound) is None:
            print("%s did not finish within %d s" % (proc.name, bound))
            proc.stop()


def multiplex(env):
    trace = os.path.join(env.work, "producer.json")
    producer = env.gst(
        "producer", SOURCE + " ! allocpwsink name=sink node-name=cam",
        "--seconds", "120", "--report", "sink.memory-ids", "--report",
        "sink.copies", "--report", "sink.bytes-copied", "--report",
        "sink.frames", "--report", "sink.backend", "--report",
        "sink.dropped-busy", tracer=trace)
    node = wait_node("cam")
    check(node is not None, "allocpwsink published node cam (id %s)"
                 % node)
    consumers = start_consumers(env, "cam", FRAMES)
    finish(consumers.values())
    producer.stop()
    props = producer.props()
    memory = {int(m) for m in re.findall(r"inode (\d+)",
                                         props.get("sink.memory-ids", ""))}
    check(len(memory) == 8, "the node publishes 8 buffers (%s, "
                 "backend %s)" % (sorted(memory), props.get("sink.backend")))
    check_consumers(consumers, FRAMES, memory)
    check(props.get("sink.dropped-busy") == "0",
                 "the producer handed PipeWire every frame once a consumer "
                 "was linked (dropped-busy %s)" % props.get("sink.dropped-busy"))
    check(props.get("sink.copies") == "0"
                 and props.get("sink.bytes-copied") == "0",
                 "the producer copied nothing (copies %s, bytes-copied %s, "
                 "frames %s)" % (props.get("sink.copies"),
                                 props.get("sink.bytes-copied"),
                                 props.get("sink.frames")))
    src = verdict.pad(verdict.tracer_elements(trace), "videotestsrc0",
                      "src")
    check(src.get("pools") == {"sink-pool": src.get("buffers")}
                 and src.get("buffers", 0) > 0,
                 "tracer: the source wrote every frame into the node's pool "
                 "(%s of %s buffers)" % (src.get("pools"), src.get("buffers")))
    for p in [producer] + list(consumers.values()):
        if verdict.failures:
            p.dump()


def memory_of(props, element="sink"):
    return {int(m) for m in re.findall(
        r"inode (\d+)", props.get(element + ".memory-ids", ""))}


def late_first(proc):
    got = c_frames(proc)
    return got[0][0] if got else "-"


def late_last(proc):
    got = c_frames(proc)
    return got[-1][0] if got else "-"


def late_tight(env):
    """Scenario 2: 1080p NV12 padded to 256-byte rows for the producer; a
    consumer that reads rows at the tight stride joins late and is moved to
    a node of its own, fed with converted frames; the first consumers are
    not disturbed."""
    caps = ("video/x-raw,format=NV12,width=1920,height=1080,framerate="
            + RATE)
    producer = env.gst(
        "producer", "videotestsrc is-live=true pattern=smpte75 ! %s ! "
        "allocpwsink name=sink node-name=cam constraints=stride-align=256"
        % caps, "--seconds", "120", "--report", "sink.memory-ids",
        "--report", "sink.copies", "--report", "sink.bytes-copied",
        "--report", "sink.frames", "--report", "sink.dropped-busy")
    check(wait_node("cam") is not None, "allocpwsink published cam")
    first = env.consumer("first", "--target", "cam", "--size", "1920x1080",
                         "--check-rows", "--frames", str(FRAMES * 2))
    first.wait_line(r"^frame \d+", 60)
    late = env.consumer("late", "--target", "cam", "--size", "1920x1080",
                        "--stride", "tight", "--read-tight", "--check-rows",
                        "--frames", str(FRAMES))
    finish([late, first])
    producer.stop()
    props = producer.props()
    memory = memory_of(props)
    got = c_frames(first)
    seqs = [s for s, _, _ in got]
    last_late = late_last(late)
    check(len(got) == FRAMES * 2 and in_order(seqs)
                 and isinstance(last_late, int) and seqs[-1] > last_late,
                 "the first consumer kept receiving before, while and after "
                 "the late one did: %d frames in order, %s..%s (the late "
                 "one's: %s..%s)" % (len(got), seqs[0] if seqs else "-",
                                     seqs[-1] if seqs else "-",
                                     late_first(late), late_last(late)))
    report_missing("the first consumer", seqs)
    check(props.get("sink.dropped-busy") == "0",
                 "the producer handed PipeWire every frame (dropped-busy %s)"
                 % props.get("sink.dropped-busy"))
    check(got and all(r == "ok" for _, _, r in got),
                 "the first consumer read every padded frame right (by the "
                 "chunk stride)")
    ids = c_inodes(first)
    check(ids and set(ids.values()) <= memory,
                 "the first consumer kept the node's own buffers (zero-copy)")
    late_got = c_frames(late)
    late_seqs = [s for s, _, _ in late_got]
    bad = [s for s, _, r in late_got if r != "ok"]
    check(len(late_got) == FRAMES and not bad,
                 "the late consumer got %d frames, read tightly packed: %d "
                 "wrong" % (len(late_got), len(bad)))
    check(in_order(late_seqs), "the late consumer's frames came in "
                 "order")
    report_missing("the late consumer", late_seqs)
    late_inodes = c_inodes(late)
    late_ids = {late_inodes.get(b) for _, b, _ in late_got}
    strides = set(re.findall(r"^frame \d+ buffer \d+ stride (\d+)",
                             late.text(), re.M))
    check(strides == {"1920"} and late_ids and not late_ids & memory,
                 "its frames come from buffers of its own with 1920-byte rows "
                 "(strides seen %s)" % sorted(strides))
    rows = [d for d in decisions(producer) if d[0] == "late"]
    converted = [d for d in rows if d[1] == "converted"]
    check(converted and "stride" in converted[-1][4]
                 and "tight" in converted[-1][4],
                 "the decision says the late consumer is converted, and why: "
                 "%s" % (converted[-1][4] if converted else rows))
    modes = {d[1] for d in decisions(producer) if d[0] == "first"}
    check(modes - {"pending"} == {"zero-copy"},
                 "every decision keeps the first consumer zero-copy, once its "
                 "needs are known (%s)" % sorted(modes))
    frame = 1920 * 1080 * 3 // 2
    copies = int(props.get("sink.copies", -1))
    check(copies >= len(late_got) and int(
        props.get("sink.bytes-copied", -1)) == copies * frame,
                 "only the late consumer's frames were copied: %s copies of "
                 "%d bytes for %d frames it received" % (
                     copies, frame, len(late_got)))
    if verdict.failures:
        for p in (producer, first, late):
            p.dump()


def start_producer(env, name, pipeline, attempts=3):
    """A producer rendering frames, with consumers not started yet.
    pipewiresink 0.3.65 sometimes breaks on its first frame
    (gst_buffer_extract into a pool buffer without memory) and renders no
    second one, even with no consumer: such a start is retried, and said.
    pipewiresink 1.4 offers the pipeline a clock that stands still until a
    consumer links, so a producer renders nothing before: producers run on
    the system clock (allocpwsink offers none)."""
    for attempt in range(attempts):
        producer = env.gst(name, pipeline, "--seconds", "120", "--probe",
                           "sink", "--system-clock")
        if wait_node(name) is not None and producer.wait_line(
                r"^frame \d+ .*\n?", 30) and producer.wait_count(
                r"^frame ", 2, 10) >= 2:
            return producer
        broken = "gst_buffer_extract" in producer.text()
        producer.stop()
        print("info: %s did not render its second frame%s; starting it again"
              % (name, " (gst_buffer_extract into a buffer without memory)"
                 if broken else ""))
    return None


def stock(env):
    """Ours against stock pipewiresink, same run, same three consumers, a
    producer whose frames are not written into pipewiresink's pool (a
    camera writes into buffers of its own; here allocfilter gives
    videotestsrc a pool that pads rows to 256 bytes, as a V4L2 device
    would). Stock copies every frame in the sink; ours has the camera write
    into the published buffers."""
    size = "512x480"
    caps = CAPS.replace("640", "512")
    source = "videotestsrc is-live=true pattern=smpte75 ! " + caps
    sinks = {
        "stock": "allocfilter constraints=stride-align=256 ! pipewiresink "
                 "name=sink mode=provide stream-properties=p,media.class="
                 "Video/Source,node.name=stock",
        "ours": "allocpwsink name=sink node-name=ours "
                "constraints=stride-align=256",
    }
    for variant, sink in sinks.items():
        producer = start_producer(env, variant, source + " ! " + sink)
        check(producer is not None, "%s: published, and rendering"
                     % variant)
        if producer is None:
            continue
        consumers = start_consumers(env, variant, FRAMES, size)
        finish(consumers.values())
        producer.stop()
        arrived = gst_frames(producer)
        memory = {i for _, i, _, _ in arrived}
        pools = {p for _, _, _, p in arrived}
        received = {}
        for name, proc in consumers.items():
            received[name] = {i for _, i, _ in consumer_frames(name, proc)}
        if variant == "stock":
            check(arrived and not any(p.startswith("pipewirepool")
                                             for p in pools),
                         "stock: none of the %d frames reaching pipewiresink "
                         "is from its own pool (%s), so it copies each one "
                         "into it" % (len(arrived), sorted(pools)))
            check(all(r and not r & memory for r in received.values()),
                         "stock: no consumer received the producer's memory: "
                         "every frame they got was a copy")
            frame = 512 * 480 * 3 // 2
            print("info: stock copies every frame it publishes (%d frames "
                  "reached it), %d bytes each" % (len(arrived), frame))
        else:
            check(pools == {"sink-pool"},
                         "ours: every frame reaching allocpwsink is from the "
                         "published pool (%s)" % sorted(pools))
            check(all(r and r <= memory for r in received.values()),
                         "ours: every consumer received the producer's own "
                         "memory (zero-copy)")
        for name, proc in consumers.items():
            got = consumer_frames(name, proc)
            check(len(got) == FRAMES and all(r == "ok"
                                                    for _, _, r in got),
                         "%s: %s read %d frames right" % (variant, name,
                                                           len(got)))
        if verdict.failures:
            for p in [producer] + list(consumers.values()):
                p.dump()


KILLS = 20
# Each of the three kinds of victims dies this many times. PipeWire 1.4
# keeps one dead peer's activation (a memfd and an eventfd) until another
# replaces it, so the producer's fd count may end a little above where it
# began; an fd lost per kill of any one kind would add at least this many.
LEAK_BOUND = KILLS // 3


def buffer_fds(fds):
    """The fds of frame memory: memfds other than PipeWire's own (its
    shared control areas) and dma-bufs."""
    return sorted(f for f in fds if f.startswith(
        ("/memfd:", "/dmabuf:", "anon_inode:dmabuf"))
        and not f.startswith("/memfd:pipewire-memfd"))


def killable(env, i):
    """The i-th consumer to kill: in turn stock pipewiresrc behind a queue
    that holds buffers (it dies holding them), a plain pw_stream, and one
    that needs the tight stride of a padded node (it dies on a node made
    for it)."""
    name = "victim-%d" % i
    if i % 3 == 0:
        return env.gst(name, "pipewiresrc target-object=cam ! video/x-raw ! "
                       "queue max-size-buffers=4 ! fakesink name=out "
                       "sync=true ts-offset=500000000", "--probe", "out")
    if i % 3 == 1:
        return env.consumer(name, "--target", "cam", "--size", "640x480")
    return env.consumer(name, "--target", "cam", "--size", "640x480",
                        "--stride", "tight")


def sigkill(env):
    """Scenario 3: consumers killed with SIGKILL mid-stream, 20 times, while
    a steady consumer reads: the producer and the steady consumer keep
    going, the producer's fds stay flat and no buffer stays busy."""
    producer = env.gst(
        "producer", SOURCE.replace(RATE, "15/1") + " ! allocpwsink name=sink "
        "node-name=cam constraints=stride-align=1024", "--seconds", "600",
        "--report", "sink.frames", "--report", "sink.dropped", "--report",
        "sink.repaired-buffers", "--report", "sink.busy-buffers")
    check(wait_node("cam") is not None, "allocpwsink published cam")
    steady = env.consumer("steady", "--target", "cam", "--size", "640x480",
                          "--check-rows")
    steady.wait_line(r"^frame \d+", 60)
    baseline = open_fds(producer.pid)
    progress = []
    for i in range(KILLS):
        victim = killable(env, i)
        seen = victim.wait_line(r"^frame \d+", 60)
        victim.stop(signal.SIGKILL)
        # The steady consumer goes on after each kill.
        before = steady.count(r"^frame ")
        progress.append((seen is not None,
                         steady.wait_count(r"^frame ", before + 3) - before))
    # The producer goes on: the steady consumer reads 30 more frames.
    start = steady.count(r"^frame ")
    steady.wait_count(r"^frame ", start + 30)
    # A killed consumer's node of its own goes when the daemon has noticed
    # the death: its buffers close then (bounded wait).
    for _ in range(100):
        after = open_fds(producer.pid)
        if after is None or (buffer_fds(after) == buffer_fds(baseline) and
                             len(after) - len(baseline) < LEAK_BOUND):
            break
        steady.wait_line(r"^never$", 0.1)
    producer.stop()
    steady.stop()
    props = producer.props()
    got = c_frames(steady)
    seqs = [s for s, _, _ in got]
    check(all(seen for seen, _ in progress),
                 "each of the %d consumers received frames before it was "
                 "killed" % KILLS)
    counts = [n for _, n in progress]
    check(all(n >= 3 for n in counts),
                 "the steady consumer received frames after every kill")
    check(steady.count(r"^frame ") >= start + 30,
                 "after the last kill it received %d more frames" % (
                     steady.count(r"^frame ") - start))
    check(got and all(r == "ok" for _, _, r in got),
                 "it read every frame right")
    check(baseline is not None and after is not None
                 and buffer_fds(after) == buffer_fds(baseline),
                 "the buffers of the nodes made for killed consumers were "
                 "closed: the producer has %s buffer fds before the kills, "
                 "%s after" % (len(buffer_fds(baseline or [])),
                               len(buffer_fds(after or []))))
    check(baseline is not None and after is not None
                 and len(after) - len(baseline) < LEAK_BOUND,
                 "the producer's open fds do not grow with the kills: %s "
                 "before, %s after %d kills (a leak in every kill of one "
                 "kind would add %d or more)" % (
                     len(baseline or []), len(after or []), KILLS,
                     LEAK_BOUND))
    if baseline is not None and after is not None and after != baseline:
        gained = Counter(after) - Counter(baseline)
        lost = Counter(baseline) - Counter(after)
        print("info: fds opened meanwhile %s, closed %s" % (
            dict(gained), dict(lost)))
    check(int(props.get("sink.busy-buffers", 99)) <= 1,
                 "at the end %s of 8 buffers are marked busy (the steady "
                 "consumer may hold one); %s were released after their "
                 "consumer died holding them" % (
                     props.get("sink.busy-buffers"),
                     props.get("sink.repaired-buffers")))
    check(int(props.get("sink.repaired-buffers", 0)) > 0,
                 "busy marks left by killed consumers were repaired (%s)"
                 % props.get("sink.repaired-buffers"))
    print("info: the steady consumer lost %d frames (%s) to cycles PipeWire "
          "could not finish while a killed consumer was still in the graph"
          % (gaps(seqs), gap_list(seqs)))
    if verdict.failures:
        producer.dump()
        steady.dump()


def dmaheap(env):
    """Scenario 4, in the kernel VM: the node's buffers come from the
    system DMA heap; a pw_stream consumer receives them as DmaBuf whose
    exporter the kernel names "system", and allocpwsrc hands them to
    allocdrmimportsink, which PRIME-imports every one into vgem."""
    for dev in ("/dev/dma_heap/system", "/dev/dri/card0"):
        if not os.path.exists(dev):
            print("SKIP: %s is absent (this runs in tests/kernel's VM)" % dev)
            sys.exit(77)
    producer = env.gst(
        "producer", SOURCE + " ! allocpwsink name=sink node-name=cam",
        "--seconds", "300", "--report", "sink.backend", "--report",
        "sink.copies", "--report", "sink.memory-ids")
    check(wait_node("cam") is not None, "allocpwsink published cam")
    # Without a session manager (the VM runs none) the test links.
    by_hand = os.environ.get("PW_SESSION_MANAGER") == "none"
    if by_hand:
        check(link("cam", "cam.anchor"), "linked cam to its anchor")
    plain = env.consumer("pw-consumer", "--target", "cam", "--size",
                         "640x480", "--types", "dmabuf", "--check-rows",
                         "--frames", str(FRAMES))
    if by_hand:
        check(link("cam", "pw-consumer"), "linked the consumer")
    plain.wait_line(r"^frame \d+", 120)
    vgem = env.gst("vgem", "allocpwsrc name=src node-name=vgem "
                   "target-object=cam ! video/x-raw ! allocdrmimportsink "
                   "name=drm device=/dev/dri/card0 sync=false", "--probe",
                   "drm", "--frames", str(FRAMES), "--report", "drm.imports",
                   "--report", "drm.import-failures", "--report",
                   "drm.handles", "--report", "src.copies")
    if by_hand:
        check(link("cam", "vgem"), "linked allocpwsrc")
    finish([plain, vgem], 300)
    producer.stop()
    props, drm = producer.props(), vgem.props()
    check(props.get("sink.backend") == "dmaheap:system",
                 "the node's buffers come from the system DMA heap (%s)"
                 % props.get("sink.backend"))
    blocks = re.findall(r"^buffer \d+ block \d+ type (\w+) fd \d+ .* "
                        r"exp_name (\S+)$", plain.text(), re.M)
    check(blocks and all(b == ("DmaBuf", "system") for b in blocks),
                 "the consumer process received %d DmaBuf blocks, exporter "
                 "system (%s)" % (len(blocks), sorted(set(blocks))))
    got = c_frames(plain)
    check(len(got) == FRAMES and all(r == "ok" for _, _, r in got),
                 "it read %d frames right through its own mapping" % len(got))
    check(drm.get("drm.imports") == str(FRAMES)
                 and drm.get("drm.import-failures") == "0",
                 "vgem PRIME-imported every frame allocpwsrc received "
                 "(imports %s, failures %s)" % (drm.get("drm.imports"),
                                                drm.get("drm.import-failures")))
    check(drm.get("drm.handles") is not None and 0 < int(
        drm.get("drm.handles")) <= 8, "%s GEM handles: the node's dma-bufs, "
        "each imported once per process" % drm.get("drm.handles"))
    check(props.get("sink.copies") == "0"
                 and drm.get("src.copies") == "0",
                 "no copy in the producer (%s) nor in allocpwsrc (%s)"
                 % (props.get("sink.copies"), drm.get("src.copies")))
    if verdict.failures:
        for p in (producer, plain, vgem):
            p.dump()


SCENARIOS = {"multiplex": multiplex, "late-tight": late_tight,
             "sigkill": sigkill, "stock": stock, "dmaheap": dmaheap}


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in SCENARIOS:
        print("usage: %s BUILD_DIR %s" % (sys.argv[0], "|".join(SCENARIOS)))
        return 2
    # Each line as it is printed, should the test be stopped midway.
    sys.stdout.reconfigure(line_buffering=True)
    SCENARIOS[sys.argv[2]](Env(sys.argv[1]))
    verdict.finish()


if __name__ == "__main__":
    sys.exit(main())
