"""An uploaded file read once per upload: kept in the session by its SHA-256, so the reruns of a dry run
(editing the preview, choosing a sheet, ticking a box) never parse it again; a refusal is kept as well."""

from __future__ import annotations

import streamlit as st

from datastore import uploads
from kita.errors import DataError

_UPLOAD_KEY = "_gelesene_datei"  # (hash, Upload or the DataError it gave) of the file last uploaded


def parsed_upload(upload) -> uploads.Upload:
    """The file behind Streamlit's ``UploadedFile``, read within the limits of datastore.uploads."""
    data = upload.getvalue()
    digest = uploads.digest(data)
    kept = st.session_state.get(_UPLOAD_KEY)
    if kept is None or kept[0] != digest:
        try:
            kept = (digest, uploads.read_file(upload.name, data))
        except DataError as exc:
            kept = (digest, exc)
        st.session_state[_UPLOAD_KEY] = kept
    if isinstance(kept[1], DataError):
        raise kept[1]
    return kept[1]


def forget_upload() -> None:
    """Drop the kept file once the uploader is empty (a 10 MB file's tables need not stay in the session)."""
    st.session_state.pop(_UPLOAD_KEY, None)
