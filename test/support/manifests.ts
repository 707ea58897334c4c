import { App, Chart, Testing } from 'cdk8s';

/** A plain Kubernetes object as synthesized. */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [key: string]: any };

/** Synthesizes one chart (running validations) into plain objects. */
export function synthChart(chart: Chart): Manifest[] {
  return Testing.synth(chart) as Manifest[];
}

/** Synthesizes every chart of an app, in order, running the app's validations once. */
export function synthApp(app: App): Manifest[] {
  return app.charts.flatMap((chart) => Testing.synth(chart) as Manifest[]);
}

/** The one object of `kind` named `name`; fails loudly when it is missing or ambiguous. */
export function findObject(objects: Manifest[], kind: string, name: string): Manifest {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${kind} "${name}", found ${found.length}`);
  }
  return found[0];
}

/** Every object of `kind`. */
export function objectsOfKind(objects: Manifest[], kind: string): Manifest[] {
  return objects.filter((o) => o.kind === kind);
}
