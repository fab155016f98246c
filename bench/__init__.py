"""`make bench`: load the app under gunicorn on PostgreSQL and write bench/RESULTS.md."""
