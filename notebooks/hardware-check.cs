#:property PublishAot=false
#:project ../src/ReasonTools.Reports/ReasonTools.Reports.csproj

// Can this machine run DeepSeek-R1-Distill models, and which one should it run?
// Prints the hardware report and writes it as a standalone HTML file.
//   dotnet run notebooks/hardware-check.cs [-- report.html]
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Native;
using ReasonTools.Reports;

var output = Path.GetFullPath(args.Length > 0 ? args[0] : "hardware-check.html");
// The devices llama.cpp itself sees join CPU, memory, GPU and bandwidth probes; each probe that cannot run leaves a note.
var report = await HardwareProbe.CollectAsync(new HardwareProbeOptions { BackendDevices = new GgmlBackendDevices() });

Console.Write(TextReport.Render(report));
File.WriteAllText(output, HtmlReport.Document(report));
Console.WriteLine($"\nHTML report: {output}");
