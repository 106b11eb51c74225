//! The test server: the same in every crate sdkgen generates, copied unchanged from
//! `templates/rust/runtime/`. What it answers comes from the API's documented actions
//! (`api::ROUTES`, the crate's `src/routes.json`); the module's documentation is on its
//! declaration in `lib.rs`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use crate::{Client, ClientBuilder, HeaderMap, RetryPolicy};

/// The token [`TestServer::client_builder`] sets.
pub const TEST_TOKEN: &str = "test-server-token";

/// One documented action as the server answers it.
#[derive(Debug, serde::Deserialize)]
struct Route {
    /// The action's name, `resource.action`.
    action: String,
    /// Its HTTP method.
    method: String,
    /// Its full path template.
    template: String,
    /// The documented success status.
    status: u16,
    /// The documented example answer, as JSON text.
    example: Option<String>,
}

/// What `src/routes.json` holds (besides its `@generated` notice).
#[derive(serde::Deserialize)]
struct RouteTable {
    routes: Vec<Route>,
}

/// Every documented action, read from the crate's route table once.
///
/// # Panics
///
/// When the table is not what sdkgen wrote (it was edited by hand): the message says why.
fn routes() -> &'static [Route] {
    static ROUTES: OnceLock<Vec<Route>> = OnceLock::new();
    ROUTES.get_or_init(
        || match serde_json::from_str::<RouteTable>(crate::api::ROUTES) {
            Ok(table) => table.routes,
            Err(e) => panic!("src/routes.json is not the route table sdkgen writes: {e}"),
        },
    )
}

impl Route {
    /// Whether `path` fills in this route's template: each `{param}` stands for one non-empty
    /// segment, every other segment is literal.
    fn fits(&self, path: &str) -> bool {
        let mut template = self.template.split('/');
        let mut path = path.split('/');
        loop {
            match (template.next(), path.next()) {
                (None, None) => return true,
                (Some(t), Some(p)) if t.starts_with('{') && t.ends_with('}') && !p.is_empty() => {}
                (Some(t), Some(p)) if t == p => {}
                _ => return false,
            }
        }
    }

    /// Templates with fewer parameters are tried first, so that a literal segment wins over a
    /// parameter where both fit.
    fn priority(&self) -> u8 {
        let params = self.template.matches('{').count();
        u8::try_from(params)
            .unwrap_or(u8::MAX - 1)
            .saturating_add(1)
    }

    fn default_answer(&self) -> Answer {
        let answer = Answer::new(self.status);
        match &self.example {
            Some(example) => answer.body(example.as_bytes()),
            None => answer,
        }
    }
}

/// What the server answers to an action: a status, and optionally a body, headers and a delay.
#[derive(Debug, Clone)]
pub struct Answer {
    status: u16,
    body: Option<Vec<u8>>,
    headers: Vec<(String, String)>,
    delay: Duration,
}

impl Answer {
    /// An answer with this status and no body.
    pub fn new(status: u16) -> Self {
        Answer {
            status,
            body: None,
            headers: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    /// A JSON body (sent as `application/json`).
    pub fn json(self, body: &impl serde::Serialize) -> Self {
        self.body(serde_json::to_vec(body).unwrap_or_default())
    }

    /// A body sent as it is, as `application/json`.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// A header of the answer (e.g. `Retry-After`).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Waits this long before answering (to test timeouts).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    fn template(&self) -> wiremock::ResponseTemplate {
        let mut template = wiremock::ResponseTemplate::new(self.status).set_delay(self.delay);
        if let Some(body) = &self.body {
            template = template.set_body_raw(body.clone(), "application/json");
        }
        for (name, value) in &self.headers {
            template = template.insert_header(name.as_str(), value.as_str());
        }
        template
    }
}

/// A request the server got.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// The documented action it matched (`resource.action`), if any (the server answers any
    /// other request with 404).
    pub action: Option<&'static str>,
    /// The HTTP method.
    pub method: String,
    /// The path, as sent (percent-encoded).
    pub path: String,
    /// The query pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The headers (the token among them).
    pub headers: HeaderMap,
    /// The body.
    pub body: Vec<u8>,
}

