// The machine's load, recorded around the measurements. A benchmark on a shared machine is only
// fair when the tools compared saw the same load: runs are interleaved for that, and the report
// warns when the load was high enough that the absolute figures mean little (more runnable
// processes than cores) or changed a lot during the run. The load average does not see a virtual
// machine's host being busy (its CPU then simply runs slower), so each reading also times a fixed
// piece of CPU work: when that varies, the machine's speed changed under the run.
import * as os from 'os';

/** One reading: the 1, 5 and 15 minute load averages, the speed probe's milliseconds, and when. */
export interface LoadReading {
  at: string;
  label: string;
  loadavg: number[];
  probe_ms: number;
}

/** Milliseconds for a fixed amount of single-threaded CPU work (about 20 ms on this 2-core machine when idle); the best of three. */
export function speedProbe(): number {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint();
    let x = 0;
    for (let i = 0; i < 5_000_000; i++) x = (x + i * 7) % 1_000_003;
    if (x < 0) throw new Error('unreachable'); // uses the result, so the loop is not optimized away
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return Math.round(best * 10) / 10;
}

export class LoadLog {
  readonly readings: LoadReading[] = [];
  readonly cores = os.cpus().length;

  /** Records the load now. */
  record(label: string): LoadReading {
    const reading = { at: new Date().toISOString(), label, loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100), probe_ms: speedProbe() };
    this.readings.push(reading);
    return reading;
  }

  /** Why the comparison may be unfair, empty when the load stayed low. */
  warnings(): string[] {
    const ones = this.readings.map((r) => r.loadavg[0]);
    const out: string[] = [];
    const max = Math.max(...ones);
    if (max > this.cores) {
      out.push(`the 1-minute load average reached ${max.toFixed(1)} on ${this.cores} cores: other work competed for the CPU, so wall times include waiting for a core. Runs were interleaved, so tools saw similar load, but compare ratios and CPU times rather than absolute seconds, and expect more noise than the min-max columns suggest.`);
    }
    if (Math.min(...ones) * 2 + 1 < max) {
      out.push(`the load changed during the run (1-minute average ${Math.min(...ones).toFixed(1)} to ${max.toFixed(1)}): rows measured at different times saw different machines.`);
    }
    const probes = this.readings.map((r) => r.probe_ms);
    const [fastest, slowest] = [Math.min(...probes), Math.max(...probes)];
    if (slowest > fastest * 1.2) {
      out.push(`the speed probe (fixed CPU work) took ${fastest} to ${slowest} ms across the run: the machine's speed changed (a busy host shows here, not in the load average). Compare the paired ratios (ours / helm within each round), not the medians of different moments.`);
    }
    return out;
  }
}
