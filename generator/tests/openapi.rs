//! The OpenAPI front-end on small documents of our own, one construct each (3.0 and 3.1 where
//! they differ): the spec it gives, and the located diagnostics of broken documents.

use serde_json::{json, Value};

use sdkgen::frontend::load_memory;
use sdkgen::load::MemoryFiles;

/// Loads `spec/t/` from the given files (`openapi.yaml`, `overlay.yaml`, siblings).
fn load(files: &[(&str, &str)]) -> (Option<sdkgen::spec::Spec>, Vec<String>) {
    let memory: MemoryFiles = files
        .iter()
        .map(|(name, text)| (format!("spec/t/{name}"), text.as_bytes().to_vec()))
        .collect();
    let (loaded, diags) = load_memory(&memory, "spec/t");
    let mut diags: Vec<String> = diags.iter().map(ToString::to_string).collect();
    let spec = loaded.map(|l| {
        diags.extend(
            sdkgen::validate::validate(&l.spec, &l.sources)
                .iter()
                .map(ToString::to_string),
        );
        l.spec
    });
    (spec, diags)
}

fn clean(files: &[(&str, &str)]) -> sdkgen::spec::Spec {
    let (spec, diags) = load(files);
    assert!(diags.is_empty(), "{}", diags.join("\n"));
    spec.expect("a spec")
}

/// A document with the given version, components and paths (YAML, indented as top-level keys).
fn doc(version: &str, rest: &str) -> String {
    format!(
        "openapi: {version}\ninfo: {{title: T, version: '1'}}\nservers:\n  - {{url: 'https://api.example.com/v1', description: Main}}\ncomponents:\n  securitySchemes:\n    bearer: {{type: http, scheme: bearer}}\n{rest}"
    )
}

fn schema(spec: &sdkgen::spec::Spec, name: &str) -> Value {
    spec.schemas.get(name).cloned().unwrap_or(Value::Null)
}

const GET_THING: &str = "paths:\n  /things/{id}:\n    get:\n      operationId: getThing\n      tags: [Things]\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/thing'}\n";

#[test]
fn nullable_30_and_type_lists_31_give_the_same_schema() {
    let v30 = clean(&[(
        "openapi.yaml",
        &doc("3.0.3", &format!("  schemas:\n    thing:\n      type: object\n      properties:\n        a: {{type: string, nullable: true}}\n        b: {{type: integer, nullable: true, enum: [1, 2]}}\n{GET_THING}")),
    )]);
    let v31 = clean(&[(
        "openapi.yaml",
        &doc("3.1.0", &format!("  schemas:\n    thing:\n      type: object\n      properties:\n        a: {{type: [string, 'null']}}\n        b: {{type: [integer, 'null'], enum: [1, 2, null]}}\n{GET_THING}")),
    )]);
    assert_eq!(schema(&v30, "thing"), schema(&v31, "thing"));
    assert_eq!(
        schema(&v30, "thing")["properties"]["a"],
        json!({"type": ["string", "null"]})
    );
}

#[test]
fn a_nullable_reference_becomes_a_union_with_null() {
    let spec = clean(&[(
        "openapi.yaml",
        &doc("3.0.3", &format!("  schemas:\n    other: {{type: object, properties: {{x: {{type: string}}}}}}\n    thing:\n      type: object\n      properties:\n        o:\n          allOf: [{{$ref: '#/components/schemas/other'}}]\n          nullable: true\n{GET_THING}")),
    )]);
    let o = &schema(&spec, "thing")["properties"]["o"];
    assert_eq!(o["anyOf"][1], json!({"type": "null"}), "{o}");
}

#[test]
fn all_of_objects_are_merged() {
    let spec = clean(&[(
        "openapi.yaml",
        &doc("3.1.0", &format!("  schemas:\n    base: {{type: object, required: [id], properties: {{id: {{type: string}}}}}}\n    thing:\n      description: A thing.\n      allOf:\n        - $ref: '#/components/schemas/base'\n        - type: object\n          required: [name]\n          properties: {{name: {{type: string}}}}\n{GET_THING}")),
    )]);
    assert_eq!(
        schema(&spec, "thing"),
        json!({"type": "object", "description": "A thing.", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}, "required": ["id", "name"]})
    );
}

