using ReasonTools.Core.Comparison;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Inference;

namespace ReasonTools.Reports.Tests;

/// <summary>Results shaped like the real ones, for the views to render.</summary>
internal static class Samples
{
    public const string Hostile = "<script>alert(1)</script>\" onmouseover=\"alert(2)\" '&amp;";

    public static ReasonResult Reason(
        FinishReason finish = FinishReason.Stop, bool complete = true, string? hostile = null, double? loadMs = 1834.2) => new()
    {
        Model = new ModelInfo(hostile ?? "DeepSeek-R1-Distill-Qwen-7B", "/models/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf", "qwen2",
            7_615_616_512, "Q4_K_M", 4_683_073_248),
        Prompt = (hostile ?? "") + "A train travels 120 km in 1.5 hours. What is its average speed in km/h? Please reason step by step, and put your final answer within \\boxed{}.",
        Thinking = "Okay, speed is distance over time.\n\n120 km divided by 1.5 h.\n\n120 / 1.5 = 80. " + hostile,
        Steps =
        [
            "Okay, speed is distance over time.",
            "120 km divided by 1.5 h." + hostile,
            "120 / 1.5 = 80, so the average speed is 80 km/h.",
        ],
        Answer = "The average speed is distance divided by time: 120 km ÷ 1.5 h = **80 km/h**.\n\n\\boxed{80}" + hostile,
        FinalAnswer = "80" + hostile,
        FinishReason = finish,
        ReasoningComplete = complete,
        Timings = new ReasonTimings
        {
            LoadMs = loadMs,
            PromptTokens = 48,
            PromptMs = 212.5,
            PromptTokensPerSecond = 225.9,
            GeneratedTokens = 311,
            ThinkingTokens = 262,
            AnswerTokens = 49,
            GenerationMs = 14_070,
            TokensPerSecond = 22.1,
            TimeToFirstTokenMs = 260.1,
            TimeToFirstAnswerTokenMs = null,
            TotalMs = 16_240,
        },
        Settings = new GenerationSettings(0.6f, 0.95f, 42, 4096, 8, 0, 2048),
    };

    public static ComparisonResult Comparison(string? hostile = null)
    {
        string[] models = ["DeepSeek-R1-Distill-Qwen-1.5B", "DeepSeek-R1-Distill-Qwen-7B", hostile ?? "DeepSeek-R1-Distill-Qwen-14B"];
        string[] prompts = ["speed", "primes", "apples", hostile ?? "logic"];
        var rows = new List<ComparisonRow>();
        for (var m = 0; m < models.Length; m++)
        {
            for (var p = 0; p < prompts.Length; p++)
            {
                if (m == 2 && p == 3)
                {
                    rows.Add(new ComparisonRow { Model = models[m], PromptId = prompts[p], Note = "does not fit: needs 9.8 GB, 8.1 GB available" + hostile });
                    continue;
                }
                var correct = (m, p) switch { (0, 1) => false, (0, 3) => (bool?)null, _ => true };
                rows.Add(new ComparisonRow
                {
                    Model = models[m],
                    PromptId = prompts[p],
                    Correct = correct,
                    FinalAnswer = correct == false ? "15" : p switch { 0 => "80", 1 => "17", 2 => "7", _ => "B" } + hostile,
                    ThinkingTokens = 180 + 140 * m + 37 * p,
                    AnswerTokens = 40 + 5 * p,
                    TokensPerSecond = new[] { 61.4, 22.1, 11.8 }[m],
                    TimeToFirstAnswerTokenMs = 3000 + 2000 * m,
                    TotalMs = 4200 + 7000 * m + 900 * p,
                    FinishReason = (m, p) == (0, 3) ? FinishReason.Length : FinishReason.Stop,
                    Note = correct == false ? "expected 17" + hostile : null,
                });
            }
        }
        var summary = new[]
        {
            new ComparisonSummary(models[0], 0.5, 61.4, 235.5, 5550),
            new ComparisonSummary(models[1], 1.0, 22.1, 375.5, 12550),
            new ComparisonSummary(models[2], 1.0, 11.8, 492, 19100),
        };
        return new ComparisonResult("Grade-school maths" + hostile, rows, summary);
    }

    public static HardwareReport Hardware(string? hostile = null)
    {
        string[] quants = ["Q4_K_M", "Q6_K", "Q8_0"];
        (string Name, string Size, double Gb, double Tps)[] models =
        [
            ("DeepSeek-R1-Distill-Qwen-1.5B", "1.5B", 1.12, 140),
            ("DeepSeek-R1-Distill-Qwen-7B", "7B", 4.68, 48),
            ("DeepSeek-R1-Distill-Llama-8B", "8B", 4.92, 45),
            ("DeepSeek-R1-Distill-Qwen-14B", "14B", 8.99, 26),
            ("DeepSeek-R1-Distill-Qwen-32B", "32B", 19.9, 4.1),
            ("DeepSeek-R1-Distill-Llama-70B", "70B", 42.5, 1.9),
        ];
        var fits = new List<ModelFit>();
        foreach (var (name, size, gb, tps) in models)
        {
            for (var q = 0; q < quants.Length; q++)
            {
                var scale = new[] { 1.0, 1.34, 1.73 }[q];
                var required = (long)((gb * scale + 0.9) * 1e9);
                var placement = required < 11e9 ? Placement.Gpu : required < 40e9 ? Placement.Partial : required < 56e9 ? Placement.Cpu : Placement.None;
                fits.Add(new ModelFit(hostile ?? name, size, quants[q], 4096, required, placement,
                    placement switch { Placement.Gpu => 99, Placement.Partial => 30, _ => 0 },
                    placement != Placement.None, placement == Placement.None ? null : Math.Round(tps / scale, 1)));
            }
        }
        return new HardwareReport
        {
            Cpu = new CpuInfo("AMD Ryzen 7 7700X 8-Core Processor" + hostile, 8, 16, ["AVX", "AVX2", "FMA", "F16C", "AVX512F", "AVX512_VNNI" + hostile]),
            Memory = new MemoryInfo(64_000_000_000, 51_300_000_000, 60_000_000_000),
            Gpus = [new GpuInfo("NVIDIA GeForce RTX 4070" + hostile, "NVIDIA", 12_878_086_144, 11_900_000_000, "CUDA")],
            MemoryBandwidthGBps = 61.7,
            Models = fits,
            Recommended = new Recommendation(hostile ?? "DeepSeek-R1-Distill-Qwen-14B", "Q4_K_M", 4096, Placement.Gpu, 26),
            Notes = ["Vulkan probe skipped: libvulkan.so.1 not found" + hostile],
        };
    }
}
