using Prometheus;

namespace SoketiOrleans.Gateway.Metrics;

/// <summary>One app's series of <see cref="GatewayMetrics"/>, resolved once.</summary>
public sealed class AppMetrics
{
    private readonly Gauge.Child _connected;
    private readonly Counter.Child _newConnections;
    private readonly Counter.Child _newDisconnections;
    private readonly Counter.Child _socketReceivedBytes;
    private readonly Counter.Child _socketTransmittedBytes;
    private readonly Counter.Child _wsMessagesReceived;
    private readonly Counter.Child _wsMessagesSent;
    private readonly Counter.Child _httpReceivedBytes;
    private readonly Counter.Child _httpTransmittedBytes;
    private readonly Counter.Child _httpCallsReceived;
    private readonly Counter.Child _slowConsumers;
    private readonly Counter.Child _quotaRejections;
    private readonly Counter _rateLimitRejections;
    private readonly Histogram.Child _publishToDeliver;
    private readonly string _appId;
    private readonly string _port;

    internal AppMetrics(GatewayMetrics m, string appId, string port)
    {
        _appId = appId;
        _port = port;
        _connected = m.Connected.WithLabels(appId, port);
        _newConnections = m.NewConnections.WithLabels(appId, port);
        _newDisconnections = m.NewDisconnections.WithLabels(appId, port);
        _socketReceivedBytes = m.SocketReceivedBytes.WithLabels(appId, port);
        _socketTransmittedBytes = m.SocketTransmittedBytes.WithLabels(appId, port);
        _wsMessagesReceived = m.WsMessagesReceived.WithLabels(appId, port);
        _wsMessagesSent = m.WsMessagesSent.WithLabels(appId, port);
        _httpReceivedBytes = m.HttpReceivedBytes.WithLabels(appId, port);
        _httpTransmittedBytes = m.HttpTransmittedBytes.WithLabels(appId, port);
        _httpCallsReceived = m.HttpCallsReceived.WithLabels(appId, port);
        _slowConsumers = m.SlowConsumerDisconnections.WithLabels(appId, port);
        _quotaRejections = m.ConnectionQuotaRejections.WithLabels(appId, port);
        _rateLimitRejections = m.RateLimitRejections;
        _publishToDeliver = m.PublishToDeliver.WithLabels(appId, port);
    }

    public void Connected()
    {
        _connected.Inc();
        _newConnections.Inc();
    }

    public void Disconnected()
    {
        _connected.Dec();
        _newDisconnections.Inc();
    }

    public void MessageReceived(int bytes)
    {
        _socketReceivedBytes.Inc(bytes);
        _wsMessagesReceived.Inc();
    }

    public void MessageSent(int bytes)
    {
        _socketTransmittedBytes.Inc(bytes);
        _wsMessagesSent.Inc();
    }

    public void HttpCall(long receivedBytes, long sentBytes)
    {
        _httpReceivedBytes.Inc(receivedBytes);
        _httpTransmittedBytes.Inc(sentBytes);
        _httpCallsReceived.Inc();
    }

    public void SlowConsumerDisconnected() => _slowConsumers.Inc();

    public void ConnectionQuotaRejected() => _quotaRejections.Inc();

    /// <param name="limit">backend_events, read_requests or client_events.</param>
    public void RateLimited(string limit) => _rateLimitRejections.WithLabels(_appId, _port, limit).Inc();

    public void Delivered(TimeSpan sincePublish) => _publishToDeliver.Observe(sincePublish.TotalSeconds);
}
