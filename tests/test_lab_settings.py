"""tools/lab_settings.py: the course's JupyterLab defaults, merged into an environment's
overrides.json without losing what else is there."""
import json

import pytest

from helpers import load_tool

lab_settings = load_tool("lab_settings")
PLUGIN = "@jupyter-widgets/jupyterlab-manager:plugin"


def test_writes_the_widget_state_setting_where_jupyterlab_reads_an_environments_defaults(tmp_path):
    path = lab_settings.overrides_path(tmp_path)
    assert path == tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert lab_settings.write(path) is True
    assert json.loads(path.read_text()) == {PLUGIN: {"saveState": True}}
    assert lab_settings.write(path) is False                    # a second run changes nothing


def test_keeps_the_files_other_settings(tmp_path):
    path = lab_settings.overrides_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
                                PLUGIN: {"saveState": False, "other": 1}}))
    assert lab_settings.write(path) is True
    assert json.loads(path.read_text()) == {
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
        PLUGIN: {"saveState": True, "other": 1}}


def test_a_file_that_is_not_a_json_object_is_left_alone_with_the_reason(tmp_path):
    path = tmp_path / "overrides.json"
    path.write_text("[1, 2]")
    with pytest.raises(ValueError, match="is not a JSON object; add .*saveState"):
        lab_settings.write(path)
    assert path.read_text() == "[1, 2]"
