// For maintainers: the same in every crate sdkgen generates (copied unchanged by the
// generator). What it answers comes from the API's documented actions (`api::ROUTES`, the
// crate's `src/routes.json`); the module's documentation, for users, is on its declaration in
// `lib.rs`.

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
    /// For an action that answers a file, the file's media type.
    #[serde(default)]
    media: Option<String>,
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
/// When the table was edited by hand into something it cannot read: the message says why.
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
    /// Whether `path` fills in this route's template: each `{param}` stands for a non-empty
    /// part of one segment (`image{n}` for `image1`), every other part is literal.
    fn fits(&self, path: &str) -> bool {
        let mut template = self.template.split('/');
        let mut path = path.split('/');
        loop {
            match (template.next(), path.next()) {
                (None, None) => return true,
                (Some(t), Some(p)) if segment_fits(t, p) => {}
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

    /// Whether this route wins over `other` where both fit a path with as many parameters
    /// (`/zones/{zone_id}` and `/{zone_type}/count` for `/zones/count`): the one with a literal
    /// segment at the last place where one has a literal and the other a parameter, since
    /// trailing literals name what is asked (`count`, `search`) and ids stand last.
    fn beats(&self, other: &Route) -> bool {
        let mine = self.template.split('/').rev();
        let theirs = other.template.split('/').rev();
        for (a, b) in mine.zip(theirs) {
            match (a.contains('{'), b.contains('{')) {
                (false, true) => return true,
                (true, false) => return false,
                _ => {}
            }
        }
        false
    }

    fn default_answer(&self) -> Answer {
        let answer = Answer::new(self.status);
        match (&self.example, &self.media) {
            // Two events of the documented data, each after a keep-alive comment.
            (Some(example), Some(media)) if media == "text/event-stream" => {
                let data: serde_json::Value =
                    serde_json::from_str(example).unwrap_or(serde_json::Value::Null);
                Answer::events([("message", &data), ("message", &data)])
            }
            (_, Some(media)) => answer
                .body(format!("a {media} file of the test server\n"))
                .content_type(media.as_str()),
            (Some(example), None) => answer.body(example.as_bytes()),
            (None, None) => answer,
        }
    }
}

/// What the server answers to an action: a status, and optionally a body, headers and a delay.
#[derive(Debug, Clone)]
pub struct Answer {
    status: u16,
    body: Option<Vec<u8>>,
    content_type: Option<String>,
    headers: Vec<(String, String)>,
    delay: Duration,
}

impl Answer {
    /// An answer with this status and no body.
    pub fn new(status: u16) -> Self {
        Answer {
            status,
            body: None,
            content_type: None,
            headers: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    /// A `200` server-sent event stream (`text/event-stream`) of these events, given as
    /// `(name, data)`: a keep-alive comment, then each event with its name, the id `1`, `2`,
    /// ... in order, and its data as JSON, then the end of the stream (the connection closes).
    ///
    /// ```text
    /// : keep-alive
    ///
    /// event: <name>
    /// id: 1
    /// data: <data as JSON>
    ///
    /// : keep-alive
    ///
    /// ...
    /// ```
    pub fn events<N, D>(events: impl IntoIterator<Item = (N, D)>) -> Self
    where
        N: AsRef<str>,
        D: serde::Serialize,
    {
        let mut text = String::new();
        for (at, (name, data)) in events.into_iter().enumerate() {
            let data = serde_json::to_string(&data).unwrap_or_default();
            let name = name.as_ref().replace(['\r', '\n'], " ");
            text.push_str(&format!(
                ": keep-alive\n\nevent: {name}\nid: {}\ndata: {data}\n\n",
                at + 1
            ));
        }
        Answer::event_stream(text)
    }

    /// A `200` server-sent event stream (`text/event-stream`) whose body is `text` as it is
    /// (for events [`events`](Self::events) does not write: several `data:` lines, `retry:`,
    /// CR line ends, ...).
    pub fn event_stream(text: impl Into<String>) -> Self {
        let mut answer = Answer::new(200).body(text.into());
        answer.content_type = Some("text/event-stream".to_owned());
        answer
    }

    /// A JSON body (sent as `application/json`).
    pub fn json(self, body: &impl serde::Serialize) -> Self {
        self.body(serde_json::to_vec(body).unwrap_or_default())
    }

    /// A body sent as it is, as `application/json` unless [`content_type`](Self::content_type)
    /// (or [`events`](Self::events)) says otherwise.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// The media type of the body (a file's, for an action that answers one).
    pub fn content_type(mut self, media: impl Into<String>) -> Self {
        self.content_type = Some(media.into());
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
            let media = self.content_type.as_deref().unwrap_or("application/json");
            template = template.set_body_raw(body.clone(), media);
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

/// An answer a test set for some calls of one action.
#[derive(Debug)]
struct Rule {
    action: &'static str,
    /// Query pairs a call must carry for the rule to apply.
    query: Vec<(String, String)>,
    answer: Answer,
    /// How many more calls it answers (`None`: every call, until replaced or reset).
    uses: Option<usize>,
}

impl Rule {
    fn applies(&self, action: &str, query: &[(String, String)]) -> bool {
        self.action == action && self.query.iter().all(|pair| query.contains(pair))
    }
}

/// What the tests have scripted and what the server has seen.
#[derive(Debug, Default)]
struct Script {
    /// Every rule, in the order it was set.
    rules: Vec<Rule>,
    /// Calls answered, by action.
    calls: HashMap<&'static str, usize>,
}

impl Script {
    /// The answer to a call of `action` with `query`: the oldest counted rule that applies
    /// (used up by this call), else the newest standing rule that applies, else none (the
    /// documented answer).
    fn answer(&mut self, action: &'static str, query: &[(String, String)]) -> Option<Answer> {
        *self.calls.entry(action).or_default() += 1;
        let counted = self
            .rules
            .iter()
            .position(|r| r.uses.is_some() && r.applies(action, query));
        if let Some(at) = counted {
            let rule = &mut self.rules[at];
            let answer = rule.answer.clone();
            rule.uses = rule.uses.map(|n| n.saturating_sub(1));
            if rule.uses == Some(0) {
                self.rules.remove(at);
            }
            return Some(answer);
        }
        self.rules
            .iter()
            .rev()
            .find(|r| r.uses.is_none() && r.applies(action, query))
            .map(|r| r.answer.clone())
    }
}

type Shared = Arc<Mutex<Script>>;

/// A local server that answers like the API; see the [module documentation](self).
#[derive(Debug)]
pub struct TestServer {
    server: wiremock::MockServer,
    script: Shared,
}

/// The answers of some calls of one action, being set: from [`TestServer::when`]. Narrow the
/// calls with [`query`](Self::query), then set the answer with [`answer`](Self::answer) (every
/// such call), [`once`](Self::once) or [`times`](Self::times).
#[derive(Debug)]
#[must_use = "nothing is set until `answer`, `once` or `times` is called"]
pub struct When<'a> {
    server: &'a TestServer,
    action: &'static str,
    query: Vec<(String, String)>,
}

impl When<'_> {
    /// Only calls whose query carries `name=value` (decoded); repeat for several pairs, which
    /// must all be there. E.g. `.query("page", "1")` for the second page of a stream.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Answers every such call with `answer`, from now on. A later standing answer that applies
    /// to the same call takes its place.
    pub fn answer(self, answer: Answer) {
        self.set(answer, None);
    }

    /// Answers the next such call with `answer`, once. Calls of `once` and `times` queue up in
    /// the order they are made, and are used before any standing answer: so
    /// `when(a).once(Answer::new(503))` is "503 once, then the usual answer".
    pub fn once(self, answer: Answer) {
        self.times(1, answer);
    }

    /// Answers the next `n` such calls with `answer` (see [`once`](Self::once)).
    pub fn times(self, n: usize, answer: Answer) {
        if n > 0 {
            self.set(answer, Some(n));
        }
    }

    fn set(self, answer: Answer, uses: Option<usize>) {
        self.server.lock().rules.push(Rule {
            action: self.action,
            query: self.query,
            answer,
            uses,
        });
    }
}

/// Whether one segment of a template fits one of a path: a `{param}` in it stands for a
/// non-empty part, the rest is literal.
fn segment_fits(template: &str, path: &str) -> bool {
    match (template.find('{'), template.rfind('}')) {
        (Some(open), Some(close)) if open < close => {
            let (prefix, suffix) = (&template[..open], &template[close + 1..]);
            path.len() > prefix.len() + suffix.len()
                && path.starts_with(prefix)
                && path.ends_with(suffix)
        }
        _ => template == path,
    }
}

/// Matches the requests of one route.
struct Matches(&'static Route);

impl wiremock::Match for Matches {
    fn matches(&self, request: &wiremock::Request) -> bool {
        let path = request.url.path();
        let method = request.method.as_str();
        method == self.0.method
            && self.0.fits(path)
            && route_for(method, path).is_some_and(|route| std::ptr::eq(route, self.0))
    }
}

/// The route that answers a request: of those that fit, one with the fewest parameters, and
/// of those the one the tie rule ([`Route::beats`]) prefers.
fn route_for(method: &str, path: &str) -> Option<&'static Route> {
    routes()
        .iter()
        .filter(|route| route.method == method && route.fits(path))
        .reduce(|best, route| {
            let better = route.priority() < best.priority()
                || (route.priority() == best.priority() && route.beats(best));
            if better { route } else { best }
        })
}

/// Answers one route: the test's answer if it set one, else the documented one.
struct Responds {
    route: &'static Route,
    script: Shared,
}

impl wiremock::Respond for Responds {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let query: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let answer = self
            .script
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .answer(self.route.action.as_str(), &query);
        answer
            .unwrap_or_else(|| self.route.default_answer())
            .template()
    }
}

/// The route of `action`.
///
/// # Panics
///
/// When the API has no action of that name (the message lists them).
fn route(action: &str) -> &'static Route {
    match routes().iter().find(|r| r.action == action) {
        Some(route) => route,
        None => {
            let known: Vec<&str> = routes().iter().map(|r| r.action.as_str()).collect();
            panic!(
                "no action `{action}`; the actions are: {}",
                known.join(", ")
            )
        }
    }
}

impl TestServer {
    /// Starts a server on a free loopback port that answers every documented action with its
    /// documented status and example answer.
    ///
    /// # Panics
    ///
    /// When the crate's own table of its actions (its `src/routes.json`) was edited by hand
    /// and can no longer be read.
    pub async fn start() -> TestServer {
        let server = wiremock::MockServer::start().await;
        let script = Shared::default();
        for route in routes() {
            wiremock::Mock::given(Matches(route))
                .respond_with(Responds {
                    route,
                    script: script.clone(),
                })
                .with_priority(route.priority())
                .mount(&server)
                .await;
        }
        TestServer { server, script }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Script> {
        self.script.lock().unwrap_or_else(PoisonError::into_inner)
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
    /// The same as `when(action).answer(answer)`.
    ///
    /// # Panics
    ///
    /// When the API has no action of that name (the message lists them).
    pub fn answer(&self, action: &str, answer: Answer) {
        self.when(action).answer(answer);
    }

    /// Sets the answers of some calls of `action`: a sequence (`once`, `times`: "503 once, then
    /// the documented answer"), and answers by query parameters (`query`: page 0 and page 1 of
    /// a stream told apart).
    ///
    /// Each call of the action is answered by, in this order: the oldest `once`/`times`
    /// answer that applies to it (used up by it); the newest standing answer (`answer`) that
    /// applies to it; the documented answer.
    ///
    /// # Panics
    ///
    /// When the API has no action of that name (the message lists them).
    pub fn when(&self, action: &str) -> When<'_> {
        When {
            server: self,
            action: route(action).action.as_str(),
            query: Vec::new(),
        }
    }

    /// How many calls of `action` the server has answered so far (a retried call counts once
    /// per attempt).
    ///
    /// # Panics
    ///
    /// When the API has no action of that name (the message lists them).
    pub fn calls(&self, action: &str) -> usize {
        let action = route(action).action.as_str();
        self.lock().calls.get(action).copied().unwrap_or(0)
    }

    /// The documented example answer of `action` as JSON (`None` if it documents none): a
    /// start for an answer of your own.
    ///
    /// # Panics
    ///
    /// When the API has no action of that name (the message lists them).
    pub fn example(&self, action: &str) -> Option<serde_json::Value> {
        route(action)
            .example
            .as_deref()
            .and_then(|example| serde_json::from_str(example).ok())
    }

    /// Answers every action with its documented answer again: every answer set with
    /// [`answer`](Self::answer) or [`when`](Self::when) is dropped (the counts of calls stay).
    pub fn reset_answers(&self) {
        self.lock().rules.clear();
    }

    /// Every request the server got so far, in order.
    pub async fn requests(&self) -> Vec<ReceivedRequest> {
        let received = self.server.received_requests().await.unwrap_or_default();
        received
            .into_iter()
            .map(|r| {
                let path = r.url.path().to_string();
                let action = route_for(r.method.as_str(), &path).map(|route| route.action.as_str());
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
