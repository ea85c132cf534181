"""Every plotting helper runs headless (Agg) and returns the Axes or Figure it drew on."""
import base64
import inspect
import re
import struct

import matplotlib  # noqa: E402

# Agg for this process only: setting MPLBACKEND in os.environ would leak into every
# notebook kernel nbval starts later, and their plt.show() would then print nothing.
matplotlib.use("Agg", force=True)

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course_lib import Adam, datasets, mlp, plots, train  # noqa: E402
from course_lib.surfaces import Quadratic, optimizer_path  # noqa: E402

TESTED = set()


def covers(func):
    """Mark a test as covering the plots function of its name (test_<name>...)."""
    TESTED.add(func.__name__.removeprefix("test_").split("__")[0])
    return func


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_backend_is_agg():
    assert matplotlib.get_backend().lower() == "agg"


@covers
def test_plot_activation():
    ax = plots.plot_activation("tanh")
    assert isinstance(ax, Axes)
    assert len(ax.lines) >= 2 and ax.get_title() == "tanh"
    z, y = ax.lines[0].get_data()
    np.testing.assert_allclose(y, np.tanh(z))
    fig, own = plt.subplots()
    assert plots.plot_activation("relu", z=np.linspace(-1, 1, 5), ax=own, derivative=False) is own


@covers
def test_plot_activations():
    fig = plots.plot_activations()
    assert isinstance(fig, Figure) and len(fig.axes) == 5
    assert isinstance(plots.plot_activations(("sigmoid",)), Figure)


@covers
def test_panel_grid():
    fig, axes = plots.panel_grid(5)                     # 2 rows of 3, the sixth cell removed
    assert len(axes) == 5 and fig.axes == axes
    assert tuple(fig.get_size_inches()) == pytest.approx((9.6, 6.0))
    assert [ax.get_subplotspec().get_geometry()[2] for ax in axes] == [0, 1, 2, 3, 4]
    fig, axes = plots.panel_grid(2, n_cols=3, panel_size=(4, 2))   # fewer panels than columns
    assert len(axes) == 2 and tuple(fig.get_size_inches()) == (8, 2)


@covers
def test_plot_loss_curves():
    X, y = datasets.xor()
    h = train(mlp([2, 3, 1], "tanh", output="sigmoid", seed=0), X, y, "bce", Adam(0.05), epochs=5,
              validation_data=(X, y))
    ax = plots.plot_loss_curves(h)
    assert isinstance(ax, Axes) and len(ax.lines) == 2            # train and validation
    ax = plots.plot_loss_curves({"a": h, "b": [1.0, 0.5, 0.2]}, log=True, validation=False)
    assert isinstance(ax, Axes) and len(ax.lines) == 2 and ax.get_yscale() == "log"


@covers
def test_plot_data():
    X, y = datasets.blobs(30, centers=3, seed=0)
    ax = plots.plot_data(X, y)
    assert isinstance(ax, Axes) and len(ax.collections) == 3


@covers
def test_decision_grid():
    X, _ = datasets.moons(20, seed=0)
    binary = mlp([2, 4, 1], "tanh", output="sigmoid", seed=0)
    xx, yy, values = plots.decision_grid(binary.predict, X, resolution=12)
    assert xx.shape == yy.shape == values.shape == (12, 12)
    assert values.dtype.kind == "f" and np.all((values >= 0) & (values <= 1))
    multi = mlp([2, 4, 3], "tanh", seed=0)
    _, _, labels = plots.decision_grid(multi.predict, X, resolution=7)
    assert labels.shape == (7, 7) and set(np.unique(labels)) <= {0, 1, 2}


@covers
def test_plot_decision_boundary():
    X, y = datasets.moons(30, seed=0)
    ax = plots.plot_decision_boundary(mlp([2, 4, 1], "tanh", output="sigmoid", seed=0), X, y,
                                      resolution=20, title="moons")
    assert isinstance(ax, Axes) and ax.get_title() == "moons"
    X3, y3 = datasets.spirals(30, n_classes=3, seed=0)
    assert isinstance(plots.plot_decision_boundary(mlp([2, 4, 3], seed=0), X3, y3, resolution=20), Axes)
    # any function X -> outputs works too
    assert isinstance(plots.plot_decision_boundary(lambda G: G[:, :1] > 0, X, y, resolution=10), Axes)


