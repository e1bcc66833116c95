#:property PublishAot=false
#:project ../src/ReasonTools.Reports/ReasonTools.Reports.csproj

// Can this machine run DeepSeek-R1-Distill models, and which one should it run?
// Prints the hardware report and writes it as a standalone HTML file.
//   dotnet run notebooks/hardware-check.cs [-- report.html]
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using ReasonTools.Core.Hardware;
using ReasonTools.Reports;

var output = Path.GetFullPath(args.Length > 0 ? args[0] : "hardware-check.html");
var report = await CollectHardwareAsync(CancellationToken.None);

Console.Write(TextReport.Render(report));
File.WriteAllText(output, HtmlReport.Document(report));
Console.WriteLine($"\nHTML report: {output}");

// The seam to the hardware probe. Core's HardwareProbe (CPU, cgroup-limited memory, GPUs, memory
// bandwidth, and the fit of every catalog model) replaces this body with
// `HardwareProbe.CollectAsync(cancellationToken)` once it is merged; until then the report holds
// what the .NET runtime itself can tell, and says so in its notes.
static Task<HardwareReport> CollectHardwareAsync(CancellationToken cancellationToken)
{
    cancellationToken.ThrowIfCancellationRequested();
    var gc = GC.GetGCMemoryInfo();
    // The GC's figure already honours a cgroup or job memory limit.
    long? limit = gc.TotalAvailableMemoryBytes < MachineMemory() ? gc.TotalAvailableMemoryBytes : null;
    string[] features =
    [
        .. Sse3.IsSupported ? new[] { "SSE3" } : [],
        .. Avx.IsSupported ? new[] { "AVX" } : [],
        .. Avx2.IsSupported ? new[] { "AVX2" } : [],
        .. Fma.IsSupported ? new[] { "FMA" } : [],
        .. Avx512F.IsSupported ? new[] { "AVX512F" } : [],
    ];
    return Task.FromResult(new HardwareReport
    {
        Cpu = new CpuInfo(CpuName(), Environment.ProcessorCount, Environment.ProcessorCount, features),
        Memory = new MemoryInfo(MachineMemory(), MemInfo("MemAvailable:") ?? gc.TotalAvailableMemoryBytes - gc.MemoryLoadBytes, limit),
        Notes =
        [
            "Collected by the .NET runtime only: GPUs, memory bandwidth and model fits need ReasonTools' hardware probe.",
            "Physical cores are not known here; the logical count is shown for both.",
        ],
    });

    static long MachineMemory() => MemInfo("MemTotal:") ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    // A /proc/meminfo figure in bytes (Linux); null elsewhere.
    static long? MemInfo(string key)
    {
        if (!File.Exists("/proc/meminfo")) return null;
        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb) ? kb * 1024 : null;
    }

    static string CpuName()
    {
        if (File.Exists("/proc/cpuinfo"))
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        return $"{RuntimeInformation.ProcessArchitecture} CPU";
    }
}
