//! Search kernels (placeholder, being written).