#[test]
fn a_discriminator_tags_each_mapped_component() {
    let spec = clean(&[(
        "openapi.yaml",
        &doc("3.1.0", &format!("  schemas:\n    cat: {{type: object, required: [kind], properties: {{kind: {{type: string}}, purrs: {{type: boolean}}}}}}\n    dog: {{type: object, required: [kind], properties: {{kind: {{type: string}}, barks: {{type: boolean}}}}}}\n    thing:\n      oneOf: [{{$ref: '#/components/schemas/cat'}}, {{$ref: '#/components/schemas/dog'}}]\n      discriminator:\n        propertyName: kind\n        mapping: {{CAT: '#/components/schemas/cat'}}\n{GET_THING}")),
    )]);
    assert_eq!(
        schema(&spec, "cat")["properties"]["kind"],
        json!({"type": "string", "const": "CAT"})
    );
    // Without a mapping entry, the value is the component's name.
    assert_eq!(
        schema(&spec, "dog")["properties"]["kind"],
        json!({"type": "string", "const": "dog"})
    );
    assert!(schema(&spec, "thing").get("discriminator").is_none());
}

#[test]
fn unions_without_discriminator_const_and_odd_enum_values_pass_through() {
    let spec = clean(&[(
        "openapi.yaml",
        &doc("3.1.0", &format!("  schemas:\n    thing:\n      type: object\n      properties:\n        v: {{oneOf: [{{type: string}}, {{type: integer}}]}}\n        c: {{const: fixed}}\n        e: {{type: string, enum: ['', 'WPA2-PSK/CCMP', '24,5,6']}}\n{GET_THING}")),
    )]);
    let p = &schema(&spec, "thing")["properties"];
    assert_eq!(
        p["v"],
        json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})
    );
    assert_eq!(p["c"], json!({"const": "fixed"}));
    assert_eq!(p["e"]["enum"], json!(["", "WPA2-PSK/CCMP", "24,5,6"]));
}

#[test]
fn openapi_only_keywords_are_normalized() {
    let spec = clean(&[(
        "openapi.yaml",
        &doc("3.0.3", &format!("  schemas:\n    thing:\n      type: object\n      xml: {{name: Thing}}\n      externalDocs: {{url: 'https://example.com'}}\n      x-vendor: 1\n      properties:\n        n: {{type: integer, minimum: 0, exclusiveMinimum: true, example: 3}}\n{GET_THING}")),
    )]);
    assert_eq!(
        schema(&spec, "thing"),
        json!({"type": "object", "properties": {"n": {"type": "integer", "exclusiveMinimum": 0, "examples": [3]}}})
    );
}

#[test]
fn tags_are_resources_and_operation_ids_lose_the_tag_words() {
    let spec = clean(&[(
        "openapi.yaml",
        &doc("3.1.0", "paths:\n  /orgs/{org_id}/devices/events/count:\n    get:\n      operationId: countOrgDeviceEvents\n      tags: [Orgs Devices]\n      description: \"Count Org Device Events\\nCounts them.\"\n      summary: countOrgDeviceEvents\n      parameters:\n        - {name: org_id, in: path, required: true, schema: {type: string}}\n      responses:\n        '200': {description: OK}\n  /orgs/{org_id}/devices:\n    get:\n      operationId: listOrgDevices\n      tags: [Orgs Devices]\n      parameters:\n        - {name: org_id, in: path, required: true, schema: {type: string}}\n      responses:\n        '200': {description: OK}\n"),
    )]);
    let r = &spec.resources[0];
    assert_eq!(r.name, "orgsDevices");
    assert_eq!(r.title, "Orgs Devices");
    assert_eq!(r.path, "/orgs/{org_id}/devices");
    let names: Vec<&str> = r.actions.keys().map(String::as_str).collect();
    assert_eq!(names, ["countEvents", "list"]);
    let count = &r.actions["countEvents"];
    // The summary only repeats the operationId: the title is the description's first line.
    assert_eq!(count.summary, "Count Org Device Events");
    assert_eq!(count.description.as_deref(), Some("Counts them."));
    assert_eq!(count.path, "/events/count");
    // The servers' shared path is the base path.
    assert_eq!(spec.api.base_path, "/v1");
    assert_eq!(spec.api.servers[0].url, "https://api.example.com");
    assert_eq!(spec.api.servers[0].name, "Main");
}

