"""A widget picture with a text alternative, for screen readers.

Imported by the widget builders when they run (like their other ipywidgets imports), so
that ``course_lib.widgets`` itself imports without ipywidgets.
"""
import ipywidgets as W
from traitlets import Unicode


class DescribedImage(W.Image):
    """An ``ipywidgets.Image`` that says in words what it shows.

    ``alt`` (text) becomes the picture's ``title`` in the browser: screen readers read it as
    the picture's name, and a mouse resting on the picture shows it. ipywidgets' Image has
    no ``alt``; its view writes ``tooltip`` as the ``title``, but only for a model with a
    ``description``, and Image has none (the view then fails to render): hence the empty
    ``description`` here.
    """

    description = Unicode("", help="unused; lets the view show the tooltip").tag(sync=True)

    def __init__(self, alt, **kwargs):
        super().__init__(tooltip=alt, **kwargs)

    @property
    def alt(self):
        return self.tooltip

    @alt.setter
    def alt(self, text):
        self.tooltip = text
