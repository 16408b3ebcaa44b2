"""Reading and writing the plan folder format (docs/plan-format.md)."""
