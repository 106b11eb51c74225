//! The runtime's own behaviour, the same in every generated crate and so tested once, here:
//! retries and `Retry-After`, timeouts, decode and API errors, path segments, secrecy,
//! configuration checks, pagination's end and the value types. Each generated crate tests
//! what its templates decide: every action's request and answer, its errors and pages, its
//! servers, its path parameters and its models.

use std::time::{Duration, Instant};

use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::things::{Status, Thing};
use crate::{
    Client, Error, ErrorKind, FilePart, Nullable, RetryPolicy, Secret, Server, StatusCode,
};

const TOKEN: &str = "runtime-token-0123456789";
const THING: &str = r#"{"id":"t1","name":"one","status":"active"}"#;

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_secs(3),
        ..RetryPolicy::default()
    }
}

fn client_with(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .retry_policy(retry)
        .build()
        .unwrap()
}

/// Answers the first request to `GET /things/t1` with `first`, every later one with the thing.
async fn mount_get(server: &MockServer, first: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(first)
        .up_to_n_times(1)
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(THING, "application/json"))
        .expect(1)
        .mount(server)
        .await;
}

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json")
}

fn new_thing() -> Thing {
    serde_json::from_str(r#"{"name":"new","key":"k3y-value"}"#).unwrap()
}

#[tokio::test]
async fn the_token_default_headers_and_global_defaults_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("accept", "application/json"))
        .and(header("accept-version", "^1.0.0"))
        .and(header("x-domain", "example.org"))
        .and(query_param("_links", "true"))
        .respond_with(json(200, THING))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());
    let thing = client
        .things()
        .get("t1")
        .domain("example.org")
        .send()
        .await
        .unwrap();
    assert_eq!(thing.status, Some(Status::Active));
}

#[tokio::test]
async fn without_a_token_no_auth_header_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .and(|request: &Request| !request.headers.contains_key("authorization"))
        .respond_with(json(200, THING))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    client.things().get("t1").send().await.unwrap();
}

#[tokio::test]
async fn a_token_that_cannot_be_a_header_is_refused_without_showing_it() {
    let error = Client::builder()
        .token("line\nbreak-s3cr3t")
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    assert!(!format!("{error:?} {error}").contains("s3cr3t"));
}

#[tokio::test]
async fn rate_limit_with_retry_after_seconds_is_waited_out() {
    let server = MockServer::start().await;
    mount_get(
        &server,
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
    )
    .await;
    let started = Instant::now();
    let client = client_with(&server, fast_retries());
    client.things().get("t1").send().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After was not honoured"
    );
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let server = MockServer::start().await;
    let when = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    mount_get(
        &server,
        ResponseTemplate::new(503).insert_header("Retry-After", when.as_str()),
    )
    .await;
    let started = Instant::now();
    let client = client_with(&server, fast_retries());
    client.things().get("t1").send().await.unwrap();
    // The date has one-second resolution: at least one second is left of the two.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "the HTTP-date Retry-After was not honoured"
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_longest_delay_ends_the_call_with_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .expect(1)
        .mount(&server)
        .await;
    let started = Instant::now();
    let error = client_with(&server, fast_retries())
        .things()
        .get("t1")
        .send()
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "it was not retried early"
    );
    assert_eq!(error.kind(), Some(ErrorKind::RateLimited));
    assert_eq!(
        error.api().unwrap().retry_after,
        Some(Duration::from_secs(3600))
    );
}

#[tokio::test]
async fn a_retry_after_past_the_deadline_ends_the_call_with_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "2"))
        .expect(1)
        .mount(&server)
        .await;
    let started = Instant::now();
    let error = client_with(&server, fast_retries())
        .things()
        .get("t1")
        .deadline(Duration::from_secs(1))
        .send()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(900));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        error.api().unwrap().retry_after,
        Some(Duration::from_secs(2))
    );
}

#[tokio::test]
async fn the_deadline_bounds_attempts_and_waits_together() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(json(503, "{}").set_delay(Duration::from_millis(150)))
        .mount(&server)
        .await;
    let retry = RetryPolicy {
        max_attempts: 100,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(20),
        ..RetryPolicy::default()
    };
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .retry_policy(retry)
        .deadline(Duration::from_millis(600))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.things().get("t1").send().await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(300),
        "{elapsed:?}: it retried"
    );
    assert!(
        elapsed < Duration::from_millis(1500),
        "{elapsed:?}: past the deadline"
    );
    assert!(
        matches!(&error, Error::Timeout { .. }) || error.status().map(|s| s.as_u16()) == Some(503),
        "{error:?}"
    );
    let requests = server.received_requests().await.unwrap().len();
    assert!((2..=5).contains(&requests), "{requests} attempts");
    // A request's own deadline takes the client's place.
    let started = Instant::now();
    let error = client
        .things()
        .get("t1")
        .deadline(Duration::from_millis(100))
        .send()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(600));
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
}

#[tokio::test]
async fn a_request_sets_its_own_timeout_and_retry_policy() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(json(200, THING).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());
    let started = Instant::now();
    let error = client
        .things()
        .get("t1")
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    server.reset().await;
    // The client never retries; this request does.
    mount_get(&server, json(503, "{}")).await;
    client
        .things()
        .get("t1")
        .retry_policy(fast_retries())
        .send()
        .await
        .unwrap();
    server.verify().await;
}

#[tokio::test]
async fn headers_of_the_client_and_of_a_request_replace_default_ones() {
    let server = MockServer::start().await;
    let one = |name: &'static str, value: &'static str| {
        move |request: &Request| {
            let values: Vec<_> = request.headers.get_all(name).iter().collect();
            values.len() == 1 && values[0] == value
        }
    };
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .and(one("accept-version", "^2.0.0"))
        .and(one("x-trace", "abc"))
        .and(one("x-domain", "override.example"))
        .respond_with(json(200, THING))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .and(one("accept-version", "^1.5.0"))
        .respond_with(json(200, THING))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .header("Accept-Version", "^1.5.0")
        .build()
        .unwrap();
    client
        .things()
        .get("t1")
        .domain("example.org")
        .header("Accept-Version", "^2.0.0")
        .header("x-trace", "abc")
        .header("X-Domain", "override.example")
        .send()
        .await
        .unwrap();
    client.things().get("t1").send().await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn a_bad_header_is_refused_without_showing_its_value() {
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    for (name, value) in [("bad name", "v"), ("x-key", "s3cr3t\n")] {
        let error = client
            .things()
            .get("t1")
            .header(name, value)
            .send()
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
        assert!(!format!("{error:?} {error}").contains("s3cr3t"));
    }
    let error = Client::builder()
        .header("x-key", "s3cr3t\n")
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    assert!(!format!("{error:?} {error}").contains("s3cr3t"));
}

#[tokio::test]
async fn retries_stop_at_the_bound() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(json(503, "{}"))
        .expect(3)
        .mount(&server)
        .await;
    let client = client_with(&server, fast_retries());
    let error = client.things().get("t1").send().await.unwrap_err();
    assert_eq!(error.kind(), Some(ErrorKind::ServerError));
    assert!(error.is_retryable());
}

#[tokio::test]
async fn delete_is_retried_like_get() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/things/t1"))
        .respond_with(json(502, "{}"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/things/t1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_with(&server, fast_retries());
    client.things().delete("t1").send().await.unwrap();
}

#[tokio::test]
async fn a_client_error_and_a_plain_server_error_are_not_retried() {
    for status in [400, 500] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/things/t1"))
            .respond_with(json(status, "{}"))
            .expect(1)
            .mount(&server)
            .await;
        let client = client_with(&server, fast_retries());
        let error = client.things().get("t1").send().await.unwrap_err();
        assert!(!error.is_retryable(), "{status}");
    }
}

