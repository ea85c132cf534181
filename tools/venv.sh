#!/bin/sh
# Make .venv ready for `make lab` (learner: the course and JupyterLab) or `make test`
# (maintainer: the same plus the test tools), and repair it when an earlier try left it broken.
#
#   sh tools/venv.sh PYTHON lab|dev [asked]
#
# .venv is rebuilt when it has no working Python or pip, when its Python is older than 3.10,
# or, when PYTHON was asked for (`asked`: make's PYTHON came from the command line or the
# environment), when it was made by another Python (so `make lab PYTHON=python3.12` after a
# failed first try just works). The install runs again when pyproject.toml is newer than the
# last install. Every failure ends in one line that says what to do.
set -u
PYTHON=$1
LEVEL=$2
ASKED=${3:-}
VENV=.venv
MIN="(3, 10)"
case "$LEVEL" in lab) TARGET=lab ;; *) TARGET=test ;; esac
CONDA_HINT="or use conda instead of make: see 'With conda' in README.md"

say() { printf '%s\n' "$*" >&2; }

version_of() {  # the X.Y.Z of a Python, or nothing if it does not run
    "$1" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null
}

# 1. The Python asked for must run and be new enough.
asked=$(version_of "$PYTHON")
if [ -z "$asked" ]; then
    say "make: '$PYTHON' does not run. Install Python 3.10 or newer, or name one: make $TARGET PYTHON=python3.12 ($CONDA_HINT)."
    exit 2
fi
if ! "$PYTHON" -c "import sys; sys.exit(sys.version_info[:2] < $MIN)"; then
    say "make: '$PYTHON' is Python $asked; the course needs 3.10 or newer. Name a newer one: make $TARGET PYTHON=python3.12 ($CONDA_HINT)."
    exit 2
fi

# 2. Reuse .venv only if it works and was made by that Python.
if [ -e "$VENV" ]; then
    reason=""
    have=$(version_of "$VENV/bin/python")
    if [ -z "$have" ]; then
        reason="its Python does not run"
    elif ! "$VENV/bin/python" -c "import sys; sys.exit(sys.version_info[:2] < $MIN)"; then
        reason="its Python $have is older than 3.10"
    elif [ -n "$ASKED" ] && [ "$have" != "$asked" ]; then
        reason="it has Python $have, but $PYTHON is $asked"
    elif ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
        reason="it has no pip (an earlier 'python -m venv' failed half-way)"
    fi
    if [ -n "$reason" ]; then
        say "make: rebuilding $VENV: $reason."
        rm -rf "$VENV"
    fi
fi

# 3. Create it; when venv/ensurepip is missing, say how to get it.
if [ ! -e "$VENV" ]; then
    say "make: creating $VENV with $PYTHON (Python $asked)"
    if ! "$PYTHON" -m venv "$VENV" >/tmp/course-venv-$$.log 2>&1; then
        rm -rf "$VENV"
        if grep -q "ensurepip" /tmp/course-venv-$$.log; then
            say "make: '$PYTHON -m venv' is not available: on Debian or Ubuntu run 'sudo apt install python3-venv' (or python${asked%.*}-venv), then run make again ($CONDA_HINT)."
        else
            say "make: '$PYTHON -m venv $VENV' failed:"; cat /tmp/course-venv-$$.log >&2
        fi
        rm -f /tmp/course-venv-$$.log
        exit 2
    fi
    rm -f /tmp/course-venv-$$.log
fi

# 4. Install what this level needs, again when pyproject.toml changed.
case "$LEVEL" in
    lab) spec="." ; stamp="$VENV/.installed-lab" ;;
    dev) spec=".[dev]" ; stamp="$VENV/.installed-dev" ;;
    *) say "tools/venv.sh: level must be lab or dev, not '$LEVEL'"; exit 2 ;;
esac
if [ ! -e "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    if [ "$LEVEL" = lab ]; then
        say "make: installing the course into $VENV (the first time takes 1-2 minutes)..."
    else
        say "make: installing the course and its test tools into $VENV..."
    fi
    "$VENV/bin/python" -m pip install --upgrade pip >/dev/null 2>&1
    if ! "$VENV/bin/python" -m pip install -e "$spec"; then
        say "make: installing the course into $VENV failed (pip's message is above); fix that, then run make $TARGET again."
        exit 2
    fi
    touch "$stamp"
    [ "$LEVEL" = dev ] && touch "$VENV/.installed-lab"
fi
# 5. The course's JupyterLab defaults (widgets keep their pictures in a saved notebook); not
#    worth stopping for: its one-line reason is above when it fails.
"$VENV/bin/python" tools/lab_settings.py >/dev/null \
    || say "make: going on without the course's JupyterLab defaults (a saved notebook's widgets will not keep their pictures)."
exit 0