#[test]
fn untagged_operations_are_grouped_by_path_and_named_from_it() {
    let spec = clean(&[(
        "openapi.yaml",
        &doc("3.0.3", "paths:\n  /pets:\n    get:\n      responses:\n        '200': {description: OK}\n  /pets/{petId}:\n    get:\n      parameters:\n        - {name: petId, in: path, required: true, schema: {type: integer}}\n      responses:\n        '200': {description: OK}\n"),
    )]);
    let r = &spec.resources[0];
    assert_eq!(r.name, "pets");
    let names: Vec<&str> = r.actions.keys().map(String::as_str).collect();
    // `Pet` is a word of the group `pets`.
    assert_eq!(names, ["get", "getById"]);
}

#[test]
fn servers_with_variables_expand_their_enumerations() {
    let spec = clean(&[(
        "openapi.yaml",
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers:\n  - url: 'https://{region}.example.com'\n    variables:\n      region: {default: eu, enum: [eu, us]}\ncomponents:\n  securitySchemes:\n    b: {type: http, scheme: basic}\npaths:\n  /a:\n    get:\n      responses:\n        '204': {description: Done}\n",
    )]);
    let urls: Vec<(&str, &str, bool)> = spec
        .api
        .servers
        .iter()
        .map(|s| (s.name.as_str(), s.url.as_str(), s.default))
        .collect();
    assert_eq!(
        urls,
        [
            ("eu.example.com", "https://eu.example.com", true),
            (
                "eu.example.com (region = us)",
                "https://us.example.com",
                false
            )
        ]
    );
    // HTTP basic: the token is the base64 of user:password.
    assert!(spec.api.auth.is_basic());
}

#[test]
fn security_schemes_choose_the_auth_header() {
    let with = |scheme: &str| {
        let text = format!("openapi: 3.1.0\ninfo: {{title: T, version: '1'}}\nservers: [{{url: 'https://e.com'}}]\nsecurity: [{{k: []}}]\ncomponents:\n  securitySchemes:\n    k: {scheme}\npaths:\n  /a:\n    get:\n      responses:\n        '204': {{description: Done}}\n");
        let (spec, diags) = load(&[("openapi.yaml", &text)]);
        (spec.map(|s| s.api.auth.shown()), diags)
    };
    let shown = |scheme: &str| with(scheme).0.unwrap();
    assert_eq!(
        shown("{type: http, scheme: bearer}"),
        "Authorization: Bearer <token>"
    );
    assert_eq!(
        shown("{type: oauth2, flows: {}}"),
        "Authorization: Bearer <token>"
    );
    assert_eq!(
        shown("{type: http, scheme: basic}"),
        "Authorization: Basic <token>"
    );
    assert_eq!(
        shown("{type: apiKey, in: header, name: Authorization, x-auth-prefix: Token}"),
        "Authorization: Token <token>"
    );
    // An API key in a header goes alone; in the query, as a parameter of every request.
    assert_eq!(
        shown("{type: apiKey, in: header, name: X-Api-Key}"),
        "X-Api-Key: <token>"
    );
    assert_eq!(
        shown("{type: apiKey, in: query, name: key}"),
        "?key=<token>"
    );
    // A cookie cannot be sent: a located diagnostic with a hint.
    let (spec, diags) = with("{type: apiKey, in: cookie, name: session}");
    assert!(spec.is_none());
    assert!(
        diags[0].contains("no security scheme the spec format can send"),
        "{diags:?}"
    );
    assert!(diags[0].contains("hint: add `info.x-auth"), "{diags:?}");
}