#[tokio::test]
async fn post_is_not_retried_by_default() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/things"))
        .respond_with(json(503, "{}"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_with(&server, fast_retries());
    let error = client
        .things()
        .create(new_thing())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
}

#[tokio::test]
async fn post_is_retried_with_its_body_intact_when_the_caller_opts_in() {
    let server = MockServer::start().await;
    let sent = serde_json::to_value(new_thing()).unwrap();
    assert_eq!(sent["key"], "k3y-value", "a secret is sent as it is");
    Mock::given(method("POST"))
        .and(path("/things"))
        .and(body_json(&sent))
        .respond_with(json(502, "{}"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/things"))
        .and(body_json(&sent))
        .and(header("content-type", "application/json"))
        .respond_with(json(201, THING))
        .expect(1)
        .mount(&server)
        .await;
    let retry = RetryPolicy {
        retry_non_idempotent: true,
        ..fast_retries()
    };
    let client = client_with(&server, retry);
    let answer = client
        .things()
        .create(new_thing())
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(answer.status, StatusCode::CREATED);
    assert_eq!(answer.data.id.as_deref(), Some("t1"));
}

/// The process-wide `tracing` subscriber of these tests. Set once as the global default
/// (tests run on many threads, and a thread-local default can miss a callsite that another
/// thread registered first), it records every test's traces: a test looks for its own lines,
/// and no test may leave a secret in them.
fn recorder() -> Recorder {
    static RECORDER: std::sync::OnceLock<Recorder> = std::sync::OnceLock::new();
    RECORDER
        .get_or_init(|| {
            let recorder = Recorder::default();
            tracing::subscriber::set_global_default(recorder.clone()).unwrap();
            recorder
        })
        .clone()
}

/// A `tracing` subscriber that writes every span, field record and event as a line of text,
/// and keeps the shape of every span and event of this crate (see [`shape`]).
#[derive(Clone, Default)]
struct Recorder {
    lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    shapes: std::sync::Arc<std::sync::Mutex<std::collections::BTreeSet<String>>>,
    ids: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

/// A span or event as the README's "Observability" table documents it: kind, level, name (a
/// span's) or message (an event's), and its field names, sorted.
fn shape(kind: &str, level: &str, name: &str, fields: &[&str]) -> String {
    let mut fields: Vec<&str> = fields.iter().copied().filter(|f| *f != "message").collect();
    fields.sort_unstable();
    format!("{kind} {level} {name}: {}", fields.join(" "))
}

/// Writes each field as ` name=value`.
struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        use std::fmt::Write;
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

/// Reads an event's message.
struct Message<'a>(&'a mut String);

impl tracing::field::Visit for Message<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            *self.0 = format!("{value:?}");
        }
    }
}

impl Recorder {
    /// Keeps the shape of a span or event of this crate (not of its dependencies).
    fn keep_shape(&self, kind: &str, meta: &tracing::Metadata<'_>, name: &str) {
        if !meta.target().starts_with(env!("CARGO_CRATE_NAME")) {
            return;
        }
        let fields: Vec<&str> = meta.fields().iter().map(|f| f.name()).collect();
        let level = meta.level().to_string();
        self.shapes
            .lock()
            .unwrap()
            .insert(shape(kind, &level, name, &fields));
    }

    fn push(&self, line: String) {
        self.lines.lock().unwrap().push(line);
    }

    fn text(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        self.keep_shape("span", span.metadata(), span.metadata().name());
        let mut line = format!("span {}:", span.metadata().name());
        span.record(&mut Fields(&mut line));
        self.push(line);
        let id = self.ids.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        tracing::span::Id::from_u64(id)
    }

    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut line = String::from("record:");
        values.record(&mut Fields(&mut line));
        self.push(line);
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut message = String::new();
        event.record(&mut Message(&mut message));
        self.keep_shape("event", event.metadata(), &message);
        let mut line = format!("event {}:", event.metadata().level());
        event.record(&mut Fields(&mut line));
        self.push(line);
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn a_request_is_a_span_with_its_attempts_status_and_duration_and_no_secret() {
    let recorder = recorder();
    let server = MockServer::start().await;
    mount_get(
        &server,
        ResponseTemplate::new(429).insert_header("Retry-After", "0"),
    )
    .await;
    let client = client_with(&server, fast_retries());
    client
        .things()
        .get("t1")
        .domain("secret-domain.example")
        .header("x-key", "header-s3cr3t")
        .send()
        .await
        .unwrap();
    let text = recorder.text();
    for expected in [
        "span request: method=\"GET\" path=\"/things/{thingId}\" action=\"things.get\"",
        "record: attempt=1",
        "record: status=429",
        "event INFO: message=retrying after a wait attempt=1 error=429 rate limited wait_ms=0 retry_after=true",
        "record: attempt=2",
        "record: status=200",
        "record: duration_ms=",
    ] {
        assert!(text.contains(expected), "{expected:?} is not in:\n{text}");
    }
    for secret in [TOKEN, "secret-domain", "header-s3cr3t", "t1", "\"one\""] {
        assert!(!text.contains(secret), "{secret:?} was recorded:\n{text}");
    }
}

#[tokio::test]
async fn a_retry_after_too_long_and_a_deadline_are_events() {
    let recorder = recorder();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/things/t2"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "5"))
        .mount(&server)
        .await;
    let client = client_with(&server, fast_retries());
    client.things().get("t1").send().await.unwrap_err();
    client
        .things()
        .get("t2")
        .retry_policy(RetryPolicy {
            max_delay: Duration::from_secs(60),
            ..fast_retries()
        })
        .deadline(Duration::from_secs(1))
        .send()
        .await
        .unwrap_err();
    let text = recorder.text();
    for expected in [
        "event WARN: message=Retry-After is longer than the retry policy allows; not retried attempt=1 retry_after_s=3600",
        "event WARN: message=the wait before a retry would pass the deadline; not retried attempt=1 wait_ms=5000",
        "event DEBUG: message=request failed error=429 rate limited",
        "event DEBUG: message=request failed error=503 server error",
    ] {
        assert!(text.contains(expected), "{expected:?} is not in:\n{text}");
    }
}

#[tokio::test]
async fn api_errors_keep_the_status_headers_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(
            json(404, r#"{"message":"gone"}"#)
                .insert_header("x-request-id", "req-42")
                .insert_header("x-other", "kept"),
        )
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());
    let error = client.things().get("t1").send().await.unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.request_id.as_deref(), Some("req-42"));
    assert_eq!(api.headers.get("x-other").unwrap(), "kept");
    assert!(std::error::Error::source(&error).is_none());
}

#[tokio::test]
async fn timeouts_and_decode_errors_keep_their_source() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(json(200, THING).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/things/t2"))
        .respond_with(json(200, "not json"))
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());
    let timeout = client
        .things()
        .get("t1")
        .timeout(Duration::from_millis(100))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            timeout,
            Error::Timeout {
                source: Some(_),
                ..
            }
        ),
        "{timeout:?}"
    );
    assert!(std::error::Error::source(&timeout).is_some());
    let decode = client.things().get("t2").send().await.unwrap_err();
    let source = std::error::Error::source(&decode).unwrap();
    assert!(source.is::<serde_json::Error>(), "{source:?}");
}

#[tokio::test]
async fn a_body_over_the_size_cap_is_refused_and_one_at_it_is_read() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(json(200, THING))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/things/t2"))
        .respond_with(json(500, &"x".repeat(THING.len() + 1)))
        .mount(&server)
        .await;
    let client = |limit| {
        Client::builder()
            .base_url(server.uri())
            .retry_policy(RetryPolicy::none())
            .max_response_bytes(limit)
            .build()
            .unwrap()
    };
    client(THING.len()).things().get("t1").send().await.unwrap();
    let error = client(THING.len() - 1)
        .things()
        .get("t1")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { status: StatusCode::OK, limit } if limit == THING.len() - 1),
        "{error:?}"
    );
    assert!(error.to_string().contains("max_response_bytes"), "{error}");
    // An error answer is capped too.
    let error = client(THING.len())
        .things()
        .get("t2")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
    assert_eq!(crate::DEFAULT_MAX_RESPONSE_BYTES, 32 * 1024 * 1024);
}

