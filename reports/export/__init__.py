"""Exports for meetings and reports: the map as PNG and PDF, the interactive map as one standalone
HTML file, and PDF fact sheets per area. No browser and no network are needed.

Usage: ``data = prepare(stand, reference, tables, settings.max_children_per_fte, title, subtitle)``, then
``map_png(data)``, ``map_png(data, "a4")``, ``map_pdf(data)``, ``interactive_html(data)``,
``fact_sheet_pdf(data, gebiet_rs)`` or ``fact_sheets_pdf(data, progress)``; each returns the file's content.
"""

from reports.export.data import (ExportData, Progress, default_subtitle, default_title,
                             demo_note, file_name, prepare)
from reports.export.draw import map_pdf, map_png, message_file
from reports.export.html import interactive_html
from reports.export.sheets import fact_sheet_pdf, fact_sheets_pdf

__all__ = [
    "ExportData", "Progress", "prepare", "file_name", "map_png", "map_pdf",
    "default_title", "default_subtitle", "demo_note",
    "interactive_html", "fact_sheet_pdf", "fact_sheets_pdf", "message_file",
]
