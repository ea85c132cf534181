"""Run one submission's code in a sandbox, and talk to it over a channel it cannot block.

Each submission gets

* its own **scratch folder** (a copy of the notebook; the only place it may write) and a
  home folder, both thrown away after grading;
* with bubblewrap (``bwrap``, Debian's ``bubblewrap`` package): a private view of the file
  system in which the operating system, the Python environment and ``course_lib`` are
  mounted **read-only** and nothing else of the machine is visible (not the other
  submissions, not the gradebook, not the course's ``solutions/``); **no network**; its own
  PID namespace, so that it cannot see or signal the grader, and killing the sandbox kills
  every process in it, double-forked or ``setsid`` children included;
* **resource limits** (``setrlimit``, set by the worker before any learner code runs, so
  that the learner cannot raise them): address space (``--memory``, default 2048 MB), CPU
  time, processes, file size, open files, no core files. When the grader runs as root, the
  worker then drops to an unprivileged user of its own (``UID_BASE`` + its slot: the
  process limit holds, and the grader's and other sandboxes' files and processes stay out
  of reach);
* printed output goes to ``/dev/null``: the grader reads only what the worker reports on
  its channel, never the learner's prints.

Where ``bwrap`` is missing (macOS, a container without it) the worker runs with the limits
alone; the grader says plainly that isolation is reduced (the submission can then read what
any user may read, and leftover processes are found by a marker in their
environment and killed).

To see a worker's own errors (a sandbox that does not start), set ``COURSE_GRADE_DEBUG=1``:
the worker's stderr then goes to the grader's.

The channel: two pipes the grader opens. Commands go to the worker on one (a few bytes
each, written without blocking); replies come back as JSON lines on the other, read with
``select`` and a deadline, one line at most ``MAX_LINE`` bytes (longer lines are discarded
as they stream in, never held whole). Learner code inside the worker could write to that
pipe too; what it could say there is only a claimed answer to inputs the grader drew at
grading time, judged against references the grader keeps to itself (see ``grader``).
"""
import json
import os
import select
import shutil
import signal
import site
import subprocess
import sys
import sysconfig
import time
from dataclasses import asdict, dataclass
from pathlib import Path

#: the longest reply line the grader reads (an answer with large arrays); longer ones are dropped
MAX_LINE = 64 * 1024 * 1024
#: the unprivileged users a worker started by root becomes: UID_BASE + the grading slot
#: (one user per sandbox running at the same time, so that the process limit, which counts
#: a user's processes, and signals stay within one submission)
UID_BASE = 61000
#: name of the environment variable that marks a sandbox's processes (for the sweep)
MARKER = "COURSE_GRADE_SANDBOX"


@dataclass
class Limits:
    """Per-submission resource limits (``setrlimit`` in the worker, inherited by its children)."""

    memory_mb: int = 2048      # address space of each process
    cpu_seconds: int = 900     # CPU time of each process
    processes: int = 256       # processes of the sandbox's user (a fork bomb stops here)
    file_mb: int = 64          # largest file it may write
    open_files: int = 256


_BWRAP = {}


def bwrap_available():
    """The path of a *working* ``bwrap`` (it is tried once), or None."""
    if "path" not in _BWRAP:
        path = shutil.which("bwrap")
        if path:
            try:
                ok = subprocess.run([path, *_namespaces(), "--ro-bind", "/", "/", "--dev", "/dev",
                                     "--proc", "/proc", "true"], capture_output=True, timeout=30).returncode == 0
            except (OSError, subprocess.SubprocessError):
                ok = False
            path = path if ok else None
        _BWRAP["path"] = path
    return _BWRAP["path"]


def _namespaces():
    # As root, bwrap mounts without a user namespace, and the worker then drops to a user of its own
    # itself (inside a user namespace that maps only root, it could not). Otherwise bwrap
    # needs the user namespace to mount at all.
    spaces = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    return spaces if os.geteuid() == 0 else ["--unshare-all"]