#[test]
fn an_empty_token_is_refused_when_the_client_is_built() {
    for token in ["", " \t"] {
        let error = Client::builder().token(token).build().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
    }
    Client::builder().build().unwrap();
}

/// Hooks run on every attempt, in the order they were added: `before_send` ones can change the
/// request (here, a header the server requires), `after_receive` ones see each answer.
#[tokio::test]
async fn hooks_run_in_order_on_every_attempt() {
    use std::sync::{Arc, Mutex};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(json(503, "{}"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .and(header("x-hook", "second"))
        .respond_with(json(200, THING))
        .expect(1)
        .mount(&server)
        .await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let (first, after) = (log.clone(), log.clone());
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .retry_policy(fast_retries())
        .before_send(move |request| {
            first.lock().unwrap().push("before".to_string());
            request
                .headers_mut()
                .insert("x-hook", reqwest::header::HeaderValue::from_static("first"));
        })
        .before_send(|request| {
            // The second hook sees what the first one set.
            assert_eq!(request.headers()["x-hook"], "first");
            assert!(request.headers()["authorization"].is_sensitive());
            request.headers_mut().insert(
                "x-hook",
                reqwest::header::HeaderValue::from_static("second"),
            );
        })
        .after_receive(move |response| {
            after
                .lock()
                .unwrap()
                .push(response.status().as_str().to_string());
        })
        .build()
        .unwrap();
    assert!(format!("{client:?}").contains("before_send: 2"));
    client.things().get("t1").send().await.unwrap();
    server.verify().await;
    assert_eq!(*log.lock().unwrap(), ["before", "503", "before", "200"]);
}

/// Built with a TLS feature (the default), the client reaches `https://` servers; built with
/// neither (`.ci/run` runs this test with `--no-default-features`), `build()` says which
/// features to turn on, unless the caller brings a `reqwest::Client` of its own.
#[test]
fn tls_without_a_tls_feature_is_refused_at_build() {
    let built = Client::builder().token(TOKEN).build();
    if cfg!(any(feature = "rustls", feature = "native-tls")) {
        built.unwrap();
    } else {
        let error = built.unwrap_err().to_string();
        assert!(
            error.contains("`rustls` or `native-tls` feature"),
            "{error}"
        );
        Client::builder()
            .token(TOKEN)
            .http_client(reqwest::Client::new())
            .build()
            .unwrap();
        // Loopback http:// needs no TLS.
        Client::builder()
            .token(TOKEN)
            .base_url("http://127.0.0.1:1")
            .build()
            .unwrap();
    }
}

#[tokio::test]
async fn a_slow_server_yields_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(json(200, THING).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.things().get("t1").send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn garbage_and_truncated_bodies_are_decode_errors_with_an_excerpt() {
    for body in ["<html>oops</html>", &THING[..THING.len() / 2], ""] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/things/t1"))
            .respond_with(json(200, body))
            .mount(&server)
            .await;
        let client = client_with(&server, RetryPolicy::none());
        let error = client.things().get("t1").send().await.unwrap_err();
        match &error {
            Error::Decode {
                status, excerpt, ..
            } => {
                assert_eq!(*status, StatusCode::OK);
                assert_eq!(excerpt, body);
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        assert!(error.to_string().contains("cannot decode"), "{error}");
    }
}

#[tokio::test]
async fn an_answer_without_a_documented_body_ignores_what_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/things/t1"))
        .respond_with(json(200, "<html>deleted</html>"))
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());
    let answer = client
        .things()
        .delete("t1")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(answer.status, StatusCode::OK);
}

#[tokio::test]
async fn long_error_bodies_are_cut_to_an_excerpt_at_a_character_boundary() {
    let server = MockServer::start().await;
    // Two-byte characters: the limit falls inside one.
    let body = format!("x{}", "é".repeat(5_000));
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(body.clone(), "text/plain"))
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());
    let error = client.things().get("t1").send().await.unwrap_err();
    let excerpt = &error.api().unwrap().excerpt;
    assert!(
        excerpt.len() <= crate::BODY_EXCERPT_LIMIT + 3,
        "{}",
        excerpt.len()
    );
    assert!(body.starts_with(excerpt.trim_end_matches("...")));
    assert!(!error.to_string().contains('\n'), "Display is one line");
}

#[tokio::test]
async fn api_errors_carry_the_vendor_message_and_type() {
    let cases = [
        (
            404,
            r#"{"type":"NotFound","message":"no such thing"}"#,
            "not found (404): NotFound: no such thing",
        ),
        (
            403,
            r#"{"detail":"needs the things scope"}"#,
            "forbidden (403): needs the things scope",
        ),
        (
            418,
            "I'm a\n  teapot",
            "unexpected status (418): I'm a teapot",
        ),
    ];
    for (status, body, shown) in cases {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/things/t1"))
            .respond_with(json(status, body))
            .mount(&server)
            .await;
        let client = client_with(&server, RetryPolicy::none());
        let error = client.things().get("t1").send().await.unwrap_err();
        assert_eq!(error.to_string(), shown);
        assert_eq!(
            error.kind(),
            Some(ErrorKind::from_status(
                StatusCode::from_u16(status).unwrap()
            ))
        );
        let api = error.api().unwrap();
        assert_eq!(api.body.is_some(), body.starts_with('{'));
        let as_json: Option<serde_json::Value> = api.body_as();
        assert_eq!(as_json, api.body);
    }
}

#[tokio::test]
async fn debug_output_never_shows_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(json(401, "{}"))
        .mount(&server)
        .await;
    let builder = Client::builder().token(TOKEN).base_url(server.uri());
    assert!(!format!("{builder:?}").contains(TOKEN));
    let client = builder.retry_policy(RetryPolicy::none()).build().unwrap();
    assert!(!format!("{client:?}").contains(TOKEN));
    let error = client.things().get("t1").send().await.unwrap_err();
    assert_eq!(error.kind(), Some(ErrorKind::Unauthorized));
    assert!(!format!("{error:?} {error}").contains(TOKEN));
    let unreachable = Client::builder()
        .token(TOKEN)
        .base_url("http://127.0.0.1:9")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = unreachable.things().get("t1").send().await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(!format!("{error:?} {error}").contains(TOKEN));
}

#[test]
fn secrets_are_redacted_but_serialised_as_they_are() {
    let secret = Secret::new("s3cr3t-value");
    assert!(!format!("{secret:?}").contains("s3cr3t-value"));
    assert_eq!(secret.expose(), "s3cr3t-value");
    let thing = new_thing();
    assert!(!format!("{thing:?}").contains("k3y-value"));
    assert_eq!(thing.key.as_ref().map(Secret::expose), Some("k3y-value"));
}

#[tokio::test]
async fn path_parameters_stay_inside_one_segment() {
    let cases = [
        ("../../me", "..%2F..%2Fme"),
        ("a/b?c#d", "a%2Fb%3Fc%23d"),
        ("x y%z", "x%20y%25z"),
        ("é~-._", "%C3%A9~-._"),
    ];
    for (id, encoded) in cases {
        let server = MockServer::start().await;
        let expected = format!("/things/{encoded}");
        Mock::given(method("GET"))
            .and(move |request: &Request| request.url.path() == expected)
            .respond_with(json(200, THING))
            .expect(1)
            .mount(&server)
            .await;
        let client = client_with(&server, RetryPolicy::none());
        client.things().get(id).send().await.unwrap();
    }
    let client = Client::builder().token(TOKEN).build().unwrap();
    for id in ["", ".", ".."] {
        let error = client.things().delete(id).send().await.unwrap_err();
        assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    }
}

