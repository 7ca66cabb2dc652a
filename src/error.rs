//! Typed library errors. Every variant names the file (or the input) and the place in it, so a
//! planner can fix the input; the binary maps all of them to exit code 2.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a valid OSM PBF file: {msg}")]
    Pbf { path: PathBuf, msg: String },
    #[error("{path}: {msg}")]
    Profile { path: String, msg: String },
    #[error("{path}: {place}: {msg}")]
    Input {
        path: PathBuf,
        place: String,
        msg: String,
    },
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Config(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn input(
        path: impl Into<PathBuf>,
        place: impl Into<String>,
        msg: impl Into<String>,
    ) -> Error {
        Error::Input {
            path: path.into(),
            place: place.into(),
            msg: msg.into(),
        }
    }
}
