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

/** A ConfigMap holding the reader script under the key {@link READER_SCRIPT_FILE}, for {@link ReaderPod}. */
export interface IReaderScriptRef {
  /** The ConfigMap's name. */
  readonly name: string;
  /** The namespace it lives in (a pod mounts only ConfigMaps of its own namespace). */
  readonly namespace: string;
}

/** A ConfigMap holding the reader script ({@link READER_SCRIPT}), mounted by reader pods. */
export class ReaderScript extends Construct implements IReaderScriptRef {
  /**
   * Refers to a script ConfigMap this app does not create (one chart's ReaderScript shared by
   * another, or one made by `kubectl create configmap`): it must hold the script under the key
   * {@link READER_SCRIPT_FILE} (`read-secret.sh`).
   * @param name the ConfigMap's name
   * @param namespace its namespace, the reader pod's
   */
  public static fromConfigMapName(name: string, namespace: string): IReaderScriptRef {
    return { name, namespace };
  }

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
