// Webhooks from a two-process cluster: a channel or user on both gateways is still raised once.
import { after, test } from 'node:test';
import { useCluster } from './lib/fixtures.mjs';
import { connect, subscribe, subscriptionCountIs } from './lib/pusher.mjs';
import { assertWebhookEvents, startWebhookReceiver } from './lib/webhooks.mjs';

const receiver = await startWebhookReceiver();
const fixture = useCluster({ env: receiver.env() });
// Registered after the fixture's hook, so both servers have stopped before their receiver goes.
after(() => receiver.close());

/**
 * A client on A, then one on B (with `presenceData` on presence channels); they leave in
 * `leaveOrder`, each once the cluster counts the subscriptions it expects.
 */
async function joinOnBothThenLeave(channelName, leaveOrder, presenceData) {
  const clients = {};
  for (const [count, node] of [[1, 'a'], [2, 'b']]) {
    clients[node] = await connect(fixture[node], { presenceData });
    await subscribe(clients[node], channelName);
    await subscriptionCountIs(fixture.a, channelName, count);
  }
  for (const [left, node] of leaveOrder.entries()) {
    clients[node].unsubscribe(channelName);
    if (left === 0) {
      await subscriptionCountIs(fixture.a, channelName, 1);
    }
  }
}

for (const leaveOrder of [['a', 'b'], ['b', 'a']]) {
  test(`subscribers on A and B, leaving ${leaveOrder.join(' then ')}: one occupied, one vacated`, async () => {
    const channel = `wh-cluster-${leaveOrder.join('')}`;

    await joinOnBothThenLeave(channel, leaveOrder);

    await assertWebhookEvents(receiver, channel, [
      { name: 'channel_occupied', channel },
      { name: 'channel_vacated', channel },
    ]);
  });
}

test('one presence user on A and on B: one member_added, one member_removed', async () => {
  const channel = 'presence-wh-cluster';

  await joinOnBothThenLeave(channel, ['a', 'b'], { user_id: 'u-7', user_info: {} });

  await assertWebhookEvents(receiver, channel, [
    { name: 'channel_occupied', channel },
    { name: 'member_added', channel, user_id: 'u-7' },
    { name: 'member_removed', channel, user_id: 'u-7' },
    { name: 'channel_vacated', channel },
  ]);
});
