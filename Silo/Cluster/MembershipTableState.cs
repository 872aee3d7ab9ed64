using System.Globalization;

namespace SoketiOrleans.Silo.Cluster;

/// <summary>
/// The Orleans membership table as Raft's replicated state: Orleans' own rules for conditional
/// writes (a row's etag, the table version's etag), with etags counted from the commands applied so
/// that every replica hands out the same ones.
/// </summary>
[GenerateSerializer]
public sealed class MembershipTableState
{
    [Id(0)]
    private readonly Dictionary<SiloAddress, (MembershipEntry Entry, string ETag)> _rows = [];

    [Id(1)]
    private TableVersion _version = new(0, "0");

    [Id(2)]
    private long _etags = 1;

    // A write forwarded to the leader is sent again when its answer is lost; the outcome of the
    // first copy is the answer, so a silo never reads "refused" for a row it did write.
    [Id(3)]
    private readonly Dictionary<Guid, bool> _outcomes = [];

    [Id(4)]
    private readonly Queue<Guid> _outcomeOrder = new();

    private const int RememberedOutcomes = 1024;

    public MembershipTableData ReadAll() =>
        new(_rows.Values.Select(r => Tuple.Create(r.Entry, r.ETag)).ToList(), _version);

    public MembershipTableData Read(SiloAddress silo) => _rows.TryGetValue(silo, out var row)
        ? new MembershipTableData(Tuple.Create(row.Entry, row.ETag), _version)
        : new MembershipTableData(_version);

    public IEnumerable<MembershipEntry> Entries => _rows.Values.Select(r => r.Entry);

    public bool Apply(TableCommand command)
    {
        if (_outcomes.TryGetValue(command.Id, out var earlier))
        {
            return earlier;
        }

        var outcome = Execute(command);
        _outcomes[command.Id] = outcome;
        _outcomeOrder.Enqueue(command.Id);
        if (_outcomeOrder.Count > RememberedOutcomes)
        {
            _outcomes.Remove(_outcomeOrder.Dequeue());
        }

        return outcome;
    }

    private bool Execute(TableCommand command)
    {
        switch (command.Kind)
        {
            case TableCommandKind.Insert:
                return !_rows.ContainsKey(command.Entry!.SiloAddress) && Write(command.Entry, command.Version!);
            case TableCommandKind.Update:
                return _rows.TryGetValue(command.Entry!.SiloAddress, out var current) && current.ETag == command.ETag
                       && Write(command.Entry, command.Version!);
            case TableCommandKind.IAmAlive:
                if (_rows.TryGetValue(command.Entry!.SiloAddress, out var alive))
                {
                    alive.Entry.IAmAliveTime = command.Entry.IAmAliveTime;
                    _rows[alive.Entry.SiloAddress] = (alive.Entry, NextETag());
                }

                return true;
            case TableCommandKind.CleanupDefunct:
                foreach (var dead in _rows.Values.Where(r => r.Entry.Status == SiloStatus.Dead && LastUpdate(r.Entry) < command.Before).ToArray())
                {
                    _rows.Remove(dead.Entry.SiloAddress);
                }

                return true;
            case TableCommandKind.DeleteAll:
                _rows.Clear();
                return true;
            default:
                return false;
        }
    }

    private bool Write(MembershipEntry entry, TableVersion version)
    {
        if (version.VersionEtag != _version.VersionEtag)
        {
            return false;
        }

        _rows[entry.SiloAddress] = (entry, NextETag());
        _version = new TableVersion(version.Version, NextETag());
        return true;
    }

    private static DateTimeOffset LastUpdate(MembershipEntry entry) =>
        new(DateTime.SpecifyKind(entry.IAmAliveTime > entry.StartTime ? entry.IAmAliveTime : entry.StartTime, DateTimeKind.Utc));

    private string NextETag() => (_etags++).ToString(CultureInfo.InvariantCulture);
}
