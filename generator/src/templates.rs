//! Which template renders which output file, and which runtime file is copied where.

use crate::ir::CrateIr;
use crate::render::{
    context, copy_verbatim, render_into, render_parallel, render_value, Batch, Lookup, RenderError,
    Templates,
};
use crate::spec::Spec;

/// The API-independent runtime: Rust files under `templates/` that every crate gets unchanged.
/// What they need of one API comes from `src/api.rs` (`rust/api.rs.tera`).
const RUNTIME: [(&str, &str); 5] = [
    ("rust/runtime/client.rs", "src/client.rs"),
    ("rust/runtime/error.rs", "src/error.rs"),
    ("rust/runtime/request.rs", "src/request.rs"),
    ("rust/runtime/support.rs", "src/support.rs"),
    ("rust/runtime/test_server.rs", "src/test_server.rs"),
];

/// The optional parts of the runtime: each is copied where the crate's actions need it
/// (`ir::RuntimeIr`), with the dependencies `Cargo.toml.tera` adds for it.
fn optional_runtime(ir: &CrateIr) -> Vec<(&'static str, &'static str)> {
    let needs = &ir.client.runtime;
    let mut files = Vec::new();
    if needs.outcomes {
        files.push(("rust/runtime/outcome.rs", "src/outcome.rs"));
    }
    if needs.downloads {
        files.push(("rust/runtime/download.rs", "src/download.rs"));
    }
    if needs.uploads {
        files.push(("rust/runtime/upload.rs", "src/upload.rs"));
    }
    if needs.events {
        files.push(("rust/runtime/events.rs", "src/events.rs"));
    }
    if ir.webhooks.is_some() {
        files.push(WEBHOOK_RUNTIME);
    }
    files
}

/// The runtime of webhook deliveries, copied only into a crate whose spec declares webhooks.
const WEBHOOK_RUNTIME: (&str, &str) = ("rust/runtime/webhook.rs", "src/webhook.rs");

/// The files of the `webhooks` module and its tests, rendered only for a crate whose spec
/// declares webhooks.
const WEBHOOK_FILES: [(&str, &str); 2] = [
    ("rust/webhooks.rs.tera", "src/webhooks.rs"),
    ("rust/tests/webhooks.rs.tera", "tests/webhooks.rs"),
];

#[derive(serde::Serialize)]
struct ResourceContext<'a> {
    lib: &'a str,
    resource: &'a crate::ir::ResourceIr,
    /// The parameters every action accepts, whose setters each request has.
    globals: &'a [crate::ir::ParamIr],
}

/// What a file of `src/models/` reads: its models, what it holds, whether it imports the
/// other models, and which models a parameter carries. Kept apart from the crate-wide context,
/// so that each file is built and rendered on a core of its own.
#[derive(serde::Serialize)]
struct ModelsContext<'a> {
    models: Vec<&'a crate::ir::Model>,
    about: &'a str,
    uses_others: bool,
    param_types: &'a [String],
}

/// What `src/models/mod.rs` reads: the files it declares.
#[derive(serde::Serialize)]
struct ModelsIndex<'a> {
    modules: &'a [crate::ir::ModelModule],
}

/// Renders every file of one API's crate.
pub fn render_crate(
    templates: &Templates,
    spec: &Spec,
    ir: &CrateIr,
    batch: &mut Batch,
) -> Result<(), RenderError> {
    let root = format!("generated/{}", spec.api.name);
    let src = &spec.source;
    let mut crate_files = vec![
        ("rust/Cargo.toml.tera", "Cargo.toml"),
        ("rust/README.md.tera", "README.md"),
        ("rust/lib.rs.tera", "src/lib.rs"),
        ("rust/api.rs.tera", "src/api.rs"),
        ("rust/routes.json.tera", "src/routes.json"),
        ("rust/resources/mod.rs.tera", "src/resources/mod.rs"),
        ("rust/tests/examples.rs.tera", "tests/examples.rs"),
        ("rust/tests/client.rs.tera", "tests/client.rs"),
        ("rust/tests/runtime.rs.tera", "tests/runtime.rs"),
        ("rust/tests/test_server.rs.tera", "tests/test_server.rs"),
    ];
    if ir.webhooks.is_some() {
        crate_files.extend(WEBHOOK_FILES);
    }
    let tera = &templates.tera;
    let resources = &ir.resources;
    let pages = crate::pages::Pages::new(tera, spec, ir, &root);
    // One pool for every file. The first job turns the crate IR (but its models) into one tera
    // context, shared by the crate-wide templates, and renders those; the second declares the
    // model files; the other cores meanwhile render the model files, the resource files and the
    // pages, which need only their own part of the IR (or none).
    let modules = &ir.features.modules;
    render_parallel(
        2 + modules.len() + resources.len() + pages.len(),
        batch,
        |i, batch| {
            if i == 1 {
                let index = ModelsIndex { modules };
                let out = format!("{root}/src/models/mod.rs");
                return render_value(tera, "rust/models/mod.rs.tera", &index, &out, src, batch);
            }
            if let Some(module) = i.checked_sub(2).and_then(|m| modules.get(m)) {
                let context = ModelsContext {
                    models: module.models.iter().map(|&m| &ir.models[m]).collect(),
                    about: &module.about,
                    uses_others: module.uses_others,
                    param_types: &ir.param_types,
                };
                // A raw identifier's file is its plain name (`r#type` in `type.rs`).
                let file = module.name.trim_start_matches("r#");
                let out = format!("{root}/src/models/{file}.rs");
                let template = "rust/models/module.rs.tera";
                return render_value(tera, template, &context, &out, src, batch);
            }
            let i = if i == 0 { 0 } else { i - modules.len() };
            if i == 0 {
                // The README's example of building a body: code, like the pages' examples.
                let body_example = crate::pages::body_example(ir);
                let files: Vec<(&str, String)> = crate_files
                    .iter()
                    .map(|(template, out)| (*template, format!("{root}/{out}")))
                    .collect();
                let found = batch.lookup_shared(&files, &(ir, &body_example), src);
                if found.iter().any(|f| *f != Lookup::Hit) {
                    let mut ctx = context("rust/lib.rs.tera", ir)?;
                    ctx.insert("body_example", &body_example);
                    // JSON has no comments: `routes.json` holds the notice as a member.
                    ctx.insert("generated", &crate::render::notice(src));
                    for ((template, out), f) in files.iter().zip(found) {
                        if f != Lookup::Hit {
                            render_into(tera, template, &ctx, out, src, batch)?;
                        }
                    }
                }
                for (file, out) in RUNTIME.into_iter().chain(optional_runtime(ir)) {
                    copy_verbatim(templates, file, &format!("{root}/{out}"), src, batch)?;
                }
                if let Some(text) = &spec.changelog {
                    crate::render::insert_text(&format!("{root}/CHANGELOG.md"), src, text, batch);
                }
                return Ok(());
            }
            let Some(resource) = resources.get(i - 2) else {
                return pages.render(i - 2 - resources.len(), batch);
            };
            let context = ResourceContext {
                lib: &ir.lib,
                resource,
                globals: &ir.client.globals,
            };
            // The same file name the validator checks for collisions (`names::field_base`).
            let out = format!(
                "{root}/src/resources/{}.rs",
                crate::names::field_base(&resource.name)
            );
            render_value(
                tera,
                "rust/resources/resource.rs.tera",
                &context,
                &out,
                src,
                batch,
            )
        },
    )
}
