//! A hand-written sample of a resource module whose actions need the runtime's optional parts,
//! as `templates/rust/resources/resource.rs.tera` generates it: several success outcomes
//! (`outcome.rs`), an upload (`upload.rs`) and a download (`download.rs`).

use crate::client::Call;
use crate::things::Thing;

/// A job the server runs after answering.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    /// The `jobId` field.
    pub job_id: String,
}

/// Media: imports, uploads and downloads.
///
/// It holds a clone of the [`Client`](crate::Client) (one `Arc`), as does every request it makes.
#[derive(Debug, Clone)]
pub struct MediaResource {
    pub(crate) client: crate::Client,
}

impl crate::Client {
    /// Media.
    pub fn media(&self) -> MediaResource {
        MediaResource {
            client: self.clone(),
        }
    }
}

impl MediaResource {
    /// Uploads a file for a thing, with an optional note and metadata.
    pub fn upload(&self, thing_id: impl Into<String>, file: crate::FilePart) -> MediaUploadRequest {
        self.client.request(MediaUploadParams {
            thing_id: thing_id.into(),
            file,
            note: None,
            meta: None,
        })
    }

    /// Watches a thing: its new states as they happen.
    pub fn watch(&self, thing_id: impl Into<String>) -> MediaWatchRequest {
        self.client.request(MediaWatchParams {
            thing_id: thing_id.into(),
        })
    }

    /// Searches things; each page links the next.
    pub fn search(&self) -> MediaSearchRequest {
        self.client.request(MediaSearchParams { q: None })
    }

    /// Exports a thing as a file.
    pub fn export(&self, thing_id: impl Into<String>) -> MediaExportRequest {
        self.client.request(MediaExportParams {
            thing_id: thing_id.into(),
        })
    }

    /// Imports a thing: done at once (`200`), queued (`202`) or already there (`204`).
    pub fn import(&self, thing_id: impl Into<String>) -> MediaImportRequest {
        self.client.request(MediaImportParams {
            thing_id: thing_id.into(),
        })
    }
}

/// The request of [`MediaResource::import`]: set optional parameters, then `send` it
/// (see [`Request`](crate::Request)).
pub type MediaImportRequest = crate::Request<MediaImportParams>;

/// The parameters of [`MediaResource::import`], held by its request ([`MediaImportRequest`]).
#[derive(Debug, Clone)]
pub struct MediaImportParams {
    thing_id: String,
}

impl crate::Action for MediaImportParams {
    type Output = MediaImportOutcome;

    fn call(&self) -> crate::Result<Call> {
        Call::new(
            reqwest::Method::POST,
            "media.import",
            "/media/{thingId}/import",
            &[&self.thing_id],
        )
    }
}

/// The outcomes of [`MediaResource::import`], by the answer's status.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum MediaImportOutcome {
    /// `200`: the thing, imported.
    Ok(Thing),
    /// `202`: the import is queued.
    Accepted(Job),
    /// `204`: the thing was there already.
    NoContent,
    /// A success status the action does not document.
    Other(crate::OtherAnswer),
}

impl crate::request::FromAnswer for MediaImportOutcome {
    fn decode(raw: crate::client::Raw) -> crate::Result<crate::ApiResponse<Self>> {
        match raw.status.as_u16() {
            200 => crate::outcome::outcome(raw, Self::Ok),
            202 => crate::outcome::outcome(raw, Self::Accepted),
            204 => crate::outcome::bodyless(raw, Self::NoContent),
            _ => crate::outcome::other(raw, Self::Other),
        }
    }
}

/// The request of [`MediaResource::export`]: set optional parameters, then `send` it
/// (see [`Request`](crate::Request)).
pub type MediaExportRequest = crate::Request<MediaExportParams>;

/// The parameters of [`MediaResource::export`], held by its request ([`MediaExportRequest`]).
#[derive(Debug, Clone)]
pub struct MediaExportParams {
    thing_id: String,
}

impl crate::Action for MediaExportParams {
    type Output = crate::Download;

    fn call(&self) -> crate::Result<Call> {
        Ok(Call::new(
            reqwest::Method::GET,
            "media.export",
            "/media/{thingId}/export",
            &[&self.thing_id],
        )?
        .accept("application/zip"))
    }
}

/// The request of [`MediaResource::upload`]: set optional parameters, then `send` it
/// (see [`Request`](crate::Request)).
pub type MediaUploadRequest = crate::Request<MediaUploadParams>;

/// The parameters of [`MediaResource::upload`], held by its request ([`MediaUploadRequest`]).
#[derive(Debug, Clone)]
pub struct MediaUploadParams {
    thing_id: String,
    file: crate::FilePart,
    note: Option<String>,
    meta: Option<Thing>,
}

impl crate::Action for MediaUploadParams {
    type Output = Thing;

    fn call(&self) -> crate::Result<Call> {
        Ok(Call::new(
            reqwest::Method::POST,
            "media.upload",
            "/media/{thingId}/upload",
            &[&self.thing_id],
        )?
        .form(
            crate::upload::Form::new()
                .file("file", Some(&self.file))
                .text("note", self.note.as_ref())
                .json("meta", self.meta.as_ref())?,
        ))
    }
}

impl MediaUploadRequest {
    /// A note on the file.
    pub fn note(mut self, value: impl Into<String>) -> Self {
        self.params.note = Some(value.into());
        self
    }

    /// The thing's metadata.
    pub fn meta(mut self, value: impl Into<Thing>) -> Self {
        self.params.meta = Some(value.into());
        self
    }
}

/// The request of [`MediaResource::watch`]: set optional parameters, then `send` it
/// (see [`Request`](crate::Request)).
pub type MediaWatchRequest = crate::Request<MediaWatchParams>;

/// The parameters of [`MediaResource::watch`], held by its request ([`MediaWatchRequest`]).
#[derive(Debug, Clone)]
pub struct MediaWatchParams {
    thing_id: String,
}

impl crate::Action for MediaWatchParams {
    type Output = crate::events::Events<Thing>;

    fn call(&self) -> crate::Result<Call> {
        Ok(Call::new(
            reqwest::Method::GET,
            "media.watch",
            "/media/{thingId}/watch",
            &[&self.thing_id],
        )?
        .accept("text/event-stream"))
    }
}

/// A page of search results.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Found {
    /// The `results` field.
    pub results: Vec<Thing>,
    /// The `next` field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// The request of [`MediaResource::search`]: set optional parameters, then `send` it
/// (see [`Request`](crate::Request)).
pub type MediaSearchRequest = crate::Request<MediaSearchParams>;

/// The parameters of [`MediaResource::search`], held by its request ([`MediaSearchRequest`]).
#[derive(Debug, Clone)]
pub struct MediaSearchParams {
    q: Option<String>,
}

impl crate::Action for MediaSearchParams {
    type Output = Found;

    fn call(&self) -> crate::Result<Call> {
        Ok(
            Call::new(reqwest::Method::GET, "media.search", "/media/search", &[])?
                .query("q", self.q.as_ref()),
        )
    }
}

impl MediaSearchRequest {
    /// What to find.
    pub fn q(mut self, value: impl Into<String>) -> Self {
        self.params.q = Some(value.into());
        self
    }

    /// Every result of every page, following each page's `next` link until a page has none;
    /// see [`Pages`](crate::Pages).
    pub fn stream(self) -> crate::Pages<Thing> {
        self.linked(|answer| (answer.results, crate::client::NextLink::link(answer.next)))
    }
}
