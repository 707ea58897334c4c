/**
 * The webhook server's default limits, in a module of their own so that the CLI's help can name
 * them without loading the server (http, tls and the event readers).
 */

/** The largest body accepted by default: kube-apiserver's batches are far smaller (400 events). */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
