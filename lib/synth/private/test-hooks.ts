/**
 * Points where a test can stop the directory synth, to act at a moment it knows was reached
 * (kill the process there) instead of after a delay that a fast or a slow machine gets wrong.
 * Only tests set these, from a child process they spawn; no barrel exports them, and no
 * environment variable or option reaches them, so a production synth never pauses.
 */
export const synthTestHooks: {
  /**
   * Called when the staging directory holds every new file and the swap into the output
   * directory has not begun.
   */
  staged?: (stagingDir: string) => void;
} = {};
