import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CredentialsSecret, ISecretRef } from './credentials-secret';
import { CredentialsSource } from './credentials-source';

/** Options for {@link CredentialsChart}. */
export interface CredentialsChartProps {
  /** Which Secret to create (name and namespace). */
  readonly secret: ISecretRef;
  /** Where its values come from. */
  readonly source: CredentialsSource;
  /**
   * The chart that creates the Secret's namespace; this chart is ordered after it.
   * @default - no ordering
   */
  readonly after?: Chart;
}

/**
 * A chart holding only the credentials Secret, so its values land in their own file
 * (`*-credentials.k8s.yaml`, git-ignored) and never in the committed manifests.
 */
export class CredentialsChart extends Chart {
  /** The Secret. */
  public readonly secret: CredentialsSecret;

  public constructor(scope: Construct, id: string, props: CredentialsChartProps) {
    super(scope, id);
    this.secret = new CredentialsSecret(this, 'Secret', {
      name: props.secret.name,
      namespace: { name: props.secret.namespace },
      source: props.source,
    });
    if (props.after) {
      this.addDependency(props.after);
    }
  }
}
