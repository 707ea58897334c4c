// Where one synth process spends its time (issue 16): process start, module loading, construct
// tree, validation/resolution, serialization, writing, from the timeline synth-ours.ts reports
// and the harness's own wall clock. Wall and CPU milliseconds side by side: on a loaded machine
// the difference is time spent waiting for a core.
import { median, round3 } from './measure';
import { Instant, ProcessTimeline } from './phase-clock';

export const BREAKDOWN_PHASES = [
  'process start (Node, before the first module)',
  'module loading (cdk8s, constructs, the k8s L1, this library)',
  'construct tree (addTenants)',
  'validation/resolution (app-wide, once)',
  'serialization (toJson + YAML, every chart)',
  'writing (chart files, audit policy, staging swap)',
  'other (arguments, staging directory, process exit)',
] as const;

export interface PhaseTimes {
  phase: string;
  wall_ms: number;
  cpu_ms: number | null;
}

const span = (from: Instant, to: Instant | undefined) => ({ wall_ms: (to ?? from).wall_ms - from.wall_ms, cpu_ms: (to ?? from).cpu_ms - from.cpu_ms });

/** The phases of one process; `wall_s`/`cpu_s` are the harness's totals for it. */
export function phasesOf(t: ProcessTimeline, wall_s: number, cpu_s: number | null): PhaseTimes[] {
  const s = t.synth;
  const parts = [
    { wall_ms: t.entered.wall_ms, cpu_ms: t.entered.cpu_ms },
    span(t.entered, t.loaded),
    span(t.treeStart, t.treeEnd),
    span(s.start ?? t.treeEnd, s.resolved),
    span(s.resolved ?? t.treeEnd, s.serialized),
    span(s.serialized ?? t.treeEnd, t.done),
  ];
  const sumWall = parts.reduce((a, p) => a + p.wall_ms, 0);
  const sumCpu = parts.reduce((a, p) => a + p.cpu_ms, 0);
  parts.push({ wall_ms: wall_s * 1000 - sumWall, cpu_ms: cpu_s === null ? NaN : cpu_s * 1000 - sumCpu });
  return parts.map((p, i) => ({ phase: BREAKDOWN_PHASES[i], wall_ms: round3(p.wall_ms), cpu_ms: Number.isNaN(p.cpu_ms) ? null : round3(p.cpu_ms) }));
}

/** Per phase, the median over several processes. */
export function medianPhases(runs: PhaseTimes[][]): PhaseTimes[] {
  return BREAKDOWN_PHASES.map((phase, i) => {
    const cpus = runs.map((r) => r[i].cpu_ms).filter((x): x is number => x !== null);
    return { phase, wall_ms: Math.round(median(runs.map((r) => r[i].wall_ms))), cpu_ms: cpus.length ? Math.round(median(cpus)) : null };
  });
}
