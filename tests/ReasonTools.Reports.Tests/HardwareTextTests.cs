using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;

namespace ReasonTools.Reports.Tests;

/// <summary>"Can this machine run it?": the verdict leads, with the reason, in text and HTML alike.</summary>
public class HardwareTextTests
{
    private const long GiB = 1024L * 1024 * 1024;

    private static HardwareProbeResult Probe(MachineProfile profile) =>
        HardwareProbe.Assemble(
            new CpuInfo("AMD EPYC", 2, 2, ["AVX2"]),
            new MemoryInfo(profile.MemoryBudgetBytes, profile.AvailableBytes, null),
            [],
            new BandwidthMeasurement(profile.CpuBandwidthGBps ?? 0, 2, 256 << 20, TimeSpan.FromMilliseconds(200)),
            new DiskInfo("/models", 80_000_000_000, 250_000_000_000),
            [],
            profile,
            new ChoiceOptions(),
            []);

    [Fact]
    public void No_says_what_the_model_needs_what_this_machine_allows_and_where_the_allowance_comes_from()
    {
        var verdict = HardwareText.Verdict(Probe(MachineProfile.CpuOnly(20 * GiB, 40)).Assess("32b"));

        Assert.StartsWith("No: DeepSeek-R1-Distill-Qwen-32B Q4_K_M needs 21.6 GB, more than the 18.8 GB this machine allows " +
                          "(90% of 21.5 GB of memory, minus a 537 MB reserve for the system). Try ", verdict);
        Assert.Matches(@"Try \d+(\.5)?B Q\d\w* \(about [\d.]+ tokens/s, download\)\.$", verdict);
    }

    [Fact]
    public void Slow_says_yes_slowly_with_the_speed_and_the_minimum()
    {
        var verdict = HardwareText.Verdict(Probe(MachineProfile.CpuOnly(24 * GiB, 40)).Assess("deepseek-r1:32b"));

        Assert.StartsWith("Yes, slowly: DeepSeek-R1-Distill-Qwen-32B Q4_K_M fits on the CPU and needs 21.6 GB of the 22.7 GB this machine allows (90% of 25.8 GB", verdict);
        Assert.Contains("but runs at about 1.", verdict);
        Assert.Contains("under the 5 tokens/s a reasoning chain needs.", verdict);
        Assert.Contains(" Try ", verdict);
    }

    [Fact]
    public void A_model_with_room_for_its_family_draft_says_both_fit_and_the_speed_expected_with_it()
    {
        var verdict = HardwareText.Verdict(Probe(MachineProfile.CpuOnly(64 * GiB, 40)).Assess("32b"));

        Assert.Matches(@"\. With the 1\.5B Q4_K_M as a draft \(speculative decoding\), both fit \(2\d\.\d GB together\); about [\d.]+ tokens/s expected " +
                       @"\(1\.\d× plain, if 70% of drafted tokens are kept\)\.", verdict);
    }

    [Fact]
    public void A_model_that_fits_alone_says_its_draft_does_not_fit_beside_it_and_the_smallest_model_names_no_draft()
    {
        var probe = Probe(MachineProfile.CpuOnly(24 * GiB, 40));

        var big = HardwareText.Verdict(probe.Assess("32b"));
        var small = HardwareText.Verdict(probe.Assess("1.5b"));

        Assert.Contains(" A draft for speculative decoding, the 1.5B Q4_K_M, does not fit beside it: the two need 23.4 GB, more than the 22.7 GB allowed. Try ", big);
        Assert.DoesNotContain("draft", small);
    }

    [Fact]
    public void The_html_verdict_carries_the_draft_sentence()
    {
        var probe = Probe(MachineProfile.CpuOnly(64 * GiB, 40));
        var assessment = probe.Assess("32b");

        var verdict = Xml.Fragment(HtmlReport.Fragment(probe.Report, assessment)).WithClass("rt-verdict").Single();

        Assert.StartsWith("With the 1.5B Q4_K_M as a draft", HardwareText.Draft(assessment.Draft).Trim());
        Assert.Contains(HardwareText.Draft(assessment.Draft).Trim(), verdict.Value);
    }

