import { Construct } from 'constructs';
import { KubeSecret } from '../imports/k8s';
import { CredentialsSource } from './credentials-source';
import { addValidation } from './private/validation';
import { dns1123SubdomainProblems } from './private/names';
import { secretKeyProblem } from './private/secret-keys';
import { INamespaceRef } from './restricted-namespace';

/** A Secret that readers may be granted access to, whether this app manages it or not. */
export interface ISecretRef {
  /** The Secret's name. */
  readonly name: string;
  /** The namespace the Secret lives in. */
  readonly namespace: string;
}

/** Options for {@link CredentialsSecret}. */
export interface CredentialsSecretProps {
  /** The Secret's name (a DNS-1123 subdomain). */
  readonly name: string;
  /** The namespace to create it in. */
  readonly namespace: INamespaceRef;
  /** Where the values come from. Values are read at synth time, never from source code. */
  readonly source: CredentialsSource;
}

/**
 * An Opaque Secret holding the credentials a reader fetches. Values are base64 `data` (never
 * plaintext `stringData`), and nothing in a validation message ever echoes a value.
 *
 * To reference a Secret managed elsewhere (sealed-secrets, external-secrets, `kubectl create
 * secret`), use {@link CredentialsSecret.fromExistingSecretName} instead: no object is emitted.
 */
export class CredentialsSecret extends Construct implements ISecretRef {
  /**
   * Refers to a Secret this app does not manage.
   *
   * @param name the Secret's name
   * @param namespace the namespace it lives in
   */
  public static fromExistingSecretName(name: string, namespace: string): ISecretRef {
    return { name, namespace };
  }

  public readonly name: string;
  public readonly namespace: string;

  public constructor(scope: Construct, id: string, props: CredentialsSecretProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace.name;

    const resolved = props.source.resolve();
    if (resolved.isDemo) {
      process.stderr.write(
        `WARNING [${this.node.path}]: Secret ${this.namespace}/${this.name} holds generated DEMO credentials. ` +
          'Use them on a throwaway cluster only; never commit the file they are written to.\n',
      );
    }
    // A source of one's own may give keys a Secret cannot hold; say so rather than drop or emit them.
    const keyProblems = Object.keys(resolved.values).flatMap((key) => {
      const problem = secretKeyProblem(key);
      return problem === undefined ? [] : [`The credentials source gave ${problem}`];
    });
    addValidation(this, () => [...dns1123SubdomainProblems('secret name', props.name), ...resolved.problems, ...keyProblems]);

    if (resolved.problems.length === 0 && keyProblems.length === 0) {
      const data: Record<string, string> = {};
      for (const key of Object.keys(resolved.values).sort()) {
        data[key] = Buffer.from(resolved.values[key], 'utf8').toString('base64');
      }
      new KubeSecret(this, 'Resource', {
        metadata: { name: this.name, namespace: this.namespace },
        type: 'Opaque',
        data,
      });
    }
  }
}
