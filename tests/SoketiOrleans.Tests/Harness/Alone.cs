namespace SoketiOrleans.Tests.Harness;

/// <summary>
/// Tests that measure a spread in time, or that load the machine themselves (a thousand sockets, a
/// fuzzer's parallel requests), run with no other collection beside them: on two cores, with the
/// drain test next to the new load tests, two CI runs in a row saw the test process stall for
/// 0.7–1 s and the drain's 4200s arrive in one burst.
/// </summary>
[CollectionDefinition(nameof(Alone), DisableParallelization = true)]
public sealed class Alone;
