//! Server-sent event streams (`text/event-stream` answers): [`Events`], a stream of typed
//! [`Event`]s.

// For maintainers: the same in every crate sdkgen generates whose API has an action that
// answers `text/event-stream` (copied unchanged by the generator). The parser follows the
// WHATWG rules for event streams ("Interpreting an event stream"), with one addition: a cap on
// the length of a line and of an event's data, so that a server cannot make the client buffer
// without bound.

use std::collections::VecDeque;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use reqwest::StatusCode;

use crate::error::{Error, Result, api_error};

/// Most bytes of one line of an event stream, and of one event's data, unless set with
/// [`Events::max_line_bytes`]: 1 MiB.
pub const DEFAULT_MAX_LINE_BYTES: usize = 1 << 20;

/// How long [`Events`] waits before it reconnects, when resuming and the server set no delay
/// with a `retry:` field: 3 s.
pub const DEFAULT_RECONNECT_DELAY: Duration = Duration::from_secs(3);

/// How many times in a row [`Events`] reconnects, when resuming, without receiving an event
/// in between: 5.
pub const DEFAULT_MAX_RECONNECTS: u32 = 5;

/// One event of a server-sent event stream.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The event's name (its `event:` field); `"message"` when the server gave none.
    pub event: String,
    /// The last event id the server set (an `id:` field of this event or of an earlier one,
    /// as a browser's `EventSource` keeps it); `None` before any, or after an empty `id:`.
    /// Resuming sends it back as `Last-Event-ID`.
    pub id: Option<String>,
    /// The event's data (its `data:` lines joined with `\n`), decoded from JSON.
    pub data: T,
    /// The reconnection delay this event set (its `retry:` field), if it set one.
    pub retry: Option<Duration>,
}

/// Opens the stream again after it dropped: given the last event id (to send as
/// `Last-Event-ID`), answers the new response. It applies the client's time limits to
/// connecting; an error status should be an `Err` (a status that is not a success ends the
/// stream with an API error, and `204 No Content` ends it quietly, as the server asks).
pub(crate) type Reconnect = Box<
    dyn Fn(Option<String>) -> Pin<Box<dyn Future<Output = Result<reqwest::Response>> + Send>>
        + Send
        + Sync,
>;

type ByteStream =
    Pin<Box<dyn Stream<Item = std::result::Result<bytes::Bytes, reqwest::Error>> + Send>>;

/// The body of a response as a stream of chunks, read as they arrive.
fn body_of(response: reqwest::Response) -> ByteStream {
    Box::pin(futures_util::stream::unfold(
        Some(response),
        |response| async move {
            let mut response = response?;
            match response.chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                Ok(None) => None,
                Err(error) => Some((Err(error), None)),
            }
        },
    ))
}

/// A stream of server-sent events, each decoded as `T` from its JSON data: a
/// `futures_core::Stream` of `Result<Event<T>>`, `Send`, `Unpin` and `'static`. Read it with
/// its own [`next`](Self::next) and [`try_next`](Self::try_next) (or any `StreamExt`).
///
/// - Comment lines (`: keep-alive`) are skipped, as are events without data.
/// - An event whose data is not the JSON of `T` is an `Err` item ([`Error::Decode`]), and
///   the stream goes on with the next event.
/// - A line longer than [`max_line_bytes`](Self::max_line_bytes) (or an event whose data is
///   longer) ends the stream with an [`Error::Decode`]; nothing beyond the limit is buffered.
/// - When the connection drops (the server closes it, or it fails), the stream ends: a
///   failure is its last item. With [`resume(true)`](Self::resume) it reconnects instead, see
///   there.
///
/// The client's timeout and deadline apply to connecting, never to how long the stream lasts.
pub struct Events<T> {
    status: StatusCode,
    body: Option<ByteStream>,
    parser: Parser,
    reconnect: Option<Reconnect>,
    resume: bool,
    max_reconnects: u32,
    /// Reconnections since the last event was received.
    reconnects: u32,
    reconnect_delay: Duration,
    waiting: Option<Pin<Box<tokio::time::Sleep>>>,
    connecting: Option<Pin<Box<dyn Future<Output = Result<reqwest::Response>> + Send>>>,
    /// The error that dropped the connection, yielded if no reconnection succeeds.
    last_error: Option<Error>,
    ended: bool,
    data: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Events<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Events")
            .field("last_event_id", &self.parser.last_id)
            .field("resume", &self.resume)
            .finish_non_exhaustive()
    }
}

