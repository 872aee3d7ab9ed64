import { defineClusterTests } from './lib/cluster-suite.mjs';
import { useRedisCluster } from './lib/fixtures.mjs';

// redis mode, split roles: a worker (grains, webhooks) and two servers (gateways only, A and B) against one Redis.
defineClusterTests(useRedisCluster({ roles: ['worker', 'server', 'server'], env: { SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES: 'true' } }));
