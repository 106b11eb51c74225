//! `cargo xtask bench`: times the whole generator pipeline on synthetic specs of 10 to 5,000
//! actions and on the repository's own specs, and prints one table. See `BENCHMARKS.md`.
//!
//! Every case runs in a child process of its own (`bench --case <case>`), so the peak memory
//! (`VmHWM`) of one size is not masked by a larger one run before it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// Arguments of `cargo xtask bench`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Synthetic spec sizes, in actions (each a multiple of 5).
    #[arg(long, value_delimiter = ',', default_values_t = [10, 100, 1_000, 5_000])]
    sizes: Vec<usize>,
    /// Pipeline runs per case; the table shows medians.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Also time `cargo check` of a generated crate at 100 and 1,000 actions.
    #[arg(long)]
    cargo_check: bool,
    /// Skip the repository's own specs.
    #[arg(long)]
    no_real: bool,
    /// Internal: run one case (`<n>` actions, or `api:<name>` / `api:` for all real specs) in
    /// this process and print its result line.
    #[arg(long, hide = true)]
    case: Option<String>,
    /// Internal: run the case with a primed format cache (what a maintainer's second run sees).
    #[arg(long, hide = true)]
    warm: bool,
    /// Internal: write the synthetic spec of this many actions to the given folder and exit.
    #[arg(long, hide = true, num_args = 2, value_names = ["ACTIONS", "DIR"])]
    synth: Vec<String>,
    /// Time `cargo xtask diff` between two 5,000-action synthetic specs that differ in 1 % of
    /// their actions, against a warm `generate` of one side.
    #[arg(long)]
    diff: bool,
    /// Time the hostile-spec cases instead (load and validate only; see `BENCHMARKS.md`).
    #[arg(long)]
    safety: bool,
    /// The hostile-spec cases to run with `--safety`.
    #[arg(long, value_delimiter = ',', default_values_t = SAFETY_CASES.map(String::from))]
    safety_cases: Vec<String>,
}

/// Runs the benchmark from the workspace root `root`.
pub fn run(root: &Path, args: Args) -> Result<()> {
    if let [n, dir] = args.synth.as_slice() {
        let n: usize = n.parse().context("--synth ACTIONS")?;
        return synth_workspace(root, Path::new(dir), n);
    }
    if let Some(case) = &args.case {
        if let Some(case) = case.strip_prefix("safety:") {
            return safety_child(case, args.runs);
        }
        return child(root, case, args.runs, args.warm);
    }
    if cfg!(debug_assertions) && std::env::var_os("XTASK_BENCH_ALLOW_DEBUG").is_none() {
        // Timings of an unoptimised xtask mean little: rerun in release.
        eprintln!("xtask bench: rebuilding in release (cargo run --release -p xtask -- bench)");
        let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["run", "--quiet", "--release", "-p", "xtask", "--", "bench"])
            .args(std::env::args_os().skip_while(|a| a != "bench").skip(1))
            .current_dir(root)
            .status()
            .context("cannot run cargo")?;
        if !status.success() {
            bail!("release bench failed");
        }
        return Ok(());
    }
    if args.safety {
        return safety_parent(&args);
    }
    if args.diff {
        return diff_bench(root, args.runs);
    }
    parent(root, &args)
}

// ---------------------------------------------------------------------------------------------
// The synthetic spec.

const HEX: &str = r#"{type: string, pattern: "^[A-Fa-f\\d]{24}$"}"#;

fn api_yaml() -> String {
    String::from(
        r#"# Synthetic spec written by `cargo xtask bench`.
name: bench
title: Bench REST API
description: A synthetic API shaped like the Losant one, to time the generator.
version: 1.0.0
crate: {name: bench-sdk, version: 0.1.0}
servers:
  - {name: production, url: "https://api.example.com", default: true}
auth:
  header: Authorization
  prefix: Bearer
  description: The token for authenticating the request, prepended with Bearer
headers:
  - {name: Accept, value: application/json, description: All responses are JSON.}
parameters:
  - name: benchdomain
    in: header
    required: false
    description: Domain scope of request (rarely needed)
    schema: {type: string}
    example: example.com
  - name: _links
    in: query
    required: false
    description: Return resource link in response
    schema: {type: boolean}
    default: true
errors:
  - {code: 400, description: Error if malformed request, schema: {$ref: error}}
  - {code: 401, description: Error if the token is missing or invalid, schema: {$ref: error}}
"#,
    )
}

const ERROR_SCHEMA: &str = r#"title: Error
description: Schema for errors returned by the API
type: object
properties:
  type: {type: string}
  message: {type: string}
examples:
  - {type: NotFound, message: Widget was not found}
"#;

const SUCCESS_SCHEMA: &str = r#"title: Success
description: Schema for reporting a successful operation
type: object
properties:
  success: {type: boolean, enum: [true]}
