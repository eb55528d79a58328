"""Contrast of text on the map's colours (WCAG 2.1 relative luminance and contrast ratio), so a test can check
every label and legend text against every fill it may stand on."""

from __future__ import annotations


def rgb(colour: str) -> tuple[int, int, int]:
    """'#4575b4' (or '#fff') → (69, 117, 180)."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def over(top: tuple[int, int, int], alpha: float, bottom: tuple[int, int, int]) -> tuple[float, float, float]:
    """The colour seen where ``top`` with opacity ``alpha`` covers ``bottom`` (alpha compositing)."""
    return tuple(alpha * t + (1 - alpha) * b for t, b in zip(top, bottom))


def luminance(colour: tuple[float, float, float]) -> float:
    """WCAG relative luminance of an sRGB colour (0–255 per channel)."""
    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """WCAG contrast ratio (1–21) of two colours; AA asks 4.5 for normal text."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
