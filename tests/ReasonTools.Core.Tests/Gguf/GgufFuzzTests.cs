using ReasonTools.Core.Gguf;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Gguf;

public sealed class GgufFuzzTests
{
    [Fact]
    public void Random_mutations_give_a_file_or_a_format_error_and_allocate_in_proportion_to_the_file()
    {
        var seeds = new[] { GgufReaderRoundTripTests.AllTypesFile(), File.ReadAllBytes(SyntheticModels.GetFile(ScriptKind.SplitUtf8)) };
        var mutator = new GgufMutator(20251125);
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 3000; i++)
        {
            var input = mutator.Mutate(seeds[i % seeds.Length]);
            var before = GC.GetAllocatedBytesForCurrentThread();
            string outcome;
            try
            {
                GgufReader.Read(new MemoryStream(input, writable: false), input.Length);
                outcome = "accepted";
            }
            catch (GgufFormatException)
            {
                outcome = "rejected";
            }
            catch (Exception ex)
            {
                Assert.Fail($"case {i}: {ex.GetType().Name}: {ex.Message}");
                throw;
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated <= GgufMutator.AllocationBound(input.Length), $"case {i}: {allocated} bytes allocated for a {input.Length}-byte file");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        // Both outcomes occur, so the mutations neither always break nor never break the files.
        Assert.True(outcomes.GetValueOrDefault("accepted") > 100, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault("rejected") > 1000, string.Join(", ", outcomes));
    }
}
