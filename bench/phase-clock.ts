// Wall and CPU time inside a synth process, for the bench's breakdown. Import this module first:
// the instant it is loaded is the end of Node's own start-up and the start of module loading.
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { SYNTH_PHASES, SynthPhase, synthPhaseMark } from '../lib/synth/private/phases';

/** A point in the process's life: milliseconds since the process started, and CPU milliseconds used so far. */
export interface Instant {
  wall_ms: number;
  cpu_ms: number;
}

export function now(): Instant {
  const { user, system } = process.cpuUsage();
  return { wall_ms: performance.now(), cpu_ms: (user + system) / 1000 };
}

/** When the first bench module ran: everything before is Node's start-up. */
export const entered = now();

/** The instants a synth process reports (`BENCH_BREAKDOWN_FILE`), all optional but `entered`. */
export interface ProcessTimeline {
  entered: Instant;
  loaded: Instant;
  treeStart: Instant;
  treeEnd: Instant;
  synth: Partial<Record<SynthPhase, Instant>>;
  done: Instant;
}

/** The linear synth's User Timing marks, read back. */
export function synthMarks(): Partial<Record<SynthPhase, Instant>> {
  const out: Partial<Record<SynthPhase, Instant>> = {};
  for (const phase of SYNTH_PHASES) {
    const mark = performance.getEntriesByName(synthPhaseMark(phase), 'mark')[0] as { startTime: number; detail?: { cpuMicros?: number } } | undefined;
    if (mark?.detail?.cpuMicros !== undefined) out[phase] = { wall_ms: mark.startTime, cpu_ms: mark.detail.cpuMicros / 1000 };
  }
  return out;
}

/** Writes the timeline where the harness asked for it, if it did. */
export function reportTimeline(timeline: ProcessTimeline): void {
  const file = process.env.BENCH_BREAKDOWN_FILE;
  if (file) fs.writeFileSync(file, JSON.stringify(timeline));
}
