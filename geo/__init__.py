"""Domain package of the Kita-Sozialarbeit dashboard: data, rules and map building (no Streamlit)."""
