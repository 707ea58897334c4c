// Stock cdk8s: the same charts (one per tenant), synthesized with `app.synth()`.
// Usage: node build/bench/synth-stock.js TENANTS OUTDIR
import { App } from 'cdk8s';
import { addTenants } from '../lib';
import { benchTenants, parseArgs } from './tenants';

const { n, outdir } = parseArgs(process.argv, 'synth-stock');
const app = new App({ outdir });
addTenants(app, benchTenants(n));
app.synth();
