"""Helpers for the PipeWire scenarios: processes whose output is read line
by line, and what their lines say (tests/kernel/verdict.py counts the
checks).

Waiting is for readiness (a line, a node) with generous bounds; no verdict
depends on how long anything took."""

import os
import re
import signal
import subprocess
import threading
import time


class Proc:
    """A child process; its stdout and stderr lines are collected."""

    def __init__(self, name, argv, env=None):
        self.name = name
        self.lines = []
        self.cond = threading.Condition()
        self.popen = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, env=env, text=True, errors="replace")
        self.pid = self.popen.pid
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.popen.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def wait_line(self, pattern, bound=60):
        """The first line matching @pattern, waiting up to @bound s."""
        rx = re.compile(pattern)
        end = time.monotonic() + bound
        with self.cond:
            while True:
                for line in self.lines:
                    if rx.search(line):
                        return line
                left = end - time.monotonic()
                if left <= 0 or (self.popen.poll() is not None
                                 and not self.reader.is_alive()):
                    return None
                self.cond.wait(min(left, 0.5))

    def wait_count(self, pattern, n, bound=60):
        """Waits until @n lines match @pattern (up to @bound s); the count."""
        rx = re.compile(pattern)
        end = time.monotonic() + bound
        with self.cond:
            while True:
                got = sum(1 for line in self.lines if rx.search(line))
                left = end - time.monotonic()
                if got >= n or left <= 0 or (self.popen.poll() is not None
                                             and not self.reader.is_alive()):
                    return got
                self.cond.wait(min(left, 0.5))

    def count(self, pattern):
        rx = re.compile(pattern)
        with self.cond:
            return sum(1 for line in self.lines if rx.search(line))

    def stop(self, sig=signal.SIGTERM, bound=30):
        """Stops the process (by its PID) and waits for it."""
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
        try:
            self.popen.wait(bound)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        self.reader.join(5)
        return self.popen.returncode

    def wait(self, bound=120):
        try:
            self.popen.wait(bound)
        except subprocess.TimeoutExpired:
            return None
        self.reader.join(5)
        return self.popen.returncode

    def text(self):
        with self.cond:
            return "\n".join(self.lines)

    def props(self):
        return dict(re.findall(r"^prop: (\S+?)=(.*)$", self.text(), re.M))

    def messages(self, name):
        return re.findall(r"^message: \S+: %s, (.*)$" % re.escape(name),
                          self.text(), re.M)

    def dump(self, last=40):
        keep = os.environ.get("PW_TEST_LOGS")
        if keep:
            with open(os.path.join(keep, self.name + ".log"), "w") as f:
                f.write(self.text() + "\n")
        print("--- %s (pid %d), lines other than frames, then the last:"
              % (self.name, self.pid))
        with self.cond:
            for line in [x for x in self.lines if not x.startswith("frame ")][
                    :last] + ["..."] + self.lines[-last // 4:]:
                print("    " + line)


def wait_node(name, bound=30):
    """The id of the PipeWire node named @name, once it exists."""
    end = time.monotonic() + bound
    while time.monotonic() < end:
        out = subprocess.run(["pw-cli", "ls", "Node"], capture_output=True,
                             text=True).stdout
        for block in re.split(r"\n(?=\tid )", out):
            if re.search(r'node\.name = "%s"' % re.escape(name), block):
                return int(re.search(r"id (\d+)", block).group(1))
        time.sleep(0.1)
    return None


def open_fds(pid):
    """What each open fd of @pid is (socket:[..], /memfd:.. (deleted),
    anon_inode:[eventfd], ...), or None when the process is gone."""
    try:
        names = os.listdir("/proc/%d/fd" % pid)
    except OSError:
        return None
    targets = []
    for name in names:
        try:
            targets.append(os.readlink("/proc/%d/fd/%s" % (pid, name)))
        except OSError:
            pass
    return sorted(re.sub(r"\[\d+\]$|:\d+$", "", t) for t in targets)


def c_frames(proc):
    """[(seq, buffer id, rows)] from pw-consumer."""
    return [(int(s), int(b), r) for s, b, r in re.findall(
        r"^frame (\d+) buffer (\d+) stride -?\d+ offset \d+ rows (\w+)$",
        proc.text(), re.M)]


def c_inodes(proc):
    """{buffer id: inode of block 0} from pw-consumer (the last add)."""
    return {int(b): int(i) for b, i in re.findall(
        r"^buffer (\d+) block 0 type \w+ fd -?\d+ dev \d+ inode (\d+)",
        proc.text(), re.M)}


def gst_frames(proc):
    """[(seq, first inode or None, rows, pool)] from gst-run --probe."""
    out = []
    for s, ids, rows, pool in re.findall(
            r"^frame (\d+) inode (\S+) stride -?\d+ rows (\w+) pool (\S+)$",
            proc.text(), re.M):
        first = ids.split(",")[0]
        out.append((int(s), int(first) if first.isdigit() else None, rows,
                    pool))
    return out


def gaps(seqs):
    return sum(b - a - 1 for a, b in zip(seqs, seqs[1:]) if b > a + 1)


def decisions(proc):
    """Every consumer line of every decision: [(name, mode, node, needs,
    reason)], in order."""
    return [tuple(part.strip() for part in line.split(" | ", 4))
            for line in re.findall(r"^consumer: (.*)$", proc.text(), re.M)]


def gap_list(seqs):
    """"12-15 40-42": the frames on either side of each gap."""
    return " ".join("%d-%d" % (a, b) for a, b in zip(seqs, seqs[1:])
                    if b > a + 1) or "none"


def xruns():
    """Cycles the daemon reported unfinished so far: "graph not finished"
    (pw-session logs pw.node at debug level for it)."""
    path = os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"),
                        "pipewire.log")
    try:
        with open(path, errors="replace") as log:
            return sum(1 for line in log if "graph not finished" in line)
    except OSError:
        return 0


def link(output, input_, bound=30):
    """Links the first output port of node @output to the first input port
    of node @input_ with pw-link, once both exist (no session manager)."""
    end = time.monotonic() + bound
    while time.monotonic() < end:
        outs = subprocess.run(["pw-link", "-o"], capture_output=True,
                              text=True).stdout.split()
        ins = subprocess.run(["pw-link", "-i"], capture_output=True,
                             text=True).stdout.split()
        src = [p for p in outs if p.startswith(output + ":")]
        dst = [p for p in ins if p.startswith(input_ + ":")]
        if src and dst:
            return subprocess.run(["pw-link", src[0], dst[0]]).returncode == 0
        time.sleep(0.2)
    return False
