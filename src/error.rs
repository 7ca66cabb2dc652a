//! Typed library errors. Every variant names the file (or the input) and the place in it, so a
//! planner can fix the input; the binary maps all of them to exit code 2.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: cannot read: {}", io_msg(cause))]
    Io { path: PathBuf, cause: std::io::Error },
    #[error("{path}: not a valid OSM PBF file: {msg}")]
    Pbf { path: PathBuf, msg: String },
    #[error("{path}: {msg}")]
    Profile { path: String, msg: String },
    #[error("{path}: {place}: {msg}")]
    Input { path: PathBuf, place: String, msg: String },
    #[error("{path}: cannot write: {}", io_msg(cause))]
    Write { path: PathBuf, cause: std::io::Error },
    #[error("{0}")]
    Config(String),
}

/// A short message for an I/O error ("no such file" rather than "entity not found").
fn io_msg(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn input(path: impl Into<PathBuf>, place: impl Into<String>, msg: impl Into<String>) -> Error {
        Error::Input { path: path.into(), place: place.into(), msg: msg.into() }
    }
}
