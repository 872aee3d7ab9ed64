using SoketiOrleans.Fuzz;
using SoketiOrleans.Tests.Harness;

namespace SoketiOrleans.Tests.Robustness;

/// <summary>
/// The coverage-guided fuzzer's targets (fuzz/, docs/robustness.md) over their corpus: the seeds and
/// the inputs AFL++ kept for reaching new code. A parser that starts to throw on one of them, or to
/// break a target's rule (a handshake read differently in two pieces, a refusal without a reason),
/// fails here without a fuzzer.
/// </summary>
public sealed class FuzzCorpusTests
{
    public static TheoryData<string> Targets => new(FuzzTargets.All.Keys);

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_input_of_the_corpus_keeps_the_rules_of_its_target(string target)
    {
        var inputs = Directory.GetFiles(Path.Combine(Repository.Root, "fuzz", "corpus", target));
        Assert.NotEmpty(inputs);
        foreach (var input in inputs)
        {
            var bytes = File.ReadAllBytes(input);
            var failure = Record.Exception(() => FuzzTargets.All[target](bytes));
            Assert.True(failure is null, $"{Path.GetFileName(input)}: {failure}");
        }
    }

    /// <summary>The fuzzer mutates from these seeds: signed right, they lead it past the signature into the body and path checks.</summary>
    [Theory]
    [InlineData("events")]
    [InlineData("channels")]
    [InlineData("users")]
    public void The_signature_seeds_are_signed_right(string seed)
    {
        var input = File.ReadAllBytes(Path.Combine(Repository.Root, "fuzz", "corpus", "signature", seed));

        Assert.Null(FuzzTargets.SignatureProblem(input));
    }
}
