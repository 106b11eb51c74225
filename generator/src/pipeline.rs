//! The pipeline as a whole: the APIs of a workspace, each loaded, checked and lowered
//! ([`check_and_lower`], which `cargo xtask diff` shares), then rendered and formatted into one
//! [`FileSet`]; and the drift check against `generated/`.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Loaded;
use crate::output::FileSet;
use crate::{files, format, ir, lower, openapi, output, par, render, spec, templates, validate};

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec has problems; all of them are listed.
    #[error("{0}")]
    Spec(Diagnostics),
    /// A template failed or produced invalid output.
    #[error(transparent)]
    Render(#[from] render::RenderError),
    /// The workspace could not be read.
    #[error("{0}")]
    Io(String),
}

/// Time spent per stage, summed over the APIs generated (which run in parallel, so the sum of
/// the stages can exceed the wall time).
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    /// Reading and parsing spec files.
    pub load: Duration,
    /// Whole-spec checks. The values are checked while the IR is built, so this overlaps
    /// `lower`.
    pub validate: Duration,
    /// Building the IR.
    pub lower: Duration,
    /// Templates.
    pub render: Duration,
    /// syn, prettyplease and rustfmt (or the format cache).
    pub format: Duration,
}

/// The output of a run: the files, the folders they own, and how long it took.
#[derive(Debug, Default)]
pub struct Generated {
    /// Every generated file.
    pub files: FileSet,
    /// The folders the generator owns (`generated/<api>`).
    pub owned: Vec<String>,
    /// Stage timings.
    pub timings: Timings,
    /// Wall time of the whole run.
    pub elapsed: Duration,
}

/// The APIs of a workspace: the folders of `spec/`, sorted. Other entries of `spec/` (such as
/// its README) are not APIs and are not opened; a symbolic link to a folder is refused, since
/// an API's spec would then be read from outside `spec/`.
pub fn list_apis(workspace: &Path) -> Result<Vec<String>, Error> {
    let dir = workspace.join("spec");
    let entries =
        std::fs::read_dir(&dir).map_err(|e| Error::Io(format!("cannot read spec/: {e}")))?;
    let mut apis = Vec::new();
    let mut problems = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type().map(|t| files::EntryKind::of(&t));
        match kind {
            Ok(files::EntryKind::Folder) => apis.push(name),
            // `metadata` follows the link to find what it names; nothing is opened.
            Ok(files::EntryKind::Symlink)
                if std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir()) =>
            {
                problems.push(Diagnostic::new(
                    &format!("spec/{name}"),
                    None,
                    "",
                    "is a symbolic link to a folder; an API's spec folder must be a real folder \
                     inside spec/ (links are not followed)",
                ));
            }
            _ => {}
        }
    }
    if !problems.is_empty() {
        problems.sort();
        return Err(Error::Spec(Diagnostics(problems)));
    }
    apis.sort();
    Ok(apis)
}

/// Loads and checks one spec folder (workspace-relative, e.g. `spec/losant`).
pub fn load_checked(workspace: &Path, spec_dir: &str) -> Result<spec::Spec, Diagnostics> {
    let (loaded, mut diags) = crate::frontend::load(workspace, spec_dir);
    let spec = match loaded {
        Some(l) => {
            diags.extend(validate::validate(&l.spec, &l.sources));
            l.spec
        }
        None => {
            diags.sort();
            return Err(Diagnostics(diags));
        }
    };
    if diags.is_empty() {
        Ok(spec)
    } else {
        diags.sort();
        diags.dedup();
        Err(Diagnostics(diags))
    }
}

/// Time spent checking and lowering one spec ([`check_and_lower`]).
#[derive(Debug, Default, Clone, Copy)]
pub struct CheckTimes {
    /// Whole-spec checks, the value checks included (they run beside lowering).
    pub validate: Duration,
    /// Building the IR.
    pub lower: Duration,
}

/// Checks a loaded spec and lowers it: what `generate` and `cargo xtask diff` both do with a
/// spec. `diags` are the load's own problems. A sound spec is lowered while its values
/// (defaults and examples against their schemas) are checked, on a core of their own, since
/// lowering does not read them as facts; `check_values: false` skips them (the old side of a
/// comparison, whose own `generate` ran them). Any problem, the load's included, gives every
/// problem, sorted, and no IR.
pub fn check_and_lower(
    loaded: &Loaded,
    mut diags: Vec<Diagnostic>,
    check_values: bool,
) -> (Result<ir::CrateIr, Vec<Diagnostic>>, CheckTimes) {
    let mut times = CheckTimes::default();
    let t = Instant::now();
    let (structure, values) = validate::check_structure(&loaded.spec, &loaded.sources);
    times.validate = t.elapsed();
    let sound = diags.is_empty() && structure.is_empty();
    diags.extend(structure);
    let (value_diags, ir) = std::thread::scope(|scope| {
        let checking = scope.spawn(|| {
            let t = Instant::now();
            let diags = if check_values {
                values.run()
            } else {
                Vec::new()
            };
            (diags, t.elapsed())
        });
        let t = Instant::now();
        let ir = sound.then(|| lower::lower(&loaded.spec));
        times.lower = t.elapsed();
        let (value_diags, value_time) = checking
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        times.validate += value_time;
        (value_diags, ir)
    });
    diags.extend(value_diags);
    match ir {
        Some(ir) if diags.is_empty() => (Ok(ir), times),
        _ => {
            diags.sort();
            diags.dedup();
            (Err(diags), times)
        }
    }
}

