"""Researchers' requests: the store (SQLite), users, the form's checks, submission, the
workflow with its audit log, and notifications (sent after each transaction commits)."""
