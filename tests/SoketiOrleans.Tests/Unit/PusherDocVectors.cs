namespace SoketiOrleans.Tests.Unit;

/// <summary>The worked examples of Pusher's "auth signatures" and "HTTP API" reference pages.</summary>
internal static class PusherDocVectors
{
    public const string Key = "278d425bdf160c739803";
    public const string Secret = "7ad3773142a6692b25b8";
    public const string SocketId = "1234.1234";

    public const string PrivateAuth = Key + ":58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4";

    public const string PresenceChannelData = """{"user_id":10,"user_info":{"name":"Mr. Channels"}}""";
    public const string PresenceAuth = Key + ":31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80";

    public const string EventsBody = """{"name":"foo","channels":["project-3"],"data":"{\"some\":\"data\"}"}""";
    public const string EventsBodyMd5 = "ec365a775a4cd0599faeb73354201b6f";
    public const long EventsTimestamp = 1353088179;
    public const string EventsSignature = "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c";
}
