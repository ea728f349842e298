"""The dashboards (Streamlit). Run as a script (``dashboards/app.py``): its modules import each
other by their bare names. A package only so that ``make lint`` can check what it imports."""
