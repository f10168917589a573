"""The Rapor web app: Django, server-rendered, reading only the active published release."""
