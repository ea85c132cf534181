"""Real-browser tests: JupyterLab in Chromium, driven by Playwright.

Session fixtures start one JupyterLab server and one headless Chromium for the whole run.

* The server runs on loopback, on a free port, with a random token. Its root is a fresh
  temporary directory holding *copies* of the lessons (``notebooks/*.ipynb``), so it cannot
  write to the repository at all; its user settings also turn autosave off, and the end of
  the session checks that not even the copies were saved. The kernel imports the same ``course_lib`` (installed editable).
* Chromium is Debian's (``/usr/bin/chromium``, or $COURSE_CHROMIUM); Playwright never downloads
  a browser. Missing Playwright or Chromium skips these tests with the reason, or fails them
  when COURSE_REQUIRE_REFERENCE_TOOLS=1 (CI).

Each test gets a ``lab`` object: ``lab.open(name)`` opens a lesson copy, runs all cells and
waits until the kernel is idle and the widgets have rendered; ``lab.shot(name)`` saves a
screenshot to tests/browser/screenshots/.
"""
import hashlib
import importlib.util
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SERVER_START_TIMEOUT = 90      # seconds until JupyterLab answers
RUN_ALL_TIMEOUT = 150          # seconds for "run all cells" of one lesson
UI_TIMEOUT = 30_000            # ms for an element to appear / a widget to react

# tests/conftest.py's helpers, loaded by path ("conftest" is an ambiguous module name here)
_spec = importlib.util.spec_from_file_location("_course_test_helpers", REPO / "tests" / "conftest.py")
_helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_helpers)
missing_tool, require_module, require_executable = (
    _helpers.missing_tool, _helpers.require_module, _helpers.require_executable)

# JupyterLab user settings for the test server: no autosave, no news / update pop-ups
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": '{"autosave": false}',
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        '{"fetchNews": "false", "checkForUpdates": false}',
}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _digest(paths):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


class LabServer:
    def __init__(self, root, port, token, proc, log):
        self.root, self.port, self.token, self.proc, self.log = root, port, token, proc, log
        self.base = f"http://127.0.0.1:{port}"

    def url(self, path=""):
        sep = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{sep}token={self.token}"

    def log_tail(self, n=40):
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


