//! Facts derived from a case.
