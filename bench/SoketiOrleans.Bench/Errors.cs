namespace SoketiOrleans.Bench;

/// <summary>
/// Every refused subscribe, failed publish or dropped socket ends up here: the count goes into the result
/// line (a run with errors is not a valid measurement) and the first one is printed so it can be looked into.
/// </summary>
public sealed class Errors
{
    private long count;

    public long Count => Interlocked.Read(ref count);

    public void Report(string what)
    {
        if (Interlocked.Increment(ref count) == 1)
            Console.Error.WriteLine("first error: " + what);
    }
}
