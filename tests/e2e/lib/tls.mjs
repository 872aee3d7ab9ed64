// A throwaway CA and a server certificate for 127.0.0.1 made with openssl, as an operator makes
// them: the server's key is encrypted with a passphrase (OpenSSL 3's PKCS#8 format).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function makeCertificates() {
  const dir = mkdtempSync(join(tmpdir(), 'soketi-orleans-tls-'));
  const file = name => join(dir, name);
  const openssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const passphrase = 'e2e passphrase';
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt',
    '-days', '1', '-subj', '/CN=soketi-orleans e2e CA');
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-passout', `pass:${passphrase}`, '-keyout', 'server.key',
    '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt',
    '-days', '1', '-extfile', 'server.ext');
  return {
    caPath: file('ca.crt'),
    ca: readFileSync(file('ca.crt'), 'utf8'),
    /** SOKETI_SSL_* variables that make a server present the certificate. */
    env: { SOKETI_SSL_CERT: file('server.crt'), SOKETI_SSL_KEY: file('server.key'), SOKETI_SSL_PASS: passphrase },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