/// A document without security schemes documents no authentication: it still generates, and
/// the crate sends a token only if one is set.
#[test]
fn a_document_without_security_schemes_needs_no_token() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://e.com'}]\npaths:\n  /a:\n    get:\n      responses:\n        '204': {description: Done}\n";
    let (spec, diags) = load(&[("openapi.yaml", text)]);
    let spec = spec.unwrap_or_else(|| panic!("{diags:?}"));
    assert!(spec
        .api
        .auth
        .description
        .contains("documents no authentication"));
}

#[test]
fn operations_the_runtime_cannot_express_are_listed_with_their_reason() {
    let spec = clean(&[(
        "openapi.yaml",
        &doc("3.1.0", "paths:\n  /files:\n    post:\n      operationId: uploadFile\n      tags: [Files]\n      requestBody:\n        content:\n          multipart/form-data: {schema: {type: object}}\n      responses:\n        '200': {description: OK}\n    get:\n      operationId: listFiles\n      tags: [Files]\n      responses:\n        '200': {description: OK, content: {application/json: {schema: {type: array, items: {type: string}}}}}\n  /files/{id}:\n    get:\n      operationId: downloadFile\n      tags: [Files]\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses:\n        '200': {description: OK, content: {application/octet-stream: {schema: {type: string, format: binary}}}}\n        '202': {description: Queued, content: {application/json: {schema: {type: integer}}}}\n    put:\n      operationId: putFile\n      tags: [Files]\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      requestBody:\n        content:\n          application/x-www-form-urlencoded: {schema: {type: object}}\n      responses:\n        '204': {description: Done}\n"),
    )]);
    assert_eq!(
        spec.excluded,
        [
            "- `POST /files` (`uploadFile`, tag Files): request body is a form whose schema lists no properties (parts)",
            "- `GET /files/{id}` (`downloadFile`, tag Files): answers a file or an event stream beside other success statuses, which the runtime cannot return yet",
            "- `PUT /files/{id}` (`putFile`, tag Files): request body is application/x-www-form-urlencoded, which the runtime cannot send yet",
        ]
    );
    let page = sdkgen::openapi::excluded_page(&spec).unwrap_or_default();
    assert!(page.contains("`uploadFile`"));
    assert_eq!(
        spec.resources[0].actions.keys().collect::<Vec<_>>(),
        ["list"]
    );
}

