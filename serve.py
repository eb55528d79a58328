"""Entry point of the app server: ``streamlit run serve.py`` runs ``dashboard.py`` (and ``pages/``) with
Streamlit's frontend files served from memory, compressed once (see ``frontend_files.py``)."""

import streamlit as st

import frontend_files

app = st.App("dashboard.py", middleware=frontend_files.middleware())
