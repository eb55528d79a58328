"""Persistence and accounts: the database of operational data (SQLAlchemy), migrations, coordinator
accounts, imports, editing and saved scenarios. No Streamlit."""
