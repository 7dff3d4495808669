"""Report charts as PNG drawn with matplotlib (Agg, no display): the rating as horizontal bars, best on top, and
an indicator's dynamics over periods as lines for a municipality and the region. Captions are Russian, so the
text is set in Noto Sans (the font kit documents embed in PDFs), which has Cyrillic."""
from __future__ import annotations

import io
import threading

import fontpkg_noto_sans
import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402 - after the backend is chosen
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

FONT = fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf"
_setup = threading.Lock()
# One drawing at a time: matplotlib promises no thread safety (shared font caches), and drawing is CPU-bound
_drawing = threading.Lock()
_ready = False
DPI = 100


def _font() -> None:
    global _ready
    with _setup:
        if not _ready:
            font_manager.fontManager.addfont(str(FONT))
            matplotlib.rcParams["font.family"] = font_manager.FontProperties(fname=str(FONT)).get_name()
            _ready = True


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _wrap(text: str, width: int = 70) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + len(w) + 1 > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return "\n".join([*lines, line])


def rating_png(title: str, unit: str, bars: list[tuple[str, float]], target: float | None = None) -> bytes:
    """`bars` best first; drawn top to bottom in that order."""
    _font()
    with _drawing:
        height = max(3.0, 1.2 + 0.35 * len(bars))
        fig = Figure(figsize=(9, height), layout="constrained")
        ax = fig.add_subplot()
        labels = [label for label, _ in bars][::-1]
        values = [value for _, value in bars][::-1]
        ax.barh(labels, values, color="#3a6ea5")
        for y, v in enumerate(values):
            ax.annotate(f"{v:.3g}", (v, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
        if target is not None:
            ax.axvline(target, color="#c0392b", linestyle="--", linewidth=1, label=f"Цель: {target:g}")
            ax.legend(loc="lower right", fontsize=8)
        fig.suptitle(_wrap(title), fontsize=11)  # over the figure: long names of the bars narrow the axes
        ax.set_xlabel(f"Значение{f' ({unit})' if unit else ''}")
        ax.set_ylabel("Муниципалитет")
        if not bars:
            ax.text(0.5, 0.5, "Значений нет", ha="center", va="center", transform=ax.transAxes)
        return _png(fig)


def dynamics_png(title: str, unit: str, periods: list[str], lines: list[tuple[str, list[float | None]]],
                 target: float | None = None) -> bytes:
    """`lines`: (caption, a value per period, None where there is none) — a municipality and the region."""
    _font()
    with _drawing:
        fig = Figure(figsize=(9, 4.5), layout="constrained")
        ax = fig.add_subplot()
        for (caption, values), style in zip(lines, ("-o", "--s"), strict=False):
            xs = [i for i, v in enumerate(values) if v is not None]
            ax.plot(xs, [values[i] for i in xs], style, label=caption)
        if target is not None:
            ax.axhline(target, color="#c0392b", linestyle=":", linewidth=1, label=f"Цель: {target:g}")
        ax.set_xticks(range(len(periods)), periods)
        ax.set_xlim(-0.5, len(periods) - 0.5)
        fig.suptitle(_wrap(title), fontsize=11)  # over the figure: long names of the bars narrow the axes
        ax.set_xlabel("Период")
        ax.set_ylabel(f"Значение{f' ({unit})' if unit else ''}")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
        return _png(fig)
