// The machine's load, recorded around the measurements. A benchmark on a shared machine is only
// fair when the tools compared saw the same load: runs are interleaved for that, and the report
// warns when the load was high enough that the absolute figures mean little (more runnable
// processes than cores) or changed a lot during the run.
import * as os from 'os';

/** One reading: the 1, 5 and 15 minute load averages, and when. */
export interface LoadReading {
  at: string;
  label: string;
  loadavg: number[];
}

export class LoadLog {
  readonly readings: LoadReading[] = [];
  readonly cores = os.cpus().length;

  /** Records the load now. */
  record(label: string): LoadReading {
    const reading = { at: new Date().toISOString(), label, loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100) };
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
    return out;
  }
}