examples:
  - {success: true}
"#;

fn app_param() -> String {
    format!(
        "      - name: applicationId\n        in: path\n        required: true\n        description: ID associated with the application\n        schema: {HEX}\n        example: 575ec8687ae143cd83dc4a97\n"
    )
}

/// The collection resource `widget<k>s` (list, create) and the item resource `widget<k>` (get,
/// update, delete) of group `k`, and their four schemas.
fn group(k: usize) -> Vec<(String, String)> {
    let w = format!("widget{k}");
    let t = format!("Widget {k}");
    let app = app_param();
    let id_param = format!(
        "      - name: {w}Id\n        in: path\n        required: true\n        description: ID associated with the {t}\n        schema: {HEX}\n        example: 575ec7417ae143cd83dc4a95\n"
    );
    let collection = format!(
        r#"name: {w}s
title: {t}s
description: Details on the various actions that can be performed on the {t}s resource.
path: /applications/{{applicationId}}/{w}s
actions:
  get:
    summary: Returns the {t}s of an application
    method: GET
    scopes: [all.Application, all.Application.read, {w}s.*, {w}s.get]
    params:
{app}      - name: sortField
        in: query
        required: false
        description: Field to sort the results by
        schema: {{type: string, enum: [name, status, id, creationDate, lastUpdated]}}
        default: name
        example: name
      - name: sortDirection
        in: query
        required: false
        description: Direction to sort the results by
        schema: {{type: string, enum: [asc, desc]}}
        default: asc
        example: asc
      - name: page
        in: query
        required: false
        description: Which page of results to return
        schema: {{type: string}}
        default: "0"
        example: "0"
      - name: perPage
        in: query
        required: false
        description: How many items to return per page
        schema: {{type: string}}
        default: "100"
        example: "10"
      - name: filterField
        in: query
        required: false
        description: Field to filter the results by. Blank or not provided means no filtering.
        schema: {{type: string, enum: [name, status]}}
        example: name
      - name: filter
        in: query
        required: false
        description: Filter to apply against the filtered field. Supports globbing.
        schema: {{type: string}}
        example: my*widget
    responses:
      - {{code: 200, description: Collection of {t}s, schema: {{$ref: {w}s}}}}
    paginated: {{items: items, total: totalCount}}
  post:
    summary: Create a new {t} for an application
    method: POST
    scopes: [all.Application, {w}s.*, {w}s.post]
    params:
{app}    body:
      name: {w}
      description: New {t} information
      required: true
      schema: {{$ref: {w}Post}}
      example: {{name: My New Widget, status: active, kind: sensor}}
    responses:
      - {{code: 201, description: The successfully created {t}, schema: {{$ref: {w}}}}}
"#
    );
    let item = format!(
        r#"name: {w}
title: {t}
description: Details on the various actions that can be performed on the {t} resource.
path: /applications/{{applicationId}}/{w}s/{{{w}Id}}
actions:
  get:
    summary: Retrieves information on a {t}
    method: GET
    scopes: [all.Application, all.Application.read, {w}.*, {w}.get]
    params:
{app}{id_param}    responses:
      - {{code: 200, description: "{t} information", schema: {{$ref: {w}}}}}
    errors:
      - {{code: 404, description: Error if the {t} was not found, schema: {{$ref: error}}}}
  patch:
    summary: Updates information about a {t}
    method: PATCH
    scopes: [all.Application, {w}.*, {w}.patch]
    params:
{app}{id_param}    body:
      name: {w}
      description: Object containing new properties of the {t}
      required: true
      schema: {{$ref: {w}Patch}}
      example: {{name: My Updated Widget, status: inactive}}
    responses:
      - {{code: 200, description: Updated {t} information, schema: {{$ref: {w}}}}}
    errors:
      - {{code: 404, description: Error if the {t} was not found, schema: {{$ref: error}}}}
  delete:
    summary: Deletes a {t}
    method: DELETE
    scopes: [all.Application, {w}.*, {w}.delete]
    params:
{app}{id_param}    responses:
      - {{code: 200, description: If the {t} was successfully deleted, schema: {{$ref: success}}}}
    errors:
      - {{code: 404, description: Error if the {t} was not found, schema: {{$ref: error}}}}
"#
    );
    let schema = format!(
        r#"title: {t}
description: Schema for a single {t}
type: object
properties:
  id: {HEX}
  applicationId: {HEX}
  name: {{type: string, minLength: 1, maxLength: 255}}
  description: {{type: string, maxLength: 32767}}
  status: {{type: string, enum: [active, inactive]}}
  kind: {{type: string, enum: [sensor, actuator, gateway, virtual]}}
  creationDate: {{type: string, format: date-time}}
  lastUpdated: {{type: string, format: date-time}}
  token:
    type: string
    minLength: 1
    x-secret: true
  tags:
    type: array
    items: {{type: string, minLength: 1, maxLength: 255}}
    maxItems: 100
  settings:
    type: object
    x-rust-name: {}Settings
    properties:
      enabled: {{type: boolean}}
      interval: {{type: integer, minimum: 1}}
      mode: {{type: string, enum: [fast, slow, adaptive]}}
    required: [enabled]
    additionalProperties: false
required: [id, name]
examples:
  - id: 575ec7417ae143cd83dc4a95
    applicationId: 575ec8687ae143cd83dc4a97
    name: My Widget
    status: active
    kind: sensor
    creationDate: '2016-06-13T04:00:00.000Z'
    lastUpdated: '2016-06-13T04:00:00.000Z'
    token: the_actual_token_string
    tags: [blue]
    settings: {{enabled: true, interval: 60, mode: fast}}
"#,
        format_args!("Widget{k}")
    );
    let post = format!(
        r#"title: {t} Post
type: object
properties:
  name: {{type: string, minLength: 1, maxLength: 255}}
  description: {{type: string, maxLength: 32767}}
  status: {{type: string, enum: [active, inactive]}}
  kind: {{type: string, enum: [sensor, actuator, gateway, virtual]}}
  tags:
    type: array
    items: {{type: string, minLength: 1, maxLength: 255}}
    maxItems: 100
required: [name]
additionalProperties: false
"#
    );
    let patch = format!(
        r#"title: {t} Patch
type: object
properties:
  name: {{type: string, minLength: 1, maxLength: 255}}
  description: {{type: string, maxLength: 32767}}
  status: {{type: string, enum: [active, inactive]}}
additionalProperties: false
"#
    );
    let list = format!(
        r#"title: {t}s
type: object
properties:
  items:
    type: array
    items: {{$ref: {w}}}
  count: {{type: integer}}
  totalCount: {{type: integer}}
  perPage: {{type: integer}}
  page: {{type: integer}}
"#
    );
    vec![
        (format!("resources/{w}s.yaml"), collection),
        (format!("resources/{w}.yaml"), item),
        (format!("schemas/{w}.yaml"), schema),
        (format!("schemas/{w}Post.yaml"), post),
        (format!("schemas/{w}Patch.yaml"), patch),
        (format!("schemas/{w}s.yaml"), list),
    ]
}