/// How a run formats its Rust files.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Where formatted files are cached between runs, and whole files by what rendered them
    /// (its `render/` folder, [`render::RenderCache`]); `None` renders and formats every file.
    pub format_cache: Option<format::FormatCache>,
}

impl Options {
    /// What `cargo xtask` and the `sdkgen` binary use: the workspace's format cache
    /// ([`format::FormatCache::for_workspace`]).
    pub fn cached(workspace: &Path) -> Self {
        Self {
            format_cache: Some(format::FormatCache::for_workspace(workspace)),
        }
    }
}

/// Generates the given APIs (all when `apis` is empty) entirely in memory, formatting every
/// file (no cache). Nothing is written; any problem in any API fails the whole run with every
/// spec problem listed.
pub fn generate(workspace: &Path, apis: &[String]) -> Result<Generated, Error> {
    generate_with(workspace, apis, &Options::default())
}

/// [`generate`] with options.
pub fn generate_with(
    workspace: &Path,
    apis: &[String],
    options: &Options,
) -> Result<Generated, Error> {
    generate_from(workspace, &workspace.join("templates"), apis, options)
}

/// [`generate_with`], with the templates read from `templates` instead of
/// `<workspace>/templates`: the generator's own fixtures are workspaces of their own (a
/// `spec/` each) rendered through the repository's templates.
pub fn generate_from(
    workspace: &Path,
    templates: &Path,
    apis: &[String],
    options: &Options,
) -> Result<Generated, Error> {
    let started = Instant::now();
    let all = list_apis(workspace)?;
    let selected: Vec<String> = if apis.is_empty() {
        all.clone()
    } else {
        apis.to_vec()
    };
    let mut problems = Vec::new();
    for api in &selected {
        if !all.contains(api) {
            problems.push(Diagnostic::new(
                &format!("spec/{api}"),
                None,
                "",
                format!("no such API; the spec folders are: {}", all.join(", ")),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Spec(Diagnostics(problems)));
    }
    // Each API is loaded and checked on a core of its own while the templates compile.
    let mut out = Generated::default();
    let (templates, loaded) = std::thread::scope(|scope| {
        let templates = scope.spawn(|| render::load_templates(templates));
        let loaded = par::parallel(selected.len(), |i| {
            let dir = format!("spec/{}", selected[i]);
            let t = Instant::now();
            let (loaded, mut diags) = crate::frontend::load(workspace, &dir);
            let mut times = Timings {
                load: t.elapsed(),
                ..Timings::default()
            };
            let lowered = loaded.map(|l| {
                let (ir, checking) = check_and_lower(&l, std::mem::take(&mut diags), true);
                times.validate = checking.validate;
                times.lower = checking.lower;
                let ir = ir.map_err(|problems| diags = problems).ok();
                (l.spec, ir)
            });
            (lowered, diags, times)
        });
        let templates = templates
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (templates, loaded)
    });
    let mut lowered = Vec::new();
    for (spec, diags, times) in loaded {
        out.timings.load += times.load;
        out.timings.validate += times.validate;
        out.timings.lower += times.lower;
        problems.extend(diags);
        lowered.extend(spec);
    }
    if !problems.is_empty() {
        problems.sort();
        problems.dedup();
        return Err(Error::Spec(Diagnostics(problems)));
    }
    // Without problems every spec was lowered.
    let specs: Vec<(spec::Spec, ir::CrateIr)> = lowered
        .into_iter()
        .filter_map(|(spec, ir)| Some((spec, ir?)))
        .collect();
    let templates = templates?;
    let render_cache = options
        .format_cache
        .as_ref()
        .map(|cache| render::RenderCache::beside(cache, &templates));
    let rendered = par::parallel(specs.len(), |i| {
        let (spec, ir) = &specs[i];
        let t = Instant::now();
        let mut batch = render::Batch::with_cache(render_cache.clone());
        let result = templates::render_crate(&templates, spec, ir, &mut batch);
        (result.map(|()| batch), t.elapsed())
    });
    let mut batch = render::Batch::with_cache(render_cache);
    for ((spec, _), (result, render_time)) in specs.iter().zip(rendered) {
        out.timings.render += render_time;
        batch.append(result?);
        out.owned.push(format!("generated/{}", spec.api.name));
    }
    let t = Instant::now();
    out.files = batch.finish(options.format_cache.as_ref())?;
    out.timings.format = t.elapsed();
    // What a vendor document has that the crate leaves out, listed beside the crate.
    for (spec, _) in &specs {
        if let Some(page) = openapi::excluded_page(spec) {
            out.files.insert(
                format!("generated/{}/EXCLUDED.md", spec.api.name),
                page.into_bytes(),
            );
        }
    }
    out.elapsed = started.elapsed();
    Ok(out)
}

/// The result of a drift check.
#[derive(Debug)]
pub struct CheckOutcome {
    /// What differs.
    pub drift: output::Drift,
    /// How many files the generator produced.
    pub files: usize,
    /// Generator wall time (load to format).
    pub generation: Duration,
}

/// Regenerates in memory and compares with `generated/`; what `cargo xtask check` and the
/// workspace drift test run.
pub fn check_workspace(
    workspace: &Path,
    apis: &[String],
    options: &Options,
) -> Result<CheckOutcome, Error> {
    let g = generate_with(workspace, apis, options)?;
    let drift = output::check(workspace, &g.files, &g.owned)
        .map_err(|e| Error::Io(format!("cannot read generated/: {e}")))?;
    Ok(CheckOutcome {
        drift,
        files: g.files.len(),
        generation: g.elapsed,
    })
}
