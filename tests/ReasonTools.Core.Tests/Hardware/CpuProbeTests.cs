using ReasonTools.Core.Hardware;

namespace ReasonTools.Core.Tests.Hardware;

public class CpuProbeTests
{
    // Two sockets, two cores each, two hyperthreads per core: 8 logical, 4 physical.
    private static string TwoSocketCpuinfo()
    {
        var blocks = new List<string>();
        int processor = 0;
        foreach (var socket in new[] { 0, 1 })
        foreach (var core in new[] { 0, 1 })
        foreach (var _ in new[] { 0, 1 })
        {
            blocks.Add($"""
                processor	: {processor++}
                vendor_id	: GenuineIntel
                model name	: Intel(R) Xeon(R) Platinum 8480+
                physical id	: {socket}
                siblings	: 4
                core id		: {core}
                cpu cores	: 2
                flags		: fpu sse sse2 avx f16c fma avx2 avx512f avx512bw avx512_vnni avx512_bf16 amx_tile amx_int8 amx_bf16 avx_vnni
                """);
        }
        return string.Join("\n\n", blocks) + "\n";
    }

    [Fact]
    public void Physical_cores_are_distinct_core_ids_per_socket()
    {
        var cpu = CpuProbe.FromCpuInfo(TwoSocketCpuinfo(), logicalCoresAvailable: 8);
        Assert.Equal("Intel(R) Xeon(R) Platinum 8480+", cpu.Name);
        Assert.Equal(4, cpu.PhysicalCores);
        Assert.Equal(8, cpu.LogicalCores);
    }

    [Fact]
    public void X86_flags_map_to_llama_cpp_feature_names()
    {
        var cpu = CpuProbe.FromCpuInfo(TwoSocketCpuinfo(), 8);
        Assert.Equal(["AVX", "AVX2", "F16C", "FMA", "AVX_VNNI", "AVX512", "AVX512_BW", "AVX512_VNNI", "AVX512_BF16", "AMX", "AMX_INT8", "AMX_BF16"], cpu.Features);
        Assert.DoesNotContain("NEON", cpu.Features);
    }

    [Fact]
    public void Affinity_or_quota_caps_logical_and_physical_cores()
    {
        var cpu = CpuProbe.FromCpuInfo(TwoSocketCpuinfo(), logicalCoresAvailable: 2);
        Assert.Equal(2, cpu.LogicalCores);
        Assert.Equal(2, cpu.PhysicalCores);
    }

    [Fact]
    public void Arm_cpuinfo_without_core_ids_counts_processors_and_reads_features()
    {
        const string Arm = """
            processor	: 0
            BogoMIPS	: 243.75
            Features	: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp sve i8mm
            CPU implementer	: 0x41
            CPU part	: 0xd40

            processor	: 1
            Features	: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp sve i8mm
            CPU implementer	: 0x41
            CPU part	: 0xd40
            """;
        var cpu = CpuProbe.FromCpuInfo(Arm, 2);
        Assert.Equal("ARM CPU (implementer 0x41, part 0xd40)", cpu.Name);
        Assert.Equal(2, cpu.PhysicalCores);
        Assert.Equal(["NEON", "DOTPROD", "MATMUL_INT8", "SVE", "FP16"], cpu.Features);
        Assert.DoesNotContain("AVX2", cpu.Features);
    }

    [Fact]
    public void Missing_cpuinfo_falls_back_to_the_runtime_with_a_note_on_linux()
    {
        var notes = new List<string>();
        var cpu = CpuProbe.Probe(new FakeHardwareFileSystem(), notes);
        Assert.Equal(Environment.ProcessorCount, cpu.LogicalCores);
        Assert.InRange(cpu.PhysicalCores, 1, cpu.LogicalCores);
        if (OperatingSystem.IsLinux()) Assert.Contains(notes, n => n.StartsWith("cpu:", StringComparison.Ordinal));
    }
}
