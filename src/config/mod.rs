//! The TLC `.cfg` reader (being written).
