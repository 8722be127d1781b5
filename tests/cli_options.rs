//! Numeric and text options of the `servnet` commands.
