"""Demo accounts (local default only)."""

# Every demo user's password; demo users exist only when DEBUG is on.
DEMO_PASSWORD = "kansen-demo-2026"
