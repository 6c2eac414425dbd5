"""Input shapes of allocation, one module per sub-domain (views import the module they use)."""
