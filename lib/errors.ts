import { IConstruct } from 'constructs';

/**
 * An error in the user's input, reported with the construct path where it was found and
 * how to fix it. Thrown eagerly only where validation cannot wait for synth.
 */
export class ApiReaderConfigError extends Error {
  /** The construct path the error belongs to, e.g. `walkthrough/secret-access/pod`. */
  public readonly constructPath: string;

  /**
   * @param scope the construct whose input is wrong
   * @param problem what is wrong, as a whole sentence
   * @param fix how to fix it, as a whole sentence
   */
  public constructor(scope: IConstruct, problem: string, fix: string) {
    super(`[${scope.node.path}] ${problem} ${fix}`);
    this.name = 'ApiReaderConfigError';
    this.constructPath = scope.node.path;
  }
}

/**
 * Registers a validation on `scope` that cdk8s runs at synth time, when all errors of the app
 * are collected together with their construct paths before anything is written.
 *
 * @param scope the construct the messages belong to
 * @param check returns whole sentences, one per problem; empty when all is well
 */
export function addValidation(scope: IConstruct, check: () => string[]): void {
  scope.node.addValidation({ validate: check });
}