impl<T> Events<T> {
    /// The stream of a `text/event-stream` answer, able to reconnect through `reconnect`
    /// (used only once [`resume`](Self::resume) is on).
    #[allow(dead_code)] // only APIs with event-stream actions use it
    pub(crate) fn new(response: reqwest::Response, reconnect: Option<Reconnect>) -> Self {
        Events {
            status: response.status(),
            body: Some(body_of(response)),
            parser: Parser::new(DEFAULT_MAX_LINE_BYTES),
            reconnect,
            resume: false,
            max_reconnects: DEFAULT_MAX_RECONNECTS,
            reconnects: 0,
            reconnect_delay: DEFAULT_RECONNECT_DELAY,
            waiting: None,
            connecting: None,
            last_error: None,
            ended: false,
            data: PhantomData,
        }
    }

    /// Whether to reconnect after the connection drops (off by default).
    ///
    /// When on, a connection that ends or fails is opened again, after the delay the server
    /// set with `retry:` (else [`DEFAULT_RECONNECT_DELAY`], or what
    /// [`reconnect_delay`](Self::reconnect_delay) sets), with the last event id sent as
    /// `Last-Event-ID` so that the server can go on after the last event received. The
    /// client's timeouts and retry policy apply to each reconnection. After
    /// [`max_reconnects`](Self::max_reconnects) reconnections in a row without an event
    /// between them, the stream ends (with the last error, if the last attempt failed). A
    /// server that answers `204 No Content` ends the stream. Events the server sends twice
    /// across a reconnection are yielded twice: compare their [`Event::id`] if that matters.
    pub fn resume(mut self, on: bool) -> Self {
        self.resume = on;
        self
    }

    /// The most bytes of one line, and of one event's data (default
    /// [`DEFAULT_MAX_LINE_BYTES`]). A longer line ends the stream with an error.
    pub fn max_line_bytes(mut self, limit: usize) -> Self {
        self.parser.max = limit;
        self
    }

    /// The most reconnections in a row without an event between them, when resuming (default
    /// [`DEFAULT_MAX_RECONNECTS`]).
    pub fn max_reconnects(mut self, attempts: u32) -> Self {
        self.max_reconnects = attempts;
        self
    }

    /// The wait before reconnecting until the server sets one with `retry:` (default
    /// [`DEFAULT_RECONNECT_DELAY`]).
    pub fn reconnect_delay(mut self, delay: Duration) -> Self {
        self.reconnect_delay = delay;
        self
    }

    /// The last event id the server set, if any: what a reconnection sends as `Last-Event-ID`.
    pub fn last_event_id(&self) -> Option<&str> {
        self.parser.last_id.as_deref()
    }

    /// The next event: `None` when the stream has ended (after an error that ends it, which is
    /// yielded once), and again on every later call.
    #[allow(clippy::should_implement_trait)] // a stream's `next`, as `StreamExt::next` is
    pub async fn next(&mut self) -> Option<Result<Event<T>>>
    where
        T: serde::de::DeserializeOwned,
    {
        std::future::poll_fn(|cx| Stream::poll_next(Pin::new(&mut *self), cx)).await
    }

    /// The next event, with the error first: `Ok(None)` when the stream has ended.
    pub async fn try_next(&mut self) -> Result<Option<Event<T>>>
    where
        T: serde::de::DeserializeOwned,
    {
        self.next().await.transpose()
    }

    /// Whether the stream may reconnect now; if so, starts the wait before it.
    fn start_reconnecting(&mut self) -> bool {
        if !self.resume || self.reconnect.is_none() || self.reconnects >= self.max_reconnects {
            return false;
        }
        self.reconnects += 1;
        self.parser.restart();
        let delay = self.parser.retry.unwrap_or(self.reconnect_delay);
        self.waiting = Some(Box::pin(tokio::time::sleep(delay)));
        true
    }

    /// Ends the stream, with the error that ended it, if any.
    fn end(&mut self, error: Option<Error>) -> Poll<Option<Result<Event<T>>>> {
        self.ended = true;
        self.body = None;
        self.waiting = None;
        self.connecting = None;
        Poll::Ready(error.or_else(|| self.last_error.take()).map(Err))
    }

