namespace ReasonTools.Bench;

/// <summary>A benchmark the dispatcher finds by reflection; it prints its figures and ratios to stdout.</summary>
public interface IBenchmark
{
    /// <summary>Command-line name, e.g. "inference".</summary>
    string Name { get; }
    string Description { get; }
    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}