def _readonly_paths():
    """What the worker needs to run Python with NumPy, IPython and course_lib: the system
    folders, the interpreter, the environment's site-packages and the course_lib package
    (only the package: not the course folder around it, whose ``solutions/`` hold answers)."""
    import course_lib
    paths = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"]
    paths += [sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.realpath(sys.executable))]
    paths += site.getsitepackages() + [sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")]
    paths.append(str(Path(course_lib.__file__).resolve().parent))
    keep = []
    for p in sorted({os.path.abspath(p) for p in paths if os.path.lexists(p)}, key=len):
        if p == "/" or any(p.startswith(k.rstrip("/") + "/") or p == k for k in keep):
            continue  # already inside a bound folder
        if os.path.realpath(p) == "/":
            continue
        keep.append(p)
    return keep


def _bwrap_args(bwrap, rw, ro_extra):
    args = [bwrap, "--die-with-parent", "--new-session", *_namespaces(),
            "--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--tmpfs", "/tmp"]
    made = set()

    def parents(p):
        out = []
        for parent in reversed(Path(p).parents):
            s = str(parent)
            if s != "/" and s not in made:
                made.add(s)
                out += ["--perms", "0755", "--dir", s]
        return out

    for p in _readonly_paths() + list(ro_extra):
        if os.path.islink(p) and os.path.dirname(p) == "/":
            args += ["--symlink", os.readlink(p), p]        # /bin -> usr/bin on merged-/usr systems
        else:
            args += parents(p) + ["--ro-bind", p, p]
    for p in rw:
        args += parents(p) + ["--bind", p, p]
    args += ["--remount-ro", "/"]
    return args


@dataclass
class Reply:
    """What ``Worker.read`` saw: a JSON object, a line too long or unreadable, the end, a timeout."""

    kind: str             # "message", "garbage", "exited", "timeout"
    message: dict = None


class Worker:
    """A running sandboxed worker (``_worker.py``) and both ends of its channel."""

    def __init__(self, proc, cmd_w, reply_r, token, use_bwrap):
        self.proc, self.cmd_w, self.reply_r, self.token, self.use_bwrap = proc, cmd_w, reply_r, token, use_bwrap
        self._buf = bytearray()
        self._dropping = False
        self._lines = []

    def send(self, line):
        """Send one short command; False when the worker cannot take it (gone or not reading)."""
        data = (line + "\n").encode()
        try:
            return os.write(self.cmd_w, data) == len(data)
        except (BlockingIOError, BrokenPipeError, OSError):
            return False

    def read(self, timeout):
        """The next reply line, waiting at most ``timeout`` seconds."""
        end = time.monotonic() + max(0.0, timeout)
        while not self._lines:
            left = end - time.monotonic()
            if left <= 0:
                return Reply("timeout")
            ready, _, _ = select.select([self.reply_r], [], [], min(left, 0.2))
            if not ready:
                if self.proc.poll() is not None:  # gone (a child may still hold the pipe open)
                    return Reply("exited")
                continue
            try:
                chunk = os.read(self.reply_r, 1 << 20)
            except BlockingIOError:
                continue
            except OSError:
                return Reply("exited")
            if not chunk:
                return Reply("exited")
            self._feed(chunk)
        line = self._lines.pop(0)
        if line is None:
            return Reply("garbage")
        try:
            msg = json.loads(line)
        except (ValueError, RecursionError, MemoryError):
            return Reply("garbage")
        return Reply("message", msg) if isinstance(msg, dict) else Reply("garbage")

    def _feed(self, chunk):
        while chunk:
            nl = chunk.find(b"\n")
            part, chunk = (chunk, b"") if nl < 0 else (chunk[:nl], chunk[nl + 1:])
            if not self._dropping:
                self._buf += part
                if len(self._buf) > MAX_LINE:
                    self._buf = bytearray()
                    self._dropping = True
            if nl >= 0:
                self._lines.append(None if self._dropping else bytes(self._buf))
                self._buf = bytearray()
                self._dropping = False

    def kill(self):
        """Kill the worker and everything it started; close the channel."""
        kill_tree(self.proc, self.token)
        for fd in (self.cmd_w, self.reply_r):
            try:
                os.close(fd)
            except OSError:
                pass


def kill_tree(proc, token):
    """SIGKILL the sandbox: its process group (bwrap's PID namespace dies with it), then any
    process still carrying the sandbox's marker in its environment (reduced isolation)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    for _ in range(5):
        if not sweep(token):
            break


def sweep(token):
    """Kill every process whose environment carries ``MARKER=token``; how many were found."""
    marker = f"{MARKER}={token}".encode()
    found = 0
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return 0
    for pid in pids:
        if pid == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read(1 << 20)
        except OSError:
            continue
        if marker in env.split(b"\0"):
            found += 1
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    if found:
        time.sleep(0.05)
    return found


def others_can_run_python():
    """Can a user other than the owner reach the interpreter and course_lib (every folder on
    the way searchable by others)? Without bubblewrap, a worker drops its privileges only then;
    bubblewrap mounts them into the sandbox anyway."""
    import course_lib
    for top in (sys.base_prefix, sys.prefix, str(Path(course_lib.__file__).resolve().parent)):
        p = Path(os.path.realpath(top))
        for folder in [p, *p.parents]:
            try:
                if not os.stat(folder).st_mode & 0o001:
                    return False
            except OSError:
                return False
    return True


def prepare(folder, uid):
    """Make a submission's folders usable by the worker's user ``uid`` (when we are root)."""
    if os.geteuid() == 0:
        for p in (folder / "work", folder / "home"):
            for root, dirs, files in os.walk(p):
                os.chown(root, uid, uid)
                for name in files:
                    os.chown(os.path.join(root, name), uid, uid)
    os.chmod(folder, 0o755)


def start(folder, limits, token, use_bwrap, cells_file, uid=UID_BASE):
    """Start the worker for the submission in ``folder`` (with ``work/``, ``home/``, ``job/``).

    Returns a ``Worker``. The worker reads its cells from ``cells_file`` (in ``job/``,
    read-only for it) and runs with ``limits``.
    """
    folder = Path(folder)
    work, home, job = folder / "work", folder / "home", folder / "job"
    cmd_r, cmd_w = os.pipe()
    reply_r, reply_w = os.pipe()
    os.set_blocking(cmd_w, False)
    env = {
        "PATH": os.path.dirname(sys.executable) + ":/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home), "IPYTHONDIR": str(home / ".ipython"), "MPLCONFIGDIR": str(home / ".matplotlib"),
        "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TMPDIR": str(home) if not use_bwrap else "/tmp",
        MARKER: token,
    }
    drop = uid if os.geteuid() == 0 and (use_bwrap or others_can_run_python()) else -1
    command = [sys.executable, "-s", "-m", "course_lib.grading._worker",
               str(cells_file), str(cmd_r), str(reply_w), json.dumps(asdict(limits)), str(drop)]
    if use_bwrap:
        command = _bwrap_args(use_bwrap, [str(work), str(home)], [str(job)]) + ["--chdir", str(work)] + command
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=None if os.environ.get("COURSE_GRADE_DEBUG") else subprocess.DEVNULL,
                                cwd=str(work), env=env,
                                pass_fds=(cmd_r, reply_w), start_new_session=True, close_fds=True)
    finally:
        os.close(cmd_r)
        os.close(reply_w)
    return Worker(proc, cmd_w, reply_r, token, use_bwrap)


def remove_tree(path):
    """Delete a scratch folder whatever the submission left in it (deep nesting, odd names,
    read-only folders): ``shutil.rmtree`` recurses and fails on 1,500 nested folders."""
    path = str(path)
    if not os.path.lexists(path):
        return
    for _ in range(2):
        try:
            subprocess.run(["chmod", "-R", "u+rwx", "--", path], capture_output=True, timeout=300)
            subprocess.run(["rm", "-rf", "--", path], capture_output=True, timeout=300)
        except (OSError, subprocess.SubprocessError):
            pass
        if not os.path.lexists(path):
            return
    _remove_iteratively(path)


def _remove_iteratively(top):
    stack = [top]
    order = []
    while stack:
        p = stack.pop()
        order.append(p)
        try:
            with os.scandir(p) as it:
                for e in it:
                    if e.is_dir(follow_symlinks=False):
                        stack.append(e.path)
                    else:
                        try:
                            os.unlink(e.path)
                        except OSError:
                            pass
        except OSError:
            pass
    for p in reversed(order):
        try:
            os.rmdir(p)
        except OSError:
            pass
