"""Framework hook: the file uploader's own texts in the UI language.

Why: ``st.file_uploader`` (Streamlit 1.67) writes its button ("Upload") and its limit line ("200MB per file • CSV,
…") in English and has no parameter for them. The hook hides those texts by their ``data-testid`` and shows the
catalogue's texts instead (CSS generated content); the limit shown is the one passed in, which the page takes from
``datastore.uploads.MAX_UPLOAD_BYTES`` (= ``server.maxUploadSize`` in .streamlit/config.toml).
Replace with: a label/locale option of ``st.file_uploader``, when Streamlit offers one.
"""

from __future__ import annotations

import re

import streamlit as st


def css_string(text: str) -> str:
    """``text`` as a CSS string literal: quotes, backslashes, line breaks and '<' escaped (nothing can close the
    string or the style element)."""
    return '"' + re.sub(r'["\\\n\r<>]', lambda m: f"\\{ord(m.group(0)):X} ", text) + '"'


def uploader_texts(button: str, limit: str) -> str:
    """The style element that puts ``button`` on the uploader's button and ``limit`` under it."""
    return (
        "<style>"
        '[data-testid="stFileUploaderDropzone"] button { font-size: 0 !important; }'
        '[data-testid="stFileUploaderDropzone"] button > * { display: none !important; }'
        f'[data-testid="stFileUploaderDropzone"] button::after {{ content: {css_string(button)}; font-size: 0.875rem; }}'
        '[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0 !important; }'
        f'[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: {css_string(limit)};'
        " font-size: 0.875rem; white-space: normal; }"
        "</style>"
    )


def localise_uploader(button: str, limit: str) -> None:
    """Show the uploader's texts in the UI language (call before or after the uploader, on the same page)."""
    st.html(uploader_texts(button, limit))
