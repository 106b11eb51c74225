//! Webhooks (`webhook.rs`, through the sample `webhooks` module): signatures checked in
//! constant time before the body is read, then the body decoded by topic.

use reqwest::header::{HeaderMap, HeaderValue};

use crate::Secret;
use crate::webhooks::{SIGNATURES, WebhookError, WebhookEvent, sign};

const SECRET: &str = "whsec-0123456789-do-not-print";
const CREATED: &str = r#"{"topic":"thing-created","id":"t1","name":"one","status":"active"}"#;

fn signed(index: usize, body: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let signature = &SIGNATURES[index];
    let value = sign(signature, &Secret::new(SECRET), body.as_bytes());
    headers.insert(signature.header, HeaderValue::from_str(&value).unwrap());
    headers
}

fn check(headers: &HeaderMap, body: &str) -> Result<WebhookEvent, WebhookError> {
    WebhookEvent::verify_and_decode(&Secret::new(SECRET), headers, body.as_bytes())
}

#[test]
fn the_mac_is_the_documented_hmac() {
    // RFC 4231 test case 2 (HMAC-SHA256) and RFC 2202 test case 2 (HMAC-SHA1).
    let key = Secret::new("Jefe");
    let body = b"what do ya want for nothing?";
    assert_eq!(
        sign(&SIGNATURES[0], &key, body),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    assert_eq!(
        sign(&SIGNATURES[1], &key, body),
        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
    );
}

#[test]
fn a_good_signature_decodes_the_topic_s_payload() {
    for index in [0, 1] {
        let event = check(&signed(index, CREATED), CREATED).unwrap();
        assert_eq!(event.topic(), "thing-created");
        let WebhookEvent::ThingCreated(thing) = event else {
            panic!("not a thing-created event: {event:?}");
        };
        assert_eq!(thing.name, "one");
    }
}

#[test]
fn upper_case_hex_is_accepted() {
    let mut headers = signed(0, CREATED);
    let value = headers[SIGNATURES[0].header]
        .to_str()
        .unwrap()
        .to_uppercase();
    headers.insert(SIGNATURES[0].header, HeaderValue::from_str(&value).unwrap());
    assert!(check(&headers, CREATED).is_ok());
}

#[test]
fn a_wrong_signature_is_refused_before_the_body_is_read() {
    let body = "this is not JSON at all {";
    let headers = signed(0, "another body");
    let error = check(&headers, body).unwrap_err();
    assert!(
        matches!(error, WebhookError::BadSignature { header } if header == SIGNATURES[0].header),
        "{error:?}"
    );
    let text = format!("{error} {error:?}");
    assert!(!text.contains(SECRET), "{text}");
    // The same body, unsigned and unchecked, fails as JSON: the check came first.
    let unchecked = WebhookEvent::decode_unverified(&headers, body.as_bytes()).unwrap_err();
    assert!(
        matches!(unchecked, WebhookError::Decode { .. }),
        "{unchecked:?}"
    );
}

#[test]
fn a_wrong_secret_or_a_changed_body_is_refused() {
    let headers = signed(0, CREATED);
    let other = Secret::new("not-the-secret");
    let error = WebhookEvent::verify_and_decode(&other, &headers, CREATED.as_bytes());
    assert!(matches!(error, Err(WebhookError::BadSignature { .. })));
    let changed = CREATED.replace("one", "two");
    assert!(matches!(
        check(&headers, &changed),
        Err(WebhookError::BadSignature { .. })
    ));
}

#[test]
fn the_preferred_signature_decides_when_both_are_sent() {
    let mut headers = signed(1, CREATED);
    headers.insert(SIGNATURES[0].header, HeaderValue::from_static("00ff"));
    assert!(matches!(
        check(&headers, CREATED),
        Err(WebhookError::BadSignature { header }) if header == SIGNATURES[0].header
    ));
}

#[test]
fn a_missing_or_malformed_signature_is_refused() {
    let error = check(&HeaderMap::new(), CREATED).unwrap_err();
    assert!(
        matches!(error, WebhookError::MissingSignature { .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("X-Thing-Signature-v2 or X-Thing-Signature")
    );
    for value in ["", "xyz", "abc", "é"] {
        let mut headers = HeaderMap::new();
        let value = HeaderValue::from_bytes(value.as_bytes()).unwrap();
        headers.insert(SIGNATURES[0].header, value.clone());
        assert!(
            matches!(
                check(&headers, CREATED),
                Err(WebhookError::BadSignature { .. })
            ),
            "{value:?}"
        );
    }
}

#[test]
fn an_unknown_topic_is_kept_with_its_body() {
    let body = r#"{"topic":"thing-renamed","id":"t1","name":"new"}"#;
    let event = check(&signed(0, body), body).unwrap();
    assert_eq!(event.topic(), "thing-renamed");
    let WebhookEvent::Unknown(unknown) = event else {
        panic!("not kept as unknown: {event:?}");
    };
    assert_eq!(unknown.body["name"], "new");
}

#[test]
fn a_body_without_its_topic_or_of_the_wrong_shape_is_a_decode_error() {
    for body in [
        r#"{"id":"t1"}"#,
        r#"{"topic":"thing-created","name":5}"#,
        "[]",
    ] {
        let error = check(&signed(0, body), body).unwrap_err();
        assert!(
            matches!(error, WebhookError::Decode { .. }),
            "{body}: {error:?}"
        );
    }
}

#[test]
fn the_secret_is_not_shown() {
    let secret = Secret::new(SECRET);
    assert!(!format!("{secret:?}").contains(SECRET));
}