/// Writes a workspace with `templates/` (copied from `root`) and `spec/bench/` of `actions`
/// actions (5 per group: list, create, get, update, delete).
fn synth_workspace(root: &Path, dir: &Path, actions: usize) -> Result<()> {
    if actions == 0 || actions % 5 != 0 {
        bail!("the number of actions must be a positive multiple of 5, not {actions}");
    }
    copy_dir(&root.join("templates"), &dir.join("templates"))?;
    let spec = dir.join("spec/bench");
    std::fs::create_dir_all(spec.join("resources"))?;
    std::fs::create_dir_all(spec.join("schemas"))?;
    std::fs::write(spec.join("api.yaml"), api_yaml())?;
    std::fs::write(spec.join("schemas/error.yaml"), ERROR_SCHEMA)?;
    std::fs::write(spec.join("schemas/success.yaml"), SUCCESS_SCHEMA)?;
    for k in 1..=actions / 5 {
        for (rel, text) in group(k) {
            std::fs::write(spec.join(rel), text)?;
        }
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("{}", from.display()))? {
        let entry = entry?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type()?.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// One case, in a child process.

/// Stage names, in table order.
const STAGES: [&str; 6] = ["load", "validate", "lower", "render", "format", "compare"];

fn child(root: &Path, case: &str, runs: usize, warm: bool) -> Result<()> {
    let tmp;
    let (workspace, apis, actions): (PathBuf, Vec<String>, Option<usize>) =
        if let Some(api) = case.strip_prefix("api:") {
            let apis = if api.is_empty() {
                vec![]
            } else {
                api.split('+').map(str::to_string).collect()
            };
            (root.to_path_buf(), apis, None)
        } else {
            let n: usize = case.parse().context("--case")?;
            tmp = tempfile::tempdir()?;
            synth_workspace(root, tmp.path(), n)?;
            // Write the output once so that `compare` reads and compares every file.
            let g = sdkgen::generate(tmp.path(), &[]).map_err(|e| anyhow::anyhow!("{e}"))?;
            sdkgen::output::write(tmp.path(), &g.files, &g.owned)?;
            (tmp.path().to_path_buf(), vec!["bench".into()], Some(n))
        };
    let tmp_used = actions.is_some();
    let actions = match actions {
        Some(n) => n,
        None => count_actions(&workspace, &apis)?,
    };
    // Cold runs format every file; warm runs use a format cache primed by one untimed run.
    let cache_dir = tempfile::tempdir()?;
    let options = if warm {
        let options = sdkgen::Options {
            format_cache: Some(sdkgen::format::FormatCache::new(cache_dir.path())),
        };
        sdkgen::generate_with(&workspace, &apis, &options).map_err(|e| anyhow::anyhow!("{e}"))?;
        options
    } else {
        sdkgen::Options::default()
    };
    let mut samples: Vec<[Duration; 6]> = Vec::new();
    let mut totals = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let g = sdkgen::generate_with(&workspace, &apis, &options)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let t = Instant::now();
        let drift = sdkgen::output::check(&workspace, &g.files, &g.owned)?;
        let compare = t.elapsed();
        totals.push(start.elapsed());
        let tm = g.timings;
        samples.push([
            tm.load,
            tm.validate,
            tm.lower,
            tm.render,
            tm.format,
            compare,
        ]);
        if tmp_used && !drift.is_clean() {
            bail!(
                "synthetic output is not deterministic:\n{}",
                drift.report("-")
            );
        }
        last = Some(g);
    }
    let g = last.expect("at least one run");
    let mut line = format!(
        "RESULT case={case} actions={actions} runs={} warm={}",
        samples.len(),
        u8::from(warm)
    );
    for (i, name) in STAGES.iter().enumerate() {
        let mut v: Vec<Duration> = samples.iter().map(|s| s[i]).collect();
        let _ = write!(line, " {name}={}", median(&mut v).as_nanos());
    }
    let _ = write!(line, " total={}", median(&mut totals).as_nanos());
    let (mut rs_bytes, mut rs_lines, mut md_bytes, mut md_lines, mut src_lines) = (0, 0, 0, 0, 0);
    for (path, bytes) in &g.files {
        let lines = bytes.iter().filter(|b| **b == b'\n').count();
        if path.ends_with(".rs") {
            rs_bytes += bytes.len();
            rs_lines += lines;
            if path.contains("/src/") {
                src_lines += lines;
            }
        } else if path.ends_with(".md") {
            md_bytes += bytes.len();
            md_lines += lines;
        }
    }
    let _ = write!(
        line,
        " files={} rs_bytes={rs_bytes} rs_lines={rs_lines} src_lines={src_lines} md_bytes={md_bytes} md_lines={md_lines} hwm_kib={}",
        g.files.len(),
        vm_hwm_kib()
    );
    println!("{line}");
    Ok(())
}

fn count_actions(workspace: &Path, apis: &[String]) -> Result<usize> {
    let apis = if apis.is_empty() {
        sdkgen::list_apis(workspace).map_err(|e| anyhow::anyhow!("{e}"))?
    } else {
        apis.to_vec()
    };
    let mut n = 0;
    for api in apis {
        let spec = sdkgen::load_checked(workspace, &format!("spec/{api}"))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        n += spec
            .resources
            .iter()
            .map(|r| r.actions.len())
            .sum::<usize>();
    }
    Ok(n)
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// The parent: one child per case, then the table.

struct Row {
    case: String,
    actions: usize,
    values: std::collections::HashMap<String, u128>,
}

impl Row {
    fn get(&self, k: &str) -> u128 {
        self.values.get(k).copied().unwrap_or(0)
    }
    fn ms(&self, k: &str) -> String {
        format!("{:.1}", self.get(k) as f64 / 1e6)
    }
    fn warm(&self) -> bool {
        self.get("warm") == 1
    }
    fn per_action(&self, k: &str) -> f64 {
        self.get(k) as f64 / self.actions.max(1) as f64
    }
}

fn run_case(case: &str, runs: usize, warm: bool) -> Result<Row> {
    let exe = std::env::current_exe()?;
    let out = Command::new(exe)
        .args(["bench", "--case", case, "--runs", &runs.to_string()])
        .args(warm.then_some("--warm"))
        .output()?;
    if !out.status.success() {
        bail!(
            "case {case} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .with_context(|| format!("case {case} printed no result"))?;
    let mut values = std::collections::HashMap::new();
    let mut name = case.to_string();
    for kv in line.split_whitespace() {
        if let Some((k, v)) = kv.split_once('=') {
            if k == "case" {
                name = v.to_string();
            } else if let Ok(n) = v.parse() {
                values.insert(k.to_string(), n);
            }
        }
    }
    let actions = values.get("actions").copied().unwrap_or(0) as usize;
    Ok(Row {
        case: name,
        actions,
        values,
    })
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!("{cpus} CPUs, {model}, {rustc}")
}

fn parent(root: &Path, args: &Args) -> Result<()> {
    println!("machine: {}", machine());
    println!(
        "median of {} runs per case, each case in its own process; times in ms\n",
        args.runs
    );
    let mut cases: Vec<String> = args.sizes.iter().map(|n| n.to_string()).collect();
    if !args.no_real {
        cases.extend(["api:losant".into(), "api:mist".into(), "api:".into()]);
    }
    let mut rows = Vec::new();
    for case in &cases {
        for warm in [false, true] {
            eprintln!(
                "xtask bench: {case} {} ...",
                if warm { "warm" } else { "cold" }
            );
            rows.push(run_case(case, args.runs, warm)?);
        }
    }
    let mut head = format!("{:<19} {:>7}", "case", "actions");
    for s in STAGES {
        let _ = write!(head, " {s:>9}");
    }
    let _ = write!(
        head,
        " {:>9} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "total", "µs/action", "peak MiB", "rs B/a", "rs L/a", "md B/a", "md L/a"
    );
    println!("{head}");
    for r in &rows {
        let label = match r.case.strip_prefix("api:") {
            Some("") => "losant+mist".to_string(),
            Some(api) => api.to_string(),
            None => format!("synthetic {}", r.actions),
        };
        let label = format!("{label} {}", if r.warm() { "warm" } else { "cold" });
        let mut line = format!("{label:<19} {:>7}", r.actions);
        for s in STAGES {
            let _ = write!(line, " {:>9}", r.ms(s));
        }
        let _ = write!(
            line,
            " {:>9} {:>9.0} {:>8.0} {:>8.0} {:>8.1} {:>8.0} {:>8.1}",
            r.ms("total"),
            r.per_action("total") / 1e3,
            r.get("hwm_kib") as f64 / 1024.0,
            r.per_action("rs_bytes"),
            r.per_action("rs_lines"),
            r.per_action("md_bytes"),
            r.per_action("md_lines"),
        );
        println!("{line}");
    }
    println!("\n(rs L/a counts every generated .rs file, tests included; src/ only:)");
    for r in rows
        .iter()
        .filter(|r| !r.case.starts_with("api:") && !r.warm())
    {
        println!(
            "  synthetic {:>5}: {:.1} lines of src/ Rust per action, {} files",
            r.actions,
            r.per_action("src_lines"),
            r.get("files")
        );
    }
    targets(&rows);
    if args.cargo_check {
        cargo_check(root)?;
    }
    Ok(())
}

fn targets(rows: &[Row]) {
    println!(
        "\ntargets (cold: every file formatted; warm: unchanged files from the format cache):"
    );
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    let synthetic = |n: usize, warm: bool| {
        rows.iter()
            .find(|r| !r.case.starts_with("api:") && r.actions == n && r.warm() == warm)
    };
    for warm in [false, true] {
        let mode = if warm { "warm" } else { "cold" };
        let synth = |n: usize| synthetic(n, warm);
        if let Some(big) = synth(5_000) {
            let t = big.get("total") as f64 / 1e9;
            println!(
                "  {mode}: 5,000 actions end to end < 2 s: {t:.2} s, {}",
                verdict(t < 2.0)
            );
            if let Some(small) = synth(100) {
                let ratio = big.per_action("total") / small.per_action("total");
                println!(
                    "  {mode}: per-action cost at 5,000 <= 1.5x that at 100: {ratio:.2}x, {}",
                    verdict(ratio <= 1.5)
                );
            }
            let mib = big.get("hwm_kib") as f64 / 1024.0;
            println!(
                "  {mode}: peak memory < 1 GiB: {mib:.0} MiB, {}",
                verdict(mib < 1024.0)
            );
        }
        if let Some(r) = rows.iter().find(|r| r.case == "api:" && r.warm() == warm) {
            let gen = (r.get("total") - r.get("compare")) as f64 / 1e6;
            println!(
                "  {mode}: drift check of the repo's specs < 50 ms of generator time: {gen:.1} ms, {}",
                verdict(gen < 50.0)
            );
        }
    }
    // Lines do not depend on the cache: the cold rows are used.
    if let Some(r) = synthetic(1_000, false).or_else(|| synthetic(5_000, false)) {
        let l = r.per_action("rs_lines");
        println!(
            "  <= 120 lines of Rust per action: {l:.1} ({} actions), {}",
            r.actions,
            verdict(l <= 120.0)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// `--cargo-check`: how long the generated crates take to compile.

fn cargo_check(root: &Path) -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let target = tmp.path().join("target");
    println!("\ncargo check of a generated crate (dependencies built first, not timed):");
    for (i, n) in [10usize, 100, 1_000].into_iter().enumerate() {
        let dir = tmp.path().join(format!("ws{n}"));
        {
            synth_workspace(root, &dir, n)?;
            let g = sdkgen::generate(&dir, &[]).map_err(|e| anyhow::anyhow!("{e}"))?;
            sdkgen::output::write(&dir, &g.files, &g.owned)?;
            std::fs::write(
                dir.join("Cargo.toml"),
                "[workspace]\nresolver = \"2\"\nmembers = [\"generated/bench\"]\n",
            )?;
            // The repository's lock file pins the generated crates' dependencies.
            std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
        }
        let t = Instant::now();
        let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["check", "--quiet", "--offline", "--all-targets"])
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(&dir)
            .status()?;
        let took = t.elapsed();
        if !status.success() {
            bail!("cargo check of the {n}-action crate failed");
        }
        if i == 0 {
            continue; // warm-up: builds the dependencies
        }
        println!(
            "  {n:>5} actions: {:.1} s (cargo check --all-targets)",
            took.as_secs_f64()
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// `--safety`: hostile specs that must be checked (and accepted or refused) in linear time.

/// The cases `--safety` runs by default: `refs:<n>` is `n` schemas that reference each other and
/// carry examples; `<kind>:max` nests exactly as deep as the parser allows, `<kind>:8mib` as
/// deep as fits in the largest file accepted, `<kind>:<n>` `n` levels (see [`deep_file`]).
const SAFETY_CASES: [&str; 11] = [
    "refs:3000",
    "flow:max",
    "flow:8mib",
    "flowmap:8mib",
    "wide:8mib",
    "block:max",
    "block:8mib",
    "indent:max",
    "indent:8mib",
    "json:max",
    "json:8mib",
];

/// Writes the spec of a safety case to `dir` (a workspace); returns whether it must be
/// accepted.
fn safety_workspace(dir: &Path, case: &str) -> Result<bool> {
    let spec = dir.join("spec/bench");
    std::fs::create_dir_all(spec.join("resources"))?;
    std::fs::create_dir_all(spec.join("schemas"))?;
    std::fs::write(spec.join("api.yaml"), api_yaml())?;
    std::fs::write(spec.join("schemas/error.yaml"), ERROR_SCHEMA)?;
    let (kind, size) = case
        .split_once(':')
        .with_context(|| format!("safety case `{case}` is not <kind>:<size>"))?;
    if kind == "refs" {
        let n: usize = size.parse().context("refs:<schemas>")?;
        for k in 1..=n {
            std::fs::write(spec.join(format!("schemas/s{k}.yaml")), web_schema(k, n))?;
        }
        return Ok(true);
    }
    let (name, text, accepted) = deep_file(kind, size)?;
    std::fs::write(spec.join("schemas").join(name), text)?;
    Ok(accepted)
}

/// Schema `s<k>` of `n`: it refers to the next one and to the one at half its number, so every
/// schema reaches every other (a validator that copies what a schema reaches copies them all),
/// and its example nests the next one.
fn web_schema(k: usize, n: usize) -> String {
    let id = |k: usize| format!("00000000-0000-4000-8000-{k:012}");
    let mut text = format!(
        "title: S{k}\ntype: object\nproperties:\n  id: {{type: string, format: uuid}}\n  name: {{type: string, minLength: 1}}\n"
    );
    if k < n {
        let _ = writeln!(text, "  next: {{$ref: s{}}}", k + 1);
    }
    if k > 1 {
        let _ = writeln!(text, "  parent: {{$ref: s{}}}", k / 2);
    }
    text.push_str("required: [id]\nexamples:\n");
    if k < n {
        let _ = writeln!(
            text,
            "  - {{id: {}, name: S{k}, next: {{id: {}}}}}",
            id(k),
            id(k + 1)
        );
    } else {
        let _ = writeln!(text, "  - {{id: {}, name: S{k}}}", id(k));
    }
    text
}

/// A schema file whose example nests `size` levels deep (`max`: as deep as the parser allows,
/// counting the file's own levels; `8mib`: as deep as fits in `sdkgen::load::MAX_FILE_BYTES`),
/// and whether the spec must be accepted:
///
/// - `flow`: `[[[...]]]` inside a flow mapping (`- {b: [[[`);
/// - `flowmap`: flow mappings `{a: {a: ...}}`;
/// - `wide`: `flow` at the deepest level allowed, with `size` items (`8mib`: as many as fit)
///   in the innermost list;
/// - `block`: compact block sequences (`- - - x`);
/// - `indent`: block mappings, one more space of indentation per level;
/// - `json`: nested arrays in a `.json` schema file.
fn deep_file(kind: &str, size: &str) -> Result<(&'static str, String, bool)> {
    let max = sdkgen::yaml::MAX_DEPTH;
    let limit = sdkgen::load::MAX_FILE_BYTES as usize;
    // The levels the file itself adds (root mapping, `examples`, the example's own), and the
    // bytes a level costs (for `indent`, the first level's; each adds one more). yaml-rust2
    // counts flow levels in a byte, so a file of flow collections only (`json`) stops one
    // level short of `MAX_DEPTH`.
    let (outer, per_level) = match kind {
        "flow" | "wide" => (3, 2),
        "flowmap" => (2, 5),
        "block" => (2, 2),
        "indent" => (2, 7),
        "json" => (4, 2),
        _ => bail!("unknown safety case kind `{kind}`"),
    };
    let (levels, items) = match (kind, size) {
        ("wide", "8mib") => (max - outer, (limit - 2048) / 2),
        ("wide", n) => (max - outer, n.parse().context("wide:<items>")?),
        (_, "max") => (max - outer, 0),
        ("indent", "8mib") => {
            // Level i costs its indentation (4 + i), a newline and `a<i>:`.
            let (mut n, mut bytes) = (0, 128);
            while bytes + per_level + n + n.to_string().len() < limit {
                bytes += per_level + n + n.to_string().len();
                n += 1;
            }
            (n, 0)
        }
        (_, "8mib") => ((limit - 128) / per_level, 0),
        (_, n) => (
            n.parse()
                .context("safety case size: max, 8mib or a number")?,
            0,
        ),
    };
    let accepted = levels + outer <= max;
    let head = "title: Deep\ndescription: An example nested deeply.\nexamples:\n  -";
    let text = match kind {
        "flow" | "wide" => format!(
            "{head} {{b: {}{}{}}}\n",
            "[".repeat(levels),
            "1,".repeat(items),
            "]".repeat(levels)
        ),
        "flowmap" => format!("{head} {}0{}\n", "{a: ".repeat(levels), "}".repeat(levels)),
        "block" => format!("{head} {}x\n", "- ".repeat(levels)),
        "indent" => {
            let mut t = String::from(head);
            for i in 0..levels {
                let _ = write!(t, "\n{}a{i}:", " ".repeat(4 + i));
            }
            t.push_str(" 0\n");
            t
        }
        _ => format!(
            "{{\"title\": \"Deep\", \"examples\": [{{\"b\": {}{}}}]}}\n",
            "[".repeat(levels),
            "]".repeat(levels)
        ),
    };
    let name = if kind == "json" {
        "deep.json"
    } else {
        "deep.yaml"
    };
    if text.len() > limit {
        bail!(
            "safety case {kind}:{size} is {} bytes, over the file limit",
            text.len()
        );
    }
    Ok((name, text, accepted))
}

/// Runs one safety case in this process: load, validate and (if accepted) lower, `runs` times.
fn safety_child(case: &str, runs: usize) -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let accepted = safety_workspace(tmp.path(), case)?;
    let bytes: u64 = walk_bytes(&tmp.path().join("spec"))?;
    let (mut load, mut validate, mut lower, mut totals) = (vec![], vec![], vec![], vec![]);
    let mut outcome = String::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let (loaded, mut diags) = sdkgen::load::load(tmp.path(), "spec/bench");
        load.push(start.elapsed());
        let t = Instant::now();
        let loaded = loaded.context("the spec did not load")?;
        diags.extend(sdkgen::validate::validate(&loaded.spec, &loaded.sources));
        validate.push(t.elapsed());
        let t = Instant::now();
        if diags.is_empty() {
            let ir = sdkgen::lower::lower(&loaded.spec);
            std::hint::black_box(&ir);
        }
        lower.push(t.elapsed());
        totals.push(start.elapsed());
        outcome = match diags.first() {
            None => "accepted".into(),
            Some(d) => format!("refused: {}", d.to_string().replace('\n', " ")),
        };
        if diags.is_empty() != accepted {
            bail!(
                "safety case {case}: expected it to be {}, got {outcome}",
                if accepted { "accepted" } else { "refused" }
            );
        }
    }
    println!(
        "RESULT case=safety:{case} bytes={bytes} load={} validate={} lower={} total={} hwm_kib={}\nOUTCOME {outcome}",
        median(&mut load).as_nanos(),
        median(&mut validate).as_nanos(),
        median(&mut lower).as_nanos(),
        median(&mut totals).as_nanos(),
        vm_hwm_kib()
    );
    Ok(())
}

fn walk_bytes(dir: &Path) -> Result<u64> {
    let mut n = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        n += if entry.file_type()?.is_dir() {
            walk_bytes(&entry.path())?
        } else {
            entry.metadata()?.len()
        };
    }
    Ok(n)
}

fn safety_parent(args: &Args) -> Result<()> {
    println!("machine: {}", machine());
    println!(
        "median of {} runs per case, each case in its own process; load + validate (+ lower when accepted)\n",
        args.runs
    );
    println!(
        "{:<16} {:>10} {:>10} {:>10} {:>10} {:>10} {:>9}  outcome",
        "case", "spec KiB", "load ms", "valid. ms", "lower ms", "total ms", "peak MiB"
    );
    for case in &args.safety_cases {
        eprintln!("xtask bench: safety {case} ...");
        let exe = std::env::current_exe()?;
        let out = Command::new(exe)
            .args(["bench", "--case", &format!("safety:{case}"), "--runs"])
            .arg(args.runs.to_string())
            .output()?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let (Some(line), true) = (
            stdout.lines().find_map(|l| l.strip_prefix("RESULT ")),
            out.status.success(),
        ) else {
            println!(
                "{case:<16} failed: {}",
                String::from_utf8_lossy(&out.stderr)
                    .trim()
                    .replace('\n', " ")
            );
            continue;
        };
        let outcome = stdout
            .lines()
            .find_map(|l| l.strip_prefix("OUTCOME "))
            .unwrap_or("");
        let get = |k: &str| -> f64 {
            line.split_whitespace()
                .find_map(|kv| kv.strip_prefix(k)?.strip_prefix('='))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0)
        };
        let outcome: String = outcome.chars().take(90).collect();
        println!(
            "{case:<16} {:>10.0} {:>10.1} {:>10.1} {:>10.1} {:>10.1} {:>9.0}  {outcome}",
            get("bytes") / 1024.0,
            get("load") / 1e6,
            get("validate") / 1e6,
            get("lower") / 1e6,
            get("total") / 1e6,
            get("hwm_kib") / 1024.0,
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// `cargo xtask diff` on synthetic specs.

/// How many actions the diff case compares.
const DIFF_ACTIONS: usize = 5_000;

/// Edits 1 % of the synthetic spec's actions (every action of one group in a hundred): summaries
/// reworded (docs only), a default changed (breaks requests) and an accepted value removed
/// (breaks Rust code). Returns how many actions changed.
fn diff_edit(spec: &Path, actions: usize) -> Result<usize> {
    let mut changed = 0;
    for k in (1..=actions / 5).step_by(100) {
        for rel in [
            format!("resources/widget{k}s.yaml"),
            format!("resources/widget{k}.yaml"),
        ] {
            let path = spec.join(&rel);
            let text = std::fs::read_to_string(&path).with_context(|| rel.clone())?;
            changed += text.matches("    summary: ").count();
            let text = text
                .replace("    summary: ", "    summary: Now ")
                .replace("default: asc", "default: desc")
                .replace(", lastUpdated]", "]");
            std::fs::write(&path, text)?;
        }
    }
    Ok(changed)
}

fn git_in(dir: &Path, args: &[&str]) -> Result<()> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .context("cannot run git")?;
    if !out.status.success() {
        bail!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

/// The diff case: a synthetic workspace committed to a scratch git repository, 1 % of its
/// actions edited in the working tree, then `diff_report::build` (what `cargo xtask diff`
/// runs: git read, both sides loaded, checked and lowered, compared) timed against a warm
/// `generate` of the working tree.
fn diff_bench(root: &Path, runs: usize) -> Result<()> {
    println!("machine: {}", machine());
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    synth_workspace(root, dir, DIFF_ACTIONS)?;
    git_in(dir, &["init", "--quiet"])?;
    git_in(dir, &["add", "spec"])?;
    git_in(
        dir,
        &[
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@localhost",
            "commit",
            "--quiet",
            "-m",
            "synthetic spec",
        ],
    )?;
    let changed = diff_edit(&dir.join("spec/bench"), DIFF_ACTIONS)?;
    let cache = tempfile::tempdir()?;
    let options = sdkgen::Options {
        format_cache: Some(sdkgen::format::FormatCache::new(cache.path())),
    };
    sdkgen::generate_with(dir, &[], &options).map_err(|e| anyhow::anyhow!("{e}"))?;
    let (mut generate, mut diff) = (Vec::new(), Vec::new());
    let mut changes = 0;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        sdkgen::generate_with(dir, &[], &options).map_err(|e| anyhow::anyhow!("{e}"))?;
        generate.push(t.elapsed());
        let t = Instant::now();
        let report =
            sdkgen::diff_report::build(dir, "HEAD", &[]).map_err(|e| anyhow::anyhow!("{e}"))?;
        diff.push(t.elapsed());
        changes = report.apis.iter().map(|a| a.changes.len()).sum();
    }
    let (g, d) = (median(&mut generate), median(&mut diff));
    println!(
        "{DIFF_ACTIONS} actions, {changed} of them edited: {changes} changes reported\n\
         median of {} runs: warm generate {:.0} ms, diff {:.0} ms: {:.2} times (target: at most 1.5)",
        runs.max(1),
        g.as_secs_f64() * 1e3,
        d.as_secs_f64() * 1e3,
        d.as_secs_f64() / g.as_secs_f64()
    );
    Ok(())
}
