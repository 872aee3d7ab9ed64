namespace SoketiOrleans.Hosting;

/// <summary>
/// String-keyed grain references without Orleans' per-call type resolution: its
/// <c>GetGrain&lt;T&gt;(key)</c> finds T's grain interface type by reading attributes through
/// reflection on every call, which was a tenth of a client event's cost. The types are resolved
/// once per interface and process.
/// </summary>
public static class GrainReferences
{
    public static TGrain Grain<TGrain>(this IGrainFactory grains, string key) where TGrain : IGrainWithStringKey
    {
        // A benign race: two threads may both resolve, to the same answer.
        var kind = Kind<TGrain>.Resolved ??= Resolve<TGrain>(grains);
        return (TGrain)grains.GetGrain(GrainId.Create(kind.Type, key), kind.Interface);
    }

    private static GrainKind Resolve<TGrain>(IGrainFactory grains) where TGrain : IGrainWithStringKey
    {
        var sample = (GrainReference)(object)grains.GetGrain<TGrain>("-");
        return new GrainKind(sample.GrainId.Type, sample.InterfaceType);
    }

    private sealed record GrainKind(GrainType Type, GrainInterfaceType Interface);

    private static class Kind<TGrain>
    {
        public static GrainKind? Resolved;
    }
}
