import { CredentialsSource, EnvironmentVariables } from './credentials-source';

/** The environment variables {@link credentialsFromEnvironment} reads. */
export const CREDENTIALS_ENV = {
  /** Path of a KEY=VALUE file with the Secret's values. */
  file: 'API_READER_CREDENTIALS_FILE',
  /** Set to `true` for generated demo values (throwaway clusters only). */
  demo: 'API_READER_DEMO_CREDENTIALS',
} as const;

/**
 * Picks the credentials source the user asked for through the environment, in this order:
 * a KEY=VALUE file (`API_READER_CREDENTIALS_FILE`), the `API_READER_USERNAME` /
 * `API_READER_PASSWORD` variables, demo values (`API_READER_DEMO_CREDENTIALS=true`).
 *
 * @param env the environment to read
 * @default env `process.env`
 * @returns the source, or `undefined` when none is configured (the Secret is then only
 *   referenced by name and must be created separately)
 */
export function credentialsFromEnvironment(env: EnvironmentVariables = process.env): CredentialsSource | undefined {
  const file = env[CREDENTIALS_ENV.file];
  if (file !== undefined) return CredentialsSource.fromEnvFile(file);
  if (CredentialsSource.isConfiguredInEnvironment(env)) return CredentialsSource.fromEnvironment(undefined, env);
  if (env[CREDENTIALS_ENV.demo] === 'true') return CredentialsSource.demo();
  return undefined;
}
