/**
 * User Timing marks at the boundaries of the linear synth's phases, so that a profiler or the
 * benchmark can say where a synth spends its time without a profiler's overhead. Each mark is
 * named `api-reader:synth:<phase>` and carries the process's CPU time so far (microseconds, user
 * plus system) as `detail.cpuMicros`, which stays meaningful on a loaded machine.
 */
import { performance } from 'perf_hooks';

/** The marks, in order: before validation, after app-wide validation and resolution, after rendering every chart to YAML, after writing the chart files. */
export const SYNTH_PHASES = ['start', 'resolved', 'serialized', 'written'] as const;

/** One of {@link SYNTH_PHASES}. */
export type SynthPhase = (typeof SYNTH_PHASES)[number];

/** The mark name of a phase. */
export function synthPhaseMark(phase: SynthPhase): string {
  return `api-reader:synth:${phase}`;
}

/** Records that the synth reached `phase`. */
export function markSynthPhase(phase: SynthPhase): void {
  const { user, system } = process.cpuUsage();
  const name = synthPhaseMark(phase);
  performance.clearMarks(name); // only the latest synth's marks: a long-lived process never accumulates them
  performance.mark(name, { detail: { cpuMicros: user + system } });
}
