//! Lowering of an API's webhooks (`webhooks` of `api.yaml`): the topics as variants of an
//! event enum, each with its payload type, and the signature headers the runtime checks.

use serde_json::Value;

use crate::ir::{Doc, InnerDoc, Lit, SignatureIr, TopicIr, TypeRef, WebhookType, WebhooksIr};
use crate::names;
use crate::spec::{SignatureAlgorithm, Spec, TopicIn};
use crate::types::Lowerer;

/// The IR of the spec's webhooks, if it declares any. Payload types are lowered like answers
/// (an inline schema becomes a model named after its topic).
pub(crate) fn lower_webhooks(l: &mut Lowerer, spec: &Spec) -> Option<WebhooksIr> {
    let webhooks = spec.api.webhooks.as_ref()?;
    let description = match webhooks.description.as_deref() {
        Some(d) if !d.trim().is_empty() => d.to_string(),
        _ => format!("The webhooks of the {}.", spec.api.title),
    };
    let topics = webhooks
        .topics
        .iter()
        .map(|t| {
            let variant = names::camel(&t.name);
            let ty = l.type_of(&t.schema, &format!("{variant}Webhook"), false);
            let mut sample = crate::testdata::minimal_instance(spec, &t.schema, 0);
            if let (TopicIn::Body, Value::Object(body)) = (webhooks.topic.location, &mut sample) {
                body.insert(webhooks.topic.name.clone(), Value::String(t.name.clone()));
            }
            TopicIr {
                name: Lit(t.name.clone()),
                wire: t.name.clone(),
                code: crate::markdown::code(&t.name),
                doc: Doc(t.description.clone()),
                description: t.description.clone(),
                type_name: type_name(&ty),
                ty: WebhookType(ty),
                variant,
                sample: Lit(sample.to_string()),
            }
        })
        .collect();
    let signatures = webhooks
        .signatures
        .iter()
        .map(|s| {
            let (algorithm, algorithm_name) = match s.algorithm {
                SignatureAlgorithm::HmacSha256 => ("HmacSha256", "HMAC-SHA256"),
                SignatureAlgorithm::HmacSha1 => ("HmacSha1", "HMAC-SHA1"),
            };
            SignatureIr {
                header: Lit(s.header.clone()),
                header_wire: s.header.clone(),
                header_code: crate::markdown::code(&s.header),
                algorithm,
                algorithm_name,
                prefix: Lit(s.prefix.clone()),
                encoding_text: if s.prefix.is_empty() {
                    "in hex".to_owned()
                } else {
                    format!("in hex after {}", crate::markdown::code(&s.prefix))
                },
            }
        })
        .collect();
    Some(WebhooksIr {
        doc: InnerDoc(description.clone()),
        description,
        topic_at: match webhooks.topic.location {
            TopicIn::Body => "Field",
            TopicIn::Header => "Header",
        },
        topic_name: Lit(webhooks.topic.name.clone()),
        topic_wire: webhooks.topic.name.clone(),
        signatures,
        topics,
    })
}

/// How the reference page names a payload type.
fn type_name(ty: &TypeRef) -> String {
    crate::rust::type_text(ty, crate::rust::Place::INSIDE)
}
