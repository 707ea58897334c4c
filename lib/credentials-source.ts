import { randomBytes } from 'crypto';
import { readFileSync } from 'fs';
import { secretKeyProblem } from './private/secret-keys';

/** What a {@link CredentialsSource} produced: the values, or sentences saying what is missing. */
export interface ResolvedCredentials {
  /** Key/value pairs for the Secret's data; empty when `problems` is not. */
  readonly values: Readonly<Record<string, string>>;
  /** Whole sentences describing what is wrong and how to fix it; never contain a value. */
  readonly problems: readonly string[];
  /** True when the values are generated demo values. */
  readonly isDemo: boolean;
}

/** Default mapping from Secret keys to environment variables. */
export const DEFAULT_CREDENTIAL_ENV: Readonly<Record<string, string>> = {
  username: 'API_READER_USERNAME',
  password: 'API_READER_PASSWORD',
};

/**
 * Environment variables as `process.env` holds them, typed without `@types/node` so the
 * package's declarations compile in any TypeScript project.
 */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

/**
 * Where the credentials Secret's values come from. Values are read at synth time and never
 * appear in source code; problems are reported without echoing any value.
 */
export abstract class CredentialsSource {
  /**
   * Values from environment variables, one per Secret key.
   *
   * @param keysToVariables Secret key -> environment variable name
   * @param env the environment to read
   * @default keysToVariables `{ username: 'API_READER_USERNAME', password: 'API_READER_PASSWORD' }`
   * @default env `process.env`
   */
  public static fromEnvironment(
    keysToVariables: Readonly<Record<string, string>> = DEFAULT_CREDENTIAL_ENV,
    env: EnvironmentVariables = process.env,
  ): CredentialsSource {
    return new EnvironmentSource(keysToVariables, env);
  }

  /**
   * Values from a `KEY=VALUE` file, the format of `kubectl create secret --from-env-file`
   * (blank lines and `#` comments are skipped; values are taken verbatim).
   *
   * @param path the file to read at synth time; keep it out of version control
   */
  public static fromEnvFile(path: string): CredentialsSource {
    return new EnvFileSource(path);
  }

  /**
   * Random demo values, generated anew on every synth, with a loud warning on stderr.
   * For a throwaway cluster only.
   *
   * @param keys the Secret keys to fill
   * @default keys `['username', 'password']`
   */
  public static demo(keys: readonly string[] = Object.keys(DEFAULT_CREDENTIAL_ENV)): CredentialsSource {
    return new DemoSource(keys);
  }

  /** True when at least one variable of the default mapping is set in `env`. */
  public static isConfiguredInEnvironment(env: EnvironmentVariables = process.env): boolean {
    return Object.values(DEFAULT_CREDENTIAL_ENV).some((variable) => env[variable] !== undefined);
  }

  /** Reads the values. Never throws for missing or empty input: it reports problems instead. */
  public abstract resolve(): ResolvedCredentials;
}

class EnvironmentSource extends CredentialsSource {
  public constructor(
    private readonly keysToVariables: Readonly<Record<string, string>>,
    private readonly env: EnvironmentVariables,
  ) {
    super();
  }

  public resolve(): ResolvedCredentials {
    const values: Record<string, string> = {};
    const problems: string[] = [];
    for (const [key, variable] of Object.entries(this.keysToVariables)) {
      const value = this.env[variable];
      if (value === undefined || value === '') {
        problems.push(`The environment variable ${variable} (Secret key "${key}") is ${value === undefined ? 'not set' : 'empty'}. Export a non-empty value before synth.`);
      } else {
        values[key] = value;
      }
    }
    if (Object.keys(this.keysToVariables).length === 0) {
      problems.push('No Secret keys were mapped to environment variables. Map at least one key.');
    }
    return problems.length > 0 ? { values: {}, problems, isDemo: false } : { values, problems, isDemo: false };
  }
}

class EnvFileSource extends CredentialsSource {
  public constructor(private readonly path: string) {
    super();
  }

  public resolve(): ResolvedCredentials {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
      return { values: {}, problems: [`The credentials file "${this.path}" cannot be read (${code}). Create it with KEY=VALUE lines or fix the path.`], isDemo: false };
    }
    const values: Record<string, string> = {};
    const lineOfKey = new Map<string, number>();
    const problems: string[] = [];
    text.split(/\r?\n/).forEach((line, index) => {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) return;
      const eq = line.indexOf('=');
      const key = eq > 0 ? line.slice(0, eq).trim() : '';
      const where = `${this.path}:${index + 1}`;
      const keyProblem = key === '' ? undefined : secretKeyProblem(key);
      if (key === '') {
        problems.push(`${where} is not a KEY=VALUE line. Write it as KEY=VALUE.`);
      } else if (keyProblem !== undefined) {
        problems.push(`${where}: ${keyProblem}`);
      } else if (lineOfKey.has(key)) {
        problems.push(`${where}: the key "${key}" is already set on line ${lineOfKey.get(key)}. Keep one of the two lines.`);
      } else if (line.slice(eq + 1) === '') {
        problems.push(`${where}: the value of "${key}" is empty. Give it a non-empty value.`);
      } else {
        lineOfKey.set(key, index + 1);
        values[key] = line.slice(eq + 1);
      }
    });
    if (problems.length === 0 && Object.keys(values).length === 0) {
      problems.push(`The credentials file "${this.path}" holds no KEY=VALUE lines. Add at least one.`);
    }
    return problems.length > 0 ? { values: {}, problems, isDemo: false } : { values, problems, isDemo: false };
  }
}

class DemoSource extends CredentialsSource {
  public constructor(private readonly keys: readonly string[]) {
    super();
  }

  public resolve(): ResolvedCredentials {
    const values: Record<string, string> = {};
    for (const key of this.keys) {
      values[key] = key === 'username' ? 'demo-reader' : randomBytes(18).toString('base64url');
    }
    return { values, problems: [], isDemo: true };
  }
}
