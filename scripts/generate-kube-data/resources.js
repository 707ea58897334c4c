// The built-in API resources of one release, from the discovery documents upstream commits in
// `api/discovery/` (`hack/update-openapi-spec.sh` fetches them from a real kube-apiserver started
// with every alpha and beta API enabled, so some versions listed are off on a default server).
// Named groups come from the aggregated discovery (`aggregated_v2.json`, which is /apis only);
// the core group from `api__v1.json`.
'use strict';

const DISCOVERY = 'api/discovery';

/** A table row for a resource first seen in `version`. */
function entry(group, version, r) {
  return {
    group,
    resource: r.resource,
    singular: r.singular,
    kind: r.kind,
    namespaced: r.namespaced,
    versions: [version],
    shortNames: [...(r.shortNames ?? [])],
    verbs: [...(r.verbs ?? [])],
    subresources: r.subresources,
  };
}

/** Adds one version's view of a resource; the first (most preferred) version's fields win. */
function add(table, group, version, r) {
  const key = `${r.resource}.${group}`;
  const known = table.get(key);
  if (known) known.versions.push(version);
  else table.set(key, entry(group, version, r));
}

/** The core group (`/api/v1`), from the legacy discovery list: subresources are `pods/log` entries. */
function coreResources(table, list) {
  const subresources = new Map();
  for (const r of list.resources) {
    const [resource, sub] = r.name.split('/');
    if (sub === undefined) continue;
    if (!subresources.has(resource)) subresources.set(resource, []);
    subresources.get(resource).push({ name: sub, verbs: [...(r.verbs ?? [])] });
  }
  for (const r of list.resources) {
    if (r.name.includes('/')) continue;
    add(table, '', list.groupVersion, {
      resource: r.name, singular: r.singularName, kind: r.kind, namespaced: r.namespaced,
      shortNames: r.shortNames, verbs: r.verbs, subresources: subresources.get(r.name) ?? [],
    });
  }
}

/** The named groups, from the aggregated discovery list (versions are in preference order). */
function groupResources(table, aggregated) {
  for (const g of aggregated.items) {
    for (const v of g.versions) {
      for (const r of v.resources ?? []) {
        add(table, g.metadata.name, v.version, {
          resource: r.resource, singular: r.singularResource, kind: r.responseKind?.kind, namespaced: r.scope === 'Namespaced',
          shortNames: r.shortNames, verbs: r.verbs,
          subresources: (r.subresources ?? []).map((s) => ({ name: s.subresource, verbs: [...(s.verbs ?? [])] })),
        });
      }
    }
  }
}

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Reads the built-in resources of one module version.
 * @param {(file: string) => { file: string, sha256: string, text: string }} read reads a module file
 * @returns {{ sources: Array<{ file: string, sha256: string }>, resources: object[] }} resources sorted by group, then resource
 */
function readApiResources(read) {
  const core = read(`${DISCOVERY}/api__v1.json`);
  const aggregated = read(`${DISCOVERY}/aggregated_v2.json`);
  const table = new Map();
  coreResources(table, JSON.parse(core.text));
  groupResources(table, JSON.parse(aggregated.text));
  const resources = [...table.values()].sort((a, b) => compare(a.group, b.group) || compare(a.resource, b.resource));
  for (const r of resources) {
    if (!r.kind || !r.singular) throw new Error(`${aggregated.file}: resource ${r.resource}.${r.group} has no kind or singular name`);
  }
  return { sources: [core, aggregated].map((s) => ({ file: s.file, sha256: s.sha256 })), resources };
}

module.exports = { readApiResources };
