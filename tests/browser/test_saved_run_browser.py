"""A lesson that was run and saved shows its widgets' pictures when it is opened again.

JupyterLab keeps the widgets' state in the notebook when it saves only with the widget
manager's ``saveState`` setting, which ``make lab`` sets (``tools/lab_settings.py`` writes it
into the environment's JupyterLab settings). Without it, a saved run reopens with the words
"Error displaying widget: model not found" where each widget was.
"""
import json

from conftest import REPO
from helpers import load_tool
from test_widgets_feel import open_without_running

lab_settings = load_tool("lab_settings")


def test_a_saved_run_reopens_with_its_widget_pictures(lab):
    settings = lab_settings.overrides_path()
    assert settings.exists() and lab_settings.SETTINGS.items() <= json.loads(settings.read_text()).items(), (
        f"{settings} lacks the course's JupyterLab defaults: run python tools/lab_settings.py "
        "(make lab and make test do)")
    name = "01_neuron_saved_run.ipynb"                 # a new file: the lesson copies stay unsaved
    page = lab.open(name, source=REPO / "notebooks" / "01_neuron.ipynb")
    page.locator("img.widget-image").first.wait_for()
    page.evaluate("() => window.jupyterapp.shell.currentWidget.context.save()")
    saved = json.loads((lab.server.root / "notebooks" / name).read_text())
    state = saved["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    assert state.get("state"), "JupyterLab saved the notebook without its widgets' state"
    lab.shutdown_kernel()

    page = open_without_running(lab, name)                # a new kernel, which has no widgets
    find = """() => {
        const panel = window.jupyterapp.shell.currentWidget, nb = panel && panel.content;
        return !nb || !nb.widgets ? -1 : nb.widgets.findIndex(c => c.model.sharedModel.getSource().includes('neuron_widget(')); }"""
    page.wait_for_function(f"({find})() >= 0")            # all cells loaded (seen once: not yet)
    page.evaluate(f"""async () => {{
        const nb = window.jupyterapp.shell.currentWidget.content;
        const i = ({find})();
        nb.activeCellIndex = i;
        await nb.scrollToItem(i, 'start'); }}""")
    cell = page.locator(".jp-Cell.jp-mod-active").first
    image = cell.locator("img.widget-image").first
    image.wait_for()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    natural = image.evaluate("(img) => img.naturalWidth")
    assert "model not found" not in cell.inner_text()
    assert cell.locator(".widget-slider").count() == 3            # w1, w2, b as they were saved
    lab.shot("reopened", cell)
    assert natural == 2 * 960, f"the reopened picture is {natural} px wide"