@covers
def test_plot_surface_paths():
    surface = Quadratic(1.0, 10.0)
    path = optimizer_path(surface, "sgd", [-4.0, 2.0], steps=10, lr=0.05)
    ax = plots.plot_surface_paths(surface, path)
    assert isinstance(ax, Axes)
    paths = {"sgd": path, "adam": optimizer_path(surface, "adam", [-4.0, 2.0], steps=10, lr=0.3)}
    assert isinstance(plots.plot_surface_paths(surface, paths, title="paths"), Axes)


@covers
def test_plot_gradient_norms():
    ax = plots.plot_gradient_norms([1e-4, 1e-2, 1.0])
    assert isinstance(ax, Axes) and ax.get_yscale() == "log" and len(ax.patches) == 3
    ax = plots.plot_gradient_norms({"sigmoid": [1e-5, 1e-3], "relu": [0.5, 0.4]}, labels=["1", "2"])
    assert isinstance(ax, Axes) and len(ax.patches) == 4


@covers
def test_plot_confusion_matrix():
    cm = np.array([[5, 1, 0], [0, 4, 2], [0, 0, 6]])
    ax = plots.plot_confusion_matrix(cm, class_names=["a", "b", "c"])
    assert isinstance(ax, Axes)
    assert len(ax.texts) == np.count_nonzero(cm)            # one count per non-empty cell
    assert isinstance(plots.plot_confusion_matrix(np.zeros((2, 2), dtype=int)), Axes)


@covers
def test_plot_digit_grid():
    X, y = datasets.load_digits()
    fig = plots.plot_digit_grid(X[:12], labels=y[:12], predictions=(y[:12] + 1) % 10, n_cols=6,
                                title="digits")
    assert isinstance(fig, Figure) and len(fig.axes) == 12
    assert isinstance(plots.plot_digit_grid(X[:3]), Figure)


@covers
def test_figure_png():
    fig = Figure(figsize=(2, 1))          # no pyplot: as the widgets make them
    fig.add_subplot(1, 1, 1).plot([0, 1], [1, 0])
    png = plots.figure_png(fig, dpi=50)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (100, 50)


@covers
def test_png_bytes():
    import io

    from PIL import Image

    rng = np.random.default_rng(0)
    for channels in (3, 4):
        pixels = rng.integers(0, 256, size=(7, 5, channels), dtype=np.uint8)
        decoded = np.asarray(Image.open(io.BytesIO(plots.png_bytes(pixels))))
        assert decoded.shape == pixels.shape
        np.testing.assert_array_equal(decoded[..., :3], pixels[..., :3])   # lossless, every filter byte right
        if channels == 4:
            assert (decoded[..., 3] == 255).all()                          # opaque whatever the alpha


@covers
def test_use_course_style():
    import matplotlib.pyplot as plt

    before = plt.rcParams["axes.prop_cycle"]
    try:
        plots.use_course_style()
        fig, ax = plt.subplots()
        lines = [ax.plot([0, 1], [0, k])[0] for k in range(3)]
        assert [line.get_color() for line in lines] == plots.CLASS_COLORS[:3]   # not tab10's
    finally:
        plt.rcParams["axes.prop_cycle"] = before


@covers
def test_css_width():
    assert plots.css_width(Figure(figsize=(9.6, 4))) == 960
    png = plots.figure_png(Figure(figsize=(9.6, 4)))      # the default: twice the CSS pixels
    assert int.from_bytes(png[16:20], "big") == plots.SCALE * 960


def test_redrawn_figure_draws_only_what_changes_and_matches_a_full_draw():
    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot(1, 1, 1)
    ax.plot([0, 1], [0, 1], color="grey")                  # unchanging
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title(" ", y=1.0)
    redrawn = plots.RedrawnFigure(fig)
    (dot,) = ax.plot([0.2], [0.2], "o")
    redrawn.changing(dot, ax.title)
    first = redrawn.png()
    dot.set_data([0.8], [0.3])
    ax.set_title("moved")
    moved = redrawn.png()
    assert moved != first
    full = plots.figure_png(fig, dpi=fig.dpi)               # everything drawn the usual way
    import io

    from PIL import Image

    a = np.asarray(Image.open(io.BytesIO(moved)).convert("RGB"), dtype=int)
    b = np.asarray(Image.open(io.BytesIO(full)).convert("RGB"), dtype=int)
    assert a.shape == b.shape and np.abs(a - b).mean() < 1.0


