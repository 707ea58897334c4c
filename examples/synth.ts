// Synthesizes every example into examples/<name>/dist/ (committed, checked for drift in CI).
import * as path from 'path';
import { runMain, synthToDirectory } from 'cdk8s-api-reader';
import { EXAMPLES } from './index';

runMain(() => {
  for (const [name, build] of Object.entries(EXAMPLES)) {
    synthToDirectory((app) => build(app), { outdir: path.join(__dirname, name, 'dist') });
  }
});