    [Fact]
    public void Yes_for_a_gpu_that_holds_the_model_counts_the_gpu_in_the_allowance()
    {
        var profile = new MachineProfile(64 * GiB, 60 * GiB, 60, [new GpuBudget("RTX 4090", 23 * GiB, 24 * GiB, 1008)]);
        var probe = HardwareProbe.Assemble(new CpuInfo("x", 8, 16, []), new MemoryInfo(64 * GiB, 60 * GiB, null), [], null, null, [], profile, new ChoiceOptions(), []);

        var verdict = HardwareText.Verdict(probe.Assess("7b", "Q8_0"));

        Assert.StartsWith("Yes: DeepSeek-R1-Distill-Qwen-7B Q8_0 fits all on the GPU and needs", verdict);
        Assert.Contains("of GPU memory)", verdict);
        Assert.DoesNotContain("Try", verdict);
    }

    [Fact]
    public void The_text_report_with_a_question_leads_with_the_verdict_and_marks_slow_fits()
    {
        var probe = Probe(MachineProfile.CpuOnly(24 * GiB, 40));
        var text = TextReport.Render(probe.Report, probe.Assess("32b"));
        var lines = text.Split('\n');

        Assert.Equal("Hardware check", lines[0]);
        Assert.StartsWith("Yes, slowly: DeepSeek-R1-Distill-Qwen-32B Q4_K_M", lines[2]);
        Assert.Matches(@"DeepSeek-R1-Distill-Qwen-32B\s+Q4_K_M\s+.*\d tokens/s \(slow\)", text);
        Assert.Matches(@"DeepSeek-R1-Distill-Qwen-1\.5B\s+Q4_K_M\s+.*\d tokens/s\n", text);
        Assert.Contains("(slow): fits, but below 5 tokens/s", text);
        Assert.Contains("80.0 GB free of 250 GB at /models", text);
    }

    [Fact]
    public void The_html_report_with_a_question_leads_with_the_verdict_coloured_by_its_answer()
    {
        var probe = Probe(MachineProfile.CpuOnly(20 * GiB, 40));
        var root = Xml.Fragment(HtmlReport.Fragment(probe.Report, probe.Assess("32b")));

        var sections = root.Descendants().Where(e => e.Attribute("data-section") is not null).Select(e => (string)e.Attribute("data-section")!).ToList();
        Assert.Equal(["verdict", "recommendation"], sections);
        var verdict = root.WithClass("rt-verdict").Single();
        Assert.Equal("doesNotFit", (string?)verdict.Attribute("data-verdict"));
        Assert.Contains("rt-verdict-no", (string?)verdict.Attribute("class"));
        Assert.StartsWith("No: DeepSeek-R1-Distill-Qwen-32B Q4_K_M needs 21.6 GB", verdict.Value);
        Assert.Empty(Xml.Fragment(HtmlReport.Fragment(probe.Report)).WithClass("rt-verdict"));
    }

    [Fact]
    public void The_html_fit_grid_marks_slow_fits_apart_from_fast_ones()
    {
        var report = Samples.Hardware();
        var cells = Xml.Fragment(HtmlReport.Fragment(report)).WithClass("rt-fit").Single().Element("tbody")!.Descendants("td").ToArray();

        var slow = cells.Where(td => ((string?)td.Attribute("class"))?.Split(' ').Contains("rt-slow") == true).ToArray();
        var expected = report.Models.Count(m => m.Fits && m.EstimatedTokensPerSecond < report.MinTokensPerSecond);
        Assert.True(expected > 0);
        Assert.Equal(expected, slow.Length);
        Assert.All(slow, td => Assert.Contains("slow", td.Value));
        Assert.All(slow, td => Assert.Equal("true", (string?)td.Attribute("data-slow")));
        Assert.Contains(cells, td => (string?)td.Attribute("data-placement") == "cpu" && td.Attribute("data-slow") is null
                                     || (string?)td.Attribute("data-placement") == "gpu" && td.Attribute("data-slow") is null);
        Assert.Contains("td.rt-slow", HtmlReport.Fragment(report));
    }
}
