// Usage: node scripts/readme-blocks.js README.md MARKER OUTDIR NAME...
// Writes the fenced block that follows each `<!-- MARKER: NAME -->` line of README.md to OUTDIR/NAME,
// so that a check can build and run exactly what README shows. Every NAME given must have exactly
// one block; a marker not followed by a fenced block is an error (with README.md:line).
'use strict';
const fs = require('fs');
const path = require('path');

const [readme, marker, outdir, ...names] = process.argv.slice(2);
const lines = fs.readFileSync(readme, 'utf8').split('\n');
const blocks = new Map();
const fail = (line, message) => {
  process.stderr.write(`${path.basename(readme)}:${line}: ${message}\n`);
  process.exit(1);
};
lines.forEach((text, i) => {
  const m = new RegExp(`^<!-- ${marker}: (\\S+) -->$`).exec(text);
  if (!m) return;
  if (!/^```\w*$/.test(lines[i + 1] ?? '')) fail(i + 1, `the ${marker} marker for ${m[1]} must be followed by a fenced block`);
  const close = lines.indexOf('```', i + 2);
  if (close < 0) fail(i + 2, `the fenced block for ${m[1]} is not closed`);
  if (blocks.has(m[1])) fail(i + 1, `a second ${marker} block for ${m[1]}`);
  blocks.set(m[1], `${lines.slice(i + 2, close).join('\n')}\n`);
});
const missing = names.filter((name) => !blocks.has(name));
if (missing.length > 0) fail(1, `no ${marker} block for ${missing.join(', ')}`);
for (const name of names) fs.writeFileSync(path.join(outdir, name), blocks.get(name));
