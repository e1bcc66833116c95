using System.Reflection;
using ReasonTools.Bench;

// dotnet run --project bench/ReasonTools.Bench -c Release -- <benchmark> [args]
var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || benchmarks.All(b => b.Name != args[0]))
{
    Console.Error.WriteLine("usage: ReasonTools.Bench <benchmark> [args]\n");
    foreach (var b in benchmarks) Console.Error.WriteLine($"  {b.Name,-20} {b.Description}");
    return args.Length == 0 ? 0 : 1;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
return await benchmarks.Single(b => b.Name == args[0]).RunAsync(args[1..], cts.Token);