    fn decode(&self, raw: RawEvent) -> Result<Event<T>>
    where
        T: serde::de::DeserializeOwned,
    {
        match serde_json::from_str(&raw.data) {
            Ok(data) => Ok(Event {
                event: raw.event,
                id: raw.id,
                data,
                retry: raw.retry,
            }),
            Err(source) => Err(Error::Decode {
                status: self.status,
                message: format!("event `{}`: {source}", raw.event),
                excerpt: crate::error::excerpt(raw.data.as_bytes()),
                source,
            }),
        }
    }
}

impl<T: serde::de::DeserializeOwned + Send + 'static> crate::request::FromAnswer for Events<T> {
    const STREAMED: bool = true;

    fn decode(raw: crate::client::Raw) -> Result<crate::ApiResponse<Self>> {
        let response = raw.stream.ok_or_else(|| {
            Error::InvalidArgument("an event stream's answer was read whole".into())
        })?;
        Ok(crate::ApiResponse {
            status: raw.status,
            headers: raw.headers,
            data: Events::new(response, raw.resend),
        })
    }
}

impl<T: serde::de::DeserializeOwned> Stream for Events<T> {
    type Item = Result<Event<T>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.ended {
                return Poll::Ready(None);
            }
            if let Some(raw) = this.parser.ready.pop_front() {
                this.reconnects = 0;
                this.last_error = None;
                return Poll::Ready(Some(this.decode(raw)));
            }
            if let Some(body) = this.body.as_mut() {
                match body.as_mut().poll_next(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Some(Ok(chunk))) => {
                        if let Err(limit) = this.parser.feed(&chunk) {
                            let error = too_long(this.status, limit);
                            return this.end(Some(error));
                        }
                    }
                    Poll::Ready(Some(Err(error))) => {
                        this.body = None;
                        this.last_error = Some(crate::client::transport(error));
                        if !this.start_reconnecting() {
                            return this.end(None);
                        }
                    }
                    Poll::Ready(None) => {
                        this.body = None;
                        if !this.start_reconnecting() {
                            return this.end(None);
                        }
                    }
                }
                continue;
            }
            if let Some(waiting) = this.waiting.as_mut() {
                match waiting.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(()) => {
                        this.waiting = None;
                        let last_id = this.parser.last_id.clone();
                        match &this.reconnect {
                            Some(reconnect) => this.connecting = Some(reconnect(last_id)),
                            None => return this.end(None),
                        }
                    }
                }
                continue;
            }
            if let Some(connecting) = this.connecting.as_mut() {
                match connecting.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(result) => {
                        this.connecting = None;
                        match result {
                            Ok(response) if response.status() == StatusCode::NO_CONTENT => {
                                return this.end(None);
                            }
                            Ok(response) if !response.status().is_success() => {
                                let error = api_error(
                                    response.status(),
                                    response.headers().clone(),
                                    b"",
                                    None,
                                );
                                return this.end(Some(error));
                            }
                            Ok(response) => {
                                this.status = response.status();
                                this.body = Some(body_of(response));
                            }
                            Err(error) => {
                                this.last_error = Some(error);
                                if !this.start_reconnecting() {
                                    return this.end(None);
                                }
                            }
                        }
                    }
                }
                continue;
            }
            return this.end(None);
        }
    }
}

/// The error of a line (or an event's data) longer than `limit` bytes.
fn too_long(status: StatusCode, limit: usize) -> Error {
    let message = format!(
        "a line of the event stream is longer than the limit of {limit} bytes (see `Events::max_line_bytes`)"
    );
    Error::Decode {
        status,
        source: serde::de::Error::custom(&message),
        message,
        excerpt: String::new(),
    }
}

/// An event as the server sent it, its data not yet decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawEvent {
    pub(crate) event: String,
    pub(crate) id: Option<String>,
    pub(crate) data: String,
    pub(crate) retry: Option<Duration>,
}

