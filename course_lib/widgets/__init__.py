"""Live controls for the lessons (presentation floor: builds on the core, never the reverse).

Every widget reacts through a plain function of this package, so tests can drive the
callbacks without a browser.
"""
from .basics import *  # noqa: F401,F403  lessons 01-04
from .live import *  # noqa: F401,F403  lessons 05-08
from .playground_render import *  # noqa: F401,F403  lesson 09: pictures of a PlaygroundState
from .playground import *  # noqa: F401,F403  lesson 09: the widget
from .stepper import *  # noqa: F401,F403  lesson 04: backprop step by step (backprop_steps)
