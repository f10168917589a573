"""Dashboard: Beranda for a region, the indicator detail pages and the school view."""
