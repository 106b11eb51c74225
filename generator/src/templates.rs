//! Which template renders which output file.

use crate::lower::CrateIr;
use crate::render::{context, render_into, render_parallel, render_value, Batch, RenderError};
use crate::spec::Spec;

#[derive(serde::Serialize)]
struct ResourceContext<'a> {
    lib: &'a str,
    resource: &'a crate::client_ir::ResourceIr,
}

/// Renders every file of one API's crate.
pub fn render_crate(
    tera: &tera::Tera,
    spec: &Spec,
    ir: &CrateIr,
    batch: &mut Batch,
) -> Result<(), RenderError> {
    let root = format!("generated/{}", spec.api.name);
    let src = &spec.source;
    // The crate IR becomes a tera context once, shared by every crate-wide template.
    let ctx = context("rust/lib.rs.tera", ir)?;
    let crate_files = [
        ("rust/Cargo.toml.tera", "Cargo.toml"),
        ("rust/README.md.tera", "README.md"),
        ("rust/lib.rs.tera", "src/lib.rs"),
        ("rust/models.rs.tera", "src/models.rs"),
        ("rust/support.rs.tera", "src/support.rs"),
        ("rust/client.rs.tera", "src/client.rs"),
        ("rust/error.rs.tera", "src/error.rs"),
        ("rust/resources/mod.rs.tera", "src/resources/mod.rs"),
        ("rust/tests/examples.rs.tera", "tests/examples.rs"),
        ("rust/tests/client.rs.tera", "tests/client.rs"),
        ("rust/tests/runtime.rs.tera", "tests/runtime.rs"),
    ];
    let resources = &ir.resources;
    render_parallel(crate_files.len() + resources.len(), batch, |i, batch| {
        if let Some((template, out)) = crate_files.get(i) {
            return render_into(tera, template, &ctx, &format!("{root}/{out}"), src, batch);
        }
        let resource = &resources[i - crate_files.len()];
        let context = ResourceContext {
            lib: &ir.lib,
            resource,
        };
        let out = format!(
            "{root}/src/resources/{}.rs",
            resource.module.trim_start_matches("r#")
        );
        render_value(
            tera,
            "rust/resources/resource.rs.tera",
            &context,
            &out,
            src,
            batch,
        )
    })?;
    crate::pages::render_pages(tera, spec, ir, &root, batch)?;
    Ok(())
}
