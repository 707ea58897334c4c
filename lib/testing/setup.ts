/**
 * A Jest setup file that registers the matchers: add it to `setupFilesAfterEnv` in your Jest config
 * (`'cdk8s-api-reader/testing/setup'`). It uses the `expect` global
 * Jest provides to setup files; nothing here is loaded outside Jest.
 */
import { apiReaderMatchers } from './index';

declare const expect: { extend(matchers: Record<string, unknown>): void };

expect.extend(apiReaderMatchers);
