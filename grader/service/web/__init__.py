"""The service's web front end: the JSON API (api.py), the pages (pages.py), one app (app.py)."""
