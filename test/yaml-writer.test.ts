import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { fastStringify, stringifyDocument, stringifyDocuments } from '../lib/synth/yaml-writer';
import { prng } from './support/prng';


const TRICKY_STRINGS = [
  '', ' ', 'y', 'Y', 'n', 'yes', 'No', 'ON', 'off', 'true', 'False', 'null', 'NULL', '~', 'NaN', '.nan', '.inf', '-.inf', 'inf',
  '0', '012', '0x1F', '0o17', '0b101', '1_000', '1e3', '1.5', '.5', '+1', '-1', '1:30', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  '-', '--', '--keep-alive', '-e', '- a', '?', '? x', ':', 'a:', 'a: b', 'a:b', 'https://kubernetes.default.svc', 'curlimages/curl:8.10.1',
  '/bin/sh', '#', 'a #b', 'a#b', '&a', '*a', '!a', '|', '>', "'q'", '"q"', '%x', '@x', '`x', '{}', '[]', 'a,b', '<<', '=', 'a=b',
  '/healthz*', 'a*', 'a*b', 'a*:', '-*', '--*',
  '10m', '16Mi', '0.0.0.0/0', '10.0.0.1/32', '1.2.3', 'v1.27', 'pod-security.kubernetes.io/enforce', 'a\tb', 'é', 'trailing ', ' leading',
  'line1\nline2', 'line1\nline2\n', 'line1\n\nline3\n', 'x\n\n', '\nstarts', ' indented\nsecond\n', 'tab\there\n', 'ends with space \n', 'a\n \nb\n',
  '#!/bin/sh\nset -u\necho "$1"\n', 'a\r\nb\n', '---\n', '...\n', 'key: value\nother: 1\n',
];
const ALPHABET = 'abcXYZ019._/-:@=+~ #"\'\n\t{}[],&*!|>%`?';

const MANIFEST_ALPHABET = 'abkyYnN019._/-:@=+~*';

function randomFrom(r: () => number, alphabet: string, maxLength: number): string {
  const length = Math.floor(r() * maxLength);
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

/** Mostly strings shaped like manifest values (near the fast path's edges), some anything. */
function randomString(r: () => number): string {
  const pick = r();
  if (pick < 0.1) return TRICKY_STRINGS[Math.floor(r() * TRICKY_STRINGS.length)];
  if (pick < 0.88) return (r() < 0.8 ? randomFrom(r, 'abkyYnN/', 2) : '') + randomFrom(r, MANIFEST_ALPHABET, 8);
  if (pick < 0.96) return `${randomFrom(r, MANIFEST_ALPHABET + ' "$', 10)}\n${randomFrom(r, MANIFEST_ALPHABET + '  ', 10)}${r() < 0.5 ? '\n' : ''}`;
  return randomFrom(r, ALPHABET, 12);
}

function randomScalar(r: () => number): unknown {
  const pick = r();
  if (pick < 0.55) return randomString(r);
  if (pick < 0.7) return Math.floor(r() * 2000) - 1000;
  if (pick < 0.705) return [0.5, -0, 1e21, 3.14, Number.MAX_SAFE_INTEGER + 2][Math.floor(r() * 5)];
  if (pick < 0.85) return r() < 0.5;
  return null;
}

function randomValue(r: () => number, depth: number): unknown {
  const pick = r();
  if (depth > 3 || pick < 0.5) return randomScalar(r);
  if (pick < 0.75) return randomMap(r, depth + 1);
  const items = Math.floor(r() * 4);
  return Array.from({ length: items }, () => (r() < 0.03 ? [randomScalar(r)] : randomValue(r, depth + 1)));
}

function randomMap(r: () => number, depth: number): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  const keys = Math.floor(r() * 5);
  for (let i = 0; i < keys; i++) map[r() < 0.8 ? `k${Math.floor(r() * 50)}` : randomString(r)] = randomValue(r, depth);
  return map;
}

describe('the fast YAML writer writes exactly what cdk8s Yaml.stringify writes', () => {
  test('on 8,000 random documents (seeded) built from tricky scalars and shapes', () => {
    const r = prng(20261123);
    const mismatches: string[] = [];
    let fastPath = 0;
    for (let i = 0; i < 8_000 && mismatches.length < 5; i++) {
      const doc = randomMap(r, 0);
      const ours = fastStringify(doc);
      if (ours === undefined) continue;
      fastPath++;
      const theirs = Yaml.stringify(doc);
      if (ours !== theirs) mismatches.push(`${JSON.stringify(doc)}\n--- ours\n${ours}--- library\n${theirs}`);
    }
    expect(mismatches).toEqual([]);
    // The comparison only means something if many documents took the fast path.
    expect(fastPath).toBeGreaterThan(1_500);
  });

  test('on every committed manifest', () => {
    const files = [path.join(__dirname, '..', 'dist', 'api-reader.k8s.yaml')];
    for (const file of files) {
      const docs = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
      expect(stringifyDocuments(docs)).toBe(Yaml.stringify(...docs));
    }
  });

  test.each(['2', '0', '007', 'yes', 'Off', 'null'])('the string %j is double-quoted exactly as the library does', (value) => {
    expect(fastStringify({ value })).toBe(Yaml.stringify({ value }));
  });

  test('a document it cannot write itself still comes out right (library fallback)', () => {
    const doc = { a: 1.5, b: [['nested']], c: 'x: y' };
    expect(stringifyDocument(doc)).toBe(Yaml.stringify(doc));
  });
});
