namespace ReasonTools.Cli;

/// <summary>Exit codes of <c>reason</c> (ARCHITECTURE.md).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int BadInput = 1;
    public const int ModelUnavailable = 2;
    public const int RuntimeFailure = 3;
    public const int Cancelled = 130;
}