/// Pages of `sizes` things, each claiming `count` in all, from page 1 on.
async fn mount_pages(server: &MockServer, sizes: &[usize], count: i64) {
    for (page, size) in (1u64..).zip(sizes) {
        let items = vec![serde_json::from_str::<serde_json::Value>(THING).unwrap(); *size];
        Mock::given(method("GET"))
            .and(path("/things"))
            .and(query_param("page", page.to_string()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"items": items, "count": count})),
            )
            .expect(1)
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn a_stream_ends_at_an_empty_page_or_after_an_error() {
    use futures_util::StreamExt;
    // The server claims more than it has: the empty page ends the stream.
    let server = MockServer::start().await;
    mount_pages(&server, &[2, 0], 10).await;
    let client = client_with(&server, RetryPolicy::none());
    let items: Vec<_> = client.things().list().stream().collect().await;
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(Result::is_ok));
    server.verify().await;

    // A failing page is yielded as the last item.
    let server = MockServer::start().await;
    mount_pages(&server, &[2], 10).await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .and(query_param("page", "2"))
        .respond_with(json(400, "{}"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());
    let items: Vec<_> = client.things().list().stream().collect().await;
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[2].as_ref().unwrap_err().status().map(|s| s.as_u16()),
        Some(400)
    );
    server.verify().await;

    // The page set on the request is where the stream starts.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .and(query_param("page", "7"))
        .respond_with(json(200, r#"{"items":[],"count":0}"#))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());
    let items: Vec<_> = client.things().list().page(7).stream().collect().await;
    assert!(items.is_empty());
}

#[test]
fn plain_http_is_refused_unless_loopback_or_opted_in() {
    let refused = Client::builder()
        .base_url("http://api.example.com")
        .build()
        .unwrap_err();
    assert!(matches!(refused, Error::Config(_)), "{refused:?}");
    assert!(
        Client::builder()
            .base_url("http://127.0.0.1:8080")
            .build()
            .is_ok()
    );
    assert!(
        Client::builder()
            .base_url("http://localhost:8080")
            .build()
            .is_ok()
    );
    assert!(
        Client::builder()
            .base_url("http://[::1]:8080")
            .build()
            .is_ok()
    );
    assert!(
        Client::builder()
            .base_url("http://api.example.com")
            .allow_insecure_http(true)
            .build()
            .is_ok()
    );
    assert!(
        Client::builder()
            .base_url("ftp://api.example.com")
            .build()
            .is_err()
    );
    assert!(Client::builder().base_url("not a url").build().is_err());
}

#[test]
fn the_server_decides_the_base_url() {
    assert_eq!(
        Client::builder().build().unwrap().base_url(),
        "https://api.example.com"
    );
    let europe = Client::builder().server(Server::Europe).build().unwrap();
    assert_eq!(europe.base_url(), "https://eu.api.example.com");
    let custom = Client::builder()
        .base_url("https://proxy.example.com/api/")
        .build()
        .unwrap();
    assert_eq!(custom.base_url(), "https://proxy.example.com/api");
}

#[test]
fn only_rate_limits_and_gateway_failures_are_retryable_statuses() {
    for status in [400u16, 401, 403, 404, 409, 429, 500, 502, 503, 504] {
        let code = StatusCode::from_u16(status).unwrap();
        let error = crate::error::api_error(code, crate::HeaderMap::new(), b"", None);
        let retryable = matches!(status, 429 | 502 | 503 | 504);
        assert_eq!(error.is_retryable(), retryable, "{status}");
    }
    let kind = |status| ErrorKind::from_status(StatusCode::from_u16(status).unwrap());
    assert_eq!(kind(599), ErrorKind::ServerError);
    assert_eq!(kind(302), ErrorKind::Other);
    assert!(!Error::InvalidArgument("x".into()).is_retryable());
}

#[test]
fn null_and_absent_stay_apart() {
    let absent: Thing = serde_json::from_str(r#"{"name":"a"}"#).unwrap();
    let null: Thing = serde_json::from_str(r#"{"name":"a","note":null}"#).unwrap();
    let text: Thing = serde_json::from_str(r#"{"name":"a","note":"hi"}"#).unwrap();
    assert_eq!(absent.note, None);
    assert_eq!(null.note, Some(Nullable::Null));
    assert_eq!(
        text.note.as_ref().and_then(Nullable::as_option),
        Some(&String::from("hi"))
    );
    for (thing, json) in [
        (absent, r#"{"name":"a"}"#),
        (null, r#"{"name":"a","note":null}"#),
        (text, r#"{"name":"a","note":"hi"}"#),
    ] {
        assert_eq!(serde_json::to_string(&thing).unwrap(), json);
    }
}

#[test]
fn an_unknown_enum_value_is_kept() {
    let thing: Thing = serde_json::from_str(r#"{"name":"a","status":"archived"}"#).unwrap();
    assert_eq!(thing.status.as_ref().map(Status::as_str), Some("archived"));
    assert!(matches!(thing.status, Some(Status::Unknown(_))));
    assert_eq!(Status::from("disabled"), Status::Disabled);
    assert_eq!(
        serde_json::to_string(&thing).unwrap(),
        r#"{"name":"a","status":"archived"}"#
    );
}

#[test]
fn epoch_seconds_keep_the_number_and_convert_it() {
    let whole: crate::EpochSeconds = serde_json::from_str("1700000000").unwrap();
    let fraction: crate::EpochSeconds = serde_json::from_str("1700000000.25").unwrap();
    assert_eq!(serde_json::to_string(&fraction).unwrap(), "1700000000.25");
    assert_eq!(whole.to_datetime().unwrap().timestamp(), 1_700_000_000);
    let at = fraction.to_datetime().unwrap();
    assert_eq!(
        (at.timestamp(), at.timestamp_subsec_millis()),
        (1_700_000_000, 250)
    );
    let far: crate::EpochSeconds = serde_json::from_str("1e300").unwrap();
    assert_eq!(far.to_datetime(), None);
    assert_eq!(crate::EpochSeconds::from(5).as_f64(), 5.0);
}

/// Parameters are written as the wire expects them: a date-time as RFC 3339 in UTC (as in a
/// JSON body, not chrono's `Display` form), a number as it prints, a list as one query pair per
/// item or one header of comma-joined items, and a path segment as one encoded value.
#[test]
fn parameter_values_are_written_in_their_wire_form() {
    use crate::client::{Call, fill_path};
    let at = "2016-06-13T06:00:00.500+02:00"
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap();
    let call = Call::new(reqwest::Method::GET, "things.get", "/things", &[])
        .unwrap()
        .query("at", Some(&at))
        .query("ids", Some(&vec![1_i64, 2]))
        .query("ratio", Some(&2.0_f64))
        .query("none", None::<&String>)
        .query_or("page", None::<&i64>, "0")
        .header("x-tags", Some(&vec!["a".to_string(), "b".to_string()]))
        .header("x-status", Some(&Status::Active));
    let query: Vec<(&str, &str)> = call
        .query
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_str()))
        .collect();
    assert_eq!(
        query,
        [
            ("at", "2016-06-13T04:00:00.500Z"),
            ("ids", "1"),
            ("ids", "2"),
            ("ratio", "2"),
            ("page", "0"),
        ]
    );
    let headers: Vec<(&str, &str)> = call.headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(headers, [("x-tags", "a,b"), ("x-status", "active")]);
    assert_eq!(
        fill_path("/at/{at}", &[&at]).unwrap(),
        "/at/2016-06-13T04%3A00%3A00.500Z"
    );
}

/// A path template is filled in order, each value as one segment, text between and after the
/// placeholders kept; a value that would leave its segment is refused, naming its parameter.
#[test]
fn path_templates_are_filled_in_order() {
    use crate::client::fill_path;
    let values: [&dyn crate::client::ParamValue; 3] = [&"a/b".to_string(), &7_i64, &Status::Active];
    assert_eq!(
        fill_path("/x/{first}/y/{second}/{third}.json", &values).unwrap(),
        "/x/a%2Fb/y/7/active.json"
    );
    assert_eq!(fill_path("/plain", &[]).unwrap(), "/plain");
    let error = fill_path("/x/{first}/{second}", &[&"..".to_string(), &1_i64]).unwrap_err();
    assert!(error.to_string().contains("`first`"), "{error}");
    let error = fill_path("/x/{first}/{second}", &[&1_i64]).unwrap_err();
    assert!(error.to_string().contains("`second`"), "{error}");
}

/// A model reads and writes its fields as the spec says: a required field must be there (but a
/// required nullable one reads an absent value as `None`), an optional one may be absent or
/// `null`, a nullable optional one keeps `null` apart from absent, a wrong type names the
/// field, and unknown fields come back out after the known ones.
#[test]
fn model_fields_read_and_write_as_the_spec_says() {
    let thing: Thing =
        serde_json::from_str(r#"{"name":"n","note":null,"status":null,"later":[1],"created":5}"#)
            .unwrap();
    assert_eq!(thing.note, Some(Nullable::Null));
    assert_eq!(thing.status, None);
    assert_eq!(thing.id, None);
    assert_eq!(thing.extra.keys().collect::<Vec<_>>(), ["later"]);
    assert_eq!(
        serde_json::to_string(&thing).unwrap(),
        r#"{"name":"n","note":null,"created":5,"later":[1]}"#
    );
    let absent: Thing = serde_json::from_str(r#"{"name":"n"}"#).unwrap();
    assert_eq!(absent.note, None);

    let missing = serde_json::from_str::<Thing>(r#"{"id":"t"}"#).unwrap_err();
    assert!(
        missing.to_string().contains("missing field `name`"),
        "{missing}"
    );
    let wrong = serde_json::from_str::<Thing>(r#"{"name":7}"#).unwrap_err();
    assert!(wrong.to_string().contains("field `name`"), "{wrong}");
    assert!(serde_json::from_str::<Thing>("[]").is_err());

    // A required field that may be `null` (its type an `Option`) reads an absent value as `None`.
    let mut fields: crate::support::Fields = serde_json::from_str("{}").unwrap();
    let deleted: Result<Option<String>, serde_json::Error> = fields.required("deleted");
    assert_eq!(deleted.unwrap(), None);
}

/// The test server answers each documented route with its example, matches a path parameter
/// as one segment, records the request with its action, and lets a test change one answer.
#[tokio::test]
async fn the_test_server_answers_routes_and_records_requests() {
    use crate::test_server::{Answer, TestServer};
    let server = TestServer::start().await;
    let client = server.client_builder().build().unwrap();
    let thing = client.things().get("t1").send().await.unwrap();
    assert_eq!(thing.name, "one");
    server.answer("things.get", Answer::new(404));
    let error = client.things().get("t1").send().await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    let requests = server.requests().await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].action, Some("things.get"));
    assert_eq!(requests[0].path, "/things/t1");
}

/// A parameter may fill part of a segment (`image{n}`), and of two routes with as many
/// parameters that fit a path, the one with a literal at the last place they differ answers.
#[tokio::test]
async fn the_test_server_matches_parts_of_segments_and_breaks_ties() {
    use crate::test_server::TestServer;
    let server = TestServer::start().await;
    let http = reqwest::Client::new();
    for path in [
        "/things/t1/image2",
        "/things/t1/image",
        "/things/t1/parts/p1",
        "/things/t1/parts/count",
    ] {
        http.get(format!("{}{path}", server.uri()))
            .send()
            .await
            .unwrap();
    }
    let requests = server.requests().await;
    let actions: Vec<Option<&str>> = requests.iter().map(|r| r.action).collect();
    assert_eq!(
        actions,
        [
            Some("things.image"),
            None,
            Some("things.getPart"),
            Some("things.countOf")
        ]
    );
}

/// The "Observability" table of the generated crates' README: one shape per row.
fn documented_shapes() -> std::collections::BTreeSet<String> {
    let readme = include_str!("../../../templates/rust/README.md.tera");
    let section = readme
        .split("## Observability")
        .nth(1)
        .expect("the README has an Observability section");
    let mut shapes = std::collections::BTreeSet::new();
    for row in section
        .lines()
        .filter(|l| l.starts_with("| span") || l.starts_with("| event"))
    {
        let cells: Vec<&str> = row
            .split(" | ")
            .map(|c| c.trim_matches(['|', ' ']))
            .collect();
        let ticked = |cell: &str| -> Vec<String> {
            cell.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect()
        };
        let name = ticked(cells[2])
            .into_iter()
            .next()
            .expect("a name in backticks");
        let fields = ticked(cells[3]);
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        shapes.insert(shape(cells[0], cells[1], &name, &fields));
    }
    shapes
}

/// The spans and events of the README's "Observability" table are exactly those the crate
/// emits: each documented one is recorded by a call that should emit it, and nothing
/// undocumented is ever recorded (by this test or any other of this crate's tests).
#[tokio::test]
async fn the_observability_table_is_what_the_crate_emits() {
    let recorder = recorder();
    let server = MockServer::start().await;
    // A retry after a 429, then success.
    mount_get(
        &server,
        ResponseTemplate::new(429).insert_header("Retry-After", "0"),
    )
    .await;
    // A Retry-After beyond the policy's longest delay.
    Mock::given(method("GET"))
        .and(path("/things/t2"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "3600"))
        .mount(&server)
        .await;
    // A 404: the failure event says which status, not "client error".
    Mock::given(method("GET"))
        .and(path("/things/t3"))
        .respond_with(json(404, r#"{"message":"secret-body"}"#))
        .mount(&server)
        .await;
    let client = client_with(&server, fast_retries());
    client.things().get("t1").send().await.unwrap();
    client.things().get("t2").send().await.unwrap_err();
    client.things().get("t3").send().await.unwrap_err();
    // A wait that would pass the deadline.
    client
        .things()
        .get("t2")
        .retry_policy(RetryPolicy {
            max_delay: Duration::from_secs(7200),
            ..fast_retries()
        })
        .deadline(Duration::from_secs(60))
        .send()
        .await
        .unwrap_err();
    // A deadline already over.
    let error = client
        .things()
        .get("t1")
        .deadline(Duration::ZERO)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.time_limit(),
        Some(crate::TimeLimit::Deadline(Duration::ZERO))
    );

    let documented = documented_shapes();
    assert_eq!(documented.len(), 6, "{documented:#?}");
    let recorded = recorder.shapes.lock().unwrap().clone();
    let missing: Vec<_> = documented.difference(&recorded).collect();
    let undocumented: Vec<_> = recorded.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "documented, never recorded: {missing:#?}"
    );
    assert!(
        undocumented.is_empty(),
        "recorded, not in the README: {undocumented:#?}"
    );
    let text = recorder.text();
    assert!(
        text.contains("event DEBUG: message=request failed error=404 not found"),
        "{text}"
    );
    // The label of a 4xx answer names it (before, it read only "client error").
    assert!(!text.contains("error=client error"), "{text}");
    assert!(!text.contains("secret-body"), "{text}");
}

#[test]
fn a_token_that_already_carries_the_prefix_is_refused_and_says_so() {
    for token in [
        "Bearer abc-s3cr3t",
        "bearer abc-s3cr3t",
        "  BEARER\tabc-s3cr3t",
    ] {
        let error = Client::builder()
            .token(token)
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        let text = error.to_string();
        assert!(
            text.contains("starts with `Bearer`, which the client adds itself"),
            "{text}"
        );
        assert!(!format!("{error:?} {error}").contains("s3cr3t"));
    }
    // Only the prefix as a word: a token that merely begins with its letters is a token.
    for token in ["Bearerabc", "Bearer"] {
        Client::builder()
            .token(token)
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
    }
}

#[tokio::test]
async fn the_prefix_is_sent_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .and(header("authorization", "Bearer abc"))
        .respond_with(json(200, THING))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .token("abc")
        .base_url(server.uri())
        .build()
        .unwrap();
    client.things().get("t1").send().await.unwrap();
}

/// The defaults the docs state (the `# Defaults` tables of `RetryPolicy` and `ClientBuilder`)
/// are the defaults.
#[test]
fn the_documented_defaults_are_the_defaults() {
    let policy = RetryPolicy::default();
    assert_eq!(policy.max_attempts, 3);
    assert_eq!(policy.base_delay, Duration::from_millis(250));
    assert_eq!(policy.max_delay, Duration::from_secs(30));
    assert!(!policy.retry_non_idempotent);
    assert_eq!(RetryPolicy::none().max_attempts, 1);
    let builder = format!("{:?}", Client::builder());
    for fact in [
        "timeout: 30s",
        "connect_timeout: 10s",
        "deadline: None",
        "token: None",
        "server: Production",
        "max_attempts: 3",
        "user_agent: \"runtime-check/0.1.0\"",
        "before_send: 0, after_receive: 0",
    ] {
        assert!(builder.contains(fact), "{fact:?} is not in {builder}");
    }
    assert_eq!(crate::DEFAULT_MAX_RESPONSE_BYTES, 32 * 1024 * 1024);
    let source = include_str!("../../../templates/rust/runtime/client.rs");
    for row in [
        "/// | `max_attempts` | 3 (the first attempt and two retries) |",
        "/// | `base_delay` | 250 ms before the first retry, doubled for each further one |",
        "/// | `max_delay` | 30 s: no wait is longer, and a `Retry-After` longer than this ends the call |",
        "/// | `retry_non_idempotent` | `false`: GET, HEAD, PUT and DELETE are retried, POST and PATCH are not |",
        "/// | `timeout` | 30 s for each attempt, from connecting until the whole answer is read |",
        "/// | `connect_timeout` | 10 s to connect |",
        "/// | `max_response_bytes` | [`DEFAULT_MAX_RESPONSE_BYTES`], 32 MiB |",
    ] {
        assert!(source.contains(row), "the docs lost {row:?}");
    }
}

#[tokio::test]
async fn a_refused_connection_says_so_and_is_a_connect_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.things().get("t1").send().await.unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert!(!error.is_timeout() && !error.is_decode());
    assert!(error.is_retryable());
    let text = error.to_string();
    assert!(text.starts_with("cannot connect to the server: "), "{text}");
    assert!(text.contains("Connection refused"), "{text}");
    assert!(!text.contains('\n'), "{text}");
}

#[tokio::test]
async fn a_tls_failure_says_so() {
    // A plain-HTTP server spoken to over TLS.
    let server = MockServer::start().await;
    let url = server.uri().replace("http://", "https://");
    let client = Client::builder()
        .base_url(url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.things().get("t1").send().await.unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    let text = error.to_string();
    // More than reqwest's own "error sending request": the TLS layer's words.
    let causes = text.split(": ").count();
    assert!(causes >= 3, "{text}");
    assert!(text.starts_with("cannot connect to the server: "), "{text}");
}

#[tokio::test]
async fn an_unknown_host_says_so() {
    let client = Client::builder()
        .base_url("http://no-such-host.invalid")
        .allow_insecure_http(true)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.things().get("t1").send().await.unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("dns error"), "{text}");
}

#[tokio::test]
async fn a_timeout_says_which_limit_ran_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(json(200, THING).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());
    let attempt = client
        .things()
        .get("t1")
        .timeout(Duration::from_millis(100))
        .send()
        .await
        .unwrap_err();
    assert!(attempt.is_timeout() && !attempt.is_connect(), "{attempt:?}");
    assert_eq!(
        attempt.time_limit(),
        Some(crate::TimeLimit::Attempt(Duration::from_millis(100)))
    );
    let text = attempt.to_string();
    assert!(
        text.starts_with("the request timed out: the per-attempt timeout of 100ms ran out"),
        "{text}"
    );
    // The deadline cuts the attempt short: it is the deadline that ran out.
    let deadline = client
        .things()
        .get("t1")
        .deadline(Duration::from_millis(100))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        deadline.time_limit(),
        Some(crate::TimeLimit::Deadline(Duration::from_millis(100)))
    );
    let text = deadline.to_string();
    assert!(
        text.starts_with("the request timed out: the overall deadline of 100ms ran out"),
        "{text}"
    );
}

#[tokio::test]
async fn a_decode_error_says_where_the_json_stopped() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(json(200, "{\"id\": \"t1\",\n \"name\": oops}"))
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());
    let error = client.things().get("t1").send().await.unwrap_err();
    assert!(error.is_decode(), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("line 2 column"), "{text}");
}

/// Pages, retries and tests of downstream code through the test server alone: an answer for
/// one call ("503 once, then the documented answer"), answers by query parameter (two pages of
/// a stream), counts of calls, and the documented example as a start for an answer.
#[tokio::test]
async fn the_test_server_scripts_sequences_and_queries_and_counts_calls() {
    use crate::test_server::{Answer, TestServer};
    let server = TestServer::start().await;
    // 503 once, then the documented answer: a retried call succeeds on its second attempt.
    server.when("things.get").once(Answer::new(503));
    let client = server
        .client_builder()
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let thing = client.things().get("t1").send().await.unwrap();
    assert_eq!(thing.name, "one");
    assert_eq!(server.calls("things.get"), 2);
    // A sequence: twice 500, then 404 once, then the standing answer.
    server.when("things.get").times(2, Answer::new(500));
    server.when("things.get").once(Answer::new(404));
    server.answer("things.get", Answer::new(200).body(THING));
    let once = |client: &Client| {
        client
            .things()
            .get("t1")
            .retry_policy(RetryPolicy::none())
            .send()
    };
    let statuses = [
        once(&client).await.unwrap_err().status(),
        once(&client).await.unwrap_err().status(),
        once(&client).await.unwrap_err().status(),
        once(&client).await.map(|_| None).unwrap(),
    ];
    assert_eq!(
        statuses,
        [
            Some(StatusCode::INTERNAL_SERVER_ERROR),
            Some(StatusCode::INTERNAL_SERVER_ERROR),
            Some(StatusCode::NOT_FOUND),
            None
        ]
    );
    assert_eq!(server.calls("things.get"), 6);
    // Two pages told apart by their query: page 1 and page 2, one thing each, two in all.
    let mut page = server
        .example("things.get")
        .map(|thing| serde_json::json!({"items": [thing], "count": 2}))
        .unwrap();
    server
        .when("things.list")
        .query("page", "1")
        .answer(Answer::new(200).json(&page));
    page["items"][0]["name"] = "two".into();
    server
        .when("things.list")
        .query("page", "2")
        .answer(Answer::new(200).json(&page));
    let things: Vec<Thing> = client.things().list().stream().try_collect().await.unwrap();
    let names: Vec<&str> = things.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["one", "two"]);
    assert_eq!(server.calls("things.list"), 2);
    // `next` and `try_next` read a stream without another crate.
    let mut stream = client.things().list().stream();
    assert_eq!(stream.next().await.unwrap().unwrap().name, "one");
    assert_eq!(stream.try_next().await.unwrap().unwrap().name, "two");
    assert!(stream.try_next().await.unwrap().is_none());
    assert!(stream.next().await.is_none());
    // Query pairs must all be there; other calls get the documented answer.
    let page_three = client
        .things()
        .list()
        .page(3)
        .per_page(5)
        .send()
        .await
        .unwrap();
    assert_eq!(page_three.count, 1, "the documented example");
    server.reset_answers();
    client.things().get("t1").send().await.unwrap();
    assert_eq!(server.calls("things.get"), 7);
    assert_eq!(server.calls("things.delete"), 0);
    assert_eq!(server.example("things.delete"), None);
}

#[test]
#[should_panic(expected = "no action `things.nope`; the actions are: things.get, things.list")]
fn the_test_server_refuses_an_unknown_action_by_name() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(crate::test_server::TestServer::start());
    let _ = server.calls("things.nope");
}

