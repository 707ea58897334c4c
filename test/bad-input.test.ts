import { App, Chart } from 'cdk8s';
import {
  AccessBinding,
  AccessRole,
  ApiReaderWalkthrough,
  CredentialsChart,
  CredentialsSource,
  ReaderIdentity,
  ReaderPod,
  ReaderScript,
  RestrictedNamespace,
  synthToDirectory,
} from '../lib';
import { previousOutput } from './support/outdir';

/**
 * Each case builds a bad app inside synthToDirectory over a previous output: synth must fail
 * with a message naming the construct path and the fix, and leave the previous output as it was.
 */
function expectSynthFailure(build: (app: App) => void, ...messages: RegExp[]): Error {
  const out = previousOutput();
  const before = out.contents();
  let error: Error | undefined;
  try {
    synthToDirectory(build, { outdir: out.dir });
  } catch (err) {
    error = err as Error;
  }
  expect(error).toBeDefined();
  for (const message of messages) expect(error!.message).toMatch(message);
  expect(out.contents()).toEqual(before);
  return error!;
}

function readerSetup(app: App, options: { namespace?: string; saName?: string; expiration?: number } = {}) {
  const chart = new Chart(app, 'c');
  const ns = new RestrictedNamespace(chart, 'ns', { name: options.namespace ?? 'team-a' });
  const identity = new ReaderIdentity(chart, 'reader', { namespace: ns, serviceAccountName: options.saName ?? 'reader-sa' });
  const script = new ReaderScript(chart, 'script', { namespace: ns });
  new ReaderPod(chart, 'pod', {
    name: 'reader',
    identity,
    script,
    secret: { name: 'creds', namespace: ns.name },
    tokenExpirationSeconds: options.expiration,
  });
  return { chart, ns, identity };
}

describe('bad input fails synth with the construct path and the fix, writing nothing', () => {
  test.each([
    ['an uppercase namespace name', { namespace: 'Dev' }, /\[c\/ns\] The namespace name "Dev" is not a lowercase RFC 1123 label\. Use only lowercase/],
    ['a namespace name over 63 characters', { namespace: 'a'.repeat(64) }, /\[c\/ns\] The namespace name "a{64}" is 64 characters long\. Shorten it to at most 63\./],
    ['an uppercase ServiceAccount name', { saName: 'Reader_SA' }, /\[c\/reader\] The ServiceAccount name "Reader_SA" is not a lowercase RFC 1123 subdomain/],
    ['a token lifetime below the API server minimum', { expiration: 599 }, /\[c\/pod\] tokenExpirationSeconds 599 is outside 600\.\.86400 \(the API server's minimum is 600\)\. Use a whole number/],
    ['a token lifetime above one day', { expiration: 86401 }, /\[c\/pod\] tokenExpirationSeconds 86401 is outside 600\.\.86400/],
  ])('%s', (_name, options, message) => {
    expectSynthFailure((app) => readerSetup(app, options), message);
  });

  test('a grant on a Secret in another namespace fails instead of silently granting in the wrong one', () => {
    expectSynthFailure(
      (app) => {
        const { identity } = readerSetup(app);
        const grant = identity.grantRead({ name: 'prod-creds', namespace: 'prod' });
        expect(grant.success).toBe(false);
        expect(() => grant.assertSuccess()).toThrow(/targets namespace "prod", but its RoleBinding grants only in "team-a"/);
      },
      /\[c\/reader\] The grant for system:serviceaccount:team-a:reader-sa targets namespace "prod", but its RoleBinding grants only in "team-a"\. Pass \{ crossNamespace: true \}/,
    );
  });

  test('empty credentials from the environment name the variable, never a value', () => {
    const error = expectSynthFailure(
      (app) => {
        const w = new ApiReaderWalkthrough(app, 'w');
        const source = CredentialsSource.fromEnvironment(undefined, { API_READER_USERNAME: 'u-9f3k2q', API_READER_PASSWORD: '' });
        new CredentialsChart(app, 'w-credentials', { secret: w.secret, source, after: w });
      },
      /\[w-credentials\/Secret\] The environment variable API_READER_PASSWORD \(Secret key "password"\) is empty\. Export a non-empty value before synth\./,
    );
    expect(error.message).not.toContain('u-9f3k2q');
  });

  test('a ClusterRoleBinding ServiceAccount subject without a namespace', () => {
    expectSynthFailure(
      (app) => {
        const chart = new Chart(app, 'c');
        const role = new AccessRole(chart, 'role', { name: 'log-reader', rules: [{ verbs: ['get'], resources: ['pods/log'] }] });
        new AccessBinding(chart, 'crb', { name: 'log-reader', role, subjects: [{ kind: 'ServiceAccount', name: 'log-exporter-sa' }] });
      },
      /\[c\/crb\] The ServiceAccount subject "log-exporter-sa" of ClusterRoleBinding "log-reader" has no namespace, so it matches nobody\. Set the subject's namespace/,
    );
  });

  test('a binding subject naming the wrong namespace for a ServiceAccount this chart defines', () => {
    expectSynthFailure(
      (app) => {
        const { chart, identity } = readerSetup(app);
        new AccessBinding(chart, 'crb', { name: 'extra', role: identity.role, subjects: [{ kind: 'ServiceAccount', name: 'reader-sa', namespace: 'default' }] });
      },
      /\[c\/crb\] The ServiceAccount subject "reader-sa" of ClusterRoleBinding "extra" names namespace "default", but this app defines that ServiceAccount in "team-a"\./,
    );
  });

  test('a binding in another chart naming the wrong namespace for a ServiceAccount of the app', () => {
    expectSynthFailure(
      (app) => {
        const namespace = new RestrictedNamespace(new Chart(app, 'exporter'), 'ns', { name: 'log-exporter' });
        new ReaderIdentity(namespace.node.scope as Chart, 'sa', { namespace, serviceAccountName: 'log-exporter-sa' });
        const other = new Chart(app, 'grants');
        const role = new AccessRole(other, 'role', { name: 'log-reader', rules: [{ verbs: ['get'], resources: ['pods/log'] }] });
        new AccessBinding(other, 'crb', { name: 'log-reader', role, subjects: [{ kind: 'ServiceAccount', name: 'log-exporter-sa', namespace: 'default' }] });
      },
      /\[grants\/crb\] The ServiceAccount subject "log-exporter-sa" of ClusterRoleBinding "log-reader" names namespace "default", but this app defines that ServiceAccount in "log-exporter"\./,
    );
  });

  test('duplicate object names in one namespace', () => {
    expectSynthFailure(
      (app) => {
        const w = new ApiReaderWalkthrough(app, 'w');
        new ReaderIdentity(w, 'again', { namespace: w.readerNamespace, serviceAccountName: 'secret-access-sa' })
          .grant({ verbs: ['get'], resources: ['configmaps'] });
      },
      /\[w\/again\/ServiceAccount\] ServiceAccount "secret-access-sa" in namespace "dev" is defined twice \(w\/SecretAccess\/ServiceAccount and w\/again\/ServiceAccount\): kubectl apply would keep only the last one, .* Give one of them another name/,
      /\[w\/again\/Binding\/Resource\] RoleBinding "secret-access-rb" in namespace "dev" is defined twice/,
    );
  });

  test('all problems of an app are reported together', () => {
    expectSynthFailure((app) => readerSetup(app, { namespace: 'Bad', expiration: 10 }), /\[c\/ns\]/, /\[c\/pod\]/);
  });

  test('a construct that throws while the app is built', () => {
    expectSynthFailure(() => {
      throw new Error('late failure');
    }, /late failure/);
  });
});
