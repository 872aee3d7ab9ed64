namespace SoketiOrleans.Silo;

/// <summary>A <c>server</c> process started before any silo waits for one, as long as it is not stopped.</summary>
internal sealed class RetryUntilStopped : IClientConnectionRetryFilter
{
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return !cancellationToken.IsCancellationRequested;
    }
}
