//! Engines (work in progress).
