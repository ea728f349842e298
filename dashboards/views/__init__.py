"""The pages of the dashboards, each run by Streamlit's navigation as a script."""
