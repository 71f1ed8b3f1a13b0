"""The web dashboard (``oxysim serve``; the ``[web]`` extra)."""
