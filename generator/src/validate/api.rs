//! The API as a whole: `api.yaml`'s servers, auth, headers, parameters and package metadata.

use crate::names;
use crate::rules;
use crate::spec::{ParamIn, TopicIn};

use super::values::param_shape_problem;
use super::Validator;

impl<'a> Validator<'a> {
    /// The crate's package metadata, checked as crates.io checks it at publication.
    pub(super) fn package_metadata(&mut self) {
        let krate = &self.spec.api.krate;
        if let Some(license) = &krate.license {
            if let Some(problem) = rules::license_problem(license) {
                self.push("api.crate.license", problem);
            }
        }
        for (key, url) in [
            ("repository", &krate.repository),
            ("documentation", &krate.documentation),
        ] {
            if let Some(problem) = url.as_deref().and_then(rules::docs_url_problem) {
                self.push(&format!("api.crate.{key}"), problem);
            }
        }
        for (key, list) in [
            ("keywords", &krate.keywords),
            ("categories", &krate.categories),
        ] {
            if list.len() > 5 {
                self.push(
                    &format!("api.crate.{key}"),
                    format!("crates.io takes at most 5 {key}; {} are listed", list.len()),
                );
            }
        }
        for (i, keyword) in krate.keywords.iter().enumerate() {
            if let Some(problem) = rules::keyword_problem(keyword) {
                self.push(&format!("api.crate.keywords[{i}]"), problem);
            }
        }
        for (i, category) in krate.categories.iter().enumerate() {
            if let Some(problem) = rules::category_problem(category) {
                self.push(&format!("api.crate.categories[{i}]"), problem);
            }
        }
    }

