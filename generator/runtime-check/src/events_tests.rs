//! Server-sent event streams (`events.rs`): the parser on its own, and `Events` against local
//! servers: the test server's event answers, and raw TCP servers for what a mock server cannot
//! do (a body that never ends, a connection that drops and comes back).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::Error;
use crate::events::{Events, Parser, RawEvent, Reconnect};
use crate::test_server::{Answer, TestServer};

#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
struct State {
    n: u32,
}

fn raw(event: &str, id: Option<&str>, data: &str) -> RawEvent {
    RawEvent {
        event: event.to_owned(),
        id: id.map(str::to_owned),
        data: data.to_owned(),
        retry: None,
    }
}

/// Feeds `text` in pieces of `size` bytes and takes the events.
fn parse(text: &str, size: usize) -> Vec<RawEvent> {
    let mut parser = Parser::new(1024);
    for piece in text.as_bytes().chunks(size) {
        parser.feed(piece).unwrap();
    }
    parser.ready.into_iter().collect()
}

#[test]
fn the_parser_reads_fields_comments_and_every_line_end_in_pieces_of_any_size() {
    let text = "\u{feff}: hello\r\n\r\nevent: state\r\nid: 7\r\ndata: {\"n\":1}\r\n\r\n\
                data:{\"n\":\r\ndata: 2}\r\rdata: 3\nretry: 250\nid\n\nevent: nothing\n\n\
                data: not dispatched without a blank line";
    let want = vec![
        raw("state", Some("7"), "{\"n\":1}"),
        raw("message", Some("7"), "{\"n\":\n2}"),
        RawEvent {
            retry: Some(Duration::from_millis(250)),
            ..raw("message", None, "3")
        },
    ];
    for size in [1, 2, 3, 5, 7, text.len()] {
        assert_eq!(parse(text, size), want, "pieces of {size} bytes");
    }
}

#[test]
fn the_parser_keeps_an_empty_data_line_and_a_colon_in_a_value() {
    let events = parse("data\ndata: a: b\n\nevent:x\ndata:\n\n", 4);
    assert_eq!(
        events,
        vec![raw("message", None, "\na: b"), raw("x", None, "")]
    );
}

#[test]
fn an_endless_line_stops_the_parser_at_the_cap_without_buffering_beyond_it() {
    let cap = 64 * 1024;
    let mut parser = Parser::new(cap);
    parser.feed(b"data: ").unwrap();
    let chunk = vec![b'x'; 8 * 1024];
    let mut fed = 0;
    let error = loop {
        match parser.feed(&chunk) {
            Ok(()) => fed += chunk.len(),
            Err(limit) => break limit,
        }
        assert!(fed < 10 * cap, "the parser took {fed} bytes of one line");
    };
    assert_eq!(error, cap);
    assert!(parser.line.len() <= cap);
    assert!(parser.line.capacity() <= 2 * cap);
}

#[test]
fn data_lines_longer_together_than_the_cap_stop_the_parser() {
    let mut parser = Parser::new(100);
    let line = format!("data: {}\n", "y".repeat(60));
    parser.feed(line.as_bytes()).unwrap();
    assert_eq!(parser.feed(line.as_bytes()), Err(100));
}

async fn get(url: &str) -> reqwest::Response {
    reqwest::Client::new().get(url).send().await.unwrap()
}

#[tokio::test]
async fn typed_events_arrive_in_order_across_keep_alives() {
    let server = TestServer::start().await;
    let events = [("state", 1), ("state", 2), ("command", 3)]
        .map(|(name, n)| (name, serde_json::json!({ "n": n })));
    server.answer("things.get", Answer::events(events));
    let response = get(&format!("{}/things/t1", server.uri())).await;
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut stream: Events<State> = Events::new(response, None);
    let mut seen = Vec::new();
    while let Some(event) = stream.try_next().await.unwrap() {
        seen.push((event.event, event.id, event.data.n));
    }
    let want = [("state", "1", 1), ("state", "2", 2), ("command", "3", 3)]
        .map(|(name, id, n)| (name.to_owned(), Some(id.to_owned()), n));
    assert_eq!(seen, want);
    assert!(stream.next().await.is_none(), "an ended stream stays ended");
}

#[tokio::test]
async fn an_event_that_does_not_decode_is_an_error_and_the_stream_goes_on() {
    let server = TestServer::start().await;
    let text = "data: {\"n\":1}\n\ndata: {\"n\":\"two\"}\n\ndata: {\"n\":3}\n\n";
    server.answer("things.get", Answer::event_stream(text));
    let response = get(&format!("{}/things/t1", server.uri())).await;
    let mut stream: Events<State> = Events::new(response, None);
    assert_eq!(stream.next().await.unwrap().unwrap().data.n, 1);
    let error = stream.next().await.unwrap().unwrap_err();
    assert!(error.is_decode(), "{error:?}");
    assert!(error.to_string().contains("event `message`"), "{error}");
    assert_eq!(stream.next().await.unwrap().unwrap().data.n, 3);
    assert!(stream.next().await.is_none());
}

/// Reads a request's head and answers its header `name`, if it sent one.
async fn read_head(socket: &mut TcpStream, name: &str) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if socket.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name)
            .then(|| value.trim().to_owned())
    })
}

const STREAM_HEAD: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";

