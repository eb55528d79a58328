"""Domain rules of Kita-Sozialarbeit and their foundations (no Streamlit, no map): coverage, planning,
indicators, contacts; errors, texts, numbers, settings and the district's constants."""