#[tokio::test]
async fn several_outcomes_are_told_apart_by_status() {
    use crate::media::{Job, MediaImportOutcome};
    let server = MockServer::start().await;
    let client = client_with(&server, RetryPolicy::none());
    let answers = [
        (200, THING),
        (202, r#"{"jobId":"j1"}"#),
        (204, ""),
        (208, r#"{"note":"undocumented"}"#),
        (206, "not json"),
    ];
    for (status, body) in answers {
        let _guard = Mock::given(method("POST"))
            .and(path("/media/t1/import"))
            .respond_with(json(status, body))
            .expect(1)
            .mount_as_scoped(&server)
            .await;
        let outcome = client.media().import("t1").send().await.unwrap();
        match (status, outcome) {
            (200, MediaImportOutcome::Ok(thing)) => assert_eq!(thing.name, "one"),
            (202, MediaImportOutcome::Accepted(job)) => assert_eq!(
                job,
                Job {
                    job_id: "j1".into()
                }
            ),
            (204, MediaImportOutcome::NoContent) => {}
            (208, MediaImportOutcome::Other(other)) => {
                assert_eq!(other.status.as_u16(), 208);
                assert_eq!(other.body, serde_json::json!({"note": "undocumented"}));
            }
            (206, MediaImportOutcome::Other(other)) => {
                assert_eq!(other.body, serde_json::json!("not json"));
            }
            (status, outcome) => panic!("{status} decoded as {outcome:?}"),
        }
    }
    // A documented status whose body does not decode is a decode error, as for any action.
    let _guard = Mock::given(method("POST"))
        .and(path("/media/t1/import"))
        .respond_with(json(202, r#"{"job":1}"#))
        .mount_as_scoped(&server)
        .await;
    let error = client.media().import("t1").send().await.unwrap_err();
    assert!(error.is_decode(), "{error:?}");
    // An outcome serialises as its body, for logging or forwarding.
    let job = MediaImportOutcome::Accepted(Job {
        job_id: "j2".into(),
    });
    assert_eq!(
        serde_json::to_value(job).unwrap(),
        serde_json::json!({"jobId": "j2"})
    );
}

#[tokio::test]
async fn a_download_streams_past_the_json_size_cap_and_asks_for_its_media_type() {
    let server = MockServer::start().await;
    let file: Vec<u8> = (0..=255u8).cycle().take(200_000).collect();
    Mock::given(method("GET"))
        .and(path("/media/t1/export"))
        .and(header("accept", "application/zip"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(file.clone(), "application/zip")
                .insert_header(
                    "content-disposition",
                    "attachment; filename=\"../../etc/t1.zip\"",
                ),
        )
        .mount(&server)
        .await;
    // JSON answers are capped at 1 KiB; the 200 kB file is not.
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let download = client.media().export("t1").send().await.unwrap();
    assert_eq!(download.content_type(), Some("application/zip"));
    assert_eq!(download.content_length(), Some(200_000));
    // The suggested name, without the folders it tries to climb.
    assert_eq!(download.file_name().as_deref(), Some("t1.zip"));
    let mut written = Vec::new();
    assert_eq!(download.write_to(&mut written).await.unwrap(), 200_000);
    assert!(written == file);
    // As a stream of chunks.
    let mut stream = client
        .media()
        .export("t1")
        .send()
        .await
        .unwrap()
        .into_stream();
    let mut streamed = Vec::new();
    while let Some(chunk) = stream.next().await {
        streamed.extend_from_slice(&chunk.unwrap());
    }
    assert!(streamed == file);
    // Whole, within a limit of the caller's.
    let whole = client.media().export("t1").send().await.unwrap();
    assert!(whole.bytes(1_000_000).await.unwrap() == file);
    let capped = client.media().export("t1").send().await.unwrap();
    match capped.bytes(1000).await.unwrap_err() {
        Error::ResponseTooLarge { limit, .. } => assert_eq!(limit, 1000),
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
}

#[tokio::test]
async fn a_download_that_fails_is_an_api_error_read_as_json() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/media/t1/export"))
        .respond_with(json(404, r#"{"message":"no such thing"}"#))
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());
    let error = client.media().export("t1").send().await.unwrap_err();
    assert_eq!(error.kind(), Some(ErrorKind::NotFound));
    assert_eq!(
        error.api().unwrap().message.as_deref(),
        Some("no such thing")
    );
}

/// A part of a form: `(name, file name, content type, content)`.
type Part = (String, Option<String>, Option<String>, Vec<u8>);

/// The parts of a `multipart/form-data` body.
fn parts(request: &Request) -> Vec<Part> {
    let content_type = request
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap();
    let boundary = content_type.split("boundary=").nth(1).unwrap().to_owned();
    let body = &request.body;
    let delimiter = format!("--{boundary}").into_bytes();
    let mut out = Vec::new();
    let find = |from: usize, what: &[u8]| {
        body[from..]
            .windows(what.len())
            .position(|w| w == what)
            .map(|at| at + from)
    };
    let mut at = find(0, &delimiter).unwrap() + delimiter.len();
    while body[at..].starts_with(b"\r\n") {
        let head_end = find(at, b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&body[at + 2..head_end]).to_string();
        let next = find(head_end, &delimiter).unwrap();
        let content = body[head_end + 4..next - 2].to_vec();
        let field = |key: &str| {
            head.split(';')
                .map(str::trim)
                .find_map(|p| p.strip_prefix(&format!("{key}=\"")))
                .map(|v| v.split('"').next().unwrap().to_owned())
        };
        let media = head.lines().find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type:")
                .map(|v| v.trim().to_owned())
        });
        out.push((field("name").unwrap(), field("filename"), media, content));
        at = next + delimiter.len();
    }
    out
}

#[tokio::test]
async fn an_upload_sends_each_part_as_the_form_says() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/media/t1/upload"))
        .respond_with(json(200, THING))
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());
    let meta = new_thing();
    client
        .media()
        .upload(
            "t1",
            FilePart::bytes("a,b\n1,2\n")
                .file_name("rows.csv")
                .content_type("text/csv"),
        )
        .note("first \"upload\"")
        .meta(meta.clone())
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let got = parts(&requests[0]);
    assert_eq!(got.len(), 3);
    assert_eq!(
        got[0],
        (
            "file".into(),
            Some("rows.csv".into()),
            Some("text/csv".into()),
            b"a,b\n1,2\n".to_vec()
        )
    );
    // A string as its text, not quoted; an object as JSON text.
    assert_eq!(got[1].0, "note");
    assert_eq!(got[1].3, b"first \"upload\"");
    assert_eq!(
        (got[2].0.as_str(), got[2].2.as_deref()),
        ("meta", Some("application/json"))
    );
    assert_eq!(serde_json::from_slice::<Thing>(&got[2].3).unwrap(), meta);
    // A file on disk: named after the file, read when sent.
    let dir = std::env::temp_dir().join(format!("runtime-check-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("plan.png");
    std::fs::write(&file, [0x89, b'P', b'N', b'G']).unwrap();
    client
        .media()
        .upload("t1", FilePart::path(&file))
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let got = parts(&requests[1]);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].1.as_deref(), Some("plan.png"));
    assert_eq!(got[0].2.as_deref(), Some("application/octet-stream"));
    assert_eq!(got[0].3, [0x89, b'P', b'N', b'G']);
    // A file that cannot be read: an error naming it and the part, and nothing is sent.
    let missing = dir.join("missing.png");
    let error = client
        .media()
        .upload("t1", FilePart::path(&missing))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    assert!(
        error.to_string().contains("missing.png") && error.to_string().contains("`file`"),
        "{error}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn an_upload_from_a_reader_is_never_retried_but_bytes_are() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/media/t1/upload"))
        .respond_with(json(503, "{}"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/media/t1/upload"))
        .respond_with(json(200, THING))
        .mount(&server)
        .await;
    let retrying = fast_retries().retry_non_idempotent(true);
    let client = client_with(&server, retrying);
    // A reader can be read once: its 503 ends the call.
    let reader = FilePart::reader(&b"streamed"[..], None);
    let error = client
        .media()
        .upload("t1", reader.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    // The same reader again: it was read, which the error says.
    let again = client
        .media()
        .upload("t1", reader)
        .send()
        .await
        .unwrap_err();
    assert!(
        again.to_string().contains("a reader is sent once"),
        "{again}"
    );
    // Bytes can be sent again: after a 503, the retry succeeds.
    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/media/t1/upload"))
        .respond_with(json(503, "{}"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/media/t1/upload"))
        .respond_with(json(200, THING))
        .mount(&server)
        .await;
    client
        .media()
        .upload("t1", FilePart::bytes("again"))
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(parts(&requests[1])[0].3, b"again");
}

#[tokio::test]
async fn an_event_stream_action_resumes_with_the_request_it_was_sent_with() {
    let server = MockServer::start().await;
    let stream =
        |body: &str| ResponseTemplate::new(200).set_body_raw(body.to_owned(), "text/event-stream");
    // The reconnection, with the last id it saw.
    Mock::given(method("GET"))
        .and(path("/media/t1/watch"))
        .and(header("last-event-id", "2"))
        .and(header("accept", "text/event-stream"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(stream(
            "id: 3\nevent: state\ndata: {\"name\":\"three\"}\n\n",
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/media/t1/watch"))
        .and(header("accept", "text/event-stream"))
        .respond_with(stream(
            ": keep-alive\n\nid: 1\nevent: state\ndata: {\"name\":\"one\"}\n\n: keep-alive\n\nid: 2\nevent: state\ndata: {\"name\":\"two\"}\n\n",
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());
    let mut events = client
        .media()
        .watch("t1")
        .send()
        .await
        .unwrap()
        .resume(true)
        .max_reconnects(1)
        .reconnect_delay(Duration::from_millis(1));
    let mut names = Vec::new();
    while let Some(event) = events.next().await {
        match event {
            Ok(event) => {
                assert_eq!(event.event, "state");
                names.push(event.data.name);
            }
            // The third connection finds no answer: the reconnect bound ends the stream.
            Err(_) => break,
        }
    }
    assert_eq!(names, ["one", "two", "three"]);
    assert_eq!(events.last_event_id(), Some("3"));
}

/// Each query style writes exactly what its documentation says: bracket keys with indexes, one
/// JSON text, `deepObject` keys, and lists joined by comma, space or pipe; on the wire the
/// keys and values are percent-encoded as any query is.
#[tokio::test]
async fn query_styles_encode_as_documented() {
    use crate::client::Call;
    let keywords = vec!["gps".to_string(), "temp sensor".to_string()];
    let filter =
        serde_json::json!({"name": "a&b", "size": {"min": 1}, "tags": ["x"], "gone": null});
    let call = Call::new(reqwest::Method::GET, "things.list", "/things", &[])
        .unwrap()
        .query_indexed("keywords", Some(&keywords))
        .query_json("query", Some(&serde_json::json!({"$and": [{"id": 5}]})))
        .unwrap()
        .query_deep("filter", Some(&filter))
        .unwrap()
        .query_joined("ids", Some(&vec![1_i64, 2]), ",")
        .query_joined("words", Some(&keywords), " ")
        .query_joined("codes", Some(&vec![3_i64, 4]), "|")
        .query_indexed("unset", None::<&Vec<String>>)
        .query_deep("unset", None::<&serde_json::Value>)
        .unwrap();
    let query: Vec<(&str, &str)> = call
        .query
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_str()))
        .collect();
    assert_eq!(
        query,
        [
            ("keywords[0]", "gps"),
            ("keywords[1]", "temp sensor"),
            ("query", r#"{"$and":[{"id":5}]}"#),
            ("filter[name]", "a&b"),
            ("filter[size][min]", "1"),
            ("filter[tags][0]", "x"),
            ("ids", "1,2"),
            ("words", "gps temp sensor"),
            ("codes", "3|4"),
        ]
    );
    // On the wire.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(json(200, r#"{"count":0}"#))
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());
    client.execute(call, &Default::default()).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.query(),
        Some(
            "keywords%5B0%5D=gps&keywords%5B1%5D=temp+sensor\
             &query=%7B%22%24and%22%3A%5B%7B%22id%22%3A5%7D%5D%7D\
             &filter%5Bname%5D=a%26b&filter%5Bsize%5D%5Bmin%5D=1&filter%5Btags%5D%5B0%5D=x\
             &ids=1%2C2&words=gps+temp+sensor&codes=3%7C4"
        )
    );
}

#[tokio::test]
async fn a_linked_list_streams_every_item_once_and_never_leaves_the_server() {
    let server = MockServer::start().await;
    let page = |names: &[&str], next: Option<String>| {
        let results: Vec<_> = names
            .iter()
            .map(|n| serde_json::json!({"name": n}))
            .collect();
        let mut body = serde_json::json!({"results": results});
        if let Some(next) = next {
            body["next"] = serde_json::Value::String(next);
        }
        ResponseTemplate::new(200).set_body_json(body)
    };
    // The third page, linked by an absolute URL of the same server; it links no further.
    Mock::given(method("GET"))
        .and(path("/media/search"))
        .and(query_param("cursor", "3"))
        .respond_with(page(&["five"], None))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/media/search"))
        .and(query_param("cursor", "2"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(page(
            &["three", "four"],
            Some(format!("{}/media/search?cursor=3&q=x", server.uri())),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/media/search"))
        .and(query_param("q", "x"))
        .respond_with(page(
            &["one", "two"],
            Some("/media/search?cursor=2&q=x".into()),
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());
    let names: Vec<String> = client
        .media()
        .search()
        .q("x")
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["one", "two", "three", "four", "five"]);
    server.verify().await;
    // A link to another host is refused, and nothing is sent there.
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/media/search"))
        .respond_with(page(
            &["one"],
            Some("https://elsewhere.example/media/search?cursor=2".into()),
        ))
        .mount(&server)
        .await;
    let mut stream = client.media().search().stream();
    assert_eq!(stream.try_next().await.unwrap().unwrap().name, "one");
    let error = stream.try_next().await.unwrap_err();
    assert!(
        error.to_string().contains("not on the client's server"),
        "{error}"
    );
    // A page that links itself ends the list.
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/media/search"))
        .respond_with(page(&["again"], Some("/media/search".into())))
        .mount(&server)
        .await;
    let all: Vec<Thing> = client
        .media()
        .search()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2, "the first page, then its link once");
}
