"""What coordinators' pages and exports show, built from the rules and the map: the overview figures,
the presentation's slides, tables for people and the exports (PNG, PDF, HTML). No Streamlit."""
