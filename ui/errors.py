"""Failures shown as a message in the UI language, never as a traceback: bad data says what is wrong,
anything else is logged (logger ``kita``) and shown without details."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from kita.errors import DataError, StoreError
from kita.text import md
from ui.state import say_error, t

T = TypeVar("T")



_LOG = logging.getLogger("kita")


def _show_failure(exc: Exception, what: str) -> None:
    """A message for a failed step (``what``, in the UI language): bad data says what is wrong (escaped: it may
    quote data; catalogue messages in the UI language); anything else is logged with its traceback for the
    administration and shown without details."""
    failed = t("error_step_failed", what=md(what))
    if isinstance(exc, (DataError, StoreError)):
        st.error(f"**{failed}** {md(say_error(exc))}")
    else:
        _LOG.exception("%s: unerwarteter Fehler", what)
        st.error(f"**{failed}** {md(t('error_unexpected'))}")


def guarded(load: Callable[[], T], what: str) -> T:
    """Run a loading step; on failure show a German message instead of a traceback and stop the page."""
    try:
        return load()
    except Exception as exc:  # noqa: BLE001 (every failure becomes a message, never a traceback)
        _show_failure(exc, what)
        st.stop()
        raise  # unreachable; st.stop() raises


def attempt(make: Callable[[], T], what: str) -> T | None:
    """Like :func:`guarded`, but the page goes on: None after showing the message (e.g. a failed export)."""
    try:
        return make()
    except Exception as exc:  # noqa: BLE001
        _show_failure(exc, what)
        return None


def download(container, label: str, make: Callable[[], bytes], file_name: str, mime: str, key: str,
             deferred: bool = False, **options) -> None:
    """A download button whose file comes from ``make``. Made now: a failure shows a German message instead
    of the button. ``deferred`` (made on click, for slow exports): a failure is logged and the file says in
    German that the export failed, since a click can no longer write to the page."""
    if deferred:
        failure = t("error_export_file", what=label)

        def deliver() -> bytes:
            try:
                return make()
            except Exception:  # noqa: BLE001
                _LOG.exception("Export %s fehlgeschlagen", file_name)
                from reports.export import (
                    message_file,  # here: the parents' map need not load matplotlib
                )

                return message_file(failure, mime)

        container.download_button(label, deliver, file_name, mime, key=key, on_click="ignore", **options)
        return
    data = attempt(make, t("error_export", what=label))
    if data is not None:
        container.download_button(label, data, file_name, mime, key=key, **options)
