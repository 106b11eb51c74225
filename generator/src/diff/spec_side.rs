//! The spec comparison: the API, its servers, headers, resources, actions, parameters,
//! bodies and responses, each change located at its spec file and line.

use std::collections::{BTreeSet, HashMap};

use crate::spec::{Action, Body, Param, Response};

use super::schemas::{renamed_path_params, same_path, shown, Walk};
use super::{Change, Class, Group, Location, Side};

/// Where a spec path is: on the old side (for what was removed) or on the new side.
pub(super) enum At<'p> {
    Old(&'p str),
    New(&'p str),
}

pub(super) struct Cx<'a> {
    pub(super) old: &'a Side,
    pub(super) new: &'a Side,
    pub(super) spec: Vec<Change>,
    pub(super) rust: Vec<Change>,
    /// The named schemas each side sends in requests (a body, a parameter, or reached from
    /// one): a tightened rule there breaks requests.
    pub(super) request_old: BTreeSet<String>,
    pub(super) request_new: BTreeSet<String>,
}

impl<'a> Cx<'a> {
    pub(super) fn locate(&self, at: &At<'_>) -> Location {
        match at {
            At::Old(path) => self.old.locate(path),
            At::New(path) => self.new.locate(path),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn push(
        &mut self,
        class: Class,
        key: &str,
        subject: impl Into<String>,
        change: impl Into<String>,
        wire: Option<String>,
        at: At<'_>,
    ) {
        let at = self.locate(&at);
        self.spec.push(Change {
            class,
            group: Group::of_key(key),
            subject: subject.into(),
            change: change.into(),
            rust: Vec::new(),
            wire: wire.into_iter().collect(),
            at,
            key: key.to_string(),
            whole: false,
        });
    }

    /// An item added or removed as a whole: changes found inside it fold into it.
    pub(super) fn push_whole(
        &mut self,
        class: Class,
        key: &str,
        subject: impl Into<String>,
        change: impl Into<String>,
        wire: Option<String>,
        at: At<'_>,
    ) {
        self.push(class, key, subject, change, wire, at);
        if let Some(last) = self.spec.last_mut() {
            last.whole = true;
        }
    }

    pub(super) fn docs(&mut self, key: &str, subject: &str, what: &str, at: At<'_>) {
        self.push(
            Class::DocsOnly,
            key,
            subject,
            format!("{what} changes"),
            None,
            at,
        );
    }

    pub(super) fn api(&mut self) {
        let (o, n) = (&self.old.spec.api, &self.new.spec.api);
        let texts = [
            ("title", Some(&o.title), Some(&n.title)),
            (
                "description",
                o.description.as_ref(),
                n.description.as_ref(),
            ),
            ("version", Some(&o.version), Some(&n.version)),
            ("docs_url", o.docs_url.as_ref(), n.docs_url.as_ref()),
            ("rate_limit", o.rate_limit.as_ref(), n.rate_limit.as_ref()),
            (
                "auth.description",
                Some(&o.auth.description),
                Some(&n.auth.description),
            ),
        ];
        for (key, a, b) in texts {
            if a != b {
                let path = format!("api.{key}");
                let at = if b.is_some() { &path } else { "api" };
                self.docs(&path, "the API's", key, At::New(at));
            }
        }
        if o.krate.name != n.krate.name {
            self.push(
                Class::BreaksRust,
                "api.crate.name",
                "crate name",
                format!("changes from `{}` to `{}`", o.krate.name, n.krate.name),
                None,
                At::New("api.crate.name"),
            );
            if let Some(last) = self.spec.last_mut() {
                last.rust.push(format!(
                    "dependents name the package `{}` in Cargo.toml and the library `{}` in \
                     code",
                    o.krate.name,
                    o.krate.name.replace('-', "_")
                ));
            }
        }
        if o.base_path != n.base_path {
            self.push(
                Class::BreaksRequests,
                "api.base_path",
                "base path",
                format!("changes from `{}` to `{}`", o.base_path, n.base_path),
                Some("every request goes to a different path".into()),
                At::New("api.base_path"),
            );
        }
        let (a, b) = (o.auth.shown(), n.auth.shown());
        if a != b {
            // Located at the key that changed (the prefix, say), else at `auth`.
            let (oa, na) = (&o.auth, &n.auth);
            let key = [
                (
                    "api.auth.header",
                    oa.header != na.header && na.header.is_some(),
                ),
                (
                    "api.auth.prefix",
                    oa.prefix != na.prefix && na.prefix.is_some(),
                ),
                ("api.auth.query", oa.query != na.query && na.query.is_some()),
            ]
            .into_iter()
            .find_map(|(key, changed)| changed.then_some(key))
            .unwrap_or("api.auth");
            self.push(
                Class::BreaksRequests,
                key,
                "auth scheme",
                format!("changes from `{a}` to `{b}`"),
                Some("the token is sent differently".into()),
                At::New(key),
            );
        }
        self.servers();
        self.headers();
        let (op, np) = (&o.parameters, &n.parameters);
        self.params("api.parameters", "api.parameters", op, np);
        self.responses(
            "api.errors",
            "api.errors",
            "API-wide error",
            &o.errors,
            &n.errors,
        );
    }

    pub(super) fn servers(&mut self) {
        let (o, n) = (&self.old.spec.api.servers, &self.new.spec.api.servers);
        for (i, s) in o.iter().enumerate() {
            let key = format!("api.servers.{}", s.name);
            match n.iter().position(|t| t.name == s.name) {
                None => self.push_whole(
                    Class::Compatible,
                    &key,
                    format!("server `{}`", s.name),
                    "removed",
                    Some(format!("`{}` is no longer documented", s.url)),
                    At::Old(&format!("api.servers[{i}]")),
                ),
                Some(j) => {
                    let t = &n[j];
                    let at = format!("api.servers[{j}]");
                    if s.url != t.url {
                        self.push(
                            Class::BreaksRequests,
                            &key,
                            format!("server `{}`", s.name),
                            format!("URL changes from `{}` to `{}`", s.url, t.url),
                            Some("requests to this server go to the new URL".into()),
                            At::New(&format!("{at}.url")),
                        );
                    }
                    if s.default != t.default && t.default {
                        self.push(
                            Class::BreaksRequests,
                            "api.servers",
                            "default server",
                            format!("becomes `{}`", t.name),
                            Some("clients that pick no server send elsewhere".into()),
                            At::New(&at),
                        );
                    }
                    if s.description != t.description {
                        self.docs(
                            &format!("{key}.description"),
                            &format!("server `{}`", s.name),
                            "description",
                            At::New(&at),
                        );
                    }
                }
            }
        }
        for (j, t) in n.iter().enumerate() {
            if !o.iter().any(|s| s.name == t.name) {
                self.push_whole(
                    Class::Compatible,
                    &format!("api.servers.{}", t.name),
                    format!("server `{}`", t.name),
                    "added",
                    None,
                    At::New(&format!("api.servers[{j}]")),
                );
            }
        }
    }

    pub(super) fn headers(&mut self) {
        let (o, n) = (&self.old.spec.api.headers, &self.new.spec.api.headers);
        for (i, h) in o.iter().enumerate() {
            let key = format!("api.headers.{}", h.name);
            let subject = format!("header `{}`", h.name);
            match n.iter().position(|t| t.name == h.name) {
                None => self.push(
                    Class::BreaksRequests,
                    &key,
                    subject,
                    "removed",
                    Some("requests no longer send it".into()),
                    At::Old(&format!("api.headers[{i}]")),
                ),
                Some(j) => {
                    let t = &n[j];
                    if h.value != t.value {
                        self.push(
                            Class::BreaksRequests,
                            &key,
                            subject.clone(),
                            format!("value changes from `{}` to `{}`", h.value, t.value),
                            Some("every request sends the new value".into()),
                            At::New(&format!("api.headers[{j}].value")),
                        );
                    }
                    if h.description != t.description {
                        self.docs(
                            &format!("{key}.description"),
                            &subject,
                            "description",
                            At::New(&format!("api.headers[{j}]")),
                        );
                    }
                }
            }
        }
        for (j, t) in n.iter().enumerate() {
            if !o.iter().any(|h| h.name == t.name) {
                self.push(
                    Class::BreaksRequests,
                    &format!("api.headers.{}", t.name),
                    format!("header `{}`", t.name),
                    "added",
                    Some(format!("every request sends `{}: {}`", t.name, t.value)),
                    At::New(&format!("api.headers[{j}]")),
                );
            }
        }
    }

    /// Parameters, matched by name: `key` is the key prefix, `loc` the spec path of the list.
    pub(super) fn params(&mut self, key: &str, loc: &str, o: &[Param], n: &[Param]) {
        let renamed = renamed_path_params(o, n);
        for (i, p) in o.iter().enumerate() {
            let found = n
                .iter()
                .position(|q| q.name == p.name)
                .or_else(|| renamed.iter().find(|(a, _)| *a == i).map(|(_, b)| *b));
            let pkey = format!("{key}.{}", found.map_or(&p.name, |j| &n[j].name));
            let subject = format!("{} parameter `{}`", p.location.as_str(), p.name);
            if let Some(j) = found.filter(|j| n[*j].name != p.name) {
                self.push(
                    Class::DocsOnly,
                    &pkey,
                    subject.clone(),
                    format!("renamed `{}`; it keeps its place in the path", n[j].name),
                    None,
                    At::New(&format!("{loc}[{j}]")),
                );
            }
            let Some(j) = found else {
                self.push_whole(
                    Class::Compatible,
                    &pkey,
                    subject,
                    "removed",
                    Some("no longer sent".into()),
                    At::Old(&format!("{loc}[{i}]")),
                );
                continue;
            };
            let q = &n[j];
            let at = format!("{loc}[{j}]");
            if p.location != q.location {
                self.push(
                    Class::BreaksRequests,
                    &pkey,
                    subject.clone(),
                    format!(
                        "moves from the {} to the {}",
                        p.location.as_str(),
                        q.location.as_str()
                    ),
                    Some("sent in a different place".into()),
                    At::New(&format!("{at}.in")),
                );
            }
            if p.required != q.required {
                let (class, change, wire) = if q.required {
                    (
                        Class::BreaksRequests,
                        "becomes required",
                        Some("requests without it are refused".to_string()),
                    )
                } else {
                    (Class::Compatible, "becomes optional", None)
                };
                self.push(
                    class,
                    &pkey,
                    subject.clone(),
                    change,
                    wire,
                    At::New(&format!("{at}.required")),
                );
            }
            if p.default != q.default {
                self.push(
                    Class::BreaksRequests,
                    &pkey,
                    subject.clone(),
                    format!(
                        "default changes from {} to {}",
                        shown(p.default.as_ref()),
                        shown(q.default.as_ref())
                    ),
                    Some("requests that leave it out get a different value".into()),
                    At::New(&at),
                );
            }
            if p.description != q.description {
                self.docs(&pkey, &subject, "description", At::New(&at));
            }
            if p.example != q.example {
                self.docs(&pkey, &subject, "example", At::New(&at));
            }
            let w = Walk {
                key: pkey.clone(),
                subject,
                loc: format!("{at}.schema"),
                request: true,
                depth: 0,
            };
            self.walk(&w, &p.schema, &q.schema);
        }
        for (j, q) in n.iter().enumerate() {
            if !o.iter().any(|p| p.name == q.name) && !renamed.iter().any(|(_, b)| *b == j) {
                let (class, wire) = if q.required {
                    (
                        Class::BreaksRequests,
                        Some("requests without it are refused".to_string()),
                    )
                } else {
                    (Class::Compatible, None)
                };
                let what = if q.required {
                    "added, required"
                } else {
                    "added, optional"
                };
                self.push_whole(
                    class,
                    &format!("{key}.{}", q.name),
                    format!("{} parameter `{}`", q.location.as_str(), q.name),
                    what,
                    wire,
                    At::New(&format!("{loc}[{j}]")),
                );
            }
        }
    }

    /// Responses matched by status code; only their documentation is compared here (the
    /// success body's schema is walked by the caller).
    pub(super) fn responses(
        &mut self,
        key: &str,
        loc: &str,
        what: &str,
        o: &[Response],
        n: &[Response],
    ) {
        for (i, r) in o.iter().enumerate() {
            let rkey = format!("{key}.{}", r.code);
            let subject = format!("{what} {}", r.code);
            match n.iter().position(|s| s.code == r.code) {
                None => self.push(
                    Class::DocsOnly,
                    &rkey,
                    subject,
                    "no longer documented",
                    None,
                    At::Old(&format!("{loc}[{i}]")),
                ),
                Some(j) => {
                    let s = &n[j];
                    if r.description != s.description {
                        self.docs(
                            &rkey,
                            &subject,
                            "description",
                            At::New(&format!("{loc}[{j}]")),
                        );
                    }
                    if r.example != s.example {
                        self.docs(&rkey, &subject, "example", At::New(&format!("{loc}[{j}]")));
                    }
                    if r.schema != s.schema && key.ends_with(".errors") {
                        self.docs(
                            &rkey,
                            &subject,
                            "body schema",
                            At::New(&format!("{loc}[{j}]")),
                        );
                    }
                }
            }
        }
        for (j, s) in n.iter().enumerate() {
            if !o.iter().any(|r| r.code == s.code) {
                self.push(
                    Class::DocsOnly,
                    &format!("{key}.{}", s.code),
                    format!("{what} {}", s.code),
                    "newly documented",
                    None,
                    At::New(&format!("{loc}[{j}]")),
                );
            }
        }
    }

    pub(super) fn resources(&mut self) {
        let (old, new) = (self.old, self.new);
        let by_name = |side: &'a Side| -> HashMap<&'a str, &'a crate::spec::Resource> {
            side.spec
                .resources
                .iter()
                .map(|r| (r.name.as_str(), r))
                .collect()
        };
        let (old_names, new_names) = (by_name(old), by_name(new));
        for r in &old.spec.resources {
            let key = format!("resources.{}", r.name);
            let Some(&s) = new_names.get(r.name.as_str()) else {
                self.push_whole(
                    Class::Compatible,
                    &key,
                    format!("resource `{}`", r.name),
                    "removed",
                    Some("its actions are no longer documented".into()),
                    At::Old(&key),
                );
                continue;
            };
            if same_path(&r.path, &s.path) && r.path != s.path {
                self.push(
                    Class::DocsOnly,
                    &format!("{key}.path"),
                    "path",
                    format!(
                        "placeholders renamed (`{}` to `{}`); the URL is the same",
                        r.path, s.path
                    ),
                    None,
                    At::New(&format!("{key}.path")),
                );
            } else if r.path != s.path {
                self.push(
                    Class::BreaksRequests,
                    &format!("{key}.path"),
                    "path",
                    format!("changes from `{}` to `{}`", r.path, s.path),
                    Some("every action of the resource goes to a different path".into()),
                    At::New(&format!("{key}.path")),
                );
            }
            if r.title != s.title {
                self.docs(
                    &key,
                    "the resource's",
                    "title",
                    At::New(&format!("{key}.title")),
                );
            }
            if r.description != s.description {
                self.docs(
                    &key,
                    "the resource's",
                    "description",
                    At::New(&format!("{key}.description")),
                );
            }
            for (aname, a) in &r.actions {
                let akey = format!("{key}.actions.{aname}");
                match s.actions.get(aname) {
                    None => self.push_whole(
                        Class::Compatible,
                        &akey,
                        format!("action `{aname}`"),
                        "removed",
                        Some(format!(
                            "`{} {}{}` is no longer documented",
                            a.method, r.path, a.path
                        )),
                        At::Old(&akey),
                    ),
                    Some(b) => self.action(&akey, a, b),
                }
            }
            for aname in s.actions.keys() {
                if !r.actions.contains_key(aname) {
                    let akey = format!("{key}.actions.{aname}");
                    self.push_whole(
                        Class::Compatible,
                        &akey,
                        format!("action `{aname}`"),
                        "added",
                        None,
                        At::New(&akey),
                    );
                }
            }
        }
        for s in &new.spec.resources {
            if !old_names.contains_key(s.name.as_str()) {
                let key = format!("resources.{}", s.name);
                self.push_whole(
                    Class::Compatible,
                    &key,
                    format!("resource `{}`", s.name),
                    "added",
                    None,
                    At::New(&key),
                );
            }
        }
    }

    pub(super) fn action(&mut self, key: &str, a: &Action, b: &Action) {
        if a.method != b.method {
            self.push(
                Class::BreaksRequests,
                &format!("{key}.method"),
                "method",
                format!("changes from {} to {}", a.method, b.method),
                Some("requests use the new method".into()),
                At::New(&format!("{key}.method")),
            );
        }
        if !same_path(&a.path, &b.path) {
            self.push(
                Class::BreaksRequests,
                &format!("{key}.path"),
                "path",
                format!("suffix changes from `{}` to `{}`", a.path, b.path),
                Some("requests go to a different path".into()),
                At::New(&format!("{key}.path")),
            );
        }
        if a.summary != b.summary {
            self.docs(
                key,
                "the action's",
                "summary",
                At::New(&format!("{key}.summary")),
            );
        }
        if a.description != b.description {
            self.docs(key, "the action's", "description", At::New(key));
        }
        if a.scopes != b.scopes {
            let gone: Vec<&str> = a
                .scopes
                .iter()
                .filter(|s| !b.scopes.contains(s))
                .map(String::as_str)
                .collect();
            let added: Vec<&str> = b
                .scopes
                .iter()
                .filter(|s| !a.scopes.contains(s))
                .map(String::as_str)
                .collect();
            let mut what = Vec::new();
            if !gone.is_empty() {
                what.push(format!("`{}` no longer listed", gone.join("`, `")));
            }
            if !added.is_empty() {
                what.push(format!("`{}` added", added.join("`, `")));
            }
            if what.is_empty() {
                what.push("reordered".to_string());
            }
            self.push(
                Class::DocsOnly,
                &format!("{key}.scopes"),
                "scopes",
                what.join("; "),
                None,
                At::New(&format!("{key}.scopes")),
            );
        }
        self.params(
            &format!("{key}.params"),
            &format!("{key}.params"),
            &a.params,
            &b.params,
        );
        self.body(key, a.body.as_ref(), b.body.as_ref());
        if let (Some(r), Some(s)) = (a.responses.first(), b.responses.first()) {
            if r.code != s.code {
                self.push(
                    Class::Compatible,
                    &format!("{key}.response"),
                    "success response",
                    format!("status changes from {} to {}", r.code, s.code),
                    None,
                    At::New(&format!("{key}.responses[0].code")),
                );
            }
            match (&r.schema, &s.schema) {
                (Some(x), Some(y)) => {
                    let w = Walk {
                        key: format!("{key}.response"),
                        subject: "the success response".into(),
                        loc: format!("{key}.responses[0].schema"),
                        request: false,
                        depth: 0,
                    };
                    self.walk(&w, x, y);
                }
                (None, None) => {}
                (_, y) => self.push(
                    Class::Compatible,
                    &format!("{key}.response"),
                    "success response",
                    if y.is_some() {
                        "gains a body"
                    } else {
                        "loses its body"
                    },
                    None,
                    At::New(&format!("{key}.responses[0]")),
                ),
            }
        }
        self.responses(
            &format!("{key}.responses"),
            &format!("{key}.responses"),
            "success response",
            &a.responses,
            &b.responses,
        );
        self.responses(
            &format!("{key}.errors"),
            &format!("{key}.errors"),
            "error response",
            &a.errors,
            &b.errors,
        );
        if a.paginated.as_ref().map(|p| (&p.items, &p.total))
            != b.paginated.as_ref().map(|p| (&p.items, &p.total))
        {
            self.push(
                Class::Compatible,
                &format!("{key}.paginated"),
                "pagination",
                "changes",
                None,
                At::New(key),
            );
        }
        if a.linked.as_ref().map(|l| (&l.items, &l.next))
            != b.linked.as_ref().map(|l| (&l.items, &l.next))
        {
            self.push(
                Class::Compatible,
                &format!("{key}.linked"),
                "pagination by link",
                "changes",
                None,
                At::New(key),
            );
        }
    }

    pub(super) fn body(&mut self, key: &str, a: Option<&Body>, b: Option<&Body>) {
        let bkey = format!("{key}.body");
        match (a, b) {
            (None, None) => {}
            (Some(_), None) => self.push_whole(
                Class::Compatible,
                &bkey,
                "request body",
                "removed",
                Some("no longer sent".into()),
                At::Old(&bkey),
            ),
            (None, Some(b)) => self.push_whole(
                if b.required {
                    Class::BreaksRequests
                } else {
                    Class::Compatible
                },
                &bkey,
                "request body",
                if b.required {
                    "added, required"
                } else {
                    "added, optional"
                },
                b.required
                    .then(|| "requests without it are refused".to_string()),
                At::New(&bkey),
            ),
            (Some(a), Some(b)) => {
                if a.required != b.required {
                    let (class, what, wire) = if b.required {
                        (
                            Class::BreaksRequests,
                            "becomes required",
                            Some("requests without it are refused".to_string()),
                        )
                    } else {
                        (Class::Compatible, "becomes optional", None)
                    };
                    self.push(class, &bkey, "request body", what, wire, At::New(&bkey));
                }
                if a.description != b.description || a.name != b.name {
                    self.docs(&bkey, "request body", "name or description", At::New(&bkey));
                }
                if a.example != b.example {
                    self.docs(&bkey, "request body", "example", At::New(&bkey));
                }
                let w = Walk {
                    key: bkey.clone(),
                    subject: "the request body".into(),
                    loc: format!("{bkey}.schema"),
                    request: true,
                    depth: 0,
                };
                self.walk(&w, &a.schema, &b.schema);
            }
        }
    }
}
