namespace SoketiOrleans.Webhooks;

/// <summary>
/// Where a gateway outside the silos (a <c>server</c> process) raises the webhooks it is the
/// authority for (client events): a silo queues and sends them, as <c>worker</c> processes do all
/// sending. Any silo will do, the nearest best.
/// </summary>
[Alias("so.IWebhookRelayGrain")]
public interface IWebhookRelayGrain : IGrainWithIntegerKey
{
    /// <summary>Queues the events in the order given; one process's calls come one at a time, so its order holds.</summary>
    Task Raise(RelayedWebhook[] events);
}
