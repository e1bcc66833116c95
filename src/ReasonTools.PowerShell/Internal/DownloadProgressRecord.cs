using System.Management.Automation;
using ReasonTools.Core.Models;

namespace ReasonTools.PowerShell.Internal;

/// <summary>The Write-Progress record of a download's progress (pure).</summary>
internal static class DownloadProgressRecord
{
    /// <summary>
    /// The record for <paramref name="progress"/>: the file being downloaded as the operation, "2.1 GB of 4.7 GB (45%), 38.2
    /// MB/s, 1:08 left" as the status, the share done (-1 when the size is unknown) and the seconds left (-1 when unknown).
    /// </summary>
    public static ProgressRecord Create(int activityId, string activity, DownloadProgress progress) =>
        new(activityId, activity, progress.ToString())
        {
            CurrentOperation = progress.FileName,
            PercentComplete = progress.TotalBytes > 0 ? ReasonProgress.Percent((double)progress.BytesDone / progress.TotalBytes) : -1,
            SecondsRemaining = progress.Remaining is { } left ? (int)Math.Min(int.MaxValue, Math.Ceiling(left.TotalSeconds)) : -1,
        };
}
