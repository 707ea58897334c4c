import { ApiReaderWalkthrough, CredentialsChart, credentialsFromEnvironment, synthToDirectory } from './lib';
import { runMain } from './lib/synth/run-main';

// The walkthrough with its contract names. Secret values, when given through the environment
// (see README), go to their own git-ignored file; by default the Secret is referenced by name.
runMain(() =>
  synthToDirectory((app) => {
    const walkthrough = new ApiReaderWalkthrough(app, 'api-reader', {
      apiServerCidr: process.env.API_READER_API_SERVER_CIDR,
    });
    const source = credentialsFromEnvironment();
    if (source) {
      new CredentialsChart(app, 'api-reader-credentials', { secret: walkthrough.secret, source, after: walkthrough });
    }
  }),
);