def test_redrawn_figure_at_another_dpi_keeps_a_background_for_each():
    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot(1, 1, 1)
    ax.plot([0, 1], [0, 1], color="grey")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    redrawn = plots.RedrawnFigure(fig)                      # 2x by default
    (dot,) = ax.plot([0.2], [0.2], "o")
    redrawn.changing(dot)
    two = redrawn.png()
    one = redrawn.png(dpi=plots.CSS_DPI)
    size = lambda png: (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big"))
    assert size(two) == (2 * 300, 2 * 200) and size(one) == (300, 200)
    dot.set_data([0.8], [0.3])
    redrawn.png(dpi=plots.CSS_DPI)
    dot.set_data([0.2], [0.2])
    assert redrawn.png() == two                             # back at 2x: nothing left behind
    assert redrawn.png(dpi=plots.CSS_DPI) == one


def test_every_plotting_helper_is_tested():
    public = {name for name, obj in inspect.getmembers(plots, inspect.isfunction)
              if not name.startswith("_") and obj.__module__ == plots.__name__}
    missing = public - TESTED
    assert not missing, f"add a test to tests/test_plots.py for: {sorted(missing)}"


# ---------------------------------------------------------------------------------------
# Colours that carry meaning stay apart for colour-blind eyes
# ---------------------------------------------------------------------------------------
# Machado, Oliveira & Fernandes (2009), full severity, applied to linear RGB
CVD = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def _lab(hex_color, vision=None):
    """CIELAB of an sRGB colour, as seen with ``vision`` (a CVD key) or normal vision."""
    c = np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    rgb = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    if vision is not None:
        rgb = np.clip(CVD[vision] @ rgb, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _closest_pair(colors):
    """The smallest colour difference (CIE76 Delta E) between any two of ``colors``, with
    normal vision or any of the three simulated colour blindnesses: ``(dE, a, b, vision)``."""
    return min((float(np.linalg.norm(_lab(a, v) - _lab(b, v))), a, b, v or "normal")
               for v in (None, *CVD) for i, a in enumerate(colors) for b in colors[i + 1:])


def test_class_colours_stay_apart_for_colour_blind_eyes():
    # the lessons and the playground use up to four classes; tab10's red and green (classes 1
    # and 2) were 7 apart for deuteranopia, its blue and purple 6 for protanopia
    assert _closest_pair(["#d62728", "#2ca02c"])[0] < 10                 # the simulation sees it
    dE, a, b, vision = _closest_pair(plots.CLASS_COLORS[:3])
    assert dE >= 40, (dE, a, b, vision)
    dE, a, b, vision = _closest_pair(plots.CLASS_COLORS[:4])
    assert dE >= 25, (dE, a, b, vision)


def test_link_and_curve_colours_stay_apart_for_colour_blind_eyes():
    from course_lib.widgets import playground_render as pr

    for pair in (pr.WEIGHT_COLORS, pr.GRADIENT_COLORS, plots.CLASS_COLORS[:2]):   # + / -, train / test
        dE, a, b, vision = _closest_pair(list(pair))
        assert dE >= 50, (dE, a, b, vision)


@covers
def test_show__in_a_kernel_gives_the_figure_its_text_alternative(tmp_path):
    """In a kernel, ``plots.show`` displays the figure once, its text/plain and its picture's
    ``alt`` metadata the sentence given, and closes it (nothing shown twice at the cell's end);
    also for a Figure made without pyplot, before pyplot has drawn anything (the inline
    backend is not loaded yet). The PNG has ``SCALE`` device pixels per CSS pixel and its
    metadata the CSS size: ``CSS_DPI`` per figure inch, cropped to what is drawn. A figure
    wider than JupyterLab's output, or with text under ``MIN_TEXT_PX``, is shown with a
    warning that says what to change; a narrow one with 8 pt text (11 px) is not."""
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import matplotlib.pyplot as plt\n"
        "from matplotlib.figure import Figure\n"
        "from course_lib import plots\n"
        "other = Figure()\n"                               # first, before pyplot draws anything
        "other.subplots().plot([1, 0])\n"
        "plots.show('A line falling from 1 to 0.', fig=other)\n"
        "fig, ax = plt.subplots(figsize=(4, 3))\n"
        "ax.plot([0, 1])\n"
        "ax.set_title('eight points', fontsize=8)\n"      # 11.1 px at 100 CSS px per inch
        "plots.show('A line rising from 0 to 1.')\n"
        "print(len(plt.get_fignums()))"),
        nbformat.v4.new_code_cell(
        "fig, ax = plt.subplots(figsize=(16, 3))\n"        # ~1300 px when cropped, shown at 968
        "ax.set_title('eight points', fontsize=8)\n"
        "plots.show('A wide empty chart.')"),
        nbformat.v4.new_code_cell(
        "fig, ax = plt.subplots(figsize=(4, 3))\n"         # not shrunk; 6 pt is 8.3 px
        "ax.set_title('six points', fontsize=6)\n"
        "plots.show('A small empty chart.')")]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    pictures = [o for o in outputs if o.output_type == "display_data"]
    assert [o.data["text/plain"] for o in pictures] == ["A line falling from 1 to 0.",
                                                         "A line rising from 0 to 1."]
    for o in pictures:
        assert o.data["image/png"] and o.metadata["image/png"]["alt"] == o.data["text/plain"]
        png = base64.b64decode(o.data["image/png"])
        width, height = struct.unpack(">II", png[16:24])
        css = o.metadata["image/png"]
        assert (abs(width - plots.SCALE * css["width"]) <= 1
                and abs(height - plots.SCALE * css["height"]) <= 1), (width, height, css)
    # the default 6.4 x 4.8 in figure and the 4 x 3 in one at 100 CSS px per inch, cropped
    # to what is drawn (white margins off)
    for o, (inches_w, inches_h) in zip(pictures, [(6.4, 4.8), (4, 3)]):
        css = o.metadata["image/png"]
        assert (0.8 * inches_w * plots.CSS_DPI <= css["width"] <= inches_w * plots.CSS_DPI
                and 0.8 * inches_h * plots.CSS_DPI <= css["height"] <= inches_h * plots.CSS_DPI), css
    assert [o.text for o in outputs if o.output_type == "stream"] == ["0\n"]     # both closed
    warning = "".join(o.text for o in nb.cells[1].outputs if o.output_type == "stream")
    wide = re.search(r"plots.show: the figure is ([0-9]+) px wide; JupyterLab's output is 968 px "
                     r"and shrinks it, its text with it: make the figure at most 9.68 inches wide", warning)
    assert wide and 1200 < int(wide.group(1)) <= 1600, warning
    assert [o.data["text/plain"] for o in nb.cells[1].outputs
            if o.output_type == "display_data"] == ["A wide empty chart."]        # still shown
    warning = "".join(o.text for o in nb.cells[2].outputs if o.output_type == "stream")
    assert ("plots.show: the text 'six points' is 8.3 px high, under 10 px: make it at least "
            "7.2 points") in warning
    nbconvert = pytest.importorskip("nbconvert")
    page, _ = nbconvert.HTMLExporter(template_name="classic").from_notebook_node(nb)
    assert 'alt="A line rising from 0 to 1."' in page


@covers
def test_smallest_text__in_css_pixels_at_the_size_shown():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1])
    ax.set_title("title", fontsize=14)
    ax.legend(["line"], fontsize=7.2)
    plots.figure_png(fig)                                      # tick labels are made when drawn
    assert plots.smallest_text(fig) == (pytest.approx(10.0), "line")     # 7.2 pt at 100 px/in
    assert plots.smallest_text(fig, 50)[0] == pytest.approx(5.0)
    ax.get_legend().set_visible(False)
    px, text = plots.smallest_text(fig)
    assert px == pytest.approx(10 * 100 / 72) and text != "line"          # the 10 pt ticks
    empty = plt.figure()
    assert plots.smallest_text(empty) == (float("inf"), "")


@covers
def test_show__outside_a_kernel_is_plt_show_and_wants_a_sentence(monkeypatch):
    shown = []
    monkeypatch.setattr(plots.plt, "show", lambda: shown.append(True))
    plots.show("A figure.")
    assert shown == [True]
    for bad in ("", "   ", None, 3):
        with pytest.raises(ValueError, match="alt must be a sentence"):
            plots.show(bad)