    pub(super) fn api(&mut self) {
        let api = &self.spec.api;
        let krate = &api.krate;
        if krate.name.is_empty()
            || !krate.name.starts_with(|c: char| c.is_ascii_alphabetic())
            || !krate
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            self.push(
                "api.crate.name",
                format!(
                    "`{}` is not a valid crate name (letters, digits, `-`, `_`)",
                    krate.name
                ),
            );
        }
        // As cargo reads `package.version`: no leading zeros, each number within `u64`.
        if let Err(e) = semver::Version::parse(&krate.version) {
            self.push(
                "api.crate.version",
                format!(
                    "`{}` is not a version cargo accepts (a semantic version such as 1.2.3 or \
                     1.2.3-beta.1): {e}",
                    krate.version
                ),
            );
        }
        self.package_metadata();
        let defaults = api.servers.iter().filter(|s| s.default).count();
        if api.servers.is_empty() {
            self.push(
                "api.servers",
                "no server is listed; add at least one with `default: true`",
            );
        } else if defaults != 1 {
            self.push(
                "api.servers",
                format!("exactly one server must have `default: true`; {defaults} do"),
            );
        }
        for (i, s) in api.servers.iter().enumerate() {
            if let Some(problem) = rules::server_url_problem(&s.url) {
                self.push(&format!("api.servers[{i}].url"), problem);
            }
        }
        if let Some(problem) = api.docs_url.as_deref().and_then(rules::docs_url_problem) {
            self.push("api.docs_url", problem);
        }
        if !api.base_path.is_empty()
            && (!api.base_path.starts_with('/') || api.base_path.ends_with('/'))
        {
            self.push(
                "api.base_path",
                "base_path must start with `/` and not end with `/`",
            );
        } else if let Some(problem) = rules::path_problem(&api.base_path) {
            self.push(
                "api.base_path",
                format!("base_path `{}` {problem}", api.base_path),
            );
        }
        self.auth(&api.auth);
        for (i, h) in api.headers.iter().enumerate() {
            if let Some(problem) = rules::header_value_problem(&h.value) {
                self.push(&format!("api.headers[{i}].value"), problem);
            }
        }
        if api.base_path.contains(['{', '}']) {
            self.push(
                "api.base_path",
                format!(
                    "base_path `{}` must not contain placeholders; path parameters belong in resource paths",
                    api.base_path
                ),
            );
        }
        for (i, p) in api.parameters.iter().enumerate() {
            if p.location == ParamIn::Header && !rules::is_token(&p.name) {
                self.push(
                    &format!("api.parameters[{i}].name"),
                    format!("`{}` is not a valid HTTP header name", p.name),
                );
            }
            if p.location == ParamIn::Path {
                self.push(
                    &format!("api.parameters[{i}].in"),
                    "an API-wide parameter cannot be a path parameter",
                );
            }
            if p.location == ParamIn::Part {
                self.push(
                    &format!("api.parameters[{i}].in"),
                    "an API-wide parameter cannot be a part: a part belongs to one action's form",
                );
            } else if let Some(problem) = param_shape_problem(self.spec, &p.schema, p.location) {
                self.push(&format!("api.parameters[{i}].schema"), problem);
            }
        }
        for (i, h) in api.headers.iter().enumerate() {
            if !rules::is_token(&h.name) {
                self.push(
                    &format!("api.headers[{i}].name"),
                    format!("`{}` is not a valid HTTP header name", h.name),
                );
            }
        }
        self.webhooks();
    }

    /// `webhooks`: header names, topics that can be told apart in Rust, a schema per topic.
    /// `auth`: a header (with a one-word prefix, or none) or a query parameter, not both.
    fn auth(&mut self, auth: &crate::spec::Auth) {
        match (&auth.header, &auth.query) {
            (Some(_), Some(_)) => self.push(
                "api.auth",
                "auth has both `header` and `query`: a token goes in one place",
            ),
            (None, None) => self.push(
                "api.auth",
                "auth needs `header` (with an optional `prefix`) or `query`: where the token goes",
            ),
            _ => {}
        }
        if let Some(header) = &auth.header {
            if !rules::is_token(header) {
                self.push(
                    "api.auth.header",
                    format!("`{header}` is not a valid HTTP header name"),
                );
            }
        }
        if let Some(query) = &auth.query {
            if query.trim().is_empty() || query.chars().any(char::is_control) {
                self.push(
                    "api.auth.query",
                    format!("`{}` is not a query parameter name", query.escape_debug()),
                );
            }
            if auth.prefix.is_some() {
                self.push(
                    "api.auth.prefix",
                    "a prefix belongs to a header: a token in the query goes alone",
                );
            }
        }
        if let Some(prefix) = &auth.prefix {
            if !rules::is_token(prefix) {
                self.push(
                    "api.auth.prefix",
                    format!(
                        "auth prefix `{}` must be one word of header-safe characters (such as `Bearer`); a space and the token follow it",
                        prefix.escape_debug()
                    ),
                );
            }
        }
    }

    fn webhooks(&mut self) {
        let Some(webhooks) = &self.spec.api.webhooks else {
            return;
        };
        if webhooks.topic.location == TopicIn::Header && !rules::is_token(&webhooks.topic.name) {
            self.push(
                "api.webhooks.topic.name",
                format!("`{}` is not a valid HTTP header name", webhooks.topic.name),
            );
        }
        if webhooks.topic.name.is_empty() {
            self.push(
                "api.webhooks.topic.name",
                "the topic's field or header needs a name",
            );
        }
        let mut headers: Vec<String> = Vec::new();
        for (i, s) in webhooks.signatures.iter().enumerate() {
            if !rules::is_token(&s.header) {
                self.push(
                    &format!("api.webhooks.signatures[{i}].header"),
                    format!("`{}` is not a valid HTTP header name", s.header),
                );
            }
            let lower = s.header.to_ascii_lowercase();
            if headers.contains(&lower) {
                self.push(
                    &format!("api.webhooks.signatures[{i}].header"),
                    format!("the signature header `{}` is listed twice", s.header),
                );
            }
            headers.push(lower);
            if let Some(problem) = rules::header_value_problem(&s.prefix) {
                self.push(&format!("api.webhooks.signatures[{i}].prefix"), problem);
            }
        }
        if webhooks.topics.is_empty() {
            self.push("api.webhooks.topics", "list at least one topic");
        }
        // Each topic is a variant of the event enum; `Unknown` holds the topics not listed.
        let mut variants: Vec<(String, &str)> = vec![("Unknown".to_owned(), "")];
        for (i, t) in webhooks.topics.iter().enumerate() {
            let at = format!("api.webhooks.topics[{i}].name");
            if t.name.is_empty() {
                self.push(&at, "a topic needs a name");
                continue;
            }
            if webhooks.topic.location == TopicIn::Header {
                if let Some(problem) = rules::header_value_problem(&t.name) {
                    self.push(
                        &at,
                        format!("deliveries name their topic in a header: {problem}"),
                    );
                }
            }
            let variant = names::camel(&t.name);
            match variants.iter().find(|(v, _)| *v == variant) {
                Some((_, "")) => self.push(
                    &at,
                    format!("topic `{}` would be the event enum's `Unknown` variant, which holds the topics the crate does not know", t.name),
                ),
                Some((_, other)) => self.push(
                    &at,
                    format!("topics `{other}` and `{}` are the same Rust variant `{variant}`", t.name),
                ),
                None => variants.push((variant, &t.name)),
            }
        }
    }
}
