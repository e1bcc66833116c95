using System.Diagnostics;
using System.Globalization;
using ReasonTools.Core.Hardware;

// Rounds of: the C read loop and the probe, in alternating order (which runs first gains on a busy machine).
int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 6;
const int Threads = 2;
long bytes = MemoryBandwidthProbe.ChooseBufferBytes(Threads, 0);
var reference = Path.Combine(Path.GetTempPath(), "reasontools-read-reference");
using (var gcc = Process.Start("gcc", ["-O2", "-mavx2", "-pthread", Path.Combine(AppContext.BaseDirectory, "read-reference.c"), "-o", reference]))
{
    gcc.WaitForExit();
    if (gcc.ExitCode != 0) return 1;
}
var debuggable = typeof(MemoryBandwidthProbe).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false).OfType<DebuggableAttribute>().FirstOrDefault();
Console.WriteLine($"ReasonTools.Core optimized: {debuggable?.IsJITOptimizerDisabled != true}; {Threads} threads, {bytes >> 20} MiB");
var ratios = new List<double>();
for (int round = 0; round < rounds; round++)
{
    double c, probe;
    if (round % 2 == 0) { c = ReadC(); probe = Probe(); }
    else { probe = Probe(); c = ReadC(); }
    ratios.Add(probe / c);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: C {c:0.00} GB/s, probe {probe:0.00} GB/s, probe/C {probe / c:0.00}"));
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median probe/C {ratios.Order().ElementAt(ratios.Count / 2):0.00}"));
return 0;

double Probe() => MemoryBandwidthProbe.Measure(Threads, bytes, TimeSpan.FromSeconds(0.5)).GBps;

double ReadC()
{
    using var run = Process.Start(new ProcessStartInfo(reference, [Threads.ToString(CultureInfo.InvariantCulture), bytes.ToString(CultureInfo.InvariantCulture), "0.5"]) { RedirectStandardOutput = true })!;
    var text = run.StandardOutput.ReadToEnd();
    run.WaitForExit();
    return double.Parse(text, CultureInfo.InvariantCulture);
}
