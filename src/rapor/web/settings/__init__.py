"""Settings by environment: `demo` (the embedded default) and `production`; both build on `base`."""
