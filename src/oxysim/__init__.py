"""oxysim."""
