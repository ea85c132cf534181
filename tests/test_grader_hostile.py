"""Hostile submissions against ``course-grade``: each finding of issue 17 as a notebook (or a
file) in a temporary folder. They gain nothing, stop nothing and leave nothing behind: other
learners' files, the installed course and the gradebook stay unchanged, no process survives.

One batch (``--jobs 2``) grades them all in sandboxes; a second, smaller batch runs with
resource limits only (``--sandbox limits``), as where bubblewrap is missing.
"""
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from conftest import missing_tool
from course_lib.grading import grader, sandbox

import helpers

ROOT = Path(__file__).resolve().parent.parent
LESSON03 = ROOT / "course_lib" / "checks" / "lesson03.py"

GOOD = helpers.GOOD_LESSON01

ESCAPE = '''import os, sys, socket
for path, data in {targets!r}.items():
    try:
        with open(path, "wb") as f:
            f.write(data)
    except OSError as e:
        print("blocked", path, e)
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).sendall(b"escaped")
except OSError as e:
    print("no network", e)
# a process meant to outlive grading: new session, double fork, exec
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", {survivor!r}, {marker!r}])
    os._exit(0)
os.wait()
'''
# what the escaped process runs: it waits, then keeps trying to rewrite its gradebook row
LATE_WRITER = '''import time
time.sleep(1.0)
while True:
    try:
        with open({gradebook!r}, "a") as f:
            f.write("escape,late-999\\n")
    except OSError:
        pass
    time.sleep(0.2)
'''

SIGNALS = '''import os, signal
for p in os.listdir("/proc"):
    if p.isdigit() and int(p) != os.getpid():
        for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGKILL):
            try:
                os.kill(int(p), s)
            except OSError:
                pass
'''

GARBAGE = '''import os, stat
os.mkfifo("result.jsonl")
lines = [b"[" * 200000 + b"\\n", b"\\xff\\xfe not json\\n",
         b'{"cell": 99, "token": "forged", "graded": "forged", "exercise": "sigmoid", "results": []}\\n',
         b"7" * (80 << 20) + b"\\n"]
for fd in map(int, os.listdir("/proc/self/fd")):
    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            for line in lines:
                os.write(fd, line)
    except OSError:
        pass
'''

BLOCK = '''import os, stat
null = os.open(os.devnull, os.O_WRONLY)
for fd in map(int, os.listdir("/proc/self/fd")):
    try:
        if fd > 2 and stat.S_ISFIFO(os.fstat(fd).st_mode):
            os.dup2(null, fd)
    except OSError:
        pass
'''

NESTED = '''import os
home = os.getcwd()
for _ in range(1500):
    os.mkdir("d")
    os.chdir("d")
os.chdir(home)
open(b"\\xff\\xfe-not-utf8", "w").close()
'''

HUGE_MEMORY = '''import numpy as np
big = np.ones(7 * 2**30 // 8)   # 7 GB: more than --memory allows
'''
HUGE_OUTPUT = '''print("x" * (400 << 20))   # 400 MB of output
'''

HUGE_ANSWERS = GOOD.replace("def weighted_sum(x, w, b):\n    return x @ w + b",
                            "def weighted_sum(x, w, b):\n    return [np.ones(2_000_000)] * 8").replace(
    "def sigmoid(z):\n    return _sig(z)", "def sigmoid(z):\n    return np.ones(30_000_000)")

FORK_BOMB = '''import os, time
n = 0
try:
    for _ in range(5000):
        if os.fork() == 0:
            time.sleep(600)
            os._exit(0)
        n += 1
finally:
    print(n, "children")
'''


def make(path, *cells, lesson=1, metadata=None):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    if lesson is not None:
        nb.metadata["course"] = {"lesson": lesson}
    if metadata is not None:
        nb.metadata.update(metadata)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(nbformat.writes(nb).encode())


def snapshot(paths):
    return {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in paths}


def processes_with(marker):
    found = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/cmdline", "rb") as f:
                    if marker.encode() in f.read():
                        found.append(int(p))
            except OSError:
                pass
    return found


