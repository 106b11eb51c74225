//! The request of one action: its parameters, and what any request may set in place of the
//! client's settings. Every action's method returns a [`Request`] of its own parameters type;
//! what all requests share (timeout, retry policy, deadline, extra headers, `send`) is written
//! once here, and only an action's own setters are written per action.

use std::time::Duration;

use crate::client::{Call, Overrides, Pages, Raw, decode, paginate};
use crate::{ApiResponse, Client, Result, RetryPolicy};

/// The parameters of one action and how they make its HTTP call: implemented by the SDK for
/// each action's parameters type (`<Resource><Action>Params`), never by users.
pub trait Action: Clone + Send + Sync + 'static {
    /// What a successful answer becomes: its model (`()` for an answer without a documented
    /// body), or, for an action with several documented success statuses, the enum of its
    /// outcomes.
    type Output: FromAnswer;

    /// Whether the answer has no documented body (whatever the server sends is ignored).
    #[doc(hidden)]
    const BODYLESS: bool = false;

    /// The HTTP call these parameters make.
    #[doc(hidden)]
    fn call(&self) -> Result<Call>;
}

/// How a successful answer becomes an action's output: implemented by the SDK, never by users.
/// Every model decodes from the answer's JSON; an action's enum of outcomes decides by the
/// status; a download or an event stream takes the body as it arrives.
pub trait FromAnswer: Sized + Send + 'static {
    /// Whether the body is handed over as it arrives rather than read whole first.
    #[doc(hidden)]
    const STREAMED: bool = false;

    /// The output of a successful answer.
    #[doc(hidden)]
    fn decode(raw: Raw) -> Result<ApiResponse<Self>>;
}

impl<T: serde::de::DeserializeOwned + Send + 'static> FromAnswer for T {
    fn decode(raw: Raw) -> Result<ApiResponse<Self>> {
        decode(raw)
    }
}

/// A request of the action whose parameters are `A`: set optional parameters, then `send` it.
///
/// It owns its client (one `Arc`) and parameters: it is `'static` and `Send`, and `send` may be
/// moved into `tokio::spawn`. Each action names its request type `<Resource><Action>Request`.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct Request<A> {
    pub(crate) client: Client,
    pub(crate) params: A,
    pub(crate) globals: crate::api::Globals,
    pub(crate) options: Overrides,
}

impl Client {
    /// A request of `params` through this client, with nothing overridden: what every action's
    /// method returns. (A build with no resource feature on has no action to call it.)
    #[allow(dead_code)]
    pub(crate) fn request<A>(&self, params: A) -> Request<A> {
        Request {
            client: self.clone(),
            params,
            globals: crate::api::Globals::default(),
            options: Overrides::default(),
        }
    }
}

impl<A> Request<A> {
    /// Time allowed for each attempt of this request, in place of the client's `timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// The retry policy of this request, in place of the client's.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.options.retry = Some(retry);
        self
    }

    /// The longest this request may take in all, attempts and waits included, in place of the
    /// client's `deadline`.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.options.deadline = Some(deadline);
        self
    }

    /// Sends `name: value` with this request, in place of any header of that name the client
    /// would send (a documented default header or a header parameter included).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.headers.push((name.into(), value.into()));
        self
    }
}

impl<A: Action> Request<A> {
    /// Sends the request and returns the decoded answer.
    pub async fn send(self) -> Result<A::Output> {
        self.send_with_response()
            .await
            .map(|response| response.data)
    }

    /// Sends the request and returns the answer with its status and headers.
    pub async fn send_with_response(self) -> Result<ApiResponse<A::Output>> {
        let streamed = <A::Output as FromAnswer>::STREAMED;
        let mut call = self.params.call()?.globals(&self.globals);
        call.streamed = streamed;
        let mut raw = self.client.execute(call, &self.options).await?;
        if streamed {
            raw.resend = Some(self.resend());
        }
        if A::BODYLESS {
            // Decoded as an empty body: `null`, that is `()`.
            raw.body.clear();
        }
        <A::Output as FromAnswer>::decode(raw)
    }

    /// This request as a function that sends it again, streamed, with `Last-Event-ID` when
    /// given an id.
    fn resend(self) -> crate::client::Resend {
        Box::new(move |last_id| {
            let mut again = self.clone();
            if let Some(id) = last_id {
                again.options.headers.push(("Last-Event-ID".to_owned(), id));
            }
            Box::pin(async move {
                let mut call = again.params.call()?.globals(&again.globals);
                call.streamed = true;
                let raw = again.client.execute(call, &again.options).await?;
                raw.stream.ok_or_else(|| {
                    crate::Error::InvalidArgument("a streamed answer was read whole".into())
                })
            })
        })
    }

    /// Every item across all pages of a list whose answers link their next page: this
    /// request's answer, then each linked page's (the link's path and query on the client's
    /// server, with this request's headers and options), until an answer links none; `items`
    /// takes a page's items and its link (see [`follow`](crate::client::follow)).
    // Only APIs with linked lists use it.
    #[allow(dead_code, clippy::type_complexity)]
    pub(crate) fn linked<T: Send + 'static>(
        self,
        items: fn(A::Output) -> (Vec<T>, Option<String>),
    ) -> Pages<T> {
        let first = self.clone();
        crate::client::follow(
            move || async move { first.send().await.map(items) },
            move |link| {
                let request = self.clone();
                async move {
                    let mut call = request.params.call()?.globals(&request.globals);
                    let (path, query) =
                        crate::client::link_target(request.client.base_url(), &link)?;
                    call.path = path;
                    call.query = query;
                    let raw = request.client.execute(call, &request.options).await?;
                    <A::Output as FromAnswer>::decode(raw).map(|answer| items(answer.data))
                }
            },
        )
    }

    /// Every item across all pages, from page `first` on: each page is a clone of this request
    /// with `at` setting its page, and `items` takes a page's items and the server's total count
    /// from its answer (see [`paginate`] for when the stream ends). Written once here, so that
    /// an action's `stream` is two plain functions and no future of its own.
    // Only APIs with paginated actions use it; its last argument is a page's items and total,
    // as `paginate` takes them.
    #[allow(dead_code, clippy::type_complexity)]
    pub(crate) fn pages<T: Send + 'static>(
        self,
        first: u64,
        at: fn(&mut A, u64),
        items: fn(A::Output) -> (Vec<T>, Option<i64>),
    ) -> Pages<T> {
        paginate(first, move |page| {
            let mut next = self.clone();
            at(&mut next.params, page);
            async move { next.send().await.map(items) }
        })
    }
}
