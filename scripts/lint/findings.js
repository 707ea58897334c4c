#!/usr/bin/env node
'use strict';
/**
 * One job: turn the raw reports that scripts/lint/run.sh collected into one normalized list of
 * findings (tool, check, kind/namespace/name, file, message), apply lint-waivers.yaml, print a
 * summary table and every finding that remains, and exit non-zero when a finding remains or a
 * waiver matches nothing (waivers must not rot) or a scanner failed to report.
 *
 * Usage: node scripts/lint/findings.js --results DIR --waivers FILE [--json OUT]
 *   DIR/files.txt    the scanned manifests, one repo-relative path a line
 *   DIR/tools.tsv    tool <TAB> version <TAB> exit code, one line per scanner that ran
 *   DIR/<tool>.json  (kube-linter, kube-score, checkov, trivy) or DIR/kubernetes-validate.txt
 * Exit: 0 clean, 1 findings remain / stale or invalid waivers / scanner error, 2 usage.
 */
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const WAIVER_KEYS = ['tool', 'check', 'object', 'reason'];
// Top-level keys of lint-waivers.yaml: `waivers`, and `reasons`, which only holds YAML anchors.
const FILE_KEYS = ['waivers', 'reasons'];
const OBJECT_KEYS = ['kind', 'name', 'namespace'];
const MIN_REASON_WORDS = 5;