class Listener:
    """A TCP port on 127.0.0.1 that records whether anything connected."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.connected = []
        self.stop = False
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
                self.connected.append(conn.recv(100))
                conn.close()
            except OSError:
                pass


def start(*args, env=None):
    return subprocess.Popen([sys.executable, "-m", "course_lib.grading", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)


def finish(proc):
    out, err = proc.communicate(timeout=900)
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def escape_cell(batch, victim, listener, marker, harmless=False):
    """The cell that tries to write where it must not, reach the network and leave a process.
    ``harmless``: only the files of the temporary folder (where a sandbox might not protect
    the installed course)."""
    targets = {str(batch / "instructor" / "notes.txt"): b"pwned", str(victim): b"{}",
               str(batch / "gradebook.csv"): b"student,total\nescape,999\n"}
    survivor = "import time\nwhile True: time.sleep(0.2)"
    if not harmless:
        targets[str(LESSON03)] = b"def _x():\n    pass\n"
        targets[str(batch / "submissions" / "escape.ipynb")] = b"{}"       # its own file
        survivor = LATE_WRITER.format(gradebook=str(batch / "gradebook.csv"))
    return ESCAPE.format(targets=targets, port=listener.port, marker=marker, survivor=survivor)


def _batch_with_victim_and_escape(tmp_path_factory, name, harmless=False):
    """A batch folder with an instructor folder, a well-behaved victim and the escape
    submission (marked with a fresh marker, reporting to a listener)."""
    batch = tmp_path_factory.mktemp(name)
    subs = batch / "submissions"
    (batch / "instructor").mkdir()
    victim = subs / "victim" / "01_neuron.ipynb"
    make(victim, GOOD)
    listener = Listener()
    marker = "stray-" + secrets.token_hex(6)
    make(subs / "escape.ipynb", escape_cell(batch, victim, listener, marker, harmless=harmless), GOOD)
    return batch, subs, victim, listener, marker


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    if not sandbox.bwrap_available():
        missing_tool("bubblewrap (bwrap) is missing or does not work here (apt-get install bubblewrap)")
    batch, subs, victim, listener, marker = _batch_with_victim_and_escape(tmp_path_factory, "hostile")
    make(subs / "signals.ipynb", GOOD, SIGNALS)
    make(subs / "garbage.ipynb", GOOD, GARBAGE)
    make(subs / "block.ipynb", GOOD, BLOCK)
    make(subs / "nested.ipynb", GOOD, NESTED)
    make(subs / "huge.ipynb", HUGE_ANSWERS, HUGE_MEMORY, HUGE_OUTPUT)
    make(subs / "five_bad.ipynb", GOOD, *["import os\nos._exit(3)"] * 6)
    make(subs / "fork_bomb.ipynb", GOOD, FORK_BOMB)
    make(subs / "01_superscript.ipynb", GOOD, lesson="\u00b2")            # "²".isdigit() is True
    make(subs / "weird_meta.ipynb", GOOD, lesson="abc")
    (subs / "01_list_meta.ipynb").write_text('{"cells": [], "metadata": [], "nbformat": 4, "nbformat_minor": 5}')
    (subs / "01_deep.ipynb").write_text("[" * 100000)
    make(Path(os.fsdecode(bytes(subs) + b"/01_caf\xe9_\xff.ipynb")), GOOD)  # not a UTF-8 file name
    os.mkfifo(subs / "01_fifo.ipynb")
    os.symlink("/dev/zero", subs / "01_zero.ipynb")
    deep = subs / "deep"
    deep.mkdir()
    fd = os.open(deep, os.O_RDONLY)
    for _ in range(1500):                                                 # 1,500 nested folders
        os.mkdir("d", dir_fd=fd)
        fd2 = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = fd2
    os.close(fd)
    watched = [victim, LESSON03, subs / "escape.ipynb"]
    before = snapshot(watched)
    gradebook = batch / "gradebook.csv"
    t0 = time.monotonic()
    scratch = batch / "scratch"      # the sandboxes' scratch folders: their workers' command lines name it
    scratch.mkdir()
    proc = start(subs, "--jobs", "2", "--timeout", "8", "--csv", gradebook, "--json", batch / "report.json",
                 "--seed", "7", env=dict(os.environ, TMPDIR=str(scratch)))
    rc, out, err = finish(proc)
    seconds = time.monotonic() - t0
    (batch / "out.txt").write_text(out + err)
    time.sleep(2.0)                  # an escaped process would rewrite the gradebook by now
    listener.stop = True
    rows = {r["student"]: r for r in csv.DictReader(gradebook.open(encoding="utf-8"))}
    yield {"rc": rc, "out": out, "err": err, "rows": rows, "before": before, "after": snapshot(watched),
           "batch": batch, "marker": marker, "listener": listener, "seconds": seconds, "scratch": scratch}
    sandbox.remove_tree(deep)   # pytest's own clean-up of old temporary folders recurses (RecursionError)


def test_the_batch_finishes_with_a_row_and_a_reason_for_every_submission(hostile):
    rows, out = hostile["rows"], hostile["out"]
    assert hostile["rc"] == 1, out + hostile["err"]
    assert "Traceback" not in out + hostile["err"]
    assert len(rows) == 16, sorted(rows)
    for student in ("victim", "escape", "signals", "garbage", "block", "nested", "five_bad", "fork_bomb",
                    "01_superscript", "01_caf\\xe9_\\xff"):
        assert rows[student]["status"] == "graded" and rows[student]["total"] == "6", (student, rows[student])
    assert rows["01_caf\\xe9_\\xff"]["notebook"].endswith("01_caf\\xe9_\\xff.ipynb")
    for student, why in [("01_fifo", "not a regular file"), ("01_zero", "not a regular file"),
                         ("01_deep", "not a readable notebook"), ("weird_meta", "cannot tell which lesson")]:
        assert rows[student]["status"] == "could not be graded", rows[student]
        assert why in rows[student]["feedback"] and rows[student]["total"] == "0"
    assert rows["01_list_meta"]["status"] == "graded" and rows["01_list_meta"]["total"] == "0"
    report = json.loads((hostile["batch"] / "report.json").read_text())
    assert report["seed"] == 7 and len(report["submissions"]) == 16
    assert "--seed 7" in out


def test_a_submission_cannot_touch_other_files_the_course_or_the_gradebook(hostile):
    assert hostile["before"] == hostile["after"]             # the victim's notebook, lesson03.py, its own
    assert "late" not in (hostile["batch"] / "gradebook.csv").read_text()   # nothing after the grader ends
    assert not (hostile["batch"] / "instructor" / "notes.txt").exists()
    assert hostile["rows"]["escape"]["total"] == "6"         # its own honest points, nothing more
    assert "999" not in (hostile["batch"] / "gradebook.csv").read_text()
    assert hostile["listener"].connected == []               # no network


def test_no_process_outlives_the_grading(hostile):
    assert processes_with(hostile["marker"]) == []
    assert processes_with(str(hostile["scratch"])) == []      # no worker of this batch
    assert list(hostile["scratch"].iterdir()) == []           # and no scratch folder left


def test_garbage_and_a_silenced_channel_cost_nothing_but_time(hostile):
    out = hostile["out"]
    block = out[out.index("block.ipynb"):]
    block = block.split("\n== ")[0]
    assert "cell 2 ('import os, stat')" in block and "it was skipped and the notebook re-run without it" in block
    garbage = out[out.index("garbage.ipynb"):].split("\n== ")[0]
    assert "total            6 / 6" in garbage and hostile["rows"]["garbage"]["total"] == "6"


def test_crashing_cells_cost_only_themselves(hostile):
    out = hostile["out"]
    five = out[out.index("five_bad.ipynb"):].split("\n== ")[0]
    assert five.count("crashed the kernel; it was skipped") == 6
    assert hostile["rows"]["five_bad"]["total"] == "6"


def test_limits_memory_output_answers_and_processes(hostile):
    rows, out = hostile["rows"], hostile["out"]
    huge = out[out.index("huge.ipynb"):].split("\n== ")[0]
    assert "MemoryError" in huge                             # 7 GB > --memory
    assert rows["huge"]["01 weighted_sum"] == "0" and "weighted_sum: 0 of 5 passed; test 1 failed: raised AnswerTooLarge" \
        in rows["huge"]["feedback"]
    assert rows["huge"]["01 sigmoid"] == "0"
    assert rows["huge"]["total"] == "3"
    bomb = out[out.index("fork_bomb.ipynb"):].split("\n== ")[0]
    assert "BlockingIOError" in bomb                         # the process limit stopped the fork bomb
    assert rows["fork_bomb"]["total"] == "6"


def test_bad_arguments_are_reported_before_any_grading(tmp_path, capsys):
    nb = tmp_path / "01_x.ipynb"
    make(nb, GOOD)
    for argv, words in [(["--timeout", "nan"], "--timeout"), (["--notebook-timeout", "-1"], "--notebook-timeout"),
                        (["--csv", str(tmp_path / "no" / "such" / "g.csv")], "does not exist"),
                        (["--csv", str(tmp_path)], "is a folder"), (["--jobs", "0"], "--jobs"),
                        (["--memory", "lots"], "--memory"), (["--json", "/proc/nope.json"], "cannot write")]:
        with pytest.raises(SystemExit) as stopped:
            grader.main([str(nb), *argv])
        assert stopped.value.code == 2
        captured = capsys.readouterr()
        assert words in captured.err and "==" not in captured.out, (argv, captured)


def test_exit_status_3_when_the_gradebook_cannot_be_written(tmp_path, monkeypatch, capsys):
    (tmp_path / "01_not_json.ipynb").write_text("{ not a notebook")

    def fail(path, text):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(grader, "write_atomically", fail)
    assert grader.main([str(tmp_path), "--csv", str(tmp_path / "g.csv")]) == 3
    assert "cannot write" in capsys.readouterr().err


def test_the_gradebook_is_saved_after_each_notebook_and_a_killed_grader_leaves_no_sandbox(tmp_path):
    if not sandbox.bwrap_available():
        missing_tool("bubblewrap (bwrap) is missing or does not work here (apt-get install bubblewrap)")
    subs = tmp_path / "subs"
    marker = "stray-" + secrets.token_hex(6)
    for name in ("a", "b", "c"):
        make(subs / f"{name}.ipynb", GOOD, "import time, sys, os\nif os.fork() == 0:\n    os.setsid()\n"
             f"    os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(600)', {marker!r}])\n"
             "time.sleep(600)" if name == "b" else "pass")
    gradebook = tmp_path / "g.csv"
    scratch = tmp_path / "scratch"   # where the killed grader's scratch folders stay behind
    scratch.mkdir()
    proc = start(subs, "--csv", gradebook, "--timeout", "20", env=dict(os.environ, TMPDIR=str(scratch)))
    seen = b""
    while b"total" not in seen:                                # the first table is shown
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        seen += line
    rows = list(csv.DictReader(gradebook.open(encoding="utf-8")))
    assert [r["student"] for r in rows] == ["a"] and rows[0]["total"] == "6"
    deadline = time.monotonic() + 60
    while not processes_with(marker) and time.monotonic() < deadline:   # b's cell is running
        time.sleep(0.1)
    assert processes_with(marker)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_with(marker) == []                       # --die-with-parent: the sandbox went too
    assert [r["student"] for r in csv.DictReader(gradebook.open(encoding="utf-8"))] == ["a"]


@pytest.fixture(scope="module")
def limits_only(tmp_path_factory):
    batch, subs, victim, listener, marker = _batch_with_victim_and_escape(tmp_path_factory, "limits",
                                                                          harmless=True)
    before = snapshot([victim, LESSON03])
    rc, out, err = finish(start(subs, "--sandbox", "limits", "--csv", batch / "gradebook.csv", "--timeout", "5"))
    listener.stop = True
    rows = {r["student"]: r for r in csv.DictReader((batch / "gradebook.csv").open(encoding="utf-8"))}
    return {"rc": rc, "out": out, "rows": rows, "before": before, "after": snapshot([victim, LESSON03]),
            "marker": marker, "batch": batch}


def test_without_bubblewrap_limits_still_hold_and_the_report_says_isolation_is_reduced(limits_only):
    """Without bubblewrap the grader still kills every process the submission started, and the
    report says plainly that isolation is reduced. When it runs as root and others can reach
    the interpreter, the worker becomes a user of its own: files stay protected too."""
    assert "isolation is reduced" in limits_only["out"]
    assert limits_only["rc"] == 1 or limits_only["rc"] == 0, limits_only["out"]
    assert processes_with(limits_only["marker"]) == []
    assert limits_only["rows"]["escape"]["total"] == "6"
    if os.geteuid() == 0 and sandbox.others_can_run_python():
        assert limits_only["rows"]["victim"]["total"] == "6"
        assert limits_only["before"] == limits_only["after"]
        assert not (limits_only["batch"] / "instructor" / "notes.txt").exists()
    else:
        assert "the grader's own user" in limits_only["out"]


def test_sandbox_limits_default_to_about_2_gb():
    assert sandbox.Limits().memory_mb == 2048
    assert "--memory MB" in grader.build_parser().format_help()