@pytest.fixture(scope="session")
def lab_server():
    """JupyterLab on 127.0.0.1:<free port> with a token, serving copies of the lessons."""
    require_module("playwright.sync_api", "pip install playwright (the browser is Debian's chromium)")
    require_module("jupyterlab", "pip install jupyterlab")
    root = Path(tempfile.mkdtemp(prefix="course-browser-"))
    shutil.copytree(REPO / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    # the repository is not under the server's root, so nothing can save into it; and the
    # copies must stay as they were too (autosave off, nothing saved): checked at the end
    copies = sorted((root / "notebooks").glob("*.ipynb"))
    before = _digest(copies)
    settings = root / ".lab-settings"
    for name, text in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    env = dict(os.environ,
               JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(root / ".lab-workspaces"),
               JUPYTER_RUNTIME_DIR=str(root / ".runtime"),
               PYTHONUNBUFFERED="1")
    # kernels must pick their own (inline) matplotlib backend, whatever another test module
    # of this pytest run put into os.environ (e.g. MPLBACKEND=Agg hides every plt.show())
    env.pop("MPLBACKEND", None)
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           "--LabApp.expose_app_in_browser=True"]
    if hasattr(os, "getuid") and os.getuid() == 0:
        cmd.append("--allow-root")
    log = root / "jupyterlab.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=root, env=env)
    server = LabServer(root, port, token, proc, log)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {proc.returncode}:\n{server.log_tail()}")
            try:
                with urllib.request.urlopen(server.url("api/status"), timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer within {SERVER_START_TIMEOUT} s:\n{server.log_tail()}")
            time.sleep(0.25)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        # (JupyterLab makes a checkpoint copy when it opens a file; that is not a save)
        changed = [p.name for p, h in _digest(copies).items() if before.get(p) != h]
        shutil.rmtree(root, ignore_errors=True)
    assert not changed, f"JupyterLab saved notebooks during the browser tests (autosave is off): {changed}"


@pytest.fixture(scope="session")
def browser():
    sync_api = require_module("playwright.sync_api", "pip install playwright")
    require_executable(CHROMIUM, "apt-get install chromium (Debian's package; never 'playwright install')")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


class Lab:
    """One browser page on the test server, with the steps every test needs."""

    def __init__(self, server, page, test_name):
        self.server, self.page, self.test_name = server, page, test_name
        self.shots = []

    def open(self, notebook, source=None):
        """Open ``notebooks/<notebook>`` (a copy), run all cells, wait for idle + widgets.

        ``source``: copy this notebook file in under that name first (for trying the
        harness on a scratch notebook).
        """
        copy = self.server.root / "notebooks" / notebook
        if source is not None:
            shutil.copyfile(source, copy)
        if not copy.exists():
            pytest.skip(f"notebooks/{notebook} does not exist yet")
        from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

        page = self.page
        workspace = re.sub(r"[^a-z0-9]+", "-", self.test_name.lower())[:60]
        for attempt in (1, 2):
            page.goto(self.server.url(f"lab/workspaces/{workspace}/tree/notebooks/{notebook}?reset"),
                      wait_until="domcontentloaded", timeout=60_000)
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=60_000)
            page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=60_000)
            try:
                self.wait_kernel_idle(60)
                break
            except PlaywrightTimeoutError:
                # seen once on a loaded machine: the page never connected to its new kernel
                # (status "Unknown"); opening the page again connects it
                if attempt == 2:
                    raise
        ok = page.evaluate(
            """async (timeout) => {
                const app = window.jupyterapp;
                const panel = app.shell.currentWidget;
                await panel.sessionContext.ready;
                const run = app.commands.execute('notebook:run-all-cells');
                const t = new Promise(r => setTimeout(() => r('timeout'), timeout));
                return await Promise.race([run.then(() => 'done'), t]);
            }""", RUN_ALL_TIMEOUT * 1000)
        assert ok == "done", f"running all cells of {notebook} took over {RUN_ALL_TIMEOUT} s"
        self.wait_cells_done(RUN_ALL_TIMEOUT)
        self.wait_kernel_idle(60)
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        tracebacks = [t for t in errors.all_inner_texts() if "Traceback" in t or "Error" in t]
        assert not tracebacks, f"{notebook} raised while running in the browser:\n{tracebacks[0][:2000]}"
        return page

    def kernel_status(self):
        return self.page.evaluate("""() => {
            const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
            return k ? k.status : null; }""")

    def wait_kernel_idle(self, seconds):
        self.page.wait_for_function("""() => {
            const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
            return k && k.status === 'idle'; }""", timeout=seconds * 1000)

    def wait_cells_done(self, seconds):
        """No code cell is queued or running: no prompt shows ``[*]``."""
        self.page.wait_for_function("""() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => !p.textContent.includes('*'));
        }""", timeout=seconds * 1000)

    def output_with(self, locator_css, has_text=None):
        """The output area of the cell whose widget matches ``locator_css`` (and text)."""
        inner = self.page.locator(locator_css)
        if has_text is not None:
            inner = inner.filter(has_text=has_text)
        return self.page.locator(".jp-Cell-outputArea").filter(has=inner).first

    def shot(self, name, locator=None):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.test_name}-{name}.png"
        (locator or self.page).screenshot(path=str(path))
        self.shots.append(path)
        return path.read_bytes()

    def shutdown_kernel(self):
        try:
            self.page.evaluate("""async () => {
                const w = window.jupyterapp.shell.currentWidget;
                if (w && w.sessionContext) { await w.sessionContext.shutdown(); } }""")
        except Exception:  # the page may be gone; the server's shutdown ends the kernel anyway
            pass


@pytest.fixture
def lab(browser, lab_server, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(UI_TIMEOUT)
    page = context.new_page()
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    session = Lab(lab_server, page, name)
    try:
        yield session
    finally:
        try:
            session.shot("final")
        except Exception:
            pass
        session.shutdown_kernel()
        context.close()
