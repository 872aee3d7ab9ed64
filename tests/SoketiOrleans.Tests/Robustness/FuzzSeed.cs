using CsCheck;

namespace SoketiOrleans.Tests.Robustness;

/// <summary>
/// The fuzz tests' run length and seed: 150 samples from a fixed seed in the suite;
/// <c>SOKETI_FUZZ_ITERATIONS=N</c> for N samples from a random seed; <c>SOKETI_FUZZ_SEED</c> to
/// replay the seed a failure printed.
/// </summary>
public static class FuzzSeed
{
    public static long Iterations => long.TryParse(Environment.GetEnvironmentVariable("SOKETI_FUZZ_ITERATIONS"), out var n) ? n : 150;

    public static string? Value =>
        Environment.GetEnvironmentVariable("SOKETI_FUZZ_SEED") is { Length: > 0 } seed ? seed
        : Environment.GetEnvironmentVariable("SOKETI_FUZZ_ITERATIONS") is { Length: > 0 } ? null
        : new PCG(1, 20261202).ToString();
}
