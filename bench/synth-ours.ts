// Ours: one chart per tenant, synthesized linearly into one file per tenant (what a user of the
// library runs). Usage: node build/bench/synth-ours.js TENANTS OUTDIR
// With BENCH_BREAKDOWN_FILE=path it also writes where its time went (see phase-clock.ts).
import { entered, now, reportTimeline, synthMarks } from './phase-clock'; // first: its load time ends Node's start-up
import { addTenants, synthToDirectory } from '../lib';
import { benchTenants, parseArgs } from './tenants';

const loaded = now();
const { n, outdir } = parseArgs(process.argv, 'synth-ours');
let treeStart = loaded;
let treeEnd = loaded;
synthToDirectory(
  (app) => {
    treeStart = now();
    addTenants(app, benchTenants(n));
    treeEnd = now();
  },
  { outdir },
);
reportTimeline({ entered, loaded, treeStart, treeEnd, synth: synthMarks(), done: now() });
