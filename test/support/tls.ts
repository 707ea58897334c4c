import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** PEM files of a throwaway CA and a server certificate it signed for 127.0.0.1 and localhost. */
export interface TestPki {
  caCert: string;
  serverKey: string;
  serverCert: string;
  /** A second CA that did not sign the server certificate. */
  otherCaCert: string;
}

/** Creates the PKI in `dir` with the real openssl. */
export function createTestPki(dir: string): TestPki {
  const file = (name: string): string => path.join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe' });
  };
  for (const ca of ['ca', 'other-ca']) {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${ca}`, '-keyout', file(`${ca}.key`), '-out', file(`${ca}.crt`));
  }
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('server.key'), '-out', file('server.csr'));
  fs.writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', file('san.ext'), '-out', file('server.crt'));
  return {
    caCert: fs.readFileSync(file('ca.crt'), 'utf8'),
    otherCaCert: fs.readFileSync(file('other-ca.crt'), 'utf8'),
    serverKey: fs.readFileSync(file('server.key'), 'utf8'),
    serverCert: fs.readFileSync(file('server.crt'), 'utf8'),
  };
}
