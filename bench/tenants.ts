/** The benchmark's tenants: `tenant-0000`, `tenant-0001`, ... (the same names for every tool). */
export function benchTenants(n: number): { name: string }[] {
  return Array.from({ length: n }, (_, i) => ({ name: `tenant-${String(i).padStart(4, '0')}` }));
}

/** Reads `N OUTDIR` from argv, or exits with usage. */
export function parseArgs(argv: readonly string[], tool: string): { n: number; outdir: string } {
  const n = Number(argv[2]);
  const outdir = argv[3];
  if (!Number.isInteger(n) || n < 1 || !outdir) {
    process.stderr.write(`usage: node build/bench/${tool}.js TENANTS OUTDIR\n`);
    process.exit(2);
  }
  return { n, outdir };
}
