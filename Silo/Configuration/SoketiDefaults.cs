using System.Text.Json.Nodes;

namespace SoketiOrleans.Silo.Configuration;

/// <summary>soketi 1.x's defaults for every option this server reads, plus this server's own keys.</summary>
internal static class SoketiDefaults
{
    private const string Json = """
    {
      "host": "0.0.0.0",
      "port": 6001,
      "debug": false,
      "pathPrefix": "",
      "mode": "full",
      "shutdownGracePeriod": 3000,
      "shutdownDrainDelay": 0,
      "logFormat": "text",
      "transport": "loop",
      "userAuthenticationTimeout": 30000,
      "adapter": { "driver": "local" },
      "cluster": {
        "hostname": "0.0.0.0",
        "port": 11002,
        "prefix": "",
        "helloInterval": 500,
        "checkInterval": 500,
        "nodeTimeout": 2000,
        "masterTimeout": 2000,
        "ignoreProcess": true,
        "secret": ""
      },
      "appManager": {
        "driver": "array",
        "array": {
          "apps": [
            {
              "id": "app-id",
              "key": "app-key",
              "secret": "app-secret",
              "maxConnections": -1,
              "enableClientMessages": false,
              "enabled": true,
              "maxBackendEventsPerSecond": -1,
              "maxClientEventsPerSecond": -1,
              "maxReadRequestsPerSecond": -1,
              "webhooks": []
            }
          ]
        }
      },
      "channelLimits": { "maxNameLength": 200, "cacheTtl": 1800 },
      "eventLimits": { "maxChannelsAtOnce": 100, "maxNameLength": 200, "maxPayloadInKb": 100, "maxBatchSize": 10 },
      "presence": { "maxMembersPerChannel": 100, "maxMemberSizeInKb": 2 },
      "httpApi": { "requestLimitInMb": 100, "acceptTraffic": { "memoryThreshold": 85 } },
      "cors": {
        "credentials": true,
        "origin": ["*"],
        "methods": ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
        "allowedHeaders": ["Origin", "Content-Type", "X-Auth-Token", "X-Requested-With", "Accept", "Authorization", "X-CSRF-TOKEN", "XSRF-TOKEN", "X-Socket-Id"]
      },
      "ssl": { "certPath": "", "keyPath": "", "passphrase": "", "caPath": "" },
      "metrics": { "enabled": false, "driver": "prometheus", "host": "0.0.0.0", "port": 9601, "prometheus": { "prefix": "soketi_" } },
      "webhooks": {
        "batching": { "enabled": false, "duration": 50 },
        "timeout": 5000,
        "retry": { "initialDelay": 1000, "maxDelay": 60000, "giveUpAfter": 300000 }
      },
      "websockets": { "activityTimeout": 30, "pongTimeout": 30, "maxBackpressureInKb": 1024, "maxChannelsPerSocket": 1000, "maxConnectionsPerAddressPerSecond": 0 },
      "orleans": { "siloPort": 0, "primarySiloPort": 0, "gatewayPort": 0, "clusterId": "soketi", "serviceId": "soketi" }
    }
    """;

    public static JsonObject Create() => JsonNode.Parse(Json)!.AsObject();
}
