//! Answers that are files (exports, images, any binary payload): handed over as they arrive,
//! never read whole unless the caller asks for it. The client's `max_response_bytes` caps JSON
//! answers only; a download is as long as the server sends.

use std::pin::Pin;
use std::task::{Context, Poll};

use crate::client::{Raw, read_body, transport};
use crate::{ApiResponse, Error, Result};

/// A file the server answers with, read as it arrives: chunk by chunk ([`chunk`](Self::chunk)),
/// as a stream of chunks ([`into_stream`](Self::into_stream)), written to any
/// `tokio::io::AsyncWrite` ([`write_to`](Self::write_to)), or whole ([`bytes`](Self::bytes)).
///
/// The request's timeout and deadline cover the call until the answer's headers arrive; reading
/// the body takes as long as it takes (wrap a read in `tokio::time::timeout` to bound it).
#[must_use = "a download's body is read only when asked for"]
pub struct Download {
    response: reqwest::Response,
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download")
            .field("content_type", &self.content_type())
            .field("content_length", &self.content_length())
            .finish_non_exhaustive()
    }
}

impl crate::request::FromAnswer for Download {
    const STREAMED: bool = true;

    fn decode(raw: Raw) -> Result<ApiResponse<Self>> {
        let response = raw.stream.ok_or_else(|| {
            Error::InvalidArgument("a download's answer was read before it was handed over".into())
        })?;
        Ok(ApiResponse {
            status: raw.status,
            headers: raw.headers,
            data: Download { response },
        })
    }
}

impl Download {
    /// The answer's `Content-Type`, if it has one.
    pub fn content_type(&self) -> Option<&str> {
        self.response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)?
            .to_str()
            .ok()
    }

    /// The body's length in bytes, where the server says it (`Content-Length`).
    pub fn content_length(&self) -> Option<u64> {
        self.response.content_length()
    }

    /// The file name the server suggests (`Content-Disposition: attachment; filename="..."`),
    /// without any folder part, so that it is safe to join to a folder of your own.
    pub fn file_name(&self) -> Option<String> {
        let value = self
            .response
            .headers()
            .get(reqwest::header::CONTENT_DISPOSITION)?
            .to_str()
            .ok()?;
        let name = value.split(';').map(str::trim).find_map(|part| {
            let (key, value) = part.split_once('=')?;
            key.trim()
                .eq_ignore_ascii_case("filename")
                .then(|| value.trim().trim_matches('"').to_owned())
        })?;
        let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
        (!base.is_empty() && base != "." && base != "..").then(|| base.to_owned())
    }

    /// The next chunk of the body, `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>> {
        self.response.chunk().await.map_err(transport)
    }

    /// Writes the whole body to `writer` as it arrives, and returns how many bytes it wrote.
    /// At most one chunk is held in memory at a time.
    pub async fn write_to<W>(mut self, writer: &mut W) -> Result<u64>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        use tokio::io::AsyncWriteExt;
        let mut written = 0;
        while let Some(chunk) = self.chunk().await? {
            writer.write_all(&chunk).await.map_err(write_error)?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(write_error)?;
        Ok(written)
    }

    /// The whole body in memory, refused with [`Error::ResponseTooLarge`] past `limit` bytes
    /// (without reading the rest).
    pub async fn bytes(self, limit: usize) -> Result<Vec<u8>> {
        let status = self.response.status();
        read_body(self.response, status, limit).await
    }

    /// The body as a stream of chunks (a `futures_core::Stream`), `'static`, `Send` and `Unpin`.
    pub fn into_stream(self) -> ByteStream {
        ByteStream {
            inner: Box::pin(futures_util::stream::unfold(
                self,
                |mut download| async move {
                    match download.chunk().await {
                        Ok(Some(chunk)) => Some((Ok(chunk), download)),
                        Ok(None) => None,
                        Err(error) => Some((Err(error), download)),
                    }
                },
            )),
        }
    }
}

/// An error of the writer a download is written to.
fn write_error(error: std::io::Error) -> Error {
    Error::InvalidArgument(format!("cannot write the download: {error}"))
}

/// The chunks of a download's body, as they arrive ([`Download::into_stream`]); a
/// `futures_core::Stream`, with its own [`next`](Self::next) that needs no other crate.
#[must_use = "a stream does nothing until it is polled"]
pub struct ByteStream {
    inner: Pin<Box<dyn futures_core::Stream<Item = Result<bytes::Bytes>> + Send + 'static>>,
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}

impl ByteStream {
    /// The next chunk, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<bytes::Bytes>> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<bytes::Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}