#[test]
fn uploads_downloads_event_streams_and_several_outcomes_are_read() {
    let spec = clean(&[(
        "openapi.yaml",
        &doc("3.1.0", "  schemas:\n    Upload:\n      type: object\n      required: [file]\n      properties:\n        file: {type: string, format: binary, description: The image}\n        name: {type: string}\n        meta: {type: object, properties: {rows: {type: integer}}}\n        photo: {type: string, contentMediaType: image/png}\npaths:\n  /files:\n    post:\n      operationId: uploadFile\n      tags: [Files]\n      requestBody:\n        content:\n          application/json: {schema: {type: object, properties: {url: {type: string}}}}\n          multipart/form-data: {schema: {$ref: '#/components/schemas/Upload'}}\n      responses:\n        '200': {description: OK}\n  /files/{id}:\n    get:\n      operationId: downloadFile\n      tags: [Files]\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses:\n        '200': {description: OK, content: {image/png: {schema: {type: string, format: binary}}}}\n    put:\n      operationId: putFile\n      tags: [Files]\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses:\n        '200': {description: OK, content: {application/json: {schema: {type: string}}}}\n        '202': {description: Queued, content: {application/json: {schema: {type: integer}}}}\n  /files/{id}/events:\n    get:\n      operationId: watchFile\n      tags: [Files]\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses:\n        '200': {description: OK, content: {text/event-stream: {schema: {type: object, properties: {done: {type: integer}}}}}}\n  /files/search:\n    get:\n      operationId: searchFiles\n      tags: [Files]\n      x-linked: {items: results, next: next}\n      responses:\n        '200': {description: OK, content: {application/json: {schema: {type: object, properties: {results: {type: array, items: {type: string}}, next: {type: string}}}}}}\n"),
    )]);
    assert!(spec.excluded.is_empty(), "{:?}", spec.excluded);
    let action = |method: &str, path: &str| {
        spec.resources[0]
            .actions
            .values()
            .find(|a| a.method.as_str() == method && a.path.ends_with(path))
            .unwrap()
    };
    // A form with a file is sent as a form even where JSON is offered: one part per property.
    let upload = action("POST", "");
    assert!(upload.body.is_none());
    let parts: Vec<(&str, bool, &str)> = upload
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.required, p.location.as_str()))
        .collect();
    assert_eq!(
        parts,
        [
            ("file", true, "part"),
            ("name", false, "part"),
            ("meta", false, "part"),
            ("photo", false, "part")
        ]
    );
    // 3.1's `contentMediaType` is a file too.
    assert_eq!(upload.params[3].schema["format"], "binary");
    assert_eq!(upload.params[0].description, "The image");
    assert_eq!(upload.params[0].schema["format"], "binary");
    // A file answer: its media type.
    let download = action("GET", "}");
    assert_eq!(download.responses[0].media.as_deref(), Some("image/png"));
    assert!(download.responses[0].is_file());
    // An event stream: its media type, and each event's data schema.
    let watch = action("GET", "/events");
    assert!(watch.responses[0].is_event_stream());
    assert_eq!(
        watch.responses[0].schema.as_ref().unwrap()["type"],
        "object"
    );
    // A list whose pages link the next, as the overlay says (`x-linked`).
    let search = action("GET", "/search");
    let linked = search.linked.as_ref().unwrap();
    assert_eq!(
        (linked.items.as_str(), linked.next.as_str()),
        ("results", "next")
    );
    // Several success statuses with different bodies: the outcomes of one action.
    let codes: Vec<u16> = action("PUT", "}")
        .responses
        .iter()
        .map(|r| r.code)
        .collect();
    assert_eq!(codes, [200, 202]);
}

#[test]
fn refs_to_sibling_files_and_shared_components_resolve() {
    let spec = clean(&[
        (
            "openapi.yaml",
            &doc("3.1.0", "  parameters:\n    id: {name: id, in: path, required: true, schema: {type: string}}\n  responses:\n    Thing:\n      description: A thing\n      content:\n        application/json:\n          schema: {$ref: 'thing.yaml'}\n          examples:\n            one: {$ref: '#/components/examples/one'}\n  examples:\n    one: {value: {name: x}}\npaths:\n  /things/{id}:\n    parameters: [{$ref: '#/components/parameters/id'}]\n    get:\n      operationId: getThing\n      responses:\n        '200': {$ref: '#/components/responses/Thing'}\n"),
        ),
        ("thing.yaml", "type: object\nproperties:\n  name: {type: string}\n"),
    ]);
    assert_eq!(
        schema(&spec, "thing"),
        json!({"type": "object", "properties": {"name": {"type": "string"}}})
    );
    let get = &spec.resources[0].actions["get"];
    assert_eq!(get.params[0].name, "id");
    assert_eq!(get.responses[0].example, Some(json!({"name": "x"})));
}

#[test]
fn the_overlay_applies_before_reading_and_include_tags_stage_the_spec() {
    let document = doc("3.1.0", "paths:\n  /a:\n    get:\n      operationId: listA\n      tags: [A]\n      responses:\n        '204': {description: Done}\n  /b:\n    get:\n      operationId: listB\n      tags: [B]\n      responses:\n        '204': {description: Done}\n");
    let overlay = "overlay: 1.0.0\ninfo: {title: ours, version: '1'}\nextends: openapi.yaml\nactions:\n  - target: $.info\n    update:\n      x-crate: {name: t-rs, version: 2.0.0}\n      x-include-tags: [A]\n  - target: $.paths['/a'].get\n    description: a clearer name\n    update: {x-name: all, x-title: All of A}\n";
    let spec = clean(&[("openapi.yaml", &document), ("overlay.yaml", overlay)]);
    assert_eq!(spec.api.krate.name, "t-rs");
    assert_eq!(spec.resources.len(), 1);
    assert_eq!(spec.resources[0].actions["all"].summary, "All of A");
    assert_eq!(
        spec.excluded,
        ["- tag B: 1 operation not yet included (`x-include-tags`)"]
    );
}

