"""The process that runs one submission's cells inside the sandbox (see ``sandbox``).

``python -m course_lib.grading._worker CELLS CMD_FD REPLY_FD LIMITS DROP_UID``

Before any learner code runs it sets the resource limits, drops to an unprivileged user
when started as root, and reads the checks' runner (``checks/_call.py``) from disk. Then it
executes the commands the grader sends on ``CMD_FD``, one per line:

``cell I SECONDS``           run code cell I of CELLS (an IPython shell, as in Jupyter) under
                             a time limit; reply ``{"cell": I, "error": ..., "timeout": ...}``
``grade TOKEN PAYLOAD SECS`` call the learner's functions on the inputs in PAYLOAD (a pickle
                             the grader wrote) and reply one record per exercise, then
                             ``{"graded": TOKEN}``

Replies are JSON lines on ``REPLY_FD``. Printed output goes to /dev/null.
"""
import json
import os
import resource
import signal
import sys


class CellTimeLimit(BaseException):
    """Raised in a cell that runs past its time limit (a BaseException: ``except Exception``
    in the learner's code does not swallow it)."""


def _limit(which, value):
    try:
        resource.setrlimit(which, (value, value))
    except (ValueError, OSError):
        pass


def set_limits(limits):
    mb = 1024 * 1024
    _limit(resource.RLIMIT_AS, int(limits["memory_mb"]) * mb)
    _limit(resource.RLIMIT_CPU, int(limits["cpu_seconds"]))
    _limit(resource.RLIMIT_FSIZE, int(limits["file_mb"]) * mb)
    _limit(resource.RLIMIT_NOFILE, int(limits["open_files"]))
    _limit(resource.RLIMIT_NPROC, int(limits["processes"]))
    _limit(resource.RLIMIT_CORE, 0)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large file fails the write, not the kernel


def drop_privileges(uid):
    if uid >= 0 and os.geteuid() == 0:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)


def main(argv):
    cells_file, cmd_fd, reply_fd, limits, drop = argv[1], int(argv[2]), int(argv[3]), json.loads(argv[4]), int(argv[5])
    main_pid = os.getpid()
    set_limits(limits)
    drop_privileges(drop)
    for fd in (cmd_fd, reply_fd):
        os.set_inheritable(fd, False)
    sys.stdin = open(os.devnull)
    with open(cells_file, encoding="utf-8") as f:
        cells = json.load(f)
    import course_lib.checks._call as call_module
    with open(call_module.__file__, encoding="utf-8") as f:
        call_source = f.read()
    call_path = call_module.__file__

    def reply(obj):
        data = (json.dumps(obj) + "\n").encode()
        view = memoryview(data)
        while view:
            n = os.write(reply_fd, view)
            view = view[n:]

    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config
    config = Config()
    config.HistoryManager.enabled = False   # no history database (and no thread writing it)
    shell = InteractiveShell.instance(config=config, colors="nocolor")
    commands = os.fdopen(cmd_fd, "rb", buffering=0)
    reply({"ready": True})

    def alarm(signum, frame):
        raise CellTimeLimit()

    while True:
        line = commands.readline()
        if not line:
            return
        words = line.decode("ascii", "replace").split()
        if words[:1] == ["cell"]:
            i, seconds = int(words[1]), float(words[2])
            out = {"cell": i, "error": None, "timeout": False}
            try:
                signal.signal(signal.SIGALRM, alarm)
                signal.setitimer(signal.ITIMER_REAL, seconds)
                try:
                    result = shell.run_cell(cells[str(i)], store_history=True)
                finally:
                    if os.getpid() != main_pid:  # a child the cell forked: it is not the worker
                        os._exit(0)
                    signal.setitimer(signal.ITIMER_REAL, 0)
                err = result.error_before_exec or result.error_in_exec
            except BaseException as e:  # noqa: BLE001 - the alarm outside the cell's own code
                err = e
            if isinstance(err, CellTimeLimit):
                out["timeout"] = True
            elif err is not None:
                try:
                    out["error"] = f"{type(err).__name__}: {str(err)[:200]}"
                except BaseException:  # noqa: BLE001 - a learner's __str__ may fail
                    out["error"] = type(err).__name__
            reply(out)
        elif words[:1] == ["grade"]:
            token, payload, seconds = words[1], words[2], float(words[3])
            import pickle
            with open(payload, "rb") as f:
                items = pickle.load(f)  # written by the grader
            ns = {"__name__": f"_course_grader_{token}"}
            exec(compile(call_source, call_path, "exec"), ns)

            def emit(record):
                record["token"] = token
                reply(record)

            ns["run_payload"](items, emit, shell.user_ns, seconds)
            reply({"graded": token, "token": token})


if __name__ == "__main__":
    main(sys.argv)
