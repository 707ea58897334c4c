// Many tenants from one small config file: each gets the walkthrough's objects in its own
// namespace and its own output file, synthesized in time linear in the number of tenants.
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { addTenants, loadTenantsFile } from 'cdk8s-api-reader';

/** Builds the example into `app`; returns the first tenant's chart. */
export function build(app: App): Chart {
  const [first] = addTenants(app, loadTenantsFile(path.join(__dirname, 'tenants.yaml')));
  return first;
}
