"""Applied migrations (accounts 0002, benchmarks 0003, offers 0003 and 0004) import the stamp
triggers from here; they live in core/stamps.py, and applied migrations are never edited."""

from core.stamps import market_triggers, new_stamp, owner_triggers

__all__ = ["market_triggers", "new_stamp", "owner_triggers"]