impl ReceivedRequest {
    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// The answers tests have put in place of the documented ones, by action.
type Overrides = Arc<Mutex<HashMap<&'static str, Answer>>>;

/// A local server that answers like the API; see the [module documentation](self).
#[derive(Debug)]
pub struct TestServer {
    server: wiremock::MockServer,
    overrides: Overrides,
}

/// Matches the requests of one route.
struct Matches(&'static Route);

impl wiremock::Match for Matches {
    fn matches(&self, request: &wiremock::Request) -> bool {
        request.method.as_str() == self.0.method && self.0.fits(request.url.path())
    }
}

/// Answers one route: the test's answer if it set one, else the documented one.
struct Responds {
    route: &'static Route,
    overrides: Overrides,
}

impl wiremock::Respond for Responds {
    fn respond(&self, _: &wiremock::Request) -> wiremock::ResponseTemplate {
        let overrides = self
            .overrides
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match overrides.get(self.route.action.as_str()) {
            Some(answer) => answer.template(),
            None => self.route.default_answer().template(),
        }
    }
}

impl TestServer {
    /// Starts a server on a free loopback port that answers every documented action with its
    /// documented status and example answer.
    ///
    /// # Panics
    ///
    /// When the crate's `src/routes.json` was edited into something other than the route
    /// table sdkgen writes.
    pub async fn start() -> TestServer {
        let server = wiremock::MockServer::start().await;
        let overrides = Overrides::default();
        for route in routes() {
            wiremock::Mock::given(Matches(route))
                .respond_with(Responds {
                    route,
                    overrides: overrides.clone(),
                })
                .with_priority(route.priority())
                .mount(&server)
                .await;
        }
        TestServer { server, overrides }
    }

    /// The server's base URL, for [`ClientBuilder::base_url`].
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client builder set up for this server: its URL, the token [`TEST_TOKEN`] and no
    /// retries (a test sets its own retry policy to test retries).
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .token(TEST_TOKEN)
            .base_url(self.uri())
            .retry_policy(RetryPolicy::none())
    }

    /// From now on, answers `action` (`resource.action`, as the reference pages name it) with
    /// `answer` instead of the documented one; a later call for the same action replaces it.
    ///
    /// # Panics
    ///
    /// When the API has no action of that name (the message lists them).
    pub fn answer(&self, action: &str, answer: Answer) {
        let Some(route) = routes().iter().find(|r| r.action == action) else {
            let known: Vec<&str> = routes().iter().map(|r| r.action.as_str()).collect();
            panic!(
                "no action `{action}`; the actions are: {}",
                known.join(", ")
            );
        };
        self.overrides
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(route.action.as_str(), answer);
    }

    /// Answers every action with its documented answer again.
    pub fn reset_answers(&self) {
        self.overrides
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Every request the server got so far, in order.
    pub async fn requests(&self) -> Vec<ReceivedRequest> {
        let received = self.server.received_requests().await.unwrap_or_default();
        received
            .into_iter()
            .map(|r| {
                let path = r.url.path().to_string();
                let action = routes()
                    .iter()
                    .filter(|route| route.method == r.method.as_str() && route.fits(&path))
                    .min_by_key(|route| route.priority())
                    .map(|route| route.action.as_str());
                let mut headers = HeaderMap::new();
                for (name, value) in &r.headers {
                    if let (Ok(name), Ok(value)) = (
                        reqwest::header::HeaderName::from_bytes(name.as_str().as_bytes()),
                        reqwest::header::HeaderValue::from_bytes(value.as_bytes()),
                    ) {
                        headers.append(name, value);
                    }
                }
                ReceivedRequest {
                    action,
                    method: r.method.as_str().to_string(),
                    query: r
                        .url
                        .query_pairs()
                        .map(|(k, v)| (k.into_owned(), v.into_owned()))
                        .collect(),
                    path,
                    headers,
                    body: r.body,
                }
            })
            .collect()
    }
}
