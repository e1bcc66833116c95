namespace ReasonTools.Core.Hardware;

/// <summary>
/// How a placement is written for people: "GPU", "GPU + CPU", "CPU", "does not fit". JSON keeps the contract's enum
/// names ("gpu", "partial", "cpu", "none"); every text, table and page uses these.
/// </summary>
public static class PlacementWords
{
    public static string Display(this Placement placement) => placement switch
    {
        Placement.Gpu => "GPU",
        Placement.Partial => "GPU + CPU",
        Placement.Cpu => "CPU",
        Placement.None => "does not fit",
        _ => placement.ToString(),
    };
}
