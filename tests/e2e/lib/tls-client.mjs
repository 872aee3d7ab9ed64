// pusher-js with forceTLS and the pusher SDK with useTLS, in a process of their own: Node reads the
// extra CA it trusts (NODE_EXTRA_CA_CERTS) only when it starts, so the test process, which makes
// the CA, cannot trust it itself. Certificate verification stays on.
// Usage: node tls-client.mjs '{"port":6001,"channel":"c"}'. Prints one JSON line per step: exits 0
// once the event it triggered arrived, 1 when pusher-js could not connect.
import Pusher from 'pusher-js';
import PusherServer from 'pusher';
import { APP } from './server.mjs';

/** How long pusher-js tries before it reports the connection unavailable. */
const UNAVAILABLE_MS = 3_000;

const { port, channel } = JSON.parse(process.argv[2]);
const report = step => process.stdout.write(`${JSON.stringify(step)}\n`);

const sdk = new PusherServer({ appId: APP.id, key: APP.key, secret: APP.secret, host: '127.0.0.1', port: String(port), useTLS: true });
const client = new Pusher(APP.key, {
  wsHost: '127.0.0.1', wssPort: port, forceTLS: true, enabledTransports: ['ws'], cluster: 'mt1', unavailableTimeout: UNAVAILABLE_MS,
});
client.connection.bind('connected', () => report({ connected: client.connection.socket_id !== undefined }));
client.connection.bind('error', error => {
  report({ error: error.error?.data ?? error.type });
  process.exit(1);
});
// pusher-js says nothing about a certificate it refused: it stops trying. The SDK's request says why.
client.connection.bind('unavailable', async () => {
  report({ unavailable: true });
  try {
    report({ triggered: (await sdk.trigger(channel, 'greeting', {})).status });
  } catch (error) {
    report({ triggerFailed: error.error?.code ?? error.message });
  }
  process.exit(1);
});

const subscription = client.subscribe(channel);
const received = new Promise(resolveEvent => subscription.bind('greeting', resolveEvent));
subscription.bind('pusher:subscription_succeeded', async () => {
  report({ subscribed: channel });
  report({ triggered: (await sdk.trigger(channel, 'greeting', { over: 'tls' })).status });
  report({ received: await received });
  client.disconnect();
  process.exit(0);
});
