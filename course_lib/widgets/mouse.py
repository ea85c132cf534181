"""Mouse events on a widget picture (presentation floor).

A widget ``Image`` has no mouse events of its own; ipyevents' ``Event`` adds them. Its
handler gets a dict of the browser's event; ``picture_xy`` turns it into the point hit, in
the picture's own pixels, whatever size the browser shows it at. Lesson 09 clicks neurons
of the playground's diagram; lesson 10 draws digits.
"""

import warnings

__all__ = ["watch_mouse", "picture_xy"]


def watch_mouse(image, handler, events=("click",), throttle_ms=0):
    """Call ``handler(event)`` for each of ``events`` on ``image``; returns the watcher (a
    widget: it lives until it is closed), or None with a warning where ipyevents is not
    installed. ``throttle_ms`` > 0 lets at most one event through per that many
    milliseconds (a drag sends dozens a second)."""
    try:
        from ipyevents import Event
    except ImportError:     # an environment made before the course needed it
        warnings.warn("ipyevents is not installed, so clicks and strokes on this picture do "
                      "nothing (the other controls work). Install the course again: `make lab`, "
                      "or `python -m pip install -e .` in the course folder; then restart the kernel.",
                      stacklevel=2)
        return None
    watcher = Event(source=image, watched_events=list(events), prevent_default_action=True)
    if throttle_ms:
        watcher.throttle_or_debounce = "throttle"
        watcher.wait = int(throttle_ms)
    watcher.on_dom_event(handler)
    return watcher


def picture_xy(event, width, height):
    """Where a mouse ``event`` hit a picture of ``width`` x ``height`` pixels: ``(x, y)``
    from its top-left corner, in those pixels; None if the event does not say.

    Computed from the event's position in the element and the element's size on the screen.
    (ipyevents' own ``dataX``/``dataY`` divide by the picture's natural size, which reads 0
    while a new picture loads: a stroke that redraws the picture would then land at (0, 0).)
    """
    try:
        x, y = float(event["relativeX"]), float(event["relativeY"])
        shown_width, shown_height = float(event["boundingRectWidth"]), float(event["boundingRectHeight"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (shown_width > 0 and shown_height > 0):
        return None
    return x * width / shown_width, y * height / shown_height
