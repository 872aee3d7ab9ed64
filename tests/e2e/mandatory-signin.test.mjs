import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useServer } from './lib/fixtures.mjs';
import { connect, record, signIn, waitForState } from './lib/pusher.mjs';

// soketi's "authorized connections": the app requires sign-in within userAuthenticationTimeout.
const TIMEOUT_MS = 1_000;
const fixture = useServer({
  env: {
    SOKETI_DEFAULT_APP_USER_AUTHENTICATION: 'true',
    SOKETI_USER_AUTHENTICATION_TIMEOUT: String(TIMEOUT_MS),
  },
});

test('a pusher-js client that never signs in is disconnected with 4009; one that signed in stays', async () => {
  const signedIn = await signIn(fixture.server, { id: 'frank' });
  const silent = await connect(fixture.server);
  const connectedAt = Date.now();
  const errors = record(silent.connection, 'error');

  await waitForState(silent, 'disconnected');

  assert.ok(Date.now() - connectedAt >= TIMEOUT_MS - 100, 'not closed before the timeout');
  assert.deepEqual(errors.events.at(-1), {
    type: 'WebSocketError',
    error: { type: 'PusherError', data: { code: 4009, message: 'Connection not authorized within timeout.' } },
  });
  // The signed-in client connected first, so its deadline would have passed before the silent one's.
  assert.equal(signedIn.connection.state, 'connected');
});
