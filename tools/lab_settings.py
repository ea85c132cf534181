"""Write the course's JupyterLab defaults into this Python environment's JupyterLab.

    python tools/lab_settings.py        (``make lab``, ``make test`` and binder/postBuild run it)

They go into ``<sys.prefix>/share/jupyter/lab/settings/overrides.json``, where JupyterLab
looks for an environment's defaults: a learner's own choices in Settings still win, and
the file's other entries are kept.

* ``saveState`` of the widget manager (``@jupyter-widgets/jupyterlab-manager:plugin``): a
  notebook saved after a run keeps its widgets' state, so when it is opened again each
  widget shows its last picture (and controls) instead of "Error displaying widget: model
  not found". Moving a control does something again once its cell is run.
"""
import json
import sys
from pathlib import Path

SETTINGS = {"@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": True}}


def overrides_path(prefix=sys.prefix):
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def write(path=None):
    """Merge ``SETTINGS`` into ``path`` (default: this environment's overrides.json); returns
    True if the file changed. A file that is not a JSON object is left alone (ValueError)."""
    path = Path(path) if path is not None else overrides_path()
    current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if not isinstance(current, dict):
        raise ValueError(f"{path} is not a JSON object; add {json.dumps(SETTINGS)} to it by hand")
    merged = {**current}
    for plugin, values in SETTINGS.items():
        merged[plugin] = {**merged.get(plugin, {}), **values}
    if merged == current:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    return True


def main():
    path = overrides_path()
    try:
        changed = write(path)
    except (OSError, ValueError) as exc:
        print(f"lab_settings: could not write the course's JupyterLab defaults: {exc}", file=sys.stderr)
        return 1
    print(f"lab_settings: {'wrote' if changed else 'already set in'} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