#[tokio::test]
async fn a_line_longer_than_the_cap_ends_the_stream_while_the_server_keeps_sending() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = sent.clone();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        read_head(&mut socket, "accept").await;
        socket.write_all(STREAM_HEAD).await.unwrap();
        socket
            .write_all(b"data: {\"n\":1}\n\ndata: ")
            .await
            .unwrap();
        let chunk = vec![b'x'; 16 * 1024];
        // Endless, until the client goes away.
        while socket.write_all(&chunk).await.is_ok() {
            counter.fetch_add(chunk.len(), Ordering::Relaxed);
        }
    });
    let cap = 256 * 1024;
    let mut stream: Events<State> = Events::new(get(&url).await, None).max_line_bytes(cap);
    assert_eq!(stream.next().await.unwrap().unwrap().data.n, 1);
    let error = stream.next().await.unwrap().unwrap_err();
    assert!(error.is_decode(), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("longer than the limit of 262144 bytes"),
        "{error}"
    );
    assert!(stream.next().await.is_none());
    // The server was still sending: it had written about the cap (less at most the chunk
    // being written) when the stream gave up.
    assert!(sent.load(Ordering::Relaxed) + 16 * 1024 >= cap);
}

/// A server whose connections each send the next script of events and close; it records the
/// `Last-Event-ID` of each connection. Past the scripts it answers `204 No Content`.
async fn dropping_server(scripts: Vec<&'static str>) -> (String, Arc<Mutex<Vec<Option<String>>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        let mut scripts = scripts.into_iter();
        while let Ok((mut socket, _)) = listener.accept().await {
            let last_id = read_head(&mut socket, "last-event-id").await;
            record.lock().unwrap().push(last_id);
            match scripts.next() {
                Some(script) => {
                    let _ = socket.write_all(STREAM_HEAD).await;
                    let _ = socket.write_all(script.as_bytes()).await;
                }
                None => {
                    let _ = socket
                        .write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
                        .await;
                }
            }
            let _ = socket.shutdown().await;
        }
    });
    (url, seen)
}

/// Opens the stream again, sending the last event id as the caller of `Events::new` does.
fn reconnect(url: &str) -> Reconnect {
    let url = url.to_owned();
    let client = reqwest::Client::new();
    Box::new(move |last_id| {
        let mut request = client.get(&url);
        if let Some(id) = last_id {
            request = request.header("Last-Event-ID", id);
        }
        Box::pin(async move { request.send().await.map_err(Error::Transport) })
    })
}

const FIRST: &str = "retry: 10\nid: 1\ndata: {\"n\":1}\n\nid: 2\ndata: {\"n\":2}\n\ndata: {\"n\":";
const SECOND: &str = ": back\n\nid: 3\ndata: {\"n\":3}\n\n";

#[tokio::test]
async fn resuming_reconnects_with_the_last_event_id_and_goes_on() {
    let (url, seen) = dropping_server(vec![FIRST, SECOND]).await;
    let stream: Events<State> = Events::new(get(&url).await, Some(reconnect(&url))).resume(true);
    let events: Vec<_> = collect(stream)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let got: Vec<_> = events.iter().map(|e| (e.id.as_deref(), e.data.n)).collect();
    assert_eq!(got, [(Some("1"), 1), (Some("2"), 2), (Some("3"), 3)]);
    assert_eq!(events[0].retry, Some(Duration::from_millis(10)));
    let seen = seen.lock().unwrap().clone();
    let want = [None, Some("2"), Some("3")].map(|id| id.map(str::to_owned));
    assert_eq!(seen, want, "the Last-Event-ID of each connection");
}

#[tokio::test]
async fn without_resume_the_stream_ends_with_the_connection() {
    let (url, seen) = dropping_server(vec![FIRST, SECOND]).await;
    let stream: Events<State> = Events::new(get(&url).await, Some(reconnect(&url)));
    let events = collect(stream).await;
    let got: Vec<_> = events.into_iter().map(|e| e.unwrap().data.n).collect();
    assert_eq!(got, [1, 2], "the half-sent third event is dropped");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(seen.lock().unwrap().len(), 1, "no reconnection");
}

#[tokio::test]
async fn reconnections_stop_at_the_bound_with_the_last_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let first = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        read_head(&mut socket, "accept").await;
        socket.write_all(STREAM_HEAD).await.unwrap();
        socket.write_all(b"data: {\"n\":1}\n\n").await.unwrap();
        // The listener closes with this task: every reconnection is refused.
    });
    let response = get(&url).await;
    first.await.unwrap();
    let stream: Events<State> = Events::new(response, Some(reconnect(&url)))
        .resume(true)
        .reconnect_delay(Duration::from_millis(1))
        .max_reconnects(3);
    let items = collect(stream).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().data.n, 1);
    let error = items[1].as_ref().unwrap_err();
    assert!(error.is_connect(), "{error:?}");
}

async fn collect(mut stream: Events<State>) -> Vec<crate::Result<crate::events::Event<State>>> {
    let mut all = Vec::new();
    let limit = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(item) = stream.next().await {
            all.push(item);
        }
    });
    limit.await.expect("the stream ended");
    all
}

#[test]
fn events_are_send_unpin_and_static() {
    fn check<S: futures_core::Stream + Send + Unpin + 'static>() {}
    check::<Events<State>>();
    check::<Events<serde_json::Value>>();
}
