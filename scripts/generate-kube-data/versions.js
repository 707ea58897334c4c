// The Kubernetes releases the evaluator ships data for: one module version per minor.
// 1.33 and 1.34 are the latest patches the Go module proxy served when this list was last
// updated (it refused v1.33.14+ and v1.34.13+ with 403); 1.35 is exactly the version the
// e2e API server runs (see e2e/). To move a minor to a newer patch, edit it here and run
// `npm run generate:kube-data`.
'use strict';

/** @type {ReadonlyArray<{ minor: string, module: string }>} */
module.exports = Object.freeze([
  { minor: '1.33', module: 'v1.33.13' },
  { minor: '1.34', module: 'v1.34.12' },
  { minor: '1.35', module: 'v1.35.4' },
]);
