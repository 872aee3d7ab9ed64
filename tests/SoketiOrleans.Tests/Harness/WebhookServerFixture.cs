namespace SoketiOrleans.Tests.Harness;

/// <summary>Servers that send webhooks to a loopback <see cref="WebhookReceiver"/> the fixture owns.</summary>
public class WebhookServerFixture : ServerFixture
{
    public WebhookReceiver Receiver { get; } = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