/// Reads an event stream's bytes into events, as they arrive in chunks of any size.
#[derive(Debug)]
pub(crate) struct Parser {
    /// The most bytes of a line and of an event's data.
    pub(crate) max: usize,
    /// The current line, up to its end (never longer than `max`).
    pub(crate) line: Vec<u8>,
    /// Whether the last line ended with CR: an LF right after it belongs to that line end.
    after_cr: bool,
    /// Whether the stream's first bytes were seen (a byte-order mark there is skipped).
    started: bool,
    /// The event being read: its name, its data so far and whether it has any.
    event: String,
    data: String,
    has_data: bool,
    event_retry: Option<Duration>,
    /// What outlives an event: the last event id and the reconnection delay.
    pub(crate) last_id: Option<String>,
    pub(crate) retry: Option<Duration>,
    /// Events complete and not yet taken.
    pub(crate) ready: VecDeque<RawEvent>,
}

impl Parser {
    pub(crate) fn new(max: usize) -> Self {
        Parser {
            max,
            line: Vec::new(),
            after_cr: false,
            started: false,
            event: String::new(),
            data: String::new(),
            has_data: false,
            event_retry: None,
            last_id: None,
            retry: None,
            ready: VecDeque::new(),
        }
    }

    /// Forgets the half-read line and event of a dropped connection (keeping the last event
    /// id and the reconnection delay) for the next one.
    pub(crate) fn restart(&mut self) {
        self.line = Vec::new();
        self.after_cr = false;
        self.started = false;
        self.reset_event();
    }

    fn reset_event(&mut self) {
        self.event.clear();
        self.data.clear();
        self.has_data = false;
        self.event_retry = None;
    }

    /// Reads a chunk. `Err(limit)` when a line or an event's data would be longer than the
    /// limit (the parser then holds at most `limit` bytes of it).
    pub(crate) fn feed(&mut self, chunk: &[u8]) -> std::result::Result<(), usize> {
        if self.started {
            return self.feed_lines(chunk);
        }
        // A byte-order mark at the start is skipped; it may be split across chunks.
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        let mut start = std::mem::take(&mut self.line);
        start.extend_from_slice(chunk);
        if start.len() < BOM.len() && BOM.starts_with(&start) {
            self.line = start;
            return Ok(());
        }
        self.started = true;
        self.feed_lines(start.strip_prefix(BOM).unwrap_or(&start))
    }

    fn feed_lines(&mut self, mut chunk: &[u8]) -> std::result::Result<(), usize> {
        loop {
            // A CR LF pair is one line end, even when a chunk ends between the two.
            if self.after_cr && !chunk.is_empty() {
                self.after_cr = false;
                if chunk[0] == b'\n' {
                    chunk = &chunk[1..];
                }
            }
            if chunk.is_empty() {
                return Ok(());
            }
            let end = chunk.iter().position(|&b| b == b'\n' || b == b'\r');
            let part = &chunk[..end.unwrap_or(chunk.len())];
            if self.line.len() + part.len() > self.max {
                return Err(self.max);
            }
            self.line.extend_from_slice(part);
            let Some(end) = end else {
                return Ok(());
            };
            self.after_cr = chunk[end] == b'\r';
            let mut line = std::mem::take(&mut self.line);
            self.line_ended(&line)?;
            line.clear();
            self.line = line;
            chunk = &chunk[end + 1..];
        }
    }

    /// Handles one complete line.
    fn line_ended(&mut self, line: &[u8]) -> std::result::Result<(), usize> {
        if line.is_empty() {
            self.dispatch();
            return Ok(());
        }
        let line = String::from_utf8_lossy(line);
        if line.starts_with(':') {
            return Ok(());
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "event" => value.clone_into(&mut self.event),
            "data" => {
                if self.data.len() + value.len() + 1 > self.max {
                    return Err(self.max);
                }
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => {
                self.last_id = (!value.is_empty()).then(|| value.to_owned());
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(ms) = value.parse::<u64>() {
                    let delay = Duration::from_millis(ms);
                    self.retry = Some(delay);
                    self.event_retry = Some(delay);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A blank line: the event read so far is complete (and dropped if it has no data).
    fn dispatch(&mut self) {
        if self.has_data {
            let event = if self.event.is_empty() {
                "message".to_owned()
            } else {
                std::mem::take(&mut self.event)
            };
            self.ready.push_back(RawEvent {
                event,
                id: self.last_id.clone(),
                data: std::mem::take(&mut self.data),
                retry: self.event_retry,
            });
        }
        self.reset_event();
    }
}
