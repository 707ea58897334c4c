import { Construct } from 'constructs';
import { KubeConfigMap } from '../imports/k8s';
import { addValidation } from './private/validation';
import { dns1123SubdomainProblems } from './private/names';
import { INamespaceRef } from './restricted-namespace';
import { READER_SCRIPT } from './reader-script-source';

/** The file name of the script inside the ConfigMap (and the mounted directory). */
export const READER_SCRIPT_FILE = 'read-secret.sh';

/** Options for {@link ReaderScript}. */
export interface ReaderScriptProps {
  /** The namespace the readers run in. */
  readonly namespace: INamespaceRef;
  /**
   * The ConfigMap's name.
   * @default 'api-reader-script'
   */
  readonly name?: string;
}

/** A ConfigMap holding the reader script ({@link READER_SCRIPT}), mounted by reader pods. */
export class ReaderScript extends Construct {
  /** The ConfigMap's name. */
  public readonly name: string;
  /** The namespace it lives in. */
  public readonly namespace: string;

  public constructor(scope: Construct, id: string, props: ReaderScriptProps) {
    super(scope, id);
    this.name = props.name ?? 'api-reader-script';
    this.namespace = props.namespace.name;
    new KubeConfigMap(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      data: { [READER_SCRIPT_FILE]: READER_SCRIPT },
    });
    addValidation(this, () => dns1123SubdomainProblems('ConfigMap name', this.name));
  }
}