function parseArgs(argv) {
  const args = { json: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--results' || a === '--waivers' || a === '--json') args[a.slice(2)] = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.results || !args.waivers) throw new Error('need --results DIR and --waivers FILE');
  return args;
}

// ---- the manifests: every object with its file, kind, namespace, name and line range ----------

function indexManifests(files, root) {
  const objects = [];
  for (const file of files) {
    const text = fs.readFileSync(path.resolve(root, file), 'utf8');
    const lines = new YAML.LineCounter();
    const docs = YAML.parseAllDocuments(text, { lineCounter: lines });
    for (const doc of docs) {
      const o = doc.toJS() || {};
      if (!o.kind) continue;
      const [start, , end] = doc.range;
      objects.push({
        file,
        kind: o.kind,
        namespace: (o.metadata && o.metadata.namespace) || '',
        name: (o.metadata && o.metadata.name) || '',
        startLine: lines.linePos(start).line,
        endLine: lines.linePos(Math.max(start, end - 1)).line,
      });
    }
  }
  return objects;
}

function lookup(objects, file, pred) {
  return objects.find((o) => (!file || o.file === file) && pred(o));
}

// ---- one parser per scanner: raw report -> { checksRun, findings[], errors[] } ----------------

function rel(root, p) {
  if (!p) return '';
  const abs = path.isAbsolute(p) ? p : path.resolve(root, p);
  const r = path.relative(root, abs);
  // checkov prints "/dist/x.yaml" for "dist/x.yaml": a leading slash on a repo-relative path.
  if (r.startsWith('..') && fs.existsSync(path.join(root, p))) return path.normalize(p).replace(/^\/+/, '');
  return r;
}

const parsers = {
  'kube-linter'(raw, ctx) {
    const report = JSON.parse(raw);
    const findings = (report.Reports || []).map((r) => {
      const k = r.Object.K8sObject;
      return {
        check: r.Check,
        kind: k.GroupVersionKind.Kind,
        namespace: k.Namespace || '',
        name: k.Name,
        file: rel(ctx.root, r.Object.Metadata.FilePath),
        message: r.Diagnostic.Message,
      };
    });
    return { checksRun: (report.Checks || []).length, findings };
  },

  'kube-score'(raw, ctx) {
    const report = JSON.parse(raw);
    const findings = [];
    const ran = new Set();
    const grades = { 1: 'critical', 5: 'warning', 7: 'almost ok' };
    for (const obj of report) {
      for (const c of obj.checks || []) {
        if (c.skipped) continue;
        ran.add(c.check.id);
        if (c.grade >= 10) continue;
        const notes = (c.comments || []).map((x) => `${x.path ? `${x.path}: ` : ''}${x.summary}`);
        findings.push({
          check: c.check.id,
          kind: obj.type_meta.kind,
          namespace: obj.object_meta.namespace || '',
          name: obj.object_meta.name,
          file: rel(ctx.root, obj.file_name),
          message: `[${grades[c.grade] || `grade ${c.grade}`}] ${[...new Set(notes)].join('; ') || c.check.name}`,
        });
      }
    }
    return { checksRun: ran.size, findings };
  },

  checkov(raw, ctx) {
    let report = JSON.parse(raw);
    if (!Array.isArray(report)) report = [report];
    const findings = [];
    const ran = new Set();
    for (const part of report) {
      if (!part.results) continue; // "no files found" summary-only output
      for (const c of [...part.results.passed_checks, ...part.results.failed_checks]) ran.add(c.check_id);
      for (const c of part.results.failed_checks) {
        const file = rel(ctx.root, c.file_path);
        // resource is "Kind.namespace.name" (namespace "default" for cluster-scoped objects);
        // names may hold dots, so resolve it against the objects of that file.
        const [kind, ...rest] = c.resource.split('.');
        const tail = rest.join('.');
        const o = lookup(ctx.objects, file, (x) => x.kind === kind && `${x.namespace || 'default'}.${x.name}` === tail);
        findings.push({
          check: c.check_id,
          kind,
          namespace: o ? o.namespace : rest[0],
          name: o ? o.name : rest.slice(1).join('.'),
          file,
          message: c.check_name,
        });
      }
    }
    return { checksRun: ran.size, findings };
  },

  'kubernetes-validate'(raw, ctx) {
    const findings = [];
    const errors = [];
    let validated = 0;
    for (const line of raw.split('\n')) {
      let m;
      if ((m = /^INFO (\S+) passed for resource /.exec(line))) validated++;
      else if ((m = /^ERROR (\S+) did not validate for resource ([^/]+)\/(\S+) against version \S+: (.*)$/.exec(line))) {
        validated++;
        const [, file, kindLower, name, message] = m;
        const o = lookup(ctx.objects, rel(ctx.root, file), (x) => x.kind.toLowerCase() === kindLower && x.name === name);
        findings.push({
          check: 'strict-schema',
          kind: o ? o.kind : kindLower,
          namespace: o ? o.namespace : '',
          name,
          file: rel(ctx.root, file),
          message,
        });
      } else if ((m = /^WARN (\S+) Couldn't find schema for kind (\S+) with api version (\S+)/.exec(line))) {
        const [, file, kind] = m;
        const o = lookup(ctx.objects, rel(ctx.root, file), (x) => x.kind === kind);
        findings.push({
          check: 'no-schema',
          kind,
          namespace: o ? o.namespace : '',
          name: o ? o.name : '?',
          file: rel(ctx.root, file),
          message: line.replace(/^WARN \S+ /, ''),
        });
      } else if (/^(ERROR|WARN)\b/.test(line)) errors.push(line);
    }
    return { checksRun: `strict OpenAPI, ${validated} objects`, findings, errors };
  },

  trivy(raw, ctx) {
    const report = JSON.parse(raw);
    const findings = [];
    const ran = new Set();
    for (const r of report.Results || []) {
      const file = rel(ctx.root, path.join(ctx.trivyRoot || '', r.Target));
      for (const m of r.Misconfigurations || []) {
        ran.add(m.ID);
        if (m.Status !== 'FAIL') continue;
        const line = (m.CauseMetadata && m.CauseMetadata.StartLine) || 0;
        const o = lookup(ctx.objects, file, (x) => line >= x.startLine && line <= x.endLine);
        findings.push({
          check: m.ID,
          kind: o ? o.kind : '?',
          namespace: o ? o.namespace : '',
          name: o ? o.name : '?',
          file,
          message: `${m.Title}: ${m.Message}`,
        });
      }
    }
    // Passed checks are only counted, not listed: report the number of distinct failing ids seen
    // plus the per-target success counts.
    const evaluated = (report.Results || []).reduce(
      (n, r) => n + ((r.MisconfSummary && r.MisconfSummary.Successes) || 0) + ((r.MisconfSummary && r.MisconfSummary.Failures) || 0), 0);
    return { checksRun: `${evaluated} evaluations`, findings };
  },
};

// ---- waivers ---------------------------------------------------------------------------------

/** Returns { waivers, problems }: problems are hygiene errors (missing fields, short reasons, dups). */
function loadWaivers(file) {
  const problems = [];
  if (!fs.existsSync(file)) return { waivers: [], problems: [`${file} does not exist`] };
  const doc = YAML.parse(fs.readFileSync(file, 'utf8')) || {};
  for (const k of Object.keys(doc)) if (!FILE_KEYS.includes(k)) problems.push(`unknown top-level key ${k}`);
  const list = doc.waivers || [];
  if (!Array.isArray(list)) return { waivers: [], problems: ['`waivers` must be a list'] };
  const seen = new Map();
  list.forEach((w, i) => {
    const at = `waiver #${i + 1}`;
    for (const k of WAIVER_KEYS) if (w[k] === undefined || w[k] === null || w[k] === '') problems.push(`${at}: missing ${k}`);
    for (const k of Object.keys(w)) if (!WAIVER_KEYS.includes(k)) problems.push(`${at}: unknown key ${k}`);
    const o = w.object || {};
    if (typeof o !== 'object' || !o.kind || !o.name) problems.push(`${at}: object needs kind and name`);
    for (const k of Object.keys(o)) if (!OBJECT_KEYS.includes(k)) problems.push(`${at}: unknown object key ${k}`);
    const words = String(w.reason || '').trim().split(/\s+/).filter(Boolean);
    if (words.length < MIN_REASON_WORDS) problems.push(`${at}: reason must say why it is safe (at least ${MIN_REASON_WORDS} words)`);
    const key = [w.tool, w.check, o.kind, o.namespace || '*', o.name].join('|');
    if (seen.has(key)) problems.push(`${at}: duplicates waiver #${seen.get(key)}`);
    else seen.set(key, i + 1);
  });
  return { waivers: list, problems };
}

const glob = (pattern, value) => pattern === undefined || pattern === '*' || pattern === value;

function matches(w, f) {
  const o = w.object || {};
  return w.tool === f.tool && w.check === f.check && glob(o.kind, f.kind) && glob(o.name, f.name) && glob(o.namespace, f.namespace);
}

// ---- output ----------------------------------------------------------------------------------

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const fmt = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  return [fmt(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(fmt)].join('\n');
}

const objName = (f) => `${f.kind}/${f.namespace ? `${f.namespace}/` : ''}${f.name}`;

function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`findings: ${e.message}`);
    return 2;
  }
  const root = process.cwd();
  const files = fs.readFileSync(path.join(args.results, 'files.txt'), 'utf8').split('\n').filter(Boolean);
  const tools = fs.readFileSync(path.join(args.results, 'tools.tsv'), 'utf8').split('\n').filter(Boolean)
    .map((l) => { const [tool, version, code, extra] = l.split('\t'); return { tool, version, code: Number(code), extra }; });
  const objects = indexManifests(files, root);
  const trivyRootFile = path.join(args.results, 'trivy-root.txt');
  const ctx = { root, objects, trivyRoot: fs.existsSync(trivyRootFile) ? fs.readFileSync(trivyRootFile, 'utf8').trim() : '' };

  const all = [];
  const summary = [];
  const scannerErrors = [];
  for (const t of tools) {
    const rawFile = ['kube-linter', 'kube-score', 'checkov', 'trivy'].includes(t.tool)
      ? path.join(args.results, `${t.tool}.json`) : path.join(args.results, `${t.tool}.txt`);
    let res;
    try {
      res = parsers[t.tool](fs.readFileSync(rawFile, 'utf8'), ctx);
    } catch (e) {
      scannerErrors.push(`${t.tool}: no usable report (exit ${t.code}): ${e.message}`);
      summary.push({ t, res: { checksRun: '?', findings: [] } });
      continue;
    }
    for (const err of res.errors || []) scannerErrors.push(`${t.tool}: ${err}`);
    res.findings = res.findings.map((f) => ({ tool: t.tool, ...f }));
    all.push(...res.findings);
    summary.push({ t, res });
  }

  const { waivers, problems } = loadWaivers(args.waivers);
  const hits = waivers.map(() => 0);
  for (const f of all) {
    const i = waivers.findIndex((w) => matches(w, f));
    f.waived = i >= 0;
    if (i >= 0) hits[i]++;
  }
  const ran = new Set(tools.map((t) => t.tool));
  const stale = waivers
    .map((w, i) => ({ w, i }))
    .filter(({ w, i }) => hits[i] === 0 && ran.has(w.tool));
  const notChecked = waivers.filter((w) => !ran.has(w.tool));

  const rows = [['scanner', 'version', 'checks run', 'raw findings', 'waived', 'remaining']];
  for (const { t, res } of summary) {
    const n = res.findings.length;
    const waived = res.findings.filter((f) => f.waived).length;
    rows.push([t.tool, t.version, res.checksRun, n, waived, n - waived]);
  }
  const remaining = all.filter((f) => !f.waived);
  console.log(`\nScanned ${files.length} files, ${objects.length} objects:\n  ${files.join('\n  ')}\n`);
  console.log(table(rows));

  if (remaining.length) {
    console.log(`\n${remaining.length} unwaived finding(s):`);
    const sorted = [...remaining].sort((a, b) =>
      [a.tool, a.check, a.file, objName(a)].join('\0').localeCompare([b.tool, b.check, b.file, objName(b)].join('\0')));
    console.log(table([['tool', 'check', 'object', 'file', 'message'],
      ...sorted.map((f) => [f.tool, f.check, objName(f), f.file, f.message.replace(/\s+/g, ' ').slice(0, 120)])]));
  }
  if (problems.length) console.log(`\nInvalid waivers in ${args.waivers}:\n  ${problems.join('\n  ')}`);
  if (stale.length) {
    console.log(`\nStale waivers (match no finding; delete them):`);
    for (const { w, i } of stale) console.log(`  #${i + 1} ${w.tool} ${w.check} ${w.object && objName({ namespace: w.object.namespace === '*' ? '' : w.object.namespace || '', ...w.object })}`);
  }
  if (notChecked.length) console.log(`\nNote: ${notChecked.length} waiver(s) for scanners that did not run here were not checked: ${[...new Set(notChecked.map((w) => w.tool))].join(', ')}`);
  if (scannerErrors.length) console.log(`\nScanner errors:\n  ${scannerErrors.join('\n  ')}`);

  if (args.json) fs.writeFileSync(args.json, `${JSON.stringify({ summary: rows, findings: all }, null, 2)}\n`);

  const failed = remaining.length || problems.length || stale.length || scannerErrors.length;
  console.log(failed
    ? `\nlint:manifests: FAIL (${remaining.length} unwaived, ${stale.length} stale waivers, ${problems.length} invalid waivers, ${scannerErrors.length} scanner errors)`
    : `\nlint:manifests: OK (${all.length} raw findings, all waived with reasons)`);
  return failed ? 1 : 0;
}

module.exports = { loadWaivers, matches, MIN_REASON_WORDS, WAIVER_KEYS };

if (require.main === module) process.exitCode = main();
