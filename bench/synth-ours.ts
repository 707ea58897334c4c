// Ours: one chart per tenant, synthesized linearly into one file per tenant (what a user of the
// library runs). Usage: node build/bench/synth-ours.js TENANTS OUTDIR
import { addTenants, synthToDirectory } from '../lib';
import { benchTenants, parseArgs } from './tenants';

const { n, outdir } = parseArgs(process.argv, 'synth-ours');
synthToDirectory((app) => void addTenants(app, benchTenants(n)), { outdir });
