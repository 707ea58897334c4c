// The API versions a kube-apiserver started with default flags serves, per release, from its
// discovery (`/api`, `/apis`). Releases not listed follow the GA rule (see `served-apis.ts`).
// Regenerate from a running default server with `node scripts/generate-kube-data/served.js`.

/** Served `GROUP/VERSION`s (core: `v1`) by minor release, from a default server's discovery. */
export const DEFAULT_SERVED_GROUP_VERSIONS: Readonly<Partial<Record<string, readonly string[]>>> = {};