#[test]
fn bad_documents_give_every_problem_located() {
    let (_, diags) = load(&[(
        "openapi.yaml",
        &doc("3.1.0", "paths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - $ref: '#/components/parameters/missing'\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema: {$ref: 'other.yaml#/x'}\n"),
    )]);
    let text = diags.join("\n");
    assert!(
        text.contains("spec/t/openapi.yaml:13:17: `$ref` `#/components/parameters/missing` names nothing\n    at #/paths/~1a/get/parameters/0/$ref"),
        "{text}"
    );
    assert!(
        text.contains("`$ref` names the file `spec/t/other.yaml`, which cannot be read"),
        "{text}"
    );
}

#[test]
fn an_overlay_target_that_matches_nothing_is_an_error_naming_it() {
    let (spec, diags) = load(&[
        ("openapi.yaml", &doc("3.1.0", "paths: {}\n")),
        ("overlay.yaml", "overlay: 1.0.0\ninfo: {title: ours, version: '1'}\nextends: openapi.yaml\nactions:\n  - target: $.paths['/gone'].get\n    description: the vendor renamed it\n    update: {x-name: x}\n"),
    ]);
    assert!(spec.is_some());
    assert!(
        diags.iter().any(|d| d.starts_with(
            "spec/t/overlay.yaml:5:13: target `$.paths['/gone'].get` matches nothing"
        )),
        "{diags:?}"
    );
}

#[test]
fn not_openapi_or_a_wrong_version_is_refused_at_its_place() {
    let (spec, diags) = load(&[(
        "openapi.yaml",
        "swagger: '2.0'\ninfo: {title: T, version: '1'}\n",
    )]);
    assert!(spec.is_none());
    assert_eq!(diags, ["spec/t/openapi.yaml:1:1: not an OpenAPI document: `openapi: 3.x.y` is missing\n    at #"]);
    let (_, diags) = load(&[(
        "openapi.yaml",
        "openapi: 2.0.0\ninfo: {title: T, version: '1'}\n",
    )]);
    assert!(
        diags[0].contains("OpenAPI version `2.0.0` is not 3.0 or 3.1"),
        "{diags:?}"
    );
}

#[test]
fn x_base_path_moves_a_shared_prefix_into_the_base_path() {
    let document = "openapi: 3.1.0\ninfo: {title: T, version: '1', x-base-path: /api/v1}\nservers: [{url: 'https://e.com'}]\ncomponents:\n  securitySchemes:\n    b: {type: http, scheme: bearer}\npaths:\n  /api/v1/orgs/{id}:\n    get:\n      operationId: getOrg\n      tags: [Orgs]\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses:\n        '204': {description: Done}\n";
    let spec = clean(&[("openapi.yaml", document)]);
    assert_eq!(spec.api.base_path, "/api/v1");
    assert_eq!(spec.resources[0].path, "/orgs/{id}");
    let broken = document.replace("  /api/v1/orgs/{id}:", "  /api/v2/orgs/{id}:");
    let (_, diags) = load(&[("openapi.yaml", &broken)]);
    assert!(
        diags.iter().any(|d| d.starts_with("spec/t/openapi.yaml:8:3: path `/api/v2/orgs/{id}` does not start with `x-base-path` `/api/v1`")),
        "{diags:?}"
    );
}

