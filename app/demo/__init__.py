"""Demo data for `flask seed-demo`: realistic, deterministic and fictional (see seed.py)."""

from .seed import DEMO_USERS, TODAY, seed_demo

__all__ = ["DEMO_USERS", "TODAY", "seed_demo"]
