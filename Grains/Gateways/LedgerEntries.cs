using SoketiOrleans.Gateways;

namespace SoketiOrleans.Grains.Gateways;

/// <summary>The ledger's copy of one gateway's state: entries by target, and the report version they reflect.</summary>
public sealed class LedgerEntries
{
    private readonly Dictionary<(LedgerTarget, string), LedgerEntry> _entries = [];

    /// <summary>0 while nothing was recorded: then only a whole report can be taken.</summary>
    public long Version { get; private set; }

    public IReadOnlyCollection<LedgerEntry> All => _entries.Values;

    /// <summary>Takes what a moving ledger held (<see cref="GatewayLedgerGrain.OnRehydrate"/>).</summary>
    public void Restore(IEnumerable<LedgerEntry> entries, long version)
    {
        foreach (var entry in entries)
        {
            _entries[(entry.Target, entry.Key)] = entry;
        }

        Version = version;
    }

    /// <returns>false, and nothing taken, when the report builds on a version this copy does not hold.</returns>
    public bool Take(LedgerReport report)
    {
        if (report.All)
        {
            _entries.Clear();
        }
        else if (Version == 0 || report.BaseVersion != Version)
        {
            return false;
        }

        foreach (var entry in report.Entries)
        {
            if (entry.IsEmpty)
            {
                _entries.Remove((entry.Target, entry.Key));
            }
            else
            {
                _entries[(entry.Target, entry.Key)] = entry;
            }
        }

        Version = report.Version;
        return true;
    }
}
