"""A slider that flips through pre-rendered PNG images, also in the static HTML book.

Chapters render one small figure per setting (a temperature, a decoding step, an epoch) and hand
the PNG bytes to :func:`image_slider`. How the slider switches images depends on ipywidgets:

* **ipywidgets 8** (``widgets.Stack`` exists): every image is a child of a ``Stack`` and the
  slider's ``value`` is ``jslink``-ed to the stack's ``selected_index``. The link runs in the
  browser, so the slider keeps working in the built book, where no kernel is running.
* **ipywidgets 7.x** (no ``Stack``, e.g. Colab's 7.7.1): one image display whose content is
  swapped by an ``observe`` callback. This needs a live kernel (Jupyter, Colab), which is all
  7.x can offer.

Every image carries Korean alt text (``alts``, required): a frame is an ``HTML`` widget holding
``<img alt="…" src="data:image/png;base64,…">``. ipywidgets' ``Image`` has no ``alt``, and its
``tooltip`` (a ``title``, not an alt) stops the static widget manager from drawing the view;
``HTML`` renders the same in ipywidgets 7 and 8, in the static book and on Colab. Labels and alt
texts are escaped, so a token such as ``<script>`` is shown as text.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PNG_SIGNATURE", "figure_to_png", "image_slider"]

#: First eight bytes of every PNG file.
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: CSS class on the outer box; the book's CSS and browser tests look for it.
SLIDER_CLASS = "attn-image-slider"
#: CSS class of every frame's ``<img>``.
FRAME_CLASS = "attn-slider-frame"
_CSS_LENGTH = re.compile(r"^\d+(\.\d+)?(px|%|em|rem|vw|ch)$")


def figure_to_png(fig: Figure, dpi: int = 72) -> bytes:
    """Render a matplotlib figure to PNG bytes and close it.

    Closing keeps notebooks from also showing the figure inline and frees its memory when many
    frames are rendered in a loop. A low ``dpi`` keeps the page small: every frame of a slider is
    stored in the built HTML page.

    Args:
        fig: the figure to render.
        dpi: resolution in dots per inch (72 gives about 20 kB for a 4 x 3 inch figure).

    Returns:
        The PNG file as bytes.
    """
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    try:
        # No "Software" entry: identical figures give identical bytes across matplotlib versions.
        fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    finally:
        plt.close(fig)
    return buffer.getvalue()


def _check_images(images: Sequence[bytes]) -> list[bytes]:
    if isinstance(images, (bytes, bytearray, memoryview)):
        raise ValueError("images must be a sequence of PNG byte strings, not one byte string")
    frames = [bytes(image) for image in images]
    if not frames:
        raise ValueError("images is empty: image_slider needs at least one PNG image")
    for position, frame in enumerate(frames):
        if not frame.startswith(PNG_SIGNATURE):
            raise ValueError(
                f"images[{position}] is not a PNG file (got {frame[:8]!r} as its first bytes); "
                "use figure_to_png(fig) to render a matplotlib figure"
            )
    return frames


def _label_html(label: str) -> str:
    return f'<span class="attn-slider-label">{html.escape(str(label))}</span>'


def _check_alts(alts: Sequence[str], count: int) -> list[str]:
    if isinstance(alts, str) or not isinstance(alts, Sequence):
        raise ValueError(
            "alts must be a sequence with one text per image (what each image shows, in Korean), "
            f"got {type(alts).__name__}"
        )
    texts = [str(text) for text in alts]
    if len(texts) != count:
        raise ValueError(f"alts has {len(texts)} entries but images has {count}")
    empty = [i for i, text in enumerate(texts) if not text.strip()]
    if empty:
        raise ValueError(f"alts[{empty[0]}] is empty: describe what the image shows")
    return texts


def _check_width(width: str | None) -> str | None:
    if width is not None and not _CSS_LENGTH.match(str(width)):
        raise ValueError(f"width must be a CSS length such as '480px' or '100%', got {width!r}")
    return width


def _frame_html(frame: bytes, alt: str, width: str | None) -> str:
    """One frame as an ``<img>`` with its alt text and the PNG inline (a data URI)."""
    style = f' style="width: {width}"' if width else ""
    data = base64.b64encode(frame).decode("ascii")
    return (
        f'<img class="{FRAME_CLASS}" alt="{html.escape(alt, quote=True)}"{style} '
        f'src="data:image/png;base64,{data}">'
    )


def _stack_class() -> type[widgets.Widget] | None:
    """Return ``ipywidgets.Stack`` (ipywidgets >= 8) or None on older versions."""
    return getattr(widgets, "Stack", None)


def image_slider(
    images: Sequence[bytes],
    *,
    description: str,
    alts: Sequence[str],
    labels: Sequence[str] | None = None,
    value: int = 0,
    width: str | None = None,
    readout: bool | None = None,
) -> widgets.Widget:
    """Build a slider that shows one PNG image per position.

    Args:
        images: PNG files as bytes, one per slider position (see :func:`figure_to_png`).
        description: text in front of the slider, e.g. ``"온도"`` or ``"디코딩 단계"``; it also
            names the slider for screen readers.
        alts: what each image shows, in Korean, one text per image (the ``alt`` of its
            ``<img>``): chart type, axes and where the pattern is, e.g.
            ``"온도 0.5의 어텐션 가중치 막대그래프. 막대 '4'가 0.81로 가장 높습니다."``.
        labels: optional text shown above the image for each position (HTML-escaped).
        value: the position shown first.
        width: CSS width of the image, e.g. ``"480px"``; default is the PNG's own size.
        readout: show the slider's position number next to it; default: only when there are
            no ``labels`` (a label already says where the slider is).

    Returns:
        A ``VBox`` whose children are the ``IntSlider``, then (with ``labels``) the label
        display, then the image display (``HTML`` widgets with one ``<img alt>`` each). On
        ipywidgets 8 both displays are ``Stack`` widgets linked to the slider in the browser; on
        7.x they are single widgets updated by a callback.

    Raises:
        ValueError: ``images`` is empty, is one byte string instead of a sequence, or holds
            non-PNG bytes; ``alts`` is not a sequence of texts, has a different length than
            ``images`` or holds an empty text; ``labels`` has a different length than
            ``images``; ``width`` is not a CSS length; ``description`` is empty; or ``value`` is
            out of range.
    """
    frames = _check_images(images)
    alt_texts = _check_alts(alts, len(frames))
    texts = None if labels is None else [str(label) for label in labels]
    if texts is not None and len(texts) != len(frames):
        raise ValueError(f"labels has {len(texts)} entries but images has {len(frames)}")
    width = _check_width(width)
    if not str(description).strip():
        raise ValueError("description is empty: name the slider (e.g. '온도 단계')")
    if not 0 <= value < len(frames):
        raise ValueError(f"value={value} is outside 0..{len(frames) - 1}")

    if readout is None:
        readout = texts is None

    slider = widgets.IntSlider(
        value=value,
        min=0,
        max=len(frames) - 1,
        step=1,
        description=description,
        readout=readout,
        continuous_update=True,
        style={"description_width": "initial"},
    )
    pictures = [
        _frame_html(frame, alt, width) for frame, alt in zip(frames, alt_texts, strict=True)
    ]
    stack_cls = _stack_class()

    displays: list[widgets.Widget] = []
    if stack_cls is not None:
        if texts is not None:
            label_stack = stack_cls(
                children=[widgets.HTML(_label_html(text)) for text in texts],
                selected_index=value,
            )
            widgets.jslink((slider, "value"), (label_stack, "selected_index"))
            displays.append(label_stack)
        image_stack = stack_cls(
            children=[widgets.HTML(picture) for picture in pictures], selected_index=value
        )
        widgets.jslink((slider, "value"), (image_stack, "selected_index"))
        displays.append(image_stack)
    else:
        label = None if texts is None else widgets.HTML(_label_html(texts[value]))
        image = widgets.HTML(pictures[value])

        def _show(change: dict[str, Any]) -> None:
            position = change["new"]
            image.value = pictures[position]
            if label is not None and texts is not None:
                label.value = _label_html(texts[position])

        slider.observe(_show, names="value")
        displays.extend(w for w in (label, image) if w is not None)

    box = widgets.VBox([slider, *displays])
    box.add_class(SLIDER_CLASS)
    return box
