import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, test } from 'node:test';
import { useServer } from './lib/fixtures.mjs';
import { makeCertificates } from './lib/tls.mjs';

const CLIENT_TIMEOUT_MS = 20_000;

// soketi's SOKETI_SSL_* with files made by openssl: wss:// and https:// on the one port.
const certificates = makeCertificates();
const fixture = useServer({ env: certificates.env, tls: { ca: certificates.ca } });
after(() => certificates.remove());

/** Runs lib/tls-client.mjs; resolves with its exit code and the JSON lines it printed. */
function runTlsClient(channel, env) {
  return new Promise(resolveRun => {
    // Node warns on stderr that pusher-js's WebSocket library names the IP address as the TLS server name.
    execFile(process.execPath, ['--no-deprecation', 'lib/tls-client.mjs', JSON.stringify({ port: fixture.server.port, channel })],
      { cwd: import.meta.dirname, env, timeout: CLIENT_TIMEOUT_MS }, (error, stdout, stderr) => {
        resolveRun({
          code: error ? error.code ?? error.signal : 0,
          steps: stdout.split('\n').filter(line => line.length > 0).map(line => JSON.parse(line)),
          stderr,
        });
      });
  });
}

test('pusher-js with forceTLS receives an event the pusher SDK triggered with useTLS, trusting the CA through NODE_EXTRA_CA_CERTS', async () => {
  const run = await runTlsClient('tls-e2e', { ...process.env, NODE_EXTRA_CA_CERTS: certificates.caPath });

  assert.deepEqual(run, {
    code: 0,
    steps: [{ connected: true }, { subscribed: 'tls-e2e' }, { triggered: 200 }, { received: { over: 'tls' } }],
    stderr: '',
  });
});

test('without the CA neither pusher-js nor the SDK accepts the server certificate: verification is on', async () => {
  const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_EXTRA_CA_CERTS'));

  const run = await runTlsClient('tls-e2e-untrusted', environment);

  assert.deepEqual(run, { code: 1, steps: [{ unavailable: true }, { triggerFailed: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }], stderr: '' });
});
