namespace SoketiOrleans.Gateways;

/// <summary>
/// A gateway's changes since the ledger's <see cref="BaseVersion"/>, or (<see cref="All"/>) its
/// whole state. An empty report renews the gateway's lease.
/// </summary>
[GenerateSerializer, Immutable, Alias("so.LedgerReport")]
public sealed record LedgerReport(
    [property: Id(0)] long Version,
    [property: Id(1)] long BaseVersion,
    [property: Id(2)] bool All,
    [property: Id(3)] LedgerEntry[] Entries);

[GenerateSerializer, Alias("so.LedgerAnswer")]
public enum LedgerAnswer
{
    Recorded,

    /// <summary>The ledger does not hold <see cref="LedgerReport.BaseVersion"/> (it is new, or missed a report): send everything.</summary>
    NeedsAll,

    /// <summary>The gateway was taken for gone and its departure announced; it must report everything again, everywhere.</summary>
    Departed,
}