/// A 3.1 document's `webhooks`, as the museum example writes them: read once the overlay says
/// where a delivery names its topic (`info.x-webhooks`), each topic's payload the JSON schema
/// of its request body; left out, and listed, without it.
#[test]
fn webhooks_of_31_are_topics_once_the_overlay_places_the_topic() {
    let webhooks = "webhooks:\n  publishNewEvent:\n    post:\n      summary: New special event added\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/event'}\n      responses:\n        '202': {description: Data accepted.}\n  cancelled:\n    post:\n      description: An event was cancelled.\n      x-topic: event.cancelled\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object, properties: {id: {type: string}}}\n      responses:\n        '202': {description: Data accepted.}\n";
    let components = "  schemas:\n    event: {type: object, properties: {name: {type: string}}, required: [name]}\n";
    let document = doc("3.1.0", &format!("{components}{GET_THING}{webhooks}")).replace(
        "  schemas:\n    event",
        "  schemas:\n    thing: {type: object}\n    event",
    );
    let spec = clean(&[("openapi.yaml", &document)]);
    assert!(spec.api.webhooks.is_none());
    assert_eq!(
        spec.excluded,
        ["- webhooks: 2 not read, as the document does not say where a delivery names its topic (`info.x-webhooks`)"]
    );
    let overlay = "overlay: 1.0.0\ninfo: {title: ours, version: '1'}\nextends: openapi.yaml\nactions:\n  - target: $.info\n    update:\n      x-webhooks:\n        topic: {in: body, name: topic}\n        signatures:\n          - {header: X-Signature-v2, algorithm: hmac-sha256}\n";
    let spec = clean(&[("openapi.yaml", &document), ("overlay.yaml", overlay)]);
    assert!(spec.excluded.is_empty(), "{:?}", spec.excluded);
    let webhooks = spec.api.webhooks.expect("webhooks");
    assert_eq!(webhooks.topic.name, "topic");
    assert_eq!(webhooks.signatures[0].header, "X-Signature-v2");
    let topics: Vec<_> = webhooks
        .topics
        .iter()
        .map(|t| (t.name.as_str(), t.description.as_str(), t.schema.clone()))
        .collect();
    assert_eq!(
        topics,
        [
            (
                "publishNewEvent",
                "New special event added",
                json!({"$ref": "event"})
            ),
            (
                "event.cancelled",
                "An event was cancelled.",
                json!({"type": "object", "properties": {"id": {"type": "string"}}})
            ),
        ]
    );
    let broken = overlay.replace("hmac-sha256", "hmac-md5");
    let (_, diags) = load(&[("openapi.yaml", &document), ("overlay.yaml", &broken)]);
    assert!(
        diags
            .iter()
            .any(|d| d.contains("`hmac-md5` is not one of `hmac-sha256`, `hmac-sha1`")),
        "{diags:?}"
    );
}

#[test]
fn a_linked_list_whose_items_are_a_named_array_schema_gets_its_stream() {
    // The page's items property is a `$ref` to a component that is the array.
    let spec = clean(&[(
        "openapi.yaml",
        &doc("3.1.0", "  schemas:\n    things:\n      type: array\n      items: {type: object, properties: {id: {type: string}}}\n    page:\n      type: object\n      required: [results]\n      properties:\n        results: {$ref: '#/components/schemas/things'}\n        next: {type: string}\npaths:\n  /things/search:\n    get:\n      operationId: searchThings\n      tags: [Things]\n      x-linked: {items: results, next: next}\n      responses:\n        '200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/page'}}}}\n"),
    )]);
    let ir = sdkgen::lower::lower(&spec);
    let action = &ir.resources[0].actions[0];
    let links = action.links.as_ref().expect("a stream");
    assert_eq!(
        (links.items.as_str(), links.next.as_str()),
        ("results", "next")
    );
    assert!(!links.items_optional);
    // The generated paging test repeats the answer's first item: the answer has one.
    let answer: Value = serde_json::from_str(&action.test.response.as_ref().unwrap().0).unwrap();
    assert_eq!(
        answer["results"].as_array().map(Vec::len),
        Some(1),
        "{answer}"
    );
}
