// Seed 004: `dashboard-sa` with automounted tokens off; its pod gets a projected, bound token
// with an explicit audience and a 10-minute expiry, rotated by the kubelet. The legacy
// never-expiring `kubernetes.io/service-account-token` Secret exists only as an explicit,
// warned opt-in (DASHBOARD_LEGACY_TOKEN=true).
import { App, Chart } from 'cdk8s';
import { LegacyServiceAccountTokenSecret, ReaderIdentity, ReaderNetworkPolicy, ReaderPod, ReaderScript, RestrictedNamespace } from 'cdk8s-api-reader';

/** Options of the example. */
export interface DashboardOptions {
  /** Emit the legacy long-lived token Secret. @default - `DASHBOARD_LEGACY_TOKEN === 'true'` */
  readonly legacyToken?: boolean;
}

/** Builds the example into `app`. */
export function build(app: App, options: DashboardOptions = {}): Chart {
  const chart = new Chart(app, 'dashboard-token');
  const namespace = new RestrictedNamespace(chart, 'Namespace', { name: 'dashboard' });
  const dashboard = new ReaderIdentity(chart, 'Dashboard', { namespace, serviceAccountName: 'dashboard-sa' });
  dashboard.grant({ verbs: ['get', 'list', 'watch'], resources: ['pods'] });
  const script = new ReaderScript(chart, 'Script', { namespace });
  new ReaderPod(chart, 'Pod', {
    name: 'dashboard',
    identity: dashboard,
    script,
    secret: { name: 'dashboard-config', namespace: namespace.name },
    // The audience most clusters' API servers accept (their issuer); set yours if it differs.
    tokenAudience: 'https://kubernetes.default.svc.cluster.local',
    tokenExpirationSeconds: 600,
  });
  new ReaderNetworkPolicy(chart, 'NetworkPolicy', { namespace });
  if (options.legacyToken ?? process.env.DASHBOARD_LEGACY_TOKEN === 'true') {
    new LegacyServiceAccountTokenSecret(chart, 'LegacyToken', { serviceAccount: dashboard, acknowledgeLongLivedToken: true });
  }
  return chart;
}
