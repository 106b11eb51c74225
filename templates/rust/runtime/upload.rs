//! Uploads: actions whose body is a `multipart/form-data` form. Each of its parts is a file (a
//! [`FilePart`]: bytes, a file by path, or an async reader) or a value: a string, number,
//! boolean or enum goes out as its text, an object or a list of objects as JSON text
//! (`application/json`), as OpenAPI's default encoding of a form part says. (The official Mist
//! client JSON-encodes every non-file part, so that a string goes out quoted; where the two
//! differ, the document wins.) No part is read whole into memory: a file or reader is streamed
//! as the request is sent.

use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};

use crate::client::{Attach, Call, ParamValue};
use crate::{Error, Result};

type Reader = Pin<Box<dyn tokio::io::AsyncRead + Send + Sync>>;

/// A reader and its length, if known, until a request takes them.
type ReaderSlot = Arc<Mutex<Option<(Reader, Option<u64>)>>>;

/// A file to upload as one part of a form: its bytes, a file on disk, or an async reader, each
/// with a file name and a media type the server sees.
///
/// Bytes and files on disk can be sent again (a retried request reads the file anew); a reader
/// can be read once, so a request with one is never retried.
///
/// `FilePart::path("floorplan.png").content_type("image/png")`,
/// `FilePart::bytes("mac,name\n").file_name("devices.csv")` and
/// `FilePart::reader(file, Some(length))` each make one.
#[derive(Clone)]
pub struct FilePart {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

#[derive(Clone)]
enum Source {
    Bytes(bytes::Bytes),
    Path(PathBuf),
    /// Taken by the first request that sends it.
    Reader(ReaderSlot),
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let source = match &self.source {
            Source::Bytes(bytes) => format!("{} bytes", bytes.len()),
            Source::Path(path) => format!("the file {}", path.display()),
            Source::Reader(_) => "a reader".to_owned(),
        };
        f.debug_struct("FilePart")
            .field("source", &source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl PartialEq for FilePart {
    /// Parts are equal when they send the same bytes (or the same file, or the same reader)
    /// under the same name and media type.
    fn eq(&self, other: &Self) -> bool {
        let same = match (&self.source, &other.source) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (Source::Path(a), Source::Path(b)) => a == b,
            (Source::Reader(a), Source::Reader(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        same && self.file_name == other.file_name && self.content_type == other.content_type
    }
}

impl FilePart {
    /// A part of these bytes (named `file` unless [`file_name`](Self::file_name) says
    /// otherwise).
    pub fn bytes(bytes: impl Into<bytes::Bytes>) -> Self {
        FilePart {
            source: Source::Bytes(bytes.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// The file at `path`, read as the request is sent (named after the file).
    pub fn path(path: impl Into<PathBuf>) -> Self {
        FilePart {
            source: Source::Path(path.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// What `reader` yields, read as the request is sent; `length` is its length in bytes
    /// where known (the part then says it). Read once: a request with it is never retried.
    pub fn reader(
        reader: impl tokio::io::AsyncRead + Send + Sync + 'static,
        length: Option<u64>,
    ) -> Self {
        FilePart {
            source: Source::Reader(Arc::new(Mutex::new(Some((Box::pin(reader), length))))),
            file_name: None,
            content_type: None,
        }
    }

    /// The file name the server sees.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's media type (`image/png`); `application/octet-stream` unless set.
    pub fn content_type(mut self, media: impl Into<String>) -> Self {
        self.content_type = Some(media.into());
        self
    }

    /// The part as reqwest sends it, opened now.
    fn part(&self, name: &str) -> Result<reqwest::multipart::Part> {
        let (part, default_name) = match &self.source {
            Source::Bytes(bytes) => {
                let length = bytes.len() as u64;
                let body = reqwest::Body::from(bytes.clone());
                (
                    reqwest::multipart::Part::stream_with_length(body, length),
                    None,
                )
            }
            Source::Path(path) => {
                let cannot = |e: std::io::Error| {
                    Error::InvalidArgument(format!(
                        "cannot read {} for the part `{name}`: {e}",
                        path.display()
                    ))
                };
                let file = std::fs::File::open(path).map_err(cannot)?;
                let length = file.metadata().map_err(cannot)?.len();
                let stream = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(file));
                let body = reqwest::Body::wrap_stream(stream);
                let base = path.file_name().map(|n| n.to_string_lossy().into_owned());
                (
                    reqwest::multipart::Part::stream_with_length(body, length),
                    base,
                )
            }
            Source::Reader(slot) => {
                let taken = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
                let Some((reader, length)) = taken else {
                    return Err(Error::InvalidArgument(format!(
                        "the reader of the part `{name}` was read by an earlier request; \
                         a reader is sent once"
                    )));
                };
                let body = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(reader));
                let part = match length {
                    Some(length) => reqwest::multipart::Part::stream_with_length(body, length),
                    None => reqwest::multipart::Part::stream(body),
                };
                (part, None)
            }
        };
        let file_name = self
            .file_name
            .clone()
            .or(default_name)
            .unwrap_or_else(|| "file".to_owned());
        let media = self
            .content_type
            .as_deref()
            .unwrap_or("application/octet-stream");
        part.file_name(file_name)
            .mime_str(media)
            .map_err(|_| Error::InvalidArgument(format!("`{media}` is not a media type")))
    }
}

/// One part of a form, as an action's parameters give it.
#[derive(Debug)]
enum Field {
    Text(String),
    Json(String),
    File(FilePart),
}

/// The form an upload action sends: built by the action's `call`, turned into a reqwest form
/// for each attempt.
#[derive(Debug, Default)]
pub(crate) struct Form {
    fields: Vec<(&'static str, Field)>,
}

// Not every upload has every kind of part (nor a build every upload).
#[allow(dead_code)]
impl Form {
    pub(crate) fn new() -> Self {
        Form::default()
    }

    /// A value part, if set: its text (one part per item of a list).
    pub(crate) fn text(mut self, name: &'static str, value: Option<&impl ParamValue>) -> Self {
        if let Some(value) = value {
            self.fields
                .extend(value.texts().into_iter().map(|t| (name, Field::Text(t))));
        }
        self
    }

    /// A value part, if set, as JSON text.
    pub(crate) fn json(
        mut self,
        name: &'static str,
        value: Option<&impl serde::Serialize>,
    ) -> Result<Self> {
        if let Some(value) = value {
            let text = serde_json::to_string(value).map_err(|e| {
                Error::InvalidArgument(format!("the part `{name}` cannot be serialised: {e}"))
            })?;
            self.fields.push((name, Field::Json(text)));
        }
        Ok(self)
    }

    /// A file part, if set.
    pub(crate) fn file(mut self, name: &'static str, value: Option<&FilePart>) -> Self {
        if let Some(file) = value {
            self.fields.push((name, Field::File(file.clone())));
        }
        self
    }
}

impl Attach for Form {
    fn attach(&self, request: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder> {
        let mut form = reqwest::multipart::Form::new();
        for (name, field) in &self.fields {
            let part = match field {
                Field::Text(text) => reqwest::multipart::Part::text(text.clone()),
                Field::Json(text) => reqwest::multipart::Part::text(text.clone())
                    .mime_str("application/json")
                    .map_err(|e| Error::InvalidArgument(e.to_string()))?,
                Field::File(file) => file.part(name)?,
            };
            form = form.part(*name, part);
        }
        Ok(request.multipart(form))
    }

    fn replayable(&self) -> bool {
        !self.fields.iter().any(|(_, f)| {
            matches!(
                f,
                Field::File(FilePart {
                    source: Source::Reader(_),
                    ..
                })
            )
        })
    }
}

// A build without the resources whose actions upload sends no form.
#[allow(dead_code)]
impl Call {
    /// Sends `form` as the body (`multipart/form-data`).
    pub(crate) fn form(mut self, form: Form) -> Self {
        self.attach = Some(Box::new(form));
        self
    }
}
