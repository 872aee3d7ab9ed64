using SharpFuzz;
using SoketiOrleans.Fuzz;

// Run by afl-fuzz (fuzz/run.sh) on assemblies instrumented by `sharpfuzz`: one target, inputs on stdin.
if (args.Length != 1 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: SoketiOrleans.Fuzz <target>; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var input = new MemoryStream();
    stream.CopyTo(input);
    target(input.ToArray());
});
return 0;
