import { IConstruct } from 'constructs';
import { checkUniqueObjects } from './unique-objects';

/**
 * Registers a validation on `scope` that cdk8s runs at synth time, when all errors of the app
 * are collected together with their construct paths before anything is written. The app then
 * also refuses two objects with one name (see `checkUniqueObjects`).
 *
 * @param scope the construct the messages belong to
 * @param check returns whole sentences (what is wrong, then how to fix it), one per problem;
 *   empty when all is well
 */
export function addValidation(scope: IConstruct, check: () => string[]): void {
  scope.node.addValidation({ validate: check });
  checkUniqueObjects(scope);
}
